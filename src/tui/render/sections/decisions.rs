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
use ratatui::style::Style;
use ratatui::text::{Line, Text};
use ratatui::widgets::{List, ListItem, ListState};

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    // Numbered as the minutes number them: recorded decisions only, in
    // order; a withdrawn one (shown with h) is struck through, unnumbered.
    let width = area.width as usize;
    let mut n = 0;
    let mut items: Vec<ListItem> = v
        .decisions
        .iter()
        .map(|d| {
            if d.status == crate::domain::DecisionStatus::Withdrawn {
                let struck = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::CROSSED_OUT);
                return item(format!("–. {} [withdrawn]", clean(&d.text)), width, struck);
            }
            n += 1;
            item(format!("{n}. {}", clean(&d.text)), width, Style::new())
        })
        .collect();
    if items.is_empty() {
        let none = "No decisions recorded for this service in this meeting yet.";
        let words = if app.role.edits() { format!("{none} Press d to record one.") } else { none.to_string() };
        items.push(item(words, width, Style::new()));
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
            earlier
                .iter()
                .map(|d| item(format!("{} · {}", clean(&d.meeting_date), clean(&d.text)), width, Style::new()))
                .collect()
        };
        frame.render_widget(List::new(lines).block(detail_block("Earlier decisions (p to hide)", theme)), before);
    }
}

/// A decision wrapped to the width at words, never cut: the room reads
/// what was decided in full.
fn item(text: String, width: usize, style: Style) -> ListItem<'static> {
    let lines: Vec<Line> = crate::text::wrap(&text, width).into_iter().map(|l| Line::styled(l, style)).collect();
    ListItem::new(Text::from(lines))
}
