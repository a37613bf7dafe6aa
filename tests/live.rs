//! Several instances on one database: chair election, --follow, concurrent
//! writers, SIGKILL after a save, drafts after a crash, online backups.

mod common;

use common::pty::Pty;
use common::{TestDb, stdout_json};
use qprm::store::{ChairWatch, Claim, Position, Store};
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn open(db: &TestDb, actor: &str) -> Store {
    Store::open(&db.path, actor).unwrap()
}

/// A wall clock for the beat (read only by older qprm screens).
const NOW: i64 = 1_700_000_000;

#[test]
fn one_chair_at_a_time_and_only_the_chair_moves_followers() {
    let db = TestDb::with_meeting();
    let mut a = open(&db, "chair");
    let mut b = open(&db, "minutes");
    let (a_chairs, _) = a.claim_chair(1, "a", "Ann (pid 1)", Claim::IfFree, NOW).unwrap();
    let (b_chairs, seen) = b.claim_chair(1, "b", "Bo (pid 2)", Claim::IfFree, NOW).unwrap();
    assert!(a_chairs && !b_chairs, "the first live instance chairs");
    assert_eq!(seen.unwrap().chair_label, "Ann (pid 1)", "the others are told who chairs");

    let pos = Position { agenda_index: 2, section: qprm::domain::Section::Actions, on_overview: false, row: 0 };
    assert!(a.publish_position(1, "a", pos, Default::default(), NOW).unwrap());
    assert!(
        !b.publish_position(
            1,
            "b",
            Position { agenda_index: 0, section: qprm::domain::Section::Data, on_overview: true, row: 0 },
            Default::default(),
            NOW
        )
        .unwrap()
    );
    assert_eq!(b.presence(1).unwrap().unwrap().position, pos, "a non-chair cannot move the meeting");

    let (b_forced, _) = b.claim_chair(1, "b", "Bo (pid 2)", Claim::Force, NOW).unwrap();
    assert!(b_forced, "--take-chair takes over");
    assert!(
        !a.publish_position(1, "a", pos, Default::default(), NOW).unwrap(),
        "the old chair is no longer heard, and learns it"
    );
    b.release_chair(1, "b").unwrap();
    assert!(a.presence(1).unwrap().is_none(), "a clean exit hands the chair back");
}

/// Two observers judge the chair by its beat counter and their own
/// monotonic clocks (instants made up here: no sleeping), never by the
/// wall-clock seconds anyone writes.
#[test]
fn a_chair_is_stale_only_when_its_beat_stands_still_by_the_observers_clock() {
    let db = TestDb::with_meeting();
    let stale = Duration::from_millis(1500);
    let (mut chair, mut b, mut c) = (open(&db, "chair"), open(&db, "minutes"), open(&db, "minutes"));
    // The chair's clock is 20 s ahead of the observers' machine: irrelevant.
    assert!(chair.claim_chair(1, "chair", "Ann", Claim::IfFree, NOW + 20).unwrap().0);
    let t0 = Instant::now();
    let (mut watch_b, mut watch_c) = (ChairWatch::new(t0), ChairWatch::new(t0));
    let row = |s: &Store| s.presence(1).unwrap().unwrap();
    let pos = Position { agenda_index: 0, section: qprm::domain::Section::Data, on_overview: true, row: 0 };

    // Beating: never stale, however much time passes between beats' sightings.
    for i in 0..10u32 {
        let t = t0 + Duration::from_millis(1000) * i;
        assert!(!watch_b.is_stale(&row(&b), t, stale), "beat {i}");
        assert!(!watch_c.is_stale(&row(&c), t, stale), "beat {i}");
        // A chair whose clock goes backwards still moves its beat.
        assert!(chair.publish_position(1, "chair", pos, Default::default(), NOW - 3600).unwrap());
    }
    let last = row(&b);
    assert!(last.beat > NOW + 20, "the beat only ever rises: {}", last.beat);

    // Silent: not yet stale before the window, by each observer's own clock.
    let t = t0 + Duration::from_secs(10);
    assert!(!watch_b.is_stale(&last, t, stale), "first sight of this beat");
    assert!(!watch_b.is_stale(&last, t + Duration::from_millis(1400), stale));
    assert!(watch_b.is_stale(&last, t + Duration::from_millis(1500), stale), "stood still for the window");
    // c saw the same beat later: by its clock the window has not passed.
    assert!(!watch_c.is_stale(&last, t + Duration::from_millis(1000), stale));
    assert!(!watch_c.is_stale(&last, t + Duration::from_millis(2000), stale));

    // b takes over; c, judging the same silent chair a moment later, cannot.
    let claim = Claim::IfStale { chair_id: &last.chair_id, beat: last.beat };
    let (took, now) = b.claim_chair(1, "b", "Bo", claim, NOW).unwrap();
    assert!(took, "the stale chair is replaced");
    assert!(now.as_ref().unwrap().beat > last.beat, "a new chair moves the beat");
    assert!(watch_c.is_stale(&last, t + Duration::from_millis(3000), stale));
    assert!(!c.claim_chair(1, "c", "Cy", claim, NOW).unwrap().0, "only one observer takes over");
    assert!(!watch_c.is_stale(&row(&c), t + Duration::from_millis(3100), stale), "the new chair is timed afresh");
    assert_eq!(row(&c).chair_id, "b");

    // The old chair wakes up: it can no longer beat, so it knows it lost.
    assert!(!chair.publish_position(1, "chair", pos, Default::default(), NOW).unwrap());
    assert_eq!(row(&chair).chair_label, "Bo");

    // A chair that beat between the observer's judgement and its claim stays.
    let seen = row(&c);
    assert!(b.publish_position(1, "b", pos, Default::default(), NOW).unwrap());
    let claim = Claim::IfStale { chair_id: &seen.chair_id, beat: seen.beat };
    assert!(!c.claim_chair(1, "c", "Cy", claim, NOW).unwrap().0, "a beat in the meantime keeps the chair");
}

