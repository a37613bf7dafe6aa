//! Packs as Excel workbooks: the template business support fills in, the
//! export of a stored month, and reading either back. A workbook is read
//! into the same JSON tree a `qprm-pack/1` file holds and then checked by
//! the same code, so the rules, conflicts and all-or-nothing import are
//! the JSON pack's; problems name the cell (`march.xlsx: Data!I14: …`).

mod archive;
mod cells;
mod definitions;
mod layout;
mod sheets;
mod tree;
mod write;

pub use cells::MAX_ROWS;
pub use write::{WorkbookKind, write_workbook};

use super::model::ValidPack;
use super::problems::Problems;
use super::raw;
use super::validate::{Known, validate};

/// Whether `bytes` look like a workbook (zip or OLE compound file), so a
/// workbook is read as one whatever its name ends with.
pub fn looks_like_workbook(bytes: &[u8]) -> bool {
    archive::is_zip(bytes) || archive::is_ole(bytes)
}

/// Reads and checks a workbook pack; `label` names it in messages.
pub fn parse_workbook(label: &str, bytes: &[u8], known: &Known) -> Result<ValidPack, Vec<String>> {
    let book = cells::open(label, bytes)?;
    let tree = tree::build(&book, known);
    let mut p = Problems::in_places(label, tree.places);
    tree::report_early(&mut p, &tree.early);
    let pack = raw::read(&mut p, &tree.root).and_then(|pack| validate(&mut p, label, pack, known));
    p.finish()?;
    pack.ok_or_else(|| vec![format!("{label}: the workbook is incomplete")])
}
