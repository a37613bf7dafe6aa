//! Actions and their history. Every change writes one history row per field
//! (old → new, when, which actor, in which meeting) in the same transaction
//! as the change, so the record and its audit trail cannot disagree. A
//! change made in a meeting whose minutes are approved is refused.

use super::Store;
use crate::domain::action::generated_ref;
use crate::domain::names;
use crate::domain::{ActionStatus, StatusFilter};
use crate::error::{Error, Result};
use crate::pack::ActionDef;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params, types::ToSql};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActionRecord {
    #[serde(rename = "ref")]
    pub reference: String,
    pub text: String,
    pub owner: String,
    pub service: Option<String>,
    pub due: String,
    pub status: ActionStatus,
    pub overdue: bool,
    /// The meeting it was raised in, if any.
    pub meeting: Option<i64>,
    pub indicator: Option<String>,
    pub source: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ActionHistoryEntry>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActionHistoryEntry {
    pub at: String,
    pub actor: String,
    pub meeting: Option<i64>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub note: Option<String>,
}

impl ActionHistoryEntry {
    /// This row for `domain::history` (wording, net changes).
    pub fn as_change(&self) -> crate::domain::history::Change<'_> {
        crate::domain::history::Change {
            field: &self.field,
            old: self.old.as_deref(),
            new: self.new.as_deref(),
            note: self.note.as_deref(),
        }
    }
}

/// One row of the exported action log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportRow {
    #[serde(flatten)]
    pub action: ActionRecord,
    /// The date of the meeting where it was raised, else the day it was recorded.
    pub raised_at: String,
    pub last_update: String,
    /// The latest change or note, in words.
    pub last_note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewAction {
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub service: Option<String>,
    pub meeting: Option<i64>,
    pub indicator: Option<String>,
}

/// What to change; `None` leaves a field alone. `note` is recorded with the
/// change (or alone, as an update note).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionChange {
    pub status: Option<ActionStatus>,
    pub due: Option<NaiveDate>,
    pub owner: Option<String>,
    pub text: Option<String>,
    pub note: Option<String>,
    /// The meeting in which the change is made, for the minutes.
    pub meeting: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ActionFilter {
    pub owner: Option<String>,
    pub service: Option<String>,
    pub status: StatusFilter,
    pub due_before: Option<NaiveDate>,
    pub today: NaiveDate,
    pub limit: Option<u32>,
}

impl ActionFilter {
    /// Every action, any status, in due order: the base other filters refine.
    pub fn all(today: NaiveDate) -> ActionFilter {
        ActionFilter { owner: None, service: None, status: StatusFilter::All, due_before: None, today, limit: None }
    }
}

/// The columns `row_to_action` reads, in its order.
macro_rules! action_columns {
    () => {
        "SELECT a.ref, a.text, o.name, a.service_id, a.due, a.status, a.meeting_id, a.indicator_code, a.source,
        a.created_at, a.updated_at, a.id"
    };
}

pub(super) const SELECT: &str = concat!(action_columns!(), " FROM actions a JOIN owners o ON o.id = a.owner_id");

/// The columns `history_entry` reads, in its order.
pub(super) const HISTORY_COLUMNS: &str = "at, actor, meeting_id, field, old, new, note";