#[test]
fn a_row_left_by_an_older_qprm_is_never_taken_over_at_once() {
    let db = TestDb::with_meeting();
    // What qprm before the beat counter wrote: unix seconds, here from
    // yesterday (a crashed old chair) or from the future (a fast clock).
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    for (heartbeat, label) in [(NOW - 86_400, "yesterday"), (NOW + 86_400, "tomorrow")] {
        conn.execute(
            "INSERT OR REPLACE INTO meeting_presence (meeting_id, chair_id, chair_label, heartbeat_at) VALUES (1, 'old', 'Old', ?1)",
            [heartbeat],
        )
        .unwrap();
        let mut s = open(&db, "minutes");
        let (took, _) = s.claim_chair(1, "new", "New", Claim::IfFree, NOW).unwrap();
        assert!(!took, "{label}: opening a screen never replaces a chair it has not watched");
        let t0 = Instant::now();
        let mut watch = ChairWatch::new(t0);
        let stale = Duration::from_secs(15);
        let row = s.presence(1).unwrap().unwrap();
        assert!(!watch.is_stale(&row, t0, stale), "{label}");
        // A live old-version chair rewrites its seconds every 5 s: kept.
        for i in 1..=6u32 {
            conn.execute("UPDATE meeting_presence SET heartbeat_at = ?1", [heartbeat + 5 * i64::from(i)]).unwrap();
            let row = s.presence(1).unwrap().unwrap();
            assert!(!watch.is_stale(&row, t0 + Duration::from_secs(5) * i, stale), "{label}: beat {i}");
        }
        // A silent one is replaced after the window, as any silent chair.
        let row = s.presence(1).unwrap().unwrap();
        assert!(watch.is_stale(&row, t0 + Duration::from_secs(30 + 15), stale), "{label}");
        let claim = Claim::IfStale { chair_id: &row.chair_id, beat: row.beat };
        assert!(s.claim_chair(1, "new", "New", claim, NOW).unwrap().0, "{label}");
        // The new chair's beat still reads as a recent time to old screens.
        assert!(s.presence(1).unwrap().unwrap().beat >= NOW, "{label}");
    }
}

#[test]
fn clearing_a_draft_takes_only_ones_own_words() {
    let db = TestDb::with_meeting();
    let mut s = open(&db, "chair");
    let words = vec!["Agree the plan".to_string()];
    s.save_draft(1, "ann@/dev/pts/4", "decision", "early-help", &["Written since".to_string()]).unwrap();
    s.clear_own_draft(1, "ann@/dev/pts/4", "decision", "early-help", &words).unwrap();
    assert!(s.draft(1, "ann@/dev/pts/4").unwrap().is_some(), "not these words: kept");
    s.save_draft(1, "ann@/dev/pts/4", "decision", "early-help", &words).unwrap();
    s.clear_own_draft(1, "ann@/dev/pts/4", "decision", "early-help", &words).unwrap();
    assert!(s.draft(1, "ann@/dev/pts/4").unwrap().is_none());
}

#[test]
fn drafts_are_kept_per_screen_until_cleared() {
    let db = TestDb::with_meeting();
    let mut s = open(&db, "minutes");
    s.save_draft(1, "ann@/dev/pts/4", "new_action", "early-help", &["Half".into(), "".into(), "+2w".into()]).unwrap();
    s.save_draft(1, "bob@/dev/pts/7", "decision", "early-help", &["Agree".into()]).unwrap();
    let other = open(&db, "minutes");
    let (kind, target, fields) = other.draft(1, "ann@/dev/pts/4").unwrap().unwrap();
    assert_eq!((kind.as_str(), target.as_str(), fields[0].as_str()), ("new_action", "early-help", "Half"));
    s.clear_draft(1, "ann@/dev/pts/4").unwrap();
    assert!(other.draft(1, "ann@/dev/pts/4").unwrap().is_none());
    assert!(other.draft(1, "bob@/dev/pts/7").unwrap().is_some(), "one screen's draft is not another's");
}

