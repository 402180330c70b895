//! Benchmarks of `qualify test --coverage` in process on the shipped rules and their suite
//! (`rules/tests/`): from the bytes of every rule, test and applicant file to the worded
//! report and coverage table, and the run alone once everything is read. Target: under
//! 10 ms from bytes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use qualify::applicant;
use qualify::check::{SourceInput, check_sources};
use qualify::compile::compile;
use qualify::rule_tests::{self, ApplicantSource, Report, TestFile};

/// Every file of a folder with one of the extensions, as (path, bytes), in name order.
fn files(folder: &Path, extensions: &[&str]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
        })
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    found.sort();
    found
}

/// Every input `qualify test` reads, already in memory.
struct Inputs {
    rules: Vec<SourceInput>,
    tests: Vec<(PathBuf, Vec<u8>)>,
    applicants: HashMap<PathBuf, Vec<u8>>,
}

fn inputs() -> Inputs {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = files(&root.join("rules"), &["qual"])
        .into_iter()
        .map(|(path, bytes)| SourceInput {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            bytes,
        })
        .collect();
    let tests = files(&root.join("rules/tests"), &["toml"]);
    let applicants = files(&root.join("examples/applicants"), &["toml", "json"])
        .into_iter()
        .map(|(path, bytes)| (path.canonicalize().unwrap(), bytes))
        .collect();
    Inputs {
        rules,
        tests,
        applicants,
    }
}

/// The test files read against the checked rules, with their applicants filled in.
fn read_suite(
    inputs: &Inputs,
    sources: &mut qualify::source::SourceMap,
    checked: &qualify::check::CheckedRules,
    program: &qualify::compile::Program,
) -> Vec<TestFile> {
    let mut files: Vec<TestFile> = Vec::new();
    for (path, bytes) in &inputs.tests {
        let read =
            rule_tests::read_tests(sources, &path.to_string_lossy(), bytes, checked, program);
        let mut file = read.tests.unwrap();
        for test in &mut file.tests {
            if let ApplicantSource::File { path: relative, .. } = &test.source {
                let full = path
                    .parent()
                    .unwrap()
                    .join(relative)
                    .canonicalize()
                    .unwrap();
                let bytes = &inputs.applicants[&full];
                let name = full.to_string_lossy();
                let read = applicant::read(sources, &name, bytes, checked);
                test.applicant = read.applicant;
            }
        }
        files.push(file);
    }
    files
}

/// What `qualify test --coverage` does between reading files and printing: check and
/// compile the rules, read the tests and their applicants, run them, and word the report
/// and the coverage table.
fn run_suite(inputs: &Inputs) -> (Report, String) {
    let mut outcome = check_sources(&inputs.rules);
    let checked = outcome.rules.take().unwrap();
    let program = compile(&checked);
    let files = read_suite(inputs, &mut outcome.sources, &checked, &program);
    let report = rule_tests::run(&program, &files);
    let text = format!(
        "{}{}",
        rule_tests::report_text(&report),
        rule_tests::coverage_table(&report.coverage)
    );
    (report, text)
}

fn benches(c: &mut Criterion) {
    let inputs = inputs();
    let (report, _) = run_suite(&inputs);
    assert_eq!(report.failed(), 0);
    assert!(report.results.len() > 100);
    c.bench_function("rule_tests/shipped_suite/from_bytes", |b| {
        b.iter(|| black_box(run_suite(black_box(&inputs))));
    });
    let mut outcome = check_sources(&inputs.rules);
    let checked = outcome.rules.take().unwrap();
    let program = compile(&checked);
    let files = read_suite(&inputs, &mut outcome.sources, &checked, &program);
    c.bench_function("rule_tests/shipped_suite/run_only", |b| {
        b.iter(|| black_box(rule_tests::run(black_box(&program), black_box(&files))));
    });
}

criterion_group!(rule_test_benches, benches);
criterion_main!(rule_test_benches);
