//! Benchmarks of reading applicant files (TOML and JSON) and writing them back as TOML.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use qualify::applicant::{read, to_toml};
use qualify::check::{CheckedRules, SourceInput, check_sources};
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

criterion_group!(benches, bench_applicants);
criterion_main!(benches);
