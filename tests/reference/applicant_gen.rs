//! Random applicants for a rule set: ordinary ones (small denominators, a handful of jobs,
//! recent dates) and adversarial ones (hours and credits with large coprime denominators,
//! hundreds or thousands of overlapping jobs, dates across centuries, amounts exactly at a
//! threshold and one day either side).

use std::collections::BTreeSet;

use proptest::prelude::*;
use qualify::check::model::{Req, RuleModel};

use super::applicant::{Amount, Course, Degree, Job, RefApplicant, Subject, Unit};
use super::calendar::Day;
use super::exact;

/// Primes just below 10⁹: pairwise coprime denominators whose sums overflow 64 bits.
pub const LARGE_PRIMES: &[u64] = &[
    999_999_937,
    999_999_929,
    999_999_893,
    999_999_883,
    999_999_797,
    999_999_761,
    999_999_757,
    999_999_751,
    999_999_739,
    999_999_733,
];

/// The names and thresholds of a rule set that applicants are built from.
#[derive(Clone, Debug)]
pub struct Vocabulary {
    pub credentials: Vec<String>,
    pub fields: Vec<String>,
    pub categories: Vec<String>,
    /// Whole months that experience requirements and combination totals ask for.
    pub month_thresholds: Vec<u32>,
}

impl Vocabulary {
    pub fn of(model: &RuleModel) -> Vocabulary {
        let mut credentials = BTreeSet::new();
        for profile in &model.profiles {
            credentials.extend(profile.credentials.iter().map(|c| c.name.clone()));
        }
        let mut fields = BTreeSet::new();
        for set in &model.field_sets {
            fields.extend(set.fields.iter().cloned());
        }
        fields.insert("Basket Weaving".to_owned());
        let mut thresholds = BTreeSet::new();
        for class in &model.classes {
            for tier in class.levels.iter().flat_map(|l| &l.tiers) {
                collect_months(&tier.requirement, &mut thresholds);
                for sub in &tier.substitutions {
                    thresholds.extend(whole_months(sub.total_months));
                    if let Some(req) = &sub.includes {
                        collect_months(req, &mut thresholds);
                    }
                }
            }
        }
        thresholds.insert(1);
        Vocabulary {
            credentials: credentials.into_iter().collect(),
            fields: fields.into_iter().collect(),
            categories: model.categories.iter().map(|c| c.name.clone()).collect(),
            month_thresholds: thresholds.into_iter().collect(),
        }
    }
}

fn collect_months(req: &Req, into: &mut BTreeSet<u32>) {
    match req {
        Req::All(parts, _) | Req::Any(parts, _) => {
            parts.iter().for_each(|p| collect_months(p, into));
        }
        Req::Experience { months, .. } => into.extend(whole_months(*months)),
        Req::Credential(_) | Req::Credits { .. } => {}
    }
}

fn whole_months(months: qualify::check::model::Exact) -> Option<u32> {
    let value = exact(months);
    value
        .is_integer()
        .then(|| value.to_integer().try_into().ok())
        .flatten()
        .filter(|m: &u32| (1..=600).contains(m))
}

/// How hard the applicants push the arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ordinary,
    Adversarial,
}

/// An applicant with its evaluation date.
#[derive(Clone, Debug)]
pub struct Case {
    pub applicant: RefApplicant,
    pub as_of: Day,
}

fn day(years: std::ops::Range<i32>) -> impl Strategy<Value = Day> {
    (years, 1u32..13, 1u32..32).prop_map(|(y, m, d)| {
        let last = super::calendar::days_in_month(y, m);
        Day::new(y, m, d.min(last))
    })
}

fn plus_days(mut day: Day, days: u32) -> Day {
    for _ in 0..days {
        day = day.next();
    }
    day
}

/// A field as an applicant might write it: a pool name in another case or with spaces,
/// or a name no set lists.
fn field(vocabulary: &Vocabulary) -> impl Strategy<Value = Option<String>> + use<> {
    let names = vocabulary.fields.clone();
    prop::option::weighted(
        0.85,
        (prop::sample::select(names), 0u8..4).prop_map(|(name, style)| match style {
            0 => name.to_uppercase(),
            1 => format!("  {name} "),
            _ => name,
        }),
    )
}

fn ordinary_amount(max: u64) -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => (0..=max).prop_map(Amount::whole),
        1 => (1u64..13).prop_flat_map(move |denom| {
            (1..=max * denom).prop_map(move |numer| Amount { numer, denom })
        }),
    ]
}

fn large_amount(max: u64) -> impl Strategy<Value = Amount> {
    prop::sample::select(LARGE_PRIMES.to_vec())
        .prop_flat_map(move |p| (1..=max * p).prop_map(move |numer| Amount { numer, denom: p }))
}

