//! Owns how text is measured, cut and wrapped for a terminal: the CLI tables
//! and the meeting screen call these and measure nothing themselves.
//!
//! Text is taken a grapheme cluster at a time (what a reader sees as one
//! character: 👩‍👩‍👧, 🇬🇧, e + ◌́, 日) and each cluster is measured as ratatui's
//! buffer measures it when it draws a cell (`unicode-width` on the whole
//! cluster, control characters and zero-width clusters drawn as nothing). So
//! a width computed here is the width drawn, and a cut never splits a
//! cluster into a stray half that a terminal shows as a ghost glyph.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The mark that ends text cut to fit.
pub const ELLIPSIS: char = '…';

/// Terminal columns a string takes.
pub fn width(s: &str) -> usize {
    // Most data is printable ASCII, one column a byte: skip the Unicode
    // tables (this was a fifth of a long `qprm actions` listing).
    if printable_ascii(s) {
        return s.len();
    }
    s.graphemes(true).map(cluster_width).sum()
}

/// True when every byte is printable ASCII (space to `~`).
pub fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The columns one grapheme cluster takes, exactly as ratatui's
/// `Buffer::set_stringn` draws it: a cluster holding a control character is
/// not drawn, and ratatui adds a column for each halfwidth katakana sound
/// mark (U+FF9E, U+FF9F) to what `unicode-width` says.
fn cluster_width(g: &str) -> usize {
    if g.len() == 1 {
        return usize::from(!g.as_bytes()[0].is_ascii_control());
    }
    if g.contains(char::is_control) {
        return 0;
    }
    g.width() + g.chars().filter(|c| matches!(c, '\u{ff9e}' | '\u{ff9f}')).count()
}

/// Cuts `s` to at most `max` display columns, ending with `…` when cut. The
/// cut falls between grapheme clusters, never inside one.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    // One column is kept for the ellipsis.
    let (head, _) = split_at_width(s, max - 1);
    let mut out = head.to_string();
    out.push(ELLIPSIS);
    out
}

/// Splits `s` after the longest run of whole clusters that fits in `cols`
/// columns. The head is empty only when the first cluster alone is wider.
fn split_at_width(s: &str, cols: usize) -> (&str, &str) {
    let mut used = 0;
    for (at, g) in s.grapheme_indices(true) {
        let w = cluster_width(g);
        if used + w > cols {
            return s.split_at(at);
        }
        used += w;
    }
    (s, "")
}

/// At most `max` characters of `s`, ending between grapheme clusters: for
/// limits counted in characters (a form field's length) that must not leave
/// half of an emoji sequence or a letter without its accent.
pub fn take_chars(s: &str, max: usize) -> &str {
    let mut count = 0;
    for (at, g) in s.grapheme_indices(true) {
        count += g.chars().count();
        if count > max {
            return &s[..at];
        }
    }
    s
}

