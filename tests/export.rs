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
    assert_eq!(&a1[9], "status: open → in progress — + started", "one wording of a change everywhere");
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

/// The `soffice` program on `PATH`, if LibreOffice is installed.
fn soffice() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("soffice")).find(|p| p.is_file())
}

/// Opens `csv` in LibreOffice Calc, headless, and saves it as XLSX, the way
/// a user opening the file would get it: with `filter` options, or none at
/// all (Calc's defaults). Each run has its own throwaway profile, so tests
/// running side by side never share (or lock) one, and a time limit.
fn calc_reads(soffice: &std::path::Path, csv: &std::path::Path, filter: Option<&str>) -> Vec<Vec<Data>> {
    let work = tempfile::tempdir().unwrap();
    let profile = work.path().join("profile");
    let out = work.path().join("out");
    let mut cmd = std::process::Command::new(soffice);
    cmd.arg(format!("-env:UserInstallation=file://{}", profile.display())).arg("--headless");
    if let Some(f) = filter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.args(["--convert-to", "xlsx", "--outdir"]).arg(&out).arg(csv);
    cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("start soffice");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice took over 180 s to convert {}", csv.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let xlsx = out.join(csv.with_extension("xlsx").file_name().unwrap());
    assert!(status.success() && xlsx.is_file(), "soffice failed ({status}): {:?}", child.stderr.take());
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).expect("a sheet").unwrap();
    sheet.rows().map(<[Data]>::to_vec).collect()
}

/// What a spreadsheet should show for one CSV cell: a text literal
/// `="1.10"` is the text 1.10; anything else is itself.
fn shown_as(cell: &str) -> String {
    match cell.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => cell.to_string(),
    }
}

/// A spreadsheet date serial (days since 1899-12-30) as YYYY-MM-DD.
fn serial_date(d: &Data) -> Option<String> {
    let Data::DateTime(dt) = d else { return None };
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    Some(base.checked_add_days(chrono::Days::new(dt.as_f64() as u64))?.to_string())
}

/// The CSV export opened in LibreOffice Calc keeps every ref and code as the
/// text qprm holds (`1.10` is not the number 1.1, `2.10` is not `2.1`),
/// makes due and raised-at real dates, and runs no formula. Needs
/// LibreOffice (`apt-get install libreoffice-calc-nogui`; `.ci/run`
/// installs it); says SKIPPED without it.
#[test]
fn csv_opens_in_libreoffice_calc_with_refs_as_qprm_holds_them() {
    let Some(soffice) = soffice() else {
        println!("SKIPPED: soffice (LibreOffice Calc) is not on PATH; apt-get install libreoffice-calc-nogui");
        return;
    };
    let db = db_with_hostile_action();
    let mut pack = common::base_pack();
    let action = |reference: &str, text: &str, owner: &str| {
        serde_json::json!({ "ref": reference, "text": text, "owner": owner, "service": "corporate-parenting",
                            "due": "2024-03-31", "status": "open", "source": "2023-24" })
    };
    pack["actions"] = serde_json::json!([
        action("007", "1/2", "TRUE"),
        action("1e5", "\u{200B}=1+1", "\u{FF1D}1+1"),
        action("2023-11-30", "5-Mar", "Siân → 10:30"),
    ]);
    let pack_file = db.file("codes.json", pack.to_string());
    db.cmd().arg("import").arg(&pack_file).assert().success();
    let csv_file = db.dir.path().join("actions.csv");
    db.cmd().args(["export", "actions", "-o"]).arg(&csv_file).assert().success();
    let bytes = std::fs::read(&csv_file).unwrap();
    let written: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();

    // Calc's own defaults, as with no import options at all. Headless, that
    // reads the file as Windows-1252 (the BOM is not looked at), so only
    // ASCII cells can be compared letter for letter; every cell must still
    // be text (or a date in the date columns), never a number or a formula's
    // result.
    let defaults = calc_reads(&soffice, &csv_file, None);
    // Only the character set named (UTF-8, as the BOM says; comma, quote);
    // every option that decides numbers, dates and formulas left at default.
    let utf8 = calc_reads(&soffice, &csv_file, Some("Text - txt - csv (StarCalc):44,34,76"));
    for (name, sheet) in [("defaults", &defaults), ("UTF-8", &utf8)] {
        assert_eq!(sheet.len(), written.len(), "{name}: every row");
        for (r, (read, wrote)) in sheet.iter().zip(&written).enumerate().skip(1) {
            for (c, cell) in wrote.iter().enumerate() {
                let got = read.get(c).cloned().unwrap_or(Data::Empty);
                let want = shown_as(cell);
                if c == 4 || c == 7 {
                    assert_eq!(serial_date(&got), Some(want), "{name}: row {r} col {c}: a real date");
                    continue;
                }
                match &got {
                    Data::Empty => assert_eq!(want, "", "{name}: row {r} col {c}"),
                    Data::String(s) if name == "UTF-8" || want.is_ascii() => {
                        assert_eq!(s, &want, "{name}: row {r} col {c}")
                    }
                    Data::String(_) => {}
                    other => panic!("{name}: row {r} col {c}: {cell:?} read as {other:?}, not text"),
                }
            }
        }
        let by_ref = |reference: &str| {
            sheet.iter().find(|row| row[0] == Data::String(reference.into())).unwrap_or_else(|| {
                panic!(
                    "{name}: ref {reference} not found as text; column A: {:?}",
                    sheet.iter().map(|r| &r[0]).collect::<Vec<_>>()
                )
            })
        };
        for reference in ["1.1", "1.10", "2.1", "007", "1e5", "2023-11-30", "A1"] {
            by_ref(reference);
        }
        assert_ne!(by_ref("1.10")[1], by_ref("1.1")[1], "{name}: 1.10 and 1.1 are two actions");
        assert_eq!(by_ref("007")[1], Data::String("1/2".into()), "{name}: text that looks like a date");
        assert_eq!(by_ref("007")[2], Data::String("TRUE".into()), "{name}: text that looks like a boolean");
        assert_eq!(by_ref("2023-11-30")[1], Data::String("5-Mar".into()), "{name}");
        assert_eq!(by_ref("A1")[1], Data::String(format!("'{HOSTILE}")), "{name}: a formula stays text");
        assert_eq!(by_ref("A1")[2], Data::String("'@owner".into()), "{name}");
    }
    let a = utf8.iter().find(|row| row[0] == Data::String("1e5".into())).unwrap();
    assert_eq!(a[1], Data::String("'\u{200B}=1+1".into()), "a formula behind a zero-width space stays text");
    assert_eq!(a[2], Data::String("'\u{FF1D}1+1".into()), "a full-width = stays text");
}
