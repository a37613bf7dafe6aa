//! The meeting screen: a synchronous loop that draws, waits for a key or a
//! tick, updates state and performs the resulting store writes. The
//! terminal is always restored, on error and on panic (ratatui's hook).

pub mod app;
pub mod effects;
pub mod forms;
pub mod glyphs;
pub mod keymap;
pub mod live;
pub mod pending;
pub mod render;
pub mod theme;
pub mod update;

use crate::error::{Error, Result};
use crate::store::Store;
use app::{App, Mode};
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use std::time::Duration;

/// How often an idle screen wakes to check for changes by other instances.
const TICK: Duration = Duration::from_millis(500);
/// Queued events handled before the screen is drawn again.
const MAX_EVENTS_PER_FRAME: usize = 512;

/// Options for one meeting screen beyond its mode.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub colour: bool,
    /// Automatic backups to keep when the screen opens; `None` takes none
    /// (the demo's throwaway database).
    pub keep_backups: Option<usize>,
    /// How long a chair's beat may stand still, by this screen's clock,
    /// before a minute-taker's screen takes over (`store::STALE`).
    pub chair_stale: Duration,
}

pub fn run(store: &mut Store, meeting: i64, mode: Mode, opts: Options) -> Result<()> {
    // A screen stays open while the minutes pass: its clock runs (with the
    // date `QPRM_TODAY` pins, if any), and its store records by the same.
    store.set_clock(crate::domain::clock::Clock::running());
    let mut app = App::new(store, meeting, mode, opts.colour, store.clock().today())?;
    app.set_draft_key(screen_identity());
    // Before anything is recorded: a known-good copy of the record, taken
    // alongside the meeting rather than before its first frame.
    let mut backup = match (opts.keep_backups, app.role.edits() && !store.is_read_only()) {
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
    let events = live.start(store, &app, mode.take_chair)?;
    app.on_live(store, events)?;
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            // Raw mode may already be on: never leave the user's terminal broken.
            ratatui::restore();
            return Err(Error::io("starting the terminal", e));
        }
    };
    // Bracketed paste delivers a clipboard as one event, so it cannot be
    // mistaken for keys (an Enter inside it must not save a form).
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    // SIGTERM (shutdown), SIGHUP (terminal window closed) and SIGINT end the
    // meeting screen the same way as q: the draft is already saved, the
    // chair handed back, the terminal restored.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, std::sync::Arc::clone(&stop))
            .map_err(|e| Error::io("installing signal handlers", e))?;
    }
    let watchdog =
        live::stop_watchdog(std::sync::Arc::clone(&stop), store.path().to_path_buf(), app.meeting.id, live.id().into());
    pending::Pending::start(store)?;
    let result = event_loop(&mut terminal, store, &mut app, &mut live, &stop, &mut backup);
    let finished = live.finish(store, &app);
    watchdog.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result.and(finished)
}

/// Who is typing where, for keying drafts: `user@terminal` (the SSH
/// session's terminal, else standard input's), or `QPRM_SCREEN` when set
/// (two screens a person wants kept apart on one terminal, and tests).
/// The same person reopening qprm on the same terminal is offered back
/// what they left unsaved, whatever role the screen then has.
pub fn screen_identity() -> String {
    if let Some(named) = std::env::var("QPRM_SCREEN").ok().filter(|s| !s.trim().is_empty()) {
        return named;
    }
    let user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "someone".into());
    let tty = std::env::var("SSH_TTY")
        .ok()
        .filter(|t| !t.is_empty())
        .or_else(|| std::fs::read_link("/proc/self/fd/0").ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| "console".into());
    format!("{user}@{tty}")
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    store: &mut Store,
    app: &mut App,
    live: &mut live::Live,
    stop: &std::sync::atomic::AtomicBool,
    backup: &mut Option<std::sync::mpsc::Receiver<live::BackupResult>>,
) -> Result<()> {
    let mut version = store.data_version()?;
    let mut dirty = true;
    let mut held = pending::Pending::default();
    while !app.quit && !stop.load(std::sync::atomic::Ordering::Relaxed) {
        dirty |= backup_report(app, backup);
        if dirty {
            terminal.draw(|f| render::render(app, f)).map_err(|e| Error::io("drawing", e))?;
            dirty = false;
        }
        let tick = if held.is_waiting() { pending::RETRY } else { TICK };
        if event::poll(tick).map_err(|e| Error::io("reading the keyboard", e))? {
            // Handle everything already queued (key-repeat, a fast typist)
            // before drawing again, so a burst never delays a save; bounded
            // so the screen still refreshes during a flood.
            // A run of moves in the Actions list loads the selected action's
            // history once, for where the run ends, not once per key-repeat;
            // any other key sees it loaded first.
            let mut history_due = false;
            for _ in 0..MAX_EVENTS_PER_FRAME {
                match event::read().map_err(|e| Error::io("reading the keyboard", e))? {
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
                    _ => {}
                }
                if app.quit || !event::poll(Duration::ZERO).map_err(|e| Error::io("reading the keyboard", e))? {
                    break;
                }
            }
            if history_due {
                perform(app, store, app::Effect::History);
            }
            dirty = true;
        } else {
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
