//! A `Data` row restates its indicator's definition (name, unit, polarity,
//! baseline, target). Only when that differs from what is stored, or the
//! indicator is new, does the row define the indicator in the pack; the
//! stored parts the workbook has no column for (priority, periods,
//! comparators) are kept, so a restated definition is never a change.

use super::cells::{Row, Table, Value};
use super::tree::{Builder, number};
use crate::pack::IndicatorDef;
use crate::pack::json::Json;
use crate::pack::validate::Known;

impl Builder {
    /// Defines the row's indicator when it is new or its restated
    /// definition differs from the stored one.
    pub(super) fn definition(&mut self, t: &Table, r: &Row, known: &Known, k: usize) {
        let code = match r.cells.iter().find(|(c, _, _)| *c == "indicator") {
            Some((_, _, Value::Text(s))) => s.trim().to_string(),
            _ => return, // reported with the data value, if there is one
        };
        if self.defined.contains(&code) {
            return;
        }
        let cell = |key: &str| r.cells.iter().find(|(c, _, _)| *c == key).map(|(_, _, v)| v);
        let restated = ["name", "unit", "polarity", "baseline", "target"].iter().any(|k| cell(k).is_some());
        let stored = known.definitions.get(&code);
        if stored.is_none() && known.indicators.contains_key(&code) {
            return;
        }
        if let Some(d) = stored
            && !differs(d, &cell)
        {
            return;
        }
        // An unknown code with no definition beside it is more likely a typo:
        // the value's own check says so, with the nearest known code.
        if stored.is_none() && !restated {
            return;
        }
        let path = format!("indicators[{}]", self.indicators.len());
        self.places.insert(path.clone(), t.place(r.index, "indicator").unwrap_or_default());
        for (key, json_key) in [("baseline", "baseline.value"), ("target", "target.value")] {
            if let Some(place) = t.place(r.index, key) {
                self.places.insert(format!("{path}.{json_key}"), place.clone());
                self.places.insert(format!("{path}.{key}"), place);
            }
        }
        let mut pairs: Vec<(String, Json)> = vec![("code".into(), Json::Text(code.clone()))];
        self.places.insert(format!("{path}.code"), t.place(r.index, "indicator").unwrap_or_default());
        let service = match stored {
            Some(d) => d.service.clone(),
            None => Some(self.services[k].0.clone()),
        };
        for key in ["name", "unit", "polarity"] {
            if let Some(place) = t.place(r.index, key) {
                self.places.insert(format!("{path}.{key}"), place);
            }
            let stored_text = stored.map(|d| match key {
                "name" => d.name.clone(),
                "unit" => d.unit.as_str().to_string(),
                _ => d.polarity.as_str().to_string(),
            });
            match (cell(key), stored_text) {
                (Some(v), _) => {
                    let json = self.cell(&format!("{path}.{key}"), key, v);
                    pairs.push((key.into(), json));
                }
                (None, Some(s)) => pairs.push((key.into(), Json::Text(s))),
                (None, None) => {}
            }
        }
        if let Some(p) = stored.and_then(|d| d.priority.clone()) {
            pairs.push(("priority".into(), Json::Text(p)));
        }
        if let Some(s) = service {
            pairs.push(("service".into(), Json::Text(s)));
        }
        for key in ["baseline", "target"] {
            let (value, period) = match (key, stored) {
                ("baseline", Some(d)) => (d.baseline, d.baseline_period),
                (_, Some(d)) => (d.target, d.target_period),
                _ => (None, None),
            };
            let value = match cell(key) {
                Some(v) => Some(self.cell(&format!("{path}.{key}.value"), key, v)),
                None => value.map(number),
            };
            if let Some(value) = value {
                let mut point = vec![("value".to_string(), value)];
                if let Some(p) = period {
                    point.push(("period".into(), Json::Text(p.to_string())));
                }
                pairs.push((key.into(), Json::Object(point)));
            }
        }
        if let Some(d) = stored
            && (d.england.is_some() || d.statistical_neighbours.is_some())
        {
            let mut c = Vec::new();
            if let Some(e) = d.england {
                c.push(("england".to_string(), number(e)));
            }
            if let Some(s) = d.statistical_neighbours {
                c.push(("statistical_neighbours".to_string(), number(s)));
            }
            pairs.push(("comparators".into(), Json::Object(c)));
        }
        self.defined.push(code);
        self.indicators.push(Json::Object(pairs));
    }
}

/// Whether a row's restated definition differs from the stored one; an
/// empty cell restates nothing.
fn differs<'v>(d: &IndicatorDef, cell: &dyn Fn(&str) -> Option<&'v Value>) -> bool {
    let text = |key: &str, stored: &str| match cell(key) {
        None => false,
        Some(Value::Text(s)) => s.trim() != stored,
        Some(_) => true,
    };
    let num = |key: &str, stored: Option<f64>| match (cell(key), stored) {
        (None, _) => false,
        (Some(Value::Number(n) | Value::Percent(n)), Some(s)) => (n - s).abs() > 1e-9,
        _ => true,
    };
    text("name", &d.name)
        || text("unit", d.unit.as_str())
        || text("polarity", d.polarity.as_str())
        || num("baseline", d.baseline)
        || num("target", d.target)
}
