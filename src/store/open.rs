//! Opening and classifying database files: the only code in qprm that looks
//! at a database file, or its `-wal`/`-shm`, other than through SQLite.
//!
//! THE RULE. SQLite's locks are POSIX advisory locks. They belong to the
//! process, and closing *any* file descriptor on a file releases *all* of
//! the process's locks on it (SQLite, "How To Corrupt An SQLite Database
//! File", §2.2). A screen that loses its locks goes on committing into a WAL
//! that the next process to close deletes. So no qprm process ever opens a
//! database file, or its `-wal`/`-shm`, outside SQLite while any SQLite
//! connection to it is open in that process.
//!
//! How it is kept: the one raw read (the file's 16-byte header, to tell a
//! foreign file from a damaged one) happens only while the registry below
//! says no connection in this process has that file open, and the registry
//! stays locked from that read until the new connection is registered. A
//! second connection (the backup thread, the watchdog) finds the file
//! registered and skips the read: it was classified when the first opened.
//! Every other check runs through SQLite, whose own descriptors are shared
//! per file within a process and closed only once no lock needs them.
//! Metadata calls (`stat`, `statfs`) open no descriptor and are always safe.
//!
//! Also here: refusing network file systems, read-only files opened
//! read-only with the reason, never replaying a WAL that belongs to another
//! file, and never checkpointing into a file that was called damaged.

use super::network_fs;
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// A file's identity (device, inode), to know it again after a rename.
pub(crate) type Identity = (u64, u64);

#[cfg(unix)]
pub(crate) fn file_identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(crate) fn file_identity(path: &Path) -> Option<Identity> {
    std::fs::metadata(path).ok().map(|m| (m.len().min(1), 0))
}

/// Files with a connection open in this process, and how many.
static REGISTRY: Mutex<Vec<(Identity, usize)>> = Mutex::new(Vec::new());

/// Set once SQLite has said a file is damaged: from then on no connection
/// of this process checkpoints on close, so a file we called damaged (and
/// "left untouched") is never written by our closing.
static DAMAGE_SEEN: AtomicBool = AtomicBool::new(false);

/// Records that SQLite reported damage (corrupt, not a database).
pub(crate) fn note_damage(e: &rusqlite::Error) {
    if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)) {
        DAMAGE_SEEN.store(true, Ordering::Relaxed);
    }
}

pub(crate) fn damage_seen() -> bool {
    DAMAGE_SEEN.load(Ordering::Relaxed)
}

/// Holds a file in the registry while its connection is open.
#[derive(Debug)]
pub(crate) struct Registration(Option<Identity>);

impl Drop for Registration {
    fn drop(&mut self) {
        let Some(id) = self.0 else { return };
        let mut held = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(i) = held.iter().position(|(h, _)| *h == id) {
            held[i].1 -= 1;
            if held[i].1 == 0 {
                held.swap_remove(i);
            }
        }
    }
}

fn register(held: &mut Vec<(Identity, usize)>, id: Option<Identity>) -> Registration {
    if let Some(id) = id {
        match held.iter_mut().find(|(h, _)| *h == id) {
            Some(entry) => entry.1 += 1,
            None => held.push((id, 1)),
        }
    }
    Registration(id)
}

/// How a connection is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    ReadWrite,
    /// `immutable` tells SQLite nothing writes the file, so it uses no WAL
    /// index beside it: for read-only media and files we may not write
    /// that have no write-ahead log to read.
    ReadOnly {
        immutable: bool,
    },
}

