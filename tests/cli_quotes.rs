//! `qualify check` verifies quotes against the source documents in `sources/` beside the
//! rules, through the real binary: a revised document makes the rules whose quotes no
//! longer hold fail, with the closest passage; the shipped rules check clean.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::path::Path;

use cli_support::qualify;
use insta_cmd::assert_cmd_snapshot;

const K9099_SOURCE: &str = "000_d8c2fb164fd20970.txt";

/// A copy of the shipped rules and their sources in `dir/rules`.
fn copy_rules(dir: &Path) {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["rules", "rules/sources"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        for entry in std::fs::read_dir(crate_dir.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, dir.join(folder).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// Replaces `from` by `to` in a copied source document, once; the text must be there.
fn revise_source(dir: &Path, name: &str, from: &str, to: &str) {
    let path = dir.join("rules/sources").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn codes_in_json(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["code"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn the_shipped_rules_check_clean_with_their_sources() {
    let output = qualify()
        .args(["check", "--error-format", "json", "rules"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let codes = codes_in_json(&output.stdout);
    assert!(
        codes
            .iter()
            .all(|code| !code.starts_with("Q13") && !code.starts_with("Q21")),
        "{codes:?}"
    );
}

#[test]
fn one_word_changed_in_a_source_fails_the_quote_with_the_closest_passage() {
    let dir = tempfile::tempdir().unwrap();
    copy_rules(dir.path());
    revise_source(
        dir.path(),
        K9099_SOURCE,
        "High school diploma or GED and six (6) months experience",
        "High school diploma or GED and nine (6) months experience",
    );
    assert_cmd_snapshot!(qualify().current_dir(dir.path()).args([
        "check",
        "--error-format",
        "plain",
        "rules"
    ]));
}

#[test]
fn rule_files_named_one_by_one_are_verified_against_the_sources_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    copy_rules(dir.path());
    revise_source(
        dir.path(),
        "002_a7a2fa00dc31e15b.txt",
        "An equivalent combination of experience and training",
        "An equivalent combination of experience or training",
    );
    let output = qualify()
        .current_dir(dir.path())
        .args([
            "check",
            "--error-format",
            "json",
            "rules/profiles.qual",
            "rules/pa_38480.qual",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let codes = codes_in_json(&output.stdout);
    assert_eq!(
        codes.iter().filter(|c| *c == "Q130").count(),
        1,
        "{codes:?}"
    );
}

#[test]
fn a_section_moved_in_a_revision_is_named() {
    let dir = tempfile::tempdir().unwrap();
    copy_rules(dir.path());
    revise_source(
        dir.path(),
        "002_a7a2fa00dc31e15b.txt",
        "MINIMUM EXPERIENCE AND TRAINING:",
        "MINIMUM EXPERIENCE AND EDUCATION:",
    );
    let output = qualify()
        .current_dir(dir.path())
        .args(["check", "--error-format", "json", "rules"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let codes = codes_in_json(&output.stdout);
    assert_eq!(
        codes.iter().filter(|c| *c == "Q131").count(),
        2,
        "{codes:?}"
    );
}

#[test]
fn a_rules_folder_with_sources_is_still_a_rules_folder_beside_applicants() {
    let output = qualify()
        .args(["check", "rules", "examples/applicants"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("ok: 4 files, 3 classes"), "{stdout}");
}

#[test]
fn an_allow_acknowledges_a_tier_without_a_quote() {
    assert_cmd_snapshot!(qualify().args([
        "check",
        "--show-acknowledged",
        "tests/fixtures/check/q210_acknowledged.qual"
    ]));
}

/// The first 32 quotes missing from a document are searched for elsewhere in it and for
/// their closest passage; the ones after them are reported without that search, which
/// costs the document's length each, so many missing quotes stay linear.
#[test]
fn quotes_missing_past_the_first_32_are_reported_without_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("sources")).unwrap();
    std::fs::write(
        rules.join("sources/s.txt"),
        "MINIMUM\n\nSix months of experience in a public program.\n",
    )
    .unwrap();
    let mut text = String::from(
        "profile p {\n  jurisdiction \"J\"\n  credential hs \"HS\" worth 0 years\n  \
         a year of education is 30 semester credits\n  full time is 40 hours per week\n  \
         overlapping jobs are summed up to full time\n  several degrees count the highest only\n}\n\
         experience cat \"Cat\"\nclass X1 \"X\" {\n  profile p\n  source \"s.txt\"\n  established 2020-01-01\n",
    );
    for level in 0..40 {
        text.push_str(&format!(
            "  level L{level} \"L\" code \"X1L{level}\" band {} {{\n    minimum cite \"Minimum\" quote \"Seven months number {level}.\":\n      6 months of cat\n  }}\n",
            level + 1
        ));
    }
    text.push_str("}\n");
    std::fs::write(rules.join("x.qual"), text).unwrap();
    let out = qualify()
        .args(["--error-format", "json", "check"])
        .arg(&rules)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let missing: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|d| d["code"] == "Q130")
        .collect();
    assert_eq!(missing.len(), 40, "{stdout}");
    let searched = missing
        .iter()
        .filter(|d| {
            d["help"]
                .as_str()
                .unwrap()
                .starts_with("the closest passage")
        })
        .count();
    assert_eq!(searched, 32, "{stdout}");
    let rest = missing
        .iter()
        .filter(|d| {
            d["help"]
                .as_str()
                .unwrap()
                .starts_with("more than 32 quotes")
        })
        .count();
    assert_eq!(rest, 8, "{stdout}");
}
