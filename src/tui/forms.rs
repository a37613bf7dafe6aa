//! Capture forms: new action, edit action, carry forward, decision,
//! attendance. Each
//! field is a single-line `ratatui-textarea`; Tab moves between fields, →
//! at the end of the owner field accepts the suggested known owner, Enter
//! validates and submits, Esc cancels, asking once when text would be lost.
//! A new owner close to a known one is questioned before it is saved.

use crate::domain::dates::parse_due;
use crate::domain::names;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;

/// Longest text a field accepts; a pasted novel is cut here, not stored.
pub const MAX_FIELD_CHARS: usize = 2_000;

/// What an empty Service field means.
const SERVICE_PLACEHOLDER: &str = "empty: the meeting's own business";

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    /// `service` is where the form was opened (`None`: the agenda
    /// overview, the meeting's own business); the Service field decides.
    NewAction {
        service: Option<String>,
    },
    EditAction {
        reference: String,
    },
    Carry {
        reference: String,
    },
    Decision {
        service: Option<String>,
    },
    /// The meeting's own: names to add as present or as apologies, or to remove.
    Attendance,
    /// Closing an action (`x`, `s` to done, `D` to drop), with a note: why
    /// it is done, or (needed) why it is dropped.
    Close {
        reference: String,
        to: crate::domain::ActionStatus,
    },
}

/// Separates several names in one attendance field. Not a comma: roles
/// such as "Head of Service, Early Help" contain one.
pub const NAME_SEPARATOR: char = ';';

pub struct Field {
    pub label: &'static str,
    pub input: TextArea<'static>,
    initial: String,
}

impl Field {
    fn new(label: &'static str, value: &str, placeholder: &str) -> Field {
        let mut input = plain_input(vec![value.to_string()]);
        input.set_placeholder_text(placeholder);
        input.move_cursor(ratatui_textarea::CursorMove::End);
        Field { label, input, initial: value.to_string() }
    }

    pub fn value(&self) -> String {
        self.input.lines().join(" ").trim().to_string()
    }
}

/// A text field styled by modifiers only (dim placeholder, reversed
/// selection): the widget's default colours would break `NO_COLOR`.
pub fn plain_input(lines: Vec<String>) -> TextArea<'static> {
    use ratatui::style::{Modifier, Style};
    let mut input = TextArea::new(lines);
    input.set_placeholder_style(Style::new().add_modifier(Modifier::DIM));
    input.set_selection_style(Style::new().add_modifier(Modifier::REVERSED));
    input
}

/// What a submitted form asks for; the app turns it into a store write.
#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    /// `service` is the Service field of a new action (`None`: empty, a
    /// meeting-wide action); edits have no Service field and leave it alone.
    Action {
        text: String,
        owner: String,
        due: NaiveDate,
        service: Option<String>,
        /// The edit form's note on the change (empty: none).
        note: String,
    },
    Close {
        note: String,
    },
    Carry {
        due: NaiveDate,
        note: String,
    },
    Decision {
        text: String,
        /// `None`: the Service field was empty, a meeting-wide decision.
        service: Option<String>,
    },
    Attendance {
        present: Vec<String>,
        apologies: Vec<String>,
        remove: Vec<String>,
    },
}

pub enum Outcome {
    Continue,
    Cancel,
    Submit(Submission),
}

pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Esc was pressed once with unsaved text: the next Esc discards.
    pub confirm_discard: bool,
    /// Enter was pressed with a new owner close to a known one; the
    /// question stands for the next key only.
    owner_question: Option<OwnerQuestion>,
}

/// "New owner 'X': Enter keeps it, → takes 'Y'", pending an answer.
#[derive(Debug, Clone, PartialEq)]
struct OwnerQuestion {
    /// The owner typed, folded: Enter keeps it only if it is still that.
    typed: String,
    /// The known owner → takes.
    known: String,
}

