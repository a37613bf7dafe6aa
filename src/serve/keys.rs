//! Who may join a served meeting, and how the server proves who it is:
//! the authorized-keys file (OpenSSH format, each key optionally limited to
//! roles by a `roles="minutes,viewer"` option) and the server's host key,
//! generated once and kept owner-only beside the database.

use super::role::Role;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use russh::keys::{Algorithm, HashAlg, PrivateKey, PublicKey};
use std::path::{Path, PathBuf};

/// The largest authorized-keys or host-key file read: a file anyone could
/// have replaced is never read whole into memory.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// One key that may log in, with the roles it may take.
#[derive(Debug, Clone)]
pub struct AuthorizedKey {
    pub key: PublicKey,
    /// `None`: every role.
    pub roles: Option<Vec<Role>>,
    /// The key's comment (who it belongs to), sanitised for logs.
    pub comment: String,
    /// Its line in the file, for the log.
    pub line: usize,
}

impl AuthorizedKey {
    pub fn allows(&self, role: Role) -> bool {
        self.roles.as_ref().is_none_or(|roles| roles.contains(&role))
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuthorizedKeys {
    pub keys: Vec<AuthorizedKey>,
}

/// The key types OpenSSH writes in authorized_keys; a line whose first word
/// is not one of these starts with options.
fn is_key_type(word: &str) -> bool {
    word.starts_with("ssh-")
        || word.starts_with("ecdsa-sha2-")
        || word.starts_with("sk-ssh-")
        || word.starts_with("sk-ecdsa-")
}

/// OpenSSH options that only take away what `qprm serve` never offers (a
/// shell, forwarding, agents, X11): accepted and ignored. Any other option
/// (`from=`, `command=`, `expiry-time=`…) would promise a limit qprm does
/// not enforce, so it is refused rather than silently ignored.
fn harmless_option(name: &str) -> bool {
    matches!(
        name,
        "restrict"
            | "no-agent-forwarding"
            | "no-port-forwarding"
            | "no-X11-forwarding"
            | "no-user-rc"
            | "no-pty"
            | "pty"
            | "agent-forwarding"
            | "port-forwarding"
            | "X11-forwarding"
            | "user-rc"
    )
}

impl AuthorizedKeys {
    /// Reads `path`; every bad line is named by its number.
    pub fn read(path: &Path) -> Result<AuthorizedKeys> {
        let shown = clean(&path.display().to_string());
        let text = read_bounded(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::invalid(format!(
                "no authorized-keys file at {shown}: create it with one public key per line (see README, Live together), or pass --authorized-keys FILE"
            )),
            _ => Error::io(format!("reading {shown}"), e),
        })?;
        AuthorizedKeys::parse(&text, &shown)
    }

    /// Parses authorized_keys text; `file` names it in errors. Blank lines
    /// and `#` comments are skipped.
    pub fn parse(text: &str, file: &str) -> Result<AuthorizedKeys> {
        let mut keys = Vec::new();
        let mut problems = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok((key, roles)) => {
                    let comment = clean(key.comment().as_str_lossy());
                    keys.push(AuthorizedKey { key, roles, comment, line: i + 1 });
                }
                Err(why) => problems.push(format!("{file}, line {}: {why}", i + 1)),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems.join("\n")));
        }
        Ok(AuthorizedKeys { keys })
    }

    /// The entry for `key`, compared by its key material (not its comment).
    pub fn find(&self, key: &PublicKey) -> Option<&AuthorizedKey> {
        self.keys.iter().find(|k| k.key.key_data() == key.key_data())
    }
}

