//! `qprm kpi CODE`'s chart in text: one line a month, time running down,
//! each value placed on a strip between its process limits, so a chair
//! reading a terminal sees what the screen's chart shows.

use crate::domain::spc::SpecialCause;
use crate::store::{KpiSeries, SpcSegment};

/// Width of the strip, in characters.
pub const STRIP: usize = 31;

/// The strip's scale: every value, limit and the target fit.
pub struct Scale {
    lo: f64,
    hi: f64,
}

impl Scale {
    pub fn of(s: &KpiSeries) -> Scale {
        let mut xs: Vec<f64> = s.series.iter().map(|p| p.value).collect();
        for g in &s.spc.segments {
            xs.extend([g.lower_limit, g.upper_limit]);
        }
        xs.extend(s.latest.target);
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Scale { lo, hi }
    }

    fn col(&self, x: f64) -> usize {
        if self.hi > self.lo {
            (((x - self.lo) / (self.hi - self.lo)) * (STRIP - 1) as f64).round().clamp(0.0, (STRIP - 1) as f64) as usize
        } else {
            STRIP / 2
        }
    }
}

/// One month's strip: `|` the process limits, `:` the mean, `t` the
/// target, and the value as `o` (common cause), `+` (special cause,
/// improvement) or `!` (special cause, concern). Plain ASCII, so it reads
/// the same on every terminal and in a pipe.
pub fn strip(
    scale: &Scale,
    value: f64,
    seg: Option<&SpcSegment>,
    target: Option<f64>,
    flag: Option<SpecialCause>,
) -> String {
    let mut cells = vec![' '; STRIP];
    if let Some(t) = target {
        cells[scale.col(t)] = 't';
    }
    if let Some(g) = seg {
        cells[scale.col(g.mean)] = ':';
        cells[scale.col(g.lower_limit)] = '|';
        cells[scale.col(g.upper_limit)] = '|';
    }
    cells[scale.col(value)] = match flag {
        None => 'o',
        Some(SpecialCause::Improvement) => '+',
        Some(SpecialCause::Concern) => '!',
    };
    cells.into_iter().collect()
}

/// The segment a period belongs to (segments start at `from`).
pub fn segment_for<'a>(s: &'a KpiSeries, period: &str) -> Option<&'a SpcSegment> {
    s.spc.segments.iter().rev().find(|g| g.from.as_str() <= period)
}
