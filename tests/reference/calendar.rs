//! Calendar days and day-by-day crediting of jobs, as docs/semantics.md words it: each day
//! earns min(1, hours of the jobs that day / full time) (or the largest job's share), and a
//! day of a month with n days is 1/n of a month.

use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Zero};

use super::BigRational;
use super::applicant::Job;

/// A calendar day of the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    pub fn new(year: i32, month: u32, day: u32) -> Day {
        Day { year, month, day }
    }

    pub fn days_in_month(self) -> u32 {
        days_in_month(self.year, self.month)
    }

    pub fn next(self) -> Day {
        if self.day < self.days_in_month() {
            Day::new(self.year, self.month, self.day + 1)
        } else if self.month < 12 {
            Day::new(self.year, self.month + 1, 1)
        } else {
            Day::new(self.year + 1, 1, 1)
        }
    }

    pub fn previous(self) -> Day {
        if self.day > 1 {
            Day::new(self.year, self.month, self.day - 1)
        } else if self.month > 1 {
            Day::new(
                self.year,
                self.month - 1,
                days_in_month(self.year, self.month - 1),
            )
        } else {
            Day::new(self.year - 1, 12, 31)
        }
    }

    /// The first day of the month `months` after this day's month.
    pub fn first_of_month_after(self, months: u32) -> Day {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        Day::new(
            i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX),
            u32::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
            1,
        )
    }

    /// Days since 1970-01-01 (negative before).
    pub fn ordinal(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The day `ordinal` days after 1970-01-01.
    pub fn from_ordinal(ordinal: i64) -> Day {
        let z = ordinal + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Day::new(
            i32::try_from(year).unwrap_or(i32::MAX),
            u32::try_from(month).unwrap_or(1),
            u32::try_from(day).unwrap_or(1),
        )
    }

    pub fn jiff(self) -> jiff::civil::Date {
        jiff::civil::date(
            i16::try_from(self.year).unwrap_or(i16::MAX),
            i8::try_from(self.month).unwrap_or(1),
            i8::try_from(self.day).unwrap_or(1),
        )
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// How jobs held on the same day combine (the profile's overlap statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    SummedToFullTime,
    LargestOnly,
}

/// The months that `jobs` (already those that count) earn up to `as_of`, inclusive,
/// crediting each calendar day in turn.
///
/// Hours are first written over one common denominator (every job's hours and the full
/// time as whole multiples of 1/lcm of their denominators), so that a day's hours add up
/// as whole numbers; each month's days are divided by its length when the month is left.
/// Days on which no job is held earn nothing and are stepped over.
pub fn credited_months(
    jobs: &[&Job],
    full_time: &BigRational,
    overlap: Overlap,
    as_of: Day,
) -> BigRational {
    let hours: Vec<BigRational> = jobs
        .iter()
        .map(|job| job.hours.as_ref().map_or(full_time.clone(), |h| h.value()))
        .collect();
    let scale = hours
        .iter()
        .chain(std::iter::once(full_time))
        .fold(BigInt::one(), |lcm, h| lcm.lcm(h.denom()));
    let whole = |h: &BigRational| (h * BigRational::from_integer(scale.clone())).to_integer();
    let full = whole(full_time);
    let mut spans: Vec<(i64, i64, BigInt)> = jobs
        .iter()
        .zip(&hours)
        .map(|(job, h)| {
            let end = job.end.map_or(as_of, |end| end.min(as_of));
            (job.start.ordinal(), end.ordinal(), whole(h))
        })
        .filter(|(start, end, _)| start <= end)
        .collect();
    spans.sort_by_key(|s| s.0);
    let mut month = Month::default();
    let mut total = Months::new(&full);
    let mut next = 0;
    let mut held: Vec<usize> = Vec::new();
    let Some(mut today) = spans.first().map(|s| s.0) else {
        return BigRational::zero();
    };
    let mut day = Day::from_ordinal(today);
    // The day's share, as hours over the common denominator, capped at full time; it
    // changes only on a day a job starts or ends.
    let mut share = BigInt::zero();
    loop {
        let before = held.len();
        while spans.get(next).is_some_and(|s| s.0 <= today) {
            held.push(next);
            next += 1;
        }
        let started = held.len() != before;
        let before = held.len();
        held.retain(|&i| spans[i].1 >= today);
        if held.is_empty() {
            total.close(&mut month);
            let Some(span) = spans.get(next) else {
                return total.total();
            };
            today = span.0;
            day = Day::from_ordinal(today);
            continue;
        }
        if started || held.len() != before {
            share = day_share(held.iter().map(|&i| &spans[i].2), &full, overlap);
        }
        month.days = day.days_in_month();
        if share == full {
            month.whole_days += 1;
        } else {
            month.part_hours += &share;
        }
        if day.day == day.days_in_month() {
            total.close(&mut month);
        }
        today += 1;
        day = day.next();
    }
}

/// min(1, Σ hours / full time), or min(1, largest hours / full time), as hours over the
/// common denominator: `full` for a whole day.
fn day_share<'h>(
    hours: impl Iterator<Item = &'h BigInt> + Clone,
    full: &BigInt,
    overlap: Overlap,
) -> BigInt {
    let combined = match overlap {
        Overlap::SummedToFullTime => hours.fold(BigInt::zero(), |sum, h| sum + h),
        Overlap::LargestOnly => hours.max().cloned().unwrap_or_else(BigInt::zero),
    };
    combined.min(full.clone())
}

/// What the days so far of one calendar month earned.
#[derive(Default)]
struct Month {
    /// The month's length.
    days: u32,
    whole_days: u32,
    /// Hours of the days that earned less than a whole day, over the common denominator.
    part_hours: BigInt,
}

/// The months earned so far: Σ over months of (whole days + part hours / full time) /
/// days in the month, kept as one numerator per month length (28 to 31 days), over the
/// common denominator full time × length.
struct Months {
    full: BigInt,
    by_length: [BigInt; 4],
}

impl Months {
    fn new(full: &BigInt) -> Months {
        Months {
            full: full.clone(),
            by_length: Default::default(),
        }
    }

    /// Adds a month's days and starts the next month afresh.
    fn close(&mut self, month: &mut Month) {
        let Some(slot) = month
            .days
            .checked_sub(28)
            .and_then(|i| self.by_length.get_mut(i as usize))
        else {
            *month = Month::default();
            return;
        };
        *slot +=
            &self.full * BigInt::from(month.whole_days) + std::mem::take(&mut month.part_hours);
        *month = Month::default();
    }

    fn total(self) -> BigRational {
        let mut total = BigRational::zero();
        for (length, numer) in (28u32..).zip(self.by_length) {
            total += BigRational::new(numer, &self.full * BigInt::from(length));
        }
        total
    }
}
