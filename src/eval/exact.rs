//! Exact arithmetic for evaluation: every sum, difference, product and quotient of exact
//! amounts is checked. The answer is the exact value in `Ratio::new`'s reduced form, or
//! `None` when that value has no `i64` numerator or denominator; never a wrapped,
//! saturated or rounded value.
//!
//! Every `Exact` the engine builds is reduced with a positive denominator, so a comparison
//! can cross-multiply in `i128` (exact for any two `i64` ratios) and a sum with a whole
//! number needs no new gcd. Other sums, products and quotients are formed in `i128`, where
//! no product of two `i64` parts overflows, and reduced there before they are narrowed.

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

/// `a + b` exactly, or `None` when the reduced sum does not fit an `i64` ratio.
#[inline]
pub(crate) fn add(a: Exact, b: Exact) -> Option<Exact> {
    let (an, ad, bn, bd) = (*a.numer(), *a.denom(), *b.numer(), *b.denom());
    if ad == 1 && bd == 1 {
        return an.checked_add(bn).map(Exact::from_integer);
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
        Some((n, d)) => Some(Exact::new_raw(n, d)),
        None => wide_sum(a, b, 1),
    }
}

/// `a - b` exactly, or `None` when the reduced difference does not fit an `i64` ratio.
#[inline]
pub(crate) fn minus(a: Exact, b: Exact) -> Option<Exact> {
    let (an, ad, bn, bd) = (*a.numer(), *a.denom(), *b.numer(), *b.denom());
    if ad == 1 && bd == 1 {
        return an.checked_sub(bn).map(Exact::from_integer);
    }
    // n/d - k and k - n/d keep d and stay reduced.
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
        Some((n, d)) => Some(Exact::new_raw(n, d)),
        None => wide_sum(a, b, -1),
    }
}

/// `a + sign·b` through 128-bit integers, where no product of two `i64` parts overflows.
fn wide_sum(a: Exact, b: Exact, sign: i128) -> Option<Exact> {
    let (an, ad) = wide_parts(a)?;
    let (bn, bd) = wide_parts(b)?;
    let left = an.checked_mul(bd)?;
    let right = bn.checked_mul(ad)?.checked_mul(sign)?;
    narrow(left.checked_add(right)?, ad.checked_mul(bd)?)
}

/// `a × b` exactly, or `None` when the reduced product does not fit an `i64` ratio.
#[inline]
pub(crate) fn times(a: Exact, b: Exact) -> Option<Exact> {
    if *b.denom() == 1 && *b.numer() == 1 {
        return Some(a);
    }
    let (an, ad) = wide_parts(a)?;
    let (bn, bd) = wide_parts(b)?;
    narrow(an.checked_mul(bn)?, ad.checked_mul(bd)?)
}

/// `a / b` exactly, or `None` when `b` is zero or the reduced quotient does not fit.
#[inline]
pub(crate) fn divide(a: Exact, b: Exact) -> Option<Exact> {
    let (an, ad) = wide_parts(a)?;
    let (bn, bd) = wide_parts(b)?;
    narrow(an.checked_mul(bd)?, ad.checked_mul(bn)?)
}

