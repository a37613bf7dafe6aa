//! Width goes to words: the one layout every table on screen uses. Codes,
//! numbers, dates and statuses get exactly what their widest cell needs;
//! owners get what they need while there is room and are shortened first
//! when there is not; the name or text column takes the rest and wraps
//! onto further lines rather than being cut. A column that is empty in
//! every row is not drawn.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Row, Table};

/// How a column is sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// As wide as its widest cell (its header included); never wrapped.
    Content,
    /// As wide as its widest cell while there is room; shortened (cut
    /// with `…`) before any words column wraps, down to this width.
    Shrink(usize),
    /// Takes the spare width and wraps; several share it by their need,
    /// each getting at least this much of it (or all it needs, if less).
    Words(usize),
}

#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub header: &'a str,
    pub fit: Fit,
}

impl<'a> Column<'a> {
    pub const fn content(header: &'a str) -> Self {
        Column { header, fit: Fit::Content }
    }
    pub const fn shrink(header: &'a str, min: usize) -> Self {
        Column { header, fit: Fit::Shrink(min) }
    }
    pub const fn words(header: &'a str) -> Self {
        Column { header, fit: Fit::Words(0) }
    }
    /// A words column that keeps at least `min` columns (or all it needs)
    /// when it shares the spare width with another.
    pub const fn words_min(header: &'a str, min: usize) -> Self {
        Column { header, fit: Fit::Words(min) }
    }
}

/// Columns between cells.
const GAP: usize = 1;

/// The width each column gets in `width` columns; `None` for a column not
/// drawn (empty in every row). `cells[r][c]` is the text of row r, column c.
pub fn plan(width: usize, columns: &[Column], cells: &[Vec<Line>]) -> Vec<Option<usize>> {
    let need: Vec<usize> =
        (0..columns.len()).map(|c| cells.iter().map(|r| r.get(c).map_or(0, Line::width)).max().unwrap_or(0)).collect();
    let shown: Vec<bool> = need.iter().map(|&n| n > 0).collect();
    // A words or shrinking column's header may be cut; a content column's not.
    let need: Vec<usize> = columns
        .iter()
        .zip(&need)
        .map(|(col, &n)| if col.fit == Fit::Content { n.max(crate::text::width(col.header)) } else { n })
        .collect();
    let count = shown.iter().filter(|&&s| s).count();
    let fixed: usize =
        (0..columns.len()).filter(|&c| shown[c] && columns[c].fit == Fit::Content).map(|c| need[c]).sum();
    let pool = width.saturating_sub(fixed + GAP * count.saturating_sub(1));
    let of = |f: fn(&Fit) -> bool| -> Vec<usize> {
        (0..columns.len()).filter(|&c| shown[c] && f(&columns[c].fit)).collect()
    };
    let words = of(|f| matches!(f, Fit::Words(_)));
    let shrink = of(|f| matches!(f, Fit::Shrink(_)));
    let words_need: usize = words.iter().map(|&c| need[c]).sum();
    let shrink_need: usize = shrink.iter().map(|&c| need[c]).sum();
    // Words want two thirds of the pool (or all they need); owners give way
    // down to their minimum before the words wrap further.
    let words_want =
        if words.is_empty() { 0 } else { words_need.min(pool * 2 / 3).max(pool.saturating_sub(shrink_need)) };
    let mut widths: Vec<Option<usize>> =
        (0..columns.len()).map(|c| (shown[c] && columns[c].fit == Fit::Content).then_some(need[c])).collect();
    let mut left = pool.saturating_sub(words_want);
    for &c in &shrink {
        let Fit::Shrink(min) = columns[c].fit else { continue };
        let w = need[c].min(left.max(min));
        widths[c] = Some(w);
        left = left.saturating_sub(w);
    }
    let mut spare = pool.saturating_sub(shrink.iter().filter_map(|&c| widths[c]).sum::<usize>());
    let all = spare;
    // Shared by need (each at least its floor): the last takes the rest.
    for (i, &c) in words.iter().enumerate() {
        let Fit::Words(floor) = columns[c].fit else { continue };
        let share = (all * need[c]).div_ceil(words_need.max(1)).max(floor.min(need[c])).min(need[c]);
        let w = if i + 1 == words.len() { spare } else { share.min(spare) };
        widths[c] = Some(w.max(1));
        spare -= w.min(spare);
    }
    widths
}

