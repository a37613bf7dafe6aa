//! The chart view of an indicator (`v`, or `Enter` in Data): snapshots at
//! 80×24 and 160×48 with the screen's glyphs and the ASCII table, what it
//! must show (limits, mean, target, baseline, both kinds of special cause,
//! periods), and the keys that open, move and close it.

mod common;

use qprm::pack::parse_bytes;
use qprm::store::{ImportOptions, NewMeeting, Store};
use qprm::tui::app::{App, Mode, Overlay};
use qprm::tui::render::chart::{ASCII, Glyphs, UNICODE, render_with};
use qprm::tui::render::render;
use qprm::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// 24 months of TEST-PCT (higher is better, baseline 50, target 80): a
/// calm year, one month far below the limits, then a rise of eleven.
const SERIES: [f64; 24] = [
    62.0, 58.0, 61.0, 57.0, 63.0, 59.0, 60.0, 58.0, 62.0, 61.0, 59.0, 60.0, 40.0, 58.0, 60.0, 62.0, 64.0, 66.0, 68.0,
    70.0, 71.0, 72.0, 73.0, 74.0,
];

struct Chart {
    _dir: tempfile::TempDir,
    store: Store,
    app: App,
}

fn chart_screen() -> Chart {
    screen_with(&SERIES)
}

fn screen_with(series: &[f64]) -> Chart {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("qprm.db"), "chair").unwrap();
    let mut packs = Vec::new();
    for (i, v) in series.iter().enumerate() {
        let mut pack = common::base_pack();
        pack["period"] = format!("{}-{:02}", 2022 + i / 12, i % 12 + 1).into();
        pack["services"][0]["data"][0]["value"] = (*v).into();
        pack["actions"] = serde_json::json!([]);
        let known = store.known().unwrap();
        packs.push(parse_bytes(&format!("{i}.json"), &serde_json::to_vec(&pack).unwrap(), &known).unwrap());
        store.import_packs(&packs[i..], ImportOptions::default()).unwrap();
    }
    let meeting = store
        .create_meeting(&NewMeeting {
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 16),
            period: format!("{}-{:02}", 2022 + (series.len() - 1) / 12, (series.len() - 1) % 12 + 1).parse().ok(),
            chair: Some("Director".into()),
            agenda: vec!["corporate-parenting".into()],
            ..Default::default()
        })
        .unwrap();
    let app = App::new(&store, meeting.id, Mode::default(), false, common::tui::today()).unwrap();
    Chart { _dir: dir, store, app }
}

impl Chart {
    fn key(&mut self, code: KeyCode) -> &mut Self {
        if let Some(effect) = self.app.on_key(KeyEvent::new(code, KeyModifiers::NONE)) {
            self.app.perform(&mut self.store, effect).unwrap();
        }
        self
    }
}

fn draw_with(app: &App, w: u16, h: u16, g: &Glyphs) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render_with(app, f, f.area(), Theme { colour: false, ascii: g.ascii }, g)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let w = buf.area.width as usize;
    let cells: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
    cells.chunks(w).map(|row| row.concat().trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn v_and_enter_open_the_chart_arrows_move_and_esc_closes() {
    let mut s = chart_screen();
    s.key(KeyCode::Char('v'));
    assert!(matches!(s.app.overlay, Overlay::None), "no chart on the agenda overview");
    assert!(s.app.status.as_deref().unwrap_or("").contains("Data"));
    s.key(KeyCode::Char(']')).key(KeyCode::Char('v'));
    assert!(matches!(s.app.overlay, Overlay::Chart));
    s.key(KeyCode::Down);
    assert!(matches!(s.app.overlay, Overlay::Chart), "arrows keep the chart open");
    s.key(KeyCode::Esc);
    assert!(matches!(s.app.overlay, Overlay::None));
    s.key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Overlay::Chart), "Enter in Data opens it too");
    s.key(KeyCode::Char('q'));
    assert!(matches!(s.app.overlay, Overlay::None) && !s.app.quit, "q closes the chart, not the screen");
    s.key(KeyCode::Char('2')).key(KeyCode::Char('v'));
    assert!(matches!(s.app.overlay, Overlay::Chart), "v from another section charts the Data selection");
    assert_eq!(s.app.section, qprm::domain::Section::Data);
}

#[test]
fn the_chart_shows_limits_lines_special_causes_and_periods() {
    let mut s = chart_screen();
    s.key(KeyCode::Char(']')).key(KeyCode::Char('v'));
    for (w, h) in [(80, 24), (160, 48), (200, 56)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| render(&s.app, f)).unwrap();
        let t = text(terminal.backend().buffer());
        for want in [
            "TEST-PCT",
            "Variation: special cause: improvement",
            "Assurance: will consistently",
            "limits 56.3%–68.5%",
            "target 80%",
            "baseline 50%",
            "2022-01",
            "2023-12",
        ] {
            assert!(t.contains(want), "{w}×{h}: {want} missing\n{t}");
        }
        let plot: String = t.lines().skip(4).collect();
        assert!(plot.contains('!'), "{w}×{h}: the low month is marked as a concern");
        assert!(plot.contains('+'), "{w}×{h}: the rise is marked as an improvement");
        assert!(plot.contains('━') && plot.contains('┈') && plot.contains('─'), "{w}×{h}: target, limits and mean");
        assert!(t.lines().count() == h as usize);
    }
}

#[test]
fn chart_snapshots() {
    let mut s = chart_screen();
    s.key(KeyCode::Char(']')).key(KeyCode::Char('v'));
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("chart_{w}x{h}"), text(&draw_with(&s.app, w, h, &UNICODE)));
        let ascii = text(&draw_with(&s.app, w, h, &ASCII));
        assert!(ascii.is_ascii(), "the ASCII table draws ASCII only:\n{ascii}");
        insta::assert_snapshot!(format!("chart_{w}x{h}_ascii"), ascii);
    }
}

#[test]
fn the_agenda_overview_counts_special_cause_concerns() {
    // A calm year, then seven months falling: higher is better, so a concern.
    let mut v: Vec<f64> = (0..12).map(|i| if i % 2 == 0 { 62.0 } else { 58.0 }).collect();
    v.extend([61.0, 60.0, 59.0, 58.0, 57.0, 56.0, 55.0]);
    let s = screen_with(&v);
    assert_eq!(s.app.agenda[0].spc_concern, 1);
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).unwrap();
    terminal.draw(|f| render(&s.app, f)).unwrap();
    let t = text(terminal.backend().buffer());
    assert!(t.contains("!1"), "{t}");
    let calm = chart_screen();
    assert_eq!(calm.app.agenda[0].spc_concern, 0, "the latest month is an improvement");
}
