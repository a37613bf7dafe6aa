//! The Actions section: the service's open and carried-forward actions,
//! and the selected one's text, changes since the last meeting and history.

use super::{detail_block, split};
use crate::domain::Section;
use crate::domain::sanitize::clean;
use crate::store::ServiceView;
use crate::tui::app::App;
use crate::tui::render::columns::{column_widths, fit};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.actions.rows.is_empty() {
        frame.render_widget(Paragraph::new("No open actions for this service. Press a to add one."), area);
        return;
    }
    let [list, detail] = split(area, 7);
    let widths = [
        Constraint::Length(1),
        Constraint::Length(5),
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Percentage(30),
        Constraint::Fill(1),
    ];
    let cols = column_widths(list, &widths);
    let rows = v.actions.rows.iter().map(|va| {
        let a = &va.action;
        let (status, style) = if a.overdue {
            ("OVERDUE".to_string(), theme.overdue())
        } else if a.status.is_closed() {
            (a.status.to_string(), theme.ok())
        } else {
            (a.status.to_string().replace('_', " "), ratatui::style::Style::new())
        };
        let row = Row::new(vec![
            Cell::from(if va.carried_forward { "↻" } else { "★" }),
            Cell::from(fit(&a.reference, cols[1])),
            Cell::from(Span::styled(status, style)),
            Cell::from(clean(&a.due)),
            Cell::from(fit(&a.owner, cols[4])),
            Cell::from(fit(&a.text, cols[5])),
        ]);
        // Raised here and undone: shown (with h) struck through, never as a live twin.
        let undone = !va.carried_forward && a.status == crate::domain::ActionStatus::Dropped;
        if undone {
            row.style(ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::CROSSED_OUT))
        } else {
            row
        }
    });
    let header = Row::new(["", "Ref", "Status", "Due", "Owner", "Action (↻ carried forward, ★ raised today)"])
        .style(theme.header());
    // The page held starts at its offset in the whole list.
    let mut state = TableState::default().with_selected(app.selected[Section::Actions].checked_sub(v.actions.offset));
    frame.render_stateful_widget(
        Table::new(rows, widths).header(header).row_highlight_style(theme.selected()),
        list,
        &mut state,
    );

    let Some(a) = app.selected_action() else { return };
    let mut lines = vec![Line::raw(clean(&a.text))];
    if !app.since_last_meeting.is_empty() {
        let since: Vec<String> = app
            .since_last_meeting
            .iter()
            .map(|h| clean(&crate::domain::history::describe_change(&h.as_change())))
            .collect();
        lines.push(Line::from(vec![
            Span::styled("Since the last meeting: ", theme.header()),
            Span::raw(since.join("; ")),
        ]));
    }
    for h in app.history.iter().rev() {
        let change = crate::domain::history::describe_change(&h.as_change());
        let when = h.at.get(..16).unwrap_or(&h.at).replace('T', " ");
        lines.push(Line::styled(clean(&format!("{when} {} {change}", h.actor)), theme.dim()));
    }
    let title = format!("{} · x done · c carry forward · s status · e edit", a.reference);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(detail_block(&title, theme)), detail);
}