/// One non-blank line: options (if any), then the key.
fn parse_line(line: &str) -> std::result::Result<(PublicKey, Option<Vec<Role>>), String> {
    let first = line.split_whitespace().next().unwrap_or_default();
    let (options, key_text) = if is_key_type(first) {
        ("", line)
    } else {
        let end = options_end(line).ok_or("an option's quotes are not closed")?;
        (&line[..end], line[end..].trim_start())
    };
    let mut roles = None;
    for option in split_options(options) {
        let (name, value) = match option.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (option, None),
        };
        match (name, value) {
            ("roles", Some(v)) => roles = Some(parse_roles(v)?),
            ("roles", None) => return Err("roles needs a list: roles=\"minutes,viewer\"".into()),
            (n, None) if harmless_option(n) => {}
            (n, _) => {
                return Err(format!(
                    "option {} is not supported by qprm serve (only roles=\"…\" and the no-… options are)",
                    clean(n)
                ));
            }
        }
    }
    if key_text.is_empty() {
        return Err("options but no key".into());
    }
    let key = PublicKey::from_openssh(key_text).map_err(|e| format!("not a public key ({e})"))?;
    // This server verifies Ed25519 and ECDSA signatures only (russh is
    // built without its RSA backend): an RSA line would look accepted and
    // then never let its owner in.
    if matches!(key.algorithm(), Algorithm::Rsa { .. } | Algorithm::Dsa) {
        return Err(format!(
            "{} keys are not accepted: ask for an Ed25519 key (ssh-keygen -t ed25519)",
            key.algorithm().as_str()
        ));
    }
    Ok((key, roles))
}

/// Where the options field ends: the first space outside double quotes.
fn options_end(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return Some(i),
            _ => {}
        }
    }
    (!quoted).then_some(line.len())
}

/// Splits `a,b="x,y",c` at commas outside quotes.
fn split_options(options: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in options.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&options[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < options.len() {
        out.push(&options[start..]);
    }
    out
}

fn parse_roles(value: &str) -> std::result::Result<Vec<Role>, String> {
    let inner = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    let mut roles = Vec::new();
    for name in inner.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let role = Role::from_login(name).ok_or_else(|| {
            format!("unknown role {} in roles= (the roles are {})", clean(name), Role::names().join(", "))
        })?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err("roles=\"\" names no role".into());
    }
    Ok(roles)
}

/// The SHA-256 fingerprint OpenSSH prints (`SHA256:…`).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The default authorized-keys file: beside the database, named after it.
pub fn default_authorized_keys(db: &Path) -> PathBuf {
    sibling(db, "authorized_keys")
}

/// Where the host key lives: beside the database, named after it.
pub fn host_key_path(db: &Path) -> PathBuf {
    sibling(db, "host_key")
}

fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "qprm.db".into());
    name.push(format!(".{suffix}"));
    db.with_file_name(name)
}

/// The server's host key: read from `path`, or generated (Ed25519) and
/// written owner-only the first time. True when it was just made.
/// A key file others can read is refused, as OpenSSH refuses one.
pub fn host_key(path: &Path) -> Result<(PrivateKey, bool)> {
    let shown = clean(&path.display().to_string());
    match read_bounded(path) {
        Ok(text) => {
            check_owner_only(path, &shown)?;
            let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
                Error::invalid(format!(
                    "{shown} is not an OpenSSH private key ({e}); move it away and qprm serve makes a new one"
                ))
            })?;
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(|e| Error::Invalid(format!("generating a host key: {e}")))?;
            key.set_comment("qprm serve");
            let pem = key
                .to_openssh(russh::keys::ssh_key::LineEnding::LF)
                .map_err(|e| Error::Invalid(format!("encoding the host key: {e}")))?;
            write_owner_only(path, pem.as_bytes()).map_err(|e| Error::io(format!("writing {shown}"), e))?;
            Ok((key, true))
        }
        Err(e) => Err(Error::io(format!("reading {shown}"), e)),
    }
}

