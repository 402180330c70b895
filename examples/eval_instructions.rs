//! Runs one evaluation scenario N times, for counting instructions under
//! `valgrind --tool=callgrind` (a load-independent figure beside the criterion timings):
//! `eval_instructions SCENARIO N` with SCENARIO one of `record`, `traced`, `traced_words`
//! (the trace worded as `explain` words it), `k9099`, `k9099_months`, `decide`,
//! `decide_k9099`, `compile`, `fractional_1000` or `fractional_10000` (K9099's minimum
//! tiers for that many overlapping part-time jobs), or `none` (setup only, to subtract).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator the `qualify` binary uses, as in the benchmarks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/scenario.rs"]
mod scenario;

use std::hint::black_box;

use qualify::applicant::Applicant;
use qualify::check::model::Exact;
use qualify::compile::compile;
use qualify::eval::{Facts, Query, decide, evaluate, evaluate_traced, evaluate_with_facts};
use qualify::syntax::ast::TierKind;
use scenario::{applicant, as_of, checked_rules, fractional_jobs};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scenario = args.get(1).map_or("record", String::as_str);
    let n: usize = args.get(2).map_or(1000, |s| s.parse().unwrap());
    let checked = checked_rules();
    let program = compile(&checked);
    let a = applicant();
    let no_jobs = Applicant {
        experience: Vec::new(),
        ..applicant()
    };
    let as_of = as_of();
    let all = Query::new(as_of);
    let k_min = Query::new(as_of).class("K9099").tier(TierKind::Minimum);
    let many = match scenario {
        "fractional_1000" => fractional_jobs(1_000),
        "fractional_10000" => fractional_jobs(10_000),
        _ => Applicant::default(),
    };
    let mut decisions = Vec::new();
    for _ in 0..n {
        match scenario {
            "record" => drop(black_box(evaluate(&program, &a, black_box(&all)).unwrap())),
            "traced" => drop(black_box(
                evaluate_traced(&program, &a, black_box(&all)).unwrap(),
            )),
            "traced_words" => {
                let e = evaluate_traced(&program, &a, black_box(&all)).unwrap();
                drop(black_box(qualify::explain::audit::tiers(&e)));
            }
            "k9099" => drop(black_box(
                evaluate(&program, &a, black_box(&k_min)).unwrap(),
            )),
            "k9099_months" => {
                let mut facts = Facts::new(&program, program.tree(), &no_jobs, as_of);
                facts.preset_experience(&["public_program_experience"], Exact::from_integer(62));
                drop(black_box(
                    evaluate_with_facts(facts, black_box(&k_min), false).unwrap(),
                ));
            }
            "decide" => decide(&program, &a, black_box(&all), &mut decisions).unwrap(),
            "decide_k9099" => decide(&program, &a, black_box(&k_min), &mut decisions).unwrap(),
            "compile" => drop(black_box(compile(black_box(&checked)))),
            "fractional_1000" | "fractional_10000" => drop(black_box(
                evaluate(&program, &many, black_box(&k_min)).unwrap(),
            )),
            _ => {}
        }
    }
}
