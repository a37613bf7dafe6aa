//! The problems found in one pack, collected rather than returned at the
//! first, so business support can fix a pack in one pass. Each becomes one
//! sanitised line: `file: json.path: what is wrong and what to write`.

use crate::domain::sanitize::clean;
use std::collections::HashSet;

/// Past this many problems the rest are counted, not listed.
const MAX_REPORTED: usize = 50;

pub(super) struct Problems<'a> {
    label: &'a str,
    list: Vec<String>,
    count: usize,
    paths: HashSet<String>,
}

impl<'a> Problems<'a> {
    pub fn new(label: &'a str) -> Problems<'a> {
        Problems { label, list: Vec::new(), count: 0, paths: HashSet::new() }
    }

    /// Records a problem at a JSON path ("" for the pack as a whole).
    pub fn at(&mut self, path: impl AsRef<str>, msg: impl AsRef<str>) {
        let path = path.as_ref();
        self.count += 1;
        if self.list.len() < MAX_REPORTED {
            let line = match path {
                "" => format!("{}: {}", self.label, msg.as_ref()),
                _ => format!("{}: {path}: {}", self.label, msg.as_ref()),
            };
            self.list.push(clean(&line));
        }
        self.paths.insert(path.to_string());
    }

    /// Whether something is already said about this path: a value of the
    /// wrong type is not also reported as missing.
    pub fn reported(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    /// `Err` with every line if anything was found.
    pub fn finish(mut self) -> Result<(), Vec<String>> {
        if self.count == 0 {
            return Ok(());
        }
        if self.count > self.list.len() {
            let more = self.count - self.list.len();
            self.list.push(clean(&format!("{}: … and {more} more problems", self.label)));
        }
        Err(self.list)
    }
}

/// `services[0]` + `data` → `services[0].data`; the top level has no prefix.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}
