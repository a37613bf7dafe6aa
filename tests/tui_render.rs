//! Meeting screen rendering: insta snapshots of the overview and every
//! section at 80×24 and 160×48, colour and NO_COLOR; a sweep of sizes that
//! must never panic; and checks that colour never carries meaning alone.

mod common;

use common::tui::{Screen, screen};
use qprm::tui::app::Mode;
use qprm::tui::render::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

fn draw(s: &Screen, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(&s.app, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let w = buf.area.width as usize;
    let cells: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
    cells.chunks(w).map(|row| row.concat().trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

/// History times are real clock times; everything else is fixed by the fixtures.
fn snapshot(name: &str, buf: &Buffer) {
    insta::with_settings!({ filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[time]")] }, {
        insta::assert_snapshot!(name, text(buf));
    });
}

fn has_colour(buf: &Buffer) -> bool {
    buf.content.iter().any(|c| c.fg != Color::Reset || c.bg != Color::Reset)
}

#[test]
fn overview_and_every_section_at_two_sizes_with_and_without_colour() {
    for colour in [true, false] {
        let mut s = screen(Mode::default(), colour);
        let suffix = if colour { "colour" } else { "mono" };
        for (w, h) in [(80, 24), (160, 48)] {
            let buf = draw(&s, w, h);
            snapshot(&format!("overview_{w}x{h}_{suffix}"), &buf);
            assert_eq!(has_colour(&buf), colour, "colour only when enabled");
        }
        s.key(KeyCode::Char(']'));
        for (i, name) in ["data", "audits", "feedback", "actions", "decisions"].iter().enumerate() {
            s.key(KeyCode::Char(char::from(b'1' + i as u8)));
            for (w, h) in [(80, 24), (160, 48)] {
                let buf = draw(&s, w, h);
                snapshot(&format!("{name}_{w}x{h}_{suffix}"), &buf);
                assert_eq!(has_colour(&buf), colour, "{name}: colour only when enabled");
            }
        }
    }
}

#[test]
fn rag_reads_without_colour() {
    let mut s = screen(Mode::default(), false);
    s.key(KeyCode::Char(']'));
    let t = text(&draw(&s, 160, 48));
    for word in ["■ RED", "▲ AMBER", "● GREEN"] {
        assert!(t.contains(word), "{word} must be visible as a symbol and word");
    }
    s.key(KeyCode::Char('4'));
    assert!(text(&draw(&s, 80, 24)).contains("OVERDUE"), "overdue is a word, not just red");
}

#[test]
fn red_items_are_red_when_colour_is_on() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char(']'));
    let buf = draw(&s, 160, 48);
    let red_cell = buf.content.iter().find(|c| c.symbol() == "■").expect("a red indicator");
    assert_eq!(red_cell.fg, Color::LightRed);
}

#[test]
fn forms_help_and_search_render() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char(']')).key(KeyCode::Char('a')).type_text("Book assessments").key(KeyCode::Tab);
    s.type_text("head of service, co").key(KeyCode::Right).key(KeyCode::Tab).type_text("+2w");
    snapshot("action_form_80x24", &draw(&s, 80, 24));
    let t = text(&draw(&s, 80, 24));
    assert!(t.contains("Due → Tue 28 Nov 2023"), "the due date is shown resolved before save");
    s.key(KeyCode::Esc).key(KeyCode::Esc).key(KeyCode::Char('?'));
    snapshot("help_160x48", &draw(&s, 160, 48));
    let help = text(&draw(&s, 160, 48));
    for b in qprm::tui::keymap::BINDINGS {
        assert!(help.contains(b.help), "help lists {}", b.label);
    }
    let short = text(&draw(&s, 160, 24));
    assert!(short.contains("quit"), "help fits a short screen in two columns");
}

#[test]
fn attendance_form_and_an_approved_meeting_render() {
    let mut s = screen(Mode::default(), true);
    s.key(KeyCode::Char('w')).type_text("Dev Patel").key(KeyCode::Tab);
    snapshot("attendance_form_80x24", &draw(&s, 80, 24));
    s.key(KeyCode::Esc).key(KeyCode::Esc);
    let mut cli = qprm::store::Store::open(&s.path, "cli").unwrap();
    let noon = chrono::DateTime::parse_from_rfc3339("2023-11-14T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
    cli.approve_meeting(s.app.meeting.id, common::tui::today(), noon).unwrap();
    s.app.reload(&s.store).unwrap();
    let t = text(&draw(&s, 160, 48));
    assert!(t.contains("APPROVED 2023-11-14 (locked)"), "the header says the record is locked: {t}");
}

#[test]
fn present_mode_is_calm() {
    let mut s = screen(Mode { present: true, ..Mode::default() }, true);
    s.key(KeyCode::Char('1'));
    let t = text(&draw(&s, 80, 24));
    assert!(!t.contains("? help"), "no key clutter on the projector");
    assert!(t.contains("1 Data") && !t.contains("2 Audits"), "only the current section's tab");
    snapshot("present_data_80x24", &draw(&s, 80, 24));
    snapshot("present_data_200x50", &draw(&s, 200, 50));
}

#[test]
fn every_screen_survives_every_size_in_colour_and_mono() {
    let sizes = [
        (1, 1),
        (2, 1),
        (1, 5),
        (10, 3),
        (39, 9),
        (40, 10),
        (41, 11),
        (60, 15),
        (80, 24),
        (120, 30),
        (200, 50),
        (400, 120),
    ];
    let mut drawn = 0;
    for colour in [true, false] {
        let mut s = screen(Mode::default(), colour);
        // Overview, each section, then the action form, help and search on top.
        for step in ["", "]", "2", "3", "4", "5", "a", "?", "/"] {
            for c in step.chars() {
                s.key(KeyCode::Char(c));
            }
            for (w, h) in sizes {
                let buf = draw(&s, w, h);
                let t = text(&buf);
                if w < 40 || h < 10 {
                    assert!(t.replace('\n', "").contains("Enlarge") || w * h < 20, "{w}x{h}: {t}");
                }
                assert!(colour || !has_colour(&buf), "NO_COLOR: no colour at {w}x{h} after {step:?}");
                drawn += 1;
            }
            if matches!(step, "a" | "?" | "/") {
                s.key(KeyCode::Esc);
            }
        }
    }
    assert_eq!(drawn, 2 * 9 * 12);
}

#[test]
fn escape_sequences_in_data_never_reach_the_screen() {
    let mut s = screen(Mode::default(), true);
    s.type_text("]d").type_text("ok").key(KeyCode::Enter);
    // A decision with hostile text written straight through the store.
    let meeting = s.app.meeting.id;
    s.store.record_decision(meeting, Some("corporate-parenting"), "evil \u{1b}]0;pwned\u{7}\u{1b}[2Jtext").unwrap();
    s.app.reload(&s.store).unwrap();
    s.key(KeyCode::Char('5'));
    let buf = draw(&s, 160, 48);
    let t = text(&buf);
    assert!(t.contains("evil text"), "{t}");
    assert!(!buf.content.iter().any(|c| c.symbol().chars().any(|ch| ch.is_control())));
}
