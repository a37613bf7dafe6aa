//! End to end: the real binary in a pseudo-terminal, read through a VT100
//! emulator, driven by keys as a minute-taker would.

mod common;

use common::pty::Pty;
use common::{TestDb, stdout_json};

fn meeting_db() -> TestDb {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--chair", "Director"])
        .assert()
        .success();
    db
}

#[test]
fn step_to_the_third_service_record_an_action_quit_and_find_it() {
    let db = meeting_db();
    let mut pty = Pty::spawn(&db, &[], &[]);
    pty.wait_for("Agenda overview");
    for _ in 0..3 {
        pty.send("]");
    }
    pty.wait_for("3/7 Academy, Quality Assurance");
    pty.send("a");
    pty.wait_for("New action");
    pty.type_text("Refresh the audit tool with practice leads");
    pty.send("\t");
    pty.type_text("Principal Social Worker");
    pty.send("\t");
    pty.type_text("+2w");
    pty.wait_for("Due → Tue 28 Nov 2023");
    pty.send("\r");
    // A new owner inside a known role is asked about once; Enter keeps it.
    pty.wait_for("New owner 'Principal Social Worker': Enter keeps it");
    pty.send("\r");
    pty.wait_for("Saved action A1");
    pty.send("q");
    pty.wait_for("Quit the meeting?");
    pty.send("y");
    assert!(pty.wait_exit(), "clean exit");
    assert!(!pty.alternate_screen(), "terminal restored");

    let out = db.cmd().args(["actions", "--json"]).output().unwrap();
    let actions = stdout_json(&out);
    let a1 = actions.as_array().unwrap().iter().find(|a| a["ref"] == "A1").expect("A1 in the action log");
    assert_eq!(a1["text"], "Refresh the audit tool with practice leads");
    assert_eq!(a1["owner"], "Principal Social Worker");
    assert_eq!(a1["service"], "quality-assurance");
    assert_eq!(a1["due"], "2023-11-28");
    assert_eq!(a1["meeting"], 1);
}

#[test]
fn read_only_no_colour_screen_explains_and_changes_nothing() {
    let db = meeting_db();
    let before = db.snapshot();
    let mut pty = Pty::spawn(&db, &["--read-only"], &[("NO_COLOR", "1")]);
    pty.wait_for("READ-ONLY");
    pty.send("]");
    pty.wait_for("1/7 Corporate Parenting");
    assert!(pty.screen().contains("■ RED"), "RAG as symbol and word without colour");
    pty.send("a");
    pty.wait_for("Read-only: this screen cannot change the record");
    pty.send("q");
    pty.wait_for("Quit the meeting?");
    pty.send("y");
    assert!(pty.wait_exit());
    assert_eq!(db.snapshot(), before, "a read-only session writes nothing");
}

#[test]
fn a_flood_of_queued_keys_never_delays_a_save() {
    let db = meeting_db();
    let mut pty = Pty::spawn(&db, &[], &[]);
    pty.wait_for("Agenda overview");
    pty.send("]");
    pty.send("4");
    // Thousands of key-repeats queued at once, then a form and a save.
    pty.type_text(&"jk".repeat(2_000));
    pty.send("a");
    pty.type_text("Saved after a key flood");
    pty.send("\t");
    pty.type_text("Principal Social Worker");
    pty.send("\t");
    pty.type_text("+1w");
    pty.send("\r");
    pty.wait_for("New owner 'Principal Social Worker'");
    pty.send("\r");
    pty.wait_for("Saved action A1");
    pty.send("q");
    pty.send("y");
    assert!(pty.wait_exit());
}

#[test]
fn actions_on_an_80_column_terminal_fit_it_and_cut_nothing() {
    let db = meeting_db();
    let text = "Write to every foster carer about the new allowance rates, explain the backdated payments, \
                and invite them to the drop-in sessions at each hub before the end of the year";
    db.cmd()
        .args(["action", "add", text, "--owner", "Zed Quinn, Fostering Recruitment Team Manager"])
        .args(["--due", "2024-01-31", "--service", "corporate-parenting"])
        .assert()
        .success();
    // Empty COLUMNS and QPRM_TABLE_WIDTH are ignored: the width comes from
    // the terminal itself.
    let mut pty = Pty::spawn(&db, &["actions", "--owner", "zed quinn"], &[("COLUMNS", ""), ("QPRM_TABLE_WIDTH", "")]);
    pty.wait_for("1 action(s)");
    assert!(pty.wait_exit(), "clean exit");
    let screen = pty.screen();
    assert_eq!(pty.folded_rows(), Vec::<u16>::new(), "a line was wider than 80:\n{screen}");
    let lines: Vec<&str> = screen.lines().take_while(|l| !l.contains("action(s)")).collect();
    let start = lines[0].find("action").expect("the action column");
    let words: Vec<&str> =
        lines[1..].iter().filter_map(|l| l.get(start..)).flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(words.join(" "), text, "{screen}");
    assert!(lines.len() > 2, "the text wraps:\n{screen}");
}

/// Plain glyphs on consoles that lack the symbols: chosen by `--ascii`, by
/// `QPRM_ASCII=1` and on the Linux console; `QPRM_ASCII=0` turns it off.
#[test]
fn plain_glyphs_on_the_linux_console_by_flag_or_variable() {
    let db = meeting_db();
    type Env<'a> = &'a [(&'a str, &'a str)];
    let cases: [(&[&str], Env, bool); 4] = [
        (&["--ascii"], &[], true),
        (&[], &[("QPRM_ASCII", "1")], true),
        (&[], &[("TERM", "linux")], true),
        (&[], &[("TERM", "linux"), ("QPRM_ASCII", "0")], false),
    ];
    for (args, env, plain) in cases {
        let mut pty = Pty::spawn(&db, args, env);
        pty.wait_for("Agenda overview");
        pty.send("]");
        pty.wait_for("1/7 Corporate Parenting");
        pty.wait_for("RED");
        let screen = pty.screen();
        let ascii = screen.is_ascii();
        assert_eq!(ascii, plain, "{args:?} {env:?}:\n{screen}");
        pty.send("q");
        pty.wait_for("Quit the meeting?");
        pty.send("y");
        assert!(pty.wait_exit());
    }
}
