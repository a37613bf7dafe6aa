//! The chart view of the selected indicator (`v`, or `Enter` in Data): its
//! values month by month with the SPC mean and process limits (per rebase
//! segment), the target and baseline, and special-cause points marked by
//! symbol, so it reads on a monochrome projector. Every glyph comes from
//! one small table, `Glyphs`, so an ASCII mode needs only a second table.

use crate::domain::Rag;
use crate::domain::sanitize::clean;
use crate::domain::spc::{SpecialCause, Variation};
use crate::store::{KpiHistory, KpiRow};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Clear, Dataset, GraphType, Paragraph, Wrap};

/// The chart's glyphs. Each is one cell wide.
#[derive(Debug, Clone, Copy)]
pub struct Glyphs {
    /// How the line joining the values is drawn.
    pub value_line: Marker,
    pub point: char,
    pub improvement: char,
    pub concern: char,
    pub mean: char,
    pub limit: char,
    pub target: char,
    pub baseline: char,
    /// Redraw the frame, axes and the few symbols in the words with ASCII.
    pub ascii: bool,
}

pub const UNICODE: Glyphs = Glyphs {
    value_line: Marker::Braille,
    point: '•',
    improvement: '+',
    concern: '!',
    mean: '─',
    limit: '┈',
    target: '━',
    baseline: '·',
    ascii: false,
};

/// For a terminal without Unicode (the `--ascii` mode).
pub const ASCII: Glyphs = Glyphs {
    value_line: Marker::Custom('.'),
    point: 'o',
    improvement: '+',
    concern: '!',
    mean: '-',
    limit: ':',
    target: '=',
    baseline: '_',
    ascii: true,
};

/// What the ASCII table draws instead of the frame's, the axes' (ratatui
/// draws them with box-drawing lines) and the words' few symbols. Text
/// from data is left alone.
const ASCII_FOR: &[(&str, &str)] = &[
    ("─", "-"),
    ("│", "|"),
    ("┌", "+"),
    ("┐", "+"),
    ("└", "+"),
    ("┘", "+"),
    ("·", "."),
    ("–", "-"),
    ("↑", "^"),
    ("↓", "v"),
    ("●", "o"),
    ("▲", "^"),
    ("■", "#"),
];

fn asciify(frame: &mut Frame, area: Rect) {
    let buf = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y))
                && let Some((_, to)) = ASCII_FOR.iter().find(|(from, _)| cell.symbol() == *from)
            {
                cell.set_symbol(to);
            }
        }
    }
}

/// The glyphs this screen draws with: plain ones in `--ascii` mode.
pub fn glyphs(theme: Theme) -> &'static Glyphs {
    if theme.ascii { &ASCII } else { &UNICODE }
}

/// The selected Data row's indicator and its history, if any.
pub fn selected(app: &App) -> Option<(&KpiRow, &KpiHistory)> {
    let v = app.view.as_ref()?;
    let i = *app.kpi_order.get(app.selected[crate::domain::Section::Data])?;
    Some((v.kpis.get(i)?, v.histories.get(i)?))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    render_with(app, frame, area, theme, glyphs(theme));
}

/// The chart drawn with the given glyphs (tests draw both tables).
pub fn render_with(app: &App, frame: &mut Frame, area: Rect, theme: Theme, g: &Glyphs) {
    frame.render_widget(Clear, area);
    let Some((k, h)) = selected(app) else {
        frame.render_widget(Paragraph::new("No indicator selected (Esc closes)"), area);
        return;
    };
    let title = format!(" {} · {} ", clean(&k.code), clean(&k.name));
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Span::styled(crate::text::truncate(&title, area.width.saturating_sub(2) as usize), theme.title()))
        .title_bottom(Span::styled(" ↑↓ another indicator · Esc closes ", theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = key_lines(k, h, g, theme);
    // As many rows as the words take once wrapped, never more than half.
    let rows: usize = key.iter().map(|l| crate::text::wrap(&l.to_string(), inner.width as usize).len().max(1)).sum();
    let key_height = (rows as u16).min(inner.height / 2);
    let [top, chart] = Layout::vertical([Constraint::Length(key_height), Constraint::Min(3)]).areas(inner);
    frame.render_widget(Paragraph::new(key).wrap(Wrap { trim: true }), top);
    if h.values.is_empty() {
        frame.render_widget(Paragraph::new("No values recorded yet."), chart);
    } else {
        draw(k, h, g, theme, frame, chart);
    }
    if g.ascii {
        asciify(frame, area);
    }
}

/// Variation and assurance in words, then the key to every line and mark.
fn key_lines(k: &KpiRow, h: &KpiHistory, g: &Glyphs, theme: Theme) -> Vec<Line<'static>> {
    let fmt = |v: f64| k.unit.format(v);
    let mut first = vec![
        Span::styled(format!("{} ", k.rag.label()), theme.rag(k.rag)),
        Span::styled(format!("Variation: {}", h.variation().words()), variation_style(h.variation(), theme)),
        Span::raw(format!(" · Assurance: {}", h.assurance().words())),
    ];
    if let Some(s) = &h.spc
        && s.segments.len() > 1
    {
        let from: Vec<&str> = s.segments[1..].iter().map(|x| h.periods[x.start].as_str()).collect();
        first.push(Span::raw(format!(" · rebased at {}", from.join(", "))));
    }
    let mut key = vec![
        format!("{} value", g.point),
        format!("{} improvement", g.improvement),
        format!("{} concern (special cause)", g.concern),
    ];
    match &h.spc {
        Some(s) => {
            let l = s.latest();
            key.push(format!("{} mean {}", g.mean, fmt(l.mean)));
            key.push(format!("{} process limits {}–{}", g.limit, fmt(l.lower_limit), fmt(l.upper_limit)));
        }
        None => key.push(format!("no process limits: {} of 12 months", h.values.len())),
    }
    if let Some(t) = k.target {
        key.push(format!("{} target {}", g.target, fmt(t)));
    }
    if let Some(b) = k.baseline {
        key.push(format!("{} baseline {}", g.baseline, fmt(b)));
    }
    vec![Line::from(first), Line::raw(key.join("  "))]
}

