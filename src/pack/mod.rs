//! The `qprm-pack/1` meeting-pack format, checked in three passes that each
//! report every problem they find: `parse` (bytes to a JSON tree; syntax
//! errors with line:column), `raw` with `read` (the tree to the pack's
//! shape, wrong kinds of value and unknown keys in plain words), `validate`
//! (content and references). The result is plain, checked types the store
//! imports. Nothing here touches the database; indicators and services
//! already stored come in through [`Known`]. Workbooks (`xlsx`) and values
//! CSVs (`csv_values`) are read into the same JSON tree and checked by the
//! same passes; `load` picks the reader.

mod csv_values;
mod json;
mod load;
mod model;
mod parse;
mod problems;
mod raw;
mod read;
mod validate;
mod write_json;
pub mod xlsx;

pub use load::{is_values_csv, load_any};
pub use model::*;
pub use parse::{MAX_PACK_BYTES, load_file, parse_bytes};
pub use validate::{FORMAT, Known};
pub use write_json::pack_json;
