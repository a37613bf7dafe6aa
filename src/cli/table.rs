//! Plain-text tables for human output, and their layout. Every cell is
//! sanitised here, so no command can print a control character or escape
//! sequence from data, and nothing in a cell is ever cut:
//!
//! - piped (`Layout::Lines`), a row is one line with every cell whole, so
//!   `grep` and `cut` see one row per line;
//! - on a terminal (`Layout::Fit`), the table fits the terminal's width: the
//!   table's text column (an action's text, an indicator's name) takes the
//!   spare width and wraps at word boundaries onto continuation lines;
//!   codes, dates and numbers stay whole, and names (an owner, a chair)
//!   wrap only when the text column would otherwise be squeezed.
//!
//! Widths are measured by `crate::text`, a grapheme cluster at a time.

use crate::domain::sanitize::clean;
use crate::text::{width, wrap};
use std::io::{IsTerminal, Write};

/// Narrowest table a terminal layout makes: below it rows still wrap at
/// this width (and the terminal folds them) rather than into slivers.
pub const MIN_WIDTH: usize = 60;

/// The text column's share of a narrow terminal before the other columns
/// start wrapping to make room for it.
const TEXT_MIN: usize = 30;

/// Narrower than this, the text column is too thin to read as a column:
/// the table is shown as records instead.
const TEXT_LEAST: usize = 20;

/// Spaces between columns.
const GAP: usize = 2;

/// How a table is laid out: decided once per command from where stdout goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One line a row, every cell whole: for pipes, files and scripts.
    Lines,
    /// Fitted to a terminal this many columns wide.
    Fit(usize),
}

impl Layout {
    /// The layout for this process's stdout: `QPRM_TABLE_WIDTH` when set
    /// (`0` for one line a row even on a terminal); else, on a terminal,
    /// `COLUMNS` when set, else the terminal's own width; piped, one line a row.
    pub fn for_stdout() -> Layout {
        let tty = std::io::stdout().is_terminal();
        Layout::choose(
            std::env::var("QPRM_TABLE_WIDTH").ok().as_deref(),
            tty,
            std::env::var("COLUMNS").ok().as_deref(),
            || ratatui::crossterm::terminal::size().ok().map(|(cols, _)| usize::from(cols)),
        )
    }

    /// The decision itself, its inputs given, so tests can make it.
    pub fn choose(
        forced: Option<&str>,
        tty: bool,
        columns: Option<&str>,
        terminal_width: impl FnOnce() -> Option<usize>,
    ) -> Layout {
        let number = |v: Option<&str>| v.and_then(|v| v.trim().parse::<usize>().ok());
        if let Some(w) = number(forced) {
            return if w == 0 { Layout::Lines } else { Layout::Fit(w) };
        }
        if !tty {
            return Layout::Lines;
        }
        // A terminal that will not say how wide it is gets the classic 80.
        let w = number(columns).filter(|&w| w > 0).or_else(terminal_width).filter(|&w| w > 0).unwrap_or(80);
        Layout::Fit(w)
    }
}

/// How a column behaves in a table fitted to a terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// A code, date, number or status: whole unless nothing else can give.
    Whole,
    /// A name or short text: up to this wide, wrapping at words beyond it,
    /// and narrower (down to its longest word) to make room for the text.
    Upto(usize),
    /// The table's text: takes the spare width and wraps at words.
    Text,
}

