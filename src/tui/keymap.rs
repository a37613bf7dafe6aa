//! The key table, as data. The event loop, the footer hints and the `?`
//! help are all built from `BINDINGS`, so they can never disagree.

use crate::domain::Section;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NextService,
    PrevService,
    NextSection,
    PrevSection,
    Section(Section),
    Down,
    Up,
    First,
    Last,
    Open,
    Chart,
    NewAction,
    NewDecision,
    MarkDone,
    CarryForward,
    CycleStatus,
    Edit,
    EarlierDecisions,
    Attendance,
    /// `A`: agree the previous meeting's minutes (asks first).
    ApprovePrevious,
    Undo,
    Redo,
    Drop,
    ToggleWithdrawn,
    Follow,
    Timer,
    Search,
    Overview,
    Help,
    Quit,
}

impl Action {
    /// Actions that change the record; refused on a read-only screen.
    pub fn edits(self) -> bool {
        matches!(
            self,
            Action::NewAction
                | Action::NewDecision
                | Action::MarkDone
                | Action::CarryForward
                | Action::CycleStatus
                | Action::Edit
                | Action::Attendance
                | Action::ApprovePrevious
                | Action::Undo
                | Action::Redo
                | Action::Drop
        )
    }
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// The footer's short word for it; `None` leaves it to `?` help.
    pub hint: Option<&'static str>,
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { keys, label, action, help, hint }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Home, PageDown, PageUp, Tab, Up};

pub const BINDINGS: &[Binding] = &[
    b(&[Char(']'), PageDown], "] PgDn", Action::NextService, "next agenda item (service)", Some("next")),
    b(&[Char('['), PageUp], "[ PgUp", Action::PrevService, "previous agenda item", Some("prev")),
    b(&[Tab], "Tab", Action::NextSection, "next section", Some("section")),
    b(&[BackTab], "Shift-Tab", Action::PrevSection, "previous section", None),
    b(&[Char('1')], "1", Action::Section(Section::Data), "Data: indicators against baseline and target", None),
    b(&[Char('2')], "2", Action::Section(Section::Audits), "Audits: ratings and findings", None),
    b(&[Char('3')], "3", Action::Section(Section::Feedback), "Feedback: themes by source", None),
    b(
        &[Char('4')],
        "4",
        Action::Section(Section::Actions),
        "Actions: this service's open and carried-forward actions",
        None,
    ),
    b(&[Char('5')], "5", Action::Section(Section::Decisions), "Decisions recorded in this meeting", None),
    b(&[Down, Char('j')], "↓ j", Action::Down, "move down a list", None),
    b(&[Up, Char('k')], "↑ k", Action::Up, "move up a list", None),
    b(&[Home], "Home", Action::First, "first in a list", None),
    b(&[End], "End", Action::Last, "last in a list (raised today come last in Actions)", None),
    b(&[Enter], "Enter", Action::Open, "open the selected service, search result or indicator's chart", None),
    b(&[Char('v')], "v", Action::Chart, "the selected indicator's chart: values, mean, limits, target", None),
    b(&[Char('a')], "a", Action::NewAction, "new action: text, owner, due date", Some("action")),
    b(&[Char('d')], "d", Action::NewDecision, "record a decision", Some("decision")),
    b(&[Char('x')], "x", Action::MarkDone, "mark the selected action done", None),
    b(&[Char('c')], "c", Action::CarryForward, "carry the selected action forward: new due date and note", None),
    b(&[Char('s')], "s", Action::CycleStatus, "cycle the selected action's status", None),
    b(&[Char('e')], "e", Action::Edit, "edit the selected action (text, owner, due, a note)", None),
    b(&[Char('D')], "D", Action::Drop, "drop the selected action, with the reason", None),
    b(&[Char('p')], "p", Action::EarlierDecisions, "show or hide earlier decisions for this service", None),
    b(&[Char('w')], "w", Action::Attendance, "who is here: add someone present or an apology, or remove a name", None),
    b(
        &[Char('A')],
        "A",
        Action::ApprovePrevious,
        "agree the previous meeting's minutes (asks first, then locks them)",
        None,
    ),
    b(&[Char('u')], "u", Action::Undo, "undo the last change made from this screen", Some("undo")),
    b(&[Char('U')], "U", Action::Redo, "redo what u undid", None),
    b(&[Char('h')], "h", Action::ToggleWithdrawn, "show or hide withdrawn decisions and undone actions", None),
    b(&[Char('f')], "f", Action::Follow, "stop / resume following the chair (minute-taker's screen)", None),
    b(&[Char('t')], "t", Action::Timer, "start / pause this item's timer", Some("timer")),
    b(&[Char('/')], "/", Action::Search, "search indicators, actions and decisions", Some("search")),
    b(&[Char('g')], "g", Action::Overview, "agenda overview", Some("agenda")),
    b(&[Char('?')], "?", Action::Help, "help: every key", Some("help")),
    b(&[Char('q')], "q", Action::Quit, "quit", Some("quit")),
];

