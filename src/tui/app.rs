//! The meeting screen's state and its update rules. Keys become `Action`s
//! (keymap), actions change state and may return an `Effect`; the event
//! loop performs effects against the store (the only I/O), then reloads
//! the current view. Rendering reads this state and nothing else.

use super::forms::{Form, FormKind, Outcome, Submission};
use super::keymap::{Action, action_for};
use crate::domain::names;
use crate::domain::{ActionStatus, Rag};
use crate::error::Result;
use crate::store::Position;
use crate::store::{
    ActionChange, ActionHistoryEntry, AgendaLine, AttendanceChange, DecisionRecord, Hit, MeetingRecord, NewAction,
    ServiceView, Store,
};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui_textarea::TextArea;
use std::time::{Duration, Instant};

pub const SECTIONS: [&str; 5] = ["Data", "Audits", "Feedback", "Actions", "Decisions"];
pub const ACTIONS: usize = 3;
pub const DECISIONS: usize = 4;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mode {
    pub present: bool,
    pub read_only: bool,
    /// Read-only, moving with the chair's agenda item and section.
    pub follow: bool,
    /// Take the chair even if another live instance holds it.
    pub take_chair: bool,
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
    Help,
    /// The selected indicator's SPC chart (render/chart.rs).
    Chart,
    Form(Box<Form>),
    Search(Box<Search>),
    ConfirmQuit,
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
            | Effect::Undo
            | Effect::Redo => true,
            Effect::Search(_) | Effect::History | Effect::Reload => false,
        }
    }
}

/// One change this screen made, as `u` takes it back and `U` makes it again.
#[derive(Debug, Clone, PartialEq)]
enum UndoEntry {
    Recorded(String),
    Updated { reference: String, change: ActionChange, inverse: ActionChange },
    Decided(i64),
}

/// True when the action still shows what `c` set: undo and redo never
/// reach over a change made since by another screen or the CLI.
fn shows(a: &crate::store::ActionRecord, c: &ActionChange) -> bool {
    c.status.is_none_or(|s| a.status == s)
        && c.due.is_none_or(|d| a.due == d.to_string())
        && c.owner.as_deref().is_none_or(|o| a.owner == o.trim())
        && c.text.as_deref().is_none_or(|t| a.text == t.trim())
}

/// What changed between two states of an action, in the record's words.
fn change_words(before: &crate::store::ActionRecord, after: &crate::store::ActionRecord) -> String {
    use crate::domain::history::{Change, describe_change};
    let status = (before.status.as_str(), after.status.as_str());
    let pairs = [
        ("status", status.0, status.1),
        ("due", before.due.as_str(), after.due.as_str()),
        ("owner", before.owner.as_str(), after.owner.as_str()),
        ("text", before.text.as_str(), after.text.as_str()),
    ];
    let words: Vec<String> = pairs
        .iter()
        .filter(|(_, old, new)| old != new)
        .map(|&(field, old, new)| describe_change(&Change { field, old: Some(old), new: Some(new), note: None }))
        .collect();
    if words.is_empty() { "its note".into() } else { words.join("; ") }
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

    fn toggle(&mut self) {
        match self.running_since.take() {
            Some(s) => self.spent += s.elapsed(),
            None => self.running_since = Some(Instant::now()),
        }
    }
}

/// Rows kept between the Actions selection and the edge of the page held
/// before the next page is loaded: more than a screen's height.
const PAGE_MARGIN: usize = 60;

/// The page start that puts `selected` in the middle of a page.
fn page_offset(selected: usize) -> usize {
    selected.saturating_sub(crate::store::ACTIONS_PAGE / 2)
}

