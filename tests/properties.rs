//! Property tests: RAG and direction against a reference model; any
//! sequence of action changes keeps a complete, consistent history and never
//! loses a row; pack values survive import and read-back exactly.

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use qprm::domain::rag::{direction, rag_status};
use qprm::domain::{ActionStatus, Direction, Polarity, Rag};
use qprm::store::{ActionChange, ActionFilter, NewAction, Store};

/// The SPEC's table, written as plainly as possible, independently of the
/// product's code: flip lower-is-better into higher-is-better and compare.
fn reference_rag(v: f64, b: Option<f64>, t: Option<f64>, p: Polarity) -> Rag {
    let Some(t) = t else { return Rag::None };
    let s = if p == Polarity::HigherIsBetter { 1.0 } else { -1.0 };
    let (v, t, b) = (v * s, t * s, b.map(|b| b * s));
    if v >= t {
        Rag::Green
    } else if b.is_some_and(|b| v >= b) {
        Rag::Amber
    } else {
        Rag::Red
    }
}

fn reference_direction(prev: Option<f64>, v: f64, p: Polarity) -> Direction {
    let Some(prev) = prev else { return Direction::None };
    let s = if p == Polarity::HigherIsBetter { 1.0 } else { -1.0 };
    match ((v - prev) * s).partial_cmp(&0.0) {
        Some(std::cmp::Ordering::Greater) => Direction::Improving,
        Some(std::cmp::Ordering::Less) => Direction::Worsening,
        _ => Direction::Same,
    }
}

/// Whole tenths, as packs carry them: no floating-point ties to argue over.
fn tenths() -> impl Strategy<Value = f64> {
    (0i32..=1000).prop_map(|n| f64::from(n) / 10.0)
}

fn polarity() -> impl Strategy<Value = Polarity> {
    prop_oneof![Just(Polarity::HigherIsBetter), Just(Polarity::LowerIsBetter)]
}

proptest! {
    #[test]
    fn rag_matches_the_spec_table(v in tenths(), b in proptest::option::of(tenths()), t in proptest::option::of(tenths()), p in polarity()) {
        prop_assert_eq!(rag_status(v, b, t, p), reference_rag(v, b, t, p));
    }

    #[test]
    fn direction_matches_the_reference(prev in proptest::option::of(tenths()), v in tenths(), p in polarity()) {
        prop_assert_eq!(direction(prev, v, p), reference_direction(prev, v, p));
    }
}

