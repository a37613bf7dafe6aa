//! Store-layer tests: a fresh database per test, driven through the typed
//! API the CLI and the meeting screen share.

mod common;

use chrono::NaiveDate;
use qprm::domain::{ActionStatus, Direction, Period, Rag, StatusFilter};
use qprm::pack::{Known, parse_bytes};
use qprm::store::{ActionChange, ActionFilter, DecisionFilter, ImportOptions, NewAction, NewMeeting, Store};
use std::path::PathBuf;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 14).unwrap()
}

struct Fresh {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn fresh() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("qprm.db");
    Fresh { _dir: dir, path }
}

fn loaded() -> (Fresh, Store, i64) {
    let f = fresh();
    let mut store = Store::open(&f.path, "test").unwrap();
    let meeting = qprm::samples::load_samples(&mut store).unwrap();
    (f, store, meeting)
}

/// Winds a database back to schema v3 (before the v4 indexes), as one
/// written by an earlier qprm.
const UNDO_V4: &str = "DROP INDEX actions_owner_open; DROP INDEX actions_service_open;
    DROP INDEX actions_meeting_service; DROP INDEX action_history_closures;
    CREATE INDEX actions_meeting ON actions(meeting_id); PRAGMA user_version = 3;";

fn filter() -> ActionFilter {
    ActionFilter::all(today())
}

fn pack(json: serde_json::Value, known: &Known) -> qprm::pack::ValidPack {
    parse_bytes("test.json", &serde_json::to_vec(&json).unwrap(), known).unwrap()
}

#[cfg(unix)]
#[test]
fn new_database_is_owner_only_wal_and_versioned() {
    use std::os::unix::fs::PermissionsExt;
    let f = fresh();
    let store = Store::open(&f.path, "test").unwrap();
    drop(store);
    let mode = std::fs::metadata(&f.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "database file must be owner-only");
    let dir_mode = std::fs::metadata(f.path.parent().unwrap()).unwrap().permissions().mode() & 0o777;
    assert_eq!(dir_mode, 0o700, "a folder we create must be owner-only");
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 1);
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(app, qprm::store::APPLICATION_ID);
}

#[test]
fn foreign_newer_and_non_sqlite_files_are_refused_untouched() {
    let f = fresh();
    std::fs::create_dir_all(f.path.parent().unwrap()).unwrap();

    let foreign = f.path.with_file_name("foreign.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');").unwrap();
    drop(conn);
    let before = std::fs::read(&foreign).unwrap();
    let err = Store::open(&foreign, "test").err().expect("foreign db must be refused").to_string();
    assert!(err.contains("not a qprm one") && err.contains("left untouched"), "{err}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    let newer = f.path.with_file_name("newer.db");
    drop(Store::open(&newer, "test").unwrap());
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&newer).unwrap();
    let err = Store::open(&newer, "test").err().expect("newer db must be refused").to_string();
    assert!(err.contains("newer qprm") && err.contains("99"), "{err}");
    assert_eq!(std::fs::read(&newer).unwrap(), before);

    let text = f.path.with_file_name("notes.txt");
    std::fs::write(&text, "meeting notes, not a database").unwrap();
    let err = Store::open(&text, "test").err().expect("text file must be refused").to_string();
    assert!(err.contains("not an SQLite file"), "{err}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "meeting notes, not a database");
}

#[test]
fn reimport_is_idempotent_and_changes_need_replace_with_history() {
    let (_f, mut store, _) = loaded();
    let mut known = store.known().unwrap();
    let packs: Vec<_> = qprm::samples::SAMPLE_PACKS
        .iter()
        .map(|(name, text)| {
            let p = parse_bytes(name, text.as_bytes(), &known).unwrap();
            known.absorb(&p);
            p
        })
        .collect();
    let again = store.import_packs(&packs, ImportOptions::default()).unwrap();
    assert!(again.iter().all(|s| s.added.is_empty() && s.changed.is_empty()), "{again:?}");
    assert!(again.iter().all(|s| s.unchanged > 0));

    let before = store.kpi_series("CIC-HEALTH").unwrap();
    let july = before.series.iter().find(|p| p.period == "2023-07").unwrap().value;
    let mut changed: serde_json::Value =
        serde_json::from_str(qprm::samples::SAMPLE_PACKS.iter().find(|(name, _)| *name == "2023-07.json").unwrap().1)
            .unwrap();
    let cp = changed["services"].as_array_mut().unwrap().iter_mut().find(|s| s["id"] == "corporate-parenting").unwrap();
    let point = cp["data"].as_array_mut().unwrap().iter_mut().find(|d| d["indicator"] == "CIC-HEALTH").unwrap();
    point["value"] = serde_json::json!(july + 1.0);
    let changed = pack(changed, &known);

    // The store names the conflicts; wording them (and the flag) is the CLI's.
    match store.import_packs(std::slice::from_ref(&changed), ImportOptions::default()) {
        Err(qprm::Error::ImportConflicts(list)) => {
            let items: Vec<&str> = list.iter().map(|c| c.item.as_str()).collect();
            assert_eq!(items, ["value CIC-HEALTH 2023-07"]);
        }
        other => panic!("expected ImportConflicts, got {other:?}"),
    }
    assert_eq!(store.kpi_series("CIC-HEALTH").unwrap(), before, "refused import changed nothing");
    let dry =
        store.import_packs(std::slice::from_ref(&changed), ImportOptions { replace: true, dry_run: true }).unwrap();
    assert_eq!(dry[0].changed, vec!["value CIC-HEALTH 2023-07".to_string()]);
    assert_eq!(store.kpi_series("CIC-HEALTH").unwrap(), before, "a dry run changes nothing");
    assert!(store.replacements("value CIC-HEALTH 2023-07").unwrap().is_empty(), "nor its history");

    let done = store.import_packs(&[changed], ImportOptions { replace: true, dry_run: false }).unwrap();
    assert_eq!(done[0].changed, vec!["value CIC-HEALTH 2023-07".to_string()]);
    let after = store.kpi_series("CIC-HEALTH").unwrap();
    assert_eq!(after.series.iter().find(|p| p.period == "2023-07").unwrap().value, july + 1.0);
    let history = store.replacements("value CIC-HEALTH 2023-07").unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].old.as_deref().unwrap().contains(&july.to_string()), "{history:?}");
}

