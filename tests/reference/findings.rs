//! Minimal applicants for the shipped rules on which the engine and the reference were
//! found to disagree (each a distinct failure). Each job is tagged
//! `public_program_experience` and runs 2020-01-01 to 2021-12-31 unless it says otherwise;
//! the evaluation date is 2024-06-30.

use super::applicant::{Amount, Course, Degree, Job, RefApplicant, Subject, Unit};
use super::applicant_gen::LARGE_PRIMES;
use super::calendar::Day;

fn job(hours: (u64, u64), start: Day, end: Day) -> Job {
    Job {
        categories: vec!["public_program_experience".to_owned()],
        start,
        end: Some(end),
        hours: Some(Amount {
            numer: hours.0,
            denom: hours.1,
        }),
    }
}

fn two_years(hours: (u64, u64)) -> Job {
    job(hours, Day::new(2020, 1, 1), Day::new(2021, 12, 31))
}

fn diploma() -> Degree {
    Degree {
        credential: "high_school".to_owned(),
        field: None,
        accredited: false,
        completed: None,
        unit: Unit::Semester,
        subjects: Vec::new(),
    }
}

fn with_jobs(jobs: Vec<Job>) -> RefApplicant {
    RefApplicant {
        degrees: vec![diploma()],
        courses: Vec::new(),
        jobs,
    }
}

fn finance(credits: (u64, u64)) -> Course {
    Course {
        field: Some("Finance".to_owned()),
        accredited: true,
        credits: Amount {
            numer: credits.0,
            denom: credits.1,
        },
        unit: Unit::Semester,
        subjects: Vec::new(),
    }
}

fn subject(name: &str, credits: (u64, u64)) -> Subject {
    Subject {
        name: name.to_owned(),
        credits: Amount {
            numer: credits.0,
            denom: credits.1,
        },
        unit: Unit::Semester,
    }
}

/// The cases, each with a name saying what it holds.
pub fn cases() -> Vec<(&'static str, RefApplicant)> {
    let [p, q, ..] = [LARGE_PRIMES[0], LARGE_PRIMES[1]];
    vec![
        (
            "one job of 1/2^62 hours a week",
            with_jobs(vec![two_years((1, 1 << 62))]),
        ),
        (
            "one job of 1.000000000000000001 hours a week",
            with_jobs(vec![two_years((
                1_000_000_000_000_000_001,
                1_000_000_000_000_000_000,
            ))]),
        ),
        (
            "two concurrent jobs of 1/999999937 and 1/999999929 hours a week",
            with_jobs(vec![two_years((1, p)), two_years((1, q))]),
        ),
        (
            "six concurrent jobs of 1/p hours a week, p six primes near 10^9",
            with_jobs(
                LARGE_PRIMES[..6]
                    .iter()
                    .map(|p| two_years((1, *p)))
                    .collect(),
            ),
        ),
        (
            "two consecutive jobs of just over 20 hours a week, denominators near 10^9",
            with_jobs(vec![
                job((20 * p + 1, p), Day::new(2020, 1, 1), Day::new(2020, 6, 30)),
                job(
                    (20 * q + 1, q),
                    Day::new(2020, 7, 1),
                    Day::new(2021, 12, 31),
                ),
            ]),
        ),
        (
            "two Finance coursework entries of 21994054897/999999893 and 94103528285/999999761 credits",
            RefApplicant {
                courses: vec![
                    finance((21_994_054_897, 999_999_893)),
                    finance((94_103_528_285, 999_999_761)),
                ],
                ..RefApplicant::default()
            },
        ),
        (
            "a bachelor's with 9000000000/999999893 credits in Psychology and 9000000000/999999761 in Sociology",
            RefApplicant {
                degrees: vec![Degree {
                    credential: "bachelor".to_owned(),
                    subjects: vec![
                        subject("Psychology", (9_000_000_000, 999_999_893)),
                        subject("Sociology", (9_000_000_000, 999_999_761)),
                    ],
                    ..diploma()
                }],
                ..RefApplicant::default()
            },
        ),
    ]
}