#[test]
fn online_backup_is_consistent_while_another_instance_writes() {
    let db = TestDb::with_meeting();
    let path = db.path.clone();
    let writer = std::thread::spawn(move || {
        let mut w = Store::open(&path, "minutes").unwrap();
        for i in 0..200 {
            w.record_decision(1, None, &format!("decision {i}")).unwrap();
        }
    });
    let backup = db.dir.path().join("copy.db");
    db.cmd().arg("backup").arg(&backup).assert().success();
    writer.join().unwrap();

    let copy = Store::open(&backup, "check").unwrap();
    let mut n = 0;
    copy.for_each_decision(&Default::default(), |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert!(n <= 200, "a copy at one instant: {n}");
    assert_eq!(copy.kpi_rows(None, None).unwrap().len(), 42);
    let conn = rusqlite::Connection::open(&backup).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    }
    db.cmd().arg("backup").arg(&backup).assert().code(2);
}

#[test]
fn concurrent_writer_processes_all_land_exactly_once() {
    let db = TestDb::with_meeting();
    let (writers, each) = (4, 30);
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let path = db.path.clone();
            std::thread::spawn(move || {
                for i in 0..each {
                    let out = assert_cmd::Command::cargo_bin("qprm")
                        .unwrap()
                        .env("QPRM_DB", &path)
                        .args([
                            "action",
                            "add",
                            &format!("writer {w} action {i}"),
                            "--owner",
                            &format!("Owner {w}"),
                            "--due",
                            "2024-01-31",
                        ])
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "writer {w} #{i}: {}", String::from_utf8_lossy(&out.stderr));
                }
            })
        })
        .collect();
    // Meanwhile, an in-process instance records decisions too.
    let mut screen = open(&db, "chair");
    for i in 0..50 {
        screen.record_decision(1, None, &format!("live decision {i}")).unwrap();
    }
    for h in handles {
        h.join().unwrap();
    }
    let all = stdout_json(&db.cmd().args(["actions", "--status", "all", "--json"]).output().unwrap());
    let mine: Vec<&serde_json::Value> =
        all.as_array().unwrap().iter().filter(|a| a["text"].as_str().unwrap().starts_with("writer ")).collect();
    assert_eq!(mine.len(), writers * each, "every action arrived");
    let texts: HashSet<&str> = mine.iter().map(|a| a["text"].as_str().unwrap()).collect();
    let refs: HashSet<&str> = mine.iter().map(|a| a["ref"].as_str().unwrap()).collect();
    assert_eq!((texts.len(), refs.len()), (writers * each, writers * each), "each exactly once, refs unique");
    let d = stdout_json(&db.cmd().args(["decisions", "--json"]).output().unwrap());
    assert_eq!(d.as_array().unwrap().len(), 50);
}

#[test]
fn a_follow_screen_moves_with_the_chair_and_sees_new_records() {
    let db = TestDb::with_meeting();
    let mut chair = Pty::spawn(&db, &[], &[]);
    chair.wait_for("CHAIR");
    let mut follower = Pty::spawn(&db, &["--follow"], &[]);
    follower.wait_for("FOLLOWING");
    for k in ["]", "]", "]", "3"] {
        chair.send(k);
    }
    chair.wait_for("3/7 Academy");
    follower.wait_for("3/7 Academy");
    follower.wait_for("Quotes");

    // A decision recorded from the command line appears on both screens.
    chair.send("5");
    follower.wait_for("No decisions recorded for this service");
    db.cmd()
        .args(["decision", "add", "Pilot the new audit tool", "--meeting", "1", "--service", "quality-assurance"])
        .assert()
        .success();
    chair.wait_for("Pilot the new audit tool");
    follower.wait_for("Pilot the new audit tool");

    // The follower cannot edit.
    follower.send("a");
    follower.wait_for("Read-only: this screen cannot change the record (opened with --follow)");
    for p in [&mut chair, &mut follower] {
        p.send("q");
        p.wait_for("Quit the meeting?");
        p.send("y");
        assert!(p.wait_exit());
    }
}

