//! Display-width helpers shared by the CLI tables and the meeting screen:
//! text is measured in terminal columns (so “Siân” and wide characters
//! line up) and cut with an ellipsis rather than clipped mid-word.

use ratatui::text::Line;

/// Terminal columns a string takes.
pub fn width(s: &str) -> usize {
    // Most data is printable ASCII, one column a byte: skip the Unicode
    // tables (this was a fifth of a long `qprm actions` listing).
    if printable_ascii(s) {
        return s.len();
    }
    Line::from(s).width()
}

/// True when every byte is printable ASCII (space to `~`).
pub fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Cuts `s` to at most `max` display columns, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("Siân Zoë “q”", 6), "Siân …");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_unicode_tables() {
        for s in ["", "plain text", "A1 ~ {x} [y] 100%", "tab\there", "Zoë", "日本"] {
            assert_eq!(width(s), Line::from(s).width(), "{s:?}");
        }
    }
}