#[cfg(unix)]
fn check_owner_only(path: &Path, shown: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|e| Error::io(format!("reading {shown}"), e))?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(Error::invalid(format!(
            "{shown} can be read by others (mode {:o}): the host key must be owner-only; run chmod 600 on it",
            mode & 0o777
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_path: &Path, _shown: &str) -> Result<()> {
    Ok(())
}

/// Creates `path` (never replacing a file) readable by its owner only.
fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn read_bounded(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPJZVVzuzd9wOoTz/d+YTSMxntdnh3txxWGt2eQRAM5W minute-taker@laptop";
    const ED2: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGXcqykcCYh4Jd7tOuHyHjba3+aRs4rsO+g47brm01yj chair";

    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCqjE/3msY2LFHYvfC2JsxKbqMpMVCfBno6ffa/GGSzVmDl6qNeGKfm/pcMeno/hhemMbvUXUZwaavzLK3312kW9/tli+M5iFsdC2fHSgAsLrbjVKjw9/sUx+PDjDiJX/zCEw8YP7I3afuZzAUZMuGsbLc4Df5FTnjQNAU3mvi2O47MB0Fk+V8nAHw3C3tpzKg4d37K19MgHCsnZx1giqlvTl1je2AW+vpHgB4BCmsMt608/L7Pma+YmqaF/uuRV1XQWv4kxQoYaVG8bG7wOc1onY7Sopk/WLWP0GX7DyhOgwbKMONICHIEhLzQdFW1Dzz2zmiyY2gQV3i3Dwi7N+CD rsa-user";

    #[test]
    fn a_plain_key_may_take_every_role() {
        let keys = AuthorizedKeys::parse(&format!("# the meeting room\n\n{ED}\n"), "keys").unwrap();
        assert_eq!(keys.keys.len(), 1);
        let k = &keys.keys[0];
        assert_eq!(k.line, 3);
        assert_eq!(k.comment, "minute-taker@laptop");
        assert!(Role::ALL.iter().all(|r| k.allows(*r)));
    }

    #[test]
    fn roles_limit_a_key() {
        let text = format!("roles=\"minutes,viewer\" {ED}\nrestrict,roles=\"chair\",no-pty {ED2}");
        let keys = AuthorizedKeys::parse(&text, "keys").unwrap();
        let minutes = &keys.keys[0];
        assert!(minutes.allows(Role::Minutes) && minutes.allows(Role::Viewer));
        assert!(!minutes.allows(Role::Chair) && !minutes.allows(Role::Projector));
        assert_eq!(keys.keys[1].roles, Some(vec![Role::Chair]));
    }

    #[test]
    fn keys_are_found_by_key_not_comment() {
        let keys = AuthorizedKeys::parse(ED, "keys").unwrap();
        let same = PublicKey::from_openssh(&ED.replace("minute-taker@laptop", "someone else")).unwrap();
        let other = PublicKey::from_openssh(ED2).unwrap();
        assert!(keys.find(&same).is_some());
        assert!(keys.find(&other).is_none());
    }

    #[test]
    fn bad_lines_are_named_by_number_and_nothing_is_accepted() {
        let text = format!(
            "{ED}\nroles=\"owner\" {ED2}\nssh-ed25519 not-base64\nfrom=\"10.0.0.1\" {ED2}\nroles=\"chair {ED2}\n"
        );
        let err = AuthorizedKeys::parse(&format!("{text}{RSA}\n"), "room.keys").unwrap_err().to_string();
        assert!(err.contains("room.keys, line 2: unknown role owner"), "{err}");
        assert!(err.contains("room.keys, line 6: ssh-rsa keys are not accepted"), "{err}");
        assert!(err.contains("room.keys, line 3: not a public key"), "{err}");
        assert!(err.contains("room.keys, line 4: option from is not supported"), "{err}");
        assert!(err.contains("room.keys, line 5: an option's quotes are not closed"), "{err}");
        assert!(!err.contains("line 1"), "{err}");
    }

    #[test]
    fn empty_roles_are_refused() {
        let err = AuthorizedKeys::parse(&format!("roles=\"\" {ED}"), "k").unwrap_err().to_string();
        assert!(err.contains("line 1: roles=\"\" names no role"), "{err}");
    }

    #[test]
    fn files_beside_the_database() {
        let db = Path::new("/srv/qprm/qprm.db");
        assert_eq!(default_authorized_keys(db), Path::new("/srv/qprm/qprm.db.authorized_keys"));
        assert_eq!(host_key_path(db), Path::new("/srv/qprm/qprm.db.host_key"));
    }

    #[test]
    fn the_host_key_is_made_once_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qprm.db.host_key");
        let (made, fresh) = host_key(&path).unwrap();
        assert!(fresh);
        let (again, fresh) = host_key(&path).unwrap();
        assert!(!fresh);
        assert_eq!(fingerprint(made.public_key()), fingerprint(again.public_key()));
        assert!(fingerprint(made.public_key()).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = host_key(&path).unwrap_err().to_string();
            assert!(err.contains("can be read by others"), "{err}");
        }
    }
}
