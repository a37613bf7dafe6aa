//! Meeting screen state: keys in, state and store writes out.

mod common;

use common::tui::{Screen, screen, today};
use qprm::domain::ActionStatus;
use qprm::domain::Section;
use qprm::store::Position;
use qprm::store::{ActionFilter, AttendanceChange, NewMeeting, Store};
use qprm::tui::app::{Effect, Mode, Overlay, Role, Screen as View};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn service(s: &Screen) -> &str {
    s.app.current_service().unwrap()
}

fn actions_raised(s: &Screen) -> Vec<String> {
    s.store
        .actions(&ActionFilter::all(today()))
        .unwrap()
        .into_iter()
        .filter(|a| a.meeting.is_some())
        .map(|a| a.reference)
        .collect()
}

#[test]
fn stepping_through_the_agenda_and_sections() {
    let mut s = screen(Mode::default(), true);
    assert_eq!(s.app.screen, View::Overview, "a meeting opens on the agenda overview");
    s.key(KeyCode::Char(']'));
    assert_eq!((s.app.screen, service(&s)), (View::Service, "corporate-parenting"), "first ] starts at item 1");
    s.key(KeyCode::Char(']')).key(KeyCode::PageDown);
    assert_eq!(service(&s), "quality-assurance");
    assert_eq!(s.app.view.as_ref().unwrap().service.id, "quality-assurance", "the view is loaded for the new item");
    s.key(KeyCode::Char('[')).key(KeyCode::PageUp);
    assert_eq!(service(&s), "corporate-parenting");
    s.key(KeyCode::PageUp);
    assert_eq!(service(&s), "corporate-parenting", "stops at the first item");
    for _ in 0..10 {
        s.key(KeyCode::Char(']'));
    }
    assert_eq!(s.app.current, 6, "stops at the last item");

    assert_eq!(s.app.section, Section::Data);
    s.key(KeyCode::Tab).key(KeyCode::Tab);
    assert_eq!(s.app.section, Section::Feedback);
    s.key(KeyCode::BackTab).key(KeyCode::BackTab).key(KeyCode::BackTab);
    assert_eq!(s.app.section, Section::Decisions, "Shift-Tab wraps");
    s.key(KeyCode::Char('4'));
    assert_eq!(s.app.section, Section::Actions);
    s.key(KeyCode::Char('g'));
    assert_eq!(s.app.screen, View::Overview);
    s.key(KeyCode::Down).key(KeyCode::Char('j')).key(KeyCode::Enter);
    assert_eq!((s.app.screen, s.app.current), (View::Service, 2), "Enter on the overview opens the selected item");
}

#[test]
fn data_section_lists_reds_first() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char(']'));
    let view = s.app.view.as_ref().unwrap();
    let rags: Vec<_> = s.app.kpi_order.iter().map(|&i| view.kpis[i].rag).collect();
    let rank = |r: &qprm::domain::Rag| ["red", "amber", "green", "none"].iter().position(|x| *x == r.as_str()).unwrap();
    assert!(rags.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{rags:?}");
    assert_eq!(rags[0], qprm::domain::Rag::Red);
}

#[test]
fn recording_an_action_through_the_form() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]]]").key(KeyCode::Char('a'));
    assert!(matches!(s.app.overlay, Overlay::Form(_)));
    s.type_text("Review the MASH threshold document").key(KeyCode::Tab);
    s.type_text("Head of Service, Front Door and MASH").key(KeyCode::Tab).type_text("end of december");

    // Enter: the app asks the loop to write; the form stays until it is saved.
    let effect = s.app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)).expect("a write");
    let Effect::RecordAction(new) = &effect else { panic!("{effect:?}") };
    assert_eq!(new.service.as_deref(), Some("quality-assurance"), "the third agenda item");
    assert_eq!(new.due.unwrap().to_string(), "2023-12-31");
    assert!(matches!(s.app.overlay, Overlay::Form(_)), "nothing shown as saved before the commit");
    assert!(actions_raised(&s).is_empty());

    s.app.perform(&mut s.store, effect).unwrap();
    assert!(matches!(s.app.overlay, Overlay::None));
    assert_eq!(
        s.app.status.as_deref(),
        Some("✓ Saved action A1: owner Head of Service, Front Door and MASH, due 2023-12-31")
    );
    assert_eq!(s.store.action("A1", today()).unwrap().service.as_deref(), Some("quality-assurance"));
    assert_eq!(actions_raised(&s), vec!["A1"]);
    let a = s.store.action("A1", today()).unwrap();
    assert_eq!(a.meeting, Some(s.app.meeting.id));
    assert!(s.app.view.as_ref().unwrap().actions.rows.iter().any(|v| v.action.reference == "A1" && !v.carried_forward));
}

/// The action form takes a date as a UK council writes it, read day first.
#[test]
fn the_action_form_takes_a_uk_date() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a").type_text("Refresh the sufficiency strategy").key(KeyCode::Tab);
    s.type_text("Head of Service, Corporate Parenting").key(KeyCode::Tab).type_text("31 Mar 2024");
    let effect = s.app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)).expect("a write");
    let Effect::RecordAction(new) = &effect else { panic!("{effect:?}") };
    assert_eq!(new.due.map(|d| d.to_string()).as_deref(), Some("2024-03-31"));
    s.app.perform(&mut s.store, effect).unwrap();
    assert_eq!(s.store.action("A1", today()).unwrap().due, "2024-03-31");

    // 31/02 is refused in the form, with the reason, and nothing is saved.
    s.type_text("a").type_text("Another").key(KeyCode::Tab).type_text("Someone").key(KeyCode::Tab);
    s.type_text("31/02/2024").key(KeyCode::Enter);
    let Overlay::Form(form) = &s.app.overlay else { panic!("form should stay open") };
    assert_eq!(form.error.as_deref(), Some("'31/02/2024' is not a real date: February 2024 has 29 days"));
    assert_eq!(actions_raised(&s), vec!["A1"]);
}

