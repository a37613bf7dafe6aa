//! Another process holding the write lock (a long import): commands wait
//! with a word on stderr and never print "database is locked"; the meeting
//! screen holds a save without freezing, says why, and makes it once the
//! lock is free. The lock is held from this test process with rusqlite's
//! `BEGIN IMMEDIATE`, exactly as an importing qprm holds it.

mod common;

use common::TestDb;
use common::pty::Pty;
use std::fs::File;
use std::path::Path;
use std::time::Duration;

/// Holds the database's write lock until dropped.
struct Writer(rusqlite::Connection);

impl Writer {
    fn hold(db: &Path) -> Writer {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        Writer(conn)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

/// What an importing qprm holds beside the database (store/import_mark.rs).
fn import_mark(db: &Path) -> File {
    let mark = File::create(format!("{}.import.lock", db.display())).unwrap();
    mark.lock().unwrap();
    mark
}

#[test]
fn a_command_waits_for_an_import_saying_so_then_succeeds() {
    let db = TestDb::with_meeting();
    let path = db.path.clone();
    let holder = std::thread::spawn(move || {
        let mark = import_mark(&path);
        let writer = Writer::hold(&path);
        std::thread::sleep(Duration::from_secs(3));
        drop(writer);
        drop(mark);
    });
    std::thread::sleep(Duration::from_millis(300));
    let out = db
        .cmd()
        .args(["action", "add", "Waited for the import", "--owner", "Director", "--due", "2023-12-01"])
        .output()
        .unwrap();
    holder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Waiting for the database (import running)…"), "{stderr}");
    assert!(!stderr.contains("locked"), "{stderr}");
    let shown = db.cmd().args(["actions", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Waited for the import"));
}

#[test]
fn a_command_waiting_on_another_writer_names_no_import() {
    let db = TestDb::with_meeting();
    let path = db.path.clone();
    let holder = std::thread::spawn(move || {
        let writer = Writer::hold(&path);
        std::thread::sleep(Duration::from_millis(1800));
        drop(writer);
    });
    std::thread::sleep(Duration::from_millis(300));
    let out = db.cmd().args(["decision", "add", "Agreed while waiting", "--meeting", "1"]).output().unwrap();
    holder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Waiting for the database (another qprm is writing to it)…"), "{stderr}");
}

#[test]
fn a_screen_holds_a_save_while_an_import_runs_and_keys_still_move() {
    let db = TestDb::with_meeting();
    let mut pty = on_open_actions(&db);

    let mark = import_mark(&db.path);
    let writer = Writer::hold(&db.path);
    pty.send("s");
    pty.wait_for("Waiting for the database (import running)");
    // Keys still work while the save is held: the agenda moves on.
    pty.send("]");
    pty.wait_for("2/7");
    assert!(!pty.screen().contains("locked"), "{}", pty.screen());
    drop(writer);
    drop(mark);
    pty.wait_for("✓ Saved");
    let screen = pty.screen();
    let reference = screen
        .split("✓ Saved ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .map(str::to_string)
        .expect("the saved action's ref on the status line");
    pty.send("q");
    pty.wait_for("Quit");
    pty.send("y");
    pty.wait_exit();

    let out = db.cmd().args(["action", "show", &reference, "--json"]).output().unwrap();
    assert_eq!(common::stdout_json(&out)["status"], "in_progress", "the held save landed");
}

#[test]
fn quitting_with_a_save_held_makes_it_once_the_lock_is_free() {
    let db = TestDb::with_meeting();
    let mut pty = on_open_actions(&db);
    let writer = Writer::hold(&db.path);
    pty.send("s");
    pty.wait_for("Waiting for the database (another qprm is writing to it)");
    pty.send("q");
    pty.wait_for("Quit");
    pty.send("y");
    // Released while the quitting screen waits for it.
    std::thread::sleep(Duration::from_millis(800));
    drop(writer);
    assert!(pty.wait_exit(), "a clean exit once the save is made");
    let out =
        db.cmd().args(["actions", "--service", "corporate-parenting", "--status", "all", "--json"]).output().unwrap();
    let moved = common::stdout_json(&out).as_array().unwrap().iter().filter(|a| a["status"] == "in_progress").count();
    assert_eq!(moved, 1, "the held status change was made on the way out");
}

/// A screen on the first service's Actions, every one of them open, so
/// `s` saves at once (no form).
fn on_open_actions(db: &TestDb) -> Pty {
    let out =
        db.cmd().args(["actions", "--service", "corporate-parenting", "--status", "all", "--json"]).output().unwrap();
    for a in common::stdout_json(&out).as_array().unwrap() {
        if a["status"] != "open" {
            let r = a["ref"].as_str().unwrap();
            db.cmd()
                .args(["action", "update", r, "--status", "open", "--note", "reopened for the test"])
                .assert()
                .success();
        }
    }
    let mut pty = Pty::spawn(db, &[], &[]);
    pty.wait_for("Agenda overview");
    pty.send("]");
    pty.wait_for("1/7 Corporate Parenting");
    pty.send("4");
    pty.wait_for("Actions");
    std::thread::sleep(Duration::from_millis(300));
    pty
}
