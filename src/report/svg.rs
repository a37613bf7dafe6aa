//! An indicator's SPC chart as inline SVG for the HTML minutes: values
//! joined month by month, the mean and process limits of each segment, the
//! target and baseline, and special-cause points drawn as shapes (a diamond
//! for improvement, a square for concern) as well as in colour, so it reads
//! printed in black and white. Self-contained: no scripts, no fonts or
//! files fetched, a fixed size that fits the width of an A4 page.

use crate::domain::sanitize::clean;
use crate::domain::spc::SpecialCause;
use crate::store::{KpiHistory, KpiRow};
use std::fmt::Write;

/// The drawing's size in SVG units; scaled to the page's width when printed.
const W: f64 = 640.0;
const H: f64 = 220.0;
/// Room for the axis labels (left, bottom) and the key (top).
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 28.0;

const IMPROVEMENT: &str = "#1f5fa8";
const CONCERN: &str = "#c05a00";
const COMMON: &str = "#555";

/// XML-escaped, sanitised text.
fn esc(s: &str) -> String {
    clean(s).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One decimal place, so the same data always gives the same bytes.
fn n(x: f64) -> String {
    format!("{x:.1}")
}

struct Frame {
    lo: f64,
    hi: f64,
    count: usize,
}

impl Frame {
    fn x(&self, i: f64) -> f64 {
        let span = (self.count.max(2) - 1) as f64;
        LEFT + (W - LEFT - RIGHT) * i / span
    }

    fn y(&self, v: f64) -> f64 {
        let span = if self.hi > self.lo { self.hi - self.lo } else { 1.0 };
        TOP + (H - TOP - BOTTOM) * (1.0 - (v - self.lo) / span)
    }
}

/// The chart, or `None` when the indicator has no values yet.
pub fn spc_chart(k: &KpiRow, h: &KpiHistory) -> Option<String> {
    if h.values.is_empty() {
        return None;
    }
    let count = h.values.len();
    let mut ys = h.values.clone();
    if let Some(s) = &h.spc {
        for g in &s.segments {
            ys.extend([g.lower_limit, g.upper_limit]);
        }
    }
    ys.extend(k.target);
    ys.extend(k.baseline);
    let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = if hi > lo { (hi - lo) * 0.06 } else { 1.0 };
    let f = Frame { lo: lo - pad, hi: hi + pad, count };
    let fmt = |v: f64| esc(&k.unit.format(v));

    let label = format!(
        "SPC chart of {} ({}): {} months; variation: {}; assurance: {}",
        k.name,
        k.code,
        count,
        h.variation().words(),
        h.assurance().words()
    );
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spc\" viewBox=\"0 0 {W} {H}\" width=\"100%\" role=\"img\" aria-label=\"{}\" font-family=\"Arial, sans-serif\" font-size=\"10\">\n<title>{}</title>\n",
        esc(&label),
        esc(&label)
    );
    // Axes, and the y axis labelled at the bottom, middle and top.
    let (x0, x1, y0, y1) = (LEFT, W - RIGHT, TOP, H - BOTTOM);
    let _ = writeln!(
        o,
        "<path d=\"M{} {} V{} H{}\" fill=\"none\" stroke=\"#888\" stroke-width=\"1\"/>",
        n(x0),
        n(y0),
        n(y1),
        n(x1)
    );
    for v in [f.lo, (f.lo + f.hi) / 2.0, f.hi] {
        let _ =
            writeln!(o, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", n(x0 - 4.0), n(f.y(v) + 3.0), fmt(v));
    }
    // Periods: about one label in six, the first and last always.
    let step = count.div_ceil(6).max(1);
    for i in (0..count).filter(|i| i % step == 0 || *i == count - 1) {
        if i == count - 1 && i % step != 0 && i % step < step / 2 {
            continue; // too close to the label before it
        }
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(f.x(i as f64)),
            n(H - 10.0),
            esc(&h.periods[i])
        );
    }
    // Mean and limits, each segment its own.
    if let Some(s) = &h.spc {
        for (i, g) in s.segments.iter().enumerate() {
            let end = s.segments.get(i + 1).map_or((count - 1) as f64, |next| next.start as f64 - 0.5);
            let start = if i == 0 { 0.0 } else { g.start as f64 - 0.5 };
            let (a, b) = (n(f.x(start)), n(f.x(end)));
            for (v, dash) in [
                (g.lower_limit, " stroke-dasharray=\"5 3\""),
                (g.upper_limit, " stroke-dasharray=\"5 3\""),
                (g.mean, ""),
            ] {
                let y = n(f.y(v));
                let _ = writeln!(
                    o,
                    "<line x1=\"{a}\" y1=\"{y}\" x2=\"{b}\" y2=\"{y}\" stroke=\"#777\" stroke-width=\"1\"{dash}/>"
                );
            }
            if i > 0 {
                let _ = writeln!(
                    o,
                    "<line x1=\"{a}\" y1=\"{}\" x2=\"{a}\" y2=\"{}\" stroke=\"#bbb\" stroke-width=\"1\"/>",
                    n(y0),
                    n(y1)
                );
            }
        }
    }
    if let Some(t) = k.target {
        let y = n(f.y(t));
        let _ = writeln!(
            o,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#b00020\" stroke-width=\"1.5\" stroke-dasharray=\"10 3 2 3\"/>",
            n(x0),
            n(x1)
        );
    }
    if let Some(b) = k.baseline {
        let y = n(f.y(b));
        let _ = writeln!(
            o,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#999\" stroke-width=\"1\" stroke-dasharray=\"1 3\"/>",
            n(x0),
            n(x1)
        );
    }
    // The values, then a mark on each month.
    let points: Vec<String> =
        h.values.iter().enumerate().map(|(i, v)| format!("{},{}", n(f.x(i as f64)), n(f.y(*v)))).collect();
    let _ = writeln!(
        o,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{COMMON}\" stroke-width=\"1.2\"/>",
        points.join(" ")
    );
    let flags = h.spc.as_ref().map(|s| &s.points);
    for (i, v) in h.values.iter().enumerate() {
        let (x, y) = (f.x(i as f64), f.y(*v));
        let _ = match flags.and_then(|p| p[i]) {
            None => writeln!(o, "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{COMMON}\"/>", n(x), n(y)),
            Some(SpecialCause::Improvement) => {
                writeln!(o, "<path d=\"M{} {} l5 5 l-5 5 l-5 -5 z\" fill=\"{IMPROVEMENT}\"/>", n(x), n(y - 5.0))
            }
            Some(SpecialCause::Concern) => writeln!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{CONCERN}\"/>",
                n(x - 4.0),
                n(y - 4.0)
            ),
        };
    }
    // The key, across the top.
    let mut key = vec![
        format!(
            "<circle cx=\"{}\" cy=\"12\" r=\"2.5\" fill=\"{COMMON}\"/><text x=\"{}\" y=\"15\">value</text>",
            n(x0),
            n(x0 + 6.0)
        ),
        format!(
            "<path d=\"M{} 7 l5 5 l-5 5 l-5 -5 z\" fill=\"{IMPROVEMENT}\"/><text x=\"{}\" y=\"15\">improvement</text>",
            n(x0 + 50.0),
            n(x0 + 58.0)
        ),
        format!(
            "<rect x=\"{}\" y=\"8\" width=\"8\" height=\"8\" fill=\"{CONCERN}\"/><text x=\"{}\" y=\"15\">concern</text>",
            n(x0 + 130.0),
            n(x0 + 141.0)
        ),
    ];
    let mut x = x0 + 195.0;
    if let Some(s) = &h.spc {
        let l = s.latest();
        key.push(format!(
            "<text x=\"{}\" y=\"15\">mean {} (solid), limits {} to {} (dashed)</text>",
            n(x),
            fmt(l.mean),
            fmt(l.lower_limit),
            fmt(l.upper_limit)
        ));
        x += 230.0;
    } else {
        key.push(format!("<text x=\"{}\" y=\"15\">no process limits: {count} of 12 months</text>", n(x)));
        x += 190.0;
    }
    if let Some(t) = k.target {
        key.push(format!("<text x=\"{}\" y=\"15\" fill=\"#b00020\">target {} (dash-dot)</text>", n(x), fmt(t)));
    }
    for part in key {
        let _ = writeln!(o, "{part}");
    }
    o.push_str("</svg>\n");
    Some(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spc::spc;
    use crate::domain::{Direction, Polarity, Rag, Unit};

    fn row() -> KpiRow {
        KpiRow {
            code: "X-1".into(),
            name: "A <test> & \"more\"".into(),
            service: None,
            priority: None,
            unit: Unit::Percent,
            polarity: Polarity::HigherIsBetter,
            period: Some("2023-12".into()),
            value: Some(74.0),
            note: None,
            previous_value: None,
            baseline: Some(50.0),
            target: Some(80.0),
            england: None,
            statistical_neighbours: None,
            rag: Rag::Amber,
            direction: Direction::None,
            variation: crate::domain::spc::Variation::None,
            assurance: crate::domain::spc::Assurance::None,
        }
    }

    #[test]
    fn self_contained_escaped_and_marks_special_causes_by_shape() {
        let mut values: Vec<f64> = (0..12).map(|i| if i % 2 == 0 { 55.0 } else { 45.0 }).collect();
        values.push(100.0);
        let periods = (0..13).map(|i| format!("{}-{:02}", 2022 + i / 12, i % 12 + 1)).collect();
        let h = KpiHistory {
            spc: spc(&values, Polarity::HigherIsBetter, Some(80.0), &[]),
            periods,
            values,
            rebases: vec![],
        };
        let svg = spc_chart(&row(), &h).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!svg.contains("<script") && !svg.contains("href") && !svg.contains("url("));
        assert!(svg.contains("A &lt;test&gt; &amp; &quot;more&quot;"));
        assert_eq!(svg.matches("<path d=\"M").count(), 3, "axes, one improvement diamond, its key");
        assert!(svg.contains("2022-01") && svg.contains("2023-01"));
        assert!(svg.contains("stroke-dasharray=\"5 3\""), "limits");
        let none = KpiHistory { periods: vec![], values: vec![], rebases: vec![], spc: None };
        assert!(spc_chart(&row(), &none).is_none());
    }
}