#[test]
fn invalid_form_input_is_explained_and_nothing_saved() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a").type_text("Text only").key(KeyCode::Enter);
    let Overlay::Form(form) = &s.app.overlay else { panic!("form should stay open") };
    assert_eq!(form.error.as_deref(), Some("An owner is needed"));
    assert_eq!(form.focus, 1, "focus moves to the field at fault");
    s.type_text("Someone").key(KeyCode::Tab).type_text("someday").key(KeyCode::Enter);
    let Overlay::Form(form) = &s.app.overlay else { panic!("form should stay open") };
    assert!(form.error.as_deref().unwrap().contains("not a date I understand"));
    s.key(KeyCode::Esc);
    assert!(matches!(s.app.overlay, Overlay::Form(_)), "first Esc asks, because text would be lost");
    assert!(s.app.has_unsaved_text());
    s.key(KeyCode::Esc);
    assert!(matches!(s.app.overlay, Overlay::None));
    assert!(actions_raised(&s).is_empty());
}

#[test]
fn done_status_carry_and_undo_keep_history() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]4");
    while s.app.selected_action().unwrap().status != ActionStatus::Open {
        s.key(KeyCode::Down);
    }
    let first = s.app.selected_action().unwrap().clone();
    s.key(KeyCode::Char('x')).key(KeyCode::Enter); // the note is optional
    assert_eq!(s.store.action(&first.reference, today()).unwrap().status, ActionStatus::Done);
    assert!(s.app.status.as_deref().unwrap().starts_with("✓ Saved"));
    assert!(
        s.app.view.as_ref().unwrap().actions.rows.iter().any(|v| v.action.reference == first.reference),
        "stays in view"
    );
    s.key(KeyCode::Char('u'));
    assert_eq!(s.store.action(&first.reference, today()).unwrap().status, ActionStatus::Open);

    s.key(KeyCode::Char('s'));
    assert_eq!(s.store.action(&first.reference, today()).unwrap().status, ActionStatus::InProgress);

    s.key(KeyCode::Char('c'))
        .type_text("+1m")
        .key(KeyCode::Tab)
        .type_text("awaiting partner sign-off")
        .key(KeyCode::Enter);
    let carried = s.store.action_with_history(&first.reference, today()).unwrap();
    assert_eq!(carried.due, "2023-12-14");
    let h = carried.history.unwrap();
    let fields: Vec<&str> = h.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["created", "status", "status", "status", "due"]);
    assert_eq!(h[4].note.as_deref(), Some("awaiting partner sign-off"));
    assert!(h[1..].iter().all(|e| e.meeting == Some(s.app.meeting.id) && e.actor == "chair"));
    assert_eq!(h[2].note.as_deref(), Some(qprm::domain::history::UNDO_NOTE), "undo is itself recorded");

    s.key(KeyCode::Char('u'));
    assert_eq!(s.store.action(&first.reference, today()).unwrap().due, first.due);
}

#[test]
fn undo_of_a_new_action_drops_it_with_a_reason_and_of_a_decision_withdraws_it() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a")
        .type_text("Temp")
        .key(KeyCode::Tab)
        .type_text("Owner")
        .key(KeyCode::Tab)
        .type_text("+1w")
        .key(KeyCode::Enter);
    s.key(KeyCode::Char('d')).type_text("Agree the plan").key(KeyCode::Enter);
    assert_eq!(s.app.view.as_ref().unwrap().decisions.len(), 1);
    s.key(KeyCode::Char('u'));
    assert!(s.app.status.as_deref().unwrap().contains("decision \"Agree the plan\" withdrawn"), "{:?}", s.app.status);
    assert!(s.app.view.as_ref().unwrap().decisions.is_empty(), "withdrawn: hidden, never a live twin");
    s.key(KeyCode::Char('h'));
    assert_eq!(s.app.view.as_ref().unwrap().decisions[0].status, qprm::domain::DecisionStatus::Withdrawn);
    s.key(KeyCode::Char('h'));
    s.key(KeyCode::Char('u'));
    let a = s.store.action_with_history("A1", today()).unwrap();
    assert_eq!(a.status, ActionStatus::Dropped, "undo never deletes");
    assert!(a.history.unwrap().last().unwrap().note.as_deref().unwrap().contains("undone"));
    s.key(KeyCode::Char('u'));
    assert_eq!(s.app.status.as_deref(), Some("Nothing to undo from this screen"));
}

#[test]
fn read_only_refuses_every_edit_and_says_why() {
    let mut s = screen(Mode { read_only: true, ..Mode::default() }, true);
    s.type_text("]4");
    for k in ['a', 'd', 'x', 'c', 's', 'e', 'u'] {
        s.key(KeyCode::Char(k));
        assert!(matches!(s.app.overlay, Overlay::None), "{k}");
        assert!(s.app.status.as_deref().unwrap().contains("Read-only"), "{k}");
    }
    assert!(actions_raised(&s).is_empty());
    s.key(KeyCode::Char(']'));
    assert_eq!(service(&s), "disabled-children", "navigation still works");
}

#[test]
fn quit_asks_first() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char('q'));
    assert!(matches!(s.app.overlay, Overlay::ConfirmQuit) && !s.app.quit);
    s.key(KeyCode::Char('n'));
    assert!(!s.app.quit);
    s.key(KeyCode::Char('q')).key(KeyCode::Char('y'));
    assert!(s.app.quit);
}

#[test]
fn timer_starts_and_pauses_per_item() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char(']')).key(KeyCode::Char('t'));
    assert!(s.app.timers[0].running() && s.app.ticking());
    s.key(KeyCode::Char(']'));
    assert!(!s.app.timers[1].running(), "each item has its own timer");
    s.key(KeyCode::Char('[')).key(KeyCode::Char('t'));
    assert!(!s.app.ticking());
}

#[test]
fn search_finds_and_jumps() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char('/')).type_text("care leavers in touch");
    let Overlay::Search(search) = &s.app.overlay else { panic!("search open") };
    assert!(!search.hits.is_empty(), "indicator CL-IN-TOUCH should match");
    s.key(KeyCode::Enter);
    assert_eq!(service(&s), "care-experienced");
    assert_eq!(s.app.section, Section::Data);
}

#[test]
fn another_instance_s_write_appears_on_reload() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]5");
    let version = s.store.data_version().unwrap();
    let mut minutes = Store::open(&s.path, "minutes").unwrap();
    minutes.record_decision(s.app.meeting.id, Some("corporate-parenting"), "Recorded by the minute-taker").unwrap();
    assert_ne!(s.store.data_version().unwrap(), version, "the loop's change check sees it");
    s.app.reload(&s.store).unwrap();
    assert_eq!(s.app.view.as_ref().unwrap().decisions[0].text, "Recorded by the minute-taker");
    assert_eq!(s.app.section, Section::Decisions, "the viewer keeps their place");
}

