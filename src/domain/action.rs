//! Action status, the status filter the action log offers, and the rules
//! for action references (pack refs like `1.5`, generated refs like `A17`).

use super::rag::str_enum;

str_enum!(ActionStatus { Open = "open", InProgress = "in_progress", Done = "done", Dropped = "dropped" });

impl ActionStatus {
    /// Done and dropped actions are closed: never overdue, not carried forward.
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Dropped)
    }

    /// The order the meeting screen's `s` key cycles through.
    pub fn cycle(self) -> ActionStatus {
        match self {
            ActionStatus::Open => ActionStatus::InProgress,
            ActionStatus::InProgress => ActionStatus::Done,
            ActionStatus::Done => ActionStatus::Dropped,
            ActionStatus::Dropped => ActionStatus::Open,
        }
    }
}

str_enum!(
    /// `open` means not yet closed (open and in_progress), `overdue` is open
    /// with a due date before today.
    StatusFilter { Open = "open", Overdue = "overdue", Done = "done", Dropped = "dropped", All = "all" }
);

/// Pack refs are short and typable: a letter or digit, then letters, digits,
/// `.`, `-` or `_`, at most 16 characters.
pub fn valid_ref(r: &str) -> bool {
    let mut chars = r.chars();
    r.len() <= 16
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Refs the store generates for new actions: `A` and a sequence number,
/// short enough to say aloud in a meeting ("action A17").
pub fn generated_ref(n: i64) -> String {
    format!("A{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs() {
        for ok in ["1.5", "A17", "4.9", "QA-2", "x_1"] {
            assert!(valid_ref(ok), "{ok}");
        }
        for bad in ["", ".5", "a b", "1.5!", "abcdefghijklmnopq", "é1"] {
            assert!(!valid_ref(bad), "{bad}");
        }
        assert_eq!(generated_ref(17), "A17");
    }

    #[test]
    fn status_rules() {
        assert!(!ActionStatus::Open.is_closed());
        assert!(!ActionStatus::InProgress.is_closed());
        assert!(ActionStatus::Done.is_closed());
        assert!(ActionStatus::Dropped.is_closed());
        let mut s = ActionStatus::Open;
        for _ in 0..4 {
            s = s.cycle();
        }
        assert_eq!(s, ActionStatus::Open);
    }
}
