//! The agenda overview: one health line per service on a meeting's agenda
//! (RAG counts, special-cause concerns, audits good-or-better against target, open and overdue
//! actions), as the chair sees it before stepping into each service.

use super::{ServiceInfo, Store};
use crate::domain::spc::Variation;
use crate::domain::{Period, Rag};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditSummary {
    pub completed: u32,
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
    pub inadequate: u32,
    pub with_family_feedback: u32,
    pub good_or_better_target: Option<f64>,
    pub family_feedback_target: Option<f64>,
}

impl AuditSummary {
    pub fn good_or_better_pct(&self) -> Option<f64> {
        (self.completed > 0).then(|| f64::from(self.outstanding + self.good) * 100.0 / f64::from(self.completed))
    }

    pub fn family_feedback_pct(&self) -> Option<f64> {
        (self.completed > 0).then(|| f64::from(self.with_family_feedback) * 100.0 / f64::from(self.completed))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AgendaLine {
    pub position: usize,
    pub service: ServiceInfo,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    /// Indicators whose latest month is special cause, concern: where the
    /// real changes for the worse are.
    pub spc_concern: usize,
    pub audits: Option<AuditSummary>,
    pub open_actions: i64,
    pub overdue_actions: i64,
}

impl Store {
    pub fn audit_summary(&self, service: &str, period: Period) -> Result<Option<AuditSummary>> {
        Ok(self
            .conn
            .query_row(
                "SELECT completed, outstanding, good, requires_improvement, inadequate, with_family_feedback,
                   good_or_better_target, family_feedback_target FROM audit_summaries WHERE service_id = ?1 AND period = ?2",
                params![service, period.to_string()],
                |r| {
                    Ok(AuditSummary {
                        completed: r.get(0)?,
                        outstanding: r.get(1)?,
                        good: r.get(2)?,
                        requires_improvement: r.get(3)?,
                        inadequate: r.get(4)?,
                        with_family_feedback: r.get(5)?,
                        good_or_better_target: r.get(6)?,
                        family_feedback_target: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }

    /// (open, overdue) actions for a service, through the service index.
    pub fn action_counts(&self, service: &str, today: NaiveDate) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(due < ?2), 0) FROM actions WHERE service_id = ?1 AND status IN ('open', 'in_progress')",
            params![service, today.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub fn agenda_overview(&self, meeting: i64, today: NaiveDate) -> Result<Vec<AgendaLine>> {
        let m = self.meeting(meeting)?;
        let period: Period = m.period.parse().map_err(crate::error::Error::Database)?;
        let services = self.services()?;
        let mut lines = Vec::new();
        for (i, id) in m.agenda.iter().enumerate() {
            let Some(service) = services.iter().find(|s| &s.id == id).cloned() else {
                continue;
            };
            let rows = self.kpi_rows(Some(id), Some(period))?;
            let count = |rag| rows.iter().filter(|r| r.rag == rag).count();
            let (open, overdue) = self.action_counts(id, today)?;
            lines.push(AgendaLine {
                position: i + 1,
                red: count(Rag::Red),
                amber: count(Rag::Amber),
                green: count(Rag::Green),
                spc_concern: rows.iter().filter(|r| r.variation == Variation::SpecialCauseConcern).count(),
                audits: self.audit_summary(id, period)?,
                open_actions: open,
                overdue_actions: overdue,
                service,
            });
        }
        Ok(lines)
    }
}
