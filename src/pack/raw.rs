//! The pack as written, read leniently from the JSON tree: every field is
//! optional here, `None` meaning absent or already reported by the reader
//! (wrong kind of value). Unknown keys are problems (a typo such as
//! `"targett"` must not pass as a missing value). Enumerations stay text;
//! `validate` checks them and decides what absence means.

use super::json::Json;
use super::problems::Problems;
use super::read::{Obj, Shape, text};

pub struct Pack {
    pub format: Option<String>,
    pub organisation: Option<String>,
    pub period: Option<String>,
    pub good_or_better_pct: Option<f64>,
    pub family_feedback_pct: Option<f64>,
    pub indicators: Vec<Indicator>,
    pub services: Vec<Service>,
    pub actions: Vec<Action>,
}

/// List items carry their JSON path (`indicators[2]`), so messages stay
/// right even when an earlier item was not an object and was skipped.
pub struct Indicator {
    pub at: String,
    pub code: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub polarity: Option<String>,
    pub priority: Option<String>,
    pub service: Option<String>,
    pub baseline: Option<Point>,
    pub target: Option<Point>,
    pub england: Option<f64>,
    pub statistical_neighbours: Option<f64>,
    /// (path, period) of each `rebase` entry: periods where the process
    /// changed, for statistical process control (an extension of the SPEC).
    pub rebase: Vec<(String, String)>,
}

pub struct Point {
    pub value: Option<f64>,
    pub period: Option<String>,
}

pub struct Service {
    pub at: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub head: Option<String>,
    pub data: Vec<DataValue>,
    pub audits: Option<Audits>,
    pub feedback: Vec<Feedback>,
}

pub struct DataValue {
    pub at: String,
    pub indicator: Option<String>,
    pub value: Option<f64>,
    pub note: Option<String>,
}

pub struct Audits {
    pub completed: Option<u32>,
    pub outstanding: Option<u32>,
    pub good: Option<u32>,
    pub requires_improvement: Option<u32>,
    pub inadequate: Option<u32>,
    pub with_family_feedback: Option<u32>,
    pub findings: Vec<Finding>,
}

pub struct Finding {
    pub at: String,
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub text: Option<String>,
}

pub struct Feedback {
    pub at: String,
    pub source: Option<String>,
    pub theme: Option<String>,
    pub count: Option<u32>,
    pub sentiment: Option<String>,
    /// (path, quote); quotes that are not text are reported and left out.
    pub quotes: Vec<(String, String)>,
}

pub struct Action {
    pub at: String,
    pub reference: Option<String>,
    pub text: Option<String>,
    pub owner: Option<String>,
    pub service: Option<String>,
    pub due: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub indicator: Option<String>,
}

macro_rules! shape {
    ($name:ident, $what:literal, [$($key:literal),+], required [$($req:literal),*]) => {
        static $name: Shape = Shape { what: $what, keys: &[$($key),+], required: &[$($req),*] };
    };
}

shape!(PACK, "a pack", ["format", "organisation", "period", "audit_targets", "indicators", "services", "actions"],
    required ["format", "period"]);
shape!(AUDIT_TARGETS, "audit_targets", ["good_or_better_pct", "family_feedback_pct"], required []);
shape!(INDICATOR, "an indicator",
    ["code", "name", "unit", "polarity", "priority", "service", "baseline", "target", "comparators", "rebase"],
    required ["code", "name", "unit"]);
shape!(POINT, "a baseline or target", ["value", "period"], required["value"]);
shape!(COMPARATORS, "comparators", ["england", "statistical_neighbours"], required []);
shape!(SERVICE, "a service", ["id", "name", "head", "data", "audits", "feedback"], required["id"]);
shape!(DATA, "a data value", ["indicator", "value", "note"], required ["indicator", "value"]);
shape!(AUDITS, "audits", ["completed", "ratings", "with_family_feedback", "findings"],
    required ["completed", "ratings", "with_family_feedback"]);
shape!(RATINGS, "ratings", ["outstanding", "good", "requires_improvement", "inadequate"],
    required ["outstanding", "good", "requires_improvement", "inadequate"]);
shape!(FINDING, "a finding", ["kind", "theme", "text"], required ["kind", "theme", "text"]);
shape!(FEEDBACK, "a feedback theme", ["source", "theme", "count", "sentiment", "quotes"],
    required ["source", "theme", "count", "sentiment"]);
shape!(ACTION, "an action", ["ref", "text", "owner", "service", "due", "status", "source", "indicator"],
    required ["ref", "text", "owner", "due"]);

