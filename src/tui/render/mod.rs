//! Drawing: a pure function of `App`. No SQL, no I/O: everything shown was
//! loaded into the app's state before the frame. All data text passes
//! through `clean` before it reaches a cell.

pub mod chart;
mod overlay;
mod overview;
pub(crate) mod service;

use super::app::{App, SECTIONS, Screen};
use super::keymap::hint_line;
use super::theme::Theme;
use crate::domain::sanitize::clean;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Below this the layout cannot hold a table; say so instead of garbling.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!("Enlarge the window: qprm needs at least {MIN_WIDTH}×{MIN_HEIGHT}");
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let theme = Theme { colour: app.colour };
    let present = app.mode.present;
    let [header, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(if present { 3 } else { 1 }),
        Constraint::Length(if present { 2 } else { 1 }),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(if present { 0 } else { 1 }),
    ])
    .areas(area);
    render_header(app, frame, header, theme);
    if app.screen == Screen::Service {
        render_tabs(app, frame, tabs, theme);
    }
    match app.screen {
        Screen::Overview => overview::render(app, frame, body, theme),
        Screen::Service => service::render(app, frame, body, theme),
    }
    if let Some(msg) = &app.status {
        let style = if msg.starts_with('✓') || msg.starts_with('↶') { theme.ok() } else { theme.overdue() };
        frame.render_widget(Paragraph::new(Span::styled(clean(msg), style)), status);
    }
    if !present {
        let mode = if app.mode.read_only { "READ-ONLY · " } else { "" };
        frame.render_widget(Paragraph::new(Span::styled(format!("{mode}{}", hint_line()), theme.dim())), footer);
    }
    overlay::render(app, frame, area, theme);
}

pub fn mmss(d: std::time::Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}", s / 60, s % 60)
}

fn render_header(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let m = &app.meeting;
    let n = m.agenda.len();
    let service = app.view.as_ref().map(|v| v.service.name.as_str()).unwrap_or("");
    let timer = app
        .timers
        .get(app.current)
        .map_or(String::new(), |t| format!("⏱ {}{}", mmss(t.elapsed()), if t.running() { " ▶" } else { " ⏸" }));
    let place = match app.screen {
        Screen::Overview => "Agenda overview".to_string(),
        Screen::Service => format!("{}/{n} {}", app.current + 1, clean(service)),
    };
    let place_style = theme.title().add_modifier(Modifier::BOLD);
    let mut spans = vec![
        Span::styled(format!("QPRM {} · {} ", clean(&m.date), clean(&m.period)), theme.title()),
        Span::styled(format!("· {place} "), place_style),
    ];
    let head = app.view.as_ref().and_then(|v| v.service.head.as_deref()).filter(|_| app.screen == Screen::Service);
    if let Some(head) = head {
        spans.push(Span::raw(format!("· {} ", clean(head))));
    }
    spans.push(Span::raw(format!("· {timer}")));
    // Every edit is refused on an approved meeting: say why before a key is pressed.
    if let Some(at) = &m.approved_at {
        spans.push(Span::styled(format!(" · APPROVED {} (locked)", clean(at.get(..10).unwrap_or(at))), theme.header()));
    }
    if !app.mode.present {
        // Who this screen is (chair or not, following or not) matters more
        // than the rest: when the line is too long for the window, the
        // Head of Service's name goes first, then who holds the chair,
        // then the end of the service's name.
        let (full, short) = role_words(app);
        let max = area.width as usize;
        let used = |spans: &[Span], role: &str| spans.iter().map(Span::width).sum::<usize>() + text::width(role);
        if used(&spans, &full) > max && head.is_some() {
            spans.remove(2);
        }
        let role = if used(&spans, &full) <= max { full } else { short };
        let over = used(&spans, &role).saturating_sub(max);
        if over > 0 {
            let keep = text::width(&place).saturating_sub(over);
            spans[1] = Span::styled(format!("· {} ", text::truncate(&place, keep)), place_style);
        }
        spans.push(Span::styled(role, theme.header()));
    }
    let line = Line::from(spans);
    let lines = if app.mode.present { vec![Line::raw(""), line] } else { vec![line] };
    frame.render_widget(Paragraph::new(lines), area);
}

/// This screen's role in the header, with and without who holds the chair.
fn role_words(app: &App) -> (String, String) {
    use crate::tui::app::Role;
    let chair = app.chair_label.as_deref().map(clean);
    let following = if app.following { "FOLLOWING" } else { "NOT FOLLOWING" };
    match (app.role, chair) {
        (Role::Chair, _) => (" · CHAIR".into(), " · CHAIR".into()),
        (Role::Minutes, Some(c)) => {
            (format!(" · MINUTES (chair: {c}) · {following}"), format!(" · MINUTES · {following}"))
        }
        (Role::Minutes, None) => (format!(" · MINUTES · {following}"), format!(" · MINUTES · {following}")),
        (Role::Follow, Some(c)) => (format!(" · FOLLOWING {c}"), " · FOLLOWING".into()),
        (Role::Follow, None) => (" · FOLLOWING (no chair yet)".into(), " · FOLLOWING".into()),
        (Role::ReadOnly, _) => (String::new(), String::new()),
    }
}

fn render_tabs(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let mut spans = Vec::new();
    for (i, name) in SECTIONS.iter().enumerate() {
        if app.mode.present && i != app.section {
            continue;
        }
        let label = format!(" {} {name} ", i + 1);
        spans.push(if i == app.section { Span::styled(label, theme.tab_active()) } else { Span::raw(label) });
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
