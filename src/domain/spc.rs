//! Statistical process control (an XmR chart) for one indicator, by the
//! Making Data Count rules the SPEC quotes: process limits, which points are
//! special cause, and the indicator's variation and assurance. Plain
//! arithmetic on values in period order, no I/O: the screen, the CLI and the
//! minutes all call `spc`.

use super::Polarity;
use super::rag::str_enum;

/// Fewer values than this and there is no chart: limits from a handful of
/// months would call ordinary wobble a signal.
pub const MIN_POINTS: usize = 12;
/// Moving ranges above this many times their mean are left out (screening).
const SCREEN: f64 = 3.267;
/// Process limits are the mean ± this many mean moving ranges.
const SIGMA3: f64 = 2.66;
/// Runs and trends: this many consecutive points.
const RUN: usize = 7;

str_enum!(
    /// The latest point's kind of variation.
    Variation {
        CommonCause = "common_cause",
        SpecialCauseImprovement = "special_cause_improvement",
        SpecialCauseConcern = "special_cause_concern",
        None = "none",
    }
);

str_enum!(
    /// Whether the process, as it runs, can be relied on to meet the target.
    Assurance {
        ConsistentlyPass = "consistently_pass",
        ConsistentlyFail = "consistently_fail",
        HitAndMiss = "hit_and_miss",
        None = "none",
    }
);

str_enum!(
    /// A special-cause point, by the polarity's side of the mean.
    SpecialCause { Improvement = "improvement", Concern = "concern" }
);

/// One stretch of the series with its own limits: the whole series, or the
/// stretches before and after each applied rebase.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Segment {
    /// Index of the first value in the segment; it runs to the next
    /// segment's start (or the end).
    pub start: usize,
    pub mean: f64,
    /// The mean moving range after screening.
    pub mean_moving_range: f64,
    pub lower_limit: f64,
    pub upper_limit: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spc {
    /// At least one; the last gives the headline mean, limits and assurance.
    pub segments: Vec<Segment>,
    /// Per value (same order): special cause, or `None` for common cause.
    pub points: Vec<Option<SpecialCause>>,
    pub variation: Variation,
    pub assurance: Assurance,
    /// The rebases applied (value indices where a new segment starts): a
    /// rebase leaving fewer than `MIN_POINTS` values on either side waits.
    pub rebases: Vec<usize>,
}

impl Spc {
    /// The segment a value belongs to.
    pub fn segment_of(&self, index: usize) -> &Segment {
        let i = self.segments.iter().rposition(|s| s.start <= index).unwrap_or(0);
        &self.segments[i]
    }

    pub fn latest(&self) -> &Segment {
        &self.segments[self.segments.len() - 1]
    }
}

