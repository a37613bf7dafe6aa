//! Outputs people read after the meeting: the minutes (with SPC charts as
//! inline SVG) and the action log as CSV, XLSX and JSON for Excel users and
//! Scrutiny. Writers take rows from the store and
//! never query it themselves.

pub mod export;
pub mod minutes;
pub mod svg;
