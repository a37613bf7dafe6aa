//! The SSH side of `qprm serve`: who gets in (keys from the authorized-keys
//! file, the role by login name), what a connection may ask for (a
//! terminal and a shell; no exec, subsystem, forwarding or X11), and the
//! bridge from a connection to its screen's thread.

use super::keys::{AuthorizedKeys, fingerprint};
use super::role::Role;
use super::screen::{self, ChannelWriter, Input, ScreenSpec};
use crate::domain::sanitize::clean;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, Pty};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Input allowed per connection: a steady rate and a burst (a pasted
/// paragraph). A typist sends tens of bytes a second; beyond this, bytes
/// are dropped and the drop logged.
pub const INPUT_BYTES_PER_SEC: f64 = 8.0 * 1024.0;
pub const INPUT_BURST: f64 = 64.0 * 1024.0;

/// What every connection shares.
pub struct Shared {
    pub db: PathBuf,
    pub keys: AuthorizedKeys,
    pub max_sessions: usize,
    pub idle: Option<Duration>,
    pub chair_stale: Duration,
    /// Set when the server stops: every screen ends as on `q`.
    pub stop: Arc<AtomicBool>,
    pub sessions: AtomicUsize,
    /// Screens' threads, joined when the server stops.
    pub threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

pub struct Server {
    pub shared: Arc<Shared>,
}

impl russh::server::Server for Server {
    type Handler = Connection;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> Connection {
        Connection {
            shared: Arc::clone(&self.shared),
            peer: peer.map_or_else(|| "unknown address".to_string(), |p| p.to_string()),
            role: None,
            who: String::new(),
            client_env: Vec::new(),
            key_print: String::new(),
            channel: None,
            size: None,
            input: None,
            budget: INPUT_BURST,
            refilled: Instant::now(),
            dropped: 0,
        }
    }

    fn handle_session_error(&mut self, error: russh::Error) {
        log(&format!("a connection ended with an error: {error}"));
    }
}

/// One SSH connection: at most one screen.
pub struct Connection {
    shared: Arc<Shared>,
    peer: String,
    role: Option<Role>,
    /// The key's comment, for logs and the chair's label.
    who: String,
    /// What the client said of its terminal: `TERM` from its pty request,
    /// and `NO_COLOR` / `QPRM_ASCII` if it sends them (`ssh -o SetEnv=…`).
    client_env: Vec<(String, String)>,
    /// The accepted key's fingerprint: whose drafts a screen keeps.
    key_print: String,
    channel: Option<ChannelId>,
    size: Option<(u16, u16)>,
    /// To the screen's thread; dropped with the connection, which the
    /// screen sees as its terminal closing.
    input: Option<std::sync::mpsc::Sender<Input>>,
    budget: f64,
    refilled: Instant,
    dropped: u64,
}

/// Server log lines go to stderr, sanitised: names come from clients.
pub fn log(line: &str) {
    eprintln!("qprm serve: {}", clean(line));
}

impl Connection {
    fn remember(&mut self, name: &str, value: &str) {
        let value: String = value.chars().take(64).collect();
        self.client_env.retain(|(n, _)| n != name);
        self.client_env.push((name.to_string(), value));
    }

    /// May this key log in as `user`? Logs every refusal with the key's
    /// fingerprint, so the person can be told which key to send.
    fn check(&self, user: &str, key: &russh::keys::PublicKey, log_refusal: bool) -> Option<(Role, String)> {
        let print = fingerprint(key);
        let Some(entry) = self.shared.keys.find(key) else {
            if log_refusal {
                log(&format!("refused unknown key {print} for {user}@ from {}", self.peer));
            }
            return None;
        };
        let Some(role) = Role::from_login(user) else {
            if log_refusal {
                log(&format!(
                    "refused {user}@ from {} ({}): log in as one of {}",
                    self.peer,
                    entry.comment,
                    Role::names().join(", ")
                ));
            }
            return None;
        };
        if !entry.allows(role) {
            if log_refusal {
                log(&format!(
                    "refused {user}@ for key {print} ({}, line {}) from {}: its roles= does not include {user}",
                    entry.comment, entry.line, self.peer
                ));
            }
            return None;
        }
        Some((role, entry.comment.clone()))
    }

    /// True if `n` more bytes fit this second's allowance.
    fn allow_input(&mut self, n: usize) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.refilled).as_secs_f64() * INPUT_BYTES_PER_SEC;
        self.budget = (self.budget + refill).min(INPUT_BURST);
        self.refilled = now;
        if (n as f64) <= self.budget {
            self.budget -= n as f64;
            return true;
        }
        if self.dropped == 0 {
            log(&format!("input from {} over {} bytes a second: dropping the excess", self.peer, INPUT_BYTES_PER_SEC));
        }
        self.dropped += n as u64;
        false
    }

    /// Says `message` to the client and closes its channel.
    fn refuse(session: &mut Session, channel: ChannelId, message: &str) -> Result<(), russh::Error> {
        session.data(channel, format!("{message}\r\n").into_bytes())?;
        session.exit_status_request(channel, 1)?;
        session.eof(channel)?;
        session.close(channel)
    }

    fn start_screen(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        let Some(role) = self.role else { return Self::refuse(session, channel, "not logged in") };
        let Some(size) = self.size else {
            return Self::refuse(
                session,
                channel,
                "qprm serve shows the meeting screen and needs a terminal: connect with `ssh -t`",
            );
        };
        if self.input.is_some() {
            return Self::refuse(session, channel, "one meeting screen per connection");
        }
        let shared = Arc::clone(&self.shared);
        if shared.sessions.fetch_add(1, Ordering::SeqCst) >= shared.max_sessions {
            shared.sessions.fetch_sub(1, Ordering::SeqCst);
            log(&format!("refused {}@ from {}: already {} screens open", role.name(), self.peer, shared.max_sessions));
            return Self::refuse(
                session,
                channel,
                &format!("The meeting already has {} screens open (qprm serve --max-sessions).", shared.max_sessions),
            );
        }
        let (in_tx, in_rx) = std::sync::mpsc::channel();
        let (out_tx, mut out_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(64);
        self.input = Some(in_tx);
        let handle = session.handle();
        // Frames from the screen's thread down the channel; when the screen
        // ends (its writer dropped), the client is told and the channel closed.
        tokio::spawn(async move {
            while let Some(frame) = out_rx.recv().await {
                if handle.data(channel, frame).await.is_err() {
                    return;
                }
            }
            let _ = handle.exit_status_request(channel, 0).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        });
        let who = if self.who.is_empty() { "unnamed key".to_string() } else { self.who.clone() };
        let spec = ScreenSpec {
            db: shared.db.clone(),
            role,
            label: format!("{}@ over SSH ({who}, {})", role.name(), self.peer),
            draft_key: format!("ssh key {}", self.key_print),
            look: super::screen::Look::from_client(|k| {
                self.client_env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
            }),
            size,
            idle: if role.typed_on() { shared.idle } else { None },
            chair_stale: shared.chair_stale,
        };
        let peer = self.peer.clone();
        log(&format!("{}@ opened from {peer} ({who})", role.name()));
        let thread_shared = Arc::clone(&shared);
        let spawned = std::thread::Builder::new().name(format!("qprm-serve-{}", role.name())).spawn(move || {
            let writer = ChannelWriter::new(out_tx);
            let result = screen::run(spec, in_rx, writer, &thread_shared.stop);
            thread_shared.sessions.fetch_sub(1, Ordering::SeqCst);
            match result {
                Ok(()) => log(&format!("{}@ from {peer} closed; its draft is kept", role.name())),
                Err(e) => log(&format!("{}@ from {peer} ended: {e}", role.name())),
            }
        });
        match spawned {
            Ok(thread) => {
                if let Ok(mut threads) = shared.threads.lock() {
                    threads.retain(|t| !t.is_finished());
                    threads.push(thread);
                }
                Ok(())
            }
            Err(e) => {
                shared.sessions.fetch_sub(1, Ordering::SeqCst);
                self.input = None;
                Self::refuse(session, channel, &format!("could not open a screen: {e}"))
            }
        }
    }
}

/// A terminal's size from the client's numbers, within what ratatui draws.
fn size(cols: u32, rows: u32) -> (u16, u16) {
    (cols.clamp(1, 1000) as u16, rows.clamp(1, 1000) as u16)
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey_offered(&mut self, user: &str, offer: PublicKeyOffer<'_>) -> Result<Auth, Self::Error> {
        // Unknown keys are logged here: a refused offer never reaches
        // auth_publickey. A client offers each of its keys in turn.
        Ok(match self.check(user, offer.public_key, true) {
            Some(_) => Auth::Accept,
            None => Auth::reject(),
        })
    }

    async fn auth_publickey(&mut self, user: &str, key: VerifiedPublicKey<'_>) -> Result<Auth, Self::Error> {
        Ok(match self.check(user, key.public_key, true) {
            Some((role, who)) => {
                self.role = Some(role);
                self.who = who;
                self.key_print = fingerprint(key.public_key);
                Auth::Accept
            }
            None => Auth::reject(),
        })
    }

    async fn auth_password(&mut self, user: &str, _password: &str) -> Result<Auth, Self::Error> {
        log(&format!("refused a password for {user}@ from {}: keys only", self.peer));
        Ok(Auth::reject())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One screen per connection; dropping the handle refuses.
            return Ok(());
        }
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel {
            return session.channel_failure(channel);
        }
        self.size = Some(size(cols, rows));
        self.remember("TERM", term);
        session.channel_success(channel)
    }

    /// Only the variables that say how to draw are kept, and only a few
    /// bytes of each; every other one is ignored, as OpenSSH's AcceptEnv
    /// ignores what it does not list.
    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || !matches!(name, "NO_COLOR" | "QPRM_ASCII") {
            return session.channel_failure(channel);
        }
        self.remember(name, value);
        session.channel_success(channel)
    }

    async fn shell_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        if Some(channel) != self.channel {
            return session.channel_failure(channel);
        }
        session.channel_success(channel)?;
        self.start_screen(channel, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        log(&format!(
            "refused a command from {} ({}): {}",
            self.peer,
            self.who,
            String::from_utf8_lossy(&data[..data.len().min(200)])
        ));
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        log(&format!("refused subsystem {name} from {}", self.peer));
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn data(&mut self, channel: ChannelId, data: &[u8], _session: &mut Session) -> Result<(), Self::Error> {
        if Some(channel) == self.channel
            && self.allow_input(data.len())
            && let Some(input) = &self.input
        {
            let _ = input.send(Input::Bytes(data.to_vec()));
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) == self.channel {
            let (w, h) = size(cols, rows);
            self.size = Some((w, h));
            if let Some(input) = &self.input {
                let _ = input.send(Input::Resize(w, h));
            }
        }
        Ok(())
    }

    async fn channel_eof(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        if Some(channel) == self.channel {
            self.input = None;
        }
        Ok(())
    }

    async fn channel_close(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        if Some(channel) == self.channel {
            self.input = None;
        }
        Ok(())
    }
}
