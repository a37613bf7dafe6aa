//! `qprm export actions`: CSV that Excel opens correctly, XLSX with dates,
//! filters, frozen header and highlighted overdue rows, JSON for scripts;
//! formula injection neutralised everywhere.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{TestDb, stdout_json};
use predicates::str::contains;
use std::io::Read;

const HOSTILE: &str = "=HYPERLINK(\"http://x\",\"click\"), with \"quotes\"\nand a new line";

fn db_with_hostile_action() -> TestDb {
    let db = TestDb::with_meeting();
    db.cmd()
        .args([
            "action",
            "add",
            HOSTILE,
            "--owner",
            "@owner",
            "--due",
            "2023-12-01",
            "--service",
            "early-help",
            "--meeting",
            "1",
        ])
        .assert()
        .success();
    db.cmd().args(["action", "update", "A1", "--status", "in_progress", "--note", "+ started"]).assert().success();
    db
}

#[test]
fn csv_round_trips_with_bom_quoting_and_neutralised_formulas() {
    let db = db_with_hostile_action();
    let out = db.cmd().args(["export", "actions"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&out.stdout[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), qprm::report::export::HEADERS.to_vec());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let all = stdout_json(&db.cmd().args(["actions", "--status", "all", "--json"]).output().unwrap());
    assert_eq!(rows.len(), all.as_array().unwrap().len(), "every status by default");
    let a1 = rows.iter().find(|r| &r[0] == "A1").expect("A1 exported");
    assert_eq!(&a1[1], format!("'{HOSTILE}"), "quotes, commas and new lines survive; the formula is neutralised");
    assert_eq!(&a1[2], "'@owner");
    assert_eq!(&a1[5], "in_progress");
    assert_eq!(&a1[7], "2023-11-14", "raised at: the meeting's date");
    assert!(a1[9].contains("status: open → in_progress") && a1[9].contains("+ started"), "{:?}", &a1[9]);
    assert!(rows.iter().any(|r| &r[6] == "yes"), "overdue column");

    let overdue = db.cmd().args(["export", "actions", "--status", "overdue"]).output().unwrap();
    let mut r = csv::Reader::from_reader(&overdue.stdout[3..]);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| &r[6] == "yes"));
}

#[test]
fn xlsx_has_dates_filters_frozen_header_and_highlighted_overdue_rows() {
    let db = db_with_hostile_action();
    let file = db.dir.path().join("log.xlsx");
    db.cmd()
        .args(["export", "actions", "--format", "xlsx", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stderr(contains("exported"));

    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let sheet = book.worksheet_range("Action log").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("ref".into()));
    let a1 = rows.iter().find(|r| r[0] == Data::String("A1".into())).expect("A1");
    assert_eq!(a1[1], Data::String(format!("'{HOSTILE}")), "no formula: a neutralised string");
    assert!(matches!(a1[4], Data::DateTime(_)), "due is a real date: {:?}", a1[4]);
    assert!(matches!(a1[7], Data::DateTime(_)), "raised at is a real date");

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet_xml = read("xl/worksheets/sheet1.xml");
    assert!(sheet_xml.contains("<autoFilter"), "filters on the header");
    assert!(sheet_xml.contains("ySplit=\"1\""), "header row frozen");
    let styles = read("xl/styles.xml");
    assert!(styles.contains("FFC7CE"), "an overdue highlight fill exists");

    // The ref cell (column A) of each data row: overdue rows use a different
    // (highlighted) style from the rest, and all overdue rows share it.
    let overdue_col = 6;
    let style_of_ref_cell = |excel_row: usize| -> String {
        let tag = format!("<c r=\"A{excel_row}\"");
        let at = sheet_xml.find(&tag).unwrap_or_else(|| panic!("cell A{excel_row}"));
        let cell = &sheet_xml[at..at + sheet_xml[at..].find('>').unwrap()];
        cell.split("s=\"").nth(1).map(|v| v.split('"').next().unwrap().to_string()).unwrap_or_default()
    };
    let (mut late, mut on_time) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for (i, r) in rows.iter().enumerate().skip(1) {
        let style = style_of_ref_cell(i + 1);
        if r[overdue_col] == Data::String("yes".into()) {
            late.insert(style)
        } else {
            on_time.insert(style)
        };
    }
    assert_eq!(late.len(), 1, "every overdue row highlighted the same way: {late:?}");
    assert!(!on_time.is_empty() && late.is_disjoint(&on_time), "overdue rows stand out: {late:?} vs {on_time:?}");
}

#[test]
fn json_export_and_errors() {
    let db = db_with_hostile_action();
    let rows =
        stdout_json(&db.cmd().args(["export", "actions", "--format", "json", "--owner", "@owner"]).output().unwrap());
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    for key in ["ref", "text", "owner", "due", "status", "overdue", "raised_at", "last_update", "last_note"] {
        assert!(rows[0].get(key).is_some(), "{key}");
    }
    assert_eq!(rows[0]["text"], HOSTILE, "JSON keeps the data exactly");
    db.cmd().args(["export", "actions", "--format", "pdf"]).assert().code(2).stderr(contains("--format"));
    db.cmd().args(["export", "actions", "--service", "nope"]).assert().code(2);
    let xlsx = db.cmd().args(["export", "actions", "--format", "xlsx"]).output().unwrap();
    assert!(xlsx.stdout.starts_with(b"PK"), "piped XLSX goes to stdout");
}
