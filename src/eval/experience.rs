//! Exact crediting of dated jobs: each day earns min(1, hours / full time), and days are
//! totalled in calendar months, so Jan 1 to Jun 30 is exactly 6 months.

use jiff::civil::Date;

use crate::check::model::Exact;
use crate::syntax::ast::OverlapRule;

/// One job as the arithmetic needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stint {
    pub start: Date,
    /// Inclusive last day.
    pub end: Date,
    /// Weekly hours, exact.
    pub hours: Exact,
}

/// Credited experience in months, with the overlap that was counted once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit {
    pub months: Exact,
    /// Calendar months during which two or more of the jobs ran at once.
    pub overlap_months: Exact,
}

/// Credits `stints` under a profile's full-time hours and overlap rule.
///
/// The timeline is cut wherever a job starts or ends; inside each piece the set of jobs is
/// constant, so the day credit is too, and the piece's length in calendar months is exact.
pub fn credit(stints: &[Stint], full_time: Exact, overlap: OverlapRule) -> Credit {
    let zero = Exact::from_integer(0);
    let one = Exact::from_integer(1);
    let mut cuts: Vec<Date> = Vec::with_capacity(stints.len() * 2);
    for stint in stints.iter().filter(|s| s.start <= s.end) {
        cuts.push(stint.start);
        if let Ok(after) = stint.end.tomorrow() {
            cuts.push(after);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut total = Credit {
        months: zero,
        overlap_months: zero,
    };
    if full_time <= zero {
        return total;
    }
    for window in cuts.windows(2) {
        let [from, next] = window else { continue };
        let Ok(to) = next.yesterday() else { continue };
        let active = stints.iter().filter(|s| s.start <= *from && *from <= s.end);
        let (count, hours) = active.fold((0usize, zero), |(n, h), s| {
            let h = match overlap {
                OverlapRule::SummedToFullTime => h + s.hours,
                OverlapRule::LargestJobOnly => h.max(s.hours),
            };
            (n + 1, h)
        });
        if count == 0 {
            continue;
        }
        let day_credit = (hours / full_time).min(one).max(zero);
        let span = calendar_months(*from, to);
        total.months += day_credit * span;
        if count > 1 {
            total.overlap_months += span;
        }
    }
    total
}

/// The length of `from..=to` in calendar months: whole months count 1, and a part of a month
/// counts its days over the days of that month.
pub fn calendar_months(from: Date, to: Date) -> Exact {
    if to < from {
        return Exact::from_integer(0);
    }
    let index = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month());
    let days_in = |d: Date| i64::from(d.days_in_month());
    if index(from) == index(to) {
        return Exact::new(i64::from(to.day() - from.day()) + 1, days_in(from));
    }
    let head = Exact::new(days_in(from) - i64::from(from.day()) + 1, days_in(from));
    let tail = Exact::new(i64::from(to.day()), days_in(to));
    let between = index(to) - index(from) - 1;
    head + Exact::from_integer(between) + tail
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
    fn part_of_a_month_counts_its_share_of_days() {
        let part = calendar_months(date(2021, 2, 1), date(2021, 2, 14));
        assert_eq!(part, Exact::new(1, 2));
        let across = calendar_months(date(2021, 1, 17), date(2021, 3, 16));
        assert_eq!(
            across,
            Exact::new(15, 31) + Exact::from_integer(1) + Exact::new(16, 31)
        );
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
