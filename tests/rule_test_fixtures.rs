//! Broken rule-test files in `tests/fixtures/rule_tests/`: each announces the `Q5xx` code it
//! expects in its first line, read against the shipped rules, and its rendered report is a
//! snapshot. Every rule-test code has a fixture, or a test through the binary that shows it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::compile::{Program, compile};
use qualify::diagnostics::Code;
use qualify::diagnostics::render::{Style, render};
use qualify::rule_tests::read_tests;
use qualify::source::SourceMap;

const FIXTURES: &str = "tests/fixtures/rule_tests";
/// Reports are rendered at this width, so snapshots do not depend on the terminal.
const WIDTH: usize = 80;

/// Q509 (an applicant file that cannot be read), Q511 (no test files) and Q512 (a generated
/// file that exists) are about files the binary reads or writes; `tests/cli_rule_tests.rs`
/// shows each through the binary.
const WITHOUT_FIXTURE: [Code; 3] = [
    Code::TestApplicantUnreadable,
    Code::NoTestFiles,
    Code::GeneratedFileExists,
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> (CheckedRules, Program, SourceMap) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qual"))
        .collect();
    paths.sort();
    let inputs: Vec<SourceInput> = paths
        .iter()
        .map(|p| SourceInput {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(p).unwrap(),
        })
        .collect();
    let mut outcome = check_sources(&inputs);
    let rules = outcome.rules.take().unwrap();
    let program = compile(&rules);
    (rules, program, outcome.sources)
}

/// Every `qNNN_*.toml` fixture, in name order, with the codes its first line announces.
fn fixtures() -> Vec<(PathBuf, String, Vec<String>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(FIXTURES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('q'))
        })
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {FIXTURES}");
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let expected = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# expect:"))
                .unwrap_or_else(|| {
                    panic!(
                        "{}: the first line must be `# expect: Q...`",
                        path.display()
                    )
                })
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (path, name, expected)
        })
        .collect()
}

/// The codes and the rendered report of one fixture.
fn read(path: &Path, name: &str) -> (Vec<String>, String) {
    let (rules, program, mut sources) = shipped();
    let bytes = std::fs::read(path).unwrap();
    let read = read_tests(&mut sources, name, &bytes, &rules, &program);
    assert!(read.tests.is_none(), "{name} has no error");
    let codes = read
        .diagnostics
        .iter()
        .map(|d| d.code().to_string())
        .collect();
    let report = read
        .diagnostics
        .iter()
        .map(|d| render(d, &sources, Style::Human { color: false }, WIDTH))
        .collect();
    (codes, report)
}

#[test]
fn every_fixture_reports_exactly_the_codes_it_announces() {
    for (path, name, expected) in fixtures() {
        let (codes, report) = read(&path, &name);
        assert_eq!(codes, expected, "{name}:\n{report}");
    }
}

#[test]
fn every_fixture_report_matches_its_snapshot() {
    for (path, name, _) in fixtures() {
        let (_, report) = read(&path, &name);
        let stem = name.trim_end_matches(".toml").to_owned();
        insta::with_settings!({
            snapshot_path => "snapshots/rule_test_fixtures",
            prepend_module_to_snapshot => false,
            input_file => &path,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(stem, report);
        });
    }
}

#[test]
fn every_rule_test_code_has_a_fixture_named_after_it() {
    let fixtures = fixtures();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("Q5") && !WITHOUT_FIXTURE.contains(c))
        .filter(|code| {
            let prefix = format!("{}_", code.as_str().to_lowercase());
            !fixtures.iter().any(|(_, name, expected)| {
                name.starts_with(&prefix) && expected.iter().any(|e| e == code.as_str())
            })
        })
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}
