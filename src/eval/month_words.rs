//! Crediting in words: how a job's days add up to calendar months, and how several jobs'
//! own months become the credited total, for a reader to check by hand.

use jiff::civil::Date;

use crate::check::model::Exact;
use crate::syntax::ast::OverlapRule;

use super::exact::{add, hundredths, minus, times};
use super::experience::{calendar_months, job_share};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "March 2024"; a year before 1000 has four digits ("March 0005"), which no day of a month
/// has, so that it never reads as one.
fn month_name(date: Date) -> String {
    let index = usize::try_from(date.month() - 1).unwrap_or(0);
    let name = MONTH_NAMES.get(index).copied().unwrap_or("?");
    format!("{name} {:04}", date.year())
}

/// How `from..=to` adds up in calendar months, for a reader to check by hand: "15 of the 29
/// days of February 2024 + 5 whole months (March to July 2024) + 14 of the 31 days of August
/// 2024". Each term is one part of [`calendar_months`]; the terms add up to it exactly.
pub fn calendar_breakdown(from: Date, to: Date) -> String {
    if to < from {
        return "no days".to_owned();
    }
    let mut terms: Vec<String> = Vec::with_capacity(3);
    let same_month = from.year() == to.year() && from.month() == to.month();
    let first_whole = from.day() == 1;
    let last_whole = to.day() == to.days_in_month();
    if same_month {
        let days = i32::from(to.day() - from.day()) + 1;
        return if first_whole && last_whole {
            format!("1 whole month ({})", month_name(from))
        } else {
            part_month(days, from)
        };
    }
    let first_month = from.first_of_month();
    let last_month = to.first_of_month();
    let mut whole_from = first_month;
    if !first_whole {
        let days = i32::from(from.days_in_month() - from.day()) + 1;
        terms.push(part_month(days, from));
        whole_from = first_month
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(first_month);
    }
    let whole_to = if last_whole {
        last_month
    } else {
        last_month
            .checked_sub(jiff::Span::new().months(1))
            .unwrap_or(last_month)
    };
    let whole = (i32::from(whole_to.year()) * 12 + i32::from(whole_to.month()))
        - (i32::from(whole_from.year()) * 12 + i32::from(whole_from.month()))
        + 1;
    if whole == 1 {
        terms.push(format!("1 whole month ({})", month_name(whole_from)));
    } else if whole > 1 {
        let start = if whole_from.year() == whole_to.year() {
            MONTH_NAMES
                .get(usize::try_from(whole_from.month() - 1).unwrap_or(0))
                .copied()
                .unwrap_or("?")
                .to_owned()
        } else {
            month_name(whole_from)
        };
        terms.push(format!(
            "{whole} whole months ({start} to {})",
            month_name(whole_to)
        ));
    }
    if !last_whole {
        terms.push(part_month(i32::from(to.day()), to));
    }
    terms.join(" + ")
}

/// "15 of the 29 days of February 2024": a part of the month of `date`, in days.
fn part_month(days: i32, date: Date) -> String {
    format!(
        "{days} of the {} days of {}",
        date.days_in_month(),
        month_name(date)
    )
}

/// A number as people write it: whole, or cut (never rounded up) to two decimal places:
/// "40", "37.50", "5.96".
pub fn decimal(value: Exact) -> String {
    if value.is_integer() {
        return value.to_integer().to_string();
    }
    let hundredths = hundredths(value);
    let sign = if value < Exact::from_integer(0) {
        "-"
    } else {
        ""
    };
    format!(
        "{sign}{}.{:02}",
        (hundredths / 100).abs(),
        (hundredths % 100).abs()
    )
}

