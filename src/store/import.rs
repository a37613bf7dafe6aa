//! Importing validated packs: all packs of one command in one transaction,
//! so either every pack lands or nothing changes. Each stored item is compared
//! with the pack as canonical JSON: new items are added, identical ones left
//! alone (re-import is idempotent), and differing ones are refused (a typed
//! `ImportConflicts` the caller words) unless `replace`, which overwrites
//! them and keeps the old value in history. What a pack leaves out (a
//! stored service's name or head) is kept, never erased.

use super::{Store, actions};
use crate::error::{Error, ImportConflict, Result};
use crate::pack::{ActionDef, IndicatorDef, ServiceReport, ValidPack};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::json;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub replace: bool,
    /// Check everything, report what would happen, then roll back.
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub period: String,
    /// "indicator CIC-HEALTH", "value CIC-HEALTH 2023-07", ...
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
}

/// One item compared against the store.
struct Item {
    key: String,
    stored: Option<String>,
    incoming: String,
}

/// A stored value that `--replace` overwrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Replacement {
    pub at: String,
    pub file: String,
    pub item: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Store {
    /// What `--replace` overwrote for an item ("value CIC-HEALTH 2023-07"), oldest first.
    pub fn replacements(&self, item: &str) -> Result<Vec<Replacement>> {
        let mut stmt = self.conn.prepare(
            "SELECT i.at, i.file, r.item, r.old, r.new FROM replaced_values r JOIN imports i ON i.id = r.import_id
             WHERE r.item = ?1 ORDER BY r.id",
        )?;
        let rows = stmt.query_map([item], |r| {
            Ok(Replacement { at: r.get(0)?, file: r.get(1)?, item: r.get(2)?, old: r.get(3)?, new: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Imports packs atomically. With conflicts and no `replace`, nothing is
    /// written and the error lists every conflict. `dry_run` runs exactly
    /// the same comparison and writes, then rolls back: what `validate`
    /// uses, so its "ok" means an import would succeed.
    pub fn import_packs(&mut self, packs: &[ValidPack], opts: ImportOptions) -> Result<Vec<ImportSummary>> {
        let actor = self.actor.clone();
        let at = self.clock.stamp();
        // Screens waiting for the write lock can say why (store/import_mark.rs).
        let _running = (!opts.dry_run).then(|| super::import_mark::ImportMark::hold(&self.path));
        // A pack's few statements run once per action: keep them all prepared.
        self.conn.set_prepared_statement_cache_capacity(64);
        // Eleven indexes take every action's row: with SQLite's default 2 MB
        // cache a 100,000-action pack spilled and re-read index pages for
        // most of its time. The import's own connection holds up to 64 MB
        // (only as much as it touches), then goes back to the default.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -65536)?;
        let imported = self.import_in_one_transaction(packs, opts, (&actor, &at));
        self.conn.pragma_update(None, "cache_size", cache)?;
        imported
    }

    fn import_in_one_transaction(
        &mut self,
        packs: &[ValidPack],
        opts: ImportOptions,
        (actor, at): (&str, &str),
    ) -> Result<Vec<ImportSummary>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Row by row, the search trigger makes FTS5 write and merge a tiny
        // index segment per action (every statement's savepoint flushes its
        // pending terms): 8 s for 100,000 actions. Inside this transaction
        // the trigger is set aside and the new actions indexed in one
        // statement at the end; a rollback puts everything back as it was.
        let indexed_up_to: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM actions", [], |r| r.get(0))?;
        tx.execute_batch("DROP TRIGGER search_action_insert")?;
        let mut summaries = Vec::new();
        let mut conflicts = Vec::new();
        for pack in packs {
            let summary = import_one(&tx, pack, opts, (actor, at), &mut conflicts)?;
            summaries.push(summary);
        }
        index_new_actions(&tx, indexed_up_to)?;
        tx.execute_batch(&super::generate::trigger_sql("search_action_insert"))?;
        if !conflicts.is_empty() && !opts.replace {
            // Dropping `tx` rolls back.
            return Err(Error::ImportConflicts(conflicts));
        }
        if opts.dry_run {
            tx.rollback()?;
        } else {
            super::stamp(&tx)?;
            tx.commit()?;
        }
        Ok(summaries)
    }
}

/// Indexes for search the actions added since `after` (their ids are
/// larger) that are not indexed yet: one bulk insert, as schema v3's
/// backfill does. An action added and then changed by a later pack of the
/// same command was indexed by the update trigger already.
fn index_new_actions(tx: &Transaction<'_>, after: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO search_index (rowid, kind, ref, service, period, meeting, title, body)
         SELECT a.id * 4, 'action', a.ref, a.service_id, NULL, a.meeting_id, o.name, a.text
         FROM actions a JOIN owners o ON o.id = a.owner_id
         WHERE a.id > ?1 AND a.id * 4 NOT IN (SELECT rowid FROM search_index WHERE rowid > ?1 * 4)",
        [after],
    )?;
    Ok(())
}

fn import_one(
    tx: &Transaction<'_>,
    pack: &ValidPack,
    opts: ImportOptions,
    (actor, at): (&str, &str),
    conflicts: &mut Vec<ImportConflict>,
) -> Result<ImportSummary> {
    let period = pack.period.to_string();
    let mut summary = ImportSummary { file: pack.file.clone(), period: period.clone(), ..Default::default() };
    tx.execute(
        "INSERT INTO imports (at, actor, file, period, organisation, added, changed, unchanged) VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0)",
        params![at, actor, pack.file, period, pack.organisation],
    )?;
    let import_id = tx.last_insert_rowid();

    // Order matters for foreign keys: services, indicators, then the rest.
    let mut apply = |item: Item, write: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        // Only a stored item is compared, so only then is either side normalised.
        let item = match item.stored {
            Some(old) => Item { stored: Some(normalise_json(old)), incoming: normalise_json(item.incoming), ..item },
            None => item,
        };
        match &item.stored {
            None => {
                write()?;
                summary.added.push(item.key);
            }
            Some(old) if *old == item.incoming => summary.unchanged += 1,
            Some(old) => {
                conflicts.push(ImportConflict {
                    file: pack.file.clone(),
                    item: item.key.clone(),
                    stored: old.clone(),
                    incoming: item.incoming.clone(),
                });
                if opts.replace {
                    write()?;
                    tx.execute(
                        "INSERT INTO replaced_values (import_id, item, old, new) VALUES (?1, ?2, ?3, ?4)",
                        params![import_id, item.key, old, item.incoming],
                    )?;
                }
                summary.changed.push(item.key);
            }
        }
        Ok(())
    };

    for s in &pack.services {
        let stored: Option<(String, Option<String>)> = tx
            .query_row("SELECT name, head FROM services WHERE id = ?1", [&s.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // What the pack leaves out, the store keeps: a per-service pack
        // without "head" must never erase the Head of Service, even with
        // `replace`.
        let name = s.name.clone().or_else(|| stored.as_ref().map(|(n, _)| n.clone()));
        let head = s.head.clone().or_else(|| stored.as_ref().and_then(|(_, h)| h.clone()));
        let Some(name) = name else {
            // Validation requires a name for a service not yet stored.
            return Err(Error::invalid(format!("{}: service {}: a new service needs \"name\"", pack.file, s.id)));
        };
        let item = Item {
            key: format!("service {}", s.id),
            stored: stored.map(|(n, h)| json!({"name": n, "head": h}).to_string()),
            incoming: json!({"name": name, "head": head}).to_string(),
        };
        apply(item, &mut || write_service(tx, &s.id, &name, head.as_deref()))?;
    }
    for ind in &pack.indicators {
        let item = Item {
            key: format!("indicator {}", ind.code),
            stored: stored_indicator(tx, &ind.code)?,
            incoming: indicator_json(ind),
        };
        apply(item, &mut || write_indicator(tx, ind, at))?;
    }
    for s in &pack.services {
        for d in &s.data {
            let stored = tx
                .query_row(
                    "SELECT json_object('value', value, 'note', note, 'service', service_id) FROM kpi_values WHERE indicator_code = ?1 AND period = ?2",
                    params![d.indicator, period],
                    |r| r.get(0),
                )
                .optional()?;
            let incoming = json!({"value": d.value, "note": d.note, "service": s.id}).to_string();
            let item = Item { key: format!("value {} {period}", d.indicator), stored, incoming };
            apply(item, &mut || {
                tx.execute(
                    "INSERT INTO kpi_values (indicator_code, period, service_id, value, note) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (indicator_code, period) DO UPDATE SET service_id = ?3, value = ?4, note = ?5",
                    params![d.indicator, period, s.id, d.value, d.note],
                )?;
                Ok(())
            })?;
        }
        if s.audits.is_some() {
            let item = Item {
                key: format!("audits {} {period}", s.id),
                stored: stored_audits(tx, &s.id, &period)?,
                incoming: audits_json(pack, s),
            };
            apply(item, &mut || write_audits(tx, pack, s, &period))?;
        }
        if !s.feedback.is_empty() {
            let item = Item {
                key: format!("feedback {} {period}", s.id),
                stored: stored_feedback(tx, &s.id, &period)?,
                incoming: feedback_json(s),
            };
            apply(item, &mut || write_feedback(tx, s, &period))?;
        }
    }
    for a in &pack.actions {
        // A new action is compared with nothing: its JSON is only built
        // (an owner lookup and a serialisation, per action) when stored.
        let stored = stored_action(tx, &a.reference)?;
        let incoming = if stored.is_some() { action_json(tx, a)? } else { String::new() };
        let item = Item { key: format!("action {}", a.reference), stored, incoming };
        apply(item, &mut || actions::upsert_pack_action(tx, a, (actor, at), &pack.file))?;
    }

    tx.execute(
        "UPDATE imports SET added = ?2, changed = ?3, unchanged = ?4 WHERE id = ?1",
        params![import_id, summary.added.len(), summary.changed.len(), summary.unchanged],
    )?;
    Ok(summary)
}

/// SQLite's json_object keeps key order and prints numbers its own way
/// (`90.0` vs `90`); re-serialising both sides through serde_json (sorted
/// keys, one number format) makes them comparable.
fn normalise_json(s: String) -> String {
    serde_json::from_str::<serde_json::Value>(&s).map(|v| v.to_string()).unwrap_or(s)
}

fn write_service(tx: &Transaction<'_>, id: &str, name: &str, head: Option<&str>) -> Result<()> {
    tx.execute(
        "INSERT INTO services (id, name, head, position) VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM services))
         ON CONFLICT (id) DO UPDATE SET name = ?2, head = ?3",
        params![id, name, head],
    )?;
    Ok(())
}

fn indicator_json(i: &IndicatorDef) -> String {
    json!({
        "name": i.name, "unit": i.unit.as_str(), "polarity": i.polarity.as_str(), "priority": i.priority,
        "service": i.service, "baseline": i.baseline, "baseline_period": i.baseline_period.map(|p| p.to_string()),
        "target": i.target, "target_period": i.target_period.map(|p| p.to_string()),
        "england": i.england, "statistical_neighbours": i.statistical_neighbours,
    })
    .to_string()
}

fn stored_indicator(tx: &Transaction<'_>, code: &str) -> Result<Option<String>> {
    let s: Option<String> = tx
        .query_row(
            "SELECT json_object('name', name, 'unit', unit, 'polarity', polarity, 'priority', priority, 'service', service_id,
                'baseline', baseline, 'baseline_period', baseline_period, 'target', target, 'target_period', target_period,
                'england', england, 'statistical_neighbours', statistical_neighbours) FROM indicators WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()?;
    Ok(s)
}

fn write_indicator(tx: &Transaction<'_>, i: &IndicatorDef, at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO indicators (code, name, unit, polarity, priority, service_id, baseline, baseline_period, target, target_period, england, statistical_neighbours)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (code) DO UPDATE SET name = ?2, unit = ?3, polarity = ?4, priority = ?5, service_id = ?6, baseline = ?7,
           baseline_period = ?8, target = ?9, target_period = ?10, england = ?11, statistical_neighbours = ?12",
        params![
            i.code,
            i.name,
            i.unit.as_str(),
            i.polarity.as_str(),
            i.priority,
            i.service,
            i.baseline,
            i.baseline_period.map(|p| p.to_string()),
            i.target,
            i.target_period.map(|p| p.to_string()),
            i.england,
            i.statistical_neighbours
        ],
    )?;
    // A pack's rebase is added once: one taken out with `kpi --no-rebase`
    // stays out when the pack is imported again.
    for p in &i.rebase {
        tx.execute(
            "INSERT INTO spc_rebases (indicator_code, period, active, source, changed_at) VALUES (?1, ?2, 1, 'import', ?3)
             ON CONFLICT (indicator_code, period) DO NOTHING",
            params![i.code, p.to_string(), at],
        )?;
    }
    Ok(())
}

fn audits_json(pack: &ValidPack, s: &ServiceReport) -> String {
    let a = s.audits.as_ref();
    json!({
        "completed": a.map(|a| a.completed), "outstanding": a.map(|a| a.outstanding), "good": a.map(|a| a.good),
        "requires_improvement": a.map(|a| a.requires_improvement), "inadequate": a.map(|a| a.inadequate),
        "with_family_feedback": a.map(|a| a.with_family_feedback),
        "good_or_better_target": pack.good_or_better_target, "family_feedback_target": pack.family_feedback_target,
        "findings": a.map(|a| a.findings.iter().map(|f| json!([f.kind.as_str(), f.theme, f.text])).collect::<Vec<_>>()),
    })
    .to_string()
}

fn stored_audits(tx: &Transaction<'_>, service: &str, period: &str) -> Result<Option<String>> {
    let s: Option<String> = tx
        .query_row(
            "SELECT json_object('completed', completed, 'outstanding', outstanding, 'good', good,
                'requires_improvement', requires_improvement, 'inadequate', inadequate,
                'with_family_feedback', with_family_feedback, 'good_or_better_target', good_or_better_target,
                'family_feedback_target', family_feedback_target,
                'findings', (SELECT json_group_array(json_array(kind, theme, text)) FROM
                    (SELECT kind, theme, text FROM audit_findings WHERE service_id = ?1 AND period = ?2 ORDER BY position)))
             FROM audit_summaries WHERE service_id = ?1 AND period = ?2",
            [service, period],
            |r| r.get(0),
        )
        .optional()?;
    Ok(s)
}

fn write_audits(tx: &Transaction<'_>, pack: &ValidPack, s: &ServiceReport, period: &str) -> Result<()> {
    let Some(a) = &s.audits else { return Ok(()) };
    tx.execute(
        "INSERT OR REPLACE INTO audit_summaries (service_id, period, completed, outstanding, good, requires_improvement, inadequate,
           with_family_feedback, good_or_better_target, family_feedback_target) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            s.id,
            period,
            a.completed,
            a.outstanding,
            a.good,
            a.requires_improvement,
            a.inadequate,
            a.with_family_feedback,
            pack.good_or_better_target,
            pack.family_feedback_target
        ],
    )?;
    // Findings are the pack's per month; replacing them is what --replace
    // means, and the old set is already kept in replaced_values.
    tx.execute("DELETE FROM audit_findings WHERE service_id = ?1 AND period = ?2", [&s.id, period])?;
    let mut stmt = tx.prepare(
        "INSERT INTO audit_findings (service_id, period, position, kind, theme, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, f) in a.findings.iter().enumerate() {
        stmt.execute(params![s.id, period, i, f.kind.as_str(), f.theme, f.text])?;
    }
    Ok(())
}

