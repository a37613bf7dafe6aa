//! One served meeting screen, on its own OS thread with its own store
//! connection: the same `tui::session` loop as a local screen, drawn into
//! the SSH channel (through a `Write` that hands frames to the async side)
//! and fed by key events parsed from the channel's bytes.

use super::role::Role;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::tui::session::{EventSource, Named, Polled, Session};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// What the connection hands its screen.
#[derive(Debug)]
pub enum Input {
    Bytes(Vec<u8>),
    /// A window-change request: columns, rows.
    Resize(u16, u16),
}

/// The longest unfinished escape sequence or paste kept while waiting for
/// its end; past this the bytes are dropped (no terminal sends more).
const MAX_PENDING: usize = 1 << 20;

/// Turns the connection's bytes into crossterm events, with a maintained
/// parser (crossterm's own escape grammar, as `terminput` keeps it).
#[derive(Default)]
pub struct KeyParser {
    pending: Vec<u8>,
}

impl KeyParser {
    /// Events completed by `bytes`; an unfinished sequence waits for more.
    pub fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<Event>) {
        for (i, &b) in bytes.iter().enumerate() {
            self.pending.push(b);
            // A lone ESC with more bytes behind it starts a sequence
            // (an arrow key), not the Esc key.
            let more = i + 1 < bytes.len();
            if self.pending == [0x1B] && more {
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(Some(event)) => {
                    if let Ok(event) = terminput_crossterm::to_crossterm(event) {
                        out.push_back(event);
                    }
                    self.pending.clear();
                }
                Ok(None) if self.pending.len() < MAX_PENDING => {}
                _ => self.pending.clear(),
            }
        }
    }
}

/// The screen's keys: bytes and window changes from the connection.
pub struct ChannelEvents {
    rx: Receiver<Input>,
    parser: KeyParser,
    queue: VecDeque<Event>,
    /// Close the screen after this long without a key.
    idle: Option<Duration>,
    last_input: Instant,
}

impl ChannelEvents {
    pub fn new(rx: Receiver<Input>, idle: Option<Duration>) -> ChannelEvents {
        ChannelEvents { rx, parser: KeyParser::default(), queue: VecDeque::new(), idle, last_input: Instant::now() }
    }

    fn take(&mut self, input: Input) -> Option<Event> {
        match input {
            Input::Bytes(bytes) => {
                self.last_input = Instant::now();
                self.parser.feed(&bytes, &mut self.queue);
                self.queue.pop_front()
            }
            Input::Resize(w, h) => Some(Event::Resize(w, h)),
        }
    }
}

impl EventSource for ChannelEvents {
    fn next(&mut self, timeout: Duration) -> std::io::Result<Polled> {
        if let Some(event) = self.queue.pop_front() {
            return Ok(Polled::Event(event));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let input = if timeout.is_zero() {
                match self.rx.try_recv() {
                    Ok(input) => input,
                    Err(TryRecvError::Empty) => return Ok(Polled::Idle),
                    Err(TryRecvError::Disconnected) => return Ok(Polled::Closed),
                }
            } else {
                match self.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(input) => input,
                    Err(RecvTimeoutError::Timeout) => {
                        let idle = self.idle.is_some_and(|limit| self.last_input.elapsed() >= limit);
                        return Ok(if idle { Polled::Closed } else { Polled::Idle });
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(Polled::Closed),
                }
            };
            if let Some(event) = self.take(input) {
                return Ok(Polled::Event(event));
            }
            if !timeout.is_zero() && Instant::now() >= deadline {
                return Ok(Polled::Idle);
            }
        }
    }
}

/// The screen's output: collected until ratatui flushes a frame, then
/// handed to the async side, which sends it down the channel. Blocks (this
/// thread only) while the client is slow to read, so output stays bounded.
pub struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    pub fn new(tx: tokio::sync::mpsc::Sender<Vec<u8>>) -> ChannelWriter {
        ChannelWriter { tx, buf: Vec::new() }
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buf);
        self.tx
            .blocking_send(frame)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the connection closed"))
    }
}

/// Colour and glyphs as the client's terminal wants them, by the rules a
/// local screen follows: `NO_COLOR` (set and not empty) turns colour off;
/// `QPRM_ASCII`, else `TERM=linux` (the Linux console), draws plain glyphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub colour: bool,
    pub ascii: bool,
}

impl Look {
    pub fn from_client(env: impl Fn(&str) -> Option<String>) -> Look {
        let colour = env("NO_COLOR").is_none_or(|v| v.is_empty());
        // Whether the client is a Windows console cannot be told from what
        // ssh sends (no WT_SESSION): that rule is the client's to ask for.
        let ascii = crate::tui::glyphs::wanted_by_terminal(false, &env, false);
        Look { colour, ascii }
    }
}

/// What a served screen needs to open.
pub struct ScreenSpec {
    pub db: PathBuf,
    pub role: Role,
    /// How the screen is named to the others (who chairs).
    pub label: String,
    /// Whose drafts it keeps: the SSH key's, so the same person
    /// reconnecting, in whatever role, is offered back what they typed.
    pub draft_key: String,
    /// How the client's terminal wants the screen drawn.
    pub look: Look,
    pub size: (u16, u16),
    pub idle: Option<Duration>,
    pub chair_stale: Duration,
}

