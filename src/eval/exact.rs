//! Exact arithmetic for evaluation's hot path: the same values, in the same reduced form,
//! as `Ratio`'s own operators, without the gcds and divisions they spend.
//!
//! Every `Exact` the engine builds is reduced with a positive denominator (`Ratio::new`'s
//! normal form), so a comparison can cross-multiply in `i128` (exact for any two `i64`
//! ratios) and a sum with a whole number needs no new gcd. Values outside that form (a
//! zero or negative denominator) fall back to `Ratio`'s operators.

use std::cmp::Ordering;

use crate::check::model::Exact;

/// `a` against `b`, as `Ratio`'s `Ord` orders them.
#[inline]
pub(crate) fn compare(a: Exact, b: Exact) -> Ordering {
    let (ad, bd) = (*a.denom(), *b.denom());
    if ad == bd && ad > 0 {
        // Whole numbers, or fractions over the same denominator.
        return a.numer().cmp(b.numer());
    }
    if ad > 0 && bd > 0 {
        let left = i128::from(*a.numer()) * i128::from(bd);
        let right = i128::from(*b.numer()) * i128::from(ad);
        left.cmp(&right)
    } else {
        a.cmp(&b)
    }
}

/// `a >= b`.
#[inline]
pub(crate) fn at_least(a: Exact, b: Exact) -> bool {
    compare(a, b) != Ordering::Less
}

/// `a + b`; whole numbers saturate instead of overflowing.
#[inline]
pub(crate) fn add(a: Exact, b: Exact) -> Exact {
    let (an, ad, bn, bd) = (*a.numer(), *a.denom(), *b.numer(), *b.denom());
    if ad == 1 && bd == 1 {
        return Exact::from_integer(an.saturating_add(bn));
    }
    // n/d + k keeps d and stays reduced: gcd(n + k·d, d) = gcd(n, d).
    let sum = if bd == 1 && ad > 0 {
        bn.checked_mul(ad)
            .and_then(|k| an.checked_add(k))
            .map(|n| (n, ad))
    } else if ad == 1 && bd > 0 {
        an.checked_mul(bd)
            .and_then(|k| bn.checked_add(k))
            .map(|n| (n, bd))
    } else {
        None
    };
    match sum {
        Some((n, d)) => Exact::new_raw(n, d),
        None => a + b,
    }
}

/// `a - b`; whole numbers saturate instead of overflowing.
#[inline]
pub(crate) fn minus(a: Exact, b: Exact) -> Exact {
    let (an, ad, bn, bd) = (*a.numer(), *a.denom(), *b.numer(), *b.denom());
    if ad == 1 && bd == 1 {
        return Exact::from_integer(an.saturating_sub(bn));
    }
    let difference = if bd == 1 && ad > 0 {
        bn.checked_mul(ad)
            .and_then(|k| an.checked_sub(k))
            .map(|n| (n, ad))
    } else if ad == 1 && bd > 0 {
        an.checked_mul(bd)
            .and_then(|k| k.checked_sub(bn))
            .map(|n| (n, bd))
    } else {
        None
    };
    match difference {
        Some((n, d)) => Exact::new_raw(n, d),
        None => a - b,
    }
}

/// `years × 12`; whole numbers saturate instead of overflowing.
#[inline]
pub(crate) fn times_twelve(years: Exact) -> Exact {
    let (n, d) = (*years.numer(), *years.denom());
    if d == 1 {
        return Exact::from_integer(n.saturating_mul(12));
    }
    if d <= 0 {
        return years * Exact::from_integer(12);
    }
    // gcd(12, d) from d's factors 2 and 3; n/d reduced makes (n·12/g)/(d/g) reduced.
    let twos = if d % 4 == 0 {
        4
    } else if d % 2 == 0 {
        2
    } else {
        1
    };
    let g = if d % 3 == 0 { twos * 3 } else { twos };
    match n.checked_mul(12 / g) {
        Some(scaled) => Exact::new_raw(scaled, d / g),
        None => years * Exact::from_integer(12),
    }
}

/// `n / d` reduced, as `Exact::new` gives it, with a binary gcd on machine words.
pub(crate) fn reduced(n: i64, d: i64) -> Exact {
    if d <= 0 || n == i64::MIN {
        return Exact::new(n, d);
    }
    let g = gcd(n.unsigned_abs(), d.unsigned_abs());
    // g ≤ d ≤ i64::MAX, so it fits; and g divides both exactly.
    let g = i64::try_from(g).unwrap_or(1);
    Exact::new_raw(n / g, d / g)
}

