//! Evaluation behaviour beyond the seed cases: degrees completed later, the highest level
//! met, shortfalls computed and worded, unknown names refused, rule versions chosen by date,
//! the record's labels, and an `or` nested in an alternative.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use eval_support::*;
use jiff::civil::Date;
use qualify::check::model::Exact;
use qualify::eval::{Query, QueryError, evaluate};

const PPE: &str = "public_program_experience";

#[test]
fn a_degree_completed_after_the_evaluation_date_does_not_count_yet() {
    let a = with(person("k-graduating"), |a| {
        let mut assoc = degree("associate", Some("Finance"), false);
        assoc.completed = Some(d(2024, 7, 15));
        a.education.push(assoc);
        a.experience.push(months_ending(&[PPE], 24, d(2024, 6, 30)));
    });
    let before = evaluate(shipped(), &a, &Query::new(d(2024, 6, 30)).class("K9099")).unwrap();
    assert!(!met(&before, "K9099/O/minimum"));
    let after = evaluate(shipped(), &a, &Query::new(d(2024, 7, 15)).class("K9099")).unwrap();
    assert!(met(&after, "K9099/O/minimum"));
}

#[test]
fn highest_level_met_follows_the_minimum_tiers() {
    let ladder = with(person("k-ladder"), |a| {
        a.experience.push(recent(&[PPE], 120))
    });
    let evaluation = evaluate_all(&ladder, as_of());
    let k = evaluation
        .classes
        .iter()
        .find(|c| c.code == "K9099")
        .unwrap();
    assert_eq!(k.highest_level_met, Some("A"));
    let g = evaluation
        .classes
        .iter()
        .find(|c| c.code == "G1099")
        .unwrap();
    assert_eq!(g.highest_level_met, None);
}

#[test]
fn shortfalls_are_computed_from_the_figures() {
    let a = with(person("k-assoc-17"), |a| {
        a.education
            .push(degree("associate", Some("Finance"), false));
        a.experience.push(recent(&[PPE], 17));
    });
    let q = Query::new(as_of()).class("K9099").level("O");
    let evaluation = evaluate(shipped(), &a, &q).unwrap();
    let minimum = evaluation.tiers().next().unwrap();
    let direct = &evaluation.paths(minimum)[0];
    let json = serde_json::to_value(evaluation.shortfalls(direct)).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "kind": "experience",
            "months": {"exact": "7", "unit": "months", "display": "7 months"},
            "whole_months": 7,
            "categories": ["public_program_experience"]
        }])
    );
    let lacks = evaluation.shortfalls(direct);
    assert_eq!(
        lacks.describe(&lacks[0]),
        "needs 7 months more of public_program_experience"
    );
    let combination = evaluation.paths(minimum)[1].combination.as_ref().unwrap();
    assert_eq!(combination.credited.0, Exact::from_integer(17));
    assert_eq!(combination.required.0, Exact::from_integer(48));
}

#[test]
fn unknown_names_and_dates_are_refused_with_help() {
    let a = person("nobody");
    let err = evaluate(shipped(), &a, &Query::new(as_of()).class("K9909")).unwrap_err();
    assert_eq!(err.to_string(), "no class has the code `K9909`");
    assert_eq!(err.help(), "did you mean `K9099`?");
    let err = evaluate(
        shipped(),
        &a,
        &Query::new(as_of()).class("K9099").level("Q"),
    )
    .unwrap_err();
    assert!(matches!(err, QueryError::UnknownLevel { .. }), "{err:?}");
    let err = evaluate(shipped(), &a, &Query::new(d(2018, 6, 25)).class("38480")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no version of class `38480` is in force on 2018-06-25"
    );
    let before = evaluate(shipped(), &a, &Query::new(d(2018, 6, 25))).unwrap();
    assert_eq!(
        before.not_in_force.iter().map(|c| &**c).collect::<Vec<_>>(),
        ["38480"]
    );
}

#[test]
fn a_class_with_two_versions_is_judged_by_the_one_in_force() {
    let program = qualify::compile::compile(&check_dir("tests/fixtures/versions"));
    let a = with(person("v"), |a| {
        a.education
            .push(degree("associate", Some("Finance"), false));
        a.experience
            .push(months_ending(&["analysis"], 18, d(2019, 12, 31)));
    });
    let judge = |date: Date| {
        let q = Query::new(date).class("V100");
        let e = evaluate(&program, &a, &q).unwrap();
        (
            e.classes[0].version.effective,
            e.tiers().next().unwrap().met,
        )
    };
    // Version 1 (from 2015-01-01) asks 2 years; version 2 (from 2020-07-01) asks 1 year.
    assert_eq!(judge(d(2020, 6, 30)), (d(2015, 1, 1), false));
    assert_eq!(judge(d(2020, 7, 1)), (d(2020, 7, 1), true));
    let err = evaluate(&program, &a, &Query::new(d(2014, 12, 31)).class("V100")).unwrap_err();
    assert!(matches!(err, QueryError::NotInForce { .. }));
}

