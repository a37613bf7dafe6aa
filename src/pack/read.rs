//! Reading the JSON tree one field at a time, in plain words. A value of
//! the wrong kind, an unknown or repeated key and a missing required key
//! each become a problem with its JSON path (`"73.5%" is text: write the
//! number 73.5`), and reading carries on, so one run reports everything.
//! What the values mean (ranges, codes, dates) is `validate`'s business.

use super::json::Json;
use super::problems::{Problems, join};
use crate::domain::nearest::nearest;

/// The keys one kind of object may have, for checking and for messages.
pub(super) struct Shape {
    /// "an indicator", "a data value": how messages name the object.
    pub what: &'static str,
    pub keys: &'static [&'static str],
    pub required: &'static [&'static str],
}

/// An object being read: its path and its keys as written.
pub(super) struct Obj<'v> {
    pub path: String,
    pairs: &'v [(String, Json)],
    shape: &'static Shape,
}

impl<'v> Obj<'v> {
    /// `v` read as `shape`: says what it is instead if it is not an object,
    /// and reports each unknown key (with the nearest known one), each key
    /// written twice and each required key that is missing.
    pub fn open(p: &mut Problems, path: String, v: &'v Json, shape: &'static Shape) -> Option<Obj<'v>> {
        let Json::Object(pairs) = v else {
            p.at(&path, wrong(v, &format!("an object {{ … }} ({})", shape.what)));
            return None;
        };
        for (i, (key, _)) in pairs.iter().enumerate() {
            if !shape.keys.contains(&key.as_str()) {
                let hint = match nearest(key, shape.keys.iter().copied()) {
                    Some(k) => format!("did you mean \"{k}\"?"),
                    None => format!("{} takes {}", capitalised(shape.what), shape.keys.join(", ")),
                };
                p.at(join(&path, key), format!("unknown key {} in {}: {hint}", quoted(key), shape.what));
            } else if pairs[..i].iter().any(|(k, _)| k == key) {
                p.at(join(&path, key), "written twice in the same object: keep one");
            }
        }
        for key in shape.required {
            if !pairs.iter().any(|(k, _)| k == key) {
                p.at(join(&path, key), format!("missing: {} needs \"{key}\"", shape.what));
            }
        }
        Some(Obj { path, pairs, shape })
    }

    /// The value under `key` with its path; `None` when absent, or null in
    /// an optional key (null there means "not given", as it always has).
    fn get(&self, key: &str) -> Option<(String, &'v Json)> {
        let (_, v) = self.pairs.iter().find(|(k, _)| k == key)?;
        if *v == Json::Null && !self.shape.required.contains(&key) {
            return None;
        }
        Some((join(&self.path, key), v))
    }

    pub fn text(&self, p: &mut Problems, key: &str) -> Option<String> {
        self.get(key).and_then(|(path, v)| text(p, &path, v))
    }

    pub fn number(&self, p: &mut Problems, key: &str) -> Option<f64> {
        let (path, v) = self.get(key)?;
        match v {
            Json::Number(n) => n.as_f64(),
            Json::Text(s) => {
                let fix = match (number_in(s), p.for_cells()) {
                    (Some(n), false) => format!("write the number {n}"),
                    (Some(n), true) => format!("type {n}"),
                    (None, false) => "write a number, without quotes".to_string(),
                    (None, true) => "type a number".to_string(),
                };
                p.at(path, format!("{} is text: {fix}", quoted(s)));
                None
            }
            _ => {
                p.at(path, wrong(v, "a number"));
                None
            }
        }
    }

    /// A whole number from 0 up (audit and feedback counts).
    pub fn count(&self, p: &mut Problems, key: &str) -> Option<u32> {
        let (path, v) = self.get(key)?;
        let problem = match v {
            // 1e2 arrives as a float; it is still the whole number 100.
            Json::Number(n) => match n.as_f64().unwrap_or(f64::NAN) {
                f if f < 0.0 => format!("{n} is negative: write a whole number, 0 or more"),
                f if f.fract() != 0.0 => format!("{n} is not a whole number: write a whole number, 0 or more"),
                f if f <= f64::from(u32::MAX) => return Some(f as u32),
                _ => format!("{n} is too large for a count"),
            },
            Json::Text(s) => match number_in(s) {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && p.for_cells() => format!("{} is text: type {n}", quoted(s)),
                Some(n) if n >= 0.0 && n.fract() == 0.0 => format!("{} is text: write the number {n}", quoted(s)),
                _ => format!("{} is text: write a whole number, 0 or more, without quotes", quoted(s)),
            },
            _ => wrong(v, "a whole number"),
        };
        p.at(path, problem);
        None
    }

    pub fn object(&self, p: &mut Problems, key: &str, shape: &'static Shape) -> Option<Obj<'v>> {
        let (path, v) = self.get(key)?;
        Obj::open(p, path, v, shape)
    }

    /// The items of a list with their paths; absent is an empty list.
    pub fn list(&self, p: &mut Problems, key: &str) -> Vec<(String, &'v Json)> {
        match self.get(key) {
            None => Vec::new(),
            Some((path, Json::List(items))) => {
                items.iter().enumerate().map(|(i, v)| (format!("{path}[{i}]"), v)).collect()
            }
            Some((path, v)) => {
                let hint = match v {
                    Json::Text(s) => format!(": write [{}]", quoted(s)),
                    _ => String::new(),
                };
                p.at(path, format!("{}{hint}", wrong(v, "a list [ … ]")));
                Vec::new()
            }
        }
    }
}

