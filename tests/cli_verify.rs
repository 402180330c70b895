//! `qualify verify` and `qualify diff` through the real binary: one fixture per finding
//! kind in `tests/fixtures/verify/` (each names the codes it expects in its first line),
//! the shipped rules with every counterexample evaluated again by `qualify eval`,
//! assertions proved and refuted, and diffs against a reformatted and a changed copy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod cli_support;

use std::path::{Path, PathBuf};

use cli_support::qualify_no_color;
use qualify::diagnostics::Code;

const FIXTURES: &str = "tests/fixtures/verify";

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = qualify_no_color().args(args).output().unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    (output.status.code(), text)
}

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qual"))
        .collect();
    paths.sort();
    paths
}

/// The codes `verify --format json` reports, in order.
fn codes(json: &str) -> Vec<String> {
    json.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "finding")
        .map(|v| v["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_fixture_reports_the_codes_it_expects_and_its_report_is_a_snapshot() {
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<String> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect:"))
            .unwrap()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let file = path.to_str().unwrap();
        let (_, json) = run(&["verify", file, "--format", "json"]);
        assert_eq!(codes(&json), expected, "{file}");
        let (status, human) = run(&["verify", file, "--verbose"]);
        let errors = expected.iter().any(|c| c == "Q410");
        assert_eq!(status, Some(i32::from(errors)), "{file}");
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        insta::assert_snapshot!(name, human);
    }
}

#[test]
fn every_verification_code_has_a_fixture_named_after_it() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    for code in Code::ALL.iter().filter(|c| c.as_str().starts_with("Q4")) {
        let prefix = code.as_str().to_lowercase();
        assert!(
            names.iter().any(|n| n.starts_with(&prefix)),
            "no fixture for {code}"
        );
    }
}

#[test]
fn the_shipped_rules_are_verified_and_their_report_is_a_snapshot() {
    let (status, human) = run(&["verify", "rules"]);
    assert_eq!(status, Some(0));
    insta::assert_snapshot!(human);
}

