//! A workbook's rows turned into the JSON tree a `qprm-pack/1` file would
//! hold, with a table from each JSON path to the cell it came from. The
//! tree then goes through the JSON pack's own reader and checks, so a
//! workbook is held to exactly the same rules; only the places differ.
//!
//! Cells are read as a person means them: a number in a text column is its
//! text (a ref typed as 1.5), a date cell in `due` is that day, `31/03/2024`
//! typed as text is read the UK way, quotes are one a line. A formula or an
//! error value is refused at its cell. What a `Data` row's definition
//! columns mean is `definitions`' business.

use super::cells::{Book, Row, Table, Value};
use crate::domain::dates::parse_day;
use crate::pack::json::Json;
use crate::pack::problems::Problems;
use crate::pack::validate::Known;
use std::collections::HashMap;

/// The tree, the places of its paths, and problems found on the way (each
/// (path, message), reported before the pack's own checks run).
pub(super) struct Tree {
    pub root: Json,
    pub places: HashMap<String, String>,
    pub early: Vec<(String, String)>,
}

#[derive(Default)]
pub(super) struct Builder {
    pub places: HashMap<String, String>,
    pub early: Vec<(String, String)>,
    /// Service ids in order of first appearance, with their objects' pairs.
    pub services: Vec<(String, ServiceParts)>,
    pub indicators: Vec<Json>,
    /// Codes this workbook defines (once each, from their first row).
    pub defined: Vec<String>,
}

#[derive(Default)]
pub(super) struct ServiceParts {
    /// `name` and `head` from `Read me`'s services table.
    identity: Vec<(String, Json)>,
    listed: bool,
    data: Vec<Json>,
    audits: Option<Vec<(String, Json)>>,
    ratings: Vec<(String, Json)>,
    findings: Vec<Json>,
    feedback: Vec<Json>,
}

const TEXT: &[&str] = &[
    "service",
    "indicator",
    "name",
    "head",
    "unit",
    "polarity",
    "note",
    "kind",
    "theme",
    "text",
    "source",
    "sentiment",
    "ref",
    "owner",
    "status",
    "format",
    "organisation",
    "period",
    "quotes",
];

pub(super) fn build(book: &Book, known: &Known) -> Tree {
    let mut b = Builder::default();
    let mut top: Vec<(String, Json)> = Vec::new();
    let mut targets: Vec<(String, Json)> = Vec::new();
    for (key, row, value) in &book.readme {
        let place = super::sheets::cell_name(super::sheets::README, *row, 1);
        let path = match key.as_str() {
            "good_or_better_pct" | "family_feedback_pct" => format!("audit_targets.{key}"),
            _ => key.clone(),
        };
        b.places.insert(path.clone(), place);
        let Some(v) = value else { continue };
        let json = match (key.as_str(), v) {
            ("period", Value::Date(d)) => Json::Text(d.format("%Y-%m").to_string()),
            _ => b.cell(&path, key, v),
        };
        if path.starts_with("audit_targets.") {
            targets.push((key.clone(), json));
        } else {
            top.push((key.clone(), json));
        }
    }
    if !targets.is_empty() {
        top.push(("audit_targets".into(), Json::Object(targets)));
    }
    // A key missing from `Read me` is said of the place it belongs.
    for key in ["format", "period"] {
        b.places
            .entry(key.to_string())
            .or_insert_with(|| format!("{}!A:B", super::sheets::sheet_ref(super::sheets::README)));
    }
    // Read me's list first: it is the agenda order.
    for r in &book.services.rows {
        b.listed_service(&book.services, r);
    }
    for t in &book.tables {
        match t.sheet.name {
            "Data" => t.rows.iter().for_each(|r| b.data_row(t, r, known)),
            "Audits" => t.rows.iter().for_each(|r| b.audits_row(t, r)),
            "Findings" => t.rows.iter().for_each(|r| b.finding_row(t, r)),
            "Feedback" => t.rows.iter().for_each(|r| b.feedback_row(t, r)),
            _ => {}
        }
    }
    let actions = book.tables.iter().find(|t| t.sheet.name == "Actions").map(|t| b.actions(t)).unwrap_or_default();
    top.push(("indicators".into(), Json::List(std::mem::take(&mut b.indicators))));
    let services = std::mem::take(&mut b.services)
        .into_iter()
        .map(|(id, parts)| {
            let mut pairs = vec![("id".to_string(), Json::Text(id))];
            pairs.extend(parts.identity);
            if !parts.data.is_empty() {
                pairs.push(("data".into(), Json::List(parts.data)));
            }
            if let Some(mut audits) = parts.audits {
                if !parts.ratings.is_empty() {
                    audits.push(("ratings".into(), Json::Object(parts.ratings)));
                }
                if !parts.findings.is_empty() {
                    audits.push(("findings".into(), Json::List(parts.findings)));
                }
                pairs.push(("audits".into(), Json::Object(audits)));
            }
            if !parts.feedback.is_empty() {
                pairs.push(("feedback".into(), Json::List(parts.feedback)));
            }
            Json::Object(pairs)
        })
        .collect();
    top.push(("services".into(), Json::List(services)));
    top.push(("actions".into(), Json::List(actions)));
    Tree { root: Json::Object(top), places: b.places, early: b.early }
}

