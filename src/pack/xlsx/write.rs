//! Writing a pack as a workbook: the template for a coming month (each
//! service's indicators with last period's values, locked, and empty cells
//! to fill in) and the export of a stored month (the same layout, filled).
//! Cells are typed as the reader expects them: text columns as text (so a
//! ref such as 1.10 stays 1.10), numbers as numbers, due dates as dates,
//! with drop-down lists for every enumeration and frozen header rows.

use super::sheets::{ACTIONS, AUDITS, DATA, FEEDBACK, FINDINGS, README, README_KEYS, Sheet, sheet_ref};
use crate::domain::{ActionStatus, Polarity, Unit};
use crate::pack::model::*;
use crate::pack::validate::FORMAT;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, FormatBorder, Formula, ProtectionOptions,
    Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Indicators to fill in: values, audits, feedback and actions empty.
    Template,
    /// What is stored, every sheet filled.
    Export,
}

/// Rows left formatted (drop-downs, number cells) below the filled ones.
const SPARE_ROWS: u32 = 300;

/// The workbook's bytes. `pack` is what is stored for the period (its
/// services in agenda order, with names and heads); `defs` every stored
/// indicator; `previous` each indicator's last value before the period
/// and the service that reported it.
pub fn write_workbook(
    pack: &ValidPack,
    defs: &[IndicatorDef],
    previous: &HashMap<String, (f64, String)>,
    kind: WorkbookKind,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let services_range = readme(wb.add_worksheet(), pack, kind, &f)?;
    let service_list = DataValidation::new()
        .allow_list_formula(Formula::new(services_range))
        .set_error_message("Choose a service id from the list on the Read me sheet.")?;

    let ws = wb.add_worksheet();
    let rows = data_rows(pack, defs, previous, kind);
    table(ws, &DATA, &f)?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &r.service, &f.text)?;
        ws.write_string_with_format(row, 1, &r.code, &f.text)?;
        if let Some(d) = r.def {
            ws.write_string_with_format(row, 2, &d.name, &f.text)?;
            ws.write_string_with_format(row, 3, d.unit.as_str(), &f.text)?;
            ws.write_string_with_format(row, 4, d.polarity.as_str(), &f.text)?;
            if let Some(b) = d.baseline {
                ws.write_number_with_format(row, 5, b, &f.number)?;
            }
            if let Some(t) = d.target {
                ws.write_number_with_format(row, 6, t, &f.number)?;
            }
        }
        match r.previous {
            Some(p) => ws.write_number_with_format(row, 7, p, &f.previous)?,
            None => ws.write_blank(row, 7, &f.previous)?,
        };
        match r.value {
            Some(v) => ws.write_number_with_format(row, 8, v.value, &f.number)?,
            None => ws.write_blank(row, 8, &f.number)?,
        };
        match r.value.and_then(|v| v.note.as_deref()) {
            Some(n) => ws.write_string_with_format(row, 9, n, &f.wrap)?,
            None => ws.write_blank(row, 9, &f.wrap)?,
        };
    }
    let last = rows.len() as u32 + SPARE_ROWS;
    ws.add_data_validation(1, 0, last, 0, &service_list)?;
    ws.add_data_validation(1, 3, last, 3, &choices(Unit::ALL.iter().map(|u| u.as_str()))?)?;
    ws.add_data_validation(1, 4, last, 4, &choices(Polarity::ALL.iter().map(|p| p.as_str()))?)?;
    ws.add_data_validation(1, 5, last, 6, &any_number()?)?;
    ws.add_data_validation(1, 8, last, 8, &any_number()?)?;
    fit(ws, &DATA, &[("value", 10.0), ("note", 40.0)])?;
    // Last period's values are for reference: locked, the rest open.
    ws.protect_with_options(&ProtectionOptions {
        format_cells: true,
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::new()
    });

    let ws = wb.add_worksheet();
    table(ws, &AUDITS, &f)?;
    for (i, s) in pack.services.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &s.id, &f.text)?;
        if let (Some(a), WorkbookKind::Export) = (&s.audits, kind) {
            let counts =
                [a.completed, a.outstanding, a.good, a.requires_improvement, a.inadequate, a.with_family_feedback];
            for (c, n) in counts.iter().enumerate() {
                ws.write_number_with_format(row, c as u16 + 1, f64::from(*n), &f.count)?;
            }
        }
    }
    let last = pack.services.len() as u32 + SPARE_ROWS;
    ws.add_data_validation(1, 0, last, 0, &service_list)?;
    ws.add_data_validation(1, 1, last, 6, &count()?)?;
    fit(ws, &AUDITS, &[])?;

    let ws = wb.add_worksheet();
    table(ws, &FINDINGS, &f)?;
    let mut row = 1;
    for s in pack.services.iter().filter(|_| kind == WorkbookKind::Export) {
        for finding in s.audits.iter().flat_map(|a| &a.findings) {
            ws.write_string_with_format(row, 0, &s.id, &f.text)?;
            ws.write_string_with_format(row, 1, finding.kind.as_str(), &f.text)?;
            ws.write_string_with_format(row, 2, &finding.theme, &f.text)?;
            ws.write_string_with_format(row, 3, &finding.text, &f.wrap)?;
            row += 1;
        }
    }
    ws.add_data_validation(1, 0, row + SPARE_ROWS, 0, &service_list)?;
    ws.add_data_validation(1, 1, row + SPARE_ROWS, 1, &choices(FindingKind::ALL.iter().map(|k| k.as_str()))?)?;
    fit(ws, &FINDINGS, &[("kind", 12.0), ("theme", 28.0), ("text", 80.0)])?;

    let ws = wb.add_worksheet();
    table(ws, &FEEDBACK, &f)?;
    let mut row = 1;
    for s in pack.services.iter().filter(|_| kind == WorkbookKind::Export) {
        for fb in &s.feedback {
            ws.write_string_with_format(row, 0, &s.id, &f.text)?;
            ws.write_string_with_format(row, 1, fb.source.as_str(), &f.text)?;
            ws.write_string_with_format(row, 2, &fb.theme, &f.text)?;
            ws.write_number_with_format(row, 3, f64::from(fb.count), &f.count)?;
            ws.write_string_with_format(row, 4, fb.sentiment.as_str(), &f.text)?;
            if !fb.quotes.is_empty() {
                ws.write_string_with_format(row, 5, fb.quotes.join("\n"), &f.wrap)?;
            }
            row += 1;
        }
    }
    let last = row + SPARE_ROWS;
    ws.add_data_validation(1, 0, last, 0, &service_list)?;
    ws.add_data_validation(1, 1, last, 1, &choices(FeedbackSource::ALL.iter().map(|s| s.as_str()))?)?;
    ws.add_data_validation(1, 3, last, 3, &count()?)?;
    ws.add_data_validation(1, 4, last, 4, &choices(Sentiment::ALL.iter().map(|s| s.as_str()))?)?;
    fit(ws, &FEEDBACK, &[("source", 22.0), ("theme", 28.0), ("quotes", 60.0)])?;

    let ws = wb.add_worksheet();
    table(ws, &ACTIONS, &f)?;
    let actions: &[ActionDef] = if kind == WorkbookKind::Export { &pack.actions } else { &[] };
    for (i, a) in actions.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &a.reference, &f.text)?;
        ws.write_string_with_format(row, 1, &a.text, &f.wrap)?;
        ws.write_string_with_format(row, 2, &a.owner, &f.text)?;
        if let Some(s) = &a.service {
            ws.write_string_with_format(row, 3, s, &f.text)?;
        }
        let due = ExcelDateTime::from_ymd(
            u16::try_from(chrono::Datelike::year(&a.due)).unwrap_or(1900),
            chrono::Datelike::month(&a.due) as u8,
            chrono::Datelike::day(&a.due) as u8,
        )?;
        ws.write_datetime_with_format(row, 4, &due, &f.date)?;
        ws.write_string_with_format(row, 5, a.status.as_str(), &f.text)?;
        if let Some(s) = &a.source {
            ws.write_string_with_format(row, 6, s, &f.text)?;
        }
        if let Some(code) = &a.indicator {
            ws.write_string_with_format(row, 7, code, &f.text)?;
        }
    }
    let last = actions.len() as u32 + SPARE_ROWS;
    ws.add_data_validation(1, 3, last, 3, &service_list)?;
    ws.add_data_validation(
        1,
        4,
        last,
        4,
        &DataValidation::new().allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(2000, 1, 1)?,
            ExcelDateTime::from_ymd(2999, 12, 31)?,
        )),
    )?;
    ws.add_data_validation(1, 5, last, 5, &choices(ActionStatus::ALL.iter().map(|s| s.as_str()))?)?;
    fit(ws, &ACTIONS, &[("text", 60.0), ("owner", 32.0), ("service", 20.0), ("due", 12.0), ("source", 28.0)])?;
    wb.save_to_buffer()
}