/// One history row whose `HISTORY_COLUMNS` start at column `first`.
pub(super) fn history_entry(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<ActionHistoryEntry> {
    Ok(ActionHistoryEntry {
        at: r.get(first)?,
        actor: r.get(first + 1)?,
        meeting: r.get(first + 2)?,
        field: r.get(first + 3)?,
        old: r.get(first + 4)?,
        new: r.get(first + 5)?,
        note: r.get(first + 6)?,
    })
}

/// For owner lookups. CROSS JOIN makes SQLite keep the (small) owners table
/// in the outer loop and reach actions through the owner index, whatever its
/// statistics say: with ANALYZE's figures it preferred to walk every action
/// in due order, 2 billion instructions instead of 30 million.
const SELECT_BY_OWNER: &str = concat!(action_columns!(), " FROM owners o CROSS JOIN actions a ON a.owner_id = o.id");

pub(super) fn row_to_action(r: &rusqlite::Row<'_>, today: &str) -> rusqlite::Result<(ActionRecord, i64)> {
    row_to_action_at(r, 0, today)
}

/// `row_to_action` for a row whose action columns start at column `first`.
pub(super) fn row_to_action_at(
    r: &rusqlite::Row<'_>,
    first: usize,
    today: &str,
) -> rusqlite::Result<(ActionRecord, i64)> {
    let status_text: String = r.get(first + 5)?;
    let status = ActionStatus::parse(&status_text).unwrap_or(ActionStatus::Open);
    let due: String = r.get(first + 4)?;
    Ok((
        ActionRecord {
            reference: r.get(first)?,
            text: r.get(first + 1)?,
            owner: r.get(first + 2)?,
            service: r.get(first + 3)?,
            overdue: !status.is_closed() && due.as_str() < today,
            due,
            status,
            meeting: r.get(first + 6)?,
            indicator: r.get(first + 7)?,
            source: r.get(first + 8)?,
            created_at: r.get(first + 9)?,
            updated_at: r.get(first + 10)?,
            history: None,
        },
        r.get(first + 11)?,
    ))
}

/// The owner called `name`, recorded if new; its id and stored spelling.
/// Names the same apart from case or spacing are one owner (`folded` is
/// unique since schema v7), so a lookup by any of them finds every one of
/// its actions; the spelling first recorded is kept, because the first to
/// write a role down is usually the one who wrote it properly.
pub(super) fn find_or_add_owner(tx: &Transaction<'_>, name: &str) -> Result<(i64, String)> {
    let folded = names::fold(name);
    // Cached: an import runs these once per pack action.
    tx.prepare_cached("INSERT OR IGNORE INTO owners (name, folded) VALUES (?1, ?2)")?
        .execute(params![names::tidy(name), folded])?;
    Ok(tx
        .prepare_cached("SELECT id, name FROM owners WHERE folded = ?1")?
        .query_row([&folded], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// The stored spelling of the owner `name` would be recorded as: a known
/// owner's (the same apart from case or spacing), else `name` tidied.
pub(super) fn owner_spelling(tx: &Transaction<'_>, name: &str) -> Result<String> {
    let known: Option<String> = tx
        .prepare_cached("SELECT name FROM owners WHERE folded = ?1")?
        .query_row([names::fold(name)], |r| r.get(0))
        .optional()?;
    Ok(known.unwrap_or_else(|| names::tidy(name)))
}

#[allow(clippy::too_many_arguments)]
fn history(
    tx: &Transaction<'_>,
    action_id: i64,
    (actor, at): (&str, &str),
    meeting: Option<i64>,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO action_history (action_id, at, actor, meeting_id, field, old, new, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![action_id, at, actor, meeting, field, old, new, note])?;
    Ok(())
}

/// Insert or overwrite a pack action (the importer decides which), with history.
pub(super) fn upsert_pack_action(
    tx: &Transaction<'_>,
    a: &ActionDef,
    (actor, ts): (&str, &str),
    file: &str,
) -> Result<()> {
    let (owner, owner_name_now) = find_or_add_owner(tx, &a.owner)?;
    let existing: Option<(i64, String, String, Option<String>, String, String)> = tx
        .prepare_cached(
            "SELECT a.id, a.text, o.name, a.service_id, a.due, a.status FROM actions a JOIN owners o ON o.id = a.owner_id WHERE a.ref = ?1",
        )?
        .query_row([&a.reference], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .optional()?;
    let note = format!("from pack {file}");
    let due = a.due.to_string();
    match existing {
        None => {
            tx.prepare_cached(
                "INSERT INTO actions (ref, text, owner_id, service_id, due, status, meeting_id, indicator_code, source, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?9)",
            )?
            .execute(params![a.reference, a.text, owner, a.service, due, a.status.as_str(), a.indicator, a.source, ts])?;
            let id = tx.last_insert_rowid();
            history(tx, id, (actor, ts), None, "created", None, Some(&a.text), Some(&note))?;
        }
        Some((id, text, owner_name, service, old_due, status)) => {
            tx.execute(
                "UPDATE actions SET text = ?2, owner_id = ?3, service_id = ?4, due = ?5, status = ?6, indicator_code = ?7, source = ?8, updated_at = ?9 WHERE id = ?1",
                params![id, a.text, owner, a.service, due, a.status.as_str(), a.indicator, a.source, ts],
            )?;
            let changes = [
                ("text", Some(text), Some(a.text.clone())),
                // Compared as stored: a pack writing a known owner in other
                // case or spacing changes nothing.
                ("owner", Some(owner_name), Some(owner_name_now.clone())),
                ("service", service, a.service.clone()),
                ("due", Some(old_due), Some(due)),
                ("status", Some(status), Some(a.status.as_str().to_string())),
            ];
            for (field, old, new) in changes.iter().filter(|(_, o, n)| o != n) {
                history(tx, id, (actor, ts), None, field, old.as_deref(), new.as_deref(), Some(&note))?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Records a new action with a generated ref; returns it as stored.
    pub fn record_action(&mut self, new: &NewAction) -> Result<ActionRecord> {
        let text = new.text.trim();
        let owner = new.owner.trim();
        if text.is_empty() {
            return Err(Error::invalid("the action needs some text"));
        }
        if owner.is_empty() {
            return Err(Error::invalid("the action needs an owner"));
        }
        let Some(due) = new.due else {
            return Err(Error::invalid("the action needs a due date"));
        };
        if let Some(s) = &new.service {
            self.require_service(s)?;
        }
        if let Some(m) = new.meeting {
            self.meeting(m)?;
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(m) = new.meeting {
            super::meetings::refuse_if_approved(&tx, m)?;
        }
        let (owner_id, _) = find_or_add_owner(&tx, owner)?;
        // Skip numbers a pack happened to use, so refs stay unique.
        let reference = loop {
            let n: i64 =
                tx.query_row("UPDATE ref_counter SET next = next + 1 WHERE id = 1 RETURNING next - 1", [], |r| {
                    r.get(0)
                })?;
            let candidate = generated_ref(n);
            let taken = tx.query_row("SELECT 1 FROM actions WHERE ref = ?1", [&candidate], |_| Ok(())).optional()?;
            if taken.is_none() {
                break candidate;
            }
        };
        let ts = self.clock.stamp();
        tx.execute(
            "INSERT INTO actions (ref, text, owner_id, service_id, due, status, meeting_id, indicator_code, source, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, NULL, ?8, ?8)",
            params![reference, text, owner_id, new.service, due.to_string(), new.meeting, new.indicator, ts],
        )?;
        let id = tx.last_insert_rowid();
        history(&tx, id, (&actor, &ts), new.meeting, "created", None, Some(text), None)?;
        super::stamp(&tx)?;
        tx.commit()?;
        self.action(&reference, self.clock.today())
    }

    /// Applies a change, writing one history row per changed field.
    pub fn update_action(&mut self, reference: &str, change: &ActionChange) -> Result<ActionRecord> {
        let today = self.clock.today();
        let current = self.action(reference, today)?;
        if change.status == Some(ActionStatus::Dropped) && change.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::ReasonNeeded { reference: current.reference.clone() });
        }
        if let Some(o) = &change.owner
            && o.trim().is_empty()
        {
            return Err(Error::invalid("the owner cannot be empty"));
        }
        if let Some(t) = &change.text
            && t.trim().is_empty()
        {
            return Err(Error::invalid("the action text cannot be empty"));
        }
        let mut fields: Vec<(&str, String, String)> = Vec::new();
        if let Some(s) = change.status.filter(|s| *s != current.status) {
            fields.push(("status", current.status.to_string(), s.to_string()));
        }
        if let Some(d) = change.due.map(|d| d.to_string()).filter(|d| *d != current.due) {
            fields.push(("due", current.due.clone(), d));
        }
        // The same owner in other case or spacing is no change of owner.
        if let Some(o) = change.owner.as_deref().filter(|o| names::fold(o) != names::fold(&current.owner)) {
            fields.push(("owner", current.owner.clone(), names::tidy(o)));
        }
        if let Some(t) = change.text.as_deref().map(str::trim).filter(|t| *t != current.text) {
            fields.push(("text", current.text.clone(), t.to_string()));
        }
        let note = change.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if fields.is_empty() && note.is_none() {
            return Err(Error::NothingToChange { reference: current.reference.clone() });
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A change made in a meeting is part of its record; one made
        // between meetings (no meeting) is not locked by any approval.
        if let Some(m) = change.meeting {
            super::meetings::refuse_if_approved(&tx, m)?;
        }
        let id: i64 = tx.query_row("SELECT id FROM actions WHERE ref = ?1", [reference], |r| r.get(0))?;
        let ts = self.clock.stamp();
        for (field, old, new) in &mut fields {
            match *field {
                "owner" => {
                    let (oid, spelling) = find_or_add_owner(&tx, new)?;
                    tx.execute(
                        "UPDATE actions SET owner_id = ?2, updated_at = ?3 WHERE id = ?1",
                        params![id, oid, ts],
                    )?;
                    // History names the owner as the action now shows it.
                    *new = spelling;
                }
                column => {
                    // `column` is one of our own literals above, never user text.
                    tx.execute(
                        &format!("UPDATE actions SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
                        params![id, *new, ts],
                    )?;
                }
            }
            history(&tx, id, (&actor, &ts), change.meeting, field, Some(old), Some(new), note)?;
        }
        if fields.is_empty() {
            tx.execute("UPDATE actions SET updated_at = ?2 WHERE id = ?1", params![id, ts])?;
            history(&tx, id, (&actor, &ts), change.meeting, "note", None, None, note)?;
        }
        super::stamp(&tx)?;
        tx.commit()?;
        self.action(reference, today)
    }

    /// One action by ref (case-insensitive), without history.
    pub fn action(&self, reference: &str, today: NaiveDate) -> Result<ActionRecord> {
        Ok(self.action_row(reference, today)?.0)
    }

    /// An action by ref with its row id, or a clear error.
    fn action_row(&self, reference: &str, today: NaiveDate) -> Result<(ActionRecord, i64)> {
        let today = today.to_string();
        self.conn
            .query_row(&format!("{SELECT} WHERE a.ref = ?1"), [reference], |r| row_to_action(r, &today))
            .optional()?
            .ok_or_else(|| {
                Error::invalid(format!("no action with ref '{}'", crate::domain::sanitize::clean(reference)))
            })
    }

    /// One action with its full history, oldest first.
    pub fn action_with_history(&self, reference: &str, today: NaiveDate) -> Result<ActionRecord> {
        let (mut action, id) = self.action_row(reference, today)?;
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {HISTORY_COLUMNS} FROM action_history WHERE action_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([id], |r| history_entry(r, 0))?;
        action.history = Some(rows.collect::<rusqlite::Result<_>>()?);
        Ok(action)
    }

    /// Runs the action-log query for a filter, handing each action and its
    /// row id to `each` as it is read; the one loop every lookup shares.
    fn each_action_row(
        &self,
        f: &ActionFilter,
        mut each: impl FnMut(ActionRecord, i64) -> Result<()>,
    ) -> Result<usize> {
        let today = f.today.to_string();
        let (sql, args) = action_query(f);
        let mut stmt = self.conn.prepare(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        let mut rows = stmt.query(params.as_slice())?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let (action, id) = row_to_action(row, &today)?;
            each(action, id)?;
            n += 1;
        }
        Ok(n)
    }

    /// Streams the action log through `each`, ordered by due date, without
    /// holding the whole log in memory. Returns how many rows matched.
    pub fn for_each_action(&self, f: &ActionFilter, mut each: impl FnMut(ActionRecord) -> Result<()>) -> Result<usize> {
        self.each_action_row(f, |a, _| each(a))
    }

    /// Streams the action log with what exports need besides each action:
    /// when and where it was raised and its latest update with its note.
    pub fn for_each_export_row(
        &self,
        f: &ActionFilter,
        mut each: impl FnMut(ExportRow) -> Result<()>,
    ) -> Result<usize> {
        let mut last = self.conn.prepare_cached(
            "SELECT at, note, field, old, new FROM action_history WHERE action_id = ?1 ORDER BY id DESC LIMIT 1",
        )?;
        let mut meeting_date = self.conn.prepare_cached("SELECT date FROM meetings WHERE id = ?1")?;
        self.each_action_row(f, |action, id| {
            let raised_at = match action.meeting {
                Some(m) => meeting_date.query_row([m], |r| r.get::<_, String>(0)).optional()?,
                None => None,
            }
            .unwrap_or_else(|| action.created_at.get(..10).unwrap_or(&action.created_at).to_string());
            let (last_update, last_note) = last
                .query_row([id], |r| {
                    let (at, note, field, old, new): (String, Option<String>, String, Option<String>, Option<String>) =
                        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                    let change = crate::domain::history::Change {
                        field: &field,
                        old: old.as_deref(),
                        new: new.as_deref(),
                        note: note.as_deref(),
                    };
                    let what = match field.as_str() {
                        "created" | "note" => note.clone(),
                        _ => Some(crate::domain::history::describe_change(&change)),
                    };
                    Ok((at, what))
                })
                .optional()?
                .unwrap_or_else(|| (action.updated_at.clone(), None));
            each(ExportRow { action, raised_at, last_update, last_note })
        })
    }

    /// SQLite's plan for the action-log query, one line per step, so tests
    /// and benchmarks can check a lookup reaches rows through an index.
    pub fn explain_actions(&self, f: &ActionFilter) -> Result<Vec<String>> {
        let (sql, args) = action_query(f);
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        let rows = stmt.query_map(params.as_slice(), |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Convenience for callers that want a page of rows in memory.
    pub fn actions(&self, f: &ActionFilter) -> Result<Vec<ActionRecord>> {
        let mut out = Vec::new();
        self.for_each_action(f, |a| {
            out.push(a);
            Ok(())
        })?;
        Ok(out)
    }

    /// Distinct owner names, for completion in the meeting screen's form.
    pub fn owners(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT name FROM owners ORDER BY folded")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The action-log SQL for a filter, with its parameters. The owner filter
/// matches a substring in the small owners table, then reaches actions
/// through the owner index, so it never scans the action table.
fn action_query(f: &ActionFilter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut sql = match &f.owner {
        Some(owner) => {
            args.push(Box::new(names::fold(owner)));
            format!("{SELECT_BY_OWNER} WHERE instr(o.folded, ?1) > 0")
        }
        None => format!("{SELECT} WHERE 1 = 1"),
    };
    if let Some(service) = &f.service {
        args.push(Box::new(service.clone()));
        sql += &format!(" AND a.service_id = ?{}", args.len());
    }
    match f.status {
        StatusFilter::Open => sql += " AND a.status IN ('open', 'in_progress')",
        StatusFilter::Overdue => {
            args.push(Box::new(f.today.to_string()));
            sql += &format!(" AND a.status IN ('open', 'in_progress') AND a.due < ?{}", args.len());
        }
        StatusFilter::Done => sql += " AND a.status = 'done'",
        StatusFilter::Dropped => sql += " AND a.status = 'dropped'",
        StatusFilter::All => {}
    }
    if let Some(d) = f.due_before {
        args.push(Box::new(d.to_string()));
        sql += &format!(" AND a.due < ?{}", args.len());
    }
    sql += " ORDER BY a.due, a.id";
    if let Some(limit) = f.limit {
        sql += &format!(" LIMIT {limit}");
    }
    (sql, args)
}
