//! The Feedback section: themes by source with the change since last
//! month and the sentiment, and the selected theme's quotes.

use super::{detail_block, split};
use crate::domain::sanitize::clean;
use crate::domain::{Rag, Section};
use crate::store::ServiceView;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.feedback.is_empty() {
        frame.render_widget(Paragraph::new(format!("No feedback themes reported for {}.", v.period)), area);
        return;
    }
    let [list, detail] = split(area, 6);
    let items: Vec<ListItem> = v
        .feedback
        .iter()
        .map(|f| {
            let change = match f.previous_count {
                Some(p) if p < f.count => format!(" (+{} since last month)", f.count - p),
                Some(p) if p > f.count => format!(" (−{} since last month)", p - f.count),
                Some(_) => " (same as last month)".into(),
                None => " (new this month)".into(),
            };
            let sentiment = match f.sentiment.as_str() {
                "negative" => theme.rag(Rag::Red),
                "positive" => theme.rag(Rag::Green),
                _ => theme.rag(Rag::Amber),
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<22}", clean(&f.source.replace('_', " "))), theme.title()),
                Span::raw(format!("{} · {}", clean(&f.theme), f.count)),
                Span::raw(change),
                Span::styled(format!(" · {}", clean(&f.sentiment)), sentiment),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.selected[Section::Feedback]));
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selected()), list, &mut state);
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
