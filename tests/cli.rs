//! The binary as a user runs it: exit codes, human tables, stable JSON.

mod common;

use common::{TestDb, fixture_paths, stdout_json};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn help_version_and_usage_errors() {
    let db = TestDb::new();
    db.cmd().arg("--help").assert().success().stdout(contains("import")).stdout(contains("actions"));
    for sub in ["import", "actions", "kpi", "meeting", "action", "decisions"] {
        db.cmd().args([sub, "--help"]).assert().success();
    }
    db.cmd().arg("--version").assert().success().stdout(contains(env!("CARGO_PKG_VERSION")));
    db.cmd().arg("frobnicate").assert().code(2);
    db.cmd().args(["actions", "--status", "later"]).assert().code(2);
}

#[test]
fn import_reports_what_changed_and_is_idempotent() {
    let db = TestDb::new();
    db.cmd().arg("import").args(fixture_paths()).assert().success().stdout(contains(
        "2023-05.json (2023-05): added 39 actions, 7 audits, 7 feedback, 42 indicators, 7 services, 42 values",
    ));
    db.cmd()
        .arg("import")
        .args(fixture_paths())
        .assert()
        .success()
        .stdout(contains("added").not())
        .stdout(contains("unchanged"));
    db.cmd().arg("validate").args(fixture_paths()).assert().success().stdout(contains("ok  "));
}

#[test]
fn lookups_without_a_database_fail_clearly_and_create_nothing() {
    let db = TestDb::new();
    db.cmd().arg("actions").assert().code(2).stderr(contains("no database at"));
    db.cmd().arg("kpi").assert().code(2);
    assert!(!db.path.exists());
}

#[test]
fn kpi_table_and_json() {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["kpi", "--service", "corporate-parenting"])
        .assert()
        .success()
        .stdout(contains("CIC-HEALTH"))
        .stdout(contains("● GREEN").or(contains("▲ AMBER")).or(contains("■ RED")))
        .stdout(contains("\x1b").not());
    let out = db.cmd().args(["kpi", "--json", "--period", "2023-07"]).output().unwrap();
    assert!(out.status.success());
    let rows = stdout_json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 42);
    for key in ["code", "name", "service", "period", "value", "baseline", "target", "polarity", "rag", "direction"] {
        assert!(rows.iter().all(|r| r.get(key).is_some()), "every KPI row has {key}");
    }
    assert!(rows.iter().all(|r| r["period"] == "2023-07"));
    assert!(rows.iter().all(|r| ["green", "amber", "red", "none"].contains(&r["rag"].as_str().unwrap())));

    let out = db.cmd().args(["kpi", "CIC-HEALTH", "--json"]).output().unwrap();
    let s = stdout_json(&out);
    assert_eq!(s["code"], "CIC-HEALTH");
    assert_eq!(s["series"].as_array().unwrap().len(), 6);
    db.cmd().args(["kpi", "CIC-HEALTH"]).assert().success().stdout(contains("trend ")).stdout(contains("2023-10"));
    db.cmd().args(["kpi", "NOPE"]).assert().code(2).stderr(contains("no indicator with code 'NOPE'"));
    db.cmd().args(["kpi", "--period", "July"]).assert().code(2).stderr(contains("--period"));
}

