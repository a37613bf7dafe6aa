//! `services[]`: ids, name and head (a service already stored may leave them
//! out and keeps its own), data values against their indicators, audit sums
//! and feedback themes.

use super::{MAX_NAME, MAX_TEXT, Refs, join, raw, sorted, valid_id};
use crate::domain::nearest::nearest;
use crate::pack::model::*;
use crate::pack::problems::Problems;
use crate::pack::read::quoted;
use std::collections::HashSet;

pub(super) fn check(p: &mut Problems, list: Vec<raw::Service>, refs: &Refs) -> Vec<ServiceReport> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for svc in list {
        let at = |f: &str| join(&svc.at, f);
        if let Some(id) = &svc.id {
            if !valid_id(id) {
                p.at(
                    at("id"),
                    format!("{} is not a valid service id: use a-z, 0-9 and '-', e.g. corporate-parenting", quoted(id)),
                );
            }
            if !seen.insert(id.clone()) {
                p.at(at("id"), format!("service {} appears twice in this pack", quoted(id)));
            }
        }
        let stored = svc.id.as_ref().is_some_and(|id| refs.known.services.contains(id));
        let name = match svc.name {
            Some(n) => Some(p.text(&at("name"), &n, MAX_NAME)),
            None => {
                if let Some(id) = &svc.id
                    && !stored
                    && !p.reported(&at("name"))
                {
                    missing_name(p, &svc.at, id, refs);
                }
                None
            }
        };
        let head = p.opt_text(&at("head"), svc.head, MAX_NAME);
        let data = data(p, svc.data, svc.id.as_deref(), refs);
        let audits = svc.audits.and_then(|a| audits(p, &at("audits"), a));
        let feedback = feedback(p, svc.feedback);
        if let Some(id) = svc.id {
            out.push(ServiceReport { id, name, head, data, audits, feedback });
        }
    }
    out
}

/// A service new to the database must be named. If its id is close to a
/// stored one it is more likely a typo than a new service: say that first.
fn missing_name(p: &mut Problems, at: &str, id: &str, refs: &Refs) {
    const NEW: &str = "a service new to the database needs \"name\"";
    match nearest(id, sorted(refs.known.services.iter())) {
        Some(near) => p.at(join(at, "id"), format!("unknown service {}: did you mean \"{near}\"? ({NEW})", quoted(id))),
        None => p.at(join(at, "name"), format!("missing: {} is not stored yet, and {NEW}", quoted(id))),
    }
}

fn data(p: &mut Problems, list: Vec<raw::DataValue>, service: Option<&str>, refs: &Refs) -> Vec<DataPoint> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for d in list {
        let at = |f: &str| join(&d.at, f);
        if let Some(code) = &d.indicator
            && refs.check_indicator(p, &at("indicator"), code)
            && let Some((unit, owner)) = refs.indicator(code)
        {
            if let (Some(owner), Some(service)) = (owner, service)
                && owner != service
            {
                p.at(
                    at("indicator"),
                    format!("indicator {} belongs to service \"{owner}\", not \"{service}\"", quoted(code)),
                );
            }
            if let (Some(unit), Some(v)) = (unit, d.value)
                && let Err(e) = unit.check(v)
            {
                p.at(at("value"), e);
            }
        }
        if let Some(code) = &d.indicator
            && !seen.insert(code.clone())
        {
            p.at(at("indicator"), format!("{} has two values for this period", quoted(code)));
        }
        let note = p.opt_text(&at("note"), d.note, MAX_TEXT);
        if let (Some(indicator), Some(value)) = (d.indicator, d.value) {
            out.push(DataPoint { indicator, value, note });
        }
    }
    out
}

fn audits(p: &mut Problems, at: &str, a: raw::Audits) -> Option<AuditReport> {
    let counts = (a.outstanding, a.good, a.requires_improvement, a.inadequate, a.completed);
    if let (Some(o), Some(g), Some(r), Some(i), Some(completed)) = counts {
        let sum = u64::from(o) + u64::from(g) + u64::from(r) + u64::from(i);
        if sum != u64::from(completed) {
            p.at(join(at, "ratings"), format!("ratings add up to {sum} but completed is {completed}"));
        }
    }
    if let (Some(with), Some(completed)) = (a.with_family_feedback, a.completed)
        && with > completed
    {
        p.at(join(at, "with_family_feedback"), format!("{with} is more than the {completed} audits completed"));
    }
    let findings: Vec<Finding> = a
        .findings
        .into_iter()
        .filter_map(|f| {
            let kind = f.kind.and_then(|k| {
                p.choice(&join(&f.at, "kind"), &k, "a finding kind", FindingKind::ALL, FindingKind::as_str)
            });
            let theme = f.theme.map(|t| p.text(&join(&f.at, "theme"), &t, MAX_NAME));
            let text = f.text.map(|t| p.text(&join(&f.at, "text"), &t, MAX_TEXT));
            Some(Finding { kind: kind?, theme: theme?, text: text? })
        })
        .collect();
    Some(AuditReport {
        completed: a.completed?,
        outstanding: a.outstanding?,
        good: a.good?,
        requires_improvement: a.requires_improvement?,
        inadequate: a.inadequate?,
        with_family_feedback: a.with_family_feedback?,
        findings,
    })
}

fn feedback(p: &mut Problems, list: Vec<raw::Feedback>) -> Vec<FeedbackTheme> {
    list.into_iter()
        .filter_map(|f| {
            let at = |k: &str| join(&f.at, k);
            let source = f.source.and_then(|s| {
                p.choice(&at("source"), &s, "a feedback source", FeedbackSource::ALL, FeedbackSource::as_str)
            });
            let sentiment = f
                .sentiment
                .and_then(|s| p.choice(&at("sentiment"), &s, "a sentiment", Sentiment::ALL, Sentiment::as_str));
            if f.count == Some(0) {
                p.at(at("count"), "must be at least 1");
            }
            let theme = f.theme.map(|t| p.text(&at("theme"), &t, MAX_NAME));
            let quotes = f.quotes.into_iter().map(|(path, q)| p.text(&path, &q, MAX_TEXT)).collect();
            Some(FeedbackTheme { source: source?, theme: theme?, count: f.count?, sentiment: sentiment?, quotes })
        })
        .collect()
}