#[test]
fn a_second_editing_screen_is_the_minute_takers_and_its_writes_say_so() {
    let db = TestDb::with_meeting();
    let mut chair = Pty::spawn(&db, &[], &[]);
    chair.wait_for("CHAIR");
    let mut minutes = Pty::spawn(&db, &[], &[]);
    minutes.wait_for("MINUTES · FOLLOWING");
    minutes.send("]");
    minutes.send("d");
    minutes.type_text("Recorded by the minute-taker");
    minutes.send("\r");
    minutes.wait_for("Saved decision");
    chair.send("]");
    chair.send("5");
    chair.wait_for("Recorded by the minute-taker");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let actor: String =
        conn.query_row("SELECT actor FROM decision_history ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(actor, "minutes");
    for p in [&mut chair, &mut minutes] {
        p.send("q");
        p.send("y");
        assert!(p.wait_exit());
    }
}

#[test]
fn sigkill_right_after_a_save_loses_nothing() {
    let db = TestDb::with_meeting();
    let mut screen = Pty::spawn(&db, &[], &[]);
    screen.wait_for("CHAIR");
    // The opening backup runs beside the meeting and reports when whole.
    screen.wait_for("Backup taken");
    screen.send("]");
    screen.send("a");
    screen.type_text("Must survive a crash");
    screen.send("\t");
    screen.type_text("Head of Service, Corporate Parenting");
    screen.send("\t");
    screen.type_text("2024-01-31");
    screen.send("\r");
    screen.wait_for("Saved action A1");
    screen.kill9();

    let out = db.cmd().args(["action", "show", "A1", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["text"], "Must survive a crash");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    // A backup was taken when the screen opened.
    let backups = std::fs::read_dir(db.dir.path().join("backups")).unwrap().count();
    assert_eq!(backups, 1);
}

#[test]
fn half_typed_text_survives_a_crash_and_is_offered_back() {
    let db = TestDb::with_meeting();
    let mut screen = Pty::spawn(&db, &[], &[("QPRM_SCREEN", "ann@tty1")]);
    screen.wait_for("CHAIR");
    screen.send("]");
    screen.send("a");
    screen.type_text("Half-typed action about supervision");
    screen.wait_for("Half-typed action about supervision");
    // Wait for the autosave (a tick) to reach the database, then crash.
    let store = Store::open(&db.path, "check").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while store.draft(1, "ann@tty1").unwrap().is_none() {
        assert!(Instant::now() < deadline, "draft never saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    screen.kill9();

    let mut again = Pty::spawn(&db, &["--take-chair"], &[("QPRM_SCREEN", "ann@tty1")]);
    again.wait_for("Restored unsaved text");
    again.wait_for("Half-typed action about supervision");
    again.wait_for("1/7 Corporate Parenting");
    again.send("\t");
    again.type_text("Principal Social Worker");
    again.send("\t");
    again.type_text("+1m");
    again.send("\r");
    // A new owner inside a known joint role is asked about; Enter keeps it.
    again.wait_for("New owner 'Principal Social Worker'");
    again.send("\r");
    again.wait_for("Saved action A1");
    assert!(store.draft(1, "ann@tty1").unwrap().is_none(), "the draft is cleared once saved");
    again.send("q");
    again.send("y");
    assert!(again.wait_exit());
}

#[test]
fn a_deleted_database_file_stops_edits_with_a_clear_message() {
    let db = TestDb::with_meeting();
    let mut screen = Pty::spawn(&db, &[], &[]);
    screen.wait_for("CHAIR");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.path.display()));
    }
    screen.wait_for("moved, replaced or deleted");
    screen.send("]");
    screen.send("a");
    screen.wait_for("Read-only: this screen cannot change the record");
    screen.send("q");
    screen.send("y");
    assert!(screen.wait_exit(), "a clean exit, not a crash");
}

#[test]
fn read_only_screens_use_a_read_only_connection() {
    let db = TestDb::with_meeting();
    let store = Store::open_read_only(&db.path, "read-only", false).unwrap();
    assert!(store.is_read_only());
    assert!(store.kpi_rows(None, None).is_ok(), "lookups work");
    let mut store = store;
    let err = store.record_decision(1, None, "should not land").unwrap_err().to_string();
    assert!(err.contains("readonly") || err.contains("read-only"), "{err}");
    let immutable = Store::open_read_only(&db.path, "read-only", true).unwrap();
    assert_eq!(immutable.meetings(5).unwrap().len(), 1);
}

#[test]
fn sigterm_and_sighup_end_the_screen_cleanly_keeping_typed_text() {
    for signal in ["-TERM", "-HUP"] {
        let db = TestDb::with_meeting();
        let mut screen = Pty::spawn(&db, &[], &[("QPRM_SCREEN", "ann@tty1")]);
        screen.wait_for("CHAIR");
        screen.send("]");
        screen.send("d");
        screen.type_text("Typed just before the window closed");
        screen.wait_for("Typed just before the window closed");
        let status = std::process::Command::new("kill").args([signal, &screen.pid().to_string()]).status().unwrap();
        assert!(status.success());
        assert!(screen.wait_exit(), "{signal}: a clean exit");
        assert!(!screen.alternate_screen(), "{signal}: terminal restored");
        let store = Store::open(&db.path, "check").unwrap();
        let (kind, _, fields) = store.draft(1, "ann@tty1").unwrap().expect("the draft is kept");
        assert_eq!(
            (kind.as_str(), fields[0].as_str()),
            ("decision", "Typed just before the window closed"),
            "{signal}"
        );
        assert!(store.presence(1).unwrap().is_none(), "{signal}: the chair was handed back");
    }
}

#[test]
fn screens_opened_for_one_meeting_share_one_automatic_backup() {
    let db = TestDb::with_meeting();
    for i in 0..2 {
        let mut screen = Pty::spawn(&db, &[], &[]);
        screen.wait_for("CHAIR");
        if i == 0 {
            screen.wait_for("Backup taken");
        }
        screen.send("q");
        screen.send("y");
        assert!(screen.wait_exit());
    }
    let backups = std::fs::read_dir(db.dir.path().join("backups")).unwrap().count();
    assert_eq!(backups, 1, "a second screen within 12 hours reuses the first backup");
}

/// A meeting database, open, with its (empty) automatic backups folder.
fn with_backups_folder() -> (TestDb, Store, std::path::PathBuf) {
    let db = TestDb::with_meeting();
    let store = Store::open(&db.path, "test").unwrap();
    let dir = qprm::tui::live::backup_dir(&db.path);
    std::fs::create_dir_all(&dir).unwrap();
    (db, store, dir)
}

#[test]
fn an_interrupted_backup_is_never_taken_for_a_backup_and_is_cleared_later() {
    let (_db, store, dir) = with_backups_folder();
    // What a screen quit mid-copy leaves behind, half an hour ago.
    let abandoned = dir.join("qprm-20261123-090000.db.partial");
    let journal = dir.join("qprm-20261123-090000.db.partial-journal");
    std::fs::write(&abandoned, b"SQLite format 3\0 half a file").unwrap();
    std::fs::write(&journal, b"journal").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(1800);
    std::fs::File::options().write(true).open(&abandoned).unwrap().set_modified(old).unwrap();
    let outcome = qprm::tui::live::backup_on_open(&store, 10).unwrap();
    let (path, taken) = (outcome.path, outcome.taken);
    assert!(taken, "an abandoned partial file does not count as a recent backup");
    assert!(!abandoned.exists() && !journal.exists(), "the abandoned copy and its journal are removed");
    assert!(!qprm::store::partial_path(&path).exists(), "a finished copy leaves no partial file");
    let copy = Store::open_read_only(&path, "test", false).unwrap();
    assert_eq!(copy.check().unwrap(), Vec::<String>::new());
    assert_eq!(copy.meetings(5).unwrap().len(), 1);
}

#[test]
fn a_closed_terminal_ends_the_screen_and_hands_the_chair_back() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    let db = TestDb::with_meeting();
    // A terminal of its own: the harness's reader would keep the terminal
    // open, and this test is about it closing.
    let pair = native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new(common::pty::qprm_binary());
    cmd.env("QPRM_DB", &db.path);
    cmd.env("QPRM_TODAY", common::TODAY);
    cmd.env("TERM", "xterm-256color");
    cmd.env("QPRM_SCREEN", "ann@tty1");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    // Read until the first frame has been drawn, then stop reading.
    let shown = std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(24, 80, 0);
        let mut buf = [0u8; 8192];
        while !parser.screen().contents().contains("CHAIR") {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return false,
                Ok(n) => parser.process(&buf[..n]),
            }
        }
        true
    });
    assert!(shown.join().unwrap(), "the screen drew its first frame");
    writer.write_all(b"d").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    writer.write_all("Typed as the laptop lid closed".as_bytes()).unwrap();
    writer.flush().unwrap();
    // Typed text is autosaved as it is typed; on a loaded machine that can
    // take a moment, and the lid closes only once the screen has had it.
    let watcher = Store::open(&db.path, "test").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while watcher.draft(1, "ann@tty1").unwrap().is_none_or(|(_, _, f)| f[0] != "Typed as the laptop lid closed") {
        assert!(Instant::now() < deadline, "the typed text was never autosaved");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(watcher);
    // The window closes: every handle on the terminal's side goes.
    drop(writer);
    drop(pair.master);
    // The process must end by itself (it once spun forever on the closed
    // terminal, holding the chair), without being killed.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the screen kept running after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let store = Store::open(&db.path, "test").unwrap();
    assert!(store.presence(1).unwrap().is_none(), "the chair was handed back");
    let (_, _, fields) = store.draft(1, "ann@tty1").unwrap().expect("the typed text is kept as a draft");
    assert_eq!(fields[0], "Typed as the laptop lid closed");
}