impl Form {
    pub fn new_action(service: Option<&str>) -> Form {
        Form::with(
            FormKind::NewAction { service: service.map(str::to_string) },
            vec![
                Field::new("Action", "", "what needs doing"),
                Field::new("Owner", "", "who (a role or name)"),
                Field::new("Due", "", "31/03/2024, 31 Mar, +2w, end of march"),
                Field::new("Service", service.unwrap_or(""), SERVICE_PLACEHOLDER),
            ],
        )
    }

    pub fn edit_action(reference: &str, text: &str, owner: &str, due: &str) -> Form {
        Form::with(
            FormKind::EditAction { reference: reference.to_string() },
            vec![
                Field::new("Action", text, ""),
                Field::new("Owner", owner, ""),
                Field::new("Due", due, ""),
                Field::new("Note", "", "why, for the record (optional)"),
            ],
        )
    }

    /// Closing `reference` as `to` (done or dropped), with a note.
    pub fn close(reference: &str, to: crate::domain::ActionStatus) -> Form {
        let placeholder = match to {
            crate::domain::ActionStatus::Dropped => "why it is dropped (needed)",
            _ => "e.g. all booked (optional: Enter saves without one)",
        };
        Form::with(FormKind::Close { reference: reference.to_string(), to }, vec![Field::new("Note", "", placeholder)])
    }

    pub fn carry(reference: &str) -> Form {
        Form::with(
            FormKind::Carry { reference: reference.to_string() },
            vec![
                Field::new("New due", "", "+1m, end of next month, 2024-01-31"),
                Field::new("Note", "", "update given at this meeting"),
            ],
        )
    }

    pub fn decision(service: Option<&str>) -> Form {
        Form::with(
            FormKind::Decision { service: service.map(str::to_string) },
            vec![
                Field::new("Decision", "", "what was agreed"),
                Field::new("Service", service.unwrap_or(""), SERVICE_PLACEHOLDER),
            ],
        )
    }

    /// The Service field's value: `None` when empty (meeting-wide).
    fn service_value(&self) -> Option<String> {
        self.field("Service").map(Field::value).filter(|s| !s.is_empty())
    }

    pub fn attendance() -> Form {
        Form::with(
            FormKind::Attendance,
            vec![
                Field::new("Present", "", "arrived late: a name; several: A; B"),
                Field::new("Apologies", "", "sent apologies: a name (moves them from present); several: A; B"),
                Field::new("Remove", "", "recorded in error: a name; several: A; B"),
            ],
        )
    }

    fn with(kind: FormKind, fields: Vec<Field>) -> Form {
        let mut form = Form { kind, fields, focus: 0, error: None, confirm_discard: false, owner_question: None };
        form.show_cursor();
        form
    }