/// Every counterexample of the shipped rules, written with `--counterexamples`, is loaded
/// by `qualify eval` unchanged and decides each tier it is about as the finding says.
#[test]
fn every_counterexample_of_the_shipped_rules_reproduces_through_eval() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap();
    let (status, json) = run(&[
        "verify",
        "rules",
        "--format",
        "json",
        "--counterexamples",
        folder,
    ]);
    assert_eq!(status, Some(0));
    let mut checked = 0;
    for line in json.lines() {
        let finding: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(example) = finding["counterexample"].as_object() else {
            continue;
        };
        let class = finding["class"].as_str().unwrap();
        let file = example["file"].as_str().unwrap();
        let as_of = example["as_of"].as_str().unwrap();
        let (status, record) = run(&[
            "eval", file, "--rules", "rules", "--as-of", as_of, "--class", class, "--format",
            "json",
        ]);
        assert_eq!(status, Some(0), "{file}: {record}");
        let record: serde_json::Value = serde_json::from_str(record.trim()).unwrap();
        let levels = record["classes"][0]["levels"].as_array().unwrap();
        for outcome in example["outcomes"].as_array().unwrap() {
            let level = levels
                .iter()
                .find(|l| l["level"] == outcome["level"])
                .unwrap();
            let tier = level["tiers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["tier"] == outcome["tier"])
                .unwrap();
            assert_eq!(tier["met"], outcome["met"], "{file}");
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} outcomes checked");
}

/// The anomalies a review of the shipped rules found, each shown with its applicant; the
/// one the rules now exclude is gone, and the one the rules acknowledge carries its reason.
#[test]
fn the_shipped_rules_anomalies_are_reported_with_their_applicants() {
    let (_, json) = run(&["verify", "rules", "--format", "json", "--verbose"]);
    let findings: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let found = |code: &str, class: &str, words: &[&str]| {
        findings.iter().find(|f| {
            let description = f["counterexample"]["description"].as_str().unwrap_or("");
            f["code"] == code
                && f["class"] == class
                && words.iter().all(|w| description.contains(w))
        })
    };
    // K9099 A: an unaccredited bachelor's with two years meets recommended, not minimum.
    assert!(
        found(
            "Q402",
            "K9099",
            &["Bachelor's", "not accredited", "24 months"]
        )
        .is_some()
    );
    // A graduate with no experience meets K9099 O and A but not B, and G1099 A but not B or O.
    assert!(found("Q401", "K9099", &["Master's", "no experience"]).is_some());
    let sociology = found(
        "Q401",
        "G1099",
        &["Bachelor's", "Sociology", "no experience"],
    )
    .unwrap();
    assert!(sociology["acknowledged"].is_null());
    // 38480's combination now asks three years of experience: a doctorate alone no longer
    // meets it, and the class's assertion that the minimum needs experience is proved.
    assert!(found("Q407", "38480", &[]).is_none(), "{json}");
    assert!(findings.iter().any(|f| {
        f["kind"] == "proved"
            && f["class"] == "38480"
            && f["assertion"] == "assert level specialist minimum requires some experience"
            && f["over_bounded_family"] == true
    }));
    // G1099 A minimum counts social-worker experience, which B and O do not: reported, and
    // acknowledged by the rules with choice (5)'s reason.
    for lower in ["B minimum", "O minimum"] {
        let social = findings
            .iter()
            .find(|f| {
                f["code"] == "Q401"
                    && f["class"] == "G1099"
                    && f["counterexample"]["description"]
                        .as_str()
                        .unwrap()
                        .contains("social_worker")
                    && f["message"]
                        .as_str()
                        .unwrap()
                        .contains(&format!("level {}'s minimum", &lower[..1]))
            })
            .unwrap();
        assert!(
            social["counterexample"]["description"]
                .as_str()
                .unwrap()
                .contains("Associate degree in Sociology")
        );
        assert!(
            social["acknowledged"]
                .as_str()
                .unwrap()
                .starts_with("Choice (5)")
        );
    }
}

/// With `--counterexamples`, an acknowledged finding's applicant is written too.
#[test]
fn acknowledged_findings_still_have_counterexample_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap();
    let (status, _) = run(&[
        "verify",
        "rules",
        "--class",
        "G1099",
        "--counterexamples",
        folder,
    ]);
    assert_eq!(status, Some(0));
    let file = dir
        .path()
        .join("G1099-ladder-via-direct-A-minimum-B-minimum.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("social_worker"), "{text}");
}

/// A copy of the shipped rules in `dir`, each file changed by `edit`.
fn copy_rules(dir: &Path, edit: impl Fn(&str, String) -> String) -> PathBuf {
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "qual") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(rules.join(&name), edit(&name, text)).unwrap();
    }
    rules
}

/// The rule text without comments, every line's indentation removed, and each class moved
/// before the field sets and categories it uses.
fn reformat(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.trim().to_owned())
        .collect();
    let joined = lines.join("\n");
    match joined.find("\nclass ") {
        Some(at) => format!("{}\n{}\n", &joined[at..], &joined[..at]),
        None => joined,
    }
}

