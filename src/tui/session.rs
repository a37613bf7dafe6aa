//! One meeting screen's life, apart from where its terminal is: the seam
//! between the screen (`App`, `Live`, the store) and its terminal. A local
//! screen drives it with the real terminal and crossterm's keyboard; a
//! served one (`qprm serve`) with a terminal drawn into an SSH channel and
//! keys parsed from the channel's bytes. Both run the same loop: draw, wait
//! for an event or a tick, update, perform the store writes.

use super::app::{self, App, Mode};
use super::{Options, keymap, live, pending, render};
use crate::error::{Error, Result};
use crate::store::Store;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use ratatui::layout::Rect;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often an idle screen wakes to check for changes by other instances.
const TICK: Duration = Duration::from_millis(500);
/// Queued events handled before the screen is drawn again.
const MAX_EVENTS_PER_FRAME: usize = 512;

/// What waiting for input gave.
#[derive(Debug)]
pub enum Polled {
    Event(Event),
    /// Nothing within the timeout.
    Idle,
    /// The input has gone for good (a dropped connection, an idle screen
    /// closed): the screen ends as on `q`, its draft kept.
    Closed,
}

/// Where a screen's keys come from.
pub trait EventSource {
    /// Waits up to `timeout` for the next event.
    fn next(&mut self, timeout: Duration) -> std::io::Result<Polled>;
}

/// The local terminal's keyboard, through crossterm.
pub struct CrosstermEvents;

impl EventSource for CrosstermEvents {
    fn next(&mut self, timeout: Duration) -> std::io::Result<Polled> {
        if event::poll(timeout)? { Ok(Polled::Event(event::read()?)) } else { Ok(Polled::Idle) }
    }
}

/// How a served screen is named to the others, and whose drafts it keeps.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub label: &'a str,
    pub draft_key: &'a str,
}

/// A meeting screen between opening and closing.
pub struct Session {
    pub app: App,
    live: live::Live,
    backup: Option<std::sync::mpsc::Receiver<live::BackupResult>>,
}

impl Session {
    /// Opens the screen's state and takes its place in the meeting (the
    /// chair, the minute-taker's, a follower), before any terminal exists.
    pub fn start(store: &mut Store, meeting: i64, mode: Mode, opts: Options) -> Result<Session> {
        Session::start_as(store, meeting, mode, opts, None)
    }

    /// As `start`, naming the screen to the others (who chairs) with a
    /// label rather than the user and process, and keying its drafts by
    /// who is typing (a served screen: its SSH key) rather than by this
    /// process's terminal: a served screen is one of many in one process.
    pub fn start_as(
        store: &mut Store,
        meeting: i64,
        mode: Mode,
        opts: Options,
        named: Option<Named<'_>>,
    ) -> Result<Session> {
        // A screen stays open while the minutes pass: its clock runs (with the
        // date `QPRM_TODAY` pins, if any), and its store records by the same.
        store.set_clock(crate::domain::clock::Clock::running());
        let mut app = App::new(store, meeting, mode, opts.colour, store.clock().today())?;
        app.set_draft_key(named.map_or_else(super::screen_identity, |n| n.draft_key.to_string()));
        // Before anything is recorded: a known-good copy of the record, taken
        // alongside the meeting rather than before its first frame.
        let backup = match (opts.keep_backups, app.role.edits() && !store.is_read_only()) {
            (Some(keep), true) => Some(live::backup_in_background(store.path().to_path_buf(), keep)),
            _ => None,
        };
        if store.is_read_only() && !mode.read_only {
            app.role = app::Role::ReadOnly;
        }
        if let Some(reason) = store.read_only_reason() {
            app.status = Some(format!("Read-only screen: {reason}. Nothing can be recorded from here."));
        }
        let mut live = live::Live::new(opts.chair_stale);
        if let Some(n) = named {
            live.set_label(n.label);
        }
        let events = live.start(store, &app, mode.take_chair)?;
        app.on_live(store, events)?;
        // Saves that meet another process's write lock are held, not
        // waited for (pending.rs): the screen's connection waits briefly.
        pending::Pending::start(store)?;
        Ok(Session { app, live, backup })
    }

