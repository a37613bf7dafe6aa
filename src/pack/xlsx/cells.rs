//! Opening a workbook and reading its cells, bounded: what kind of file it
//! is (a zip at all, encrypted, with macros), how much it unpacks to, the
//! sheets and header names it must have, merged cells, and at most
//! `MAX_ROWS` rows a sheet. A problem with the workbook's structure is one
//! sentence and stops the reading; cell contents are left for the pack's
//! own checks, with formulas, error values and dates marked as such.

use super::sheets::{ALL_SHEETS, README, Sheet, TABLES, cell_name, sheet_ref};
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
/// What the whole zip may unpack to: checked against its directory before
/// anything is unpacked, then by unpacking (into nothing) with a cap.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;

/// A value at its zero-based (row, column).
type Placed = ((u32, u32), Value);

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
    pub tables: Vec<Table>,
}

/// The workbook in `bytes`, or every structural problem, one sentence each.
pub(super) fn open(label: &str, bytes: &[u8]) -> Result<Book, Vec<String>> {
    let say = |msg: String| vec![format!("{label}: {msg}")];
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: Excel's encrypted .xlsx, or the old .xls.
        return Err(say(match Xlsx::new(Cursor::new(bytes)) {
            Err(calamine::XlsxError::Password) => {
                "is encrypted (saved with a password): save a copy without a password (File > Info > Protect Workbook) and import that".into()
            }
            _ => "is an old Excel 97–2003 (.xls) file, not a workbook qprm reads: save it as Excel Workbook (.xlsx)".into(),
        }));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(say("is not an Excel workbook (.xlsx files are zip archives, and this is not one): save it from Excel or Calc as Excel Workbook (.xlsx)".into()));
    }
    check_zip(bytes, MAX_UNPACKED).map_err(say)?;
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
    let readme = readme_rows(label, readme, &mut problems);
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
        if let Some(t) = table(label, sheet, cells, &mut problems) {
            tables.push(t);
        }
    }
    if problems.is_empty() { Ok(Book { readme, tables }) } else { Err(problems) }
}

/// Refuses a zip that is damaged, holds macros, is not a workbook, or
/// would unpack past the limits.
fn check_zip(bytes: &[u8], max_unpacked: u64) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("is a damaged zip archive ({e}), not a workbook qprm can read: save it again as .xlsx"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!("holds {} files; a workbook has a few dozen: is this the right file?", zip.len()));
    }
    let mut total: u64 = 0;
    let (mut workbook, mut macros) = (false, false);
    for i in 0..zip.len() {
        let entry =
            zip.by_index_raw(i).map_err(|e| format!("is a damaged zip archive ({e}): save it again as .xlsx"))?;
        total = total.saturating_add(entry.size());
        let name = entry.name().unwrap_or_default();
        workbook |= name == "xl/workbook.xml";
        macros |= name.ends_with("vbaProject.bin");
    }
    if macros {
        return Err(
            "contains macros (a .xlsm workbook): qprm reads plain workbooks; save a copy as Excel Workbook (.xlsx)"
                .into(),
        );
    }
    if !workbook {
        return Err(
            "is a zip archive but not an Excel workbook (no xl/workbook.xml): save it from Excel or Calc as .xlsx"
                .into(),
        );
    }
    if total > max_unpacked {
        return Err(format!(
            "unpacks to {} MB, more than the {} MB a pack workbook may: is this the right file?",
            total / (1024 * 1024),
            max_unpacked / (1024 * 1024)
        ));
    }
    // A directory can lie about sizes (the zip crate refuses an entry past
    // its declared size, but only once it gets there), and calamine unpacks
    // some parts whole: unpack every entry once, into nothing, counting,
    // and stop one byte past the limit.
    let mut left = max_unpacked;
    for i in 0..zip.len() {
        let mut entry =
            zip.by_index(i).map_err(|e| format!("is a damaged zip archive ({e}): save it again as .xlsx"))?;
        let n = std::io::copy(&mut std::io::Read::take(&mut entry, left + 1), &mut std::io::sink())
            .map_err(|e| format!("is a damaged zip archive ({e}): save it again as .xlsx"))?;
        if n > left {
            return Err(format!(
                "unpacks to more than the {} MB a pack workbook may (more than its zip directory says): is this the right file?",
                max_unpacked / (1024 * 1024)
            ));
        }
        left -= n;
    }
    Ok(())
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

