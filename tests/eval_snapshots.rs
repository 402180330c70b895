//! Snapshots of the renderings for several applicants: the table, the auditor's tree, the
//! decision record and the trace as JSON.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use eval_support::*;
use qualify::applicant::Applicant;
use qualify::eval::{Query, evaluate, evaluate_requirement, evaluate_traced};
use qualify::explain::{record_json, requirement_tree, table, trace_json, tree};

const PPE: &str = "public_program_experience";

fn as_of() -> jiff::civil::Date {
    d(2024, 6, 30)
}

/// The rules' content hash changes with every rule edit; the snapshots should not.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"\b[0-9a-f]{64}\b", "[rules-hash]");
    s
}

/// Associate in Finance, 17 months full time and a current half-time job: a near miss.
fn near_miss() -> Applicant {
    let mut a = person("A-1001");
    a.name = Some("Maria Lopez".into());
    a.education.push(degree("high_school", None, true));
    a.education.push(degree("associate", Some("Finance"), true));
    let mut first = job(&[PPE], d(2021, 8, 1), Some(d(2022, 12, 31)));
    first.title = "Eligibility interviewer, Human Services Department".into();
    let mut second = part_time(job(&[PPE], d(2022, 7, 1), None), 20);
    second.title = "Records clerk, county hospital".into();
    a.experience = vec![first, second];
    a
}

/// No diploma, ten years of program work: the ladder case.
fn ladder() -> Applicant {
    let mut a = person("A-1002");
    a.name = Some("Sam Ortiz".into());
    let mut j = months_ending(&[PPE], 120, as_of());
    j.title = "Benefits specialist, state facility".into();
    a.experience.push(j);
    a
}

/// Counseling and case management, 18 months each, and a psychology degree.
fn split_experience() -> Applicant {
    let mut a = person("A-1003");
    a.name = Some("Lee Park".into());
    let mut b = degree("bachelor", Some("Psychology"), true);
    b.subjects = vec![subject("Psychology", 15), subject("Sociology", 6)];
    a.education.push(b);
    let mut c = months_ending(&["sud_mh_counseling"], 18, d(2021, 12, 31));
    c.title = "Addictions counselor".into();
    let mut m = months_ending(&["sud_mh_case_management"], 18, as_of());
    m.title = "Case manager, behavioral health".into();
    a.experience = vec![c, m];
    a
}

#[test]
fn table_for_every_class() {
    for (name, a) in [
        ("near_miss", near_miss()),
        ("ladder", ladder()),
        ("split", split_experience()),
    ] {
        let e = evaluate(shipped(), &a, &Query::new(as_of())).unwrap();
        settings().bind(|| insta::assert_snapshot!(format!("table_{name}"), table(&e)));
    }
}

#[test]
fn tree_for_one_level() {
    let q = Query::new(as_of()).class("K9099").level("O");
    let a = near_miss();
    let e = evaluate_traced(shipped(), &a, &q).unwrap();
    settings().bind(|| insta::assert_snapshot!("tree_near_miss_k9099_o", tree(shipped(), &e)));
}

#[test]
fn tree_for_a_whole_class() {
    let q = Query::new(as_of()).class("K9099");
    let a = ladder();
    let e = evaluate_traced(shipped(), &a, &q).unwrap();
    settings().bind(|| insta::assert_snapshot!("tree_ladder_k9099", tree(shipped(), &e)));
    let q = Query::new(as_of()).class("38480");
    let a = split_experience();
    let e = evaluate_traced(shipped(), &a, &q).unwrap();
    settings().bind(|| insta::assert_snapshot!("tree_split_38480", tree(shipped(), &e)));
}

#[test]
fn decision_records() {
    let q = Query::new(as_of()).class("38480");
    let a = split_experience();
    let e = evaluate(shipped(), &a, &q).unwrap();
    settings().bind(|| insta::assert_snapshot!("record_split_38480", record_json(&e)));
    let q = Query::new(as_of()).class("K9099").level("O");
    let a = near_miss();
    let e = evaluate(shipped(), &a, &q).unwrap();
    settings().bind(|| insta::assert_snapshot!("record_near_miss_k9099_o", record_json(&e)));
}

#[test]
fn trace_as_data() {
    let q = Query::new(as_of()).class("K9099").level("B");
    let a = near_miss();
    let e = evaluate_traced(shipped(), &a, &q).unwrap();
    settings().bind(|| insta::assert_snapshot!("trace_near_miss_k9099_b", trace_json(&e)));
}

#[test]
fn untraced_evaluation_says_so() {
    let q = Query::new(as_of()).class("K9099").level("B");
    let a = near_miss();
    let e = evaluate(shipped(), &a, &q).unwrap();
    assert!(tree(shipped(), &e).contains("carries no trace"));
}

#[test]
fn standalone_requirement() {
    let rules = check_dir("rules");
    let class = rules
        .model()
        .classes
        .iter()
        .find(|c| c.code == "K9099")
        .unwrap();
    let req = &class.levels[1].tiers[0].requirement;
    let applicant = near_miss();
    let trace = evaluate_requirement(shipped(), class.profile, req, &applicant, as_of()).unwrap();
    let words = qualify::explain::audit::requirement(shipped(), &applicant, as_of(), &trace);
    insta::assert_snapshot!("requirement_k9099_o", requirement_tree(&words));
}