#[test]
fn a_backup_being_written_is_neither_overwritten_nor_duplicated() {
    let (_db, store, dir) = with_backups_folder();
    // Another screen, opening at the same moment, is still copying.
    let in_progress = dir.join("qprm-20261123-100000.db.partial");
    std::fs::write(&in_progress, b"being written").unwrap();
    let outcome = qprm::tui::live::backup_on_open(&store, 10).unwrap();
    let (path, taken) = (outcome.path, outcome.taken);
    assert!(!taken, "that copy is today's backup: no second one");
    assert_eq!(path, dir.join("qprm-20261123-100000.db"));
    // `qprm backup` to a name whose copy is under way is refused, and the
    // copy under way is left alone.
    let err = store.backup_to(&path).unwrap_err().to_string();
    assert!(err.contains("already being written"), "{err}");
    assert_eq!(std::fs::read(&in_progress).unwrap(), b"being written");
    assert!(!path.exists());
}

/// Waits for `text` on `screen` at most `limit` after `since`; returns how long it took.
fn within(screen: &Pty, text: &str, since: Instant, limit: Duration) -> Duration {
    while !screen.screen().contains(text) {
        assert!(since.elapsed() < limit, "{text:?} not shown within {limit:?}; screen:\n{}", screen.screen());
        std::thread::sleep(Duration::from_millis(20));
    }
    since.elapsed()
}

