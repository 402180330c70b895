//! `qualify eval` and `qualify explain` through the real binary: tables, decision records,
//! audit trees, and bad input.

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

/// The evaluation date of every snapshot, so that current jobs end on a fixed day.
const AS_OF: &str = "2024-06-30";

fn example(name: &str) -> String {
    format!("examples/applicants/{name}")
}

/// Rule-content hashes change with every edit to the rules; the snapshots show where the
/// hash goes, not its value.
macro_rules! snapshot {
    ($cmd:expr) => {
        insta::with_settings!({filters => vec![(r"\b[0-9a-f]{64}\b", "[rules-hash]")]}, {
            assert_cmd_snapshot!($cmd);
        })
    };
}

fn eval(applicant: &str, extra: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.args(["eval", &example(applicant), "--as-of", AS_OF]);
    cmd.args(extra);
    cmd
}

fn explain(applicant: &str, class: &str, extra: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.args([
        "explain",
        &example(applicant),
        "--class",
        class,
        "--as-of",
        AS_OF,
    ]);
    cmd.args(extra);
    cmd
}

#[test]
fn eval_table_direct_path() {
    snapshot!(eval("k9099_direct_associate.toml", &[]));
}

#[test]
fn eval_table_combination_path() {
    snapshot!(eval(
        "k9099_combination_related_bachelor.toml",
        &["--class", "K9099"]
    ));
}

#[test]
fn eval_table_ladder_case() {
    snapshot!(eval("k9099_ladder_no_diploma.toml", &["--class", "K9099"]));
}

#[test]
fn eval_table_one_level() {
    snapshot!(eval(
        "g1099_part_time.toml",
        &["--class", "G1099", "--level", "B"]
    ));
}

#[test]
fn eval_table_json_applicant() {
    snapshot!(eval("pa38480_direct.json", &["--class", "38480"]));
}

#[test]
fn eval_table_several_applicants() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        &example("g1099_overlapping_jobs.toml"),
        &example("pa38480_equivalent_combination.toml"),
        "--as-of",
        AS_OF,
        "--level",
        "A",
    ]);
    snapshot!(cmd);
}

#[test]
fn eval_json_decision_record() {
    snapshot!(eval(
        "k9099_near_miss.toml",
        &["--class", "K9099", "--format", "json"]
    ));
}

#[test]
fn eval_json_several_applicants_is_an_array() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        &example("k9099_near_miss.toml"),
        &example("pa38480_higher_degree.toml"),
        "--as-of",
        AS_OF,
        "--class",
        "38480",
        "--format",
        "json",
    ]);
    snapshot!(cmd);
}

#[test]
fn eval_open_ended_job_depends_on_the_date() {
    let at = |date: &str| {
        let mut cmd = qualify();
        cmd.args([
            "eval",
            &example("g1099_open_ended_job.toml"),
            "--class",
            "G1099",
            "--level",
            "O",
            "--as-of",
            date,
        ]);
        cmd
    };
    snapshot!(at("2024-02-29"));
    snapshot!(at("2025-02-28"));
}

#[test]
fn explain_direct_path_tree() {
    snapshot!(explain(
        "k9099_direct_associate.toml",
        "K9099",
        &["--level", "A"]
    ));
}

#[test]
fn explain_substitution_tree() {
    snapshot!(explain("pa38480_equivalent_combination.toml", "38480", &[]));
}

#[test]
fn explain_near_miss_tree() {
    snapshot!(explain("k9099_near_miss.toml", "K9099", &["--level", "B"]));
}

#[test]
fn explain_overlap_tree() {
    snapshot!(explain(
        "g1099_overlapping_jobs.toml",
        "G1099",
        &["--level", "A"]
    ));
}

#[test]
fn explain_json_trace() {
    snapshot!(explain(
        "g1099_part_time.toml",
        "G1099",
        &["--level", "B", "--format", "json"]
    ));
}

#[test]
fn unknown_class_suggests_the_nearest() {
    snapshot!(eval("k9099_near_miss.toml", &["--class", "K9098"]));
}

#[test]
fn unknown_level_suggests_the_nearest() {
    snapshot!(explain("k9099_near_miss.toml", "K9099", &["--level", "Q"]));
}

#[test]
fn bad_date_is_a_usage_error() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        &example("k9099_near_miss.toml"),
        "--as-of",
        "2024-13-01",
    ]);
    snapshot!(cmd);
}

