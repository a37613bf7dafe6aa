//! Plain types and rules with no I/O: the clock as the caller sets it, reporting periods, RAG status and
//! direction of travel, action and decision status, action references, date
//! parsing, an action's history in words, the nearest-word suggestion for
//! typos, when two names are the same owner or close to one, and the text
//! sanitiser that keeps data-borne escape sequences off the terminal, the
//! meeting screen's sections, and statistical process control (signal or
//! noise) for an indicator's series.

pub mod action;
pub mod clock;
pub mod dates;
pub mod decision;
pub mod history;
pub mod names;
pub mod nearest;
pub mod period;
pub mod rag;
pub mod sanitize;
pub mod section;
pub mod spc;

pub use action::{ActionStatus, StatusFilter};
pub use decision::DecisionStatus;
pub use period::Period;
pub use rag::{Direction, Polarity, Rag, Unit};
pub use section::{Section, Selection};
