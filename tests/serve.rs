//! `qprm serve` end to end: the real server on a loopback port, the
//! system OpenSSH client in a pseudo-terminal, and a local screen beside
//! them on the same database. Skipped (saying so) where `ssh` or
//! `ssh-keygen` is missing; CI installs openssh-client.

mod common;

use common::pty::{Pty, qprm_binary};
use common::{TODAY, TestDb};
use qprm::store::Store;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// True if the OpenSSH client tools are here; else says why the test skips.
fn ssh_tools() -> bool {
    for tool in ["ssh", "ssh-keygen"] {
        let found = Command::new(tool).arg("-V").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
        if !found && tool == "ssh" {
            println!("SKIPPED: the OpenSSH client (ssh) is not installed");
            return false;
        }
        // ssh-keygen has no -V: any run that starts will do.
        if tool == "ssh-keygen"
            && Command::new(tool).arg("-?").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err()
        {
            println!("SKIPPED: ssh-keygen is not installed");
            return false;
        }
    }
    true
}

/// A client key pair in `dir`; returns the private key's path.
fn keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ssh-keygen failed");
    path
}

fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub")).unwrap().trim().to_string()
}

/// `ssh-keygen -lf`'s SHA256 fingerprint of a key.
fn fingerprint(key: &Path) -> String {
    let out = Command::new("ssh-keygen").arg("-lf").arg(key.with_extension("pub")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split_whitespace().nth(1).unwrap().to_string()
}

struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `qprm serve` on a free loopback port with `keys` as its
    /// authorized-keys file, and waits until it accepts connections.
    fn start(db: &TestDb, keys: &str) -> Server {
        Server::start_with(db, keys, &[])
    }

    fn start_with(db: &TestDb, keys: &str, extra: &[&str]) -> Server {
        let keys_file = db.file("room.authorized_keys", keys);
        let log = db.dir.path().join("serve.log");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(qprm_binary())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--authorized-keys"])
            .arg(&keys_file)
            .args(extra)
            .env("QPRM_DB", &db.path)
            .env("QPRM_TODAY", TODAY)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let server = Server { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "qprm serve did not start: {}", server.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.log().contains(text) {
            assert!(Instant::now() < deadline, "the server never logged {text:?}; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn ssh_args(&self, key: &Path, login: &str) -> Vec<String> {
        [
            "-F",
            "/dev/null",
            "-t",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "PasswordAuthentication=no",
            "-i",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([key.display().to_string(), "-p".into(), self.port.to_string(), format!("{login}@127.0.0.1")])
        .collect()
    }

    /// The system ssh client in a terminal of its own.
    fn ssh(&self, key: &Path, login: &str) -> Pty {
        self.ssh_with(key, login, &[])
    }

    /// As `ssh`, with extra client options before the destination.
    fn ssh_with(&self, key: &Path, login: &str, extra: &[&str]) -> Pty {
        let mut args = self.ssh_args(key, login);
        let at = args.len() - 1;
        args.splice(at..at, extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Pty::spawn_program("ssh", &args, &[])
    }

    /// SIGTERM, as systemd stops a service; true if it exited cleanly.
    fn stop(&mut self) -> bool {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            assert!(Instant::now() < deadline, "qprm serve did not stop; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A meeting database with a chair's key (every role) and a minute-taker's
/// (minutes and viewer only) in its authorized-keys file.
fn room() -> Option<(TestDb, PathBuf, PathBuf, String)> {
    if !ssh_tools() {
        return None;
    }
    let db = TestDb::with_meeting();
    let chair = keygen(db.dir.path(), "chair-key");
    let minutes = keygen(db.dir.path(), "minutes-key");
    let keys = format!("# the meeting room\n{}\nroles=\"minutes,viewer\" {}\n", public(&chair), public(&minutes));
    Some((db, chair, minutes, keys))
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_action_recorded_over_ssh_shows_on_the_chairs_screen_and_a_local_one() {
    let Some((db, chair_key, minutes_key, keys)) = room() else { return };
    let mut server = Server::start(&db, &keys);
    let mut chair = server.ssh(&chair_key, "chair");
    chair.wait_for("CHAIR");
    let mut minutes = server.ssh(&minutes_key, "minutes");
    minutes.wait_for("MINUTES");
    let mut local = Pty::spawn(&db, &["--follow"], &[]);
    local.wait_for("FOLLOWING");

    // The chair moves to Corporate Parenting's actions; the local
    // follower goes with it.
    chair.send("]");
    chair.send("4");
    local.wait_for("1/7 Corporate Parenting");

    // The minute-taker's screen follows the chair there.
    minutes.wait_for("1/7 Corporate");
    minutes.send("a");
    minutes.type_text("Agreed over SSH: review placement stability");
    minutes.send("\t");
    minutes.type_text("Head of Service, Corporate Parenting");
    minutes.send("\t");
    minutes.type_text("2024-01-31");
    minutes.send("\r");
    minutes.wait_for("Saved action");
    chair.wait_for("Agreed over SSH: review placement");
    chair.wait_for("★ A1");
    chair.wait_for("Agreed over SSH");
    local.wait_for("Agreed over SSH");

    // The store says who recorded it: the minute-taker's screen.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let actor: String =
        conn.query_row("SELECT actor FROM action_history ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(actor, "minutes");

    for p in [&mut minutes, &mut local] {
        p.send("q");
        p.send("y");
    }
    assert!(local.wait_exit());
    wait_until("the minute-taker's ssh exits", || minutes.exited());
    assert!(server.stop(), "log:\n{}", server.log());
    // Stopping handed the chair back.
    let store = Store::open(&db.path, "test").unwrap();
    assert!(store.presence(1).unwrap().is_none(), "the chair is still held");
    wait_until("the chair's ssh exits", || chair.exited());
}

#[test]
fn a_key_without_the_chair_role_is_refused_the_chair() {
    let Some((db, _chair_key, minutes_key, keys)) = room() else { return };
    let server = Server::start(&db, &keys);
    let out = Command::new("ssh")
        .args(server.ssh_args(&minutes_key, "chair"))
        .arg("-o")
        .arg("BatchMode=yes")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Permission denied"), "{out:?}");
    server.wait_log("its roles= does not include chair");
    // The same key is let in where its roles allow.
    let mut viewer = server.ssh(&minutes_key, "viewer");
    viewer.wait_for("READ-ONLY");
    viewer.send("q");
    viewer.send("y");
    wait_until("the viewer's ssh exits", || viewer.exited());
}

#[test]
fn unknown_keys_and_passwords_are_refused() {
    let Some((db, _chair_key, _minutes_key, keys)) = room() else { return };
    let server = Server::start(&db, &keys);
    let stranger = keygen(db.dir.path(), "stranger-key");
    let out = Command::new("ssh")
        .args(server.ssh_args(&stranger, "chair"))
        .args(["-o", "BatchMode=yes"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Permission denied"), "{out:?}");
    server.wait_log(&format!("refused unknown key {}", fingerprint(&stranger)));

    let out = Command::new("ssh")
        .args(server.ssh_args(&stranger, "chair"))
        .args(["-o", "PreferredAuthentications=password", "-o", "PasswordAuthentication=yes", "-o", "BatchMode=yes"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Permission denied") || said.contains("No more authentication methods"), "{said}");
    // No method but publickey is even offered.
    assert!(said.contains("(publickey)") || said.contains("No more authentication methods"), "{said}");
}

#[test]
fn a_resize_redraws_the_served_screen() {
    let Some((db, chair_key, _minutes_key, keys)) = room() else { return };
    let server = Server::start(&db, &keys);
    let mut chair = server.ssh(&chair_key, "chair");
    chair.wait_for("CHAIR");
    let rows_used = |p: &Pty| p.screen().lines().count();
    assert!(rows_used(&chair) <= 24);
    chair.resize(40, 120);
    // The footer is drawn on the new last rows.
    wait_until("the screen is redrawn at 40 rows", || rows_used(&chair) > 30);
    chair.send("q");
    chair.send("y");
    wait_until("the chair's ssh exits", || chair.exited());
}

/// A served screen draws the way the client's terminal asks, as a local
/// one does: plain glyphs for `QPRM_ASCII=1` (sent with `SetEnv`) or a
/// Linux console; the default is the Unicode screen.
#[test]
fn a_served_screen_draws_plain_glyphs_when_the_client_asks() {
    let Some((db, chair_key, _minutes_key, keys)) = room() else { return };
    let server = Server::start(&db, &keys);
    let mut plain = server.ssh_with(&chair_key, "viewer", &["-o", "SetEnv=QPRM_ASCII=1"]);
    plain.wait_for("READ-ONLY");
    plain.wait_for("? help | q quit");
    assert!(plain.screen().is_ascii(), "{}", plain.screen());
    let mut fancy = server.ssh(&chair_key, "viewer");
    fancy.wait_for("? help · q quit");
    for p in [&mut plain, &mut fancy] {
        p.send("q");
        p.send("y");
        wait_until("ssh exits", || p.exited());
    }
}

#[test]
fn killing_a_client_leaves_the_chair_free_and_its_draft_kept() {
    let Some((db, chair_key, _minutes_key, keys)) = room() else { return };
    let server = Server::start(&db, &keys);
    let mut chair = server.ssh(&chair_key, "chair");
    chair.wait_for("CHAIR");
    chair.send("d");
    chair.type_text("Typed as the wifi dropped");
    // Drafts belong to who typed them: over SSH, the key.
    let mine = format!("ssh key {}", fingerprint(&chair_key));
    let watcher = Store::open(&db.path, "test").unwrap();
    wait_until("the typed text is autosaved", || {
        watcher.draft(1, &mine).unwrap().is_some_and(|(_, _, f)| f[0] == "Typed as the wifi dropped")
    });
    assert!(watcher.presence(1).unwrap().is_some());
    chair.kill9();
    wait_until("the chair is handed back", || watcher.presence(1).unwrap().is_none());
    assert_eq!(watcher.draft(1, &mine).unwrap().unwrap().2[0], "Typed as the wifi dropped");
    server.wait_log("chair@ from 127.0.0.1");
    let mut log = String::new();
    let _ = std::fs::File::open(&server.log).unwrap().read_to_string(&mut log);
    assert!(log.contains("closed; its draft is kept"), "{log}");
    // The same person back on the wifi, as minute-taker this time: her
    // words are offered back to her, whatever role she returns in.
    let back = server.ssh(&chair_key, "minutes");
    back.wait_for("Restored unsaved text");
    back.wait_for("Typed as the wifi dropped");
}

#[test]
fn the_invitation_names_every_role_and_the_host_keys_fingerprint() {
    let db = TestDb::with_meeting();
    let keys = db.file("keys", "# nobody yet\n");
    let out = db
        .cmd()
        .args(["serve", "--listen", "127.0.0.1:2299", "--print-invite", "--authorized-keys"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for role in ["chair", "minutes", "projector", "viewer"] {
        assert!(text.contains(&format!("ssh -p 2299 {role}@127.0.0.1")), "{text}");
    }
    // The host key was made owner-only beside the database, and the
    // invitation carries its fingerprint as ssh-keygen reads it.
    let host_key = db.dir.path().join("qprm.db.host_key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&host_key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    if ssh_tools() {
        let out = Command::new("ssh-keygen").arg("-lf").arg(&host_key).output().unwrap();
        let print = String::from_utf8_lossy(&out.stdout).split_whitespace().nth(1).unwrap().to_string();
        assert!(text.contains(&print), "{text} lacks {print}");
    }
}

#[test]
fn a_bad_authorized_keys_file_is_refused_naming_the_line() {
    let db = TestDb::with_meeting();
    let keys = db.file("keys", "# the room\nroles=\"owner\" ssh-ed25519 AAAA\n");
    let out = db.cmd().args(["serve", "--authorized-keys"]).arg(&keys).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keys, line 2: unknown role owner"), "{err}");
    let out = db.cmd().args(["serve"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no authorized-keys file at"));
}

#[test]
fn a_full_meeting_says_so_to_the_next_laptop() {
    let Some((db, chair_key, minutes_key, keys)) = room() else { return };
    let server = Server::start_with(&db, &keys, &["--max-sessions", "1"]);
    let mut chair = server.ssh(&chair_key, "chair");
    chair.wait_for("CHAIR");
    let mut late = server.ssh(&minutes_key, "viewer");
    late.wait_for("The meeting already has 1 screens open");
    wait_until("the refused ssh exits", || late.exited());
    server.wait_log("already 1 screens open");
    chair.send("q");
    chair.send("y");
    wait_until("the chair's ssh exits", || chair.exited());
}