fn variation_style(v: Variation, theme: Theme) -> Style {
    match v {
        Variation::SpecialCauseConcern => theme.rag(Rag::Red),
        Variation::SpecialCauseImprovement => theme.ok(),
        _ => Style::new(),
    }
}

/// A horizontal line's points, its glyph and style.
type Level = (Vec<(f64, f64)>, char, Style);

/// A horizontal line from x0 to x1 at y.
fn level(from: f64, to: f64, y: f64) -> Vec<(f64, f64)> {
    vec![(from, y), (to, y)]
}

fn draw(k: &KpiRow, h: &KpiHistory, g: &Glyphs, theme: Theme, frame: &mut Frame, area: Rect) {
    let n = h.values.len();
    let last = (n - 1) as f64;
    let xs = |i: usize| i as f64;
    let values: Vec<(f64, f64)> = h.values.iter().enumerate().map(|(i, v)| (xs(i), *v)).collect();
    // Every line is data for the chart; each owns its Vec for the frame.
    let mut lines: Vec<Level> = Vec::new();
    let line_style = if theme.colour { Style::new().fg(Color::DarkGray) } else { Style::new() };
    if let Some(s) = &h.spc {
        for (i, seg) in s.segments.iter().enumerate() {
            let end = s.segments.get(i + 1).map_or(last, |next| xs(next.start) - 0.5);
            let start = if i == 0 { 0.0 } else { xs(seg.start) - 0.5 };
            lines.push((level(start, end, seg.lower_limit), g.limit, line_style));
            lines.push((level(start, end, seg.upper_limit), g.limit, line_style));
            lines.push((level(start, end, seg.mean), g.mean, line_style));
        }
    }
    if let Some(b) = k.baseline {
        lines.push((level(0.0, last, b), g.baseline, line_style));
    }
    if let Some(t) = k.target {
        lines.push((level(0.0, last, t), g.target, theme.title()));
    }
    let flags: Vec<Option<SpecialCause>> = h.spc.as_ref().map_or_else(|| vec![None; n], |s| s.points.clone());
    let marked = |want: Option<SpecialCause>| -> Vec<(f64, f64)> {
        values.iter().zip(&flags).filter(|(_, f)| **f == want).map(|(p, _)| *p).collect()
    };
    let (common, better, worse) =
        (marked(None), marked(Some(SpecialCause::Improvement)), marked(Some(SpecialCause::Concern)));

    let mut datasets: Vec<Dataset> = lines
        .iter()
        .map(|(d, c, style)| {
            Dataset::default().graph_type(GraphType::Line).marker(Marker::Custom(*c)).style(*style).data(d)
        })
        .collect();
    datasets.push(Dataset::default().graph_type(GraphType::Line).marker(g.value_line).data(&values));
    datasets.push(Dataset::default().marker(Marker::Custom(g.point)).data(&common));
    datasets.push(Dataset::default().marker(Marker::Custom(g.improvement)).style(theme.ok()).data(&better));
    datasets.push(Dataset::default().marker(Marker::Custom(g.concern)).style(theme.rag(Rag::Red)).data(&worse));

    // The y range holds every value and line, with a little room.
    let mut ys: Vec<f64> = h.values.clone();
    for (d, _, _) in &lines {
        ys.extend(d.iter().map(|p| p.1));
    }
    let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 1.0 };
    let (lo, hi) = (lo - pad, hi + pad);
    let y_labels = [lo, (lo + hi) / 2.0, hi].map(|v| Span::raw(k.unit.format(v)));
    let x_labels = x_labels(h, area.width);
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(Axis::default().bounds([-0.5, last + 0.5]).labels(x_labels).style(theme.dim()))
        .y_axis(Axis::default().bounds([lo, hi]).labels(y_labels).style(theme.dim()));
    frame.render_widget(chart, area);
}

/// Periods along the x axis: as many as fit, evenly spaced, first and last
/// always.
fn x_labels(h: &KpiHistory, width: u16) -> Vec<Span<'static>> {
    let n = h.periods.len();
    let fit = ((width as usize) / 10).clamp(2, 13);
    let count = fit.min(n).max(1);
    if count == 1 {
        return vec![Span::raw(clean(&h.periods[0]))];
    }
    (0..count).map(|i| Span::raw(clean(&h.periods[i * (n - 1) / (count - 1)]))).collect()
}
