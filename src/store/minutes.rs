//! What the minutes of one meeting record: attendance and whether these
//! minutes were agreed, whether the previous meeting's were, then per
//! service in agenda order its headline data (reds, ambers and special-cause
//! variation, with their SPC charts), audits,
//! decisions, new actions and carried-forward actions with their net updates
//! since the last meeting; then the meeting's own business (no service)
//! alike, and an owner summary counting both. Overdue is judged as of the
//! meeting's date, so the minutes read the same whenever they are produced.

use super::view::ListPart;
use super::{
    ActionHistoryEntry, ActionRecord, AuditSummary, DecisionRecord, KpiHistory, KpiRow, MeetingHistoryEntry,
    MeetingRecord, ServiceInfo, Store,
};
use crate::domain::history::Window;
use crate::domain::spc::Variation;
use crate::domain::{DecisionStatus, Period, Rag};
use crate::error::{Error, Result};
use rusqlite::params;

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

/// The opening of the minutes: attendance, approval, the previous meeting,
/// and how many actions are carried forward in all (counted before any
/// service is written, as the opening says it).
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    pub meeting: &'a MeetingRecord,
    pub approval_history: &'a [MeetingHistoryEntry],
    pub previous: Option<&'a PreviousMeeting>,
    pub carried_forward: usize,
}

/// What the minutes say of one service before its business.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceHeading {
    pub service: ServiceInfo,
    /// Red and amber indicators for the period, and any other whose latest
    /// month is special-cause variation: reds first, then ambers.
    pub headline: Vec<KpiRow>,
    /// Each headline indicator's series and SPC chart (same order), for the
    /// HTML's charts.
    pub charts: Vec<KpiHistory>,
    /// Green indicators not in the headline.
    pub greens: usize,
    pub audits: Option<AuditSummary>,
}

/// The start of one part's business: its decisions, and how many actions
/// each list will then hand over, so a writer can say "None." or open a
/// table before the rows arrive.
#[derive(Debug, Clone, Copy)]
pub struct BusinessStart<'a> {
    pub decisions: &'a [DecisionRecord],
    pub new_actions: usize,
    pub carried_forward: usize,
}

impl BusinessStart<'_> {
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty() && self.new_actions == 0 && self.carried_forward == 0
    }
}

