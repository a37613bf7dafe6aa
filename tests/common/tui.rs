//! Building a meeting screen on a fresh database loaded with the samples,
//! and feeding it keys the way the event loop does.

use chrono::NaiveDate;
use qprm::store::Store;
use qprm::tui::app::{App, Mode};
use qprm::tui::render::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct Screen {
    pub _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
    pub store: Store,
    pub app: App,
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 14).unwrap()
}

pub fn screen(mode: Mode, colour: bool) -> Screen {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qprm.db");
    let mut store = Store::open(&path, "chair").unwrap();
    let meeting = qprm::samples::load_samples(&mut store).unwrap();
    let app = App::new(&store, meeting, mode, colour, today()).unwrap();
    Screen { _dir: dir, path, store, app }
}

impl Screen {
    /// One key through the app, performing any effect as the loop would.
    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.key_event(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn key_event(&mut self, key: KeyEvent) -> &mut Self {
        if let Some(effect) = self.app.on_key(key) {
            self.app.perform(&mut self.store, effect).unwrap();
        }
        self
    }

    pub fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }
}

/// The screen drawn at `w`×`h`, as the render tests and snapshots see it.
pub fn draw(s: &Screen, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(&s.app, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as a terminal shows it: a wide symbol's hidden second cell
/// is not a space of its own.
pub fn text(buf: &Buffer) -> String {
    let w = buf.area.width as usize;
    let mut hidden = 0;
    let cells: Vec<&str> = buf
        .content
        .iter()
        .map(|c| {
            let shown = if hidden > 0 { "" } else { c.symbol() };
            hidden = if hidden > 0 { hidden - 1 } else { qprm::text::width(shown).saturating_sub(1) };
            shown
        })
        .collect();
    cells.chunks(w).map(|row| row.concat().trim_end().to_string()).collect::<Vec<_>>().join("\n")
}
