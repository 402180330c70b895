//! Unit tests of parsing and applying edits to the applicant.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use crate::applicant::Applicant;
use crate::repl::words::split;

fn vocabulary() -> Vocabulary {
    Vocabulary {
        credentials: vec!["high_school".into(), "associate".into(), "bachelor".into()],
        categories: vec!["public_program_experience".into(), "casework".into()],
        field_sets: vec![],
        fields: vec!["Finance".into()],
        classes: vec![],
    }
}

/// A session state with an empty applicant, evaluated as of 2024-01-01.
fn empty_state() -> State {
    State {
        applicant: Applicant::default(),
        as_of: jiff::civil::date(2024, 1, 1),
        file: None,
        origin: 0,
        group: None,
    }
}

fn edit(line: &str) -> Result<Edit, ReplError> {
    parse(&split(line).unwrap(), &vocabulary())
}

#[test]
fn adds_a_part_time_job() {
    let Edit::AddJob(job) =
        edit("add job \"Eligibility clerk\" public_program_experience 2019-01-01..2021-06-30 20h")
            .unwrap()
    else {
        panic!("not a job");
    };
    assert_eq!(job.title, "Eligibility clerk");
    assert_eq!(job.hours_per_week, Some(Exact::from_integer(20)));
    assert_eq!(
        job_line(&job),
        "\"Eligibility clerk\" public_program_experience 2019-01-01..2021-06-30 20h"
    );
}

#[test]
fn misspelt_category_suggests_the_right_one() {
    let error = edit("add job clerk publc_program_experience 2019-01-01.. 40h").unwrap_err();
    assert_eq!(
        error.help.as_deref(),
        Some("did you mean `public_program_experience`?")
    );
}

#[test]
fn end_before_start_is_refused() {
    let error = edit("add job clerk casework 2021-01-01..2020-01-01").unwrap_err();
    assert!(error.message.contains("ends"), "{}", error.message);
}

#[test]
fn set_and_remove_check_the_entry_number() {
    let mut state = empty_state();
    let error = apply(&edit("set job 2 hours 40").unwrap(), &mut state).unwrap_err();
    assert_eq!(error.message, "there is no job 2");
    apply(
        &edit("add edu bachelor \"Finance\" accredited").unwrap(),
        &mut state,
    )
    .unwrap();
    apply(&edit("set edu 1 credential associate").unwrap(), &mut state).unwrap();
    assert_eq!(state.applicant.education[0].credential, "associate");
    apply(&edit("remove edu 1").unwrap(), &mut state).unwrap();
    assert!(state.applicant.education.is_empty());
}

#[test]
fn coursework_subjects_stay_within_the_total() {
    let mut state = empty_state();
    let error = apply(
        &edit("add course 6 \"Finance\" subject Accounting 12").unwrap(),
        &mut state,
    )
    .unwrap_err();
    assert_eq!(
        error.message,
        "Q315: 12 credits in `Accounting` are more than the entry's 6 credits in all"
    );
    assert!(state.applicant.coursework.is_empty());
    apply(
        &edit("add course 12 \"Finance\" subject Accounting 12").unwrap(),
        &mut state,
    )
    .unwrap();
    let error = apply(&edit("set course 1 credits 9").unwrap(), &mut state).unwrap_err();
    assert!(error.message.contains("more than"), "{}", error.message);
    assert_eq!(
        state.applicant.coursework[0].credits.amount,
        Exact::from_integer(12)
    );
    apply(
        &edit("set course 1 credits 18 quarter").unwrap(),
        &mut state,
    )
    .unwrap();
}

#[test]
fn amounts_are_exact() {
    assert_eq!(parse_amount("37.5"), Some(Exact::new(75, 2)));
    assert_eq!(parse_amount("-3"), None);
    assert_eq!(parse_amount("99999999999999999999"), None);
    assert_eq!(amount_text(Exact::new(75, 2)), "37.5");
}
