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
    let view =
        store.service_view(&m, "service-01", chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), 0, false).unwrap();
    assert_eq!(view.kpis.len(), 4);
    assert!(!view.actions.rows.is_empty());
    assert!(view.actions.total >= view.actions.rows.len());
}

/// A late meeting on a big log: thousands of actions in the Actions
/// section, held a page at a time.
fn long_list() -> (tempfile::TempDir, qprm::store::Store, qprm::store::MeetingRecord) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = qprm::store::Store::open(&dir.path().join("big.db"), "test").unwrap();
    store.generate(qprm::store::GenerateOptions { years: 1, services: 2, actions: 20_000 }).unwrap();
    let m = store.latest_meeting().unwrap().unwrap();
    (dir, store, m)
}

fn meeting_day(m: &qprm::store::MeetingRecord) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(&m.date, "%Y-%m-%d").unwrap()
}

#[test]
fn the_actions_section_pages_through_a_long_list_in_order() {
    use qprm::store::ACTIONS_PAGE;
    let (_dir, store, m) = long_list();
    let (service, day) = (m.agenda[0].as_str(), meeting_day(&m));
    let all = store.meeting_actions_page(m.id, Some(service), day, (0, usize::MAX / 2), true).unwrap();
    assert!(all.total > 3 * ACTIONS_PAGE, "a long list: {}", all.total);
    assert_eq!(all.rows.len(), all.total);
    // Pages stitch together into exactly the whole list.
    let mut stitched = Vec::new();
    for offset in (0..all.total).step_by(ACTIONS_PAGE) {
        let page = store.meeting_actions_page(m.id, Some(service), day, (offset, ACTIONS_PAGE), true).unwrap();
        assert_eq!((page.total, page.offset), (all.total, offset));
        stitched.extend(page.rows);
    }
    assert_eq!(stitched, all.rows);
    // The same actions as the minutes list this meeting; carried forward
    // first (open and closed at this meeting together), then raised at it;
    // each part in due order.
    let minutes = store.minutes(m.id).unwrap();
    let minuted = &minutes.services.iter().find(|s| s.service.id == service).unwrap().business;
    let mut expected: Vec<String> = minuted
        .carried_forward
        .iter()
        .map(|c| &c.action)
        .chain(&minuted.new_actions)
        .map(|a| a.reference.clone())
        .collect();
    // Actions raised here and undone (dropped) are listed, not minuted.
    let undone =
        |a: &qprm::store::ViewAction| !a.carried_forward && a.action.status == qprm::domain::ActionStatus::Dropped;
    let mut got: Vec<String> = all.rows.iter().filter(|a| !undone(a)).map(|a| a.action.reference.clone()).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    let block = |a: &qprm::store::ViewAction| if a.carried_forward { 0 } else { 1 };
    for w in all.rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(block(a) <= block(b), "{} before {}", a.action.reference, b.action.reference);
        if block(a) == block(b) {
            assert!(
                a.action.due <= b.action.due,
                "{} due {} before {} due {}",
                a.action.reference,
                a.action.due,
                b.action.reference,
                b.action.due
            );
        }
    }
    assert!(all.rows.iter().any(|a| !a.carried_forward), "some raised at this meeting");
    assert!(all.rows.iter().any(|a| a.carried_forward && a.action.status.is_closed()), "some closed at it");
}

#[test]
fn moving_through_a_long_actions_list_loads_the_page_around_the_selection() {
    use qprm::tui::app::{App, Effect, Mode, Screen};
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    let (_dir, mut store, m) = long_list();
    let mut app = App::new(&store, m.id, Mode::default(), false, meeting_day(&m)).unwrap();
    fn press(app: &mut App, store: &mut qprm::store::Store, code: KeyCode) {
        if let Some(effect) = app.on_key(KeyEvent::from(code)) {
            app.perform(store, effect).unwrap();
        }
    }
    press(&mut app, &mut store, KeyCode::Char(']'));
    press(&mut app, &mut store, KeyCode::Char('4'));
    assert_eq!(app.screen, Screen::Service);
    let total = app.view.as_ref().unwrap().actions.total;
    assert!(total > 3 * qprm::store::ACTIONS_PAGE);
    let full = store.meeting_actions_page(m.id, Some(&m.agenda[0]), meeting_day(&m), (0, total), true).unwrap().rows;
    press(&mut app, &mut store, KeyCode::End);
    assert_eq!(app.selected[qprm::domain::Section::Actions], total - 1);
    assert_eq!(app.selected_action().unwrap().reference, full[total - 1].action.reference, "the last action");
    assert!(app.view.as_ref().unwrap().actions.rows.len() <= qprm::store::ACTIONS_PAGE, "one page held");
    // Back up past the page's start, one row at a time: each row is the right one.
    for i in 0..(qprm::store::ACTIONS_PAGE + 10) {
        press(&mut app, &mut store, KeyCode::Up);
        let want = total - 2 - i;
        assert_eq!(app.selected_action().unwrap().reference, full[want].action.reference, "row {want}");
    }
    press(&mut app, &mut store, KeyCode::Home);
    assert_eq!(app.selected_action().unwrap().reference, full[0].action.reference);
    // A reload (another screen wrote) keeps the selection and its page.
    press(&mut app, &mut store, KeyCode::Down);
    app.perform(&mut store, Effect::Reload).unwrap();
    assert_eq!(app.selected_action().unwrap().reference, full[1].action.reference);
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
