//! Machine-readable output stays valid JSON whatever bytes come in: arbitrary and mutated
//! rule files and applicant files (TOML and JSON) go through the same renderers the
//! commands use, and every diagnostic line, decision record and audit trace must parse.
//! A handful of runs of the real binary with hostile bytes check the commands end to end,
//! and that the formats for people write no control character raw.
//!
//! Diagnostics are JSON lines, one object a line; the decision record and the trace are one
//! pretty-printed document each, parsed whole.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

use proptest::prelude::*;
use qualify::applicant;
use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::diagnostics::Diagnostic;
use qualify::diagnostics::render::{Style, render};
use qualify::eval::{self, Query};
use qualify::explain;
use qualify::source::SourceMap;

use cli_support::qualify_no_color as qualify;

/// Bytes that break naive JSON or terminals: controls, quote, backslash, line endings, DEL,
/// NEL, a right-to-left override, a byte-order mark and bytes that are not UTF-8.
const HOSTILE: &[&[u8]] = &[
    b"\x00",
    b"\x01",
    b"\x0b",
    b"\x1b[2J",
    b"\"",
    b"\\",
    b"\r",
    b"\r\n",
    b"\n",
    b"\x7f",
    "\u{85}".as_bytes(),
    "\u{202e}".as_bytes(),
    "\u{feff}".as_bytes(),
    b"\xff",
    b"\xc3",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(root().join(relative)).unwrap()
}

const RULE_SEEDS: [&str; 3] = [
    "rules/k9099.qual",
    "tests/fixtures/cli/broken.qual",
    "tests/fixtures/check/several_errors.qual",
];

const APPLICANT_SEEDS: [&str; 4] = [
    "examples/applicants/k9099_combination_related_bachelor.toml",
    "examples/applicants/g1099_part_time.toml",
    "examples/applicants/pa38480_direct.json",
    "tests/fixtures/applicants/bad/many_problems.toml",
];

/// The shipped rules, checked once.
fn shipped_rules() -> &'static (CheckedRules, SourceMap) {
    static RULES: OnceLock<(CheckedRules, SourceMap)> = OnceLock::new();
    RULES.get_or_init(|| {
        let inputs: Vec<SourceInput> = ["profiles", "g1099", "k9099", "pa_38480"]
            .iter()
            .map(|name| SourceInput {
                name: format!("rules/{name}.qual"),
                bytes: read(&format!("rules/{name}.qual")),
            })
            .collect();
        let outcome = check_sources(&inputs);
        (outcome.rules.unwrap(), outcome.sources)
    })
}

/// Arbitrary bytes, or a seed file with hostile and arbitrary bytes put in at arbitrary
/// places.
fn input_bytes(seeds: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let random = prop::collection::vec(any::<u8>(), 0..300);
    let splice = prop_oneof![
        prop::sample::select(HOSTILE).prop_map(<[u8]>::to_vec),
        prop::collection::vec(any::<u8>(), 1..6),
    ];
    let mutated = (
        prop::sample::select(seeds),
        prop::collection::vec((any::<prop::sample::Index>(), splice), 1..6),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = read(seed);
            for (at, insert) in edits {
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, insert);
            }
            bytes
        });
    prop_oneof![1 => random, 3 => mutated]
}

/// Renders every diagnostic as the commands do in JSON mode and parses each line.
fn assert_json_lines(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for diagnostic in diagnostics {
        let text = render(diagnostic, sources, Style::Json, 100);
        assert!(text.ends_with('\n'));
        assert_eq!(text.lines().count(), 1, "{text:?}");
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
        assert_eq!(value["code"], diagnostic.code().as_str());
    }
}

fn assert_json_document(text: &str) {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        panic!("not JSON ({e}): {text}");
    }
}

