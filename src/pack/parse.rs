//! Reading a pack file: size limit, UTF-8, JSON syntax and shape. Each error
//! is one line that starts with the file and says where: `file:line:col` for
//! syntax, `file: json.path` for content.

use super::model::ValidPack;
use super::raw;
use super::validate::{Known, validate};
use crate::domain::sanitize::clean;
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
    // serde would accept a struct written as a JSON array; a pack is an object.
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with('{') {
        let (line, col) = line_col(&bytes[..start]);
        return Err(vec![format!("{label}:{line}:{col}: a pack must be a JSON object {{ … }} at the top level")]);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let pack: raw::Pack = serde_path_to_error::deserialize(&mut de).map_err(|e| vec![describe(label, &e)])?;
    de.end().map_err(|e| vec![describe_json(label, &e, "")])?;
    validate(label, pack, known)
}

fn describe(label: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    // serde_path_to_error says "." for the root; the root has no path to show.
    let path = if path == "." { String::new() } else { path };
    describe_json(label, e.inner(), &path)
}

fn describe_json(label: &str, e: &serde_json::Error, path: &str) -> String {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we lead with it instead.
    let msg = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    let msg = match e.classify() {
        serde_json::error::Category::Eof => format!("the JSON ends too early ({msg})"),
        serde_json::error::Category::Syntax => format!("JSON syntax error: {msg}"),
        _ => msg.to_string(),
    };
    let at = if path.is_empty() { String::new() } else { format!(" {path}:") };
    clean(&format!("{label}:{}:{}:{at} {msg}", e.line(), e.column()))
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = prefix.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}