#[test]
fn bad_applicant_file_exits_one_with_diagnostics() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        "tests/fixtures/applicants/bad/many_problems.toml",
        "--as-of",
        AS_OF,
    ]);
    snapshot!(cmd);
}

#[test]
fn missing_applicant_file_is_a_usage_error() {
    let mut cmd = qualify();
    cmd.args(["eval", "no/such/applicant.toml", "--as-of", AS_OF]);
    snapshot!(cmd);
}

#[test]
fn broken_rules_exit_one() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        &example("k9099_near_miss.toml"),
        "--rules",
        "tests/fixtures/cli/broken.qual",
        "--as-of",
        AS_OF,
    ]);
    snapshot!(cmd);
}

#[test]
fn evaluation_is_byte_for_byte_repeatable() {
    let run = || {
        eval("pa38480_equivalent_combination.toml", &["--format", "json"])
            .output()
            .unwrap()
    };
    let (first, second) = (run(), run());
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn eval_a_folder_evaluates_every_applicant_in_name_order() {
    let mut cmd = qualify();
    cmd.args([
        "eval",
        "examples/applicants",
        "--as-of",
        AS_OF,
        "--class",
        "K9099",
        "--level",
        "O",
    ]);
    snapshot!(cmd);
}

#[test]
fn a_folder_without_applicants_is_a_usage_error() {
    let mut cmd = qualify();
    cmd.args(["eval", "tests/fixtures/cli", "--as-of", AS_OF]);
    snapshot!(cmd);
}

/// Job titles, fields and names are the applicant's own words: in the auditor's tree and
/// the table a line break in them is an escape, so they cannot add a line such as a forged
/// `✔ met`.
#[test]
fn an_applicants_own_words_cannot_forge_a_line_of_the_explanation() {
    // The applicant the REPL transcript `applicant_words_stay_on_their_line` loads.
    let path = "tests/fixtures/repl/forged_words.json";
    for command in ["explain", "eval"] {
        let out = qualify()
            .args([command, path, "--class", "K9099", "--as-of", "2024-06-30"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            let line = line.trim_start_matches([' ', '│', '├', '└', '─', '·']);
            assert!(
                !line.starts_with("✔ met: forged") && !line.starts_with("FAKE"),
                "{command}: {text}"
            );
        }
    }
}

/// A job of more hours than full time is shown with the hours the applicant gave, and as
/// credited at full time: the audit tree never hides what the file says.
#[test]
fn explain_shows_hours_above_full_time_as_given_and_credited() {
    let folder = tempfile::tempdir().unwrap();
    let applicant = folder.path().join("seventy.toml");
    std::fs::write(
        &applicant,
        "[[education]]\ncredential = \"high_school\"\n\n[[experience]]\ntitle = \"Seventy\"\n\
         categories = [\"public_program_experience\"]\nstart = 2024-03-01\nend = 2024-03-31\n\
         hours_per_week = 70\n",
    )
    .unwrap();
    let out = qualify()
        .arg("explain")
        .arg(&applicant)
        .args(["--class", "K9099", "--level", "B", "--as-of", AS_OF])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Seventy: 2024-03-01 to 2024-03-31, 70 hours a week, credited as full time (40 hours): 1 whole month (March 2024) = 1 month"),
        "{text}"
    );
}

/// A shortfall just over a whole number of months is never worded as the whole number it is
/// not: "less than 0.01 months", "just over 18 months", where two places would read 0.00 and
/// 18.00.
#[test]
fn a_lack_just_over_whole_months_is_worded_as_such() {
    let folder = tempfile::tempdir().unwrap();
    let applicant = folder.path().join("almost.toml");
    std::fs::write(
        &applicant,
        "[[education]]\ncredential = \"high_school\"\n\n[[experience]]\ntitle = \"Clerk\"\n\
         categories = [\"public_program_experience\"]\nstart = 2024-01-01\nend = 2024-06-30\n\
         hours_per_week = 39.99\n",
    )
    .unwrap();
    let out = qualify()
        .arg("eval")
        .arg(&applicant)
        .args(["--class", "K9099", "--level", "B", "--as-of", AS_OF])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(rounded up to whole months from less than 0.01 months: 1 more full-time day of work is enough)"), "{text}");
    assert!(text.contains("1 year 7 months more of “Public program experience” (rounded up to whole months from just over 18 months)"), "{text}");
    assert!(!text.contains(".00 months"), "{text}");
}
