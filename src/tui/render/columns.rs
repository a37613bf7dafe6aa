//! Column widths for the screen's tables, and text cut to fit a column.

use crate::domain::sanitize::clean;
use ratatui::layout::{Constraint, Layout, Rect};

/// The widths a table's columns get in `area` (ratatui's own layout rules,
/// one column of spacing), so cells can be cut with an ellipsis to fit.
pub fn column_widths(area: Rect, widths: &[Constraint]) -> Vec<usize> {
    Layout::horizontal(widths.to_vec()).spacing(1).split(area).iter().map(|r| r.width as usize).collect()
}

/// Sanitised and cut to the column: long text ends in `…`, never mid-clip.
pub fn fit(s: &str, width: usize) -> String {
    crate::text::truncate(&clean(s), width)
}
