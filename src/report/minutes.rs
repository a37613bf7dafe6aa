//! Minutes as Markdown (renders cleanly on common viewers), HTML (one
//! self-contained file that prints on A4 with a page break between
//! services) and JSON (`qprm-minutes/1`). Each writer is a
//! `store::MinutesSink`: it writes each part as the store reads it, so a
//! late meeting's thousands of actions stream to the output instead of
//! being built up in memory. `markdown`/`html` replay a collected
//! `Minutes` through the same writers, so both paths give the same bytes.
//! Both open with whether these minutes and the previous meeting's were
//! agreed. Headline indicators carry their variation and assurance; in
//! HTML each has its SPC chart (svg.rs) under the table. All text is
//! sanitised, and escaped for its format.

mod html;
mod json;
mod markdown;

use crate::domain::rag::format_number;
use crate::domain::sanitize::clean;
use crate::error::{Error, Result};
use crate::store::{ActionHistoryEntry, BusinessStart, KpiRow, Minutes, MinutesSink, Opening, ServiceHeading};
use std::io::Write;

pub use html::HtmlWriter;
pub use json::JsonWriter;
pub use markdown::MarkdownWriter;

/// The Markdown minutes of a collected `Minutes`.
pub fn markdown(m: &Minutes) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every writer writes UTF-8.
    let _ = replay(m, &mut MarkdownWriter::new(&mut out));
    String::from_utf8_lossy(&out).into_owned()
}

/// The HTML minutes of a collected `Minutes`.
pub fn html(m: &Minutes) -> String {
    let mut out = Vec::new();
    let _ = replay(m, &mut HtmlWriter::new(&mut out));
    String::from_utf8_lossy(&out).into_owned()
}

/// Hands a collected `Minutes` to `sink` part by part, as the store would.
pub fn replay(m: &Minutes, sink: &mut dyn MinutesSink) -> Result<()> {
    let carried_forward =
        m.services.iter().map(|s| &s.business).chain([&m.other_business]).map(|b| b.carried_forward.len()).sum();
    sink.opening(&Opening {
        meeting: &m.meeting,
        approval_history: &m.approval_history,
        previous: m.previous.as_ref(),
        carried_forward,
    })?;
    let business = |sink: &mut dyn MinutesSink, b: &crate::store::Business| -> Result<()> {
        sink.business(&BusinessStart {
            decisions: &b.decisions,
            new_actions: b.new_actions.len(),
            carried_forward: b.carried_forward.len(),
        })?;
        b.new_actions.iter().try_for_each(|a| sink.new_action(a))?;
        b.carried_forward.iter().try_for_each(|c| sink.carried(c))?;
        sink.end_part()
    };
    for s in &m.services {
        sink.service(&ServiceHeading {
            service: s.service.clone(),
            headline: s.headline.clone(),
            charts: s.charts.clone(),
            greens: s.greens,
            audits: s.audits.clone(),
        })?;
        business(sink, &s.business)?;
    }
    sink.other_business()?;
    business(sink, &m.other_business)?;
    sink.summary(&m.action_summary)
}

/// A writer's output: text is gathered in a small buffer (formatting into
/// a `String` cannot fail) and handed to the destination a block at a time.
struct Out<'w> {
    buf: String,
    dest: &'w mut dyn Write,
}

impl<'w> Out<'w> {
    /// How much text is gathered before it is written out.
    const BLOCK: usize = 64 * 1024;

    fn new(dest: &'w mut dyn Write) -> Out<'w> {
        Out { buf: String::with_capacity(Self::BLOCK), dest }
    }

    /// Writes the buffer out once it holds a block.
    fn pass_on(&mut self) -> Result<()> {
        if self.buf.len() >= Self::BLOCK { self.flush() } else { Ok(()) }
    }

    /// Writes out everything gathered.
    fn flush(&mut self) -> Result<()> {
        self.dest.write_all(self.buf.as_bytes()).map_err(write_err)?;
        self.buf.clear();
        self.dest.flush().map_err(write_err)
    }
}

fn write_err(e: std::io::Error) -> Error {
    Error::io("writing the minutes", e)
}

fn long_date(iso: &str) -> String {
    crate::domain::dates::parse_iso(iso).map(|d| d.format("%-d %B %Y").to_string()).unwrap_or_else(|_| iso.to_string())
}

/// "approved on 20 November 2023 (by cli)", or "not yet approved".
fn approval_words(approved_at: Option<&str>, approved_by: Option<&str>) -> String {
    match approved_at {
        Some(at) => {
            let by = approved_by.map(|b| format!(" (by {b})")).unwrap_or_default();
            format!("approved on {}{by}", long_date(at.get(..10).unwrap_or(at)))
        }
        None => "not yet approved".into(),
    }
}

/// These minutes' state: each approval and reopening in order, a
/// reopening with its reason, so a reader sees why approved minutes changed.
fn this_approval(o: &Opening<'_>) -> String {
    let mt = o.meeting;
    if o.approval_history.is_empty() {
        return approval_words(mt.approved_at.as_deref(), mt.approved_by.as_deref());
    }
    let mut steps: Vec<String> = o
        .approval_history
        .iter()
        .map(|h| {
            let day = long_date(h.at.get(..10).unwrap_or(&h.at));
            match h.new.as_deref() {
                Some("reopened") => {
                    let why = h.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default();
                    format!("reopened on {day} (by {}){why}", h.actor)
                }
                _ => format!("approved on {day} (by {})", h.actor),
            }
        })
        .collect();
    if mt.approved_at.is_none() {
        steps.push("not yet approved again".into());
    }
    steps.join("; ")
}

/// The opening line about the previous meeting's minutes, and what follows.
fn previous_lines(o: &Opening<'_>) -> Option<[String; 2]> {
    let p = o.previous?;
    Some([
        format!(
            "Minutes of the meeting of {}: {}.",
            long_date(&p.date),
            approval_words(p.approved_at.as_deref(), p.approved_by.as_deref())
        ),
        format!(
            "Actions carried forward: {}, reviewed below, under their service or Other business.",
            o.carried_forward
        ),
    ])
}

fn value(r: &KpiRow, v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| r.unit.format(v))
}

fn audit_line(s: &ServiceHeading) -> Option<String> {
    let a = s.audits.as_ref()?;
    let pct = a.good_or_better_pct()?;
    let target = a.good_or_better_target.map(|t| format!("; target {}%", format_number(t))).unwrap_or_default();
    let below = a.good_or_better_target.is_some_and(|t| pct < t);
    Some(format!(
        "Audits: {} of {} rated good or better ({}%{target}){}; {} with family feedback.",
        a.outstanding + a.good,
        a.completed,
        format_number(pct),
        if below { ", below target" } else { "" },
        a.with_family_feedback
    ))
}

/// One update since the last meeting, in words.
fn update_text(h: &ActionHistoryEntry) -> String {
    clean(&crate::domain::history::describe_change(&h.as_change()))
}

/// A carried-forward action's updates since the last meeting, in words.
fn updates_text(updates: &[ActionHistoryEntry]) -> String {
    updates.iter().map(update_text).filter(|u| !u.is_empty()).collect::<Vec<_>>().join("; ")
}

/// Where a writer is within one part's business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    /// Between parts.
    #[default]
    Outside,
    /// Writing the part's new actions.
    New { rows: usize },
    /// Writing its carried-forward actions.
    Carried { rows: usize },
    /// Other business with nothing recorded: its lists are empty.
    Nothing,
}