/// Whether `terms`, each cut to two decimals as [`decimal`] shows it, add up to `total` as
/// shown (`less` taken away first): when they do not, a sum shown on a page would not check
/// by hand, and its reader is told why.
pub fn shown_sum_holds(terms: &[Exact], less: Exact, total: Exact) -> bool {
    let sum = terms.iter().fold(0_i128, |sum, term| {
        sum.saturating_add(shown_hundredths(*term))
    });
    sum.saturating_sub(shown_hundredths(less)) == shown_hundredths(total)
}

/// `value` in hundredths as [`decimal`] shows it: whole, or cut to two decimals.
fn shown_hundredths(value: Exact) -> i128 {
    if value.is_integer() {
        i128::from(value.to_integer()).saturating_mul(100)
    } else {
        hundredths(value)
    }
}

/// Whether a combination's arithmetic as shown checks by hand: `years` × 12 = the education's
/// months, and those + `experience` = `credited`, each figure cut to two decimals.
pub fn combination_shown_holds(years: Exact, experience: Exact, credited: Exact) -> bool {
    let Some(education) = super::exact::times_twelve(years) else {
        return false;
    };
    let product_holds =
        shown_hundredths(years).checked_mul(12) == Some(shown_hundredths(education));
    product_holds && shown_sum_holds(&[education, experience], Exact::from_integer(0), credited)
}

/// Said after a sum whose figures, cut to two decimals, do not add up to its total as shown.
pub const CUT_FIGURES: &str =
    "each figure is cut to two decimals; the total adds the exact figures";

/// How many more full-time days of work make up `months` when it is under a month: each day
/// is worth at least 1/31 of a month, so `ceil(31 × months)` days are always enough.
/// "1 more full-time day of work is enough"; `None` from a whole month up.
pub fn days_enough(months: Exact) -> Option<String> {
    let zero = Exact::from_integer(0);
    if months <= zero || months >= Exact::from_integer(1) {
        return None;
    }
    let days = super::exact::ceil_whole(times(months, Exact::from_integer(31))?);
    Some(if days == 1 {
        "1 more full-time day of work is enough".to_owned()
    } else {
        format!("{days} more full-time days of work are enough")
    })
}

/// A number of months in plain months, cut to two places when not whole (the exact value
/// is in the JSON): "6 months", "5.96 months".
pub fn exact_months(months: Exact) -> String {
    if months.is_integer() {
        let n = months.to_integer();
        format!("{n} month{}", if n == 1 { "" } else { "s" })
    } else {
        format!("{} months", decimal(months))
    }
}

/// `years` of education in months, as [`exact_months`] words them; when the months have no
/// exact `i64` ratio, the product itself ("2.33 years × 12"), never a value of its own.
pub fn years_in_months(years: Exact) -> String {
    match super::exact::times_twelve(years) {
        Some(months) => exact_months(months),
        None => format!("{} years × 12", decimal(years)),
    }
}

/// One job on its own: its calendar months and, part time, its prorated share.
/// Returns the months the job alone would earn and the arithmetic in words:
/// "12 whole months (January to December 2023) = 12 months, at 20 of 40 hours a week = 6 months".
/// `None` when the months cannot be held exactly (an evaluation refuses such a job).
pub fn job_arithmetic(
    start: Date,
    end: Date,
    hours: Option<Exact>,
    full_time: Exact,
) -> Option<(Exact, String)> {
    let calendar = calendar_months(start, end);
    let mut text = format!(
        "{} = {}",
        calendar_breakdown(start, end),
        exact_months(calendar)
    );
    let share = job_share(hours, full_time)?;
    let earned = times(calendar, share)?;
    if share < Exact::from_integer(1) {
        let h = hours.unwrap_or(full_time);
        text.push_str(&format!(
            ", at {} of {} hours a week = {}",
            decimal(h),
            decimal(full_time),
            exact_months(earned)
        ));
    }
    Some((earned, text))
}

