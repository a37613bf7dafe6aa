//! Meeting screen rendering: insta snapshots of the overview and every
//! section at 80×24 and 160×48, colour and NO_COLOR; a sweep of sizes that
//! must never panic; and checks that colour never carries meaning alone.

mod common;

use common::tui::{draw, screen, text};
use qprm::tui::app::Mode;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

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

/// Where a terminal puts each symbol of row `y` when it draws the row left to
/// right, each symbol as wide as `qprm::text::width` says (the cells hidden
/// behind a wide symbol are not drawn). A row is sound when every symbol
/// lands on its own cell's x: otherwise the terminal shifts the rest of the
/// row and leaves ghost glyphs behind.
fn misplaced(buf: &Buffer, y: u16) -> Vec<(u16, usize, String)> {
    let mut at = 0usize;
    let mut hidden = 0usize;
    let mut wrong = Vec::new();
    for x in 0..buf.area.width {
        let symbol = buf[(x, y)].symbol();
        if hidden > 0 {
            hidden -= 1;
            continue;
        }
        if at != x as usize {
            wrong.push((x, at, symbol.to_string()));
        }
        let w = qprm::text::width(symbol).max(1);
        at += w;
        hidden = w - 1;
    }
    wrong
}

/// Text of the same shape with nothing hard in it: each cluster of the
/// cleaned text replaced by a plain one of the same width (`¤` for one
/// column, the fullwidth `Ｘ` for two), spaces kept so it wraps alike.
fn placeholder(hard: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    qprm::domain::sanitize::clean(hard)
        .graphemes(true)
        .map(|g| match (g, qprm::text::width(g)) {
            (" ", _) => " ",
            (_, 2) => "Ｘ",
            _ => "¤",
        })
        .collect()
}

/// The sample meeting with a service, its head, its indicators and its
/// actions renamed by `name`, and the screens it draws: the overview, Data
/// and Actions at three sizes.
fn screens_with(name: impl Fn(&str) -> String) -> Vec<(String, Buffer)> {
    let family = "👩\u{200d}👩\u{200d}👧";
    let mut s = screen(Mode::default(), false);
    let conn = rusqlite::Connection::open(&s.path).unwrap();
    let service = name(&format!("Corporate {family} Parenting 🇬🇧 Rene\u{301}e"));
    let head = name("Ame\u{301}lie 🇬🇧 Head of Service, 日本 Parenting");
    conn.execute("UPDATE services SET name = ?1, head = ?2 WHERE id = 'corporate-parenting'", [service, head]).unwrap();
    let indicator = name(&format!("{family} % of 🇬🇧 children seen by Rene\u{301}e"));
    conn.execute("UPDATE indicators SET name = ?1 WHERE service_id = 'corporate-parenting'", [indicator]).unwrap();
    let action = name(&format!("Plan for {family} 🇬🇧 families with Rene\u{301}e, 日本語 too"));
    conn.execute("UPDATE actions SET text = ?1 WHERE service_id = 'corporate-parenting'", [action]).unwrap();
    drop(conn);
    s.app.reload(&s.store).unwrap();
    let sizes = [(80, 24), (100, 30), (160, 48)];
    let mut screens: Vec<(String, Buffer)> =
        sizes.iter().map(|&(w, h)| (format!("overview {w}x{h}"), draw(&s, w, h))).collect();
    s.key(KeyCode::Char(']'));
    for (section, key) in [("data", '1'), ("actions", '4')] {
        s.key(KeyCode::Char(key));
        screens.extend(sizes.iter().map(|&(w, h)| (format!("{section} {w}x{h}"), draw(&s, w, h))));
    }
    screens
}

#[test]
fn joined_emoji_flags_and_combining_marks_keep_every_column_in_place() {
    let hard = screens_with(str::to_string);
    let plain = screens_with(placeholder);
    snapshot("hard_text_overview_100x30", &hard[1].1);
    for ((what, buf), (_, control)) in hard.iter().zip(&plain) {
        let t = text(buf);
        // The joined family comes apart into three emoji; the flag and the
        // accented letter stay whole, one cell each (shown whole where the
        // columns are wide enough for the text).
        assert!(!buf.content.iter().any(|c| c.symbol().contains('\u{200d}')), "{what}: a joiner reached the screen");
        if what.ends_with("160x48") {
            assert!(t.contains("👩👩👧") && t.contains("🇬🇧"), "{what}:\n{t}");
            assert!(buf.content.iter().any(|c| c.symbol() == "e\u{301}"), "{what}: the accent left its letter:\n{t}");
        }
        for y in 0..buf.area.height {
            assert_eq!(misplaced(buf, y), vec![], "{what}: row {y} is out of step:\n{t}");
        }
        // Cell for cell the same screen as with plain text of the same
        // widths: only the hard text's own cells differ, so no column and
        // no other row moved.
        let mut hidden = 0u8;
        for (i, (h, c)) in buf.content.iter().zip(&control.content).enumerate() {
            let own = matches!(c.symbol(), "¤" | "Ｘ") || hidden > 0;
            hidden = if c.symbol() == "Ｘ" { 1 } else { hidden.saturating_sub(1) };
            let (x, y) = (i as u16 % buf.area.width, i as u16 / buf.area.width);
            assert!(
                own || h.symbol() == c.symbol(),
                "{what}: ({x}, {y}) holds {:?}, not {:?}:\n{t}\n{}",
                h.symbol(),
                c.symbol(),
                text(control)
            );
        }
    }
}