/// The header line (the first row) of a screen.
fn header(screen: &Pty) -> String {
    screen.screen().lines().next().unwrap_or_default().to_string()
}

#[test]
fn take_chair_demotes_the_old_chair_within_two_seconds_and_the_minute_taker_follows() {
    let db = TestDb::with_meeting();
    let mut old_chair = Pty::spawn(&db, &[], &[]);
    old_chair.wait_for("CHAIR");
    // Its opening backup's notice would take the status line later on.
    old_chair.wait_for("Backup taken");
    let mut minutes = Pty::spawn(&db, &[], &[]);
    minutes.wait_for("MINUTES");
    assert!(header(&minutes).contains("· FOLLOWING"), "a minute-taker follows by default: {}", header(&minutes));

    // (a) A third screen takes the chair. Timed from the moment its claim
    // is in the database.
    let watcher = open(&db, "check");
    let before = watcher.presence(1).unwrap().unwrap().chair_id;
    let mut new_chair = Pty::spawn(&db, &["--take-chair"], &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while watcher.presence(1).unwrap().unwrap().chair_id == before {
        assert!(Instant::now() < deadline, "--take-chair never claimed the chair");
        std::thread::sleep(Duration::from_millis(10));
    }
    let claimed = Instant::now();
    let took = within(&old_chair, "MINUTES", claimed, Duration::from_secs(2));
    assert!(!header(&old_chair).contains("CHAIR"), "{}", header(&old_chair));
    old_chair.wait_for("The chair was taken by");
    new_chair.wait_for("CHAIR");
    eprintln!("the old chair knew in {took:?}");

    // Its next decision is recorded as the minute-taker's.
    old_chair.send("]");
    old_chair.send("d");
    old_chair.type_text("Recorded after losing the chair");
    old_chair.send("\r");
    old_chair.wait_for("Saved decision");
    let decisions = stdout_json(&db.cmd().args(["decisions", "--json"]).output().unwrap());
    assert!(decisions.to_string().contains("Recorded after losing the chair"));
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (text, actor): (String, String) = conn
        .query_row(
            "SELECT d.text, h.actor FROM decision_history h JOIN decisions d ON d.id = h.decision_id ORDER BY h.id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((text.as_str(), actor.as_str()), ("Recorded after losing the chair", "minutes"));

    // (b) The minute-taker's screen moves with the new chair.
    for k in ["]", "]", "]", "3"] {
        new_chair.send(k);
    }
    new_chair.wait_for("3/7 Academy");
    minutes.wait_for("3/7 Academy");
    minutes.wait_for("Quotes");
    assert!(header(&minutes).contains("· FOLLOWING"), "{}", header(&minutes));

    // f stops following: the chair moves on alone.
    minutes.send("f");
    minutes.wait_for("NOT FOLLOWING");
    new_chair.send("]");
    new_chair.send("1");
    new_chair.wait_for("4/7 Front Door");
    // Two of the minute-taker's ticks and more: it stays where it was.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(minutes.screen().contains("3/7 Academy"), "{}", minutes.screen());
    assert!(minutes.screen().contains("Quotes"), "still on Feedback: {}", minutes.screen());

    // f again: back with the chair, item and section.
    minutes.send("f");
    minutes.wait_for("4/7 Front Door");
    minutes.wait_for("Following the chair");
    assert!(header(&minutes).contains("· FOLLOWING"), "{}", header(&minutes));
    assert!(!minutes.screen().contains("Quotes"), "on Data with the chair: {}", minutes.screen());

    for p in [&mut old_chair, &mut minutes, &mut new_chair] {
        p.send("q");
        p.send("y");
        assert!(p.wait_exit());
    }
}

#[test]
fn a_chair_that_goes_quiet_is_replaced_and_learns_it_when_it_wakes() {
    let db = TestDb::with_meeting();
    // A short stale window, so the test need not wait 15 s.
    let env = [("QPRM_CHAIR_STALE_MS", "3000")];
    let mut chair = Pty::spawn(&db, &[], &env);
    chair.wait_for("CHAIR");
    chair.wait_for("Backup taken");
    let mut minutes = Pty::spawn(&db, &[], &env);
    minutes.wait_for("MINUTES");
    // A closed laptop lid: the process stops, its beat stands still.
    let signal = |sig: &str, pid: u32| {
        assert!(std::process::Command::new("kill").args([sig, &pid.to_string()]).status().unwrap().success())
    };
    signal("-STOP", chair.pid());
    let stopped = Instant::now();
    minutes.wait_for("The chair's screen went quiet: this screen is now the chair");
    assert!(stopped.elapsed() >= Duration::from_millis(2500), "not before the window: {:?}", stopped.elapsed());
    assert!(header(&minutes).contains("CHAIR"), "{}", header(&minutes));
    // The lid opens: the old chair knows within 2 s.
    signal("-CONT", chair.pid());
    within(&chair, "MINUTES", Instant::now(), Duration::from_secs(2));
    chair.wait_for("The chair was taken by");
    for p in [&mut chair, &mut minutes] {
        p.send("q");
        p.send("y");
        assert!(p.wait_exit());
    }
}

/// Sets a file's modification time `secs` ago.
fn age(path: &std::path::Path, secs: u64) {
    let t = std::time::SystemTime::now() - Duration::from_secs(secs);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
}

#[test]
fn backups_belong_to_exactly_one_database() {
    // Before: backups were matched by the prefix `qprm-`, so `qprm-old`'s
    // counted as `qprm`'s (none was taken), rotation deleted them, and the
    // status line could name a backup it had just deleted.
    let (_db, store, dir) = with_backups_folder();
    let others: Vec<_> = (1..=3).map(|d| dir.join(format!("qprm-old-2023110{d}-090000.db"))).collect();
    for p in &others {
        std::fs::write(p, b"another database's backup").unwrap();
    }
    // qprm-old's newest backup is from a minute ago: not qprm's.
    age(&others[2], 60);
    // One of qprm's own, from a clock once set forward: it sorts last by name.
    let future = dir.join("qprm-29991231-235959.db");
    std::fs::write(&future, b"old backup").unwrap();
    age(&future, 2 * 86400);
    // Look-alikes that are not backups of qprm.db.
    let strangers =
        ["qprm-notes.db", "qprm-20231101-0900.db", "qprm-20231101-090000-x.db", "qprm-20231101-090000.db.txt"];
    for s in strangers {
        std::fs::write(dir.join(s), b"x").unwrap();
    }
    let outcome = qprm::tui::live::backup_on_open(&store, 1).unwrap();
    assert!(outcome.taken, "another database's recent backup is not this one's");
    assert!(outcome.path.is_file(), "the backup it names is there");
    assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    assert!(!future.exists(), "keep = 1: the older one of its own went");
    for p in &others {
        assert!(p.exists(), "{} is another database's: never rotated", p.display());
    }
    for s in strangers {
        assert!(dir.join(s).exists(), "{s} is not a backup: left alone");
    }
    let key = |n: &str| qprm::tui::live::backup_key(n, "qprm");
    assert_eq!(key("qprm-20231114-093000.db"), Some(("20231114-093000".into(), 0)));
    assert_eq!(key("qprm-20231114-093000-12.db"), Some(("20231114-093000".into(), 12)));
    assert_eq!(key("qprm-old-20231114-093000.db"), None);
    assert_eq!(qprm::tui::live::backup_key("qprm-old-20231114-093000.db", "qprm-old").map(|k| k.1), Some(0));
}

#[test]
fn backups_of_one_name_with_two_extensions_are_kept_apart() {
    // `qprm.db` and `qprm.sqlite` share the stem `qprm`: their backups
    // once counted as each other's, and rotation deleted the other's.
    let (db, store, _dir) = with_backups_folder();
    let other = Store::open(&db.dir.path().join("qprm.sqlite"), "test").unwrap();
    let theirs = qprm::tui::live::backup_on_open(&other, 1).unwrap();
    assert!(theirs.taken);
    let name = theirs.path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("qprm.sqlite-"), "{name}");
    let ours = qprm::tui::live::backup_on_open(&store, 1).unwrap();
    assert!(ours.taken, "qprm.sqlite's fresh backup is not qprm.db's");
    assert!(theirs.path.is_file(), "qprm.db's rotation (keep 1) left qprm.sqlite's backup alone");
    let again = qprm::tui::live::backup_on_open(&other, 1).unwrap();
    assert!(!again.taken, "its own fresh backup is reused");
    assert_eq!(again.path, theirs.path);
    assert!(ours.path.is_file());
    let bare = Store::open(&db.dir.path().join("qprm"), "test").unwrap();
    let plain = qprm::tui::live::backup_on_open(&bare, 1).unwrap();
    assert!(plain.taken, "a file with no extension is not qprm.db either");
    assert!(ours.path.is_file() && theirs.path.is_file());
}

/// What a writer that has gone leaves: the copy and its (unlocked) lock file.
fn leave_abandoned(dest: &std::path::Path) -> std::path::PathBuf {
    let partial = qprm::store::partial_path(dest);
    std::fs::write(&partial, b"SQLite format 3\0 half a file").unwrap();
    std::fs::write(qprm::store::lock_path(dest), b"").unwrap();
    partial
}

#[test]
fn an_abandoned_partial_is_known_at_once_cleared_and_said_so() {
    // Before: a `.partial` counted as a backup being written for 10
    // minutes (no backup, no word), and blocked `qprm backup` to its name
    // for good.
    let (db, store, dir) = with_backups_folder();
    let partial = leave_abandoned(&dir.join("qprm-20261123-090000.db"));
    let outcome = qprm::tui::live::backup_on_open(&store, 10).unwrap();
    assert!(outcome.taken, "a copy whose writer has gone is not today's backup");
    assert!(!partial.exists() && !qprm::store::lock_path(&dir.join("qprm-20261123-090000.db")).exists());
    assert_eq!(outcome.notes.len(), 1, "{:?}", outcome.notes);
    assert!(outcome.notes[0].contains("Last backup was interrupted"), "{:?}", outcome.notes);
    // A copy whose writer is alive (it holds the lock) is shared, not removed.
    let live_dest = dir.join("qprm-20261124-090000.db");
    let live_partial = qprm::store::partial_path(&live_dest);
    std::fs::write(&live_partial, b"being written").unwrap();
    let lock = std::fs::File::create(qprm::store::lock_path(&live_dest)).unwrap();
    lock.try_lock().unwrap();
    assert_eq!(qprm::store::clear_if_abandoned(&live_partial), qprm::store::Unfinished::BeingWritten);
    let err = store.backup_to(&live_dest).unwrap_err().to_string();
    assert!(err.contains("already being written"), "{err}");
    assert_eq!(std::fs::read(&live_partial).unwrap(), b"being written");
    drop(lock);
    // `qprm backup` to a name an interrupted backup left behind works, and says so.
    let file = db.dir.path().join("copy.db");
    leave_abandoned(&file);
    db.cmd()
        .arg("backup")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains("removed an unfinished copy"));
    assert!(file.is_file() && !qprm::store::partial_path(&file).exists());
    assert!(!qprm::store::lock_path(&file).exists());
}

