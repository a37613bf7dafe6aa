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
    let meta = std::fs::metadata(path).map_err(|e| vec![format!("{label}: cannot read: {e}")])?;
    if meta.is_dir() {
        return Err(vec![format!("{label}: is a directory, not a pack file")]);
    }
    if meta.len() > MAX_PACK_BYTES {
        return Err(vec![format!(
            "{label}: {} bytes is larger than the {} MB limit for a pack; is this the right file?",
            meta.len(),
            MAX_PACK_BYTES / (1024 * 1024)
        )]);
    }
    let bytes = std::fs::read(path).map_err(|e| vec![format!("{label}: cannot read: {e}")])?;
    parse_bytes(&label, &bytes, known)
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
