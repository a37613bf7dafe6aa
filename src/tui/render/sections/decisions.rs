//! The Decisions section: this meeting's decisions for the service,
//! numbered as the minutes number them, and earlier ones on request (p).

use super::detail_block;
use crate::domain::Section;
use crate::domain::sanitize::clean;
use crate::store::ServiceView;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, ListState};

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    // Numbered as the minutes number them: recorded decisions only, in
    // order; a withdrawn one (shown with h) is struck through, unnumbered.
    let mut n = 0;
    let mut items: Vec<ListItem> = v
        .decisions
        .iter()
        .map(|d| {
            if d.status == crate::domain::DecisionStatus::Withdrawn {
                let struck = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::CROSSED_OUT);
                return ListItem::new(Line::styled(format!("–. {} [withdrawn]", clean(&d.text)), struck));
            }
            n += 1;
            ListItem::new(format!("{n}. {}", clean(&d.text)))
        })
        .collect();
    if items.is_empty() {
        items.push(ListItem::new("No decisions recorded for this service in this meeting yet. Press d to record one."));
    }
    let earlier = app.earlier.as_ref();
    let [now, before] =
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(if earlier.is_some() { 1 } else { 0 })]).areas(area);
    let mut state =
        ListState::default().with_selected((!v.decisions.is_empty()).then_some(app.selected[Section::Decisions]));
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selected()), now, &mut state);
    if let Some(earlier) = earlier {
        let lines: Vec<ListItem> = if earlier.is_empty() {
            vec![ListItem::new("No earlier decisions for this service.")]
        } else {
            earlier.iter().map(|d| ListItem::new(format!("{} · {}", clean(&d.meeting_date), clean(&d.text)))).collect()
        };
        frame.render_widget(List::new(lines).block(detail_block("Earlier decisions (p to hide)", theme)), before);
    }
}
