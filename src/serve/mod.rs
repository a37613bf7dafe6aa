//! `qprm serve`: the meeting screen over SSH for the other laptops in the
//! room. Each connection that asks for a terminal gets its own meeting
//! screen (the same code as a local one) on its own thread and its own
//! store connection; tokio and russh stay inside this module.

mod handler;
pub mod keys;
pub mod role;
pub mod screen;

use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::store::Store;
use handler::{Server, Shared, log};
use keys::{AuthorizedKeys, fingerprint};
use role::Role;
use russh::server::Server as _;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// The default address: this machine only, until `--listen` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:2222";
pub const DEFAULT_MAX_SESSIONS: usize = 16;
/// An editing or viewing screen nobody has typed in for this long is
/// closed (its draft kept, the chair handed back); projectors are exempt.
pub const DEFAULT_IDLE_SECS: u64 = 4 * 3600;
/// How long stopping waits for screens to hand back the chair.
const STOP_GRACE: Duration = Duration::from_secs(10);
/// A silent connection is probed this often; three unanswered probes
/// close it as dropped.
const KEEPALIVE: Duration = Duration::from_secs(15);

pub struct ServeOptions {
    pub listen: String,
    pub authorized_keys: Option<PathBuf>,
    pub max_sessions: usize,
    /// `None`: never closed for idleness.
    pub idle: Option<Duration>,
    pub print_invite: bool,
    pub chair_stale: Duration,
    /// Automatic backups kept; one is taken (or a recent one reused) when
    /// the server starts, as when a local screen opens.
    pub keep_backups: usize,
}

fn parse_listen(listen: &str) -> Result<SocketAddr> {
    listen.parse().map_err(|_| {
        Error::invalid(format!(
            "--listen {}: expected ADDRESS:PORT, such as 127.0.0.1:2222 or 0.0.0.0:2222",
            clean(listen)
        ))
    })
}

/// The name other machines reach this one by, for the invitation.
fn host_for(addr: &SocketAddr) -> String {
    if !addr.ip().is_unspecified() {
        return addr.ip().to_string();
    }
    let name = std::env::var("QPRM_SERVE_HOST")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|n| clean(n.trim()))
        .filter(|n| !n.is_empty());
    name.unwrap_or_else(|| "THIS-MACHINE".into())
}

/// The lines to paste into an invitation: one `ssh` command per role and
/// the fingerprint to check on first connection.
pub fn invite(addr: &SocketAddr, host_fingerprint: &str) -> Vec<String> {
    let host = host_for(addr);
    let port = addr.port();
    let mut lines =
        vec![format!("Join the meeting from a terminal (Windows Terminal, macOS Terminal, any Linux terminal):")];
    for role in Role::ALL {
        let what = match role {
            Role::Chair => "the chair",
            Role::Minutes => "the minute-taker",
            Role::Projector => "the projector (follows the chair)",
            Role::Viewer => "look things up, read-only",
        };
        lines.push(format!("  ssh -p {port} {}@{host}    # {what}", role.name()));
    }
    lines.push(format!("The first time, ssh asks you to confirm the server's key: it must be {host_fingerprint}"));
    lines
}