/// Where the minutes go as they are read, part by part, in document order:
/// `opening`; per agenda service `service`, `business`, its `new_action`s,
/// its `carried`s, `end_part`; then `other_business` and the same for the
/// meeting's own business; then `summary`. The writers (report::minutes)
/// write each part out as it comes, so a late meeting's thousands of
/// actions are never held in memory; `Store::minutes` collects them.
pub trait MinutesSink {
    fn opening(&mut self, opening: &Opening<'_>) -> Result<()>;
    fn service(&mut self, heading: &ServiceHeading) -> Result<()>;
    fn other_business(&mut self) -> Result<()>;
    fn business(&mut self, start: &BusinessStart<'_>) -> Result<()>;
    fn new_action(&mut self, action: &ActionRecord) -> Result<()>;
    fn carried(&mut self, action: &CarriedAction) -> Result<()>;
    fn end_part(&mut self) -> Result<()>;
    fn summary(&mut self, owners: &[OwnerSummary]) -> Result<()>;
}

/// Collects the parts into a `Minutes` (for tests and small meetings).
struct Collect {
    opening: Option<(MeetingRecord, Vec<MeetingHistoryEntry>, Option<PreviousMeeting>)>,
    services: Vec<MinutesService>,
    other: Option<Business>,
    summary: Vec<OwnerSummary>,
}

impl Collect {
    /// The business being collected: the last service's, or the meeting's own.
    fn current(&mut self) -> Result<&mut Business> {
        match (&mut self.other, self.services.last_mut()) {
            (Some(b), _) => Ok(b),
            (None, Some(s)) => Ok(&mut s.business),
            (None, None) => Err(Error::Database("minutes: business before any part".into())),
        }
    }
}

impl MinutesSink for Collect {
    fn opening(&mut self, o: &Opening<'_>) -> Result<()> {
        self.opening = Some((o.meeting.clone(), o.approval_history.to_vec(), o.previous.cloned()));
        Ok(())
    }
    fn service(&mut self, h: &ServiceHeading) -> Result<()> {
        self.services.push(MinutesService {
            service: h.service.clone(),
            headline: h.headline.clone(),
            charts: h.charts.clone(),
            greens: h.greens,
            audits: h.audits.clone(),
            business: Business::default(),
        });
        Ok(())
    }
    fn other_business(&mut self) -> Result<()> {
        self.other = Some(Business::default());
        Ok(())
    }
    fn business(&mut self, start: &BusinessStart<'_>) -> Result<()> {
        self.current()?.decisions = start.decisions.to_vec();
        Ok(())
    }
    fn new_action(&mut self, a: &ActionRecord) -> Result<()> {
        self.current()?.new_actions.push(a.clone());
        Ok(())
    }
    fn carried(&mut self, c: &CarriedAction) -> Result<()> {
        self.current()?.carried_forward.push(c.clone());
        Ok(())
    }
    fn end_part(&mut self) -> Result<()> {
        Ok(())
    }
    fn summary(&mut self, owners: &[OwnerSummary]) -> Result<()> {
        self.summary = owners.to_vec();
        Ok(())
    }
}

/// Which history rows fall in a meeting's review window, as (action row id,
/// history row id) sorted: found once for the whole minutes through the
/// meeting's and the between-meetings indexes, so an action with no change
/// in the window costs no history lookup at all.
struct WindowRows(Vec<(i64, i64)>);

impl WindowRows {
    fn of(&self, action_id: i64) -> &[(i64, i64)] {
        let start = self.0.partition_point(|&(a, _)| a < action_id);
        let end = self.0.partition_point(|&(a, _)| a <= action_id);
        &self.0[start..end]
    }
}

impl Store {
    /// The minutes of `meeting`, whole, in memory.
    pub fn minutes(&self, meeting: i64) -> Result<Minutes> {
        let mut c = Collect { opening: None, services: Vec::new(), other: None, summary: Vec::new() };
        self.write_minutes(meeting, &mut c)?;
        let Some((meeting, approval_history, previous)) = c.opening else {
            return Err(Error::Database("minutes: no opening".into()));
        };
        Ok(Minutes {
            format: "qprm-minutes/1",
            meeting,
            approval_history,
            previous,
            services: c.services,
            other_business: c.other.unwrap_or_default(),
            action_summary: c.summary,
        })
    }

    /// The minutes of `meeting`, part by part into `sink`, each action as
    /// it is read. One read transaction: every part sees the same file.
    pub fn write_minutes(&self, meeting: i64, sink: &mut dyn MinutesSink) -> Result<()> {
        let snapshot = self.conn.unchecked_transaction()?;
        let m = self.meeting(meeting)?;
        let period: Period = m.period.parse().map_err(Error::Database)?;
        // Overdue as of the meeting, not as of whenever the minutes are printed.
        let as_of = crate::domain::dates::parse_iso(&m.date).map_err(Error::Database)?;
        let window = self.review_window(&m)?;
        let infos = self.services()?;
        let agenda: Vec<&ServiceInfo> = m.agenda.iter().filter_map(|id| infos.iter().find(|s| &s.id == id)).collect();
        // How many each part lists, first: the opening counts them all.
        let mut counts = Vec::with_capacity(agenda.len() + 1);
        for part in agenda.iter().map(|s| Some(s.id.as_str())).chain([None]) {
            counts.push(self.listed_counts(m.id, part)?);
        }
        let approval_history: Vec<MeetingHistoryEntry> =
            self.meeting_history(m.id)?.into_iter().filter(|h| h.field == "minutes").collect();
        let previous = self.previous_meeting(&m)?.map(|p| PreviousMeeting {
            id: p.id,
            date: p.date,
            approved_at: p.approved_at,
            approved_by: p.approved_by,
        });
        sink.opening(&Opening {
            meeting: &m,
            approval_history: &approval_history,
            previous: previous.as_ref(),
            carried_forward: counts.iter().map(|c| c.0).sum(),
        })?;
        let changes = self.window_rows(&window)?;
        let mut owners: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (service, &count) in agenda.iter().zip(&counts) {
            let rows = self.kpi_rows_with_history(Some(&service.id), Some(period))?;
            let in_headline = |r: &KpiRow| {
                matches!(r.rag, Rag::Red | Rag::Amber)
                    || matches!(r.variation, Variation::SpecialCauseImprovement | Variation::SpecialCauseConcern)
            };
            let greens = rows.iter().filter(|(r, _)| r.rag == Rag::Green && !in_headline(r)).count();
            let mut headline: Vec<(KpiRow, KpiHistory)> = rows.into_iter().filter(|(r, _)| in_headline(r)).collect();
            headline.sort_by_key(|(r, _)| (r.rag != Rag::Red, r.rag != Rag::Amber, r.code.clone()));
            let (headline, charts) = headline.into_iter().unzip();
            sink.service(&ServiceHeading {
                service: (*service).clone(),
                headline,
                charts,
                greens,
                audits: self.audit_summary(&service.id, period)?,
            })?;
            self.business(&m, Some(&service.id), count, as_of, (&window, &changes), &mut owners, sink)?;
        }
        sink.other_business()?;
        let count = counts.last().copied().unwrap_or_default();
        self.business(&m, None, count, as_of, (&window, &changes), &mut owners, sink)?;
        let summary: Vec<OwnerSummary> = owners
            .into_iter()
            .filter(|(_, (open, _))| *open > 0)
            .map(|(owner, (open, overdue))| OwnerSummary { owner, open, overdue })
            .collect();
        sink.summary(&summary)?;
        drop(snapshot);
        Ok(())
    }

    /// A meeting's decisions and actions for one service, or meeting-wide
    /// (`None`), into `sink`, counting open and overdue actions per owner.
    #[allow(clippy::too_many_arguments)]
    fn business(
        &self,
        m: &MeetingRecord,
        service: Option<&str>,
        (carried, raised): (usize, usize),
        as_of: chrono::NaiveDate,
        (window, changes): (&Window, &WindowRows),
        owners: &mut std::collections::BTreeMap<String, (usize, usize)>,
        sink: &mut dyn MinutesSink,
    ) -> Result<()> {
        let decisions: Vec<DecisionRecord> = self
            .meeting_decisions(m.id, service)?
            .into_iter()
            .filter(|d| d.status == DecisionStatus::Recorded)
            .collect();
        sink.business(&BusinessStart { decisions: &decisions, new_actions: raised, carried_forward: carried })?;
        let mut tally = |a: &ActionRecord| {
            let t = owners.entry(a.owner.clone()).or_default();
            t.0 += usize::from(!a.status.is_closed());
            t.1 += usize::from(a.overdue);
        };
        self.for_each_listed(m.id, service, as_of, ListPart::RaisedHere, |va| {
            tally(&va.action);
            sink.new_action(&va.action)
        })?;
        self.for_each_listed(m.id, service, as_of, ListPart::CarriedForward, |va| {
            tally(&va.action);
            let updates = self.updates_among(changes.of(va.id), window)?;
            sink.carried(&CarriedAction { action: va.action, updates })
        })?;
        sink.end_part()
    }

    /// Every history row in `window`, by action.
    fn window_rows(&self, window: &Window) -> Result<WindowRows> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT action_id, id FROM action_history WHERE meeting_id = ?1
             UNION ALL
             SELECT action_id, id FROM action_history INDEXED BY action_history_between
              WHERE meeting_id IS NULL AND at >= ?2 AND at < ?3",
        )?;
        let mut rows: Vec<(i64, i64)> = stmt
            .query_map(params![window.meeting, window.from.as_deref().unwrap_or(""), window.until], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_unstable();
        Ok(WindowRows(rows))
    }

    /// The net changes among history rows `rows` (action id, row id; oldest
    /// first) that fall in `window`, newest last.
    fn updates_among(&self, rows: &[(i64, i64)], window: &Window) -> Result<Vec<ActionHistoryEntry>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {} FROM action_history WHERE id = ?1", super::actions::HISTORY_COLUMNS))?;
        let mut entries = Vec::with_capacity(rows.len());
        for &(_, id) in rows {
            let h = stmt.query_row([id], |r| super::actions::history_entry(r, 0))?;
            if window.contains(&h.at, h.meeting) {
                entries.push(h);
            }
        }
        Ok(net_updates(&entries))
    }

    /// Which changes a meeting reviews: since the meeting before it.
    pub fn review_window(&self, m: &MeetingRecord) -> Result<Window> {
        let day = |s: &str| crate::domain::dates::parse_iso(s).map_err(Error::Database);
        let previous = self.previous_meeting(m)?.map(|p| day(&p.date)).transpose()?;
        Ok(Window::new(m.id, day(&m.date)?, previous))
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
