//! Exact crediting of dated jobs: each day earns min(1, hours / full time), and days are
//! totalled in calendar months, so Jan 1 to Jun 30 is exactly 6 months.
//!
//! Time is measured in *month units*: one calendar month is [`UNITS_PER_MONTH`] units, the
//! least common multiple of 28, 29, 30 and 31, so every day of every month is a whole
//! number of units (a day of a 31-day month is 12 180 units). A date maps to the unit at
//! its start; a job is a half-open integer interval. Full-time days therefore add up with
//! plain integer additions; only part-time days need a rational share.

use jiff::civil::Date;
use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedMul, ToPrimitive};

use std::cmp::Ordering;

use super::exact::{at_least, compare, reduced};
use crate::check::model::Exact;
use crate::syntax::ast::OverlapRule;

/// Month units in one calendar month: lcm(28, 29, 30, 31).
pub const UNITS_PER_MONTH: i64 = 377_580;

/// `units` month units as months, reduced as `Exact::new` reduces them. The gcd with
/// [`UNITS_PER_MONTH`] = 2² · 3 · 5 · 7 · 29 · 31 is read off its prime factors, each
/// tested with a constant divisor.
fn units_to_months(units: i64) -> Exact {
    let pick = |divides: bool, factor: i64| if divides { factor } else { 1 };
    let twos = if units % 4 == 0 {
        4
    } else {
        pick(units % 2 == 0, 2)
    };
    let gcd = twos
        * pick(units % 3 == 0, 3)
        * pick(units % 5 == 0, 5)
        * pick(units % 7 == 0, 7)
        * pick(units % 29 == 0, 29)
        * pick(units % 31 == 0, 31);
    Exact::new_raw(units / gcd, UNITS_PER_MONTH / gcd)
}

/// The unit at the start of `date`.
pub fn day_start(date: Date) -> i64 {
    let month_index = i64::from(date.year()) * 12 + i64::from(date.month()) - 1;
    month_index * UNITS_PER_MONTH + i64::from(date.day() - 1) * day_units(date)
}

/// The unit just after the end of `date` (exclusive).
pub fn day_end(date: Date) -> i64 {
    day_start(date) + day_units(date)
}

/// The units one day of `date`'s month is worth.
fn day_units(date: Date) -> i64 {
    // Each month length spelled out, so that the division is by a constant.
    match date.days_in_month() {
        31 => UNITS_PER_MONTH / 31,
        30 => UNITS_PER_MONTH / 30,
        29 => UNITS_PER_MONTH / 29,
        28 => UNITS_PER_MONTH / 28,
        days => UNITS_PER_MONTH / i64::from(days).max(1),
    }
}

/// A job's share of a full-time day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Full time or more: the day earns 1.
    Full,
    /// A share strictly between 0 and 1.
    Part(Exact),
}

impl Weight {
    /// The weight of `hours` a week against `full_time` hours; `None` hours is full time.
    /// Zero or negative hours earn nothing.
    pub fn of(hours: Option<Exact>, full_time: Exact) -> Option<Weight> {
        let zero = Exact::from_integer(0);
        let Some(hours) = hours else {
            return Some(Weight::Full);
        };
        if compare(hours, zero) != Ordering::Greater
            || compare(full_time, zero) != Ordering::Greater
        {
            return None;
        }
        if at_least(hours, full_time) {
            return Some(Weight::Full);
        }
        if hours.is_integer() && full_time.is_integer() {
            // Both whole: the share needs no reduction to be exact.
            return Some(Weight::Part(Exact::new_raw(
                hours.to_integer(),
                full_time.to_integer(),
            )));
        }
        Some(Weight::Part(hours / full_time))
    }
}

/// One job (or the part of it before the evaluation date) in month units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub start: i64,
    /// Exclusive.
    pub end: i64,
    pub weight: Weight,
}

/// Credited experience in months, with the overlap that was counted once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit {
    pub months: Exact,
    /// Calendar months during which two or more of the jobs ran at once.
    pub overlap_months: Exact,
    /// Jobs that contributed any time.
    pub jobs: u32,
}

impl Default for Credit {
    fn default() -> Credit {
        Credit {
            months: Exact::from_integer(0),
            overlap_months: Exact::from_integer(0),
            jobs: 0,
        }
    }
}

type Wide = Ratio<i128>;

fn widen(r: Exact) -> Wide {
    Wide::new_raw(i128::from(*r.numer()), i128::from(*r.denom()))
}