pub struct App {
    pub meeting: MeetingRecord,
    pub agenda: Vec<AgendaLine>,
    pub current: usize,
    pub screen: Screen,
    pub section: usize,
    pub selected: [usize; 5],
    pub overview_selected: usize,
    pub view: Option<ServiceView>,
    /// KPI display order: reds first, then amber, green, none.
    pub kpi_order: Vec<usize>,
    pub history: Vec<ActionHistoryEntry>,
    /// The selected action's net changes since the last meeting.
    pub since_last_meeting: Vec<ActionHistoryEntry>,
    /// Which changes this meeting reviews (domain::history::Window).
    window: crate::domain::history::Window,
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
    last_draft: Option<(&'static str, String, Vec<String>)>,
    /// The role whose draft the open form autosaves into: the screen's own,
    /// except when its role changed under an open form and the new role's
    /// draft held other words (see `set_role`).
    draft_slot: &'static str,
    /// Whether any agenda item has been opened yet.
    started: bool,
    undo: Vec<UndoEntry>,
    redo: Vec<UndoEntry>,
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
            section: 0,
            selected: [0; 5],
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
            draft_slot: "chair",
            started: mode.present,
            undo: Vec::new(),
            redo: Vec::new(),
            show_withdrawn: false,
        };
        app.draft_slot = app.role.actor();
        app.reload(store)?;
        Ok(app)
    }

    /// Changes this screen's role (it took the chair, or lost it): later
    /// changes are recorded under the new role's actor, a minute-taker's
    /// screen starts out following the chair, and an open form's draft
    /// moves to the new role's, unless that one holds other words (then the
    /// form keeps autosaving where it was until it closes, rather than
    /// write over them).
    pub fn set_role(&mut self, store: &mut Store, role: Role) -> Result<()> {
        if role != self.role {
            self.following = true;
        }
        self.role = role;
        store.set_actor(role.actor());
        match &self.last_draft {
            Some((kind, target, fields)) => {
                if store.move_draft(self.meeting.id, self.draft_slot, role.actor(), (kind, target, fields))? {
                    self.draft_slot = role.actor();
                }
            }
            None => self.draft_slot = role.actor(),
        }
        Ok(())
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

    /// Loads everything the screen shows from the store: the overview, the
    /// current service's view and the selected action's history.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        // Attendance and approval may have changed here or on another screen.
        self.meeting = store.meeting(self.meeting.id)?;
        // The overview's counts cover every service: read only while it is
        // on screen (g loads it afresh), not on each move between services.
        if self.screen == Screen::Overview || self.agenda.is_empty() {
            self.agenda = store.agenda_overview(self.meeting.id, self.today)?;
            self.meeting_wide = MeetingWide {
                decisions: store.meeting_decisions(self.meeting.id, None)?,
                actions: store.meeting_actions(self.meeting.id, None, self.today)?,
            };
        }
        self.owners = store.owners()?;
        if let Some(service) = self.current_service().map(str::to_string) {
            // The selected action stays selected wherever the change puts it
            // (a new due date, rows added above it by another screen).
            let keep = self
                .view
                .as_ref()
                .filter(|v| v.service.id == service)
                .and_then(|v| v.actions.rows.get(self.selected[ACTIONS].checked_sub(v.actions.offset)?))
                .map(|a| a.id);
            let offset = page_offset(self.selected[ACTIONS]);
            let mut view = store.service_view(&self.meeting, &service, self.today, offset, self.show_withdrawn)?;
            if !self.show_withdrawn {
                view.decisions.retain(|d| d.status == crate::domain::DecisionStatus::Recorded);
            }
            if let Some(pos) = keep.and_then(|id| view.actions.order.iter().position(|&i| i == id)) {
                self.selected[ACTIONS] = pos;
            }
            let rank = |r: Rag| match r {
                Rag::Red => 0,
                Rag::Amber => 1,
                Rag::Green => 2,
                Rag::None => 3,
            };
            let mut order: Vec<usize> = (0..view.kpis.len()).collect();
            order.sort_by_key(|&i| rank(view.kpis[i].rag));
            self.kpi_order = order;
            if self.earlier.is_some() {
                self.earlier = Some(store.earlier_decisions(self.meeting.id, &service, 20)?);
            }
            self.view = Some(view);
        }
        self.clamp();
        // The list may have shrunk below the selection: its page, then history.
        self.follow_selection(store)
    }

    /// After the Actions selection moves: loads the page around it when it
    /// nears the edge of the page held (or left it), then its history.
    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        let Some(service) = self.current_service().map(str::to_string) else { return Ok(()) };
        let selected = self.selected[ACTIONS];
        if let Some(v) = &mut self.view {
            let (start, end) = (v.actions.offset, v.actions.offset + v.actions.rows.len());
            let near_start = start > 0 && selected < start + PAGE_MARGIN;
            let near_end = end < v.actions.total && selected + PAGE_MARGIN >= end;
            if near_start || near_end || selected < start || selected >= end {
                v.actions = store.meeting_actions_page(
                    self.meeting.id,
                    Some(&service),
                    self.today,
                    (page_offset(selected), crate::store::ACTIONS_PAGE),
                    self.show_withdrawn,
                )?;
                self.clamp();
            }
        }
        self.load_history(store)
    }

    /// The selected action's history, for the Actions section's detail pane.
    fn load_history(&mut self, store: &Store) -> Result<()> {
        self.history = match self.selected_action() {
            Some(a) => store.action_with_history(&a.reference, self.today)?.history.unwrap_or_default(),
            None => Vec::new(),
        };
        // The same rule as the minutes' "Updates since the last meeting".
        let in_window: Vec<ActionHistoryEntry> =
            self.history.iter().filter(|h| self.window.contains(&h.at, h.meeting)).cloned().collect();
        self.since_last_meeting = crate::store::net_updates(&in_window);
        Ok(())
    }

    fn list_len(&self, section: usize) -> usize {
        let Some(v) = &self.view else { return 0 };
        match section {
            0 => v.kpis.len(),
            1 => v.findings.len(),
            2 => v.feedback.len(),
            ACTIONS => v.actions.total,
            _ => v.decisions.len(),
        }
    }

    fn clamp(&mut self) {
        for s in 0..5 {
            let n = self.list_len(s);
            self.selected[s] = self.selected[s].min(n.saturating_sub(1));
        }
        self.overview_selected = self.overview_selected.min(self.agenda.len().saturating_sub(1));
    }

    pub fn selected_action(&self) -> Option<&crate::store::ActionRecord> {
        let page = &self.view.as_ref()?.actions;
        page.rows.get(self.selected[ACTIONS].checked_sub(page.offset)?).map(|a| &a.action)
    }

    /// Handles one key; returns the write or load the loop should perform.
    /// A minute-taker who moves by hand (another item or section, the
    /// agenda, a search result) stops following the chair until `f`.
    pub fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let before = self.position();
        let effect = self.handle_key(key);
        if self.role == Role::Minutes && self.following && self.position() != before {
            self.following = false;
            if self.status.is_none() {
                self.status = Some("Not following the chair now: f follows it again".into());
            }
        }
        effect
    }

    fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.kind != KeyEventKind::Press {
            return None;
        }
        match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::None => {}
            Overlay::Help => return None, // any key closes help
            // ↑↓ move to another indicator with the chart open; any other key closes it.
            Overlay::Chart => {
                if let Some(a @ (Action::Up | Action::Down)) = action_for(&key) {
                    self.overlay = Overlay::Chart;
                    return self.on_action(a);
                }
                return None;
            }
            Overlay::ConfirmQuit => {
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('q')) {
                    self.quit = true;
                }
                return None;
            }
            Overlay::Form(form) => return self.on_form_key(form, key),
            Overlay::Search(search) => return self.on_search_key(search, key),
        }
        let action = action_for(&key)?;
        if action.edits() && !self.role.edits() {
            let why = if self.role == Role::Follow { "--follow" } else { "--read-only" };
            self.status = Some(format!("Read-only: this screen cannot change the record (opened with {why})"));
            return None;
        }
        if action.edits()
            && let Some(at) = &self.meeting.approved_at
        {
            let approved_on = at.get(..10).unwrap_or(at).to_string();
            let (meeting, date) = (self.meeting.id, self.meeting.date.clone());
            self.status = Some(screen_words(&crate::Error::MeetingApproved { meeting, date, approved_on }));
            return None;
        }
        self.status = None;
        self.on_action(action)
    }

    pub fn on_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Overlay::Form(form) => form.paste(text),
            Overlay::Search(s) => {
                s.input.insert_str(crate::text::take_chars(&crate::domain::sanitize::clean(text), 200));
            }
            _ => {}
        }
    }

    fn on_action(&mut self, action: Action) -> Option<Effect> {
        let n = self.meeting.agenda.len();
        match action {
            // From the opening overview, the first ] starts the meeting at item 1.
            Action::NextService if n > 0 && self.screen == Screen::Overview && !self.started => {
                self.started = true;
                self.screen = Screen::Service;
                return Some(Effect::Reload);
            }
            Action::NextService | Action::PrevService if n > 0 => {
                self.started = true;
                self.current = if action == Action::NextService {
                    (self.current + 1).min(n - 1)
                } else {
                    self.current.saturating_sub(1)
                };
                self.screen = Screen::Service;
                self.selected = [0; 5];
                self.earlier = None;
                return Some(Effect::Reload);
            }
            Action::NextSection | Action::PrevSection => {
                self.screen = Screen::Service;
                self.section =
                    if action == Action::NextSection { (self.section + 1) % 5 } else { (self.section + 4) % 5 };
            }
            Action::Section(i) => {
                self.screen = Screen::Service;
                self.section = i;
            }
            Action::Down | Action::Up => {
                let down = action == Action::Down;
                if self.screen == Screen::Overview {
                    let last = self.agenda.len().saturating_sub(1);
                    self.overview_selected = if down {
                        (self.overview_selected + 1).min(last)
                    } else {
                        self.overview_selected.saturating_sub(1)
                    };
                    return None;
                }
                let last = self.list_len(self.section).saturating_sub(1);
                let s = &mut self.selected[self.section];
                *s = if down { (*s + 1).min(last) } else { s.saturating_sub(1) };
                if self.section == ACTIONS {
                    return Some(Effect::History);
                }
            }
            Action::First | Action::Last if self.screen == Screen::Service => {
                let last = self.list_len(self.section).saturating_sub(1);
                self.selected[self.section] = if action == Action::First { 0 } else { last };
                if self.section == ACTIONS {
                    return Some(Effect::History);
                }
            }
            Action::Chart | Action::Open
                if self.screen == Screen::Service && (action == Action::Chart || self.section == 0) =>
            {
                self.section = 0;
                if self.list_len(0) > 0 {
                    self.overlay = Overlay::Chart;
                } else {
                    self.status = Some("This service reports no indicators to chart".into());
                }
            }
            Action::Chart => {
                self.status = Some("v shows an indicator's chart: open a service's Data section (1)".into())
            }
            Action::Open if self.screen == Screen::Overview && n > 0 => {
                self.started = true;
                self.current = self.overview_selected.min(n - 1);
                self.screen = Screen::Service;
                self.selected = [0; 5];
                self.earlier = None;
                return Some(Effect::Reload);
            }
            // On the agenda overview, the meeting's own business; on a
            // service, that service. Never the service visited last.
            Action::NewAction => {
                let service = self.service_on_screen().map(str::to_string);
                self.overlay = Overlay::Form(Box::new(Form::new_action(service.as_deref())));
            }
            Action::NewDecision => {
                let service = self.service_on_screen().map(str::to_string);
                self.overlay = Overlay::Form(Box::new(Form::decision(service.as_deref())));
            }
            Action::Attendance => self.overlay = Overlay::Form(Box::new(Form::attendance())),
            Action::MarkDone | Action::CycleStatus | Action::CarryForward | Action::Edit | Action::Drop => {
                return self.on_action_key(action);
            }
            Action::EarlierDecisions => {
                self.screen = Screen::Service;
                self.section = DECISIONS;
                self.earlier = if self.earlier.is_some() { None } else { Some(Vec::new()) };
                return Some(Effect::Reload);
            }
            Action::Undo => {
                if self.undo.is_empty() {
                    self.status = Some("Nothing to undo from this screen".into());
                    return None;
                }
                return Some(Effect::Undo);
            }
            Action::Redo => {
                if self.redo.is_empty() {
                    self.status = Some("Nothing to redo: u has not undone anything since the last change".into());
                    return None;
                }
                return Some(Effect::Redo);
            }
            Action::ToggleWithdrawn => {
                self.show_withdrawn = !self.show_withdrawn;
                self.status = Some(if self.show_withdrawn {
                    "Showing withdrawn decisions and undone actions (struck through); h hides them".into()
                } else {
                    "Withdrawn decisions and undone actions hidden; h shows them".into()
                });
                return Some(Effect::Reload);
            }
            Action::Timer => {
                if let Some(t) = self.timers.get_mut(self.current) {
                    t.toggle();
                }
            }
            Action::Search => {
                let mut input = super::forms::plain_input(vec![String::new()]);
                input.set_placeholder_text("indicator, action, decision, audit or feedback words");
                self.overlay = Overlay::Search(Box::new(Search { input, hits: Vec::new(), selected: 0 }));
            }
            Action::Overview => {
                self.screen = Screen::Overview;
                return Some(Effect::Reload);
            }
            Action::Follow => {
                self.status = Some(
                    match self.role {
                        Role::Minutes => {
                            self.following = !self.following;
                            if self.following {
                                "Following the chair: this screen moves with it (f stops)"
                            } else {
                                "Not following the chair: f follows it again"
                            }
                        }
                        Role::Chair => "This screen is the chair: the minute-taker's screen follows it",
                        Role::Follow => "This screen always follows the chair (opened with --follow)",
                        Role::ReadOnly => "A read-only screen stays where you put it: open one with --follow to follow",
                    }
                    .into(),
                );
            }
            Action::Help => self.overlay = Overlay::Help,
            Action::Quit => self.overlay = Overlay::ConfirmQuit,
            _ => {}
        }
        None
    }

    /// x, s, c, e act on the selected action in the Actions section.
    fn on_action_key(&mut self, action: Action) -> Option<Effect> {
        if self.screen != Screen::Service || self.section != ACTIONS {
            self.status = Some("Select an action first: press 4 for this service's actions".into());
            return None;
        }
        let Some(a) = self.selected_action().cloned() else {
            self.status = Some("This service has no open actions".into());
            return None;
        };
        let meeting = Some(self.meeting.id);
        let status_change = |to: ActionStatus| Effect::UpdateAction {
            reference: a.reference.clone(),
            change: ActionChange { status: Some(to), meeting, ..Default::default() },
            inverse: ActionChange {
                status: Some(a.status),
                meeting,
                note: Some(crate::domain::history::UNDO_NOTE.into()),
                ..Default::default()
            },
        };
        // Closing asks for a note first (why it is done; why dropped, needed).
        let mut close = |to: ActionStatus| {
            self.overlay = Overlay::Form(Box::new(Form::close(&a.reference, to)));
            None
        };
        match action {
            Action::MarkDone if a.status == ActionStatus::Done => {
                self.status = Some(format!("{} is already done", a.reference));
                None
            }
            Action::MarkDone => close(ActionStatus::Done),
            Action::Drop if a.status == ActionStatus::Dropped => {
                self.status = Some(format!("{} is already dropped", a.reference));
                None
            }
            Action::Drop => close(ActionStatus::Dropped),
            // `s` cycles open → in progress → done → open; to done asks for a note.
            Action::CycleStatus => match a.status {
                ActionStatus::Open => Some(status_change(ActionStatus::InProgress)),
                ActionStatus::InProgress => close(ActionStatus::Done),
                ActionStatus::Done | ActionStatus::Dropped => Some(status_change(ActionStatus::Open)),
            },
            Action::CarryForward => {
                self.overlay = Overlay::Form(Box::new(Form::carry(&a.reference)));
                None
            }
            _ => {
                self.overlay = Overlay::Form(Box::new(Form::edit_action(&a.reference, &a.text, &a.owner, &a.due)));
                None
            }
        }
    }

    fn on_form_key(&mut self, mut form: Box<Form>, key: KeyEvent) -> Option<Effect> {
        let submission = match form.handle_key(key, &self.owners, self.today) {
            Outcome::Continue => {
                self.overlay = Overlay::Form(form);
                return None;
            }
            Outcome::Cancel => {
                self.status = Some("Cancelled: nothing saved".into());
                return None;
            }
            Outcome::Submit(s) => s,
        };
        let effect = self.effect_for(&form.kind, submission);
        if effect.is_none() {
            form.error = Some("The selected action changed; press Esc and try again".into());
        }
        // The form stays open, text intact, until the store confirms the write.
        self.overlay = Overlay::Form(form);
        effect
    }

    fn effect_for(&self, kind: &FormKind, submission: Submission) -> Option<Effect> {
        let meeting = Some(self.meeting.id);
        let undo_note = Some(crate::domain::history::UNDO_NOTE.to_string());
        Some(match (kind, submission) {
            (FormKind::NewAction { .. }, Submission::Action { text, owner, due, service, .. }) => {
                Effect::RecordAction(NewAction { text, owner, due: Some(due), service, meeting, indicator: None })
            }
            (FormKind::Close { reference, to }, Submission::Close { note }) => {
                let a = self.selected_action().filter(|a| &a.reference == reference)?;
                Effect::UpdateAction {
                    reference: reference.clone(),
                    change: ActionChange {
                        status: Some(*to),
                        note: (!note.is_empty()).then_some(note),
                        meeting,
                        ..Default::default()
                    },
                    inverse: ActionChange { status: Some(a.status), note: undo_note, meeting, ..Default::default() },
                }
            }
            (FormKind::EditAction { reference }, Submission::Action { text, owner, due, note, .. }) => {
                let a = self.selected_action().filter(|a| &a.reference == reference)?;
                Effect::UpdateAction {
                    reference: reference.clone(),
                    change: ActionChange {
                        text: (text != a.text).then_some(text),
                        // The same owner in other case or spacing is the same owner.
                        owner: (names::fold(&owner) != names::fold(&a.owner)).then_some(owner),
                        due: (due.to_string() != a.due).then_some(due),
                        note: (!note.is_empty()).then_some(note),
                        meeting,
                        ..Default::default()
                    },
                    inverse: ActionChange {
                        text: Some(a.text.clone()),
                        owner: Some(a.owner.clone()),
                        due: crate::domain::dates::parse_iso(&a.due).ok(),
                        note: undo_note,
                        meeting,
                        ..Default::default()
                    },
                }
            }
            (FormKind::Carry { reference }, Submission::Carry { due, note }) => {
                let a = self.selected_action().filter(|a| &a.reference == reference)?;
                Effect::UpdateAction {
                    reference: reference.clone(),
                    change: ActionChange {
                        due: Some(due),
                        note: Some(if note.is_empty() { "carried forward".into() } else { note }),
                        status: a.status.is_closed().then_some(ActionStatus::Open),
                        meeting,
                        ..Default::default()
                    },
                    inverse: ActionChange {
                        due: crate::domain::dates::parse_iso(&a.due).ok(),
                        status: Some(a.status),
                        note: undo_note,
                        meeting,
                        ..Default::default()
                    },
                }
            }
            (FormKind::Decision { .. }, Submission::Decision { text, service }) => {
                Effect::RecordDecision { service, text }
            }
            (FormKind::Attendance, Submission::Attendance { present, apologies, remove }) => {
                Effect::UpdateAttendance(AttendanceChange { present, apologies, remove, chair: None })
            }
            _ => return None,
        })
    }

    fn on_search_key(&mut self, mut search: Box<Search>, key: KeyEvent) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Down => search.selected = (search.selected + 1).min(search.hits.len().saturating_sub(1)),
            KeyCode::Up => search.selected = search.selected.saturating_sub(1),
            KeyCode::Enter => {
                if let Some(hit) = search.hits.get(search.selected) {
                    let section = match hit.kind {
                        crate::store::HitKind::Indicator => 0,
                        crate::store::HitKind::Action => ACTIONS,
                        crate::store::HitKind::Decision => DECISIONS,
                        crate::store::HitKind::Finding => 1,
                        crate::store::HitKind::Feedback => 2,
                    };
                    if let Some(pos) =
                        hit.service.as_ref().and_then(|s| self.meeting.agenda.iter().position(|a| a == s))
                    {
                        self.current = pos;
                        self.screen = Screen::Service;
                        self.section = section;
                        self.selected = [0; 5];
                        return Some(Effect::Reload);
                    }
                    self.status = Some("That result belongs to no service on this agenda".into());
                }
                return None;
            }
            _ => {
                search.input.input(key);
                let phrase = search.input.lines().join(" ");
                self.overlay = Overlay::Search(search);
                return Some(Effect::Search(phrase));
            }
        }
        self.overlay = Overlay::Search(search);
        None
    }

    /// Performs an effect against the store. A write's success message is
    /// set only after the store has committed it.
    pub fn perform(&mut self, store: &mut Store, effect: Effect) -> Result<()> {
        match effect {
            Effect::Reload => {}
            Effect::History => {
                self.follow_selection(store)?;
                return Ok(());
            }
            Effect::Search(phrase) => {
                let hits = store.find(&phrase, 20)?;
                if let Overlay::Search(s) = &mut self.overlay {
                    s.hits = hits;
                    s.selected = 0;
                }
                return Ok(());
            }
            Effect::RecordAction(new) => match store.record_action(&new) {
                Ok(a) => {
                    self.overlay = Overlay::None;
                    self.status = Some(format!("✓ Saved action {}: owner {}, due {}", a.reference, a.owner, a.due));
                    self.undo.push(UndoEntry::Recorded(a.reference));
                    self.redo.clear();
                }
                Err(e) => self.form_error(e),
            },
            Effect::UpdateAction { reference, change, inverse } => match store.update_action(&reference, &change) {
                Ok(a) => {
                    self.overlay = Overlay::None;
                    self.status = Some(format!("✓ Saved {}: {} · due {}", a.reference, a.status, a.due));
                    self.undo.push(UndoEntry::Updated { reference, change, inverse });
                    self.redo.clear();
                }
                Err(e) => self.form_error(e),
            },
            Effect::RecordDecision { service, text } => {
                match store.record_decision(self.meeting.id, service.as_deref(), &text) {
                    Ok(d) => {
                        self.overlay = Overlay::None;
                        // Numbered as the minutes number it: among this
                        // meeting's recorded decisions for its service.
                        let n = store
                            .meeting_decisions(self.meeting.id, d.service.as_deref())?
                            .iter()
                            .filter(|x| x.status == crate::domain::DecisionStatus::Recorded)
                            .position(|x| x.id == d.id)
                            .map_or(d.id, |i| i as i64 + 1);
                        self.status = Some(format!("✓ Saved decision {n}"));
                        self.undo.push(UndoEntry::Decided(d.id));
                        self.redo.clear();
                    }
                    Err(e) => self.form_error(e),
                }
            }
            // The clock is read here, at the loop's edge, for the store.
            Effect::UpdateAttendance(change) => {
                match store.update_attendance(self.meeting.id, &change, chrono::Utc::now()) {
                    Ok(done) => {
                        self.overlay = Overlay::None;
                        let what: Vec<String> = done.changes.iter().map(|c| c.describe()).collect();
                        self.status = Some(format!("✓ Saved attendance: {}", what.join("; ")));
                        self.meeting = done.meeting;
                    }
                    Err(e) => self.form_error(e),
                }
            }
            Effect::Undo | Effect::Redo => {
                let redo = matches!(effect, Effect::Redo);
                let stack = if redo { &mut self.redo } else { &mut self.undo };
                let Some(entry) = stack.pop() else { return Ok(()) };
                match self.take_back(store, &entry, redo) {
                    Ok(msg) => {
                        self.status = Some(msg);
                        if redo { self.undo.push(entry) } else { self.redo.push(entry) }
                    }
                    Err(e) => {
                        let what = if redo { "redo" } else { "undo" };
                        self.status = Some(format!("Could not {what}: {}", screen_words(&e)));
                        // A change made since elsewhere is never reached over:
                        // this entry is spent; an error of the moment is kept.
                        if !matches!(e, crate::Error::Invalid(_)) {
                            if redo { self.redo.push(entry) } else { self.undo.push(entry) }
                        }
                    }
                }
            }
        }
        self.reload(store)
    }

    /// Undoes (or with `redo`, makes again) one change this screen made,
    /// only while the record still shows it; returns the status line,
    /// naming exactly what changed.
    fn take_back(&self, store: &mut Store, entry: &UndoEntry, redo: bool) -> Result<String> {
        use crate::domain::history::UNDO_NOTE;
        let meeting = Some(self.meeting.id);
        let (arrow, done) = if redo { ("↷", "Redone") } else { ("↶", "Undone") };
        let changed_since = |r: &str| {
            crate::Error::invalid(format!("{r} was changed since by another screen or the CLI; left as it is"))
        };
        match entry {
            UndoEntry::Updated { reference, change, inverse } => {
                let (expect, apply) = if redo { (inverse, change) } else { (change, inverse) };
                let before = store.action(reference, self.today)?;
                if !shows(&before, expect) {
                    return Err(changed_since(reference));
                }
                let mut apply = apply.clone();
                if redo {
                    apply.note = Some("redone from the meeting screen (U)".into());
                }
                let after = store.update_action(reference, &apply)?;
                Ok(format!("{arrow} {done} on {reference}: {}", change_words(&before, &after)))
            }
            UndoEntry::Recorded(reference) => {
                let before = store.action(reference, self.today)?;
                let (expect, to, note) = if redo {
                    (ActionStatus::Dropped, ActionStatus::Open, "redone from the meeting screen (U)")
                } else {
                    (ActionStatus::Open, ActionStatus::Dropped, UNDO_NOTE)
                };
                if before.status != expect {
                    return Err(changed_since(reference));
                }
                let change = ActionChange { status: Some(to), note: Some(note.into()), meeting, ..Default::default() };
                let a = store.update_action(reference, &change)?;
                Ok(if redo {
                    format!("{arrow} {done}: action {} is open again", a.reference)
                } else {
                    format!("{arrow} {done}: new action {} dropped (kept in history; h shows it)", a.reference)
                })
            }
            UndoEntry::Decided(id) => {
                let d = if redo {
                    store.reinstate_decision(*id, "redone from the meeting screen (U)")?
                } else {
                    store.withdraw_decision(*id, UNDO_NOTE)?
                };
                let text: String = crate::domain::sanitize::clean(&d.text).chars().take(40).collect();
                Ok(if redo {
                    format!("{arrow} {done}: decision \"{text}\" recorded again")
                } else {
                    format!("{arrow} {done}: decision \"{text}\" withdrawn (kept in history; h shows it)")
                })
            }
        }
    }

    fn form_error(&mut self, e: crate::Error) {
        let words = format!("Not saved: {}", screen_words(&e));
        // Approved meanwhile (on another screen or the CLI): the status line
        // says so too; the form keeps its text, as a draft.
        if matches!(e, crate::Error::MeetingApproved { .. }) {
            self.status = Some(screen_words(&e));
        }
        match &mut self.overlay {
            Overlay::Form(f) => f.error = Some(words),
            _ => self.status = Some(words),
        }
    }

    /// Where this screen is, as published by the chair for followers.
    pub fn position(&self) -> Position {
        Position { agenda_index: self.current, section: self.section, on_overview: self.screen == Screen::Overview }
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

    /// Moves to the chair's position; true if anything changed (reload needed).
    pub fn follow_to(&mut self, pos: Position) -> bool {
        if pos == self.position() || pos.agenda_index >= self.meeting.agenda.len() {
            return false;
        }
        if pos.agenda_index != self.current {
            self.selected = [0; 5];
            self.earlier = None;
        }
        self.current = pos.agenda_index;
        self.section = pos.section.min(4);
        self.screen = if pos.on_overview { Screen::Overview } else { Screen::Service };
        self.started |= !pos.on_overview;
        true
    }

    pub fn has_open_form(&self) -> bool {
        matches!(self.overlay, Overlay::Form(_))
    }

    /// Writes the open form's text as a draft when it changed, and clears the
    /// draft once the form is saved or discarded, so a crash loses no word.
    pub fn sync_draft(&mut self, store: &mut Store) -> Result<()> {
        if !self.role.edits() {
            return Ok(());
        }
        let current = match &self.overlay {
            Overlay::Form(f) if f.is_dirty() => Some(f.to_draft()),
            _ => None,
        };
        if current == self.last_draft {
            return Ok(());
        }
        match (&current, &self.last_draft) {
            (Some((kind, target, fields)), _) => {
                store.save_draft(self.meeting.id, self.draft_slot, kind, target, fields)?
            }
            // Only this screen's own words: another screen of the same role
            // may have written its draft there since.
            (None, Some((kind, target, fields))) => {
                store.clear_own_draft(self.meeting.id, self.draft_slot, kind, target, fields)?
            }
            (None, None) => {}
        }
        self.last_draft = current;
        if self.last_draft.is_none() {
            self.draft_slot = self.role.actor();
        }
        Ok(())
    }

    /// Offers back a draft this role left unsaved (after a crash or a closed
    /// laptop): opens its form, at its service or action, with the text.
    pub fn restore_draft(&mut self, store: &Store) -> Result<()> {
        let Some((kind, target, fields)) = store.draft(self.meeting.id, self.role.actor())? else { return Ok(()) };
        let Some(form) = Form::from_draft(&kind, &target, &fields) else { return Ok(()) };
        // What is stored, exactly, so closing the form clears it (an edit
        // draft's form is filled in further below).
        let stored = (form.to_draft().0, target.clone(), fields.clone());
        let service = match &form.kind {
            FormKind::NewAction { service } | FormKind::Decision { service } => service.clone(),
            FormKind::EditAction { reference } | FormKind::Carry { reference } | FormKind::Close { reference, .. } => {
                store.action(reference, self.today).ok().and_then(|a| a.service)
            }
            FormKind::Attendance => None,
        };
        if let Some(pos) = service.and_then(|s| self.meeting.agenda.iter().position(|a| *a == s)) {
            self.current = pos;
            self.screen = Screen::Service;
            self.started = true;
            self.reload(store)?;
        }
        let mut form = form;
        if let FormKind::EditAction { reference } | FormKind::Carry { reference } | FormKind::Close { reference, .. } =
            &form.kind
        {
            self.section = ACTIONS;
            if let Some(i) = self.view.as_ref().and_then(|v| {
                v.actions.rows.iter().position(|a| &a.action.reference == reference).map(|i| i + v.actions.offset)
            }) {
                self.selected[ACTIONS] = i;
                self.reload(store)?;
            }
            if let (FormKind::EditAction { .. }, Some(a)) = (&form.kind, self.selected_action()) {
                // An edit draft keeps typed values; fill any left empty from the action.
                let current = [a.text.clone(), a.owner.clone(), a.due.clone()];
                let typed: Vec<String> =
                    fields.iter().cloned().chain(std::iter::repeat(String::new())).take(4).collect();
                let mut merged: Vec<String> =
                    typed.iter().cloned().zip(current).map(|(t, c)| if t.is_empty() { c } else { t }).collect();
                merged.push(typed[3].clone()); // the note, as typed
                form = Form::from_draft(&kind, &target, &merged).unwrap_or(form);
            }
        }
        self.last_draft = Some(stored);
        self.draft_slot = self.role.actor();
        self.overlay = Overlay::Form(Box::new(form));
        self.status = Some("Restored unsaved text from the last session: Enter saves it, Esc twice discards it".into());
        Ok(())
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