    /// This screen's presence id (the chair's, when it holds the chair).
    pub fn presence_id(&self) -> &str {
        self.live.id()
    }

    /// Runs the screen until `q`, `stop` or the input closing; then hands
    /// the chair back. Whatever was typed is kept as a draft.
    pub fn run<B: Backend<Error = std::io::Error>>(
        &mut self,
        store: &mut Store,
        terminal: &mut Terminal<B>,
        events: &mut dyn EventSource,
        stop: &AtomicBool,
    ) -> Result<()> {
        let result = event_loop(terminal, events, store, &mut self.app, &mut self.live, stop, &mut self.backup);
        let finished = self.live.finish(store, &self.app);
        result.and(finished)
    }
}

fn read_err(e: std::io::Error) -> Error {
    Error::io("reading the keyboard", e)
}

fn event_loop<B: Backend<Error = std::io::Error>>(
    terminal: &mut Terminal<B>,
    events: &mut dyn EventSource,
    store: &mut Store,
    app: &mut App,
    live: &mut live::Live,
    stop: &AtomicBool,
    backup: &mut Option<std::sync::mpsc::Receiver<live::BackupResult>>,
) -> Result<()> {
    let mut version = store.data_version()?;
    let mut dirty = true;
    let mut closed = false;
    let mut held = pending::Pending::default();
    while !app.quit && !closed && !stop.load(Ordering::Relaxed) {
        dirty |= backup_report(app, backup);
        if dirty {
            terminal.draw(|f| render::render(app, f)).map_err(|e| Error::io("drawing", e))?;
            dirty = false;
        }
        let tick = if held.is_waiting() { pending::RETRY } else { TICK };
        match events.next(tick).map_err(read_err)? {
            Polled::Closed => closed = true,
            Polled::Event(first) => {
                // Handle everything already queued (key-repeat, a fast typist)
                // before drawing again, so a burst never delays a save; bounded
                // so the screen still refreshes during a flood.
                // A run of moves in the Actions list loads the selected action's
                // history once, for where the run ends, not once per key-repeat;
                // any other key sees it loaded first.
                let mut history_due = false;
                let mut ev = first;
                let mut handled = 0;
                loop {
                    match ev {
                        Event::Key(key) => {
                            let moving = app.overlay_is_none()
                                && matches!(keymap::action_for(&key), Some(keymap::Action::Up | keymap::Action::Down));
                            if history_due && !moving {
                                history_due = false;
                                perform(app, store, app::Effect::History);
                            }
                            match app.on_key(key) {
                                Some(app::Effect::History) if moving => history_due = true,
                                // Checked just before every write: a save made
                                // after the file was swapped must not be called
                                // saved (it would land in the other file's WAL).
                                Some(effect) if !(effect.writes() && file_gone(store, app)) => {
                                    if effect.writes() {
                                        // Held, not waited for, while another process writes.
                                        let result = held.submit(app, store, effect);
                                        shown(app, result);
                                    } else {
                                        perform(app, store, effect);
                                    }
                                }
                                _ => {}
                            }
                        }
                        Event::Paste(text) => app.on_paste(&text),
                        // A served screen has no terminal to ask its size:
                        // the new size comes with the event.
                        Event::Resize(w, h) => {
                            terminal.resize(Rect::new(0, 0, w, h)).map_err(|e| Error::io("resizing", e))?
                        }
                        _ => {}
                    }
                    handled += 1;
                    if app.quit || handled >= MAX_EVENTS_PER_FRAME {
                        break;
                    }
                    match events.next(Duration::ZERO).map_err(read_err)? {
                        Polled::Event(e) => ev = e,
                        Polled::Idle => break,
                        Polled::Closed => {
                            closed = true;
                            break;
                        }
                    }
                }
                if history_due {
                    perform(app, store, app::Effect::History);
                }
                dirty = true;
            }
            Polled::Idle => {
                // Another instance (or the CLI) committed: reload what we show.
                dirty |= file_gone(store, app);
                let now = store.data_version().unwrap_or(version);
                if now != version {
                    let result = app.reload(store);
                    shown(app, result);
                    dirty = true;
                }
                dirty |= app.ticking();
            }
        }
        if held.is_waiting() && !file_gone(store, app) {
            match held.retry(app, store) {
                Ok(changed) => dirty |= changed,
                Err(e) => shown(app, Err(e)),
            }
        }
        match live_sync(store, app, live) {
            Ok(changed) => dirty |= changed,
            Err(e) => shown(app, Err(e)),
        }
        version = store.data_version().unwrap_or(version);
    }
    // Whatever was typed since the last tick is kept as a draft; leaving,
    // that write and handing back the chair may wait for another writer.
    pending::Pending::leaving(store)?;
    held.finish(app, store)?;
    app.sync_draft(store)
}

