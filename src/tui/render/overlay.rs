//! Pop-ups drawn over the screen: help (built from the key table), capture
//! forms, search, the quit confirmation and the indicator chart (drawn by
//! chart.rs).

use crate::domain::sanitize::clean;
use crate::store::HitKind;
use crate::tui::app::{App, Overlay};
use crate::tui::forms::Form;
use crate::tui::keymap::BINDINGS;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

fn frame_block(title: String, theme: Theme) -> Block<'static> {
    Block::new().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme.title()))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help(page) => help(app, *page, frame, area, theme),
        Overlay::Chart => super::chart::render(app, frame, area, theme),
        Overlay::Form(form) => render_form(app, form, frame, area, theme),
        Overlay::Search(search) => {
            let r = popup(area, 90, 18);
            frame.render_widget(Clear, r);
            let block = frame_block("Search (Enter jumps, Esc closes)".into(), theme);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            frame.render_widget(&search.input, input);
            let items: Vec<ListItem> = search
                .hits
                .iter()
                .map(|h| {
                    let kind = match h.kind {
                        HitKind::Indicator => "indicator",
                        HitKind::Action => "action",
                        HitKind::Decision => "decision",
                        HitKind::Finding => "audit",
                        HitKind::Feedback => "feedback",
                    };
                    ListItem::new(format!(
                        "{kind:<9} {}  [{}]",
                        clean(&h.label),
                        clean(h.service.as_deref().unwrap_or("—"))
                    ))
                })
                .collect();
            let mut state = ListState::default().with_selected((!search.hits.is_empty()).then_some(search.selected));
            frame.render_stateful_widget(List::new(items).highlight_style(theme.selected()), list, &mut state);
        }
        Overlay::ConfirmApprove { date, .. } => {
            let text =
                format!("Approve the minutes of the meeting of {}? Its record is then locked. y / n", clean(date));
            let r = popup(area, 52, 4);
            frame.render_widget(Clear, r);
            let body = Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true });
            frame.render_widget(body.block(frame_block("Approve minutes".into(), theme)), r);
        }
        Overlay::ConfirmQuit => {
            let r = popup(area, 44, 3);
            frame.render_widget(Clear, r);
            frame.render_widget(Paragraph::new("Quit the meeting? y / n").block(frame_block("Quit".into(), theme)), r);
        }
    }
}

/// Every key that works on this screen, from the key table. What does not
/// fit flows into a second column on a wide screen, else onto further
/// pages (Space turns them; the last line says so).
fn help(app: &App, page: usize, frame: &mut Frame, area: Rect, theme: Theme) {
    let line = |b: &&crate::tui::keymap::Binding| {
        Line::from(vec![Span::styled(format!("{:>10}  ", b.label), theme.header()), Span::raw(b.help)])
    };
    let keys: Vec<&crate::tui::keymap::Binding> =
        BINDINGS.iter().filter(|b| app.role.edits() || !b.action.edits()).collect();
    let room = area.height.saturating_sub(3).max(1) as usize;
    let columns = if keys.len() > room && area.width >= 120 { 2 } else { 1 };
    let per_column = keys.len().div_ceil(columns).min(room);
    let per_page = per_column * columns;
    let pages = keys.len().div_ceil(per_page);
    let page = page % pages;
    let r = popup(area, 84 * columns as u16, per_column as u16 + 3);
    frame.render_widget(Clear, r);
    let title = if pages > 1 { format!("Keys, page {} of {pages}", page + 1) } else { "Keys".into() };
    let block = frame_block(title, theme);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let cols = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(body);
    let shown = keys.iter().skip(page * per_page).take(per_page).collect::<Vec<_>>();
    for (i, chunk) in shown.chunks(per_column).enumerate() {
        frame.render_widget(Paragraph::new(chunk.iter().map(|b| line(b)).collect::<Vec<_>>()), cols[i]);
    }
    let foot_text = match (pages > 1, page + 1 == pages) {
        (true, false) => "more: Space for the next page · any other key closes",
        (true, true) => "Space: back to the first page · any other key closes",
        (false, _) if app.role.edits() => {
            "In forms: Tab next field · → accepts the suggested owner · Enter save · Esc cancel · any key closes"
        }
        (false, _) => "Any key closes",
    };
    frame.render_widget(Paragraph::new(Line::styled(foot_text, theme.dim())), foot);
}

fn render_form(app: &App, form: &Form, frame: &mut Frame, area: Rect, theme: Theme) {
    let height = form.fields.len() as u16 * 3 + 4;
    let r = popup(area, 84, height);
    frame.render_widget(Clear, r);
    let block = frame_block(format!("{} · Tab next field · Enter save · Esc cancel", form.title()), theme);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut constraints = vec![Constraint::Length(3); form.fields.len()];
    constraints.push(Constraint::Min(1));
    let rows = Layout::vertical(constraints).split(inner);
    for (i, field) in form.fields.iter().enumerate() {
        let mut title = field.label.to_string();
        if field.label.ends_with("ue") {
            match form.due_preview(app.today) {
                Some(Ok(d)) => title = format!("{title} → {}", d.format("%a %-d %b %Y")),
                Some(Err(_)) => title = format!("{title} → ?"),
                None => {}
            }
        }
        if field.label == "Owner"
            && let Some(s) = form.owner_suggestion(&app.owners)
        {
            title = format!("{title} · → {}", clean(s));
        }
        let style = if i == form.focus { theme.header() } else { theme.dim() };
        let block = Block::new().borders(Borders::ALL).title(Span::styled(format!(" {title} "), style));
        let inner = block.inner(rows[i]);
        frame.render_widget(block, rows[i]);
        frame.render_widget(&field.input, inner);
    }
    if let Some(err) = &form.error {
        frame.render_widget(
            Paragraph::new(Span::styled(clean(err), theme.overdue())).wrap(Wrap { trim: true }),
            rows[form.fields.len()],
        );
    }
}
