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

/// A semester figure written but refused (zero) gets its own diagnostic (Q105), not also
/// Q113, which is for a year given in quarter credits only.
#[test]
fn a_zero_semester_figure_is_not_called_missing() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("p.qual");
    std::fs::write(
        &rules,
        "profile p {\n  jurisdiction \"State\"\n  credential bachelor \"Bachelor's degree\" worth 4 years\n  \
         a year of education is 0 semester credits or 45 quarter credits\n  \
         full time is 40 hours per week\n  overlapping jobs are summed up to full time\n  \
         several degrees count the highest only\n}\n",
    )
    .unwrap();
    let out = qualify()
        .args(["check", "--error-format", "json"])
        .arg(&rules)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("\"Q105\""), "{all}");
    assert!(!all.contains("\"Q113\""), "{all}");
    assert_ne!(out.status.code(), Some(0), "{all}");
}

/// A syntax error in an item without a name yet names the kind of item with its article.
#[test]
fn an_unnamed_experience_item_takes_its_article() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("e.qual"), "experience \u{eb}x \"d\"\n").unwrap();
    let output = qualify()
        .current_dir(folder.path())
        .args(["check", "e.qual"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        format!("{stdout}{stderr}").contains("unexpected `\u{eb}x` in an `experience` item"),
        "{stdout}{stderr}"
    );
}
