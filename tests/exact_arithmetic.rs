//! Amounts that cannot be held exactly are refused (Q320), never wrapped, saturated or
//! substituted: each applicant in `tests/fixtures/applicants/exact/` through the real
//! binary's `eval`, `explain` and REPL, with its report as a snapshot.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::process::Command;

use cli_support::qualify_no_color;

/// Rule-content hashes change with every edit to the rules; the snapshots show where the
/// hash goes, not its value.
macro_rules! assert_cmd_snapshot {
    ($cmd:expr) => {
        insta::with_settings!({filters => vec![(r"\b[0-9a-f]{64}\b", "[rules-hash]")]}, {
            insta_cmd::assert_cmd_snapshot!($cmd);
        })
    };
}

const AS_OF: &str = "2024-06-30";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/applicants/exact/{name}")
}

fn eval(name: &str, extra: &[&str]) -> Command {
    let mut cmd = qualify_no_color();
    cmd.args(["eval", &fixture(name), "--as-of", AS_OF]);
    cmd.args(extra);
    cmd
}

fn explain(name: &str, class: &str, level: &str) -> Command {
    let mut cmd = qualify_no_color();
    cmd.args([
        "explain",
        &fixture(name),
        "--class",
        class,
        "--level",
        level,
        "--as-of",
        AS_OF,
    ]);
    cmd
}

