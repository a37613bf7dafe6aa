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
pub mod session;
pub mod theme;
pub mod update;

use crate::error::{Error, Result};
use crate::store::Store;
use app::Mode;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use std::time::Duration;

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
    let mut session = session::Session::start(store, meeting, mode, opts)?;
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
    let watchdog = live::stop_watchdog(
        std::sync::Arc::clone(&stop),
        store.path().to_path_buf(),
        session.app.meeting.id,
        session.presence_id().into(),
    );
    let result = session.run(store, &mut terminal, &mut session::CrosstermEvents, &stop);
    watchdog.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
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
