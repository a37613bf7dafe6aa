//! The action log for Excel and Scrutiny. CSV opens cleanly in Excel and
//! LibreOffice Calc (UTF-8 BOM, RFC 4180 quoting) with every ref and code as
//! the text qprm holds; XLSX has a frozen header, filters, dates as dates and
//! overdue rows highlighted; JSON is the same rows as `actions --json` plus
//! the export columns. Owns the two cell rules every spreadsheet output
//! follows: text a spreadsheet would run as a formula is prefixed with `'`
//! (`neutralise`), and text a spreadsheet would turn into a number, date or
//! boolean is written to CSV as a text literal (`csv_cell`).

use crate::error::{Error, Result};
use crate::store::ExportRow;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook};
use std::io::Write;

/// The due and raised-at columns, written as dates.
const DATE_COLUMNS: [usize; 2] = [4, 7];

fn is_iso_date(s: &str) -> bool {
    crate::domain::dates::parse_iso(s).is_ok()
}

pub const HEADERS: [&str; 11] =
    ["ref", "text", "owner", "service", "due", "status", "overdue", "raised at", "last update", "note", "source"];

/// Neutralises text a spreadsheet would evaluate as a formula: one that
/// starts with a tab or carriage return, or whose first visible character
/// is `=`, `+`, `-` or `@`, or their full-width forms (in case an importer
/// folds them to ASCII). Spaces and invisible characters before the sign do
/// not hide it: a zero-width space before `=` looks like plain text to a
/// reviewer, but not necessarily to every spreadsheet.
pub fn neutralise(s: &str) -> String {
    if matches!(s.chars().next(), Some('\t' | '\r')) {
        return format!("'{s}");
    }
    match s.chars().find(|c| !(c.is_whitespace() || is_invisible(*c))) {
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FE63}' | '\u{FF20}') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Characters that take no room on screen: zero-width spaces and joiners,
/// the word joiner, the byte-order mark, the soft hyphen, bidirectional
/// marks and embeddings, and other Unicode format characters.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

/// Excel refuses a string longer than this inside a formula, so longer text
/// is left as it is (no such text looks like a number anyway).
const MAX_LITERAL: usize = 255;

/// One CSV cell as a spreadsheet should show it. Formula-like text is
/// neutralised first. Text that Excel or Calc would read as something else
/// (`1.10` as the number 1.1, `007` as 7, `1e5` as 100000, `1/2` or `5-Mar`
/// as a date, `TRUE` as a boolean) is written as the text formula `="1.10"`:
/// both evaluate it, by default, to exactly that text. A plain CSV has no
/// other way to say "text" that both honour: quotes are ignored for typing,
/// and a leading `'` is shown literally by Calc. The formula is a string
/// literal with its quotes doubled, so it cannot run anything.
pub fn csv_cell(s: &str) -> String {
    let safe = neutralise(s);
    if safe != s || s.len() > MAX_LITERAL || !reads_as_a_value(s) {
        return safe;
    }
    format!("=\"{}\"", s.replace('"', "\"\""))
}

/// Would a spreadsheet, in any common locale, turn this text into a number,
/// date, time, currency, percentage or boolean? True for text made only of
/// digits, separators and signs, with at most month names, `am`/`pm`, an
/// ordinal suffix or an exponent `e` for words; and for `TRUE`/`FALSE`.
/// Erring towards yes costs nothing: the cell still shows the same text.
fn reads_as_a_value(s: &str) -> bool {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return true;
    }
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut word = String::new();
    let word_ok = |w: &str| {
        let w = w.to_ascii_lowercase();
        w.is_empty()
            || matches!(w.as_str(), "e" | "am" | "pm" | "st" | "nd" | "rd" | "th" | "t" | "z")
            || (w.len() >= 3 && crate::domain::dates::MONTHS.iter().any(|m| m.starts_with(&w)))
    };
    for c in t.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c);
            continue;
        }
        if !word_ok(&word) {
            return false;
        }
        word.clear();
        if !(c.is_ascii_digit() || " .,:/-+%()$£€¥".contains(c)) {
            return false;
        }
    }
    word_ok(&word)
}

fn cells(r: &ExportRow) -> [String; 11] {
    let a = &r.action;
    [
        a.reference.clone(),
        a.text.clone(),
        a.owner.clone(),
        a.service.clone().unwrap_or_default(),
        a.due.clone(),
        a.status.to_string(),
        if a.overdue { "yes" } else { "no" }.to_string(),
        r.raised_at.clone(),
        r.last_update.clone(),
        r.last_note.clone().unwrap_or_default(),
        a.source.clone().unwrap_or_default(),
    ]
}

/// Keeps an I/O error an I/O error (a closed pipe is not a failure).
fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io("writing CSV", io),
        other => Error::invalid(format!("writing CSV: {other:?}")),
    }
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::invalid(format!("writing the spreadsheet: {e}"))
}

