//! The five sections of a service: Data, Audits, Feedback, Actions, Decisions.

use crate::domain::rag::{format_number, sparkline};
use crate::domain::sanitize::clean;
use crate::domain::{Direction, Rag};
use crate::store::{KpiRow, ServiceView};
use crate::tui::app::{ACTIONS, App, DECISIONS};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(view) = &app.view else {
        frame.render_widget(Paragraph::new("No service on this agenda"), area);
        return;
    };
    match app.section {
        0 => data(app, view, frame, area, theme),
        1 => audits(view, frame, area, theme),
        2 => feedback(app, view, frame, area, theme),
        ACTIONS => actions(app, view, frame, area, theme),
        _ => decisions(app, view, frame, area, theme),
    }
}

/// Splits a section into a list and a detail pane under it.
fn split(area: Rect, detail: u16) -> [Rect; 2] {
    let detail = detail.min(area.height / 2);
    Layout::vertical([Constraint::Min(1), Constraint::Length(detail)]).areas(area)
}

fn detail_block(title: &str, theme: Theme) -> Block<'static> {
    Block::new().borders(Borders::TOP).title(Span::styled(format!(" {title} "), theme.header()))
}

/// The widths a table's columns get in `area` (ratatui's own layout rules,
/// one column of spacing), so cells can be cut with an ellipsis to fit.
pub fn column_widths(area: Rect, widths: &[Constraint]) -> Vec<usize> {
    Layout::horizontal(widths.to_vec()).spacing(1).split(area).iter().map(|r| r.width as usize).collect()
}

/// Sanitised and cut to the column: long text ends in `…`, never mid-clip.
pub fn fit(s: &str, width: usize) -> String {
    crate::text::truncate(&clean(s), width)
}

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

fn data(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
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
    // Signal or noise beside RAG: symbols when narrow (words in the detail
    // pane), words when wide. Both are ASCII, so they read in any mode.
    if wide {
        widths.splice(1..1, [Constraint::Length(11), Constraint::Length(10)]);
        header.splice(1..1, ["Variation", "Assurance"]);
    } else {
        widths.insert(1, Constraint::Length(3));
        header.insert(1, "SPC");
    }
    let spc_at = 1;
    let text_cols = if wide { 2 } else { 1 };
    if wide {
        widths.push(Constraint::Length(22));
        header.push("Comparators");
    }
    let cols = column_widths(list, &widths);
    let (code_col, name_col) = (1 + text_cols, 2 + text_cols);
    let rows = app.kpi_order.iter().map(|&i| {
        let k = &v.kpis[i];
        let trend = v.trends.get(i).map(|t| sparkline(t)).unwrap_or_default();
        let spc: Vec<Cell> = if wide {
            vec![Cell::from(k.variation.label()), Cell::from(k.assurance.label())]
        } else {
            vec![Cell::from(format!("{} {}", k.variation.symbol(), k.assurance.symbol()))]
        };
        let mut cells = vec![
            Cell::from(Span::styled(k.rag.label(), theme.rag(k.rag))),
            Cell::from(fit(&k.code, cols[code_col])),
            Cell::from(fit(&k.name, cols[name_col])),
            Cell::from(value(k, k.value)),
            Cell::from(value(k, k.baseline)),
            Cell::from(value(k, k.target)),
            Cell::from(arrow(k.direction, wide)),
            Cell::from(trend),
        ];
        cells.splice(spc_at..spc_at, spc);
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
    let mut state = TableState::default().with_selected(Some(app.selected[0]));
    frame.render_stateful_widget(table, list, &mut state);

    let Some(k) = app.kpi_order.get(app.selected[0]).and_then(|&i| v.kpis.get(i)) else { return };
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

/// A bar of audit ratings; each rating has its own glyph so it reads in mono.
fn ratings_bar(a: &crate::store::AuditSummary, width: usize, theme: Theme) -> Line<'static> {
    let parts = [
        (a.outstanding, '█', Rag::Green),
        (a.good, '▓', Rag::Green),
        (a.requires_improvement, '▒', Rag::Amber),
        (a.inadequate, '░', Rag::Red),
    ];
    let total = a.completed.max(1) as usize;
    let spans: Vec<Span> = parts
        .iter()
        .map(|(n, glyph, rag)| Span::styled(glyph.to_string().repeat(*n as usize * width / total), theme.rag(*rag)))
        .collect();
    Line::from(spans)
}

fn audits(v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(a) = &v.audits else {
        frame.render_widget(Paragraph::new(format!("No audits reported for {}.", v.period)), area);
        return;
    };
    let pct = |p: Option<f64>, t: Option<f64>| -> Span<'static> {
        match (p, t) {
            (Some(p), Some(t)) if p < t => {
                Span::styled(format!("{}% ▼ below the {}% target", format_number(p), format_number(t)), theme.overdue())
            }
            (Some(p), Some(t)) => {
                Span::styled(format!("{}% meets the {}% target", format_number(p), format_number(t)), theme.ok())
            }
            (Some(p), None) => Span::raw(format!("{}%", format_number(p))),
            _ => Span::raw("—"),
        }
    };
    let bar_width = (area.width as usize).saturating_sub(4).min(60);
    let mut lines = vec![
        Line::from(vec![Span::styled(format!("{} audits completed in {}", a.completed, v.period), theme.header())]),
        ratings_bar(a, bar_width, theme),
        Line::raw(format!(
            "█ outstanding {}  ▓ good {}  ▒ requires improvement {}  ░ inadequate {}",
            a.outstanding, a.good, a.requires_improvement, a.inadequate
        )),
        Line::from(vec![Span::raw("Good or better: "), pct(a.good_or_better_pct(), a.good_or_better_target)]),
        Line::from(vec![Span::raw("With family feedback: "), pct(a.family_feedback_pct(), a.family_feedback_target)]),
        Line::raw(""),
    ];
    use crate::pack::FindingKind;
    for (kind, title) in [(FindingKind::Strength, "Strengths"), (FindingKind::Improvement, "Areas for improvement")] {
        lines.push(Line::styled(title, theme.header()));
        let mut theme_name = "";
        for f in v.findings.iter().filter(|f| f.kind == kind) {
            if f.theme != theme_name {
                lines.push(Line::styled(format!("  {}", clean(&f.theme)), theme.title()));
                theme_name = &f.theme;
            }
            lines.push(Line::raw(format!("    • {}", clean(&f.text))));
        }
    }
    frame.render_widget(Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }), area);
}