struct Formats {
    header: Format,
    text: Format,
    wrap: Format,
    number: Format,
    count: Format,
    previous: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let open = Format::new().set_unlocked();
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            text: open.clone().set_num_format("@"),
            wrap: open.clone().set_num_format("@").set_text_wrap(),
            number: open.clone().set_num_format("0.0##"),
            count: open.clone().set_num_format("0"),
            previous: Format::new().set_num_format("0.0##").set_background_color(Color::RGB(0xEDEDED)),
            date: open.set_num_format("dd/mm/yyyy"),
        }
    }
}

/// The header row, frozen; every column's empty cells open for typing
/// (the sheet's own protection, where set, spares them).
fn table(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(sheet.name)?;
    for (c, name) in sheet.columns.iter().enumerate() {
        let c = c as u16;
        let format = match *name {
            "previous" => &f.previous,
            "due" => &f.date,
            "value" | "baseline" | "target" => &f.number,
            "completed"
            | "outstanding"
            | "good"
            | "requires_improvement"
            | "inadequate"
            | "with_family_feedback"
            | "count" => &f.count,
            "note" | "text" | "quotes" => &f.wrap,
            _ => &f.text,
        };
        ws.set_column_format(c, format)?;
        ws.write_string_with_format(0, c, *name, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Columns as wide as what is in them (headers included, at most about 60
/// characters), then the columns meant for typing or wrapped text at the
/// width given: in a template they are still empty.
fn fit(ws: &mut Worksheet, sheet: &Sheet, typing: &[(&str, f64)]) -> Result<(), XlsxError> {
    ws.set_autofit_max_width(420);
    ws.autofit();
    for (name, width) in typing {
        if let Some(c) = sheet.columns.iter().position(|c| c == name) {
            ws.set_column_width(c as u16, *width)?;
        }
    }
    Ok(())
}

fn choices<'a>(words: impl Iterator<Item = &'a str>) -> Result<DataValidation, XlsxError> {
    let words: Vec<&str> = words.collect();
    DataValidation::new().allow_list_strings(&words)?.set_error_message(format!("Choose one of: {}", words.join(", ")))
}

fn any_number() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(-1e12, 1e12))
        .set_error_message("Type a number, such as 91.5 (or 85% for a percentage).")
}

fn count() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(0, 1_000_000))
        .set_error_message("Type a whole number, 0 or more.")
}