/// Runs one served screen to its end: `q`, the connection closing, the
/// idle timeout or the server stopping (`stop`). The chair is handed back
/// and the draft kept, as when a local terminal closes.
pub fn run(spec: ScreenSpec, input: Receiver<Input>, mut output: ChannelWriter, stop: &AtomicBool) -> Result<()> {
    let (mut store, mut session) = match open(&spec) {
        Ok(opened) => opened,
        Err(e) => {
            // Said to the person connecting as well as in the server's log.
            let said = crate::domain::sanitize::clean(&e.to_string());
            let _ = std::io::Write::write_all(&mut output, format!("qprm: {said}\r\n").as_bytes());
            let _ = std::io::Write::flush(&mut output);
            return Err(e);
        }
    };
    let (w, h) = spec.size;
    let backend = CrosstermBackend::new(output);
    let mut terminal =
        Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) })
            .map_err(|e| Error::io("starting the served screen", e))?;
    let _ = execute!(terminal.backend_mut(), EnterAlternateScreen, EnableBracketedPaste);
    let _ = terminal.hide_cursor();
    let _ = terminal.clear();
    let mut events = ChannelEvents::new(input, spec.idle);
    let result = session.run(&mut store, &mut terminal, &mut events, stop);
    let _ = terminal.show_cursor();
    let _ = execute!(terminal.backend_mut(), DisableBracketedPaste, LeaveAlternateScreen);
    result
}

/// The screen's own store connection, on the latest meeting, in its role.
fn open(spec: &ScreenSpec) -> Result<(Store, Session)> {
    let mut store = if spec.role == Role::Viewer {
        Store::open_read_only(&spec.db, "read-only", false)?
    } else {
        Store::open(&spec.db, spec.role.name())?
    };
    let mut mode = spec.role.mode();
    mode.ascii = spec.look.ascii;
    mode.read_only |= store.is_read_only();
    let meeting = store
        .latest_meeting()?
        .ok_or_else(|| Error::invalid("no meetings yet: create one with `qprm meeting new` on the server"))?;
    let opts = crate::tui::Options { colour: spec.look.colour, keep_backups: None, chair_stale: spec.chair_stale };
    let session = Session::start_as(
        &mut store,
        meeting.id,
        mode,
        opts,
        Some(Named { label: &spec.label, draft_key: &spec.draft_key }),
    )?;
    Ok((store, session))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn the_clients_terminal_chooses_colour_and_glyphs() {
        let look = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            Look::from_client(|k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
        };
        assert_eq!(look(&[("TERM", "xterm-256color")]), Look { colour: true, ascii: false });
        assert_eq!(look(&[("TERM", "linux")]), Look { colour: true, ascii: true });
        assert_eq!(look(&[("TERM", "linux"), ("QPRM_ASCII", "0")]), Look { colour: true, ascii: false });
        assert_eq!(look(&[("QPRM_ASCII", "1")]), Look { colour: true, ascii: true });
        assert_eq!(look(&[("NO_COLOR", "1")]), Look { colour: false, ascii: false });
        assert_eq!(look(&[("NO_COLOR", "")]), Look { colour: true, ascii: false }, "empty NO_COLOR is unset");
    }

    fn keys(chunks: &[&[u8]]) -> Vec<Event> {
        let mut parser = KeyParser::default();
        let mut out = VecDeque::new();
        for c in chunks {
            parser.feed(c, &mut out);
        }
        out.into()
    }

    fn code(e: &Event) -> KeyCode {
        match e {
            Event::Key(k) => k.code,
            other => panic!("not a key: {other:?}"),
        }
    }

    #[test]
    fn bytes_become_the_keys_a_local_terminal_gives() {
        let got = keys(&[b"a]\x1b[A\x1b[6~\t\r\x7f"]);
        let codes: Vec<KeyCode> = got.iter().map(code).collect();
        assert_eq!(
            codes,
            [
                KeyCode::Char('a'),
                KeyCode::Char(']'),
                KeyCode::Up,
                KeyCode::PageDown,
                KeyCode::Tab,
                KeyCode::Enter,
                KeyCode::Backspace
            ]
        );
    }

    #[test]
    fn a_lone_escape_is_esc_and_a_split_sequence_waits() {
        assert_eq!(keys(&[b"\x1b"]).iter().map(code).collect::<Vec<_>>(), [KeyCode::Esc]);
        assert_eq!(keys(&[b"\x1b[", b"B"]).iter().map(code).collect::<Vec<_>>(), [KeyCode::Down]);
        let ctrl_c = keys(&[b"\x03"]);
        match &ctrl_c[0] {
            Event::Key(k) => assert!(k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bracketed_paste_is_one_event() {
        let got = keys(&[b"\x1b[200~two\rlines", b"\x1b[201~"]);
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0], Event::Paste(t) if t == "two\rlines"), "{got:?}");
    }

    #[test]
    fn a_closed_connection_closes_the_screen_and_resizes_pass_through() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut events = ChannelEvents::new(rx, None);
        tx.send(Input::Resize(100, 30)).unwrap();
        tx.send(Input::Bytes(b"q".to_vec())).unwrap();
        assert!(matches!(events.next(Duration::ZERO).unwrap(), Polled::Event(Event::Resize(100, 30))));
        assert!(matches!(events.next(Duration::from_millis(10)).unwrap(), Polled::Event(Event::Key(_))));
        assert!(matches!(events.next(Duration::from_millis(10)).unwrap(), Polled::Idle));
        drop(tx);
        assert!(matches!(events.next(Duration::from_millis(10)).unwrap(), Polled::Closed));
    }

    #[test]
    fn an_idle_screen_closes() {
        let (_tx, rx) = std::sync::mpsc::channel();
        let mut events = ChannelEvents::new(rx, Some(Duration::from_millis(20)));
        assert!(matches!(events.next(Duration::from_millis(1)).unwrap(), Polled::Idle));
        std::thread::sleep(Duration::from_millis(25));
        assert!(matches!(events.next(Duration::from_millis(1)).unwrap(), Polled::Closed));
    }
}
