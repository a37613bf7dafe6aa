//! What is stored for one period, read back as a pack: the plain checked
//! types an import takes (`ValidPack`), so `qprm pack export` writes
//! exactly what an import would compare equal, and the workbook template
//! is built from the same definitions. Read-only.

use super::Store;
use crate::domain::{ActionStatus, Period, Polarity, Unit};
use crate::error::{Error, Result};
use crate::pack::{
    ActionDef, AuditReport, DataPoint, FeedbackSource, FeedbackTheme, Finding, FindingKind, IndicatorDef, Sentiment,
    ServiceReport, ValidPack,
};
use rusqlite::{OptionalExtension, params};
use std::collections::{HashMap, HashSet};

impl Store {
    /// Every stored indicator definition, in agenda then code order.
    pub fn indicator_defs(&self) -> Result<Vec<IndicatorDef>> {
        // Where each indicator's process changed: exported with it, so an
        // exported pack imports back as a no-op.
        let rebases = self.active_rebases(None)?;
        let mut stmt = self.conn.prepare(
            "SELECT i.code, i.name, i.unit, i.polarity, i.priority, i.service_id, i.baseline, i.baseline_period,
                    i.target, i.target_period, i.england, i.statistical_neighbours
             FROM indicators i LEFT JOIN services s ON s.id = i.service_id
             ORDER BY coalesce(s.position, 1e9), i.code",
        )?;
        let rows = stmt.query_map([], |r| {
            let period = |s: Option<String>| s.and_then(|s| s.parse::<Period>().ok());
            Ok(IndicatorDef {
                code: r.get(0)?,
                name: r.get(1)?,
                unit: Unit::parse(&r.get::<_, String>(2)?).unwrap_or(Unit::Number),
                polarity: Polarity::parse(&r.get::<_, String>(3)?).unwrap_or(Polarity::HigherIsBetter),
                priority: r.get(4)?,
                service: r.get(5)?,
                baseline: r.get(6)?,
                baseline_period: period(r.get(7)?),
                target: r.get(8)?,
                target_period: period(r.get(9)?),
                england: r.get(10)?,
                statistical_neighbours: r.get(11)?,
                rebase: Vec::new(),
            })
        })?;
        let mut defs: Vec<IndicatorDef> = rows.collect::<rusqlite::Result<_>>()?;
        for d in &mut defs {
            d.rebase = rebases.get(&d.code).into_iter().flatten().filter_map(|p| p.parse().ok()).collect();
        }
        Ok(defs)
    }

