//! A database on a network file system is refused, on a real one: an sshfs
//! mount of a loopback SSH server (`sshd` on 127.0.0.1, a key made for the
//! test). Says SKIPPED, with the reason, where the machine cannot mount one
//! (no sshfs or sshd, no FUSE, not root).

mod common;

use common::TestDb;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An sshd on a loopback port and an sshfs mount of one of its folders;
/// unmounted and stopped when dropped.
struct SshfsMount {
    sshd: Child,
    mount: PathBuf,
    /// The folder sshd serves, as seen locally (the same files as `mount`).
    remote: PathBuf,
    _dir: tempfile::TempDir,
}

fn skip(reason: &str) -> Option<SshfsMount> {
    eprintln!("SKIPPED: network file system test: {reason}");
    None
}

fn run_ok(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn free_loopback_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn mounted_as_sshfs(mount: &Path) -> bool {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let target = mount.display().to_string();
    info.lines().any(|l| l.split_whitespace().nth(4) == Some(target.as_str()) && l.contains(" - fuse.sshfs "))
}

impl SshfsMount {
    fn start() -> Option<SshfsMount> {
        for tool in ["sshfs", "ssh-keygen", "fusermount"] {
            if !run_ok("sh", &["-c", &format!("command -v {tool}")]) {
                return skip(&format!("{tool} is not installed (Debian: sshfs, openssh-client)"));
            }
        }
        if !Path::new("/usr/sbin/sshd").exists() {
            return skip("/usr/sbin/sshd is not installed (Debian: openssh-server)");
        }
        if !Path::new("/dev/fuse").exists() {
            return skip("/dev/fuse is missing: this machine gives no FUSE");
        }
        if Command::new("id").arg("-u").output().ok()?.stdout != b"0\n" {
            return skip("sshd for the test needs root");
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (remote, mount) = (d.join("remote"), d.join("mnt"));
        std::fs::create_dir_all(&remote).unwrap();
        std::fs::create_dir_all(&mount).unwrap();
        let _ = std::fs::create_dir_all("/run/sshd");
        let (host_key, user_key) = (d.join("host_key"), d.join("user_key"));
        for key in [&host_key, &user_key] {
            assert!(run_ok("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-f", key.to_str().unwrap()]));
        }
        std::fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
        let port = free_loopback_port();
        let config = d.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPidFile {}\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n\
                 StrictModes no\nUsePAM no\nSubsystem sftp internal-sftp\n",
                host_key.display(),
                d.join("authorized_keys").display(),
                d.join("sshd.pid").display()
            ),
        )
        .unwrap();
        let sshd = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut m = SshfsMount { sshd, mount, remote, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(15);
        while !mounted_as_sshfs(&m.mount) {
            if Instant::now() > deadline {
                return skip("sshfs could not mount the loopback server (FUSE not permitted here?)");
            }
            let source = format!("root@127.0.0.1:{}", m.remote.display());
            let options = format!(
                "port={port},IdentityFile={},StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,BatchMode=yes",
                user_key.display()
            );
            let _ = run_ok("sshfs", &[&source, m.mount.to_str().unwrap(), "-o", &options]);
            std::thread::sleep(Duration::from_millis(200));
        }
        // Unmounted by Drop from here on, whatever the test does.
        m.remote = m.remote.canonicalize().unwrap();
        Some(m)
    }
}

impl Drop for SshfsMount {
    fn drop(&mut self) {
        let _ = run_ok("fusermount", &["-u", self.mount.to_str().unwrap_or_default()]);
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

#[test]
fn a_database_on_an_sshfs_mount_is_refused_and_left_alone() {
    let Some(fs) = SshfsMount::start() else { return };
    let db = TestDb::new();
    let on_mount = fs.mount.join("qprm.db");

    // A new database there is not created.
    let out = db.cmd().arg("--db").arg(&on_mount).arg("import").args(common::fixture_paths()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("network file system (sshfs)") && err.contains("over SSH"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    assert!(std::fs::read_dir(&fs.remote).unwrap().next().is_none(), "nothing was written on the share");

    // An existing one put there is neither read nor written.
    let local = TestDb::with_meeting();
    std::fs::copy(&local.path, fs.remote.join("qprm.db")).unwrap();
    let before = std::fs::read(fs.remote.join("qprm.db")).unwrap();
    for args in [&["actions"][..], &["kpi"], &["check"], &["--read-only"]] {
        let out = db.cmd().arg("--db").arg(&on_mount).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("network file system (sshfs)"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(fs.remote.join("qprm.db")).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(&fs.remote).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("qprm.db")], "no -wal or -shm appeared");
}
