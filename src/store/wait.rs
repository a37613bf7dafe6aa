//! Waiting for another process's write lock, as a person sees it. SQLite's
//! plain busy timeout waits in silence and then says "database is locked";
//! here a command waits with a word on stderr after a moment ("Waiting for
//! the database (import running)…"), and when it gives up the error is the
//! typed `Error::Busy`, which the CLI and the screen word. The meeting
//! screen never waits here: it sets a short timeout and queues the save
//! (tui/pending.rs), so its keys keep working.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a command waits for the write lock before giving up.
pub const COMMAND_WAIT: Duration = Duration::from_secs(30);
/// How long a command waits in silence before saying so.
const QUIET: Duration = Duration::from_secs(1);

thread_local! {
    /// Set by the command line on its own thread: say on stderr when
    /// waiting. Never on a screen's helper threads (a backup, a watchdog),
    /// where a line on stderr would land on the meeting screen.
    static ANNOUNCE: Cell<bool> = const { Cell::new(false) };
    static STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
    static SAID: Cell<bool> = const { Cell::new(false) };
    static PATH: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// Commands on this thread say on stderr when they wait for the database.
pub fn announce_waits(on: bool) {
    ANNOUNCE.with(|a| a.set(on));
}

/// Why the database is busy, in the words the status line and stderr use.
pub fn why_busy(db: &Path) -> &'static str {
    if super::import_running(db) { "import running" } else { "another qprm is writing to it" }
}

/// Installs the waiting busy handler on a connection to `db`.
pub(super) fn install(conn: &rusqlite::Connection, db: &Path) -> rusqlite::Result<()> {
    PATH.with(|p| *p.borrow_mut() = Some(db.to_path_buf()));
    conn.busy_handler(Some(wait_once))
}

/// SQLite calls this each time the lock is still taken (`n` counts the
/// calls of one wait, from 0): true to try again.
fn wait_once(n: i32) -> bool {
    let now = Instant::now();
    if n == 0 {
        STARTED.with(|s| s.set(Some(now)));
        SAID.with(|s| s.set(false));
    }
    let waited = STARTED.with(|s| s.get()).map_or(Duration::ZERO, |t| now.duration_since(t));
    if waited >= COMMAND_WAIT {
        return false;
    }
    if ANNOUNCE.with(|a| a.get()) && waited >= QUIET && !SAID.with(|s| s.replace(true)) {
        let why = PATH.with(|p| p.borrow().as_deref().map(why_busy)).unwrap_or("another qprm is writing to it");
        eprintln!("Waiting for the database ({why})…");
    }
    // Short sleeps at first (most locks are a screen's save, a few ms).
    std::thread::sleep(Duration::from_millis(if n < 10 { 2 } else { 25 }));
    true
}
