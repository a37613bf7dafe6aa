//! Packs as Excel workbooks, end to end through the binary: a template
//! filled in by a different writer (its sheet XML edited through the `zip`
//! crate, as a script or another spreadsheet program would), the same file
//! after LibreOffice Calc has saved it, export → import as a no-op, the
//! sample workbook in `fixtures/` against its JSON twin, values CSVs, and
//! every kind of bad workbook refused in one sentence with nothing written.

mod common;

use calamine::{Reader, Xlsx};
use common::{TestDb, stdout_json};
use predicates::str::contains;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Sheets in the order qprm writes them: `xl/worksheets/sheetN.xml`.
fn sheet_file(name: &str) -> String {
    let n = ["Read me", "Data", "Audits", "Findings", "Feedback", "Actions"].iter().position(|s| *s == name).unwrap();
    format!("xl/worksheets/sheet{}.xml", n + 1)
}

/// The workbook with some of its zip entries' text rewritten, every other
/// entry copied as it was.
fn rewrite(bytes: &[u8], edits: &[(&str, &dyn Fn(String) -> String)]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let name = zip.by_index(i).unwrap().name().unwrap().to_string();
        match edits.iter().find(|(n, _)| *n == name) {
            Some((_, edit)) => {
                let mut text = String::new();
                zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
                out.start_file(name, options).unwrap();
                out.write_all(edit(text).as_bytes()).unwrap();
            }
            None => out.raw_copy_file(zip.by_index_raw(i).unwrap()).unwrap(),
        }
    }
    out.finish().unwrap().into_inner()
}

