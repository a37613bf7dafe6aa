//! Property tests of statistical process control: the limits sit
//! symmetrically about the mean; adding a constant to every value (and the
//! target) moves the mean and limits by it and changes no flag; reversing
//! the polarity swaps improvement and concern (and pass and fail).

use proptest::prelude::*;
use qprm::domain::Polarity;
use qprm::domain::spc::{Assurance, SpecialCause, Variation, spc};

/// Whole tenths, as packs carry them.
fn series() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec((0i32..=1000).prop_map(|n| f64::from(n) / 10.0), 12..60)
}

fn polarity() -> impl Strategy<Value = Polarity> {
    prop_oneof![Just(Polarity::HigherIsBetter), Just(Polarity::LowerIsBetter)]
}

fn rebases() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0usize..60, 0..3)
}

fn flip(p: Polarity) -> Polarity {
    match p {
        Polarity::HigherIsBetter => Polarity::LowerIsBetter,
        Polarity::LowerIsBetter => Polarity::HigherIsBetter,
    }
}

proptest! {
    #[test]
    fn limits_are_symmetric_about_the_mean(v in series(), p in polarity(), r in rebases()) {
        let s = spc(&v, p, None, &r).unwrap();
        for seg in &s.segments {
            let (up, down) = (seg.upper_limit - seg.mean, seg.mean - seg.lower_limit);
            prop_assert!((up - down).abs() < 1e-9, "{seg:?}");
            prop_assert!(up >= 0.0);
        }
        prop_assert_eq!(s.points.len(), v.len());
    }

    #[test]
    fn adding_a_constant_shifts_everything_and_changes_no_flag(
        v in series(), p in polarity(), r in rebases(),
        c in (-5000i32..=5000).prop_map(|n| f64::from(n) / 10.0),
        t in proptest::option::of((0i32..=1000).prop_map(|n| f64::from(n) / 10.0)),
    ) {
        let a = spc(&v, p, t, &r).unwrap();
        let moved: Vec<f64> = v.iter().map(|x| x + c).collect();
        let b = spc(&moved, p, t.map(|t| t + c), &r).unwrap();
        prop_assert_eq!(&a.points, &b.points);
        prop_assert_eq!(a.variation, b.variation);
        prop_assert_eq!(&a.rebases, &b.rebases);
        prop_assert_eq!(a.segments.len(), b.segments.len());
        for (x, y) in a.segments.iter().zip(&b.segments) {
            prop_assert!((x.mean + c - y.mean).abs() < 1e-6);
            prop_assert!((x.lower_limit + c - y.lower_limit).abs() < 1e-6);
            prop_assert!((x.upper_limit + c - y.upper_limit).abs() < 1e-6);
        }
        // A target exactly on a limit may fall either side after rounding.
        let on_limit = t.is_some_and(|t| {
            let l = a.latest();
            (t - l.upper_limit).abs() < 1e-6 || (t - l.lower_limit).abs() < 1e-6
        });
        if !on_limit {
            prop_assert_eq!(a.assurance, b.assurance);
        }
    }

    #[test]
    fn reversing_polarity_swaps_improvement_and_concern(
        v in series(), p in polarity(), r in rebases(),
        t in proptest::option::of((0i32..=1000).prop_map(|n| f64::from(n) / 10.0)),
    ) {
        let a = spc(&v, p, t, &r).unwrap();
        let b = spc(&v, flip(p), t, &r).unwrap();
        let swapped: Vec<Option<SpecialCause>> = a.points.iter().map(|x| x.map(|s| match s {
            SpecialCause::Improvement => SpecialCause::Concern,
            SpecialCause::Concern => SpecialCause::Improvement,
        })).collect();
        prop_assert_eq!(&b.points, &swapped);
        let variation = match a.variation {
            Variation::SpecialCauseImprovement => Variation::SpecialCauseConcern,
            Variation::SpecialCauseConcern => Variation::SpecialCauseImprovement,
            other => other,
        };
        prop_assert_eq!(b.variation, variation);
        let assurance = match a.assurance {
            Assurance::ConsistentlyPass => Assurance::ConsistentlyFail,
            Assurance::ConsistentlyFail => Assurance::ConsistentlyPass,
            other => other,
        };
        prop_assert_eq!(b.assurance, assurance);
    }
}