#[test]
fn a_new_action_can_go_to_another_service_and_a_bad_one_is_refused_inline() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a").type_text("Joint audit").key(KeyCode::Tab).type_text("Owner").key(KeyCode::Tab).type_text("+1w");
    s.key(KeyCode::Tab);
    for _ in 0.."corporate-parenting".len() {
        s.key(KeyCode::Backspace);
    }
    s.type_text("no-such-service").key(KeyCode::Enter);
    let Overlay::Form(form) = &s.app.overlay else { panic!("form stays open") };
    assert!(form.error.as_deref().unwrap().contains("unknown service 'no-such-service'"), "{:?}", form.error);
    assert!(actions_raised(&s).is_empty());
    for _ in 0.."no-such-service".len() {
        s.key(KeyCode::Backspace);
    }
    s.type_text("early-help").key(KeyCode::Enter);
    assert_eq!(s.store.action("A1", today()).unwrap().service.as_deref(), Some("early-help"));
}

#[test]
fn search_reaches_audit_findings_and_jumps_to_their_section() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char('/')).type_text("life story");
    let Overlay::Search(search) = &s.app.overlay else { panic!("search open") };
    let i = search.hits.iter().position(|h| h.kind == qprm::store::HitKind::Finding).expect("a finding");
    for _ in 0..i {
        s.key(KeyCode::Down);
    }
    s.key(KeyCode::Enter);
    assert_eq!(s.app.section, Section::Audits, "findings live in the Audits section");
    assert_eq!(s.app.screen, View::Service);
}

/// Three actions due the same day: changing one's status never moves the
/// selection to another, so a second x says "already done" rather than
/// closing the neighbour, and e edits the action just closed.
#[test]
fn status_keys_keep_acting_on_the_same_action() {
    let mut s = screen(Mode::default(), true);
    let service = s.app.meeting.agenda[0].clone();
    for text in ["Tie one", "Tie two", "Tie three"] {
        s.store
            .record_action(&qprm::store::NewAction {
                text: text.into(),
                owner: "Someone".into(),
                due: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
                service: Some(service.clone()),
                meeting: None,
                indicator: None,
            })
            .unwrap();
    }
    s.type_text("]4");
    s.key(KeyCode::Home);
    let first = s.app.selected_action().unwrap().clone();
    assert_eq!(first.text, "Tie one", "earliest due first");
    let before = s.app.selected[Section::Actions];
    s.key(KeyCode::Char('s')).key(KeyCode::Char('s')).key(KeyCode::Enter);
    assert_eq!(s.app.selected_action().unwrap().reference, first.reference);
    assert_eq!(s.app.selected_action().unwrap().status, ActionStatus::Done);
    assert_eq!(s.app.selected[Section::Actions], before, "closed in this meeting, it keeps its place");
    s.key(KeyCode::Char('x'));
    assert!(s.app.status.as_deref().unwrap().contains("already"), "{:?}", s.app.status);
    for other in ["Tie two", "Tie three"] {
        let open = s.app.view.as_ref().unwrap().actions.rows.iter().find(|a| a.action.text == other).unwrap();
        assert_eq!(open.action.status, ActionStatus::Open, "{other} untouched");
    }
    // Reopened, it is still the one selected.
    s.key(KeyCode::Char('s'));
    assert_eq!(s.app.selected_action().unwrap().reference, first.reference);
    assert_eq!(s.app.selected_action().unwrap().status, ActionStatus::Open);
}

#[test]
fn on_the_overview_a_and_d_record_the_meetings_own_business() {
    let mut s = screen(Mode::default(), true);
    // Visit a service, then come back to the overview: it must not lend its service.
    s.type_text("]]g");
    assert_eq!(s.app.screen, View::Overview);
    s.key(KeyCode::Char('d'));
    match &s.app.overlay {
        Overlay::Form(f) => assert_eq!(f.title(), "Record a decision for the meeting (no service)"),
        _ => panic!("a decision form"),
    }
    s.type_text("Move the QPRM to the second Tuesday").key(KeyCode::Enter);
    let d = &s.app.meeting_wide.decisions;
    assert_eq!((d.len(), d[0].service.as_deref()), (1, None), "recorded with no service");
    s.key(KeyCode::Char('a'))
        .type_text("Circulate the terms of reference")
        .key(KeyCode::Tab)
        .type_text("Business Support Manager")
        .key(KeyCode::Tab)
        .type_text("30/11/2023")
        .key(KeyCode::Enter);
    let a = &s.app.meeting_wide.actions;
    assert_eq!(a.len(), 1, "listed on the overview");
    assert_eq!((a[0].action.service.as_deref(), a[0].action.due.as_str()), (None, "2023-11-30"));
    // On a service, d files under it; its Service field can still be cleared.
    s.key(KeyCode::Char(']'));
    s.key(KeyCode::Char('d')).type_text("About this service").key(KeyCode::Enter);
    let here = s.store.meeting_decisions(s.app.meeting.id, Some(service(&s))).unwrap();
    assert!(here.iter().any(|d| d.text == "About this service"));
}

#[test]
fn the_actions_section_shows_the_net_changes_since_the_last_meeting() {
    let mut s = screen(Mode::default(), true);
    // A meeting today: changes made between meetings today are before its end.
    let now = chrono::Local::now().date_naive();
    let new = qprm::store::NewMeeting { date: Some(now), period: "2023-11".parse().ok(), ..Default::default() };
    let m = s.store.create_meeting(&new).unwrap();
    s.app = qprm::tui::app::App::new(&s.store, m.id, Mode::default(), true, now).unwrap();
    s.type_text("]4");
    let reference = s.app.selected_action().unwrap().reference.clone();
    // Between meetings (no --meeting), a date moved twice; then today x and u.
    let mut cli = Store::open(&s.path, "cli").unwrap();
    let later = |d: &str| qprm::domain::dates::parse_iso(d).ok();
    let change = qprm::store::ActionChange { due: later("2024-02-29"), ..Default::default() };
    cli.update_action(&reference, &change).unwrap();
    let change = qprm::store::ActionChange {
        due: later("2024-03-31"),
        note: Some("awaiting data".into()),
        ..Default::default()
    };
    cli.update_action(&reference, &change).unwrap();
    s.key(KeyCode::Char('x')).key(KeyCode::Enter).key(KeyCode::Char('u'));
    let words: Vec<String> =
        s.app.since_last_meeting.iter().map(|h| qprm::domain::history::describe_change(&h.as_change())).collect();
    assert_eq!(words.len(), 1, "{words:?}");
    assert!(words[0].starts_with("due: ") && words[0].ends_with("→ 2024-03-31 — awaiting data"), "{words:?}");
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc)
}

