//! The five sections of a service on the meeting screen, as a type: their
//! order, titles and keys, and a selection kept per section. Adding a
//! section is one variant here; the compiler then lists every place that
//! must handle it (no `% 5`, no `_ =>` arm that would send it elsewhere).

use std::ops::{Index, IndexMut};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Section {
    #[default]
    Data,
    Audits,
    Feedback,
    Actions,
    Decisions,
}

impl Section {
    /// In screen order: Tab steps through them, `1`–`5` jump to them.
    pub const ALL: [Section; 5] =
        [Section::Data, Section::Audits, Section::Feedback, Section::Actions, Section::Decisions];

    pub fn title(self) -> &'static str {
        match self {
            Section::Data => "Data",
            Section::Audits => "Audits",
            Section::Feedback => "Feedback",
            Section::Actions => "Actions",
            Section::Decisions => "Decisions",
        }
    }

    /// The key that jumps to it, and its number on the tab line.
    pub fn key(self) -> char {
        match self {
            Section::Data => '1',
            Section::Audits => '2',
            Section::Feedback => '3',
            Section::Actions => '4',
            Section::Decisions => '5',
        }
    }

    /// Its place in `ALL` (also how it is stored in the chair's position).
    pub fn index(self) -> usize {
        Section::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    /// The section stored at `i`; `None` for a number no section has (a
    /// newer qprm's section, read by an older one).
    pub fn from_index(i: usize) -> Option<Section> {
        Section::ALL.get(i).copied()
    }

    /// Tab: the next section, round to the first.
    pub fn next(self) -> Section {
        Section::ALL[(self.index() + 1) % Section::ALL.len()]
    }

    /// Shift-Tab: the previous section, round to the last.
    pub fn prev(self) -> Section {
        Section::ALL[(self.index() + Section::ALL.len() - 1) % Section::ALL.len()]
    }
}

/// The selected row in each section's list, kept while moving between
/// sections of one service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    rows: [usize; Section::ALL.len()],
}

impl Index<Section> for Selection {
    type Output = usize;
    fn index(&self, s: Section) -> &usize {
        &self.rows[s.index()]
    }
}

impl IndexMut<Section> for Selection {
    fn index_mut(&mut self, s: Section) -> &mut usize {
        &mut self.rows[s.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_walks_every_section_and_wraps() {
        let mut s = Section::Data;
        for want in Section::ALL.iter().cycle().skip(1).take(Section::ALL.len()) {
            s = s.next();
            assert_eq!(s, *want);
        }
        assert_eq!(Section::Data.prev(), Section::Decisions);
        for s in Section::ALL {
            assert_eq!(Section::from_index(s.index()), Some(s));
        }
        assert_eq!(Section::from_index(Section::ALL.len()), None);
    }
}