#[test]
fn diff_says_a_reformatted_copy_of_the_shipped_rules_is_equivalent() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |_, text| reformat(&text));
    let (status, text) = run(&["diff", "rules", copy.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn diff_names_the_tier_a_changed_threshold_flips_and_the_applicant_who_flips() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name == "k9099.qual" {
            text.replace(
                "associate in healthcare_admin_fields and 3 years of public_program_experience",
                "associate in healthcare_admin_fields and 30 months of public_program_experience",
            )
        } else {
            text
        }
    });
    let (status, text) = run(&["diff", "rules", copy.to_str().unwrap(), "--class", "K9099"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("A minimum: differs"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn diff_compares_two_dates_of_one_rule_set() {
    let (status, text) = run(&[
        "diff",
        "tests/fixtures/versions",
        "--as-of",
        "2020-01-01",
        "--against-as-of",
        "2024-06-30",
    ]);
    assert!(status == Some(0) || status == Some(1), "{text}");
    insta::assert_snapshot!(text);
}

/// The report is the same, byte for byte, on one thread and on every core: class versions
/// are verified in parallel and taken in class order.
#[test]
fn the_report_is_the_same_on_one_thread_and_on_every_core() {
    let run_on = |threads: Option<&str>| {
        let mut command = qualify_no_color();
        if let Some(threads) = threads {
            command.env("RAYON_NUM_THREADS", threads);
        }
        let output = command
            .args(["verify", "rules", "--format", "json", "--show-acknowledged"])
            .output()
            .unwrap();
        (output.status.code(), output.stdout, output.stderr)
    };
    let one = run_on(Some("1"));
    assert!(!one.1.is_empty());
    assert_eq!(one, run_on(None));
    assert_eq!(one, run_on(Some("3")));
}

/// A class whose job types combine in tens of millions of ways and whose degrees in
/// thousands of sets is verified over a bounded family, which the report says, in bounded
/// time and memory; and a changed threshold (6 months to 7) is still found by `diff`, by the
/// amounts of each job type tried alone.
#[test]
fn a_class_of_many_combinations_is_verified_over_a_bounded_family() {
    let fixture = "tests/fixtures/verify_bounded/many_combinations.qual";
    let (status, text) = run(&["verify", fixture]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("verified over a bounded family"), "{text}");
    assert!(
        text.contains("candidates are drawn from at most 65536"),
        "{text}"
    );
    assert_eq!(text.matches("Q410").count(), 2, "{text}");
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    let original = std::fs::read_to_string(fixture).unwrap();
    let changed = original.replace("hs and 6 months of cat", "hs and 7 months of cat");
    assert_ne!(original, changed);
    for (folder, text) in [(&old, &original), (&new, &changed)] {
        std::fs::create_dir(folder).unwrap();
        std::fs::write(folder.join("rules.qual"), text).unwrap();
    }
    let (status, text) = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("B minimum: differs"), "{text}");
    assert!(text.contains("and 6 months of cat"), "{text}");
}

/// `diff` tells apart what a field's spellings match: a spelling removed is a change, and
/// its applicant flips.
#[test]
fn diff_finds_a_spelling_removed() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name == "k9099.qual" {
            text.replace(
                "\"Business Administration\" also \"Business Admin\"",
                "\"Business Administration\"",
            )
        } else {
            text
        }
    });
    let (status, text) = run(&["diff", "rules", copy.to_str().unwrap(), "--class", "K9099"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("in Business Admin,"), "{text}");
}

/// A change of the profile that candidates do not put to the test (full time, the overlap
/// rule, the quarter-credit rate) is stated as a difference, never passed as equivalent.
#[test]
fn diff_states_a_change_of_full_time_or_of_the_overlap_rule() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name == "profiles.qual" {
            text.replacen(
                "full time is 40 hours per week",
                "full time is 35 hours per week",
                1,
            )
            .replacen(
                "overlapping jobs are summed up to full time",
                "overlapping jobs count only the largest",
                1,
            )
        } else {
            text
        }
    });
    let (status, text) = run(&["diff", "rules", copy.to_str().unwrap(), "--class", "K9099"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(
        text.contains("class K9099 (effective 2011-09-20): differs"),
        "{text}"
    );
    assert!(
        text.contains("profile: full time is 40 hours a week before and 35 hours after"),
        "{text}"
    );
    assert!(
        text.contains("profile: overlapping jobs are summed up to full time before and count only the largest after"),
        "{text}"
    );
    // No tier is labelled equivalent, which would claim a proof: a part-time applicant's
    // decision can flip with full time, which the candidates never vary.
    assert!(!text.contains(": equivalent\n"), "{text}");
    assert!(
        text.contains("  B minimum: not proved equivalent: the profile changed (below)"),
        "{text}"
    );
    let (status, json) = run(&[
        "diff",
        "rules",
        copy.to_str().unwrap(),
        "--class",
        "K9099",
        "--format",
        "json",
    ]);
    assert_eq!(status, Some(1), "{json}");
    let class: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    let changes: Vec<&str> = class["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tier| tier["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["not_proved"; 6], "{json}");
}

/// A class in force on neither side at the dates compared is the same on both.
#[test]
fn diff_of_a_class_in_force_on_neither_side_is_equivalent() {
    let (status, text) = run(&[
        "diff",
        "tests/fixtures/versions",
        "tests/fixtures/versions",
        "--as-of",
        "2010-01-01",
    ]);
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.contains("class V100 (in force on neither side): equivalent"),
        "{text}"
    );
}