#[test]
fn action_lifecycle_through_the_cli() {
    let db = TestDb::with_fixtures();
    let id = db
        .cmd()
        .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--chair", "Director"])
        .output()
        .unwrap();
    assert!(id.status.success());
    assert_eq!(String::from_utf8_lossy(&id.stdout).trim(), "1");

    let add = db
        .cmd()
        .args(["action", "add", "Book health assessments", "--owner", "Head of Service, Corporate Parenting"])
        .args(["--due", "+2w", "--service", "corporate-parenting", "--meeting", "2023-11-14"])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    assert_eq!(String::from_utf8_lossy(&add.stdout).trim(), "A1");

    db.cmd()
        .args(["action", "update", "A1", "--status", "in_progress", "--note", "provider booked"])
        .assert()
        .success();
    db.cmd()
        .args(["action", "update", "A1", "--status", "dropped"])
        .assert()
        .code(2)
        .stderr(contains("needs a reason"));
    db.cmd()
        .args(["action", "update", "A1", "--due", "31/02/2024"])
        .assert()
        .code(2)
        .stderr(contains("--due").and(contains("February 2024 has 29 days")));
    db.cmd().args(["action", "update", "NOPE", "--note", "x"]).assert().code(2).stderr(contains("no action with ref"));

    let show = stdout_json(&db.cmd().args(["action", "show", "a1", "--json"]).output().unwrap());
    assert_eq!(show["ref"], "A1");
    assert_eq!(show["due"], "2023-11-28", "+2w from the pinned today");
    assert_eq!(show["status"], "in_progress");
    assert_eq!(show["meeting"], 1);
    let history = show["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[1]["old"].as_str(), history[1]["new"].as_str()), (Some("open"), Some("in_progress")));
    assert_eq!(history[1]["note"], "provider booked");
    db.cmd().args(["action", "show", "A1"]).assert().success().stdout(contains("status: open → in progress"));

    let log = stdout_json(&db.cmd().args(["actions", "--owner", "CORPORATE parenting", "--json"]).output().unwrap());
    let log = log.as_array().unwrap();
    assert!(log.iter().any(|a| a["ref"] == "A1"));
    for key in ["ref", "text", "owner", "service", "due", "status", "overdue", "meeting", "created_at", "updated_at"] {
        assert!(log.iter().all(|a| a.get(key).is_some()), "every action has {key}");
    }
    assert!(log.iter().all(|a| a["status"] == "open" || a["status"] == "in_progress"), "default: open and overdue");
    let overdue = stdout_json(&db.cmd().args(["actions", "--status", "overdue", "--json"]).output().unwrap());
    assert!(overdue.as_array().unwrap().iter().all(|a| a["overdue"] == true));
    db.cmd()
        .args(["actions", "--status", "all"])
        .assert()
        .success()
        .stdout(contains("OVERDUE"))
        .stdout(contains("done"));
    db.cmd().args(["actions", "--service", "nope"]).assert().code(2).stderr(contains("unknown service"));
}

#[test]
fn decisions_and_meetings_through_the_cli() {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--attendee", "A", "--apology", "B"])
        .args(["--service", "early-help", "--service", "localities"])
        .assert()
        .success();
    db.cmd()
        .args(["meeting", "new", "--date", "2023-11-31", "--period", "2023-10"])
        .assert()
        .code(2)
        .stderr(contains("--date"));
    db.cmd()
        .args(["meeting", "new", "--date", "2023-12-12", "--period", "2023-11", "--service", "nope"])
        .assert()
        .code(2);
    let list = stdout_json(&db.cmd().args(["meeting", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["agenda"], serde_json::json!(["early-help", "localities"]));
    assert_eq!(list[0]["apologies"], serde_json::json!(["B"]));

    db.cmd()
        .args(["decision", "add", "Agree audit tool", "--meeting", "1", "--service", "early-help"])
        .assert()
        .success()
        .stdout("1\n");
    db.cmd()
        .args(["decision", "add", "Something", "--meeting", "9"])
        .assert()
        .code(2)
        .stderr(contains("no meeting with id 9"));
    let d = stdout_json(&db.cmd().args(["decisions", "--service", "early-help", "--json"]).output().unwrap());
    assert_eq!(d.as_array().unwrap().len(), 1);
    assert_eq!(d[0]["text"], "Agree audit tool");
    assert_eq!(d[0]["meeting_date"], "2023-11-14");
    let none = stdout_json(&db.cmd().args(["decisions", "--service", "localities", "--json"]).output().unwrap());
    assert_eq!(none, serde_json::json!([]));
    db.cmd().args(["decisions"]).assert().success().stdout(contains("Agree audit tool"));
}

#[test]
fn human_output_never_carries_escape_sequences_from_data() {
    let db = TestDb::with_fixtures();
    db.cmd().args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10"]).assert().success();
    let evil = "Fix \u{1b}]0;owned\u{7}title\u{1b}[2J now\r\nplease";
    db.cmd().args(["action", "add", evil, "--owner", "O\u{1b}[31mwner", "--due", "2024-01-01"]).assert().success();
    db.cmd().args(["decision", "add", evil, "--meeting", "1"]).assert().success();
    for args in [vec!["actions"], vec!["action", "show", "A1"], vec!["decisions"], vec!["actions", "--status", "all"]] {
        let out = db.cmd().args(&args).output().unwrap();
        let all = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{args:?}: {text:?}");
        assert!(text.contains("Fix title now please") || text.contains("Fix title"), "{args:?}: {text}");
    }
    // JSON keeps the data exactly (escaped by JSON itself), for scripts.
    let json = stdout_json(&db.cmd().args(["action", "show", "A1", "--json"]).output().unwrap());
    assert_eq!(json["text"], evil);
}

#[test]
fn demo_runs_without_touching_the_users_database() {
    let db = TestDb::new();
    db.cmd()
        .arg("demo")
        .assert()
        .success()
        .stdout(contains("Corporate Parenting"))
        .stdout(contains("reviewing 2023-10"))
        .stdout(contains("target 70%"));
    assert!(!db.path.exists(), "demo must not create the user's database");
}

#[test]
fn runtime_failures_exit_1() {
    let db = TestDb::new();
    // A file where a folder should be: the database cannot be created.
    let blocker = db.file("blocker", "x");
    db.cmd().arg("--db").arg(blocker.join("qprm.db")).arg("import").args(fixture_paths()).assert().code(1);
}

#[test]
fn decision_register_filters_by_period_range_and_text() {
    let db = TestDb::with_fixtures();
    db.cmd().args(["meeting", "new", "--date", "2023-10-10", "--period", "2023-09"]).assert().success();
    db.cmd().args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10"]).assert().success();
    db.cmd()
        .args(["decision", "add", "Adopt the supervision policy", "--meeting", "1", "--service", "quality-assurance"])
        .assert()
        .success();
    db.cmd()
        .args(["decision", "add", "Review supervision again", "--meeting", "2", "--service", "quality-assurance"])
        .assert()
        .success();
    db.cmd().args(["decision", "add", "Fund two posts", "--meeting", "2"]).assert().success();
    let texts = |args: &[&str]| -> Vec<String> {
        let v = stdout_json(&db.cmd().arg("decisions").args(args).arg("--json").output().unwrap());
        v.as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(texts(&["--from", "2023-10"]), ["Review supervision again", "Fund two posts"]);
    assert_eq!(texts(&["--to", "2023-09"]), ["Adopt the supervision policy"]);
    assert_eq!(texts(&["--text", "supervis"]), ["Review supervision again", "Adopt the supervision policy"]);
    assert_eq!(texts(&["--text", "supervision", "--from", "2023-10", "--to", "2023-10"]), ["Review supervision again"]);
    assert!(texts(&["--text", "nothing-like-this"]).is_empty());
    db.cmd().args(["decisions", "--from", "October"]).assert().code(2).stderr(contains("--from"));
}

/// Dates as UK councils write them, read day first; a date that cannot be
/// right is refused with the reason, exit 2, and changes nothing.
#[test]
fn dates_typed_the_uk_way() {
    let db = TestDb::with_meeting();
    let add = |due: &str| db.cmd().args(["action", "add", "X", "--owner", "Y", "--due", due]).output().unwrap();
    let out = add("31/03/2024");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reference = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let show = stdout_json(&db.cmd().args(["action", "show", &reference, "--json"]).output().unwrap());
    assert_eq!(show["due"], "2024-03-31");

    // With no year, the next one: "31 March" on 14 November is next March.
    for (typed, want) in [("31/3/24", "2024-03-31"), ("31 Mar 2024", "2024-03-31"), ("31 March", "2024-03-31")] {
        let out = add(typed);
        assert!(out.status.success(), "{typed}: {}", String::from_utf8_lossy(&out.stderr));
        let r = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let show = stdout_json(&db.cmd().args(["action", "show", &r, "--json"]).output().unwrap());
        assert_eq!(show["due"], want, "{typed}");
    }

    let before = db.snapshot();
    for (typed, says) in [
        ("31/02/2024", "'31/02/2024' is not a real date: February 2024 has 29 days"),
        ("03/31/2024", "has no month 31: dates are read day first"),
        ("31/03/1024", "dates from 1900 to 2999 only"),
        ("soon", "write 31/03/2024, 31/3/24, 31 Mar 2024, 31 March, 2024-03-31"),
    ] {
        db.cmd()
            .args(["action", "add", "X", "--owner", "Y", "--due", typed])
            .assert()
            .code(2)
            .stderr(contains("--due").and(contains(says)));
    }
    assert_eq!(db.snapshot(), before, "a refused date changes nothing");

    let due = stdout_json(&db.cmd().args(["actions", "--due-before", "1/4/24", "--json"]).output().unwrap());
    assert!(due.as_array().unwrap().iter().any(|a| a["ref"] == reference.as_str()));
    let due = stdout_json(&db.cmd().args(["actions", "--due-before", "31 Mar 2024", "--json"]).output().unwrap());
    assert!(due.as_array().unwrap().iter().all(|a| a["ref"] != reference.as_str()), "before, not on");
    db.cmd().args(["decisions", "--meeting", "14/11/2023"]).assert().success();
    db.cmd().args(["decisions", "--meeting", "14 Nov"]).assert().code(2).stderr(contains("needs its year"));
    db.cmd().args(["meeting", "new", "--date", "12 Dec 2023", "--period", "2023-11"]).assert().success();
    let meetings = stdout_json(&db.cmd().args(["meeting", "list", "--json"]).output().unwrap());
    assert_eq!(meetings[0]["date"], "2023-12-12");
}

#[test]
fn meeting_update_records_attendance_as_it_was() {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--chair", "Director"])
        .args(["--attendee", "Ann Smith", "--apology", "Bob Jones"])
        .assert()
        .success();
    db.cmd()
        .args(["meeting", "update", "14/11/2023", "--attendee", "bob jones", "--attendee", "Dev Patel"])
        .args(["--apology", "Ann Smith", "--chair", "Deputy Director"])
        .assert()
        .success()
        .stdout(contains("Bob Jones: apologies → present"))
        .stdout(contains("Dev Patel: added as present"))
        .stdout(contains("Ann Smith: present → apologies"))
        .stdout(contains("chair: Director → Deputy Director"));
    let list = stdout_json(&db.cmd().args(["meeting", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["attendees"], serde_json::json!(["Bob Jones", "Dev Patel"]));
    assert_eq!(list[0]["apologies"], serde_json::json!(["Ann Smith"]));
    assert_eq!(list[0]["chair"], "Deputy Director");

    // A name to remove that is not recorded: exit 2, naming who is, and nothing changes.
    let before = db.snapshot();
    db.cmd()
        .args(["meeting", "update", "1", "--attendee", "Eve", "--remove", "Zed"])
        .assert()
        .code(2)
        .stderr(contains("Zed is not recorded at the meeting of 2023-11-14"))
        .stderr(contains("present: Bob Jones; Dev Patel · apologies: Ann Smith"));
    db.cmd()
        .args(["meeting", "update", "1", "--attendee", "dev patel"])
        .assert()
        .code(2)
        .stderr(contains("nothing to change at the meeting of 2023-11-14: Dev Patel (already present)"));
    db.cmd().args(["meeting", "update", "1"]).assert().code(2).stderr(contains("nothing to change"));
    db.cmd().args(["meeting", "update", "2023-12-12", "--attendee", "Eve"]).assert().code(2);
    assert_eq!(db.snapshot(), before, "refused updates change nothing");

    db.cmd().args(["meeting", "update", "1", "--remove", "ann smith"]).assert().success();
    let list = stdout_json(&db.cmd().args(["meeting", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["apologies"], serde_json::json!([]));
    db.cmd().args(["minutes", "1"]).assert().success().stdout(contains("- **Present:** Bob Jones; Dev Patel"));
}

#[test]
fn approved_minutes_lock_the_meeting_until_reopened() {
    let db = TestDb::with_meeting();
    db.cmd()
        .args(["action", "add", "Audit supervision", "--owner", "Head of Service, Early Help", "--due", "+2w"])
        .args(["--meeting", "1"])
        .assert()
        .success()
        .stdout("A1\n");
    let list = stdout_json(&db.cmd().args(["meeting", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["approved_at"], serde_json::Value::Null);
    db.cmd().args(["meeting", "reopen", "1", "--note", "why"]).assert().code(2).stderr(contains("not approved"));

    db.cmd().args(["meeting", "approve", "2023-11-14"]).assert().success().stdout(contains("approved the minutes"));
    let list = stdout_json(&db.cmd().args(["meeting", "list", "--json"]).output().unwrap());
    let approved_at = list[0]["approved_at"].as_str().expect("approved_at set").to_string();
    assert_eq!(list[0]["approved_by"], "cli");
    let on = &approved_at[..10];
    db.cmd().args(["meeting", "list"]).assert().success().stdout(contains(format!("approved {on}")));

    let before = db.snapshot();
    db.cmd()
        .args(["meeting", "approve", "1"])
        .assert()
        .code(2)
        .stderr(contains(format!("the minutes of the meeting of 2023-11-14 were already approved on {on} (by cli)")));
    let refused = [
        vec!["action", "add", "More", "--owner", "Someone", "--due", "+2w", "--meeting", "1"],
        vec!["action", "update", "A1", "--status", "done", "--meeting", "2023-11-14"],
        vec!["decision", "add", "Agree the audit tool", "--meeting", "1"],
        vec!["meeting", "update", "1", "--attendee", "Late Arrival"],
    ];
    for args in &refused {
        db.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(format!("the minutes of the meeting of 2023-11-14 were approved on {on}")))
            .stderr(contains("qprm meeting reopen 2023-11-14 --note"));
    }
    assert_eq!(db.snapshot(), before, "every refused write changes nothing");

    // Between meetings the action itself still moves on.
    db.cmd().args(["action", "update", "A1", "--note", "awaiting data"]).assert().success();

    db.cmd()
        .args(["meeting", "reopen", "1", "--note", "decision 2 misquoted"])
        .assert()
        .success()
        .stdout(contains("decision 2 misquoted"));
    db.cmd().args(["decision", "add", "Agree the audit tool", "--meeting", "1"]).assert().success();
    db.cmd()
        .args(["minutes", "1"])
        .assert()
        .success()
        .stdout(contains(": decision 2 misquoted; not yet approved again"));
    let json = stdout_json(&db.cmd().args(["minutes", "1", "--format", "json"]).output().unwrap());
    assert_eq!(json["approval_history"][1]["new"], "reopened");
    assert_eq!(json["approval_history"][1]["note"], "decision 2 misquoted");
}

const LONG_ACTION: &str = "Write to every foster carer about the new allowance rates, explain the backdated \
    payments, and invite them to the drop-in sessions at each hub before the end of the year";

/// The words of the column under `header` (from where the header starts
/// in the first line to where the next one starts), read down the lines of
/// the table: the cells' text, however it was wrapped. Columns are counted
/// in characters, so a `—` or `●` before the column moves nothing.
fn column_words(table: &str, header: &str) -> String {
    let first: Vec<char> = table.lines().next().expect("a header line").chars().collect();
    let text: String = first.iter().collect();
    let start = text[..text.find(header).expect("header")].chars().count();
    let after = start + header.chars().count();
    let end = (after..first.len()).find(|&i| first[i] != ' ' && first[i - 1] == ' ').unwrap_or(usize::MAX);
    let mut words = Vec::new();
    for line in table.lines().skip(1) {
        let cell: String = line.chars().skip(start).take(end.saturating_sub(start)).collect();
        words.extend(cell.split_whitespace().map(str::to_string));
    }
    words.join(" ")
}

#[test]
fn tables_fit_a_terminal_width_and_piped_rows_stay_whole() {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["action", "add", LONG_ACTION, "--owner", "Zed Quinn, Fostering Recruitment Team Manager"])
        .args(["--due", "2024-01-31", "--service", "corporate-parenting"])
        .assert()
        .success();

    // Piped: one line a row, every cell whole.
    let out = db.cmd().args(["actions", "--owner", "zed quinn"]).output().unwrap();
    let piped = String::from_utf8(out.stdout).unwrap();
    assert_eq!(piped.lines().count(), 3, "{piped}");
    assert!(piped.lines().nth(1).unwrap().ends_with(LONG_ACTION), "{piped}");

    // Laid out for a terminal: within the width, the text wrapped but whole.
    for width in [60, 80, 100, 120] {
        let out = db
            .cmd()
            .args(["actions", "--owner", "zed quinn"])
            .env("QPRM_TABLE_WIDTH", width.to_string())
            .output()
            .unwrap();
        let fitted = String::from_utf8(out.stdout).unwrap();
        for line in fitted.lines() {
            assert!(qprm::text::width(line) <= width, "{width}: {line:?} is too wide:\n{fitted}");
        }
        if width >= 80 {
            let table: String = fitted.lines().filter(|l| !l.contains("action(s)")).collect::<Vec<_>>().join("\n");
            assert_eq!(column_words(&table, "action"), LONG_ACTION, "{width}:\n{fitted}");
            assert!(fitted.lines().count() > 3, "{width}: the text wraps:\n{fitted}");
        } else {
            // Too narrow for six columns: a record, the text under its label.
            assert!(fitted.contains("\nowner    Zed Quinn, Fostering Recruitment Team Manager\n"), "{fitted}");
        }
        assert!(!fitted.contains('…'), "{width}: nothing is cut:\n{fitted}");
    }

    // The indicator table at 100 columns: every name whole across its lines.
    let out =
        db.cmd().args(["kpi", "--service", "corporate-parenting"]).env("QPRM_TABLE_WIDTH", "100").output().unwrap();
    let kpi = String::from_utf8(out.stdout).unwrap();
    assert!(kpi.lines().all(|l| qprm::text::width(l) <= 100), "{kpi}");
    assert!(!kpi.lines().next().unwrap().contains("service"), "the service asked for is not repeated:\n{kpi}");
    let json = db.cmd().args(["kpi", "--service", "corporate-parenting", "--json"]).output().unwrap();
    let names = column_words(&kpi, "indicator");
    for row in common::stdout_json(&json).as_array().unwrap() {
        let name = row["name"].as_str().unwrap();
        assert!(names.contains(name), "{name:?} is not whole in:\n{kpi}");
    }
}

/// Issue 12, item 7: a new owner close to a known one is recorded as typed,
/// with one line on stderr naming the nearest known owner; exit 0.
#[test]
fn a_new_owner_close_to_a_known_one_is_recorded_with_a_warning() {
    let db = TestDb::with_meeting();
    let add = db
        .cmd()
        .args(["action", "add", "Book health assessments", "--owner", "Corprate Parenting", "--due", "+2w"])
        .output()
        .unwrap();
    assert_eq!(add.status.code(), Some(0), "{}", String::from_utf8_lossy(&add.stderr));
    let reference = String::from_utf8_lossy(&add.stdout).trim().to_string();
    let stderr = String::from_utf8_lossy(&add.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        [format!(
            "warning: no owner \"Corprate Parenting\" yet; did you mean \"Head of Service, Corporate Parenting\"? \
             Recorded as typed; to change it: qprm action update {reference} --owner \"Head of Service, Corporate Parenting\""
        )]
    );
    let shown = stdout_json(&db.cmd().args(["action", "show", &reference, "--json"]).output().unwrap());
    assert_eq!(shown["owner"], "Corprate Parenting", "recorded as typed");

    // Now known: the same name again, in any case, is not questioned.
    db.cmd()
        .args(["action", "add", "Another", "--owner", "corprate  parenting", "--due", "+2w"])
        .assert()
        .success()
        .stderr(contains("warning").not());
    // A known owner, or one far from any, is not questioned either.
    db.cmd()
        .args(["action", "add", "Third", "--owner", "head of service, corporate parenting", "--due", "+2w"])
        .assert()
        .success()
        .stderr(contains("warning").not());
    db.cmd()
        .args(["action", "add", "Fourth", "--owner", "Dev Patel", "--due", "+2w"])
        .assert()
        .success()
        .stderr(contains("warning").not());

    // `action update --owner` warns the same way, and the change is made.
    db.cmd()
        .args(["action", "update", &reference, "--owner", "Head of Servce, Corporate Parenting"])
        .assert()
        .code(0)
        .stderr(contains(
            "warning: no owner \"Head of Servce, Corporate Parenting\" yet; did you mean \"Head of Service, Corporate Parenting\"?",
        ));
    let shown = stdout_json(&db.cmd().args(["action", "show", &reference, "--json"]).output().unwrap());
    assert_eq!(shown["owner"], "Head of Servce, Corporate Parenting");
    db.cmd()
        .args(["action", "update", &reference, "--owner", "Head of Service, Corporate Parenting"])
        .assert()
        .success()
        .stderr(contains("warning").not());
}

/// Owners the same apart from case or spacing are one owner: a lookup by
/// the plain name finds actions recorded with odd case and spacing.
#[test]
fn owner_lookup_ignores_case_and_spacing() {
    let db = TestDb::with_meeting();
    let add = db
        .cmd()
        .args([
            "action",
            "add",
            "Refresh the sufficiency strategy",
            "--owner",
            " corporate  PARENTING ",
            "--due",
            "+2w",
        ])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let reference = String::from_utf8_lossy(&add.stdout).trim().to_string();
    let mine = stdout_json(&db.cmd().args(["actions", "--owner", "corporate parenting", "--json"]).output().unwrap());
    let refs: Vec<&str> = mine.as_array().unwrap().iter().map(|a| a["ref"].as_str().unwrap()).collect();
    assert!(refs.contains(&reference.as_str()), "{refs:?}");
    let a = mine.as_array().unwrap().iter().find(|a| a["ref"] == reference.as_str()).unwrap();
    assert_eq!(a["owner"], "corporate PARENTING", "as typed, spacing tidied");
    // A second spelling joins the first owner rather than making another.
    let again = db
        .cmd()
        .args(["action", "add", "Second", "--owner", "Corporate Parenting", "--json", "--due", "+2w"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&again)["owner"], "corporate PARENTING");
}

/// Data that tries to take over a terminal: set its title, write the
/// clipboard (OSC 52), a C1 CSI, bidi and line-separator tricks.
const HOSTILE: &str =
    "Pay \u{1b}]0;pwned\u{7}invoices\u{1b}]52;c;ZWNobyBoaQ==\u{7} now\u{9b}2J\u{85}\u{202e}gnp.exe\u{61c}\u{2028}end";

fn with_hostile_action() -> TestDb {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["action", "add", HOSTILE, "--owner", "Head of Service, Early Help", "--due", "2024-01-31"])
        .assert()
        .success();
    db
}

/// Runs `qprm ARGS` in a pseudo-terminal and returns every byte it wrote.
fn on_a_terminal(db: &TestDb, args: &[&str]) -> (bool, Vec<u8>) {
    let mut pty = common::pty::Pty::spawn(db, args, &[]);
    let ok = pty.wait_exit();
    // The reader thread may still be draining the last bytes.
    std::thread::sleep(std::time::Duration::from_millis(200));
    (ok, pty.raw())
}

fn assert_nothing_hidden(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let hidden: Vec<char> =
        text.chars().filter(|c| qprm::domain::sanitize::is_hidden_control(*c) && !matches!(c, '\n' | '\r')).collect();
    assert!(hidden.is_empty(), "{hidden:?} reached the terminal: {text:?}");
}

#[test]
fn export_to_a_terminal_is_sanitised_and_xlsx_is_refused_there() {
    // Before: `export actions` wrote the CSV's cells raw to the terminal
    // (its title set, the clipboard written).
    let db = with_hostile_action();
    let (ok, bytes) = on_a_terminal(&db, &["export", "actions"]);
    assert!(ok);
    assert_nothing_hidden(&bytes);
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("Pay invoices now"), "the words are kept: {text}");
    for format in ["csv", "json"] {
        let (ok, bytes) = on_a_terminal(&db, &["export", "actions", "--format", format]);
        assert!(ok, "{format}");
        assert_nothing_hidden(&bytes);
    }
    let (ok, bytes) = on_a_terminal(&db, &["export", "actions", "--format", "xlsx"]);
    assert!(!ok, "XLSX is binary: refused on a terminal");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("use -o FILE"), "{text}");
    assert!(!text.contains("PK\u{3}\u{4}"), "no zip bytes: {text:?}");
    // Redirected, the CSV keeps the text exactly for the spreadsheet.
    let out = db.cmd().args(["export", "actions"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(HOSTILE.trim_start_matches("Pay ")));
}

#[test]
fn json_output_escapes_hidden_controls_even_when_piped() {
    // Before: C1 controls, U+202E and U+2028 went out raw (serde_json
    // escapes only C0).
    let db = with_hostile_action();
    db.cmd()
        .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--chair", HOSTILE])
        .assert()
        .success();
    let commands: [&[&str]; 6] = [
        &["actions", "--json"],
        &["action", "show", "A1", "--json"],
        &["export", "actions", "--format", "json"],
        &["meeting", "list", "--json"],
        &["minutes", "1", "--format", "json"],
        &["search", "invoices", "--json"],
    ];
    for args in commands {
        let out = db.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_nothing_hidden(&out.stdout);
        let text = String::from_utf8_lossy(&out.stdout);
        for escape in ["\\u0085", "\\u202e", "\\u061c", "\\u2028", "\\u009b"] {
            assert!(text.contains(escape), "{args:?}: {escape} missing in {text}");
        }
        // And the value read back is exactly what was recorded.
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(value.to_string().contains("\\u202e") || value.to_string().contains('\u{202e}'), "{args:?}");
    }
    let value = stdout_json(&db.cmd().args(["action", "show", "A1", "--json"]).output().unwrap());
    assert_eq!(value["text"], HOSTILE);
}

#[test]
fn packs_are_read_with_a_hard_cap_and_never_from_a_pipe_or_device() {
    // Before: /dev/zero was read until memory ran out (the cap trusted the
    // stated length, 0) and a FIFO blocked the command for ever.
    let db = TestDb::with_fixtures();
    let before = db.snapshot();
    let started = std::time::Instant::now();
    db.cmd()
        .args(["validate", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(contains("/dev/zero: is not a regular file"));
    let fifo = db.dir.path().join("pack.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for verb in ["validate", "import"] {
        db.cmd()
            .arg(verb)
            .arg(&fifo)
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(contains("is not a regular file (a pipe, socket or device)"));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(db.snapshot(), before, "nothing changed");
}

#[test]
fn a_foreign_or_altered_sqlite_file_gets_one_sentence() {
    let db = TestDb::new();
    {
        // Another program's database: user_version 0, many tables.
        let c = rusqlite::Connection::open(&db.path).unwrap();
        for i in 0..60 {
            c.execute_batch(&format!(
                "CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT, body TEXT); CREATE INDEX i{i} ON t{i}(name);"
            ))
            .unwrap();
        }
    }
    let before = db.snapshot();
    for args in [&["actions"][..], &["check"], &["import"]] {
        let mut cmd = db.cmd();
        cmd.args(args);
        if args == ["import"] {
            cmd.args(fixture_paths());
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: one sentence: {err}");
        assert!(err.contains("is an SQLite database but not a qprm one"), "{err}");
    }
    assert_eq!(db.snapshot(), before);
    // One of ours whose schema version another program reset to 0 (before:
    // "migration to schema version 1 failed: table services already exists").
    let ours = TestDb::with_fixtures();
    rusqlite::Connection::open(&ours.path).unwrap().execute_batch("PRAGMA user_version = 0").unwrap();
    let out = ours.cmd().arg("actions").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("has no schema version and already holds tables"), "{err}");
}

#[test]
fn check_reads_an_older_schema_as_it_is() {
    // Before: `check` (which opens read-only) refused an older schema and
    // said to open it with a command that records something.
    let db = TestDb::with_fixtures();
    common::undo_v6(&rusqlite::Connection::open(&db.path).unwrap());
    let before = db.snapshot();
    db.cmd()
        .arg("check")
        .assert()
        .success()
        .stdout(contains("passed SQLite's integrity and foreign-key checks"))
        .stdout(contains("schema version 5"))
        .stdout(contains("qprm meeting list"));
    assert_eq!(db.snapshot(), before, "check never upgrades");
}
