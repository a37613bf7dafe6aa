//! The problems found in one pack, collected rather than returned at the
//! first, so business support can fix a pack in one pass. Each becomes one
//! sanitised line: `file: json.path: what is wrong and what to write`.
//! A pack read from a workbook or CSV says where in its own terms instead:
//! each JSON path is looked up in a table of places (`Data!I14`), so the
//! checks stay the JSON pack's own and only the words for "where" change.

use crate::domain::sanitize::clean;
use std::collections::{HashMap, HashSet};

/// Past this many problems the rest are counted, not listed.
const MAX_REPORTED: usize = 50;

pub(super) struct Problems<'a> {
    label: &'a str,
    list: Vec<String>,
    count: usize,
    paths: HashSet<String>,
    /// JSON path → place in the source (`Data!I14`); empty for JSON.
    places: HashMap<String, String>,
}

impl<'a> Problems<'a> {
    pub fn new(label: &'a str) -> Problems<'a> {
        Problems { label, list: Vec::new(), count: 0, paths: HashSet::new(), places: HashMap::new() }
    }

    /// Problems in a pack read from a table (workbook or CSV): paths are
    /// reported as the places they came from, one problem per place (a
    /// cell already said to be wrong is not also said to be missing), and
    /// fixes are worded for typing into a cell.
    pub fn in_places(label: &'a str, places: HashMap<String, String>) -> Problems<'a> {
        Problems { places, ..Problems::new(label) }
    }

    /// Whether fixes should say "type 85" (a cell) rather than "write the
    /// number 85" (JSON).
    pub fn for_cells(&self) -> bool {
        !self.places.is_empty()
    }

    /// Records a problem at a JSON path ("" for the pack as a whole).
    pub fn at(&mut self, path: impl AsRef<str>, msg: impl AsRef<str>) {
        let path = path.as_ref();
        let place = if self.places.is_empty() { path.to_string() } else { self.place(path) };
        if self.for_cells() && !place.is_empty() && !self.paths.insert(format!("@{place}")) {
            self.paths.insert(path.to_string());
            return;
        }
        self.count += 1;
        if self.list.len() < MAX_REPORTED {
            let line = match place.as_str() {
                "" => format!("{}: {}", self.label, msg.as_ref()),
                _ => format!("{}: {place}: {}", self.label, msg.as_ref()),
            };
            self.list.push(clean(&line));
        }
        self.paths.insert(path.to_string());
    }

    /// The place of `path` or of the nearest enclosing path that has one
    /// (`services[0].audits.ratings` → the audits row); "" for the file.
    fn place(&self, path: &str) -> String {
        let mut p = path;
        loop {
            if let Some(place) = self.places.get(p) {
                return place.clone();
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return String::new(),
            }
        }
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