/// The counterexamples of a class of two versions are written to a file each, named by the
/// version's date; a `diff` of two dates writes files that say so and name both dates.
#[test]
fn counterexample_files_name_their_version_and_the_command_that_found_them() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(
        "tests/fixtures/versions/profile.qual",
        rules.join("profile.qual"),
    )
    .unwrap();
    let text = std::fs::read_to_string("tests/fixtures/versions/v100.qual").unwrap();
    std::fs::write(
        rules.join("v100.qual"),
        text.replace("associate in analysis_fields and ", ""),
    )
    .unwrap();
    let found = dir.path().join("found");
    let (_, text) = run(&[
        "verify",
        rules.to_str().unwrap(),
        "--counterexamples",
        found.to_str().unwrap(),
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&found)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "V100-2015-01-01-without-education-I-minimum.toml",
            "V100-2020-07-01-without-education-I-minimum.toml"
        ],
        "{text}"
    );
    let flips = dir.path().join("flips");
    let (status, text) = run(&[
        "diff",
        "tests/fixtures/versions",
        "--as-of",
        "2016-01-01",
        "--against-as-of",
        "2021-01-01",
        "--counterexamples",
        flips.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(1), "{text}");
    let file = std::fs::read_to_string(flips.join("V100-I-minimum-gained.toml")).unwrap();
    assert!(file.starts_with("# Counterexample found by `qualify diff` for class V100.\n# Evaluate the old rules with --as-of 2016-01-01 and the new with --as-of 2021-01-01:"), "{file}");
}

/// `diff --format json` gives the dates a counterexample is evaluated at, and names its
/// file only when it was written.
#[test]
fn diff_json_gives_both_dates_and_names_only_written_files() {
    let args = [
        "diff",
        "tests/fixtures/versions",
        "--as-of",
        "2016-01-01",
        "--against-as-of",
        "2021-01-01",
        "--format",
        "json",
    ];
    let gained = |extra: &[&str]| {
        let (status, text) = run(&[&args[..], extra].concat());
        assert_eq!(status, Some(1), "{text}");
        let class: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        class["tiers"][0]["gained"].clone()
    };
    let example = gained(&[]);
    assert_eq!(example["as_of"], "2016-01-01");
    assert_eq!(example["after_as_of"], "2021-01-01");
    assert!(example["file"].is_null(), "{example}");
    let dir = tempfile::tempdir().unwrap();
    let example = gained(&["--counterexamples", dir.path().to_str().unwrap()]);
    let file = example["file"].as_str().unwrap();
    assert!(std::path::Path::new(file).is_file(), "{example}");
}

