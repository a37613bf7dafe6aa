//! The meeting screen's loop behind its seam (`tui::session`): driven by a
//! scripted source of events and drawn into a byte buffer, as a served
//! screen is, with no real terminal.

use qprm::store::Store;
use qprm::tui::session::{EventSource, Named, Polled, Session};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Plays its events in order, then says the input has closed.
struct Script(VecDeque<Event>);

impl EventSource for Script {
    fn next(&mut self, _timeout: Duration) -> std::io::Result<Polled> {
        Ok(self.0.pop_front().map_or(Polled::Closed, Polled::Event))
    }
}

/// What the screen wrote, readable after the terminal has it.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn key(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(text: &str) -> impl Iterator<Item = Event> + '_ {
    text.chars().map(|c| key(KeyCode::Char(c)))
}

fn opts() -> qprm::tui::Options {
    qprm::tui::Options { colour: false, keep_backups: None, chair_stale: Duration::from_secs(15) }
}

#[test]
fn a_scripted_screen_records_resizes_and_hands_the_chair_back_when_its_input_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("qprm.db"), "chair").unwrap();
    let meeting = qprm::samples::load_samples(&mut store).unwrap();
    let mut session = Session::start_as(
        &mut store,
        meeting,
        Default::default(),
        opts(),
        Some(Named { label: "scripted", draft_key: "scripted" }),
    )
    .unwrap();
    assert_eq!(store.presence(meeting).unwrap().unwrap().chair_label, "scripted");

    let mut events = VecDeque::new();
    events.push_back(Event::Resize(120, 40));
    events.push_back(key(KeyCode::Char(']')));
    events.push_back(key(KeyCode::Char('d')));
    events.extend(typed("Decided through the seam"));
    events.push_back(key(KeyCode::Enter));
    // Half-typed when the input closes: kept as this screen's draft (keyed
    // by who typed it, as the screen was named, not by its role).
    events.push_back(key(KeyCode::Char('d')));
    events.extend(typed("Half a thought"));
    let output = Shared::default();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(output.clone()),
        TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) },
    )
    .unwrap();
    session.run(&mut store, &mut terminal, &mut Script(events), &AtomicBool::new(false)).unwrap();

    let filter = qprm::store::DecisionFilter { meeting: Some(meeting), ..Default::default() };
    let decided = store.decisions_where(&filter).unwrap();
    assert!(decided.iter().any(|d| d.text == "Decided through the seam"), "decisions: {}", decided.len());
    assert_eq!(terminal.get_frame().area(), Rect::new(0, 0, 120, 40), "the Resize event resized the terminal");
    let drawn = String::from_utf8_lossy(&output.0.lock().unwrap()).to_string();
    assert!(drawn.contains("QPRM"), "the screen was drawn into the writer");
    assert!(store.presence(meeting).unwrap().is_none(), "the chair was handed back");
    assert_eq!(store.draft(meeting, "scripted").unwrap().unwrap().2[0], "Half a thought");
    assert!(store.draft(meeting, "chair").unwrap().is_none(), "nothing kept under the role");
}

#[test]
fn a_stop_flag_ends_the_screen_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("qprm.db"), "chair").unwrap();
    let meeting = qprm::samples::load_samples(&mut store).unwrap();
    let mut session = Session::start(&mut store, meeting, Default::default(), opts()).unwrap();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Vec::<u8>::new()),
        TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) },
    )
    .unwrap();
    // An endless source: only the flag can end it.
    struct Forever;
    impl EventSource for Forever {
        fn next(&mut self, _timeout: Duration) -> std::io::Result<Polled> {
            Ok(Polled::Idle)
        }
    }
    session.run(&mut store, &mut terminal, &mut Forever, &AtomicBool::new(true)).unwrap();
    assert!(store.presence(meeting).unwrap().is_none());
}
