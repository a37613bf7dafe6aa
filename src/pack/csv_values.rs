//! A values CSV, as BI tools export: a long table with the header
//! `service,indicator,value,note` (any order; `note` may be left out), one
//! value a line, for the period given on the command line. Read into the
//! JSON pack tree and checked by the same code as a pack; problems name
//! the line and column (`values.csv: line 14, column 3 (value): …`).

use super::json::Json;
use super::model::ValidPack;
use super::problems::Problems;
use super::raw;
use super::read::quoted;
use super::validate::{FORMAT, Known, validate};
use crate::domain::Period;
use crate::domain::nearest::nearest;
use std::collections::HashMap;

const COLUMNS: [&str; 4] = ["service", "indicator", "value", "note"];
/// A month's values are a few hundred lines; past this the file is refused.
const MAX_LINES: u64 = 100_000;

pub(super) fn parse_values_csv(
    label: &str,
    bytes: &[u8],
    period: Option<Period>,
    known: &Known,
) -> Result<ValidPack, Vec<String>> {
    let one = |msg: String| vec![format!("{label}: {msg}")];
    let Some(period) = period else {
        return Err(one("a values CSV does not say which month it is: add --period YYYY-MM".into()));
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| one(format!("line 1: cannot read the header ({e}); save the file as CSV UTF-8")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut problems = Vec::new();
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        match COLUMNS.iter().find(|c| **c == h.as_str()) {
            Some(c) if columns.contains(&Some(*c)) => {
                problems.push(format!("{label}: line 1, column {}: {} appears twice: keep one", i + 1, quoted(h)))
            }
            Some(c) => columns.push(Some(*c)),
            None => {
                let hint = nearest(h, COLUMNS).map_or_else(
                    || format!("the columns are {}", COLUMNS.join(",")),
                    |c| format!("did you mean \"{c}\"?"),
                );
                problems.push(format!("{label}: line 1, column {}: unknown column {}: {hint}", i + 1, quoted(h)));
                columns.push(None);
            }
        }
    }
    for want in &COLUMNS[..3] {
        if problems.is_empty() && !columns.contains(&Some(*want)) {
            problems.push(format!(
                "{label}: line 1: no column \"{want}\": a values CSV has the header service,indicator,value,note"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut places = HashMap::new();
    let mut services: Vec<(String, Vec<Json>)> = Vec::new();
    let mut early = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| one(format!("cannot read: {e}; save the file as CSV UTF-8")))?;
        // Counted from the bytes: the reader's own count skips blank lines.
        let line = record.position().map_or(0, |p| {
            let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len());
            // The record's position may be the blank lines before it.
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1
        });
        if line > MAX_LINES {
            return Err(one(format!("has more than {MAX_LINES} lines; a month's values are a few hundred")));
        }
        let field = |key: &str| {
            let i = columns.iter().position(|c| *c == Some(key))?;
            record.get(i).map(str::trim).filter(|s| !s.is_empty()).map(|s| (i + 1, s))
        };
        let place = |key: &str| {
            let col = columns.iter().position(|c| *c == Some(key)).map_or(0, |i| i + 1);
            format!("line {line}, column {col} ({key})")
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() > columns.len() {
            let at = format!("@line {line}");
            places.insert(at.clone(), format!("line {line}"));
            early.push((
                at,
                format!("{} fields where the header has {}: is a comma missing quotes?", record.len(), columns.len()),
            ));
            continue;
        }
        let Some((_, id)) = field("service") else {
            let at = format!("@{}", place("service"));
            places.insert(at.clone(), place("service"));
            early.push((at, "missing: which service is this value for?".to_string()));
            continue;
        };
        let k = match services.iter().position(|(s, _)| s == id) {
            Some(k) => k,
            None => {
                places.insert(format!("services[{}].id", services.len()), place("service"));
                services.push((id.to_string(), Vec::new()));
                services.len() - 1
            }
        };
        let path = format!("services[{k}].data[{}]", services[k].1.len());
        places.insert(path.clone(), format!("line {line}"));
        let mut pairs = Vec::new();
        for key in ["indicator", "value", "note"] {
            places.insert(format!("{path}.{key}"), place(key));
            if let Some((_, s)) = field(key) {
                let v = match (key, plain_number(s)) {
                    ("value", Some(n)) => n,
                    _ => Json::Text(s.to_string()),
                };
                pairs.push((key.to_string(), v));
            }
        }
        services[k].1.push(Json::Object(pairs));
    }
    let services = services
        .into_iter()
        .map(|(id, data)| Json::Object(vec![("id".into(), Json::Text(id)), ("data".into(), Json::List(data))]))
        .collect();
    let root = Json::Object(vec![
        ("format".into(), Json::Text(FORMAT.into())),
        ("period".into(), Json::Text(period.to_string())),
        ("services".into(), Json::List(services)),
    ]);
    let mut p = Problems::in_places(label, places);
    for (at, msg) in &early {
        p.at(at, msg);
    }
    let pack = raw::read(&mut p, &root).and_then(|pack| validate(&mut p, label, pack, known));
    p.finish()?;
    pack.ok_or_else(|| vec![format!("{label}: the file is incomplete")])
}

/// A field that is a plain decimal number, as a JSON number.
fn plain_number(s: &str) -> Option<Json> {
    let ok = s.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    let n: f64 = s.parse().ok().filter(|n: &f64| ok && n.is_finite())?;
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Some(Json::Number((n as i64).into()))
    } else {
        serde_json::Number::from_f64(n).map(Json::Number)
    }
}