    /// Each indicator's latest value before `period`, with the service that
    /// reported it: the "previous" column of a workbook.
    pub fn values_before(&self, period: Period) -> Result<HashMap<String, (f64, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT indicator_code, value, service_id FROM kpi_values v
             WHERE period = (SELECT max(period) FROM kpi_values w WHERE w.indicator_code = v.indicator_code AND w.period < ?1)",
        )?;
        let rows = stmt.query_map([period.to_string()], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What is stored for `period`, for the given services (all when
    /// empty; each must exist): their values, audits and feedback, the
    /// definitions of their indicators and of every indicator they report,
    /// and the actions that came from packs (refs a person chose, no
    /// meeting). `file` is left empty for the caller.
    pub fn stored_pack(&self, period: Period, services: &[String]) -> Result<ValidPack> {
        for s in services {
            self.require_service(s)?;
        }
        let p = period.to_string();
        let chosen: Vec<_> =
            self.services()?.into_iter().filter(|s| services.is_empty() || services.contains(&s.id)).collect();
        let mut reports = Vec::new();
        for s in &chosen {
            let mut report = ServiceReport {
                id: s.id.clone(),
                name: Some(s.name.clone()),
                head: s.head.clone(),
                data: self.period_values(&s.id, &p)?,
                audits: self.period_audits(&s.id, &p)?,
                feedback: self.period_feedback(&s.id, &p)?,
            };
            report.data.sort_by(|a, b| a.indicator.cmp(&b.indicator));
            reports.push(report);
        }
        let reported: HashSet<&str> =
            reports.iter().flat_map(|r| r.data.iter().map(|d| d.indicator.as_str())).collect();
        let ids: HashSet<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
        let indicators = self
            .indicator_defs()?
            .into_iter()
            .filter(|d| reported.contains(d.code.as_str()) || d.service.as_deref().is_some_and(|s| ids.contains(s)))
            .collect();
        let (good_or_better_target, family_feedback_target) = self
            .conn
            .query_row(
                "SELECT good_or_better_target, family_feedback_target FROM audit_summaries WHERE period = ?1
                 ORDER BY good_or_better_target IS NULL, service_id LIMIT 1",
                [&p],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((None, None));
        let organisation = self
            .conn
            .query_row(
                "SELECT organisation FROM imports WHERE organisation IS NOT NULL ORDER BY period = ?1 DESC, id DESC LIMIT 1",
                [&p],
                |r| r.get(0),
            )
            .optional()?;
        let actions = self.pack_actions(services)?;
        Ok(ValidPack {
            file: String::new(),
            period,
            organisation,
            good_or_better_target,
            family_feedback_target,
            indicators,
            services: reports,
            actions,
        })
    }

    fn period_values(&self, service: &str, period: &str) -> Result<Vec<DataPoint>> {
        let mut stmt = self
            .conn
            .prepare("SELECT indicator_code, value, note FROM kpi_values WHERE service_id = ?1 AND period = ?2")?;
        let rows = stmt.query_map(params![service, period], |r| {
            Ok(DataPoint { indicator: r.get(0)?, value: r.get(1)?, note: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn period_audits(&self, service: &str, period: &str) -> Result<Option<AuditReport>> {
        let Some(mut a) = self
            .conn
            .query_row(
                "SELECT completed, outstanding, good, requires_improvement, inadequate, with_family_feedback
                 FROM audit_summaries WHERE service_id = ?1 AND period = ?2",
                params![service, period],
                |r| {
                    Ok(AuditReport {
                        completed: r.get(0)?,
                        outstanding: r.get(1)?,
                        good: r.get(2)?,
                        requires_improvement: r.get(3)?,
                        inadequate: r.get(4)?,
                        with_family_feedback: r.get(5)?,
                        findings: Vec::new(),
                    })
                },
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT kind, theme, text FROM audit_findings WHERE service_id = ?1 AND period = ?2 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![service, period], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        for row in rows {
            let (kind, theme, text) = row?;
            let kind = FindingKind::parse(&kind).ok_or_else(|| stored_word("finding kind", &kind))?;
            a.findings.push(Finding { kind, theme, text });
        }
        Ok(Some(a))
    }

    fn period_feedback(&self, service: &str, period: &str) -> Result<Vec<FeedbackTheme>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, theme, count, sentiment, quotes FROM feedback_themes
             WHERE service_id = ?1 AND period = ?2 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![service, period], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (source, theme, count, sentiment, quotes) = row?;
            let quotes: Vec<String> = match quotes {
                Some(q) => serde_json::from_str(&q).map_err(|e| Error::invalid(format!("stored quotes: {e}")))?,
                None => Vec::new(),
            };
            out.push(FeedbackTheme {
                source: FeedbackSource::parse(&source).ok_or_else(|| stored_word("feedback source", &source))?,
                theme,
                count,
                sentiment: Sentiment::parse(&sentiment).ok_or_else(|| stored_word("sentiment", &sentiment))?,
                quotes,
            });
        }
        Ok(out)
    }

    /// Actions a pack brought in: a ref a person chose (qprm's own are A
    /// and a number) and no meeting; for the given services, or all.
    fn pack_actions(&self, services: &[String]) -> Result<Vec<ActionDef>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.ref, a.text, o.name, a.service_id, a.due, a.status, a.source, a.indicator_code
             FROM actions a JOIN owners o ON o.id = a.owner_id WHERE a.meeting_id IS NULL ORDER BY a.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (reference, text, owner, service, due, status, source, indicator) = row?;
            let generated = reference.len() > 1
                && reference.starts_with(['A', 'a'])
                && reference[1..].bytes().all(|b| b.is_ascii_digit());
            let wanted = services.is_empty() || service.as_ref().is_some_and(|s| services.contains(s));
            if generated || !wanted {
                continue;
            }
            out.push(ActionDef {
                reference,
                text,
                owner,
                service,
                due: crate::domain::dates::parse_iso(&due).map_err(Error::invalid)?,
                status: ActionStatus::parse(&status).ok_or_else(|| stored_word("action status", &status))?,
                source,
                indicator,
            });
        }
        Ok(out)
    }
}

fn stored_word(what: &str, word: &str) -> Error {
    Error::invalid(format!(
        "the database holds {what} '{}', which this qprm does not know",
        crate::domain::sanitize::clean(word)
    ))
}
