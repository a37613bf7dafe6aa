//! A checked pack written back as `qprm-pack/1` JSON, keys in the order
//! the format documents them and absent values left out, so reading it
//! again gives the same pack (`qprm pack export --format json`).

use super::model::*;
use super::validate::FORMAT;
use serde::Serialize;

#[derive(Serialize)]
struct Pack<'p> {
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<&'p str>,
    period: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    audit_targets: Option<Targets>,
    indicators: Vec<Indicator<'p>>,
    services: Vec<Service<'p>>,
    actions: Vec<Action<'p>>,
}

#[derive(Serialize)]
struct Targets {
    #[serde(skip_serializing_if = "Option::is_none")]
    good_or_better_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_feedback_pct: Option<f64>,
}

#[derive(Serialize)]
struct Indicator<'p> {
    code: &'p str,
    name: &'p str,
    unit: &'static str,
    polarity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Point>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<Point>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparators: Option<Comparators>,
    /// Periods where the process changed (SPC limits restart there).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rebase: Vec<String>,
}

#[derive(Serialize)]
struct Point {
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<String>,
}

#[derive(Serialize)]
struct Comparators {
    #[serde(skip_serializing_if = "Option::is_none")]
    england: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statistical_neighbours: Option<f64>,
}

#[derive(Serialize)]
struct Service<'p> {
    id: &'p str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<&'p str>,
    data: Vec<Data<'p>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audits: Option<Audits<'p>>,
    feedback: Vec<Feedback<'p>>,
}

#[derive(Serialize)]
struct Data<'p> {
    indicator: &'p str,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'p str>,
}

#[derive(Serialize)]
struct Audits<'p> {
    completed: u32,
    ratings: Ratings,
    with_family_feedback: u32,
    findings: Vec<FindingOut<'p>>,
}

#[derive(Serialize)]
struct Ratings {
    outstanding: u32,
    good: u32,
    requires_improvement: u32,
    inadequate: u32,
}

#[derive(Serialize)]
struct FindingOut<'p> {
    kind: &'static str,
    theme: &'p str,
    text: &'p str,
}

#[derive(Serialize)]
struct Feedback<'p> {
    source: &'static str,
    theme: &'p str,
    count: u32,
    sentiment: &'static str,
    quotes: &'p [String],
}

#[derive(Serialize)]
struct Action<'p> {
    #[serde(rename = "ref")]
    reference: &'p str,
    text: &'p str,
    owner: &'p str,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'p str>,
    due: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indicator: Option<&'p str>,
}

/// The pack as pretty JSON, ending with a newline.
pub fn pack_json(p: &ValidPack) -> String {
    let point = |value: Option<f64>, period: Option<crate::domain::Period>| {
        value.map(|value| Point { value, period: period.map(|p| p.to_string()) })
    };
    let pack = Pack {
        format: FORMAT,
        organisation: p.organisation.as_deref(),
        period: p.period.to_string(),
        audit_targets: (p.good_or_better_target.is_some() || p.family_feedback_target.is_some()).then_some(Targets {
            good_or_better_pct: p.good_or_better_target,
            family_feedback_pct: p.family_feedback_target,
        }),
        indicators: p
            .indicators
            .iter()
            .map(|i| Indicator {
                code: &i.code,
                name: &i.name,
                unit: i.unit.as_str(),
                polarity: i.polarity.as_str(),
                priority: i.priority.as_deref(),
                service: i.service.as_deref(),
                baseline: point(i.baseline, i.baseline_period),
                target: point(i.target, i.target_period),
                comparators: (i.england.is_some() || i.statistical_neighbours.is_some())
                    .then_some(Comparators { england: i.england, statistical_neighbours: i.statistical_neighbours }),
                rebase: i.rebase.iter().map(|p| p.to_string()).collect(),
            })
            .collect(),
        services: p
            .services
            .iter()
            .map(|s| Service {
                id: &s.id,
                name: s.name.as_deref(),
                head: s.head.as_deref(),
                data: s
                    .data
                    .iter()
                    .map(|d| Data { indicator: &d.indicator, value: d.value, note: d.note.as_deref() })
                    .collect(),
                audits: s.audits.as_ref().map(|a| Audits {
                    completed: a.completed,
                    ratings: Ratings {
                        outstanding: a.outstanding,
                        good: a.good,
                        requires_improvement: a.requires_improvement,
                        inadequate: a.inadequate,
                    },
                    with_family_feedback: a.with_family_feedback,
                    findings: a
                        .findings
                        .iter()
                        .map(|f| FindingOut { kind: f.kind.as_str(), theme: &f.theme, text: &f.text })
                        .collect(),
                }),
                feedback: s
                    .feedback
                    .iter()
                    .map(|f| Feedback {
                        source: f.source.as_str(),
                        theme: &f.theme,
                        count: f.count,
                        sentiment: f.sentiment.as_str(),
                        quotes: &f.quotes,
                    })
                    .collect(),
            })
            .collect(),
        actions: p
            .actions
            .iter()
            .map(|a| Action {
                reference: &a.reference,
                text: &a.text,
                owner: &a.owner,
                service: a.service.as_deref(),
                due: a.due.to_string(),
                status: a.status.as_str(),
                source: a.source.as_deref(),
                indicator: a.indicator.as_deref(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&pack).unwrap_or_default();
    out.push('\n');
    out
}