pub struct Table {
    headers: Vec<&'static str>,
    widths: Vec<Width>,
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

/// What one column needs, measured over its header and cells.
#[derive(Clone, Copy, Debug)]
struct Need {
    /// Its widest cell, whole on one line.
    whole: usize,
    /// Its widest word (split at spaces and after hyphens, as `wrap`
    /// splits): narrower than this, a word has to break mid-word.
    word: usize,
    kind: Width,
}

impl Table {
    /// Columns as (header, how it fits a terminal); one should be `Text`.
    pub fn new(columns: &[(&'static str, Width)]) -> Table {
        Table {
            headers: columns.iter().map(|c| c.0).collect(),
            widths: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn print(&self, out: &mut dyn Write, colour: bool, layout: Layout) -> std::io::Result<()> {
        let needs = self.needs();
        let widths = match layout {
            Layout::Lines => needs.iter().map(|n| n.whole).collect(),
            Layout::Fit(total) => {
                let total = total.max(MIN_WIDTH);
                let room = total.saturating_sub(GAP * self.headers.len().saturating_sub(1));
                if !fits_as_table(&needs, room) {
                    return self.print_records(out, colour, total);
                }
                fit_columns(&needs, room)
            }
        };
        let wraps = matches!(layout, Layout::Fit(_));
        let header: Vec<Cell> = self.headers.iter().map(|h| Cell { text: h.to_string(), colour: None }).collect();
        // Each line is built in one reused buffer and written once.
        let mut line = String::new();
        for row in std::iter::once(&header).chain(&self.rows) {
            let cells: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(c, &w)| if wraps { wrap(&c.text, w) } else { vec![c.text.clone()] })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                line.clear();
                for (i, (cell, lines)) in row.iter().zip(&cells).enumerate() {
                    let text = lines.get(k).map_or("", String::as_str);
                    pad_into(&mut line, i == 0, text, widths[i], cell.colour.filter(|_| colour));
                }
                // Padding after the last non-empty cell is noise.
                writeln!(out, "{}", line.trim_end_matches(' '))?;
            }
        }
        Ok(())
    }

    /// Too many columns for the terminal: each row as a record, a field a
    /// line (`header  value`, the value wrapped under itself), records
    /// apart by a blank line, as `psql` shows a wide row.
    fn print_records(&self, out: &mut dyn Write, colour: bool, total: usize) -> std::io::Result<()> {
        let label = self.headers.iter().map(|h| width(h)).max().unwrap_or(0);
        let room = total.saturating_sub(label + GAP).max(1);
        let mut line = String::new();
        for (n, row) in self.rows.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            for (header, cell) in self.headers.iter().zip(row).filter(|(_, c)| !c.text.is_empty()) {
                for (k, part) in wrap(&cell.text, room).iter().enumerate() {
                    line.clear();
                    pad_into(&mut line, true, if k == 0 { header } else { "" }, label, None);
                    pad_into(&mut line, false, part, 0, cell.colour.filter(|_| colour));
                    writeln!(out, "{}", line.trim_end_matches(' '))?;
                }
            }
        }
        Ok(())
    }

    fn needs(&self) -> Vec<Need> {
        (0..self.headers.len())
            .map(|i| {
                let texts =
                    || self.rows.iter().filter_map(|r| r.get(i)).map(|c| c.text.as_str()).chain([self.headers[i]]);
                Need {
                    whole: texts().map(width).max().unwrap_or(0),
                    word: texts()
                        .flat_map(|t| t.split(' '))
                        .flat_map(|w| w.split_inclusive('-'))
                        .map(width)
                        .max()
                        .unwrap_or(0),
                    kind: self.widths.get(i).copied().unwrap_or(Width::Whole),
                }
            })
            .collect()
    }
}

/// How far column `i` may narrow in one step, given the widths so far.
type Floor<'a> = dyn Fn(usize, &[usize]) -> usize + 'a;

/// Column widths that fit `room` columns (the gaps already taken off).
/// Whole cells when they fit. Otherwise names get their widest cell up to
/// their cap, codes and numbers their widest cell, and the text column the
/// rest; when that leaves the text less than a readable share, columns give
/// way in this order, widest first, each no narrower than its longest word:
/// the names, then the text, then the codes and numbers. Only when even
/// that does not fit do words break between characters (nothing is cut).
fn fit_columns(needs: &[Need], room: usize) -> Vec<usize> {
    if needs.iter().map(|n| n.whole).sum::<usize>() <= room {
        return needs.iter().map(|n| n.whole).collect();
    }
    let mut w: Vec<usize> = needs
        .iter()
        .map(|n| match n.kind {
            Width::Upto(cap) => n.whole.min(cap).max(1),
            Width::Whole | Width::Text => n.whole,
        })
        .collect();
    let is = |i: usize, kind: fn(Width) -> bool| kind(needs[i].kind);
    let text = |k: Width| k == Width::Text;
    let name = |k: Width| matches!(k, Width::Upto(_));
    let word = |i: usize, w: &[usize]| needs[i].word.clamp(1, w[i]);
    let share = |i: usize, w: &[usize]| needs[i].whole.min(TEXT_MIN).min(w[i]);
    // Each step's floor for column i: how far it may narrow in that step.
    let steps: [&Floor; 5] = [
        &|i, w| if is(i, text) { share(i, w) } else { w[i] },
        &|i, w| {
            if is(i, name) {
                word(i, w)
            } else if is(i, text) {
                share(i, w)
            } else {
                w[i]
            }
        },
        &|i, w| if is(i, name) || is(i, text) { word(i, w) } else { w[i] },
        &|i, w| word(i, w),
        &|_, _| 1,
    ];
    for floor in steps {
        let floors: Vec<usize> = (0..w.len()).map(|i| floor(i, &w)).collect();
        shrink(&mut w, room, &floors);
    }
    // Room left over (names were held to their cap): the text first.
    let mut spare = room.saturating_sub(w.iter().sum());
    let order = (0..w.len()).filter(|&i| is(i, text)).chain((0..w.len()).filter(|&i| !is(i, text)));
    for i in order {
        let more = needs[i].whole.saturating_sub(w[i]).min(spare);
        w[i] += more;
        spare -= more;
    }
    w
}

/// The narrowest a table may be and still read as one: codes and numbers
/// whole, names at their longest word, the text column at least
/// `TEXT_LEAST` (or its widest cell). Narrower, rows are shown as records.
fn fits_as_table(needs: &[Need], room: usize) -> bool {
    let least = |n: &Need| match n.kind {
        Width::Whole => n.whole,
        Width::Upto(cap) => n.word.min(n.whole.min(cap)),
        Width::Text => n.whole.min(TEXT_LEAST.max(n.word)),
    };
    needs.iter().map(least).sum::<usize>() <= room
}

/// Narrows the widest column still above its floor, one column at a time,
/// until the widths fit `room` or every column is at its floor.
fn shrink(w: &mut [usize], room: usize, floors: &[usize]) {
    let mut total: usize = w.iter().sum();
    while total > room {
        let widest = (0..w.len()).filter(|&i| w[i] > floors[i]).max_by_key(|&i| (w[i], std::cmp::Reverse(i)));
        let Some(i) = widest else { return };
        w[i] -= 1;
        total -= 1;
    }
}

/// Appends one cell: two spaces before all but the first, padded to `w`
/// columns, wrapped in its colour when given (the padding left outside).
fn pad_into(line: &mut String, first: bool, s: &str, w: usize, colour: Option<&str>) {
    use std::fmt::Write as _;
    if !first {
        line.push_str("  ");
    }
    match colour {
        Some(code) if !s.is_empty() => {
            let _ = write!(line, "\x1b[{code}m{s}\x1b[0m");
        }
        _ => line.push_str(s),
    }
    line.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
}

#[cfg(test)]
mod tests {
    use super::Width::{Text, Upto, Whole};
    use super::*;

