//! Whole-process timings of the meeting screen on the 10-year / 1M-action
//! database, measured from outside as a person sees them: from exec to the
//! first frame on a pseudo-terminal (read through a VT100 emulator), and
//! the screen's peak memory (VmHWM) after moving through every service and
//! section. Two cases: the first screen of the day, whose opening backup
//! copies the whole file alongside, and a later one, which reuses it.
//! Run with `cargo bench --bench startup` (RUNS=n to change the count).

mod common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ROWS: u16 = 48;
const COLS: u16 = 160;

struct Run {
    first_frame: Duration,
    peak_kb: u64,
}

fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Opens the chair's screen on `db`, waits for the first frame, walks every
/// service and section, reads the peak memory, then ends it with SIGTERM
/// (handled like q: chair handed back, terminal restored).
fn one_run(db: &Path) -> Run {
    let pair = native_pty_system()
        .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
        .expect("pseudo-terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_qprm"));
    cmd.args(["--db", &db.display().to_string()]);
    cmd.env("TERM", "xterm-256color");
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (seen_tx, seen_rx) = mpsc::channel::<(String, Instant)>();
    let (want_tx, want_rx) = mpsc::channel::<String>();
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn qprm");
    drop(pair.slave);
    // The emulator runs on its own thread and reports the moment each
    // awaited text first appears.
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        let mut buf = [0u8; 65536];
        let mut want: Option<String> = None;
        loop {
            if want.is_none() {
                want = want_rx.try_recv().ok();
            }
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => parser.process(&buf[..n]),
            }
            if let Some(w) = &want
                && parser.screen().contents().contains(w.as_str())
            {
                let _ = seen_tx.send((w.clone(), Instant::now()));
                want = None;
            }
        }
    });
    let wait = |text: &str| -> Instant {
        want_tx.send(text.to_string()).expect("emulator thread");
        let (_, at) = seen_rx.recv_timeout(Duration::from_secs(60)).expect("the screen to show its first frame");
        at
    };
    let first = wait("Agenda overview");
    let pid = child.process_id().expect("pid");
    // Every agenda item and every section: what a meeting shows.
    for _ in 0..12 {
        for key in ["]", "1", "2", "3", "4", "5"] {
            writer.write_all(key.as_bytes()).expect("key");
            writer.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    let peak = peak_kb(pid);
    let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = child.wait();
    Run { first_frame: first - start, peak_kb: peak }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes criterion-style flags; a plain harness ignores them.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(11);
    // A private copy: the runs clear its backups folder, which must never
    // be a real database's.
    let dir = tempfile::tempdir_in(common::bench_dir()).expect("temp dir");
    let db = common::copy_of_big_db(dir.path());
    let backups = qprm::tui::live::backup_dir(&db);
    println!("meeting screen on {} ({} runs each, {COLS}x{ROWS})", db.display(), runs);
    println!("{:<48} {:>12} {:>12} {:>14}", "case", "first frame", "(min)", "peak memory");
    for (case, fresh_backup) in
        [("first screen of the day (backup alongside)", true), ("later screens (backup reused)", false)]
    {
        if !fresh_backup {
            // One finished backup, as the first screen of the day leaves; the
            // runs above were ended before theirs finished.
            let _ = std::fs::remove_dir_all(&backups);
            let store = qprm::store::Store::open(&db, "bench").expect("open");
            qprm::tui::live::backup_on_open(&store, 10).expect("taking today's backup");
        }
        let mut frames = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..runs {
            if fresh_backup {
                let _ = std::fs::remove_dir_all(&backups);
            }
            let r = one_run(&db);
            frames.push(r.first_frame.as_secs_f64() * 1000.0);
            peaks.push(r.peak_kb as f64 / 1024.0);
        }
        let min = frames.iter().cloned().fold(f64::INFINITY, f64::min);
        println!("{case:<48} {:>9.1} ms {:>9.1} ms {:>11.1} MB", median(frames), min, median(peaks));
    }
}
