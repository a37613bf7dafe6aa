//! Which reader a pack file needs: a workbook by its first bytes (whatever
//! its name says), a values CSV by its `.csv` name (it carries no period,
//! so one is given), JSON otherwise. All are read within the same byte
//! limit and end in the same checks.

use super::model::ValidPack;
use super::parse::{parse_bytes, read_bounded};
use super::validate::Known;
use super::xlsx::{looks_like_workbook, parse_workbook};
use crate::domain::Period;
use crate::domain::sanitize::clean;
use std::path::Path;

/// Whether `path` is read as a values CSV.
pub fn is_values_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads and checks one pack file of any kind; `period` is the month of a
/// values CSV.
pub fn load_any(path: &Path, known: &Known, period: Option<Period>) -> Result<ValidPack, Vec<String>> {
    let label = clean(&path.display().to_string());
    let bytes = read_bounded(path, &label).map_err(|e| vec![e])?;
    let named_workbook = path.extension().is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        e == "xlsx" || e == "xlsm" || e == "xls"
    });
    if looks_like_workbook(&bytes) || named_workbook {
        return parse_workbook(&label, &bytes, known);
    }
    if is_values_csv(path) {
        return super::csv_values::parse_values_csv(&label, &bytes, period, known);
    }
    parse_bytes(&label, &bytes, known)
}
