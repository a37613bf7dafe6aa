//! Content rules for `qprm-pack/1`: enumerations, ranges, sums, dates and
//! cross-references. All problems in a pack are reported together, each with
//! its JSON path, so business support can fix a pack in one pass.

use super::model::*;
use super::raw;
use crate::domain::action::valid_ref;
use crate::domain::dates::parse_iso;
use crate::domain::sanitize::clean;
use crate::domain::{ActionStatus, Period, Polarity, Unit};
use std::collections::{HashMap, HashSet};

pub const FORMAT: &str = "qprm-pack/1";
/// Past this many problems the rest are counted, not listed.
const MAX_REPORTED: usize = 50;
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 10_000;

/// Services and indicators that exist outside the pack being checked: in the
/// database, or in packs earlier in the same import.
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub services: HashSet<String>,
    /// code → (unit, owning service)
    pub indicators: HashMap<String, (Unit, Option<String>)>,
}

impl Known {
    /// Makes a validated pack's definitions visible to the packs after it.
    pub fn absorb(&mut self, pack: &ValidPack) {
        self.services.extend(pack.services.iter().map(|s| s.id.clone()));
        for i in &pack.indicators {
            self.indicators.insert(i.code.clone(), (i.unit, i.service.clone()));
        }
    }
}

struct Problems<'a> {
    label: &'a str,
    list: Vec<String>,
    count: usize,
}

impl Problems<'_> {
    fn at(&mut self, path: impl AsRef<str>, msg: impl AsRef<str>) {
        self.count += 1;
        if self.list.len() < MAX_REPORTED {
            self.list.push(clean(&format!("{}: {}: {}", self.label, path.as_ref(), msg.as_ref())));
        }
    }

    fn text(&mut self, path: &str, value: &str, max: usize) -> String {
        if value.trim().is_empty() {
            self.at(path, "must not be empty");
        } else if value.chars().count() > max {
            self.at(path, format!("is {} characters; the limit is {max}", value.chars().count()));
        }
        value.trim().to_string()
    }

    fn opt_text(&mut self, path: &str, value: Option<String>, max: usize) -> Option<String> {
        value.map(|v| self.text(path, &v, max))
    }

    fn period(&mut self, path: &str, value: &str) -> Option<Period> {
        value.parse().map_err(|e: String| self.at(path, e)).ok()
    }

    fn choice<T>(&mut self, path: &str, value: &str, parse: fn(&str) -> Option<T>, choices: String) -> Option<T> {
        let parsed = parse(value);
        if parsed.is_none() {
            self.at(path, format!("'{value}' is not one of: {choices}"));
        }
        parsed
    }

    fn pct(&mut self, path: &str, value: Option<f64>) -> Option<f64> {
        if let Some(v) = value
            && let Err(e) = Unit::Percent.check(v)
        {
            self.at(path, e);
        }
        value
    }
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    id.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    code.len() <= 32
        && chars.next().is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

