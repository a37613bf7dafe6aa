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
    /// A write to a meeting whose minutes were approved: its record is
    /// locked until it is reopened. Dates are ISO (`YYYY-MM-DD`); the CLI
    /// and the screen word how to reopen.
    #[error(
        "the minutes of the meeting of {date} were approved on {approved_on}: its record is locked until the meeting is reopened"
    )]
    MeetingApproved { meeting: i64, date: String, approved_on: String },
    /// Approving minutes that are already approved.
    #[error("the minutes of the meeting of {date} were already approved on {approved_on} (by {by})")]
    AlreadyApproved { meeting: i64, date: String, approved_on: String, by: String },
    /// Reopening a meeting whose minutes are not approved.
    #[error("the minutes of the meeting of {date} are not approved, so there is nothing to reopen")]
    NotApproved { meeting: i64, date: String },
    /// Removing a name the meeting does not record.
    #[error("{name} is not recorded at the meeting of {date}; recorded: {}", known_names(.present, .apologies))]
    NotInAttendance { date: String, name: String, present: Vec<String>, apologies: Vec<String> },
    /// An update that changes nothing and says nothing.
    #[error("nothing to change for {reference}")]
    NothingToChange { reference: String },
    /// Dropping an action without saying why.
    #[error("dropping {reference} needs a reason")]
    ReasonNeeded { reference: String },
    /// Another process kept the write lock past our wait (an import, a
    /// long backup): nothing was written. The CLI and the screen word it;
    /// SQLite's own "database is locked" never reaches anyone.
    /// `Some` holds the full sentence once a caller has worded it.
    #[error("{}", .0.as_deref().unwrap_or("the database stayed busy: another program kept writing to it, so nothing was changed"))]
    Busy(Option<String>),
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
        crate::store::note_io_failure(&e);
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) {
            return Error::Busy(None);
        }
        Error::Sql(e)
    }
}

/// "present: A; B · apologies: C", or "no one yet".
fn known_names(present: &[String], apologies: &[String]) -> String {
    let mut parts = Vec::new();
    if !present.is_empty() {
        parts.push(format!("present: {}", present.join("; ")));
    }
    if !apologies.is_empty() {
        parts.push(format!("apologies: {}", apologies.join("; ")));
    }
    if parts.is_empty() { "no one yet".into() } else { parts.join(" · ") }
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
            Error::Invalid(_)
            | Error::Pack(_)
            | Error::ImportConflicts(_)
            | Error::Database(_)
            | Error::MeetingApproved { .. }
            | Error::AlreadyApproved { .. }
            | Error::NotApproved { .. }
            | Error::NotInAttendance { .. }
            | Error::NothingToChange { .. }
            | Error::ReasonNeeded { .. } => 2,
            Error::Sql(_) | Error::Busy(_) | Error::Io { .. } | Error::Unwritable(_) => 1,
        }
    }
}
