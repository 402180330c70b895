//! Applicant files through the library: every bad fixture gives exactly the codes its header
//! names, rendered as snapshots; hostile input gives diagnostics, never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use qualify::applicant::{MAX_APPLICANT_BYTES, read};
use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::diagnostics::Code;
use qualify::diagnostics::render::{Style, render};
use qualify::source::SourceMap;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_rules() -> CheckedRules {
    let mut inputs = Vec::new();
    for entry in std::fs::read_dir(manifest().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "qual") {
            inputs.push(SourceInput {
                name: format!("rules/{}", path.file_name().unwrap().to_string_lossy()),
                bytes: std::fs::read(&path).unwrap(),
            });
        }
    }
    check_sources(&inputs).rules.expect("shipped rules check")
}

/// The codes a fixture announces: a `# expect:` first line, or a `.expect` file beside it.
fn expected_codes(path: &Path, bytes: &[u8]) -> Vec<String> {
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    let line = if sidecar.exists() {
        std::fs::read_to_string(&sidecar).unwrap()
    } else {
        let text = String::from_utf8_lossy(bytes);
        let first = text.lines().next().unwrap_or("").to_owned();
        first
            .strip_prefix("# expect:")
            .unwrap_or_else(|| panic!("{} has no `# expect:` header", path.display()))
            .to_owned()
    };
    let mut codes: Vec<String> = line
        .split([',', ' ', '\n'])
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    codes.sort();
    codes
}

fn render_all(sources: &SourceMap, diagnostics: &[qualify::diagnostics::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| render(d, sources, Style::Human { color: false }, 100))
        .collect()
}

#[test]
fn bad_fixtures_report_their_codes() {
    let rules = shipped_rules();
    let dir = manifest().join("tests/fixtures/applicants/bad");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "expect"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 15, "expected a fixture per code");
    let mut covered = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let name = format!(
            "tests/fixtures/applicants/bad/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let mut sources = SourceMap::default();
        let outcome = read(&mut sources, &name, &bytes, &rules);
        assert!(outcome.applicant.is_none(), "{name} should not read");
        let mut found: Vec<String> = outcome
            .diagnostics
            .iter()
            .map(|d| d.code().as_str().to_owned())
            .collect();
        found.sort();
        found.dedup();
        assert_eq!(found, expected_codes(path, &bytes), "codes of {name}");
        let starts: Vec<u32> = outcome.diagnostics.iter().map(|d| d.span().start).collect();
        assert!(starts.is_sorted(), "{name}: diagnostics sorted by position");
        covered.extend(found);
        let stem = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        insta::assert_snapshot!(stem, render_all(&sources, &outcome.diagnostics));
    }
    // Q32x are raised by evaluation, not by reading: tests/exact_arithmetic.rs covers them.
    // Q316 is raised by `check` over an applicant read: tests/cli_check_applicants.rs.
    let read_codes = Code::ALL.iter().filter(|c| {
        c.as_str().starts_with("Q3") && !c.as_str().starts_with("Q32") && **c != Code::NearMissField
    });
    for code in read_codes {
        assert!(
            covered.iter().any(|c| c == code.as_str()),
            "no fixture for {code}"
        );
    }
}

#[test]
fn deeply_nested_json_is_a_diagnostic() {
    let rules = shipped_rules();
    for depth in [40, 600, 100_000] {
        let text = format!("{{\"name\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
        let mut sources = SourceMap::default();
        let outcome = read(&mut sources, "deep.json", text.as_bytes(), &rules);
        assert!(outcome.applicant.is_none());
        assert!(!outcome.diagnostics.is_empty(), "depth {depth}");
    }
}

#[test]
fn deeply_nested_toml_is_a_diagnostic() {
    let rules = shipped_rules();
    for depth in [40, 600, 100_000] {
        let arrays = format!("name = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let tables = format!("name = {}{}\n", "{ a = ".repeat(depth), "1 }".repeat(depth));
        let dotted = format!("{} = 1\n", vec!["a"; depth].join("."));
        for text in [arrays, tables, dotted] {
            let mut sources = SourceMap::default();
            let outcome = read(&mut sources, "deep.toml", text.as_bytes(), &rules);
            assert!(outcome.applicant.is_none());
            assert!(!outcome.diagnostics.is_empty(), "depth {depth}");
        }
    }
}

#[test]
fn oversized_file_is_refused() {
    let rules = shipped_rules();
    let text = format!("name = \"{}\"\n", "x".repeat(MAX_APPLICANT_BYTES));
    let mut sources = SourceMap::default();
    let outcome = read(&mut sources, "big.toml", text.as_bytes(), &rules);
    let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, vec![Code::FileTooLarge]);
}

#[test]
fn empty_file_is_an_empty_applicant() {
    let rules = shipped_rules();
    for (name, text) in [("empty.toml", ""), ("empty.json", "{}")] {
        let mut sources = SourceMap::default();
        let outcome = read(&mut sources, name, text.as_bytes(), &rules);
        assert!(outcome.diagnostics.is_empty(), "{name}");
        assert_eq!(outcome.applicant, Some(Default::default()));
    }
}

#[test]
fn json_top_level_must_be_an_object() {
    let rules = shipped_rules();
    let mut sources = SourceMap::default();
    let outcome = read(&mut sources, "list.json", b"[1, 2]", &rules);
    let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, vec![Code::WrongType]);
}

