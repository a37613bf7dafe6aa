//! Schema migrations, forward only. Each entry upgrades `PRAGMA user_version`
//! by one; entries are never edited once released, only appended.

use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    V3,
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
    include_str!("schema_v6.sql"),
];

/// Schema v3 is the search index and its triggers, then indexing what is
/// already recorded (also reused after bulk loads by `generate`).
const V3: &str = concat!(include_str!("schema_v3.sql"), include_str!("schema_v3_backfill.sql"));

pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection, label: &str) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version >= LATEST {
        return Ok(());
    }
    // IMMEDIATE: two instances opening a new file at once must not both migrate.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > LATEST {
        return Err(Error::Database(format!("{label} was written by a newer qprm (schema version {version})")));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql).map_err(|e| {
            // SQLite's message alone: rusqlite's would append the migration's whole SQL.
            let why = match &e {
                rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
                other => other.to_string(),
            };
            Error::Database(format!("{label}: migration to schema version {} failed: {why}", i + 1))
        })?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
    super::stamp(&tx)?;
    tx.commit()?;
    Ok(())
}
