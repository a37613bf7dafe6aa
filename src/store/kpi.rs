//! Indicator values with their RAG status, direction of travel and
//! statistical process control (variation, assurance, special-cause points),
//! and the rebase periods SPC splits a series at. All of it is computed here
//! from the domain rules at read time, never stored, so a corrected target
//! re-rates every month consistently.

use super::Store;
use crate::domain::rag::{direction, rag_status};
use crate::domain::spc::{Assurance, Spc, SpecialCause, Variation, spc};
use crate::domain::{Direction, Period, Polarity, Rag, Unit};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KpiRow {
    pub code: String,
    pub name: String,
    pub service: Option<String>,
    pub priority: Option<String>,
    pub unit: Unit,
    pub polarity: Polarity,
    /// The period of `value`; null when the indicator has no value yet.
    pub period: Option<String>,
    pub value: Option<f64>,
    pub note: Option<String>,
    pub previous_value: Option<f64>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub england: Option<f64>,
    pub statistical_neighbours: Option<f64>,
    pub rag: Rag,
    pub direction: Direction,
    /// Statistical process control of the series up to `period`.
    pub variation: Variation,
    pub assurance: Assurance,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KpiPoint {
    pub period: String,
    pub value: f64,
    pub note: Option<String>,
    pub rag: Rag,
    pub direction: Direction,
    /// `improvement`, `concern` or null (common cause, or no chart).
    pub special_cause: Option<SpecialCause>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KpiSeries {
    #[serde(flatten)]
    pub latest: KpiRow,
    pub spc: SpcSummary,
    pub series: Vec<KpiPoint>,
}

/// `kpi CODE --json`'s `spc`: the latest segment's mean and limits (null
/// with fewer than 12 values), variation, assurance, the rebase periods on
/// record, and each segment's own limits.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpcSummary {
    pub mean: Option<f64>,
    pub lower_limit: Option<f64>,
    pub upper_limit: Option<f64>,
    pub variation: Variation,
    pub assurance: Assurance,
    pub rebase: Vec<String>,
    pub segments: Vec<SpcSegment>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpcSegment {
    pub from: String,
    pub mean: f64,
    pub lower_limit: f64,
    pub upper_limit: f64,
}

/// An indicator's values up to a period with their chart: what the screen's
/// chart view and the minutes' SVG draw.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiHistory {
    pub periods: Vec<String>,
    pub values: Vec<f64>,
    /// Active rebase periods on record (applied or waiting for 12 values).
    pub rebases: Vec<String>,
    pub spc: Option<Spc>,
}

impl KpiHistory {
    fn new(
        periods: Vec<String>,
        values: Vec<f64>,
        rebases: Vec<String>,
        polarity: Polarity,
        target: Option<f64>,
    ) -> Self {
        // A rebase period starts a segment at the first value on or after it.
        let at: Vec<usize> =
            rebases.iter().filter_map(|r| periods.iter().position(|p| p.as_str() >= r.as_str())).collect();
        let spc = spc(&values, polarity, target, &at);
        KpiHistory { periods, values, rebases, spc }
    }

    pub fn variation(&self) -> Variation {
        self.spc.as_ref().map_or(Variation::None, |s| s.variation)
    }

    pub fn assurance(&self) -> Assurance {
        self.spc.as_ref().map_or(Assurance::None, |s| s.assurance)
    }

    /// Up to `n` latest values, oldest first (the trend sparkline).
    pub fn last(&self, n: usize) -> &[f64] {
        &self.values[self.values.len().saturating_sub(n)..]
    }
}

struct Def {
    code: String,
    name: String,
    service: Option<String>,
    priority: Option<String>,
    unit: Unit,
    polarity: Polarity,
    baseline: Option<f64>,
    target: Option<f64>,
    england: Option<f64>,
    neighbours: Option<f64>,
}

const DEF_SELECT: &str = "SELECT i.code, i.name, i.service_id, i.priority, i.unit, i.polarity, i.baseline, i.target,
    i.england, i.statistical_neighbours FROM indicators i LEFT JOIN services s ON s.id = i.service_id";

fn row_to_def(r: &rusqlite::Row<'_>) -> rusqlite::Result<Def> {
    let unit: String = r.get(4)?;
    let polarity: String = r.get(5)?;
    Ok(Def {
        code: r.get(0)?,
        name: r.get(1)?,
        service: r.get(2)?,
        priority: r.get(3)?,
        unit: Unit::parse(&unit).unwrap_or(Unit::Number),
        polarity: Polarity::parse(&polarity).unwrap_or(Polarity::HigherIsBetter),
        baseline: r.get(6)?,
        target: r.get(7)?,
        england: r.get(8)?,
        neighbours: r.get(9)?,
    })
}

impl Def {
    fn row(self, current: Option<(String, f64, Option<String>)>, previous: Option<f64>, h: &KpiHistory) -> KpiRow {
        let (period, value, note) = match current {
            Some((p, v, n)) => (Some(p), Some(v), n),
            None => (None, None, None),
        };
        KpiRow {
            rag: value.map_or(Rag::None, |v| rag_status(v, self.baseline, self.target, self.polarity)),
            direction: value.map_or(Direction::None, |v| direction(previous, v, self.polarity)),
            variation: if value.is_some() { h.variation() } else { Variation::None },
            assurance: if value.is_some() { h.assurance() } else { Assurance::None },
            code: self.code,
            name: self.name,
            service: self.service,
            priority: self.priority,
            unit: self.unit,
            polarity: self.polarity,
            period,
            value,
            note,
            previous_value: previous,
            baseline: self.baseline,
            target: self.target,
            england: self.england,
            statistical_neighbours: self.neighbours,
        }
    }
}

impl Store {
    /// Each indicator (optionally one service's) at `period`, or at its
    /// latest value when no period is given; in agenda then code order.
    pub fn kpi_rows(&self, service: Option<&str>, period: Option<Period>) -> Result<Vec<KpiRow>> {
        Ok(self.kpi_rows_with_history(service, period)?.into_iter().map(|(row, _)| row).collect())
    }

    /// `kpi_rows` with each indicator's values up to the period and their
    /// chart, read in one pass (the screen's view load and the minutes).
    pub fn kpi_rows_with_history(
        &self,
        service: Option<&str>,
        period: Option<Period>,
    ) -> Result<Vec<(KpiRow, KpiHistory)>> {
        if let Some(s) = service {
            self.require_service(s)?;
        }
        let mut stmt = self.conn.prepare(&format!(
            "{DEF_SELECT} WHERE ?1 IS NULL OR i.service_id = ?1 ORDER BY coalesce(s.position, 1e9), i.code"
        ))?;
        let defs: Vec<Def> = stmt.query_map([service], row_to_def)?.collect::<rusqlite::Result<_>>()?;
        let mut rebases = self.active_rebases(None)?;
        // The series up to the period through the primary key, oldest first.
        let mut values = self.conn.prepare_cached(
            "SELECT period, value FROM kpi_values WHERE indicator_code = ?1 AND period <= ?2 ORDER BY period",
        )?;
        let mut notes =
            self.conn.prepare_cached("SELECT note FROM kpi_values WHERE indicator_code = ?1 AND period = ?2")?;
        let upto = period.map_or_else(|| "9999-12".to_string(), |p| p.to_string());
        let mut out = Vec::with_capacity(defs.len());
        for def in defs {
            let mut periods = Vec::new();
            let mut vals = Vec::new();
            let mut rows = values.query(params![def.code, upto])?;
            while let Some(r) = rows.next()? {
                periods.push(r.get::<_, String>(0)?);
                vals.push(r.get::<_, f64>(1)?);
            }
            drop(rows);
            let h =
                KpiHistory::new(periods, vals, rebases.remove(&def.code).unwrap_or_default(), def.polarity, def.target);
            let n = h.values.len();
            // With --period, an indicator without a value that month shows blank.
            let current_here = n > 0 && period.is_none_or(|p| h.periods[n - 1] == p.to_string());
            if !current_here {
                out.push((def.row(None, None, &h), h));
                continue;
            }
            let note: Option<String> =
                notes.query_row(params![def.code, h.periods[n - 1]], |r| r.get(0)).optional()?.flatten();
            let current = Some((h.periods[n - 1].clone(), h.values[n - 1], note));
            let previous = n.checked_sub(2).map(|i| h.values[i]);
            out.push((def.row(current, previous, &h), h));
        }
        Ok(out)
    }

    /// Active rebase periods, by indicator (one indicator's, or all).
    pub(super) fn active_rebases(&self, code: Option<&str>) -> Result<HashMap<String, Vec<String>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT indicator_code, period FROM spc_rebases WHERE active AND (?1 IS NULL OR indicator_code = ?1)
             ORDER BY indicator_code, period",
        )?;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        let rows = stmt.query_map([code], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (c, p) = row?;
            out.entry(c).or_default().push(p);
        }
        Ok(out)
    }

    fn indicator_def(&self, code: &str) -> Result<Def> {
        self.conn
            .query_row(&format!("{DEF_SELECT} WHERE i.code = ?1 COLLATE NOCASE"), [code], row_to_def)
            .optional()?
            .ok_or_else(|| {
                Error::invalid(format!(
                    "no indicator with code '{}': see `qprm kpi`",
                    crate::domain::sanitize::clean(code)
                ))
            })
    }

    /// One indicator's whole series, oldest first, each period rated, with
    /// its chart.
    pub fn kpi_series(&self, code: &str) -> Result<KpiSeries> {
        let def = self.indicator_def(code)?;
        let mut stmt = self
            .conn
            .prepare("SELECT period, value, note FROM kpi_values WHERE indicator_code = ?1 ORDER BY period")?;
        let rows = stmt.query_map([&def.code], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        let mut series = Vec::new();
        let mut prev: Option<f64> = None;
        for row in rows {
            let (period, value, note) = row?;
            series.push(KpiPoint {
                rag: rag_status(value, def.baseline, def.target, def.polarity),
                direction: direction(prev, value, def.polarity),
                special_cause: None,
                period,
                value,
                note,
            });
            prev = Some(value);
        }
        let rebases = self.active_rebases(Some(&def.code))?.remove(&def.code).unwrap_or_default();
        let h = KpiHistory::new(
            series.iter().map(|p| p.period.clone()).collect(),
            series.iter().map(|p| p.value).collect(),
            rebases,
            def.polarity,
            def.target,
        );
        if let Some(s) = &h.spc {
            for (p, flag) in series.iter_mut().zip(&s.points) {
                p.special_cause = *flag;
            }
        }
        let spc = SpcSummary {
            mean: h.spc.as_ref().map(|s| s.latest().mean),
            lower_limit: h.spc.as_ref().map(|s| s.latest().lower_limit),
            upper_limit: h.spc.as_ref().map(|s| s.latest().upper_limit),
            variation: h.variation(),
            assurance: h.assurance(),
            segments: h.spc.as_ref().map_or_else(Vec::new, |s| {
                s.segments
                    .iter()
                    .map(|g| SpcSegment {
                        from: h.periods[g.start].clone(),
                        mean: g.mean,
                        lower_limit: g.lower_limit,
                        upper_limit: g.upper_limit,
                    })
                    .collect()
            }),
            rebase: h.rebases.clone(),
        };
        let n = series.len();
        let latest = series.last().map(|p| (p.period.clone(), p.value, p.note.clone()));
        let previous = n.checked_sub(2).map(|i| series[i].value);
        Ok(KpiSeries { latest: def.row(latest, previous, &h), spc, series })
    }

    /// Marks (`on`) or unmarks a period where `code`'s process changed; the
    /// indicator's canonical code, and whether anything changed. Unmarking
    /// keeps the row, inactive, so a re-imported pack does not restore it.
    pub fn set_rebase(&mut self, code: &str, period: Period, on: bool) -> Result<(String, bool)> {
        let def = self.indicator_def(code)?;
        let actor = self.actor().to_string();
        let changed = if on {
            self.write_one(
                "INSERT INTO spc_rebases (indicator_code, period, active, source, changed_at) VALUES (?1, ?2, 1, ?3, ?4)
                 ON CONFLICT (indicator_code, period) DO UPDATE SET active = 1, source = ?3, changed_at = ?4 WHERE NOT active",
                params![def.code, period.to_string(), actor, self.clock.stamp()],
            )?
        } else {
            self.write_one(
                "UPDATE spc_rebases SET active = 0, source = ?3, changed_at = ?4
                 WHERE indicator_code = ?1 AND period = ?2 AND active",
                params![def.code, period.to_string(), actor, self.clock.stamp()],
            )?
        };
        if !on && changed == 0 {
            let on_record = self.active_rebases(Some(&def.code))?.remove(&def.code).unwrap_or_default();
            return Err(Error::invalid(format!(
                "--no-rebase {period}: {} has no rebase at {period}{}",
                def.code,
                if on_record.is_empty() { String::new() } else { format!(" (it has: {})", on_record.join(", ")) }
            )));
        }
        Ok((def.code, changed > 0))
    }
}