/// Weekly hours: small or large denominators, and the forms known to break 64-bit sums.
fn hours(kind: Kind) -> impl Strategy<Value = Option<Amount>> {
    let ordinary = prop::option::weighted(
        0.6,
        ordinary_amount(60).prop_filter("positive", |a| a.numer > 0),
    );
    match kind {
        Kind::Ordinary => ordinary.boxed(),
        Kind::Adversarial => prop_oneof![
            2 => ordinary,
            3 => large_amount(40).prop_map(Some),
            1 => (2u64..200).prop_map(|p| Some(Amount { numer: p + 1, denom: p })),
            1 => Just(Some(Amount { numer: 1, denom: 1 << 62 })),
            1 => Just(Some(Amount { numer: 1_000_000_000_000_000_001, denom: 1_000_000_000_000_000_000 })),
        ]
        .boxed(),
    }
}

fn credits(kind: Kind) -> BoxedStrategy<Amount> {
    match kind {
        Kind::Ordinary => ordinary_amount(40).boxed(),
        Kind::Adversarial => prop_oneof![ordinary_amount(40), large_amount(100)].boxed(),
    }
}

fn unit() -> impl Strategy<Value = Unit> {
    prop::sample::select(vec![Unit::Semester, Unit::Semester, Unit::Quarter])
}

fn subjects(vocabulary: &Vocabulary, kind: Kind) -> impl Strategy<Value = Vec<Subject>> + use<> {
    let names = vocabulary.fields.clone();
    prop::collection::vec((prop::sample::select(names), credits(kind), unit()), 0..4).prop_map(
        |items| {
            let mut seen = BTreeSet::new();
            items
                .into_iter()
                .filter(|(name, _, _)| seen.insert(name.to_lowercase()))
                .map(|(name, credits, unit)| Subject {
                    name,
                    credits,
                    unit,
                })
                .collect()
        },
    )
}

fn degree(
    vocabulary: &Vocabulary,
    kind: Kind,
    years: std::ops::Range<i32>,
) -> impl Strategy<Value = Degree> + use<> {
    (
        prop::sample::select(vocabulary.credentials.clone()),
        field(vocabulary),
        any::<bool>(),
        prop::option::of(day(years)),
        unit(),
        subjects(vocabulary, kind),
    )
        .prop_map(
            |(credential, field, accredited, completed, unit, subjects)| Degree {
                credential,
                field,
                accredited,
                completed,
                unit,
                subjects,
            },
        )
}

fn course(vocabulary: &Vocabulary, kind: Kind) -> impl Strategy<Value = Course> + use<> {
    (
        field(vocabulary),
        any::<bool>(),
        credits(kind),
        unit(),
        prop::option::weighted(0.4, subjects(vocabulary, kind)),
    )
        .prop_map(|(field, accredited, credits, unit, subjects)| {
            // A subject may not hold more credits than its entry, compared at the units'
            // definition, a quarter credit being two thirds of a semester credit (Q315); one
            // that would is given the entry's credits in its unit.
            let thirds = |amount: super::BigRational, unit: Unit| {
                let per_credit = match unit {
                    Unit::Semester => 3,
                    Unit::Quarter => 2,
                };
                amount * super::BigRational::from_integer(per_credit.into())
            };
            let total = thirds(credits.value(), unit);
            let subjects = subjects
                .unwrap_or_default()
                .into_iter()
                .map(|mut s| {
                    if thirds(s.credits.value(), s.unit) > total {
                        s.credits = credits.clone();
                        s.unit = unit;
                    }
                    s
                })
                .collect();
            Course {
                field,
                accredited,
                credits,
                unit,
                subjects,
            }
        })
}

fn categories(vocabulary: &Vocabulary) -> impl Strategy<Value = Vec<String>> + use<> {
    prop::sample::subsequence(
        vocabulary.categories.clone(),
        0..=vocabulary.categories.len(),
    )
}

/// A job from `start`, lasting up to `max_days`, or open-ended with probability `open`.
fn job(
    vocabulary: &Vocabulary,
    kind: Kind,
    years: std::ops::Range<i32>,
    max_days: u32,
    open: f64,
) -> impl Strategy<Value = Job> + use<> {
    (
        categories(vocabulary),
        day(years),
        0..max_days,
        prop::bool::weighted(open),
        hours(kind),
    )
        .prop_map(|(categories, start, length, open, hours)| Job {
            categories,
            start,
            end: (!open).then(|| plus_days(start, length)),
            hours,
        })
}

/// A full-time job of exactly `months` calendar months in the named categories, moved by
/// `shift` days at its end (−1, 0 or +1).
fn threshold_job(
    vocabulary: &Vocabulary,
    years: std::ops::Range<i32>,
) -> impl Strategy<Value = Job> + use<> {
    (
        prop::sample::select(vocabulary.month_thresholds.clone()),
        prop::sample::select(vocabulary.categories.clone()),
        day(years),
        -1i32..=1,
    )
        .prop_map(|(months, category, start, shift)| {
            let first = Day::new(start.year, start.month, 1);
            let end = first.first_of_month_after(months).previous();
            let end = match shift {
                -1 => end.previous(),
                1 => end.next(),
                _ => end,
            };
            Job {
                categories: vec![category],
                start: first,
                end: Some(end),
                hours: None,
            }
        })
}