#[test]
fn a_shortfall_under_a_whole_month_says_the_days_enough_and_the_record_the_exact_figure() {
    // 15 February to 14 August 2024: 5366/899 months against 6 (docs/semantics.md).
    let mut a = person("k-mid-month");
    a.education.push(degree("high_school", None, false));
    a.experience
        .push(job(&[PPE], d(2024, 2, 15), Some(d(2024, 8, 14))));
    let q = Query::new(d(2025, 6, 30)).class("K9099").level("B");
    let evaluation = evaluate(shipped(), &a, &q).unwrap();
    let minimum = evaluation.tiers().next().unwrap();
    assert!(!minimum.met);
    assert_eq!(
        evaluation
            .shortfalls(&evaluation.paths(minimum)[0])
            .describe_all(),
        "needs 1 month more of public_program_experience \
         (rounded up to whole months from 0.03 months: 1 more full-time day of work is enough)"
    );
    let record = qualify::explain::record_json(&evaluation);
    assert!(record.contains("\"exact\": \"28/899\""), "{record}");
}

#[test]
fn highest_level_met_covers_levels_not_asked_for() {
    let ladder = with(person("k-ladder-o"), |a| {
        a.experience.push(recent(&[PPE], 120))
    });
    let q = Query::new(as_of()).class("K9099").level("O");
    let evaluation = evaluate(shipped(), &ladder, &q).unwrap();
    let k = &evaluation.classes[0];
    assert_eq!(k.levels.len(), 1);
    assert_eq!(k.highest_level_met, Some("A"));
    let q = Query::new(as_of())
        .class("K9099")
        .level("B")
        .tier(qualify::syntax::ast::TierKind::Recommended);
    let evaluation = evaluate(shipped(), &ladder, &q).unwrap();
    assert_eq!(evaluation.classes[0].highest_level_met, Some("A"));
}

#[test]
fn the_record_labels_units_and_lists_the_jobs_and_quotes() {
    let a = with(person("k-coursework-29"), |a| {
        a.coursework
            .push(coursework(Some("Accounting"), true, semester(29)));
        a.experience.push(recent(&[PPE], 36));
    });
    let q = Query::new(as_of()).class("K9099").level("O");
    let evaluation = evaluate(shipped(), &a, &q).unwrap();
    let json = serde_json::to_value(&evaluation).unwrap();
    assert_eq!(json["record"], "qualify-decision/2");
    let path = &json["classes"][0]["levels"][0]["tiers"][0]["paths"][1];
    assert!(
        path["quote"]
            .as_str()
            .unwrap()
            .starts_with("Any combination")
    );
    let combination = &path["combination"];
    assert_eq!(combination["education_years"]["exact"], "29/30");
    assert_eq!(combination["education_years"]["unit"], "years");
    assert_eq!(combination["education_months"]["exact"], "58/5");
    assert_eq!(combination["experience"]["exact"], "36");
    assert_eq!(combination["credited"]["exact"], "238/5");
    assert_eq!(combination["credited"]["unit"], "months");
    let experience = &json["figures"]["experience"][0];
    assert_eq!(experience["counted_jobs"][0]["months"]["exact"], "36");
    assert_eq!(
        experience["counted_jobs"][0]["hours_per_week"],
        serde_json::Value::Null
    );
}

#[test]
fn an_or_inside_an_alternative_keeps_its_own_alternatives() {
    let program = qualify::compile::compile(&check_dir("tests/fixtures/nested_or"));
    let a = with(person("n"), |a| {
        a.education
            .push(degree("associate", Some("History"), false));
        a.experience
            .push(job(&["review"], d(2023, 1, 1), Some(d(2023, 12, 31))));
    });
    let evaluation = evaluate(&program, &a, &Query::new(d(2024, 6, 30))).unwrap();
    let minimum = evaluation.tiers().next().unwrap();
    let lacks = evaluation.shortfalls(&evaluation.paths(minimum)[0]);
    assert_eq!(
        lacks.describe_all(),
        "needs either a bachelor's degree or higher in analysis_fields or (both an associate \
         degree or higher in analysis_fields and (either 2 years more of analysis or 2 years \
         more of review))"
    );
    let outer: Vec<_> = lacks.alternatives(&lacks[0]).collect();
    assert_eq!(outer.iter().map(|a| a.len()).collect::<Vec<_>>(), [1, 2]);
    let inner: Vec<_> = outer[1].alternatives(&outer[1][1]).collect();
    assert_eq!(inner.iter().map(|a| a.len()).collect::<Vec<_>>(), [1, 1]);
    let json = serde_json::to_value(lacks).unwrap();
    assert_eq!(json[0]["kind"], "any_of");
    assert_eq!(json[0]["alternatives"][1][0]["kind"], "credential");
    assert_eq!(json[0]["alternatives"][1][1]["kind"], "any_of");
    assert_eq!(
        json[0]["alternatives"][1][1]["alternatives"][1][0]["whole_months"],
        24
    );
}

#[test]
fn a_class_is_found_by_its_place_in_the_program() {
    let program = shipped();
    for (index, class) in program.classes().iter().enumerate() {
        assert_eq!(program.index_of(class), Some(index));
    }
    let copy = program.classes()[0].clone();
    assert_eq!(program.index_of(&copy), None, "a class of another program");
}
