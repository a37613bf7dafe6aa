//! Opening a workbook (after `archive` has checked the file) and reading its
//! cells, bounded: the sheets it must have, merged cells, and at most
//! `MAX_ROWS` rows a sheet, each cell streamed. A problem with the
//! workbook's structure is one sentence and stops the reading; cell
//! contents are left for the pack's own checks, with formulas, error
//! values, percentages and dates marked as such.

use super::sheets::{ALL_SHEETS, README, Sheet, TABLES, cell_name, sheet_ref};
use super::{archive, layout};
use crate::domain::nearest::nearest;
use crate::pack::read::quoted;
use calamine::{DataRef, Reader, Xlsx};
use chrono::NaiveDate;
use std::io::Cursor;

/// A pack is a few hundred rows a sheet; past this a sheet is refused
/// without reading further (a sheet filled to Excel's 1,048,576 rows, or
/// a column of formatting copied to the bottom).
pub const MAX_ROWS: u32 = 20_000;
/// Cells looked at in one sheet, empty ones included, before giving up.
const MAX_CELLS: u64 = MAX_ROWS as u64 * 40;

/// A value at its zero-based (row, column).
pub(super) type Placed = ((u32, u32), Value);

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    Number(f64),
    /// A number shown as a percentage (0.85 as 85%): the number people typed.
    Percent(f64),
    Date(NaiveDate),
    Bool(bool),
    /// `#DIV/0!` and the like.
    Error(String),
    /// A formula, with the text of it.
    Formula(String),
}

pub(super) struct Row {
    /// Zero-based, as calamine counts; `cell_name` adds one.
    pub index: u32,
    /// (column key, zero-based column, value), non-empty cells only.
    pub cells: Vec<(&'static str, u32, Value)>,
}

pub(super) struct Table {
    pub sheet: &'static Sheet,
    /// The columns found: key → zero-based column.
    pub columns: Vec<(&'static str, u32)>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn place(&self, row: u32, key: &str) -> Option<String> {
        self.columns.iter().find(|(k, _)| *k == key).map(|(_, c)| cell_name(self.sheet.name, row, *c))
    }
}

pub(super) struct Book {
    /// `Read me` rows: (key, zero-based row, value).
    pub readme: Vec<(String, u32, Option<Value>)>,
    /// `Read me`'s `service | name | head` table.
    pub services: Table,
    pub tables: Vec<Table>,
}

/// The workbook in `bytes`, or every structural problem, one sentence each.
pub(super) fn open(label: &str, bytes: &[u8]) -> Result<Book, Vec<String>> {
    let say = |msg: String| vec![format!("{label}: {msg}")];
    if archive::is_ole(bytes) {
        // An OLE compound file: Excel's encrypted .xlsx, or the old .xls.
        return Err(say(match Xlsx::new(Cursor::new(bytes)) {
            Err(calamine::XlsxError::Password) => {
                "is encrypted (saved with a password): save a copy without a password (File > Info > Protect Workbook) and import that".into()
            }
            _ => "is an old Excel 97–2003 (.xls) file, not a workbook qprm reads: save it as Excel Workbook (.xlsx)".into(),
        }));
    }
    if !archive::is_zip(bytes) {
        return Err(say("is not an Excel workbook (.xlsx files are zip archives, and this is not one): save it from Excel or Calc as Excel Workbook (.xlsx)".into()));
    }
    archive::check_zip(bytes, archive::MAX_UNPACKED).map_err(say)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        say(format!("cannot be read as an Excel workbook ({e}): save it again as Excel Workbook (.xlsx)"))
    })?;
    let names = book.sheet_names();
    let mut problems = Vec::new();
    for want in ALL_SHEETS {
        if !names.iter().any(|n| n == want) {
            let near = names
                .iter()
                .find(|n| nearest(n, [want]).is_some() && !ALL_SHEETS.contains(&n.as_str()))
                .map(|n| format!(" (is {} it, renamed?)", quoted(n)))
                .unwrap_or_default();
            problems.push(format!(
                "{label}: no sheet named {}{near}: a pack workbook has the sheets {}; start from `qprm pack template`",
                quoted(want),
                ALL_SHEETS.join(", ")
            ));
        }
    }
    for n in &names {
        if !ALL_SHEETS.contains(&n.as_str()) && !problems.iter().any(|p| p.contains(&quoted(n))) {
            let hint = match nearest(n, ALL_SHEETS) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => {
                    format!("a pack workbook has only {}; delete it or move it to another file", ALL_SHEETS.join(", "))
                }
            };
            problems.push(format!("{label}: unknown sheet {}: {hint}", quoted(n)));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let epoch =
        if book.has_1904_epoch() { NaiveDate::from_ymd_opt(1904, 1, 1) } else { NaiveDate::from_ymd_opt(1899, 12, 30) };
    let epoch = epoch.ok_or_else(|| say("has no usable date system".into()))?;
    let readme = read_sheet(&mut book, README, epoch).map_err(|e| say(format!("{}: {e}", sheet_ref(README))))?;
    let services = layout::readme_services(&readme);
    let readme = layout::readme_rows(label, readme, &mut problems);
    let mut tables = Vec::new();
    for sheet in TABLES {
        let cells = match read_sheet(&mut book, sheet.name, epoch) {
            Ok(cells) => cells,
            Err(e) => {
                problems.push(format!("{label}: {}: {e}", sheet_ref(sheet.name)));
                continue;
            }
        };
        // Looked for only once the sheet is known to be within the row
        // limit: merged ranges are listed after all the rows.
        let merged = book
            .merge_cells_by_sheet_name(sheet.name)
            .map_err(|e| say(format!("cannot read its merged cells ({e})")))?;
        for d in merged {
            problems.push(format!(
                "{label}: {}:{}: merged cells in a data sheet: unmerge them and type the value in each row",
                cell_name(sheet.name, d.start.0, d.start.1),
                super::sheets::column_letters(d.end.1) + &(d.end.0 + 1).to_string()
            ));
        }
        if let Some(t) = layout::table(label, sheet, cells, &mut problems) {
            tables.push(t);
        }
    }
    if problems.is_empty() { Ok(Book { readme, services, tables }) } else { Err(problems) }
}

