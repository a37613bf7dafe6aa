//! Keys in, state and effects out: what each key does to the screen's
//! state, and the store effect (if any) the loop should perform for it.
//! No I/O here; `effects` performs what these return.

use super::app::{App, Effect, Overlay, Role, Screen, Search, screen_words};
use super::forms::{Form, FormKind, Outcome, Submission};
use super::keymap::{Action, action_for};
use crate::domain::names;
use crate::domain::{ActionStatus, Section, Selection};
use crate::store::{ActionChange, AttendanceChange, NewAction};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

impl App {
    /// Handles one key; returns the write or load the loop should perform.
    /// A minute-taker who moves by hand (another item or section, the
    /// agenda, a search result) stops following the chair until `f`.
    pub fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let before = self.position();
        let effect = self.handle_key(key);
        if self.role == Role::Minutes && self.following && !self.position().same_place(&before) {
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
            // Space turns the page; any other key closes help.
            // ↑↓ move to another indicator with the chart open; any other key closes it.
            Overlay::Chart => {
                if let Some(a @ (Action::Up | Action::Down)) = action_for(&key) {
                    self.overlay = Overlay::Chart;
                    return self.on_action(a);
                }
                return None;
            }
            Overlay::Help(page) => {
                if key.code == KeyCode::Char(' ') {
                    self.overlay = Overlay::Help(page + 1);
                }
                return None;
            }
            Overlay::ConfirmApprove { meeting, date } => {
                if key.code == KeyCode::Char('y') {
                    return Some(Effect::Approve(meeting));
                }
                self.status = Some(format!("Not approved: the minutes of the meeting of {date} are unchanged"));
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
                self.selected = Selection::default();
                self.earlier = None;
                return Some(Effect::Reload);
            }
            Action::NextSection | Action::PrevSection => {
                self.screen = Screen::Service;
                self.section = if action == Action::NextSection { self.section.next() } else { self.section.prev() };
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
                if self.section == Section::Actions {
                    return Some(Effect::History);
                }
            }
            Action::First | Action::Last if self.screen == Screen::Service => {
                let last = self.list_len(self.section).saturating_sub(1);
                self.selected[self.section] = if action == Action::First { 0 } else { last };
                if self.section == Section::Actions {
                    return Some(Effect::History);
                }
            }
            Action::Chart | Action::Open
                if self.screen == Screen::Service && (action == Action::Chart || self.section == Section::Data) =>
            {
                self.section = Section::Data;
                if self.list_len(Section::Data) > 0 {
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
                self.selected = Selection::default();
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
            Action::ApprovePrevious => return Some(Effect::AskApproval),
            Action::MarkDone | Action::CycleStatus | Action::CarryForward | Action::Edit | Action::Drop => {
                return self.on_action_key(action);
            }
            Action::EarlierDecisions => {
                self.screen = Screen::Service;
                self.section = Section::Decisions;
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
            Action::Help => self.overlay = Overlay::Help(0),
            Action::Quit => self.overlay = Overlay::ConfirmQuit,
            _ => {}
        }
        None
    }

    /// x, s, c, e act on the selected action in the Actions section.
    fn on_action_key(&mut self, action: Action) -> Option<Effect> {
        if self.screen != Screen::Service || self.section != Section::Actions {
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
                        crate::store::HitKind::Indicator => Section::Data,
                        crate::store::HitKind::Action => Section::Actions,
                        crate::store::HitKind::Decision => Section::Decisions,
                        crate::store::HitKind::Finding => Section::Audits,
                        crate::store::HitKind::Feedback => Section::Feedback,
                    };
                    if let Some(pos) =
                        hit.service.as_ref().and_then(|s| self.meeting.agenda.iter().position(|a| a == s))
                    {
                        self.current = pos;
                        self.screen = Screen::Service;
                        self.section = section;
                        self.selected = Selection::default();
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
}