/// `years × 12` exactly, or `None` when it does not fit an `i64` ratio.
#[inline]
pub(crate) fn times_twelve(years: Exact) -> Option<Exact> {
    let (n, d) = (*years.numer(), *years.denom());
    if d == 1 {
        return n.checked_mul(12).map(Exact::from_integer);
    }
    if d <= 0 {
        return times(years, Exact::from_integer(12));
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
    n.checked_mul(12 / g)
        .map(|scaled| Exact::new_raw(scaled, d / g))
}

/// A ratio's parts in 128 bits, with the sign on the numerator; `None` for a zero
/// denominator.
fn wide_parts(value: Exact) -> Option<(i128, i128)> {
    let (n, d) = (i128::from(*value.numer()), i128::from(*value.denom()));
    match d.cmp(&0) {
        Ordering::Greater => Some((n, d)),
        Ordering::Less => Some((-n, -d)),
        Ordering::Equal => None,
    }
}

/// `n / d` reduced to `Ratio::new`'s normal form when both parts then fit an `i64`;
/// `None` for a zero denominator or parts that do not fit.
pub(crate) fn narrow(n: i128, d: i128) -> Option<Exact> {
    let (n, d) = match d.cmp(&0) {
        Ordering::Greater => (n, d),
        Ordering::Less => (n.checked_neg()?, d.checked_neg()?),
        Ordering::Equal => return None,
    };
    let g = wide_gcd(n.unsigned_abs(), d.unsigned_abs());
    let g = i128::try_from(g).ok()?;
    let (n, d) = (n / g, d / g);
    Some(Exact::new_raw(
        i64::try_from(n).ok()?,
        i64::try_from(d).ok()?,
    ))
}

/// The value to two decimal places, cut toward zero (never rounded up), in hundredths: a
/// figure shown never exceeds the exact one, so "11.99 months" is never shown as 12 beside a
/// threshold of 12 it does not meet. Exact for every `i64` ratio.
pub(crate) fn hundredths(value: Exact) -> i128 {
    let Some((n, d)) = wide_parts(value) else {
        return 0;
    };
    n * 100 / d
}

/// Stein's binary gcd on 128-bit words, on 64-bit words when both fit; `gcd(0, 0)` is 0.
pub(crate) fn wide_gcd(a: u128, b: u128) -> u128 {
    if let (Ok(a), Ok(b)) = (u64::try_from(a), u64::try_from(b)) {
        return u128::from(binary_gcd(a, b));
    }
    binary_gcd(a, b)
}

/// Stein's binary gcd for unsigned words of either width.
fn binary_gcd<T>(mut a: T, mut b: T) -> T
where
    T: Copy
        + Ord
        + std::ops::ShrAssign<u32>
        + std::ops::Shl<u32, Output = T>
        + std::ops::BitOr<Output = T>
        + std::ops::SubAssign
        + num_traits::PrimInt,
{
    let zero = T::zero();
    if a == zero {
        return b;
    }
    if b == zero {
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
        if b == zero {
            return a << shift;
        }
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use num_bigint::BigInt;
    use num_rational::Ratio;
    use proptest::prelude::*;

    type Big = Ratio<BigInt>;

    fn big(value: Exact) -> Big {
        Big::new(BigInt::from(*value.numer()), BigInt::from(*value.denom()))
    }

    /// The exact answer as an `i64` ratio when it is one.
    fn held(value: &Big) -> Option<Exact> {
        Some(Exact::new_raw(
            i64::try_from(value.numer()).ok()?,
            i64::try_from(value.denom()).ok()?,
        ))
    }

    /// Reduced ratios across the whole `i64` range, with small and huge parts, and large
    /// coprime denominators.
    fn exact() -> impl Strategy<Value = Exact> {
        let part = prop_oneof![-1000i64..1000, any::<i64>()];
        let denom = prop_oneof![
            1i64..1000,
            1i64..=i64::MAX,
            Just(999_999_937),
            Just(999_999_893),
            Just(4_611_686_018_427_387_904)
        ];
        (part, denom)
            .prop_filter("i64::MIN has no reduced negation", |(n, _)| *n != i64::MIN)
            .prop_map(|(n, d)| Exact::new(n, d))
    }

    fn same(a: Exact, b: Exact) -> bool {
        a.numer() == b.numer() && a.denom() == b.denom()
    }

    /// `fast` is the exact `slow` in reduced form, or `None` exactly when `slow` does not
    /// fit an `i64` ratio.
    fn exact_or_refused(fast: Option<Exact>, slow: &Big) -> Result<(), TestCaseError> {
        match (fast, held(slow)) {
            (Some(f), Some(s)) => prop_assert!(same(f, s), "{f} against {slow}"),
            (None, None) => {}
            (f, s) => prop_assert!(false, "{f:?} against {s:?} ({slow})"),
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn comparison_matches_ratio(a in exact(), b in exact()) {
            prop_assert_eq!(compare(a, b), big(a).cmp(&big(b)));
            prop_assert_eq!(at_least(a, b), big(a) >= big(b));
        }

        #[test]
        fn sums_are_exact_or_refused(a in exact(), b in exact()) {
            exact_or_refused(add(a, b), &(big(a) + big(b)))?;
            exact_or_refused(minus(a, b), &(big(a) - big(b)))?;
        }

        #[test]
        fn products_and_quotients_are_exact_or_refused(a in exact(), b in exact()) {
            exact_or_refused(times(a, b), &(big(a) * big(b)))?;
            exact_or_refused(times_twelve(a), &(big(a) * Big::from_integer(BigInt::from(12))))?;
            if *b.numer() != 0 {
                exact_or_refused(divide(a, b), &(big(a) / big(b)))?;
            } else {
                prop_assert_eq!(divide(a, b), None);
            }
        }

        #[test]
        fn hundredths_cut_toward_zero_as_ratio_does(a in exact()) {
            let cut = (big(a) * Big::from_integer(BigInt::from(100))).trunc().to_integer();
            prop_assert_eq!(BigInt::from(hundredths(a)), cut);
        }

        #[test]
        fn small_sums_match_ratio(a in exact(), k in -1_000_000i64..1_000_000) {
            let whole = Exact::from_integer(k);
            let small = Exact::new(*a.numer() % 1_000_000, (*a.denom() % 1_000_000).max(1));
            prop_assert!(same(add(small, whole).unwrap(), small + whole));
            prop_assert!(same(add(whole, small).unwrap(), whole + small));
            prop_assert!(same(minus(small, whole).unwrap(), small - whole));
            prop_assert!(same(minus(whole, small).unwrap(), whole - small));
            prop_assert!(same(times_twelve(small).unwrap(), small * Exact::from_integer(12)));
        }

        #[test]
        fn ceiling_matches_ratio(n in -1_000_000_000_000i64..1_000_000_000_000, d in 1i64..1_000_000) {
            let a = Exact::new(n, d);
            prop_assert_eq!(ceil_whole(a), a.ceil().to_integer());
            // Not reduced, or with the sign below: the same value, the same ceiling.
            prop_assert_eq!(ceil_whole(Exact::new_raw(-n, -d)), a.ceil().to_integer());
            prop_assert_eq!(ceil_whole(Exact::new_raw(n * 3, d * 3)), a.ceil().to_integer());
        }
    }

    #[test]
    fn edges_are_refused_not_saturated() {
        let max = Exact::from_integer(i64::MAX);
        assert_eq!(add(max, Exact::from_integer(1)), None);
        assert_eq!(times_twelve(max), None);
        assert_eq!(minus(Exact::from_integer(i64::MIN + 1), max), None);
        let half = Exact::new(1, 2);
        assert_eq!(add(half, Exact::from_integer(2)), Some(Exact::new(5, 2)));
        assert_eq!(times_twelve(Exact::new(7, 8)), Some(Exact::new(21, 2)));
        assert_eq!(compare(Exact::new(1, 3), Exact::new(2, 6)), Ordering::Equal);
        // 1/2⁶² hours over 40 full-time hours: the denominator 5·2⁶⁵ has no i64.
        let fine = Exact::new(1, 4_611_686_018_427_387_904);
        assert_eq!(divide(fine, Exact::from_integer(40)), None);
        // Three credits over large primes: the sum's denominator has no i64.
        let credits = [
            Exact::new(21_994_054_897, 999_999_893),
            Exact::new(94_103_528_285, 999_999_761),
        ];
        assert_eq!(add(credits[0], credits[1]), None);
        assert_eq!(divide(Exact::from_integer(1), Exact::from_integer(0)), None);
    }
}
