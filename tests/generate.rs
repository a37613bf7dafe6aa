//! `qprm generate`: a synthetic database of realistic shape, deterministic,
//! that never touches the user's own database.

mod common;

use common::stdout_json;
use predicates::str::contains;

fn qprm(user_db: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("qprm").unwrap();
    c.env("QPRM_DB", user_db).env("QPRM_TODAY", "2026-06-01");
    c
}

#[test]
fn generates_a_usable_deterministic_database_and_leaves_the_users_alone() {
    let dir = tempfile::tempdir().unwrap();
    let user_db = dir.path().join("mine.db");
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    for out in [&a, &b] {
        qprm(&user_db)
            .args(["generate", "--years", "2", "--services", "4", "--actions", "800", "--out"])
            .arg(out)
            .assert()
            .success()
            .stdout(contains("24 meetings, 4 services, 16 indicators, 384 values, 800 actions"));
    }
    assert!(!user_db.exists(), "the user's own database is never created or touched");
    qprm(&a).arg("check").assert().success();
    let log =
        |db: &std::path::Path| stdout_json(&qprm(db).args(["actions", "--status", "all", "--json"]).output().unwrap());
    let (la, lb) = (log(&a), log(&b));
    assert_eq!(la.as_array().unwrap().len(), 800);
    assert_eq!(la, lb, "same options, same data");
    let statuses: std::collections::HashSet<&str> =
        la.as_array().unwrap().iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert!(statuses.len() >= 3, "a realistic mix of statuses: {statuses:?}");
    // Everything built on it works: history, KPIs, search, minutes, the screen's view.
    let shown = stdout_json(&qprm(&a).args(["action", "show", "A1", "--json"]).output().unwrap());
    assert!(!shown["history"].as_array().unwrap().is_empty());
    assert_eq!(stdout_json(&qprm(&a).args(["kpi", "--json"]).output().unwrap()).as_array().unwrap().len(), 16);
    assert!(
        !stdout_json(&qprm(&a).args(["search", "supervision", "--json"]).output().unwrap())
            .as_array()
            .unwrap()
            .is_empty()
    );
    qprm(&a).args(["minutes", "24"]).assert().success().stdout(contains("## 1."));
    let store = qprm::store::Store::open(&a, "test").unwrap();
    let m = store.latest_meeting().unwrap().unwrap();
    let view = store.service_view(&m, "service-01", chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()).unwrap();
    assert_eq!(view.kpis.len(), 4);
    assert!(!view.actions.is_empty());
}

#[test]
fn generate_refuses_to_overwrite_and_checks_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let user_db = dir.path().join("mine.db");
    let existing = dir.path().join("exists.db");
    std::fs::write(&existing, "keep").unwrap();
    qprm(&user_db).args(["generate", "--out"]).arg(&existing).assert().code(2).stderr(contains("already exists"));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
    let out = dir.path().join("new.db");
    qprm(&user_db).args(["generate", "--years", "0", "--out"]).arg(&out).assert().code(2);
    assert!(!out.exists(), "a refused run leaves no half-built file");
}
