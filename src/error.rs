//! The library's error type. Every error a user can cause carries a sentence
//! that says what went wrong and where; `exit_code` maps it to the SPEC's
//! exit codes (2 for invalid input or usage, 1 for runtime failures).

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    /// The user gave us something we cannot accept (bad pack, bad date, unknown ref...).
    #[error("{0}")]
    Invalid(String),
    /// A pack (or several) failed validation; each entry is one complete message.
    #[error("{}", .0.join("\n"))]
    Pack(Vec<String>),
    /// Valid packs whose values differ from what is stored; nothing was
    /// written. The CLI words it (and names the flag that would accept it).
    #[error("{} stored value(s) differ from the pack", .0.len())]
    ImportConflicts(Vec<ImportConflict>),
    /// The database file cannot be used (newer schema, foreign file, corrupt).
    #[error("{0}")]
    Database(String),
    /// The database can be read but not written here (read-only media, no
    /// permission, a full disk): lookups fall back to a read-only open.
    #[error("{0}")]
    Unwritable(String),
    #[error("database error: {0}")]
    Sql(rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// One stored item a pack would change: "value CIC-HEALTH 2023-07" in
/// `file`, with both sides as canonical JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportConflict {
    pub file: String,
    pub item: String,
    pub stored: String,
    pub incoming: String,
}

impl From<rusqlite::Error> for Error {
    /// Every SQLite error passes here: one that says the file is damaged is
    /// noted, so this process never checkpoints into that file on closing.
    fn from(e: rusqlite::Error) -> Self {
        crate::store::note_damage(&e);
        Error::Sql(e)
    }
}

impl Error {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    /// The reader of our output went away (`qprm actions | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// 2 for anything the user can fix by changing their input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) | Error::Pack(_) | Error::ImportConflicts(_) | Error::Database(_) => 2,
            Error::Sql(_) | Error::Io { .. } | Error::Unwritable(_) => 1,
        }
    }
}
