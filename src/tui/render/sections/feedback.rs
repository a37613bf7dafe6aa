//! The Feedback section: themes by source with the change since last
//! month and the sentiment, and the selected theme's quotes.

use super::{detail_block, split};
use crate::domain::sanitize::clean;
use crate::domain::{Rag, Section};
use crate::store::ServiceView;
use crate::tui::app::App;
use crate::tui::render::columns::{self, Column, Look};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState, Wrap};

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.feedback.is_empty() {
        frame.render_widget(Paragraph::new(format!("No feedback themes reported for {}.", v.period)), area);
        return;
    }
    let [list, detail] = split(area, 6);
    let rows = v
        .feedback
        .iter()
        .map(|f| {
            let change = match f.previous_count {
                Some(p) if p < f.count => format!("+{} since last month", f.count - p),
                Some(p) if p > f.count => format!("−{} since last month", p - f.count),
                Some(_) => "same as last month".into(),
                None => "new this month".into(),
            };
            let sentiment = match f.sentiment.as_str() {
                "negative" => theme.rag(Rag::Red),
                "positive" => theme.rag(Rag::Green),
                _ => theme.rag(Rag::Amber),
            };
            let cells = vec![
                Line::from(Span::styled(clean(&f.source.replace('_', " ")), theme.title())),
                Line::raw(clean(&f.theme)),
                Line::raw(f.count.to_string()),
                Line::raw(change),
                Line::from(Span::styled(clean(&f.sentiment), sentiment)),
            ];
            (cells, Style::new())
        })
        .collect();
    let columns = [
        Column::content("Source"),
        Column::words("Theme"),
        Column::content("Count"),
        Column::content("Change"),
        Column::content("Sentiment"),
    ];
    let (table, _) =
        columns::table(list.width, &columns, rows, Look { header: theme.header(), row_gap: 0, max_lines: 2 });
    let mut state = TableState::default().with_selected(Some(app.selected[Section::Feedback]));
    frame.render_stateful_widget(table.row_highlight_style(theme.selected()), list, &mut state);
    if let Some(f) = v.feedback.get(app.selected[Section::Feedback]) {
        let lines: Vec<Line> = if f.quotes.is_empty() {
            vec![Line::raw("No quotes for this theme.")]
        } else {
            f.quotes.iter().map(|q| Line::raw(format!("“{}”", clean(q)))).collect()
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(detail_block("Quotes", theme)),
            detail,
        );
    }
}
