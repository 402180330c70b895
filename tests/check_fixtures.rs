//! Broken rule files in `tests/fixtures/check/`: each announces the codes it expects in its first
//! line, and its rendered report (graphical, no colour, fixed width) is a snapshot.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use qualify::check::quotes::{SourceDocument, add_quote_findings};
use qualify::check::{CheckOutcome, SourceInput, check_sources};
use qualify::diagnostics::Code;
use qualify::diagnostics::render::{Style, render};

const FIXTURES: &str = "tests/fixtures/check";
const DOCS: &str = "docs/diagnostics.md";
/// Reports are rendered at this width, so snapshots do not depend on the terminal.
const WIDTH: usize = 80;

/// One broken rule file and what it announces.
struct Fixture {
    path: PathBuf,
    name: String,
    bytes: Vec<u8>,
    expected: Vec<String>,
    /// `# sources: DIR`: the quotes are verified against the documents in DIR, as
    /// `qualify check` does with the `sources/` folder beside the rules.
    sources: Option<PathBuf>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture, in name order.
fn fixtures() -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(FIXTURES))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "qual"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {FIXTURES}");
    paths.into_iter().map(|path| read_fixture(&path)).collect()
}

fn read_fixture(path: &Path) -> Fixture {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let header = header_lines(&bytes);
    let expected = header
        .first()
        .and_then(|line| line.strip_prefix("# expect:"))
        .unwrap_or_else(|| panic!("{name}: the first line must be `# expect: Q...`"))
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let bytes = match header.iter().find_map(|l| l.strip_prefix("# pad-to:")) {
        Some(size) => padded(bytes, size.trim().parse().unwrap()),
        None => bytes,
    };
    let sources = header
        .iter()
        .find_map(|l| l.strip_prefix("# sources:"))
        .map(|dir| root().join(FIXTURES).join(dir.trim()));
    Fixture {
        path: path.to_owned(),
        name,
        bytes,
        expected,
        sources,
    }
}

/// The leading comment lines (ASCII up to the first non-comment line).
fn header_lines(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == b'\n')
        .map_while(|line| std::str::from_utf8(line).ok())
        .take_while(|line| line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// `# pad-to: N` grows the file with one long comment line to `N` bytes, so a file over the
/// size limit need not be stored.
fn padded(mut bytes: Vec<u8>, size: usize) -> Vec<u8> {
    bytes.push(b'#');
    bytes.resize(size, b'#');
    bytes
}

fn check(fixture: &Fixture) -> CheckOutcome {
    let mut outcome = check_sources(&[SourceInput {
        name: fixture.name.clone(),
        bytes: fixture.bytes.clone(),
    }]);
    if let Some(folder) = &fixture.sources {
        add_quote_findings(&mut outcome, &source_documents(folder));
    }
    outcome
}

/// Every file in `folder`, by name.
fn source_documents(folder: &Path) -> Vec<SourceDocument> {
    let mut documents: Vec<SourceDocument> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| SourceDocument {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&path).unwrap(),
        })
        .collect();
    documents.sort_by(|a, b| a.name.cmp(&b.name));
    documents
}

fn codes(outcome: &CheckOutcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .map(|d| d.code().to_string())
        .collect()
}

/// The report a policy writer sees, without colour.
fn report(outcome: &CheckOutcome) -> String {
    outcome
        .diagnostics
        .iter()
        .map(|d| render(d, &outcome.sources, Style::Human { color: false }, WIDTH))
        .collect()
}