/// Replaces cell `r`'s element (`<c r="I2" s="3"/>`), keeping its style.
fn set_cell(xml: String, r: &str, kind: &str, inner: &str) -> String {
    let start = xml.find(&format!("<c r=\"{r}\"")).unwrap_or_else(|| panic!("no cell {r}"));
    let open_end = start + xml[start..].find('>').unwrap();
    let end = if xml[..open_end].ends_with('/') {
        open_end + 1
    } else {
        open_end + xml[open_end..].find("</c>").unwrap() + 4
    };
    let style = xml[start..open_end].split(" s=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("0");
    let t = if kind.is_empty() { String::new() } else { format!(" t=\"{kind}\"") };
    format!("{}<c r=\"{r}\" s=\"{style}\"{t}>{inner}</c>{}", &xml[..start], &xml[end..])
}

/// Appends cells to row `n`, or adds the row before `</sheetData>`.
fn add_to_row(xml: String, n: u32, cells: &str) -> String {
    match xml.find(&format!("<row r=\"{n}\"")) {
        Some(start) => {
            let end = start + xml[start..].find("</row>").unwrap();
            format!("{}{cells}{}", &xml[..end], &xml[end..])
        }
        None => xml.replace("</sheetData>", &format!("<row r=\"{n}\">{cells}</row></sheetData>")),
    }
}

fn inline(r: &str, text: &str) -> String {
    format!("<c r=\"{r}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{text}</t></is></c>")
}

fn num(r: &str, n: f64) -> String {
    format!("<c r=\"{r}\"><v>{n}</v></c>")
}

/// A cell's text as calamine reads it.
fn cell(path: &Path, sheet: &str, row: u32, col: u32) -> String {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.worksheet_range(sheet).unwrap().get_value((row, col)).map(|v| v.to_string()).unwrap_or_default()
}

fn template(db: &TestDb, period: &str) -> PathBuf {
    let path = db.dir.path().join(format!("{period}-template.xlsx"));
    db.cmd().args(["pack", "template", "--period", period, "-o"]).arg(&path).assert().success();
    path
}

/// The November template filled in by editing its XML: a value and note
/// on the first Data row, 85% typed as a percentage on the second, audit
/// counts, a feedback theme with two quotes, and an action due
/// `31/03/2024` typed as text.
fn filled_by_another_writer(db: &TestDb) -> (PathBuf, String, String) {
    let template = template(db, "2023-11");
    let (first, second) = (cell(&template, "Data", 1, 1), cell(&template, "Data", 2, 1));
    let data = |xml: String| {
        let xml = set_cell(xml, "I2", "", "<v>61.5</v>");
        let xml = set_cell(xml, "J2", "inlineStr", "<is><t>filled in by another writer</t></is>");
        set_cell(xml, "I3", "", "<v>85</v>")
    };
    let audits = |xml: String| {
        let counts: String = [10.0, 1.0, 6.0, 2.0, 1.0, 7.0]
            .iter()
            .enumerate()
            .map(|(i, n)| num(&format!("{}2", (b'B' + i as u8) as char), *n))
            .collect();
        add_to_row(xml, 2, &counts)
    };
    let feedback = |xml: String| {
        let row = [
            inline("A2", "corporate-parenting"),
            inline("B2", "families"),
            inline("C2", "Communication"),
            num("D2", 2.0),
            inline("E2", "mixed"),
            inline("F2", "First quote\nSecond quote"),
        ]
        .concat();
        add_to_row(xml, 2, &row)
    };
    let actions = |xml: String| {
        let row = [
            inline("A2", "9.1"),
            inline("B2", "Agree the audit programme"),
            inline("C2", "Head of Service, Corporate Parenting"),
            inline("D2", "corporate-parenting"),
            inline("E2", "31/03/2024"),
            inline("F2", "open"),
        ]
        .concat();
        add_to_row(xml, 2, &row)
    };
    let bytes = std::fs::read(&template).unwrap();
    let filled = rewrite(
        &bytes,
        &[
            (&sheet_file("Data"), &data),
            (&sheet_file("Audits"), &audits),
            (&sheet_file("Feedback"), &feedback),
            (&sheet_file("Actions"), &actions),
        ],
    );
    (db.file("november.xlsx", filled), first, second)
}

fn kpi_value(db: &TestDb, code: &str, period: &str) -> serde_json::Value {
    let out = db.cmd().args(["kpi", "--period", period, "--json"]).output().unwrap();
    let rows = stdout_json(&out);
    rows.as_array().unwrap().iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no {code}")).clone()
}

fn export_json(db: &TestDb, period: &str) -> serde_json::Value {
    let out = db.cmd().args(["pack", "export", "--period", period, "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout_json(&out)
}

#[test]
fn a_template_filled_in_by_another_writer_imports_and_kpi_shows_the_values() {
    let db = TestDb::with_fixtures();
    let template = template(&db, "2023-11");
    // The template restates each indicator with last period's value, locked.
    assert_eq!(cell(&template, "Read me", 1, 1), "2023-11");
    assert_eq!(cell(&template, "Data", 0, 7), "previous");
    let previous = kpi_value(&db, &cell(&template, "Data", 1, 1), "2023-10")["value"].as_f64().unwrap();
    assert_eq!(cell(&template, "Data", 1, 7).parse::<f64>().unwrap(), previous);

    // Frozen header, locked reference column, drop-down lists, as written.
    let sheet = |name: &str| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&template).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name(&sheet_file(name)).unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    let data = sheet("Data");
    assert!(data.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
    assert!(data.contains("<sheetProtection"), "the Data sheet is protected, its open columns unlocked");
    for list in ["\"percent,count,rate_per_10k,number,days\"", "\"higher_is_better,lower_is_better\"", "'Read me'!$A$"]
    {
        assert!(data.contains(list), "Data has the drop-down {list}");
    }
    assert!(
        sheet("Feedback")
            .contains("\"children_young_people,families,complaints,compliments,workforce,partners,other\"")
    );
    assert!(sheet("Actions").contains("\"open,in_progress,done,dropped\""));
    assert!(sheet("Findings").contains("\"strength,improvement\""));

    let (filled, first, second) = filled_by_another_writer(&db);
    db.cmd().arg("import").arg(&filled).assert().success().stdout(contains("added"));
    let v = kpi_value(&db, &first, "2023-11");
    assert_eq!(v["value"], 61.5);
    assert_eq!(v["note"], "filled in by another writer");
    assert_eq!(kpi_value(&db, &second, "2023-11")["value"], 85.0);

    let pack = export_json(&db, "2023-11");
    let cp = pack["services"].as_array().unwrap().iter().find(|s| s["id"] == "corporate-parenting").unwrap();
    assert_eq!(cp["audits"]["completed"], 10);
    assert_eq!(cp["audits"]["ratings"]["good"], 6);
    assert_eq!(cp["feedback"][0]["quotes"], serde_json::json!(["First quote", "Second quote"]));
    let action = pack["actions"].as_array().unwrap().iter().find(|a| a["ref"] == "9.1").unwrap();
    assert_eq!(action["due"], "2024-03-31", "31/03/2024 typed as text is a UK date");
    // Rows left empty are not values: only the two filled in were added.
    let values: usize = pack["services"].as_array().unwrap().iter().map(|s| s["data"].as_array().unwrap().len()).sum();
    assert_eq!(values, 2);
}

/// LibreOffice Calc rewrites every part of the file (shared strings, styles,
/// its own number formats); what it saves must import exactly as the file
/// qprm read before it.
#[test]
fn a_workbook_saved_by_libreoffice_calc_imports_exactly_like_the_original() {
    let Some(soffice) = ["soffice", "libreoffice"]
        .into_iter()
        .find(|s| std::process::Command::new(s).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        println!("SKIPPED: LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui");
        return;
    };
    let original = TestDb::with_fixtures();
    let (filled, first, _) = filled_by_another_writer(&original);
    let out_dir = original.dir.path().join("calc");
    let profile = original.dir.path().join("lo-profile");
    let status = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&out_dir)
        .arg(&filled)
        .output()
        .unwrap();
    let resaved = out_dir.join("november.xlsx");
    assert!(resaved.exists(), "soffice did not convert: {}", String::from_utf8_lossy(&status.stderr));
    assert_ne!(std::fs::read(&resaved).unwrap(), std::fs::read(&filled).unwrap());

    let by_calc = TestDb::with_fixtures();
    original.cmd().arg("import").arg(&filled).assert().success();
    by_calc.cmd().arg("import").arg(&resaved).assert().success();
    assert_eq!(kpi_value(&by_calc, &first, "2023-11")["value"], 61.5);
    assert_eq!(export_json(&by_calc, "2023-11"), export_json(&original, "2023-11"));
    assert_eq!(
        by_calc.cmd().args(["kpi", "--json"]).output().unwrap().stdout,
        original.cmd().args(["kpi", "--json"]).output().unwrap().stdout
    );
}

#[test]
fn export_then_import_changes_nothing_as_a_workbook_or_as_json() {
    let db = TestDb::with_fixtures();
    let before = export_json(&db, "2023-10");
    for name in ["october.xlsx", "october.json"] {
        let path = db.dir.path().join(name);
        db.cmd().args(["pack", "export", "--period", "2023-10", "-o"]).arg(&path).assert().success();
        let out = db.cmd().arg("import").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("unchanged") && !text.contains("added") && !text.contains("replaced"), "{name}: {text}");
    }
    assert_eq!(export_json(&db, "2023-10"), before);
    // Correcting a month: the exported workbook, a value changed, --replace.
    let path = db.dir.path().join("october.xlsx");
    let fixed =
        rewrite(&std::fs::read(&path).unwrap(), &[(&sheet_file("Data"), &|x| set_cell(x, "I2", "", "<v>42</v>"))]);
    let fixed = db.file("october-fixed.xlsx", fixed);
    db.cmd().arg("import").arg(&fixed).assert().code(2).stderr(contains("Re-run with --replace"));
    db.cmd().args(["import", "--replace"]).arg(&fixed).assert().success().stdout(contains("replaced 1 value"));
}

#[test]
fn the_sample_workbook_imports_equal_to_its_json_twin() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let earlier: Vec<PathBuf> = (5..=9).map(|m| root.join(format!("2023-{m:02}.json"))).collect();
    let (json, xlsx) = (TestDb::new(), TestDb::new());
    json.cmd().arg("import").args(&earlier).arg(root.join("2023-10.json")).assert().success();
    xlsx.cmd().arg("import").args(&earlier).arg(root.join("2023-10.xlsx")).assert().success();
    assert_eq!(export_json(&xlsx, "2023-10"), export_json(&json, "2023-10"));
    let kpi = |db: &TestDb| db.cmd().args(["kpi", "--period", "2023-10", "--json"]).output().unwrap().stdout;
    assert_eq!(kpi(&xlsx), kpi(&json));
    // And on its own beside the JSON packs, in one command.
    let mixed = TestDb::new();
    mixed.cmd().arg("import").args(&earlier).arg(root.join("2023-10.xlsx")).assert().success();
}

