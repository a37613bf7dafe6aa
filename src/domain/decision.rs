//! A decision's status. Decisions are never deleted: withdrawing one (for
//! example by undo on the meeting screen) is a status with a reason.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    Recorded,
    Withdrawn,
}

impl DecisionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::Recorded => "recorded",
            DecisionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionStatus> {
        match s {
            "recorded" => Some(DecisionStatus::Recorded),
            "withdrawn" => Some(DecisionStatus::Withdrawn),
            _ => None,
        }
    }
}

impl fmt::Display for DecisionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl rusqlite::types::FromSql for DecisionStatus {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        DecisionStatus::parse(s)
            .ok_or_else(|| rusqlite::types::FromSqlError::Other(format!("unknown decision status {s:?}").into()))
    }
}