#[test]
fn every_fixture_reports_exactly_the_codes_it_announces() {
    let failures: Vec<String> = fixtures()
        .iter()
        .filter_map(|fixture| {
            let found = codes(&check(fixture));
            (found != fixture.expected).then(|| {
                format!(
                    "{}: announced {:?}, reported {:?}",
                    fixture.name, fixture.expected, found
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_report_matches_its_snapshot() {
    for fixture in fixtures() {
        let stem = fixture.name.trim_end_matches(".qual").to_owned();
        let rendered = report(&check(&fixture));
        insta::with_settings!({
            snapshot_path => "snapshots/check_fixtures",
            prepend_module_to_snapshot => false,
            input_file => &fixture.path,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(stem, rendered);
        });
    }
}

#[test]
fn reports_are_the_same_on_every_run() {
    for fixture in fixtures() {
        assert_eq!(
            report(&check(&fixture)),
            report(&check(&fixture)),
            "{}",
            fixture.name
        );
    }
}

#[test]
fn failing_fixtures_build_no_rules() {
    for fixture in fixtures() {
        // Quotes are verified only once the rules have checked: their errors (Q13x) come
        // from rules that were built.
        let outcome = check(&fixture);
        let has_error = outcome
            .diagnostics
            .iter()
            .any(|d| d.is_error() && !d.code().as_str().starts_with("Q13"));
        assert_eq!(outcome.rules.is_none(), has_error, "{}", fixture.name);
    }
}

/// Codes that rule text can produce: syntax (Q0xx), names and units (Q1xx) and lints (Q2xx).
/// Applicant-data codes (Q3xx) are about applicant files, not rule files.
fn rule_codes() -> impl Iterator<Item = Code> {
    Code::ALL
        .iter()
        .copied()
        .filter(|c| ["Q0", "Q1", "Q2"].iter().any(|p| c.as_str().starts_with(p)))
}

/// Q000 reports a fault in qualify itself; no rule file may produce it (`tests/no_panic.rs`
/// checks that none does), so it can have no fixture. Q007 and Q008 are about the file or
/// the output, not the text; `tests/cli_files.rs` shows them through the binary. Q116 to
/// Q118 refuse a query on the command line, not rule text; `tests/cli_diagnostics.rs` shows
/// each through the binary. Q119 and Q120 are about the folders given, and Q009 about the
/// command line; `tests/cli_usage_errors.rs` shows them. Q129 is about a link in a folder
/// given; `tests/cli_files.rs` shows it.
const WITHOUT_FIXTURE: [Code; 10] = [
    Code::Internal,
    Code::NotARegularFile,
    Code::InputOutput,
    Code::CommandLine,
    Code::UnknownClass,
    Code::UnknownLevel,
    Code::NoVersionInForce,
    Code::NoInputFiles,
    Code::FoldersTooDeep,
    Code::LinkOutsideFolder,
];

#[test]
fn every_rule_code_has_a_fixture_named_after_it() {
    let fixtures = fixtures();
    let missing: Vec<&str> = rule_codes()
        .filter(|code| !WITHOUT_FIXTURE.contains(code))
        .filter(|code| {
            let prefix = format!("{}_", code.as_str().to_lowercase());
            !fixtures.iter().any(|f| {
                f.name.starts_with(&prefix) && f.expected.iter().any(|e| e == code.as_str())
            })
        })
        .map(Code::as_str)
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn every_code_has_one_entry_in_the_docs_in_code_order() {
    let docs = std::fs::read_to_string(root().join(DOCS)).unwrap();
    let headings: Vec<&str> = docs
        .lines()
        .filter(|line| line.starts_with("### Q"))
        .collect();
    let wanted: Vec<String> = Code::ALL
        .iter()
        .map(|code| format!("### {code}: {}", code.summary()))
        .collect();
    assert_eq!(headings, wanted);
}

/// Large rule sets are parsed on several threads; the report must not change.
#[test]
fn large_rule_sets_report_the_same_as_small_ones() {
    let inputs: Vec<SourceInput> = fixtures()
        .into_iter()
        .filter(|f| f.bytes.len() < 64 * 1024)
        .map(|f| SourceInput {
            name: f.name,
            bytes: f.bytes,
        })
        .collect();
    let padded: Vec<SourceInput> = inputs
        .iter()
        .map(|input| {
            let mut bytes = input.bytes.clone();
            bytes.extend_from_slice(format!("\n#{}\n", "-".repeat(32 * 1024)).as_bytes());
            SourceInput {
                name: input.name.clone(),
                bytes,
            }
        })
        .collect();
    let summary = |inputs: &[SourceInput]| -> Vec<String> {
        let outcome = check_sources(inputs);
        outcome
            .diagnostics
            .iter()
            .map(|d| {
                let file = outcome
                    .sources
                    .get(d.span().file)
                    .unwrap()
                    .name()
                    .to_owned();
                format!("{file} {} {}", d.code(), d.message())
            })
            .collect()
    };
    assert!(padded.iter().map(|i| i.bytes.len()).sum::<usize>() > 512 * 1024);
    assert_eq!(summary(&inputs), summary(&padded));
}