#[derive(Debug, Clone)]
enum Op {
    Add(u8),
    Status(u8, ActionStatus),
    Due(u8, u16),
    Note(u8),
    Owner(u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    let status = prop_oneof![
        Just(ActionStatus::Open),
        Just(ActionStatus::InProgress),
        Just(ActionStatus::Done),
        Just(ActionStatus::Dropped)
    ];
    prop_oneof![
        any::<u8>().prop_map(Op::Add),
        (any::<u8>(), status).prop_map(|(i, s)| Op::Status(i, s)),
        (any::<u8>(), 0u16..400).prop_map(|(i, d)| Op::Due(i, d)),
        any::<u8>().prop_map(Op::Note),
        (any::<u8>(), 0u8..3).prop_map(|(i, o)| Op::Owner(i, o)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_changes_keeps_every_row_and_a_complete_history(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("q.db"), "prop").unwrap();
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let owners = ["Ann", "Bo", "Cy"];
        let mut refs: Vec<String> = Vec::new();
        // Our own model: how many history rows each action must have.
        let mut expected_history: Vec<usize> = Vec::new();
        let mut model: Vec<(ActionStatus, NaiveDate, String)> = Vec::new();
        for op in ops {
            let pick = |i: u8, n: usize| (n > 0).then(|| usize::from(i) % n);
            match op {
                Op::Add(i) => {
                    let a = store.record_action(&NewAction {
                        text: format!("action {i}"), owner: owners[usize::from(i) % 3].into(), due: Some(today), ..Default::default()
                    }).unwrap();
                    refs.push(a.reference);
                    expected_history.push(1);
                    model.push((ActionStatus::Open, today, owners[usize::from(i) % 3].into()));
                }
                Op::Status(i, s) => if let Some(k) = pick(i, refs.len()) {
                    let note = (s == ActionStatus::Dropped).then(|| "no longer needed".to_string());
                    let r = store.update_action(&refs[k], &ActionChange { status: Some(s), note: note.clone(), ..Default::default() });
                    match (s == model[k].0, note.is_some()) {
                        // Same status with a reason: kept as a note.
                        (true, true) => { r.unwrap(); expected_history[k] += 1; }
                        (true, false) => prop_assert!(r.is_err(), "a change that changes nothing is refused"),
                        _ => { r.unwrap(); expected_history[k] += 1; model[k].0 = s; }
                    }
                },
                Op::Due(i, d) => if let Some(k) = pick(i, refs.len()) {
                    let due = today + chrono::Days::new(u64::from(d));
                    let r = store.update_action(&refs[k], &ActionChange { due: Some(due), ..Default::default() });
                    if due == model[k].1 { prop_assert!(r.is_err()); } else { r.unwrap(); expected_history[k] += 1; model[k].1 = due; }
                },
                Op::Note(i) => if let Some(k) = pick(i, refs.len()) {
                    store.update_action(&refs[k], &ActionChange { note: Some("update".into()), ..Default::default() }).unwrap();
                    expected_history[k] += 1;
                },
                Op::Owner(i, o) => if let Some(k) = pick(i, refs.len()) {
                    let owner = owners[usize::from(o)].to_string();
                    let r = store.update_action(&refs[k], &ActionChange { owner: Some(owner.clone()), ..Default::default() });
                    if owner == model[k].2 { prop_assert!(r.is_err()); } else { r.unwrap(); expected_history[k] += 1; model[k].2 = owner; }
                },
            }
        }
        let all = store.actions(&ActionFilter::all(today)).unwrap();
        prop_assert_eq!(all.len(), refs.len(), "no action is ever lost");
        for (k, r) in refs.iter().enumerate() {
            let a = store.action_with_history(r, today).unwrap();
            let h = a.history.unwrap();
            prop_assert_eq!(h.len(), expected_history[k], "one history row per change of {}", r);
            prop_assert_eq!(a.status, model[k].0);
            prop_assert_eq!(a.due.clone(), model[k].1.to_string());
            prop_assert_eq!(a.owner.clone(), model[k].2.clone());
            // The history replays to the current state.
            let last_status = h.iter().rev().find(|e| e.field == "status").and_then(|e| e.new.clone()).unwrap_or_else(|| "open".into());
            prop_assert_eq!(last_status, a.status.to_string());
        }
    }

    #[test]
    fn pack_values_round_trip_through_import(values in proptest::collection::vec(tenths(), 1..6)) {
        let mut pack = common::base_pack();
        pack["indicators"][0]["service"] = serde_json::json!("corporate-parenting");
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("q.db"), "prop").unwrap();
        let mut known = qprm::pack::Known::default();
        let mut packs = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let mut p = pack.clone();
            p["period"] = serde_json::json!(format!("2023-{:02}", i + 1));
            p["services"][0]["data"][0]["value"] = serde_json::json!(v);
            if i > 0 { p["actions"] = serde_json::json!([]); }
            let valid = qprm::pack::parse_bytes("p.json", &serde_json::to_vec(&p).unwrap(), &known).unwrap();
            known.absorb(&valid);
            packs.push(valid);
        }
        store.import_packs(&packs, Default::default()).unwrap();
        let series = store.kpi_series("TEST-PCT").unwrap();
        let got: Vec<f64> = series.series.iter().map(|p| p.value).collect();
        prop_assert_eq!(got, values.clone());
        // And again: nothing added, nothing changed.
        let again = store.import_packs(&packs, Default::default()).unwrap();
        prop_assert!(again.iter().all(|s| s.added.is_empty() && s.changed.is_empty()));
    }
}

/// Text built from the pieces that break terminal layouts: joined emoji,
/// flags, combining marks, wide characters, invisible and bidi controls,
/// escapes and plain words.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "word",
        " ",
        "  ",
        "Siân",
        "👩\u{200d}👩\u{200d}👧",
        "🇬🇧",
        "e\u{301}",
        "日本語",
        "\u{200b}",
        "\u{200d}",
        "\u{200e}",
        "\u{202e}",
        "\u{2067}",
        "\u{61c}",
        "\u{feff}",
        "\u{2028}",
        "\u{1b}[31m",
        "\t",
        "\n",
        "ｶﾞ",
        "\u{a0}",
        "longunbrokenword",
    ]);
    proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

proptest! {
    /// Cleaned text holds nothing invisible, cleans to itself, measures as
    /// ratatui draws it, and truncates and wraps within any width without
    /// losing or splitting a character.
    #[test]
    fn clean_text_measures_cuts_and_wraps_as_drawn(s in awkward_text(), cols in 1usize..40) {
        use qprm::domain::sanitize::clean;
        use qprm::text::{truncate, width, wrap};
        let c = clean(&s);
        prop_assert_eq!(clean(&c), c.clone());
        prop_assert!(!c.chars().any(|ch| ch.is_control()
            || matches!(ch, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{61c}' | '\u{feff}' | '\u{2028}' | '\u{2029}')), "{:?}", c);

        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 400, 1));
        let (x, _) = buf.set_stringn(0, 0, &c, 400, ratatui::style::Style::new());
        prop_assert_eq!(width(&c), x as usize);

        let cut = truncate(&c, cols);
        prop_assert!(width(&cut) <= cols);
        let body = cut.strip_suffix('…').unwrap_or(&cut);
        prop_assert!(c.starts_with(body));

        let lines = wrap(&c, cols);
        for l in &lines {
            // Only a single cluster wider than the line may overflow it.
            let one = unicode_segmentation::UnicodeSegmentation::graphemes(l.as_str(), true).count() == 1;
            prop_assert!(width(l) <= cols || one, "{:?} in {:?}", l, lines);
        }
        prop_assert_eq!(lines.concat().replace(' ', ""), c.replace(' ', ""));
    }
}
