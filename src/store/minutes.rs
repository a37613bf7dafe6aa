//! What the minutes of one meeting record: attendance and whether these
//! minutes were agreed, whether the previous meeting's were, then per
//! service in agenda order its headline data (reds, ambers and special-cause
//! variation, with their SPC charts), audits,
//! decisions, new actions and carried-forward actions with their net updates
//! since the last meeting; then the meeting's own business (no service)
//! alike, and an owner summary counting both. Overdue is judged as of the
//! meeting's date, so the minutes read the same whenever they are produced.

use super::{
    ActionHistoryEntry, ActionRecord, AuditSummary, DecisionRecord, KpiHistory, KpiRow, MeetingHistoryEntry,
    MeetingRecord, ServiceInfo, Store,
};
use crate::domain::history::Window;
use crate::domain::spc::Variation;
use crate::domain::{DecisionStatus, Period, Rag};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CarriedAction {
    #[serde(flatten)]
    pub action: ActionRecord,
    /// The net changes since the last meeting (domain::history::Window),
    /// newest last; changes later undone are not among them.
    pub updates: Vec<ActionHistoryEntry>,
}

/// What a meeting recorded for one agenda item, or meeting-wide.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Business {
    pub decisions: Vec<DecisionRecord>,
    pub new_actions: Vec<ActionRecord>,
    pub carried_forward: Vec<CarriedAction>,
}

impl Business {
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty() && self.new_actions.is_empty() && self.carried_forward.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MinutesService {
    pub service: ServiceInfo,
    /// Red and amber indicators for the period, and any other whose latest
    /// month is special-cause variation: reds first, then ambers.
    pub headline: Vec<KpiRow>,
    /// Each headline indicator's series and SPC chart (same order), for the
    /// HTML's charts; not part of the JSON.
    #[serde(skip)]
    pub charts: Vec<KpiHistory>,
    /// Green indicators not in the headline.
    pub greens: usize,
    pub audits: Option<AuditSummary>,
    #[serde(flatten)]
    pub business: Business,
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
    /// Decisions and actions that belong to the meeting, not to one service.
    pub other_business: Business,
    pub action_summary: Vec<OwnerSummary>,
}

impl Store {
    pub fn minutes(&self, meeting: i64) -> Result<Minutes> {
        let m = self.meeting(meeting)?;
        let period: Period = m.period.parse().map_err(Error::Database)?;
        // Overdue as of the meeting, not as of whenever the minutes are printed.
        let as_of = crate::domain::dates::parse_iso(&m.date).map_err(Error::Database)?;
        let window = self.review_window(&m)?;
        let infos = self.services()?;
        let mut services = Vec::new();
        let mut owners: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for id in &m.agenda {
            let Some(service) = infos.iter().find(|s| &s.id == id).cloned() else { continue };
            let rows = self.kpi_rows_with_history(Some(id), Some(period))?;
            let in_headline = |r: &KpiRow| {
                matches!(r.rag, Rag::Red | Rag::Amber)
                    || matches!(r.variation, Variation::SpecialCauseImprovement | Variation::SpecialCauseConcern)
            };
            let greens = rows.iter().filter(|(r, _)| r.rag == Rag::Green && !in_headline(r)).count();
            let mut headline: Vec<(KpiRow, KpiHistory)> = rows.into_iter().filter(|(r, _)| in_headline(r)).collect();
            headline.sort_by_key(|(r, _)| (r.rag != Rag::Red, r.rag != Rag::Amber, r.code.clone()));
            let (headline, charts) = headline.into_iter().unzip();
            services.push(MinutesService {
                service,
                headline,
                charts,
                greens,
                audits: self.audit_summary(id, period)?,
                business: self.business(&m, Some(id), as_of, &window, &mut owners)?,
            });
        }
        let other_business = self.business(&m, None, as_of, &window, &mut owners)?;
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
        Ok(Minutes {
            format: "qprm-minutes/1",
            meeting: m,
            approval_history,
            previous,
            services,
            other_business,
            action_summary,
        })
    }

    /// A meeting's decisions and actions for one service, or meeting-wide
    /// (`None`), counting open and overdue actions per owner.
    fn business(
        &self,
        m: &MeetingRecord,
        service: Option<&str>,
        as_of: chrono::NaiveDate,
        window: &Window,
        owners: &mut std::collections::BTreeMap<String, (usize, usize)>,
    ) -> Result<Business> {
        let decisions =
            self.meeting_decisions(m.id, service)?.into_iter().filter(|d| d.status == DecisionStatus::Recorded);
        let mut business = Business { decisions: decisions.collect(), ..Default::default() };
        for va in self.meeting_actions(m.id, service, as_of)? {
            let a = va.action;
            let tally = owners.entry(a.owner.clone()).or_default();
            tally.0 += usize::from(!a.status.is_closed());
            tally.1 += usize::from(a.overdue);
            if va.carried_forward {
                let updates = self.updates_in(va.id, window)?;
                business.carried_forward.push(CarriedAction { action: a, updates });
            } else {
                business.new_actions.push(a);
            }
        }
        Ok(business)
    }

    /// Which changes a meeting reviews: since the meeting before it.
    pub fn review_window(&self, m: &MeetingRecord) -> Result<Window> {
        let day = |s: &str| crate::domain::dates::parse_iso(s).map_err(Error::Database);
        let previous = self.previous_meeting(m)?.map(|p| day(&p.date)).transpose()?;
        Ok(Window::new(m.id, day(&m.date)?, previous))
    }

    /// The net changes to one action (by row id) within `window`, newest
    /// last: read through the action's history index (a handful of rows).
    pub fn updates_in(&self, action_id: i64, window: &Window) -> Result<Vec<ActionHistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM action_history WHERE action_id = ?1 ORDER BY id",
            super::actions::HISTORY_COLUMNS
        ))?;
        let rows: Vec<ActionHistoryEntry> = stmt
            .query_map([action_id], |r| super::actions::history_entry(r, 0))?
            .filter(|h| h.as_ref().map_or(true, |h| window.contains(&h.at, h.meeting)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(net_updates(&rows))
    }
}

/// `rows` (oldest first) folded to their net changes, as history entries
/// (each carrying the time and actor of the change that last touched it).
pub fn net_updates(rows: &[ActionHistoryEntry]) -> Vec<ActionHistoryEntry> {
    let changes: Vec<_> = rows.iter().map(ActionHistoryEntry::as_change).collect();
    crate::domain::history::net_changes(&changes)
        .into_iter()
        .map(|(i, c)| ActionHistoryEntry {
            old: c.old.map(str::to_string),
            new: c.new.map(str::to_string),
            ..rows[i].clone()
        })
        .collect()
}
