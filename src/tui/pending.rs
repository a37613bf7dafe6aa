//! Saves that wait for another process's write lock (an import, a backup
//! being finished) without freezing the screen. The screen's connection
//! waits only `PROBE` for a lock; a save that finds the lock taken is held
//! here, the status line says "Waiting for the database (import running)…",
//! keys keep working, and each tick tries again. Once the lock is free the
//! save is made as if just typed; after `GIVE_UP` it is refused with a
//! clear message and the form keeps its text. A heartbeat or draft write
//! that meets the lock simply fails fast and is tried again next tick.

use super::app::{App, Effect, Overlay};
use crate::error::Result;
use crate::store::Store;
use std::time::{Duration, Instant};

/// How long the screen's connection waits for a lock before giving up.
pub const PROBE: Duration = Duration::from_millis(50);
/// How long a save that found the lock free may wait for it (another
/// screen's save of a few milliseconds, or a checkpoint).
const SAVE_WAIT: Duration = Duration::from_secs(2);
/// How long a held save waits for the lock before it is refused.
pub const GIVE_UP: Duration = Duration::from_secs(60);
/// How often the loop wakes while a save is held.
pub const RETRY: Duration = Duration::from_millis(200);

/// At most one held save: a second Enter replaces it with the newer text.
#[derive(Default)]
pub struct Pending {
    held: Option<Held>,
}

struct Held {
    effect: Effect,
    since: Instant,
    /// The open form's text when the save was asked for: if the user types
    /// on, or closes the form, while it waits, the held save is not made
    /// (it would close the form over the newer words, or save what they
    /// cancelled).
    form: Option<(&'static str, String, Vec<String>)>,
}

fn form_text(app: &App) -> Option<(&'static str, String, Vec<String>)> {
    match &app.overlay {
        Overlay::Form(f) => Some(f.to_draft()),
        _ => None,
    }
}

impl Pending {
    pub fn is_waiting(&self) -> bool {
        self.held.is_some()
    }

    /// Sets the screen connection's short wait; called once the screen has
    /// opened (claiming the chair at start waits as commands do).
    pub fn start(store: &Store) -> Result<()> {
        store.wait_briefly(PROBE)
    }

    /// On the way out the last draft and the chair's hand-back wait for a
    /// lock as a command does: nothing is drawn any more, and they matter.
    pub fn leaving(store: &Store) -> Result<()> {
        store.wait_briefly(crate::store::COMMAND_WAIT)
    }

    /// Quitting with a save still held: it is made now, waiting for the
    /// lock as a command does (unless its form changed meanwhile).
    pub fn finish(&mut self, app: &mut App, store: &mut Store) -> Result<()> {
        let Some(held) = self.held.take() else { return Ok(()) };
        if form_text(app) != held.form {
            return Ok(());
        }
        app.perform(store, held.effect)
    }

    /// A write effect from a key: made now if the lock is free, else held.
    pub fn submit(&mut self, app: &mut App, store: &mut Store, effect: Effect) -> Result<()> {
        let since = self.held.take().map_or_else(Instant::now, |h| h.since);
        if store.write_lock_taken()? {
            app.status = Some(waiting_words(store));
            self.held = Some(Held { effect, since, form: form_text(app) });
            return Ok(());
        }
        perform(app, store, effect)
    }

    /// Each tick: tries a held save again. True when the screen changed.
    pub fn retry(&mut self, app: &mut App, store: &mut Store) -> Result<bool> {
        let Some(held) = self.held.take() else { return Ok(false) };
        if form_text(app) != held.form {
            app.status = Some(match app.overlay {
                Overlay::Form(_) => {
                    "Not saved yet: the text changed while waiting for the database. Enter saves it".into()
                }
                _ => "The save waiting for the database was not made: its form was closed".into(),
            });
            return Ok(true);
        }
        if !store.write_lock_taken()? {
            perform(app, store, held.effect)?;
            return Ok(true);
        }
        if held.since.elapsed() >= GIVE_UP {
            let words = format!(
                "Not saved: the database stayed busy for {} s ({}). Your text is kept: press Enter to try again",
                GIVE_UP.as_secs(),
                crate::store::why_busy(store.path())
            );
            match &mut app.overlay {
                Overlay::Form(f) => f.error = Some(words),
                _ => app.status = Some(words),
            }
            return Ok(true);
        }
        self.held = Some(held);
        let words = waiting_words(store);
        let changed = app.status.as_deref() != Some(words.as_str());
        app.status = Some(words);
        Ok(changed)
    }
}

/// Makes the save, letting it wait a little for a lock taken just now.
fn perform(app: &mut App, store: &mut Store, effect: Effect) -> Result<()> {
    store.wait_briefly(SAVE_WAIT)?;
    crate::store::take_io_failure();
    crate::store::forget_last_write();
    let done = app.perform(store, effect);
    if crate::store::take_io_failure() {
        settle(app, store);
    }
    store.wait_briefly(PROBE)?;
    done
}

/// After a save that met an I/O error: says what the file really holds.
fn settle(app: &mut App, store: &mut Store) {
    let words = match store.settle_failed_write() {
        Ok(crate::store::Settled::Saved) => {
            if matches!(app.overlay, Overlay::Form(_)) {
                app.overlay = Overlay::None;
            }
            app.status =
                Some("✓ Saved: the disk reported an error, but the record is there (read back to check)".into());
            let reloaded = app.reload(store);
            if let Err(e) = reloaded {
                app.status = Some(format!("✓ Saved (read back to check), but the screen could not refresh: {e}"));
            }
            return;
        }
        Ok(crate::store::Settled::NotSaved) => {
            "Not saved: the disk reported an error (read back to check: nothing was recorded). Your text is kept: Enter tries again".to_string()
        }
        Ok(crate::store::Settled::Unknown) | Err(_) => {
            "Not saved now: the disk is failing and refused the check too. Your text is kept; copy it somewhere safe and check the record after restarting qprm".to_string()
        }
    };
    match &mut app.overlay {
        Overlay::Form(f) => f.error = Some(words),
        _ => app.status = Some(words),
    }
}

fn waiting_words(store: &Store) -> String {
    format!(
        "Waiting for the database ({})… keys still work; the save is made once it is free",
        crate::store::why_busy(store.path())
    )
}
