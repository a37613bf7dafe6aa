//! Helpers shared by the integration tests: a fresh database per test and a
//! `qprm` command pointed at it, with "today" pinned so overdue is stable.

#![allow(dead_code)]

pub mod pty;
pub mod tui;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const TODAY: &str = "2023-11-14";

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("qprm.db");
        TestDb { dir, path }
    }

    /// A database with all six sample packs imported.
    pub fn with_fixtures() -> TestDb {
        let db = TestDb::new();
        db.cmd().arg("import").args(fixture_paths()).assert().success();
        db
    }

    /// Fixtures plus meeting 1 (2023-11-14, reviewing 2023-10).
    pub fn with_meeting() -> TestDb {
        let db = TestDb::with_fixtures();
        db.cmd()
            .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--chair", "Director"])
            .assert()
            .success();
        db
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("qprm").expect("binary");
        // Piped, tables are a line a row unless a test asks for a width.
        cmd.env("QPRM_DB", &self.path).env("QPRM_TODAY", TODAY).env_remove("NO_COLOR").env_remove("QPRM_TABLE_WIDTH");
        cmd
    }

    /// Writes `contents` to a file in the test's folder and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    /// A fingerprint (length and hash of every byte) of the database and its
    /// WAL, to prove a command changed nothing. An empty WAL (created by any
    /// reader of a WAL database) holds no data and is skipped.
    pub fn snapshot(&self) -> Vec<(String, usize, u64)> {
        use std::hash::{Hash, Hasher};
        ["", "-wal"]
            .iter()
            .filter_map(|suffix| {
                let p = PathBuf::from(format!("{}{suffix}", self.path.display()));
                let bytes = std::fs::read(&p).ok().filter(|b| !b.is_empty())?;
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                Some((suffix.to_string(), bytes.len(), h.finish()))
            })
            .collect()
    }
}

pub fn fixture_paths() -> Vec<PathBuf> {
    (5..=10).map(|m| Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/2023-{m:02}.json"))).collect()
}

pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// A small valid pack that refers to the fixtures' services and indicators.
pub fn base_pack() -> serde_json::Value {
    serde_json::json!({
        "format": "qprm-pack/1",
        "organisation": "Test Council",
        "period": "2023-11",
        "audit_targets": { "good_or_better_pct": 70, "family_feedback_pct": 80 },
        "indicators": [
            { "code": "TEST-PCT", "name": "A test percentage", "unit": "percent", "polarity": "higher_is_better",
              "priority": "Change", "service": "corporate-parenting",
              "baseline": { "value": 50, "period": "2023-04" }, "target": { "value": 80, "period": "2024-04" } }
        ],
        "services": [
            { "id": "corporate-parenting", "name": "Corporate Parenting", "head": "Head of Service, Corporate Parenting",
              "data": [ { "indicator": "TEST-PCT", "value": 60, "note": "steady" } ],
              "audits": { "completed": 10,
                          "ratings": { "outstanding": 1, "good": 6, "requires_improvement": 2, "inadequate": 1 },
                          "with_family_feedback": 7,
                          "findings": [ { "kind": "strength", "theme": "Life-story work", "text": "Good." } ] },
              "feedback": [ { "source": "families", "theme": "Communication", "count": 2, "sentiment": "mixed", "quotes": ["ok"] } ] }
        ],
        "actions": [
            { "ref": "T.1", "text": "Test action", "owner": "Head of Service, Corporate Parenting",
              "service": "corporate-parenting", "due": "2023-12-31", "status": "open", "source": "test" }
        ]
    })
}

/// Winds a database back from schema v10 (drafts keyed by screen, not
/// role; the last write's mark) to v9.
pub fn undo_v10(conn: &rusqlite::Connection) {
    undo_v11(conn);
    conn.execute_batch(
        "ALTER TABLE drafts RENAME COLUMN screen TO role;
         ALTER TABLE file_mark DROP COLUMN last_write;
         PRAGMA user_version = 9;",
    )
    .unwrap();
}

/// Winds a database back from schema v11 (SPC rebase periods) to v10.
pub fn undo_v11(conn: &rusqlite::Connection) {
    conn.execute_batch("DROP TABLE spc_rebases; PRAGMA user_version = 10;").unwrap();
}

/// Winds a database back from schema v7 (one owner per name apart from
/// case and spacing), and the later schemas, as one written before it:
/// owners `folded` only by case, and no unique index on it.
pub fn undo_v7(conn: &rusqlite::Connection) {
    undo_v8(conn);
    conn.execute_batch(
        "DROP INDEX owners_folded;
         UPDATE owners SET folded = lower(name);
         PRAGMA user_version = 6;",
    )
    .unwrap();
}

/// Winds a database back from schema v8 (the chair's published row and
/// timer), as one written before it.
pub fn undo_v8(conn: &rusqlite::Connection) {
    // v9 is indexes made IF NOT EXISTS: they may stay.
    undo_v10(conn);
    conn.execute_batch(
        "ALTER TABLE meeting_presence DROP COLUMN selected_row;
         ALTER TABLE meeting_presence DROP COLUMN timer_seconds;
         ALTER TABLE meeting_presence DROP COLUMN timer_running;
         PRAGMA user_version = 7;",
    )
    .unwrap();
}

/// Winds a database back from schema v6 (the meeting's history and
/// approval), and the later schemas, as one written before it.
pub fn undo_v6(conn: &rusqlite::Connection) {
    undo_v7(conn);
    conn.execute_batch(
        "DROP TABLE meeting_history;
         ALTER TABLE meetings DROP COLUMN approved_at;
         ALTER TABLE meetings DROP COLUMN approved_by;
         PRAGMA user_version = 5;",
    )
    .unwrap();
}

/// Winds a database back from schema v5 (the file's mark and its
/// triggers), and the later schemas, as one written before it.
pub fn undo_v5(conn: &rusqlite::Connection) {
    undo_v6(conn);
    let marks: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'mark%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in marks {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch("DROP TABLE file_mark; PRAGMA user_version = 4;").unwrap();
}

/// `TEST-PCT` (higher is better, target 80) for `values.len()` months from
/// 2022-01, one pack a month; `rebase` on the first pack's indicator.
pub fn series_db(values: &[f64], rebase: &[&str]) -> TestDb {
    let db = TestDb::new();
    let mut files = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let period = format!("{}-{:02}", 2022 + i / 12, i % 12 + 1);
        let mut pack = base_pack();
        pack["period"] = period.clone().into();
        pack["services"][0]["data"][0]["value"] = (*v).into();
        pack["actions"] = serde_json::json!([]);
        if i == 0 && !rebase.is_empty() {
            pack["indicators"][0]["rebase"] = serde_json::json!(rebase);
        }
        files.push(db.file(&format!("{period}.json"), serde_json::to_vec(&pack).unwrap()));
    }
    db.cmd().arg("import").args(&files).assert().success();
    db
}
