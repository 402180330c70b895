//! Benchmarks of reading applicant files (TOML and JSON) and writing them back as TOML, and
//! of reading and reporting files with thousands of mistakes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use qualify::applicant::{read, to_toml};
use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::diagnostics::render::{Style, render};
use qualify::source::SourceMap;

fn shipped_rules() -> CheckedRules {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut inputs: Vec<SourceInput> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "qual"))
        .map(|path| SourceInput {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&path).unwrap(),
        })
        .collect();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    check_sources(&inputs).rules.unwrap()
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/applicants")
            .join(name),
    )
    .unwrap()
}

fn bench_applicants(c: &mut Criterion) {
    let rules = shipped_rules();
    for name in ["g1099_overlapping_jobs.toml", "pa38480_direct.json"] {
        let bytes = example(name);
        c.bench_function(&format!("read {name}"), |b| {
            b.iter(|| {
                let mut sources = SourceMap::default();
                let outcome = read(&mut sources, name, black_box(&bytes), &rules);
                assert!(outcome.applicant.is_some());
                outcome
            })
        });
    }
    let mut sources = SourceMap::default();
    let applicant = read(
        &mut sources,
        "g1099_overlapping_jobs.toml",
        &example("g1099_overlapping_jobs.toml"),
        &rules,
    )
    .applicant
    .unwrap();
    c.bench_function("to_toml g1099_overlapping_jobs", |b| {
        b.iter(|| to_toml(black_box(&applicant)))
    });
}

/// A valid applicant with `keys` unknown top-level keys before it: a TOML file with one key
/// a line, or a JSON file on one line.
fn with_unknown_keys(keys: usize, json: bool) -> Vec<u8> {
    let names = (0..keys).map(|i| format!("unknown_key_{i}"));
    if json {
        let mut text = String::from("{");
        for name in names {
            text.push_str(&format!("\"{name}\":1,"));
        }
        let applicant = String::from_utf8(example("pa38480_direct.json")).unwrap();
        text.push_str(
            applicant
                .trim()
                .trim_start_matches('{')
                .replace('\n', " ")
                .as_str(),
        );
        text.into_bytes()
    } else {
        let mut text: String = names.map(|name| format!("{name} = 1\n")).collect();
        text.push_str(&String::from_utf8(example("g1099_overlapping_jobs.toml")).unwrap());
        text.into_bytes()
    }
}

/// Reading a file with 1,000 and with 10,000 unknown keys and rendering every diagnostic:
/// each is placed through the file's line index, so ten times the keys take about ten times
/// as long, also when the whole file is one line.
fn bench_unknown_keys(c: &mut Criterion) {
    let rules = shipped_rules();
    let mut group = c.benchmark_group("read and render unknown keys");
    group.sample_size(10);
    let styles = [
        ("human", Style::Human { color: false }),
        ("json", Style::Json),
    ];
    for (kind, json) in [("toml", false), ("json one line", true)] {
        for keys in [1_000, 10_000] {
            let bytes = with_unknown_keys(keys, json);
            let name = if json { "many.json" } else { "many.toml" };
            for (style_name, style) in styles {
                let id = BenchmarkId::new(format!("{kind}, {style_name}"), keys);
                group.bench_with_input(id, &bytes, |b, bytes| {
                    b.iter(|| {
                        let mut sources = SourceMap::default();
                        let outcome = read(&mut sources, name, black_box(bytes), &rules);
                        assert_eq!(outcome.diagnostics.len(), keys);
                        outcome
                            .diagnostics
                            .iter()
                            .map(|d| render(d, &sources, style, 100).len())
                            .sum::<usize>()
                    })
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench_applicants, bench_unknown_keys);
criterion_main!(benches);