/// How several jobs' own months become the credited total, when more than one job
/// counted: "12 + 6 − 3 = 15 months; the 3 months are job time on days already
/// credited in full ...". `None` for a single job.
///
/// `held_at_once` says whether two counted jobs ever ran on the same day: jobs held at once
/// whose shares together stay within a day's credit lose nothing, and are said to.
pub fn reconciliation(
    alone: &[Exact],
    credited: Exact,
    overlap: OverlapRule,
    held_at_once: bool,
) -> Option<String> {
    if alone.len() < 2 {
        return None;
    }
    let sum = alone
        .iter()
        .try_fold(Exact::from_integer(0), |a, b| add(a, *b))?;
    let terms = alone
        .iter()
        .map(|m| decimal(*m))
        .collect::<Vec<_>>()
        .join(" + ");
    let excess = minus(sum, credited)?;
    if excess <= Exact::from_integer(0) {
        let why = if held_at_once {
            "on days with jobs held at once, their hours together stayed within what a day earns"
        } else {
            "no day held in two counted jobs at once"
        };
        let cut = if shown_sum_holds(alone, Exact::from_integer(0), credited) {
            String::new()
        } else {
            format!("; {CUT_FIGURES}")
        };
        return Some(format!(
            "Total: {terms} = {} ({why}{cut})",
            exact_months(credited)
        ));
    }
    let cut = if shown_sum_holds(alone, excess, credited) {
        String::new()
    } else {
        format!(" ({CUT_FIGURES})")
    };
    let rule = match overlap {
        OverlapRule::SummedToFullTime => "a day earns at most one full-time day",
        OverlapRule::LargestJobOnly => "a day earns only the largest job's share",
    };
    let one = excess == Exact::from_integer(1);
    let excess = decimal(excess);
    let (unit, verb) = if one {
        ("month", "does")
    } else {
        ("months", "do")
    };
    Some(format!(
        "Total: {terms} − {excess} = {}{cut}: overlap is counted once; on days with jobs held at once {rule}, so {excess} {unit} of job time beyond that {verb} not count again",
        exact_months(credited)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    use crate::eval::experience::{Stint, credit};

    #[test]
    fn a_shown_sum_holds_only_when_its_cut_figures_add_up() {
        let e = |n: i64, d: i64| Exact::new(n, d);
        let third_of_a_month = e(121, 40);
        assert!(!shown_sum_holds(
            &[third_of_a_month; 3],
            e(0, 1),
            e(363, 40)
        ));
        assert!(shown_sum_holds(&[e(3, 2), e(5, 2)], e(0, 1), e(4, 1)));
        assert!(shown_sum_holds(&[e(12, 1), e(6, 1)], e(3, 1), e(15, 1)));
        assert!(!shown_sum_holds(&[e(1, 3); 3], e(0, 1), e(1, 1)));
        assert!(shown_sum_holds(&[e(1, 3), e(1, 3)], e(0, 1), e(2, 3)));
        // 29/30 years: 0.96 × 12 = 11.52 by hand, 11.60 exactly.
        assert!(!combination_shown_holds(e(29, 30), e(36, 1), e(238, 5)));
        assert!(combination_shown_holds(e(1, 2), e(36, 1), e(42, 1)));
        assert!(combination_shown_holds(e(2, 1), e(6, 1), e(30, 1)));
    }

    #[test]
    fn breakdown_names_each_part_of_the_count() {
        assert_eq!(
            calendar_breakdown(date(2024, 2, 15), date(2024, 8, 14)),
            "15 of the 29 days of February 2024 + 5 whole months (March to July 2024) + 14 of the 31 days of August 2024"
        );
        assert_eq!(
            calendar_months(date(2024, 2, 15), date(2024, 8, 14)),
            Exact::new(15, 29) + Exact::from_integer(5) + Exact::new(14, 31)
        );
        assert_eq!(
            calendar_breakdown(date(2024, 1, 1), date(2024, 6, 30)),
            "6 whole months (January to June 2024)"
        );
        assert_eq!(
            calendar_breakdown(date(2023, 12, 1), date(2024, 1, 31)),
            "2 whole months (December 2023 to January 2024)"
        );
        assert_eq!(
            calendar_breakdown(date(2023, 5, 16), date(2023, 5, 31)),
            "16 of the 31 days of May 2023"
        );
        // A year before 1000 never reads as a day of the month.
        assert_eq!(
            calendar_breakdown(date(5, 3, 12), date(5, 3, 31)),
            "20 of the 31 days of March 0005"
        );
        assert_eq!(
            calendar_breakdown(date(2023, 2, 1), date(2023, 2, 28)),
            "1 whole month (February 2023)"
        );
        assert_eq!(
            calendar_breakdown(date(2023, 1, 20), date(2023, 3, 10)),
            "12 of the 31 days of January 2023 + 1 whole month (February 2023) + 10 of the 31 days of March 2023"
        );
        assert_eq!(
            calendar_breakdown(date(2023, 1, 20), date(2023, 2, 10)),
            "12 of the 31 days of January 2023 + 10 of the 28 days of February 2023"
        );
    }

    #[test]
    fn amounts_read_without_fractions() {
        assert_eq!(exact_months(Exact::new(244, 31)), "7.87 months");
        assert_eq!(exact_months(Exact::from_integer(1)), "1 month");
        assert_eq!(decimal(Exact::new(75, 2)), "37.50");
        assert_eq!(decimal(Exact::new(-1, 2)), "-0.50");
        assert_eq!(decimal(Exact::new(1, 1000)), "0.00");
        assert_eq!(
            days_enough(Exact::new(28, 899)).as_deref(),
            Some("1 more full-time day of work is enough")
        );
        assert_eq!(
            days_enough(Exact::new(1, 2)).as_deref(),
            Some("16 more full-time days of work are enough")
        );
        assert_eq!(days_enough(Exact::from_integer(1)), None);
        assert_eq!(days_enough(Exact::from_integer(0)), None);
    }

    #[test]
    fn job_arithmetic_prorates_and_reconciles() {
        let forty = Exact::from_integer(40);
        let (half, text) = job_arithmetic(
            date(2023, 1, 1),
            date(2023, 12, 31),
            Some(Exact::from_integer(20)),
            forty,
        )
        .unwrap();
        assert_eq!(half, Exact::from_integer(6));
        assert_eq!(
            text,
            "12 whole months (January to December 2023) = 12 months, at 20 of 40 hours a week = 6 months"
        );
        let (_, text) = job_arithmetic(date(2024, 2, 15), date(2024, 8, 14), None, forty).unwrap();
        assert!(text.ends_with("= 5.96 months"), "{text}");
        let jobs = [
            Stint {
                start: date(2023, 1, 1),
                end: date(2023, 12, 31),
                hours: forty,
            },
            Stint {
                start: date(2023, 7, 1),
                end: date(2024, 6, 30),
                hours: Exact::from_integer(20),
            },
        ];
        let credited = credit(&jobs, forty, OverlapRule::SummedToFullTime).unwrap();
        assert_eq!(credited.months, Exact::from_integer(15));
        let line = reconciliation(
            &[Exact::from_integer(12), Exact::from_integer(6)],
            credited.months,
            OverlapRule::SummedToFullTime,
            true,
        );
        assert_eq!(
            line.as_deref(),
            Some(
                "Total: 12 + 6 − 3 = 15 months: overlap is counted once; on days with jobs held at once a day earns at most one full-time day, so 3 months of job time beyond that do not count again"
            )
        );
        let line = reconciliation(
            &[Exact::from_integer(3), Exact::from_integer(2)],
            Exact::from_integer(4),
            OverlapRule::SummedToFullTime,
            true,
        );
        assert!(
            line.as_deref().is_some_and(
                |l| l.ends_with("so 1 month of job time beyond that does not count again")
            ),
            "{line:?}"
        );
    }
}
