//! Benchmarks of `qualify::format::format_rule_text`, as `qualify fmt` runs it on each file:
//! the shipped rules (target: under 10 ms) and the generated rule set of 1,000 classes of
//! `benches/check.rs` (target: under 100 ms), and the same classes written on one line per
//! file at two sizes (linear in the length). Each run formats, then parses and compares the
//! result with its source, as every run of `qualify fmt` does (the shipped rules are
//! formatted already, and a text the layout leaves unchanged is not read again). Files are
//! formatted on every core, and a large file is worked on every core too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// The rule sets of the checking benchmarks, and the allocator the binary uses.
#[path = "check.rs"]
#[allow(dead_code)]
mod check_bench;

use std::hint::black_box;

use rayon::prelude::*;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use qualify::check::SourceInput;
use qualify::format::format_rule_text;
use qualify::source::FileId;

/// Formats every file, on every core as `qualify fmt` does; panics if one is refused.
fn format_all(inputs: &[(String, String)]) -> usize {
    inputs
        .par_iter()
        .map(|(name, text)| {
            format_rule_text(FileId(0), text)
                .unwrap_or_else(|d| panic!("{name} was not formatted: {d:?}"))
                .len()
        })
        .sum()
}

fn texts(inputs: Vec<SourceInput>) -> Vec<(String, String)> {
    inputs
        .into_iter()
        .map(|input| (input.name, String::from_utf8(input.bytes).unwrap()))
        .collect()
}

fn bench_fmt(c: &mut Criterion) {
    let mut group = c.benchmark_group("fmt");
    let shipped = texts(check_bench::shipped_rules());
    group.bench_function("shipped_rules", |b| {
        b.iter(|| format_all(black_box(&shipped)))
    });
    let classes = 1000usize;
    let generated = texts(check_bench::generated_rules(classes));
    group.throughput(Throughput::Elements(classes as u64));
    group.bench_with_input(
        BenchmarkId::new("generated", classes),
        &generated,
        |b, inputs| b.iter(|| format_all(black_box(inputs))),
    );
    group.finish();
    // The same classes written on one line each file, at two sizes: finding each item of a
    // file is linear in its length, however few lines it has.
    let mut one_line = c.benchmark_group("fmt_one_line");
    for classes in [250usize, 1000] {
        let flattened: Vec<(String, String)> = texts(check_bench::generated_rules(classes))
            .into_iter()
            .filter(|(name, _)| name.starts_with("generated_classes"))
            .map(|(name, text)| {
                assert!(!text.contains('#'), "a comment would end at the line break");
                (name, text.replace('\n', " "))
            })
            .collect();
        one_line.throughput(Throughput::Elements(classes as u64));
        one_line.bench_with_input(
            BenchmarkId::new("generated", classes),
            &flattened,
            |b, inputs| b.iter(|| format_all(black_box(inputs))),
        );
    }
    one_line.finish();
}

criterion_group!(benches, bench_fmt);
criterion_main!(benches);