/// `text` wrapped to `width` columns on at most `max_lines` lines, the
/// last ending in `…` when there was more (the detail pane under each
/// table shows the whole text).
pub fn wrapped(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let mut lines = crate::text::wrap(text, width.max(1));
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(crate::text::truncate(&rest, width));
    }
    lines
}

/// How a table is drawn beyond its columns.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub header: Style,
    /// Blank lines between rows (the projector's breathing space).
    pub row_gap: u16,
    /// Lines a words cell may wrap to: enough for the longest names where
    /// they matter (Data), fewer where more rows must show at once.
    pub max_lines: usize,
}

/// A table whose columns are sized by `plan`: words wrap, other cells are
/// cut to their column (only a shortened owner ever is). Each row comes
/// with its own style (struck through, say). Returns the table and the
/// width of each column (`None`: not drawn).
pub fn table<'a>(
    width: u16,
    columns: &[Column],
    rows: Vec<(Vec<Line<'a>>, Style)>,
    look: Look,
) -> (Table<'a>, Vec<Option<usize>>) {
    let cells: Vec<Vec<Line>> = rows.iter().map(|(r, _)| r.clone()).collect();
    let widths = plan(width as usize, columns, &cells);
    let header = Row::new(
        columns.iter().zip(&widths).filter_map(|(c, w)| w.map(|w| Cell::from(crate::text::truncate(c.header, w)))),
    )
    .style(look.header);
    let body = rows.into_iter().map(|(cells, style)| {
        let mut height = 1;
        let row: Vec<Cell> = cells
            .into_iter()
            .zip(columns.iter().zip(&widths))
            .filter_map(|(line, (col, w))| {
                let w = (*w)?;
                if matches!(col.fit, Fit::Words(_)) {
                    let plain: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                    let style = line.spans.first().map_or(line.style, |s| line.style.patch(s.style));
                    let lines: Vec<Line> = wrapped(&plain, w, look.max_lines)
                        .into_iter()
                        .map(|l| Line::from(Span::styled(l, style)))
                        .collect();
                    height = height.max(lines.len());
                    Some(Cell::from(Text::from(lines)))
                } else if line.width() > w {
                    let plain: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                    let style = line.spans.first().map_or(line.style, |s| line.style.patch(s.style));
                    Some(Cell::from(Span::styled(crate::text::truncate(&plain, w), style)))
                } else {
                    Some(Cell::from(line))
                }
            })
            .collect();
        Row::new(row).height(height as u16).style(style).bottom_margin(look.row_gap)
    });
    let constraints: Vec<Constraint> = widths.iter().flatten().map(|&w| Constraint::Length(w as u16)).collect();
    (Table::new(body, constraints).header(header).column_spacing(GAP as u16), widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Line<'static>> {
        cells.iter().map(|c| Line::raw(c.to_string())).collect()
    }

    #[test]
    fn words_take_the_spare_width_and_empty_columns_go() {
        let cols = [Column::content("Code"), Column::words("Name"), Column::content("Comparators")];
        let cells = vec![row(&["CIC-HEALTH", "% of CIC with an up to date health assessment", ""])];
        let w = plan(80, &cols, &cells);
        assert_eq!(w, vec![Some(10), Some(69), None], "80 - 10 - one gap; the empty column is not drawn");
    }

    #[test]
    fn owners_shorten_before_the_words_wrap() {
        let cols = [Column::shrink("Owner", 12), Column::words("Action")];
        let owner = "Head of Service, Corporate Parenting";
        let text = "Publish a countywide Corporate Parenting strategy with young people's voices in it";
        let w = plan(60, &cols, &[row(&[owner, text])]);
        assert_eq!(w, vec![Some(20), Some(39)], "words get two thirds of the pool; the owner is shortened");
        let w = plan(120, &cols, &[row(&[owner, text])]);
        assert_eq!(w, vec![Some(36), Some(83)], "room for both: the owner whole, words the rest");
    }

    #[test]
    fn long_words_wrap_to_their_lines_then_end_in_an_ellipsis() {
        assert_eq!(wrapped("one two three", 20, 3), vec!["one two three"]);
        assert_eq!(wrapped("aaa bbb ccc ddd eee", 3, 3), vec!["aaa", "bbb", "cc…"]);
        assert_eq!(wrapped("aaa bbb ccc ddd eee", 3, 2), vec!["aaa", "bb…"]);
    }
}
