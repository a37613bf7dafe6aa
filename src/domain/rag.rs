//! RAG status and direction of travel, exactly as the SPEC's table says, plus
//! the indicator vocabulary (unit, polarity) they depend on.

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted words, for error messages.
            pub fn choices() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// What an indicator's numbers measure; `percent` is bounded to 0–100.
    Unit { Percent = "percent", Count = "count", RatePer10k = "rate_per_10k", Number = "number", Days = "days" }
);

str_enum!(Polarity { HigherIsBetter = "higher_is_better", LowerIsBetter = "lower_is_better" });

str_enum!(Rag { Green = "green", Amber = "amber", Red = "red", None = "none" });

str_enum!(Direction { Improving = "improving", Worsening = "worsening", Same = "same", None = "none" });

/// Values closer than this are "the same": pack values are decimals typed by
/// people, and 0.1 + 0.2 must equal 0.3 for direction of travel.
const EPSILON: f64 = 1e-9;

impl Unit {
    /// The valid range for a value of this unit, for validation messages.
    pub fn check(self, value: f64) -> Result<(), String> {
        if !value.is_finite() {
            return Err("must be a finite number".into());
        }
        match self {
            Unit::Percent if !(0.0..=100.0).contains(&value) => Err(format!("{value} is outside 0–100 for a percent")),
            Unit::Count if value < 0.0 || value.fract() != 0.0 => {
                Err(format!("{value} is not a whole, non-negative count"))
            }
            Unit::RatePer10k | Unit::Days if value < 0.0 => Err(format!("{value} must not be negative for {self}")),
            _ => Ok(()),
        }
    }

    /// Formats a value for tables: `91.5%`, `12`, `45.2 /10k`, `18 days`.
    pub fn format(self, value: f64) -> String {
        let n = format_number(value);
        match self {
            Unit::Percent => format!("{n}%"),
            Unit::RatePer10k => format!("{n}/10k"),
            Unit::Days => format!("{n}d"),
            Unit::Count | Unit::Number => n,
        }
    }
}

/// Up to one decimal place, no trailing `.0`.
pub fn format_number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// A one-line chart of values, lowest to highest: ▁▂▃▄▅▆▇█.
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (min, max) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    values
        .iter()
        .map(|v| if max > min { BARS[(((v - min) / (max - min)) * 7.0).round() as usize] } else { BARS[3] })
        .collect()
}

impl Polarity {
    /// The SPEC derives polarity from target vs baseline when it is absent;
    /// `None` when it cannot (no target, no baseline, or they are equal).
    pub fn derive(baseline: Option<f64>, target: Option<f64>) -> Option<Polarity> {
        let (b, t) = (baseline?, target?);
        if (t - b).abs() < EPSILON {
            None
        } else if t > b {
            Some(Polarity::HigherIsBetter)
        } else {
            Some(Polarity::LowerIsBetter)
        }
    }

    /// `a` is better than `b` under this polarity.
    fn better(self, a: f64, b: f64) -> bool {
        match self {
            Polarity::HigherIsBetter => a > b + EPSILON,
            Polarity::LowerIsBetter => a < b - EPSILON,
        }
    }

    /// `a` meets or beats `b`.
    fn at_least(self, a: f64, b: f64) -> bool {
        !self.better(b, a)
    }
}

/// The SPEC's RAG table: green when the target is met, amber when short of
/// target but no worse than baseline, red when worse than baseline (or short
/// of target when there is no baseline), `none` without a target.
pub fn rag_status(value: f64, baseline: Option<f64>, target: Option<f64>, polarity: Polarity) -> Rag {
    let Some(target) = target else {
        return Rag::None;
    };
    if polarity.at_least(value, target) {
        return Rag::Green;
    }
    match baseline {
        Some(b) if polarity.at_least(value, b) => Rag::Amber,
        _ => Rag::Red,
    }
}

/// Direction of travel from the previous value on record to this one.
pub fn direction(previous: Option<f64>, value: f64, polarity: Polarity) -> Direction {
    let Some(prev) = previous else {
        return Direction::None;
    };
    if polarity.better(value, prev) {
        Direction::Improving
    } else if polarity.better(prev, value) {
        Direction::Worsening
    } else {
        Direction::Same
    }
}

impl Rag {
    /// A symbol that reads without colour (monochrome projector, colour-blind viewers).
    pub fn symbol(self) -> &'static str {
        match self {
            Rag::Green => "●",
            Rag::Amber => "▲",
            Rag::Red => "■",
            Rag::None => "·",
        }
    }

    /// Symbol and upper-case word, e.g. `■ RED`.
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "● GREEN",
            Rag::Amber => "▲ AMBER",
            Rag::Red => "■ RED",
            Rag::None => "· none",
        }
    }
}