/// A value that must be text.
pub(super) fn text(p: &mut Problems, path: &str, v: &Json) -> Option<String> {
    match v {
        Json::Text(s) => return Some(s.clone()),
        Json::Number(n) => p.at(path, format!("{n} is a number where text is wanted: write it in quotes, \"{n}\"")),
        _ => p.at(path, wrong(v, "text")),
    }
    None
}

/// "null where a number is needed", "a list [ … ] where text is wanted".
fn wrong(v: &Json, wanted: &str) -> String {
    let found = match v {
        Json::Null => return format!("null where {wanted} is needed"),
        Json::Bool(b) => format!("{b} is true/false"),
        Json::Number(n) => format!("{n} is a number"),
        Json::Text(s) => format!("{} is text", quoted(s)),
        Json::List(_) => "a list [ … ]".to_string(),
        Json::Object(_) => "an object { … }".to_string(),
    };
    format!("{found} where {wanted} is wanted")
}

/// The number a person meant by text such as `"73.5%"` or `" 12 "`, if any.
fn number_in(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    // Only plain decimals: "inf" and "1e5" parse as f64 but nobody means them.
    let plain =
        !t.is_empty() && t.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    t.parse::<f64>().ok().filter(|n| plain && n.is_finite())
}

/// Text quoted as JSON would write it, cut short if long.
pub(super) fn quoted(s: &str) -> String {
    const LIMIT: usize = 40;
    let mut cut: String = s.chars().take(LIMIT).collect();
    if s.chars().count() > LIMIT {
        cut.push('…');
    }
    serde_json::Value::String(cut).to_string()
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_people_write_as_text_are_recognised_and_nothing_else() {
        assert_eq!(number_in("73.5%"), Some(73.5));
        assert_eq!(number_in(" 12 "), Some(12.0));
        assert_eq!(number_in("-3"), Some(-3.0));
        assert_eq!(number_in("50 %"), Some(50.0));
        for not in ["", "%", "n/a", "inf", "NaN", "1e5", "1,234", "12-3", "--1"] {
            assert_eq!(number_in(not), None, "{not:?}");
        }
    }

    #[test]
    fn wrong_kinds_are_named_in_plain_words() {
        assert_eq!(wrong(&Json::Null, "a number"), "null where a number is needed");
        assert_eq!(wrong(&Json::List(vec![]), "an object { … }"), "a list [ … ] where an object { … } is wanted");
        assert_eq!(wrong(&Json::Bool(true), "text"), "true is true/false where text is wanted");
        assert_eq!(quoted(&"x".repeat(50)), format!("\"{}…\"", "x".repeat(40)));
        assert_eq!(quoted("say \"hi\""), r#""say \"hi\"""#);
    }
}
