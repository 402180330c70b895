//! `qualify check` on hostile input through the real binary: non-UTF-8, empty and deeply
//! nested rule files each get a diagnostic and the right exit code, never a crash.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use cli_support::qualify_no_color as qualify;

use insta_cmd::assert_cmd_snapshot;

#[test]
fn non_utf8_file_is_an_error() {
    assert_cmd_snapshot!(qualify().args(["check", "tests/fixtures/cli/not_utf8.qual"]));
}

#[test]
fn non_utf8_file_in_json() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "--error-format",
        "json",
        "tests/fixtures/cli/not_utf8.qual"
    ]));
}

#[test]
fn empty_file_is_a_warning() {
    assert_cmd_snapshot!(qualify().args(["check", "tests/fixtures/cli/empty.qual"]));
}

#[test]
fn empty_file_fails_with_deny_warnings() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "--deny-warnings",
        "tests/fixtures/cli/empty.qual"
    ]));
}

#[test]
fn empty_file_beside_the_shipped_rules_still_passes() {
    let output = qualify()
        .args(["check", "rules", "tests/fixtures/cli/empty.qual"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Q201"));
}

#[test]
fn hundred_thousand_nested_parentheses_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let text = format!(
        "class X1 \"Example\" {{\n  level B code \"X1B\" band 50 {{\n    minimum: {}associate{}\n  }}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    std::fs::write(dir.path().join("deep.qual"), text).unwrap();
    let output = qualify()
        .current_dir(dir.path())
        .args(["check", "--error-format", "json", "deep.qual"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let reports: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The nesting once, and what the class truly leaves out (its profile, source and date),
    // which the statement passed over cannot be.
    let deep: Vec<&serde_json::Value> = reports.iter().filter(|r| r["code"] == "Q004").collect();
    assert_eq!(deep.len(), 1, "{stdout}");
    assert_eq!(
        deep[0]["message"],
        "requirement nested more than 64 parentheses deep"
    );
    let others: Vec<&serde_json::Value> = reports.iter().filter(|r| r["code"] != "Q004").collect();
    assert_eq!(others.len(), 3, "{stdout}");
    assert!(others.iter().all(|r| r["code"] == "Q113"), "{stdout}");
}
