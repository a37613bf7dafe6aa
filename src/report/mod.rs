//! Outputs people read after the meeting: the action log as CSV, XLSX and
//! JSON for Excel users and Scrutiny. Writers take rows from the store and
//! never query it themselves.

pub mod export;
pub mod minutes;
