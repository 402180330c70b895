//! Exact crediting of dated jobs: each day earns min(1, hours / full time), and days are
//! totalled in calendar months, so Jan 1 to Jun 30 is exactly 6 months.
//!
//! Time is measured in *month units*: one calendar month is [`UNITS_PER_MONTH`] units, the
//! least common multiple of 28, 29, 30 and 31, so every day of every month is a whole
//! number of units (a day of a 31-day month is 12 180 units). A date maps to the unit at
//! its start; a job is a half-open integer interval. Full-time days therefore add up with
//! plain integer additions; only part-time days need a rational share.

use jiff::civil::Date;

use std::cmp::Ordering;

use super::exact::{add, at_least, compare, divide, minus, narrow, times, wide_gcd};
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
    /// Zero or negative hours earn nothing (`Ok(None)`); a share that cannot be held as an
    /// exact ratio is `Err`.
    pub fn of(hours: Option<Exact>, full_time: Exact) -> Result<Option<Weight>, NotExact> {
        let zero = Exact::from_integer(0);
        let Some(hours) = hours else {
            return Ok(Some(Weight::Full));
        };
        if compare(hours, zero) != Ordering::Greater
            || compare(full_time, zero) != Ordering::Greater
        {
            return Ok(None);
        }
        if at_least(hours, full_time) {
            return Ok(Some(Weight::Full));
        }
        if hours.is_integer() && full_time.is_integer() {
            // Both whole: the share needs no reduction to be exact.
            return Ok(Some(Weight::Part(Exact::new_raw(
                hours.to_integer(),
                full_time.to_integer(),
            ))));
        }
        divide(hours, full_time)
            .map(|share| Some(Weight::Part(share)))
            .ok_or(NotExact)
    }
}

/// An amount that cannot be held as an exact `i64` ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotExact;

/// One job (or the part of it before the evaluation date) in month units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub start: i64,
    /// Exclusive.
    pub end: i64,
    pub weight: Weight,
    /// The job's index in the applicant's file, named when its share cannot be combined.
    pub job: u32,
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

/// Crediting that cannot be done exactly: the job whose share could not be held or
/// combined with the others (an index into the applicant's jobs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unheld {
    pub job: u32,
}

