//! Full-text search (SQLite FTS5) across actions, decisions, audit findings
//! and feedback themes and quotes, ranked by BM25, each hit with where it
//! lives. Shared by `qprm search` and the meeting screen's `/`.

use super::Store;
use crate::error::Result;
use rusqlite::params;

crate::domain::rag::str_enum!(
    /// What a search hit is (the search index's `kind` column).
    SearchKind { Action = "action", Decision = "decision", Finding = "finding", Feedback = "feedback" }
);

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// Action ref, decision id, finding kind (strength/improvement) or feedback source.
    #[serde(rename = "ref")]
    pub reference: String,
    pub service: Option<String>,
    pub period: Option<String>,
    pub meeting: Option<i64>,
    pub meeting_date: Option<String>,
    /// Owner (actions) or theme (findings, feedback).
    pub title: String,
    pub text: String,
    /// The matching words in context, marked with [ ].
    pub snippet: String,
    /// BM25: lower is a better match.
    pub rank: f64,
}

/// Turns what a person typed into a safe FTS5 query: each word must appear
/// (as a prefix, so "supervis" finds "supervision"); FTS operators and
/// quotes typed by the user are treated as plain text.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(text) else { return Ok(Vec::new()) };
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.kind, s.ref, s.service, s.period, s.meeting, m.date, s.title, s.body,
                    snippet(search_index, 6, '[', ']', '…', 12), bm25(search_index, 0, 0, 0, 0, 0, 2.0, 1.0) AS rank
             FROM search_index s LEFT JOIN meetings m ON m.id = s.meeting
             WHERE search_index MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, limit], |r| {
            let kind: String = r.get(0)?;
            Ok(SearchHit {
                kind: SearchKind::parse(&kind).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, kind.into())
                })?,
                reference: r.get(1)?,
                service: r.get(2)?,
                period: r.get(3)?,
                meeting: r.get(4)?,
                meeting_date: r.get(5)?,
                title: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                text: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                snippet: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                rank: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn user_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("Supervision audit").as_deref(), Some("\"supervision\"* \"audit\"*"));
        assert_eq!(fts_query("\"unbalanced AND (x").as_deref(), Some("\"unbalanced\"* \"and\"* \"x\"*"));
        assert_eq!(fts_query("  --  ").as_deref(), None);
        assert_eq!(fts_query("Siân").as_deref(), Some("\"siân\"*"));
    }
}