/// `Read me`: the pack's own keys, then what to do, then the services
/// (the drop-down lists read their ids from here). Returns the range of
/// service ids as a formula.
fn readme(ws: &mut Worksheet, pack: &ValidPack, kind: WorkbookKind, f: &Formats) -> Result<String, XlsxError> {
    ws.set_name(README)?;
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 60.0)?;
    ws.set_column_width(2, 48.0)?;
    let key = Format::new().set_bold();
    for (row, k) in README_KEYS.iter().enumerate() {
        let row = row as u32;
        ws.write_string_with_format(row, 0, *k, &key)?;
        match *k {
            "format" => ws.write_string_with_format(row, 1, FORMAT, &f.text)?,
            "period" => ws.write_string_with_format(row, 1, pack.period.to_string(), &f.text)?,
            "organisation" => match &pack.organisation {
                Some(o) => ws.write_string_with_format(row, 1, o, &f.text)?,
                None => ws.write_blank(row, 1, &f.text)?,
            },
            _ => {
                let v =
                    if *k == "good_or_better_pct" { pack.good_or_better_target } else { pack.family_feedback_target };
                match v {
                    Some(v) => ws.write_number_with_format(row, 1, v, &f.number)?,
                    None => ws.write_blank(row, 1, &f.number)?,
                }
            }
        };
    }
    let what = match kind {
        WorkbookKind::Template => "A workbook to fill in for this period's Quality Performance and Review Meeting.",
        WorkbookKind::Export => "What qprm holds for this period. Correct it here and import it with --replace.",
    };
    let lines = [
        what.to_string(),
        "Data: one row per indicator per service. Type this month's figure in 'value' (a number; 85% and 85 both mean 85 for a percentage) and anything to explain it in 'note'. 'previous' is last period's value, for reference. Leave 'value' empty where there is no figure.".to_string(),
        "Audits: one row per service: audits completed and how they were rated (the ratings must add up to completed).".to_string(),
        "Findings: one row per strength or area for improvement found in audits.".to_string(),
        "Feedback: one row per theme; put each quote on its own line in the 'quotes' cell (Alt+Enter).".to_string(),
        "Actions: improvement-plan actions, one a row, with a ref you choose (such as 1.5) and a due date.".to_string(),
        format!("Units: {}. Polarity: {}.", Unit::choices(), Polarity::choices()),
        format!("Finding kinds: {}. Feedback sources: {}.", FindingKind::choices(), FeedbackSource::choices()),
        format!("Sentiments: {}. Action statuses: {}.", Sentiment::choices(), ActionStatus::choices()),
        "Type values, not formulas. Keep the sheet and column names as they are; extra sheets or columns are refused.".to_string(),
        "Check it with: qprm validate FILE.xlsx   Import it with: qprm import FILE.xlsx".to_string(),
        "The file is imported as a whole or not at all: any problem, and nothing is changed.".to_string(),
    ];
    let mut row = README_KEYS.len() as u32 + 1;
    for line in &lines {
        ws.write_string(row, 0, line)?;
        row += 1;
    }
    row += 1;
    let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    for (c, h) in ["service", "name", "head"].iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &header)?;
    }
    let first = row + 1;
    for s in &pack.services {
        row += 1;
        ws.write_string(row, 0, &s.id)?;
        ws.write_string(row, 1, s.name.as_deref().unwrap_or(""))?;
        if let Some(h) = &s.head {
            ws.write_string(row, 2, h)?;
        }
    }
    // An empty template's list is the rows a new council will fill in.
    let last = if pack.services.is_empty() { first + 49 } else { row };
    Ok(format!("={}!$A${}:$A${}", sheet_ref(README), first + 1, last + 1))
}