/// After every key and tick: the open form's draft is autosaved, then the
/// live machinery's findings are taken in. True if the screen should redraw.
fn live_sync(store: &mut Store, app: &mut App, live: &mut live::Live) -> Result<bool> {
    app.sync_draft(store)?;
    let events = live.sync(store, app)?;
    app.on_live(store, events)
}

/// Performs an effect, showing a database problem on the status line.
fn perform(app: &mut App, store: &mut Store, effect: app::Effect) {
    let result = app.perform(store, effect);
    shown(app, result);
}

/// Once the database file has been moved, replaced or deleted, the screen
/// closes its connection (its WAL goes with its own file) and stops
/// editing, saying so. True when that has just happened.
fn file_gone(store: &mut Store, app: &mut App) -> bool {
    if !store.close_if_moved() {
        return false;
    }
    let message = "The database file was moved, replaced or deleted: this screen has let go of it and nothing more can be saved from here. Reopen qprm on the file (or restore it from backups/).";
    app.role = app::Role::ReadOnly;
    if let app::Overlay::Form(f) = &mut app.overlay {
        f.error = Some("Not saved: the database file was moved, replaced or deleted".into());
    }
    app.status = Some(message.into());
    true
}

/// Shows the opening backup's outcome once its thread reports; true if the
/// status line changed.
fn backup_report(app: &mut App, backup: &mut Option<std::sync::mpsc::Receiver<live::BackupResult>>) -> bool {
    let Some(rx) = backup else { return false };
    let status = match rx.try_recv() {
        Err(std::sync::mpsc::TryRecvError::Empty) => return false,
        Err(std::sync::mpsc::TryRecvError::Disconnected) => Some("Backup failed: its thread stopped".to_string()),
        // What happened to an earlier backup first: the news the user has
        // not had; then today's, named only once it is in place.
        Ok(Ok(outcome)) => {
            let mut parts = outcome.notes;
            if outcome.taken {
                let path = crate::domain::sanitize::clean(&outcome.path.display().to_string());
                parts.push(format!("✓ Backup taken: {path}"));
            }
            (!parts.is_empty()).then(|| parts.join(". "))
        }
        Ok(Err(e)) => Some(format!("Backup failed: {e}")),
    };
    *backup = None;
    match status {
        // Edits were stopped meanwhile (the file was deleted or replaced):
        // that warning stays on screen; it already points to backups/.
        Some(_) if !app.role.edits() => false,
        Some(s) => {
            app.status = Some(s);
            true
        }
        None => false,
    }
}

/// A database problem mid-meeting (locked past the busy timeout, a file
/// gone) is shown on the status line; the meeting carries on.
fn shown(app: &mut App, r: Result<()>) {
    // A heartbeat or draft write that met another process's lock is
    // tried again next tick; a held save says so itself (pending.rs).
    if let Err(Error::Busy(_)) = r {
        return;
    }
    if let Err(e) = r {
        app.status = Some(format!("Database problem: {e}. Nothing unsaved was lost; try again."));
    }
}
