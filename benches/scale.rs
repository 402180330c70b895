//! Benchmarks that show work growing in proportion to the input, each at two sizes ten times
//! apart: field sets in a chain, each including the two before, and in one loop (checked);
//! unused experience categories and misspelt names among thousands (checked); rule sets of K9099-shaped classes (compiled,
//! evaluated whole, and one class explained); and one class of such a rule set read, checked,
//! compiled and explained, the others passed over unread.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;
use qualify::applicant::{Applicant, Education, Job};
use qualify::check::{RootedInput, SourceInput, check_rooted_classes, check_sources};
use qualify::compile::compile;
use qualify::eval::{Query, evaluate, evaluate_traced};

#[path = "support/many_classes.rs"]
mod many_classes;
use many_classes::k9099_classes;

/// The two sizes of every benchmark here.
const SIZES: [usize; 2] = [1_000, 10_000];

fn input(name: &str, text: String) -> SourceInput {
    SourceInput {
        name: name.to_owned(),
        bytes: text.into_bytes(),
    }
}

/// `count` field sets, each listing a field and including the set before it.
fn chain(count: usize) -> String {
    let mut text = String::from("fields s0 \"set\" {\n  \"Field 0\"\n}\n");
    for i in 1..count {
        writeln!(
            text,
            "fields s{i} \"set\" {{\n  s{}\n  \"Field {i}\"\n}}",
            i - 1
        )
        .unwrap();
    }
    text
}

/// `count` field sets, each listing a field and including the two sets before it.
fn two_before(count: usize) -> String {
    let mut text = String::from("fields s0 \"set\" {\n  \"Field 0\"\n}\n");
    text.push_str("fields s1 \"set\" {\n  \"Field 1\"\n}\n");
    for i in 2..count {
        writeln!(
            text,
            "fields s{i} \"set\" {{\n  s{}\n  s{}\n  \"Field {i}\"\n}}",
            i - 1,
            i - 2
        )
        .unwrap();
    }
    text
}

/// `count` field sets, each including the next and the last the first: one Q115.
fn one_loop(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        writeln!(text, "fields s{i} \"set\" {{\n  s{}\n}}", (i + 1) % count).unwrap();
    }
    text
}

/// `count` experience categories that no rule uses: one Q204 each.
fn unused_categories(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        writeln!(
            text,
            "experience category_{i}\n  \"experience of kind {i}\""
        )
        .unwrap();
    }
    text
}

/// `count` field sets, each including a misspelt name of the next (`s1x`): one Q101 with a
/// "did you mean" search among every set, and one Q204, for each set.
fn misspelt_includes(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        writeln!(
            text,
            "fields s{i} \"set\" {{\n  s{}x\n  \"Field {i}\"\n}}",
            (i + 1) % count
        )
        .unwrap();
    }
    text
}

