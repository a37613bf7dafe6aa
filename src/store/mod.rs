//! The SQLite store: the only module that speaks SQL. Opening a file checks
//! that it is a qprm database of a schema we understand before anything is
//! written to it, creates new files owner-only, and sets WAL, foreign keys and
//! a busy timeout so several meeting screens and CLI commands can share it.
//! Tables are grouped one family per file: imports, actions, meetings and
//! decisions, indicators.

mod actions;
mod decisions;
mod find;
mod generate;
mod import;
mod import_mark;
mod kpi;
mod meetings;
mod minutes;
mod network_fs;
mod open;
mod overview;
mod pack_read;
mod presence;
mod schema;
mod search;
mod settle;
mod view;
mod wait;

pub use actions::{ActionChange, ActionFilter, ActionHistoryEntry, ActionRecord, ExportRow, NewAction};
pub use decisions::{DecisionFilter, DecisionRecord};
pub use find::{Hit, HitKind};
pub use generate::{GenerateOptions, Generated};
pub use import::{ImportOptions, ImportSummary, Replacement};
pub use import_mark::import_running;
pub use kpi::{KpiHistory, KpiPoint, KpiRow, KpiSeries, SpcSegment, SpcSummary};
pub use meetings::{AttendanceChange, AttendanceUpdate, MeetingHistoryEntry, MeetingRecord, NewMeeting};
pub use minutes::{
    Business, BusinessStart, CarriedAction, Minutes, MinutesService, MinutesSink, Opening, OwnerSummary,
    PreviousMeeting, ServiceHeading, net_updates,
};
pub(crate) use open::{file_identity, note_damage};
pub use overview::{AgendaLine, AuditSummary};
pub use presence::{ChairTimer, ChairWatch, Claim, Position, Presence, STALE};
pub use search::{CANDIDATES, SearchHit, SearchKind, SearchResults, fts_query};
pub(crate) use settle::note_io_failure;
pub use settle::{Settled, forget_last_write, last_settled, take_io_failure};
pub use view::{ACTIONS_PAGE, ActionsPage, FeedbackRow, FindingRow, ListPart, ServiceView, TREND_MONTHS, ViewAction};
pub use wait::{COMMAND_WAIT, announce_waits, why_busy};

