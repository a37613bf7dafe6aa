//! The minutes as one self-contained HTML file (inline CSS, prints on A4
//! with each service on a new page), written part by part.

use super::{Out, Phase, audit_line, long_date, previous_lines, this_approval, updates_text, value};
use crate::domain::sanitize::clean;
use crate::error::Result;
use crate::store::{ActionRecord, BusinessStart, CarriedAction, MinutesSink, Opening, OwnerSummary, ServiceHeading};
use std::fmt::Write;

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

pub struct HtmlWriter<'w> {
    o: Out<'w>,
    services: usize,
    phase: Phase,
    carried: usize,
}

impl<'w> HtmlWriter<'w> {
    pub fn new(dest: &'w mut dyn std::io::Write) -> HtmlWriter<'w> {
        HtmlWriter { o: Out::new(dest), services: 0, phase: Phase::Outside, carried: 0 }
    }

    /// Ends the new actions and opens the carried-forward ones, once.
    fn open_carried(&mut self) {
        let o = &mut self.o.buf;
        if let Phase::New { rows } = self.phase {
            if rows > 0 {
                let _ = writeln!(o, "</tbody></table>");
            }
            let _ = writeln!(o, "<h3>Carried-forward actions</h3>");
            if self.carried == 0 {
                let _ = writeln!(o, "<p>None.</p>");
            } else {
                let _ = writeln!(
                    o,
                    "<table><thead><tr><th>Ref</th><th>Action</th><th>Owner</th><th>Due</th><th>Status</th><th>Updates since the last meeting</th></tr></thead><tbody>"
                );
            }
            self.phase = Phase::Carried { rows: 0 };
        }
    }
}

/// A service's headline indicators, one table row each, then each one's
/// SPC chart.
fn headline(o: &mut String, s: &ServiceHeading) {
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
    spc_charts(o, s);
}

/// Each headline indicator's SPC chart (report/svg.rs), captioned; none
/// for an indicator with fewer than 12 months (the table says so).
fn spc_charts(o: &mut String, s: &ServiceHeading) {
    for (r, chart) in s.headline.iter().zip(&s.charts) {
        if chart.spc.is_none() {
            continue;
        }
        if let Some(svg) = crate::report::svg::spc_chart(r, chart) {
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

impl MinutesSink for HtmlWriter<'_> {
    fn opening(&mut self, op: &Opening<'_>) -> Result<()> {
        let o = &mut self.o.buf;
        let mt = op.meeting;
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
            h(&this_approval(op))
        );
        if let Some([approval, carried]) = previous_lines(op) {
            let _ = writeln!(
                o,
                "<div class=\"previous\">\n<h2>Minutes of the previous meeting</h2>\n<p>{}</p>\n<p>{}</p>\n</div>",
                h(&approval),
                h(&carried)
            );
        }
        self.o.pass_on()
    }

    fn service(&mut self, s: &ServiceHeading) -> Result<()> {
        self.services += 1;
        let o = &mut self.o.buf;
        let _ = write!(o, "<section class=\"service\">\n<h2>{}. {}</h2>\n", self.services, h(&s.service.name));
        if let Some(head) = &s.service.head {
            let _ = writeln!(o, "<p>Presented by {}.</p>", h(head));
        }
        let _ = writeln!(o, "<h3>Headline data</h3>");
        if s.headline.is_empty() {
            let _ = writeln!(o, "<p>No red or amber indicators ({} green).</p>", s.greens);
        } else {
            headline(o, s);
        }
        if let Some(line) = audit_line(s) {
            let _ = writeln!(o, "<p>{}</p>", h(&line));
        }
        self.o.pass_on()
    }

    fn other_business(&mut self) -> Result<()> {
        let _ = writeln!(self.o.buf, "<section>\n<h2>Other business</h2>");
        self.phase = Phase::Nothing;
        Ok(())
    }

    fn business(&mut self, b: &BusinessStart<'_>) -> Result<()> {
        let o = &mut self.o.buf;
        if self.phase == Phase::Nothing && b.is_empty() {
            let _ = writeln!(o, "<p>None recorded.</p>");
            return Ok(());
        }
        let _ = writeln!(o, "<h3>Decisions</h3>");
        if b.decisions.is_empty() {
            let _ = writeln!(o, "<p>None recorded.</p>");
        } else {
            let items: String = b.decisions.iter().map(|d| format!("<li>{}</li>", h(&d.text))).collect();
            let _ = writeln!(o, "<ol>{items}</ol>");
        }
        let _ = writeln!(o, "<h3>New actions</h3>");
        if b.new_actions == 0 {
            let _ = writeln!(o, "<p>None.</p>");
        } else {
            let _ = writeln!(
                o,
                "<table><thead><tr><th>Ref</th><th>Action</th><th>Owner</th><th>Due</th></tr></thead><tbody>"
            );
        }
        self.phase = Phase::New { rows: 0 };
        self.carried = b.carried_forward;
        self.o.pass_on()
    }

    fn new_action(&mut self, a: &ActionRecord) -> Result<()> {
        if let Phase::New { rows } = &mut self.phase {
            *rows += 1;
        }
        let _ = writeln!(
            self.o.buf,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&a.reference),
            h(&a.text),
            h(&a.owner),
            h(&a.due)
        );
        self.o.pass_on()
    }

    fn carried(&mut self, c: &CarriedAction) -> Result<()> {
        self.open_carried();
        if let Phase::Carried { rows } = &mut self.phase {
            *rows += 1;
        }
        let a = &c.action;
        let words = a.status.as_str().replace('_', " ");
        let status =
            if a.overdue { format!("<span class=\"overdue\">{} (overdue)</span>", h(&words)) } else { h(&words) };
        let updates = updates_text(&c.updates);
        let _ = writeln!(
            self.o.buf,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td><td>{}</td></tr>",
            h(&a.reference),
            h(&a.text),
            h(&a.owner),
            h(&a.due),
            if updates.is_empty() { "—".into() } else { h(&updates) }
        );
        self.o.pass_on()
    }

    fn end_part(&mut self) -> Result<()> {
        self.open_carried();
        if let Phase::Carried { rows } = self.phase
            && rows > 0
        {
            let _ = writeln!(self.o.buf, "</tbody></table>");
        }
        self.phase = Phase::Outside;
        let _ = writeln!(self.o.buf, "</section>");
        self.o.pass_on()
    }

    fn summary(&mut self, owners: &[OwnerSummary]) -> Result<()> {
        let o = &mut self.o.buf;
        let _ = writeln!(o, "<section>\n<h2>Action summary</h2>");
        if owners.is_empty() {
            let _ = writeln!(o, "<p>No open actions on this agenda.</p>");
        } else {
            let _ = writeln!(o, "<table><thead><tr><th>Owner</th><th>Open</th><th>Overdue</th></tr></thead><tbody>");
            for s in owners {
                let _ = writeln!(o, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", h(&s.owner), s.open, s.overdue);
            }
            let _ = writeln!(o, "</tbody></table>");
        }
        let _ = writeln!(o, "</section>\n</body>\n</html>");
        self.o.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::h;

    #[test]
    fn escaping() {
        assert_eq!(
            h("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
