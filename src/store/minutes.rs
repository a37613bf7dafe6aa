//! What the minutes of one meeting record: attendance and whether these
//! minutes were agreed, whether the previous meeting's were, then per
//! service in agenda order its headline data (reds and ambers), audits,
//! decisions, new actions and carried-forward actions with the updates made
//! at this meeting, and an owner summary. Overdue is judged as of the
//! meeting's date, so the minutes read the same whenever they are produced.

use super::{
    ActionHistoryEntry, ActionRecord, AuditSummary, DecisionFilter, DecisionRecord, KpiRow, MeetingHistoryEntry,
    MeetingRecord, ServiceInfo, Store,
};
use crate::domain::{Period, Rag};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CarriedAction {
    #[serde(flatten)]
    pub action: ActionRecord,
    /// Changes and notes recorded at this meeting, oldest first.
    pub updates: Vec<ActionHistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MinutesService {
    pub service: ServiceInfo,
    /// Red and amber indicators for the period, reds first.
    pub headline: Vec<KpiRow>,
    pub greens: usize,
    pub audits: Option<AuditSummary>,
    pub decisions: Vec<DecisionRecord>,
    pub new_actions: Vec<ActionRecord>,
    pub carried_forward: Vec<CarriedAction>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OwnerSummary {
    pub owner: String,
    pub open: usize,
    pub overdue: usize,
}

/// The meeting before this one, whose minutes this meeting agrees.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PreviousMeeting {
    pub id: i64,
    pub date: String,
    /// When its minutes were agreed (UTC, RFC 3339), or null: not yet.
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Minutes {
    pub format: &'static str,
    pub meeting: MeetingRecord,
    /// Each approval and reopening of these minutes, oldest first (a
    /// reopening carries its reason as `note`).
    pub approval_history: Vec<MeetingHistoryEntry>,
    /// The meeting before this one, or null for the first meeting.
    pub previous: Option<PreviousMeeting>,
    /// Service names by id, for headings.
    pub services: Vec<MinutesService>,
    pub action_summary: Vec<OwnerSummary>,
}

impl Store {
    pub fn minutes(&self, meeting: i64) -> Result<Minutes> {
        let m = self.meeting(meeting)?;
        let period: Period = m.period.parse().map_err(Error::Database)?;
        // Overdue as of the meeting, not as of whenever the minutes are printed.
        let as_of = crate::domain::dates::parse_iso(&m.date).map_err(Error::Database)?;
        let infos = self.services()?;
        // Minutes of an earlier meeting must not carry actions raised later.
        let later: std::collections::HashSet<i64> = {
            let mut stmt = self.conn.prepare("SELECT id FROM meetings WHERE date > ?1 OR (date = ?1 AND id > ?2)")?;
            stmt.query_map(rusqlite::params![m.date, m.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        // Every change recorded at this meeting, once, grouped by action.
        let mut updates_by_action: std::collections::HashMap<i64, Vec<ActionHistoryEntry>> = Default::default();
        {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT action_id, {} FROM action_history WHERE meeting_id = ?1 ORDER BY id",
                super::actions::HISTORY_COLUMNS
            ))?;
            let rows = stmt.query_map([m.id], |r| Ok((r.get::<_, i64>(0)?, super::actions::history_entry(r, 1)?)))?;
            for row in rows {
                let (id, entry) = row?;
                updates_by_action.entry(id).or_default().push(entry);
            }
        }
        let mut services = Vec::new();
        let mut owners: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for id in &m.agenda {
            let Some(service) = infos.iter().find(|s| &s.id == id).cloned() else { continue };
            let rows = self.kpi_rows(Some(id), Some(period))?;
            let greens = rows.iter().filter(|r| r.rag == Rag::Green).count();
            let mut headline: Vec<KpiRow> =
                rows.into_iter().filter(|r| matches!(r.rag, Rag::Red | Rag::Amber)).collect();
            headline.sort_by_key(|r| (r.rag != Rag::Red, r.code.clone()));
            let mut decisions = Vec::new();
            self.for_each_decision(
                &DecisionFilter { meeting: Some(m.id), service: Some(id.clone()), ..Default::default() },
                |d| {
                    if d.status == "recorded" {
                        decisions.push(d);
                    }
                    Ok(())
                },
            )?;
            let mut new_actions = Vec::new();
            let mut carried_forward = Vec::new();
            for va in self.meeting_actions(m.id, id, as_of)? {
                let (action_id, a) = (va.id, va.action);
                if a.meeting.is_some_and(|id| later.contains(&id)) {
                    continue;
                }
                let raised_here = a.meeting == Some(m.id);
                // Undone in the meeting: dropped with that reason; not minuted.
                if raised_here && a.status == crate::domain::ActionStatus::Dropped {
                    continue;
                }
                let tally = owners.entry(a.owner.clone()).or_default();
                tally.0 += usize::from(!a.status.is_closed());
                tally.1 += usize::from(a.overdue);
                if raised_here {
                    new_actions.push(a);
                } else {
                    let updates = updates_by_action.remove(&action_id).unwrap_or_default();
                    carried_forward.push(CarriedAction { action: a, updates });
                }
            }
            services.push(MinutesService {
                service,
                headline,
                greens,
                audits: self.audit_summary(id, period)?,
                decisions,
                new_actions,
                carried_forward,
            });
        }
        let action_summary = owners
            .into_iter()
            .filter(|(_, (open, _))| *open > 0)
            .map(|(owner, (open, overdue))| OwnerSummary { owner, open, overdue })
            .collect();
        let approval_history = self.meeting_history(m.id)?.into_iter().filter(|h| h.field == "minutes").collect();
        let previous = self.previous_meeting(&m)?.map(|p| PreviousMeeting {
            id: p.id,
            date: p.date,
            approved_at: p.approved_at,
            approved_by: p.approved_by,
        });
        Ok(Minutes { format: "qprm-minutes/1", meeting: m, approval_history, previous, services, action_summary })
    }
}