/// `w` on the agenda overview: a late arrival, an apology sent on the day,
/// a name recorded in error; each change kept in the meeting's history.
#[test]
fn attendance_from_the_overview() {
    let mut s = screen(Mode::default(), true);
    assert_eq!(s.app.screen, View::Overview);
    s.key(KeyCode::Char('w'));
    let Overlay::Form(form) = &s.app.overlay else { panic!("w opens the attendance form") };
    assert_eq!(form.fields.iter().map(|f| f.label).collect::<Vec<_>>(), ["Present", "Apologies", "Remove"]);
    s.key(KeyCode::Enter);
    let Overlay::Form(form) = &s.app.overlay else { panic!("an empty form stays open") };
    assert_eq!(form.error.as_deref(), Some("Type a name: someone present, an apology, or a name to remove"));

    // Dev arrived late; Early Help's Head sent apologies after all (recorded as present).
    s.type_text("Dev Patel").key(KeyCode::Tab).type_text("head of service, early help");
    let effect = s.app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)).expect("a write");
    assert!(matches!(&effect, Effect::UpdateAttendance(c) if c.present == ["Dev Patel"]));
    assert!(matches!(s.app.overlay, Overlay::Form(_)), "nothing shown as saved before the commit");
    s.app.perform(&mut s.store, effect).unwrap();
    assert!(matches!(s.app.overlay, Overlay::None));
    assert_eq!(
        s.app.status.as_deref(),
        Some("✓ Saved attendance: Dev Patel: added as present; Head of Service, Early Help: present → apologies")
    );
    assert!(s.app.meeting.attendees.contains(&"Dev Patel".to_string()), "the overview shows it at once");
    assert!(s.app.meeting.apologies.contains(&"Head of Service, Early Help".to_string()));
    let history = s.store.meeting_history(s.app.meeting.id).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|h| h.actor == "chair" && h.field == "attendance"));

    // Removing a name nobody recorded: the form says who is, and nothing changes.
    s.key(KeyCode::Char('w')).key(KeyCode::Tab).key(KeyCode::Tab).type_text("Zed").key(KeyCode::Enter);
    let Overlay::Form(form) = &s.app.overlay else { panic!("form should stay open") };
    let error = form.error.as_deref().unwrap();
    assert!(error.starts_with("Not saved: Zed is not recorded at the meeting of 2023-11-14"), "{error}");
    assert!(error.contains("Dev Patel"), "names the known ones: {error}");
    assert_eq!(s.store.meeting_history(s.app.meeting.id).unwrap().len(), 2);
    s.key(KeyCode::Esc).key(KeyCode::Esc);
    s.key(KeyCode::Char('w')).key(KeyCode::Tab).key(KeyCode::Tab).type_text("dev patel").key(KeyCode::Enter);
    assert!(!s.store.meeting(s.app.meeting.id).unwrap().attendees.contains(&"Dev Patel".to_string()));
}

/// Once the minutes are approved, every edit from the screen is refused
/// with a status line that says when and how to reopen; a form opened
/// before the approval keeps its text and is not saved.
#[test]
fn an_approved_meeting_refuses_the_screens_writes() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]d").type_text("Agree the sufficiency plan");
    let before = s.store.meeting(s.app.meeting.id).unwrap().decisions;
    let mut cli = Store::open(&s.path, "cli").unwrap();
    cli.approve_meeting(s.app.meeting.id, today(), at("2023-11-14T12:00:00Z")).unwrap();

    s.key(KeyCode::Enter);
    let locked = "Minutes approved 2023-11-14, locked: qprm meeting reopen 2023-11-14 --note WHY";
    assert_eq!(s.app.status.as_deref(), Some(locked));
    let Overlay::Form(form) = &s.app.overlay else { panic!("the form keeps its text") };
    assert_eq!(form.error.as_deref(), Some(format!("Not saved: {locked}").as_str()));
    assert_eq!(form.fields[0].value(), "Agree the sufficiency plan");
    assert_eq!(s.store.meeting(s.app.meeting.id).unwrap().decisions, before);
    s.key(KeyCode::Esc).key(KeyCode::Esc);

    s.app.reload(&s.store).unwrap();
    s.key(KeyCode::Char('4'));
    for k in ['a', 'd', 'x', 'c', 's', 'e', 'u', 'w'] {
        s.app.status = None;
        s.key(KeyCode::Char(k));
        assert_eq!(s.app.status.as_deref(), Some(locked), "{k}");
        assert!(matches!(s.app.overlay, Overlay::None), "{k} opens nothing");
    }
    s.key(KeyCode::Char('g'));
    s.key(KeyCode::Char('w'));
    assert_eq!(s.app.status.as_deref(), Some(locked));

    cli.reopen_meeting(s.app.meeting.id, "a decision was missed", at("2023-11-14T12:30:00Z")).unwrap();
    s.app.reload(&s.store).unwrap();
    s.key(KeyCode::Char('w'));
    assert!(matches!(s.app.overlay, Overlay::Form(_)), "reopened: the screen records again");
}