/// A sheet's non-empty cells as ((row, col), value), in row order; stops
/// with a sentence past `MAX_ROWS` rows or `MAX_CELLS` cells.
fn read_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str, epoch: NaiveDate) -> Result<Vec<Placed>, String> {
    let too_many = |row: u32| {
        format!(
            "row {} is in use, past the {MAX_ROWS} rows a pack sheet may have: delete the rows below your data",
            row + 1
        )
    };
    let err = |e: calamine::XlsxError| format!("cannot read the sheet ({e})");
    let mut out = Vec::new();
    let mut seen: u64 = 0;
    {
        let mut cells = book.worksheet_cells_reader(name).map_err(err)?;
        while let Some(c) = cells.next_cell_with_formula().map_err(err)? {
            seen += 1;
            let (row, _) = c.pos;
            if seen > MAX_CELLS {
                return Err(format!(
                    "more than {MAX_CELLS} cells, empty or not, down to row {}: clear everything below your data",
                    row + 1
                ));
            }
            let value = match (c.formula, c.value) {
                (Some(f), _) if !f.is_empty() => Value::Formula(f),
                (_, v) => match value(v, epoch) {
                    Some(v) => v,
                    // An empty cell with a format far down is not data.
                    None => continue,
                },
            };
            if row > MAX_ROWS {
                return Err(too_many(row));
            }
            out.push((c.pos, value));
        }
    }
    // A second pass for number formats: 85% is stored as 0.85.
    if out.iter().any(|(_, v)| matches!(v, Value::Number(_))) {
        let mut cells = book.worksheet_cells_reader(name).map_err(err)?;
        let mut percent = Vec::new();
        let mut seen: u64 = 0;
        while let Some((c, style)) = cells.next_cell_with_style_id().map_err(err)? {
            seen += 1;
            if seen > MAX_CELLS {
                break;
            }
            let shows_percent = cells
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code));
            if shows_percent {
                percent.push(c.get_position());
            }
        }
        for (pos, v) in &mut out {
            if let Value::Number(n) = *v
                && percent.contains(pos)
            {
                // 0.85 × 100 is 85.00000000000001 in binary: round off the noise.
                *v = Value::Percent((n * 100.0 * 1e9).round() / 1e9);
            }
        }
    }
    Ok(out)
}

/// A cell's value; `None` for an empty one (or text of spaces only).
fn value(v: DataRef<'_>, epoch: NaiveDate) -> Option<Value> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => text(s)?,
        DataRef::SharedString(s) => text(s.to_string())?,
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(d) => {
            let days = d.as_f64().floor();
            match epoch.checked_add_signed(chrono::Duration::days(days as i64)) {
                Some(date) if (0.0..2_958_466.0).contains(&days) => Value::Date(date),
                _ => Value::Number(d.as_f64()),
            }
        }
        DataRef::DateTimeIso(s) => match NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d") {
            Ok(d) => Value::Date(d),
            Err(_) => Value::Text(s),
        },
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
    })
}

fn text(s: String) -> Option<Value> {
    if s.trim().is_empty() { None } else { Some(Value::Text(s)) }
}

/// A number format that shows a percentage: a `%` outside quoted text.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats_are_told_from_others() {
        for yes in ["0%", "0.0%", "0.00%;[Red]-0.00%"] {
            assert!(is_percent_format(yes), "{yes}");
        }
        for no in ["General", "0.0", "\"%\"0", "0\\%", "dd/mm/yyyy"] {
            assert!(!is_percent_format(no), "{no}");
        }
    }
}
