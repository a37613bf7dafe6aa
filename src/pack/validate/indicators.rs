//! `indicators[]`: codes, units, polarity (given or derived from target vs
//! baseline), values in range for the unit, and rebase periods.

use super::{MAX_NAME, Refs, join, raw, valid_code};
use crate::domain::{Period, Polarity, Unit};
use crate::pack::model::IndicatorDef;
use crate::pack::problems::Problems;
use crate::pack::read::quoted;

pub(super) fn check(p: &mut Problems, list: Vec<raw::Indicator>, refs: &mut Refs) -> Vec<IndicatorDef> {
    let mut out = Vec::new();
    for ind in list {
        let at = |f: &str| join(&ind.at, f);
        if let Some(code) = &ind.code
            && !valid_code(code)
        {
            p.at(at("code"), format!("{} is not a valid code: use A–Z, 0–9 and '-', e.g. CIC-HEALTH", quoted(code)));
        }
        let name = ind.name.map(|n| p.text(&at("name"), &n, MAX_NAME));
        let unit = ind.unit.as_deref().and_then(|u| p.choice(&at("unit"), u, "a unit", Unit::ALL, Unit::as_str));
        let priority = p.opt_text(&at("priority"), ind.priority, MAX_NAME);
        if let Some(s) = &ind.service {
            refs.check_service(p, &at("service"), s);
        }
        // A value already reported as the wrong type leaves a point without
        // a value: polarity is then not derivable, but saying so would blame
        // the wrong thing.
        let mut incomplete = false;
        let mut point = |f: &str, pt: Option<raw::Point>| -> (Option<f64>, Option<Period>) {
            let Some(pt) = pt else { return (None, None) };
            incomplete |= pt.value.is_none();
            if let (Some(u), Some(v)) = (unit, pt.value)
                && let Err(e) = u.check(v)
            {
                p.at(at(&format!("{f}.value")), e);
            }
            let period = pt.period.as_deref().and_then(|s| p.period(&at(&format!("{f}.period")), s));
            (pt.value, period)
        };
        let (baseline, baseline_period) = point("baseline", ind.baseline);
        let (target, target_period) = point("target", ind.target);
        for (f, v) in
            [("comparators.england", ind.england), ("comparators.statistical_neighbours", ind.statistical_neighbours)]
        {
            if let (Some(v), Some(u)) = (v, unit)
                && let Err(e) = u.check(v)
            {
                p.at(at(f), e);
            }
        }
        let polarity = match &ind.polarity {
            Some(s) => p.choice(&at("polarity"), s, "a polarity", Polarity::ALL, Polarity::as_str),
            None => {
                let derived = Polarity::derive(baseline, target);
                if derived.is_none() && !incomplete {
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
        let rebase: Vec<Period> = ind.rebase.iter().filter_map(|(path, s)| p.period(path, s)).collect();
        let Some(code) = ind.code else { continue };
        if refs.codes.contains_key(&code) {
            p.at(at("code"), format!("{} is defined twice in this pack", quoted(&code)));
        }
        refs.codes.insert(code.clone(), (unit, ind.service.clone()));
        if let (Some(name), Some(unit), Some(polarity)) = (name, unit, polarity) {
            out.push(IndicatorDef {
                code,
                name,
                unit,
                polarity,
                priority,
                service: ind.service,
                baseline,
                baseline_period,
                target,
                target_period,
                england: ind.england,
                statistical_neighbours: ind.statistical_neighbours,
                rebase,
            });
        }
    }
    out
}
