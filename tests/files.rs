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
