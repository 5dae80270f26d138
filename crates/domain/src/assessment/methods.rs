//! The five methods (assessment.md, Methods): how a measure `a` becomes points, `w` the
//! weight. Exact decimal throughout (rust_decimal: 28 significant digits, so ≥ 6
//! fractional digits for any realistic amount); the points are unrounded here — [`round`]
//! is the one rounding, applied by the run.

use rust_decimal::{Decimal, RoundingStrategy};

use super::Method;
use super::scheme::Indicator;

/// Rounded half-up (away from zero) to 2 decimals, scale 2: `36` → `36.00`, `12.345` → `12.35`.
pub fn round(points: Decimal) -> Decimal {
    let mut r = points.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

// 三(三): 招商引资指标完成情况 — completion of the unit's target.
/// `ratio_to_target`: `w × min(a / target, cap)`. `target` > 0 (the scheme checks it).
pub fn ratio_to_target(w: Decimal, a: Decimal, target: Decimal, cap: Decimal) -> Decimal {
    // a ratio too large to represent is above any cap
    let ratio = a.checked_div(target).map_or(cap, |r| r.min(cap));
    w * ratio
}

// 三(三): 综合评比排名 — measured against the best unit.
/// `relative_to_best`: `w × a / max`; 0 when the max is 0 (every unit then has 0).
pub fn relative_to_best(w: Decimal, a: Decimal, max: Decimal) -> Decimal {
    if max.is_zero() { Decimal::ZERO } else { w * (a / max) }
}

/// `relative_to_best` with `lower_is_better = true`: `w × min / a`, and `w` where a = 0.
pub fn relative_to_best_lower(w: Decimal, a: Decimal, min: Decimal) -> Decimal {
    if a.is_zero() { w } else { w * (min / a) }
}

/// `rate`: `w × a`, a a share in [0, 1].
pub fn rate(w: Decimal, a: Decimal) -> Decimal {
    w * a
}

// 三(三)二: 党政正职领导带队外出拜访国内外500强和行业领军企业 — so many points each, up to w.
/// `count_points`: `min(points_each × a, w)`.
pub fn count_points(w: Decimal, points_each: Decimal, a: Decimal) -> Decimal {
    points_each.checked_mul(a).map_or(w, |p| p.min(w))
}

/// `efficacy` (功效系数法): `w × (0.6 + 0.4 × (a − min) / (max − min))`; `w` for every unit
/// when max = min.
pub fn efficacy(w: Decimal, a: Decimal, min: Decimal, max: Decimal) -> Decimal {
    if max == min {
        return w;
    }
    let share = (a - min) / (max - min);
    w * (Decimal::new(6, 1) + Decimal::new(4, 1) * share)
}

/// One indicator's unrounded points for every assessed unit: `values[k]` is unit k's measure
/// (≥ 0), `targets[k]` its target (read under `ratio_to_target` only); the maxima and
/// minima are over `values`.
pub fn indicator_points(i: &Indicator, values: &[Decimal], targets: &[Option<Decimal>]) -> Vec<Decimal> {
    let w = i.weight;
    let max = values.iter().copied().max().unwrap_or_default();
    let min = values.iter().copied().min().unwrap_or_default();
    values
        .iter()
        .enumerate()
        .map(|(k, &a)| match i.method {
            Method::RatioToTarget => {
                let target = targets.get(k).copied().flatten().unwrap_or(Decimal::ONE);
                ratio_to_target(w, a, target, i.cap.unwrap_or(Decimal::ONE))
            }
            Method::RelativeToBest if i.lower_is_better => relative_to_best_lower(w, a, min),
            Method::RelativeToBest => relative_to_best(w, a, max),
            Method::Rate => rate(w, a),
            Method::CountPoints => count_points(w, i.points_each.unwrap_or(Decimal::ONE), a),
            Method::Efficacy => efficacy(w, a, min, max),
        })
        .map(|p| p.normalize())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_is_half_up_to_two_decimals() {
        assert_eq!(round(d("36")).to_string(), "36.00");
        assert_eq!(round(d("12.345")).to_string(), "12.35");
        assert_eq!(round(d("12.344999")).to_string(), "12.34");
        assert_eq!(round(d("-2.005")).to_string(), "-2.01");
        assert_eq!(round(d("6.666666666666666666666666667")).to_string(), "6.67");
    }

    #[test]
    fn ratio_to_target_is_capped() {
        assert_eq!(ratio_to_target(d("40"), d("90000"), d("100000"), d("1.2")), d("36"));
        assert_eq!(ratio_to_target(d("40"), d("70000"), d("50000"), d("1.2")), d("48"), "1.4 capped at 1.2");
        assert_eq!(ratio_to_target(d("40"), d("70000"), d("50000"), Decimal::ONE), d("40"), "default cap 1");
        assert_eq!(ratio_to_target(d("40"), Decimal::ZERO, d("50000"), d("1.2")), Decimal::ZERO);
        let huge = ratio_to_target(d("40"), Decimal::MAX, d("0.0000001"), d("1.5"));
        assert_eq!(huge, d("60"), "an overflowing ratio is above the cap");
    }

    #[test]
    fn relative_to_best_edges() {
        assert_eq!(relative_to_best(d("20"), d("2"), d("4")), d("10"));
        assert_eq!(relative_to_best(d("20"), Decimal::ZERO, Decimal::ZERO), Decimal::ZERO, "max 0: 0 for all");
        assert_eq!(relative_to_best_lower(d("30"), d("10"), d("5")), d("15"));
        assert_eq!(relative_to_best_lower(d("30"), Decimal::ZERO, Decimal::ZERO), d("30"), "a = 0: w");
        assert_eq!(relative_to_best_lower(d("30"), d("7"), Decimal::ZERO), Decimal::ZERO, "another unit has 0");
        assert_eq!(round(relative_to_best(d("10"), d("1"), d("3"))).to_string(), "3.33");
    }

    #[test]
    fn rate_and_count_points() {
        assert_eq!(rate(d("20"), d("0.6")), d("12"));
        assert_eq!(rate(d("20"), Decimal::ZERO), Decimal::ZERO);
        assert_eq!(count_points(d("20"), d("5"), d("3")), d("15"));
        assert_eq!(count_points(d("20"), d("5"), d("5")), d("20"), "25 capped at w");
        assert_eq!(count_points(d("20"), d("5"), Decimal::MAX), d("20"), "overflow is above w");
    }

    #[test]
    fn efficacy_spans_sixty_to_a_hundred_percent() {
        assert_eq!(efficacy(d("10"), d("0"), d("0"), d("50")), d("6"));
        assert_eq!(efficacy(d("10"), d("50"), d("0"), d("50")), d("10"));
        assert_eq!(efficacy(d("10"), d("25"), d("0"), d("50")), d("8"));
        assert_eq!(efficacy(d("10"), d("7"), d("7"), d("7")), d("10"), "max = min: w for all");
    }
}
