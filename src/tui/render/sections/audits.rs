//! The Audits section: the month's ratings as a bar, the two headline
//! percentages against their targets, and the findings by theme.

use crate::domain::Rag;
use crate::domain::rag::format_number;
use crate::domain::sanitize::clean;
use crate::store::ServiceView;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

/// A bar of audit ratings; each rating has its own glyph so it reads in mono.
fn ratings_bar(a: &crate::store::AuditSummary, width: usize, theme: Theme) -> Line<'static> {
    let parts = [
        (a.outstanding, '█', Rag::Green),
        (a.good, '▓', Rag::Green),
        (a.requires_improvement, '▒', Rag::Amber),
        (a.inadequate, '░', Rag::Red),
    ];
    let total = a.completed.max(1) as usize;
    let spans: Vec<Span> = parts
        .iter()
        .map(|(n, glyph, rag)| Span::styled(glyph.to_string().repeat(*n as usize * width / total), theme.rag(*rag)))
        .collect();
    Line::from(spans)
}

pub(super) fn render(v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(a) = &v.audits else {
        frame.render_widget(Paragraph::new(format!("No audits reported for {}.", v.period)), area);
        return;
    };
    let pct = |p: Option<f64>, t: Option<f64>| -> Span<'static> {
        match (p, t) {
            (Some(p), Some(t)) if p < t => {
                Span::styled(format!("{}% ▼ below the {}% target", format_number(p), format_number(t)), theme.overdue())
            }
            (Some(p), Some(t)) => {
                Span::styled(format!("{}% meets the {}% target", format_number(p), format_number(t)), theme.ok())
            }
            (Some(p), None) => Span::raw(format!("{}%", format_number(p))),
            _ => Span::raw("—"),
        }
    };
    let bar_width = (area.width as usize).saturating_sub(4).min(60);
    let mut lines = vec![
        Line::from(vec![Span::styled(format!("{} audits completed in {}", a.completed, v.period), theme.header())]),
        ratings_bar(a, bar_width, theme),
        Line::raw(format!(
            "█ outstanding {}  ▓ good {}  ▒ requires improvement {}  ░ inadequate {}",
            a.outstanding, a.good, a.requires_improvement, a.inadequate
        )),
        Line::from(vec![Span::raw("Good or better: "), pct(a.good_or_better_pct(), a.good_or_better_target)]),
        Line::from(vec![Span::raw("With family feedback: "), pct(a.family_feedback_pct(), a.family_feedback_target)]),
        Line::raw(""),
    ];
    use crate::pack::FindingKind;
    for (kind, title) in [(FindingKind::Strength, "Strengths"), (FindingKind::Improvement, "Areas for improvement")] {
        lines.push(Line::styled(title, theme.header()));
        let mut theme_name = "";
        for f in v.findings.iter().filter(|f| f.kind == kind) {
            if f.theme != theme_name {
                lines.push(Line::styled(format!("  {}", clean(&f.theme)), theme.title()));
                theme_name = &f.theme;
            }
            lines.push(Line::raw(format!("    • {}", clean(&f.text))));
        }
    }
    frame.render_widget(Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }), area);
}
