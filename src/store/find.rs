//! The meeting screen's `/` lookup: indicators by code or name, then the
//! same full-text search as `qprm search` (actions, decisions, audit
//! findings, feedback), each hit with the service and section to jump to.

use super::Store;
use crate::error::Result;
use rusqlite::params;

#[derive(Debug, Clone, PartialEq)]
pub enum HitKind {
    Indicator,
    Action,
    Decision,
    Finding,
    Feedback,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    /// The service it belongs to, so the screen can jump there.
    pub service: Option<String>,
    pub label: String,
}

impl Store {
    /// Records anywhere in the history match; each hit says where it lives.
    pub fn find(&self, phrase: &str, limit: u32) -> Result<Vec<Hit>> {
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
        for h in self.search(phrase, limit)? {
            let kind = match h.kind {
                super::SearchKind::Action => HitKind::Action,
                super::SearchKind::Decision => HitKind::Decision,
                super::SearchKind::Finding => HitKind::Finding,
                super::SearchKind::Feedback => HitKind::Feedback,
            };
            let when = h.meeting_date.clone().or(h.period.clone()).map(|w| format!(" ({w})")).unwrap_or_default();
            let title = if h.title.is_empty() { String::new() } else { format!("{}: ", h.title) };
            hits.push(Hit { kind, service: h.service, label: format!("{} {title}{}{when}", h.reference, h.snippet) });
        }
        Ok(hits)
    }
}
