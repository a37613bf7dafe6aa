//! `qprm serve`: the meeting screen over SSH for the other laptops in the
//! room. Each connection that asks for a terminal gets its own meeting
//! screen (the same code as a local one) on its own thread and its own
//! store connection; tokio and russh stay inside this module.

pub mod keys;
pub mod role;
