//! Where the meeting screen meets the store, in one place: performing the
//! effects that keys return (writes, undo and redo, search), reloading what
//! the screen shows, paging the Actions list and loading the selected
//! action's history, the autosaved drafts of open forms, and what the live
//! machinery found (`LiveEvent`). Nothing else in `tui` changes the
//! screen's state from the database.

use super::app::{App, Effect, MeetingWide, Overlay, Role, Screen, UndoEntry, screen_words};
use super::forms::{Form, FormKind};
use super::live::LiveEvent;
use crate::domain::{ActionStatus, Rag, Section};
use crate::error::Result;
use crate::store::{ActionChange, ActionHistoryEntry, AttendanceChange, Store};

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

/// Rows kept between the Actions selection and the edge of the page held
/// before the next page is loaded: more than a screen's height.
const PAGE_MARGIN: usize = 60;

/// The page start that puts `selected` in the middle of a page.
fn page_offset(selected: usize) -> usize {
    selected.saturating_sub(crate::store::ACTIONS_PAGE / 2)
}

impl App {
    /// Changes this screen's role (it took the chair, or lost it): later
    /// changes are recorded under the new role's actor and a minute-taker's
    /// screen starts out following the chair. Its draft stays its own: it
    /// is keyed by the screen, not the role.
    pub fn set_role(&mut self, store: &mut Store, role: Role) -> Result<()> {
        if role != self.role {
            self.following = true;
        }
        self.role = role;
        store.set_actor(role.actor());
        Ok(())
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
                .and_then(|v| v.actions.rows.get(self.selected[Section::Actions].checked_sub(v.actions.offset)?))
                .map(|a| a.id);
            let offset = page_offset(self.selected[Section::Actions]);
            let mut view = store.service_view(&self.meeting, &service, self.today, offset, self.show_withdrawn)?;
            if !self.show_withdrawn {
                view.decisions.retain(|d| d.status == crate::domain::DecisionStatus::Recorded);
            }
            if let Some(pos) = keep.and_then(|id| view.actions.order.iter().position(|&i| i == id)) {
                self.selected[Section::Actions] = pos;
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
        let selected = self.selected[Section::Actions];
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
                let before = store.meeting(self.meeting.id)?;
                match store.update_attendance(self.meeting.id, &change, store.clock().now()) {
                    Ok(done) => {
                        self.overlay = Overlay::None;
                        let what: Vec<String> = done.changes.iter().map(|c| c.describe()).collect();
                        self.status = Some(format!("✓ Saved attendance: {}", what.join("; ")));
                        self.undo.push(UndoEntry::Attendance {
                            before: Box::new(before),
                            after: Box::new(done.meeting.clone()),
                        });
                        self.redo.clear();
                        self.meeting = done.meeting;
                    }
                    Err(e) => self.form_error(e),
                }
            }
            Effect::AskApproval => {
                match store.previous_meeting(&self.meeting)? {
                    None => self.status = Some("No earlier meeting: there are no minutes to approve".into()),
                    Some(p) => match &p.approved_at {
                        Some(at) => {
                            let on = at.get(..10).unwrap_or(at);
                            self.status =
                                Some(format!("The minutes of the meeting of {} were approved on {on}", p.date));
                        }
                        None => self.overlay = Overlay::ConfirmApprove { meeting: p.id, date: p.date },
                    },
                }
                return Ok(());
            }
            // Not on the undo stack: reopening approved minutes needs a
            // reason (`qprm meeting reopen`), which a key cannot give.
            Effect::Approve(id) => match store.approve_meeting(id, self.today, store.clock().now()) {
                Ok(m) => {
                    self.status = Some(format!(
                        "✓ Minutes of the meeting of {} approved: its record is locked (qprm meeting reopen {} --note WHY)",
                        m.date, m.date
                    ))
                }
                Err(e) => self.status = Some(format!("Not approved: {}", screen_words(&e))),
            },
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
            UndoEntry::Attendance { before, after } => {
                let (from, to) = if redo { (before, after) } else { (after, before) };
                let now = store.meeting(self.meeting.id)?;
                if !now.same_attendance(from) {
                    return Err(crate::Error::invalid(
                        "attendance was changed since by another screen or the CLI; left as it is",
                    ));
                }
                let Some(change) = AttendanceChange::restoring(to, from) else {
                    return Ok(format!("{arrow} {done}: attendance already as it was"));
                };
                let done_now = store.update_attendance(self.meeting.id, &change, store.clock().now())?;
                let what: Vec<String> = done_now.changes.iter().map(|c| c.describe()).collect();
                Ok(format!("{arrow} {done} attendance: {}", what.join("; ")))
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
                store.save_draft(self.meeting.id, &self.draft_key, kind, target, fields)?
            }
            // Only this screen's own words: another screen of the same role
            // may have written its draft there since.
            (None, Some((kind, target, fields))) => {
                store.clear_own_draft(self.meeting.id, &self.draft_key, kind, target, fields)?
            }
            (None, None) => {}
        }
        self.last_draft = current;
        Ok(())
    }

    /// Offers back a draft this screen left unsaved (after a crash or a
    /// closed laptop): opens its form, at its service or action, with the
    /// text.
    pub fn restore_draft(&mut self, store: &Store) -> Result<()> {
        let Some((kind, target, fields)) = store.draft(self.meeting.id, &self.draft_key)? else { return Ok(()) };
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
            self.section = Section::Actions;
            if let Some(i) = self.view.as_ref().and_then(|v| {
                v.actions.rows.iter().position(|a| &a.action.reference == reference).map(|i| i + v.actions.offset)
            }) {
                self.selected[Section::Actions] = i;
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
        self.overlay = Overlay::Form(Box::new(form));
        self.status = Some("Restored unsaved text from the last session: Enter saves it, Esc twice discards it".into());
        Ok(())
    }

    /// Takes in what the live machinery found, in order: a new role, who
    /// chairs, the chair's place and timer (followed if this screen
    /// follows), a status line, a draft to offer back. True if the screen
    /// should redraw.
    pub fn on_live(&mut self, store: &mut Store, events: Vec<LiveEvent>) -> Result<bool> {
        let mut changed = false;
        for event in events {
            changed |= match event {
                LiveEvent::Role(role) => {
                    let new = role != self.role;
                    self.set_role(store, role)?;
                    new
                }
                LiveEvent::ChairLabel(label) => {
                    let new = self.chair_label != label;
                    self.chair_label = label;
                    new
                }
                LiveEvent::Chair { position, timer } => {
                    let moved = self.on_chair_position(position);
                    if moved {
                        self.reload(store)?;
                    }
                    self.on_chair_timer(position.agenda_index, timer) || moved
                }
                LiveEvent::Status(words) => {
                    self.status = Some(words);
                    true
                }
                LiveEvent::RestoreDraft => {
                    self.restore_draft(store)?;
                    self.has_open_form()
                }
            };
        }
        Ok(changed)
    }
}
