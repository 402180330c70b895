//! Applicant cases written from the three seed texts, each stating the seed sentence it
//! tests and the outcome the text calls for, evaluated through the real `qualify eval`
//! binary and its JSON decision record.
//!
//! A case is a file in `tests/fixtures/seed_cases/` (`*.toml`, or `*.json` with its header
//! in a sidecar `*.json.expect`). Its header lines:
//!
//! ```text
//! # seed: "High school diploma or GED and six (6) months experience ..."
//! # expect: K9099 B minimum @ 2025-06-30 = met via direct
//! # expect: K9099 O minimum @ 2025-06-30 = met via substitution 1
//! # expect: K9099 A minimum @ 2025-06-30 = not met
//! # months: K9099 public_program_experience @ 2025-06-30 = 6
//! # credited: K9099 O minimum @ 2025-06-30 = 47
//! ```
//!
//! `months` is the experience credited for a category set (the record's `figures`), and
//! `credited` is the pooled total of the tier's first substitution clause, both as exact
//! month counts. Cases in `seed_cases/disputed/` are not run: they record disagreements
//! with the engine that are reported, not asserted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// One expectation line of a case header.
#[derive(Debug)]
enum Expectation {
    /// `expect: CLASS LEVEL TIER @ DATE = met via direct | met via substitution N | not met`
    Outcome {
        class: String,
        level: String,
        tier: String,
        as_of: String,
        outcome: String,
    },
    /// `months: CLASS cat1,cat2 @ DATE = EXACT`
    Months {
        class: String,
        categories: String,
        as_of: String,
        exact: String,
    },
    /// `credited: CLASS LEVEL TIER @ DATE = EXACT`
    Credited {
        class: String,
        level: String,
        tier: String,
        as_of: String,
        exact: String,
    },
}

struct Case {
    file: PathBuf,
    seed: String,
    expectations: Vec<Expectation>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_cases")
}

/// The header text of a case: the file itself for TOML, its `.expect` sidecar for JSON.
fn header_of(file: &Path) -> String {
    let header = if file.extension().is_some_and(|e| e == "json") {
        let mut sidecar = file.as_os_str().to_owned();
        sidecar.push(".expect");
        PathBuf::from(sidecar)
    } else {
        file.to_path_buf()
    };
    std::fs::read_to_string(&header)
        .unwrap_or_else(|e| panic!("{}: cannot read header: {e}", header.display()))
}

/// `CLASS REST @ DATE = VALUE` split into (words before `@`, date, value).
fn split_line<'a>(file: &Path, line: &'a str) -> (Vec<&'a str>, &'a str, &'a str) {
    let (lhs, value) = line
        .split_once('=')
        .unwrap_or_else(|| panic!("{}: no `=` in `{line}`", file.display()));
    let (words, date) = lhs
        .split_once('@')
        .unwrap_or_else(|| panic!("{}: no `@ DATE` in `{line}`", file.display()));
    (
        words.split_whitespace().collect(),
        date.trim(),
        value.trim(),
    )
}

fn parse_case(file: &Path) -> Case {
    let text = header_of(file);
    let mut seed = Vec::new();
    let mut expectations = Vec::new();
    for line in text.lines().map(str::trim) {
        let Some(body) = line.strip_prefix('#').map(str::trim) else {
            continue;
        };
        if let Some(rest) = body.strip_prefix("seed:") {
            seed.push(rest.trim().to_owned());
        } else if let Some(rest) = body.strip_prefix("expect:") {
            let (words, as_of, outcome) = split_line(file, rest);
            let [class, level, tier] = words[..] else {
                panic!(
                    "{}: expect needs CLASS LEVEL TIER: `{line}`",
                    file.display()
                );
            };
            expectations.push(Expectation::Outcome {
                class: class.to_owned(),
                level: level.to_owned(),
                tier: tier.to_owned(),
                as_of: as_of.to_owned(),
                outcome: outcome.to_owned(),
            });
        } else if let Some(rest) = body.strip_prefix("months:") {
            let (words, as_of, exact) = split_line(file, rest);
            let [class, categories] = words[..] else {
                panic!(
                    "{}: months needs CLASS CATEGORIES: `{line}`",
                    file.display()
                );
            };
            expectations.push(Expectation::Months {
                class: class.to_owned(),
                categories: categories.to_owned(),
                as_of: as_of.to_owned(),
                exact: exact.to_owned(),
            });
        } else if let Some(rest) = body.strip_prefix("credited:") {
            let (words, as_of, exact) = split_line(file, rest);
            let [class, level, tier] = words[..] else {
                panic!(
                    "{}: credited needs CLASS LEVEL TIER: `{line}`",
                    file.display()
                );
            };
            expectations.push(Expectation::Credited {
                class: class.to_owned(),
                level: level.to_owned(),
                tier: tier.to_owned(),
                as_of: as_of.to_owned(),
                exact: exact.to_owned(),
            });
        }
    }
    assert!(!seed.is_empty(), "{}: no `# seed:` line", file.display());
    assert!(
        !expectations.is_empty(),
        "{}: no expectation lines",
        file.display()
    );
    Case {
        file: file.to_path_buf(),
        seed: seed.join(" "),
        expectations,
    }
}

