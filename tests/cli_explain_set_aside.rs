//! `qualify explain` names every job and education entry a requirement considered and set
//! aside, with the reason, in the tree and in its JSON, through the real binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use cli_support::qualify;

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

/// Rule-content hashes change with every edit to the rules; the snapshots show where the
/// hash goes, not its value.
macro_rules! snapshot {
    ($cmd:expr) => {
        insta::with_settings!({filters => vec![(r"\b[0-9a-f]{64}\b", "[rules-hash]")]}, {
            assert_cmd_snapshot!($cmd);
        })
    };
}

fn explain(applicant: &str, level: &str, format: &str) -> Command {
    let mut cmd = qualify();
    cmd.args([
        "explain",
        &format!("tests/fixtures/set_aside/{applicant}"),
        "--class",
        "K9099",
        "--level",
        level,
        "--as-of",
        "2024-06-30",
        "--format",
        format,
    ]);
    cmd
}

#[test]
fn an_unaccredited_master_is_set_aside_from_the_combination() {
    snapshot!(explain(
        "k9099_unaccredited_master_finance.toml",
        "O",
        "text"
    ));
}

#[test]
fn jobs_outside_every_category_asked_are_set_aside() {
    snapshot!(explain("k9099_jobs_in_other_categories.toml", "B", "text"));
}

/// The JSON names the same entries, with the reason's kind and the identifiers it concerns.
#[test]
fn the_json_trace_carries_what_was_set_aside() {
    let out = explain("k9099_unaccredited_master_finance.toml", "O", "json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clause = &doc["classes"][0]["tiers"][0]["paths"][1]["root"];
    assert_eq!(clause["kind"], "combination");
    let education = &clause["children"][0];
    assert_eq!(education["kind"], "education_years");
    let set_aside = education["set_aside"].as_array().unwrap();
    assert_eq!(set_aside.len(), 1, "{education}");
    assert_eq!(set_aside[0]["entry"], "education");
    assert_eq!(set_aside[0]["number"], 2);
    assert_eq!(set_aside[0]["title"], "Master's degree in Finance");
    assert_eq!(set_aside[0]["reasons"][0]["kind"], "unaccredited");

    let out = explain("k9099_jobs_in_other_categories.toml", "B", "json")
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let experience = &doc["classes"][0]["tiers"][0]["paths"][0]["root"]["children"][1];
    assert_eq!(experience["kind"], "experience");
    let jobs: Vec<(u64, &str)> = experience["set_aside"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["number"].as_u64().unwrap(),
                s["reasons"][0]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(jobs, [(1, "other_category"), (2, "other_category")]);
}

/// A degree completed after the evaluation date is named under the credential it would meet
/// as completed after that date, never as one the applicant simply has.
#[test]
fn a_degree_completed_after_the_date_is_listed_as_not_yet_held() {
    let output = explain("k9099_degree_completed_later.toml", "O", "text")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "none (has Bachelor's degree in Finance completed 2024-07-01, after this date)"
        ),
        "{text}"
    );
}

/// A degree whose credential is not on the class's profile counts for nothing, the subject
/// credits listed in it included: met where the profile has the credential, set aside where
/// it has not.
#[test]
fn subject_credits_of_a_degree_not_on_the_profile_count_for_nothing() {
    let rules = "tests/fixtures/off_scale/rules.qual";
    let applicant = "tests/fixtures/off_scale/doctorate.toml";
    let out = qualify()
        .args(["eval", applicant, "--rules", rules, "--as-of", "2024-06-30"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("D1     L1     minimum  ✔    direct\n"),
        "{table}"
    );
    assert!(
        table.contains(
            "D2     L1     minimum  ✘    —       needs 12 credits more in “Behavioral sciences”\n"
        ),
        "{table}"
    );
    let out = qualify()
        .args([
            "explain",
            applicant,
            "--rules",
            rules,
            "--class",
            "D2",
            "--as-of",
            "2024-06-30",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let root = &doc["classes"][0]["tiers"][0]["paths"][0]["root"];
    assert_eq!(root["kind"], "credits", "{root}");
    let reasons = &root["set_aside"][0]["reasons"];
    assert_eq!(reasons[0]["kind"], "not_on_scale", "{root}");
}

/// The tree's text for `applicant` (TOML) under the rules in `rules` (one file's text), for
/// class `C1` as of 2024-07-01.
fn explained_under(rules: &str, applicant: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.qual"), rules).unwrap();
    std::fs::write(dir.path().join("a.toml"), applicant).unwrap();
    let out = qualify()
        .arg("explain")
        .arg(dir.path().join("a.toml"))
        .arg("--rules")
        .arg(dir.path().join("rules.qual"))
        .args(["--class", "C1", "--as-of", "2024-07-01"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

const NO_QUARTER_FIGURE: &str = r#"
profile state {
  jurisdiction "State"
  credential bachelor "Bachelor's degree" worth 4 years
  a year of education is 30 semester credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}
fields finance_fields label "Finance" "Finance and statistics" { "Finance" "Statistics" }
class C1 "Analyst" {
  profile state
  source "analyst.txt"
  established 07/07/2001
  level A code "C1A" band 50 {
    minimum: 10 credits in finance_fields
  }
}
"#;

/// Coursework in a field of the set is not said to be outside it when its credits count
/// for nothing: quarter credits under a profile with no quarter figure.
#[test]
fn quarter_credits_without_a_quarter_figure_are_said_to_count_for_nothing() {
    let text = explained_under(
        NO_QUARTER_FIGURE,
        "id = \"Q1\"\n[[education]]\ncredential = \"bachelor\"\nsubjects = { Finance = 30 }\n\
         credit_unit = \"quarter\"\n[[coursework]]\nfield = \"Finance\"\ncredits = 45\n\
         credit_unit = \"quarter\"\n",
    );
    let reason = "lists its credits in “Finance” in quarter credits, which count for nothing: \
                  the profile gives no quarter credits per year";
    assert!(
        text.contains(&format!(
            "Coursework in Finance (coursework 1) set aside: {reason}"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Bachelor's degree (education 1) set aside: {reason}"
        )),
        "{text}"
    );
    assert!(!text.contains("is not in"), "{text}");
}

/// Coursework of no credits in a field of the set says so, not that its field is outside
/// the set.
#[test]
fn coursework_of_no_credits_in_a_field_of_the_set_says_so() {
    let mut cmd = qualify();
    cmd.args([
        "explain",
        "tests/fixtures/set_aside/38480_coursework_of_no_credits.toml",
        "--class",
        "38480",
        "--as-of",
        "2024-06-30",
    ]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "Coursework in Sociology (coursework 1) set aside: lists 0 credits in “Behavioral sciences”"
        ),
        "{text}"
    );
    assert!(
        text.contains("12 credits in “Behavioral sciences”"),
        "{text}"
    );
    assert!(!text.contains("the field Sociology is not in"), "{text}");
}
