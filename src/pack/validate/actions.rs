//! `actions[]`: refs a person chose (not ones qprm generates), owners, due
//! dates, status, and the services and indicators they point at.

use super::{MAX_NAME, MAX_TEXT, Refs, join, raw};
use crate::domain::ActionStatus;
use crate::domain::action::valid_ref;
use crate::domain::dates::parse_iso;
use crate::pack::model::ActionDef;
use crate::pack::problems::Problems;
use crate::pack::read::quoted;
use std::collections::HashSet;

pub(super) fn check(p: &mut Problems, list: Vec<raw::Action>, refs: &Refs) -> Vec<ActionDef> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for a in list {
        let at = |f: &str| join(&a.at, f);
        if let Some(r) = &a.reference {
            if !valid_ref(r) {
                p.at(
                    at("ref"),
                    format!("{} is not a valid ref: up to 16 letters, digits, '.', '-' or '_', e.g. 1.5", quoted(r)),
                );
            } else if is_generated_shape(r) {
                p.at(
                    at("ref"),
                    format!(
                        "{} looks like a ref qprm generates (A and a number); pack actions need their own refs, e.g. 1.5",
                        quoted(r)
                    ),
                );
            }
            if !seen.insert(r.to_ascii_lowercase()) {
                p.at(at("ref"), format!("{} appears twice in this pack", quoted(r)));
            }
        }
        let text = a.text.map(|t| p.text(&at("text"), &t, MAX_TEXT));
        let owner = a.owner.map(|o| p.text(&at("owner"), &o, MAX_NAME));
        if let Some(s) = &a.service {
            refs.check_service(p, &at("service"), s);
        }
        if let Some(code) = &a.indicator {
            refs.check_indicator(p, &at("indicator"), code);
        }
        let due = a.due.and_then(|d| parse_iso(&d).map_err(|e| p.at(at("due"), e)).ok());
        let status = match &a.status {
            Some(s) => p.choice(&at("status"), s, "an action status", ActionStatus::ALL, ActionStatus::as_str),
            None => Some(ActionStatus::Open),
        };
        let source = p.opt_text(&at("source"), a.source, MAX_NAME);
        if let (Some(reference), Some(text), Some(owner), Some(due), Some(status)) =
            (a.reference, text, owner, due, status)
        {
            out.push(ActionDef {
                reference,
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
    out
}

fn is_generated_shape(r: &str) -> bool {
    r.len() > 1 && (r.starts_with('A') || r.starts_with('a')) && r[1..].bytes().all(|b| b.is_ascii_digit())
}
