//! The audit trace says why each education entry was set aside by a credential requirement.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use eval_support::*;
use qualify::eval::{Query, evaluate_traced};

fn evidence_of(applicant: &qualify::applicant::Applicant, class: &str, level: &str) -> String {
    let q = Query::new(d(2024, 6, 30)).class(class).level(level);
    let evaluation = evaluate_traced(shipped(), applicant, &q).unwrap();
    qualify::explain::trace_json(&evaluation)
}

#[test]
fn an_unaccredited_degree_is_set_aside_with_its_reason() {
    let mut a = person("reasons-1");
    a.education.push(degree("bachelor", Some("Music"), false));
    let text = evidence_of(&a, "K9099", "A");
    assert!(
        text.contains(
            "Bachelor's degree in Music set aside: the field Music is not one of Business Administration, Healthcare Administration, Statistics, or Finance"
        ),
        "{text}"
    );
}

#[test]
fn a_degree_after_the_evaluation_date_is_set_aside() {
    let mut a = person("reasons-2");
    let mut future = degree("associate", Some("Finance"), true);
    future.completed = Some(d(2024, 12, 15));
    a.education.push(future);
    let text = evidence_of(&a, "K9099", "O");
    assert!(
        text.contains(
            "Associate degree in Finance set aside: completed 2024-12-15, after the evaluation date"
        ),
        "{text}"
    );
}

#[test]
fn a_major_without_subject_credits_is_set_aside_for_that_reason() {
    let mut a = person("reasons-3");
    a.education
        .push(degree("bachelor", Some("Psychology"), true));
    let text = evidence_of(&a, "38480", "specialist");
    assert!(
        text.contains("Bachelor's degree in Psychology set aside: lists no credits per subject (18 credits in behavioral_sciences asked; credits count only when listed per subject)"),
        "{text}"
    );
}