/// Which side of the mean: +1 above, -1 below, 0 on it (to rounding).
fn side(x: f64, mean: f64, tol: f64) -> i8 {
    if x > mean + tol {
        1
    } else if x < mean - tol {
        -1
    } else {
        0
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// Limits for one segment's values.
fn limits(values: &[f64], start: usize) -> Segment {
    let m = mean(values.iter().copied());
    let ranges: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let raw = mean(ranges.iter().copied());
    // Screening: one wild month must not widen the limits enough to hide itself.
    let screened = mean(ranges.iter().copied().filter(|r| *r <= SCREEN * raw));
    let half = SIGMA3 * screened;
    Segment { start, mean: m, mean_moving_range: screened, lower_limit: m - half, upper_limit: m + half }
}

/// Special cause flags for one segment's values, by the four rules.
fn flags(values: &[f64], seg: &Segment, polarity: Polarity) -> Vec<Option<SpecialCause>> {
    let n = values.len();
    // Rounding tolerance: values typed to a decimal or two; the sums above
    // are exact to far better than this.
    let tol = 1e-9 * (1.0 + seg.mean.abs() + seg.mean_moving_range);
    let sides: Vec<i8> = values.iter().map(|&x| side(x, seg.mean, tol)).collect();
    let half = seg.upper_limit - seg.mean;
    let outside: Vec<bool> = values.iter().map(|&x| x > seg.upper_limit + tol || x < seg.lower_limit - tol).collect();
    let near: Vec<bool> =
        values.iter().zip(&outside).map(|(&x, &out)| !out && (x - seg.mean).abs() > half * 2.0 / 3.0 + tol).collect();
    let mut special = outside.clone();

    // Runs of 7+ on one side; a point on the mean (side 0) ends a run.
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && sides[j] == sides[i] {
            j += 1;
        }
        if sides[i] != 0 && j - i >= RUN {
            special[i..j].iter_mut().for_each(|s| *s = true);
        }
        i = j;
    }

    // Trends: 7+ points, each strictly above (or below) the one before.
    // `trend[k]` remembers the direction for a point on the mean.
    let mut trend = vec![0i8; n];
    for dir in [1i8, -1] {
        let mut start = 0;
        for k in 1..=n {
            let continues = k < n && {
                let d = values[k] - values[k - 1];
                if dir > 0 { d > tol } else { d < -tol }
            };
            if !continues {
                if k - start >= RUN {
                    for p in start..k {
                        special[p] = true;
                        trend[p] = dir;
                    }
                }
                start = k;
            }
        }
    }

    // Two of three near the limits, all three on one side.
    for w in 0..n.saturating_sub(2) {
        let s = sides[w];
        if s != 0 && sides[w + 1] == s && sides[w + 2] == s && near[w..w + 3].iter().filter(|b| **b).count() >= 2 {
            for p in w..w + 3 {
                if near[p] {
                    special[p] = true;
                }
            }
        }
    }

    let good = if polarity == Polarity::HigherIsBetter { 1 } else { -1 };
    (0..n)
        .map(|k| {
            special[k].then(|| {
                // On the mean only a trend can flag a point: it goes the way the trend goes.
                let s = if sides[k] != 0 { sides[k] } else { trend[k] };
                if s == good { SpecialCause::Improvement } else { SpecialCause::Concern }
            })
        })
        .collect()
}

/// The XmR chart of `values` (in period order) with the polarity, the
/// target (if any) and rebase points (indices where the process changed; a
/// rebase is applied only when it leaves at least `MIN_POINTS` values on
/// each side). `None` below `MIN_POINTS` values.
pub fn spc(values: &[f64], polarity: Polarity, target: Option<f64>, rebases: &[usize]) -> Option<Spc> {
    if values.len() < MIN_POINTS || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut starts = vec![0usize];
    let mut wanted: Vec<usize> = rebases.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    for r in wanted {
        let last = starts[starts.len() - 1];
        if r >= last + MIN_POINTS && r + MIN_POINTS <= values.len() {
            starts.push(r);
        }
    }
    let mut segments = Vec::with_capacity(starts.len());
    let mut points = Vec::with_capacity(values.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(values.len());
        let seg = limits(&values[start..end], start);
        points.extend(flags(&values[start..end], &seg, polarity));
        segments.push(seg);
    }
    let variation = match points.last().copied().flatten() {
        Some(SpecialCause::Improvement) => Variation::SpecialCauseImprovement,
        Some(SpecialCause::Concern) => Variation::SpecialCauseConcern,
        None => Variation::CommonCause,
    };
    let latest = &segments[segments.len() - 1];
    let assurance = match target {
        None => Assurance::None,
        Some(t) => {
            let (above, below) = (t > latest.upper_limit, t < latest.lower_limit);
            match (polarity, above, below) {
                (Polarity::HigherIsBetter, true, _) | (Polarity::LowerIsBetter, _, true) => Assurance::ConsistentlyFail,
                (Polarity::HigherIsBetter, _, true) | (Polarity::LowerIsBetter, true, _) => Assurance::ConsistentlyPass,
                _ => Assurance::HitAndMiss,
            }
        }
    };
    starts.remove(0);
    Some(Spc { segments, points, variation, assurance, rebases: starts })
}

/// Variation and assurance, `none` when there is no chart.
pub fn summary(spc: Option<&Spc>) -> (Variation, Assurance) {
    spc.map_or((Variation::None, Assurance::None), |s| (s.variation, s.assurance))
}

impl Variation {
    /// One ASCII character: `~` common cause, `+` improvement, `!` concern.
    pub fn symbol(self) -> &'static str {
        match self {
            Variation::CommonCause => "~",
            Variation::SpecialCauseImprovement => "+",
            Variation::SpecialCauseConcern => "!",
            Variation::None => "-",
        }
    }

    /// A symbol and a short word, so it reads without colour.
    pub fn label(self) -> &'static str {
        match self {
            Variation::CommonCause => "~ common",
            Variation::SpecialCauseImprovement => "+ improving",
            Variation::SpecialCauseConcern => "! concern",
            Variation::None => "- none",
        }
    }

    /// In a sentence: the minutes and `kpi CODE`.
    pub fn words(self) -> &'static str {
        match self {
            Variation::CommonCause => "common cause (ordinary variation)",
            Variation::SpecialCauseImprovement => "special cause: improvement",
            Variation::SpecialCauseConcern => "special cause: concern",
            Variation::None => "not enough data (fewer than 12 months)",
        }
    }
}