/// Wraps `s` onto lines of at most `cols` columns, breaking at spaces. A
/// word wider than a line is broken after a hyphen if it has one that
/// fits, else between clusters (nothing is cut); a single cluster wider
/// than `cols` (a wide character in a one-column space) still gets a line
/// of its own. Runs of spaces where a line breaks are dropped; a
/// non-breaking space (U+00A0) never breaks.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    if width(s) <= cols {
        return vec![s.to_string()];
    }
    let cols = cols.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= cols {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // Too wide for a line of its own: break it between clusters.
        let mut rest = word;
        while width(rest) > cols {
            let (head, tail) = match split_at_width(rest, cols) {
                ("", _) => first_cluster(rest),
                (head, _) => match head.rfind('-') {
                    Some(at) if at > 0 => rest.split_at(at + 1),
                    _ => (head, &rest[head.len()..]),
                },
            };
            lines.push(head.to_string());
            rest = tail;
        }
        line.push_str(rest);
        used = width(rest);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The first grapheme cluster of `s` and the rest.
fn first_cluster(s: &str) -> (&str, &str) {
    let at = s.grapheme_indices(true).nth(1).map_or(s.len(), |(at, _)| at);
    s.split_at(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    const FAMILY: &str = "👩\u{200d}👩\u{200d}👧";
    const FLAG: &str = "🇬🇧";
    const E_ACUTE: &str = "e\u{301}";
    const CJK: &str = "日本語";

    /// Where ratatui's buffer puts the end of `s` when it draws it: the
    /// measure `width` must agree with.
    fn drawn_width(s: &str) -> usize {
        let mut buf = Buffer::empty(Rect::new(0, 0, 200, 1));
        let (x, _) = buf.set_stringn(0, 0, s, 200, ratatui::style::Style::new());
        x as usize
    }

    #[test]
    fn width_counts_each_cluster_as_drawn() {
        let cases = [
            ("", 0),
            ("plain", 5),
            (FAMILY, 2),
            (FLAG, 2),
            (E_ACUTE, 1),
            ("Rene\u{301}e", 5),
            (CJK, 6),
            ("Zoë 日本 🇬🇧!", 12),
            // ratatui 0.30 adds a column for a halfwidth sound mark that
            // unicode-width 0.2.3 already counts: one too many, but what
            // it draws, so what we measure.
            ("ｶﾞ", 3),
        ];
        for (s, want) in cases {
            assert_eq!(width(s), want, "{s:?}");
            assert_eq!(width(s), drawn_width(s), "ratatui draws {s:?} differently");
        }
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_unicode_tables() {
        for s in ["", "plain text", "A1 ~ {x} [y] 100%", "Zoë", "日本"] {
            assert_eq!(width(s), s.graphemes(true).map(|g| g.width()).sum::<usize>(), "{s:?}");
        }
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("Siân Zoë “q”", 6), "Siân …");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    /// Every cut of every hard string: within the width, made of whole
    /// clusters of the original, and ending in the ellipsis when cut.
    #[test]
    fn truncation_never_splits_a_cluster_at_any_width() {
        let strings = [
            format!("{FAMILY}{FAMILY} family"),
            format!("{FLAG}{FLAG}{FLAG} flags"),
            format!("Rene{E_ACUTE}e Ame{E_ACUTE}lie"),
            format!("{CJK}{CJK} 会議"),
            format!("a{FAMILY}b{FLAG}c{E_ACUTE}d{CJK}"),
        ];
        for s in &strings {
            let clusters: Vec<&str> = s.graphemes(true).collect();
            for max in 0..=width(s) + 1 {
                let cut = truncate(s, max);
                assert!(width(&cut) <= max, "{s:?} at {max}: {cut:?} is {} wide", width(&cut));
                let body = cut.strip_suffix(ELLIPSIS).unwrap_or(&cut);
                let kept: Vec<&str> = body.graphemes(true).collect();
                assert_eq!(kept, clusters[..kept.len()], "{s:?} at {max}: {cut:?} split a cluster");
                assert_eq!(cut == *s, max >= width(s), "{s:?} at {max}: {cut:?}");
            }
        }
    }

    #[test]
    fn truncation_of_each_hard_string() {
        assert_eq!(truncate(&format!("{FAMILY}{FAMILY}"), 3), format!("{FAMILY}…"));
        assert_eq!(truncate(&format!("{FAMILY}{FAMILY}"), 2), "…");
        assert_eq!(truncate(&format!("{FLAG}{FLAG}"), 3), format!("{FLAG}…"));
        assert_eq!(truncate(&format!("{E_ACUTE}{E_ACUTE}{E_ACUTE}"), 2), format!("{E_ACUTE}…"));
        assert_eq!(truncate(CJK, 4), "日…");
        assert_eq!(truncate(CJK, 5), "日本…");
    }

    #[test]
    fn take_chars_stops_between_clusters() {
        assert_eq!(take_chars("abc", 2), "ab");
        assert_eq!(take_chars("abc", 9), "abc");
        // The family is five characters: four are not enough for any of it.
        assert_eq!(take_chars(&format!("x{FAMILY}"), 4), "x");
        assert_eq!(take_chars(&format!("x{FAMILY}"), 6), format!("x{FAMILY}"));
        assert_eq!(take_chars(&format!("{E_ACUTE}{E_ACUTE}"), 3), E_ACUTE);
        assert_eq!(take_chars(FLAG, 1), "");
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("short", 10), ["short"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(wrap("the quick brown fox", 9), ["the quick", "brown fox"]);
        assert_eq!(wrap("the  quick", 4), ["the", "quic", "k"]);
        assert_eq!(wrap("supercalifragilistic is long", 8), ["supercal", "ifragili", "stic is", "long"]);
        assert_eq!(wrap("no\u{a0}break here", 5), ["no\u{a0}br", "eak", "here"]);
        // Long words break after a hyphen when one fits.
        assert_eq!(wrap("corporate-parenting", 12), ["corporate-", "parenting"]);
        assert_eq!(wrap("CIC-3-PLACEMENTS x", 8), ["CIC-3-", "PLACEMEN", "TS x"]);
        assert_eq!(wrap("-leading", 4), ["-lea", "ding"]);
    }

    #[test]
    fn wrapping_keeps_every_cluster_whole_and_every_word() {
        let s = format!("Family {FAMILY} flag {FLAG} Rene{E_ACUTE}e {CJK}{CJK}{CJK} end");
        for cols in 1..=width(&s) + 1 {
            let lines = wrap(&s, cols);
            for l in &lines {
                // A cluster wider than the line is the one overflow allowed.
                assert!(width(l) <= cols.max(2), "{cols}: {l:?} in {lines:?}");
                assert_eq!(l.trim(), l, "{cols}: stray spaces in {l:?}");
            }
            let joined: String = lines.concat().replace(' ', "");
            assert_eq!(joined, s.replace(' ', ""), "{cols}: text lost in {lines:?}");
            let clusters: Vec<&str> = s.graphemes(true).filter(|g| *g != " ").collect();
            let got: Vec<&str> = lines.iter().flat_map(|l| l.graphemes(true)).filter(|g| *g != " ").collect();
            assert_eq!(got, clusters, "{cols}: a cluster was split");
        }
    }
}
