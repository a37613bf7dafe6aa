//! The meeting screen's state, and nothing else: where the screen is, what
//! it shows (loaded by `effects`), what is open over it. Keys become
//! effects in `update`; `effects` performs them against the store and
//! reloads; rendering reads this state and nothing else.

use super::forms::Form;
use crate::domain::{Section, Selection};
use crate::error::Result;
use crate::store::{
    ActionChange, ActionHistoryEntry, AgendaLine, AttendanceChange, DecisionRecord, Hit, MeetingRecord, NewAction,
    ServiceView, Store,
};
use crate::store::{ChairTimer, Position};
use chrono::NaiveDate;
use ratatui_textarea::TextArea;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mode {
    pub present: bool,
    pub read_only: bool,
    /// Read-only, moving with the chair's agenda item and section.
    pub follow: bool,
    /// Take the chair even if another live instance holds it.
    pub take_chair: bool,
    /// Plain glyphs: every symbol, sparkline, arrow and border in ASCII.
    pub ascii: bool,
}

/// Who this instance is in the meeting; recorded as the actor in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Chair,
    Minutes,
    Follow,
    ReadOnly,
}

impl Role {
    pub fn actor(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Minutes => "minutes",
            Role::Follow => "follow",
            Role::ReadOnly => "read-only",
        }
    }

    pub fn edits(self) -> bool {
        matches!(self, Role::Chair | Role::Minutes)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Screen {
    Overview,
    Service,
}

pub struct Search {
    pub input: TextArea<'static>,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

pub enum Overlay {
    None,
    /// `?`: the key table, at this page (Space turns it).
    Help(usize),
    /// The selected indicator's SPC chart (render/chart.rs).
    Chart,
    Form(Box<Form>),
    Search(Box<Search>),
    ConfirmQuit,
    /// `A`: approve these minutes (the previous meeting's)? y / n
    ConfirmApprove {
        meeting: i64,
        date: String,
    },
}

/// A write the loop performs, then reloads.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    RecordAction(NewAction),
    UpdateAction {
        reference: String,
        change: ActionChange,
        inverse: ActionChange,
    },
    RecordDecision {
        /// `None`: a meeting-wide decision.
        service: Option<String>,
        text: String,
    },
    UpdateAttendance(AttendanceChange),
    /// `A`: find the previous meeting and ask before approving its minutes.
    AskApproval,
    /// `y` to that question: the minutes of this meeting are agreed.
    Approve(i64),
    Undo,
    Search(String),
    /// `U`: make again what `u` took back.
    Redo,
    /// The selected action changed: load just its history.
    History,
    /// The agenda item changed: load what the screen shows.
    Reload,
}

impl Effect {
    /// True for effects that write to the database.
    pub fn writes(&self) -> bool {
        match self {
            Effect::RecordAction(_)
            | Effect::UpdateAction { .. }
            | Effect::RecordDecision { .. }
            | Effect::UpdateAttendance(_)
            | Effect::Approve(_)
            | Effect::Undo
            | Effect::Redo => true,
            Effect::Search(_) | Effect::History | Effect::Reload | Effect::AskApproval => false,
        }
    }
}

/// One change this screen made, as `u` takes it back and `U` makes it again.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum UndoEntry {
    Recorded(String),
    Updated {
        reference: String,
        change: ActionChange,
        inverse: ActionChange,
    },
    Decided(i64),
    /// Attendance as it stood before and after this screen changed it.
    Attendance {
        before: Box<MeetingRecord>,
        after: Box<MeetingRecord>,
    },
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ItemTimer {
    spent: Duration,
    running_since: Option<Instant>,
}

impl ItemTimer {
    pub fn elapsed(&self) -> Duration {
        self.spent + self.running_since.map_or(Duration::ZERO, |s| s.elapsed())
    }

    pub fn running(&self) -> bool {
        self.running_since.is_some()
    }

    /// A timer showing `seconds`, counting on from now if `running`.
    pub fn at(seconds: u64, running: bool) -> ItemTimer {
        ItemTimer { spent: Duration::from_secs(seconds), running_since: running.then(Instant::now) }
    }

    pub(super) fn toggle(&mut self) {
        match self.running_since.take() {
            Some(s) => self.spent += s.elapsed(),
            None => self.running_since = Some(Instant::now()),
        }
    }
}

pub struct App {
    pub meeting: MeetingRecord,
    pub agenda: Vec<AgendaLine>,
    pub current: usize,
    pub screen: Screen,
    pub section: Section,
    pub selected: Selection,
    pub overview_selected: usize,
    pub view: Option<ServiceView>,
    /// KPI display order: reds first, then amber, green, none.
    pub kpi_order: Vec<usize>,
    pub history: Vec<ActionHistoryEntry>,
    /// The selected action's net changes since the last meeting.
    pub since_last_meeting: Vec<ActionHistoryEntry>,
    /// Which changes this meeting reviews (domain::history::Window).
    pub(super) window: crate::domain::history::Window,
    /// The meeting's own business (no service), shown on the overview.
    pub meeting_wide: MeetingWide,
    pub earlier: Option<Vec<DecisionRecord>>,
    pub overlay: Overlay,
    pub status: Option<String>,
    pub timers: Vec<ItemTimer>,
    pub mode: Mode,
    pub colour: bool,
    pub owners: Vec<String>,
    pub today: NaiveDate,
    pub quit: bool,
    pub role: Role,
    /// Who holds the chair, as shown on screen ("you" when this instance does).
    pub chair_label: Option<String>,
    /// A minute-taker's screen moves with the chair while this is on (`f`).
    pub following: bool,
    /// The draft last written to the store, to write only when it changes.
    pub(super) last_draft: Option<(&'static str, String, Vec<String>)>,
    /// Whose drafts this screen writes and is offered back: the person and
    /// terminal typing (`tui::screen_identity`), never the role, so a
    /// draft survives a change of chair and is offered back to the screen
    /// that typed it whatever role it reopens with. Tests that build an
    /// `App` directly key by role, as the default.
    pub(super) draft_key: String,
    /// Whether any agenda item has been opened yet.
    pub(super) started: bool,
    pub(super) undo: Vec<UndoEntry>,
    pub(super) redo: Vec<UndoEntry>,
    /// Withdrawn decisions and undone actions are hidden unless shown (`h`).
    pub show_withdrawn: bool,
}

/// Decisions and actions that belong to the meeting, not to one service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingWide {
    pub decisions: Vec<DecisionRecord>,
    pub actions: Vec<crate::store::ViewAction>,
}

impl App {
    pub fn new(store: &Store, meeting: i64, mode: Mode, colour: bool, today: NaiveDate) -> Result<App> {
        let meeting = store.meeting(meeting)?;
        let window = store.review_window(&meeting)?;
        let mut app = App {
            timers: vec![ItemTimer::default(); meeting.agenda.len()],
            meeting,
            agenda: Vec::new(),
            current: 0,
            screen: if mode.present { Screen::Service } else { Screen::Overview },
            section: Section::Data,
            selected: Selection::default(),
            overview_selected: 0,
            view: None,
            kpi_order: Vec::new(),
            history: Vec::new(),
            since_last_meeting: Vec::new(),
            window,
            meeting_wide: MeetingWide::default(),
            earlier: None,
            overlay: Overlay::None,
            status: None,
            mode,
            colour,
            owners: Vec::new(),
            today,
            quit: false,
            role: if mode.follow {
                Role::Follow
            } else if mode.read_only {
                Role::ReadOnly
            } else {
                Role::Chair
            },
            chair_label: None,
            following: true,
            last_draft: None,
            draft_key: String::new(),
            started: mode.present,
            undo: Vec::new(),
            redo: Vec::new(),
            show_withdrawn: false,
        };
        app.draft_key = app.role.actor().to_string();
        app.reload(store)?;
        Ok(app)
    }

    /// Keys this screen's drafts by who is typing where (see `draft_key`).
    pub fn set_draft_key(&mut self, key: String) {
        self.draft_key = key;
    }

    pub fn current_service(&self) -> Option<&str> {
        self.meeting.agenda.get(self.current).map(String::as_str)
    }

    /// True when no form, search or help is open over the screen.
    pub fn overlay_is_none(&self) -> bool {
        matches!(self.overlay, Overlay::None)
    }

    /// The service the screen shows now: none on the agenda overview.
    pub fn service_on_screen(&self) -> Option<&str> {
        (self.screen == Screen::Service).then(|| self.current_service()).flatten()
    }

    /// How many rows a section's list holds for the service on screen.
    pub(super) fn list_len(&self, section: Section) -> usize {
        let Some(v) = &self.view else { return 0 };
        match section {
            Section::Data => v.kpis.len(),
            Section::Audits => v.findings.len(),
            Section::Feedback => v.feedback.len(),
            Section::Actions => v.actions.total,
            Section::Decisions => v.decisions.len(),
        }
    }

    pub(super) fn clamp(&mut self) {
        for s in Section::ALL {
            let n = self.list_len(s);
            self.selected[s] = self.selected[s].min(n.saturating_sub(1));
        }
        self.overview_selected = self.overview_selected.min(self.agenda.len().saturating_sub(1));
    }

    pub fn selected_action(&self) -> Option<&crate::store::ActionRecord> {
        let page = &self.view.as_ref()?.actions;
        page.rows.get(self.selected[Section::Actions].checked_sub(page.offset)?).map(|a| &a.action)
    }

    /// Where this screen is, as published by the chair for followers.
    pub fn position(&self) -> Position {
        let on_overview = self.screen == Screen::Overview;
        let row = if on_overview { self.overview_selected } else { self.selected[self.section] };
        Position { agenda_index: self.current, section: self.section, on_overview, row }
    }

    /// This item's timer, as the chair publishes it for followers.
    pub fn chair_timer(&self) -> ChairTimer {
        self.timers
            .get(self.current)
            .map_or(ChairTimer::default(), |t| ChairTimer { seconds: t.elapsed().as_secs(), running: t.running() })
    }

    /// A `--follow` screen shows the chair's timer for the chair's item:
    /// set from what the chair published when it starts or stops, or when
    /// this screen's count has drifted from it by more than a second or
    /// two (the chair republishes with every heartbeat). True if changed.
    pub fn on_chair_timer(&mut self, agenda_index: usize, timer: ChairTimer) -> bool {
        if self.role != Role::Follow {
            return false;
        }
        let Some(t) = self.timers.get_mut(agenda_index) else { return false };
        let drift = t.elapsed().as_secs().abs_diff(timer.seconds);
        let close = if timer.running { drift <= 2 } else { drift == 0 };
        if t.running() == timer.running && close {
            return false;
        }
        *t = ItemTimer::at(timer.seconds, timer.running);
        true
    }

    /// The chair's place, as it last published it. A `--follow` screen
    /// always moves there; a minute-taker's screen while it is following,
    /// but never under an open form: what is being typed stays where it
    /// was started, and the screen catches up once the form closes. True if
    /// it moved (reload needed).
    pub fn on_chair_position(&mut self, pos: Position) -> bool {
        let follows = match self.role {
            Role::Follow => true,
            Role::Minutes => self.following && !self.has_open_form(),
            Role::Chair | Role::ReadOnly => false,
        };
        follows && self.follow_to(pos)
    }

    /// Moves to the chair's position; true if anything changed (reload
    /// needed). A `--follow` screen (the projector) also selects the chair's
    /// row, so it details what the chair is on; a minute-taker's screen
    /// keeps its own row.
    pub fn follow_to(&mut self, pos: Position) -> bool {
        let rows = self.role == Role::Follow;
        let here = self.position();
        let same = if rows { pos == here } else { pos.same_place(&here) };
        if same || pos.agenda_index >= self.meeting.agenda.len() {
            return false;
        }
        if pos.agenda_index != self.current {
            self.selected = Selection::default();
            self.earlier = None;
        }
        self.current = pos.agenda_index;
        self.section = pos.section;
        self.screen = if pos.on_overview { Screen::Overview } else { Screen::Service };
        self.started |= !pos.on_overview;
        if rows && pos.on_overview {
            self.overview_selected = pos.row;
        } else if rows {
            self.selected[pos.section] = pos.row;
        }
        true
    }

    pub fn has_open_form(&self) -> bool {
        matches!(self.overlay, Overlay::Form(_))
    }

    /// True when a timer is running, so the loop redraws each second.
    pub fn ticking(&self) -> bool {
        self.timers.iter().any(ItemTimer::running)
    }

    /// Quitting with a half-filled form asks first.
    pub fn has_unsaved_text(&self) -> bool {
        matches!(&self.overlay, Overlay::Form(f) if f.is_dirty())
    }
}

/// A store error as the meeting screen words it. An approved meeting says
/// how to reopen it (from a command line: the screen cannot), short enough
/// for the status line of an 80-column screen.
pub fn screen_words(e: &crate::Error) -> String {
    match e {
        crate::Error::MeetingApproved { date, approved_on, .. } => {
            format!("Minutes approved {approved_on}, locked: qprm meeting reopen {date} --note WHY")
        }
        crate::Error::NothingToChange { reference } => format!("nothing changed for {reference}"),
        crate::Error::ReasonNeeded { reference } => format!("dropping {reference} needs a reason: type it, then Enter"),
        _ => e.to_string(),
    }
}
