//! The Actions section: the service's open and carried-forward actions,
//! and the selected one's text, changes since the last meeting and history.

use super::{detail_block, split};
use crate::domain::Section;
use crate::domain::sanitize::clean;
use crate::store::ServiceView;
use crate::tui::app::App;
use crate::tui::render::columns::{self, Column, Look};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState, Wrap};

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.actions.rows.is_empty() {
        let none = "No open actions for this service.";
        let words = if app.role.edits() { format!("{none} Press a to add one.") } else { none.to_string() };
        frame.render_widget(Paragraph::new(words), area);
        return;
    }
    let [list, detail] = split(area, 7);
    let rows = v
        .actions
        .rows
        .iter()
        .map(|va| {
            let a = &va.action;
            let (status, style) = if a.overdue {
                ("OVERDUE".to_string(), theme.overdue())
            } else if a.status.is_closed() {
                (a.status.to_string(), theme.ok())
            } else {
                (a.status.to_string().replace('_', " "), Style::new())
            };
            let cells = vec![
                Line::raw(if va.carried_forward { "↻" } else { "★" }),
                Line::raw(clean(&a.reference)),
                Line::from(Span::styled(status, style)),
                Line::raw(clean(&a.due)),
                Line::raw(clean(&a.owner)),
                Line::raw(clean(&a.text)),
            ];
            // Raised here and undone: shown (with h) struck through, never as a live twin.
            let undone = !va.carried_forward && a.status == crate::domain::ActionStatus::Dropped;
            (cells, if undone { Style::new().add_modifier(Modifier::CROSSED_OUT) } else { Style::new() })
        })
        .collect();
    let columns = [
        Column::content(""),
        Column::content("Ref"),
        Column::content("Status"),
        Column::content("Due"),
        Column::shrink("Owner", 12),
        Column::words("Action (↻ carried forward, ★ raised today)"),
    ];
    let (table, _) =
        columns::table(list.width, &columns, rows, Look { header: theme.header(), row_gap: 0, max_lines: 2 });
    // The page held starts at its offset in the whole list.
    let mut state = TableState::default().with_selected(app.selected[Section::Actions].checked_sub(v.actions.offset));
    frame.render_stateful_widget(table.row_highlight_style(theme.selected()), list, &mut state);

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
    // Key hints only where the keys work: never on the projector or a read-only screen.
    let title = if app.role.edits() && !app.mode.present {
        format!("{} · x done · c carry forward · s status · e edit", a.reference)
    } else {
        a.reference.clone()
    };
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(detail_block(&clean(&title), theme)),
        detail,
    );
}