/// A minimal valid workbook, written by rust_xlsxwriter, with hooks for
/// the one thing each bad case changes.
struct Minimal {
    sheets: Vec<&'static str>,
    data_header: Vec<&'static str>,
    value: Box<dyn Fn(&mut Worksheet)>,
    extra: Box<dyn Fn(&mut Worksheet)>,
    actions: Box<dyn Fn(&mut Worksheet)>,
}

impl Minimal {
    fn new() -> Minimal {
        Minimal {
            sheets: vec!["Read me", "Data", "Audits", "Findings", "Feedback", "Actions"],
            data_header: vec!["service", "indicator", "value", "note"],
            value: Box::new(|ws| {
                ws.write_number(1, 2, 91.5).unwrap();
            }),
            extra: Box::new(|_| {}),
            actions: Box::new(|_| {}),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        let headers = |name: &str| -> Vec<&str> {
            match name {
                "Audits" => vec![
                    "service",
                    "completed",
                    "outstanding",
                    "good",
                    "requires_improvement",
                    "inadequate",
                    "with_family_feedback",
                ],
                "Findings" => vec!["service", "kind", "theme", "text"],
                "Feedback" => vec!["service", "source", "theme", "count", "sentiment", "quotes"],
                "Actions" => vec!["ref", "text", "owner", "service", "due", "status"],
                _ => vec![],
            }
        };
        for name in &self.sheets {
            let ws = wb.add_worksheet().set_name(*name).unwrap();
            match *name {
                "Read me" => {
                    ws.write_string(0, 0, "format").unwrap();
                    ws.write_string(0, 1, "qprm-pack/1").unwrap();
                    ws.write_string(1, 0, "period").unwrap();
                    ws.write_string(1, 1, "2023-11").unwrap();
                }
                "Data" => {
                    for (c, h) in self.data_header.iter().enumerate() {
                        ws.write_string(0, c as u16, *h).unwrap();
                    }
                    ws.write_string(1, 0, "corporate-parenting").unwrap();
                    ws.write_string(1, 1, "CIC-HEALTH").unwrap();
                    (self.value)(ws);
                    (self.extra)(ws);
                }
                other => {
                    for (c, h) in headers(other).iter().enumerate() {
                        ws.write_string(0, c as u16, *h).unwrap();
                    }
                    if other == "Actions" {
                        (self.actions)(ws);
                    }
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }
}

#[test]
fn a_minimal_workbook_in_any_column_order_imports_and_85_percent_reads_as_85() {
    let db = TestDb::with_fixtures();
    let mut book = Minimal::new();
    book.data_header = vec!["note", "service", "indicator", "value"];
    book.value = Box::new(|ws| {
        // Written in the shuffled order: note, service, indicator, value.
        ws.write_string(1, 0, "typed as 85%").unwrap();
        ws.write_string(1, 1, "corporate-parenting").unwrap();
        ws.write_string(1, 2, "CIC-HEALTH").unwrap();
        ws.write_number_with_format(1, 3, 0.85, &Format::new().set_num_format("0%")).unwrap();
    });
    let path = db.file("minimal.xlsx", book.bytes());
    db.cmd().arg("import").arg(&path).assert().success();
    let v = kpi_value(&db, "CIC-HEALTH", "2023-11");
    assert_eq!(v["value"], 85.0);
    assert_eq!(v["note"], "typed as 85%");
}

/// An OLE compound file holding an `EncryptedPackage` stream: the shape of
/// a workbook Excel saved with a password (the contents do not matter to
/// the check).
fn encrypted_shape() -> Vec<u8> {
    let mut f = vec![0u8; 512 * 3];
    f[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let put = |f: &mut [u8], at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    f[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    f[26..28].copy_from_slice(&3u16.to_le_bytes());
    f[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    f[30..32].copy_from_slice(&9u16.to_le_bytes());
    f[32..34].copy_from_slice(&6u16.to_le_bytes());
    put(&mut f, 44, 1); // one FAT sector
    put(&mut f, 48, 1); // directory at sector 1
    put(&mut f, 56, 4096);
    put(&mut f, 60, 0xFFFF_FFFE);
    put(&mut f, 68, 0xFFFF_FFFE);
    put(&mut f, 76, 0); // the FAT is sector 0
    for at in (80..512).step_by(4) {
        put(&mut f, at, 0xFFFF_FFFF);
    }
    // Sector 0, the FAT: itself, then the directory's one-sector chain.
    put(&mut f, 512, 0xFFFF_FFFD);
    put(&mut f, 516, 0xFFFF_FFFE);
    for at in (520..1024).step_by(4) {
        put(&mut f, at, 0xFFFF_FFFF);
    }
    // Sector 1, the directory: the root and the encrypted stream.
    for (i, name) in ["Root Entry", "EncryptedPackage"].iter().enumerate() {
        let at = 1024 + i * 128;
        for (j, u) in name.encode_utf16().enumerate() {
            f[at + j * 2..at + j * 2 + 2].copy_from_slice(&u.to_le_bytes());
        }
        f[at + 64..at + 66].copy_from_slice(&((name.len() as u16 + 1) * 2).to_le_bytes());
        f[at + 66] = if i == 0 { 5 } else { 2 };
        put(&mut f, at + 116, 0xFFFF_FFFE);
    }
    f
}

#[test]
fn bad_workbooks_are_refused_in_one_sentence_and_nothing_is_written() {
    let db = TestDb::with_fixtures();
    let good = Minimal::new().bytes();
    let with_macros = {
        // The same entries and one more: the macro project Excel keeps in an .xlsm.
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(&good[..])).unwrap();
        for i in 0..src.len() {
            out.raw_copy_file(src.by_index_raw(i).unwrap()).unwrap();
        }
        out.start_file("xl/vbaProject.bin", zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(b"not really a VBA project").unwrap();
        out.finish().unwrap().into_inner()
    };
    let no_audits =
        Minimal { sheets: vec!["Read me", "Data", "Audit", "Findings", "Feedback", "Actions"], ..Minimal::new() };
    let renamed = Minimal { data_header: vec!["service", "indicator", "amount", "note"], ..Minimal::new() };
    let formula = Minimal {
        value: Box::new(|ws| {
            ws.write_formula(1, 2, "=90+1.5").unwrap();
        }),
        ..Minimal::new()
    };
    let as_text = Minimal {
        value: Box::new(|ws| {
            ws.write_string(1, 2, "85%").unwrap();
        }),
        ..Minimal::new()
    };
    let merged = Minimal {
        extra: Box::new(|ws| {
            ws.merge_range(2, 0, 4, 0, "corporate-parenting", &Format::new()).unwrap();
        }),
        ..Minimal::new()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not a zip", b"service,indicator,value\n".to_vec(), "is not an Excel workbook (.xlsx files are zip archives"),
        ("encrypted", encrypted_shape(), "is encrypted (saved with a password)"),
        ("old .xls or damaged OLE", b"\xD0\xCF\x11\xE0 not really".to_vec(), "is an old Excel 97–2003 (.xls) file"),
        ("macros", with_macros, "contains macros (a .xlsm workbook)"),
        ("missing sheet", no_audits.bytes(), "no sheet named \"Audits\" (is \"Audit\" it, renamed?)"),
        (
            "renamed header",
            renamed.bytes(),
            "Data!C1: unknown column \"amount\": is it \"value\", renamed? The Data sheet needs a \"value\" column",
        ),
        ("formula", formula.bytes(), "Data!C2: is a formula (=90+1.5): type the value itself"),
        ("number stored as text", as_text.bytes(), "Data!C2: \"85%\" is text: type 85"),
        ("merged cells", merged.bytes(), "Data!A3:A5: merged cells in a data sheet"),
    ];
    for (name, bytes, said) in cases {
        let before = db.snapshot();
        let path = db.file(&format!("{}.xlsx", name.replace(' ', "-")), bytes);
        let out = db.cmd().arg("import").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(said), "{name}: expected {said:?} in:\n{err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(".xlsx:")).collect();
        assert_eq!(lines.len(), 1, "{name}: one sentence about the file, got:\n{err}");
        assert!(lines[0].contains(&format!("error: {}: ", path.display())), "{name}: names the file: {err}");
        assert_eq!(db.snapshot(), before, "{name}: the database must be unchanged");
    }
}

/// Excel's last row in use: reading stops past the row limit, having
/// looked at no more than that, whatever the sheet's size.
#[test]
fn a_sheet_filled_to_excels_last_row_is_refused_without_reading_it_all() {
    let db = TestDb::with_fixtures();
    let good = Minimal::new().bytes();
    let fill = |xml: String| {
        let mut rows = String::with_capacity(48 * 1_048_576);
        for n in 3..=1_048_576u32 {
            rows.push_str(&format!("<row r=\"{n}\"><c r=\"D{n}\"><v>1</v></c></row>"));
        }
        xml.replace("</sheetData>", &format!("{rows}</sheetData>"))
    };
    let path = db.file("full.xlsx", rewrite(&good, &[(&sheet_file("Data"), &fill)]));
    let before = db.snapshot();
    db.cmd()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("Data: row 20002 is in use, past the 20000 rows a pack sheet may have"));
    assert_eq!(db.snapshot(), before);
}

#[test]
fn every_problem_in_a_workbook_is_reported_in_one_run_with_its_cell() {
    let db = TestDb::with_fixtures();
    let book = Minimal {
        extra: Box::new(|ws| {
            ws.write_string(2, 0, "corporate-parenting").unwrap();
            ws.write_string(2, 1, "CIC-HEALTHH").unwrap();
            ws.write_number(2, 2, 50.0).unwrap();
            ws.write_string(3, 0, "corporate-parentin").unwrap();
            ws.write_string(3, 1, "CIC-HEALTH").unwrap();
            ws.write_number(3, 2, 150.0).unwrap();
        }),
        actions: Box::new(|ws| {
            for (c, text) in ["9.2", "Check the audit tool", "Head of Service, Corporate Parenting"].iter().enumerate()
            {
                ws.write_string(1, c as u16, *text).unwrap();
            }
            ws.write_number(1, 4, 45382.0).unwrap();
            ws.write_string(1, 5, "opne").unwrap();
        }),
        ..Minimal::new()
    };
    let path = db.file("many.xlsx", book.bytes());
    let out = db.cmd().arg("validate").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let file = path.display().to_string();
    for said in [
        format!("{file}: Data!B3: unknown indicator \"CIC-HEALTHH\": did you mean \"CIC-HEALTH\"?"),
        format!("{file}: Data!A4: unknown service \"corporate-parentin\": did you mean \"corporate-parenting\"?"),
        format!("{file}: Data!C4: 150 is outside 0–100 for a percent"),
        format!("{file}: Actions!E2: 45382 is a number, not a date: type a date such as 31/03/2024"),
        format!("{file}: Actions!F2: \"opne\" is not an action status: did you mean \"open\"?"),
    ] {
        assert!(err.contains(&said), "expected {said:?} in:\n{err}");
    }
}

#[test]
fn a_values_csv_imports_for_the_period_given_and_names_line_and_column_when_wrong() {
    let db = TestDb::with_fixtures();
    let csv = db.file("values.csv", "service,indicator,value,note\ncorporate-parenting,CIC-HEALTH,93.5,from BI\n");
    db.cmd().arg("import").arg(&csv).assert().code(2).stderr(contains("add --period YYYY-MM"));
    db.cmd().args(["import", "--period", "2023-11"]).arg(&csv).assert().success();
    assert_eq!(kpi_value(&db, "CIC-HEALTH", "2023-11")["value"], 93.5);

    let before = db.snapshot();
    let bad = db.file(
        "bad.csv",
        "service,indicator,value,note\ncorporate-parenting,CIC-HEALTH,n/a,\n\ncorporate-parenting,CIC-HEALTH,85%,\n",
    );
    let out = db.cmd().args(["validate", "--period", "2023-12"]).arg(&bad).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("bad.csv: line 2, column 3 (value): \"n/a\" is text: type a number"), "{err}");
    assert!(err.contains("bad.csv: line 4, column 3 (value): \"85%\" is text: type 85"), "{err}");
    let renamed = db.file("renamed.csv", "service,indicator,Value\n");
    db.cmd()
        .args(["import", "--period", "2023-12"])
        .arg(&renamed)
        .assert()
        .code(2)
        .stderr(contains("renamed.csv: line 1, column 3: unknown column \"Value\": did you mean \"value\"?"));
    assert_eq!(db.snapshot(), before);
}

#[test]
fn pack_commands_and_period_refuse_bad_arguments_with_exit_2() {
    let db = TestDb::with_fixtures();
    let before = db.snapshot();
    let out = db.dir.path().join("t.xlsx");
    let refused: [(&[&str], &str); 6] = [
        (&["pack", "template", "--period", "2023-13", "-o"], "--period: "),
        (
            &["pack", "template", "--period", "2023-11", "--service", "corporate-parentin", "-o"],
            "unknown service 'corporate-parentin'",
        ),
        (
            &["pack", "export", "--period", "2023-10", "--format", "csv", "-o"],
            "--format: 'csv' is not one of xlsx, json",
        ),
        (&["import", "--period", "2023-11"], "--period is for values CSVs"),
        (
            &["pack", "template", "--period", "2023-11", "-o", "t.json"],
            "a template is an Excel workbook: name it FILE.xlsx",
        ),
        (&["import", "--period", "November"], "--period is for values CSVs"),
    ];
    for (args, said) in refused {
        let mut cmd = db.cmd();
        cmd.args(args);
        if args[0] == "pack" && !args.contains(&"t.json") {
            cmd.arg(&out);
        }
        if args[0] == "import" {
            cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/2023-10.json"));
        }
        cmd.assert().code(2).stderr(contains(said));
    }
    assert!(!out.exists(), "nothing written");
    assert_eq!(db.snapshot(), before);
}

/// The first row of `Read me`'s services table (1-based), found by its header.
fn services_row(path: &Path) -> u32 {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range("Read me").unwrap();
    let header = (0..range.height() as u32).find(|r| range.get_value((*r, 0)).is_some_and(|v| *v == "service"));
    header.unwrap() + 2
}

#[test]
fn a_council_can_start_from_an_empty_template_and_change_a_head_of_service_in_read_me() {
    let db = TestDb::new();
    let empty = template(&db, "2023-11");
    assert!(!db.path.exists(), "a template never creates the database");
    let first = services_row(&empty);
    let readme = |xml: String| {
        let row = [
            inline(&format!("A{first}"), "family-help"),
            inline(&format!("B{first}"), "Family Help"),
            inline(&format!("C{first}"), "Head of Family Help"),
        ]
        .concat();
        add_to_row(xml, first, &row)
    };
    let data = |xml: String| {
        let row = [
            inline("A2", "family-help"),
            inline("B2", "FH-REVIEWS"),
            inline("C2", "% of family help plans reviewed on time"),
            inline("D2", "percent"),
            inline("E2", "higher_is_better"),
            num("G2", 90.0),
            num("I2", 80.0),
        ]
        .concat();
        add_to_row(xml, 2, &row)
    };
    let bytes =
        rewrite(&std::fs::read(&empty).unwrap(), &[(&sheet_file("Read me"), &readme), (&sheet_file("Data"), &data)]);
    let start = db.file("start.xlsx", bytes);
    db.cmd().arg("import").arg(&start).assert().success().stdout(contains("added 1 indicator, 1 service, 1 value"));
    let v = kpi_value(&db, "FH-REVIEWS", "2023-11");
    assert_eq!((v["value"].as_f64(), v["target"].as_f64(), v["rag"].as_str()), (Some(80.0), Some(90.0), Some("red")));

    // A new Head of Service, typed into the next month's Read me.
    let next = template(&db, "2023-12");
    let row = services_row(&next);
    let head =
        |xml: String| set_cell(xml, &format!("C{row}"), "inlineStr", "<is><t>Acting Head of Family Help</t></is>");
    let changed = db.file("december.xlsx", rewrite(&std::fs::read(&next).unwrap(), &[(&sheet_file("Read me"), &head)]));
    db.cmd().arg("import").arg(&changed).assert().code(2).stderr(contains("service family-help: stored"));
    db.cmd().args(["import", "--replace"]).arg(&changed).assert().success();
    let services = db
        .cmd()
        .args(["pack", "export", "--period", "2023-12", "--format", "json", "--service", "family-help"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&services)["services"][0]["head"], "Acting Head of Family Help");
}