    /// Only the focused field shows a cursor.
    fn show_cursor(&mut self) {
        use ratatui::style::{Modifier, Style};
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.input.set_cursor_line_style(Style::new());
            f.input.set_cursor_style(if i == self.focus {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            });
        }
    }

    /// (kind, target, field texts) for saving as a draft.
    pub fn to_draft(&self) -> (&'static str, String, Vec<String>) {
        let (kind, target) = match &self.kind {
            FormKind::NewAction { service } => ("new_action", service.clone().unwrap_or_default()),
            FormKind::EditAction { reference } => ("edit_action", reference.clone()),
            FormKind::Carry { reference } => ("carry", reference.clone()),
            FormKind::Decision { service } => ("decision", service.clone().unwrap_or_default()),
            // The meeting is the draft's own; there is nothing more to name.
            FormKind::Attendance => ("attendance", String::new()),
            FormKind::Close { reference, to } => match to {
                crate::domain::ActionStatus::Dropped => ("drop", reference.clone()),
                _ => ("done", reference.clone()),
            },
        };
        (kind, target, self.fields.iter().map(Field::value).collect())
    }

    /// Rebuilds a form from a saved draft; `None` if the draft is not one of ours.
    pub fn from_draft(kind: &str, target: &str, fields: &[String]) -> Option<Form> {
        let service = (!target.is_empty()).then_some(target);
        let mut form = match kind {
            "new_action" => Form::new_action(service),
            "edit_action" => Form::edit_action(target, "", "", ""),
            "carry" => Form::carry(target),
            "decision" => Form::decision(service),
            "attendance" => Form::attendance(),
            "done" => Form::close(target, crate::domain::ActionStatus::Done),
            "drop" => Form::close(target, crate::domain::ActionStatus::Dropped),
            _ => return None,
        };
        for (field, text) in form.fields.iter_mut().zip(fields) {
            let label = field.label;
            *field = Field { initial: String::new(), ..Field::new(label, text, "") };
        }
        form.show_cursor();
        Some(form)
    }

    pub fn title(&self) -> String {
        match &self.kind {
            FormKind::NewAction { .. } => match self.service_value() {
                Some(_) => "New action".into(),
                None => "New action for the meeting (no service)".into(),
            },
            FormKind::EditAction { reference } => format!("Edit action {reference}"),
            FormKind::Carry { reference } => format!("Carry forward {reference}"),
            FormKind::Decision { .. } => match self.service_value() {
                Some(_) => "Record a decision".into(),
                None => "Record a decision for the meeting (no service)".into(),
            },
            FormKind::Attendance => "Attendance".into(),
            FormKind::Close { reference, to } => match to {
                crate::domain::ActionStatus::Dropped => format!("Drop {reference}: why?"),
                _ => format!("Mark {reference} done · a note for the record (Enter: none)"),
            },
        }
    }

    /// Text typed that would be lost on cancel.
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| f.value() != f.initial.trim())
    }

    fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    fn due_field(&self) -> Option<&Field> {
        self.field("Due").or_else(|| self.field("New due"))
    }

    /// The due date as it will be saved, for showing before save.
    pub fn due_preview(&self, today: NaiveDate) -> Option<Result<NaiveDate, String>> {
        let f = self.due_field()?;
        let v = f.value();
        (!v.is_empty()).then(|| parse_due(&v, today))
    }

    /// The known owner → takes (and the Owner field's title offers): while
    /// a new owner is questioned, the one the question names; else, as
    /// completion, the shortest known owner that starts with (or contains)
    /// what is typed; else one it is close to (`names::nearest_known`, as
    /// the CLI's warning). Nothing when what is typed is a known owner,
    /// apart from case or spacing.
    pub fn owner_suggestion<'o>(&'o self, owners: &'o [String]) -> Option<&'o str> {
        if let Some(q) = &self.owner_question {
            return Some(&q.known);
        }
        let typed = names::fold(&self.field("Owner")?.value());
        if typed.chars().count() < 2 || owners.iter().any(|o| names::fold(o) == typed) {
            return None;
        }
        // The shortest completion is the likeliest: "Head of Service, Early
        // Help" before a joint role that also names it.
        let shortest = |matches: &dyn Fn(&str) -> bool| {
            owners.iter().filter(|o| matches(&names::fold(o))).min_by_key(|o| o.chars().count()).map(String::as_str)
        };
        shortest(&|o| o.starts_with(&typed))
            .or_else(|| shortest(&|o| o.contains(&typed)))
            .or_else(|| names::nearest_known(&typed, owners.iter().map(String::as_str)))
    }

    /// Puts `known` in the Owner field, as typed there, cursor at its end.
    fn take_owner(&mut self, known: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.label == "Owner") {
            let initial = self.fields[i].initial.clone();
            self.fields[i] = Field { initial, ..Field::new("Owner", known, "") };
            self.focus = i;
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, owners: &[String], today: NaiveDate) -> Outcome {
        let outcome = self.handle_key_inner(key, owners, today);
        self.show_cursor();
        outcome
    }

    fn handle_key_inner(&mut self, key: KeyEvent, owners: &[String], today: NaiveDate) -> Outcome {
        // A line feed arrives as Ctrl+J in raw mode (a terminal or SSH
        // client closing sends "\n" and EOF), and the text widget would
        // take Ctrl+J as "delete the line": in a one-line field it is
        // nothing, so typed text is never wiped, nor its draft cleared.
        if key.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('j' | 'm'))
        {
            return Outcome::Continue;
        }
        // A question about a new owner is answered by the next key: Enter
        // keeps the name, → takes the known one; any other key goes on editing.
        let question = self.owner_question.take();
        if key.code == KeyCode::Esc {
            if self.is_dirty() && !self.confirm_discard {
                self.confirm_discard = true;
                self.error = Some("Unsaved text: press Esc again to discard it, or keep typing".into());
                return Outcome::Continue;
            }
            return Outcome::Cancel;
        }
        self.confirm_discard = false;
        match key.code {
            KeyCode::Enter => {
                self.owner_question = question;
                return self.submit(today, owners);
            }
            KeyCode::Right if question.is_some() => {
                if let Some(q) = question {
                    self.take_owner(&q.known);
                }
                self.error = None;
            }
            KeyCode::Tab => self.focus = (self.focus + 1) % self.fields.len(),
            // → at the end of the owner field accepts the suggestion; Tab never
            // does, so a new owner whose name starts like a known one is kept.
            KeyCode::Right if self.fields[self.focus].label == "Owner" && self.at_end_of_field() => {
                match self.owner_suggestion(owners).map(str::to_string) {
                    Some(s) => self.take_owner(&s),
                    None => {
                        self.fields[self.focus].input.input(key);
                    }
                }
            }
            KeyCode::BackTab => self.focus = (self.focus + self.fields.len() - 1) % self.fields.len(),
            KeyCode::Char(_) if self.fields[self.focus].value().chars().count() >= MAX_FIELD_CHARS => {
                self.error =
                    Some(format!("{} is limited to {MAX_FIELD_CHARS} characters", self.fields[self.focus].label));
            }
            _ => {
                self.fields[self.focus].input.input(key);
                self.error = None;
            }
        }
        Outcome::Continue
    }

    fn at_end_of_field(&self) -> bool {
        let input = &self.fields[self.focus].input;
        let ratatui_textarea::DataCursor(row, col) = input.cursor();
        input.lines().get(row).is_none_or(|l| col >= l.chars().count())
    }

    /// Inserts pasted text into the focused field, bounded and on one line.
    pub fn paste(&mut self, text: &str) {
        let field = &mut self.fields[self.focus];
        let room = MAX_FIELD_CHARS.saturating_sub(field.value().chars().count());
        // Cut between grapheme clusters, so a long paste never ends in half an emoji.
        let clean = crate::domain::sanitize::clean(text);
        field.input.insert_str(crate::text::take_chars(&clean, room));
    }

    fn submit(&mut self, today: NaiveDate, owners: &[String]) -> Outcome {
        match self.validate(today) {
            Ok(_) if self.question_owner(owners) => Outcome::Continue,
            Ok(s) => Outcome::Submit(s),
            Err((field, msg)) => {
                self.focus = field;
                self.error = Some(msg);
                Outcome::Continue
            }
        }
    }

    /// Whether to ask about the owner instead of saving: a new owner close
    /// to a known one is asked about once (after every other check passed,
    /// so the next Enter saves); an Enter that answers the question for
    /// the same name keeps it. A slip then never makes a second owner
    /// unnoticed, and a real new owner costs one more key.
    fn question_owner(&mut self, owners: &[String]) -> bool {
        let Some(i) = self.fields.iter().position(|f| f.label == "Owner") else {
            return false;
        };
        let typed = self.fields[i].value();
        if self.owner_question.as_ref().is_some_and(|q| q.typed == names::fold(&typed)) {
            self.owner_question = None;
            return false;
        }
        self.owner_question = None;
        let Some(near) = names::nearest_known(&typed, owners.iter().map(String::as_str)) else {
            return false;
        };
        // The one → would take anyway, so the question and the key agree.
        let known = self.owner_suggestion(owners).unwrap_or(near).to_string();
        self.error = Some(format!("New owner '{}': Enter keeps it, → takes '{known}'", names::tidy(&typed)));
        self.owner_question = Some(OwnerQuestion { typed: names::fold(&typed), known });
        self.focus = i;
        self.fields[i].input.move_cursor(ratatui_textarea::CursorMove::End);
        true
    }

    fn validate(&self, today: NaiveDate) -> Result<Submission, (usize, String)> {
        let value = |i: usize| self.fields[i].value();
        let required = |i: usize, what: &str| {
            let v = value(i);
            if v.is_empty() { Err((i, format!("{what} is needed"))) } else { Ok(v) }
        };
        let due = |i: usize| parse_due(&value(i), today).map_err(|e| (i, e));
        match self.kind {
            FormKind::NewAction { .. } | FormKind::EditAction { .. } => Ok(Submission::Action {
                text: required(0, "The action's text")?,
                owner: required(1, "An owner")?,
                due: due(2)?,
                service: self.service_value(),
                note: self.field("Note").map(Field::value).unwrap_or_default(),
            }),
            FormKind::Close { to: crate::domain::ActionStatus::Dropped, .. } => {
                Ok(Submission::Close { note: required(0, "A reason for dropping it")? })
            }
            FormKind::Close { .. } => Ok(Submission::Close { note: value(0) }),
            FormKind::Carry { .. } => Ok(Submission::Carry { due: due(0)?, note: value(1) }),
            FormKind::Decision { .. } => {
                Ok(Submission::Decision { text: required(0, "The decision's text")?, service: self.service_value() })
            }
            FormKind::Attendance => {
                let names = |i: usize| -> Vec<String> {
                    value(i).split(NAME_SEPARATOR).map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect()
                };
                let (present, apologies, remove) = (names(0), names(1), names(2));
                if present.is_empty() && apologies.is_empty() && remove.is_empty() {
                    return Err((0, "Type a name: someone present, an apology, or a name to remove".into()));
                }
                Ok(Submission::Attendance { present, apologies, remove })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 11, 14).unwrap()
    }

    fn type_text(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.handle_key(KeyEvent::from(KeyCode::Char(c)), &[], today());
        }
    }

    fn press(form: &mut Form, code: KeyCode, owners: &[String]) -> Outcome {
        form.handle_key(KeyEvent::from(code), owners, today())
    }

    #[test]
    fn action_form_fills_validates_and_submits() {
        let owners = vec!["Head of Service, Early Help".to_string()];
        let mut f = Form::new_action(Some("early-help"));
        assert!(matches!(press(&mut f, KeyCode::Enter, &owners), Outcome::Continue));
        assert_eq!(f.error.as_deref(), Some("The action's text is needed"));
        type_text(&mut f, "Audit the front door");
        press(&mut f, KeyCode::Tab, &owners);
        type_text(&mut f, "head of service, ea");
        assert_eq!(f.owner_suggestion(&owners), Some("Head of Service, Early Help"));
        press(&mut f, KeyCode::Right, &owners); // accepts the suggestion
        assert_eq!(f.fields[1].value(), "Head of Service, Early Help");
        press(&mut f, KeyCode::Tab, &owners); // moves to Due
        type_text(&mut f, "soon");
        assert!(matches!(f.due_preview(today()), Some(Err(_))));
        assert!(matches!(press(&mut f, KeyCode::Enter, &owners), Outcome::Continue));
        assert!(f.error.as_deref().unwrap().contains("not a date I understand"));
        for _ in 0..4 {
            press(&mut f, KeyCode::Backspace, &owners);
        }
        type_text(&mut f, "+2w");
        assert_eq!(f.due_preview(today()), Some(Ok(NaiveDate::from_ymd_opt(2023, 11, 28).unwrap())));
        match press(&mut f, KeyCode::Enter, &owners) {
            Outcome::Submit(Submission::Action { text, owner, due, service, .. }) => {
                assert_eq!(service.as_deref(), Some("early-help"), "defaults to the current service");
                assert_eq!(text, "Audit the front door");
                assert_eq!(owner, "Head of Service, Early Help");
                assert_eq!(due.to_string(), "2023-11-28");
            }
            _ => panic!("expected a submission"),
        }
    }

    #[test]
    fn the_owner_suggestion_completes_the_shortest_then_corrects_a_slip() {
        let owners: Vec<String> = [
            "Director of Children's Services and Head of Service, Corporate Parenting",
            "Head of Service, Corporate Parenting",
            "Head of Service, Corporate Parenting and Participation Team Leader",
        ]
        .map(String::from)
        .to_vec();
        let hos = Some("Head of Service, Corporate Parenting");
        for (typed, expected) in [
            ("head of service, corp", hos),
            ("corporate parenting", hos),
            ("Corprate Parenting", hos),
            ("HEAD OF SERVICE,  corporate parenting", None),
            ("Dev Patel", None),
        ] {
            let mut f = Form::new_action(None);
            press(&mut f, KeyCode::Tab, &owners);
            type_text(&mut f, typed);
            assert_eq!(f.owner_suggestion(&owners), expected, "{typed:?}");
        }
    }

    #[test]
    fn tab_never_replaces_a_typed_owner() {
        let owners = vec!["Principal Social Worker and Social Work Academy".to_string()];
        let mut f = Form::new_action(Some("x"));
        press(&mut f, KeyCode::Tab, &owners);
        type_text(&mut f, "Principal Social Worker");
        assert!(f.owner_suggestion(&owners).is_some());
        press(&mut f, KeyCode::Tab, &owners);
        assert_eq!((f.focus, f.fields[1].value().as_str()), (2, "Principal Social Worker"));
    }

    #[test]
    fn esc_asks_before_discarding_typed_text() {
        let mut f = Form::decision(Some("x"));
        assert!(matches!(press(&mut f, KeyCode::Esc, &[]), Outcome::Cancel), "nothing typed: cancel at once");
        let mut f = Form::decision(Some("x"));
        type_text(&mut f, "Agree");
        assert!(matches!(press(&mut f, KeyCode::Esc, &[]), Outcome::Continue));
        assert!(f.confirm_discard);
        assert!(matches!(press(&mut f, KeyCode::Esc, &[]), Outcome::Cancel));
    }

    #[test]
    fn drafts_round_trip() {
        let mut f = Form::new_action(Some("early-help"));
        type_text(&mut f, "Half typed");
        let (kind, target, fields) = f.to_draft();
        let back = Form::from_draft(kind, &target, &fields).unwrap();
        assert_eq!(back.kind, f.kind);
        assert_eq!(back.fields[0].value(), "Half typed");
        assert!(back.is_dirty(), "a restored draft counts as unsaved text");
        assert!(Form::from_draft("nonsense", "x", &[]).is_none());
    }

    #[test]
    fn paste_is_bounded_and_sanitised() {
        let mut f = Form::decision(Some("x"));
        f.paste(&"x\u{1b}[2J".repeat(10_000));
        assert_eq!(f.fields[0].value().chars().count(), MAX_FIELD_CHARS);
        assert!(!f.fields[0].value().contains('\u{1b}'));
    }

    #[test]
    fn an_emptied_service_field_makes_the_item_the_meetings_own() {
        let mut f = Form::decision(Some("early-help"));
        type_text(&mut f, "Move the meeting to Tuesdays");
        assert_eq!(f.title(), "Record a decision");
        press(&mut f, KeyCode::Tab, &[]);
        for _ in 0.."early-help".len() {
            press(&mut f, KeyCode::Backspace, &[]);
        }
        assert_eq!(f.title(), "Record a decision for the meeting (no service)");
        match press(&mut f, KeyCode::Enter, &[]) {
            Outcome::Submit(Submission::Decision { text, service }) => {
                assert_eq!((text.as_str(), service), ("Move the meeting to Tuesdays", None));
            }
            _ => panic!("expected a submission"),
        }
        let f = Form::new_action(None);
        assert_eq!(f.title(), "New action for the meeting (no service)");
        assert_eq!(f.fields[3].value(), "", "opened on the overview: no service filled in");
    }

    #[test]
    fn a_stray_line_feed_never_wipes_typed_text() {
        use ratatui::crossterm::event::KeyModifiers;
        let mut f = Form::decision(None);
        type_text(&mut f, "Typed as the lid closed");
        for c in ['j', 'm'] {
            f.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), &[], today());
        }
        assert_eq!(f.fields[0].value(), "Typed as the lid closed");
    }
}
