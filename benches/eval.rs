//! Benchmarks of evaluation: one applicant with dated jobs against every shipped class,
//! level and tier (with and without the trace, and the trace worded for the auditor); K9099's three minimum tiers alone, from
//! dated jobs and from experience already totalled in months, beside a hand-written Rust
//! function for the same three tiers; the same with decisions alone (`decide`, no record);
//! K9099's minimum tiers for 1,000 and 10,000 overlapping part-time jobs at fractional
//! hours (crediting grows as n log n); and loading, checking and compiling the shipped rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/scenario.rs"]
mod scenario;

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use qualify::applicant::Applicant;
use qualify::check::check_sources;
use qualify::check::model::Exact;
use qualify::compile::{Program, compile};
use qualify::eval::{
    Facts, Query, decide, decide_with_facts, evaluate, evaluate_traced, evaluate_with_facts,
};
use qualify::syntax::ast::TierKind;
use scenario::{applicant, as_of, checked_rules, fractional_jobs, shipped_inputs};

/// The same three tiers by hand: K9099 B, O and A minimum, experience in whole months.
#[inline(never)]
fn handwritten_k9099_minimum(
    diploma: bool,
    associate_admin: bool,
    related_education_months: i64,
    experience_months: i64,
) -> [bool; 3] {
    let basic = diploma && experience_months >= 6;
    let operational = (associate_admin && experience_months >= 24)
        || related_education_months + experience_months >= 48;
    let advanced = (associate_admin && experience_months >= 36)
        || related_education_months + experience_months >= 60;
    [basic, operational, advanced]
}

/// Keeps a benchmark's result observable, then drops it, inside the timed loop. The
/// closures hand criterion nothing back: criterion 0.5 passes a returned value through its
/// own `black_box`, a volatile read of the whole value, which for a decision record
/// (about 1.6 KB) costs several hundred nanoseconds of copying that no caller pays. The
/// record is still built in full, since `std::hint::black_box` lets the compiler assume
/// every byte of it is read, and freeing it is still timed.
fn observed<T>(value: T) {
    black_box(&value);
}

fn benches(c: &mut Criterion) {
    let checked = checked_rules();
    let program = compile(&checked);
    let a = applicant();
    let as_of = as_of();
    let all = Query::new(as_of);
    let k_min = Query::new(as_of).class("K9099").tier(TierKind::Minimum);

    c.bench_function("eval/all_classes/untraced", |b| {
        b.iter(|| observed(evaluate(black_box(&program), black_box(&a), black_box(&all)).unwrap()))
    });
    c.bench_function("eval/all_classes/traced", |b| {
        b.iter(|| {
            observed(evaluate_traced(black_box(&program), black_box(&a), black_box(&all)).unwrap())
        })
    });
    c.bench_function("explain/all_classes/traced_and_worded", |b| {
        b.iter(|| {
            let traced =
                evaluate_traced(black_box(&program), black_box(&a), black_box(&all)).unwrap();
            qualify::explain::audit::tiers(&traced).len()
        })
    });
    c.bench_function("eval/k9099_minimum/dated_jobs", |b| {
        b.iter(|| {
            observed(evaluate(black_box(&program), black_box(&a), black_box(&k_min)).unwrap())
        })
    });
    let no_jobs = Applicant {
        experience: Vec::new(),
        ..applicant()
    };
    let months = Exact::from_integer(62);
    c.bench_function("eval/k9099_minimum/pretotalled_months", |b| {
        b.iter(|| {
            let mut facts = Facts::new(&program, program_tree(&program), &no_jobs, as_of);
            facts.preset_experience(&["public_program_experience"], black_box(months));
            observed(evaluate_with_facts(facts, black_box(&k_min), false).unwrap())
        })
    });
    let mut decisions = Vec::new();
    c.bench_function("decide/all_classes", |b| {
        b.iter(|| {
            decide(
                black_box(&program),
                black_box(&a),
                black_box(&all),
                &mut decisions,
            )
        })
    });
    c.bench_function("decide/k9099_minimum/dated_jobs", |b| {
        b.iter(|| {
            decide(
                black_box(&program),
                black_box(&a),
                black_box(&k_min),
                &mut decisions,
            )
        })
    });
    c.bench_function("decide/k9099_minimum/pretotalled_months", |b| {
        b.iter(|| {
            let mut facts = Facts::new(&program, program_tree(&program), &no_jobs, as_of);
            facts.preset_experience(&["public_program_experience"], black_box(months));
            decide_with_facts(&mut facts, black_box(&k_min), &mut decisions)
        })
    });
    c.bench_function("eval/k9099_minimum/handwritten_rust", |b| {
        b.iter(|| {
            handwritten_k9099_minimum(
                black_box(true),
                black_box(true),
                black_box(24),
                black_box(62),
            )
        })
    });
    let mut fractional = c.benchmark_group("eval/fractional_jobs");
    fractional.sample_size(20);
    for n in [1_000, 10_000] {
        let many = fractional_jobs(n);
        fractional.bench_function(n.to_string(), |b| {
            b.iter(|| {
                observed(
                    evaluate(black_box(&program), black_box(&many), black_box(&k_min)).unwrap(),
                )
            })
        });
    }
    fractional.finish();
    let inputs = shipped_inputs();
    c.bench_function("load_check_compile/shipped_rules", |b| {
        b.iter(|| observed(compile(&check_sources(black_box(&inputs)).rules.unwrap())))
    });
    c.bench_function("compile_only/shipped_rules", |b| {
        b.iter(|| observed(compile(black_box(&checked))))
    });
}

fn program_tree(program: &Program) -> &qualify::compile::Tree {
    program.tree()
}

criterion_group!(eval, benches);
criterion_main!(eval);
