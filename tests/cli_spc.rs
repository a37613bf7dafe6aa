//! Statistical process control from the command line: `kpi --json` rows
//! carry variation and assurance, `kpi CODE --json` its chart, the human
//! `kpi CODE` a chart in text, and `--rebase` / `--no-rebase` are stored,
//! shown and reversible (also from a pack's `rebase`).

mod common;

use common::{TestDb, stdout_json};
use predicates::str::contains;

/// 12 calm months (mean 60, limits 60 ± 26.6), then one far above.
fn calm_then_jump() -> Vec<f64> {
    let mut v: Vec<f64> = (0..12).map(|i| if i % 2 == 0 { 65.0 } else { 55.0 }).collect();
    v.push(99.0);
    v
}

#[test]
fn kpi_rows_carry_variation_and_assurance() {
    let db = common::series_db(&calm_then_jump(), &[]);
    let out = db.cmd().args(["kpi", "--json", "--service", "corporate-parenting"]).output().unwrap();
    let rows = stdout_json(&out);
    let row = &rows.as_array().unwrap()[0];
    assert_eq!(row["code"], "TEST-PCT");
    assert_eq!(row["variation"], "special_cause_improvement");
    assert_eq!(row["assurance"], "hit_and_miss");
    db.cmd()
        .args(["kpi", "--service", "corporate-parenting"])
        .assert()
        .success()
        .stdout(contains("special cause (SPC): 0 concern, 1 improvement"));
    // A month earlier there are only 12 values: the chart is common cause.
    let out = db.cmd().args(["kpi", "--json", "--period", "2022-12"]).output().unwrap();
    assert_eq!(stdout_json(&out)[0]["variation"], "common_cause");
    let out = db.cmd().args(["kpi", "--json", "--period", "2022-11"]).output().unwrap();
    assert_eq!(stdout_json(&out)[0]["variation"], "none", "11 values: no chart");
    assert_eq!(stdout_json(&out)[0]["assurance"], "none");
}

#[test]
fn kpi_code_json_has_the_chart_and_each_points_special_cause() {
    let db = common::series_db(&calm_then_jump(), &[]);
    let out = db.cmd().args(["kpi", "TEST-PCT", "--json"]).output().unwrap();
    let s = stdout_json(&out);
    let spc = &s["spc"];
    for key in ["mean", "lower_limit", "upper_limit", "variation", "assurance", "rebase"] {
        assert!(spc.get(key).is_some(), "spc has {key}");
    }
    assert_eq!(spc["variation"], "special_cause_improvement");
    assert_eq!(spc["rebase"], serde_json::json!([]));
    let series = s["series"].as_array().unwrap();
    assert_eq!(series.len(), 13);
    assert!(series[..12].iter().all(|p| p["special_cause"].is_null()));
    assert_eq!(series[12]["special_cause"], "improvement");
    let mean = spc["mean"].as_f64().unwrap();
    let (lo, hi) = (spc["lower_limit"].as_f64().unwrap(), spc["upper_limit"].as_f64().unwrap());
    assert!((hi - mean - (mean - lo)).abs() < 1e-9 && hi < 99.0);
}

#[test]
fn human_kpi_code_shows_the_chart_in_text() {
    let db = common::series_db(&calm_then_jump(), &[]);
    db.cmd()
        .args(["kpi", "TEST-PCT"])
        .assert()
        .success()
        .stdout(contains("SPC: mean"))
        .stdout(contains("variation: special cause: improvement"))
        .stdout(contains("assurance: will hit and miss the target"))
        .stdout(contains("+ improvement"))
        .stdout(contains("|"));
    let short = common::series_db(&[60.0; 5], &[]);
    short
        .cmd()
        .args(["kpi", "TEST-PCT"])
        .assert()
        .success()
        .stdout(contains("no chart yet (5 of the 12 months needed)"));
}