#[test]
fn the_screen_reports_an_interrupted_or_failed_backup_at_the_next_start() {
    let db = TestDb::with_meeting();
    let dir = qprm::tui::live::backup_dir(&db.path);
    std::fs::create_dir_all(&dir).unwrap();
    // A screen quit mid-copy: its copy and unlocked lock file remain.
    leave_abandoned(&dir.join("qprm-20261123-090000.db"));
    let mut screen = Pty::spawn(&db, &[], &[]);
    screen.wait_for("CHAIR");
    screen.wait_for("Last backup was interrupted");
    screen.send("q");
    screen.send("y");
    assert!(screen.wait_exit());
    assert!(!qprm::store::partial_path(&dir.join("qprm-20261123-090000.db")).exists());
    // A backup that failed: noted in backups/ by the screen that tried.
    let marker = dir.join("qprm.backup-failed");
    std::fs::write(&marker, "2026-11-23 09:00 UTC: backup to qprm-20261123-090000.db failed: disk I/O error\u{1b}[2J")
        .unwrap();
    let mut screen = Pty::spawn(&db, &[], &[]);
    screen.wait_for("CHAIR");
    screen.wait_for("Last backup failed: 2026-11-23 09:00 UTC");
    assert!(!marker.exists(), "reported once, then cleared");
    screen.send("q");
    screen.send("y");
    assert!(screen.wait_exit());
}

