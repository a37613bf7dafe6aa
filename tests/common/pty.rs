//! A pseudo-terminal harness: runs the real `qprm` binary, feeds its output
//! to a VT100 emulator, and waits for text to appear on the screen.

use super::{TODAY, TestDb};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, as the terminal received it.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

/// The binary under test. Cargo sets `CARGO_BIN_EXE_qprm` when it runs a
/// test as well as when it builds one; the value at run time wins, so a
/// test binary run by hand can be pointed at a copy of `qprm` (worktrees
/// sharing one target folder overwrite each other's `target/debug/qprm`).
pub fn qprm_binary() -> String {
    std::env::var("CARGO_BIN_EXE_qprm").unwrap_or_else(|_| env!("CARGO_BIN_EXE_qprm").to_string())
}

impl Pty {
    pub fn spawn(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Pty {
        Pty::spawn_wrapped(db, &[], args, env)
    }

    /// Runs qprm through `wrapper` (e.g. `setpriv … --` to run it as
    /// another user); an empty wrapper runs it directly.
    pub fn spawn_wrapped(db: &TestDb, wrapper: &[&str], args: &[&str], env: &[(&str, &str)]) -> Pty {
        let pair =
            native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
        let qprm = qprm_binary();
        let mut cmd = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut cmd = CommandBuilder::new(program);
                cmd.args(rest);
                cmd.arg(qprm);
                cmd
            }
            None => CommandBuilder::new(qprm),
        };
        cmd.args(args);
        cmd.env("QPRM_DB", &db.path);
        cmd.env("QPRM_TODAY", TODAY);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Pty::start(pair, cmd)
    }

    /// Runs any program (not qprm) in a terminal of its own, 24×80.
    pub fn spawn_program(program: &str, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let pair =
            native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Pty::start(pair, cmd)
    }

    fn start(pair: portable_pty::PtyPair, cmd: CommandBuilder) -> Pty {
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let feed = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&raw);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                keep.lock().unwrap().extend_from_slice(&buf[..n]);
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Pty { parser, raw, writer, child, master: pair.master }
    }

    /// Resizes the terminal (the program gets SIGWINCH) and its emulator.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.parser.lock().unwrap().screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    }

    /// The emulated screen's size: rows, columns.
    pub fn size(&self) -> (u16, u16) {
        self.parser.lock().unwrap().screen().size()
    }

    /// True once the program has exited.
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Every byte written to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// SIGKILL: the process gets no chance to tidy up.
    pub fn kill9(&mut self) {
        let status = std::process::Command::new("kill").args(["-9", &self.pid().to_string()]).status().unwrap();
        assert!(status.success());
        let _ = self.wait_exit();
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Rows the terminal had to fold because a line was wider than it.
    pub fn folded_rows(&self) -> Vec<u16> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        (0..screen.size().0).filter(|&r| screen.row_wrapped(r)).collect()
    }

    /// Waits (generously: CI machines are slow and shared) for text to appear.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // One key per read, as a person types: ESC followed by a letter
        // would otherwise parse as Alt+letter.
        std::thread::sleep(Duration::from_millis(30));
    }

    pub fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Waits for the process to end; true if it exited successfully.
    pub fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("qprm did not exit; screen:\n{}", self.screen());
    }
}

impl Drop for Pty {
    /// A screen a test leaves open must not outlive it (and hold a chair).
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
