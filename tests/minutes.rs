//! Minutes: golden files (insta snapshots) in each format on the fixtures,
//! and carry-forward across two meetings.

use chrono::NaiveDate;
use qprm::domain::{ActionStatus, Period};
use qprm::report::minutes::{html, markdown};
use qprm::store::{ActionChange, NewAction, NewMeeting, Store};

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn new_action(text: &str, service: &str, meeting: i64, due: &str) -> NewAction {
    NewAction {
        text: text.into(),
        owner: format!("Head of Service, {service}"),
        due: date(due),
        service: Some(service.into()),
        meeting: Some(meeting),
        indicator: None,
    }
}

/// A meeting before the sample one (2023-10-10, reviewing 2023-09).
fn october_meeting(store: &mut Store) -> qprm::store::MeetingRecord {
    let october = NewMeeting {
        date: date("2023-10-10"),
        period: "2023-09".parse::<Period>().ok(),
        chair: Some("Director".into()),
        ..Default::default()
    };
    store.create_meeting(&october).unwrap()
}

/// The demo meeting with a realistic set of things recorded in it.
fn recorded_meeting() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q.db"), "minutes").unwrap();
    let m = qprm::samples::load_samples(&mut store).unwrap();
    store.record_decision(m, Some("corporate-parenting"), "Escalate health assessment delays to the ICB").unwrap();
    store.record_decision(m, Some("early-help"), "Pilot the <new> audit tool & report back").unwrap();
    let undone = store.record_decision(m, Some("early-help"), "Recorded in error").unwrap();
    store.withdraw_decision(undone.id, "undone from the meeting screen (u)").unwrap();
    store
        .record_action(&new_action(
            "Report on placement stability for older teenagers",
            "corporate-parenting",
            m,
            "2024-01-31",
        ))
        .unwrap();
    let oops = store.record_action(&new_action("Typed in error", "corporate-parenting", m, "2024-01-31")).unwrap();
    store
        .update_action(
            &oops.reference,
            &ActionChange {
                status: Some(ActionStatus::Dropped),
                note: Some("undone".into()),
                meeting: Some(m),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .update_action(
            "1.11",
            &ActionChange {
                note: Some("Draft to Corporate Parenting Board in December".into()),
                meeting: Some(m),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .update_action(
            "1.12",
            &ActionChange {
                status: Some(ActionStatus::Done),
                note: Some("review actions complete".into()),
                meeting: Some(m),
                ..Default::default()
            },
        )
        .unwrap();
    (dir, store, m)
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ filters => vec![(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[timestamp]")] }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn minutes_in_every_format_match_the_golden_files() {
    let (_d, store, m) = recorded_meeting();
    let minutes = store.minutes(m).unwrap();
    let md = markdown(&minutes);
    snapshot("minutes_md", &md);
    let html = html(&minutes);
    snapshot("minutes_html", &html);
    snapshot("minutes_json", &serde_json::to_string_pretty(&minutes).unwrap());

    assert!(md.contains("| A1 | Report on placement stability"), "new action listed");
    assert!(!md.contains("Typed in error"), "an undone action is not minuted");
    assert!(!md.contains("Recorded in error"), "a withdrawn decision is not minuted");
    assert!(md.contains("| 1.12 |") && md.contains("done"), "closed in the meeting shows as closed");
    assert!(md.contains("Draft to Corporate Parenting Board in December"), "the update given at the meeting");
    assert!(html.contains("Pilot the &lt;new&gt; audit tool &amp; report back"), "HTML escapes all text");
    assert!(!html.contains("<new>"));
    assert!(html.contains("page-break-before: always") && html.contains("size: A4"), "prints on A4, a service a page");
    assert_eq!(md, markdown(&store.minutes(m).unwrap()), "stable from run to run");
}

#[test]
fn open_actions_carry_forward_to_the_next_meeting_with_their_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q.db"), "minutes").unwrap();
    qprm::samples::load_samples(&mut store).unwrap(); // meeting 1: 2023-11-14
    let october = october_meeting(&mut store);
    let november = store.find_meeting("2023-11-14").unwrap();
    let a = store
        .record_action(&new_action("Audit supervision in Early Help", "early-help", october.id, "2023-11-30"))
        .unwrap();
    // At the November meeting the action is reviewed: new date, a note.
    store
        .update_action(
            &a.reference,
            &ActionChange {
                due: date("2023-12-15"),
                note: Some("half the audits done".into()),
                meeting: Some(november.id),
                ..Default::default()
            },
        )
        .unwrap();
    let raised_later =
        store.record_action(&new_action("Raised in November", "early-help", november.id, "2024-01-31")).unwrap();

    let nov = store.minutes(november.id).unwrap();
    let eh = nov.services.iter().find(|s| s.service.id == "early-help").unwrap();
    let carried =
        eh.business.carried_forward.iter().find(|c| c.action.reference == a.reference).expect("carried forward");
    assert_eq!(carried.action.due, "2023-12-15");
    let notes: Vec<_> = carried.updates.iter().filter_map(|u| u.note.as_deref()).collect();
    assert_eq!(notes, ["half the audits done"]);
    assert!(eh.business.new_actions.iter().any(|n| n.reference == raised_later.reference));
    let md = markdown(&nov);
    assert!(md.contains("due: 2023-11-30 → 2023-12-15 — half the audits done"), "{md}");

    let oct = store.minutes(october.id).unwrap();
    let eh = oct.services.iter().find(|s| s.service.id == "early-help").unwrap();
    assert!(eh.business.new_actions.iter().any(|n| n.reference == a.reference), "raised in October");
    assert!(
        eh.business.carried_forward.iter().all(|c| c.action.reference != raised_later.reference),
        "nothing from later meetings"
    );
    assert!(eh.business.new_actions.iter().all(|n| n.reference != raised_later.reference));
}

mod common;

/// The meeting's own business: decisions and actions with no service, from
/// the CLI with and without a meeting, are minuted in every format and
/// counted in the owner summary.
#[test]
fn meeting_wide_business_is_minuted_and_counted() {
    let db = common::TestDb::with_meeting();
    db.cmd().args(["decision", "add", "Move the QPRM to the second Tuesday", "--meeting", "1"]).assert().success();
    let raised = ["Circulate the revised terms of reference", "--owner", "Business Support Manager"];
    db.cmd().args(["action", "add"]).args(raised).args(["--due", "30/11/2023", "--meeting", "1"]).assert().success();
    // The README's own example: no service, no meeting.
    db.cmd()
        .args(["action", "add", "Book the Scrutiny briefing", "--owner", "Business Support Manager", "--due", "+2w"])
        .assert()
        .success();
    let run = |format: &str| {
        let out = db.cmd().args(["minutes", "1", "--format", format]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let md = run("md");
    let other = &md[md.find("## Other business").expect("an Other business part")..];
    for text in [
        "Move the QPRM to the second Tuesday",
        "Circulate the revised terms of reference",
        "Book the Scrutiny briefing",
    ] {
        assert!(other.contains(text), "{text} under Other business:\n{other}");
        assert!(run("html").contains(text), "{text} in the HTML");
    }
    assert!(other.contains("| Business Support Manager | 2 | 0 |"), "counted in the owner summary:\n{other}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let ob = &json["other_business"];
    assert_eq!(ob["decisions"][0]["text"], "Move the QPRM to the second Tuesday");
    assert_eq!(ob["new_actions"][0]["text"], "Circulate the revised terms of reference");
    assert_eq!(ob["carried_forward"][0]["text"], "Book the Scrutiny briefing");
}

/// For each carried-forward action the next minutes show its net changes
/// since the last meeting, from the screen or the CLI, with or without
/// `--meeting`; a change later undone, or a field back where it started,
/// is not shown.
#[test]
fn updates_since_the_last_meeting_are_net_and_include_the_cli_between_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q.db"), "minutes").unwrap();
    let first = qprm::samples::load_samples(&mut store).unwrap(); // 2023-11-14
    // The next meeting is ahead of today, so today's changes fall before it.
    let next_day = chrono::Local::now().date_naive() + chrono::Days::new(30);
    let next = store
        .create_meeting(&NewMeeting {
            date: Some(next_day),
            period: "2023-11".parse::<Period>().ok(),
            chair: Some("Director".into()),
            ..Default::default()
        })
        .unwrap();
    let change = |store: &mut Store, c: ActionChange| store.update_action("1.11", &c).unwrap();
    // Between meetings, from the CLI: a new date with a note, and an owner
    // changed and changed back.
    change(
        &mut store,
        ActionChange { due: date("2024-01-31"), note: Some("awaiting data".into()), ..Default::default() },
    );
    change(&mut store, ActionChange { owner: Some("Someone Else".into()), ..Default::default() });
    change(
        &mut store,
        ActionChange { owner: Some("Head of Service, Corporate Parenting".into()), ..Default::default() },
    );
    // At the next meeting: done, undone, done again.
    let at = Some(next.id);
    change(
        &mut store,
        ActionChange {
            status: Some(ActionStatus::Done),
            meeting: at,
            note: Some("first go".into()),
            ..Default::default()
        },
    );
    let undo = Some(qprm::domain::history::UNDO_NOTE.to_string());
    change(
        &mut store,
        ActionChange { status: Some(ActionStatus::InProgress), meeting: at, note: undo, ..Default::default() },
    );
    change(
        &mut store,
        ActionChange {
            status: Some(ActionStatus::Done),
            meeting: at,
            note: Some("all booked".into()),
            ..Default::default()
        },
    );

    let minutes = store.minutes(next.id).unwrap();
    let cp = minutes.services.iter().find(|s| s.service.id == "corporate-parenting").unwrap();
    let carried = cp.business.carried_forward.iter().find(|c| c.action.reference == "1.11").expect("carried");
    let words: Vec<String> =
        carried.updates.iter().map(|u| qprm::domain::history::describe_change(&u.as_change())).collect();
    assert_eq!(words, ["due: 2023-10-31 → 2024-01-31 — awaiting data", "status: in progress → done — all booked"]);
    assert!(
        markdown(&minutes)
            .contains("due: 2023-10-31 → 2024-01-31 — awaiting data; status: in progress → done — all booked")
    );
    // None of it happened before the first meeting.
    let earlier = store.minutes(first).unwrap();
    let cp = earlier.services.iter().find(|s| s.service.id == "corporate-parenting").unwrap();
    // (Closed since, at a later meeting, 1.11 is no longer among them at all.)
    assert!(
        cp.business
            .carried_forward
            .iter()
            .all(|c| c.updates.iter().all(|u| u.field != "due" || c.action.reference != "1.11"))
    );
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc)
}

/// The next meeting's minutes open with whether the previous meeting's were
/// agreed; a meeting's own minutes say whether they were, and why they were
/// reopened.
#[test]
fn minutes_show_their_approval_and_open_with_the_previous_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q.db"), "cli").unwrap();
    let november = qprm::samples::load_samples(&mut store).unwrap(); // 2023-11-14
    let october = october_meeting(&mut store);
    let today = date("2023-11-14").unwrap();

    let nov = store.minutes(november).unwrap();
    let md = markdown(&nov);
    assert!(md.contains("Minutes of the meeting of 10 October 2023: not yet approved."), "{md}");
    assert!(md.contains("- **These minutes:** not yet approved"), "{md}");
    let oct = markdown(&store.minutes(october.id).unwrap());
    assert!(!oct.contains("previous meeting"), "the first meeting has none: {oct}");

    store.approve_meeting(october.id, today, at("2023-11-14T10:05:00Z")).unwrap();
    store.reopen_meeting(october.id, "decision 2 misquoted", at("2023-11-14T10:20:00Z")).unwrap();
    store.approve_meeting(october.id, today, at("2023-11-14T10:30:00Z")).unwrap();

    let nov = store.minutes(november).unwrap();
    let md = markdown(&nov);
    let opening = md.split("## 1.").next().unwrap();
    snapshot("minutes_md_opening_after_the_previous_were_approved", opening);
    assert!(md.contains("Minutes of the meeting of 10 October 2023: approved on 14 November 2023 (by cli)."), "{md}");
    let first_service = md.find("## 1. ").unwrap();
    assert!(md.find("Minutes of the meeting of").unwrap() < first_service, "it opens the minutes");
    let html = html(&nov);
    assert!(html.contains("<p>Minutes of the meeting of 10 October 2023: approved on 14 November 2023 (by cli).</p>"));
    let json = serde_json::to_value(&nov).unwrap();
    assert_eq!(json["previous"]["date"], "2023-10-10");
    assert_eq!(json["previous"]["approved_at"], "2023-11-14T10:30:00Z");
    assert_eq!(json["previous"]["approved_by"], "cli");
    assert_eq!(json["meeting"]["approved_at"], serde_json::Value::Null);

    let oct = store.minutes(october.id).unwrap();
    let md = markdown(&oct);
    assert!(
        md.contains(
            "- **These minutes:** approved on 14 November 2023 (by cli); reopened on 14 November 2023 (by cli): decision 2 misquoted; approved on 14 November 2023 (by cli)"
        ),
        "{md}"
    );
    let json = serde_json::to_value(&oct).unwrap();
    let steps: Vec<_> = json["approval_history"].as_array().unwrap().iter().map(|h| h["new"].clone()).collect();
    assert_eq!(steps, ["approved", "reopened", "approved"]);
    assert_eq!(json["approval_history"][1]["note"], "decision 2 misquoted");
    assert!(html_contains_reason(&oct));
}

fn html_contains_reason(m: &qprm::store::Minutes) -> bool {
    html(m).contains("<dt>These minutes</dt><dd>approved on 14 November 2023 (by cli); reopened on 14 November 2023 (by cli): decision 2 misquoted")
}