impl Direction {
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Improving => "↑ improving",
            Direction::Worsening => "↓ worsening",
            Direction::Same => "→ same",
            Direction::None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Polarity::*;
    use super::*;

    #[test]
    fn higher_is_better_every_branch() {
        let r = |v, b, t| rag_status(v, b, t, HigherIsBetter);
        assert_eq!(r(95.0, Some(90.0), Some(95.0)), Rag::Green, "equal to target is green");
        assert_eq!(r(99.0, Some(90.0), Some(95.0)), Rag::Green);
        assert_eq!(r(94.9, Some(90.0), Some(95.0)), Rag::Amber);
        assert_eq!(r(90.0, Some(90.0), Some(95.0)), Rag::Amber, "equal to baseline is amber");
        assert_eq!(r(89.9, Some(90.0), Some(95.0)), Rag::Red);
        assert_eq!(r(94.0, None, Some(95.0)), Rag::Red, "below target without baseline is red");
        assert_eq!(r(96.0, None, Some(95.0)), Rag::Green);
        assert_eq!(r(50.0, Some(90.0), None), Rag::None, "no target is none");
    }

    #[test]
    fn lower_is_better_every_branch() {
        let r = |v, b, t| rag_status(v, b, t, LowerIsBetter);
        assert_eq!(r(10.0, Some(20.0), Some(10.0)), Rag::Green);
        assert_eq!(r(5.0, Some(20.0), Some(10.0)), Rag::Green);
        assert_eq!(r(15.0, Some(20.0), Some(10.0)), Rag::Amber);
        assert_eq!(r(20.0, Some(20.0), Some(10.0)), Rag::Amber);
        assert_eq!(r(20.1, Some(20.0), Some(10.0)), Rag::Red);
        assert_eq!(r(11.0, None, Some(10.0)), Rag::Red);
        assert_eq!(r(11.0, Some(20.0), None), Rag::None);
    }

    #[test]
    fn baseline_equal_to_target_with_explicit_polarity() {
        // Amber is impossible: below target means below baseline.
        assert_eq!(rag_status(80.0, Some(80.0), Some(80.0), HigherIsBetter), Rag::Green);
        assert_eq!(rag_status(79.0, Some(80.0), Some(80.0), HigherIsBetter), Rag::Red);
        assert_eq!(rag_status(81.0, Some(80.0), Some(80.0), LowerIsBetter), Rag::Red);
        assert_eq!(rag_status(79.0, Some(80.0), Some(80.0), LowerIsBetter), Rag::Green);
    }

    #[test]
    fn derived_polarity() {
        assert_eq!(Polarity::derive(Some(90.0), Some(95.0)), Some(HigherIsBetter));
        assert_eq!(Polarity::derive(Some(20.0), Some(10.0)), Some(LowerIsBetter));
        assert_eq!(Polarity::derive(Some(20.0), Some(20.0)), None);
        assert_eq!(Polarity::derive(None, Some(20.0)), None);
        assert_eq!(Polarity::derive(Some(20.0), None), None);
    }

    #[test]
    fn direction_by_polarity() {
        assert_eq!(direction(None, 5.0, HigherIsBetter), Direction::None);
        assert_eq!(direction(Some(4.0), 5.0, HigherIsBetter), Direction::Improving);
        assert_eq!(direction(Some(6.0), 5.0, HigherIsBetter), Direction::Worsening);
        assert_eq!(direction(Some(4.0), 5.0, LowerIsBetter), Direction::Worsening);
        assert_eq!(direction(Some(6.0), 5.0, LowerIsBetter), Direction::Improving);
        assert_eq!(direction(Some(0.1 + 0.2), 0.3, LowerIsBetter), Direction::Same);
    }

    #[test]
    fn unit_ranges() {
        assert!(Unit::Percent.check(100.0).is_ok());
        assert!(Unit::Percent.check(100.1).is_err());
        assert!(Unit::Percent.check(-0.1).is_err());
        assert!(Unit::Count.check(3.5).is_err());
        assert!(Unit::Count.check(-1.0).is_err());
        assert!(Unit::Days.check(-1.0).is_err());
        assert!(Unit::Number.check(-1.0).is_ok());
        assert!(Unit::Number.check(f64::NAN).is_err());
        assert_eq!(Unit::Percent.format(91.5), "91.5%");
        assert_eq!(Unit::Count.format(12.0), "12");
    }
}
