//! How every JSON output is written (`--json`, `minutes --format json`,
//! `export actions --format json`): serde_json, with the characters that
//! must never reach a terminal raw escaped as `\uXXXX`. serde_json escapes
//! only C0 controls; C1 controls, DEL, bidirectional controls and the line
//! and paragraph separators would otherwise pass through raw, whether the
//! output goes to a terminal or to a pipe that ends in one (`| less -R`).
//! Escaping changes no value: any JSON reader gets exactly the same text.

use crate::domain::sanitize::is_hidden_control;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use std::io::{self, Write};

/// `value` as compact JSON (one line), escaped as above.
pub fn write_compact<W: Write + ?Sized, T: Serialize + ?Sized>(out: &mut W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Escaping(CompactFormatter));
    value.serialize(&mut ser)
}

/// `value` as indented JSON, escaped as above.
pub fn write_pretty<W: Write + ?Sized, T: Serialize + ?Sized>(out: &mut W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut ser)
}

/// A formatter that writes strings with hidden controls escaped and leaves
/// layout to the one it wraps.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, out: &mut W, fragment: &str) -> io::Result<()> {
        // Nearly all text is plain ASCII below DEL: written as it is.
        if fragment.bytes().all(|b| b < 0x7f) {
            return out.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hidden_control(c) {
                out.write_all(&fragment.as_bytes()[start..i])?;
                // Every such character is in the Basic Multilingual Plane.
                write!(out, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        out.write_all(&fragment.as_bytes()[start..])
    }

    // Layout is the wrapped formatter's (indentation for pretty output).
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.begin_array(out)
    }
    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.end_array(out)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(out, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.end_array_value(out)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.begin_object(out)
    }
    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.end_object(out)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(out, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.end_object_key(out)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.begin_object_value(out)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.0.end_object_value(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_controls_are_escaped_and_read_back_unchanged() {
        let text = "a\u{85}b\u{9b}c\u{202e}d\u{2066}e\u{200f}f\u{61c}g\u{2028}h\u{2029}i\u{7f}j\u{1b}k Siân “q”";
        for pretty in [false, true] {
            let mut out = Vec::new();
            let value = serde_json::json!({ "text": text, "list": [text] });
            if pretty { write_pretty(&mut out, &value) } else { write_compact(&mut out, &value) }.unwrap();
            let written = String::from_utf8(out).unwrap();
            // Pretty output's own line breaks are layout, not data.
            assert!(!written.chars().any(|c| c != '\n' && is_hidden_control(c)), "{written:?}");
            for escape in ["\\u0085", "\\u009b", "\\u202e", "\\u2066", "\\u200f", "\\u061c", "\\u2028", "\\u2029"] {
                assert!(written.contains(escape), "{escape} in {written}");
            }
            assert!(written.contains("Siân “q”"), "other text is kept as it is: {written}");
            let back: serde_json::Value = serde_json::from_str(&written).unwrap();
            assert_eq!(back["text"], text);
            assert_eq!(back["list"][0], text);
            assert_eq!(written.contains('\n'), pretty);
        }
    }
}
