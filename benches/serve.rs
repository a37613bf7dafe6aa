//! Keystroke to screen over SSH on loopback, measured from outside as a
//! person sees it: the system `ssh` client in a pseudo-terminal, a key
//! written to it, and the moment the VT100 emulator shows the screen it
//! leads to (the next / previous agenda item, which loads that service from
//! the store). The same keys on a local screen give the baseline; the goal
//! for the served screen is under 30 ms.
//! Run with `cargo bench --bench serve` (RUNS=n to change the count).
//! Needs `ssh` and `ssh-keygen`; says SKIPPED without them.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// A program in a terminal, with an emulator thread that reports when an
/// awaited text first appears.
struct Screen {
    writer: Box<dyn Write + Send>,
    want: mpsc::Sender<String>,
    seen: mpsc::Receiver<Instant>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Screen {
    fn spawn(cmd: CommandBuilder) -> Screen {
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (want_tx, want_rx) = mpsc::channel::<String>();
        let (seen_tx, seen_rx) = mpsc::channel::<Instant>();
        std::thread::spawn(move || {
            let mut parser = vt100::Parser::new(ROWS, COLS, 0);
            let mut buf = [0u8; 65536];
            let mut want: Option<String> = None;
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                parser.process(&buf[..n]);
                while let Ok(w) = want_rx.try_recv() {
                    want = Some(w);
                }
                if want.as_ref().is_some_and(|w| parser.screen().contents().contains(w.as_str())) {
                    want = None;
                    if seen_tx.send(Instant::now()).is_err() {
                        return;
                    }
                }
            }
        });
        Screen { writer, want: want_tx, seen: seen_rx, child, _master: pair.master }
    }

    /// Writes `key` and returns how long until `text` is on the screen.
    fn press(&mut self, key: &str, text: &str) -> Duration {
        self.want.send(text.to_string()).expect("emulator");
        let start = Instant::now();
        self.writer.write_all(key.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        let seen = self.seen.recv_timeout(Duration::from_secs(20)).expect("the screen never showed it");
        seen.duration_since(start)
    }

    fn wait_for(&mut self, text: &str) {
        self.press("", text);
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-V").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn ms(d: &[Duration], q: f64) -> f64 {
    let mut v: Vec<f64> = d.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// Alternates `]` and `[` between the first two agenda items.
fn measure(screen: &mut Screen, runs: usize) -> Vec<Duration> {
    screen.press("]", "1/7");
    // Warm-up: both services loaded once.
    screen.press("]", "2/7");
    screen.press("[", "1/7");
    let mut times = Vec::with_capacity(runs * 2);
    for _ in 0..runs {
        times.push(screen.press("]", "2/7"));
        std::thread::sleep(Duration::from_millis(20));
        times.push(screen.press("[", "1/7"));
        std::thread::sleep(Duration::from_millis(20));
    }
    times
}

fn report(case: &str, times: &[Duration]) {
    println!(
        "{case:<34} {:>8.1} ms {:>8.1} ms {:>8.1} ms {:>8.1} ms",
        ms(times, 0.5),
        ms(times, 0.95),
        ms(times, 0.0),
        ms(times, 1.0)
    );
}

fn main() {
    // `cargo bench` passes criterion-style flags; a plain harness ignores them.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if !tool("ssh") {
        println!("SKIPPED: the OpenSSH client (ssh) is not installed");
        return;
    }
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(50);
    let qprm = env!("CARGO_BIN_EXE_qprm");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("qprm.db");
    {
        let mut store = qprm::store::Store::open(&db, "bench").expect("open");
        qprm::samples::load_samples(&mut store).expect("samples");
    }
    let key = dir.path().join("bench-key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        println!("SKIPPED: ssh-keygen is not installed or failed");
        return;
    }
    let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
    std::fs::write(dir.path().join("qprm.db.authorized_keys"), public).expect("authorized keys");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("port").port();
    let mut server = Command::new(qprm)
        .args(["--db", &db.display().to_string(), "serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("QPRM_KEEP_BACKUPS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("qprm serve");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "qprm serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    println!("keystroke to screen, {runs}×2 agenda moves each, {COLS}x{ROWS}");
    println!("{:<34} {:>11} {:>11} {:>11} {:>11}", "case", "median", "p95", "min", "max");
    served_case(&key, port, runs);
    let mut chair = CommandBuilder::new(qprm);
    chair.args(["--db", &db.display().to_string()]);
    chair.env("TERM", "xterm-256color");
    chair.env("QPRM_KEEP_BACKUPS", "0");
    let mut screen = Screen::spawn(chair);
    screen.wait_for("CHAIR");
    let times = measure(&mut screen, runs);
    report("local screen (baseline)", &times);
    drop(screen);
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let _ = server.wait();
}

fn served_case(key: &Path, port: u16, runs: usize) {
    let mut ssh = CommandBuilder::new("ssh");
    ssh.args(["-F", "/dev/null", "-t", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]);
    ssh.args(["-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i"]);
    ssh.arg(key.display().to_string());
    ssh.args(["-p", &port.to_string(), "chair@127.0.0.1"]);
    ssh.env("TERM", "xterm-256color");
    let mut screen = Screen::spawn(ssh);
    screen.wait_for("CHAIR");
    let times = measure(&mut screen, runs);
    report("served over SSH (chair@, loopback)", &times);
    screen.writer.write_all(b"q").ok();
    std::thread::sleep(Duration::from_millis(100));
    screen.writer.write_all(b"y").ok();
    std::thread::sleep(Duration::from_millis(500));
}
