//! The decision register: decisions recorded in a meeting, usually against a
//! service. Decisions are never deleted; withdrawing one is a status change
//! with a reason, kept in `decision_history`. A decision belongs to its
//! meeting's record: once the minutes are approved it cannot change.

use super::Store;
use crate::domain::DecisionStatus;
use crate::error::{Error, Result};
use rusqlite::{TransactionBehavior, params, types::ToSql};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub meeting: i64,
    pub meeting_date: String,
    pub period: String,
    pub service: Option<String>,
    pub text: String,
    pub status: DecisionStatus,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub meeting: Option<i64>,
    /// Every meeting but this one (earlier decisions, beside this meeting's).
    pub not_meeting: Option<i64>,
    pub service: Option<String>,
    /// Only decisions with no service (the meeting's own business).
    pub meeting_wide: bool,
    /// Meetings reviewing periods from..=to.
    pub from: Option<crate::domain::Period>,
    pub to: Option<crate::domain::Period>,
    /// Words the decision must contain (full-text, prefix match).
    pub text: Option<String>,
    pub limit: Option<u32>,
}

impl Store {
    pub fn record_decision(&mut self, meeting: i64, service: Option<&str>, text: &str) -> Result<DecisionRecord> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("the decision needs some text"));
        }
        self.meeting(meeting)?;
        if let Some(s) = service {
            self.require_service(s)?;
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        super::meetings::refuse_if_approved(&tx, meeting)?;
        let ts = self.clock.stamp();
        tx.execute(
            "INSERT INTO decisions (meeting_id, service_id, text, status, created_at, updated_at) VALUES (?1, ?2, ?3, 'recorded', ?4, ?4)",
            params![meeting, service, text, ts],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO decision_history (decision_id, at, actor, field, old, new, note) VALUES (?1, ?2, ?3, 'created', NULL, ?4, NULL)",
            params![id, ts, actor, text],
        )?;
        super::stamp(&tx)?;
        tx.commit()?;
        self.decision(id)
    }

    /// A meeting's decisions for one service, or meeting-wide (`None`), in
    /// the order they were recorded, withdrawn ones included.
    pub fn meeting_decisions(&self, meeting: i64, service: Option<&str>) -> Result<Vec<DecisionRecord>> {
        self.decisions_where(&DecisionFilter {
            meeting: Some(meeting),
            service: service.map(str::to_string),
            meeting_wide: service.is_none(),
            ..Default::default()
        })
    }

    /// The decisions `filter` selects, collected (for short lists: a
    /// meeting's, a service's latest; the register streams instead).
    pub fn decisions_where(&self, filter: &DecisionFilter) -> Result<Vec<DecisionRecord>> {
        let mut out = Vec::new();
        self.for_each_decision(filter, |d| {
            out.push(d);
            Ok(())
        })?;
        Ok(out)
    }

    /// Withdraws a decision (never deletes it); the reason goes to its history.
    pub fn withdraw_decision(&mut self, id: i64, reason: &str) -> Result<DecisionRecord> {
        self.set_decision_status(id, DecisionStatus::Withdrawn, reason)
    }

    /// Puts a withdrawn decision back (the screen's redo, `U`); the reason
    /// goes to its history like the withdrawal's.
    pub fn reinstate_decision(&mut self, id: i64, reason: &str) -> Result<DecisionRecord> {
        self.set_decision_status(id, DecisionStatus::Recorded, reason)
    }

    fn set_decision_status(&mut self, id: i64, to: DecisionStatus, reason: &str) -> Result<DecisionRecord> {
        let current = self.decision(id)?;
        if current.status == to {
            return Err(Error::invalid(format!("decision {id} is already {to}")));
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        super::meetings::refuse_if_approved(&tx, current.meeting)?;
        let ts = self.clock.stamp();
        tx.execute("UPDATE decisions SET status = ?3, updated_at = ?2 WHERE id = ?1", params![id, ts, to.as_str()])?;
        tx.execute(
            "INSERT INTO decision_history (decision_id, at, actor, field, old, new, note) VALUES (?1, ?2, ?3, 'status', ?4, ?5, ?6)",
            params![id, ts, actor, current.status.as_str(), to.as_str(), reason],
        )?;
        super::stamp(&tx)?;
        tx.commit()?;
        self.decision(id)
    }

    pub fn decision(&self, id: i64) -> Result<DecisionRecord> {
        let f = DecisionFilter::default();
        let mut found = None;
        self.query_decisions(&f, Some(id), |d| {
            found = Some(d);
            Ok(())
        })?;
        found.ok_or_else(|| Error::invalid(format!("no decision with id {id}")))
    }

    /// Streams the register, newest meeting first.
    pub fn for_each_decision(
        &self,
        f: &DecisionFilter,
        each: impl FnMut(DecisionRecord) -> Result<()>,
    ) -> Result<usize> {
        self.query_decisions(f, None, each)
    }

    fn query_decisions(
        &self,
        f: &DecisionFilter,
        id: Option<i64>,
        mut each: impl FnMut(DecisionRecord) -> Result<()>,
    ) -> Result<usize> {
        let mut sql = String::from(
            "SELECT d.id, d.meeting_id, m.date, m.period, d.service_id, d.text, d.status, d.created_at, d.updated_at
             FROM decisions d JOIN meetings m ON m.id = d.meeting_id WHERE 1 = 1",
        );
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(id) = id {
            args.push(Box::new(id));
            sql += &format!(" AND d.id = ?{}", args.len());
        }
        if let Some(m) = f.meeting {
            args.push(Box::new(m));
            sql += &format!(" AND d.meeting_id = ?{}", args.len());
        }
        if let Some(m) = f.not_meeting {
            args.push(Box::new(m));
            sql += &format!(" AND d.meeting_id != ?{}", args.len());
        }
        if let Some(s) = &f.service {
            args.push(Box::new(s.clone()));
            sql += &format!(" AND d.service_id = ?{}", args.len());
        }
        if f.meeting_wide {
            sql += " AND d.service_id IS NULL";
        }
        if let Some(p) = f.from {
            args.push(Box::new(p.to_string()));
            sql += &format!(" AND m.period >= ?{}", args.len());
        }
        if let Some(p) = f.to {
            args.push(Box::new(p.to_string()));
            sql += &format!(" AND m.period <= ?{}", args.len());
        }
        if let Some(text) = &f.text {
            // Through the search index: decision rows are id * 4 + 1 there.
            let query = super::fts_query(text).unwrap_or_else(|| "\"\"".into());
            args.push(Box::new(query));
            sql += &format!(
                " AND d.id IN (SELECT (rowid - 1) / 4 FROM search_index WHERE search_index MATCH ?{} AND kind = 'decision')",
                args.len()
            );
        }
        sql += " ORDER BY m.date DESC, d.meeting_id DESC, d.id";
        if let Some(limit) = f.limit {
            sql += &format!(" LIMIT {limit}");
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        let mut rows = stmt.query(params.as_slice())?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            each(DecisionRecord {
                id: r.get(0)?,
                meeting: r.get(1)?,
                meeting_date: r.get(2)?,
                period: r.get(3)?,
                service: r.get(4)?,
                text: r.get(5)?,
                status: r.get(6)?,
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
            })?;
            n += 1;
        }
        Ok(n)
    }
}
