//! Plain-text tables for human output. Every cell is sanitised here, so no
//! command can print a control character or escape sequence from data, and
//! long cells are cut with an ellipsis so one field never breaks a row.

use crate::domain::sanitize::clean;
use std::io::Write;

pub struct Table {
    headers: Vec<&'static str>,
    /// Widest each column may grow before its cells are cut.
    limits: Vec<usize>,
    rows: Vec<Vec<Cell>>,
}

pub struct Cell {
    text: String,
    /// An SGR colour code applied around the (already clean) text, when colour is on.
    colour: Option<&'static str>,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell { text: clean(&s), colour: None }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell { text: clean(s), colour: None }
    }
}

impl Cell {
    pub fn coloured(text: &str, colour: Option<&'static str>) -> Cell {
        Cell { text: clean(text), colour }
    }
}

use crate::text::{truncate, width};

impl Table {
    pub fn new(columns: &[(&'static str, usize)]) -> Table {
        Table {
            headers: columns.iter().map(|c| c.0).collect(),
            limits: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn print(&mut self, out: &mut dyn Write, colour: bool) -> std::io::Result<()> {
        for row in &mut self.rows {
            for (cell, limit) in row.iter_mut().zip(&self.limits) {
                cell.text = truncate(&cell.text, *limit);
            }
        }
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| width(&c.text))
                    .chain([width(self.headers[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let last = self.headers.len().saturating_sub(1);
        // Each line is built in one reused buffer and written once.
        let mut line = String::new();
        for (i, h) in self.headers.iter().enumerate() {
            pad_into(&mut line, h, widths[i], i == last, None);
        }
        writeln!(out, "{line}")?;
        for row in &self.rows {
            line.clear();
            for (i, c) in row.iter().enumerate() {
                pad_into(&mut line, &c.text, widths[i], i == last, c.colour.filter(|_| colour));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// Appends one cell: two spaces before all but the first, padded to `w`
/// columns unless it is the last, wrapped in its colour when given.
fn pad_into(line: &mut String, s: &str, w: usize, last: bool, colour: Option<&str>) {
    use std::fmt::Write as _;
    if !line.is_empty() {
        line.push_str("  ");
    }
    if let Some(code) = colour {
        let _ = write!(line, "\x1b[{code}m");
    }
    line.push_str(s);
    if !last {
        line.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    }
    if colour.is_some() {
        line.push_str("\x1b[0m");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_sanitised() {
        let mut t = Table::new(&[("a", 20), ("b", 20)]);
        t.row(vec!["\x1b[2Jx".into(), "y\u{7}".into()]);
        let mut out = Vec::new();
        t.print(&mut out, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains('\x1b') && !s.contains('\u{7}'), "{s:?}");
        assert!(s.contains("x  y"));
    }
}