/// An assertion is quoted as written, without the comment beside it.
#[test]
fn an_assertion_is_quoted_without_its_comment() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.qual");
    std::fs::write(
        &rules,
        "profile p {\n  jurisdiction \"J\"\n  credential associate \"A\" worth 2 years\n  \
         a year of education is 30 semester credits\n  full time is 40 hours per week\n  \
         overlapping jobs are summed up to full time\n  several degrees count the highest only\n}\n\
         experience ea \"EA\"\nclass T1 \"T\" {\n  profile p\n  source \"s.txt\"\n  \
         established 2020-01-01\n  assert no applicant without associate meets level T3  # a note\n  \
         level T3 \"T\" code \"T3\" band 1 {\n    minimum: 6 months of ea\n  }\n}\n",
    )
    .unwrap();
    let (status, text) = run(&["verify", rules.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{text}");
    assert!(
        text.contains(
            "the assertion `assert no applicant without associate meets level T3` does not hold"
        ),
        "{text}"
    );
    assert!(!text.contains("a note` does not hold"), "{text}");
}

#[test]
fn verify_and_diff_refuse_a_class_code_the_rules_do_not_have() {
    let (status, text) = run(&["verify", "rules", "--class", "K9909"]);
    assert_eq!(status, Some(1));
    insta::assert_snapshot!("verify_unknown_class", text);
    let (status, text) = run(&["diff", "rules", "--class", "ZZZ", "--error-format", "json"]);
    assert_eq!(status, Some(1));
    let diagnostic: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(diagnostic["code"], "Q116");
    // A code either side has is compared, in any case.
    let (status, _) = run(&["diff", "rules", "--class", "k9099"]);
    assert_eq!(status, Some(0));
    let (status, _) = run(&["verify", "rules", "--class", "g1099"]);
    assert_eq!(status, Some(0));
}

/// A class with hundreds of thresholds on one amount is verified around the lowest of them,
/// over a bounded family that says so, rather than over candidates growing with the square
/// of the thresholds (which took minutes and gigabytes); `diff` of it likewise.
#[test]
fn a_class_of_many_thresholds_is_verified_over_a_bounded_family() {
    let fixture = "tests/fixtures/verify_bounded/many_thresholds.qual";
    let (status, text) = run(&["verify", fixture]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("verified over a bounded family"), "{text}");
    assert!(
        text.contains(
            "rules set 200 thresholds on one amount, and candidates are placed around the lowest 64"
        ),
        "{text}"
    );
    let (status, text) = run(&["diff", fixture, fixture]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("compared over a bounded family"), "{text}");
}

/// A class of many levels has its ladder checked between neighbouring levels: twenty
/// levels, each asking less than the one below it, give nineteen Q401, not one per pair.
#[test]
fn the_ladder_of_many_levels_is_checked_between_neighbours() {
    let mut rules = String::from(
        "profile p {\n  jurisdiction \"J\"\n  credential hs \"HS\" worth 0 years\n  \
         a year of education is 30 semester credits\n  full time is 40 hours per week\n  \
         overlapping jobs are summed up to full time\n  several degrees count the highest only\n}\n\
         experience cat \"Cat\"\nclass X1 \"X\" {\n  profile p\n  source \"s.txt\"\n  established 2020-01-01\n",
    );
    for level in 0..20 {
        rules.push_str(&format!(
            "  level L{level} \"L\" code \"X1L{level}\" band {} {{\n    minimum cite \"s\" quote \"q\":\n      {} months of cat\n  }}\n",
            level + 1,
            40 - level
        ));
    }
    rules.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("levels.qual");
    std::fs::write(&path, rules).unwrap();
    let (_, json) = run(&["verify", path.to_str().unwrap(), "--format", "json"]);
    let ladder = codes(&json).iter().filter(|c| *c == "Q401").count();
    assert_eq!(ladder, 19, "{json}");
}

/// Amounts longer than a date can move by (20,000 years; 999,999,999 months) pass `check`,
/// and `verify` and `diff` used to panic dating a job that long. No job is dated past what
/// a date can hold: both finish, and say the family they searched is bounded.
#[test]
fn amounts_past_what_a_date_can_hold_are_searched_over_a_bounded_family() {
    let fixture = "tests/fixtures/verify_bounded/amounts_past_dates.qual";
    let (status, text) = run(&["verify", fixture]);
    assert_eq!(status, Some(0), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    // The help is wrapped: its words are compared with the line breaks and indents set aside.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words
            .contains("this one cannot be: a job needed for one of its thresholds cannot be dated"),
        "{text}"
    );
    // Said for several thresholds, the reason is given once.
    assert_eq!(
        words
            .matches("a job needed for one of its thresholds cannot be dated")
            .count(),
        1,
        "{text}"
    );
    let (status, text) = run(&["diff", fixture, fixture]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("1 class compared: 1 equivalent"), "{text}");
    assert!(text.contains("compared over a bounded family"), "{text}");
}

/// A changed semester figure changes what quarter credits are worth against semester
/// credits: the difference names both figures on each side, where it used to name only the
/// quarter figure, the same on both ("45 … before and 45 … after").
#[test]
fn a_changed_credit_rate_is_named_by_both_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
        }
    }
    let profiles = rules.join("profiles.qual");
    let text = std::fs::read_to_string(&profiles).unwrap();
    let pennsylvania = text.find("profile pennsylvania").unwrap();
    let (head, tail) = text.split_at(pennsylvania);
    let tail = tail.replacen(
        "a year of education is 30 semester credits",
        "a year of education is 32 semester credits",
        1,
    );
    std::fs::write(&profiles, format!("{head}{tail}")).unwrap();
    let (status, text) = run(&["diff", "rules", rules.to_str().unwrap(), "--class", "38480"]);
    assert_eq!(status, Some(1), "differences found: {text}");
    assert!(
        text.contains(
            "profile: 30 semester or 45 quarter credits make a year before and 32 semester or \
             45 quarter credits make a year after"
        ),
        "{text}"
    );
}

