//! Styles for the meeting screen. With colour off (NO_COLOR, monochrome
//! projector) every style falls back to bold/reverse/underline, and RAG
//! always carries its symbol and word, so nothing depends on colour alone.

use crate::domain::Rag;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub colour: bool,
    /// Plain glyphs (`tui::glyphs`): drawn in ASCII.
    pub ascii: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.colour { Style::new().fg(c) } else { Style::new() }
    }

    pub fn rag(self, rag: Rag) -> Style {
        match rag {
            Rag::Red => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Rag::Amber => self.fg(Color::Yellow),
            Rag::Green => self.fg(Color::Green),
            Rag::None => self.dim(),
        }
    }

    pub fn overdue(self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn tab_active(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.colour { Style::new().fg(Color::DarkGray) } else { Style::new() }
    }

    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}