impl Assurance {
    /// One ASCII character: `P` pass, `F` fail, `?` hit and miss.
    pub fn symbol(self) -> &'static str {
        match self {
            Assurance::ConsistentlyPass => "P",
            Assurance::ConsistentlyFail => "F",
            Assurance::HitAndMiss => "?",
            Assurance::None => "-",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Assurance::ConsistentlyPass => "P pass",
            Assurance::ConsistentlyFail => "F fail",
            Assurance::HitAndMiss => "? hit/miss",
            Assurance::None => "- none",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Assurance::ConsistentlyPass => "will consistently meet the target",
            Assurance::ConsistentlyFail => "will consistently miss the target",
            Assurance::HitAndMiss => "will hit and miss the target at random",
            Assurance::None => "no assurance (no target or too few months)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Polarity::*;
    use super::*;

    /// A steady series that trips no rule: 55, 45, 55… (mean 50, moving
    /// range 10, limits 23.4 – 76.6, near the limits beyond 50 ± 17.73).
    fn calm(n: usize) -> Vec<f64> {
        (0..n).map(|i| if i % 2 == 0 { 55.0 } else { 45.0 }).collect()
    }

    fn with(mut v: Vec<f64>, more: &[f64]) -> Vec<f64> {
        v.extend_from_slice(more);
        v
    }

    fn specials(s: &Spc) -> Vec<usize> {
        s.points.iter().enumerate().filter(|(_, p)| p.is_some()).map(|(i, _)| i).collect()
    }

    fn run(v: &[f64], p: Polarity) -> Spc {
        spc(v, p, None, &[]).unwrap()
    }

    #[test]
    fn fewer_than_twelve_values_is_none() {
        assert!(spc(&calm(11), HigherIsBetter, Some(50.0), &[]).is_none());
        assert_eq!(summary(None), (Variation::None, Assurance::None));
        assert!(spc(&calm(12), HigherIsBetter, Some(50.0), &[]).is_some());
    }

    #[test]
    fn limits_from_the_mean_moving_range() {
        let s = run(&calm(12), HigherIsBetter);
        let seg = s.latest();
        assert!((seg.mean - 50.0).abs() < 1e-12);
        assert!((seg.mean_moving_range - 10.0).abs() < 1e-12);
        assert!((seg.upper_limit - 76.6).abs() < 1e-9);
        assert!((seg.lower_limit - 23.4).abs() < 1e-9);
        assert!(specials(&s).is_empty(), "alternating series is common cause");
        assert_eq!(s.variation, Variation::CommonCause);
        assert_eq!(s.assurance, Assurance::None);
    }

    #[test]
    fn a_point_outside_the_limits() {
        let mut v = calm(12);
        v[11] = 100.0;
        let s = run(&v, HigherIsBetter);
        assert!(s.latest().upper_limit < 100.0);
        assert_eq!(specials(&s), vec![11]);
        assert_eq!(s.points[11], Some(SpecialCause::Improvement));
        assert_eq!(s.variation, Variation::SpecialCauseImprovement);
        let s = run(&v, LowerIsBetter);
        assert_eq!(s.variation, Variation::SpecialCauseConcern, "the same point is a concern when lower is better");
    }

    #[test]
    fn outlier_screening_leaves_out_the_wild_moving_range() {
        let mut v = calm(20);
        v[19] = 100.0;
        let raw: f64 = v.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / 19.0;
        assert!(55.0 > SCREEN * raw, "the jump's moving range is screened out");
        let s = run(&v, HigherIsBetter);
        let seg = s.latest();
        assert!((seg.mean_moving_range - 10.0).abs() < 1e-9, "screened {} raw {raw}", seg.mean_moving_range);
        assert!((seg.upper_limit - (seg.mean + 26.6)).abs() < 1e-9);
        assert_eq!(specials(&s), vec![19]);
    }

    #[test]
    fn a_run_of_seven_on_one_side() {
        // Seven just above the mean, wobbling: no trend, nothing near the limits.
        let v = with(calm(12), &[51.0, 52.0, 51.0, 52.0, 51.0, 52.0, 51.0, 45.0, 55.0]);
        let s = run(&v, HigherIsBetter);
        assert!(s.latest().mean < 51.0);
        assert_eq!(specials(&s), (12..19).collect::<Vec<_>>());
        assert!(s.points[12..19].iter().all(|p| *p == Some(SpecialCause::Improvement)));
        assert_eq!(s.variation, Variation::CommonCause, "the latest point is not in the run");
        let s = run(&v, LowerIsBetter);
        assert!(s.points[12..19].iter().all(|p| *p == Some(SpecialCause::Concern)));
    }

    #[test]
    fn six_on_one_side_is_not_a_run() {
        let v = with(calm(12), &[51.0, 52.0, 51.0, 52.0, 51.0, 52.0, 45.0, 55.0]);
        assert!(specials(&run(&v, HigherIsBetter)).is_empty());
    }

    #[test]
    fn a_point_on_the_mean_breaks_the_run() {
        // Mirrored about 50, so the mean is exactly 50 and index 3 is on it.
        let half = [52.0, 50.5, 52.0, 50.0, 50.5, 52.0, 50.5, 52.0, 50.5];
        let v: Vec<f64> = half.iter().copied().chain(half.iter().map(|x| 100.0 - x)).collect();
        let s = run(&v, HigherIsBetter);
        assert_eq!(s.latest().mean, 50.0);
        assert!(specials(&s).is_empty(), "3 above, one on the mean, 5 above: no run; {:?}", specials(&s));
        let mut unbroken = v.clone();
        unbroken[3] = 50.5;
        let s = run(&unbroken, HigherIsBetter);
        // Nine above the mean; the mean moves up a little, so the second
        // half's point at 50 is now below it and that half is a run of nine too.
        assert_eq!(specials(&s), (0..18).collect::<Vec<_>>());
    }

    #[test]
    fn a_trend_of_seven_rising() {
        // Rising through the mean (so no run); 55 before it breaks the rise.
        let v = with(calm(13), &[48.5, 49.0, 49.5, 50.0, 50.5, 51.0, 51.5]);
        let s = run(&v, HigherIsBetter);
        assert_eq!(specials(&s), (13..20).collect::<Vec<_>>());
        assert_eq!(s.variation, Variation::SpecialCauseImprovement);
        assert_eq!(run(&v, LowerIsBetter).variation, Variation::SpecialCauseConcern);
        // Six rising is no trend.
        let v = with(calm(13), &[49.0, 49.5, 50.0, 50.5, 51.0, 51.5, 49.0]);
        assert!(specials(&run(&v, HigherIsBetter)).is_empty());
    }

    #[test]
    fn a_point_on_the_mean_in_a_trend_goes_with_the_trend() {
        let v = with(calm(13), &[48.5, 49.0, 49.5, 50.0, 50.5, 51.0, 51.5]);
        let s = run(&v, HigherIsBetter);
        let on = (13..20).find(|&i| v[i] == s.latest().mean);
        if let Some(i) = on {
            assert_eq!(s.points[i], Some(SpecialCause::Improvement));
        }
        // Exactly on it: mean of calm(12) (50) and a rise summing to 7 × 50.
        let v = with(calm(12), &[47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0]);
        let s = run(&v, HigherIsBetter);
        assert_eq!(s.latest().mean, 50.0);
        assert_eq!(s.points[15], Some(SpecialCause::Improvement));
        assert_eq!(run(&v, LowerIsBetter).points[15], Some(SpecialCause::Concern));
    }

    #[test]
    fn a_trend_falling_and_a_flat_step_breaks_it() {
        let v = with(calm(12), &[51.5, 51.0, 50.5, 50.0, 49.5, 49.0, 48.5]);
        let s = run(&v, HigherIsBetter);
        assert_eq!(specials(&s), (12..19).collect::<Vec<_>>());
        let v = with(calm(12), &[51.5, 51.0, 50.5, 50.5, 49.5, 49.0, 48.5]);
        assert!(specials(&run(&v, HigherIsBetter)).is_empty(), "equal values break a trend");
    }

    #[test]
    fn two_of_three_near_the_limits() {
        let v = with(calm(30), &[73.0, 56.0, 73.0, 45.0]);
        let s = run(&v, HigherIsBetter);
        let seg = s.latest();
        let near = 2.0 / 3.0 * (seg.upper_limit - seg.mean);
        assert!(73.0 - seg.mean > near && 73.0 < seg.upper_limit, "73 is near the limit");
        assert!(56.0 - seg.mean < near && 56.0 > seg.mean, "56 is above the mean, not near");
        assert_eq!(specials(&s), vec![30, 32], "the near points, not the middle one");
        // One of three near: nothing.
        let v = with(calm(30), &[73.0, 56.0, 57.0, 45.0]);
        assert!(specials(&run(&v, HigherIsBetter)).is_empty());
        // Two near, on opposite sides: nothing.
        let v = with(calm(30), &[73.0, 28.0, 45.0, 55.0]);
        let s = run(&v, HigherIsBetter);
        let seg = s.latest();
        let near = 2.0 / 3.0 * (seg.upper_limit - seg.mean);
        assert!(seg.mean - 28.0 > near && 28.0 > seg.lower_limit);
        assert!(specials(&s).is_empty(), "{:?}", specials(&s));
    }

    #[test]
    fn assurance_by_polarity() {
        let v = calm(12); // limits 23.4 – 76.6
        let a = |p, t| spc(&v, p, t, &[]).unwrap().assurance;
        assert_eq!(a(HigherIsBetter, Some(80.0)), Assurance::ConsistentlyFail);
        assert_eq!(a(HigherIsBetter, Some(20.0)), Assurance::ConsistentlyPass);
        assert_eq!(a(HigherIsBetter, Some(50.0)), Assurance::HitAndMiss);
        assert_eq!(a(LowerIsBetter, Some(80.0)), Assurance::ConsistentlyPass);
        assert_eq!(a(LowerIsBetter, Some(20.0)), Assurance::ConsistentlyFail);
        assert_eq!(a(LowerIsBetter, Some(70.0)), Assurance::HitAndMiss);
        assert_eq!(a(LowerIsBetter, None), Assurance::None);
    }

    #[test]
    fn rebase_computes_limits_either_side() {
        let v: Vec<f64> = calm(12).into_iter().chain(calm(12).into_iter().map(|x| x + 20.0)).collect();
        // As one process the step is two runs of 12, and the latest is special.
        let whole = spc(&v, HigherIsBetter, Some(40.0), &[]).unwrap();
        assert_eq!(whole.segments.len(), 1);
        assert_eq!(whole.variation, Variation::SpecialCauseImprovement);
        assert_eq!(whole.assurance, Assurance::HitAndMiss);
        // Rebased at the step: two calm processes.
        let s = spc(&v, HigherIsBetter, Some(40.0), &[12]).unwrap();
        assert_eq!(s.rebases, vec![12]);
        assert_eq!(s.segments.len(), 2);
        assert!((s.segments[0].mean - 50.0).abs() < 1e-9 && (s.segments[1].mean - 70.0).abs() < 1e-9);
        assert!(specials(&s).is_empty());
        assert_eq!(s.variation, Variation::CommonCause);
        assert_eq!(s.assurance, Assurance::ConsistentlyPass, "target 40 is below the new lower limit 43.4");
        assert_eq!(s.segment_of(3).start, 0);
        assert_eq!(s.segment_of(12).start, 12);
        // A rebase leaving fewer than 12 on a side waits.
        let s = spc(&v, HigherIsBetter, None, &[13]).unwrap();
        assert!(s.rebases.is_empty() && s.segments.len() == 1);
    }
}
