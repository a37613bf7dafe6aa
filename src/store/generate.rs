//! A synthetic database of realistic shape, for benchmarks and training:
//! years of monthly meetings over N services with ~4 indicators each,
//! monthly values, audits and feedback, decisions, and actions with owners,
//! statuses, due dates and histories. Deterministic (a fixed-seed PRNG), so
//! two runs with the same options give the same data. Bulk-loaded in one
//! transaction with the search index rebuilt once at the end.

use super::Store;
use crate::error::{Error, Result};
use chrono::{Datelike, Months, NaiveDate};
use rusqlite::params;

#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    pub years: u32,
    pub services: u32,
    pub actions: u64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Generated {
    pub meetings: u64,
    pub services: u64,
    pub indicators: u64,
    pub values: u64,
    pub actions: u64,
    pub history: u64,
    pub decisions: u64,
    pub owners: u64,
}

/// xorshift64*: tiny, fast, deterministic; quality is ample for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SERVICE_NAMES: &[&str] = &[
    "Corporate Parenting",
    "Disabled Children's Service",
    "Academy, Quality Assurance and Practice",
    "Front Door and MASH",
    "Early Help",
    "Care Experienced Young People",
    "Children and Families North",
    "Children and Families South",
    "Fostering",
    "Adoption",
    "Youth Justice",
    "Residential Care",
    "Safeguarding Unit",
    "Education Inclusion",
];
const ROLES: &[&str] = &["Head of Service", "Team Manager", "Service Manager", "Practice Lead", "Senior Practitioner"];
const VERBS: &[&str] =
    &["Review", "Audit", "Embed", "Publish", "Recruit to", "Report on", "Improve", "Agree", "Complete", "Pilot"];
const OBJECTS: &[&str] = &[
    "supervision recording",
    "life-story work",
    "care plans",
    "chronologies",
    "the voice of the child in assessments",
    "placement stability",
    "pathway plans",
    "the front door threshold",
    "return home interviews",
    "permanence planning",
    "health assessments",
    "caseload allocation",
    "training for newly qualified workers",
    "transition planning",
];
const THEMES: &[&str] =
    &["Supervision", "Management oversight", "Voice of the child", "Chronologies", "Care planning", "Life-story work"];
const SOURCES: &[&str] = &["children_young_people", "families", "complaints", "compliments", "workforce", "partners"];
const SENTIMENTS: &[&str] = &["positive", "negative", "mixed", "neutral"];

fn fail(e: rusqlite::Error) -> Error {
    Error::Database(format!("generating: {e}"))
}