fn feedback_json(s: &ServiceReport) -> String {
    serde_json::Value::Array(
        s.feedback
            .iter()
            .map(|f| json!([f.source.as_str(), f.theme, f.count, f.sentiment.as_str(), f.quotes]))
            .collect(),
    )
    .to_string()
}

fn stored_feedback(tx: &Transaction<'_>, service: &str, period: &str) -> Result<Option<String>> {
    let s: Option<String> = tx
        .query_row(
            "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_array(json_array(source, theme, count, sentiment, json(quotes))) END
             FROM (SELECT * FROM feedback_themes WHERE service_id = ?1 AND period = ?2 ORDER BY position)",
            [service, period],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(s)
}

fn write_feedback(tx: &Transaction<'_>, s: &ServiceReport, period: &str) -> Result<()> {
    tx.execute("DELETE FROM feedback_themes WHERE service_id = ?1 AND period = ?2", [&s.id, period])?;
    let mut stmt = tx.prepare(
        "INSERT INTO feedback_themes (service_id, period, position, source, theme, count, sentiment, quotes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, f) in s.feedback.iter().enumerate() {
        let quotes = serde_json::to_string(&f.quotes).map_err(|e| Error::invalid(e.to_string()))?;
        stmt.execute(params![s.id, period, i, f.source.as_str(), f.theme, f.count, f.sentiment.as_str(), quotes])?;
    }
    Ok(())
}

/// The owner as it would be stored (a known owner's spelling), so a pack
/// that writes a known owner in other case or spacing is unchanged.
fn action_json(tx: &Transaction<'_>, a: &ActionDef) -> Result<String> {
    Ok(json!({
        "text": a.text, "owner": actions::owner_spelling(tx, &a.owner)?, "service": a.service,
        "due": a.due.to_string(), "status": a.status.as_str(), "source": a.source, "indicator": a.indicator,
    })
    .to_string())
}

fn stored_action(tx: &Transaction<'_>, reference: &str) -> Result<Option<String>> {
    let s: Option<String> = tx
        .prepare_cached(
            "SELECT json_object('text', a.text, 'owner', o.name, 'service', a.service_id, 'due', a.due, 'status', a.status,
                'source', a.source, 'indicator', a.indicator_code)
             FROM actions a JOIN owners o ON o.id = a.owner_id WHERE a.ref = ?1",
        )?
        .query_row([reference], |r| r.get(0))
        .optional()?;
    Ok(s)
}
