//! The roles a served screen is opened in, chosen by the SSH login name,
//! and the meeting-screen mode each one maps onto.

use crate::tui::app::Mode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An editing screen that takes the chair (`--take-chair`).
    Chair,
    /// An editing screen under the live rules: the minute-taker's while
    /// someone chairs.
    Minutes,
    /// The projector: `--follow --present`.
    Projector,
    /// Lookups only: `--read-only`.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Chair, Role::Minutes, Role::Projector, Role::Viewer];

    /// The role a login name asks for (`ssh chair@host`).
    pub fn from_login(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Minutes => "minutes",
            Role::Projector => "projector",
            Role::Viewer => "viewer",
        }
    }

    pub fn names() -> Vec<&'static str> {
        Role::ALL.iter().map(|r| r.name()).collect()
    }

    /// The same screen a local `qprm` opens with the matching flags.
    pub fn mode(self) -> Mode {
        match self {
            Role::Chair => Mode { take_chair: true, ..Mode::default() },
            Role::Minutes => Mode::default(),
            Role::Projector => Mode { follow: true, present: true, ..Mode::default() },
            Role::Viewer => Mode { read_only: true, ..Mode::default() },
        }
    }

    /// Screens that nobody types on (a projector) are not closed as idle.
    pub fn typed_on(self) -> bool {
        !matches!(self, Role::Projector)
    }
}