/// Credits `intervals` under an overlap rule. `cuts` is scratch space, reused between calls.
pub fn credit_intervals(
    intervals: &[Interval],
    overlap: OverlapRule,
    cuts: &mut Vec<i64>,
) -> Credit {
    cuts.clear();
    cuts.resize(intervals.len() * 2, 0);
    credit_with(intervals, overlap, cuts)
}

/// Credits `intervals`, using `cuts` (at least twice as long as `intervals`) as scratch.
///
/// The timeline is cut wherever a job starts or ends; inside each piece the set of jobs is
/// constant, so the day credit is too.
pub fn credit_with(intervals: &[Interval], overlap: OverlapRule, cuts: &mut [i64]) -> Credit {
    if intervals.iter().all(|iv| iv.weight == Weight::Full) {
        return credit_full_time(intervals);
    }
    let mut used = 0usize;
    let mut jobs = 0u32;
    for iv in intervals.iter().filter(|iv| iv.start < iv.end) {
        let Some([start, end]) = cuts.get_mut(used..used + 2) else {
            break;
        };
        *start = iv.start;
        *end = iv.end;
        used += 2;
        jobs += 1;
    }
    if jobs == 0 {
        return Credit::default();
    }
    let cuts = cuts.get_mut(..used).unwrap_or_default();
    cuts.sort_unstable();
    let mut distinct = 0usize;
    let mut last = None;
    for i in 0..cuts.len() {
        let Some(value) = cuts.get(i).copied() else {
            break;
        };
        if last != Some(value) {
            if let Some(slot) = cuts.get_mut(distinct) {
                *slot = value;
            }
            distinct += 1;
            last = Some(value);
        }
    }
    let cuts = cuts.get(..distinct).unwrap_or_default();
    match common_denominator(intervals) {
        Some(denominator) => sweep_integer(intervals, overlap, cuts, denominator, jobs),
        None => sweep_rational(intervals, overlap, cuts, jobs),
    }
}

/// Jobs held at full time: the credited time is the union of the intervals and the
/// overlap is the time two or more cover, found in one pass over the intervals by start.
///
/// Every interval seen so far starts at or before the current one's start `s`, so a
/// point at or after `s` is covered by as many of them as end after it: once when it lies
/// before the latest end, twice when before the second latest.
fn credit_full_time(intervals: &[Interval]) -> Credit {
    let by_start = intervals.windows(2).all(|w| match w {
        [a, b] => a.start <= b.start,
        _ => true,
    });
    let spans = |iv: &Interval| (iv.start < iv.end).then_some((iv.start, iv.end));
    if by_start {
        // Jobs listed in time order, as usual: no copy and no sort.
        return full_time_pass(intervals.iter().filter_map(spans));
    }
    let mut sorted: smallvec::SmallVec<[(i64, i64); 8]> =
        intervals.iter().filter_map(spans).collect();
    sorted.sort_unstable();
    full_time_pass(sorted.into_iter())
}

/// [`credit_full_time`] over non-empty spans in order of start.
fn full_time_pass(mut spans: impl Iterator<Item = (i64, i64)>) -> Credit {
    let Some((first_start, first_end)) = spans.next() else {
        return Credit::default();
    };
    let mut union: i64 = first_end - first_start;
    let mut overlap: i64 = 0;
    let mut jobs: u32 = 1;
    // The first span covers once up to its end; nothing is covered twice yet.
    let (mut latest, mut second) = (first_end, first_start);
    for (start, end) in spans {
        jobs = jobs.saturating_add(1);
        union += end - start.max(latest).min(end);
        overlap += (end.min(latest) - start.max(second)).max(0);
        if end > latest {
            second = latest;
            latest = end;
        } else if end > second {
            second = end;
        }
    }
    Credit {
        months: units_to_months(union),
        overlap_months: months_of_units(overlap),
        jobs,
    }
}

/// The least common multiple of the part-time shares' denominators, when small enough for
/// the whole sweep to run on integers.
fn common_denominator(intervals: &[Interval]) -> Option<i64> {
    const LIMIT: i64 = 1 << 24;
    let mut lcm: i64 = 1;
    for iv in intervals {
        if let Weight::Part(p) = iv.weight {
            let d = *p.denom();
            lcm = lcm.checked_mul(d / gcd(lcm, d))?;
            if lcm > LIMIT || *p.numer() < 0 {
                return None;
            }
        }
    }
    Some(lcm)
}

