//! Everything the meeting screen shows for one service in one meeting, in
//! one call: indicators with trends, audits, feedback with last month's
//! counts, the service's actions (carried forward first) and decisions. The
//! screen loads this when the agenda item changes or the database changes,
//! never while drawing.

use super::{
    ActionRecord, AuditSummary, DecisionFilter, DecisionRecord, KpiHistory, KpiRow, MeetingRecord, ServiceInfo, Store,
};
use crate::domain::Period;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;

/// How many months of history a trend sparkline shows.
pub const TREND_MONTHS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub kind: crate::pack::FindingKind,
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

/// How many of a service's actions the screen holds at once: several
/// screens' worth, so moving through the list rarely waits for the store.
pub const ACTIONS_PAGE: usize = 200;

/// One page of a service's actions in a meeting, in the screen's order, and
/// how many there are in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionsPage {
    pub total: usize,
    /// Position of `rows[0]` in the whole list.
    pub offset: usize,
    pub rows: Vec<ViewAction>,
    /// Every listed action's row id, in order (a few thousand at most): so
    /// the screen can find an action again after it moves in the list.
    pub order: Vec<i64>,
}

/// THE definition of a meeting's actions for a service (or, with no
/// service, its meeting-wide actions), used by the screen's Actions section
/// and by the minutes alike: the actions carried forward (open ones, and
/// those closed at this meeting, which stay in their place marked done),
/// then those raised at this meeting; each part by due date. Actions raised
/// at a later meeting are not this meeting's. The order depends on nothing
/// a status change alters, so `x` or `s` never moves an action. Each part
/// is read through its own index (the service's open actions from a
/// covering index); one sort orders the rows. ?1 is the service (`IS`, so
/// NULL means meeting-wide), ?2 the meeting, ?3 whether actions raised here
/// and then dropped (undone) are listed: the minutes and the screen leave
/// them out unless the screen is asked (`h`); ?4 which part: NULL both, 1
/// only those carried forward, 0 only those raised here (a constant test,
/// so a part left out is never read).
///
/// `list_order!(columns, join, open_index)` spells the query with more
/// columns after `due, m, id, carried` (from `a` and what `join` adds), the
/// open actions read through `open_index`: `LIST_ORDER` reads keys alone,
/// `LIST_ROWS` whole rows for the minutes.
macro_rules! list_order {
    ($columns:literal, $join:literal, $open_index:literal) => {
        concat!(
            "SELECT * FROM (
    SELECT a.due, a.meeting_id AS m, a.id, 1 AS carried",
            $columns,
            " FROM actions a INDEXED BY ",
            $open_index,
            $join,
            "
     WHERE a.service_id IS ?1 AND a.status IN ('open', 'in_progress') AND a.meeting_id IS NOT ?2 AND ?4 IS NOT 0
    UNION ALL
    -- Driven from this meeting's closures, never a scan of every closed action.
    SELECT a.due, a.meeting_id, a.id, 1",
            $columns,
            " FROM actions a NOT INDEXED",
            $join,
            "
     WHERE a.id IN (SELECT action_id FROM action_history
                    WHERE meeting_id = ?2 AND field = 'status' AND new IN ('done', 'dropped'))
       AND a.service_id IS ?1 AND a.status IN ('done', 'dropped') AND a.meeting_id IS NOT ?2 AND ?4 IS NOT 0
    UNION ALL
    -- Raised here; one dropped (undone) is listed only when asked for (?3).
    SELECT a.due, a.meeting_id, a.id, 0",
            $columns,
            " FROM actions a",
            $join,
            " WHERE a.meeting_id = ?2 AND a.service_id IS ?1
       AND (?3 OR a.status != 'dropped') AND ?4 IS NOT 1)
  WHERE m IS NULL OR m NOT IN (
    SELECT l.id FROM meetings l, meetings t WHERE t.id = ?2 AND (l.date > t.date OR (l.date = t.date AND l.id > t.id)))
  ORDER BY carried DESC, due, m, id"
        )
    };
}