pub fn validate(label: &str, pack: raw::Pack, known: &Known) -> Result<ValidPack, Vec<String>> {
    let mut p = Problems { label, list: Vec::new(), count: 0 };
    if pack.format != FORMAT {
        p.at("format", format!("expected \"{FORMAT}\", found \"{}\"", pack.format));
    }
    let period = p.period("period", &pack.period);
    let organisation = p.opt_text("organisation", pack.organisation, MAX_NAME);
    let (good_target, family_target) = match &pack.audit_targets {
        Some(t) => (
            p.pct("audit_targets.good_or_better_pct", t.good_or_better_pct),
            p.pct("audit_targets.family_feedback_pct", t.family_feedback_pct),
        ),
        None => (None, None),
    };

    let pack_services: HashSet<String> = pack.services.iter().map(|s| s.id.clone()).collect();
    let service_known = |id: &str| pack_services.contains(id) || known.services.contains(id);

    let mut indicators = Vec::new();
    let mut codes: HashMap<String, (Unit, Option<String>)> = HashMap::new();
    for (i, ind) in pack.indicators.into_iter().enumerate() {
        let at = |f: &str| format!("indicators[{i}].{f}");
        if !valid_code(&ind.code) {
            p.at(at("code"), format!("'{}' is not a valid code: use A–Z, 0–9 and '-', e.g. CIC-HEALTH", ind.code));
        }
        let name = p.text(&at("name"), &ind.name, MAX_NAME);
        let unit = p.choice(&at("unit"), &ind.unit, Unit::parse, Unit::choices());
        let priority = p.opt_text(&at("priority"), ind.priority, MAX_NAME);
        if let Some(s) = &ind.service
            && !service_known(s)
        {
            p.at(at("service"), format!("unknown service '{s}': not in this pack's services nor in the database"));
        }
        let mut point = |f: &str, pt: &Option<raw::Point>| -> (Option<f64>, Option<Period>) {
            let Some(pt) = pt else { return (None, None) };
            if let Some(u) = unit
                && let Err(e) = u.check(pt.value)
            {
                p.at(at(&format!("{f}.value")), e);
            }
            let period = pt.period.as_deref().and_then(|s| p.period(&at(&format!("{f}.period")), s));
            (Some(pt.value), period)
        };
        let (baseline, baseline_period) = point("baseline", &ind.baseline);
        let (target, target_period) = point("target", &ind.target);
        let comparators = ind.comparators.as_ref();
        let england = comparators.and_then(|c| c.england);
        let neighbours = comparators.and_then(|c| c.statistical_neighbours);
        for (f, v) in [("comparators.england", england), ("comparators.statistical_neighbours", neighbours)] {
            if let (Some(v), Some(u)) = (v, unit)
                && let Err(e) = u.check(v)
            {
                p.at(at(f), e);
            }
        }
        let polarity = match &ind.polarity {
            Some(s) => p.choice(&at("polarity"), s, Polarity::parse, Polarity::choices()),
            None => {
                let derived = Polarity::derive(baseline, target);
                if derived.is_none() {
                    let why = match (baseline, target) {
                        (_, None) => "there is no target",
                        (None, _) => "there is no baseline",
                        _ => "the target equals the baseline",
                    };
                    p.at(at("polarity"), format!("missing, and cannot be derived because {why}: add \"polarity\": \"higher_is_better\" or \"lower_is_better\""));
                }
                derived
            }
        };
        if codes.contains_key(&ind.code) {
            p.at(at("code"), format!("'{}' is defined twice in this pack", ind.code));
        }
        if let (Some(unit), Some(polarity)) = (unit, polarity) {
            codes.insert(ind.code.clone(), (unit, ind.service.clone()));
            indicators.push(IndicatorDef {
                code: ind.code,
                name,
                unit,
                polarity,
                priority,
                service: ind.service,
                baseline,
                baseline_period,
                target,
                target_period,
                england,
                statistical_neighbours: neighbours,
            });
        }
    }
    let indicator = |code: &str| codes.get(code).or_else(|| known.indicators.get(code));

    let mut services = Vec::new();
    let mut seen_services = HashSet::new();
    for (si, svc) in pack.services.into_iter().enumerate() {
        let at = |f: &str| format!("services[{si}].{f}");
        if !valid_id(&svc.id) {
            p.at(
                at("id"),
                format!("'{}' is not a valid service id: use a-z, 0-9 and '-', e.g. corporate-parenting", svc.id),
            );
        }
        if !seen_services.insert(svc.id.clone()) {
            p.at(at("id"), format!("service '{}' appears twice in this pack", svc.id));
        }
        let name = p.text(&at("name"), &svc.name, MAX_NAME);
        let head = p.opt_text(&at("head"), svc.head, MAX_NAME);

        let mut data = Vec::new();
        let mut seen_codes = HashSet::new();
        for (di, d) in svc.data.into_iter().enumerate() {
            let path = at(&format!("data[{di}]"));
            match indicator(&d.indicator) {
                None => p.at(
                    format!("{path}.indicator"),
                    format!("unknown indicator '{}': define it in \"indicators\" first", d.indicator),
                ),
                Some((unit, owner)) => {
                    if let Some(owner) = owner
                        && owner != &svc.id
                    {
                        p.at(
                            format!("{path}.indicator"),
                            format!("indicator '{}' belongs to service '{owner}', not '{}'", d.indicator, svc.id),
                        );
                    }
                    if let Err(e) = unit.check(d.value) {
                        p.at(format!("{path}.value"), e);
                    }
                }
            }
            if !seen_codes.insert(d.indicator.clone()) {
                p.at(format!("{path}.indicator"), format!("'{}' has two values for this period", d.indicator));
            }
            let note = p.opt_text(&format!("{path}.note"), d.note, MAX_TEXT);
            data.push(DataPoint { indicator: d.indicator, value: d.value, note });
        }

        let audits = svc.audits.map(|a| {
            let r = &a.ratings;
            let sum = u64::from(r.outstanding)
                + u64::from(r.good)
                + u64::from(r.requires_improvement)
                + u64::from(r.inadequate);
            if sum != u64::from(a.completed) {
                p.at(at("audits.ratings"), format!("ratings add up to {sum} but completed is {}", a.completed));
            }
            if a.with_family_feedback > a.completed {
                p.at(
                    at("audits.with_family_feedback"),
                    format!("{} is more than the {} audits completed", a.with_family_feedback, a.completed),
                );
            }
            let findings = a
                .findings
                .into_iter()
                .enumerate()
                .filter_map(|(fi, f)| {
                    let fp = at(&format!("audits.findings[{fi}]"));
                    let kind = p.choice(&format!("{fp}.kind"), &f.kind, FindingKind::parse, FindingKind::choices());
                    let theme = p.text(&format!("{fp}.theme"), &f.theme, MAX_NAME);
                    let text = p.text(&format!("{fp}.text"), &f.text, MAX_TEXT);
                    Some(Finding { kind: kind?, theme, text })
                })
                .collect();
            AuditReport {
                completed: a.completed,
                outstanding: r.outstanding,
                good: r.good,
                requires_improvement: r.requires_improvement,
                inadequate: r.inadequate,
                with_family_feedback: a.with_family_feedback,
                findings,
            }
        });

        let feedback = svc
            .feedback
            .into_iter()
            .enumerate()
            .filter_map(|(fi, f)| {
                let fp = at(&format!("feedback[{fi}]"));
                let source =
                    p.choice(&format!("{fp}.source"), &f.source, FeedbackSource::parse, FeedbackSource::choices());
                let sentiment =
                    p.choice(&format!("{fp}.sentiment"), &f.sentiment, Sentiment::parse, Sentiment::choices());
                if f.count < 1 {
                    p.at(format!("{fp}.count"), "must be at least 1");
                }
                let theme = p.text(&format!("{fp}.theme"), &f.theme, MAX_NAME);
                let quotes = f
                    .quotes
                    .iter()
                    .enumerate()
                    .map(|(qi, q)| p.text(&format!("{fp}.quotes[{qi}]"), q, MAX_TEXT))
                    .collect();
                Some(FeedbackTheme { source: source?, theme, count: f.count, sentiment: sentiment?, quotes })
            })
            .collect();

        services.push(ServiceReport { id: svc.id, name, head, data, audits, feedback });
    }

    let mut actions = Vec::new();
    let mut refs = HashSet::new();
    for (ai, a) in pack.actions.into_iter().enumerate() {
        let at = |f: &str| format!("actions[{ai}].{f}");
        if !valid_ref(&a.reference) {
            p.at(
                at("ref"),
                format!("'{}' is not a valid ref: up to 16 letters, digits, '.', '-' or '_', e.g. 1.5", a.reference),
            );
        } else if is_generated_shape(&a.reference) {
            p.at(
                at("ref"),
                format!(
                    "'{}' looks like a ref qprm generates (A and a number); pack actions need their own refs, e.g. 1.5",
                    a.reference
                ),
            );
        }
        if !refs.insert(a.reference.to_ascii_lowercase()) {
            p.at(at("ref"), format!("'{}' appears twice in this pack", a.reference));
        }
        let text = p.text(&at("text"), &a.text, MAX_TEXT);
        let owner = p.text(&at("owner"), &a.owner, MAX_NAME);
        if let Some(s) = &a.service
            && !service_known(s)
        {
            p.at(at("service"), format!("unknown service '{s}': not in this pack's services nor in the database"));
        }
        if let Some(code) = &a.indicator
            && indicator(code).is_none()
        {
            p.at(at("indicator"), format!("unknown indicator '{code}'"));
        }
        let due = parse_iso(&a.due).map_err(|e| p.at(at("due"), e)).ok();
        let status = match &a.status {
            Some(s) => p.choice(&at("status"), s, ActionStatus::parse, ActionStatus::choices()),
            None => Some(ActionStatus::Open),
        };
        let source = p.opt_text(&at("source"), a.source, MAX_NAME);
        if let (Some(due), Some(status)) = (due, status) {
            actions.push(ActionDef {
                reference: a.reference,
                text,
                owner,
                service: a.service,
                due,
                status,
                source,
                indicator: a.indicator,
            });
        }
    }

    if p.count > 0 {
        if p.count > p.list.len() {
            let more = p.count - p.list.len();
            p.list.push(format!("{label}: … and {more} more problems"));
        }
        return Err(p.list);
    }
    let Some(period) = period else {
        return Err(vec![format!("{label}: period: missing")]);
    };
    Ok(ValidPack {
        file: label.to_string(),
        period,
        organisation,
        good_or_better_target: good_target,
        family_feedback_target: family_target,
        indicators,
        services,
        actions,
    })
}

fn is_generated_shape(r: &str) -> bool {
    r.len() > 1 && (r.starts_with('A') || r.starts_with('a')) && r[1..].bytes().all(|b| b.is_ascii_digit())
}
