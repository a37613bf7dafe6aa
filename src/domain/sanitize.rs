//! Keeps text from packs, the database and users from ever reaching a
//! terminal raw. `clean` removes ANSI/VT escape sequences (CSI, OSC, DCS and
//! friends), C0 and C1 control characters, the bidirectional controls that
//! can make text display differently from what it says, and the invisible
//! zero-width characters. Line breaks and tabs (and the Unicode line and
//! paragraph separators) become single spaces, so one field can never break
//! a table row.
//!
//! The zero-width joiner goes too, although it is what makes 👩‍👩‍👧 one glyph:
//! terminals disagree about how wide a joined emoji sequence is (two columns
//! in some, six in others, boxes on a console), and a screen that guesses
//! wrong shifts every column after it. Unjoined, 👩👩👧 is three emoji that
//! every terminal draws six columns wide, and it still reads as a family.

/// Sanitise for single-line display.
pub fn clean(s: &str) -> String {
    clean_inner(s, false)
}

/// Sanitise but keep line breaks (`\n`), for multi-line text such as notes.
pub fn clean_multiline(s: &str) -> String {
    clean_inner(s, true)
}

fn clean_inner(s: &str, keep_newlines: bool) -> String {
    // Printable ASCII has nothing to remove: the common case, copied as is.
    if crate::text::printable_ascii(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS / SOS / PM / APC introduce sequences too.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\u{2028}' | '\u{2029}' if keep_newlines => out.push('\n'),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The one list of characters that must never reach a terminal raw:
/// controls, bidirectional marks, zero-width characters, and the line and
/// paragraph separators (which some terminals treat as line breaks). The
/// sanitiser removes or replaces them; JSON output escapes them as `\u`
/// (`cli::json`).
pub fn is_hidden_control(c: char) -> bool {
    is_unsafe(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_zero_width(c)
}

/// Marks and overrides that change the order text is shown in.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Characters that take no column but change how (or whether) the
/// characters around them are joined or broken: zero-width space,
/// non-joiner and joiner, word joiner and the invisible operators, the
/// Mongolian vowel separator, and the byte-order mark.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{180e}' | '\u{feff}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // Two-character sequences (ESC c, ESC 7, ESC ( B ...): drop the next
        // character, and for charset designators the one after it.
        Some(c @ ('(' | ')' | '*' | '+' | '#' | '%')) => {
            let _ = c;
            chars.next();
            chars.next();
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI: parameter and intermediate bytes, ended by a final byte in @..~.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            return;
        }
        if !(' '..='?').contains(&c) {
            // Malformed sequence: stop swallowing at anything unexpected.
            return;
        }
    }
}

/// OSC/DCS-style strings, ended by BEL, ST (ESC \) or C1 ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        let cases = [
            ("plain Siân “quoted”", "plain Siân “quoted”"),
            ("\u{1b}[31mred\u{1b}[0m", "red"),
            ("\u{1b}]0;pwned\u{7}title", "title"),
            ("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "link"),
            ("a\u{0}b\u{8}c\u{7f}d", "abcd"),
            ("line1\nline2\r\n\tx", "line1 line2 x"),
            ("\u{9b}2Jclear", "clear"),
            ("\u{202e}evil", "evil"),
            ("\u{1b}Pdcs\u{1b}\\ok", "ok"),
            ("\u{1b}(Bok", "ok"),
            ("trailing\u{1b}", "trailing"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "input {input:?}");
        }
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(clean_multiline("a\nb\u{1b}[2Jc"), "a\nbc");
        assert_eq!(clean_multiline("a\u{2028}b\u{2029}c"), "a\nb\nc");
    }

    #[test]
    fn removes_zero_width_and_bidi_controls() {
        let cases = [
            ("zero\u{200b}width", "zerowidth"),
            ("non\u{200c}joiner", "nonjoiner"),
            ("\u{feff}bom", "bom"),
            ("word\u{2060}joiner", "wordjoiner"),
            ("\u{200e}ltr\u{200f}rtl\u{61c}alm", "ltrrtlalm"),
            ("\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}embed", "embed"),
            ("\u{2066}\u{2067}\u{2068}iso\u{2069}", "iso"),
            ("line\u{2028}para\u{2029}end", "line para end"),
            // Joined emoji come apart into the emoji every terminal agrees on.
            ("👩\u{200d}👩\u{200d}👧", "👩👩👧"),
            // Flags, accents and wide characters are text, and stay.
            ("🇬🇧 Rene\u{301}e 日本", "🇬🇧 Rene\u{301}e 日本"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "input {input:?}");
        }
    }
}
