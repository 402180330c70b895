//! `qualify check` with applicant files, through the real binary: diagnostics, summary, exit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use cli_support::qualify_no_color as qualify;

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

const BAD: &str = "tests/fixtures/applicants/bad";

/// A rule set without lint warnings, so snapshots show only the applicants' diagnostics.
const PA_RULES: [&str; 2] = ["rules/profiles.qual", "rules/pa_38480.qual"];

fn check_with_pa_rules(applicants: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.arg("check").args(PA_RULES);
    for name in applicants {
        cmd.arg(format!("{BAD}/{name}"));
    }
    cmd
}

#[test]
fn example_applicants_add_nothing_but_their_count() {
    let rules_only = qualify().args(["check", "rules"]).output().unwrap();
    let with_examples = qualify()
        .args(["check", "rules", "examples/applicants"])
        .output()
        .unwrap();
    assert_eq!(with_examples.status.code(), Some(0));
    let expected = String::from_utf8_lossy(&rules_only.stdout)
        .replace(" levels; 0 errors", " levels, 12 applicants; 0 errors");
    assert_eq!(String::from_utf8_lossy(&with_examples.stdout), expected);
}

#[test]
fn applicants_alone_are_checked_against_shipped_rules() {
    let output = qualify()
        .args(["check", "examples/applicants"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("12 applicants; 0 errors"), "{stdout}");
}

#[test]
fn bad_applicants_fail_with_every_error() {
    assert_cmd_snapshot!(check_with_pa_rules(&[
        "q309_end_before_start.toml",
        "q305_duplicate_key.json",
        "q310_hours_out_of_range.toml",
        "q311_negative_credits.toml",
    ]));
}

#[test]
fn non_utf8_applicant_is_an_error() {
    assert_cmd_snapshot!(check_with_pa_rules(&["q001_not_utf8.toml"]));
}

#[test]
fn unsupported_applicant_format_is_an_error() {
    assert_cmd_snapshot!(check_with_pa_rules(&["q314_unsupported_format.yaml"]));
}

#[test]
fn bad_applicant_json_diagnostics() {
    assert_cmd_snapshot!(
        check_with_pa_rules(&["q306_unknown_credential.toml"]).args(["--error-format", "json"])
    );
}

#[test]
fn applicants_are_not_checked_against_broken_rules() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "rules/profiles.qual",
        "tests/fixtures/cli/broken.qual",
        "examples/applicants/k9099_near_miss.toml"
    ]));
}

#[test]
fn every_bad_fixture_fails_through_the_binary() {
    let output = qualify().args(["check", "rules", BAD]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.lines().last().unwrap().starts_with("failed: "),
        "{stdout}"
    );
    assert!(!stdout.contains("panicked"));
}

#[test]
fn a_folder_with_rule_files_is_not_read_for_applicants() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["profiles.qual", "pa_38480.qual"] {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules")
            .join(name);
        std::fs::copy(from, dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("package.json"), "{ not an applicant").unwrap();
    let output = qualify()
        .args(["check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout,
        "ok: 2 files, 1 class, 1 level; 0 errors, 0 warnings\n"
    );
}

#[test]
fn a_field_close_to_a_listed_one_is_a_warning_with_a_suggestion() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "rules",
        "tests/fixtures/applicants/spellings/near_miss_field.toml",
        "tests/fixtures/applicants/spellings/k9099_health_care_administration.toml",
    ]));
}
