//! The "import running" mark: while `import` holds the write lock it also
//! holds a lock on `<db>.import.lock`, so a screen or command waiting for
//! the database can say why without needing the write lock itself. The
//! operating system drops the lock when the importer ends, however it
//! ends, so a mark left by a killed import never claims one is running.
//! The mark file is never the database or its `-wal`/`-shm`, so taking and
//! dropping it cannot touch SQLite's locks (store/open.rs).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// Held for as long as an import writes.
pub(crate) struct ImportMark {
    file: File,
    path: PathBuf,
}

fn mark_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".import.lock");
    db.with_file_name(name)
}

impl ImportMark {
    /// Takes the mark; `None` when it cannot be made (a read-only folder):
    /// it is a courtesy to waiting screens, never a reason to refuse.
    pub(crate) fn hold(db: &Path) -> Option<ImportMark> {
        let path = mark_path(db);
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).ok()?;
        // Two imports at once: the second waits for the write lock anyway.
        file.lock().ok()?;
        Some(ImportMark { file, path })
    }
}

impl Drop for ImportMark {
    /// The file goes while still locked, then the lock with the file.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// True while another process imports into `db`.
pub fn import_running(db: &Path) -> bool {
    let Ok(file) = OpenOptions::new().write(true).open(mark_path(db)) else { return false };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_seen_while_held_and_gone_after() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("q.db");
        assert!(!import_running(&db));
        let mark = ImportMark::hold(&db).unwrap();
        // flock locks belong to the open file description: a second open
        // in this process sees it held, as another process would.
        assert!(import_running(&db));
        drop(mark);
        assert!(!import_running(&db));
        assert!(!mark_path(&db).exists());
    }
}