#[test]
fn a_threshold_inside_a_month_is_tried_exactly_and_its_counterexample_reproduces() {
    let fixture = "tests/fixtures/verify_inside_month";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("found");
    let (status, text) = run(&[
        "verify",
        fixture,
        "--counterexamples",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(1), "the assertion is false: {text}");
    assert!(text.contains("Q410"), "{text}");
    assert!(text.contains("at 30 hours a week"), "{text}");
    assert!(!text.contains("Q409"), "the family is not bounded: {text}");
    // The applicant it wrote meets level L1 through eval, with less than 2 months.
    let files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let found = files
        .iter()
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("hours_per_week")
        })
        .unwrap_or_else(|| panic!("a part-time counterexample among {files:?}"));
    let as_of = std::fs::read_to_string(found)
        .unwrap()
        .lines()
        .find_map(|l| l.split("--as-of ").nth(1).map(|d| d[..10].to_owned()))
        .unwrap();
    let (status, eval) = run(&[
        "eval",
        found.to_str().unwrap(),
        "--rules",
        fixture,
        "--as-of",
        &as_of,
        "--format",
        "json",
    ]);
    assert_eq!(status, Some(0), "{eval}");
    assert!(
        eval.contains("\"exact\": \"3/2\""),
        "credited 1.5 months: {eval}"
    );
    // Against a copy asking 2 months, diff finds that applicant's flip.
    let copy = dir.path().join("two_months");
    std::fs::create_dir(&copy).unwrap();
    let text = std::fs::read_to_string(format!("{fixture}/half_month.qual")).unwrap();
    std::fs::write(
        copy.join("half_month.qual"),
        text.replace("and 1.5 months of ee", "and 2 months of ee"),
    )
    .unwrap();
    let (status, diff) = run(&["diff", fixture, copy.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{diff}");
    assert!(diff.contains("L1 minimum: differs"), "{diff}");
    assert!(diff.contains("met before, not after"), "{diff}");
}

#[test]
fn a_stale_allow_of_the_class_asked_for_is_reported_and_warnings_denied_fail() {
    let fixture = "tests/fixtures/verify_stale_allow";
    let (status, text) = run(&["verify", fixture]);
    assert_eq!(status, Some(0), "{text}");
    assert_eq!(text.matches("Q206").count(), 2, "{text}");
    let (status, text) = run(&["verify", fixture, "--class", "x3", "--deny-warnings"]);
    assert_eq!(status, Some(1), "{text}");
    assert_eq!(
        text.matches("Q206").count(),
        1,
        "only the class verified: {text}"
    );
    assert!(text.contains("stale.qual:27:"), "X3's allow: {text}");
    assert!(
        text.trim_end().ends_with("(warnings are denied)") && text.contains("failed:"),
        "{text}"
    );
    let (status, json) = run(&["verify", fixture, "--class", "X4", "--format", "json"]);
    assert_eq!(status, Some(0), "{json}");
    assert_eq!(json.matches("unmatched_allow").count(), 1, "{json}");
    let allow: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(allow["at"]["line"], 39, "X4's allow: {json}");
    assert!(
        allow["at"]["file"]
            .as_str()
            .unwrap()
            .ends_with("stale.qual"),
        "{json}"
    );
}

#[test]
fn diff_matches_a_class_whose_code_changed_only_in_letter_case() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name == "k9099.qual" {
            text.replace("class K9099 ", "class k9099 ")
        } else {
            text
        }
    });
    let (status, text) = run(&["diff", "rules", copy.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("3 classes compared: 3 equivalent"), "{text}");
    assert!(
        !text.contains("removed") && !text.contains("added"),
        "{text}"
    );
}