/// `check`, `eval --format json` and `explain --format json` of one applicant file, as
/// far as the bytes allow.
fn applicant_outputs_parse(name: &str, bytes: &[u8]) {
    let (rules, _) = shipped_rules();
    let mut sources = SourceMap::default();
    let read = applicant::read(&mut sources, name, bytes, rules);
    assert_json_lines(&read.diagnostics, &sources);
    let Some(applicant) = read.applicant else {
        return;
    };
    let program = qualify::compile::compile(rules);
    let query = Query::new(jiff::civil::date(2024, 6, 30));
    let evaluation = eval::evaluate(&program, &applicant, &query).unwrap();
    assert_json_document(&explain::record_json(&evaluation));
    let traced = eval::evaluate_traced(&program, &applicant, &query.class("K9099")).unwrap();
    assert_json_document(&explain::trace_json(&traced));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_rule_diagnostic_is_one_line_of_json(bytes in input_bytes(&RULE_SEEDS)) {
        let outcome = check_sources(&[SourceInput { name: "input.qual".into(), bytes }]);
        assert_json_lines(&outcome.diagnostics, &outcome.sources);
    }

    #[test]
    fn every_toml_applicant_output_is_json(bytes in input_bytes(&APPLICANT_SEEDS)) {
        applicant_outputs_parse("input.toml", &bytes);
    }

    #[test]
    fn every_json_applicant_output_is_json(bytes in input_bytes(&APPLICANT_SEEDS)) {
        applicant_outputs_parse("input.json", &bytes);
    }
}

/// Every line of stderr parses as JSON, and stdout is empty, JSON lines, or one document.
fn assert_command_json(output: &Output, what: &str) {
    let stdout = std::str::from_utf8(&output.stdout).unwrap();
    let stderr = std::str::from_utf8(&output.stderr).unwrap();
    let parses = |text: &str| serde_json::from_str::<serde_json::Value>(text).is_ok();
    let stdout_lines = if parses(stdout) { "" } else { stdout };
    for line in stderr.lines().chain(stdout_lines.lines()) {
        assert!(parses(line), "{what}: not JSON: {line:?}");
    }
}

/// A hostile rule file and hostile applicant files through the real binary.
#[test]
fn the_commands_print_only_json_for_hostile_files() {
    let dir = tempfile::tempdir().unwrap();
    let hostile: Vec<u8> = HOSTILE.concat();
    let mut rule_text = read("tests/fixtures/cli/broken.qual");
    rule_text.splice(40..40, hostile.iter().copied());
    rule_text.extend_from_slice(&hostile);
    let rule_file = dir.path().join("hostile \u{1b}[2J\".qual");
    std::fs::write(&rule_file, &rule_text).unwrap();

    let mut toml = read(APPLICANT_SEEDS[0]);
    toml.extend_from_slice(b"\n\"key\x1b\\u001b\x00\" = 1\n\x01\x0b = 2\n");
    let mut json_key = read(APPLICANT_SEEDS[2]);
    json_key.splice(1..1, b"\"k\\u001b\\u0000\x7f\": 1,".iter().copied());
    let mut json_raw = read(APPLICANT_SEEDS[2]);
    json_raw.splice(1..1, hostile.iter().copied());
    let applicants = [("a.toml", toml), ("b.json", json_key), ("c.json", json_raw)];
    for (name, bytes) in &applicants {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }

    let rules = rule_file.to_str().unwrap();
    let check = qualify()
        .args(["check", "--error-format", "json", rules])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert_command_json(&check, "check rules");
    for format in ["human", "plain"] {
        let shown = qualify()
            .args(["check", "--error-format", format, rules])
            .output()
            .unwrap();
        let raw = shown.stdout.iter().any(|&b| b < 0x20 && b != b'\n');
        assert!(!raw, "{format}: {}", String::from_utf8_lossy(&shown.stdout));
    }
    for (name, _) in &applicants {
        let path = dir.path().join(name);
        let path = path.to_str().unwrap();
        for args in [
            &["check", "--error-format", "json", "rules", path][..],
            &["eval", path, "--format", "json", "--error-format", "json"][..],
            &["eval", path, "--rules", rules, "--error-format", "json"][..],
            &[
                "explain",
                path,
                "--class",
                "K9099",
                "--format",
                "json",
                "--error-format",
                "json",
            ][..],
        ] {
            let output = qualify().args(args).output().unwrap();
            assert_ne!(output.status.code(), Some(0), "{args:?}");
            assert_command_json(&output, &format!("{args:?}"));
        }
    }
}