#[test]
fn closing_asks_for_a_note_dropping_needs_one_and_e_edits_it() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]4");
    while s.app.selected_action().unwrap().status != ActionStatus::Open {
        s.key(KeyCode::Down);
    }
    let r = s.app.selected_action().unwrap().reference.clone();
    s.key(KeyCode::Char('x')).type_text("all booked").key(KeyCode::Enter);
    let a = s.store.action_with_history(&r, today()).unwrap();
    assert_eq!(a.status, ActionStatus::Done);
    assert_eq!(a.history.unwrap().last().unwrap().note.as_deref(), Some("all booked"));
    // Dropping needs a reason: Enter with none is refused, nothing saved.
    s.key(KeyCode::Char('D')).key(KeyCode::Enter);
    assert_eq!(s.store.action(&r, today()).unwrap().status, ActionStatus::Done);
    s.type_text("superseded by 2.3").key(KeyCode::Enter);
    let a = s.store.action_with_history(&r, today()).unwrap();
    assert_eq!(a.status, ActionStatus::Dropped);
    assert_eq!(a.history.unwrap().last().unwrap().note.as_deref(), Some("superseded by 2.3"));
    // e carries a note with the change.
    s.key(KeyCode::Char('e')).key(KeyCode::Tab).key(KeyCode::Tab).key(KeyCode::Tab).type_text("owner agreed");
    s.key(KeyCode::Enter);
    let a = s.store.action_with_history(&r, today()).unwrap();
    assert_eq!(a.history.unwrap().last().unwrap().note.as_deref(), Some("owner agreed"));
}

#[test]
fn u_and_capital_u_undo_and_redo_this_screens_changes_only() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]4");
    while s.app.selected_action().unwrap().status != ActionStatus::Open {
        s.key(KeyCode::Down);
    }
    let r = s.app.selected_action().unwrap().reference.clone();
    s.key(KeyCode::Char('x')).key(KeyCode::Enter);
    s.key(KeyCode::Char('u'));
    assert_eq!(s.app.status.as_deref(), Some(format!("↶ Undone on {r}: status: done → open").as_str()));
    assert_eq!(s.store.action(&r, today()).unwrap().status, ActionStatus::Open);
    s.key(KeyCode::Char('U'));
    assert_eq!(s.app.status.as_deref(), Some(format!("↷ Redone on {r}: status: open → done").as_str()));
    assert_eq!(s.store.action(&r, today()).unwrap().status, ActionStatus::Done);
    // Another screen (or the CLI) changes it: u never reaches over that.
    let mut other = Store::open(&s.path, "minutes").unwrap();
    let reopen = qprm::store::ActionChange { status: Some(ActionStatus::InProgress), ..Default::default() };
    other.update_action(&r, &reopen).unwrap();
    s.key(KeyCode::Char('u'));
    assert!(s.app.status.as_deref().unwrap().contains("changed since by another screen"), "{:?}", s.app.status);
    assert_eq!(
        s.store.action(&r, today()).unwrap().status,
        ActionStatus::InProgress,
        "left as the other screen set it"
    );
}

/// A minute-taker's screen, as `live` makes it when a chair already sits.
fn minutes_screen() -> Screen {
    let mut s = screen(Mode::default(), true);
    s.app.set_role(&mut s.store, Role::Minutes).unwrap();
    s
}

fn chair_at(agenda_index: usize, section: Section) -> Position {
    Position { agenda_index, section, on_overview: false, row: 0 }
}

/// What the loop does when the chair's place is read: move if the rules
/// allow, then reload.
fn chair_moves(s: &mut Screen, pos: Position) -> bool {
    let moved = s.app.on_chair_position(pos);
    if moved {
        s.app.reload(&s.store).unwrap();
    }
    moved
}

#[test]
fn a_minute_takers_screen_follows_the_chair_by_default() {
    let mut s = minutes_screen();
    assert!(s.app.following, "following is the default");
    assert!(chair_moves(&mut s, chair_at(2, Section::Audits)));
    assert_eq!((s.app.screen, service(&s), s.app.section), (View::Service, "quality-assurance", Section::Audits));
    assert_eq!(s.app.view.as_ref().unwrap().service.id, "quality-assurance", "its view is loaded");
    assert!(!chair_moves(&mut s, chair_at(2, Section::Audits)), "no move, no reload");
    // Moving within a list is the minute-taker's own business.
    s.key(KeyCode::Down);
    assert!(s.app.following);
    // The chair's own screen and a read-only one never follow.
    let mut chair = screen(Mode::default(), true);
    assert!(!chair_moves(&mut chair, chair_at(2, Section::Audits)));
    let mut read_only = screen(Mode { read_only: true, ..Mode::default() }, true);
    read_only.app.role = Role::ReadOnly;
    assert!(!chair_moves(&mut read_only, chair_at(2, Section::Audits)));
}

#[test]
fn an_open_form_is_never_moved_and_the_screen_follows_once_it_closes() {
    let mut s = minutes_screen();
    chair_moves(&mut s, chair_at(0, Section::Data));
    s.key(KeyCode::Char('d')).type_text("Half a decision");
    assert!(!chair_moves(&mut s, chair_at(3, Section::Feedback)), "the form stays where it was opened");
    assert_eq!((service(&s), s.app.section), ("corporate-parenting", Section::Data));
    let Overlay::Form(form) = &s.app.overlay else { panic!("the form is still open") };
    assert_eq!(form.to_draft().1, "corporate-parenting", "and still records to the service it was opened on");
    assert!(s.app.following, "following is only deferred");
    s.key(KeyCode::Esc);
    if matches!(s.app.overlay, Overlay::Form(_)) {
        s.key(KeyCode::Esc); // the first Esc may only leave the field
    }
    assert!(!s.app.has_open_form());
    assert!(chair_moves(&mut s, chair_at(3, Section::Feedback)), "caught up once the form closed");
    assert_eq!((s.app.current, s.app.section), (3, Section::Feedback));
}

#[test]
fn moving_by_hand_stops_following_and_f_resumes_it() {
    for keys in ["]", "[", "\t", "3", "g"] {
        let mut s = minutes_screen();
        chair_moves(&mut s, chair_at(1, Section::Data));
        for c in keys.chars() {
            s.key(if c == '\t' { KeyCode::Tab } else { KeyCode::Char(c) });
        }
        assert!(!s.app.following, "{keys:?}: moved by hand");
        let status = s.app.status.clone().unwrap_or_default();
        assert!(status.contains("f follows it again"), "{keys:?}: {status}");
        let here = s.app.position();
        assert!(!chair_moves(&mut s, chair_at(4, Section::Actions)), "{keys:?}: the chair no longer moves this screen");
        assert_eq!(s.app.position(), here);

        s.key(KeyCode::Char('f'));
        assert!(s.app.following, "{keys:?}: f resumes");
        assert!(s.app.status.as_deref().unwrap_or_default().starts_with("Following the chair"));
        assert!(chair_moves(&mut s, chair_at(4, Section::Actions)), "{keys:?}: straight back to the chair's place");
        assert_eq!((s.app.current, s.app.section), (4, Section::Actions));
        s.key(KeyCode::Char('f'));
        assert!(!s.app.following, "f stops again");
        assert!(!chair_moves(&mut s, chair_at(5, Section::Data)));
    }
}

