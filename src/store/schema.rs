//! Schema migrations, forward only. Each entry upgrades `PRAGMA user_version`
//! by one; entries are never edited once released, only appended. Most are
//! SQL; one that needs a rule SQLite cannot state (v7's owner names) is a
//! Rust step, run in the same transaction.

use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

enum Migration {
    Sql(&'static str),
    Rust(fn(&Transaction<'_>) -> rusqlite::Result<()>),
}

const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("schema_v1.sql")),
    Migration::Sql(include_str!("schema_v2.sql")),
    Migration::Sql(V3),
    Migration::Sql(include_str!("schema_v4.sql")),
    Migration::Sql(include_str!("schema_v5.sql")),
    Migration::Sql(include_str!("schema_v6.sql")),
    Migration::Rust(one_owner_per_name),
    // The chair's selected row and timer in its published position.
    Migration::Sql(include_str!("schema_v8.sql")),
    // Indexes for the minutes of a late meeting. IF NOT EXISTS: tests wind
    // files back to older versions without dropping them.
    Migration::Sql(include_str!("schema_v9.sql")),
    // Drafts per screen, and the mark of the last write landed.
    Migration::Sql(include_str!("schema_v10.sql")),
    // SPC: the periods where an indicator's process changed (rebases).
    Migration::Sql(include_str!("schema_v11.sql")),
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
    for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        match step {
            Migration::Sql(sql) => tx.execute_batch(sql),
            Migration::Rust(run) => run(&tx),
        }
        .map_err(|e| {
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

/// Schema v7: owners the same apart from case or spacing are one owner.
/// `folded` becomes `domain::names::fold` (case *and* spacing), which SQL
/// cannot compute, and is made unique. Owners an earlier qprm split by
/// spelling are merged into the first recorded (lowest id), keeping its
/// spelling: their actions move to it, so a lookup by that owner finds them
/// all. The actions' history is not rewritten (it recorded what was typed)
/// and gains no rows: the owner did not change, only its duplicate went.
fn one_owner_per_name(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let owners: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM owners ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut first: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (id, name) in owners {
        let folded = crate::domain::names::fold(&name);
        match first.get(&folded) {
            Some(&keep) => {
                tx.execute("UPDATE actions SET owner_id = ?2 WHERE owner_id = ?1", params![id, keep])?;
                tx.execute("DELETE FROM owners WHERE id = ?1", [id])?;
            }
            None => {
                tx.execute("UPDATE owners SET folded = ?2 WHERE id = ?1", params![id, folded])?;
                first.insert(folded, id);
            }
        }
    }
    tx.execute_batch("CREATE UNIQUE INDEX owners_folded ON owners (folded);")
}