fn all_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    files.iter().map(|f| parse_case(f)).collect()
}

/// The decision record of `file` for one class as of a date, or what went wrong.
fn record(file: &Path, class: &str, as_of: &str) -> Result<Value, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .current_dir(root)
        .args(["eval", "--rules", "rules", "--format", "json"])
        .args(["--class", class, "--as-of", as_of])
        .arg(file)
        .output()
        .unwrap();
    if !output.status.success() {
        return Err(format!(
            "qualify eval failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("not JSON: {e}"))
}

fn tier_of<'a>(record: &'a Value, level: &str, tier: &str) -> Option<&'a Value> {
    record["classes"][0]["levels"]
        .as_array()?
        .iter()
        .find(|l| l["level"] == level)?["tiers"]
        .as_array()?
        .iter()
        .find(|t| t["tier"] == tier)
}

fn outcome_of(tier: &Value) -> String {
    if tier["met"] != true {
        return "not met".to_owned();
    }
    match tier["via"]["path"].as_str() {
        Some("direct") => "met via direct".to_owned(),
        Some("substitution") => format!("met via substitution {}", tier["via"]["clause"]),
        other => format!("met via {other:?}"),
    }
}

/// What the record says for an expectation, or why it says nothing.
fn actual(record: &Value, expectation: &Expectation) -> (String, String) {
    match expectation {
        Expectation::Outcome {
            level,
            tier,
            outcome,
            ..
        } => {
            let got =
                tier_of(record, level, tier).map_or_else(|| "no such tier".to_owned(), outcome_of);
            (outcome.clone(), got)
        }
        Expectation::Months {
            categories, exact, ..
        } => {
            let wanted: Vec<&str> = categories.split(',').collect();
            let got = record["figures"]["experience"]
                .as_array()
                .and_then(|figures| {
                    figures.iter().find(|f| {
                        f["categories"].as_array().is_some_and(|c| {
                            c.iter()
                                .map(|v| v.as_str())
                                .eq(wanted.iter().map(|w| Some(*w)))
                        })
                    })
                })
                .map_or_else(
                    || "no figure for these categories".to_owned(),
                    |f| f["months"]["exact"].as_str().unwrap_or("?").to_owned(),
                );
            (exact.clone(), got)
        }
        Expectation::Credited {
            level, tier, exact, ..
        } => {
            let got = tier_of(record, level, tier)
                .and_then(|t| {
                    t["paths"]
                        .as_array()?
                        .iter()
                        .find(|p| p["path"] == "substitution")
                })
                .map_or_else(
                    || "no substitution path".to_owned(),
                    |p| {
                        p["combination"]["credited"]["exact"]
                            .as_str()
                            .unwrap_or("?")
                            .to_owned()
                    },
                );
            (exact.clone(), got)
        }
    }
}

fn key_of(expectation: &Expectation) -> (String, String) {
    match expectation {
        Expectation::Outcome { class, as_of, .. }
        | Expectation::Months { class, as_of, .. }
        | Expectation::Credited { class, as_of, .. } => (class.clone(), as_of.clone()),
    }
}

#[test]
fn every_seed_case_gets_the_outcome_the_seed_text_calls_for() {
    let cases = all_cases();
    assert!(cases.len() >= 40, "only {} seed cases", cases.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        let mut records: BTreeMap<(String, String), Result<Value, String>> = BTreeMap::new();
        for expectation in &case.expectations {
            let (class, as_of) = key_of(expectation);
            let record = records
                .entry((class.clone(), as_of.clone()))
                .or_insert_with(|| record(&case.file, &class, &as_of));
            let (want, got) = match record {
                Ok(record) => actual(record, expectation),
                Err(problem) => ("a decision record".to_owned(), problem.clone()),
            };
            checked += 1;
            if want != got {
                let name = case.file.file_name().unwrap().to_string_lossy();
                failures.push(format!(
                    "{name}: {expectation:?}\n  expected: {want}\n  actual:   {got}\n  seed: {}",
                    case.seed
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} seed-case expectations disagree:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
