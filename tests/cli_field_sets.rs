//! Field-set inclusion on a large scale through the real binary: a loop of 50,000 sets is
//! one Q115 report and exit 1, never a stack overflow; a chain of 10,000 sets passes a field
//! of its first set to its last.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::fmt::Write as _;

use cli_support::qualify_no_color as qualify;

use insta_cmd::assert_cmd_snapshot;

/// `count` field sets, `s0` to `s{count - 1}`, each including the next, the last the first.
fn loop_of_sets(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        let next = (i + 1) % count;
        writeln!(text, "fields s{i} \"set {i}\" {{\n  s{next}\n}}").unwrap();
    }
    text
}

/// `count` field sets, each listing one field and including the set before it, and a class
/// whose one tier asks for an associate degree in the last set.
fn chain_of_sets(count: usize) -> String {
    let mut text = String::from("fields s0 \"set 0\" {\n  \"Field 0\"\n}\n");
    for i in 1..count {
        let before = i - 1;
        writeln!(
            text,
            "fields s{i} \"set {i}\" {{\n  s{before}\n  \"Field {i}\"\n}}"
        )
        .unwrap();
    }
    let last = count - 1;
    write!(
        text,
        r#"
profile example {{
  jurisdiction "Example Personnel Office"
  credential associate "Associate degree" worth 2 years
  a year of education is 30 semester credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}}

class X1 "Example" {{
  profile example
  source "example.txt"
  established 2020-01-01
  level B code "X1B" band 50 {{
    minimum: associate in s{last}
  }}
}}
"#
    )
    .unwrap();
    text
}

fn applicant_in(field: &str) -> String {
    format!(
        "id = \"A-1\"\nname = \"Applicant\"\n\n[[education]]\ncredential = \"associate\"\n\
         field = \"{field}\"\ncompleted = 2010-05-28\n"
    )
}

#[test]
fn a_loop_of_fifty_thousand_sets_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sets.qual"), loop_of_sets(50_000)).unwrap();
    let output = qualify()
        .current_dir(dir.path())
        .args(["check", "--error-format", "json", "sets.qual"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let reports: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let loops: Vec<&serde_json::Value> = reports.iter().filter(|r| r["code"] == "Q115").collect();
    assert_eq!(loops.len(), 1, "{stdout}");
    assert_eq!(
        loops[0]["message"],
        "field set `s0` includes itself through 49999 other sets"
    );
    assert_eq!(loops[0]["labels"].as_array().unwrap().len(), 8, "{stdout}");
}

#[test]
fn a_small_loop_is_reported_with_each_inclusion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sets.qual"), loop_of_sets(3)).unwrap();
    assert_cmd_snapshot!(
        qualify()
            .current_dir(dir.path())
            .args(["check", "sets.qual"])
    );
}

#[test]
fn a_chain_of_ten_thousand_sets_passes_its_first_field_to_its_last() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.qual"), chain_of_sets(10_000)).unwrap();
    std::fs::write(dir.path().join("first.toml"), applicant_in("field 0")).unwrap();
    std::fs::write(dir.path().join("outside.toml"), applicant_in("Field 10000")).unwrap();
    assert_cmd_snapshot!(qualify().current_dir(dir.path()).args([
        "eval",
        "--rules",
        "rules.qual",
        "--as-of",
        "2024-01-01",
        "first.toml",
        "outside.toml",
    ]));
}

/// A field set written with `é` as one character, and one with a plain `Finance`.
const ACCENTED_RULES: &str = r#"
fields health "Public health" {
  "Sant\u{e9} publique"
}

fields money "Finance" {
  "Finance"
}

profile example {
  jurisdiction "Example Personnel Office"
  credential associate "Associate degree" worth 2 years
  a year of education is 30 semester credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}

class X1 "Example" {
  profile example
  source "example.txt"
  established 2020-01-01
  level B code "X1B" band 50 {
    minimum: associate in health
  }
  level O code "X1O" band 55 {
    minimum: associate in money
  }
}
"#;

/// A field compares the same however its accents are encoded: `é` as one character and as
/// `e` with a combining accent both meet the set listing `Santé publique`, and `Financé`
/// written with a combining accent is not `Finance`.
#[test]
fn an_accented_field_is_the_same_field_however_its_accent_is_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let rules = ACCENTED_RULES.replace("\\u{e9}", "\u{e9}");
    std::fs::write(dir.path().join("rules.qual"), rules).unwrap();
    let applicants = [
        ("composed.toml", "Sant\u{e9} publique"),
        ("decomposed.toml", "Sante\u{301} publique"),
        ("finance_accented.toml", "Finance\u{301}"),
    ];
    for (file, field) in applicants {
        std::fs::write(dir.path().join(file), applicant_in(field)).unwrap();
    }
    let output = qualify()
        .current_dir(dir.path())
        .args(["eval", "--rules", "rules.qual", "--as-of", "2024-01-01"])
        .args(applicants.map(|(file, _)| file))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let records: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let met: Vec<Vec<bool>> = records
        .iter()
        .map(|record| {
            record["classes"][0]["levels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|level| level["tiers"][0]["met"].as_bool().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        met,
        [vec![true, false], vec![true, false], vec![false, false]],
        "{stdout}"
    );
}
