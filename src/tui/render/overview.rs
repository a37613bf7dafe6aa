//! The agenda overview: one health line per service.

use super::columns::{self, Column, Look};
use super::mmss;
use crate::domain::Rag;
use crate::domain::rag::format_number;
use crate::domain::sanitize::clean;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState};

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

    let rows = app
        .agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let audits = a.audits.as_ref().and_then(|x| x.good_or_better_pct().map(|p| (p, x.good_or_better_target)));
            let audit_cell = match audits {
                Some((p, Some(t))) if p < t => {
                    Line::from(Span::styled(format!("{}% ▼{}%", format_number(p), format_number(t)), theme.overdue()))
                }
                Some((p, _)) => Line::raw(format!("{}%", format_number(p))),
                None => Line::raw("—"),
            };
            // A count is red and bold only when there is something to count.
            let count = |n: usize, rag: Rag| {
                let style = if n > 0 { theme.rag(rag) } else { Style::new() };
                Span::styled(format!("{}{n}", rag.symbol()), style)
            };
            let overdue = if a.overdue_actions > 0 {
                Span::styled(a.overdue_actions.to_string(), theme.overdue())
            } else {
                Span::raw("0")
            };
            let timer = app.timers.get(i).map(|t| mmss(t.elapsed())).unwrap_or_default();
            let cells = vec![
                Line::raw(a.position.to_string()),
                Line::raw(clean(&a.service.name)),
                Line::raw(clean(a.service.head.as_deref().unwrap_or("—"))),
                Line::from(vec![
                    count(a.red, Rag::Red),
                    Span::raw(" "),
                    count(a.amber, Rag::Amber),
                    Span::raw(" "),
                    count(a.green, Rag::Green),
                    Span::raw(" "),
                    // Special-cause concerns: the real changes for the worse.
                    if a.spc_concern > 0 {
                        Span::styled(format!("!{}", a.spc_concern), theme.overdue())
                    } else {
                        Span::raw("!0")
                    },
                ]),
                audit_cell,
                Line::raw(a.open_actions.to_string()),
                Line::from(overdue),
                Line::raw(timer),
            ];
            (cells, Style::new())
        })
        .collect();
    let columns = [
        Column::content("#"),
        Column::words_min("Service", 22),
        Column::words("Head of Service"),
        Column::content("KPIs  !SPC"),
        Column::content("Good+"),
        Column::content("Open"),
        Column::content("Overdue"),
        Column::content("Time"),
    ];
    let (table_widget, _) =
        columns::table(table.width, &columns, rows, Look { header: theme.header(), row_gap: 0, max_lines: 2 });
    let mut state = TableState::default().with_selected(Some(app.overview_selected));
    frame.render_stateful_widget(table_widget.row_highlight_style(theme.selected()), table, &mut state);
    if !own.is_empty() {
        let title = if app.role.edits() {
            "The meeting's own business (a / d here record more)"
        } else {
            "The meeting's own business"
        };
        let mut lines = vec![Line::styled(title, theme.header())];
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
