//! An action's history in words, and what changed since the last meeting.
//! One `describe_change` words a history line for the screen, the CLI, the
//! minutes and the exports, so the record reads the same wherever it is
//! read. `Window` says which changes a meeting reviews, and `net_changes`
//! folds them to their net effect, so an update and its undo, or a field
//! that ended where it started, never reach the minutes.

use chrono::NaiveDate;

/// One history row, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change<'a> {
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// The note the screen's `u` writes on the change that undoes another:
/// bookkeeping, not a word the meeting said.
pub const UNDO_NOTE: &str = "undone from the meeting screen (u)";

/// A history line in words: `status: open → done — all booked`,
/// `created`, and a note on its own as itself (`awaiting data`). Status words read as people say them
/// (`in progress`). Not sanitised: callers clean or escape for their output.
pub fn describe_change(c: &Change<'_>) -> String {
    let words = |v: Option<&str>| match (c.field, v) {
        (_, None) => "—".to_string(),
        ("status", Some(s)) => s.replace('_', " "),
        (_, Some(s)) => s.to_string(),
    };
    let note = c.note.map(str::trim).filter(|n| !n.is_empty() && *n != "undo" && *n != UNDO_NOTE);
    let change = match c.field {
        // A note on its own reads as what was said.
        "note" => return note.unwrap_or("note").to_string(),
        "created" => c.field.to_string(),
        f => format!("{f}: {} → {}", words(c.old), words(c.new)),
    };
    match note {
        Some(note) => format!("{change} — {note}"),
        None => change,
    }
}

/// Which history rows a meeting reviews as "since the last meeting": those
/// recorded at this meeting, and those recorded outside any meeting (from
/// the CLI between meetings) after the previous meeting's day and before
/// the end of this meeting's day. Timestamps are the store's UTC
/// `YYYY-MM-DDTHH:MM:SSZ`, which compare as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub meeting: i64,
    /// The day after the previous meeting, if there was one.
    pub from: Option<String>,
    /// The day after this meeting.
    pub until: String,
}

impl Window {
    pub fn new(meeting: i64, date: NaiveDate, previous: Option<NaiveDate>) -> Window {
        let day_after = |d: NaiveDate| format!("{}T00:00:00Z", d.succ_opt().unwrap_or(d));
        Window { meeting, from: previous.map(day_after), until: day_after(date) }
    }

    pub fn contains(&self, at: &str, meeting: Option<i64>) -> bool {
        match meeting {
            Some(m) => m == self.meeting,
            None => self.from.as_deref().is_none_or(|from| at >= from) && at < self.until.as_str(),
        }
    }
}

/// The net effect of `changes` (oldest first): for each field, its first
/// old value to its last new value, left out when they are equal; notes
/// on their own are kept. Each result is the index of the change it was
/// last touched by (newest last) with the net old and new values; its
/// note is that last change's.
pub fn net_changes<'a>(changes: &[Change<'a>]) -> Vec<(usize, Change<'a>)> {
    let mut out: Vec<(usize, Change<'a>)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        if c.field == "created" {
            continue;
        }
        if c.field == "note" {
            if c.note.is_some_and(|n| !n.trim().is_empty()) {
                out.push((i, *c));
            }
            continue;
        }
        match out.iter().position(|(_, seen)| seen.field == c.field) {
            Some(at) => {
                let (_, first) = out.remove(at);
                out.push((i, Change { old: first.old, ..*c }));
            }
            None => out.push((i, *c)),
        }
    }
    out.retain(|(_, c)| c.field == "note" || c.old != c.new);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch<'a>(field: &'a str, old: &'a str, new: &'a str, note: Option<&'a str>) -> Change<'a> {
        Change { field, old: Some(old), new: Some(new), note }
    }

    #[test]
    fn a_change_reads_the_same_everywhere() {
        assert_eq!(describe_change(&ch("status", "open", "in_progress", None)), "status: open → in progress");
        assert_eq!(
            describe_change(&ch("due", "2024-01-31", "2024-02-29", Some("awaiting data"))),
            "due: 2024-01-31 → 2024-02-29 — awaiting data"
        );
        let note = Change { field: "note", old: None, new: None, note: Some("chased") };
        assert_eq!(describe_change(&note), "chased");
        assert_eq!(describe_change(&ch("status", "done", "open", Some(UNDO_NOTE))), "status: done → open");
    }

    #[test]
    fn an_update_and_its_undo_leave_nothing() {
        let changes = [
            ch("status", "open", "done", Some("all booked")),
            ch("status", "done", "open", Some(UNDO_NOTE)),
            ch("status", "open", "done", Some("booked at last")),
        ];
        let net = net_changes(&changes);
        assert_eq!(net.len(), 1);
        assert_eq!((net[0].0, net[0].1.old, net[0].1.new), (2, Some("open"), Some("done")));
        assert_eq!(net[0].1.note, Some("booked at last"));
        assert!(net_changes(&changes[..2]).is_empty(), "undone: no net change");
    }

    #[test]
    fn fields_net_separately_and_notes_stay_newest_last() {
        let note = Change { field: "note", old: None, new: None, note: Some("awaiting data") };
        let changes = [
            ch("due", "2024-01-31", "2024-02-29", None),
            note,
            ch("owner", "A", "B", None),
            ch("owner", "B", "A", None),
            ch("due", "2024-02-29", "2024-03-31", None),
        ];
        let net = net_changes(&changes);
        let fields: Vec<(&str, Option<&str>, Option<&str>)> =
            net.iter().map(|(_, c)| (c.field, c.old, c.new)).collect();
        assert_eq!(fields, vec![("note", None, None), ("due", Some("2024-01-31"), Some("2024-03-31"))]);
    }

    #[test]
    fn the_window_runs_from_the_day_after_the_last_meeting_to_the_end_of_this_one() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let w = Window::new(7, d("2023-11-14"), Some(d("2023-10-10")));
        assert!(w.contains("2023-11-14T09:00:00Z", Some(7)), "at this meeting");
        assert!(!w.contains("2023-10-10T10:00:00Z", Some(6)), "at the last meeting");
        assert!(!w.contains("2023-10-10T16:00:00Z", None), "on the last meeting's day");
        assert!(w.contains("2023-10-20T12:00:00Z", None), "between meetings, from the CLI");
        assert!(w.contains("2023-11-14T17:00:00Z", None), "later on the meeting's day");
        assert!(!w.contains("2023-11-15T08:00:00Z", None), "after the meeting");
        assert!(Window::new(1, d("2023-11-14"), None).contains("2020-01-01T00:00:00Z", None), "no earlier meeting");
    }
}
