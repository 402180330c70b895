//! `qualify explain` as an auditor or an applicant reads it, through the real binary: the
//! notes beside what they concern, a category counted at one tier and set aside at the
//! others, and the listed spelling a field matched.

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

fn explain(applicant: &str, class: &str, level: Option<&str>, format: &str) -> Command {
    let mut cmd = qualify();
    cmd.args(["explain", applicant, "--class", class]);
    if let Some(level) = level {
        cmd.args(["--level", level]);
    }
    cmd.args(["--as-of", "2025-06-30", "--format", format]);
    cmd
}

const SOCIAL_WORKER: &str = "tests/fixtures/seed_cases/g19_social_worker_associate.toml";
const HEALTH_CARE: &str =
    "tests/fixtures/applicants/spellings/k9099_health_care_administration.toml";

/// Two years as a social worker: G1099 Advanced minimum counts them, with the note for
/// choice (5) beside it; Basic, Operational and Advanced recommended set the job aside as
/// another category, and the category's own note says where it counts.
#[test]
fn a_social_worker_job_counts_at_advanced_minimum_and_is_set_aside_elsewhere() {
    snapshot!(explain(SOCIAL_WORKER, "G1099", None, "text"));
}

/// The JSON says the same: the job counts at A minimum and is set aside, with the reason
/// `other_category`, under every other experience requirement of the class.
#[test]
fn the_social_worker_job_in_the_json_trace() {
    let out = explain(SOCIAL_WORKER, "G1099", None, "json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut counted = Vec::new();
    let mut set_aside = Vec::new();
    for tier in doc["classes"][0]["tiers"].as_array().unwrap() {
        let key = tier["key"].as_str().unwrap().to_owned();
        let direct = &tier["paths"][0]["root"];
        let experience = direct["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "experience")
            .unwrap();
        if experience["evidence"].as_array().unwrap().is_empty() {
            let reason = &experience["set_aside"][0]["reasons"][0];
            assert_eq!(reason["kind"], "other_category", "{key}");
            assert_eq!(reason["categories"][0], "social_worker", "{key}");
            set_aside.push(key);
        } else {
            counted.push(key);
        }
    }
    assert_eq!(counted, ["G1099/A/minimum"]);
    assert_eq!(
        set_aside,
        [
            "G1099/B/minimum",
            "G1099/B/recommended",
            "G1099/O/minimum",
            "G1099/O/recommended",
            "G1099/A/recommended"
        ]
    );
}

/// An associate degree written "Health Care Administration" meets K9099 Operational
/// minimum, and the explanation names the listed field and spelling it matched.
#[test]
fn a_listed_spelling_meets_k9099_o_and_is_named() {
    snapshot!(explain(HEALTH_CARE, "K9099", Some("O"), "text"));
}

/// Every level's code, band and alternate band are in explain's heading and beside each
/// level, and in the decision record (`alt_band`).
#[test]
fn an_alternate_band_is_shown_in_the_heading_and_the_record() {
    let args = |format: &str| {
        let mut cmd = qualify();
        cmd.args([
            "explain",
            "tests/fixtures/alt_band/a100_analyst.toml",
            "--rules",
            "tests/fixtures/alt_band",
            "--class",
            "A100",
            "--as-of",
            "2024-06-30",
            "--format",
            format,
        ]);
        cmd
    };
    snapshot!(args("text"));
    let out = qualify()
        .args([
            "eval",
            "tests/fixtures/alt_band/a100_analyst.toml",
            "--rules",
            "tests/fixtures/alt_band",
            "--as-of",
            "2024-06-30",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels = &record["classes"][0]["levels"];
    assert_eq!(levels[0]["code"], "A100I");
    assert_eq!(levels[0]["band"], "40");
    assert_eq!(levels[0]["alt_band"], "45");
    assert_eq!(
        levels[0]["notes"][0]["text"],
        "The alternate band is reviewed each year."
    );
    assert_eq!(levels[1]["alt_band"], serde_json::Value::Null);
}

/// A field written another way than listed says which listed field it matched: by a listed
/// spelling once case, punctuation and spacing are set aside, or by the field itself.
#[test]
fn a_field_written_another_way_names_the_field_it_matched() {
    let cases = [
        (
            "tests/fixtures/applicants/spellings/k9099_health_care_lower.toml",
            "has Associate degree in health-care  administration (matches “Healthcare Administration” by its listed spelling “Health Care Administration”)",
        ),
        (
            "tests/fixtures/applicants/spellings/k9099_healthcare_upper.toml",
            "has Associate degree in HEALTHCARE ADMINISTRATION (matches “Healthcare Administration”)",
        ),
        (
            HEALTH_CARE,
            "has Associate degree in Health Care Administration (a listed spelling of “Healthcare Administration”)",
        ),
    ];
    for (file, expected) in cases {
        let out = explain(file, "K9099", Some("O"), "text").output().unwrap();
        assert!(out.status.success(), "{file}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(expected), "{file}:\n{text}");
        assert!(
            text.contains("K9099O, band 55), minimum qualifications: ✔ MET"),
            "{file}"
        );
    }
}

const CUT_JOBS: &str = "tests/fixtures/applicants/cut_figures/three_part_time_jobs.toml";
const CUT_COURSEWORK: &str = "tests/fixtures/applicants/cut_figures/coursework_29_credits.toml";

/// Figures are shown cut to two decimals: three jobs of 3.025 months each show as 3.02, and
/// their 9.075 as 9.07. A reader adding 3.02 three times gets 9.06, so the total says that
/// it adds the exact figures; a sum that does check by hand says nothing of the kind.
#[test]
fn a_sum_of_cut_figures_says_it_adds_the_exact_ones() {
    let out = explain(CUT_JOBS, "G1099", Some("B"), "text")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let totals: Vec<&str> = text.lines().filter(|l| l.contains("Total:")).collect();
    assert!(!totals.is_empty(), "{text}");
    for total in totals {
        assert!(
            total.contains(
                "3.02 + 3.02 + 3.02 = 9.07 months (no day held in two counted jobs at once; \
                 each figure is cut to two decimals; the total adds the exact figures)"
            ),
            "{total}"
        );
    }
    let out = explain(
        "examples/applicants/g1099_overlapping_jobs.toml",
        "G1099",
        None,
        "text",
    )
    .output()
    .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Total:"), "{text}");
    assert!(!text.contains("cut to two decimals"), "{text}");
}

/// A combination clause's arithmetic: 29 credits are 0.96 years shown, × 12 = 11.60 months
/// (11.52 by hand), so the line says its figures are cut.
#[test]
fn a_combination_of_cut_figures_says_it_adds_the_exact_ones() {
    snapshot!(explain(CUT_COURSEWORK, "K9099", Some("O"), "text"));
}

const OWN_WORDS: &str = "tests/fixtures/applicants/own_words/k9099_identifier_like_words.toml";

/// The applicant's id, name, job title and field of study hold words spelt like the
/// rules' field sets and categories: the tree shows them as written, while the rules'
/// own sets are shown by their labels, and "Terms used" lists only the rules' sets.
#[test]
fn the_applicants_own_words_are_shown_as_written() {
    snapshot!(explain(OWN_WORDS, "K9099", Some("O"), "text"));
}

/// The table's heading shows the id and name as written.
#[test]
fn the_tables_heading_shows_the_applicants_id_and_name_as_written() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        OWN_WORDS,
        "--class",
        "K9099",
        "--level",
        "B",
        "--as-of",
        "2025-06-30",
    ]);
    snapshot!(cmd);
}

/// The JSON trace holds the applicant's words as written, with nothing around them.
#[test]
fn the_json_trace_holds_the_applicants_words_as_written() {
    let output = explain(OWN_WORDS, "K9099", Some("O"), "json")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Associate degree in social_work_fields Studies"));
    assert!(text.contains("healthcare_admin_fields clerk: 2012-07-01"));
    assert!(!text.contains(['\u{FDD0}', '\u{FDD1}']));
    let _: serde_json::Value = serde_json::from_str(&text).unwrap();
}