#[test]
fn an_assertion_names_its_level_in_any_letter_case() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name == "pa_38480.qual" {
            text.replace(
                "assert level specialist minimum",
                "assert level SPECIALIST minimum",
            )
        } else {
            text
        }
    });
    let (status, text) = run(&[
        "verify",
        copy.to_str().unwrap(),
        "--class",
        "38480",
        "--verbose",
    ]);
    assert_eq!(status, Some(0), "{text}");
    assert!(!text.contains("Q101"), "{text}");
    assert!(
        text.contains("proved: class 38480: assert level SPECIALIST minimum"),
        "{text}"
    );
}

/// Figures at the edge of what 64-bit fractions hold: where a combination total is reached
/// cannot be held exactly, so those applicants are left out and the verification says it
/// covers a bounded family (Q409), never wrapping (which a build with overflow checks
/// reported as a fault).
#[test]
fn a_breakpoint_past_what_can_be_held_bounds_the_family_instead_of_wrapping() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("x.qual");
    std::fs::write(
        &rules,
        r#"profile p {
  jurisdiction "X"
  credential associate "Assoc" worth 999999999.9999 years
  credential bachelor "BA" worth 0.0001 months
  a year of education is 0.0001 semester credits or 999999999.9999 quarter credits
  full time is 0.0001 hours per week
  overlapping jobs are summed up to full time
  several degrees are added up
}
fields f label "F" "F fields" { "Finance" "Statistics" }
experience e label "E" "e exp"
class X1 "X" {
  profile p
  source "x.txt"
  established 2001-01-01
  level B code "XB" band 50 {
    minimum: associate in f and 999999999.9999 years of e or 0.0001 quarter credits in f or bachelor that includes 999999999.9999 quarter credits in f
      substitute: any combination of education in f and e totaling 999999999.9999 years
  }
}
"#,
    )
    .unwrap();
    let (status, json) = run(&["verify", rules.to_str().unwrap(), "--format", "json"]);
    assert_eq!(status, Some(0), "{json}");
    assert!(codes(&json).contains(&"Q409".to_owned()), "{json}");
    let (_, text) = run(&["verify", rules.to_str().unwrap(), "--error-format", "plain"]);
    assert!(
        text.replace('\n', " ")
            .contains("an amount where a combination total is reached cannot be held exactly"),
        "{text}"
    );
}

