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
            "Bachelor's degree in Music (education 1) set aside: the field Music is not in healthcare_admin_fields"
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
            "Associate degree in Finance (education 1) set aside: completed 2024-12-15, after the evaluation date"
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
        text.contains("Bachelor's degree in Psychology (education 1) set aside: lists no credits per subject (18 credits in behavioral_sciences asked; credits count only when listed per subject)"),
        "{text}"
    );
}

/// Every `set_aside` entry of every node of the trace, as JSON values.
fn set_asides(text: &str) -> Vec<serde_json::Value> {
    fn walk(node: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
        if let Some(list) = node.get("set_aside").and_then(|s| s.as_array()) {
            out.extend(list.iter().cloned());
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut out = Vec::new();
    for class in doc["classes"].as_array().unwrap() {
        for tier in class["tiers"].as_array().unwrap() {
            for path in tier["paths"].as_array().unwrap() {
                walk(&path["root"], &mut out);
            }
        }
    }
    out
}

#[test]
fn jobs_in_no_category_asked_are_set_aside_with_their_categories() {
    let mut a = person("reasons-4");
    a.experience.push(job(
        &["social_worker_assistant"],
        d(2020, 1, 1),
        Some(d(2021, 12, 31)),
    ));
    a.experience
        .push(job(&["sud_mh_counseling"], d(2022, 1, 1), None));
    let text = evidence_of(&a, "K9099", "B");
    assert!(
        text.contains("(job 1) set aside: in another category: social_worker_assistant (asked: public_program_experience)"),
        "{text}"
    );
    let all = set_asides(&text);
    let jobs: Vec<_> = all.iter().filter(|s| s["entry"] == "job").collect();
    assert!(jobs.iter().any(|s| s["number"] == 1), "{text}");
    assert!(jobs.iter().any(|s| s["number"] == 2), "{text}");
    let second = jobs.iter().find(|s| s["number"] == 2).unwrap();
    assert_eq!(second["reasons"][0]["kind"], "other_category");
    assert_eq!(
        second["reasons"][0]["categories"],
        serde_json::json!(["sud_mh_counseling"])
    );
}

#[test]
fn a_job_that_starts_after_the_evaluation_date_is_set_aside() {
    let mut a = person("reasons-5");
    a.experience
        .push(job(&["public_program_experience"], d(2024, 9, 1), None));
    let text = evidence_of(&a, "K9099", "B");
    assert!(
        text.contains("(job 1) set aside: starts 2024-09-01, after the evaluation date"),
        "{text}"
    );
    let all = set_asides(&text);
    assert!(
        all.iter().all(|s| s["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] == "outside_dates")),
        "{text}"
    );
}

#[test]
fn an_unaccredited_degree_is_named_on_the_combination_line() {
    let mut a = person("reasons-6");
    a.education.push(degree("master", Some("Finance"), false));
    let text = evidence_of(&a, "K9099", "O");
    assert!(
        text.contains("set aside: an unaccredited Master's degree in Finance)"),
        "{text}"
    );
    let all = set_asides(&text);
    assert!(
        all.iter()
            .any(|s| s["entry"] == "education" && s["reasons"][0]["kind"] == "unaccredited"),
        "{text}"
    );
}

#[test]
fn credits_found_are_stated_when_an_includes_requirement_passes() {
    let mut a = person("reasons-7");
    let mut bachelor = degree("bachelor", Some("Psychology"), true);
    bachelor.subjects = vec![subject("Psychology", 21)];
    a.education.push(bachelor);
    let mut short = degree("associate", Some("Sociology"), true);
    short.subjects = vec![subject("Sociology", 9)];
    a.education.push(short);
    let text = evidence_of(&a, "38480", "specialist");
    assert!(
        text.contains(
            "Bachelor's degree in Psychology counted: includes 21 credits in behavioral_sciences, at least the 18 credits asked"
        ),
        "{text}"
    );
    assert!(
        text.contains("lists 9 credits in behavioral_sciences, fewer than the 18 credits asked"),
        "{text}"
    );
    let short = set_asides(&text)
        .into_iter()
        .find(|s| s["number"] == 2 && s["entry"] == "education")
        .unwrap();
    let reason = short["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "subject_credits_short")
        .unwrap()
        .clone();
    assert_eq!(reason["found"]["exact"], "9");
    assert_eq!(reason["needed"]["exact"], "18");
    assert_eq!(reason["fields"], "behavioral_sciences");
}

#[test]
fn coursework_outside_the_related_fields_is_set_aside_by_a_combination() {
    let mut a = person("reasons-8");
    a.coursework
        .push(coursework(Some("Music"), true, semester(30)));
    let text = evidence_of(&a, "K9099", "O");
    assert!(
        text.contains(
            "Coursework in Music (coursework 1) set aside: the field Music is not in healthcare_related_fields"
        ),
        "{text}"
    );
    // In a sentence, coursework takes no article.
    assert!(text.contains("set aside: coursework in Music)"), "{text}");
    assert!(!text.contains("a Coursework"), "{text}");
}

/// One credit is one credit, in the unit it was written in and converted.
#[test]
fn one_credit_is_said_in_the_singular() {
    let mut a = person("reasons-one-credit");
    let mut course = coursework(Some("Finance"), true, semester(1));
    course.credits.unit = qualify::applicant::CreditUnit::Quarter;
    course.credits.amount = qualify::check::model::Exact::new(3, 2);
    a.coursework.push(course);
    let text = evidence_of(&a, "K9099", "O");
    assert!(
        text.contains("1.50 quarter credits = 1 semester credit ÷ 30 per year"),
        "{text}"
    );
}

#[test]
fn a_degree_set_aside_for_its_rank_still_says_the_credits_it_includes() {
    let mut a = person("reasons-9");
    let mut associate = degree("associate", Some("Human Development"), true);
    associate.subjects = vec![subject("Psychology", 12), subject("Human Development", 9)];
    a.education.push(associate);
    let text = evidence_of(&a, "38480", "specialist");
    assert!(
        text.contains(
            "Associate degree in Human Development (education 1) set aside: below the bachelor's degree asked (it includes 21 credits in behavioral_sciences, at least the 18 credits asked)"
        ),
        "{text}"
    );
    assert!(
        text.contains("none (has Associate degree in Human Development)"),
        "{text}"
    );
}

/// Under `several degrees count the highest only`, a lower degree is listed with the years
/// it is worth and said not to count, so the entries counted add up to the total.
#[test]
fn a_degree_below_the_highest_is_said_not_to_count() {
    let mut a = person("reasons-highest");
    a.education.push(degree("bachelor", Some("Finance"), true));
    a.education
        .push(degree("master", Some("Public Health"), true));
    let text = evidence_of(&a, "K9099", "A");
    assert!(
        text.contains(
            "Bachelor's degree in Finance: 4 years (the profile's worth of the credential); not counted: only the highest degree counts"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Master's degree in Public Health: 6 years (the profile's worth of the credential)\""
        ),
        "the master's counts: {text}"
    );
}

/// 38480's combination: a bachelor's (4 years) and 3 years of counseling reach the 7 years,
/// but the 18 behavioral-science credits it must include are missing. The line that says
/// the total is reached, marked ✘, says why.
#[test]
fn a_combination_whose_total_is_reached_says_what_it_lacks() {
    let mut a = person("reasons-includes");
    a.education
        .push(degree("bachelor", Some("Criminal Justice"), true));
    a.experience
        .push(months_ending(&["sud_mh_counseling"], 36, d(2024, 6, 29)));
    let text = evidence_of(&a, "38480", "specialist");
    assert!(
        text.contains("84 months (7 years) required; the total is reached, but not what the clause must include"),
        "{text}"
    );
}