struct DataRow<'p> {
    service: String,
    code: String,
    def: Option<&'p IndicatorDef>,
    previous: Option<f64>,
    value: Option<&'p DataPoint>,
}

/// Export: each stored value. Template: each service's own indicators,
/// and an indicator no service owns under the service that last reported it.
fn data_rows<'p>(
    pack: &'p ValidPack,
    defs: &'p [IndicatorDef],
    previous: &HashMap<String, (f64, String)>,
    kind: WorkbookKind,
) -> Vec<DataRow<'p>> {
    let def = |code: &str| defs.iter().find(|d| d.code == code);
    let mut rows = Vec::new();
    for s in &pack.services {
        match kind {
            WorkbookKind::Export => {
                for d in &s.data {
                    rows.push(DataRow {
                        service: s.id.clone(),
                        code: d.indicator.clone(),
                        def: def(&d.indicator),
                        previous: previous.get(&d.indicator).map(|p| p.0),
                        value: Some(d),
                    });
                }
            }
            WorkbookKind::Template => {
                for d in defs {
                    let last = previous.get(&d.code);
                    let mine = match &d.service {
                        Some(owner) => *owner == s.id,
                        None => last.is_some_and(|(_, by)| *by == s.id),
                    };
                    if mine {
                        rows.push(DataRow {
                            service: s.id.clone(),
                            code: d.code.clone(),
                            def: Some(d),
                            previous: last.map(|p| p.0),
                            value: None,
                        });
                    }
                }
            }
        }
    }
    rows
}