/// The smallest whole number not below `value`, as `value.ceil()` gives it, without
/// building a ratio; saturates at the ends of `i64`.
pub(crate) fn ceil_whole(value: Exact) -> i64 {
    let (n, d) = (*value.numer(), *value.denom());
    if d == 1 {
        return n;
    }
    if d > 1 {
        // |n / d| < |n|, so the step up cannot overflow.
        let below = n.div_euclid(d);
        return below + i64::from(n.rem_euclid(d) != 0);
    }
    // Not reduced (a zero or negative denominator): in wide integers.
    let (mut n, mut d) = (i128::from(n), i128::from(d));
    if d < 0 {
        (n, d) = (-n, -d);
    }
    if d == 0 {
        return 0;
    }
    let whole = n.div_euclid(d) + i128::from(n.rem_euclid(d) != 0);
    i64::try_from(whole).unwrap_or(if whole < 0 { i64::MIN } else { i64::MAX })
}

/// Stein's binary gcd; `gcd(0, 0)` is 0.
fn gcd(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use proptest::prelude::*;

    /// Reduced ratios across the whole `i64` range, with small and huge parts.
    fn exact() -> impl Strategy<Value = Exact> {
        let part = prop_oneof![-1000i64..1000, any::<i64>()];
        let denom = prop_oneof![1i64..1000, 1i64..=i64::MAX];
        (part, denom)
            .prop_filter("i64::MIN has no reduced negation", |(n, _)| *n != i64::MIN)
            .prop_map(|(n, d)| Exact::new(n, d))
    }

    fn same(a: Exact, b: Exact) -> bool {
        a.numer() == b.numer() && a.denom() == b.denom()
    }

    proptest! {
        #[test]
        fn comparison_matches_ratio(a in exact(), b in exact()) {
            prop_assert_eq!(compare(a, b), a.cmp(&b));
            prop_assert_eq!(at_least(a, b), a >= b);
        }

        #[test]
        fn small_sums_match_ratio(a in exact(), k in -1_000_000i64..1_000_000) {
            let whole = Exact::from_integer(k);
            let small = Exact::new(*a.numer() % 1_000_000, (*a.denom() % 1_000_000).max(1));
            prop_assert!(same(add(small, whole), small + whole));
            prop_assert!(same(add(whole, small), whole + small));
            prop_assert!(same(minus(small, whole), small - whole));
            prop_assert!(same(minus(whole, small), whole - small));
            prop_assert!(same(times_twelve(small), small * Exact::from_integer(12)));
        }

        #[test]
        fn sums_of_fractions_match_ratio(a in exact(), b in exact()) {
            let a = Exact::new(*a.numer() % 100_000, (*a.denom() % 100_000).max(1));
            let b = Exact::new(*b.numer() % 100_000, (*b.denom() % 100_000).max(1));
            prop_assert!(same(add(a, b), a + b));
            prop_assert!(same(minus(a, b), a - b));
        }

        #[test]
        fn ceiling_matches_ratio(n in -1_000_000_000_000i64..1_000_000_000_000, d in 1i64..1_000_000) {
            let a = Exact::new(n, d);
            prop_assert_eq!(ceil_whole(a), a.ceil().to_integer());
            // Not reduced, or with the sign below: the same value, the same ceiling.
            prop_assert_eq!(ceil_whole(Exact::new_raw(-n, -d)), a.ceil().to_integer());
            prop_assert_eq!(ceil_whole(Exact::new_raw(n * 3, d * 3)), a.ceil().to_integer());
        }

        #[test]
        fn reduction_matches_ratio(n in any::<i64>(), d in 1i64..=i64::MAX) {
            prop_assume!(n != i64::MIN);
            prop_assert!(same(reduced(n, d), Exact::new(n, d)));
        }
    }

    #[test]
    fn edges_match_ratio() {
        let cases = [
            (0, 1),
            (0, 377_580),
            (377_580, 377_580),
            (-377_580 * 4, 377_580),
            (i64::MAX, 1),
            (i64::MAX, i64::MAX),
            (i64::MIN + 1, 3),
        ];
        for (n, d) in cases {
            assert!(same(reduced(n, d), Exact::new(n, d)), "{n}/{d}");
        }
        let max = Exact::from_integer(i64::MAX);
        assert_eq!(add(max, Exact::from_integer(1)), max);
        assert_eq!(times_twelve(max), max);
        assert_eq!(
            minus(Exact::from_integer(i64::MIN + 1), max),
            Exact::from_integer(i64::MIN)
        );
        let half = Exact::new(1, 2);
        assert_eq!(add(half, Exact::from_integer(2)), Exact::new(5, 2));
        assert_eq!(times_twelve(Exact::new(7, 8)), Exact::new(21, 2));
        assert_eq!(compare(Exact::new(1, 3), Exact::new(2, 6)), Ordering::Equal);
    }
}