pub fn run(db: &Path, opts: ServeOptions, out: &mut dyn Write) -> Result<()> {
    let addr = parse_listen(&opts.listen)?;
    let shown_db = clean(&db.display().to_string());
    if !db.exists() {
        return Err(Error::invalid(format!("no database at {shown_db}: import packs first, or pass --db")));
    }
    let keys_path = opts.authorized_keys.clone().unwrap_or_else(|| keys::default_authorized_keys(db));
    let keys = AuthorizedKeys::read(&keys_path)?;
    let (host_key, fresh) = keys::host_key(&keys::host_key_path(db))?;
    let print = fingerprint(host_key.public_key());
    let write = |out: &mut dyn Write, line: String| out.write_all(format!("{line}\n").as_bytes());
    if opts.print_invite {
        for line in invite(&addr, &print) {
            write(out, line).map_err(|e| Error::io("writing", e))?;
        }
        return Ok(());
    }
    // The database is checked (and migrated) once here, so a foreign or
    // newer file is refused before anyone connects.
    {
        let store = Store::open(db, "serve")?;
        if store.latest_meeting()?.is_none() {
            return Err(Error::invalid(format!(
                "no meetings yet in {shown_db}: create one with `qprm meeting new --date YYYY-MM-DD --period YYYY-MM`"
            )));
        }
        if opts.keep_backups > 0 {
            match crate::tui::live::backup_on_open(&store, opts.keep_backups) {
                Ok(b) => log(&format!("backup: {}", b.path.display())),
                Err(e) => log(&format!("backup failed: {e}")),
            }
        }
    }
    let listener = std::net::TcpListener::bind(addr).map_err(|e| Error::io(format!("listening on {addr}"), e))?;
    listener.set_nonblocking(true).map_err(|e| Error::io("listening", e))?;
    let bound = listener.local_addr().map_err(|e| Error::io("listening", e))?;
    let status = [
        format!("qprm serve: the meeting in {shown_db} on {bound}"),
        format!(
            "host key {print}{} ({})",
            if fresh { ", new" } else { "" },
            clean(&keys::host_key_path(db).display().to_string())
        ),
        format!("{} key(s) from {}", keys.keys.len(), clean(&keys_path.display().to_string())),
        "Ctrl-C or SIGTERM stops it: every screen hands back the chair and keeps its draft.".into(),
    ];
    for line in status {
        write(out, line).map_err(|e| Error::io("writing", e))?;
    }
    let _ = out.flush();

    let config = russh::server::Config {
        methods: russh::MethodSet::from(&[russh::MethodKind::PublicKey][..]),
        keys: vec![host_key],
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        // A projector's client sends nothing for hours: the connection is
        // judged by keepalives, and idleness by the screen (keys).
        inactivity_timeout: None,
        keepalive_interval: Some(KEEPALIVE),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    };
    let shared = Arc::new(Shared {
        db: db.to_path_buf(),
        keys,
        max_sessions: opts.max_sessions.max(1),
        idle: opts.idle,
        chair_stale: opts.chair_stale,
        stop: Arc::new(AtomicBool::new(false)),
        sessions: AtomicUsize::new(0),
        threads: std::sync::Mutex::new(Vec::new()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the server's runtime", e))?;
    let served = Arc::clone(&shared);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| Error::io("listening", e))?;
        let mut server = Server { shared: Arc::clone(&served) };
        let running = server.run_on_socket(Arc::new(config), &listener);
        let handle = running.handle();
        tokio::select! {
            result = running => result.map_err(|e| Error::io("serving", e))?,
            _ = stop_signal() => {
                log("stopping: screens hand back the chair and keep their drafts");
                served.stop.store(true, Ordering::SeqCst);
                let waiting = Arc::clone(&served);
                let _ = tokio::task::spawn_blocking(move || wait_for_screens(&waiting)).await;
                // The screens' last bytes (leaving the alternate screen) and
                // their channels' close go out before the disconnect.
                tokio::time::sleep(Duration::from_millis(200)).await;
                handle.shutdown("the meeting server stopped".into());
            }
        }
        Ok::<(), Error>(())
    })?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

/// Joins the screens' threads, each ending within a tick of `stop`.
fn wait_for_screens(shared: &Shared) {
    let threads = shared.threads.lock().map(|mut t| std::mem::take(&mut *t)).unwrap_or_default();
    let deadline = std::time::Instant::now() + STOP_GRACE;
    for thread in threads {
        while !thread.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

/// Ctrl-C, or SIGTERM (systemd stopping the service).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::terminate()), signal(SignalKind::hangup())) {
            (Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                    _ = hup.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