/// CSV rows are written as they come, so a large log is never held in memory.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
    /// Writing to a terminal: every cell sanitised, no byte-order mark.
    terminal: bool,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(mut out: W) -> Result<Self> {
        // The BOM tells Excel the file is UTF-8 (Siân, “quotes”, en dashes).
        out.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io("writing CSV", e))?;
        let mut inner = csv::Writer::from_writer(out);
        inner.write_record(HEADERS).map_err(csv_err)?;
        Ok(CsvWriter { inner, terminal: false })
    }

    /// The same CSV for reading on a terminal: each cell is sanitised
    /// (escape sequences and hidden controls removed, line breaks kept), so
    /// nothing from data reaches the terminal raw. Spreadsheets are not
    /// reading it, so it has no byte-order mark.
    pub fn for_terminal(out: W) -> Result<Self> {
        let mut inner = csv::Writer::from_writer(out);
        inner.write_record(HEADERS).map_err(csv_err)?;
        Ok(CsvWriter { inner, terminal: true })
    }

    pub fn row(&mut self, r: &ExportRow) -> Result<()> {
        // Due and raised-at stay plain ISO dates, which both spreadsheets
        // read as real dates (sortable, as in the XLSX); every other cell is
        // kept as the text qprm holds.
        let record: Vec<String> = cells(r)
            .iter()
            .enumerate()
            .map(|(c, v)| if DATE_COLUMNS.contains(&c) && is_iso_date(v) { v.clone() } else { csv_cell(v) })
            .map(|v| if self.terminal { crate::domain::sanitize::clean_multiline(&v) } else { v })
            .collect();
        self.inner.write_record(&record).map_err(csv_err)
    }

    pub fn finish(mut self) -> Result<()> {
        self.inner.flush().map_err(|e| Error::io("writing CSV", e))
    }
}

/// Builds the XLSX in memory (rust_xlsxwriter's model) and returns its bytes.
pub struct XlsxWriter {
    workbook: Workbook,
    row: u32,
    text: Format,
    date: Format,
    overdue_text: Format,
    overdue_date: Format,
}

impl XlsxWriter {
    pub fn new() -> Result<Self> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Action log").map_err(xlsx_err)?;
        let header =
            Format::new().set_bold().set_border_bottom(FormatBorder::Thin).set_background_color(Color::RGB(0xD9E1F2));
        for (c, h) in HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &header).map_err(xlsx_err)?;
        }
        for (c, w) in [8.0, 60.0, 36.0, 22.0, 11.0, 12.0, 9.0, 11.0, 20.0, 40.0, 24.0].iter().enumerate() {
            sheet.set_column_width(c as u16, *w).map_err(xlsx_err)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        let overdue = Color::RGB(0xFFC7CE);
        Ok(XlsxWriter {
            workbook,
            row: 0,
            text: Format::new().set_text_wrap(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            overdue_text: Format::new().set_text_wrap().set_background_color(overdue),
            overdue_date: Format::new().set_num_format("yyyy-mm-dd").set_background_color(overdue),
        })
    }

    pub fn row(&mut self, r: &ExportRow) -> Result<()> {
        self.row += 1;
        let row = self.row;
        let (text, date) =
            if r.action.overdue { (&self.overdue_text, &self.overdue_date) } else { (&self.text, &self.date) };
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_err)?;
        for (c, value) in cells(r).iter().enumerate() {
            let col = c as u16;
            // Due and raised-at are real dates, so Excel can sort and filter them.
            let as_date = DATE_COLUMNS.contains(&c).then(|| ExcelDateTime::parse_from_str(value).ok()).flatten();
            match as_date {
                Some(d) => sheet.write_datetime_with_format(row, col, &d, date).map_err(xlsx_err)?,
                None => sheet.write_string_with_format(row, col, neutralise(value), text).map_err(xlsx_err)?,
            };
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>> {
        let last_row = self.row.max(1);
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_err)?;
        sheet.autofilter(0, 0, last_row, (HEADERS.len() - 1) as u16).map_err(xlsx_err)?;
        self.workbook.save_to_buffer().map_err(xlsx_err)
    }
}

#[cfg(test)]
mod tests {
    use super::{csv_cell, neutralise};

    #[test]
    fn formula_starters_are_neutralised() {
        for bad in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["Review plans", "1.5", "", "Siân", "a=b", "   "] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    /// Full-width signs, and signs behind invisible characters or spaces,
    /// are caught too: they look like text to a reviewer.
    #[test]
    fn disguised_formula_starters_are_neutralised() {
        for bad in [
            "\u{FF1D}SUM(A1)",
            "\u{FF0B}1",
            "\u{FF0D}1",
            "\u{FF20}cmd",
            "\u{200B}=SUM(A1)",
            "\u{FEFF}=1+1",
            "\u{2060}+1",
            "\u{200E}-1",
            "\u{00A0}@x",
            "  =1+1",
            "\n=1+1",
            "\u{200D}\u{200B} =1",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
    }

    #[test]
    fn text_a_spreadsheet_would_convert_becomes_a_text_literal() {
        for (cell, want) in [
            ("1.10", "=\"1.10\""),
            ("2.1", "=\"2.1\""),
            ("007", "=\"007\""),
            ("1e5", "=\"1e5\""),
            ("2023-11-30", "=\"2023-11-30\""),
            ("1/2", "=\"1/2\""),
            ("5-Mar", "=\"5-Mar\""),
            ("Mar 5", "=\"Mar 5\""),
            ("10:30 am", "=\"10:30 am\""),
            ("5%", "=\"5%\""),
            ("£5", "=\"£5\""),
            ("(5)", "=\"(5)\""),
            ("TRUE", "=\"TRUE\""),
            ("1st", "=\"1st\""),
            ("2023-11-14T10:32:00Z", "=\"2023-11-14T10:32:00Z\""),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
        for text in
            ["A17", "Review plans", "Improvement Plan 2023-24", "corporate-parenting", "open", "no", "", "Siân 5"]
        {
            assert_eq!(csv_cell(text), text, "{text:?}");
        }
        // Formula-like text keeps its apostrophe rather than becoming a formula.
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        // Past Excel's 255-character limit for a string in a formula: as is.
        let long = "1".repeat(256);
        assert_eq!(csv_cell(&long), long);
    }
}
