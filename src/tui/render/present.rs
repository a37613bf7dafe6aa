//! The projector view's large type (`--present`, at any height from 24
//! rows): the service's name, and the selected indicator's value and RAG,
//! drawn big enough to read from the back of the room. Text the 8x8 font
//! cannot draw (beyond printable ASCII), or too long for the width, is
//! shown in ordinary bold type instead.

use crate::domain::Rag;
use crate::domain::sanitize::clean;
use crate::store::KpiRow;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

/// Large type from this height up.
pub const MIN_HEIGHT: u16 = 24;
/// Each 8x8 glyph takes 4 rows: half-height pixels (8 columns a glyph)
/// where the width allows, else quadrant pixels (4 columns).
pub const GLYPH_ROWS: u16 = 4;
const SIZES: [(PixelSize, usize); 2] = [(PixelSize::HalfHeight, 8), (PixelSize::Quadrant, 4)];

/// The big lines `text` makes in `width` columns, at most `max_lines`,
/// and the pixel size they are drawn at; `None` when it cannot be drawn
/// big there.
/// Plain glyphs draw only half-height pixels (▀ ▄ █ have ASCII stand-ins).
pub fn big_lines(text: &str, width: u16, max_lines: usize, theme: Theme) -> Option<(PixelSize, Vec<String>)> {
    if !crate::text::printable_ascii(text) {
        return None;
    }
    let sizes = if theme.ascii { &SIZES[..1] } else { &SIZES[..] };
    sizes.iter().find_map(|&(size, cols)| {
        let per_line = width as usize / cols;
        let lines = crate::text::wrap(text, per_line.max(1));
        (per_line > 0 && lines.len() <= max_lines && lines.iter().all(|l| l.len() <= per_line)).then_some((size, lines))
    })
}

/// Rows the service's name takes above the tabs: big when it fits on one
/// line (two from 40 rows), else one bold line; then a blank line.
pub fn name_rows(name: &str, area: Rect, theme: Theme) -> u16 {
    let max_lines = if area.height >= 40 { 2 } else { 1 };
    big_lines(name, area.width, max_lines, theme).map_or(1, |(_, l)| l.len() as u16 * GLYPH_ROWS) + 1
}

pub fn service_name(name: &str, frame: &mut Frame, area: Rect, theme: Theme) {
    let max_lines = (area.height.saturating_sub(1) / GLYPH_ROWS) as usize;
    match big_lines(name, area.width, max_lines, theme) {
        Some((size, lines)) => {
            let big = BigText::builder()
                .pixel_size(size)
                .style(theme.title())
                .lines(lines.into_iter().map(Line::from).collect::<Vec<_>>())
                .build();
            frame.render_widget(big, area);
        }
        None => {
            let style = theme.title().add_modifier(Modifier::BOLD);
            frame.render_widget(Paragraph::new(Span::styled(clean(name), style)), area);
        }
    }
}

/// The RAG's word alone (the big font has no symbols; the word is the status).
fn word(rag: Rag) -> &'static str {
    match rag {
        Rag::Red => "RED",
        Rag::Amber => "AMBER",
        Rag::Green => "GREEN",
        Rag::None => "NO TARGET",
    }
}

/// The selected indicator, for the room: its value and RAG in large type,
/// its name, then baseline, target and the previous value.
pub fn indicator(k: &KpiRow, frame: &mut Frame, area: Rect, theme: Theme) {
    let value = k.value.map_or_else(|| "-".into(), |v| k.unit.format(v));
    let big = format!("{value} {}", word(k.rag));
    let lines = big_lines(&big, area.width, 1, theme);
    let big_rows = if lines.is_some() { GLYPH_ROWS } else { 1 };
    let [top, _, rest] =
        Layout::vertical([Constraint::Length(big_rows), Constraint::Length(1), Constraint::Min(0)]).areas(area);
    match lines {
        Some((size, lines)) => {
            let big = BigText::builder()
                .pixel_size(size)
                .style(theme.rag(k.rag))
                .lines(lines.into_iter().map(Line::from).collect::<Vec<_>>())
                .build();
            frame.render_widget(big, top);
        }
        None => frame
            .render_widget(Paragraph::new(Span::styled(format!("{value} {}", k.rag.label()), theme.rag(k.rag))), top),
    }
    let show = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| k.unit.format(v));
    let text = vec![
        Line::from(vec![
            Span::styled(format!("{} ", k.rag.label()), theme.rag(k.rag)),
            Span::styled(clean(&k.name), Style::new().add_modifier(Modifier::BOLD)),
        ]),
        Line::raw(format!(
            "baseline {} · target {} · previous {}",
            show(k.baseline),
            show(k.target),
            show(k.previous_value)
        )),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), rest);
}
