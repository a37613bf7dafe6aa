//! Indicator values with their RAG status and direction of travel. RAG is
//! computed here from the domain rules at read time, never stored, so a
//! corrected target re-rates every month consistently.

use super::Store;
use crate::domain::rag::{direction, rag_status};
use crate::domain::{Direction, Period, Polarity, Rag, Unit};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};

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
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KpiPoint {
    pub period: String,
    pub value: f64,
    pub note: Option<String>,
    pub rag: Rag,
    pub direction: Direction,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KpiSeries {
    #[serde(flatten)]
    pub latest: KpiRow,
    pub series: Vec<KpiPoint>,
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
    fn row(self, current: Option<(String, f64, Option<String>)>, previous: Option<f64>) -> KpiRow {
        let (period, value, note) = match current {
            Some((p, v, n)) => (Some(p), Some(v), n),
            None => (None, None, None),
        };
        KpiRow {
            rag: value.map_or(Rag::None, |v| rag_status(v, self.baseline, self.target, self.polarity)),
            direction: value.map_or(Direction::None, |v| direction(previous, v, self.polarity)),
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
        if let Some(s) = service {
            self.require_service(s)?;
        }
        let mut stmt = self.conn.prepare(&format!(
            "{DEF_SELECT} WHERE ?1 IS NULL OR i.service_id = ?1 ORDER BY coalesce(s.position, 1e9), i.code"
        ))?;
        let defs: Vec<Def> = stmt.query_map([service], row_to_def)?.collect::<rusqlite::Result<_>>()?;
        // Two rows per indicator through the primary key: this value and the one before.
        let mut values = self.conn.prepare_cached(
            "SELECT period, value, note FROM kpi_values WHERE indicator_code = ?1 AND period <= ?2 ORDER BY period DESC LIMIT 2",
        )?;
        let upto = period.map_or_else(|| "9999-12".to_string(), |p| p.to_string());
        let mut out = Vec::with_capacity(defs.len());
        for def in defs {
            let mut rows = values.query(params![def.code, upto])?;
            let mut current = None;
            let mut previous = None;
            if let Some(r) = rows.next()? {
                current = Some((r.get::<_, String>(0)?, r.get::<_, f64>(1)?, r.get::<_, Option<String>>(2)?));
            }
            if let Some(r) = rows.next()? {
                previous = Some(r.get::<_, f64>(1)?);
            }
            drop(rows);
            // With --period, an indicator without a value that month shows blank.
            if let (Some(p), Some((cp, _, _))) = (period, &current)
                && *cp != p.to_string()
            {
                out.push(def.row(None, None));
                continue;
            }
            out.push(def.row(current, previous));
        }
        Ok(out)
    }

    /// One indicator's whole series, oldest first, each period rated.
    pub fn kpi_series(&self, code: &str) -> Result<KpiSeries> {
        let def = self
            .conn
            .query_row(&format!("{DEF_SELECT} WHERE i.code = ?1 COLLATE NOCASE"), [code], row_to_def)
            .optional()?
            .ok_or_else(|| {
                Error::invalid(format!(
                    "no indicator with code '{}': see `qprm kpi`",
                    crate::domain::sanitize::clean(code)
                ))
            })?;
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
                period,
                value,
                note,
            });
            prev = Some(value);
        }
        let n = series.len();
        let latest = series.last().map(|p| (p.period.clone(), p.value, p.note.clone()));
        let previous = n.checked_sub(2).map(|i| series[i].value);
        Ok(KpiSeries { latest: def.row(latest, previous), series })
    }
}
