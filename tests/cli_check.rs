//! `qualify check` through the real binary: output formats, summaries and exit codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use cli_support::qualify;

use insta_cmd::assert_cmd_snapshot;

#[test]
fn shipped_rules_check_clean() {
    assert_cmd_snapshot!(qualify().arg("check"));
}

#[test]
fn shipped_rules_plain_format() {
    assert_cmd_snapshot!(qualify().args(["check", "--error-format", "plain", "rules"]));
}

#[test]
fn shipped_rules_json_format() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "--error-format",
        "json",
        "--show-acknowledged",
        "rules"
    ]));
}

#[test]
fn shipped_rules_show_their_acknowledged_warnings_with_reasons() {
    assert_cmd_snapshot!(qualify().args(["check", "--show-acknowledged", "rules"]));
}

#[test]
fn deny_warnings_passes_on_the_shipped_rules_whose_warnings_are_acknowledged() {
    let output = qualify()
        .args(["check", "--deny-warnings"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.ends_with("0 errors, 0 warnings (4 warnings acknowledged)\n"),
        "{stdout}"
    );
}

#[test]
fn deny_warnings_fails_on_a_warning_not_acknowledged() {
    let output = qualify()
        .args([
            "check",
            "--deny-warnings",
            "tests/fixtures/check/q202_ladder_gap.qual",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("failed:") && summary.ends_with("(warnings are denied)"),
        "{summary}"
    );
}

#[test]
fn broken_file_reports_every_error() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "rules/profiles.qual",
        "tests/fixtures/cli/broken.qual"
    ]));
}

#[test]
fn independent_mistakes_in_rules_are_all_reported_in_one_run() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "--error-format",
        "plain",
        "tests/fixtures/check/many_independent_mistakes.qual"
    ]));
}

#[test]
fn independent_mistakes_in_an_applicant_are_all_reported_in_one_run() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "--error-format",
        "plain",
        "rules",
        "tests/fixtures/applicants/bad/many_independent_mistakes.toml"
    ]));
}

#[test]
fn no_color_env_keeps_output_plain() {
    let output = qualify()
        .env("NO_COLOR", "1")
        .args(["check", "tests/fixtures/cli/broken.qual"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains('\u{1b}'));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn missing_path_is_a_usage_error() {
    assert_cmd_snapshot!(qualify().args(["check", "no/such/folder"]));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let output = qualify()
        .args(["check", "--deny-warning"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--deny-warnings"));
}

#[test]
fn folder_without_rule_files_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = qualify()
        .args(["check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A message quotes a long unknown name by its first 80 characters and `…`, in rules and in
/// applicants; the label still marks the whole name.
#[test]
fn a_long_unknown_name_is_quoted_cut() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(3000);
    let rules = std::fs::read_to_string("rules/k9099.qual")
        .unwrap()
        .replacen("of public_program_experience", &format!("of {long}"), 1);
    std::fs::copy("rules/profiles.qual", dir.path().join("profiles.qual")).unwrap();
    std::fs::write(dir.path().join("k9099.qual"), rules).unwrap();
    let applicant = dir.path().join("a.json");
    std::fs::write(
        &applicant,
        format!("{{\"experience\":[{{\"title\":\"t\",\"categories\":[\"{long}\"],\"start\":\"2020-01-01\"}}]}}"),
    )
    .unwrap();
    for args in [
        vec![dir.path().to_str().unwrap(), "--error-format", "json"],
        vec![
            "rules",
            applicant.to_str().unwrap(),
            "--error-format",
            "json",
        ],
    ] {
        let out = qualify().arg("check").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let output = String::from_utf8([out.stdout, out.stderr].concat()).unwrap();
        let quoted = format!("`{}…`", "x".repeat(80));
        let line = output
            .lines()
            .find(|line| line.contains(&quoted))
            .unwrap_or_else(|| panic!("{output}"));
        let diagnostic: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            diagnostic["message"].as_str().unwrap().len() < 200,
            "{line}"
        );
    }
}

/// A tier and its substitution clause each with `allow Q210`: the clause's own `allow` takes
/// the clause's warning. The tier's `allow`, whose node holds the clause too, used to take
/// both, and the clause's was reported as acknowledging nothing (Q206).
#[test]
fn a_clause_allow_takes_the_clause_warning_before_its_tier_allow() {
    let out = qualify()
        .args([
            "check",
            "--error-format",
            "plain",
            "tests/fixtures/allow_in_clause_and_tier",
        ])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("Q206"), "{text}");
    assert!(
        text.contains("0 warnings (2 warnings acknowledged)"),
        "{text}"
    );
}
