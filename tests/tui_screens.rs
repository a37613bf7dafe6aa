//! Every screen in every mode at the three sizes a meeting meets: one
//! snapshot per mode and size holding the overview, each section, help,
//! the forms and search, as the terminal shows them. Plus what the room
//! must be able to read: every sample indicator's whole name at 100
//! columns, no two rows alike at 80.

mod common;

use common::tui::{Screen, draw, screen, text};
use qprm::domain::Section;
use qprm::tui::app::{Effect, Mode, Screen as View};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

/// Every symbol on screen is one the screen knows to be one cell wide
/// (`tui::glyphs`), or plain ASCII; in plain-glyph mode, only ASCII (the
/// sample packs' text is ASCII apart from dashes and quotes).
fn glyphs_fit(buf: &Buffer, ascii: bool, what: &str) {
    for cell in &buf.content {
        let symbol = cell.symbol();
        let mut chars = symbol.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { panic!("{what}: {symbol:?} is not one glyph") };
        if ascii {
            assert!(c == ' ' || c.is_ascii_graphic(), "{what}: {c:?} in plain-glyph mode:\n{}", text(buf));
        } else {
            assert!(c.is_ascii() || qprm::tui::glyphs::plain(c).is_some(), "{what}: {c:?} is not a known glyph");
        }
    }
}

fn has_colour(buf: &Buffer) -> bool {
    buf.content.iter().any(|c| c.fg != Color::Reset || c.bg != Color::Reset)
}

/// The modes snapshotted: name, mode, colour.
fn modes() -> Vec<(&'static str, Mode, bool)> {
    let follow = Mode { follow: true, read_only: true, ..Mode::default() };
    vec![
        ("default", Mode::default(), true),
        ("no_color", Mode::default(), false),
        ("present", Mode { present: true, ..Mode::default() }, true),
        ("follow", follow, true),
        ("follow_present", Mode { present: true, ..follow }, true),
        ("read_only", Mode { read_only: true, ..Mode::default() }, true),
        ("ascii", Mode { ascii: true, ..Mode::default() }, false),
        ("ascii_present", Mode { ascii: true, present: true, ..Mode::default() }, false),
    ]
}

/// Puts the screen on the first service's `section`.
fn show(s: &mut Screen, section: Section) {
    s.app.screen = View::Service;
    s.app.current = 0;
    s.app.section = section;
    s.app.perform(&mut s.store, Effect::Reload).unwrap();
}

/// Every screen of one mode at one size, in order, as one text.
fn every_screen(s: &mut Screen, w: u16, h: u16, colour: bool) -> String {
    let mut out = Vec::new();
    let mut grab = |what: &str, s: &Screen| {
        let buf = draw(s, w, h);
        assert_eq!(has_colour(&buf), colour, "{what} {w}x{h}: colour only when enabled");
        glyphs_fit(&buf, s.app.mode.ascii, &format!("{what} {w}x{h}"));
        out.push(format!("=== {what} ===\n{}", text(&buf)));
    };
    s.app.screen = View::Overview;
    s.app.perform(&mut s.store, Effect::Reload).unwrap();
    grab("overview", s);
    for section in Section::ALL {
        show(s, section);
        grab(section.title(), s);
    }
    show(s, Section::Data);
    s.key(KeyCode::Char('?'));
    grab("help", s);
    s.key(KeyCode::Char(' '));
    grab("help, next page", s);
    s.key(KeyCode::Esc);
    if s.app.role.edits() {
        s.key(KeyCode::Char('a')).type_text("Book the health assessments").key(KeyCode::Tab);
        s.type_text("Head of Service, Corporate Parenting").key(KeyCode::Tab).type_text("+2w");
        grab("action form", s);
        s.key(KeyCode::Esc).key(KeyCode::Esc);
        s.key(KeyCode::Char('d')).type_text("Agreed to review placements monthly");
        grab("decision form", s);
        s.key(KeyCode::Esc).key(KeyCode::Esc);
    }
    s.key(KeyCode::Char('/')).type_text("health");
    grab("search", s);
    s.key(KeyCode::Esc);
    out.join("\n")
}

#[test]
fn every_screen_in_every_mode_at_three_sizes() {
    for (name, mode, colour) in modes() {
        let mut s = screen(mode, colour);
        for (w, h) in [(80, 24), (100, 30), (160, 48)] {
            let all = every_screen(&mut s, w, h, colour);
            insta::with_settings!({ filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[time]")] }, {
                insta::assert_snapshot!(format!("{name}_{w}x{h}"), all);
            });
        }
    }
}