use crate::domain::clock::Clock;
use crate::error::{Error, Result};
use crate::pack::Known;
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `PRAGMA application_id` for qprm files ("QPRM" in ASCII), so a foreign
/// SQLite database is never mistaken for ours and migrated.
pub const APPLICATION_ID: i32 = 0x5150_524D;
/// The schema version this qprm writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::LATEST;
/// Several instances share one file; a writer waits this long for another.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    /// Declared before `registration`: fields drop in order, and the file
    /// must stay registered until its connection has closed.
    conn: Connection,
    /// This process's claim on the file while `conn` is open (store/open.rs).
    _registration: open::Registration,
    path: PathBuf,
    /// The file's identity at open, to notice it being deleted or replaced
    /// underneath us (SQLite would go on writing to the unlinked file).
    identity: Option<(u64, u64)>,
    read_only: bool,
    /// Why a screen or lookup reads only (read-only media, permissions).
    read_only_reason: Option<String>,
    /// The file was moved or deleted and our connection to it closed.
    detached: bool,
    /// Who is writing, for history rows: `cli`, `import`, `chair`, `minutes`...
    actor: String,
    /// The time written into rows and the date overdue is judged by, as
    /// the caller sets it (`set_clock`); until then, the running clock.
    clock: Clock,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, migrating it forward.
    pub fn open(path: &Path, actor: &str) -> Result<Store> {
        let label = crate::domain::sanitize::clean(&path.display().to_string());
        let (mut conn, registration) = open::connect(path, &label, open::Access::ReadWrite)?;
        if let Err(e) = prepare_for_writing(&mut conn, &label, path) {
            // Whatever stopped it, closing must not write into the file.
            open::close_without_checkpoint(&conn);
            return Err(e);
        }
        Ok(Store {
            conn,
            _registration: registration,
            path: path.to_path_buf(),
            identity: file_identity(path),
            read_only: false,
            read_only_reason: None,
            detached: false,
            actor: actor.to_string(),
            clock: Clock::running(),
        })
    }

    /// Opens an existing database for reading only: for `--read-only` and
    /// `--follow` screens, and for files on read-only media, where the usual
    /// open fails. `immutable` tells SQLite nothing else writes the file, so
    /// it needs no WAL index beside it.
    pub fn open_read_only(path: &Path, actor: &str, immutable: bool) -> Result<Store> {
        Store::read_only_at(path, actor, immutable, false).map(|(store, _)| store)
    }

    /// Opens for `qprm check`: read-only, and an older schema is fine (the
    /// integrity and foreign-key checks need no upgrade, and checking a
    /// file before upgrading it is just when one wants to). Returns the
    /// file's schema version with the store.
    pub fn open_to_check(path: &Path) -> Result<(Store, i64)> {
        Store::read_only_at(path, "check", false, true)
    }

    fn read_only_at(path: &Path, actor: &str, immutable: bool, older_ok: bool) -> Result<(Store, i64)> {
        let label = crate::domain::sanitize::clean(&path.display().to_string());
        let (conn, registration) = open::connect(path, &label, open::Access::ReadOnly { immutable })?;
        let checked = (|| {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            refuse_foreign(&conn, &label)?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version < schema::LATEST && !older_ok {
                return Err(Error::Database(format!(
                    "{label} needs upgrading (schema version {version}), which a read-only open cannot do: run `qprm meeting list` on it once where the file can be written (any command that can write the file upgrades it)"
                )));
            }
            Ok(version)
        })();
        let version = match checked {
            Ok(v) => v,
            Err(e) => {
                open::close_without_checkpoint(&conn);
                return Err(e);
            }
        };
        let store = Store {
            conn,
            _registration: registration,
            path: path.to_path_buf(),
            identity: file_identity(path),
            read_only: true,
            read_only_reason: None,
            detached: false,
            actor: actor.to_string(),
            clock: Clock::running(),
        };
        Ok((store, version))
    }

    /// Opens for writing where possible, else (read-only media, a full disk,
    /// no permission) for reading, keeping the reason: how lookups and
    /// screens open a database. A file we may not write is read without a
    /// WAL index unless a WAL is there to read, so reading it creates no
    /// file beside it (one created with its narrow mode would block its
    /// owner's later writes).
    pub fn open_for_lookups(path: &Path, actor: &str) -> Result<Store> {
        match Store::open(path, actor) {
            Err(Error::Unwritable(reason)) => {
                let with_wal = open::wal_has_frames(path);
                let mut store = match Store::open_read_only(path, actor, !with_wal) {
                    Err(_) if with_wal => Store::open_read_only(path, actor, true)?,
                    other => other?,
                };
                // On screen, the cause alone: the path would push it off a narrow screen.
                store.read_only_reason = Some(open::unwritable_cause(path).map_or(reason, str::to_string));
                Ok(store)
            }
            other => other,
        }
    }

    /// Why this store only reads, when it was opened for writing and could not be.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only_reason.as_deref()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// False once the database file has been deleted, moved or replaced
    /// since it was opened: the screen must stop accepting edits.
    pub fn file_intact(&self) -> bool {
        self.identity.is_none() || file_identity(&self.path) == self.identity
    }

    /// Once the file has been moved, replaced or deleted, closes our
    /// connection at once, so its WAL goes with its own file: checkpointed
    /// into the file it belongs to and emptied, then closed without
    /// touching the `-wal`/`-shm` names (which may by then be another
    /// file's). Later reads fail and writes are refused. True when it has
    /// just done so.
    pub fn close_if_moved(&mut self) -> bool {
        if self.detached || self.file_intact() {
            return false;
        }
        // A reader elsewhere may hold the WAL: wait a moment, not the full
        // busy timeout (this runs on the screen's loop and on every drop).
        let _ = self.conn.busy_timeout(Duration::from_secs(1));
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        open::close_without_checkpoint(&self.conn);
        if let Ok(nothing) = Connection::open_in_memory() {
            drop(std::mem::replace(&mut self.conn, nothing));
        }
        self.detached = true;
        self.read_only = true;
        self.read_only_reason = Some("the database file was moved or deleted".into());
        true
    }

    /// For the meeting screen: a write waits for another process's lock
    /// only this long, then fails as `Error::Busy`, so the screen can queue
    /// it and keep drawing (tui/pending.rs).
    pub fn wait_briefly(&self, wait: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    /// True when another process holds the write lock now (checked with
    /// this connection's own wait, and nothing written).
    pub fn write_lock_taken(&mut self) -> Result<bool> {
        match self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
            Ok(()) => Ok(false),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(true),
            Err(e) => Err(e.into()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes who later writes are attributed to (e.g. `import` while the
    /// demo loads its packs, then `chair`).
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = actor.to_string();
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Sets the time later writes record (a command's start, a screen's
    /// running clock, a test's fixed moment).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Changes whenever another connection commits; the meeting screen polls
    /// it each tick to know when to reload.
    pub fn data_version(&self) -> Result<i64> {
        if self.detached {
            return Err(Error::Unwritable("the database file was moved or deleted".into()));
        }
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Copies the live database to `dest` with SQLite's online backup, which
    /// is consistent even while other instances write. `dest` must not exist;
    /// it is created owner-only.
    ///
    /// The copy is made in one step inside one read transaction: in WAL mode
    /// that blocks no writer, and, unlike a paced copy, it is not restarted
    /// by every write from another screen (a 650 MB file copied in small
    /// steps never finished while a chair's heartbeat wrote every 5 s). It is
    /// written beside `dest` as `.partial` and renamed when whole, so an
    /// interrupted copy is never mistaken for a backup. While it is written
    /// its writer holds a lock on `.partial.lock` (see `WriterLock`), so a
    /// `.partial` whose writer has gone (quit, killed, power cut) is known at
    /// once, removed, and said so (`Backup::cleared`), instead of blocking
    /// that name for good.
    pub fn backup_to(&self, dest: &Path) -> Result<Backup> {
        let label = crate::domain::sanitize::clean(&dest.display().to_string());
        if dest.exists() {
            return Err(Error::invalid(format!("{label} already exists; choose a new file name for the backup")));
        }
        let busy = || Error::invalid(format!("a backup to {label} is already being written; choose another name"));
        let lock = match WriterLock::claim(dest, true).map_err(|e| Error::io(format!("{label}: cannot create"), e))? {
            WriterClaim::Free(lock) => lock,
            WriterClaim::Busy | WriterClaim::Missing => return Err(busy()),
        };
        let partial = partial_path(dest);
        let mut cleared = false;
        if partial.exists() {
            if !lock.existed && !untouched_for(&partial, PARTIAL_ABANDONED) {
                // No lock file, and written to lately: a qprm from before
                // lock files may still be writing it.
                return Err(busy());
            }
            // We hold the lock its writer held while alive: it has gone.
            remove_partial(&partial);
            cleared = true;
        }
        // Claimed with create_new: a second backup to the same name at the
        // same moment is refused instead of writing over this one.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&partial).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => busy(),
            _ => Error::io(format!("{label}: cannot create"), e),
        })?;
        let copied = self.copy_into(&partial);
        if let Err(e) = copied {
            remove_partial(&partial);
            // Never SQLite's "database is locked": say what kept it busy.
            let why = match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy) => format!(
                    "the database stayed busy for {} s ({})",
                    BUSY_TIMEOUT.as_secs(),
                    wait::why_busy(&self.path)
                ),
                _ => e.to_string(),
            };
            return Err(Error::Database(format!("backup to {label} failed: {why}")));
        }
        // A hard link never replaces a file that appeared meanwhile; where
        // links are not supported, rename (checked just above).
        let finished = match std::fs::hard_link(&partial, dest) {
            Ok(()) => std::fs::remove_file(&partial),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) if !dest.exists() => std::fs::rename(&partial, dest),
            Err(e) => Err(e),
        };
        if let Err(e) = finished {
            remove_partial(&partial);
            return Err(Error::io(format!("finishing {label}"), e));
        }
        drop(lock);
        let bytes = std::fs::metadata(dest).map(|m| m.len()).map_err(|e| Error::io(label, e))?;
        Ok(Backup { bytes, cleared })
    }

    fn copy_into(&self, file: &Path) -> rusqlite::Result<()> {
        let mut target = Connection::open(file)?;
        // Pages stream through once: a large cache would only hold memory
        // while a meeting screen runs beside the copy. The source's own
        // setting is put back afterwards, whatever connection it is.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -256)?;
        target.pragma_update(None, "cache_size", -256)?;
        let copied = Self::copy_pages(&self.conn, &mut target);
        self.conn.pragma_update(None, "cache_size", cache)?;
        copied?;
        // A backup is a file of its own: a WAL left beside the live file
        // must never pass for a restored backup's (store/open.rs).
        if target
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'file_mark'", [], |r| r.get::<_, i64>(0))?
            > 0
        {
            target.execute("UPDATE file_mark SET token = lower(hex(randomblob(16)))", [])?;
        }
        // A backup is a plain single file: no WAL beside it to lose.
        target.pragma_update(None, "journal_mode", "DELETE")?;
        target.close().map_err(|(_, e)| e)
    }

    /// SQLite's online backup in one step, waiting out brief locks.
    fn copy_pages(source: &Connection, target: &mut Connection) -> rusqlite::Result<()> {
        use rusqlite::backup::{Backup, StepResult};
        {
            let backup = Backup::new(source, target)?;
            let mut waited = Duration::ZERO;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Another connection holds a lock for a moment: wait, as
                    // other writes do, up to the busy timeout.
                    _ if waited < BUSY_TIMEOUT => {
                        std::thread::sleep(Duration::from_millis(50));
                        waited += Duration::from_millis(50);
                    }
                    _ => return Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None)),
                }
            }
        }
        Ok(())
    }

    /// SQLite's integrity and foreign-key checks: an empty list means sound.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?)))?
        {
            let (table, rowid, parent) = row?;
            problems.push(format!("{table} row {} refers to a missing {parent} row", rowid.unwrap_or(0)));
        }
        Ok(problems)
    }

    /// Services and indicators already stored, for validating packs that
    /// refer to them.
    pub fn known(&self) -> Result<Known> {
        let mut known = Known::default();
        let mut stmt = self.conn.prepare("SELECT id FROM services")?;
        known.services = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare("SELECT code, unit, service_id FROM indicators")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?;
        for row in rows {
            let (code, unit, service) = row?;
            if let Some(unit) = crate::domain::Unit::parse(&unit) {
                known.indicators.insert(code, (unit, service));
            }
        }
        known.definitions = self.indicator_defs()?.into_iter().map(|d| (d.code.clone(), d)).collect();
        Ok(known)
    }

    /// Services in agenda order (the order packs introduced them).
    pub fn services(&self) -> Result<Vec<ServiceInfo>> {
        let mut stmt = self.conn.prepare("SELECT id, name, head FROM services ORDER BY position, id")?;
        let rows = stmt.query_map([], |r| Ok(ServiceInfo { id: r.get(0)?, name: r.get(1)?, head: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn service_exists(&self, id: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM services WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
    }

    /// An `Invalid` error naming the unknown service and listing the known ones.
    pub fn require_service(&self, id: &str) -> Result<()> {
        if self.service_exists(id)? {
            return Ok(());
        }
        let ids: Vec<String> = self.services()?.into_iter().map(|s| s.id).collect();
        let list = if ids.is_empty() { "none yet: import a pack first".to_string() } else { ids.join(", ") };
        Err(Error::invalid(format!("unknown service '{}'; known services: {list}", crate::domain::sanitize::clean(id))))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ServiceInfo {
    pub id: String,
    pub name: String,
    pub head: Option<String>,
}

/// A finished backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backup {
    pub bytes: u64,
    /// An unfinished copy to the same name, whose writer had gone, was
    /// removed first.
    pub cleared: bool,
}

/// A `.partial` backup without a lock file (written by a qprm from before
/// lock files) untouched for this long was abandoned: a copy writes
/// continuously while it runs.
const PARTIAL_ABANDONED: Duration = Duration::from_secs(600);

fn untouched_for(path: &Path, age: Duration) -> bool {
    std::fs::metadata(path).ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok()).is_some_and(|a| a > age)
}

/// The lock a backup's writer holds on `<dest>.partial.lock` for as long as
/// it writes. The operating system releases it when the writer ends, however
/// it ends, so a `.partial` whose lock can be taken has no writer left. The
/// lock file is never the database or its `-wal`/`-shm`, so taking and
/// dropping it cannot touch SQLite's locks (store/open.rs).
struct WriterLock {
    file: std::fs::File,
    path: PathBuf,
    /// The lock file was there before: left by a writer that has gone.
    existed: bool,
}

enum WriterClaim {
    Free(WriterLock),
    /// A live writer holds it.
    Busy,
    /// No lock file (and `create` was false).
    Missing,
}

impl WriterLock {
    fn claim(dest: &Path, create: bool) -> std::io::Result<WriterClaim> {
        let path = lock_path(dest);
        let mut existed = true;
        let file = match std::fs::OpenOptions::new().write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => return Ok(WriterClaim::Missing),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                existed = false;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                options.open(&path)?
            }
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) => Ok(WriterClaim::Free(WriterLock { file, path, existed })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(WriterClaim::Busy),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

impl Drop for WriterLock {
    /// The lock file goes while still locked, then the lock with the file.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// What was found of an unfinished backup (`.partial`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    /// Its writer is still copying.
    BeingWritten,
    /// Its writer had gone: it was removed.
    Cleared,
    /// It was finished or removed meanwhile.
    Gone,
}

/// Looks at an unfinished backup and removes it if its writer has gone.
pub fn clear_if_abandoned(partial: &Path) -> Unfinished {
    let dest = partial.with_extension("");
    let abandoned = match WriterLock::claim(&dest, false) {
        Ok(WriterClaim::Busy) => false,
        // While we hold its lock no writer can start on it.
        Ok(WriterClaim::Free(lock)) => {
            let there = partial.exists();
            if there {
                remove_partial(partial);
            }
            drop(lock);
            return if there { Unfinished::Cleared } else { Unfinished::Gone };
        }
        // No lock file: a qprm from before lock files, judged by age.
        Ok(WriterClaim::Missing) => untouched_for(partial, PARTIAL_ABANDONED),
        Err(_) => false,
    };
    if !partial.exists() {
        return Unfinished::Gone;
    }
    if abandoned {
        remove_partial(partial);
        return Unfinished::Cleared;
    }
    Unfinished::BeingWritten
}

/// Removes an unfinished backup and any journal SQLite left beside it.
pub fn remove_partial(partial: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = partial.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// Where a backup is written until it is whole.
pub fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    dest.with_file_name(name)
}

/// The lock its writer holds while a backup to `dest` is written.
pub fn lock_path(dest: &Path) -> PathBuf {
    let mut name = partial_path(dest).into_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// A caller's `now` as history rows store it (UTC, second precision).
pub(crate) fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Marks a write transaction as this database's (schema v5's `file_mark`):
/// its page then goes into the WAL with the transaction, so a WAL can be
/// told from another file's (store/open.rs). Every write transaction calls
/// it before committing.
pub(crate) fn stamp(conn: &Connection) -> rusqlite::Result<()> {
    let mark = settle::next_mark();
    conn.prepare_cached("UPDATE file_mark SET writes = writes + 1, last_write = ?1 WHERE id = 1")?
        .execute([mark])
        .map(|_| ())
}

impl Store {
    /// One statement in its own stamped transaction; the rows it changed.
    /// A statement that changes nothing writes nothing.
    pub(crate) fn write_one(&mut self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(sql, params)?;
        if n > 0 {
            stamp(&tx)?;
        }
        tx.commit()?;
        Ok(n)
    }
}

/// Readies a new read-write connection: checks the file is ours (on this
/// connection, before its first write, so the schema is read once per
/// process), then WAL, foreign keys, durable commits, migrations.
fn prepare_for_writing(conn: &mut Connection, label: &str, path: &Path) -> Result<()> {
    wait::install(conn, path)?;
    refuse_foreign(conn, label)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // WAL lets readers (the projector, lookups) run while a writer commits;
    // FULL makes every commit durable before the screen calls it saved.
    // On read-only media this is the first write, and fails as Unwritable.
    let mode: String =
        conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| open::open_error(label, &e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Database(format!("{label}: could not switch to WAL journal (got {mode})")));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    schema::migrate(conn, label)
}

impl Drop for Store {
    /// Closing the last connection checkpoints the WAL into the file and
    /// deletes it by name. Never into a file this process called damaged,
    /// and never once the file at our path is another one.
    fn drop(&mut self) {
        if self.detached {
            return;
        }
        // A command's write that reported an I/O error: make what the
        // file will hold match what is said (store/settle.rs).
        if !self.read_only && self.file_intact() && take_io_failure() {
            let _ = self.settle_failed_write();
        }
        if !self.file_intact() {
            self.close_if_moved();
        } else if open::damage_seen() {
            open::close_without_checkpoint(&self.conn);
        }
    }
}

/// Refuses an SQLite file that is not ours, or is from a newer qprm, on the
/// connection that will be used, before it writes anything.
fn refuse_foreign(conn: &Connection, label: &str) -> Result<()> {
    let probe = || -> rusqlite::Result<(i32, i64, i64)> {
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok((app, version, tables))
    };
    let (app, version, tables) = probe().map_err(|e| open::open_error(label, &e))?;
    if app != APPLICATION_ID && (version != 0 || tables != 0) {
        return Err(Error::Database(format!(
            "{label} is an SQLite database but not a qprm one; it was left untouched. Use --db to pick another file"
        )));
    }
    // Marked as ours, yet no schema version and tables already there: some
    // other program has changed it. Migrating would collide with what it
    // holds, so say so in one sentence instead of SQLite's complaint.
    if version == 0 && tables != 0 {
        return Err(Error::Database(format!(
            "{label} is marked as a qprm database but has no schema version and already holds tables, so another program has changed it; it was left untouched. Restore a backup (README, Backups) or use --db to pick another file"
        )));
    }
    if version > schema::LATEST {
        return Err(Error::Database(format!(
            "{label} was written by a newer qprm (schema version {version}, this qprm understands up to {}); upgrade qprm to open it. The file was left untouched",
            schema::LATEST
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_leaves_the_source_connections_cache_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("q.db"), "test").unwrap();
        store.conn.pragma_update(None, "cache_size", -4000).unwrap();
        store.backup_to(&dir.path().join("copy.db")).unwrap();
        let cache: i64 = store.conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
        assert_eq!(cache, -4000);
        assert!(!partial_path(&dir.path().join("copy.db")).exists());
    }
}