/// A shape of vocabulary: its name, its text at a size, and how many diagnostics it gives.
type Shape = (&'static str, fn(usize) -> String, fn(usize) -> usize);

fn bench_vocabulary(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale/check");
    group.sample_size(10);
    // Each shape with the diagnostics it gives: the last set of a chain is unused (Q204),
    // a loop is one Q115, and every unused category is a Q204.
    let shapes: [Shape; 5] = [
        ("field_set_chain", chain, |_| 1),
        ("field_sets_two_before", two_before, |_| 1),
        ("field_set_loop", one_loop, |_| 1),
        ("unused_categories", unused_categories, |size| size),
        ("misspelt_includes", misspelt_includes, |size| 2 * size),
    ];
    for (shape, generate, diagnostics) in shapes {
        for size in SIZES {
            let inputs = vec![input("vocabulary.qual", generate(size))];
            let outcome = check_sources(&inputs);
            assert_eq!(
                outcome.diagnostics.len(),
                diagnostics(size),
                "{shape} {size}"
            );
            group.throughput(Throughput::Elements(size as u64));
            group.bench_with_input(BenchmarkId::new(shape, size), &inputs, |b, inputs| {
                b.iter(|| check_sources(black_box(inputs)))
            });
        }
    }
    group.finish();
}

/// An associate in Finance and three years of public program experience.
fn applicant() -> Applicant {
    Applicant {
        id: Some("scale".into()),
        name: None,
        education: vec![Education {
            credential: "associate".into(),
            field: Some("Finance".into()),
            accredited: true,
            completed: None,
            credits: None,
            subjects: Vec::new(),
        }],
        coursework: Vec::new(),
        experience: vec![Job {
            title: "Eligibility Interviewer".into(),
            categories: vec!["public_program_experience".into()],
            start: date(2019, 1, 1),
            end: Some(date(2021, 12, 31)),
            hours_per_week: None,
        }],
    }
}

fn bench_classes(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale/classes");
    group.sample_size(10);
    let applicant = applicant();
    let as_of = date(2024, 6, 30);
    for size in SIZES {
        let checked = check_sources(&k9099_classes(size)).rules.unwrap();
        let program = compile(&checked);
        assert_eq!(program.classes().len(), size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::new("compile", size), &checked, |b, checked| {
            b.iter(|| compile(black_box(checked)))
        });
        let all = Query::new(as_of);
        group.bench_with_input(
            BenchmarkId::new("eval_all", size),
            &program,
            |b, program| {
                b.iter(|| evaluate(black_box(program), black_box(&applicant), &all).unwrap())
            },
        );
        let one = Query::new(as_of).class(format!("K{:06}", size / 2));
        group.bench_with_input(
            BenchmarkId::new("explain_one_class", size),
            &program,
            |b, program| {
                b.iter(|| {
                    let traced =
                        evaluate_traced(black_box(program), black_box(&applicant), &one).unwrap();
                    qualify::explain::tree(program, &traced)
                })
            },
        );
    }
    group.finish();
}

/// What `qualify explain --class` does with a large rule set: read and check the one class
/// with the vocabulary (the others passed over unread), compile it, and explain it.
fn bench_one_class_of_many(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale/one_class_of_many");
    group.sample_size(10);
    let applicant = applicant();
    let as_of = date(2024, 6, 30);
    for size in SIZES {
        let inputs: Vec<RootedInput> = k9099_classes(size)
            .into_iter()
            .map(|input| RootedInput {
                path_in_rules: input.name.clone(),
                input,
            })
            .collect();
        let code = format!("K{:06}", size / 2);
        let one = Query::new(as_of).class(code.clone());
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(
            BenchmarkId::new("check_compile_explain", size),
            &inputs,
            |b, inputs| {
                b.iter(|| {
                    let checked =
                        check_rooted_classes(black_box(inputs), std::slice::from_ref(&code))
                            .rules
                            .unwrap();
                    let program = compile(&checked);
                    let traced = evaluate_traced(&program, &applicant, &one).unwrap();
                    qualify::explain::tree(&program, &traced)
                })
            },
        );
    }
    group.finish();
}

/// What `qualify eval` does with a large rule set after reading its files: check every
/// class (file by file, on every core), compile, evaluate one applicant against every class,
/// and lay out the table with labels. The whole process at 100,000 classes is timed as
/// `docs/performance.md` describes.
fn bench_eval_pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale/eval_pipeline");
    group.sample_size(10);
    let applicant = applicant();
    let all = Query::new(date(2024, 6, 30));
    for size in SIZES {
        let inputs = k9099_classes(size);
        let table = |inputs: &[qualify::check::SourceInput]| {
            let checked = check_sources(inputs).rules.unwrap();
            let program = compile(&checked);
            let record = evaluate(&program, &applicant, &all).unwrap();
            qualify::explain::labelled(&program, &qualify::explain::table(&record))
        };
        // A heading, the column names, and seven rows a class (three levels, their tiers).
        assert_eq!(table(&inputs).lines().count(), 2 + 7 * size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(
            BenchmarkId::new("check_compile_eval_table", size),
            &inputs,
            |b, inputs| b.iter(|| table(black_box(inputs))),
        );
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_vocabulary,
    bench_classes,
    bench_one_class_of_many,
    bench_eval_pipeline
);
criterion_main!(benches);