fn gcd(mut a: i64, mut b: i64) -> i64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

/// The sweep with every share as an integer over `denominator`: no rational arithmetic
/// until the one division at the end.
fn sweep_integer(
    intervals: &[Interval],
    overlap: OverlapRule,
    cuts: &[i64],
    denominator: i64,
    jobs: u32,
) -> Credit {
    let mut full_units: i64 = 0;
    let mut overlap_units: i64 = 0;
    let mut partial: i128 = 0;
    for window in cuts.windows(2) {
        let [from, to] = window else { continue };
        let len = to - from;
        let mut count = 0u32;
        let mut full = false;
        let mut share: i64 = 0;
        for iv in intervals
            .iter()
            .filter(|iv| iv.start <= *from && *from < iv.end)
        {
            count += 1;
            match iv.weight {
                Weight::Full => full = true,
                Weight::Part(p) => {
                    let scaled = p.numer().saturating_mul(denominator / (*p.denom()).max(1));
                    share = match overlap {
                        OverlapRule::SummedToFullTime => share.saturating_add(scaled),
                        OverlapRule::LargestJobOnly => share.max(scaled),
                    };
                }
            }
        }
        if count == 0 {
            continue;
        }
        if count > 1 {
            overlap_units += len;
        }
        if full || share >= denominator {
            full_units += len;
        } else {
            partial += i128::from(len) * i128::from(share);
        }
    }
    let months = if partial == 0 {
        units_to_months(full_units)
    } else {
        let numer = i128::from(full_units) * i128::from(denominator) + partial;
        let denom = i128::from(UNITS_PER_MONTH) * i128::from(denominator);
        match (i64::try_from(numer), i64::try_from(denom)) {
            (Ok(n), Ok(d)) => reduced(n, d),
            _ => narrow(Wide::new(numer, denom)),
        }
    };
    Credit {
        months,
        overlap_months: months_of_units(overlap_units),
        jobs,
    }
}

fn months_of_units(units: i64) -> Exact {
    if units == 0 {
        Exact::from_integer(0)
    } else {
        units_to_months(units)
    }
}

/// The sweep with rational shares, for shares too fine for [`sweep_integer`].
fn sweep_rational(intervals: &[Interval], overlap: OverlapRule, cuts: &[i64], jobs: u32) -> Credit {
    let one = Wide::from_integer(1);
    let mut full_units: i64 = 0;
    let mut overlap_units: i64 = 0;
    let mut partial = Wide::from_integer(0);
    for window in cuts.windows(2) {
        let [from, to] = window else { continue };
        let len = to - from;
        let mut count = 0u32;
        let mut full = false;
        let mut share: Option<Wide> = None;
        for iv in intervals
            .iter()
            .filter(|iv| iv.start <= *from && *from < iv.end)
        {
            count += 1;
            match (iv.weight, overlap) {
                (Weight::Full, _) => full = true,
                (Weight::Part(p), OverlapRule::SummedToFullTime) => {
                    let p = widen(p);
                    share = Some(match share {
                        None => p,
                        Some(s) => s.checked_add(&p).unwrap_or(one),
                    });
                }
                (Weight::Part(p), OverlapRule::LargestJobOnly) => {
                    let p = widen(p);
                    share = Some(share.map_or(p, |s| s.max(p)));
                }
            }
        }
        if count == 0 {
            continue;
        }
        if count > 1 {
            overlap_units += len;
        }
        if full {
            full_units += len;
            continue;
        }
        let Some(share) = share else { continue };
        if share >= one {
            full_units += len;
        } else if let Some(piece) = share.checked_mul(&Wide::from_integer(i128::from(len))) {
            partial = partial.checked_add(&piece).unwrap_or(partial);
        }
    }
    Credit {
        months: to_months(full_units, partial),
        overlap_months: months_of_units(overlap_units),
        jobs,
    }
}

/// `(full_units + partial) / UNITS_PER_MONTH` as an exact value; amounts too fine for an
/// `i64` ratio are rounded down to whole units (never up).
fn to_months(full_units: i64, partial: Wide) -> Exact {
    if partial == Wide::from_integer(0) {
        return units_to_months(full_units);
    }
    let units = Wide::from_integer(i128::from(full_units)) + partial;
    let months = units / Wide::from_integer(i128::from(UNITS_PER_MONTH));
    match (months.numer().to_i64(), months.denom().to_i64()) {
        (Some(n), Some(d)) => Exact::new(n, d),
        _ => {
            let floor = units.floor().to_integer().to_i64().unwrap_or(i64::MAX);
            Exact::new(floor, UNITS_PER_MONTH)
        }
    }
}

