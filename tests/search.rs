//! Full-text search: ranking, the index following every write, safe input,
//! and the v3 migration indexing what an existing database already holds.

mod common;

use chrono::NaiveDate;
use common::{TestDb, stdout_json};
use qprm::store::SearchKind;
use qprm::store::{ActionChange, NewAction, Store};

fn loaded() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("q.db"), "test").unwrap();
    let meeting = qprm::samples::load_samples(&mut store).unwrap();
    (dir, store, meeting)
}

#[test]
fn closer_matches_rank_first_and_hits_say_where_they_live() {
    let (_d, mut store, meeting) = loaded();
    store.record_decision(meeting, Some("early-help"), "Zebrafish pilot: zebrafish audit of zebrafish cases").unwrap();
    store
        .record_decision(
            meeting,
            Some("localities"),
            "A long decision about many things, among them one zebrafish, and budgets, staffing, training and estates",
        )
        .unwrap();
    let hits = store.search("zebrafish", 10).unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].service.as_deref(), Some("early-help"), "BM25: the focused decision first");
    assert!(hits[0].rank <= hits[1].rank);
    assert_eq!(hits[0].kind, SearchKind::Decision);
    assert_eq!(hits[0].meeting_date.as_deref(), Some("2023-11-14"));
    assert_eq!(hits[0].period.as_deref(), Some("2023-10"));
    assert!(hits[0].snippet.contains("[Zebrafish]"), "{}", hits[0].snippet);

    let findings = store.search("supervision", 50).unwrap();
    assert!(findings.iter().any(|h| h.kind == SearchKind::Finding && h.period.is_some()));
    assert!(findings.iter().any(|h| h.kind == SearchKind::Feedback), "feedback themes and quotes are searched");
    assert!(store.search("supervis", 5).unwrap().len() == 5, "prefixes match");
    assert!(store.search("siân", 5).unwrap().is_empty(), "no match is an empty list, not an error");
    for odd in ["\"", "AND", "(x", "NEAR(", "*", "col:x", "-"] {
        assert!(store.search(odd, 5).is_ok(), "{odd:?} must not be an FTS syntax error");
    }
}

#[test]
fn the_index_follows_edits_and_replaced_packs() {
    let (_d, mut store, meeting) = loaded();
    let today = NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
    let a = store
        .record_action(&NewAction {
            text: "Commission the quokka review".into(),
            owner: "Head of Service, Early Help".into(),
            due: Some(today),
            service: Some("early-help".into()),
            meeting: Some(meeting),
            indicator: None,
        })
        .unwrap();
    assert_eq!(store.search("quokka", 5).unwrap()[0].reference, a.reference);
    store
        .update_action(
            &a.reference,
            &ActionChange { text: Some("Commission the wombat review".into()), ..Default::default() },
        )
        .unwrap();
    assert!(store.search("quokka", 5).unwrap().is_empty(), "old words leave the index");
    assert_eq!(store.search("wombat", 5).unwrap().len(), 1);
    assert_eq!(store.search("early help wombat", 5).unwrap().len(), 1, "owners are searchable too");
}