/// `Read me`: `key | value` rows from the top down to the first row
/// whose first cell is empty; the instructions below are for people.
fn readme_rows(label: &str, cells: Vec<Placed>, problems: &mut Vec<String>) -> Vec<(String, u32, Option<Value>)> {
    let mut out: Vec<(String, u32, Option<Value>)> = Vec::new();
    let mut expect = 0;
    for ((row, col), v) in cells {
        if row > expect {
            break;
        }
        match (col, v) {
            (0, Value::Text(key)) => {
                let key = key.trim().to_string();
                if !super::sheets::README_KEYS.contains(&key.as_str()) {
                    let hint = nearest(&key, super::sheets::README_KEYS.iter().copied()).map_or_else(
                        || format!("the keys are {}", super::sheets::README_KEYS.join(", ")),
                        |k| format!("did you mean \"{k}\"?"),
                    );
                    problems.push(format!(
                        "{label}: {}: unknown key {}: {hint}",
                        cell_name(README, row, 0),
                        quoted(&key)
                    ));
                }
                out.push((key, row, None));
                expect = row + 1;
            }
            (0, _) => break,
            (1, v) => {
                if let Some(last) = out.last_mut().filter(|(_, r, _)| *r == row) {
                    last.2 = Some(v);
                }
            }
            _ => {}
        }
    }
    out
}

/// A data sheet's header checked and its rows gathered.
fn table(label: &str, sheet: &'static Sheet, cells: Vec<Placed>, problems: &mut Vec<String>) -> Option<Table> {
    let before = problems.len();
    let mut columns: Vec<(&'static str, u32)> = Vec::new();
    let mut unknown: Vec<(String, String)> = Vec::new();
    let mut unnamed: Vec<u32> = Vec::new();
    let (header, body): (Vec<_>, Vec<_>) = cells.into_iter().partition(|((row, _), _)| *row == 0);
    for ((_, col), v) in header {
        let here = cell_name(sheet.name, 0, col);
        unnamed.push(col);
        let Value::Text(name) = &v else {
            problems
                .push(format!("{label}: {here}: a header must be a column name, one of {}", sheet.columns.join(", ")));
            continue;
        };
        let name = name.trim();
        match sheet.columns.iter().find(|c| **c == name) {
            Some(key) if columns.iter().any(|(k, _)| k == key) => {
                problems.push(format!("{label}: {here}: column {} appears twice: keep one", quoted(name)));
            }
            Some(key) => {
                unnamed.pop();
                columns.push((key, col));
            }
            None => unknown.push((here, name.to_string())),
        }
    }
    let missing: Vec<&str> =
        sheet.required.iter().copied().filter(|want| !columns.iter().any(|(k, _)| k == want)).collect();
    for (here, name) in &unknown {
        let hint = match (nearest(name, sheet.columns.iter().copied()), missing.as_slice()) {
            (Some(c), _) => format!("did you mean \"{c}\"?"),
            (None, [only]) if unknown.len() == 1 => {
                format!("is it \"{only}\", renamed? The {} sheet needs a \"{only}\" column", sheet.name)
            }
            _ => format!("the {} sheet's columns are {}", sheet.name, sheet.columns.join(", ")),
        };
        problems.push(format!("{label}: {here}: unknown column {}: {hint}", quoted(name)));
    }
    if unknown.is_empty() && !missing.is_empty() && problems.len() == before {
        problems.push(format!(
            "{label}: {}: no column \"{}\" in the header row (row 1): it needs {}",
            sheet.name,
            missing[0],
            sheet.required.join(", ")
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    for ((row, col), v) in body {
        let Some((key, _)) = columns.iter().find(|(_, c)| *c == col) else {
            if !unnamed.contains(&col) {
                problems.push(format!(
                    "{label}: {}: a value in a column without a header: name the column or clear it",
                    cell_name(sheet.name, row, col)
                ));
                unnamed.push(col);
            }
            continue;
        };
        match rows.last_mut().filter(|r| r.index == row) {
            Some(r) => r.cells.push((key, col, v)),
            None => rows.push(Row { index: row, cells: vec![(key, col, v)] }),
        }
    }
    (problems.len() == before).then_some(Table { sheet, columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of one `xl/workbook.xml` of `size` zero bytes, its directory
    /// saying it holds `claimed`.
    fn zip_of(size: usize, claimed: Option<u32>) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(&vec![0u8; size]).unwrap();
        let mut bytes = w.finish().unwrap().into_inner();
        if let Some(claimed) = claimed {
            let local = bytes.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
            bytes[local + 22..local + 26].copy_from_slice(&claimed.to_le_bytes());
            let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
            bytes[central + 24..central + 28].copy_from_slice(&claimed.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn unpacking_is_bounded_whatever_the_zip_directory_says() {
        const MB: u64 = 1024 * 1024;
        assert_eq!(check_zip(&zip_of(1000, None), MB), Ok(()));
        let honest = check_zip(&zip_of(3 * MB as usize, None), MB).unwrap_err();
        assert!(honest.starts_with("unpacks to 3 MB, more than the 1 MB"), "{honest}");
        // The zip crate stops an entry at its declared size; unpacking
        // every entry here turns that into one sentence before calamine.
        let lying = check_zip(&zip_of(3 * MB as usize, Some(100)), MB).unwrap_err();
        assert!(lying.starts_with("is a damaged zip archive (File is larger than its declared"), "{lying}");
    }

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