    fn render(t: &Table, layout: Layout) -> String {
        let mut out = Vec::new();
        t.print(&mut out, false, layout).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn actions_table() -> Table {
        let mut t =
            Table::new(&[("ref", Whole), ("status", Whole), ("due", Whole), ("owner", Upto(36)), ("action", Text)]);
        t.row(vec![
            "1.5".into(),
            "open".into(),
            "2023-07-31".into(),
            "Director of Children's Services".into(),
            "Embed a monthly audit approach across every team, with moderation by senior managers and a \
             report to the Quality Assurance board each quarter"
                .into(),
        ]);
        t.row(vec!["A2".into(), "in_progress".into(), "2023-08-01".into(), "Ann".into(), "Short one".into()]);
        t
    }

    #[test]
    fn cells_are_sanitised() {
        let mut t = Table::new(&[("a", Whole), ("b", Text)]);
        t.row(vec!["\x1b[2Jx".into(), "y\u{7}".into()]);
        let s = render(&t, Layout::Lines);
        assert!(!s.contains('\x1b') && !s.contains('\u{7}'), "{s:?}");
        assert!(s.contains("x  y"));
    }

    #[test]
    fn piped_rows_are_one_line_each_and_whole() {
        let s = render(&actions_table(), Layout::Lines);
        assert_eq!(s.lines().count(), 3, "{s}");
        assert!(s.contains("a report to the Quality Assurance board each quarter\n"), "{s}");
        assert!(!s.contains('…'));
    }

    #[test]
    fn fitted_rows_wrap_the_text_column_within_the_width() {
        for total in [80, 100, 120] {
            let s = render(&actions_table(), Layout::Fit(total));
            for line in s.lines() {
                assert!(width(line) <= total, "{total}: {line:?} is {} wide\n{s}", width(line));
            }
            // Every word of the long text, in order, across its lines.
            let text_start = s.lines().next().unwrap().find("action").unwrap();
            let words: Vec<&str> =
                s.lines().filter_map(|l| l.get(text_start..)).flat_map(str::split_whitespace).collect();
            assert!(words.join(" ").contains("Embed a monthly audit approach across every team, with moderation by senior managers and a report to the Quality Assurance board each quarter"), "{total}:\n{s}");
            // The owner is whole on one line when there is room for it.
            if total >= 100 {
                assert!(s.contains("Director of Children's Services"), "{total}:\n{s}");
            }
        }
    }

    #[test]
    fn a_table_that_fits_is_laid_out_as_when_piped() {
        let mut t = Table::new(&[("a", Whole), ("b", Text)]);
        t.row(vec!["one".into(), "two words".into()]);
        assert_eq!(render(&t, Layout::Fit(80)), render(&t, Layout::Lines));
    }

    #[test]
    fn below_the_minimum_rows_wrap_at_the_minimum() {
        let s = render(&actions_table(), Layout::Fit(20));
        assert!(s.lines().all(|l| width(l) <= MIN_WIDTH), "{s}");
        assert!(s.lines().count() > 3);
        // At 60 the actions are records, the text whole under its label.
        let s = render(&actions_table(), Layout::Fit(60));
        assert!(s.lines().all(|l| width(l) <= 60), "{s}");
        let text: Vec<&str> =
            s.lines().skip_while(|l| !l.starts_with("action")).take_while(|l| !l.is_empty()).collect();
        let words: Vec<&str> = text.iter().flat_map(|l| l.split_whitespace()).skip(1).collect();
        assert!(words.join(" ").ends_with("report to the Quality Assurance board each quarter"), "{s}");
    }

    #[test]
    fn the_text_column_can_be_any_column() {
        let mut t = Table::new(&[("code", Whole), ("indicator", Text), ("value", Whole)]);
        t.row(vec![
            "CIC-HEALTH".into(),
            "% of children in care with an up to date health assessment and dental check".into(),
            "91.5%".into(),
        ]);
        let s = render(&t, Layout::Fit(60));
        assert!(s.lines().all(|l| width(l) <= 60), "{s}");
        let first = s.lines().nth(1).unwrap();
        assert!(first.starts_with("CIC-HEALTH  % of") && first.ends_with("91.5%"), "{s}");
    }

    #[test]
    fn wide_and_joined_characters_keep_columns_aligned() {
        let mut t = Table::new(&[("name", Text), ("n", Whole)]);
        for name in
            ["Family 👩\u{200d}👩\u{200d}👧 team", "UK 🇬🇧 team", "Rene\u{301}e team", "日本語 team", "plain team"]
        {
            t.row(vec![name.into(), "1".into()]);
        }
        for layout in [Layout::Lines, Layout::Fit(60)] {
            let s = render(&t, layout);
            let ends: Vec<usize> = s.lines().map(width).collect();
            assert!(ends.windows(2).all(|w| w[0] == w[1]), "{layout:?} {ends:?}\n{s}");
        }
    }

    #[test]
    fn too_many_columns_for_the_terminal_become_records() {
        let mut t = Table::new(&[
            ("code", Whole),
            ("indicator", Text),
            ("service", Upto(20)),
            ("period", Whole),
            ("value", Whole),
            ("baseline", Whole),
            ("target", Whole),
            ("RAG", Whole),
            ("direction", Whole),
        ]);
        let name = "% of children in care with an up to date health assessment and a dental check this year";
        for code in ["CIC-HEALTH-AND-DENTAL", "CIC-3"] {
            t.row(vec![
                code.into(),
                name.into(),
                "corporate-parenting".into(),
                "2023-10".into(),
                "95.2%".into(),
                "".into(),
                "95%".into(),
                Cell::coloured("● GREEN", Some("32")),
                "↑ improving".into(),
            ]);
        }
        let s = render(&t, Layout::Fit(80));
        assert!(s.lines().all(|l| width(l) <= 80), "{s}");
        assert!(s.starts_with("code       CIC-HEALTH-AND-DENTAL\nindicator  % of children in care"), "{s}");
        assert!(s.contains("\n\ncode       CIC-3\n"), "records apart by a blank line:\n{s}");
        assert!(!s.contains("baseline"), "an empty field is left out:\n{s}");
        let mut out = Vec::new();
        t.print(&mut out, true, Layout::Fit(80)).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("RAG        \x1b[32m● GREEN\x1b[0m\n"));
        // With room, the same rows are a table.
        let wide = render(&t, Layout::Fit(140));
        assert!(wide.starts_with("code "), "{wide}");
        assert!(wide.lines().all(|l| width(l) <= 140), "{wide}");
        assert!(wide.lines().count() < s.lines().count());
    }