#[test]
fn upgrading_an_existing_database_indexes_what_it_holds() {
    let db = TestDb::with_meeting();
    db.cmd().args(["decision", "add", "Capybara pilot agreed", "--meeting", "1"]).assert().success();
    // Wind the file back to schema 2, as a database written before search existed.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    common::undo_v5(&conn);
    conn.execute_batch(
        "DROP TABLE search_index;
         DROP TRIGGER search_action_insert; DROP TRIGGER search_action_update;
         DROP TRIGGER search_decision_insert; DROP TRIGGER search_decision_update;
         DROP TRIGGER search_finding_insert; DROP TRIGGER search_finding_delete;
         DROP TRIGGER search_feedback_insert; DROP TRIGGER search_feedback_delete;
         DROP INDEX actions_owner_open; DROP INDEX actions_service_open;
         DROP INDEX actions_meeting_service; DROP INDEX action_history_closures;
         CREATE INDEX actions_meeting ON actions(meeting_id);
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let hits = stdout_json(&db.cmd().args(["search", "capybara", "--json"]).output().unwrap());
    assert_eq!(hits[0]["kind"], "decision");
    assert_eq!(hits[0]["text"], "Capybara pilot agreed");
    let actions = stdout_json(&db.cmd().args(["search", "permanent", "leadership", "--json"]).output().unwrap());
    assert!(actions.as_array().unwrap().iter().any(|h| h["kind"] == "action" && h["ref"] == "2.9"));
}

#[test]
fn search_command_output_and_errors() {
    let db = TestDb::with_meeting();
    let out = db.cmd().args(["search", "supervision"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("finding") && text.contains("[Supervision]"), "{text}");
    db.cmd().args(["search", "--", "--"]).assert().code(2);
    let json = stdout_json(&db.cmd().args(["search", "supervision", "--json", "--limit", "3"]).output().unwrap());
    assert_eq!(json.as_array().unwrap().len(), 3);
    for key in ["kind", "ref", "service", "period", "meeting", "meeting_date", "title", "text", "snippet", "rank"] {
        assert!(json[0].get(key).is_some(), "{key}");
    }
}

/// `search` says when matches exist beyond those shown: past `--limit`, and
/// past the ranked candidates; `--json` stays an array whose rows say it.
#[test]
fn search_says_when_more_matches_exist() {
    let db = TestDb::with_meeting();
    let all = db.cmd().args(["search", "supervision", "--limit", "1000"]).output().unwrap();
    let text = String::from_utf8_lossy(&all.stdout);
    assert!(!text.contains("more exist") && !text.contains("More matches"), "every match shown: {text}");
    let json = stdout_json(&db.cmd().args(["search", "supervision", "--json", "--limit", "1000"]).output().unwrap());
    let total = json.as_array().unwrap().len();
    assert!(total > 3, "the sample data has several supervision matches");
    assert!(json.as_array().unwrap().iter().all(|h| h["more"] == false));

    let some = db.cmd().args(["search", "supervision", "--limit", "3"]).output().unwrap();
    let text = String::from_utf8_lossy(&some.stdout);
    assert!(text.contains(&format!("3 of {total} matches shown; more exist (--limit N shows more).")), "{text}");
    let json = stdout_json(&db.cmd().args(["search", "supervision", "--json", "--limit", "3"]).output().unwrap());
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert!(json.as_array().unwrap().iter().all(|h| h["more"] == true));
}

/// More matches than are ranked: the newest `CANDIDATES` are ranked (and
/// the newest decisions, findings and feedback), the best of them first,
/// and both outputs say that more exist.
#[test]
fn a_common_word_ranks_a_bounded_set_with_the_best_first() {
    let db = TestDb::with_meeting();
    let many = qprm::store::CANDIDATES + 200;
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        // Long texts that mention the word once; the focused one sits in
        // the middle of the newest, so neither first nor last by age.
        conn.execute_batch(&format!(
            "BEGIN;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {many})
             INSERT INTO actions (ref, text, owner_id, service_id, due, status, meeting_id, created_at, updated_at)
             SELECT 'Z' || i,
                    CASE WHEN i = {many} - 300 THEN 'Zebrafish zebrafish zebrafish'
                         ELSE 'A long action about budgets, staffing, training, estates and one zebrafish ' || i END,
                    (SELECT min(id) FROM owners), 'early-help', '2024-01-31', 'open', NULL,
                    '2023-11-01T00:00:00Z', '2023-11-01T00:00:00Z'
             FROM n;
             COMMIT;"
        ))
        .unwrap();
    }
    db.cmd().args(["decision", "add", "Zebrafish zebrafish zebrafish zebrafish", "--meeting", "1"]).assert().success();
    let store = Store::open(&db.path, "test").unwrap();
    let found = store.search_ranked("zebrafish", 5).unwrap();
    assert!(found.beyond && found.more(), "{} matches, {} ranked", many + 1, found.ranked);
    assert_eq!(found.hits.len(), 5);
    assert_eq!(found.hits[0].kind, SearchKind::Decision, "the decision, though among the oldest rows, is ranked");
    assert_eq!(found.hits[1].reference, format!("Z{}", many - 300), "the focused action next");
    assert!(found.hits.windows(2).all(|w| w[0].rank <= w[1].rank), "best first");

    let out = db.cmd().args(["search", "zebrafish", "--limit", "5"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("More matches exist: only the newest"), "{text}");
    assert!(text.contains("add words to narrow the search"), "{text}");
    let json = stdout_json(&db.cmd().args(["search", "zebrafish", "--json", "--limit", "5"]).output().unwrap());
    assert_eq!(json[0]["kind"], "decision");
    assert!(json.as_array().unwrap().iter().all(|h| h["more"] == true));
}

/// An import sets the search trigger aside inside its own transaction and
/// indexes its new actions once at the end: every action is found, one
/// added and changed by two packs of one command is indexed once with its
/// final words, the trigger is back afterwards, and a refused import
/// (conflicts) leaves everything, the trigger too, as it was.
#[test]
fn imported_actions_are_indexed_once_and_the_trigger_comes_back() {
    let db = TestDb::new();
    let mut first = common::base_pack();
    first["actions"][0]["text"] = "Capybara audit of care plans".into();
    let mut second = common::base_pack();
    second["actions"][0]["text"] = "Capybara audit of pathway plans".into();
    let (a, b) = (db.file("a.json", first.to_string()), db.file("b.json", second.to_string()));
    db.cmd().args(["import", "--replace"]).arg(&a).arg(&b).assert().success();
    let hits = stdout_json(&db.cmd().args(["search", "capybara", "--json"]).output().unwrap());
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("pathway"), "{hits}");

    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let triggers = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'search_action_insert'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(triggers(&conn), 1, "the trigger is back after the import");
    let entries = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM search_index WHERE kind = 'action'", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(entries(&conn), 1);
    // A refused import changes nothing, the trigger included.
    let mut third = common::base_pack();
    third["actions"][0]["text"] = "Something else".into();
    third["actions"].as_array_mut().unwrap().push(serde_json::json!({"ref": "T.2", "text": "Wombat review",
        "owner": "Head of Service, Corporate Parenting", "service": "corporate-parenting", "due": "2023-12-31"}));
    let c = db.file("c.json", third.to_string());
    db.cmd().arg("import").arg(&c).assert().code(2);
    assert_eq!(triggers(&conn), 1);
    assert_eq!(entries(&conn), 1);
    // A screen's action after the import is indexed by the trigger.
    db.cmd()
        .args(["action", "add", "Capybara follow-up", "--owner", "Director", "--due", "2023-12-01"])
        .assert()
        .success();
    assert_eq!(entries(&conn), 2);
    let hits = stdout_json(&db.cmd().args(["search", "wombat", "--json"]).output().unwrap());
    assert!(hits.as_array().unwrap().is_empty(), "{hits}");
}
