//! Odd database files: damaged, truncated or foreign files produce a clear
//! message (never a panic) and are not made worse; `qprm check` finds damage.

mod common;

use common::TestDb;
use predicates::str::contains;

fn damaged_copy(db: &TestDb, name: &str, damage: impl Fn(&mut Vec<u8>)) -> std::path::PathBuf {
    let mut bytes = std::fs::read(&db.path).unwrap();
    damage(&mut bytes);
    db.file(name, bytes)
}

#[test]
fn check_passes_a_sound_database_and_finds_damage() {
    let db = TestDb::with_meeting();
    db.cmd().arg("check").assert().success().stdout(contains("ok:"));
    // Overwrite a run of pages in the middle of a copy with noise.
    let corrupt = damaged_copy(&db, "corrupt.db", |b| {
        let start = b.len() / 2 - (b.len() / 2) % 4096;
        for (i, byte) in b[start..start + 8192].iter_mut().enumerate() {
            *byte = (i * 7919 % 251) as u8;
        }
    });
    let before = std::fs::read(&corrupt).unwrap();
    let out = db.cmd().arg("--db").arg(&corrupt).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("restore a backup"), "{err}");
    assert_eq!(std::fs::read(&corrupt).unwrap(), before, "checking changes nothing");
}

#[test]
fn truncated_and_garbage_files_give_clear_messages_not_panics() {
    let db = TestDb::with_meeting();
    let truncated = damaged_copy(&db, "truncated.db", |b| b.truncate(b.len() / 3));
    let garbage = db.file("garbage.db", vec![0x42u8; 10_000]);
    let header_only = damaged_copy(&db, "header.db", |b| b.truncate(100));
    for file in [&truncated, &garbage, &header_only] {
        for args in [vec!["actions"], vec!["kpi"], vec!["check"], vec!["meeting", "list"]] {
            let out = db.cmd().arg("--db").arg(file).args(&args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("panicked"), "{file:?} {args:?}: {err}");
            assert!(out.status.code().is_some_and(|c| c == 1 || c == 2 || c == 0), "{file:?} {args:?}");
            if !out.status.success() {
                assert!(err.starts_with("qprm: error:"), "{file:?} {args:?}: a sentence, not a trace: {err}");
            }
        }
    }
    let out = db.cmd().arg("--db").arg(&garbage).arg("actions").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an SQLite file"));
    assert_eq!(std::fs::read(&garbage).unwrap(), vec![0x42u8; 10_000], "left untouched");
}

/// A small tmpfs in a fresh folder, unmounted (and the folder removed) when
/// dropped. `None`, having said the test is skipped, where mounting is not
/// permitted (not root, or a container without the capability).
struct TinyFs {
    dir: std::path::PathBuf,
    /// Holds the folder the tmpfs is mounted on; removed after unmounting.
    _outer: tempfile::TempDir,
}

impl TinyFs {
    fn mount(size: &str, test: &str) -> Option<TinyFs> {
        let outer = tempfile::tempdir().unwrap();
        let dir = outer.path().join("tiny");
        std::fs::create_dir(&dir).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("SKIPPED: cannot mount a tmpfs here; the {test} test needs root");
            return None;
        }
        Some(TinyFs { dir, _outer: outer })
    }

    fn path(&self) -> &std::path::Path {
        &self.dir
    }
}