#[test]
fn per_service_pack_imports_against_stored_indicators() {
    let (_f, mut store, _) = loaded();
    let known = store.known().unwrap();
    let one = pack(
        serde_json::json!({
            "format": "qprm-pack/1", "period": "2023-11",
            "services": [ { "id": "corporate-parenting", "name": "Corporate Parenting",
                            "head": "Head of Service, Corporate Parenting",
                            "data": [ { "indicator": "CIC-HEALTH", "value": 96.1 } ] } ]
        }),
        &known,
    );
    store.import_packs(&[one], ImportOptions::default()).unwrap();
    let rows = store.kpi_rows(Some("corporate-parenting"), None).unwrap();
    let health = rows.iter().find(|r| r.code == "CIC-HEALTH").unwrap();
    assert_eq!((health.period.as_deref(), health.value), (Some("2023-11"), Some(96.1)));
    assert_eq!(health.rag, Rag::Green);
}

#[test]
fn a_per_service_pack_without_name_or_head_keeps_the_stored_ones_even_with_replace() {
    let (_f, mut store, _) = loaded();
    let head = |store: &Store| {
        let s = store.services().unwrap().into_iter().find(|s| s.id == "corporate-parenting").unwrap();
        (s.name, s.head)
    };
    let before = head(&store);
    assert_eq!(before.1.as_deref(), Some("Head of Service, Corporate Parenting"));
    let known = store.known().unwrap();
    let value = |v: f64| {
        pack(
            serde_json::json!({
                "format": "qprm-pack/1", "period": "2023-11",
                "services": [ { "id": "corporate-parenting", "data": [ { "indicator": "CIC-HEALTH", "value": v } ] } ]
            }),
            &known,
        )
    };
    let done = store.import_packs(&[value(96.1)], ImportOptions::default()).unwrap();
    assert!(done[0].changed.is_empty(), "leaving out name and head is no change: {done:?}");
    assert_eq!(head(&store), before);
    let done = store.import_packs(&[value(97.0)], ImportOptions { replace: true, dry_run: false }).unwrap();
    assert_eq!(done[0].changed, vec!["value CIC-HEALTH 2023-11".to_string()]);
    assert_eq!(head(&store), before, "--replace never erases a head the pack left out");
}