/// Credits `intervals` under an overlap rule, exactly, or names the job whose share cannot
/// be combined with the others exactly.
///
/// Jobs all held at full time take `credit_full_time`; otherwise `sweep` walks the
/// jobs' start and end events in order, in O(n log n) for n jobs whatever the shares.
pub fn credit_intervals(intervals: &[Interval], overlap: OverlapRule) -> Result<Credit, Unheld> {
    if intervals.iter().all(|iv| iv.weight == Weight::Full) {
        return Ok(credit_full_time(intervals));
    }
    let (credit, bound) = match sweep_few(intervals, overlap) {
        Some(few) => few,
        None => sweep(intervals, overlap)?,
    };
    if bound.is_none() {
        alone_months_fit(intervals, credit.months)?;
    }
    Ok(credit)
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

/// Every share as a whole number over one common denominator: the least common multiple
/// of the part-time shares' denominators, in 128 bits.
struct Scale {
    denominator: i128,
    /// Each interval's share over `denominator`; a full-time job counts `denominator`.
    shares: smallvec::SmallVec<[i128; 8]>,
    /// The job whose share last refined the denominator: the one named when the sums
    /// over it cannot be held.
    finest: u32,
}

impl Scale {
    fn of(intervals: &[Interval]) -> Result<Scale, Unheld> {
        let mut denominator: i128 = 1;
        let mut finest = intervals.first().map_or(0, |iv| iv.job);
        for iv in intervals {
            if let Weight::Part(p) = iv.weight {
                let d = i128::from(*p.denom());
                let g = i128::try_from(wide_gcd(denominator.unsigned_abs(), d.unsigned_abs()))
                    .ok()
                    .filter(|g| *g > 0)
                    .ok_or(Unheld { job: iv.job })?;
                if g != d {
                    finest = iv.job;
                }
                denominator = (d / g)
                    .checked_mul(denominator)
                    .ok_or(Unheld { job: iv.job })?;
            }
        }
        let mut shares = smallvec::SmallVec::with_capacity(intervals.len());
        for iv in intervals {
            let share = match iv.weight {
                Weight::Full => denominator,
                Weight::Part(p) => i128::from(*p.numer())
                    .checked_mul(denominator / i128::from(*p.denom()).max(1))
                    .ok_or(Unheld { job: iv.job })?,
            };
            shares.push(share);
        }
        Ok(Scale {
            denominator,
            shares,
            finest,
        })
    }
}

/// A job starting or ending at a unit: `index` into the intervals.
#[derive(Clone, Copy, Debug)]
struct Event {
    at: i64,
    index: u32,
    starts: bool,
}

/// The jobs running between two events.
struct Active {
    overlap: OverlapRule,
    /// Jobs running.
    count: u32,
    /// Full-time jobs running (their share is the whole day).
    full: u32,
    /// Summed shares of the part-time jobs running, over the common denominator.
    summed: i128,
    /// The part-time shares running, as a multiset, for "the largest job only".
    shares: std::collections::BTreeMap<i128, u32>,
}

impl Active {
    fn new(overlap: OverlapRule) -> Active {
        Active {
            overlap,
            count: 0,
            full: 0,
            summed: 0,
            shares: std::collections::BTreeMap::new(),
        }
    }

    /// Applies one event; `None` when the running sum cannot be held.
    fn apply(&mut self, event: Event, weight: Weight, share: i128) -> Option<()> {
        let step: i32 = if event.starts { 1 } else { -1 };
        self.count = self.count.checked_add_signed(step)?;
        if weight == Weight::Full {
            self.full = self.full.checked_add_signed(step)?;
            return Some(());
        }
        match self.overlap {
            OverlapRule::SummedToFullTime => {
                self.summed = if event.starts {
                    self.summed.checked_add(share)?
                } else {
                    self.summed.checked_sub(share)?
                };
            }
            OverlapRule::LargestJobOnly if event.starts => {
                let held = self.shares.entry(share).or_insert(0);
                *held = held.checked_add(1)?;
            }
            OverlapRule::LargestJobOnly => {
                if let Some(held) = self.shares.get_mut(&share) {
                    *held = held.saturating_sub(1);
                    if *held == 0 {
                        self.shares.remove(&share);
                    }
                }
            }
        }
        Some(())
    }

    /// The day credit of the running jobs over the common denominator, at most
    /// `denominator` (a full day).
    fn day_share(&self, denominator: i128) -> i128 {
        if self.full > 0 {
            return denominator;
        }
        let share = match self.overlap {
            OverlapRule::SummedToFullTime => self.summed,
            OverlapRule::LargestJobOnly => self.shares.keys().next_back().copied().unwrap_or(0),
        };
        share.min(denominator)
    }
}

/// Jobs the few-jobs pass takes, at most.
const FEW_JOBS: usize = 8;

/// Common denominators the few-jobs pass takes, at most.
const FEW_DENOMINATOR: i64 = 1 << 24;

/// The usual case of a few jobs with plain shares (a handful of jobs, hours such as 20 or
/// 37.5): the same credit as [`sweep`], by cutting the timeline at every start and end on
/// the stack and summing the jobs running in each piece. With at most [`FEW_JOBS`] jobs and
/// a common denominator under [`FEW_DENOMINATOR`], no sum can overflow. `None` hands the
/// jobs to [`sweep`].
fn sweep_few(intervals: &[Interval], overlap: OverlapRule) -> Option<(Credit, Option<i64>)> {
    if intervals.len() > FEW_JOBS {
        return None;
    }
    let mut denominator: i64 = 1;
    for iv in intervals {
        if let Weight::Part(p) = iv.weight {
            let d = *p.denom();
            let g = i64::try_from(wide_gcd(
                denominator.unsigned_abs().into(),
                d.unsigned_abs().into(),
            ))
            .ok()?;
            denominator = denominator.checked_mul(d.checked_div(g)?)?;
            if denominator > FEW_DENOMINATOR || *p.numer() < 0 {
                return None;
            }
        }
    }
    let mut cuts = [0i64; FEW_JOBS * 2];
    let mut used = 0usize;
    let mut job_units: i64 = 0;
    for iv in intervals.iter().filter(|iv| iv.start < iv.end) {
        let [start, end] = cuts.get_mut(used..used + 2)? else {
            return None;
        };
        (*start, *end) = (iv.start, iv.end);
        used += 2;
        job_units = job_units.checked_add(iv.end - iv.start)?;
    }
    let jobs = u32::try_from(used / 2).ok()?;
    if jobs == 0 {
        return Some((Credit::default(), Some(0)));
    }
    let cuts = cuts.get_mut(..used)?;
    cuts.sort_unstable();
    let mut credited: i128 = 0;
    let mut overlap_units: i64 = 0;
    for window in cuts.windows(2) {
        let [from, to] = window else { continue };
        if from == to {
            continue;
        }
        let (mut count, mut share) = (0u32, 0i64);
        for iv in intervals
            .iter()
            .filter(|iv| iv.start <= *from && *from < iv.end)
        {
            count += 1;
            let scaled = match iv.weight {
                Weight::Full => denominator,
                Weight::Part(p) => p.numer().checked_mul(denominator / *p.denom())?,
            };
            share = match overlap {
                OverlapRule::SummedToFullTime => share.checked_add(scaled)?,
                OverlapRule::LargestJobOnly => share.max(scaled),
            };
        }
        let len = to - from;
        if count > 1 {
            overlap_units = overlap_units.checked_add(len)?;
        }
        credited = credited.checked_add(i128::from(len) * i128::from(share.min(denominator)))?;
    }
    let denominator = i128::from(denominator);
    let months = match (
        credited % denominator,
        i64::try_from(credited / denominator),
    ) {
        (0, Ok(whole)) => units_to_months(whole),
        _ => narrow(credited, i128::from(UNITS_PER_MONTH) * denominator)?,
    };
    let bound = i128::from(job_units)
        .checked_mul(denominator)
        .and_then(|b| i64::try_from(b).ok());
    let credit = Credit {
        months,
        overlap_months: months_of_units(overlap_units),
        jobs,
    };
    Some((credit, bound))
}

/// The event sweep: each job's start and end, sorted once; between two events the running
/// jobs are constant, so each stretch earns its length times the day share, kept as whole
/// numbers over the common denominator until the one division at the end.
///
/// Also returns, when it is small enough, a bound on the numerator of every job's own
/// months and of any sum or difference of them over their common denominator
/// (Σ job units × common denominator): under `i64::MAX` none of them can overflow.
fn sweep(intervals: &[Interval], overlap: OverlapRule) -> Result<(Credit, Option<i64>), Unheld> {
    let scale = Scale::of(intervals)?;
    let culprit = Unheld { job: scale.finest };
    let mut events: smallvec::SmallVec<[Event; 16]> = smallvec::SmallVec::new();
    let mut jobs = 0u32;
    let mut job_units: i128 = 0;
    for (index, iv) in intervals.iter().enumerate() {
        if iv.start >= iv.end {
            continue;
        }
        let index = u32::try_from(index).map_err(|_| culprit)?;
        job_units = job_units.saturating_add(i128::from(iv.end - iv.start));
        events.push(Event {
            at: iv.start,
            index,
            starts: true,
        });
        events.push(Event {
            at: iv.end,
            index,
            starts: false,
        });
        jobs = jobs.saturating_add(1);
    }
    if jobs == 0 {
        return Ok((Credit::default(), Some(0)));
    }
    // Ends before starts at the same unit: the running sum never holds both at once.
    events.sort_unstable_by_key(|e| (e.at, e.starts));
    let denominator = scale.denominator;
    let mut active = Active::new(overlap);
    let (mut credited, mut overlap_units): (i128, i64) = (0, 0);
    for (k, event) in events.iter().enumerate() {
        let (weight, share) = match (
            intervals.get(event.index as usize),
            scale.shares.get(event.index as usize),
        ) {
            (Some(iv), Some(share)) => (iv.weight, *share),
            _ => continue,
        };
        let job = Unheld {
            job: intervals.get(event.index as usize).map_or(0, |iv| iv.job),
        };
        active.apply(*event, weight, share).ok_or(job)?;
        let Some(next) = events.get(k + 1).map(|e| e.at) else {
            break;
        };
        if next == event.at || active.count == 0 {
            continue;
        }
        let len = next - event.at;
        if active.count > 1 {
            overlap_units = overlap_units.checked_add(len).ok_or(culprit)?;
        }
        let earned = i128::from(len)
            .checked_mul(active.day_share(denominator))
            .ok_or(culprit)?;
        credited = credited.checked_add(earned).ok_or(culprit)?;
    }
    let units = i128::from(UNITS_PER_MONTH)
        .checked_mul(denominator)
        .ok_or(culprit)?;
    let months = match (
        credited % denominator,
        i64::try_from(credited / denominator),
    ) {
        // Whole units: reduced by the month's prime factors, with no gcd.
        (0, Ok(whole)) => units_to_months(whole),
        _ => narrow(credited, units).ok_or(culprit)?,
    };
    let bound = job_units
        .checked_mul(denominator)
        .filter(|_| i64::try_from(units).is_ok())
        .and_then(|b| i64::try_from(b).ok());
    let credit = Credit {
        months,
        overlap_months: months_of_units(overlap_units),
        jobs,
    };
    Ok((credit, bound))
}

/// Each counted job's own months (its calendar months times its share), their sum, and
/// how far the sum exceeds `credited`, all as the record and its explanation show them,
/// can be held exactly; otherwise the job that cannot.
fn alone_months_fit(intervals: &[Interval], credited: Exact) -> Result<(), Unheld> {
    let mut total = Exact::from_integer(0);
    for iv in intervals.iter().filter(|iv| iv.start < iv.end) {
        let job = Unheld { job: iv.job };
        let calendar = units_to_months(iv.end - iv.start);
        let alone = match iv.weight {
            Weight::Full => Some(calendar),
            Weight::Part(share) => times(calendar, share),
        };
        total = alone.and_then(|m| add(total, m)).ok_or(job)?;
    }
    let last = Unheld {
        job: intervals.last().map_or(0, |iv| iv.job),
    };
    minus(total, credited).map(|_| ()).ok_or(last)
}

fn months_of_units(units: i64) -> Exact {
    if units == 0 {
        Exact::from_integer(0)
    } else {
        units_to_months(units)
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
pub fn credit(stints: &[Stint], full_time: Exact, overlap: OverlapRule) -> Result<Credit, Unheld> {
    let mut intervals = Vec::with_capacity(stints.len());
    for (index, s) in stints.iter().enumerate() {
        let job = u32::try_from(index).unwrap_or(u32::MAX);
        let weight = Weight::of(Some(s.hours), full_time).map_err(|_| Unheld { job })?;
        if let Some(weight) = weight {
            intervals.push(Interval {
                start: day_start(s.start),
                end: day_end(s.end),
                weight,
                job,
            });
        }
    }
    credit_intervals(&intervals, overlap)
}

/// The length of `from..=to` in calendar months: whole months count 1, and a part of a month
/// counts its days over the days of that month.
pub fn calendar_months(from: Date, to: Date) -> Exact {
    if to < from {
        return Exact::from_integer(0);
    }
    units_to_months(day_end(to) - day_start(from))
}

/// The months one job alone earns: its calendar months times its share of full time;
/// `None` when they cannot be held exactly (evaluation refuses such a job first).
pub fn job_months(start: Date, end: Date, hours: Option<Exact>, full_time: Exact) -> Option<Exact> {
    let months = calendar_months(start, end);
    match job_share(hours, full_time)? {
        share if share == Exact::from_integer(1) => Some(months),
        share => times(months, share),
    }
}

/// A job's share of full time: 0 for no hours, 1 at or above full time; `None` when the
/// share cannot be held exactly.
pub(crate) fn job_share(hours: Option<Exact>, full_time: Exact) -> Option<Exact> {
    let zero = Exact::from_integer(0);
    match hours {
        Some(h) if compare(h, zero) != Ordering::Greater => Some(zero),
        Some(h)
            if compare(h, full_time) == Ordering::Less
                && compare(full_time, zero) == Ordering::Greater =>
        {
            divide(h, full_time)
        }
        _ => Some(Exact::from_integer(1)),
    }
}

#[cfg(test)]
mod tests;
