//! Shared helpers for the evaluation tests: the shipped rules compiled once, and small
//! builders for applicants.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::OnceLock;

use jiff::civil::Date;
use qualify::applicant::{
    Applicant, Coursework, CreditUnit, Credits, Education, Job, SubjectCredits,
};
use qualify::check::model::Exact;
use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::compile::{Program, compile};
use qualify::eval::{Evaluation, Query, evaluate};

/// Checks the rule files under a folder of the crate.
pub fn check_dir(dir: &str) -> CheckedRules {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
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
    let outcome = check_sources(&inputs);
    outcome
        .rules
        .unwrap_or_else(|| panic!("{dir:?} does not check: {:#?}", outcome.diagnostics))
}

/// The shipped rules, compiled once.
pub fn shipped() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| compile(&check_dir("rules")))
}

pub fn d(y: i16, m: i8, day: i8) -> Date {
    jiff::civil::date(y, m, day)
}

pub fn person(id: &str) -> Applicant {
    Applicant {
        id: Some(id.to_string()),
        name: None,
        ..Applicant::default()
    }
}

pub fn degree(credential: &str, field: Option<&str>, accredited: bool) -> Education {
    Education {
        credential: credential.to_string(),
        field: field.map(str::to_string),
        accredited,
        completed: None,
        credits: None,
        subjects: Vec::new(),
    }
}

pub fn semester(amount: i64) -> Credits {
    Credits {
        amount: Exact::from_integer(amount),
        unit: CreditUnit::Semester,
    }
}

pub fn subject(name: &str, credits: i64) -> SubjectCredits {
    SubjectCredits {
        subject: name.to_string(),
        credits: semester(credits),
    }
}

pub fn coursework(field: Option<&str>, accredited: bool, credits: Credits) -> Coursework {
    Coursework {
        field: field.map(str::to_string),
        accredited,
        credits,
        subjects: Vec::new(),
    }
}

/// A full-time job in `categories` from `start` to `end` inclusive (`None`: current).
pub fn job(categories: &[&str], start: Date, end: Option<Date>) -> Job {
    Job {
        title: format!("{} work", categories.join("/")),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        start,
        end,
        hours_per_week: None,
    }
}

pub fn part_time(mut job: Job, hours: i64) -> Job {
    job.hours_per_week = Some(Exact::from_integer(hours));
    job
}

/// Full-time months ending on `end` (inclusive), starting on the first of a month.
pub fn months_ending(categories: &[&str], months: i32, end: Date) -> Job {
    let first_of_next = end.tomorrow().unwrap();
    let start = first_of_next
        .checked_sub(jiff::Span::new().months(months))
        .unwrap();
    job(categories, start, Some(end))
}

pub fn evaluate_all(applicant: &Applicant, as_of: Date) -> Evaluation<'_> {
    evaluate(shipped(), applicant, &Query::new(as_of)).unwrap()
}

/// `met` for one tier key such as `K9099/O/minimum`.
pub fn met(evaluation: &Evaluation, key: &str) -> bool {
    evaluation
        .tiers()
        .find(|t| t.key.to_string() == key)
        .unwrap_or_else(|| panic!("no tier {key}"))
        .met
}

/// The evaluation date of the applicant cases.
pub fn as_of() -> Date {
    d(2024, 6, 30)
}

/// `n` full-time months of `categories` ending on [`as_of`].
pub fn recent(categories: &[&str], n: i32) -> Job {
    months_ending(categories, n, as_of())
}

/// `a` after `f` has changed it.
pub fn with(mut a: Applicant, f: impl FnOnce(&mut Applicant)) -> Applicant {
    f(&mut a);
    a
}

/// A high school diploma.
pub fn high_school() -> Education {
    degree("high_school", None, true)
}
