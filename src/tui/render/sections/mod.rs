//! The sections of a service, one file each: Data, Audits, Feedback,
//! Actions, Decisions. This file picks the one on screen and holds what
//! they share: the list-over-detail split and the detail pane's title.

mod actions;
mod audits;
mod data;
mod decisions;
mod feedback;

use crate::domain::Section;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(view) = &app.view else {
        frame.render_widget(Paragraph::new("No service on this agenda"), area);
        return;
    };
    match app.section {
        Section::Data => data::render(app, view, frame, area, theme),
        Section::Audits => audits::render(view, frame, area, theme),
        Section::Feedback => feedback::render(app, view, frame, area, theme),
        Section::Actions => actions::render(app, view, frame, area, theme),
        Section::Decisions => decisions::render(app, view, frame, area, theme),
    }
}

/// Splits a section into a list and a detail pane under it.
pub(super) fn split(area: Rect, detail: u16) -> [Rect; 2] {
    let detail = detail.min(area.height / 2);
    Layout::vertical([Constraint::Min(1), Constraint::Length(detail)]).areas(area)
}

pub(super) fn detail_block(title: &str, theme: Theme) -> Block<'static> {
    Block::new().borders(Borders::TOP).title(Span::styled(format!(" {title} "), theme.header()))
}
