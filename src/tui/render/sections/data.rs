//! The Data section: the service's indicators against baseline and target,
//! reds first, with the selected one's detail underneath.

use super::{detail_block, split};
use crate::domain::rag::sparkline;
use crate::domain::sanitize::clean;
use crate::domain::{Direction, Section};
use crate::store::{KpiRow, ServiceView};
use crate::tui::app::App;
use crate::tui::render::columns::{column_widths, fit};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

fn value(row: &KpiRow, v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| row.unit.format(v))
}

fn arrow(d: Direction, wide: bool) -> &'static str {
    match (d, wide) {
        (Direction::None, _) => "",
        (_, true) => d.arrow(),
        (Direction::Improving, false) => "↑",
        (Direction::Worsening, false) => "↓",
        (Direction::Same, false) => "→",
    }
}

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.kpis.is_empty() {
        frame.render_widget(Paragraph::new("This service reports no indicators."), area);
        return;
    }
    let [list, detail] = split(area, 5);
    let wide = area.width >= 120;
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Length(if wide { 22 } else { 14 }),
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(if wide { 12 } else { 1 }),
        Constraint::Length(12),
    ];
    let mut header = vec!["RAG", "Code", "Indicator", "Value", "Baseline", "Target", "", "Trend"];
    if wide {
        widths.push(Constraint::Length(22));
        header.push("Comparators");
    }
    let cols = column_widths(list, &widths);
    let rows = app.kpi_order.iter().map(|&i| {
        let k = &v.kpis[i];
        let trend = v.trends.get(i).map(|t| sparkline(t)).unwrap_or_default();
        let mut cells = vec![
            Cell::from(Span::styled(k.rag.label(), theme.rag(k.rag))),
            Cell::from(fit(&k.code, cols[1])),
            Cell::from(fit(&k.name, cols[2])),
            Cell::from(value(k, k.value)),
            Cell::from(value(k, k.baseline)),
            Cell::from(value(k, k.target)),
            Cell::from(arrow(k.direction, wide)),
            Cell::from(trend),
        ];
        if wide {
            cells.push(Cell::from(match (k.england, k.statistical_neighbours) {
                (None, None) => String::new(),
                (e, n) => format!("E {} · SN {}", value(k, e), value(k, n)),
            }));
        }
        // The projector view breathes: a blank line between rows when there is room.
        Row::new(cells).bottom_margin(u16::from(app.mode.present && area.height >= 30))
    });
    let table =
        Table::new(rows, widths).header(Row::new(header).style(theme.header())).row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected(Some(app.selected[Section::Data]));
    frame.render_stateful_widget(table, list, &mut state);

    let Some(k) = app.kpi_order.get(app.selected[Section::Data]).and_then(|&i| v.kpis.get(i)) else { return };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", k.rag.label()), theme.rag(k.rag)),
        Span::raw(clean(&k.name)),
    ])];
    lines.push(Line::raw(format!(
        "{} · {} · baseline {} · target {} · previous {}{}",
        k.unit,
        k.polarity,
        value(k, k.baseline),
        value(k, k.target),
        value(k, k.previous_value),
        match (k.england, k.statistical_neighbours) {
            (None, None) => String::new(),
            (e, n) => format!(" · England {} · neighbours {}", value(k, e), value(k, n)),
        }
    )));
    if let Some(note) = &k.note {
        lines.push(Line::raw(format!("Note: {}", clean(note))));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(detail_block(&k.code, theme)), detail);
}
