//! Tests of crediting dated jobs.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

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
    .unwrap()
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
    )
    .unwrap();
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
    let largest = credit(&jobs, Exact::from_integer(40), OverlapRule::LargestJobOnly).unwrap();
    assert_eq!(largest.months, Exact::from_integer(6));
}

#[test]
fn odd_hours_stay_exact() {
    let jobs = [stint(date(2021, 3, 1), date(2021, 3, 31), 13)];
    assert_eq!(months(&jobs), Exact::new(13, 40));
}

use num_bigint::BigInt;
use num_rational::Ratio;

type Big = Ratio<BigInt>;

fn big(value: Exact) -> Big {
    Big::new(BigInt::from(*value.numer()), BigInt::from(*value.denom()))
}

/// The semantics piece by piece in arbitrary precision: between two cuts the running
/// jobs are constant, and each day earns min(1, Σ shares) or the largest share.
fn oracle(intervals: &[Interval], overlap: OverlapRule) -> (Big, Big) {
    let mut cuts: Vec<i64> = intervals
        .iter()
        .filter(|iv| iv.start < iv.end)
        .flat_map(|iv| [iv.start, iv.end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let zero = Big::from_integer(BigInt::from(0));
    let one = Big::from_integer(BigInt::from(1));
    let (mut credited, mut overlapped) = (zero.clone(), zero.clone());
    for w in cuts.windows(2) {
        let len = Big::from_integer(BigInt::from(w[1] - w[0]));
        let running: Vec<&Interval> = intervals
            .iter()
            .filter(|iv| iv.start <= w[0] && w[0] < iv.end)
            .collect();
        if running.len() > 1 {
            overlapped += len.clone();
        }
        let shares = running.iter().map(|iv| match iv.weight {
            Weight::Full => one.clone(),
            Weight::Part(p) => big(p),
        });
        let day = match overlap {
            OverlapRule::SummedToFullTime => shares.fold(zero.clone(), |a, b| a + b),
            OverlapRule::LargestJobOnly => shares.fold(zero.clone(), |a, b| a.max(b)),
        };
        credited += len * day.min(one.clone());
    }
    let per_month = Big::from_integer(BigInt::from(UNITS_PER_MONTH));
    (credited / per_month.clone(), overlapped / per_month)
}

fn large_prime_shares() -> impl proptest::strategy::Strategy<Value = Vec<Interval>> {
    use proptest::prelude::*;
    const PRIMES: [i64; 8] = [
        999_999_937,
        999_999_929,
        999_999_893,
        999_999_883,
        999_999_797,
        7,
        13,
        40,
    ];
    let job = (
        0i64..60,
        1i64..60,
        0usize..PRIMES.len(),
        1i64..1000,
        any::<bool>(),
    );
    prop::collection::vec(job, 1..7).prop_map(|jobs| {
        jobs.into_iter()
            .enumerate()
            .map(|(i, (start, len, prime, numer, full))| {
                let d = PRIMES[prime];
                let weight = if full {
                    Weight::Full
                } else {
                    Weight::Part(Exact::new(numer.min(d - 1).max(1), d))
                };
                Interval {
                    start: start * 12_180 + 7,
                    end: (start + len) * 12_180,
                    weight,
                    job: u32::try_from(i).unwrap(),
                }
            })
            .collect()
    })
}

proptest::proptest! {
    #[test]
    fn sweep_is_exact_or_refused(intervals in large_prime_shares(), largest: bool) {
        let overlap = if largest {
            OverlapRule::LargestJobOnly
        } else {
            OverlapRule::SummedToFullTime
        };
        let (months, overlapped) = oracle(&intervals, overlap);
        match credit_intervals(&intervals, overlap) {
            Ok(credit) => {
                // The few-jobs pass and the event sweep agree where both answer.
                if let Ok((swept, _)) = sweep(&intervals, overlap) {
                    proptest::prop_assert_eq!(swept, credit);
                }
                proptest::prop_assert_eq!(big(credit.months), months);
                proptest::prop_assert_eq!(big(credit.overlap_months), overlapped);
            }
            Err(unheld) => {
                // Refused only when the credited months, or the jobs' own months
                // summed as the explanation shows them, have no exact i64 ratio.
                let alone = intervals
                    .iter()
                    .filter(|iv| iv.start < iv.end)
                    .map(|iv| {
                        let months = Big::new(
                            BigInt::from(iv.end - iv.start),
                            BigInt::from(UNITS_PER_MONTH),
                        );
                        match iv.weight {
                            Weight::Full => months,
                            Weight::Part(p) => months * big(p),
                        }
                    })
                    .fold(Big::from_integer(BigInt::from(0)), |a, b| a + b);
                let holds = |v: &Big| {
                    i64::try_from(v.numer()).is_ok() && i64::try_from(v.denom()).is_ok()
                };
                proptest::prop_assert!(!holds(&months) || !holds(&alone), "{unheld:?}");
            }
        }
    }
}

#[test]
fn small_shares_agree_with_the_oracle() {
    let hours = [Exact::new(75, 2), Exact::from_integer(13), Exact::new(7, 3)];
    let starts = [date(2020, 1, 17), date(2020, 3, 2), date(2020, 2, 29)];
    let ends = [date(2020, 9, 30), date(2021, 1, 5), date(2020, 4, 1)];
    let intervals: Vec<Interval> = (0..3)
        .map(|i| Interval {
            start: day_start(starts[i]),
            end: day_end(ends[i]),
            weight: Weight::of(Some(hours[i]), Exact::from_integer(40))
                .unwrap()
                .unwrap(),
            job: u32::try_from(i).unwrap(),
        })
        .collect();
    for overlap in [OverlapRule::SummedToFullTime, OverlapRule::LargestJobOnly] {
        let credit = credit_intervals(&intervals, overlap).unwrap();
        let (months, overlapped) = oracle(&intervals, overlap);
        assert_eq!(big(credit.months), months);
        assert_eq!(big(credit.overlap_months), overlapped);
    }
}

#[test]
fn six_one_second_jobs_are_refused_not_credited_in_full() {
    let primes = [
        999_999_937,
        999_999_929,
        999_999_893,
        999_999_883,
        999_999_797,
        999_999_761,
    ];
    let stints: Vec<Stint> = primes
        .iter()
        .map(|p| Stint {
            start: date(2020, 1, 1),
            end: date(2021, 12, 31),
            hours: Exact::new(1, *p),
        })
        .collect();
    let credited = credit(
        &stints,
        Exact::from_integer(40),
        OverlapRule::SummedToFullTime,
    );
    assert!(credited.is_err(), "{credited:?}");
}

#[test]
fn thirty_small_prime_jobs_are_exact_or_refused() {
    let primes = [
        2i64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83,
        89, 97, 101, 103, 107, 109, 113,
    ];
    let stints: Vec<Stint> = primes
        .iter()
        .map(|p| Stint {
            start: date(2020, 1, 1),
            end: date(2021, 12, 31),
            hours: Exact::new(p + 1, *p),
        })
        .collect();
    let forty = Exact::from_integer(40);
    let exact: Big = primes
        .iter()
        .map(|p| Big::new(BigInt::from(p + 1), BigInt::from(*p)))
        .fold(Big::from_integer(BigInt::from(0)), |a, b| a + b)
        / big(forty)
        * Big::from_integer(BigInt::from(24));
    match credit(&stints, forty, OverlapRule::SummedToFullTime) {
        Ok(c) => assert_eq!(big(c.months), exact),
        Err(unheld) => assert!(unheld.job < 30),
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
            .map(|&(start, end)| Interval { start, end, weight: Weight::Full, job: 0 })
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
            sweep(&intervals, OverlapRule::SummedToFullTime).unwrap().0
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
