//! Everything the meeting screen shows for one service in one meeting, in
//! one call: indicators with trends, audits, feedback with last month's
//! counts, the service's actions (carried forward first) and decisions. The
//! screen loads this when the agenda item changes or the database changes,
//! never while drawing.

use super::{ActionRecord, AuditSummary, DecisionFilter, DecisionRecord, KpiRow, MeetingRecord, ServiceInfo, Store};
use crate::domain::Period;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;

/// How many months of history a trend sparkline shows.
pub const TREND_MONTHS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub kind: String,
    pub theme: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackRow {
    pub source: String,
    pub theme: String,
    pub count: u32,
    pub sentiment: String,
    pub quotes: Vec<String>,
    /// The same source and theme's count in the previous period, if reported.
    pub previous_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ViewAction {
    /// The row id, to join history rows without another lookup.
    pub id: i64,
    pub action: ActionRecord,
    /// Raised before this meeting (or from a pack): reviewed as carried forward.
    pub carried_forward: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub service: ServiceInfo,
    pub period: Period,
    pub kpis: Vec<KpiRow>,
    /// Per KPI (same order), up to TREND_MONTHS values, oldest first.
    pub trends: Vec<Vec<f64>>,
    pub audits: Option<AuditSummary>,
    pub findings: Vec<FindingRow>,
    pub feedback: Vec<FeedbackRow>,
    pub actions: Vec<ViewAction>,
    pub decisions: Vec<DecisionRecord>,
}

impl Store {
    pub fn service_view(&self, meeting: &MeetingRecord, service: &str, today: NaiveDate) -> Result<ServiceView> {
        let period: Period = meeting.period.parse().map_err(Error::Database)?;
        let info = self
            .services()?
            .into_iter()
            .find(|s| s.id == service)
            .ok_or_else(|| Error::invalid(format!("unknown service '{service}'")))?;
        let kpis = self.kpi_rows(Some(service), Some(period))?;
        let mut trend_stmt = self.conn.prepare_cached(
            "SELECT value FROM kpi_values WHERE indicator_code = ?1 AND period <= ?2 ORDER BY period DESC LIMIT ?3",
        )?;
        let mut trends = Vec::with_capacity(kpis.len());
        for k in &kpis {
            let mut values: Vec<f64> = trend_stmt
                .query_map(params![k.code, period.to_string(), TREND_MONTHS], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            values.reverse();
            trends.push(values);
        }
        drop(trend_stmt);

        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, theme, text FROM audit_findings WHERE service_id = ?1 AND period = ?2 ORDER BY kind DESC, theme, position",
        )?;
        let findings = stmt
            .query_map(params![service, period.to_string()], |r| {
                Ok(FindingRow { kind: r.get(0)?, theme: r.get(1)?, text: r.get(2)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);

        let mut stmt = self.conn.prepare_cached(
            "SELECT f.source, f.theme, f.count, f.sentiment, f.quotes,
               (SELECT p.count FROM feedback_themes p WHERE p.service_id = f.service_id AND p.period = ?3
                  AND p.source = f.source AND p.theme = f.theme LIMIT 1)
             FROM feedback_themes f WHERE f.service_id = ?1 AND f.period = ?2 ORDER BY f.source, f.position",
        )?;
        let feedback = stmt
            .query_map(params![service, period.to_string(), period.prev().to_string()], |r| {
                let quotes: String = r.get(4)?;
                Ok(FeedbackRow {
                    source: r.get(0)?,
                    theme: r.get(1)?,
                    count: r.get(2)?,
                    sentiment: r.get(3)?,
                    quotes: serde_json::from_str(&quotes).unwrap_or_default(),
                    previous_count: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);

        let actions = self.meeting_actions(meeting.id, service, today)?;
        let mut decisions = Vec::new();
        self.for_each_decision(
            &DecisionFilter { meeting: Some(meeting.id), service: Some(service.to_string()), ..Default::default() },
            |d| {
                decisions.push(d);
                Ok(())
            },
        )?;
        Ok(ServiceView {
            service: info,
            period,
            kpis,
            trends,
            audits: self.audit_summary(service, period)?,
            findings,
            feedback,
            actions,
            decisions,
        })
    }

    /// The service's open actions plus any raised or changed in this meeting
    /// (so an action closed in the meeting stays in view, shown as done);
    /// carried-forward ones first, then by due date.
    pub fn meeting_actions(&self, meeting: i64, service: &str, today: NaiveDate) -> Result<Vec<ViewAction>> {
        // One query: a late meeting can carry thousands of open actions.
        let mut stmt = self.conn.prepare_cached(&format!(
            "{} WHERE a.service_id = ?1 AND (a.status IN ('open', 'in_progress')
               OR a.meeting_id = ?2 OR a.id IN (SELECT action_id FROM action_history WHERE meeting_id = ?2))
             ORDER BY coalesce(a.meeting_id = ?2, 0), a.due, a.id",
            super::actions::SELECT
        ))?;
        let today = today.to_string();
        let rows = stmt.query_map(params![service, meeting], |r| super::actions::row_to_action(r, &today))?;
        rows.map(|row| {
            let (action, id) = row?;
            Ok(ViewAction { id, carried_forward: action.meeting != Some(meeting), action })
        })
        .collect()
    }

    /// Earlier decisions for a service (other meetings), newest first.
    pub fn earlier_decisions(&self, meeting: i64, service: &str, limit: u32) -> Result<Vec<DecisionRecord>> {
        let mut out = Vec::new();
        let filter = DecisionFilter {
            service: Some(service.to_string()),
            not_meeting: Some(meeting),
            limit: Some(limit),
            ..Default::default()
        };
        self.for_each_decision(&filter, |d| {
            out.push(d);
            Ok(())
        })?;
        Ok(out)
    }
}
