//! Every symbol the meeting screen draws that is not plain ASCII, with the
//! ASCII it becomes in plain-glyph mode (`--ascii`, `QPRM_ASCII=1`, the
//! Linux console, a Windows console outside Windows Terminal), where
//! RAG, arrows, sparklines, bars and borders would otherwise show as boxes
//! or question marks. Each symbol here is one terminal cell wide (tested),
//! and so is its replacement, so plain mode moves no column.

use ratatui::buffer::Buffer;

/// Symbol, and its plain-glyph replacement.
pub const GLYPHS: &[(char, char)] = &[
    // Separators, punctuation, marks.
    ('·', '|'),
    ('…', '~'),
    ('—', '-'),
    ('–', '-'),
    ('−', '-'),
    ('“', '"'),
    ('”', '"'),
    ('‘', '\''),
    ('’', '\''),
    ('•', '*'),
    ('×', 'x'),
    ('✓', '+'),
    // RAG (its word always follows), counts, audit targets.
    ('■', '#'),
    ('▲', '^'),
    ('●', 'o'),
    ('▼', 'v'),
    // Direction of travel, undo and redo, carried forward, raised today.
    ('↑', '^'),
    ('↓', 'v'),
    ('→', '>'),
    ('↶', '<'),
    ('↷', '>'),
    ('↻', '<'),
    ('★', '*'),
    // The timer: running, paused.
    ('⏱', '@'),
    ('▶', '>'),
    ('⏸', '='),
    // Audit ratings bar: outstanding, good, requires improvement, inadequate;
    // the full block is also large type's ink.
    ('█', '#'),
    ('▓', '='),
    ('▒', '-'),
    ('░', '.'),
    // Large type, half-height (plain mode draws it at this size only).
    ('▀', '"'),
    ('▄', ','),
    // Large type, quadrants (plain mode does not use them; mapped for safety).
    ('▌', '#'),
    ('▐', '#'),
    ('▖', '.'),
    ('▗', '.'),
    ('▘', '\''),
    ('▝', '\''),
    ('▙', '#'),
    ('▚', '\\'),
    ('▛', '#'),
    ('▜', '#'),
    ('▞', '/'),
    ('▟', '#'),
    // Borders.
    ('─', '-'),
    ('│', '|'),
    ('┌', '+'),
    ('┐', '+'),
    ('└', '+'),
    ('┘', '+'),
    ('├', '+'),
    ('┤', '+'),
    ('┬', '+'),
    ('┴', '+'),
    ('┼', '+'),
    // Sparkline levels, lowest to highest (also drawn directly by `sparkline`).
    ('▁', '_'),
    ('▂', '.'),
    ('▃', ','),
    ('▅', '='),
    ('▆', '+'),
    ('▇', '*'),
];

/// Sparkline levels in plain glyphs, lowest to highest.
const LEVELS: [char; 8] = ['_', '.', ',', '-', '=', '+', '*', '#'];
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A trend as a sparkline, in block glyphs or (plain mode) ASCII levels.
pub fn sparkline(values: &[f64], ascii: bool) -> String {
    let line = crate::domain::rag::sparkline(values);
    if !ascii {
        return line;
    }
    line.chars().map(|c| BARS.iter().position(|&b| b == c).map_or(c, |i| LEVELS[i])).collect()
}

/// The plain glyph for `c`, if it is one of the screen's symbols.
pub fn plain(c: char) -> Option<char> {
    GLYPHS.iter().find(|(g, _)| *g == c).map(|&(_, p)| p)
}

/// Redraws every screen symbol in `buf` in plain glyphs, cell for cell.
/// Text from data is left as it is (it is not a symbol of the screen's).
pub fn to_plain(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let mut chars = cell.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(p) = plain(c)
        {
            cell.set_char(p);
        }
    }
}

/// Whether to draw in plain glyphs: `--ascii`; else `QPRM_ASCII` (1, true
/// or yes: on; 0, false, no or empty: off); else on the Linux console
/// (`TERM=linux`) and on a Windows console outside Windows Terminal
/// (`WT_SESSION` unset), whose fonts lack these symbols.
pub fn wanted(flag: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    let windows_console = cfg!(windows) && env("WT_SESSION").is_none();
    wanted_by_terminal(flag, &env, windows_console)
}

/// `wanted`, with whether the terminal is a Windows console said by the
/// caller: a served screen's terminal is the client's, not this machine's.
pub fn wanted_by_terminal(flag: bool, env: impl Fn(&str) -> Option<String>, windows_console: bool) -> bool {
    if flag {
        return true;
    }
    match env("QPRM_ASCII").map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => true,
        Some(_) => false,
        None => env("TERM").as_deref() == Some("linux") || windows_console,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_and_its_plain_glyph_is_one_cell_wide() {
        for &(g, p) in GLYPHS {
            assert_eq!(crate::text::width(&g.to_string()), 1, "{g:?} must take one cell");
            assert!(p.is_ascii_graphic(), "{g:?} becomes printable ASCII, not {p:?}");
        }
        for b in BARS {
            assert!(plain(b).is_some(), "{b:?} has a plain glyph");
        }
    }

    #[test]
    fn plain_mode_is_chosen_by_flag_variable_or_console() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert!(wanted(true, env(&[])));
        assert!(wanted(false, env(&[("QPRM_ASCII", "1")])));
        assert!(!wanted(false, env(&[("QPRM_ASCII", "0"), ("TERM", "linux")])), "the variable wins");
        assert!(wanted(false, env(&[("TERM", "linux")])), "the Linux console");
        let other = wanted(false, env(&[("TERM", "xterm-256color")]));
        assert_eq!(other, cfg!(windows), "elsewhere only a Windows console without WT_SESSION");
        assert!(!wanted(false, env(&[("TERM", "xterm-256color"), ("WT_SESSION", "x")])));
    }

    #[test]
    fn sparklines_keep_their_shape_in_plain_glyphs() {
        assert_eq!(sparkline(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], true), "_.,-=+*#");
    }
}