/// The number of seconds the timer (`⏱ mm:ss`) on `screen` shows.
fn header_seconds(screen: &Pty) -> Option<u64> {
    let h = screen.screen();
    let t = h.split("⏱ ").nth(1)?.get(..5)?;
    let (m, s) = t.split_once(':')?;
    Some(m.parse::<u64>().ok()? * 60 + s.parse::<u64>().ok()?)
}

#[test]
fn the_projector_follows_the_chair_s_row_and_timer() {
    let db = TestDb::with_meeting();
    let mut chair = Pty::spawn(&db, &[], &[]);
    chair.wait_for("CHAIR");
    let mut projector = Pty::spawn(&db, &["--follow", "--present"], &[]);
    projector.wait_for("FOLLOWING");
    assert!(!projector.screen().contains("READ-ONLY"), "no banner about the file:\n{}", projector.screen());
    // The chair opens the first item's Data and moves down two rows: the
    // third indicator (reds first) is CIC-STARTS-RATE, 30/10k.
    chair.send("]");
    chair.send("1");
    chair.wait_for("1/7 Corporate");
    chair.send("j");
    chair.send("j");
    chair.wait_for("CIC-STARTS-RATE ─");
    projector.wait_for("baseline 33/10k · target 25/10k");
    let shown = projector.screen();
    assert!(shown.contains("CiC starts (per 10,000)"), "the chair's row in detail:\n{shown}");
    assert!(!shown.contains("? help") && !shown.contains("x done"), "no key hints on the projector:\n{shown}");

    // The chair starts its timer: the projector's runs with it.
    chair.send("t");
    projector.wait_for("▶");
    let start = Instant::now();
    while header_seconds(&projector).unwrap_or(0) < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the projector's timer stands still:\n{}",
            projector.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    chair.send("t");
    projector.wait_for("⏸");
    let (c, p) = (header_seconds(&chair).unwrap(), header_seconds(&projector).unwrap());
    assert!(c.abs_diff(p) <= 1, "paused, both show the chair's time: chair {c}, projector {p}");
    for p in [&mut chair, &mut projector] {
        p.send("q");
        p.wait_for("Quit the meeting?");
        p.send("y");
        assert!(p.wait_exit());
    }
}
