//! A validated pack: every enumeration parsed, every reference checked, every
//! number in range. The store imports these without re-checking.

use crate::domain::{ActionStatus, Period, Polarity, Unit};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct ValidPack {
    /// The file it came from, for messages and import history.
    pub file: String,
    pub period: Period,
    pub organisation: Option<String>,
    pub good_or_better_target: Option<f64>,
    pub family_feedback_target: Option<f64>,
    pub indicators: Vec<IndicatorDef>,
    pub services: Vec<ServiceReport>,
    pub actions: Vec<ActionDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    pub code: String,
    pub name: String,
    pub unit: Unit,
    pub polarity: Polarity,
    pub priority: Option<String>,
    pub service: Option<String>,
    pub baseline: Option<f64>,
    pub baseline_period: Option<Period>,
    pub target: Option<f64>,
    pub target_period: Option<Period>,
    pub england: Option<f64>,
    pub statistical_neighbours: Option<f64>,
    /// Periods where the process changed (SPC limits split there).
    pub rebase: Vec<Period>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceReport {
    pub id: String,
    /// `None`: the pack left it out and the stored name stands (validation
    /// made sure the service is stored, here or in an earlier pack).
    pub name: Option<String>,
    /// `None`: left out; a stored head is kept, never erased.
    pub head: Option<String>,
    pub data: Vec<DataPoint>,
    pub audits: Option<AuditReport>,
    pub feedback: Vec<FeedbackTheme>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataPoint {
    pub indicator: String,
    pub value: f64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditReport {
    pub completed: u32,
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
    pub inadequate: u32,
    pub with_family_feedback: u32,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub theme: String,
    pub text: String,
}

crate::domain::rag::str_enum!(FindingKind { Strength = "strength", Improvement = "improvement" });

crate::domain::rag::str_enum!(FeedbackSource {
    ChildrenYoungPeople = "children_young_people",
    Families = "families",
    Complaints = "complaints",
    Compliments = "compliments",
    Workforce = "workforce",
    Partners = "partners",
    Other = "other",
});

crate::domain::rag::str_enum!(Sentiment { Positive = "positive", Negative = "negative", Mixed = "mixed", Neutral = "neutral" });

#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackTheme {
    pub source: FeedbackSource,
    pub theme: String,
    pub count: u32,
    pub sentiment: Sentiment,
    pub quotes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionDef {
    pub reference: String,
    pub text: String,
    pub owner: String,
    pub service: Option<String>,
    pub due: NaiveDate,
    pub status: ActionStatus,
    pub source: Option<String>,
    pub indicator: Option<String>,
}