/// The action a key press means on the main screen, if any.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == Char('c')).then_some(Action::Quit);
    }
    BINDINGS.iter().find(|b| b.keys.contains(&key.code)).map(|b| b.action)
}

/// The footer: `] next · a action · … · ? help · q quit`, built from the
/// table, fitted to `width` columns. Hints for keys that change the record
/// are left out unless `edits`; when the line is too long the last hints
/// in the table go first, and it always ends with `? help · q quit`.
pub fn hint_line(width: usize, edits: bool) -> String {
    let word = |b: &Binding| b.hint.map(|h| format!("{} {h}", b.label.split(' ').next().unwrap_or(b.label)));
    let always = |b: &&Binding| matches!(b.action, Action::Help | Action::Quit);
    let tail: Vec<String> = BINDINGS.iter().filter(always).filter_map(word).collect();
    let mut hints: Vec<String> = Vec::new();
    let mut used = crate::text::width(&tail.join(" · "));
    for b in BINDINGS.iter().filter(|b| !always(b) && (edits || !b.action.edits())) {
        let Some(w) = word(b) else { continue };
        let more = crate::text::width(&w) + 3;
        if used + more > width {
            break;
        }
        used += more;
        hints.push(w);
    }
    hints.extend(tail);
    hints.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_key_is_bound() {
        let press = |c| action_for(&KeyEvent::from(c));
        assert_eq!(press(Char(']')), Some(Action::NextService));
        assert_eq!(press(PageDown), Some(Action::NextService));
        assert_eq!(press(Char('[')), Some(Action::PrevService));
        assert_eq!(press(PageUp), Some(Action::PrevService));
        assert_eq!(press(Tab), Some(Action::NextSection));
        assert_eq!(press(BackTab), Some(Action::PrevSection));
        for s in Section::ALL {
            assert_eq!(press(Char(s.key())), Some(Action::Section(s)));
        }
        for (c, a) in [
            ('j', Action::Down),
            ('k', Action::Up),
            ('a', Action::NewAction),
            ('d', Action::NewDecision),
            ('x', Action::MarkDone),
            ('c', Action::CarryForward),
            ('s', Action::CycleStatus),
            ('u', Action::Undo),
            ('w', Action::Attendance),
            ('f', Action::Follow),
            ('t', Action::Timer),
            ('/', Action::Search),
            ('g', Action::Overview),
            ('?', Action::Help),
            ('q', Action::Quit),
            ('v', Action::Chart),
        ] {
            assert_eq!(press(Char(c)), Some(a), "{c}");
        }
        assert_eq!(action_for(&KeyEvent::new(Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(press(Char('z')), None);
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for b in BINDINGS {
            for k in b.keys {
                assert!(seen.insert(format!("{k:?}")), "{k:?} bound twice");
            }
        }
    }

    #[test]
    fn hints_come_from_the_table() {
        let hints = hint_line(500, true);
        for b in BINDINGS.iter().filter(|b| b.hint.is_some()) {
            assert!(hints.contains(b.label.split(' ').next().unwrap()), "{}", b.label);
            assert!(hints.contains(b.hint.unwrap()));
        }
    }

    #[test]
    fn a_narrow_footer_drops_the_last_hints_and_ends_with_help_and_quit() {
        for width in [40, 60, 80, 100] {
            let hints = hint_line(width, true);
            assert!(crate::text::width(&hints) <= width, "{width}: {hints}");
            assert!(hints.ends_with("? help · q quit"), "{width}: {hints}");
            assert!(hints.starts_with("] next"), "{width}: the first hints stay: {hints}");
        }
        assert!(!hint_line(80, true).contains("g agenda"), "the lowest first");
    }

    #[test]
    fn a_read_only_footer_lists_only_keys_that_work() {
        let hints = hint_line(500, false);
        for word in ["a action", "d decision", "u undo"] {
            assert!(!hints.contains(word), "{hints}");
        }
        assert!(hints.contains("/ search") && hints.ends_with("q quit"), "{hints}");
    }
}