impl Store {
    /// Fills this (new, empty) database with synthetic data.
    pub fn generate(&mut self, o: GenerateOptions) -> Result<Generated> {
        if o.years == 0 || o.services == 0 {
            return Err(Error::invalid("--years and --services must be at least 1"));
        }
        let already: i64 = self.conn.query_row("SELECT count(*) FROM services", [], |r| r.get(0))?;
        if already > 0 {
            return Err(Error::invalid("generate needs a new, empty database file"));
        }
        // A throwaway file being built: durability buys nothing until it is done.
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut g = Generated::default();
        let start = NaiveDate::from_ymd_opt(2026 - o.years as i32, 1, 1)
            .ok_or_else(|| Error::invalid("--years is too large"))?;
        let months = o.years * 12;
        let tx = self.conn.transaction().map_err(fail)?;
        // The search index is rebuilt once at the end, not row by row.
        for t in ["search_action_insert", "search_decision_insert", "search_finding_insert", "search_feedback_insert"] {
            tx.execute_batch(&format!("DROP TRIGGER {t}")).map_err(fail)?;
        }
        let services: Vec<String> = (0..o.services).map(|i| format!("service-{:02}", i + 1)).collect();
        for (i, id) in services.iter().enumerate() {
            let base = SERVICE_NAMES[i % SERVICE_NAMES.len()];
            let name = if i < SERVICE_NAMES.len() {
                base.to_string()
            } else {
                format!("{base} {}", i / SERVICE_NAMES.len() + 1)
            };
            tx.execute(
                "INSERT INTO services (id, name, head, position) VALUES (?1, ?2, ?3, ?4)",
                params![id, name, format!("Head of Service, {name}"), i as i64 + 1],
            )
            .map_err(fail)?;
            g.services += 1;
        }
        let mut owners = Vec::new();
        for (i, s) in services.iter().enumerate() {
            for (r, role) in ROLES.iter().enumerate() {
                let name = format!("{role}{}, {}", if r == 0 { String::new() } else { format!(" {}", i % 7 + 1) }, s);
                tx.execute(
                    "INSERT INTO owners (name, folded) VALUES (?1, ?2)",
                    params![name, crate::domain::names::fold(&name)],
                )
                .map_err(fail)?;
                owners.push((tx.last_insert_rowid(), s.clone()));
                g.owners += 1;
            }
        }
        // Four indicators per service, each with a baseline, target and a monthly value.
        let mut kpi = tx.prepare("INSERT INTO kpi_values (indicator_code, period, service_id, value, note) VALUES (?1, ?2, ?3, ?4, NULL)").map_err(fail)?;
        for (i, s) in services.iter().enumerate() {
            for k in 0..4 {
                let code = format!("S{:02}-K{k}", i + 1);
                let higher = k % 2 == 0;
                let (baseline, target) = if higher { (60.0, 80.0) } else { (30.0, 15.0) };
                tx.execute(
                    "INSERT INTO indicators (code, name, unit, polarity, priority, service_id, baseline, target) VALUES (?1, ?2, 'percent', ?3, 'Change', ?4, ?5, ?6)",
                    params![code, format!("{} measure {}", s, k + 1), if higher { "higher_is_better" } else { "lower_is_better" }, s, baseline, target],
                )
                .map_err(fail)?;
                g.indicators += 1;
                let mut v: f64 = baseline;
                for m in 0..months {
                    let period = start
                        .checked_add_months(Months::new(m))
                        .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
                        .unwrap_or_default();
                    v = (v + (rng.below(101) as f64 - 50.0) / 10.0).clamp(0.0, 100.0);
                    kpi.execute(params![code, period, s, (v * 10.0).round() / 10.0]).map_err(fail)?;
                    g.values += 1;
                }
            }
        }
        drop(kpi);
        // Monthly audits, findings and feedback per service.
        for s in &services {
            for m in 0..months {
                let period = start
                    .checked_add_months(Months::new(m))
                    .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
                    .unwrap_or_default();
                let good = rng.below(7) + 2;
                let ri = rng.below(10 - good);
                let inadequate = 10 - good - ri;
                tx.execute(
                    "INSERT INTO audit_summaries (service_id, period, completed, outstanding, good, requires_improvement, inadequate, with_family_feedback, good_or_better_target, family_feedback_target)
                     VALUES (?1, ?2, 10, 0, ?3, ?4, ?5, ?6, 70, 80)",
                    params![s, period, good as i64, ri as i64, inadequate as i64, rng.below(11) as i64],
                )
                .map_err(fail)?;
                for (pos, kind) in ["strength", "improvement"].iter().enumerate() {
                    let theme = *rng.pick(THEMES);
                    tx.execute(
                        "INSERT INTO audit_findings (service_id, period, position, kind, theme, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![s, period, pos as i64, kind, theme, format!("{theme}: {} in the cases audited this month.", if pos == 0 { "strong practice seen" } else { "gaps found" })],
                    )
                    .map_err(fail)?;
                    tx.execute(
                        "INSERT INTO feedback_themes (service_id, period, position, source, theme, count, sentiment, quotes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '[]')",
                        params![s, period, pos as i64, rng.pick(SOURCES), theme, (rng.below(9) + 1) as i64, rng.pick(SENTIMENTS)],
                    )
                    .map_err(fail)?;
                }
            }
        }
        // Monthly meetings (second Tuesday-ish), all services on the agenda, two decisions each.
        let mut meetings: Vec<(i64, NaiveDate)> = Vec::new();
        for m in 1..=months {
            let date = start.checked_add_months(Months::new(m)).and_then(|d| d.with_day(10)).unwrap_or(start);
            let period = start
                .checked_add_months(Months::new(m - 1))
                .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
                .unwrap_or_default();
            tx.execute(
                "INSERT INTO meetings (date, period, chair, created_at) VALUES (?1, ?2, 'Director of Children''s Services', ?3)",
                params![date.to_string(), period, format!("{date}T09:00:00Z")],
            )
            .map_err(fail)?;
            let id = tx.last_insert_rowid();
            for (pos, s) in services.iter().enumerate() {
                tx.execute(
                    "INSERT INTO agenda_items (meeting_id, position, service_id) VALUES (?1, ?2, ?3)",
                    params![id, pos as i64, s],
                )
                .map_err(fail)?;
                for _ in 0..2 {
                    tx.execute(
                        "INSERT INTO decisions (meeting_id, service_id, text, status, created_at, updated_at) VALUES (?1, ?2, ?3, 'recorded', ?4, ?4)",
                        params![id, s, format!("Agreed to {} {}", rng.pick(VERBS).to_lowercase(), rng.pick(OBJECTS)), format!("{date}T10:00:00Z")],
                    )
                    .map_err(fail)?;
                    g.decisions += 1;
                }
            }
            meetings.push((id, date));
            g.meetings += 1;
        }
        // Actions spread over the meetings; older ones mostly closed.
        let mut action = tx
            .prepare("INSERT INTO actions (ref, text, owner_id, service_id, due, status, meeting_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .map_err(fail)?;
        let mut history = tx
            .prepare("INSERT INTO action_history (action_id, at, actor, meeting_id, field, old, new, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            .map_err(fail)?;
        let last = meetings.len() as u64;
        for n in 0..o.actions {
            let mi = (n * last / o.actions.max(1)) as usize;
            let (meeting, date) = meetings[mi.min(meetings.len() - 1)];
            let (owner, service) = rng.pick(&owners).clone();
            let due = date.checked_add_months(Months::new(1 + rng.below(3) as u32)).unwrap_or(date);
            let age = last - mi as u64; // meetings since raised
            // Recent actions are mostly still open; older ones closed, with a
            // few (2%) lingering, as real action logs do.
            let status = match (age, rng.below(100)) {
                (a, r) if a > 3 && r < 88 => "done",
                (a, r) if a > 3 && r < 98 => "dropped",
                (a, r) if a > 3 && r < 99 => "in_progress",
                (a, _) if a > 3 => "open",
                (_, r) if r < 40 => "in_progress",
                _ => "open",
            };
            let at = format!("{date}T10:30:00Z");
            let text = format!("{} {}", rng.pick(VERBS), rng.pick(OBJECTS));
            action
                .execute(params![format!("A{}", n + 1), text, owner, service, due.to_string(), status, meeting, at, at])
                .map_err(fail)?;
            let id = tx.last_insert_rowid();
            history
                .execute(params![id, at, "minutes", meeting, "created", None::<String>, text, None::<String>])
                .map_err(fail)?;
            g.history += 1;
            if status != "open" {
                let (later, later_date) = meetings[(mi + 1 + rng.below(3) as usize).min(meetings.len() - 1)];
                let note = if status == "dropped" {
                    Some("superseded by a later action")
                } else {
                    Some("update given at QPRM")
                };
                history
                    .execute(params![
                        id,
                        format!("{later_date}T10:45:00Z"),
                        "chair",
                        later,
                        "status",
                        "open",
                        status,
                        note
                    ])
                    .map_err(fail)?;
                g.history += 1;
            }
            g.actions += 1;
        }
        drop(action);
        drop(history);
        tx.execute("UPDATE ref_counter SET next = ?1 WHERE id = 1", [o.actions as i64 + 1]).map_err(fail)?;
        // Put the search triggers back (as schema v3 defines them) and index everything once.
        tx.execute_batch(&search_triggers()).map_err(fail)?;
        tx.execute_batch(include_str!("schema_v3_backfill.sql")).map_err(fail)?;
        super::stamp(&tx).map_err(fail)?;
        tx.commit().map_err(fail)?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // No ANALYZE: a database grown by meetings never has statistics, so
        // neither does this one; benchmarks then see the plans users get.
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(g)
    }
}

/// The four insert triggers of schema v3, recreated after a bulk load.
fn search_triggers() -> String {
    ["search_action_insert", "search_decision_insert", "search_finding_insert", "search_feedback_insert"]
        .iter()
        .map(|name| trigger_sql(name))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One of schema v3's search triggers as it defines it (for putting it
/// back after a bulk load); empty if there is no such trigger.
pub(super) fn trigger_sql(name: &str) -> String {
    let v3 = include_str!("schema_v3.sql");
    let Some(start) = v3.find(&format!("CREATE TRIGGER {name} ")) else { return String::new() };
    v3[start..].find("END;").map(|end| v3[start..start + end + 4].to_string()).unwrap_or_default()
}
