//! The Data section: the service's indicators against baseline and target,
//! reds first, with the selected one's detail underneath. The table is
//! built from one column list (`columns`): a new column is one entry there.

use super::{detail_block, split};
use crate::domain::sanitize::clean;
use crate::domain::{Direction, Section};
use crate::store::{KpiRow, ServiceView};
use crate::tui::app::App;
use crate::tui::render::columns::{self, Column, Look};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState, Wrap};

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

/// What one row's cells are drawn from.
struct Kpi<'a> {
    k: &'a KpiRow,
    trend: &'a [f64],
    theme: Theme,
    /// 120 columns or more: room for words beside the arrows, comparators.
    wide: bool,
}

type CellFn = fn(&Kpi) -> Line<'static>;

/// The Data table's columns, in order. A column empty in every row of the
/// service (no comparators, say) is not drawn.
fn columns() -> Vec<(Column<'static>, CellFn)> {
    vec![
        (Column::content("RAG"), |c| Line::from(Span::styled(c.k.rag.label(), c.theme.rag(c.k.rag)))),
        // Signal or noise beside RAG (domain/spc.rs): symbols when narrow,
        // short words when wide, whole words in the detail pane. ASCII, so
        // they read in every mode, and never colour alone.
        (Column::content("SPC"), |c| {
            Line::raw(if c.wide {
                format!("{} · {}", c.k.variation.label(), c.k.assurance.label())
            } else {
                format!("{} {}", c.k.variation.symbol(), c.k.assurance.symbol())
            })
        }),
        // The code is shortened before the name wraps: the room reads the
        // name, and the detail pane's title carries the whole code.
        (Column::shrink("Code", 8), |c| Line::raw(clean(&c.k.code))),
        (Column::words("Indicator"), |c| Line::raw(clean(&c.k.name))),
        (Column::content("Value"), |c| Line::raw(value(c.k, c.k.value))),
        (Column::content("Baseline"), |c| Line::raw(value(c.k, c.k.baseline))),
        (Column::content("Target"), |c| Line::raw(value(c.k, c.k.target))),
        (Column::content(""), |c| Line::raw(arrow(c.k.direction, c.wide))),
        (Column::content("Trend"), |c| Line::raw(crate::tui::glyphs::sparkline(c.trend, c.theme.ascii))),
        (Column::content("Comparators"), |c| {
            Line::raw(match (c.k.england, c.k.statistical_neighbours) {
                (None, None) => String::new(),
                _ if !c.wide => String::new(),
                (e, n) => format!("E {} · SN {}", value(c.k, e), value(c.k, n)),
            })
        }),
    ]
}

pub(super) fn render(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.kpis.is_empty() {
        frame.render_widget(Paragraph::new("This service reports no indicators."), area);
        return;
    }
    // On the projector the selected indicator is shown in large type.
    let big = app.mode.present && area.height >= 12;
    let [list, detail] = if big {
        let rows = crate::tui::render::present::GLYPH_ROWS + 4;
        let [detail, _, list] =
            Layout::vertical([Constraint::Length(rows), Constraint::Length(1), Constraint::Min(1)]).areas(area);
        [list, detail]
    } else {
        split(area, 5)
    };
    let wide = area.width >= 120;
    let columns = columns();
    let rows = app
        .kpi_order
        .iter()
        .map(|&i| {
            let cell = Kpi { k: &v.kpis[i], trend: v.trends.get(i).map_or(&[], Vec::as_slice), theme, wide };
            (columns.iter().map(|(_, f)| f(&cell)).collect(), Style::new())
        })
        .collect();
    let heads: Vec<Column> = columns.iter().map(|(c, _)| *c).collect();
    // The projector view breathes: a blank line between rows when there is room.
    let gap = u16::from(app.mode.present && area.height >= 30);
    let (table, _) =
        columns::table(list.width, &heads, rows, Look { header: theme.header(), row_gap: gap, max_lines: 4 });
    let mut state = TableState::default().with_selected(Some(app.selected[Section::Data]));
    frame.render_stateful_widget(table.row_highlight_style(theme.selected()), list, &mut state);

    let Some(k) = app.kpi_order.get(app.selected[Section::Data]).and_then(|&i| v.kpis.get(i)) else { return };
    if big {
        crate::tui::render::present::indicator(k, frame, detail, theme);
        return;
    }
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
    lines.push(Line::raw(format!(
        "SPC: {} {} · {} {} · v chart",
        k.variation.symbol(),
        k.variation.words(),
        k.assurance.symbol(),
        k.assurance.words()
    )));
    if let Some(note) = &k.note {
        lines.push(Line::raw(format!("Note: {}", clean(note))));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(detail_block(&k.code, theme)), detail);
}