/// Rules with an error are reported on stderr, as every command reports them, so that the
/// findings on stdout stay one JSON object a line; with `--class`, a mistake in another
/// class does not stop the run.
#[test]
fn rule_errors_go_to_stderr_and_other_classes_do_not_stop_a_run() {
    let folder = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "qual") {
            std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let k9099 = folder.path().join("k9099.qual");
    let text = std::fs::read_to_string(&k9099).unwrap();
    let broken = text.replacen("6 months of", "6 monthz of", 1);
    assert_ne!(broken, text);
    std::fs::write(&k9099, broken).unwrap();
    let rules = folder.path().to_str().unwrap();
    let out = qualify_no_color()
        .args([
            "--error-format",
            "json",
            "verify",
            rules,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let errors = String::from_utf8(out.stderr).unwrap();
    for line in errors.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    assert!(errors.contains("Q104"), "{errors}");
    let (status, _) = run(&["verify", rules, "--class", "G1099", "--format", "json"]);
    assert_eq!(status, Some(0));
}

/// A category the new rules add has no name in the old ones: an applicant who flips by it
/// cannot be read by the old rules, and `diff` says so rather than claim their outcome;
/// the file written says the same, and `eval` with the old rules refuses it (Q307).
#[test]
fn diff_says_which_side_cannot_read_a_counterexample() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name != "k9099.qual" {
            return text;
        }
        let at = text.find("\nclass K9099").unwrap();
        let (vocabulary, class) = text.split_at(at);
        let added = "\nexperience volunteer_exp \"Volunteer\"\n  \"volunteer work\"\n";
        let class = class.replacen(
            "high_school and 6 months of public_program_experience",
            "high_school and 6 months of any of public_program_experience, volunteer_exp",
            1,
        );
        format!("{vocabulary}{added}{class}")
    });
    let written = dir.path().join("cx");
    let (status, text) = run(&[
        "diff",
        "rules",
        copy.to_str().unwrap(),
        "--class",
        "K9099",
        "--counterexamples",
        written.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(1), "{text}");
    let refused = "before: B minimum: the applicant cannot be read by these rules (Q307: \
                   unknown experience category `volunteer_exp`); after: B minimum: met (direct)";
    assert!(text.contains(refused), "{text}");
    let file = written.join("K9099-B-minimum-gained.toml");
    assert!(std::fs::read_to_string(&file).unwrap().contains(refused));
    let (status, text) = run(&["eval", file.to_str().unwrap(), "--rules", "rules"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("Q307"), "{text}");
}

/// A level is the same level whatever the letter case of its name, as `check` and `--level`
/// read it: renamed only in case, it is compared, not reported removed and added.
#[test]
fn diff_compares_a_level_renamed_only_in_letter_case() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_rules(dir.path(), |name, text| {
        if name == "k9099.qual" {
            let renamed = text.replacen("  level B ", "  level b ", 1);
            assert_ne!(renamed, text);
            renamed
        } else {
            text
        }
    });
    let (status, text) = run(&["diff", "rules", copy.to_str().unwrap(), "--class", "K9099"]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("B minimum: equivalent"), "{text}");
    assert!(!text.contains("only"), "{text}");
}

/// A link found at a counterexample's name (left there by anyone, to a file outside the
/// folder) is replaced by the counterexample, never written through: the file it names is
/// left as it was.
#[test]
fn a_link_at_a_counterexample_name_is_replaced_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("precious.txt");
    std::fs::write(&outside, "precious\n").unwrap();
    let folder = dir.path().join("examples");
    let verify = || {
        run(&[
            "verify",
            "rules",
            "--counterexamples",
            folder.to_str().unwrap(),
        ])
    };
    assert_eq!(verify().0, Some(0));
    let written: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let target = written
        .first()
        .expect("a counterexample is written")
        .clone();
    std::fs::remove_file(&target).unwrap();
    std::os::unix::fs::symlink(&outside, &target).unwrap();
    assert_eq!(verify().0, Some(0));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious\n");
    let meta = std::fs::symlink_metadata(&target).unwrap();
    assert!(
        meta.file_type().is_file(),
        "the link is replaced by the file"
    );
}