/// The list's keys: `due, m, id, carried`, read from index keys alone.
const LIST_ORDER: &str = list_order!("", "", "actions_service_open");

/// The list's whole rows for the minutes: `due, m, id, carried`, then the
/// columns `actions::row_to_action` reads, from column 4. The open actions
/// come from a covering index that holds every column (schema v9), so a
/// service's thousands of open actions are read from adjacent index pages,
/// not one table page each.
pub(super) const LIST_ROWS: &str = list_order!(
    ", a.ref, a.text, o.name, a.service_id, a.due, a.status, a.meeting_id, a.indicator_code, a.source,
        a.created_at, a.updated_at, a.id",
    " JOIN owners o ON o.id = a.owner_id",
    "actions_service_open_rows"
);

/// Which part of the list to read (`?4` of `list_order!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListPart {
    Both,
    CarriedForward,
    RaisedHere,
}

impl ListPart {
    pub(super) fn param(self) -> Option<i64> {
        match self {
            ListPart::Both => None,
            ListPart::CarriedForward => Some(1),
            ListPart::RaisedHere => Some(0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub service: ServiceInfo,
    pub period: Period,
    pub kpis: Vec<KpiRow>,
    /// Per KPI (same order), up to TREND_MONTHS values, oldest first.
    pub trends: Vec<Vec<f64>>,
    /// Per KPI (same order), every value up to the period and its chart.
    pub histories: Vec<KpiHistory>,
    pub audits: Option<AuditSummary>,
    pub findings: Vec<FindingRow>,
    pub feedback: Vec<FeedbackRow>,
    /// The page of the Actions section around the screen's selection.
    pub actions: ActionsPage,
    pub decisions: Vec<DecisionRecord>,
}

impl Store {
    /// Everything shown for `service`, with the page of its actions that
    /// starts at `actions_offset`.
    pub fn service_view(
        &self,
        meeting: &MeetingRecord,
        service: &str,
        today: NaiveDate,
        actions_offset: usize,
        with_undone: bool,
    ) -> Result<ServiceView> {
        let period: Period = meeting.period.parse().map_err(Error::Database)?;
        let info = self
            .services()?
            .into_iter()
            .find(|s| s.id == service)
            .ok_or_else(|| Error::invalid(format!("unknown service '{service}'")))?;
        // Each indicator's series up to the period, once: the trend
        // sparkline is its tail, the chart view and SPC cells the whole.
        let (kpis, histories): (Vec<KpiRow>, Vec<KpiHistory>) =
            self.kpi_rows_with_history(Some(service), Some(period))?.into_iter().unzip();
        let trends = histories.iter().map(|h| h.last(TREND_MONTHS).to_vec()).collect();

        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, theme, text FROM audit_findings WHERE service_id = ?1 AND period = ?2 ORDER BY kind DESC, theme, position",
        )?;
        let findings = stmt
            .query_map(params![service, period.to_string()], |r| {
                let kind: String = r.get(0)?;
                let kind = crate::pack::FindingKind::parse(&kind).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, kind.into())
                })?;
                Ok(FindingRow { kind, theme: r.get(1)?, text: r.get(2)? })
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

        let actions =
            self.meeting_actions_page(meeting.id, Some(service), today, (actions_offset, ACTIONS_PAGE), with_undone)?;
        let decisions = self.meeting_decisions(meeting.id, Some(service))?;
        Ok(ServiceView {
            service: info,
            period,
            kpis,
            trends,
            histories,
            audits: self.audit_summary(service, period)?,
            findings,
            feedback,
            actions,
            decisions,
        })
    }

    /// `limit` actions of the Actions section's list from `offset`, with the
    /// whole list's order: rows are read only for the page, so a late meeting
    /// with thousands of open actions loads in a couple of milliseconds.
    pub fn meeting_actions_page(
        &self,
        meeting: i64,
        service: Option<&str>,
        today: NaiveDate,
        (offset, limit): (usize, usize),
        with_undone: bool,
    ) -> Result<ActionsPage> {
        let mut stmt = self.conn.prepare_cached(LIST_ORDER)?;
        let keys: Vec<(i64, bool)> = stmt
            .query_map(params![service, meeting, with_undone, ListPart::Both.param()], |r| Ok((r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        let total = keys.len();
        let offset = offset.min(total);
        let window = &keys[offset..offset.saturating_add(limit).min(total)];
        let mut rows = Vec::with_capacity(window.len());
        if !window.is_empty() {
            // Row ids from the query above, so plain integers in the SQL.
            let ids: Vec<String> = window.iter().map(|(id, _)| id.to_string()).collect();
            let sql = format!("{SELECT} WHERE a.id IN ({})", ids.join(","), SELECT = super::actions::SELECT);
            let today = today.to_string();
            let mut stmt = self.conn.prepare(&sql)?;
            let mut found: std::collections::HashMap<i64, ActionRecord> = stmt
                .query_map([], |r| super::actions::row_to_action(r, &today))?
                .map(|row| row.map(|(action, id)| (id, action)))
                .collect::<rusqlite::Result<_>>()?;
            for &(id, carried_forward) in window {
                if let Some(action) = found.remove(&id) {
                    rows.push(ViewAction { id, action, carried_forward });
                }
            }
        }
        Ok(ActionsPage { total, offset, rows, order: keys.into_iter().map(|(id, _)| id).collect() })
    }

    /// The whole of a meeting's actions for a service (or meeting-wide):
    /// the list the Actions section pages through, in its order.
    pub fn meeting_actions(&self, meeting: i64, service: Option<&str>, today: NaiveDate) -> Result<Vec<ViewAction>> {
        let mut rows = Vec::new();
        self.for_each_listed(meeting, service, today, ListPart::Both, |a| {
            rows.push(a);
            Ok(())
        })?;
        Ok(rows)
    }

    /// How many actions each part of the list holds: (carried forward,
    /// raised here), as the minutes list them (undone actions left out).
    pub fn listed_counts(&self, meeting: i64, service: Option<&str>) -> Result<(usize, usize)> {
        let mut stmt = self.conn.prepare_cached(LIST_ORDER)?;
        let mut rows = stmt.query(params![service, meeting, false, ListPart::Both.param()])?;
        let (mut carried, mut raised) = (0, 0);
        while let Some(r) = rows.next()? {
            if r.get::<_, bool>(3)? { carried += 1 } else { raised += 1 }
        }
        Ok((carried, raised))
    }

    /// Each of a meeting's actions for a service (or meeting-wide) in one
    /// part of the list, in its order, handed to `each` as it is read: the
    /// minutes write each row out before reading the next, so a list of
    /// thousands is never held in memory. Undone actions are left out.
    pub fn for_each_listed(
        &self,
        meeting: i64,
        service: Option<&str>,
        today: NaiveDate,
        part: ListPart,
        mut each: impl FnMut(ViewAction) -> Result<()>,
    ) -> Result<()> {
        let today = today.to_string();
        let mut stmt = self.conn.prepare_cached(LIST_ROWS)?;
        let mut rows = stmt.query(params![service, meeting, false, part.param()])?;
        while let Some(r) = rows.next()? {
            let carried_forward: bool = r.get(3)?;
            let (action, id) = super::actions::row_to_action_at(r, 4, &today)?;
            each(ViewAction { id, action, carried_forward })?;
        }
        Ok(())
    }

    /// Earlier decisions for a service (other meetings), newest first.
    pub fn earlier_decisions(&self, meeting: i64, service: &str, limit: u32) -> Result<Vec<DecisionRecord>> {
        self.decisions_where(&DecisionFilter {
            service: Some(service.to_string()),
            not_meeting: Some(meeting),
            limit: Some(limit),
            ..Default::default()
        })
    }
}