/// Opens a connection to `path` by the rule above. A read-write open of a
/// file SQLite can only read is `Unwritable`, with the reason, so the caller
/// can fall back to reading.
pub(crate) fn connect(path: &Path, label: &str, access: Access) -> Result<(Connection, Registration)> {
    let meta = std::fs::metadata(path).ok();
    if meta.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(Error::invalid(format!(
            "{label} is not a regular file (a folder, a pipe or a device); --db must name a database file"
        )));
    }
    if meta.is_none() && access != Access::ReadWrite {
        return Err(Error::invalid(format!("no database at {label}")));
    }
    network_fs::refuse(path, label)?;
    let mut held = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    let identity = file_identity(path);
    let registered = identity.is_some_and(|id| held.iter().any(|(h, _)| *h == id));
    if meta.is_some() && !registered {
        check_header(path, label)?;
    }
    if meta.is_none() {
        create_owner_only(path, label)?;
    }
    let checks_logs = !registered && access != (Access::ReadOnly { immutable: true });
    if checks_logs {
        refuse_foreign_journal(path, label)?;
    }
    let conn = match access {
        Access::ReadWrite => {
            let conn =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                    .map_err(|e| open_error(label, &e))?;
            // SQLite quietly opens a file it may not write read-only; the
            // first write would then fail mid-meeting. Say so now instead.
            if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
                return Err(Error::Unwritable(unwritable_reason(path, label)));
            }
            conn
        }
        Access::ReadOnly { immutable } => read_only_connection(path, immutable).map_err(|e| open_error(label, &e))?,
    };
    if checks_logs && let Err(e) = refuse_foreign_wal(&conn, path, label) {
        close_without_checkpoint(&conn);
        return Err(e);
    }
    let id = identity.or_else(|| file_identity(path));
    Ok((conn, register(&mut held, id)))
}

/// Why a file that exists cannot be written here, in the user's words.
fn unwritable_reason(path: &Path, label: &str) -> String {
    let cause = unwritable_cause(path).unwrap_or("SQLite could open it for reading only");
    format!("{label} cannot be written here: {cause}; nothing was changed")
}

/// What stops this user writing the file, if the file system says.
#[cfg(unix)]
pub(crate) fn unwritable_cause(path: &Path) -> Option<&'static str> {
    use rustix::fs::{Access as Can, access};
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match access(path, Can::WRITE_OK) {
        Err(rustix::io::Errno::ROFS) => Some("the database is on read-only media"),
        Err(_) => Some("you may read the database but not write it (its permissions or owner)"),
        Ok(()) if access(dir, Can::WRITE_OK | Can::EXEC_OK).is_err() => {
            Some("you may not write the folder the database is in")
        }
        Ok(()) => None,
    }
}

#[cfg(not(unix))]
pub(crate) fn unwritable_cause(path: &Path) -> Option<&'static str> {
    let read_only = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    read_only.then_some("the database file is read-only")
}

/// True when a write-ahead log with at least one frame lies beside `path`
/// (a WAL header alone is 32 bytes). Metadata only.
pub(crate) fn wal_has_frames(path: &Path) -> bool {
    std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() > 32)
}

pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The token of schema v5's `file_mark`, if the schema has one.
fn read_mark(conn: &Connection) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let has: bool =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'file_mark'", [], |r| {
            r.get::<_, i64>(0).map(|n| n > 0)
        })?;
    if !has {
        return Ok(None);
    }
    conn.query_row("SELECT token FROM file_mark WHERE id = 1", [], |r| r.get(0)).optional()
}

/// Refuses a `-wal` beside `path` that holds another database's changes:
/// the token in the file alone (an immutable connection, which ignores the
/// WAL) must be the token `conn` sees through the WAL. SQLite itself would
/// replay any well-formed WAL into whatever file has the name; reading
/// through it only rebuilds the `-shm` index, and `conn` is closed without
/// a checkpoint if the WAL is refused.
fn refuse_foreign_wal(conn: &Connection, path: &Path, label: &str) -> Result<()> {
    if !wal_has_frames(path) {
        return Ok(());
    }
    let on_disk = || -> rusqlite::Result<Option<String>> { read_mark(&read_only_connection(path, true)?) };
    // A file we cannot classify this way (not ours, older schema, damaged)
    // is left to the checks that follow, which say so in their own words.
    let Ok(Some(own)) = on_disk() else { return Ok(()) };
    let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
    let foreign = match read_mark(conn) {
        Ok(seen) => seen.as_deref() != Some(own.as_str()),
        Err(e) => matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        ),
    };
    if foreign {
        let wal = crate::domain::sanitize::clean(&sidecar(path, "-wal").display().to_string());
        let shm = crate::domain::sanitize::clean(&sidecar(path, "-shm").display().to_string());
        return Err(Error::Database(format!(
            "{wal} holds changes to another database, not to {label} (the file was replaced while a screen had it open), so it was not applied and nothing was changed: close every qprm screen on it, then move {wal} and {shm} aside (keep them; they may hold that other file's last saves)"
        )));
    }
    Ok(())
}