impl Builder {
    /// One cell as the JSON value its column takes; formulas and error
    /// values are reported here and become null.
    pub(super) fn cell(&mut self, path: &str, key: &str, v: &Value) -> Json {
        match v {
            Value::Text(s) if key == "due" => Json::Text(uk_date(s)),
            Value::Text(s) => Json::Text(s.clone()),
            Value::Number(n) | Value::Percent(n) if key == "due" => {
                self.early.push((
                    path.into(),
                    format!("{} is a number, not a date: type a date such as 31/03/2024", shortest(*n)),
                ));
                Json::Null
            }
            Value::Number(n) | Value::Percent(n) if TEXT.contains(&key) => Json::Text(shortest(*n)),
            Value::Number(n) => number(*n),
            Value::Percent(n) => number(*n),
            Value::Date(d) if key == "due" || TEXT.contains(&key) => Json::Text(d.to_string()),
            Value::Date(d) => {
                self.early.push((
                    path.into(),
                    format!("{} is a date where a number is wanted: type the number", d.format("%d/%m/%Y")),
                ));
                Json::Null
            }
            Value::Bool(b) => Json::Bool(*b),
            Value::Error(e) => {
                self.early.push((path.into(), format!("holds the error value {e}: type the value itself")));
                Json::Null
            }
            Value::Formula(f) => {
                self.early.push((
                    path.into(),
                    format!(
                        "is a formula (={}): type the value itself, or copy and paste as values",
                        crate::pack::read::quoted(f).trim_matches('"')
                    ),
                ));
                Json::Null
            }
        }
    }

    /// The row's cells under `path` as (key, value) pairs, each column's
    /// place recorded whether or not it holds a value.
    fn object(&mut self, t: &Table, r: &Row, path: &str, skip: &[&str]) -> Vec<(String, Json)> {
        for (key, _) in &t.columns {
            if let Some(place) = t.place(r.index, key) {
                self.places.insert(crate::pack::problems::join(path, key), place);
            }
        }
        let mut pairs = Vec::new();
        for (key, _, v) in &r.cells {
            if skip.contains(key) {
                continue;
            }
            let json = self.cell(&crate::pack::problems::join(path, key), key, v);
            pairs.push((key.to_string(), json));
        }
        pairs
    }

    /// The index of the row's service, added on first sight; `None` (and
    /// said) when the row has no service.
    fn service(&mut self, t: &Table, r: &Row) -> Option<usize> {
        let place = t.place(r.index, "service").unwrap_or_default();
        let id = match r.cells.iter().find(|(k, _, _)| *k == "service") {
            Some((_, _, Value::Text(s))) => s.trim().to_string(),
            Some((_, _, Value::Number(n))) => shortest(*n),
            Some((key, _, v)) => {
                let path = format!("@{place}");
                self.places.insert(path.clone(), place);
                let _ = self.cell(&path, key, v);
                if !matches!(v, Value::Formula(_) | Value::Error(_)) {
                    self.early.push((path, "a service id is text, such as corporate-parenting".into()));
                }
                return None;
            }
            None => {
                let path = format!("@{place}");
                self.places.insert(path.clone(), place);
                self.early.push((path, "missing: type the service id this row is for (see Read me)".into()));
                return None;
            }
        };
        if let Some(i) = self.services.iter().position(|(s, _)| *s == id) {
            return Some(i);
        }
        self.places.insert(format!("services[{}]", self.services.len()), place.clone());
        self.places.insert(format!("services[{}].id", self.services.len()), place);
        self.services.push((id, ServiceParts::default()));
        Some(self.services.len() - 1)
    }

    /// A service listed in `Read me` with its name and Head.
    fn listed_service(&mut self, t: &Table, r: &Row) {
        let Some(k) = self.service(t, r) else { return };
        if self.services[k].1.listed {
            let at = format!("services[{k}].id#{}", r.index);
            self.places.insert(at.clone(), t.place(r.index, "service").unwrap_or_default());
            self.early.push((at, format!("service \"{}\" is listed twice: keep one", self.services[k].0)));
            return;
        }
        let pairs = self.object(t, r, &format!("services[{k}]"), &["service"]);
        let parts = &mut self.services[k].1;
        parts.listed = true;
        parts.identity = pairs;
    }

