//! Say only what is true after an I/O error. A shim loaded with LD_PRELOAD
//! makes the next fsync fail (as a failing disk does) once a trigger file
//! appears; the real binary saves a decision on the meeting screen, the
//! screen's words are read, the screen is killed, and a fresh process reads
//! the database: what the screen said must be what the file holds. Before
//! this was settled, SQLite's log kept the failed commit's frames and the
//! next open's recovery brought the "Not saved" decision back.
//! Needs a C compiler (`cc`); without one it prints SKIPPED.

mod common;

use common::TestDb;
use common::pty::Pty;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn build_shim(dir: &Path) -> Option<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shims/fail_fsync.c");
    let out = dir.join("fail_fsync.so");
    let built =
        std::process::Command::new("cc").args(["-shared", "-fPIC", "-o"]).arg(&out).arg(&src).arg("-ldl").status();
    match built {
        Ok(s) if s.success() => Some(out),
        _ => None,
    }
}

fn decision_texts(db: &TestDb) -> Vec<String> {
    let out = db.cmd().args(["decisions", "--meeting", "1", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    common::stdout_json(&out).as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap().to_string()).collect()
}

#[test]
fn after_a_failed_fsync_the_screen_says_what_the_file_then_holds() {
    let db = TestDb::with_meeting();
    let Some(shim) = build_shim(db.dir.path()) else {
        println!("SKIPPED: no C compiler (cc) to build the fsync-failure shim");
        return;
    };
    let trigger = db.dir.path().join("fail-next-fsync");
    let (shim_s, trigger_s) = (shim.display().to_string(), trigger.display().to_string());
    let mut screen =
        Pty::spawn(&db, &[], &[("LD_PRELOAD", shim_s.as_str()), ("QPRM_FAIL_FSYNC_IF", trigger_s.as_str())]);
    screen.wait_for("CHAIR");
    screen.send("]");
    screen.send("d");
    screen.type_text("Agreed while the disk failed");
    screen.wait_for("Agreed while the disk failed");
    std::thread::sleep(Duration::from_millis(700)); // the draft's own write lands first
    std::fs::write(&trigger, b"").unwrap();
    screen.send("\r");
    let deadline = Instant::now() + Duration::from_secs(20);
    let said_saved = loop {
        let shown = screen.screen();
        if shown.contains("Not saved") {
            break false;
        }
        if shown.contains("✓ Saved") {
            break true;
        }
        assert!(Instant::now() < deadline, "no word after the save:\n{shown}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!trigger.exists(), "the shim failed an fsync");
    let words = screen.screen();
    // Killed at once: the next open recovers whatever the log holds.
    screen.kill9();
    let there = decision_texts(&db).iter().any(|t| t == "Agreed while the disk failed");
    assert_eq!(
        there,
        said_saved,
        "the screen said {:?}, the file holds it: {there}\n{words}",
        if said_saved { "Saved" } else { "Not saved" }
    );
    if !said_saved {
        assert!(words.contains("read back to check"), "{words}");
    }
}

#[test]
fn a_command_whose_fsync_fails_says_what_the_file_then_holds() {
    let db = TestDb::with_meeting();
    let Some(shim) = build_shim(db.dir.path()) else {
        println!("SKIPPED: no C compiler (cc) to build the fsync-failure shim");
        return;
    };
    let trigger = db.dir.path().join("fail-next-fsync");
    // A screen's connection keeps the log open, as in a meeting.
    let keeper = rusqlite::Connection::open(&db.path).unwrap();
    keeper.query_row("SELECT count(*) FROM decisions", [], |r| r.get::<_, i64>(0)).unwrap();
    db.cmd().args(["decision", "add", "Before", "--meeting", "1"]).assert().success();
    std::fs::write(&trigger, b"").unwrap();
    let out = db
        .cmd()
        .env("LD_PRELOAD", &shim)
        .env("QPRM_FAIL_FSYNC_IF", &trigger)
        .args(["decision", "add", "Agreed while the disk failed", "--meeting", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(!trigger.exists(), "the shim failed an fsync");
    drop(keeper);
    let there = decision_texts(&db).iter().any(|t| t == "Agreed while the disk failed");
    assert!(!there, "{stderr}");
    assert!(stderr.contains("not in the database (read back to check)"), "{stderr}");
}
