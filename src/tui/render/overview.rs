//! The agenda overview: one health line per service.

use super::mmss;
use crate::domain::rag::format_number;
use crate::domain::sanitize::clean;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let m = &app.meeting;
    let own = meeting_wide_lines(app);
    let own_height = if own.is_empty() { 0 } else { (own.len() as u16 + 1).min(area.height / 3) };
    let [info, table, business] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(1), Constraint::Length(own_height)]).areas(area);
    let mut lines = vec![Line::from(vec![
        Span::styled("Chair: ", theme.header()),
        Span::raw(clean(m.chair.as_deref().unwrap_or("—"))),
    ])];
    // "; " between names, as in the minutes: roles have commas of their own.
    lines.push(Line::raw(format!("Present: {}", clean(&m.attendees.join("; ")))));
    if !m.apologies.is_empty() {
        lines.push(Line::raw(format!("Apologies: {}", clean(&m.apologies.join("; ")))));
    }
    frame.render_widget(Paragraph::new(lines), info);

    let widths = [
        Constraint::Length(2),
        Constraint::Percentage(24),
        Constraint::Percentage(30),
        Constraint::Length(14),
        Constraint::Length(18),
        Constraint::Length(20),
        Constraint::Length(5),
    ];
    let cols = super::service::column_widths(table, &widths);
    let fit = super::service::fit;
    let rows = app.agenda.iter().enumerate().map(|(i, a)| {
        let audits = a.audits.as_ref().and_then(|x| x.good_or_better_pct().map(|p| (p, x.good_or_better_target)));
        let audit_cell = match audits {
            Some((p, Some(t))) if p < t => {
                Span::styled(format!("{}% ▼ target {}%", format_number(p), format_number(t)), theme.overdue())
            }
            Some((p, _)) => Span::raw(format!("{}%", format_number(p))),
            None => Span::raw("—"),
        };
        let overdue = if a.overdue_actions > 0 {
            Span::styled(format!("{} overdue", a.overdue_actions), theme.overdue())
        } else {
            Span::raw("0 overdue")
        };
        let timer = app.timers.get(i).map(|t| mmss(t.elapsed())).unwrap_or_default();
        Row::new(vec![
            Cell::from(format!("{}", a.position)),
            Cell::from(fit(&a.service.name, cols[1])),
            Cell::from(fit(a.service.head.as_deref().unwrap_or("—"), cols[2])),
            Cell::from(Line::from(vec![
                Span::styled(format!("■{} ", a.red), theme.rag(crate::domain::Rag::Red)),
                Span::styled(format!("▲{} ", a.amber), theme.rag(crate::domain::Rag::Amber)),
                Span::styled(format!("●{}", a.green), theme.rag(crate::domain::Rag::Green)),
                // Special-cause concerns: the real changes for the worse.
                if a.spc_concern > 0 {
                    Span::styled(format!(" !{}", a.spc_concern), theme.overdue())
                } else {
                    Span::raw(" !0")
                },
            ])),
            Cell::from(audit_cell),
            Cell::from(Line::from(vec![Span::raw(format!("{} open, ", a.open_actions)), overdue])),
            Cell::from(timer),
        ])
    });
    let header = Row::new(["#", "Service", "Head of Service", "KPIs  ! SPC", "Audits good+", "Actions", "Time"])
        .style(theme.header());
    let table_widget = Table::new(rows, widths).header(header).row_highlight_style(theme.selected()).column_spacing(1);
    let mut state = TableState::default().with_selected(Some(app.overview_selected));
    frame.render_stateful_widget(table_widget, table, &mut state);
    if !own.is_empty() {
        let mut lines = vec![Line::styled("The meeting's own business (a / d here record more)", theme.header())];
        lines.extend(own);
        frame.render_widget(Paragraph::new(lines), business);
    }
}

/// The meeting-wide decisions and actions, a line each, numbered as the
/// minutes number them (withdrawn and undone ones left out, as there).
fn meeting_wide_lines(app: &App) -> Vec<Line<'static>> {
    let w = &app.meeting_wide;
    let decisions = w.decisions.iter().filter(|d| d.status == crate::domain::DecisionStatus::Recorded);
    let mut lines: Vec<Line> =
        decisions.enumerate().map(|(n, d)| Line::raw(format!("Decision {}. {}", n + 1, clean(&d.text)))).collect();
    for va in &w.actions {
        let a = &va.action;
        lines.push(Line::raw(clean(&format!(
            "Action {} · {} · {} · due {} · {}",
            a.reference,
            a.text,
            a.owner,
            a.due,
            a.status.as_str().replace('_', " ")
        ))));
    }
    lines
}
