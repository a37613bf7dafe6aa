//! The minutes as JSON (`qprm-minutes/1`), written part by part: byte for
//! byte what serde_json's pretty printer makes of a collected `Minutes`
//! (with `cli::json`'s escaping), but each action is serialised and written
//! as it is read. Each value is serialised on its own and indented to its
//! depth; strings never hold a raw line break, so indenting after every
//! line break is exact.

use super::{Out, Phase};
use crate::error::{Error, Result};
use crate::store::{ActionRecord, BusinessStart, CarriedAction, MinutesSink, Opening, OwnerSummary, ServiceHeading};

pub struct JsonWriter<'w> {
    o: Out<'w>,
    services: usize,
    phase: Phase,
    /// Depth of the current business's keys: 3 in a service, 2 in
    /// `other_business`.
    depth: usize,
    scratch: Vec<u8>,
}

impl<'w> JsonWriter<'w> {
    pub fn new(dest: &'w mut dyn std::io::Write) -> JsonWriter<'w> {
        JsonWriter { o: Out::new(dest), services: 0, phase: Phase::Outside, depth: 3, scratch: Vec::new() }
    }

    fn indent(&mut self, depth: usize) {
        self.o.buf.push('\n');
        for _ in 0..depth {
            self.o.buf.push_str("  ");
        }
    }

    /// `"name": ` as the first or a later key of an object at `depth`.
    fn key(&mut self, depth: usize, name: &str, first: bool) {
        if !first {
            self.o.buf.push(',');
        }
        self.indent(depth);
        self.o.buf.push('"');
        self.o.buf.push_str(name);
        self.o.buf.push_str("\": ");
    }

    /// `v`, pretty-printed as if `depth` levels deep.
    fn value(&mut self, depth: usize, v: &impl serde::Serialize) -> Result<()> {
        self.scratch.clear();
        crate::cli::json::write_pretty(&mut self.scratch, v).map_err(|e| Error::io("writing JSON", e.into()))?;
        let text = std::str::from_utf8(&self.scratch).map_err(|e| Error::invalid(format!("writing JSON: {e}")))?;
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.o.buf.push('\n');
                for _ in 0..depth {
                    self.o.buf.push_str("  ");
                }
            }
            self.o.buf.push_str(line);
        }
        Ok(())
    }

    /// One more element of the array being written, `depth` deep.
    fn element(&mut self, rows: usize, depth: usize, v: &impl serde::Serialize) -> Result<()> {
        if rows > 0 {
            self.o.buf.push(',');
        }
        self.indent(depth);
        self.value(depth, v)?;
        self.o.pass_on()
    }

    /// Closes an array of `rows` elements whose key is `depth` deep.
    fn close_array(&mut self, rows: usize, depth: usize) {
        if rows > 0 {
            self.indent(depth);
        }
        self.o.buf.push(']');
    }

    fn open_carried(&mut self) {
        if let Phase::New { rows } = self.phase {
            self.close_array(rows, self.depth);
            self.key(self.depth, "carried_forward", false);
            self.o.buf.push('[');
            self.phase = Phase::Carried { rows: 0 };
        }
    }
}

impl MinutesSink for JsonWriter<'_> {
    fn opening(&mut self, op: &Opening<'_>) -> Result<()> {
        self.o.buf.push('{');
        self.key(1, "format", true);
        self.value(1, &"qprm-minutes/1")?;
        self.key(1, "meeting", false);
        self.value(1, op.meeting)?;
        self.key(1, "approval_history", false);
        self.value(1, &op.approval_history)?;
        self.key(1, "previous", false);
        self.value(1, &op.previous)?;
        self.key(1, "services", false);
        self.o.buf.push('[');
        self.o.pass_on()
    }

    fn service(&mut self, s: &ServiceHeading) -> Result<()> {
        if self.services > 0 {
            self.o.buf.push(',');
        }
        self.services += 1;
        self.indent(2);
        self.o.buf.push('{');
        self.key(3, "service", true);
        self.value(3, &s.service)?;
        self.key(3, "headline", false);
        self.value(3, &s.headline)?;
        self.key(3, "greens", false);
        self.value(3, &s.greens)?;
        self.key(3, "audits", false);
        self.value(3, &s.audits)?;
        self.depth = 3;
        self.o.pass_on()
    }

    fn other_business(&mut self) -> Result<()> {
        self.close_array(self.services, 1);
        self.key(1, "other_business", false);
        self.o.buf.push('{');
        self.depth = 2;
        Ok(())
    }

    fn business(&mut self, b: &BusinessStart<'_>) -> Result<()> {
        let depth = self.depth;
        // The first key of other_business; a service's follow its heading.
        self.key(depth, "decisions", depth == 2);
        self.value(depth, &b.decisions)?;
        self.key(depth, "new_actions", false);
        self.o.buf.push('[');
        self.phase = Phase::New { rows: 0 };
        self.o.pass_on()
    }

    fn new_action(&mut self, a: &ActionRecord) -> Result<()> {
        if let Phase::New { rows } = self.phase {
            self.element(rows, self.depth + 1, a)?;
            self.phase = Phase::New { rows: rows + 1 };
        }
        Ok(())
    }

    fn carried(&mut self, c: &CarriedAction) -> Result<()> {
        self.open_carried();
        if let Phase::Carried { rows } = self.phase {
            self.element(rows, self.depth + 1, c)?;
            self.phase = Phase::Carried { rows: rows + 1 };
        }
        Ok(())
    }

    fn end_part(&mut self) -> Result<()> {
        self.open_carried();
        if let Phase::Carried { rows } = self.phase {
            self.close_array(rows, self.depth);
        }
        self.phase = Phase::Outside;
        self.indent(self.depth - 1);
        self.o.buf.push('}');
        self.o.pass_on()
    }

    fn summary(&mut self, owners: &[OwnerSummary]) -> Result<()> {
        self.key(1, "action_summary", false);
        self.value(1, &owners)?;
        self.o.buf.push_str("\n}\n");
        self.o.flush()
    }
}