/// Reads the top-level object; `None` only when the top level is not an
/// object at all (reported).
pub fn read(p: &mut Problems, root: &Json) -> Option<Pack> {
    let o = Obj::open(p, String::new(), root, &PACK)?;
    // Read in the order a pack is written, so problems are listed that way.
    let format = o.text(p, "format");
    let organisation = o.text(p, "organisation");
    let period = o.text(p, "period");
    let targets = o.object(p, "audit_targets", &AUDIT_TARGETS);
    Some(Pack {
        format,
        organisation,
        period,
        good_or_better_pct: targets.as_ref().and_then(|t| t.number(p, "good_or_better_pct")),
        family_feedback_pct: targets.as_ref().and_then(|t| t.number(p, "family_feedback_pct")),
        indicators: items(p, &o, "indicators", &INDICATOR, indicator),
        services: items(p, &o, "services", &SERVICE, service),
        actions: items(p, &o, "actions", &ACTION, action),
    })
}

/// Each object in a list read with `read_one`; items that are not objects
/// are reported and skipped.
fn items<T>(
    p: &mut Problems,
    o: &Obj,
    key: &str,
    shape: &'static Shape,
    read_one: fn(&mut Problems, Obj) -> T,
) -> Vec<T> {
    let mut out = Vec::new();
    for (path, v) in o.list(p, key) {
        if let Some(item) = Obj::open(p, path, v, shape) {
            out.push(read_one(p, item));
        }
    }
    out
}

fn indicator(p: &mut Problems, o: Obj) -> Indicator {
    let (code, name, unit) = (o.text(p, "code"), o.text(p, "name"), o.text(p, "unit"));
    let (polarity, priority, service) = (o.text(p, "polarity"), o.text(p, "priority"), o.text(p, "service"));
    let point = |p: &mut Problems, key| {
        o.object(p, key, &POINT).map(|pt| Point { value: pt.number(p, "value"), period: pt.text(p, "period") })
    };
    let baseline = point(p, "baseline");
    let target = point(p, "target");
    let comparators = o.object(p, "comparators", &COMPARATORS);
    let rebase = o.list(p, "rebase").into_iter().filter_map(|(at, v)| text(p, &at, v).map(|t| (at, t))).collect();
    Indicator {
        rebase,
        code,
        name,
        unit,
        polarity,
        priority,
        service,
        baseline,
        target,
        england: comparators.as_ref().and_then(|c| c.number(p, "england")),
        statistical_neighbours: comparators.as_ref().and_then(|c| c.number(p, "statistical_neighbours")),
        at: o.path,
    }
}

fn service(p: &mut Problems, o: Obj) -> Service {
    // Read in the order a pack is written, so problems are listed that way.
    let id = o.text(p, "id");
    let name = o.text(p, "name");
    let head = o.text(p, "head");
    let data = items(p, &o, "data", &DATA, |p, d| DataValue {
        indicator: d.text(p, "indicator"),
        value: d.number(p, "value"),
        note: d.text(p, "note"),
        at: d.path,
    });
    let audits = o.object(p, "audits", &AUDITS).map(|a| {
        let completed = a.count(p, "completed");
        let r = a.object(p, "ratings", &RATINGS);
        let rating = |p: &mut Problems, key| r.as_ref().and_then(|r| r.count(p, key));
        Audits {
            completed,
            outstanding: rating(p, "outstanding"),
            good: rating(p, "good"),
            requires_improvement: rating(p, "requires_improvement"),
            inadequate: rating(p, "inadequate"),
            with_family_feedback: a.count(p, "with_family_feedback"),
            findings: items(p, &a, "findings", &FINDING, |p, f| Finding {
                kind: f.text(p, "kind"),
                theme: f.text(p, "theme"),
                text: f.text(p, "text"),
                at: f.path,
            }),
        }
    });
    let feedback = items(p, &o, "feedback", &FEEDBACK, |p, f| Feedback {
        source: f.text(p, "source"),
        theme: f.text(p, "theme"),
        count: f.count(p, "count"),
        sentiment: f.text(p, "sentiment"),
        quotes: f.list(p, "quotes").into_iter().filter_map(|(path, v)| text(p, &path, v).map(|t| (path, t))).collect(),
        at: f.path,
    });
    Service { id, name, head, data, audits, feedback, at: o.path }
}

fn action(p: &mut Problems, o: Obj) -> Action {
    Action {
        reference: o.text(p, "ref"),
        text: o.text(p, "text"),
        owner: o.text(p, "owner"),
        service: o.text(p, "service"),
        due: o.text(p, "due"),
        status: o.text(p, "status"),
        source: o.text(p, "source"),
        indicator: o.text(p, "indicator"),
        at: o.path,
    }
}
