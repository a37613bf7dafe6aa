//! Minutes as Markdown (renders cleanly on common viewers) and HTML (one
//! self-contained file that prints on A4 with a page break between
//! services). Both open with whether these minutes and the previous
//! meeting's were agreed. Headline indicators carry their variation and
//! assurance; in HTML each has its SPC chart (svg.rs) under the table. All text is sanitised, and escaped for its format.

use crate::domain::rag::format_number;
use crate::domain::sanitize::clean;
use crate::store::{ActionHistoryEntry, Business, KpiRow, Minutes, MinutesService};
use std::fmt::Write;

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
fn this_approval(m: &Minutes) -> String {
    let mt = &m.meeting;
    if m.approval_history.is_empty() {
        return approval_words(mt.approved_at.as_deref(), mt.approved_by.as_deref());
    }
    let mut steps: Vec<String> = m
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
fn previous_lines(m: &Minutes) -> Option<[String; 2]> {
    let p = m.previous.as_ref()?;
    let carried: usize =
        m.services.iter().map(|s| &s.business).chain([&m.other_business]).map(|b| b.carried_forward.len()).sum();
    Some([
        format!(
            "Minutes of the meeting of {}: {}.",
            long_date(&p.date),
            approval_words(p.approved_at.as_deref(), p.approved_by.as_deref())
        ),
        format!("Actions carried forward: {carried}, reviewed below, under their service or Other business."),
    ])
}

fn value(r: &KpiRow, v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| r.unit.format(v))
}