#[test]
fn rebase_is_stored_shown_and_reversible() {
    // A step from ~50 to ~70 after 12 months: one process it is not.
    let mut v: Vec<f64> = (0..12).map(|i| if i % 2 == 0 { 52.0 } else { 48.0 }).collect();
    v.extend((0..12).map(|i| if i % 2 == 0 { 72.0 } else { 68.0 }));
    let db = common::series_db(&v, &[]);
    let spc = |db: &TestDb| stdout_json(&db.cmd().args(["kpi", "TEST-PCT", "--json"]).output().unwrap())["spc"].clone();
    assert_eq!(spc(&db)["variation"], "special_cause_improvement", "a run of 12 above the mean");
    db.cmd()
        .args(["kpi", "test-pct", "--rebase", "2023-01"])
        .assert()
        .success()
        .stderr(contains("rebase at 2023-01 recorded"));
    let after = spc(&db);
    assert_eq!(after["rebase"], serde_json::json!(["2023-01"]));
    assert_eq!(after["variation"], "common_cause");
    assert!((after["mean"].as_f64().unwrap() - 70.0).abs() < 1e-9);
    assert_eq!(after["segments"].as_array().unwrap().len(), 2);
    db.cmd().args(["kpi", "TEST-PCT"]).assert().success().stdout(contains("rebase on record: 2023-01"));
    // Bad input names what and where, exit 2, changes nothing.
    let before = db.snapshot();
    db.cmd()
        .args(["kpi", "TEST-PCT", "--no-rebase", "2023-02"])
        .assert()
        .code(2)
        .stderr(contains("has no rebase at 2023-02 (it has: 2023-01)"));
    db.cmd().args(["kpi", "TEST-PCT", "--rebase", "2023-13"]).assert().code(2).stderr(contains("--rebase"));
    db.cmd()
        .args(["kpi", "NOPE", "--rebase", "2023-01"])
        .assert()
        .code(2)
        .stderr(contains("no indicator with code 'NOPE'"));
    db.cmd().args(["kpi", "--rebase", "2023-01"]).assert().code(2);
    assert_eq!(db.snapshot(), before);
    db.cmd().args(["kpi", "TEST-PCT", "--no-rebase", "2023-01"]).assert().success();
    assert_eq!(spc(&db)["rebase"], serde_json::json!([]));
    assert_eq!(spc(&db)["variation"], "special_cause_improvement");
}

#[test]
fn a_packs_rebase_is_imported_once_and_a_removal_stands() {
    let mut v: Vec<f64> = (0..12).map(|i| if i % 2 == 0 { 52.0 } else { 48.0 }).collect();
    v.extend((0..12).map(|i| if i % 2 == 0 { 72.0 } else { 68.0 }));
    let db = common::series_db(&v, &["2023-01"]);
    let spc = |db: &TestDb| stdout_json(&db.cmd().args(["kpi", "TEST-PCT", "--json"]).output().unwrap())["spc"].clone();
    assert_eq!(spc(&db)["rebase"], serde_json::json!(["2023-01"]));
    assert_eq!(spc(&db)["variation"], "common_cause");
    db.cmd().args(["kpi", "TEST-PCT", "--no-rebase", "2023-01"]).assert().success();
    let mut pack = common::base_pack();
    pack["period"] = "2022-01".into();
    pack["services"][0]["data"][0]["value"] = 52.0.into();
    pack["actions"] = serde_json::json!([]);
    pack["indicators"][0]["rebase"] = serde_json::json!(["2023-01"]);
    let f = db.file("again.json", serde_json::to_vec(&pack).unwrap());
    db.cmd().arg("import").arg(&f).assert().success();
    assert_eq!(spc(&db)["rebase"], serde_json::json!([]), "taken out stays out");
    // A malformed rebase is a pack error with its path.
    pack["indicators"][0]["rebase"] = serde_json::json!(["Jan 2023"]);
    let f = db.file("bad.json", serde_json::to_vec(&pack).unwrap());
    db.cmd().arg("import").arg(&f).assert().code(2).stderr(contains("indicators[0].rebase[0]"));
}