#[test]
fn f_on_a_screen_that_does_not_follow_says_why() {
    let mut chair = screen(Mode::default(), true);
    chair.key(KeyCode::Char('f'));
    assert!(chair.app.status.as_deref().unwrap().contains("This screen is the chair"));
    let mut follow = screen(Mode { follow: true, read_only: true, ..Mode::default() }, true);
    follow.key(KeyCode::Char('f'));
    assert!(follow.app.status.as_deref().unwrap().contains("always follows"));
    assert!(follow.app.following);
}

#[test]
fn a_chair_that_loses_the_chair_records_as_the_minute_taker_and_keeps_its_form_and_draft() {
    let mut s = screen(Mode::default(), true);
    s.app.set_draft_key("ann@/dev/pts/1".into());
    assert_eq!(s.store.actor(), "chair");
    s.key(KeyCode::Char(']')).key(KeyCode::Char('d')).type_text("Typed by the chair");
    s.app.sync_draft(&mut s.store).unwrap();
    let meeting = s.app.meeting.id;
    assert!(s.store.draft(meeting, "ann@/dev/pts/1").unwrap().is_some());

    s.app.set_role(&mut s.store, Role::Minutes).unwrap();
    assert_eq!(s.store.actor(), "minutes");
    assert!(s.app.following, "a minute-taker's screen follows by default");
    // The draft is the screen's, not the role's: nothing moved.
    assert_eq!(s.store.draft(meeting, "ann@/dev/pts/1").unwrap().unwrap().2[0], "Typed by the chair");
    assert!(s.store.draft(meeting, "minutes").unwrap().is_none());
    assert!(s.store.draft(meeting, "chair").unwrap().is_none());
    s.type_text(", and more");
    s.app.sync_draft(&mut s.store).unwrap();
    assert_eq!(s.store.draft(meeting, "ann@/dev/pts/1").unwrap().unwrap().2[0], "Typed by the chair, and more");

    s.key(KeyCode::Enter);
    assert!(s.app.status.as_deref().unwrap().starts_with("✓ Saved decision"));
    s.app.sync_draft(&mut s.store).unwrap();
    assert!(s.store.draft(meeting, "ann@/dev/pts/1").unwrap().is_none(), "saved: the draft is cleared");
    let conn = rusqlite::Connection::open(&s.path).unwrap();
    let actor: String =
        conn.query_row("SELECT actor FROM decision_history ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(actor, "minutes");
}

#[test]
fn taking_the_chair_never_writes_over_the_silent_chairs_words_which_stay_hers() {
    let mut s = minutes_screen();
    s.app.set_draft_key("bob@/dev/pts/2".into());
    let meeting = s.app.meeting.id;
    s.key(KeyCode::Char(']')).key(KeyCode::Char('d')).type_text("The minute-taker's words");
    s.app.sync_draft(&mut s.store).unwrap();
    // The chair, on another terminal, went quiet with words half typed.
    s.store
        .save_draft(meeting, "ann@/dev/pts/1", "decision", "early-help", &["The silent chair's words".into()])
        .unwrap();

    s.app.set_role(&mut s.store, Role::Chair).unwrap();
    assert_eq!(s.store.actor(), "chair");
    s.type_text("!");
    s.app.sync_draft(&mut s.store).unwrap();
    assert_eq!(s.store.draft(meeting, "ann@/dev/pts/1").unwrap().unwrap().2[0], "The silent chair's words");
    assert_eq!(s.store.draft(meeting, "bob@/dev/pts/2").unwrap().unwrap().2[0], "The minute-taker's words!");
    s.key(KeyCode::Esc);
    if s.app.has_open_form() {
        s.key(KeyCode::Esc);
    }
    s.app.sync_draft(&mut s.store).unwrap();
    assert!(s.store.draft(meeting, "bob@/dev/pts/2").unwrap().is_none(), "its own words cleared");
    assert!(s.store.draft(meeting, "ann@/dev/pts/1").unwrap().is_some(), "the silent chair's words kept");
    s.app.restore_draft(&s.store).unwrap();
    assert!(!s.app.has_open_form(), "another screen's words are not offered to the new chair");
    // Offered back to the terminal that typed them, whatever its role now.
    s.app.set_draft_key("ann@/dev/pts/1".into());
    s.app.restore_draft(&s.store).unwrap();
    assert!(s.app.has_open_form(), "offered back to its own screen");
}

fn form_error(s: &Screen) -> Option<String> {
    match &s.app.overlay {
        Overlay::Form(form) => form.error.clone(),
        _ => None,
    }
}

/// Issue 12, item 7: Enter with a new owner close to a known one does not
/// save; the form asks. A second Enter keeps the name as typed.
#[test]
fn a_new_owner_close_to_a_known_one_is_questioned_and_enter_keeps_it() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a").type_text("Book health assessments").key(KeyCode::Tab);
    s.type_text("Corprate Parenting").key(KeyCode::Tab).type_text("+2w");
    let Overlay::Form(form) = &s.app.overlay else { panic!("a form") };
    assert_eq!(
        form.owner_suggestion(&s.app.owners),
        Some("Head of Service, Corporate Parenting"),
        "→ offers the same owner before Enter"
    );
    assert!(s.app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)).is_none(), "Enter asks, writes nothing");
    assert_eq!(
        form_error(&s).as_deref(),
        Some("New owner 'Corprate Parenting': Enter keeps it, → takes 'Head of Service, Corporate Parenting'")
    );
    let Overlay::Form(form) = &s.app.overlay else { panic!("the form stays open") };
    assert_eq!(form.focus, 1, "on the Owner field");
    assert!(actions_raised(&s).is_empty());

    s.key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::None), "{:?}", form_error(&s));
    assert_eq!(s.store.action("A1", today()).unwrap().owner, "Corprate Parenting", "kept as typed");

    // Now a known owner: the same name again, in any case, is not asked about.
    s.type_text("a").type_text("Second").key(KeyCode::Tab).type_text("corprate PARENTING").key(KeyCode::Tab);
    s.type_text("+2w").key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::None), "{:?}", form_error(&s));
    assert_eq!(s.store.action("A2", today()).unwrap().owner, "Corprate Parenting", "the spelling first recorded");
}

