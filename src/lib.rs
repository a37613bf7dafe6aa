//! qprm: the library behind the `qprm` binary. It owns the domain rules, the
//! `qprm-pack/1` format, the SQLite store and the command-line commands, so
//! the meeting screen and the CLI share one implementation of each.

pub mod cli;
pub mod domain;
pub mod error;
pub mod pack;
pub mod report;
pub mod samples;
pub mod serve;
pub mod store;
pub mod text;
pub mod tui;

pub use error::{Error, Result};
