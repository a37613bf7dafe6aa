//! The minutes are written as the store reads them (`qprm minutes`, every
//! format, to standard output and to a file): the streamed bytes are the
//! collected `Minutes`' bytes, on a generated database whose later meetings
//! carry dozens to hundreds of actions with changes at and between meetings.

mod common;

use qprm::report::minutes::{html, markdown};
use qprm::store::Store;

fn qprm(db: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("qprm").unwrap();
    c.env("QPRM_DB", db).env("QPRM_TODAY", "2026-06-01");
    c
}

#[test]
fn streamed_minutes_are_the_collected_minutes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    qprm(&db)
        .args(["generate", "--years", "2", "--services", "4", "--actions", "1500", "--out"])
        .arg(&db)
        .assert()
        .success();
    let store = Store::open(&db, "test").unwrap();
    let mut meetings = store.meetings(1000).unwrap();
    meetings.sort_by_key(|m| m.id);
    let last = meetings.iter().map(|m| m.id).max().unwrap();
    drop(store);
    // A change between meetings (no meeting) to an open action: such
    // changes are found through their own index, not action by action.
    let open = common::stdout_json(&qprm(&db).args(["actions", "--json"]).output().unwrap());
    let reference = open[0]["ref"].as_str().unwrap().to_string();
    qprm(&db).args(["action", "update", &reference, "--note", "chased by email"]).assert().success();

    let store = Store::open(&db, "test").unwrap();
    for id in [meetings[meetings.len() / 2].id, last] {
        let minutes = store.minutes(id).unwrap();
        let carried: usize = minutes.services.iter().map(|s| s.business.carried_forward.len()).sum();
        assert!(carried > 50, "meeting {id} carries {carried} actions");
        let mut json = Vec::new();
        qprm::cli::json::write_pretty(&mut json, &minutes).unwrap();
        json.push(b'\n');
        for (format, collected) in
            [("md", markdown(&minutes).into_bytes()), ("html", html(&minutes).into_bytes()), ("json", json)]
        {
            let out = qprm(&db).args(["minutes", &id.to_string(), "--format", format]).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(out.stdout == collected, "meeting {id}, {format}: streamed output differs from collected");
            let file = dir.path().join(format!("m{id}.{format}"));
            qprm(&db).args(["minutes", &id.to_string(), "--format", format, "-o"]).arg(&file).assert().success();
            assert!(std::fs::read(&file).unwrap() == collected, "meeting {id}, {format} to a file");
        }
    }
}
