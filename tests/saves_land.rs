//! "Saved" means saved: what a meeting screen reports as saved is in the
//! file, visible to every other process at once and there after kill -9,
//! however many other qprm processes (lookups, screens, backups) came and
//! went meanwhile. These tests run the real binary the way a meeting does.

mod common;

use common::pty::Pty;
use common::{TestDb, stdout_json};
use std::time::{Duration, Instant};

/// Runs `qprm ARGS --json` in a fresh process until `check` accepts its
/// output, for up to a second: a save must reach other processes at once.
fn seen_by_a_fresh_process(db: &TestDb, args: &[&str], what: &str, check: impl Fn(&serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let out = db.cmd().args(args).output().unwrap();
        if out.status.success() && check(&stdout_json(&out)) {
            return;
        }
        if Instant::now() > deadline {
            panic!(
                "{what}: not visible to another process within a second\nstdout: {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Other qprm processes come and go: a lookup, and a second screen that
/// opens (as the minute-taker's) and quits.
fn others_come_and_go(db: &TestDb) {
    db.cmd().args(["action", "show", "1.5"]).assert().success();
    db.cmd().args(["actions", "--json"]).assert().success();
    let mut second = Pty::spawn(db, &[], &[]);
    second.wait_for("MINUTES");
    second.send("q");
    second.send("y");
    assert!(second.wait_exit(), "the second screen quits cleanly");
}

fn status_of(db: &TestDb, reference: &str) -> String {
    let out = db.cmd().args(["action", "show", reference, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout_json(&out)["status"].as_str().unwrap_or_default().to_string()
}

/// The reference in a status line such as "✓ Saved 1.5: done · due …".
fn saved_reference(screen: &str) -> String {
    let at = screen.find("✓ Saved ").expect("a saved message") + "✓ Saved ".len();
    screen[at..].split(':').next().unwrap_or_default().trim().to_string()
}

fn every_save_lands(with_follower: bool) {
    let db = TestDb::with_meeting();
    // The defaults: automatic backups on.
    let mut chair = Pty::spawn(&db, &[], &[]);
    chair.wait_for("CHAIR");
    chair.wait_for("Backup taken");
    let follower = with_follower.then(|| {
        let f = Pty::spawn(&db, &["--follow"], &[]);
        f.wait_for("Agenda overview");
        f
    });
    others_come_and_go(&db);

    // A new action.
    chair.send("]");
    chair.wait_for("1/7 Corporate Parenting");
    chair.send("a");
    chair.type_text("Book the health assessments");
    chair.send("\t");
    chair.type_text("Head of Service, Corporate Parenting");
    chair.send("\t");
    chair.type_text("2024-01-31");
    chair.send("\r");
    chair.wait_for("Saved action A1");
    seen_by_a_fresh_process(&db, &["action", "show", "A1", "--json"], "the new action", |a| {
        a["text"] == "Book the health assessments"
    });
    others_come_and_go(&db);

    // A decision, shown in the Decisions section.
    chair.send("d");
    chair.type_text("Agree the health plan");
    chair.send("\r");
    chair.wait_for("Saved decision");
    seen_by_a_fresh_process(&db, &["decisions", "--json"], "the decision", |d| {
        d.as_array().is_some_and(|ds| ds.iter().any(|d| d["text"] == "Agree the health plan"))
    });
    chair.send("5");
    if let Some(f) = &follower {
        f.wait_for("Agree the health plan");
    }
    others_come_and_go(&db);

    // A status change on the selected action, then its undo.
    chair.send("4");
    chair.wait_for("Book the health");
    if let Some(f) = &follower {
        f.wait_for("Book the health");
    }
    let statuses = stdout_json(&db.cmd().args(["actions", "--status", "all", "--json"]).output().unwrap());
    chair.send("x");
    chair.wait_for("a note for the record");
    chair.send("\r"); // Enter with the note empty saves without one
    chair.wait_for("✓ Saved ");
    let reference = saved_reference(&chair.screen());
    let before = statuses
        .as_array()
        .and_then(|all| all.iter().find(|a| a["ref"] == reference.as_str()))
        .and_then(|a| a["status"].as_str())
        .expect("the action's status before x")
        .to_string();
    assert_ne!(before, "done", "x changes the status");
    seen_by_a_fresh_process(&db, &["action", "show", &reference, "--json"], "the status change", |a| {
        a["status"] == "done"
    });
    if let Some(f) = &follower {
        f.wait_for("done");
    }
    others_come_and_go(&db);
    chair.send("u");
    chair.wait_for("Undone");
    seen_by_a_fresh_process(&db, &["action", "show", &reference, "--json"], "the undo", |a| {
        a["status"] == before.as_str()
    });
    others_come_and_go(&db);

    // Nothing the screen called saved may be lost with it.
    chair.kill9();
    drop(follower);
    assert_eq!(status_of(&db, "A1"), "open");
    assert_eq!(status_of(&db, &reference), before);
    let out = db.cmd().args(["decisions", "--json"]).output().unwrap();
    assert!(stdout_json(&out).as_array().unwrap().iter().any(|d| d["text"] == "Agree the health plan"));
    db.cmd().arg("check").assert().success();
}

#[test]
fn every_save_lands_while_other_processes_come_and_go_and_survives_kill_9() {
    every_save_lands(false);
}

#[test]
fn a_follow_screen_shows_every_save_while_other_processes_come_and_go() {
    every_save_lands(true);
}

/// The POSIX locks `pid` holds on `file`, as /proc/locks lists them (type
/// and byte range), sorted. Linux only.
fn locks_held(pid: u32, file: &std::path::Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(file).unwrap().ino();
    let table = std::fs::read_to_string("/proc/locks").unwrap();
    let mut held: Vec<String> = table
        .lines()
        .filter_map(|line| {
            // "1: POSIX  ADVISORY  READ 1234 fd:01:5678 128 128"
            let f: Vec<&str> = line.split_whitespace().collect();
            let (kind, pid_at, dev_ino) = (f.get(1)?, f.get(4)?, f.get(5)?);
            let ino: u64 = dev_ino.rsplit(':').next()?.parse().ok()?;
            let lock = format!("{} {}-{}", f.get(3)?, f.get(6)?, f.get(7)?);
            (*kind == "POSIX" && *pid_at == pid.to_string() && ino == inode).then_some(lock)
        })
        .collect();
    held.sort();
    held
}

#[cfg(target_os = "linux")]
#[test]
fn the_screen_keeps_its_locks_through_the_opening_backup() {
    let db = TestDb::with_meeting();
    let shm = std::path::PathBuf::from(format!("{}-shm", db.path.display()));
    // The locks a screen holds with no backup at all...
    let plain = Pty::spawn(&db, &[], &[("QPRM_KEEP_BACKUPS", "0")]);
    plain.wait_for("CHAIR");
    std::thread::sleep(Duration::from_millis(700));
    let expected = (locks_held(plain.pid(), &db.path), locks_held(plain.pid(), &shm));
    assert!(!expected.0.is_empty(), "an open screen holds a lock on the database file");
    drop(plain);
    // ...are the locks it holds once the opening backup has run beside it.
    let other = TestDb::with_meeting();
    let screen = Pty::spawn(&other, &[], &[]);
    screen.wait_for("CHAIR");
    screen.wait_for("Backup taken");
    std::thread::sleep(Duration::from_millis(700));
    let other_shm = std::path::PathBuf::from(format!("{}-shm", other.path.display()));
    let after = (locks_held(screen.pid(), &other.path), locks_held(screen.pid(), &other_shm));
    assert_eq!(after, expected, "(database, -shm) locks after the backup, against a screen that took none");
}

fn sidecar(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{}{suffix}", path.display()))
}

fn decisions_in(db: &TestDb, file: &std::path::Path) -> Vec<String> {
    let out = db.cmd().arg("--db").arg(file).args(["decisions", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout_json(&out).as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap_or_default().to_string()).collect()
}

/// Another, cleanly closed database, moved into `db`'s folder as `name`.
fn another_database(db: &TestDb, name: &str) -> std::path::PathBuf {
    let other = TestDb::with_fixtures();
    other.cmd().args(["meeting", "new", "--date", "2023-12-12", "--period", "2023-11"]).assert().success();
    other.cmd().args(["decision", "add", "Only in the other file", "--meeting", "1"]).assert().success();
    assert!(!sidecar(&other.path, "-wal").exists(), "closed cleanly");
    let to = db.dir.path().join(name);
    std::fs::copy(&other.path, &to).unwrap();
    to
}

#[test]
fn a_database_swapped_under_an_open_screen_keeps_both_files_whole() {
    let db = TestDb::with_meeting();
    let b = another_database(&db, "b.db");
    let mut screen = Pty::spawn(&db, &[], &[("QPRM_KEEP_BACKUPS", "0")]);
    screen.wait_for("CHAIR");
    screen.send("]");
    screen.send("d");
    screen.type_text("Decided before the swap");
    screen.send("\r");
    screen.wait_for("Saved decision");

    let old = db.dir.path().join("a-old.db");
    std::fs::rename(&db.path, &old).unwrap();
    std::fs::rename(&b, &db.path).unwrap();
    let swapped_in = std::fs::read(&db.path).unwrap();
    // A save made just after the swap is never called saved.
    screen.send("d");
    screen.type_text("Typed after the swap");
    screen.send("\r");
    screen.wait_for("moved, replaced or deleted");
    let shown = screen.screen();
    assert!(shown.contains("Not saved") || shown.contains("nothing more can be saved"), "{shown}");
    assert!(!shown.contains("Saved decision 2"), "{shown}");
    // A lookup on the new file: refused (the old WAL is not its own) or
    // answered from the new file alone; never written into.
    let out = db.cmd().args(["decisions", "--json"]).output().unwrap();
    if out.status.success() {
        let texts = stdout_json(&out).to_string();
        assert!(texts.contains("Only in the other file") && !texts.contains("swap"), "{texts}");
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("qprm.db-wal") && err.contains("qprm.db-shm") && err.contains("not applied"), "{err}");
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), swapped_in, "the new file is not written by a lookup");

    // The screen let go: its save went with its own file, the new one is sound.
    assert_eq!(decisions_in(&db, &old), vec!["Decided before the swap".to_string()]);
    assert_eq!(decisions_in(&db, &db.path), vec!["Only in the other file".to_string()]);
    db.cmd().arg("check").assert().success();
    db.cmd().arg("--db").arg(&old).arg("check").assert().success();
    // The typed text stays in its form until discarded (Esc twice).
    screen.send("\u{1b}");
    screen.send("\u{1b}");
    screen.send("q");
    screen.send("y");
    assert!(screen.wait_exit());
    assert_eq!(decisions_in(&db, &db.path), vec!["Only in the other file".to_string()]);
}

#[test]
fn a_wal_left_by_another_file_is_never_replayed_into_this_one() {
    let db = TestDb::with_meeting();
    let mut screen = Pty::spawn(&db, &[], &[("QPRM_KEEP_BACKUPS", "0")]);
    screen.wait_for("CHAIR");
    screen.send("]");
    screen.send("d");
    screen.type_text("Saved, then the laptop died");
    screen.send("\r");
    screen.wait_for("Saved decision");
    screen.kill9();
    let wal = sidecar(&db.path, "-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 32, "the save is in the WAL left behind");

    // The file is replaced (a restore done by hand); its WAL is not.
    let old = db.dir.path().join("a-old.db");
    std::fs::rename(&db.path, &old).unwrap();
    let b = another_database(&db, "b.db");
    std::fs::rename(&b, &db.path).unwrap();
    let before = (std::fs::read(&db.path).unwrap(), std::fs::read(&wal).unwrap());
    let add = ["action", "add", "x", "--owner", "o", "--due", "2024-01-31"];
    for args in [&["decisions", "--json"][..], &["check"], &add, &["meeting", "list"]] {
        let out = db.cmd().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("qprm.db-wal holds changes to another database"), "{args:?}: {err}");
        assert!(err.contains("qprm.db-shm") && err.lines().count() == 1, "one sentence naming both: {err}");
    }
    assert_eq!((std::fs::read(&db.path).unwrap(), std::fs::read(&wal).unwrap()), before, "nothing was changed");

    // Put with its own file, the WAL gives back the save.
    std::fs::rename(&wal, sidecar(&old, "-wal")).unwrap();
    let _ = std::fs::rename(sidecar(&db.path, "-shm"), sidecar(&old, "-shm"));
    assert_eq!(decisions_in(&db, &old), vec!["Saved, then the laptop died".to_string()]);
    assert_eq!(decisions_in(&db, &db.path), vec!["Only in the other file".to_string()]);
}

#[test]
fn a_file_called_damaged_is_left_exactly_as_it_was() {
    let db = TestDb::with_meeting();
    let mut screen = Pty::spawn(&db, &[], &[("QPRM_KEEP_BACKUPS", "0")]);
    screen.wait_for("CHAIR");
    screen.send("]");
    screen.send("d");
    screen.type_text("In the WAL only");
    screen.send("\r");
    screen.wait_for("Saved decision");
    screen.kill9();
    // Noise over the middle of the main file; its WAL is intact.
    let mut bytes = std::fs::read(&db.path).unwrap();
    let start = bytes.len() / 2 - (bytes.len() / 2) % 4096;
    for (i, b) in bytes[start..start + 16384].iter_mut().enumerate() {
        *b = (i * 7919 % 251) as u8;
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let wal = sidecar(&db.path, "-wal");
    let before = (std::fs::read(&db.path).unwrap(), std::fs::read(&wal).unwrap());
    let mut called_damaged = 0;
    for args in [&["actions", "--status", "all"][..], &["search", "health"], &["kpi"], &["minutes", "1"], &["check"]] {
        // Each command meets the damaged file and its WAL as the crash left them.
        std::fs::write(&db.path, &before.0).unwrap();
        std::fs::write(&wal, &before.1).unwrap();
        let _ = std::fs::remove_file(sidecar(&db.path, "-shm"));
        let out = db.cmd().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        // A command that reads past the damage does not know of it; one
        // that says "damaged" must leave the file and its WAL alone.
        if err.contains("damaged") || err.contains("malformed") {
            called_damaged += 1;
            let after = (std::fs::read(&db.path).unwrap(), std::fs::read(&wal).ok());
            assert!(
                after.0 == before.0 && after.1.as_ref() == Some(&before.1),
                "{args:?} changed what it called damaged"
            );
        }
    }
    assert!(called_damaged > 0, "the damage was met");
}