impl Drop for TinyFs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
fn a_full_disk_gives_a_clear_message_and_loses_nothing_saved() {
    let Some(fs) = TinyFs::mount("2m", "full-disk") else { return };
    let mnt = fs.path().to_path_buf();
    let db_path = mnt.join("qprm.db");
    let qprm = || {
        let mut c = assert_cmd::Command::cargo_bin("qprm").unwrap();
        c.env("QPRM_DB", &db_path).env("QPRM_TODAY", common::TODAY);
        c
    };
    qprm().arg("import").arg(common::fixture_paths()[0].clone()).assert().success();
    qprm()
        .args(["action", "add", "Saved before the disk filled", "--owner", "O", "--due", "2024-01-01"])
        .assert()
        .success();
    // Fill every remaining byte.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.flush();
    }
    let mut refused = 0;
    for i in 0..20 {
        let text = format!("{} {i}", "a long action text that needs new pages ".repeat(40));
        let out = qprm()
            .args(["action", "add", &text, "--owner", &format!("Owner {i}"), "--due", "2024-01-01"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        if !out.status.success() {
            refused += 1;
            assert!(err.starts_with("qprm: error:") && err.contains("full"), "a clear message: {err}");
            assert!(!err.contains("damaged"), "a full disk is not damage: {err}");
        }
    }
    assert!(refused > 0, "the disk really was full");
    std::fs::remove_file(&filler).unwrap();
    qprm().arg("check").assert().success();
    let log = common::stdout_json(&qprm().args(["actions", "--json"]).output().unwrap());
    assert!(
        log.as_array().unwrap().iter().any(|a| a["text"] == "Saved before the disk filled"),
        "nothing saved was lost"
    );
}

#[test]
fn a_database_on_read_only_media_reads_with_a_banner_and_refuses_writes_clearly() {
    let Some(fs) = TinyFs::mount("8m", "read-only media") else { return };
    let mnt = fs.path().to_path_buf();
    let db = TestDb { dir: tempfile::tempdir().unwrap(), path: mnt.join("qprm.db") };
    db.cmd().arg("import").args(common::fixture_paths()).assert().success();
    db.cmd().args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10"]).assert().success();
    let remount = std::process::Command::new("mount").args(["-o", "remount,ro"]).arg(&mnt).status().unwrap();
    assert!(remount.success(), "remount read-only");

    let log = common::stdout_json(&db.cmd().args(["actions", "--status", "all", "--json"]).output().unwrap());
    assert_eq!(log.as_array().unwrap().len(), 39, "lookups read read-only media");
    db.cmd().args(["kpi", "CIC-HEALTH"]).assert().success();
    let out = db.cmd().args(["action", "add", "x", "--owner", "o", "--due", "2024-01-01"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot be written here: the database is on read-only media") && !err.contains("damaged"),
        "{err}"
    );

    let mut screen = common::pty::Pty::spawn(&db, &[], &[]);
    screen.wait_for("Read-only screen");
    screen.send("]");
    screen.send("a");
    screen.wait_for("Read-only: this screen cannot change the record");
    screen.send("q");
    screen.send("y");
    assert!(screen.wait_exit());
    let _ = std::process::Command::new("mount").args(["-o", "remount,rw"]).arg(&mnt).status();
}

/// A database its user may only read: as root, a copy owned by `nobody`
/// and run as `nobody` (root reads and writes anything); otherwise our own
/// copy. Returns the test database (in a folder that user may write) and
/// the wrapper that runs qprm as that user.
fn owned_by_the_user(name: &str) -> (TestDb, Vec<String>) {
    let source = TestDb::with_meeting();
    let db = TestDb::new();
    std::fs::copy(&source.path, &db.path).unwrap();
    let root = std::process::Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut wrapper = Vec::new();
    if root {
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];
        wrapper = std::iter::once("setpriv").chain(nobody).map(String::from).collect();
        let dir = db.dir.path();
        assert!(std::process::Command::new("chown").args(["-R", "65534:65534"]).arg(dir).status().unwrap().success());
        std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        eprintln!("{name}: running qprm as nobody (root reads and writes any file)");
    }
    (db, wrapper)
}

fn run_as(db: &TestDb, wrapper: &[String], args: &[&str]) -> std::process::Output {
    let qprm = env!("CARGO_BIN_EXE_qprm");
    let mut cmd = match wrapper.split_first() {
        Some((program, rest)) => {
            let mut c = std::process::Command::new(program);
            c.args(rest).arg(qprm);
            c
        }
        None => std::process::Command::new(qprm),
    };
    cmd.arg("--db").arg(&db.path).args(args).env("QPRM_TODAY", common::TODAY).env_remove("QPRM_DB");
    cmd.output().unwrap()
}

fn folder_listing(db: &TestDb) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut names: Vec<(String, u32)> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().permissions().mode() & 0o777))
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_database_the_user_may_only_read_opens_read_only_and_is_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let (db, wrapper) = owned_by_the_user("read-only file");
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = folder_listing(&db);

    // Lookups read it, and leave nothing beside it.
    let out = run_as(&db, &wrapper, &["actions", "--status", "all", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(common::stdout_json(&out).as_array().unwrap().len(), 39);
    assert!(run_as(&db, &wrapper, &["kpi", "CIC-HEALTH"]).status.success());
    assert_eq!(folder_listing(&db), before, "a lookup leaves no -wal or -shm beside a file it may not write");

    // Recording is refused with the reason.
    let out = run_as(&db, &wrapper, &["action", "add", "x", "--owner", "o", "--due", "2024-01-31"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("may read the database but not write it"), "{err}");

    // The meeting screen opens read-only and says why.
    let refs: Vec<&str> = wrapper.iter().map(String::as_str).collect();
    let db_arg = db.path.display().to_string();
    let mut screen = common::pty::Pty::spawn_wrapped(&db, &refs, &["--db", &db_arg], &[]);
    screen.wait_for("Read-only screen");
    screen.wait_for("may read the database but not");
    screen.send("]");
    screen.send("a");
    screen.wait_for("Read-only: this screen cannot change the record");
    screen.send("q");
    screen.send("y");
    assert!(screen.wait_exit(), "a clean exit");
    assert_eq!(folder_listing(&db), before, "nor does a read-only screen");

    // Made writable again, it takes a write at once.
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run_as(&db, &wrapper, &["action", "add", "x", "--owner", "o", "--due", "2024-01-31"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
