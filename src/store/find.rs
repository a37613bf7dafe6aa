//! The meeting screen's `/` lookup: indicators, actions and the meeting's
//! decisions whose text contains a phrase. Full-text search across all
//! history is a separate, indexed feature (`qprm search`).

use super::Store;
use crate::error::Result;
use rusqlite::params;

#[derive(Debug, Clone, PartialEq)]
pub enum HitKind {
    Indicator,
    Action,
    Decision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    /// The service it belongs to, so the screen can jump there.
    pub service: Option<String>,
    pub label: String,
}

impl Store {
    pub fn find_in_meeting(&self, meeting: i64, phrase: &str, limit: u32) -> Result<Vec<Hit>> {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return Ok(Vec::new());
        }
        // LIKE with our own escape so % and _ typed by a user are literal.
        let pattern = format!("%{}%", phrase.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let mut hits = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT service_id, code || '  ' || name FROM indicators
             WHERE code LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' ORDER BY code LIMIT ?2",
        )?;
        for row in stmt.query_map(params![pattern, limit], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (service, label) = row?;
            hits.push(Hit { kind: HitKind::Indicator, service, label });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.service_id, a.ref || '  ' || a.text FROM actions a JOIN owners o ON o.id = a.owner_id
             WHERE a.ref LIKE ?1 ESCAPE '\\' OR a.text LIKE ?1 ESCAPE '\\' OR o.name LIKE ?1 ESCAPE '\\'
             ORDER BY a.status IN ('done', 'dropped'), a.due LIMIT ?2",
        )?;
        for row in stmt.query_map(params![pattern, limit], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (service, label) = row?;
            hits.push(Hit { kind: HitKind::Action, service, label });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT service_id, text FROM decisions WHERE meeting_id = ?1 AND text LIKE ?2 ESCAPE '\\' ORDER BY id LIMIT ?3",
        )?;
        for row in stmt.query_map(params![meeting, pattern, limit], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (service, label) = row?;
            hits.push(Hit { kind: HitKind::Decision, service, label });
        }
        Ok(hits)
    }
}
