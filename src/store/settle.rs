//! The truth after a commit that reported an I/O error (fsync failing, a
//! disk going away). SQLite may have written the transaction's frames to
//! the write-ahead log before the sync failed: no connection sees them
//! now, yet the next open's recovery would replay them, so "Not saved"
//! could turn into a saved row after a restart. Settling re-reads whether
//! our transaction landed (every write stamps a fresh `last_write` mark);
//! if it did not, a stamp-only write takes the same place in the log,
//! which ends the stray frames' checksum chain, so recovery can never
//! bring them back. Only then does the screen or CLI say "Not saved".

use super::Store;
use crate::error::Result;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when any SQLite call in this process reported an I/O error.
static IO_FAILED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static COUNT: Cell<u64> = const { Cell::new(0) };
    /// The mark this thread's last write transaction stamped.
    static LAST: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A fresh mark for a write transaction: unique to this process and write.
pub(super) fn next_mark() -> String {
    let n = COUNT.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mark = format!("{}-{nanos:x}-{n}", std::process::id());
    LAST.with(|l| l.replace(mark.clone()));
    mark
}

/// Called for every SQLite error (error.rs): notes an I/O error.
pub(crate) fn note_io_failure(e: &rusqlite::Error) {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure) {
        IO_FAILED.store(true, Ordering::Relaxed);
    }
}

/// True if an I/O error was reported since the last call (and clears it).
pub fn take_io_failure() -> bool {
    IO_FAILED.swap(false, Ordering::Relaxed)
}

/// Forgets this thread's last mark: a write about to be made is then the
/// only one `settle_failed_write` can find (one that failed before its
/// stamp left nothing to find).
pub fn forget_last_write() {
    LAST.with(|l| l.borrow_mut().clear());
}

/// What the last settling in this process found (for the command line,
/// whose store is closed, and settled, before it words the error).
static LAST_SETTLED: std::sync::Mutex<Option<Settled>> = std::sync::Mutex::new(None);

pub fn last_settled() -> Option<Settled> {
    LAST_SETTLED.lock().ok().and_then(|mut s| s.take())
}

/// What a write that reported an I/O error really did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The transaction is in the database after all.
    Saved,
    /// It is not, and can no longer come back on a restart.
    NotSaved,
    /// It is not there now, but the disk refused the write that would
    /// rule out its return: only a restart will tell.
    Unknown,
}

impl Store {
    /// After a write that reported an I/O error: re-reads whether this
    /// thread's last write transaction landed and, if not, makes sure it
    /// never will (see the module's note).
    pub fn settle_failed_write(&mut self) -> Result<Settled> {
        let mine = LAST.with(|l| l.borrow().clone());
        if mine.is_empty() {
            return Ok(Settled::NotSaved);
        }
        if self.last_write()? == Some(mine.clone()) {
            return Ok(Settled::Saved);
        }
        let cancelled = (|| -> rusqlite::Result<()> {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            super::stamp(&tx)?;
            tx.commit()
        })();
        // The stamp-only write may itself report the failing disk; the
        // mark it left tells whether it took the log's place.
        let now = self.last_write()?;
        let settled = match cancelled {
            _ if now == Some(mine) => Settled::Saved,
            Ok(()) => Settled::NotSaved,
            Err(_) => Settled::Unknown,
        };
        if let Ok(mut last) = LAST_SETTLED.lock() {
            *last = Some(settled);
        }
        Ok(settled)
    }

    fn last_write(&self) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT last_write FROM file_mark WHERE id = 1", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writes(store: &Store) -> i64 {
        store.conn.query_row("SELECT writes FROM file_mark", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_write_that_landed_is_saved_and_one_that_did_not_is_cancelled_with_a_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("q.db"), "test").unwrap();
        store.write_one("UPDATE file_mark SET writes = writes WHERE id = 1", []).unwrap();
        assert_eq!(store.settle_failed_write().unwrap(), Settled::Saved, "its mark is there");
        let before = writes(&store);
        // A mark no transaction committed: what a failed commit leaves.
        next_mark();
        assert_eq!(store.settle_failed_write().unwrap(), Settled::NotSaved);
        assert_eq!(writes(&store), before + 1, "the cancelling write is a stamp");
        assert_eq!(last_settled(), Some(Settled::NotSaved));
    }
}