/// Runs `cmd` and returns its exit status and stderr.
fn refused(mut cmd: Command) -> (Option<i32>, String) {
    let output = cmd.output().unwrap();
    assert!(
        output.stdout.is_empty(),
        "a refused evaluation prints no record"
    );
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Every fixture that must be refused is refused with Q320 and exit status 1, by `eval`
/// and by `explain`, and the message names the applicant's value and where it is.
#[test]
fn inexact_amounts_are_refused_with_q320_and_exit_1() {
    let cases = [
        (
            "six_one_second_jobs.toml",
            "K9099",
            "B",
            "hours_per_week = 1/",
        ),
        ("thirty_prime_jobs.toml", "K9099", "O", "hours_per_week = "),
        (
            "hours_barely_over_one.toml",
            "K9099",
            "B",
            "hours_per_week = ",
        ),
        ("finance_credits.toml", "K9099", "O", "coursework entry"),
        (
            "subject_credits.toml",
            "38480",
            "specialist",
            "credits in `",
        ),
        (
            "q320_one_quintillionth_hours.toml",
            "K9099",
            "B",
            "1/4611686018427387904",
        ),
    ];
    for (name, class, level, names) in cases {
        for mut cmd in [eval(name, &[]), explain(name, class, level)] {
            cmd.args(["--error-format", "json"]);
            let (status, stderr) = refused(cmd);
            assert_eq!(status, Some(1), "{name}: {stderr}");
            let diagnostic: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
            assert_eq!(diagnostic["code"], "Q320", "{name}: {stderr}");
            let message = diagnostic["message"].as_str().unwrap();
            assert!(message.starts_with("amount cannot be computed exactly: "));
            assert!(message.contains(names), "{name}: {stderr}");
        }
    }
}

#[test]
fn six_one_second_jobs_are_refused() {
    assert_cmd_snapshot!(eval("six_one_second_jobs.toml", &["--class", "K9099"]));
}

#[test]
fn thirty_prime_jobs_are_refused() {
    assert_cmd_snapshot!(eval("thirty_prime_jobs.toml", &["--class", "K9099"]));
}

#[test]
fn hours_barely_over_one_are_refused() {
    assert_cmd_snapshot!(eval("hours_barely_over_one.toml", &["--class", "K9099"]));
}

#[test]
fn finance_credits_over_large_primes_are_refused() {
    assert_cmd_snapshot!(eval("finance_credits.toml", &["--class", "K9099"]));
}

#[test]
fn subject_credits_over_large_primes_are_refused() {
    assert_cmd_snapshot!(eval("subject_credits.toml", &["--class", "38480"]));
}

#[test]
fn a_share_with_no_ratio_is_refused_by_explain() {
    assert_cmd_snapshot!(explain("q320_one_quintillionth_hours.toml", "K9099", "B"));
}

/// Fine fractions with small denominators are credited exactly: three 40/3-hour jobs at
/// once make full time for 2020 (12 months), and 20.5 of 40 hours for 2021 earn
/// 12 × 41/80 = 6.15 months; 18.15 months in all.
#[test]
fn fractional_jobs_with_small_denominators_are_exact() {
    assert_cmd_snapshot!(explain("fractional_jobs_exact.toml", "K9099", "O"));
}

/// The record carries the exact credited months, 363/20.
#[test]
fn fractional_jobs_record_the_exact_months() {
    let output = eval(
        "fractional_jobs_exact.toml",
        &["--class", "K9099", "--format", "json"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(r#""exact": "363/20""#), "{text}");
}

/// One fine share alone has an exact answer, and gets it: 3/4999999685 months credited.
#[test]
fn one_second_job_alone_is_credited_exactly() {
    let output = eval(
        "one_second_job.toml",
        &["--class", "K9099", "--level", "B", "--format", "json"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(r#""exact": "3/4999999685""#), "{text}");
    assert!(
        text.contains(r#""exact": "29999998107/4999999685""#),
        "{text}"
    );
}

/// The REPL prints the refusal and goes on: the session keeps its applicant, and an edit
/// that makes the amount exact evaluates.
#[test]
fn the_repl_survives_a_refused_evaluation() {
    let script = format!(
        ":load {}\n:eval K9099 B\n:explain K9099 B\nhigh_school and 6 months of public_program_experience\n:set job 1 hours 20\n:eval K9099 B\n",
        fixture("q320_one_quintillionth_hours.toml")
    );
    let mut cmd = qualify_no_color();
    cmd.args(["repl", "--no-history", "--echo", "--as-of", AS_OF]);
    assert_cmd_snapshot!(cmd.pass_stdin(script));
}

/// A fraction of a month is shown cut to two places: 11997/1000 months is "11.99 months",
/// never "11.100 months" (a carry lost) nor "12.00 months" (rounded up to a figure the
/// amount does not reach); the hours likewise.
#[test]
fn fractions_are_shown_cut_to_two_places() {
    let output = explain("hours_just_under_twenty.toml", "K9099", "B")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("✔ 11.99 months of “Public program experience”"),
        "{text}"
    );
    assert!(text.contains("19.99 hours a week"), "{text}");
    assert!(
        text.contains("at 19.99 of 40 hours a week = 11.99 months"),
        "{text}"
    );
    assert!(!text.contains(".100 months"), "{text}");
    // The exact amount is the record's, not the reader's.
    assert!(!text.contains("11997/1000"), "{text}");
    let record = eval(
        "hours_just_under_twenty.toml",
        &["--class", "K9099", "--format", "json"],
    )
    .output()
    .unwrap();
    assert!(
        String::from_utf8(record.stdout)
            .unwrap()
            .contains("\"exact\": \"11997/1000\"")
    );
}

/// An applicant screened and refused at evaluation (Q320) gets an error record that names
/// who it is (its id and name, as read), beside the diagnostic.
#[test]
fn a_refused_evaluation_in_a_pool_names_its_applicant() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("refused.toml");
    std::fs::copy(fixture("q320_one_quintillionth_hours.toml"), &file).unwrap();
    let output = qualify_no_color()
        .arg("screen")
        .arg(&file)
        .args(["--as-of", AS_OF, "--class", "K9099", "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(record["errors"][0]["code"], "Q320", "{record}");
    let applicant = &record["applicant"];
    assert!(applicant["sha256"].is_string(), "{record}");
    assert_eq!(applicant["id"], "X-q320_one_qui", "{record}");
    assert_eq!(applicant["name"], "Exact Arithmetic", "{record}");
}

/// The first coursework entry's credits are only converted to semester credits: the refusal
/// says so, and does not speak of credits before it, of which there are none.
#[test]
fn quarter_credits_at_the_limit_are_refused_for_their_conversion() {
    let mut cmd = eval("quarter_credits_at_the_limit.toml", &[]);
    cmd.args(["--error-format", "json"]);
    let (status, stderr) = refused(cmd);
    assert_eq!(status, Some(1), "{stderr}");
    let diagnostic: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
    assert_eq!(diagnostic["code"], "Q320", "{stderr}");
    let message = diagnostic["message"].as_str().unwrap();
    assert!(
        message.contains("coursework entry 1, credits = 9223372036854775807")
            && message.contains("converted to semester credits")
            && !message.contains("before it"),
        "{message}"
    );
}