fn feedback(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
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
    let mut state = ListState::default().with_selected(Some(app.selected[2]));
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selected()), list, &mut state);
    if let Some(f) = v.feedback.get(app.selected[2]) {
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

fn actions(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
    if v.actions.rows.is_empty() {
        frame.render_widget(Paragraph::new("No open actions for this service. Press a to add one."), area);
        return;
    }
    let [list, detail] = split(area, 7);
    let widths = [
        Constraint::Length(1),
        Constraint::Length(5),
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Percentage(30),
        Constraint::Fill(1),
    ];
    let cols = column_widths(list, &widths);
    let rows = v.actions.rows.iter().map(|va| {
        let a = &va.action;
        let (status, style) = if a.overdue {
            ("OVERDUE".to_string(), theme.overdue())
        } else if a.status.is_closed() {
            (a.status.to_string(), theme.ok())
        } else {
            (a.status.to_string().replace('_', " "), ratatui::style::Style::new())
        };
        let row = Row::new(vec![
            Cell::from(if va.carried_forward { "↻" } else { "★" }),
            Cell::from(fit(&a.reference, cols[1])),
            Cell::from(Span::styled(status, style)),
            Cell::from(clean(&a.due)),
            Cell::from(fit(&a.owner, cols[4])),
            Cell::from(fit(&a.text, cols[5])),
        ]);
        // Raised here and undone: shown (with h) struck through, never as a live twin.
        let undone = !va.carried_forward && a.status == crate::domain::ActionStatus::Dropped;
        if undone {
            row.style(ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::CROSSED_OUT))
        } else {
            row
        }
    });
    let header = Row::new(["", "Ref", "Status", "Due", "Owner", "Action (↻ carried forward, ★ raised today)"])
        .style(theme.header());
    // The page held starts at its offset in the whole list.
    let mut state = TableState::default().with_selected(app.selected[ACTIONS].checked_sub(v.actions.offset));
    frame.render_stateful_widget(
        Table::new(rows, widths).header(header).row_highlight_style(theme.selected()),
        list,
        &mut state,
    );

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
    let title = format!("{} · x done · c carry forward · s status · e edit", a.reference);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(detail_block(&title, theme)), detail);
}

fn decisions(app: &App, v: &ServiceView, frame: &mut Frame, area: Rect, theme: Theme) {
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
    let mut state = ListState::default().with_selected((!v.decisions.is_empty()).then_some(app.selected[DECISIONS]));
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