    fn data_row(&mut self, t: &Table, r: &Row, known: &Known) {
        let Some(k) = self.service(t, r) else { return };
        let has = |key: &str| r.cells.iter().any(|(c, _, _)| *c == key);
        self.definition(t, r, known, k);
        if !has("value") && !has("note") {
            return; // a row of the template not filled in: no figure this month
        }
        let path = format!("services[{k}].data[{}]", self.services[k].1.data.len());
        self.places.insert(path.clone(), t.place(r.index, "indicator").unwrap_or_default());
        let pairs =
            self.object(t, r, &path, &["service", "name", "unit", "polarity", "baseline", "target", "previous"]);
        self.services[k].1.data.push(Json::Object(pairs));
    }

    fn audits_row(&mut self, t: &Table, r: &Row) {
        let Some(k) = self.service(t, r) else { return };
        if r.cells.len() == 1 {
            return; // only the service: no audits this month
        }
        let path = format!("services[{k}].audits");
        if self.services[k].1.audits.is_some() {
            let place = t.place(r.index, "service").unwrap_or_default();
            let at = format!("@{place}");
            self.places.insert(at.clone(), place);
            self.early.push((at, format!("a second row for service \"{}\": one row a service", self.services[k].0)));
            return;
        }
        self.places.insert(path.clone(), t.place(r.index, "service").unwrap_or_default());
        let ratings_path = format!("{path}.ratings");
        for key in ["outstanding", "good", "requires_improvement", "inadequate"] {
            if let Some(place) = t.place(r.index, key) {
                self.places.insert(format!("{ratings_path}.{key}"), place);
            }
        }
        // The ratings sum is said of "ratings": the completed cell is where to look.
        if let Some(place) = t.place(r.index, "completed") {
            self.places.insert(ratings_path.clone(), place);
        }
        let pairs = self.object(t, r, &path, &["service"]);
        let (ratings, rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(key, _)| {
            ["outstanding", "good", "requires_improvement", "inadequate"].contains(&key.as_str())
        });
        let parts = &mut self.services[k].1;
        parts.audits = Some(rest);
        parts.ratings = ratings;
    }

    fn finding_row(&mut self, t: &Table, r: &Row) {
        let Some(k) = self.service(t, r) else { return };
        if self.services[k].1.audits.is_none() {
            let place = t.place(r.index, "service").unwrap_or_default();
            self.places.insert(format!("services[{k}].audits"), place.clone());
            self.early.push((
                format!("services[{k}].audits"),
                format!(
                    "service \"{}\" has findings but no row in Audits: add its audit counts there",
                    self.services[k].0
                ),
            ));
            self.services[k].1.audits = Some(Vec::new());
        }
        let path = format!("services[{k}].audits.findings[{}]", self.services[k].1.findings.len());
        self.places.insert(path.clone(), t.place(r.index, "service").unwrap_or_default());
        let pairs = self.object(t, r, &path, &["service"]);
        self.services[k].1.findings.push(Json::Object(pairs));
    }

    fn feedback_row(&mut self, t: &Table, r: &Row) {
        let Some(k) = self.service(t, r) else { return };
        let path = format!("services[{k}].feedback[{}]", self.services[k].1.feedback.len());
        self.places.insert(path.clone(), t.place(r.index, "service").unwrap_or_default());
        let mut pairs = self.object(t, r, &path, &["service"]);
        if let Some((_, quotes)) = pairs.iter_mut().find(|(key, _)| key == "quotes")
            && let Json::Text(s) = quotes
        {
            *quotes = Json::List(
                s.lines().map(str::trim).filter(|q| !q.is_empty()).map(|q| Json::Text(q.to_string())).collect(),
            );
        }
        self.services[k].1.feedback.push(Json::Object(pairs));
    }

    fn actions(&mut self, t: &Table) -> Vec<Json> {
        let mut out = Vec::new();
        for r in &t.rows {
            let path = format!("actions[{}]", out.len());
            self.places.insert(path.clone(), t.place(r.index, "ref").unwrap_or_default());
            let pairs = self.object(t, r, &path, &[]);
            out.push(Json::Object(pairs));
        }
        out
    }
}

/// A whole number as an integer (so messages say 85, not 85.0).
pub(super) fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Json::Number((n as i64).into())
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

/// 1.5 → "1.5", 2 → "2": a number typed where text is meant.
fn shortest(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// A due date typed as text the UK way, as the ISO date a pack holds;
/// anything else unchanged, for the pack's date check to explain.
fn uk_date(s: &str) -> String {
    parse_day(s.trim()).map_or_else(|_| s.to_string(), |d| d.to_string())
}

/// Reports the problems found while building, before the pack's checks.
pub(super) fn report_early(p: &mut Problems, early: &[(String, String)]) {
    for (path, msg) in early {
        p.at(path, msg);
    }
}
