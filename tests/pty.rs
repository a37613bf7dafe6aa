//! End to end: the real binary in a pseudo-terminal, read through a VT100
//! emulator, driven by keys as a minute-taker would.

mod common;

use common::{TODAY, TestDb, stdout_json};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    fn spawn(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let pair =
            native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_qprm"));
        cmd.args(args);
        cmd.env("QPRM_DB", &db.path);
        cmd.env("QPRM_TODAY", TODAY);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let feed = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Pty { parser, writer, child, _master: pair.master }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits (generously: CI machines are slow and shared) for text to appear.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // One key per read, as a person types: ESC followed by a letter
        // would otherwise parse as Alt+letter.
        std::thread::sleep(Duration::from_millis(30));
    }

    fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }

    fn wait_exit(&mut self) -> bool {
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

fn meeting_db() -> TestDb {
    let db = TestDb::with_fixtures();
    db.cmd()
        .args(["meeting", "new", "--date", "2023-11-14", "--period", "2023-10", "--chair", "Director"])
        .assert()
        .success();
    db
}

#[test]
fn step_to_the_third_service_record_an_action_quit_and_find_it() {
    let db = meeting_db();
    let mut pty = Pty::spawn(&db, &[], &[]);
    pty.wait_for("Agenda overview");
    for _ in 0..3 {
        pty.send("]");
    }
    pty.wait_for("3/7 Academy, Quality Assurance");
    pty.send("a");
    pty.wait_for("New action");
    pty.type_text("Refresh the audit tool with practice leads");
    pty.send("\t");
    pty.type_text("Principal Social Worker");
    pty.send("\t");
    pty.type_text("+2w");
    pty.wait_for("Due → Tue 28 Nov 2023");
    pty.send("\r");
    pty.wait_for("Saved action A1");
    pty.send("q");
    pty.wait_for("Quit the meeting?");
    pty.send("y");
    assert!(pty.wait_exit(), "clean exit");
    assert!(!pty.parser.lock().unwrap().screen().alternate_screen(), "terminal restored");

    let out = db.cmd().args(["actions", "--json"]).output().unwrap();
    let actions = stdout_json(&out);
    let a1 = actions.as_array().unwrap().iter().find(|a| a["ref"] == "A1").expect("A1 in the action log");
    assert_eq!(a1["text"], "Refresh the audit tool with practice leads");
    assert_eq!(a1["owner"], "Principal Social Worker");
    assert_eq!(a1["service"], "quality-assurance");
    assert_eq!(a1["due"], "2023-11-28");
    assert_eq!(a1["meeting"], 1);
}

#[test]
fn read_only_no_colour_screen_explains_and_changes_nothing() {
    let db = meeting_db();
    let before = db.snapshot();
    let mut pty = Pty::spawn(&db, &["--read-only"], &[("NO_COLOR", "1")]);
    pty.wait_for("READ-ONLY");
    pty.send("]");
    pty.wait_for("1/7 Corporate Parenting");
    assert!(pty.screen().contains("■ RED"), "RAG as symbol and word without colour");
    pty.send("a");
    pty.wait_for("Read-only: this screen cannot change the record");
    pty.send("q");
    pty.wait_for("Quit the meeting?");
    pty.send("y");
    assert!(pty.wait_exit());
    assert_eq!(db.snapshot(), before, "a read-only session writes nothing");
}