/// A rollback journal beside the file would be replayed by the first read of
/// a writable connection: check such a file on a read-only one first, so a
/// foreign database is left as it was.
fn refuse_foreign_journal(path: &Path, label: &str) -> Result<()> {
    if !sidecar(path, "-journal").exists() {
        return Ok(());
    }
    let probe = read_only_connection(path, false).map_err(|e| open_error(label, &e))?;
    let refused = super::refuse_foreign(&probe, label);
    close_without_checkpoint(&probe);
    refused
}

/// A read-only connection. `immutable` tells SQLite that nothing else
/// writes the file, so it needs no WAL index beside it: the only way to read
/// a WAL database on read-only media, and one that creates no file.
pub(crate) fn read_only_connection(path: &Path, immutable: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = if immutable {
        let uri = format!(
            "file:{}?immutable=1",
            path.display().to_string().replace('%', "%25").replace('?', "%3f").replace('#', "%23")
        );
        Connection::open_with_flags(uri, flags)?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    Ok(conn)
}

/// Makes this connection's close leave the file alone: no checkpoint, and
/// no deleting the `-wal`/`-shm` by name (which, once the file has been
/// replaced, may be another database's).
pub(crate) fn close_without_checkpoint(conn: &Connection) {
    let _ = conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
}

/// Says what stopped a database from opening. Only SQLite's "corrupt" and
/// "not a database" mean the file is damaged; a full disk or an unreadable
/// folder must never be reported as damage.
pub(crate) fn open_error(label: &str, e: &rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::*;
    note_damage(e);
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => Error::Database(format!(
            "{label} is damaged and cannot be read ({e}); it was left untouched: restore a backup (README, Backups)"
        )),
        Some(DiskFull) => Error::Unwritable(format!(
            "{label}: the disk is full ({e}); free some space and try again. Nothing was changed"
        )),
        Some(SystemIoFailure | CannotOpen | PermissionDenied | ReadOnly) => Error::Unwritable(format!(
            "{label} cannot be opened for writing ({e}): is the disk full, or the folder read-only or unreachable? Nothing was changed"
        )),
        _ => Error::Database(format!("{label} cannot be read ({e}); it was left untouched")),
    }
}

/// Refuses, without writing a byte, a file that is not SQLite. Reads the
/// header raw, so only ever called by `connect` before this process has a
/// connection to the file (see the rule at the top).
fn check_header(path: &Path, label: &str) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| Error::Database(format!("{label}: cannot open: {e}")))?;
    let n = file.read(&mut header).map_err(|e| Error::Database(format!("{label}: cannot read: {e}")))?;
    if n == 0 {
        return Ok(()); // an empty file (e.g. from mktemp) becomes a new database
    }
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(Error::Database(format!(
            "{label} is not a qprm database (it is not an SQLite file); it was left untouched"
        )));
    }
    Ok(())
}

/// New database files (and their directory) are readable by the owner only:
/// the meeting records concern services for vulnerable children.
fn create_owner_only(path: &Path, label: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| Error::io(format!("{label}: cannot create its folder"), e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another instance created it between our check and now: fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(format!("{label}: cannot create"), e)),
    }
}