fn audit_line(s: &MinutesService) -> Option<String> {
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

/// Markdown-safe text: sanitised, one line, with the characters that
/// Markdown would treat as syntax escaped.
fn md(s: &str) -> String {
    let mut out = String::new();
    for c in clean(s).chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn markdown(m: &Minutes) -> String {
    let mut o = String::new();
    let mt = &m.meeting;
    let _ = writeln!(o, "# Quality Performance and Review Meeting: {}\n", long_date(&mt.date));
    let _ = writeln!(o, "- **Reviewing:** {}", md(&mt.period));
    let _ = writeln!(o, "- **Chair:** {}", md(mt.chair.as_deref().unwrap_or("—")));
    let present = if mt.attendees.is_empty() {
        "—".into()
    } else {
        mt.attendees.iter().map(|a| md(a)).collect::<Vec<_>>().join("; ")
    };
    let _ = writeln!(o, "- **Present:** {present}");
    let apologies = if mt.apologies.is_empty() {
        "none".into()
    } else {
        mt.apologies.iter().map(|a| md(a)).collect::<Vec<_>>().join("; ")
    };
    let _ = writeln!(o, "- **Apologies:** {apologies}");
    let _ = writeln!(o, "- **These minutes:** {}\n", md(&this_approval(m)));
    if let Some([approval, carried]) = previous_lines(m) {
        let _ = writeln!(o, "## Minutes of the previous meeting\n\n{}\n\n{}\n", md(&approval), md(&carried));
    }
    for (i, s) in m.services.iter().enumerate() {
        let _ = writeln!(o, "## {}. {}\n", i + 1, md(&s.service.name));
        if let Some(head) = &s.service.head {
            let _ = writeln!(o, "Presented by {}.\n", md(head));
        }
        let _ = writeln!(o, "### Headline data\n");
        if s.headline.is_empty() {
            let _ = writeln!(o, "No red or amber indicators ({} green).\n", s.greens);
        } else {
            let _ = writeln!(
                o,
                "| RAG | Indicator | Value | Baseline | Target | Direction | Variation | Assurance |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
            );
            for r in &s.headline {
                let _ = writeln!(
                    o,
                    "| {} | {} ({}) | {} | {} | {} | {} | {} | {} |",
                    r.rag.label(),
                    md(&r.name),
                    md(&r.code),
                    value(r, r.value),
                    value(r, r.baseline),
                    value(r, r.target),
                    r.direction.arrow(),
                    r.variation.words(),
                    r.assurance.words()
                );
            }
            let _ = writeln!(o, "\n{} further indicator(s) green.\n", s.greens);
        }
        if let Some(line) = audit_line(s) {
            let _ = writeln!(o, "{line}\n");
        }
        business_md(&mut o, &s.business);
    }
    let _ = writeln!(o, "## Other business\n");
    if m.other_business.is_empty() {
        let _ = writeln!(o, "None recorded.\n");
    } else {
        business_md(&mut o, &m.other_business);
    }
    let _ = writeln!(o, "## Action summary\n");
    if m.action_summary.is_empty() {
        let _ = writeln!(o, "No open actions on this agenda.");
    } else {
        let _ = writeln!(o, "| Owner | Open | Overdue |\n| --- | --- | --- |");
        for s in &m.action_summary {
            let _ = writeln!(o, "| {} | {} | {} |", md(&s.owner), s.open, s.overdue);
        }
    }
    o
}

/// Decisions, new actions and carried-forward actions, for one agenda item
/// or the meeting's other business.
fn business_md(o: &mut String, b: &Business) {
    let _ = writeln!(o, "### Decisions\n");
    if b.decisions.is_empty() {
        let _ = writeln!(o, "None recorded.\n");
    } else {
        for (n, d) in b.decisions.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", n + 1, md(&d.text));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "### New actions\n");
    if b.new_actions.is_empty() {
        let _ = writeln!(o, "None.\n");
    } else {
        let _ = writeln!(o, "| Ref | Action | Owner | Due |\n| --- | --- | --- | --- |");
        for a in &b.new_actions {
            let _ = writeln!(o, "| {} | {} | {} | {} |", md(&a.reference), md(&a.text), md(&a.owner), md(&a.due));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "### Carried-forward actions\n");
    if b.carried_forward.is_empty() {
        let _ = writeln!(o, "None.\n");
    } else {
        let _ = writeln!(
            o,
            "| Ref | Action | Owner | Due | Status | Updates since the last meeting |\n| --- | --- | --- | --- | --- | --- |"
        );
        for c in &b.carried_forward {
            let a = &c.action;
            let words = a.status.as_str().replace('_', " ");
            let status = if a.overdue { format!("{words} (overdue)") } else { words };
            let updates = c.updates.iter().map(update_text).filter(|u| !u.is_empty()).collect::<Vec<_>>().join("; ");
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                md(&a.reference),
                md(&a.text),
                md(&a.owner),
                md(&a.due),
                md(&status),
                if updates.is_empty() { "—".into() } else { md(&updates) }
            );
        }
        o.push('\n');
    }
}

/// HTML-escaped, sanitised text.
fn h(s: &str) -> String {
    clean(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const CSS: &str = "@page { size: A4; margin: 18mm 16mm; }
body { font-family: system-ui, 'Segoe UI', Arial, sans-serif; font-size: 10.5pt; color: #111; max-width: 190mm; margin: auto; }
h1 { font-size: 17pt; margin-bottom: 4pt; } h2 { font-size: 13.5pt; border-bottom: 1px solid #999; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; page-break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eef1f6; } tr { page-break-inside: avoid; }
.red { font-weight: bold; color: #9c0006; } .amber { color: #7a5a00; } .overdue { font-weight: bold; color: #9c0006; }
section.service { page-break-before: always; } section.service:first-of-type { page-break-before: auto; }
dl.meta dt { font-weight: bold; float: left; width: 8em; } dl.meta dd { margin-left: 8.5em; }
figure.spc { margin: 4pt 0 10pt; page-break-inside: avoid; } figure.spc figcaption { font-size: 9.5pt; margin-bottom: 2pt; }
svg.spc { display: block; width: 100%; max-width: 180mm; height: auto; }
@media print { a { color: inherit; text-decoration: none; } }";

pub fn html(m: &Minutes) -> String {
    let mut o = String::new();
    let mt = &m.meeting;
    let title = format!("Quality Performance and Review Meeting: {}", long_date(&mt.date));
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<dl class=\"meta\">\n",
        h(&title),
        h(&title)
    );
    let list = |v: &[String], none: &str| {
        if v.is_empty() { none.to_string() } else { v.iter().map(|x| h(x)).collect::<Vec<_>>().join("; ") }
    };
    let _ = write!(
        o,
        "<dt>Reviewing</dt><dd>{}</dd>\n<dt>Chair</dt><dd>{}</dd>\n<dt>Present</dt><dd>{}</dd>\n<dt>Apologies</dt><dd>{}</dd>\n<dt>These minutes</dt><dd>{}</dd>\n</dl>\n",
        h(&mt.period),
        h(mt.chair.as_deref().unwrap_or("—")),
        list(&mt.attendees, "—"),
        list(&mt.apologies, "none"),
        h(&this_approval(m))
    );
    if let Some([approval, carried]) = previous_lines(m) {
        let _ = writeln!(
            o,
            "<div class=\"previous\">\n<h2>Minutes of the previous meeting</h2>\n<p>{}</p>\n<p>{}</p>\n</div>",
            h(&approval),
            h(&carried)
        );
    }
    for (i, s) in m.services.iter().enumerate() {
        let _ = write!(o, "<section class=\"service\">\n<h2>{}. {}</h2>\n", i + 1, h(&s.service.name));
        if let Some(head) = &s.service.head {
            let _ = writeln!(o, "<p>Presented by {}.</p>", h(head));
        }
        let _ = writeln!(o, "<h3>Headline data</h3>");
        if s.headline.is_empty() {
            let _ = writeln!(o, "<p>No red or amber indicators ({} green).</p>", s.greens);
        } else {
            let _ = writeln!(
                o,
                "<table><thead><tr><th>RAG</th><th>Indicator</th><th>Value</th><th>Baseline</th><th>Target</th><th>Direction</th><th>Variation</th><th>Assurance</th></tr></thead><tbody>"
            );
            for r in &s.headline {
                let _ = writeln!(
                    o,
                    "<tr><td class=\"{}\">{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    r.rag.as_str(),
                    h(r.rag.label()),
                    h(&r.name),
                    h(&r.code),
                    h(&value(r, r.value)),
                    h(&value(r, r.baseline)),
                    h(&value(r, r.target)),
                    h(r.direction.arrow()),
                    h(r.variation.words()),
                    h(r.assurance.words())
                );
            }
            let _ = writeln!(o, "</tbody></table>\n<p>{} further indicator(s) green.</p>", s.greens);
            spc_charts(&mut o, s);
        }
        if let Some(line) = audit_line(s) {
            let _ = writeln!(o, "<p>{}</p>", h(&line));
        }
        business_html(&mut o, &s.business);
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(o, "<section>\n<h2>Other business</h2>");
    if m.other_business.is_empty() {
        let _ = writeln!(o, "<p>None recorded.</p>");
    } else {
        business_html(&mut o, &m.other_business);
    }
    let _ = writeln!(o, "</section>");
    let _ = writeln!(o, "<section>\n<h2>Action summary</h2>");
    if m.action_summary.is_empty() {
        let _ = writeln!(o, "<p>No open actions on this agenda.</p>");
    } else {
        let _ = writeln!(o, "<table><thead><tr><th>Owner</th><th>Open</th><th>Overdue</th></tr></thead><tbody>");
        for s in &m.action_summary {
            let _ = writeln!(o, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", h(&s.owner), s.open, s.overdue);
        }
        let _ = writeln!(o, "</tbody></table>");
    }
    let _ = writeln!(o, "</section>\n</body>\n</html>");
    o
}

/// Each headline indicator's SPC chart (report/svg.rs), captioned; none
/// for an indicator with fewer than 12 months (the table says so).
fn spc_charts(o: &mut String, s: &MinutesService) {
    for (r, chart) in s.headline.iter().zip(&s.charts) {
        if chart.spc.is_none() {
            continue;
        }
        if let Some(svg) = super::svg::spc_chart(r, chart) {
            let _ = write!(
                o,
                "<figure class=\"spc\">\n<figcaption>{} ({}): variation: {}; assurance: {}.</figcaption>\n{svg}</figure>\n",
                h(&r.name),
                h(&r.code),
                h(r.variation.words()),
                h(r.assurance.words())
            );
        }
    }
}

/// The HTML of `business_md`.
fn business_html(o: &mut String, b: &Business) {
    let _ = writeln!(o, "<h3>Decisions</h3>");
    if b.decisions.is_empty() {
        let _ = writeln!(o, "<p>None recorded.</p>");
    } else {
        let items: String = b.decisions.iter().map(|d| format!("<li>{}</li>", h(&d.text))).collect();
        let _ = writeln!(o, "<ol>{items}</ol>");
    }
    let _ = writeln!(o, "<h3>New actions</h3>");
    if b.new_actions.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
    } else {
        let _ =
            writeln!(o, "<table><thead><tr><th>Ref</th><th>Action</th><th>Owner</th><th>Due</th></tr></thead><tbody>");
        for a in &b.new_actions {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                h(&a.reference),
                h(&a.text),
                h(&a.owner),
                h(&a.due)
            );
        }
        let _ = writeln!(o, "</tbody></table>");
    }
    let _ = writeln!(o, "<h3>Carried-forward actions</h3>");
    if b.carried_forward.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><thead><tr><th>Ref</th><th>Action</th><th>Owner</th><th>Due</th><th>Status</th><th>Updates since the last meeting</th></tr></thead><tbody>"
        );
        for c in &b.carried_forward {
            let a = &c.action;
            let words = a.status.as_str().replace('_', " ");
            let status =
                if a.overdue { format!("<span class=\"overdue\">{} (overdue)</span>", h(&words)) } else { h(&words) };
            let updates = c.updates.iter().map(update_text).filter(|u| !u.is_empty()).collect::<Vec<_>>().join("; ");
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td><td>{}</td></tr>",
                h(&a.reference),
                h(&a.text),
                h(&a.owner),
                h(&a.due),
                if updates.is_empty() { "—".into() } else { h(&updates) }
            );
        }
        let _ = writeln!(o, "</tbody></table>");
    }
}

#[cfg(test)]
mod tests {
    use super::{h, md};

    #[test]
    fn escaping() {
        assert_eq!(
            h("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(md("a | b *c* [x](y) <b>"), "a \\| b \\*c\\* \\[x\\](y) \\<b\\>");
        assert_eq!(md("line\nbreak\u{1b}[2J"), "line break");
    }
}