/// Hundreds or thousands of short jobs crowded into one year, their hours drawn from a
/// few values (so that the exact sums stay small enough for the reference to add daily).
fn crowd(
    vocabulary: &Vocabulary,
    count: std::ops::Range<usize>,
    years: std::ops::Range<i32>,
) -> impl Strategy<Value = Vec<Job>> + use<> {
    let palette = prop::collection::vec(hours(Kind::Adversarial), 1..4);
    (palette, day(years), Just(vocabulary.clone()), count).prop_flat_map(
        |(palette, first, vocabulary, count)| {
            let one = (
                categories(&vocabulary),
                0u32..365,
                0u32..30,
                0..palette.len(),
            )
                .prop_map(move |(categories, offset, length, hours)| {
                    let start = plus_days(first, offset);
                    Job {
                        categories,
                        start,
                        end: Some(plus_days(start, length)),
                        hours: palette.get(hours).cloned().flatten(),
                    }
                });
            prop::collection::vec(one, count)
        },
    )
}

/// An ordinary applicant: a few entries and jobs between 1990 and 2030.
pub fn ordinary(vocabulary: &Vocabulary) -> impl Strategy<Value = Case> + use<> {
    let years = 1990..2030;
    (
        prop::collection::vec(degree(vocabulary, Kind::Ordinary, years.clone()), 0..4),
        prop::collection::vec(course(vocabulary, Kind::Ordinary), 0..4),
        prop::collection::vec(
            job(vocabulary, Kind::Ordinary, years.clone(), 2500, 0.1),
            0..8,
        ),
        prop::collection::vec(threshold_job(vocabulary, 2000..2020), 0..2),
        day(2000..2035),
        boundaries(vocabulary),
    )
        .prop_map(
            |(degrees, courses, mut jobs, thresholds, as_of, boundaries)| {
                jobs.extend(thresholds);
                let mut case = Case {
                    applicant: RefApplicant {
                        degrees,
                        courses,
                        jobs,
                    },
                    as_of,
                };
                boundaries.apply(&mut case);
                case
            },
        )
}

/// An adversarial applicant: large coprime denominators, crowds of overlapping jobs,
/// centuries, thresholds ±1 day.
pub fn adversarial(vocabulary: &Vocabulary) -> impl Strategy<Value = Case> + use<> {
    let kind = Kind::Adversarial;
    // Jobs with an evaluation date: open-ended jobs run to it, so centuries-long jobs
    // come with dates across centuries, and recent jobs with recent dates.
    let recent = || day(2000..2035);
    let jobs = prop_oneof![
        6 => (prop::collection::vec(job(vocabulary, kind, 1990..2030, 3000, 0.1), 0..12), recent()),
        2 => (prop::collection::vec(job(vocabulary, kind, 1700..2300, 20_000, 0.0), 0..4), day(1700..2400)),
        2 => (crowd(vocabulary, 100..300, 2000..2020), recent()),
        1 => (crowd(vocabulary, 1000..2000, 2000..2020), recent()),
    ];
    (
        prop::collection::vec(degree(vocabulary, kind, 1700..2300), 0..4),
        prop::collection::vec(course(vocabulary, kind), 0..6),
        jobs,
        prop::collection::vec(threshold_job(vocabulary, 1800..2200), 0..3),
        boundaries(vocabulary),
    )
        .prop_map(
            |(degrees, courses, (mut jobs, as_of), thresholds, boundaries)| {
                jobs.extend(thresholds);
                let mut case = Case {
                    applicant: RefApplicant {
                        degrees,
                        courses,
                        jobs,
                    },
                    as_of,
                };
                boundaries.apply(&mut case);
                case
            },
        )
}

/// Dates moved onto the evaluation date or one day either side of it: degrees completed
/// then, and jobs starting or ending then.
#[derive(Clone, Debug)]
pub struct Boundaries {
    /// Per degree (by position), the day to complete it, relative to the evaluation date.
    completions: Vec<Option<i8>>,
    /// Jobs in these categories from the given day (relative to the evaluation date) to
    /// the evaluation date, or open-ended.
    jobs: Vec<(Vec<String>, i8, bool)>,
}

fn shift(day: Day, by: i8) -> Day {
    match by {
        -1 => day.previous(),
        1 => day.next(),
        _ => day,
    }
}

fn boundaries(vocabulary: &Vocabulary) -> impl Strategy<Value = Boundaries> + use<> {
    (
        prop::collection::vec(prop::option::weighted(0.3, -1i8..=1), 0..4),
        prop::collection::vec((categories(vocabulary), -1i8..=1, any::<bool>()), 0..2),
    )
        .prop_map(|(completions, jobs)| Boundaries { completions, jobs })
}

impl Boundaries {
    fn apply(self, case: &mut Case) {
        let as_of = case.as_of;
        for (degree, by) in case.applicant.degrees.iter_mut().zip(self.completions) {
            if let Some(by) = by {
                degree.completed = Some(shift(as_of, by));
            }
        }
        for (categories, by, open) in self.jobs {
            case.applicant.jobs.push(Job {
                categories,
                start: shift(as_of, by).min(as_of),
                end: (!open).then_some(as_of),
                hours: None,
            });
        }
    }
}