#[test]
fn examples_read_without_diagnostics() {
    let rules = shipped_rules();
    let dir = manifest().join("examples/applicants");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "at least 8 example applicants");
    assert!(paths.iter().any(|p| p.extension().unwrap() == "json"));
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        let mut sources = SourceMap::default();
        let outcome = read(&mut sources, &name, &bytes, &rules);
        assert!(
            outcome.diagnostics.is_empty(),
            "{name}:\n{}",
            render_all(&sources, &outcome.diagnostics)
        );
        let applicant = outcome.applicant.unwrap();
        assert!(applicant.id.is_some() && applicant.name.is_some(), "{name}");
        assert!(!applicant.experience.is_empty(), "{name}");
        if path.extension().unwrap() == "toml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.starts_with("# "), "{name} opens with a comment");
            assert!(
                text.contains("Expected"),
                "{name} states its expected outcome"
            );
        }
    }
}

#[test]
fn byte_order_mark_is_accepted() {
    let rules = shipped_rules();
    for (name, text) in [
        ("bom.toml", "\u{feff}name = \"Ana\"\nid = 5\n"),
        ("bom.json", "\u{feff}{\"name\": \"Ana\", \"id\": 5}"),
    ] {
        let mut sources = SourceMap::default();
        let outcome = read(&mut sources, name, text.as_bytes(), &rules);
        let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code()).collect();
        assert_eq!(codes, vec![Code::WrongType], "{name}");
        let span = outcome.diagnostics[0].span();
        assert_eq!(
            sources.snippet(span),
            "5",
            "{name}: spans keep their offsets"
        );
    }
}

/// A subject whose credits are `null` is absent, as a key with `null` is anywhere in JSON.
#[test]
fn a_null_subject_is_absent() {
    let rules = shipped_rules();
    let text = r#"{"education": [{"credential": "bachelor", "subjects": {"Psychology": null, "Sociology": 3}}]}"#;
    let mut sources = SourceMap::default();
    let outcome = read(&mut sources, "null.json", text.as_bytes(), &rules);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let applicant = outcome.applicant.unwrap();
    let subjects: Vec<&str> = applicant.education[0]
        .subjects
        .iter()
        .map(|s| s.subject.as_str())
        .collect();
    assert_eq!(subjects, ["Sociology"]);
}

/// The self-identified group is read beside the applicant, never into it: the applicant
/// evaluation reads is the same with any group or none.
#[test]
fn the_group_is_kept_out_of_the_applicant() {
    let rules = shipped_rules();
    let text = |group: &str| {
        format!(
            r#"{{"id":"A-1",{group}"education":[{{"credential":"bachelor","field":"Psychology"}}],
            "experience":[{{"title":"Aide","categories":["social_worker_assistant"],"start":"2020-01-01","end":"2022-01-01"}}]}}"#
        )
    };
    let read_one = |group: &str| {
        let mut sources = SourceMap::default();
        let read = read(&mut sources, "a.json", text(group).as_bytes(), &rules);
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        (read.applicant.unwrap(), read.group)
    };
    let (with_a, group_a) = read_one(r#""group":"group A","#);
    let (with_b, group_b) = read_one(r#""group":"group B","#);
    let (without, none) = read_one("");
    assert_eq!(group_a.as_deref(), Some("group A"));
    assert_eq!(group_b.as_deref(), Some("group B"));
    assert_eq!(none, None);
    assert_eq!(with_a, without);
    assert_eq!(with_b, without);
}
