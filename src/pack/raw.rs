//! The pack exactly as written in JSON. Every struct denies unknown fields so
//! a typo (`"targett"`) is an error rather than a silently missing value.
//! Enumerations stay strings here and are checked in `validate`, which can
//! name the JSON path and list the accepted words.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub format: String,
    pub organisation: Option<String>,
    pub period: String,
    pub audit_targets: Option<AuditTargets>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditTargets {
    pub good_or_better_pct: Option<f64>,
    pub family_feedback_pct: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub polarity: Option<String>,
    pub priority: Option<String>,
    pub service: Option<String>,
    pub baseline: Option<Point>,
    pub target: Option<Point>,
    pub comparators: Option<Comparators>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub value: f64,
    pub period: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparators {
    pub england: Option<f64>,
    pub statistical_neighbours: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub head: Option<String>,
    #[serde(default)]
    pub data: Vec<DataValue>,
    pub audits: Option<Audits>,
    #[serde(default)]
    pub feedback: Vec<Feedback>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataValue {
    pub indicator: String,
    pub value: f64,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audits {
    pub completed: u32,
    pub ratings: Ratings,
    pub with_family_feedback: u32,
    #[serde(default)]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratings {
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
    pub inadequate: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub kind: String,
    pub theme: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub source: String,
    pub theme: String,
    pub count: u32,
    pub sentiment: String,
    #[serde(default)]
    pub quotes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    #[serde(rename = "ref")]
    pub reference: String,
    pub text: String,
    pub owner: String,
    pub service: Option<String>,
    pub due: String,
    pub status: Option<String>,
    pub source: Option<String>,
    pub indicator: Option<String>,
}
