//! The `qprm-pack/1` meeting-pack format: parsing (with file, JSON path and
//! line:column in every error) and validation into plain, checked types that
//! the store imports. Nothing here touches the database; references to
//! indicators and services already stored come in through [`Known`].

mod model;
mod parse;
mod raw;
mod validate;

pub use model::*;
pub use parse::{MAX_PACK_BYTES, load_file, parse_bytes};
pub use validate::Known;
