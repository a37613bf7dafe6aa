//! Full-text search (SQLite FTS5) across actions, decisions, audit findings
//! and feedback themes and quotes, ranked by BM25, each hit with where it
//! lives. Shared by `qprm search` and the meeting screen's `/`. Only a
//! bounded set of the newest matches is ranked (`CANDIDATES`), so a common
//! word across ten years does not rank tens of thousands of records; the
//! result says when more matches exist.

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

/// How many matches are ranked from each end of the index: the newest
/// this many (actions, mostly), and when there are more, the newest this
/// many decisions, findings and feedback too. Ranking costs per match, so
/// a common word across ten years (tens of thousands of matches) is ranked
/// among these and the result says that more exist.
pub const CANDIDATES: usize = 1000;

/// The best matches among those ranked, and how far the search reached.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// The best `limit` of the ranked matches, best first.
    pub hits: Vec<SearchHit>,
    /// How many matches were ranked (at most twice `CANDIDATES`).
    pub ranked: usize,
    /// More matches exist than were ranked: older ones were left out.
    pub beyond: bool,
}

impl SearchResults {
    /// Matches exist that are not among `hits`.
    pub fn more(&self) -> bool {
        self.beyond || self.ranked > self.hits.len()
    }
}

impl Store {
    /// The best `limit` matches for `text`, best first (see `search_ranked`).
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
        Ok(self.search_ranked(text, limit)?.hits)
    }

    /// The newest `CANDIDATES` matches (and as many of the other records,
    /// see `CANDIDATES`) are ranked by BM25 and the best `limit` returned,
    /// best first, with whether more matches exist. FTS5 walks matches
    /// newest first (highest rowid) and stops after the candidates, so the
    /// per-match ranking is bounded however common the words (BM25's word
    /// statistics still read each word's list once).
    pub fn search_ranked(&self, text: &str, limit: u32) -> Result<SearchResults> {
        let Some(query) = fts_query(text) else { return Ok(SearchResults::default()) };
        // One statement per end of the index, each reading every column
        // it needs: each FTS5 statement merges the words' prefix lists
        // again, so a second one for details would cost as much as this.
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.kind, s.ref, s.service, s.period, s.meeting, m.date, s.title, s.body,
                    snippet(search_index, 6, '[', ']', '…', 12), bm25(search_index, 0, 0, 0, 0, 0, 2.0, 1.0), s.rowid
             FROM search_index s LEFT JOIN meetings m ON m.id = s.meeting
             WHERE search_index MATCH ?1 AND s.rowid < ?2 ORDER BY s.rowid DESC LIMIT ?3",
        )?;
        let mut candidates = |below: i64| -> Result<(Vec<(SearchHit, i64)>, bool)> {
            let mut rows: Vec<(SearchHit, i64)> = stmt
                .query_map(params![query, below, CANDIDATES as i64 + 1], |r| Ok((hit(r)?, r.get(10)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let beyond = rows.len() > CANDIDATES;
            rows.truncate(CANDIDATES);
            Ok((rows, beyond))
        };
        let (mut ranked, mut beyond) = candidates(i64::MAX)?;
        if beyond {
            // Index rows are numbered by record (id * 4 + kind), so the
            // newest matches are all actions once actions number in the
            // thousands. Decisions, findings and feedback are few: their
            // newest matches are ranked too, from the low numbers.
            let records: i64 = self.conn.query_row(
                "SELECT 4 * (1 + max(coalesce((SELECT max(id) FROM decisions), 0),
                                     coalesce((SELECT max(id) FROM audit_findings), 0),
                                     coalesce((SELECT max(id) FROM feedback_themes), 0)))",
                [],
                |r| r.get(0),
            )?;
            let oldest = ranked.last().map_or(i64::MAX, |(_, id)| *id);
            let (low, more) = candidates(records.min(oldest))?;
            ranked.extend(low);
            beyond |= more;
        }
        drop(stmt);
        let count = ranked.len();
        // Best first; equal ranks newest first, so the order is stable.
        ranked.sort_by(|a, b| a.0.rank.total_cmp(&b.0.rank).then(b.1.cmp(&a.1)));
        ranked.truncate(limit as usize);
        Ok(SearchResults { hits: ranked.into_iter().map(|(h, _)| h).collect(), ranked: count, beyond })
    }
}

/// One search row: kind, ref, service, period, meeting, meeting date,
/// title, body, snippet, rank.
fn hit(r: &rusqlite::Row<'_>) -> rusqlite::Result<SearchHit> {
    let kind: String = r.get(0)?;
    Ok(SearchHit {
        kind: SearchKind::parse(&kind)
            .ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, kind.into()))?,
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
