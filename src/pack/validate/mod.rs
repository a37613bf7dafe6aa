//! Content rules for `qprm-pack/1`: enumerations, ranges, sums, dates and
//! cross-references, checked on the leniently read pack. Every problem is
//! recorded with its JSON path; unknown codes, ids and words come with the
//! nearest known one. One file per part of the pack.

mod actions;
mod indicators;
mod services;

use super::model::{IndicatorDef, ValidPack};
use super::problems::{Problems, join};
use super::raw;
use super::read::quoted;
use crate::domain::nearest::nearest;
use crate::domain::{Period, Unit};
use std::collections::{HashMap, HashSet};

pub const FORMAT: &str = "qprm-pack/1";
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 10_000;

/// Services and indicators that exist outside the pack being checked: in the
/// database, or in packs earlier in the same import.
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub services: HashSet<String>,
    /// code → (unit, owning service)
    pub indicators: HashMap<String, (Unit, Option<String>)>,
    /// code → whole definition: a workbook row restates name, unit,
    /// polarity, baseline and target, and only a change is a definition.
    pub definitions: HashMap<String, IndicatorDef>,
}

impl Known {
    /// Makes a validated pack's definitions visible to the packs after it.
    pub fn absorb(&mut self, pack: &ValidPack) {
        self.services.extend(pack.services.iter().map(|s| s.id.clone()));
        for i in &pack.indicators {
            self.indicators.insert(i.code.clone(), (i.unit, i.service.clone()));
            self.definitions.insert(i.code.clone(), i.clone());
        }
    }
}

/// What a reference in the pack may point at: the pack's own services and
/// indicators, then those already known.
struct Refs<'k> {
    known: &'k Known,
    pack_services: HashSet<String>,
    /// Indicators this pack defines; the unit is `None` when its definition
    /// has a problem of its own (already reported).
    codes: HashMap<String, (Option<Unit>, Option<String>)>,
}

impl Refs<'_> {
    fn has_service(&self, id: &str) -> bool {
        self.pack_services.contains(id) || self.known.services.contains(id)
    }

    /// (unit, owning service) of an indicator defined here or known.
    fn indicator(&self, code: &str) -> Option<(Option<Unit>, Option<&str>)> {
        match self.codes.get(code) {
            Some((unit, owner)) => Some((*unit, owner.as_deref())),
            None => self.known.indicators.get(code).map(|(unit, owner)| (Some(*unit), owner.as_deref())),
        }
    }

    /// Reports `id` at `path` unless it names a service here or stored.
    fn check_service(&self, p: &mut Problems, path: &str, id: &str) {
        if !self.has_service(id) {
            let all = sorted(self.pack_services.iter().chain(&self.known.services));
            p.at(path, unknown("service", id, &all, "not in this pack's services nor in the database"));
        }
    }

    /// Reports `code` at `path` unless it names an indicator here or stored.
    fn check_indicator(&self, p: &mut Problems, path: &str, code: &str) -> bool {
        let found = self.indicator(code).is_some();
        if !found {
            let all = sorted(self.codes.keys().chain(self.known.indicators.keys()));
            p.at(path, unknown("indicator", code, &all, "define it in \"indicators\" (here or in an earlier pack)"));
        }
        found
    }
}

/// Sorted and deduplicated, so the same pack always gets the same suggestion.
fn sorted<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut v: Vec<&str> = names.map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// `unknown indicator "CIN-RAT": did you mean "CIN-RATE"?`, or `otherwise`
/// when nothing known is close.
fn unknown(what: &str, value: &str, candidates: &[&str], otherwise: &str) -> String {
    match nearest(value, candidates.iter().copied()) {
        Some(c) => format!("unknown {what} {}: did you mean \"{c}\"?", quoted(value)),
        None => format!("unknown {what} {}: {otherwise}", quoted(value)),
    }
}

/// Content checks shared by every part of the pack.
impl Problems<'_> {
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

    /// One of an enumeration's words; otherwise the nearest one or the list.
    fn choice<T: Copy>(
        &mut self,
        path: &str,
        value: &str,
        what: &str,
        all: &[T],
        word: fn(T) -> &'static str,
    ) -> Option<T> {
        if let Some(t) = all.iter().copied().find(|t| word(*t) == value) {
            return Some(t);
        }
        let words: Vec<&str> = all.iter().map(|t| word(*t)).collect();
        let hint = match nearest(value, words.iter().copied()) {
            Some(w) => format!("did you mean \"{w}\"?"),
            None => format!("use one of: {}", words.join(", ")),
        };
        self.at(path, format!("{} is not {what}: {hint}", quoted(value)));
        None
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

/// Checks a leniently read pack. `None` when a part it needs is missing;
/// the reason is always among the problems.
pub(super) fn validate(p: &mut Problems, label: &str, pack: raw::Pack, known: &Known) -> Option<ValidPack> {
    if let Some(format) = &pack.format
        && format != FORMAT
    {
        p.at("format", format!("expected \"{FORMAT}\", found {}", quoted(format)));
    }
    let period = pack.period.as_deref().and_then(|s| p.period("period", s));
    let organisation = p.opt_text("organisation", pack.organisation, MAX_NAME);
    let good_or_better_target = p.pct("audit_targets.good_or_better_pct", pack.good_or_better_pct);
    let family_feedback_target = p.pct("audit_targets.family_feedback_pct", pack.family_feedback_pct);

    let pack_services = pack.services.iter().filter_map(|s| s.id.clone()).collect();
    let mut refs = Refs { known, pack_services, codes: HashMap::new() };
    let indicators = indicators::check(p, pack.indicators, &mut refs);
    let services = services::check(p, pack.services, &refs);
    let actions = actions::check(p, pack.actions, &refs);
    Some(ValidPack {
        file: label.to_string(),
        period: period?,
        organisation,
        good_or_better_target,
        family_feedback_target,
        indicators,
        services,
        actions,
    })
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
