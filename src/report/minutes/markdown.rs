//! The minutes as Markdown, written part by part as the store reads them.

use super::{Out, Phase, audit_line, long_date, previous_lines, this_approval, updates_text, value};
use crate::domain::sanitize::clean;
use crate::error::Result;
use crate::store::{ActionRecord, BusinessStart, CarriedAction, MinutesSink, Opening, OwnerSummary, ServiceHeading};
use std::fmt::Write;

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

pub struct MarkdownWriter<'w> {
    o: Out<'w>,
    services: usize,
    phase: Phase,
    carried: usize,
}

impl<'w> MarkdownWriter<'w> {
    pub fn new(dest: &'w mut dyn std::io::Write) -> MarkdownWriter<'w> {
        MarkdownWriter { o: Out::new(dest), services: 0, phase: Phase::Outside, carried: 0 }
    }

    /// Ends the new actions and opens the carried-forward ones, once.
    fn open_carried(&mut self) {
        let o = &mut self.o.buf;
        if let Phase::New { rows } = self.phase {
            if rows > 0 {
                o.push('\n');
            }
            let _ = writeln!(o, "### Carried-forward actions\n");
            if self.carried == 0 {
                let _ = writeln!(o, "None.\n");
            } else {
                let _ = writeln!(
                    o,
                    "| Ref | Action | Owner | Due | Status | Updates since the last meeting |\n| --- | --- | --- | --- | --- | --- |"
                );
            }
            self.phase = Phase::Carried { rows: 0 };
        }
    }
}

impl MinutesSink for MarkdownWriter<'_> {
    fn opening(&mut self, op: &Opening<'_>) -> Result<()> {
        let o = &mut self.o.buf;
        let mt = op.meeting;
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
        let _ = writeln!(o, "- **These minutes:** {}\n", md(&this_approval(op)));
        if let Some([approval, carried]) = previous_lines(op) {
            let _ = writeln!(o, "## Minutes of the previous meeting\n\n{}\n\n{}\n", md(&approval), md(&carried));
        }
        self.o.pass_on()
    }

    fn service(&mut self, s: &ServiceHeading) -> Result<()> {
        self.services += 1;
        let o = &mut self.o.buf;
        let _ = writeln!(o, "## {}. {}\n", self.services, md(&s.service.name));
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
        self.o.pass_on()
    }

    fn other_business(&mut self) -> Result<()> {
        let _ = writeln!(self.o.buf, "## Other business\n");
        self.phase = Phase::Nothing;
        Ok(())
    }

    fn business(&mut self, b: &BusinessStart<'_>) -> Result<()> {
        let o = &mut self.o.buf;
        // Other business with nothing in it says so once.
        if self.phase == Phase::Nothing && b.is_empty() {
            let _ = writeln!(o, "None recorded.\n");
            return Ok(());
        }
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
        if b.new_actions == 0 {
            let _ = writeln!(o, "None.\n");
        } else {
            let _ = writeln!(o, "| Ref | Action | Owner | Due |\n| --- | --- | --- | --- |");
        }
        self.phase = Phase::New { rows: 0 };
        self.carried = b.carried_forward;
        self.o.pass_on()
    }

    fn new_action(&mut self, a: &ActionRecord) -> Result<()> {
        if let Phase::New { rows } = &mut self.phase {
            *rows += 1;
        }
        let _ = writeln!(self.o.buf, "| {} | {} | {} | {} |", md(&a.reference), md(&a.text), md(&a.owner), md(&a.due));
        self.o.pass_on()
    }

    fn carried(&mut self, c: &CarriedAction) -> Result<()> {
        self.open_carried();
        if let Phase::Carried { rows } = &mut self.phase {
            *rows += 1;
        }
        let a = &c.action;
        let words = a.status.as_str().replace('_', " ");
        let status = if a.overdue { format!("{words} (overdue)") } else { words };
        let updates = updates_text(&c.updates);
        let _ = writeln!(
            self.o.buf,
            "| {} | {} | {} | {} | {} | {} |",
            md(&a.reference),
            md(&a.text),
            md(&a.owner),
            md(&a.due),
            md(&status),
            if updates.is_empty() { "—".into() } else { md(&updates) }
        );
        self.o.pass_on()
    }

    fn end_part(&mut self) -> Result<()> {
        self.open_carried();
        if let Phase::Carried { rows } = self.phase
            && rows > 0
        {
            self.o.buf.push('\n');
        }
        self.phase = Phase::Outside;
        self.o.pass_on()
    }

    fn summary(&mut self, owners: &[OwnerSummary]) -> Result<()> {
        let o = &mut self.o.buf;
        let _ = writeln!(o, "## Action summary\n");
        if owners.is_empty() {
            let _ = writeln!(o, "No open actions on this agenda.");
        } else {
            let _ = writeln!(o, "| Owner | Open | Overdue |\n| --- | --- | --- |");
            for s in owners {
                let _ = writeln!(o, "| {} | {} | {} |", md(&s.owner), s.open, s.overdue);
            }
        }
        self.o.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn escaping() {
        assert_eq!(md("a | b *c* [x](y) <b>"), "a \\| b \\*c\\* \\[x\\](y) \\<b\\>");
        assert_eq!(md("line\nbreak\u{1b}[2J"), "line break");
    }
}