/// A reduced wide ratio as an `i64` ratio; when it does not fit, rounded down to whole
/// month units (never up).
fn narrow(value: Wide) -> Exact {
    match (value.numer().to_i64(), value.denom().to_i64()) {
        (Some(n), Some(d)) => Exact::new_raw(n, d),
        _ => {
            let units = value * Wide::from_integer(i128::from(UNITS_PER_MONTH));
            let floor = units.floor().to_integer().to_i64().unwrap_or(i64::MAX);
            Exact::new(floor, UNITS_PER_MONTH)
        }
    }
}

/// One job as dates: the original interface, kept for callers that have dates at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stint {
    pub start: Date,
    /// Inclusive last day.
    pub end: Date,
    /// Weekly hours, exact.
    pub hours: Exact,
}

/// Credits `stints` under a profile's full-time hours and overlap rule.
pub fn credit(stints: &[Stint], full_time: Exact, overlap: OverlapRule) -> Credit {
    let intervals: Vec<Interval> = stints
        .iter()
        .filter_map(|s| {
            Weight::of(Some(s.hours), full_time).map(|weight| Interval {
                start: day_start(s.start),
                end: day_end(s.end),
                weight,
            })
        })
        .collect();
    credit_intervals(&intervals, overlap, &mut Vec::new())
}

/// The length of `from..=to` in calendar months: whole months count 1, and a part of a month
/// counts its days over the days of that month.
pub fn calendar_months(from: Date, to: Date) -> Exact {
    if to < from {
        return Exact::from_integer(0);
    }
    units_to_months(day_end(to) - day_start(from))
}

/// The months one job alone earns: its calendar months times its share of full time.
pub fn job_months(start: Date, end: Date, hours: Option<Exact>, full_time: Exact) -> Exact {
    let months = calendar_months(start, end);
    match job_share(hours, full_time) {
        share if share == Exact::from_integer(1) => months,
        share => months * share,
    }
}