/// The Indicator column's text for each table row on screen: the column's
/// cells under its header, a row's wrapped lines joined.
fn indicator_cells(buf: &Buffer) -> Vec<String> {
    let lines: Vec<Vec<&str>> =
        (0..buf.area.height).map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()).collect();
    let row_text = |line: &[&str], from: usize, to: usize| line[from..to].concat().trim().to_string();
    let header = (0..lines.len()).find(|&y| lines[y].concat().starts_with("RAG ")).expect("the Data table's header");
    let head = lines[header].concat();
    let from = head.find("Indicator").unwrap();
    let to = head.find("Value").unwrap();
    let mut cells: Vec<String> = Vec::new();
    for line in &lines[header + 1..] {
        let rag = row_text(line, 0, 3);
        let cell = row_text(line, from, to);
        if line.concat().trim().is_empty() || line.concat().contains('─') {
            break;
        }
        match (rag.is_empty(), cells.last_mut()) {
            (true, Some(last)) => {
                last.push(' ');
                last.push_str(&cell);
            }
            _ => cells.push(cell),
        }
    }
    cells
}

#[test]
fn every_sample_indicator_s_whole_name_is_visible_at_100_columns() {
    let mut s = screen(Mode::default(), false);
    let mut seen = 0;
    for item in 0..s.app.meeting.agenda.len() {
        s.app.current = item;
        show_item(&mut s);
        let names: Vec<String> = s.app.view.as_ref().unwrap().kpis.iter().map(|k| k.name.clone()).collect();
        // Row by row, so each is on screen whatever the list's length.
        for i in 0..names.len() {
            s.app.selected[Section::Data] = i;
            let cells = indicator_cells(&draw(&s, 100, 30));
            let name = &names[s.app.kpi_order[i]];
            assert!(cells.contains(name), "{name:?} is not whole at 100 columns: {cells:?}");
            seen += 1;
        }
    }
    assert!(seen > 30, "every service's indicators: {seen}");
}

#[test]
fn no_two_rows_of_a_table_read_the_same_at_80_columns() {
    let mut s = screen(Mode::default(), false);
    for item in 0..s.app.meeting.agenda.len() {
        s.app.current = item;
        show_item(&mut s);
        if s.app.view.as_ref().unwrap().kpis.is_empty() {
            continue;
        }
        let cells = indicator_cells(&draw(&s, 80, 24));
        let mut unique = cells.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), cells.len(), "item {item}: {cells:#?}");
    }
}

fn show_item(s: &mut Screen) {
    s.app.screen = View::Service;
    s.app.section = Section::Data;
    s.app.selected = Default::default();
    s.app.perform(&mut s.store, Effect::Reload).unwrap();
}

#[test]
fn read_only_and_follow_screens_say_what_they_are_and_list_only_keys_that_work() {
    let mut ro = screen(Mode { read_only: true, ..Mode::default() }, false);
    show(&mut ro, Section::Actions);
    let t = text(&draw(&ro, 80, 24));
    assert!(t.contains("Read-only screen: look things up here"), "{t}");
    assert!(!t.contains("cannot be written"), "not a broken file: {t}");
    let footer = t.lines().last().unwrap();
    assert!(footer.ends_with("? help · q quit"), "{footer}");
    for key in ["a action", "d decision", "u undo"] {
        assert!(!footer.contains(key), "{key} does not work here: {footer}");
    }
    assert!(!t.contains("x done"), "no edit hints in the detail title: {t}");
    ro.key(KeyCode::Char('?'));
    let help = text(&draw(&ro, 80, 24));
    assert!(!help.contains("new action") && help.contains("search"), "{help}");

    let mut follow = screen(Mode { follow: true, read_only: true, present: true, ..Mode::default() }, false);
    show(&mut follow, Section::Data);
    for (w, h) in [(80, 24), (100, 30), (160, 48)] {
        let buf = draw(&follow, w, h);
        let t = text(&buf);
        assert!(t.contains("FOLLOWING") && !t.contains("READ-ONLY"), "{w}x{h}: {t}");
        assert!(!t.contains("? help") && !t.contains("q quit"), "{w}x{h}: no key hints: {t}");
        // Large type: the 8x8 font's block glyphs, four rows deep.
        let big = t.lines().filter(|l| l.contains('▀') || l.contains('▄') || l.contains('▜')).count();
        assert!(big >= 8, "{w}x{h}: the service's name and the value in large type: {t}");
    }
}