#[test]
fn actions_record_update_and_keep_every_change_in_history() {
    let (_f, mut store, meeting) = loaded();
    let a = store
        .record_action(&NewAction {
            text: "Review supervision audit findings".into(),
            owner: "Principal Social Worker".into(),
            due: NaiveDate::from_ymd_opt(2023, 12, 31),
            service: Some("quality-assurance".into()),
            meeting: Some(meeting),
            indicator: None,
        })
        .unwrap();
    assert_eq!(a.reference, "A1");
    assert_eq!(a.status, ActionStatus::Open);
    assert_eq!(a.meeting, Some(meeting));
    let b = store
        .record_action(&NewAction {
            text: "Second".into(),
            owner: "X".into(),
            due: Some(today()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(b.reference, "A2", "refs are sequential and speakable");

    store
        .update_action(
            "a1",
            &ActionChange {
                status: Some(ActionStatus::InProgress),
                due: NaiveDate::from_ymd_opt(2024, 1, 31),
                note: Some("agreed at QPRM".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .update_action("A1", &ActionChange { owner: Some("Head of Service, Early Help".into()), ..Default::default() })
        .unwrap();
    store.update_action("A1", &ActionChange { note: Some("chased".into()), ..Default::default() }).unwrap();

    let shown = store.action_with_history("A1", today()).unwrap();
    assert_eq!(shown.owner, "Head of Service, Early Help");
    assert_eq!(shown.due, "2024-01-31");
    let h = shown.history.unwrap();
    let summary: Vec<(String, Option<String>, Option<String>)> =
        h.iter().map(|e| (e.field.clone(), e.old.clone(), e.new.clone())).collect();
    assert_eq!(
        summary,
        vec![
            ("created".into(), None, Some("Review supervision audit findings".into())),
            ("status".into(), Some("open".into()), Some("in_progress".into())),
            ("due".into(), Some("2023-12-31".into()), Some("2024-01-31".into())),
            ("owner".into(), Some("Principal Social Worker".into()), Some("Head of Service, Early Help".into())),
            ("note".into(), None, None),
        ]
    );
    assert!(h.iter().all(|e| e.actor == "test"));
    assert_eq!(h[1].note.as_deref(), Some("agreed at QPRM"));
    assert_eq!(h[4].note.as_deref(), Some("chased"));
}

#[test]
fn action_errors_change_nothing() {
    let (_f, mut store, _) = loaded();
    let err = store.update_action("1.5", &ActionChange { status: Some(ActionStatus::Dropped), ..Default::default() });
    assert!(err.unwrap_err().to_string().contains("needs a reason"));
    let err = store.update_action("1.5", &ActionChange::default()).unwrap_err().to_string();
    assert!(err.contains("nothing to change"), "{err}");
    assert!(!err.contains("--"), "the store speaks no command-line flags: {err}");
    let err = store.update_action("ZZ9", &ActionChange { note: Some("x".into()), ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("no action with ref 'ZZ9'"));
    let err = store
        .record_action(&NewAction {
            text: "t".into(),
            owner: "o".into(),
            due: Some(today()),
            service: Some("nope".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("unknown service 'nope'"));
    assert_eq!(store.action_with_history("1.5", today()).unwrap().history.unwrap().len(), 1);

    let dropped = store
        .update_action(
            "1.5",
            &ActionChange {
                status: Some(ActionStatus::Dropped),
                note: Some("superseded by 1.6".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(dropped.status, ActionStatus::Dropped);
    assert!(!dropped.overdue, "closed actions are never overdue");
}

#[test]
fn action_filters() {
    let (_f, mut store, _) = loaded();
    store
        .record_action(&NewAction {
            text: "Welsh-language leaflets".into(),
            owner: "Siân Jones-Évans".into(),
            due: NaiveDate::from_ymd_opt(2024, 2, 1),
            ..Default::default()
        })
        .unwrap();
    let by_owner = store.actions(&ActionFilter { owner: Some("SIÂN".into()), ..filter() }).unwrap();
    assert_eq!(by_owner.len(), 1, "owner match is case-insensitive beyond ASCII");

    let cp = store.actions(&ActionFilter { owner: Some("corporate parenting".into()), ..filter() }).unwrap();
    assert!(!cp.is_empty());
    assert!(cp.iter().all(|a| a.owner.to_lowercase().contains("corporate parenting")));

    let all = store.actions(&filter()).unwrap();
    let overdue = store.actions(&ActionFilter { status: StatusFilter::Overdue, ..filter() }).unwrap();
    assert!(!overdue.is_empty());
    assert!(overdue.iter().all(|a| a.overdue && !a.status.is_closed() && a.due.as_str() < "2023-11-14"));
    assert_eq!(overdue.len(), all.iter().filter(|a| a.overdue).count());

    let open = store.actions(&ActionFilter { status: StatusFilter::Open, ..filter() }).unwrap();
    assert!(open.iter().all(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress)));
    let done = store.actions(&ActionFilter { status: StatusFilter::Done, ..filter() }).unwrap();
    assert!(!done.is_empty() && done.iter().all(|a| a.status == ActionStatus::Done));
    assert_eq!(open.len() + done.len(), all.len(), "fixtures have no dropped actions");

    let early = store.actions(&ActionFilter { due_before: NaiveDate::from_ymd_opt(2023, 6, 1), ..filter() }).unwrap();
    assert!(!early.is_empty() && early.iter().all(|a| a.due.as_str() < "2023-06-01"));
    let svc = store.actions(&ActionFilter { service: Some("front-door-mash".into()), ..filter() }).unwrap();
    assert!(!svc.is_empty() && svc.iter().all(|a| a.service.as_deref() == Some("front-door-mash")));
    let sorted: Vec<&str> = all.iter().map(|a| a.due.as_str()).collect();
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "ordered by due date");
    assert_eq!(store.actions(&ActionFilter { limit: Some(3), ..filter() }).unwrap().len(), 3);
}

#[test]
fn owner_lookup_uses_indexes_not_a_table_scan() {
    let (_f, store, _) = loaded();
    let plan = store.explain_actions(&ActionFilter { owner: Some("parenting".into()), ..filter() }).unwrap();
    let joined = plan.join(" | ");
    assert!(joined.contains("actions_owner"), "plan: {joined}");
    assert!(!plan.iter().any(|l| l.starts_with("SCAN a")), "must not scan actions: {joined}");
    let plan = store.explain_actions(&ActionFilter { service: Some("early-help".into()), ..filter() }).unwrap();
    assert!(plan.join(" ").contains("actions_service"), "{plan:?}");
}

/// Statistics like those ANALYZE writes for ten years of actions (copied from
/// the 1M-action benchmark database) once made SQLite walk every action in
/// due order for an owner lookup. The lookup must not depend on them.
#[test]
fn owner_lookup_keeps_to_the_owner_index_whatever_the_statistics() {
    let (f, store, _) = loaded();
    drop(store);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute_batch(
        "ANALYZE; DELETE FROM sqlite_stat1;
         INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
           ('actions', 'actions_due', '1000000 8197'),
           ('actions', 'actions_status_due', '1000000 250000 2075'),
           ('actions', 'actions_service', '1000000 100000 25000 208'),
           ('actions', 'actions_owner', '1000000 20000 5000 46'),
           ('actions', 'actions_meeting', '1000000 8334'),
           ('owners', 'sqlite_autoindex_owners_1', '50 1');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&f.path, "test").unwrap();
    for status in [StatusFilter::Open, StatusFilter::All, StatusFilter::Overdue] {
        let plan =
            store.explain_actions(&ActionFilter { owner: Some("parenting".into()), status, ..filter() }).unwrap();
        let joined = plan.join(" | ");
        assert!(joined.contains("actions_owner"), "{status:?}: {joined}");
        assert!(!plan.iter().any(|l| l.starts_with("SCAN a")), "{status:?} must not scan actions: {joined}");
    }
}

/// "My open actions" is read from the partial covering index (schema v4),
/// not a table page per row; a database from before v4 gains the index.
#[test]
fn open_actions_by_owner_come_from_the_covering_index() {
    let (f, store, _) = loaded();
    let open = ActionFilter { owner: Some("parenting".into()), status: StatusFilter::Open, ..filter() };
    let before = store.actions(&open).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    common::undo_v5(&conn);
    conn.execute_batch(UNDO_V4).unwrap();
    drop(conn);
    let store = Store::open(&f.path, "test").unwrap();
    for status in [StatusFilter::Open, StatusFilter::Overdue] {
        let plan = store.explain_actions(&ActionFilter { status, ..open.clone() }).unwrap().join(" | ");
        assert!(plan.contains("COVERING INDEX actions_owner_open"), "{status:?}: {plan}");
    }
    assert!(!before.is_empty());
    assert_eq!(store.actions(&open).unwrap(), before, "same rows, same order, through the index");
    let m = store.latest_meeting().unwrap().unwrap();
    let page = store.meeting_actions_page(m.id, Some(&m.agenda[0]), today(), (0, 50), false).unwrap();
    assert!(page.total > 0, "the meeting screen's pages work on an upgraded database");
}

#[test]
fn meetings_and_decisions() {
    let (_f, mut store, demo) = loaded();
    let m = store
        .create_meeting(&NewMeeting {
            date: NaiveDate::from_ymd_opt(2023, 12, 12),
            period: "2023-11".parse::<Period>().ok(),
            chair: Some("Director".into()),
            attendees: vec!["A".into(), "B".into()],
            apologies: vec!["C".into()],
            agenda: vec!["early-help".into(), "corporate-parenting".into()],
        })
        .unwrap();
    assert_eq!(m.agenda, vec!["early-help", "corporate-parenting"]);
    assert_eq!((m.attendees.len(), m.apologies.len()), (2, 1));
    let default_agenda = store.meeting(demo).unwrap().agenda;
    assert_eq!(default_agenda.len(), 7);
    assert_eq!(default_agenda[0], "corporate-parenting", "default agenda follows the packs' order");

    let bad = store.create_meeting(&NewMeeting {
        date: NaiveDate::from_ymd_opt(2023, 12, 12),
        period: "2023-11".parse::<Period>().ok(),
        agenda: vec!["nope".into()],
        ..Default::default()
    });
    assert!(bad.unwrap_err().to_string().contains("unknown service 'nope'"));

    assert_eq!(store.find_meeting("2023-12-12").unwrap().id, m.id);
    assert_eq!(store.find_meeting(&m.id.to_string()).unwrap().id, m.id);
    assert!(store.find_meeting("2020-01-01").is_err());
    let list = store.meetings(10).unwrap();
    assert_eq!(list[0].id, m.id, "newest first");

    store.record_decision(demo, Some("corporate-parenting"), "Escalate health assessments").unwrap();
    store.record_decision(m.id, Some("early-help"), "Agree the early help audit tool").unwrap();
    store.record_decision(m.id, None, "Next meeting in January").unwrap();
    let mut in_m = Vec::new();
    store
        .for_each_decision(&DecisionFilter { meeting: Some(m.id), ..Default::default() }, |d| {
            in_m.push(d.text);
            Ok(())
        })
        .unwrap();
    assert_eq!(in_m, vec!["Agree the early help audit tool", "Next meeting in January"]);
    let n = store
        .for_each_decision(
            &DecisionFilter { service: Some("corporate-parenting".into()), ..Default::default() },
            |_| Ok(()),
        )
        .unwrap();
    assert_eq!(n, 1);
    assert!(store.record_decision(m.id, None, "   ").is_err());
    assert!(store.record_decision(999, None, "x").is_err());
}

#[test]
fn kpi_rows_rate_each_period_and_direction() {
    let (_f, store, _) = loaded();
    let s = store.kpi_series("cic-health").unwrap();
    assert_eq!(s.series.len(), 24, "18 months of history and the six reported");
    for (i, p) in s.series.iter().enumerate() {
        let want = qprm::domain::rag::rag_status(p.value, s.latest.baseline, s.latest.target, s.latest.polarity);
        assert_eq!(p.rag, want, "{}", p.period);
        if i == 0 {
            assert_eq!(p.direction, Direction::None);
        }
    }
    let aug = store.kpi_rows(Some("corporate-parenting"), "2023-08".parse().ok()).unwrap();
    let h = aug.iter().find(|r| r.code == "CIC-HEALTH").unwrap();
    let jul = s.series.iter().find(|p| p.period == "2023-07").unwrap().value;
    assert_eq!(h.period.as_deref(), Some("2023-08"));
    assert_eq!(h.previous_value, Some(jul));
    let future = store.kpi_rows(None, "2030-01".parse().ok()).unwrap();
    assert!(future.iter().all(|r| r.value.is_none() && r.rag == Rag::None), "no value that month");
    assert!(store.kpi_rows(Some("nope"), None).is_err());
    assert!(store.kpi_series("NOPE").is_err());
    let all = store.kpi_rows(None, None).unwrap();
    assert_eq!(all.len(), 42);
    for rag in [Rag::Green, Rag::Amber, Rag::Red] {
        assert!(all.iter().any(|r| r.rag == rag), "fixtures show {rag}");
    }
}

#[test]
fn data_version_moves_when_another_connection_writes() {
    let (f, store, meeting) = loaded();
    let v1 = store.data_version().unwrap();
    let mut other = Store::open(&f.path, "minutes").unwrap();
    assert_eq!(store.data_version().unwrap(), v1, "no change, same version");
    other.record_decision(meeting, None, "Recorded by the minute-taker").unwrap();
    assert_ne!(store.data_version().unwrap(), v1);
}

#[test]
fn earlier_decisions_are_not_crowded_out_by_a_busy_meeting() {
    let (_f, mut store, demo) = loaded();
    let october = store
        .create_meeting(&NewMeeting {
            date: NaiveDate::from_ymd_opt(2023, 10, 10),
            period: "2023-09".parse::<Period>().ok(),
            ..Default::default()
        })
        .unwrap();
    store.record_decision(october.id, Some("early-help"), "Decided in October").unwrap();
    for i in 0..80 {
        store.record_decision(demo, Some("early-help"), &format!("November decision {i}")).unwrap();
    }
    let earlier = store.earlier_decisions(demo, "early-help", 5).unwrap();
    assert_eq!(earlier.len(), 1);
    assert_eq!(earlier[0].text, "Decided in October");
}

/// Every write transaction stamps the file's mark (schema v5), so any WAL
/// qprm leaves carries its database's token and is never replayed into
/// another file (store/open.rs). A write path that forgot would fail here.
#[test]
fn every_write_stamps_the_files_mark() {
    let (f, mut store, meeting) = loaded();
    let writes = || -> i64 {
        let c = rusqlite::Connection::open(&f.path).unwrap();
        c.query_row("SELECT writes FROM file_mark", [], |r| r.get(0)).unwrap()
    };
    let mut last = writes();
    let mut stamped = |what: &str| {
        let now = writes();
        assert!(now > last, "{what} did not stamp the mark");
        last = now;
    };
    let a = store
        .record_action(&NewAction {
            text: "x".into(),
            owner: "o".into(),
            due: Some(today()),
            meeting: Some(meeting),
            ..Default::default()
        })
        .unwrap();
    stamped("record_action");
    store.update_action(&a.reference, &ActionChange { note: Some("n".into()), ..Default::default() }).unwrap();
    stamped("update_action");
    let d = store.record_decision(meeting, None, "agreed").unwrap();
    stamped("record_decision");
    store.withdraw_decision(d.id, "why").unwrap();
    stamped("withdraw_decision");
    let new = NewMeeting {
        date: NaiveDate::from_ymd_opt(2023, 12, 12),
        period: "2023-11".parse().ok(),
        ..Default::default()
    };
    store.create_meeting(&new).unwrap();
    stamped("create_meeting");
    store.claim_chair(meeting, "me", "me", qprm::store::Claim::IfFree, 0).unwrap();
    stamped("claim_chair");
    store
        .publish_position(
            meeting,
            "me",
            qprm::store::Position { agenda_index: 1, section: qprm::domain::Section::Data, on_overview: false, row: 0 },
            Default::default(),
            0,
        )
        .unwrap();
    stamped("publish_position");
    store.release_chair(meeting, "me").unwrap();
    stamped("release_chair");
    store.save_draft(meeting, "chair", "decision", "", &["half".into()]).unwrap();
    stamped("save_draft");
    store.clear_draft(meeting, "chair").unwrap();
    stamped("clear_draft");
    let words = ["kept".to_string()];
    store.save_draft(meeting, "me@/dev/pts/1", "decision", "", &words).unwrap();
    stamped("save_draft");
    store.clear_own_draft(meeting, "me@/dev/pts/1", "decision", "", &words).unwrap();
    stamped("clear_own_draft");
    let pack =
        parse_bytes("t.json", &serde_json::to_vec(&common::base_pack()).unwrap(), &store.known().unwrap()).unwrap();
    store.import_packs(&[pack], ImportOptions::default()).unwrap();
    stamped("import");
    let now = chrono::Utc::now();
    let late = qprm::store::AttendanceChange { present: vec!["Late Arrival".into()], ..Default::default() };
    store.update_attendance(meeting, &late, now).unwrap();
    stamped("update_attendance");
    store.approve_meeting(meeting, today(), now).unwrap();
    stamped("approve_meeting");
    store.reopen_meeting(meeting, "a correction", now).unwrap();
    stamped("reopen_meeting");
    store.set_rebase("CIC-HEALTH", "2023-08".parse().unwrap(), true).unwrap();
    stamped("set_rebase (on)");
    store.set_rebase("CIC-HEALTH", "2023-08".parse().unwrap(), false).unwrap();
    stamped("set_rebase (off)");
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc)
}

fn december(store: &mut Store) -> qprm::store::MeetingRecord {
    store
        .create_meeting(&NewMeeting {
            date: NaiveDate::from_ymd_opt(2023, 10, 10),
            period: "2023-09".parse::<Period>().ok(),
            chair: Some("Director".into()),
            attendees: vec!["Ann Smith".into(), "Bob Jones".into()],
            apologies: vec!["Cara Lee".into()],
            agenda: vec!["early-help".into()],
        })
        .unwrap()
}

#[test]
fn attendance_changes_move_names_and_are_kept_in_history() {
    let (_f, mut store, _) = loaded();
    let m = december(&mut store);
    let change = qprm::store::AttendanceChange {
        // Cara arrived after all; Bob left before the meeting began; Dev came late.
        present: vec!["cara  LEE".into(), "Dev Patel".into()],
        apologies: vec!["bob jones".into()],
        remove: vec!["ann smith".into()],
        chair: Some("Deputy Director".into()),
    };
    let done = store.update_attendance(m.id, &change, at("2023-10-10T09:40:00Z")).unwrap();
    assert_eq!(done.meeting.attendees, ["Cara Lee", "Dev Patel"], "a moved name keeps its spelling; late last");
    assert_eq!(done.meeting.apologies, ["Bob Jones"]);
    assert_eq!(done.meeting.chair.as_deref(), Some("Deputy Director"));
    let history = store.meeting_history(m.id).unwrap();
    assert_eq!(history, done.changes);
    let words: Vec<String> = history.iter().map(|h| h.describe()).collect();
    assert_eq!(
        words,
        [
            "Ann Smith: removed (was present)",
            "Cara Lee: apologies → present",
            "Dev Patel: added as present",
            "Bob Jones: present → apologies",
            "chair: Director → Deputy Director",
        ]
    );
    assert!(history.iter().all(|h| h.actor == "test" && h.at == "2023-10-10T09:40:00Z"));

    // Listing someone as they already are changes nothing and says so.
    let same = qprm::store::AttendanceChange { present: vec!["dev patel".into()], ..Default::default() };
    let err = store.update_attendance(m.id, &same, at("2023-10-10T09:41:00Z")).unwrap_err().to_string();
    assert!(err.contains("nothing to change") && err.contains("Dev Patel (already present)"), "{err}");
    let both = qprm::store::AttendanceChange {
        present: vec!["Eve".into()],
        apologies: vec!["eve".into()],
        ..Default::default()
    };
    let err = store.update_attendance(m.id, &both, at("2023-10-10T09:41:00Z")).unwrap_err().to_string();
    assert!(err.contains("named as both present and apologies"), "{err}");
    assert_eq!(store.meeting_history(m.id).unwrap().len(), 5, "refusals record nothing");
}

#[test]
fn removing_an_unknown_name_changes_nothing_and_names_the_known_ones() {
    let (_f, mut store, _) = loaded();
    let m = december(&mut store);
    let change = qprm::store::AttendanceChange {
        present: vec!["Dev Patel".into()],
        remove: vec!["Zed".into()],
        ..Default::default()
    };
    let err = store.update_attendance(m.id, &change, at("2023-10-10T09:40:00Z")).unwrap_err();
    assert!(matches!(err, qprm::Error::NotInAttendance { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "Zed is not recorded at the meeting of 2023-10-10; recorded: present: Ann Smith; Bob Jones · apologies: Cara Lee"
    );
    let after = store.meeting(m.id).unwrap();
    assert_eq!((after.attendees, after.apologies), (m.attendees, m.apologies), "Dev was not added either");
    assert!(store.meeting_history(m.id).unwrap().is_empty());
}

#[test]
fn an_approved_meeting_refuses_every_write_to_its_record_until_reopened() {
    let (_f, mut store, _) = loaded();
    let m = december(&mut store);
    let decision = store.record_decision(m.id, None, "Agree the audit tool").unwrap();
    let raised = store
        .record_action(&NewAction {
            text: "Audit supervision".into(),
            owner: "Head of Service, Early Help".into(),
            due: NaiveDate::from_ymd_opt(2023, 12, 31),
            service: Some("early-help".into()),
            meeting: Some(m.id),
            indicator: None,
        })
        .unwrap();
    let approved = store.approve_meeting(m.id, today(), at("2023-11-14T10:05:00Z")).unwrap();
    assert_eq!(approved.approved_at.as_deref(), Some("2023-11-14T10:05:00Z"));
    assert_eq!(approved.approved_by.as_deref(), Some("test"));

    let locked = |e: qprm::Error| {
        assert!(
            matches!(&e, qprm::Error::MeetingApproved { date, approved_on, .. } if date == "2023-10-10" && approved_on == "2023-11-14"),
            "{e:?}"
        );
        assert_eq!(e.exit_code(), 2);
        assert!(!e.to_string().contains("--"), "the store speaks no CLI flags: {e}");
    };
    let in_meeting = NewAction { meeting: Some(m.id), ..NewAction::default() };
    let new = NewAction { text: "More".into(), owner: "Someone".into(), due: today().succ_opt(), ..in_meeting };
    locked(store.record_action(&new).unwrap_err());
    let note = |meeting| ActionChange { note: Some("an update".into()), meeting, ..Default::default() };
    locked(store.update_action(&raised.reference, &note(Some(m.id))).unwrap_err());
    locked(store.record_decision(m.id, None, "Another").unwrap_err());
    locked(store.withdraw_decision(decision.id, "undone").unwrap_err());
    let late = qprm::store::AttendanceChange { present: vec!["Dev".into()], ..Default::default() };
    locked(store.update_attendance(m.id, &late, at("2023-11-14T10:06:00Z")).unwrap_err());
    assert_eq!(store.decision(decision.id).unwrap().status, qprm::domain::DecisionStatus::Recorded);
    assert_eq!(store.meeting(m.id).unwrap().decisions, 1);
    assert_eq!(store.meeting(m.id).unwrap().actions_raised, 1);

    // Between meetings (no meeting named), the action itself may still change.
    store.update_action(&raised.reference, &note(None)).unwrap();

    let twice = store.approve_meeting(m.id, today(), at("2023-11-14T10:07:00Z")).unwrap_err();
    assert!(matches!(twice, qprm::Error::AlreadyApproved { .. }), "{twice:?}");
    assert_eq!(
        twice.to_string(),
        "the minutes of the meeting of 2023-10-10 were already approved on 2023-11-14 (by test)"
    );
    assert!(store.reopen_meeting(m.id, "  ", at("2023-11-14T10:08:00Z")).is_err(), "a reason is needed");

    let reopened = store.reopen_meeting(m.id, "decision misquoted", at("2023-11-14T10:09:00Z")).unwrap();
    assert_eq!((reopened.approved_at, reopened.approved_by), (None, None));
    store.record_decision(m.id, None, "Agree the audit tool, as amended").unwrap();
    store.update_attendance(m.id, &late, at("2023-11-14T10:10:00Z")).unwrap();
    let err = store.reopen_meeting(m.id, "again", at("2023-11-14T10:11:00Z")).unwrap_err();
    assert!(matches!(err, qprm::Error::NotApproved { .. }), "{err:?}");

    let minutes: Vec<_> = store.meeting_history(m.id).unwrap().into_iter().filter(|h| h.field == "minutes").collect();
    let words: Vec<String> = minutes.iter().map(|h| format!("{} {}", h.at, h.describe())).collect();
    assert_eq!(
        words,
        ["2023-11-14T10:05:00Z minutes approved", "2023-11-14T10:09:00Z minutes reopened (decision misquoted)"]
    );
    assert_eq!(minutes[0].old.as_deref(), Some("not_approved"));
    assert_eq!(minutes[1].old.as_deref(), Some("approved"));
    let next = store.approve_meeting(m.id, today(), at("2023-11-14T10:12:00Z")).unwrap();
    assert!(next.approved_at.is_some());
    assert_eq!(store.meeting_history(m.id).unwrap().last().unwrap().old.as_deref(), Some("reopened"));
}

#[test]
fn minutes_of_a_meeting_not_yet_held_cannot_be_approved() {
    let (_f, mut store, _) = loaded();
    let m = store
        .create_meeting(&NewMeeting {
            date: NaiveDate::from_ymd_opt(2023, 12, 12),
            period: "2023-11".parse::<Period>().ok(),
            ..Default::default()
        })
        .unwrap();
    let err = store.approve_meeting(m.id, today(), at("2023-11-14T10:00:00Z")).unwrap_err().to_string();
    assert!(err.contains("has not happened yet"), "{err}");
    assert_eq!(store.meeting(m.id).unwrap().approved_at, None);
}

/// Issue 12, item 7: owners the same apart from case or spacing are one
/// owner, keeping the spelling first recorded, so "my actions" finds them all.
#[test]
fn owners_the_same_apart_from_case_or_spacing_are_one_owner() {
    let (_f, mut store, meeting) = loaded();
    let owners_before = store.owners().unwrap().len();
    let new = |owner: &str| NewAction {
        text: "Book the health assessments".into(),
        owner: owner.into(),
        due: Some(today()),
        meeting: Some(meeting),
        ..Default::default()
    };
    let a = store.record_action(&new(" head of service,  CORPORATE parenting ")).unwrap();
    assert_eq!(a.owner, "Head of Service, Corporate Parenting", "the known owner, as first spelt");
    assert_eq!(store.owners().unwrap().len(), owners_before, "no new owner");

    let b = store.record_action(&new("  Dev   Patel ")).unwrap();
    assert_eq!(b.owner, "Dev Patel", "a new owner is stored with its spacing tidied");
    let c = store.record_action(&new("DEV PATEL")).unwrap();
    assert_eq!(c.owner, "Dev Patel");
    assert_eq!(store.owners().unwrap().len(), owners_before + 1);

    // Giving an action its own owner in other case is no change at all.
    let same =
        store.update_action(&c.reference, &ActionChange { owner: Some("dev  patel".into()), ..Default::default() });
    assert!(same.is_err(), "nothing to change");
    let moved = store
        .update_action(
            &c.reference,
            &ActionChange { owner: Some(" corporate  PARENTING ".into()), ..Default::default() },
        )
        .unwrap();
    assert_eq!(moved.owner, "corporate PARENTING", "a new owner, recorded as typed (spacing tidied)");
    let moved = store
        .update_action(&b.reference, &ActionChange { owner: Some("Corporate Parenting".into()), ..Default::default() })
        .unwrap();
    assert_eq!(moved.owner, "corporate PARENTING", "the first spelling is kept");
    let history = store.action_with_history(&b.reference, today()).unwrap().history.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.field.as_str(), last.old.as_deref(), last.new.as_deref()),
        ("owner", Some("Dev Patel"), Some("corporate PARENTING")),
        "history names the owner as the action shows it"
    );

    let mine = |owner: &str| -> Vec<String> {
        let f = ActionFilter { owner: Some(owner.into()), ..filter() };
        store.actions(&f).unwrap().into_iter().map(|a| a.reference).collect()
    };
    for query in ["corporate parenting", "  Corporate   Parenting", "CORPORATE PARENTING"] {
        let found = mine(query);
        assert!(found.contains(&a.reference) && found.contains(&b.reference), "{query:?}: {found:?}");
    }
}

/// A pack that names a known owner in other case or spacing is the same
/// pack: re-importing it changes nothing and needs no `--replace`.
#[test]
fn a_pack_naming_a_known_owner_in_other_case_changes_nothing() {
    let (_f, mut store, _) = loaded();
    let known = store.known().unwrap();
    store.import_packs(&[pack(common::base_pack(), &known)], ImportOptions::default()).unwrap();
    let mut shouted = common::base_pack();
    shouted["actions"][0]["owner"] = serde_json::json!("HEAD OF SERVICE,  corporate parenting");
    let again = store.import_packs(&[pack(shouted, &known)], ImportOptions::default()).unwrap();
    assert!(again[0].changed.is_empty() && again[0].added.is_empty(), "{again:?}");
    assert_eq!(store.action("T.1", today()).unwrap().owner, "Head of Service, Corporate Parenting");
    let history = store.action_with_history("T.1", today()).unwrap().history.unwrap();
    assert!(history.iter().all(|h| h.field != "owner"), "{history:?}");
}

/// Schema v7 merges owners an earlier qprm split by case or spacing into
/// the first recorded, and from then on the database refuses a second.
#[test]
fn schema_v7_merges_owners_split_by_case_or_spacing() {
    let (f, mut store, meeting) = loaded();
    let a = store
        .record_action(&NewAction {
            text: "x".into(),
            owner: "Head of Service, Corporate Parenting".into(),
            due: Some(today()),
            meeting: Some(meeting),
            ..Default::default()
        })
        .unwrap();
    let owners_before = store.owners().unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    common::undo_v7(&conn);
    // As a v6 qprm recorded them: one owner per exact spelling.
    conn.execute_batch(
        "INSERT INTO owners (name, folded) VALUES ('head of service,  corporate PARENTING', 'head of service,  corporate parenting');
         INSERT INTO owners (name, folded) VALUES ('HEAD OF SERVICE, CORPORATE PARENTING', 'head of service, corporate parenting');",
    )
    .unwrap();
    conn.execute("UPDATE actions SET owner_id = (SELECT max(id) FROM owners) WHERE ref = ?1", [&a.reference]).unwrap();
    let split: i64 = conn.query_row("SELECT count(*) FROM owners", [], |r| r.get(0)).unwrap();
    assert_eq!(split as usize, owners_before.len() + 2);
    drop(conn);

    let store = Store::open(&f.path, "test").unwrap();
    assert_eq!(store.owners().unwrap(), owners_before, "merged into the first recorded");
    assert_eq!(store.action(&a.reference, today()).unwrap().owner, "Head of Service, Corporate Parenting");
    let f2 = ActionFilter { owner: Some("corporate parenting".into()), ..filter() };
    assert!(store.actions(&f2).unwrap().iter().any(|x| x.reference == a.reference));
    drop(store);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let twin = conn.execute(
        "INSERT INTO owners (name, folded) VALUES ('Head of service, Corporate parenting', 'head of service, corporate parenting')",
        [],
    );
    assert!(twin.is_err(), "one owner per folded name, enforced by the database");
}

/// The store records the time its caller gives it, never its own reading:
/// a command's rows, its printed output and the minutes agree.
#[test]
fn writes_record_the_callers_clock_and_judge_overdue_by_its_date() {
    use qprm::domain::clock::Clock;
    let (_f, mut store, meeting) = loaded();
    let moment = at("2031-02-03T04:05:06Z");
    let later_day = NaiveDate::from_ymd_opt(2031, 3, 1).unwrap();
    store.set_clock(Clock::Fixed { now: moment, today: NaiveDate::from_ymd_opt(2031, 2, 3).unwrap() });
    let due = NaiveDate::from_ymd_opt(2031, 2, 10).unwrap();
    let new = NewAction {
        text: "Recorded by a fixed clock".into(),
        owner: "Corporate Parenting".into(),
        due: Some(due),
        service: None,
        meeting: Some(meeting),
        indicator: None,
    };
    let a = store.record_action(&new).unwrap();
    assert!(!a.overdue, "due a week after the clock's date");
    let decision = store.record_decision(meeting, None, "A decision by the same clock").unwrap();

    // A day after the due date, by the caller's clock, it is overdue.
    store.set_clock(Clock::Fixed { now: at("2031-03-01T09:00:00Z"), today: later_day });
    let change = ActionChange { note: Some("chased".into()), meeting: Some(meeting), ..Default::default() };
    let updated = store.update_action(&a.reference, &change).unwrap();
    assert!(updated.overdue, "judged by the clock's date, not the machine's");

    let history = store.action_with_history(&a.reference, later_day).unwrap().history.unwrap();
    let times: Vec<&str> = history.iter().map(|h| h.at.as_str()).collect();
    assert_eq!(times, ["2031-02-03T04:05:06Z", "2031-03-01T09:00:00Z"]);
    assert_eq!(decision.created_at, "2031-02-03T04:05:06Z");
}
