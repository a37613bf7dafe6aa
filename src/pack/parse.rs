//! Reading a pack file: size limit, UTF-8 and JSON syntax, then the shape
//! and content passes. Each error is one line that starts with the file and
//! says where: `file:line:col` for syntax, `file: json.path` for the rest.

use super::json::Json;
use super::model::ValidPack;
use super::problems::Problems;
use super::raw;
use super::validate::{Known, validate};
use crate::domain::sanitize::clean;
use serde::Deserialize;
use std::path::Path;

/// Packs are a few hundred kilobytes; anything past this is refused before
/// parsing so a wrong file cannot exhaust memory.
pub const MAX_PACK_BYTES: u64 = 64 * 1024 * 1024;

/// Reads, parses and validates one pack file.
pub fn load_file(path: &Path, known: &Known) -> Result<ValidPack, Vec<String>> {
    let label = clean(&path.display().to_string());
    let bytes = read_bounded(path, &label).map_err(|e| vec![e])?;
    parse_bytes(&label, &bytes, known)
}

/// The file's bytes, refusing anything that is not a regular file (a FIFO
/// would block the open until a writer came; a device never ends) and
/// never reading more than `MAX_PACK_BYTES` plus one, whatever size the
/// file claims: a file can grow while it is read, and `/proc` files and
/// devices state no size at all.
pub(super) fn read_bounded(path: &Path, label: &str) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
    if meta.is_dir() {
        return Err(format!("{label}: is a directory, not a pack file"));
    }
    if !meta.is_file() {
        return Err(not_regular(label));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Swapped for a FIFO after the check above, the open must still not
    // wait for a writer; reads from a regular file ignore the flag.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, rustix::fs::OFlags::NONBLOCK.bits() as i32);
    let file = options.open(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(not_regular(label));
    }
    read_capped(file, label)
}

fn not_regular(label: &str) -> String {
    format!("{label}: is not a regular file (a pipe, socket or device); save the pack to a file and name that")
}

/// At most `MAX_PACK_BYTES` from `source`; more is refused, having read
/// only one byte past the limit.
pub(crate) fn read_capped(source: impl std::io::Read, label: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    source.take(MAX_PACK_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{label}: cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(format!(
            "{label}: larger than the {} MB limit for a pack (reading stopped there); is this the right file?",
            MAX_PACK_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// Parses and validates pack bytes; `label` names the source in messages.
pub fn parse_bytes(label: &str, bytes: &[u8], known: &Known) -> Result<ValidPack, Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&bytes[..e.valid_up_to()]);
        vec![format!("{label}:{line}:{col}: not valid UTF-8 text (packs must be saved as UTF-8)")]
    })?;
    if text.trim().is_empty() {
        return Err(vec![format!("{label}: the file is empty; expected a qprm-pack/1 JSON object")]);
    }
    // Said before parsing, so a deeply nested array is not a recursion error.
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('{') {
        let (line, col) = line_col(&bytes[..start]);
        return Err(vec![format!("{label}:{line}:{col}: a pack must be a JSON object {{ … }} at the top level")]);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let tree = Json::deserialize(&mut de)
        .and_then(|tree| de.end().map(|()| tree))
        .map_err(|e| vec![describe_syntax(label, text, &e)])?;
    let mut p = Problems::new(label);
    let pack = raw::read(&mut p, &tree).and_then(|pack| validate(&mut p, label, pack, known));
    p.finish()?;
    // Without problems validation always yields a pack; this is the guard.
    pack.ok_or_else(|| vec![format!("{label}: the pack is incomplete")])
}

/// `file:line:col: JSON syntax error: …`, with a hint for the two mistakes
/// people actually make: curly quotes from a word processor, and a file
/// that is not a pack at all (nested past any pack's depth).
fn describe_syntax(label: &str, text: &str, e: &serde_json::Error) -> String {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we lead with it instead.
    let msg = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    let msg = match e.classify() {
        serde_json::error::Category::Eof => format!("the JSON ends too early ({msg})"),
        _ if msg.starts_with("recursion limit") => {
            "nested too deeply to be a pack (over 128 levels of [ ] or { })".into()
        }
        _ => format!("JSON syntax error: {msg}"),
    };
    let hint = curly_quote_near(text, e.line(), e.column())
        .map(|q| format!(" ({q} is a curly quote, as a word processor types it, not a JSON quote: use \" instead)"))
        .unwrap_or_default();
    clean(&format!("{label}:{}:{}: {msg}{hint}", e.line(), e.column()))
}

/// A typographic quote at or just before where the parser stopped.
fn curly_quote_near(text: &str, line: usize, column: usize) -> Option<char> {
    let line = text.lines().nth(line.checked_sub(1)?)?;
    // serde_json counts columns in bytes; look a few bytes either side so
    // the three-byte quote is caught whichever byte the parser stopped on.
    let end = (column + 3).min(line.len());
    let start = column.saturating_sub(8);
    line.char_indices().filter(|(i, _)| (start..end).contains(i)).map(|(_, c)| c).find(|c| "“”‘’„«»".contains(*c))
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = prefix.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit_whatever_the_source_says() {
        // An endless source, like /dev/zero: only the limit and one byte are read.
        let mut endless = std::io::repeat(b' ');
        let mut counted = CountingReader { inner: &mut endless, read: 0 };
        let err = read_capped(&mut counted, "zero").unwrap_err();
        assert!(err.starts_with("zero: larger than the 64 MB limit"), "{err}");
        assert_eq!(counted.read, MAX_PACK_BYTES + 1);
        assert_eq!(read_capped(&b"{}"[..], "small").unwrap(), b"{}");
    }

    struct CountingReader<'r, R> {
        inner: &'r mut R,
        read: u64,
    }

    impl<R: std::io::Read> std::io::Read for CountingReader<'_, R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.read += n as u64;
            Ok(n)
        }
    }
}