/// → answers the question by taking the known owner; the next Enter saves
/// it. Any other key goes on editing, and Enter then asks again.
#[test]
fn right_arrow_takes_the_known_owner_the_question_names() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a").type_text("Refresh the sufficiency strategy").key(KeyCode::Tab);
    s.type_text("Director of Childrens Services").key(KeyCode::Tab).type_text("+2w");
    s.key(KeyCode::Enter);
    assert_eq!(
        form_error(&s).as_deref(),
        Some("New owner 'Director of Childrens Services': Enter keeps it, → takes 'Director of Children's Services'")
    );
    // Typing goes on editing: the question is dropped, and asked again.
    s.key(KeyCode::Char('x')).key(KeyCode::Backspace);
    assert_eq!(form_error(&s), None);
    s.key(KeyCode::Enter);
    assert!(form_error(&s).is_some_and(|e| e.starts_with("New owner")), "asked again");

    s.key(KeyCode::Right);
    let Overlay::Form(form) = &s.app.overlay else { panic!("the form stays open") };
    assert_eq!(form.fields[1].value(), "Director of Children's Services");
    assert_eq!((form.error.as_deref(), form.owner_suggestion(&s.app.owners)), (None, None));
    s.key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::None), "{:?}", form_error(&s));
    assert_eq!(s.store.action("A1", today()).unwrap().owner, "Director of Children's Services");
    assert!(!s.store.owners().unwrap().iter().any(|o| o == "Director of Childrens Services"), "no new owner");
}

/// Editing an action: its own owner in other case is no change, and a new
/// owner close to a known one is asked about as in a new action.
#[test]
fn the_edit_form_questions_a_new_owner_too() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]a").type_text("Book health assessments").key(KeyCode::Tab);
    s.type_text("Head of Service, Corporate Parenting").key(KeyCode::Tab).type_text("+2w").key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::None), "{:?}", form_error(&s));
    s.key(KeyCode::Char('4')).key(KeyCode::End).key(KeyCode::Char('e'));
    let Overlay::Form(form) = &s.app.overlay else { panic!("the edit form") };
    assert_eq!(form.fields[0].value(), "Book health assessments");
    s.key(KeyCode::Tab);
    for _ in 0.."Head of Service, Corporate Parenting".len() {
        s.key(KeyCode::Backspace);
    }
    s.type_text("Head of Service, Corporate Parentng").key(KeyCode::Enter);
    assert_eq!(
        form_error(&s).as_deref(),
        Some(
            "New owner 'Head of Service, Corporate Parentng': Enter keeps it, → takes 'Head of Service, Corporate Parenting'"
        )
    );
    // → takes the action's own owner back; Tab past Due and Note reaches the text.
    s.key(KeyCode::Right).key(KeyCode::Tab).key(KeyCode::Tab).key(KeyCode::Tab).type_text("!").key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::None), "{:?}", form_error(&s));
    let a = s.store.action("A1", today()).unwrap();
    assert_eq!(
        (a.text.as_str(), a.owner.as_str()),
        ("Book health assessments!", "Head of Service, Corporate Parenting")
    );

    // The action's own owner retyped in lower case is not a change of owner.
    s.key(KeyCode::Char('e')).key(KeyCode::Tab);
    for _ in 0.."Head of Service, Corporate Parenting".len() {
        s.key(KeyCode::Backspace);
    }
    s.type_text("head of service,  corporate parenting").key(KeyCode::BackTab).type_text("!").key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::None), "{:?}", form_error(&s));
    let a = s.store.action_with_history("A1", today()).unwrap();
    assert_eq!(
        (a.text.as_str(), a.owner.as_str()),
        ("Book health assessments!!", "Head of Service, Corporate Parenting")
    );
    assert!(a.history.unwrap().iter().all(|h| h.field != "owner"), "no owner change recorded");
}

#[test]
fn a_follow_screen_selects_the_chair_s_row_and_runs_the_chair_s_timer() {
    use qprm::store::ChairTimer;
    let mut s = screen(Mode { follow: true, read_only: true, ..Mode::default() }, true);
    let at = |row| Position { agenda_index: 0, section: Section::Data, on_overview: false, row };
    assert!(chair_moves(&mut s, at(2)));
    assert_eq!((s.app.screen, s.app.selected[Section::Data]), (View::Service, 2), "the chair's row, not the first");
    assert!(chair_moves(&mut s, at(3)), "a new row alone moves the projector");
    assert_eq!(s.app.selected[Section::Data], 3);
    let on_overview = Position { on_overview: true, ..at(4) };
    assert!(chair_moves(&mut s, on_overview));
    assert_eq!((s.app.screen, s.app.overview_selected), (View::Overview, 4), "the agenda's row too");

    // The chair's timer: taken when it starts, counted on by this screen's clock.
    assert!(s.app.on_chair_timer(0, ChairTimer { seconds: 75, running: true }));
    assert!(s.app.timers[0].running() && s.app.timers[0].elapsed().as_secs() >= 75);
    assert!(
        !s.app.on_chair_timer(0, ChairTimer { seconds: 76, running: true }),
        "a heartbeat within a second or two of this screen's count changes nothing"
    );
    assert!(s.app.on_chair_timer(0, ChairTimer { seconds: 80, running: false }));
    assert!(!s.app.timers[0].running());
    assert_eq!(s.app.timers[0].elapsed().as_secs(), 80);
}

#[test]
fn a_minute_takers_screen_keeps_its_own_row_and_timer() {
    use qprm::store::ChairTimer;
    let mut s = minutes_screen();
    let at = |row| Position { agenda_index: 1, section: Section::Data, on_overview: false, row };
    assert!(chair_moves(&mut s, at(2)));
    assert_eq!(s.app.selected[Section::Data], 0, "its own row");
    assert!(!chair_moves(&mut s, at(3)), "the chair's row alone does not move it");
    assert!(!s.app.on_chair_timer(1, ChairTimer { seconds: 75, running: true }));
    s.key(KeyCode::Char('j'));
    assert!(s.app.following, "moving within a list is its own business");
}

