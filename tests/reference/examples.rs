//! The reference evaluator on the worked examples of docs/semantics.md, so that the
//! reference itself is seen to say what the document says.

use num_traits::Zero;

use super::applicant::{Amount, Job};
use super::calendar::{Day, Overlap, credited_months};
use super::{BigRational, big};

fn full_time() -> BigRational {
    big(40, 1)
}

fn job(start: Day, end: Day, hours: Option<u64>) -> Job {
    Job {
        categories: Vec::new(),
        start,
        end: Some(end),
        hours: hours.map(Amount::whole),
    }
}

fn months_of(jobs: &[Job], overlap: Overlap) -> BigRational {
    let jobs: Vec<&Job> = jobs.iter().collect();
    credited_months(&jobs, &full_time(), overlap, Day::new(2100, 1, 1))
}

#[test]
fn spans_count_in_calendar_months_as_the_table_shows() {
    let table = [
        ((2024, 1, 1), (2024, 6, 30), big(6, 1)),
        ((2024, 2, 1), (2024, 2, 29), big(1, 1)),
        ((2023, 5, 16), (2023, 5, 31), big(16, 31)),
        ((2024, 2, 15), (2024, 8, 14), big(5366, 899)),
        ((2024, 2, 15), (2024, 8, 15), big(5395, 899)),
        ((2023, 3, 10), (2023, 9, 9), big(1863, 310)),
    ];
    for ((y0, m0, d0), (y1, m1, d1), months) in table {
        let span = job(Day::new(y0, m0, d0), Day::new(y1, m1, d1), None);
        assert_eq!(
            months_of(&[span], Overlap::SummedToFullTime),
            months,
            "{y0}-{m0}-{d0}"
        );
    }
}

#[test]
fn overlap_is_counted_once_as_the_example_shows() {
    let jobs = [
        job(Day::new(2023, 1, 1), Day::new(2023, 12, 31), None),
        job(Day::new(2023, 7, 1), Day::new(2024, 6, 30), Some(20)),
    ];
    assert_eq!(months_of(&jobs, Overlap::SummedToFullTime), big(15, 1));
    // Two half-time jobs at once earn one day; the largest alone earns half of it.
    let halves = [
        job(Day::new(2023, 1, 1), Day::new(2023, 12, 31), Some(20)),
        job(Day::new(2023, 1, 1), Day::new(2023, 12, 31), Some(20)),
    ];
    assert_eq!(months_of(&halves, Overlap::SummedToFullTime), big(12, 1));
    assert_eq!(months_of(&halves, Overlap::LargestOnly), big(6, 1));
}

#[test]
fn jobs_after_the_evaluation_date_do_not_count() {
    let later = job(Day::new(2030, 1, 1), Day::new(2030, 12, 31), None);
    let as_of = Day::new(2029, 12, 31);
    let months = credited_months(&[&later], &full_time(), Overlap::SummedToFullTime, as_of);
    assert!(months.is_zero());
    let current = Job { end: None, ..later };
    let months = credited_months(
        &[&current],
        &full_time(),
        Overlap::SummedToFullTime,
        Day::new(2030, 3, 31),
    );
    assert_eq!(months, big(3, 1));
}

#[test]
fn day_numbers_follow_the_calendar_across_centuries() {
    let mut day = Day::new(1599, 12, 25);
    let mut ordinal = day.ordinal();
    while day < Day::new(2401, 3, 5) {
        assert_eq!(Day::from_ordinal(ordinal), day);
        let next = day.next();
        assert_eq!(next.ordinal(), ordinal + 1, "{day}");
        assert_eq!(next.previous(), day);
        assert_eq!(day.jiff().tomorrow().ok(), Some(next.jiff()), "{day}");
        day = next;
        ordinal += 1;
    }
    assert_eq!(Day::new(1970, 1, 1).ordinal(), 0);
}