    #[test]
    fn columns_give_way_in_order() {
        let need = |whole, word, kind| Need { whole, word, kind };
        let text = |whole| need(whole, 9, Text);
        // Everything fits: whole cells.
        assert_eq!(fit_columns(&[need(5, 5, Whole), text(40)], 50), [5, 40]);
        // The text column takes what the others leave.
        assert_eq!(fit_columns(&[need(5, 5, Whole), text(80)], 50), [5, 45]);
        // A name wraps beyond its cap...
        assert_eq!(fit_columns(&[need(40, 8, Upto(20)), text(80)], 60), [20, 40]);
        // ...but gets room back when the text needs less.
        assert_eq!(fit_columns(&[need(30, 8, Upto(20)), text(25)], 50), [25, 25]);
        // Names give way, down to their longest word, before the text drops
        // below its share; codes stay whole.
        assert_eq!(fit_columns(&[need(10, 10, Whole), need(30, 8, Upto(30)), text(80)], 50), [10, 10, 30]);
        assert_eq!(fit_columns(&[need(10, 10, Whole), need(30, 12, Upto(30)), text(80)], 40), [10, 12, 18]);
        // Then codes give way to their longest word, and in the end anything
        // breaks, but the total always fits.
        assert_eq!(fit_columns(&[need(16, 10, Whole), need(30, 12, Upto(30)), text(80)], 32), [11, 12, 9]);
        assert_eq!(fit_columns(&[need(30, 30, Whole), need(80, 30, Text)], 10).iter().sum::<usize>(), 10);
    }

    #[test]
    fn layout_follows_the_terminal() {
        let never = || -> Option<usize> { panic!("asked the terminal") };
        assert_eq!(Layout::choose(None, false, Some("100"), never), Layout::Lines);
        assert_eq!(Layout::choose(None, true, Some("100"), never), Layout::Fit(100));
        assert_eq!(Layout::choose(None, true, None, || Some(132)), Layout::Fit(132));
        assert_eq!(Layout::choose(None, true, Some("wide"), || Some(132)), Layout::Fit(132));
        assert_eq!(Layout::choose(None, true, Some("0"), || None), Layout::Fit(80));
        assert_eq!(Layout::choose(Some("90"), false, None, never), Layout::Fit(90));
        assert_eq!(Layout::choose(Some("0"), true, Some("100"), never), Layout::Lines);
    }
}