#[test]
fn the_live_machinery_s_findings_are_taken_in_order() {
    use qprm::store::ChairTimer;
    use qprm::tui::live::LiveEvent;
    let mut s = screen(Mode::default(), true);
    let events = vec![
        LiveEvent::Role(Role::Minutes),
        LiveEvent::ChairLabel(Some("ann (pid 1)".into())),
        LiveEvent::Chair { position: chair_at(3, Section::Feedback), timer: ChairTimer::default() },
        LiveEvent::Status("The chair was taken by ann (pid 1): this screen is now the minute-taker's".into()),
    ];
    assert!(s.app.on_live(&mut s.store, events).unwrap());
    assert_eq!(s.app.role, Role::Minutes);
    assert_eq!(s.app.chair_label.as_deref(), Some("ann (pid 1)"));
    assert_eq!((s.app.current, s.app.section), (3, Section::Feedback), "a new minute-taker follows the chair");
    assert!(s.app.status.as_deref().unwrap().starts_with("The chair was taken"));
    let again = vec![LiveEvent::ChairLabel(Some("ann (pid 1)".into()))];
    assert!(!s.app.on_live(&mut s.store, again).unwrap(), "nothing new, nothing to redraw");
}

/// An attendance change is a change this screen made: `u` puts the names
/// back where they were and says so, `U` makes it again, and a change made
/// since by another screen is never reached over.
#[test]
fn u_takes_back_an_attendance_change_and_capital_u_makes_it_again() {
    let mut s = screen(Mode::default(), true);
    let before = s.store.meeting(s.app.meeting.id).unwrap();
    s.key(KeyCode::Char('w')).type_text("Dev Patel").key(KeyCode::Tab).type_text("head of service, early help");
    s.key(KeyCode::Enter);
    let after = s.store.meeting(s.app.meeting.id).unwrap();
    assert!(!after.same_attendance(&before), "the change was saved");

    s.key(KeyCode::Char('u'));
    let status = s.app.status.clone().unwrap();
    assert!(status.starts_with("↶ Undone attendance:"), "{status}");
    assert!(status.contains("Dev Patel") && status.contains("Head of Service, Early Help"), "{status}");
    let back = s.store.meeting(s.app.meeting.id).unwrap();
    assert!(back.same_attendance(&before), "back as it was: {back:?}");
    assert!(s.app.meeting.same_attendance(&before), "the overview shows it at once");

    s.key(KeyCode::Char('U'));
    assert!(s.app.status.as_deref().unwrap().starts_with("↷ Redone attendance:"), "{:?}", s.app.status);
    assert!(s.store.meeting(s.app.meeting.id).unwrap().same_attendance(&after));

    // Another screen adds someone: this screen's undo leaves attendance alone.
    let mut other = Store::open(&s.path, "minutes").unwrap();
    let late = AttendanceChange { present: vec!["Sam Late".into()], ..Default::default() };
    other.update_attendance(s.app.meeting.id, &late, chrono::Utc::now()).unwrap();
    s.key(KeyCode::Char('u'));
    let status = s.app.status.clone().unwrap();
    assert!(status.contains("changed since by another screen"), "{status}");
    assert!(s.store.meeting(s.app.meeting.id).unwrap().attendees.contains(&"Sam Late".to_string()));
    // Every step is in the meeting's history.
    let history = s.store.meeting_history(s.app.meeting.id).unwrap();
    assert_eq!(history.iter().filter(|h| h.field == "attendance").count(), 7, "{history:#?}");
}

/// The first business of a meeting: the chair agrees the previous meeting's
/// minutes from the screen. `A` asks first; `y` approves and locks that
/// record (by this screen's actor); any other key leaves it.
#[test]
fn capital_a_approves_the_previous_meetings_minutes_after_asking() {
    let mut s = screen(Mode::default(), true);
    // The samples hold one meeting: with none before it, nothing to approve.
    s.key(KeyCode::Char('A'));
    assert!(matches!(s.app.overlay, Overlay::None));
    assert!(s.app.status.as_deref().unwrap().starts_with("No earlier meeting"), "{:?}", s.app.status);
    let october = NewMeeting {
        date: chrono::NaiveDate::from_ymd_opt(2023, 10, 10),
        period: "2023-09".parse().ok(),
        chair: Some("Director".into()),
        ..Default::default()
    };
    let previous = s.store.create_meeting(&october).unwrap();
    assert!(previous.approved_at.is_none());

    s.key(KeyCode::Char('A'));
    assert!(matches!(&s.app.overlay, Overlay::ConfirmApprove { date, .. } if *date == previous.date));
    s.key(KeyCode::Char('n'));
    assert!(matches!(s.app.overlay, Overlay::None));
    assert!(s.app.status.as_deref().unwrap().starts_with("Not approved"), "{:?}", s.app.status);
    assert!(s.store.meeting(previous.id).unwrap().approved_at.is_none(), "n changes nothing");

    s.key(KeyCode::Char('A')).key(KeyCode::Char('y'));
    let status = s.app.status.clone().unwrap();
    assert!(status.starts_with(&format!("✓ Minutes of the meeting of {} approved", previous.date)), "{status}");
    let approved = s.store.meeting(previous.id).unwrap();
    assert!(approved.approved_at.is_some());
    assert_eq!(approved.approved_by.as_deref(), Some("chair"));
    assert!(s.app.meeting.approved_at.is_none(), "this meeting's own record stays open");

    // Asked again: it says when, and asks nothing.
    s.key(KeyCode::Char('A'));
    assert!(matches!(s.app.overlay, Overlay::None));
    assert!(s.app.status.as_deref().unwrap().contains("were approved on"), "{:?}", s.app.status);

    // A read-only screen cannot approve.
    let mut viewer = screen(Mode { read_only: true, ..Mode::default() }, true);
    viewer.key(KeyCode::Char('A'));
    assert!(matches!(viewer.app.overlay, Overlay::None));
    assert!(viewer.app.status.as_deref().unwrap().starts_with("Read-only"), "{:?}", viewer.app.status);
}
