//! The evaluation scenario shared by `benches/eval.rs` and `examples/eval_instructions.rs`:
//! the shipped rules and one realistic applicant, so the timings and the instruction
//! counts measure the same work.

use std::path::Path;

use jiff::civil::{Date, date};
use qualify::applicant::{Applicant, Education, Job};
use qualify::check::model::Exact;
use qualify::check::{CheckedRules, SourceInput, check_sources};

/// Every `.qual` file in `rules/`, in name order.
pub fn shipped_inputs() -> Vec<SourceInput> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut inputs: Vec<SourceInput> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qual"))
        .map(|p| SourceInput {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        })
        .collect();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    inputs
}

/// The shipped rules, checked (they check clean).
pub fn checked_rules() -> CheckedRules {
    check_sources(&shipped_inputs()).rules.unwrap()
}

fn education(credential: &str, field: &str) -> Education {
    Education {
        credential: credential.into(),
        field: Some(field.into()),
        accredited: true,
        completed: None,
        credits: None,
        subjects: Vec::new(),
    }
}

fn job(category: &str, start: Date, end: Option<Date>, hours: Option<i64>) -> Job {
    Job {
        title: "job".into(),
        categories: vec![category.into()],
        start,
        end,
        hours_per_week: hours.map(Exact::from_integer),
    }
}

/// A realistic applicant: a diploma, an associate in Finance, three dated jobs (two
/// overlapping, one part-time and current).
pub fn applicant() -> Applicant {
    Applicant {
        id: Some("bench".into()),
        name: None,
        education: vec![
            education("high_school", "General"),
            education("associate", "Finance"),
        ],
        coursework: Vec::new(),
        experience: vec![
            job(
                "public_program_experience",
                date(2016, 3, 14),
                Some(date(2019, 8, 30)),
                None,
            ),
            job(
                "public_program_experience",
                date(2019, 1, 1),
                Some(date(2021, 12, 31)),
                None,
            ),
            job("social_worker_assistant", date(2022, 1, 10), None, Some(20)),
        ],
    }
}

/// The evaluation date of every scenario.
pub fn as_of() -> Date {
    date(2024, 6, 30)
}

/// An applicant with `n` overlapping part-time jobs of public program experience, at
/// fractional hours with small denominators (18.5, 25/3, 15.25, 12.5, 33/5 hours a week):
/// each job runs 400 days, starting three days after the one before.
pub fn fractional_jobs(n: usize) -> Applicant {
    let hours = [
        Exact::new(37, 2),
        Exact::new(25, 3),
        Exact::new(61, 4),
        Exact::new(25, 2),
        Exact::new(33, 5),
    ];
    let first = date(1990, 1, 1);
    let experience = (0..n)
        .map(|i| {
            let start = first
                .checked_add(jiff::Span::new().days(3 * i64::try_from(i).unwrap()))
                .unwrap();
            Job {
                title: "job".into(),
                categories: vec!["public_program_experience".into()],
                start,
                end: Some(start.checked_add(jiff::Span::new().days(400)).unwrap()),
                hours_per_week: Some(hours[i % hours.len()]),
            }
        })
        .collect();
    Applicant {
        id: Some("fractional".into()),
        experience,
        ..applicant()
    }
}
