//! The minutes carry statistical process control: variation and assurance
//! for each headline indicator (red, amber, or special cause whatever its
//! RAG), and in HTML an inline SVG SPC chart for each, self-contained and
//! sized for A4. Golden files of both formats on 24 months of one indicator.

mod common;

use common::TestDb;

/// 24 months of TEST-PCT (higher is better, baseline 50, target 80): a calm
/// year, a month far below the limits, then a rise of eleven.
const SERIES: [f64; 24] = [
    62.0, 58.0, 61.0, 57.0, 63.0, 59.0, 60.0, 58.0, 62.0, 61.0, 59.0, 60.0, 40.0, 58.0, 60.0, 62.0, 64.0, 66.0, 68.0,
    70.0, 71.0, 72.0, 73.0, 74.0,
];

fn meeting_db(values: &[f64]) -> TestDb {
    let db = common::series_db(values, &[]);
    let last = format!("{}-{:02}", 2022 + (values.len() - 1) / 12, (values.len() - 1) % 12 + 1);
    db.cmd()
        .args(["meeting", "new", "--date", "2024-01-16", "--period", &last, "--chair", "Director"])
        .assert()
        .success();
    db
}

fn minutes(db: &TestDb, format: &str) -> String {
    let out = db.cmd().args(["minutes", "2024-01-16", "--format", format]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn html_minutes_carry_an_spc_chart_per_headline_indicator() {
    let db = meeting_db(&SERIES);
    let html = minutes(&db, "html");
    assert_eq!(html.matches("<svg ").count(), 1, "one headline indicator, one chart");
    assert!(html.contains("<figcaption>A test percentage (TEST-PCT): variation: special cause: improvement; assurance: will consistently miss the target.</figcaption>"));
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained");
    assert!(html.contains("@page { size: A4;") && html.contains("max-width: 180mm"));
    insta::assert_snapshot!("minutes_spc_html", html);
    let md = minutes(&db, "md");
    assert!(md.contains("| special cause: improvement | will consistently miss the target |"));
    insta::assert_snapshot!("minutes_spc_md", md);
}

#[test]
fn a_green_with_special_cause_is_in_the_headline() {
    // Green all along (target 80 met), then seven months rising: a trend.
    let mut v: Vec<f64> = (0..12).map(|i| if i % 2 == 0 { 86.0 } else { 84.0 }).collect();
    v.extend([83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0]);
    let db = meeting_db(&v);
    let md = minutes(&db, "md");
    assert!(md.contains("| ● GREEN | A test percentage (TEST-PCT)"), "{md}");
    assert!(md.contains("special cause: improvement"));
    assert!(md.contains("0 further indicator(s) green"), "not counted twice");
    // Fewer than 12 months: in the table as none, and no chart.
    let db = meeting_db(&[40.0; 6]);
    let html = minutes(&db, "html");
    assert!(html.contains("not enough data (fewer than 12 months)"));
    assert!(!html.contains("<svg"));
}