pub(crate) fn job_share(hours: Option<Exact>, full_time: Exact) -> Exact {
    match hours {
        Some(h) if h <= Exact::from_integer(0) => Exact::from_integer(0),
        Some(h) if h < full_time && full_time > Exact::from_integer(0) => h / full_time,
        _ => Exact::from_integer(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn stint(start: Date, end: Date, hours: i64) -> Stint {
        Stint {
            start,
            end,
            hours: Exact::from_integer(hours),
        }
    }

    fn months(stints: &[Stint]) -> Exact {
        credit(
            stints,
            Exact::from_integer(40),
            OverlapRule::SummedToFullTime,
        )
        .months
    }

    #[test]
    fn first_half_year_is_six_months() {
        let six = months(&[stint(date(2020, 1, 1), date(2020, 6, 30), 40)]);
        assert_eq!(six, Exact::from_integer(6));
    }

    #[test]
    fn part_time_year_is_prorated() {
        let half = months(&[stint(date(2021, 1, 1), date(2021, 12, 31), 20)]);
        assert_eq!(half, Exact::from_integer(6));
    }

    #[test]
    fn overlapping_full_time_jobs_count_once() {
        let jobs = [
            stint(date(2020, 1, 1), date(2020, 12, 31), 40),
            stint(date(2020, 7, 1), date(2021, 6, 30), 40),
        ];
        let credited = credit(
            &jobs,
            Exact::from_integer(40),
            OverlapRule::SummedToFullTime,
        );
        assert_eq!(credited.months, Exact::from_integer(18));
        assert_eq!(credited.overlap_months, Exact::from_integer(6));
        assert_eq!(credited.jobs, 2);
    }

    #[test]
    fn two_half_time_jobs_at_once_make_full_time() {
        let jobs = [
            stint(date(2020, 1, 1), date(2020, 12, 31), 20),
            stint(date(2020, 1, 1), date(2020, 12, 31), 20),
        ];
        assert_eq!(months(&jobs), Exact::from_integer(12));
        let largest = credit(&jobs, Exact::from_integer(40), OverlapRule::LargestJobOnly);
        assert_eq!(largest.months, Exact::from_integer(6));
    }

    #[test]
    fn odd_hours_stay_exact() {
        let jobs = [stint(date(2021, 3, 1), date(2021, 3, 31), 13)];
        assert_eq!(months(&jobs), Exact::new(13, 40));
    }

    #[test]
    fn integer_and_rational_sweeps_agree() {
        let hours = [Exact::new(75, 2), Exact::from_integer(13), Exact::new(7, 3)];
        let starts = [date(2020, 1, 17), date(2020, 3, 2), date(2020, 2, 29)];
        let ends = [date(2020, 9, 30), date(2021, 1, 5), date(2020, 4, 1)];
        let intervals: Vec<Interval> = (0..3)
            .map(|i| Interval {
                start: day_start(starts[i]),
                end: day_end(ends[i]),
                weight: Weight::of(Some(hours[i]), Exact::from_integer(40)).unwrap(),
            })
            .collect();
        for overlap in [OverlapRule::SummedToFullTime, OverlapRule::LargestJobOnly] {
            let fast = credit_intervals(&intervals, overlap, &mut Vec::new());
            let mut cuts: Vec<i64> = intervals.iter().flat_map(|iv| [iv.start, iv.end]).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let slow = sweep_rational(&intervals, overlap, &cuts, 3);
            assert_eq!(fast, slow);
        }
    }

    fn full_time_spans() -> impl proptest::strategy::Strategy<Value = Vec<(i64, i64)>> {
        use proptest::prelude::*;
        prop::collection::vec((0i64..40, 0i64..40), 0..7).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(a, b)| (a * 12_180, b * 12_180 + 7))
                .collect()
        })
    }

    proptest::proptest! {
        #[test]
        fn full_time_pass_agrees_with_the_sweep(mut spans in full_time_spans(), in_order: bool) {
            if in_order {
                // Listed by start, as jobs usually are: the pass that neither copies nor sorts.
                spans.sort_by_key(|&(start, _)| start);
            }
            let intervals: Vec<Interval> = spans
                .iter()
                .map(|&(start, end)| Interval { start, end, weight: Weight::Full })
                .collect();
            let mut cuts: Vec<i64> = intervals
                .iter()
                .filter(|iv| iv.start < iv.end)
                .flat_map(|iv| [iv.start, iv.end])
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            let jobs = u32::try_from(intervals.iter().filter(|iv| iv.start < iv.end).count()).unwrap();
            let expected = if jobs == 0 {
                Credit::default()
            } else {
                sweep_integer(&intervals, OverlapRule::SummedToFullTime, &cuts, 1, jobs)
            };
            let fast = credit_full_time(&intervals);
            proptest::prop_assert_eq!(fast, expected);
            proptest::prop_assert_eq!(fast.months.denom(), expected.months.denom());
            proptest::prop_assert_eq!(fast.overlap_months.denom(), expected.overlap_months.denom());
        }
    }

    #[test]
    fn part_of_a_month_counts_its_share_of_days() {
        let part = calendar_months(date(2021, 2, 1), date(2021, 2, 14));
        assert_eq!(part, Exact::new(1, 2));
        let across = calendar_months(date(2021, 1, 17), date(2021, 3, 16));
        assert_eq!(
            across,
            Exact::new(15, 31) + Exact::from_integer(1) + Exact::new(16, 31)
        );
        let leap = calendar_months(date(2024, 2, 1), date(2024, 2, 29));
        assert_eq!(leap, Exact::from_integer(1));
    }

    proptest::proptest! {
        #[test]
        fn units_reduce_as_ratio_does(units in proptest::prelude::any::<i64>()) {
            let fast = units_to_months(units);
            let slow = Exact::new(units, UNITS_PER_MONTH);
            proptest::prop_assert_eq!((fast.numer(), fast.denom()), (slow.numer(), slow.denom()));
        }
    }

    #[test]
    fn unit_reduction_edges() {
        for units in [
            0,
            1,
            -1,
            UNITS_PER_MONTH,
            -UNITS_PER_MONTH,
            12_180,
            2 * 3 * 31,
            i64::MAX,
            i64::MIN,
        ] {
            let fast = units_to_months(units);
            let slow = Exact::new(units, UNITS_PER_MONTH);
            assert_eq!(
                (fast.numer(), fast.denom()),
                (slow.numer(), slow.denom()),
                "{units}"
            );
        }
    }

    #[test]
    fn backwards_or_empty_input_credits_nothing() {
        assert_eq!(months(&[]), Exact::from_integer(0));
        assert_eq!(
            months(&[stint(date(2020, 2, 1), date(2020, 1, 1), 40)]),
            Exact::from_integer(0)
        );
    }
}
