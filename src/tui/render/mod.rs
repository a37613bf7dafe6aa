//! Drawing: a pure function of `App`. No SQL, no I/O: everything shown was
//! loaded into the app's state before the frame. All data text passes
//! through `clean` before it reaches a cell.

pub mod chart;
pub(crate) mod columns;
mod overlay;
mod overview;
pub(crate) mod present;
mod sections;

use super::app::{App, Screen};
use super::keymap::hint_line;
use super::theme::Theme;
use crate::domain::Section;
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
    } else {
        draw(app, frame, area);
    }
    if app.mode.ascii {
        super::glyphs::to_plain(frame.buffer_mut());
    }
}

fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = Theme { colour: app.colour, ascii: app.mode.ascii };
    let present = app.mode.present;
    // The projector's large type: the service's name above the tabs.
    let service_name = app.view.as_ref().map(|v| v.service.name.as_str()).filter(|_| app.screen == Screen::Service);
    let big_name = match service_name {
        Some(name) if present && area.height >= present::MIN_HEIGHT => present::name_rows(name, area, theme),
        _ => 0,
    };
    let [header, name, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(if present { 2 } else { 1 }),
        Constraint::Length(big_name),
        Constraint::Length(if present { 2 } else { 1 }),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(if present { 0 } else { 1 }),
    ])
    .areas(area);
    render_header(app, frame, header, theme);
    if let (Some(service), true) = (service_name, big_name > 0) {
        present::service_name(service, frame, name, theme);
    }
    if app.screen == Screen::Service {
        render_tabs(app, frame, tabs, theme);
    }
    match app.screen {
        Screen::Overview => overview::render(app, frame, body, theme),
        Screen::Service => sections::render(app, frame, body, theme),
    }
    if let Some(msg) = &app.status {
        let style = if msg.starts_with('✓') || msg.starts_with('↶') { theme.ok() } else { theme.overdue() };
        frame.render_widget(Paragraph::new(Span::styled(clean(msg), style)), status);
    } else if app.role == crate::tui::app::Role::ReadOnly && !present {
        // What this screen is for, calmly: a lookup screen, not a broken file.
        let note = "Read-only screen: look things up here; nothing is recorded from this screen";
        frame.render_widget(Paragraph::new(Span::styled(note, theme.dim())), status);
    }
    if !present {
        let hints = hint_line(footer.width as usize, app.role.edits());
        frame.render_widget(Paragraph::new(Span::styled(hints, theme.dim())), footer);
    }
    overlay::render(app, frame, area, theme);
}

pub fn mmss(d: std::time::Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// The header: where the meeting is, whose item, the timer and who this
/// screen is. The agenda position, the timer and the role are always
/// shown; when the line is too long for the window, the Head of Service's
/// name goes first, then who holds the chair, then the date and period,
/// and last the end of the service's name.
fn render_header(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let m = &app.meeting;
    let n = m.agenda.len();
    let service = app.view.as_ref().map(|v| clean(&v.service.name)).unwrap_or_default();
    let timer = app
        .timers
        .get(app.current)
        .map_or(String::new(), |t| format!("⏱ {}{}", mmss(t.elapsed()), if t.running() { " ▶" } else { " ⏸" }));
    let (position, name) = match app.screen {
        Screen::Overview => ("Agenda overview".to_string(), String::new()),
        Screen::Service => (format!("{}/{n}", app.current + 1), service),
    };
    let head = app
        .view
        .as_ref()
        .and_then(|v| v.service.head.as_deref())
        .filter(|_| app.screen == Screen::Service)
        .map(|h| format!("· {} ", clean(h)));
    let approved =
        m.approved_at.as_ref().map(|at| format!(" · APPROVED {} (locked)", clean(at.get(..10).unwrap_or(at))));
    let (full_role, short_role) = role_words(app);
    let max = area.width as usize;
    let mut dated = Some(format!("QPRM {} · {} ", clean(&m.date), clean(&m.period)));
    let (mut head, mut role) = (head, full_role);
    let fixed = |dated: &Option<String>, head: &Option<String>, role: &str| {
        let parts = [dated.as_deref().unwrap_or("QPRM "), head.as_deref().unwrap_or(""), role];
        parts.iter().map(|p| text::width(p)).sum::<usize>()
            + text::width(&format!("· {position} "))
            + text::width(&format!("· {timer}"))
            + approved.as_deref().map_or(0, text::width)
    };
    let over = |dated: &Option<String>, head: &Option<String>, role: &str| {
        (fixed(dated, head, role) + text::width(&name) + 1).saturating_sub(max)
    };
    if over(&dated, &head, &role) > 0 {
        head = None;
    }
    if over(&dated, &head, &role) > 0 {
        role = short_role;
    }
    if over(&dated, &head, &role) > 0 {
        dated = None;
    }
    let name = text::truncate(&name, text::width(&name).saturating_sub(over(&dated, &head, &role)));
    let place = if name.is_empty() { format!("· {position} ") } else { format!("· {position} {name} ") };
    let place_style = theme.title().add_modifier(Modifier::BOLD);
    let mut spans =
        vec![Span::styled(dated.unwrap_or_else(|| "QPRM ".into()), theme.title()), Span::styled(place, place_style)];
    if let Some(head) = head {
        spans.push(Span::raw(head));
    }
    spans.push(Span::raw(format!("· {timer}")));
    // Every edit is refused on an approved meeting: say why before a key is pressed.
    if let Some(approved) = approved {
        spans.push(Span::styled(approved, theme.header()));
    }
    spans.push(Span::styled(role, theme.header()));
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
        (Role::ReadOnly, _) => (" · READ-ONLY".into(), " · READ-ONLY".into()),
    }
}

fn render_tabs(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let mut spans = Vec::new();
    for s in Section::ALL {
        if app.mode.present && s != app.section {
            continue;
        }
        let label = format!(" {} {} ", s.key(), s.title());
        spans.push(if s == app.section { Span::styled(label, theme.tab_active()) } else { Span::raw(label) });
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
