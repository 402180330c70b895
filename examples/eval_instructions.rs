//! Runs one evaluation scenario N times, for counting instructions under
//! `valgrind --tool=callgrind` (a load-independent figure beside the criterion timings):
//! `eval_instructions SCENARIO N` with SCENARIO one of `record`, `traced`, `traced_words`
//! (the trace worded as `explain` words it), `k9099`, `k9099_months`, `decide`,
//! `decide_k9099`, `compile`, or `none` (setup only, to subtract).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::Path;

use jiff::civil::{Date, date};
use qualify::applicant::{Applicant, Education, Job};
use qualify::check::model::Exact;
use qualify::check::{SourceInput, check_sources};
use qualify::compile::compile;
use qualify::eval::{Facts, Query, decide, evaluate, evaluate_traced, evaluate_with_facts};
use qualify::syntax::ast::TierKind;

fn shipped_inputs() -> Vec<SourceInput> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut inputs: Vec<SourceInput> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qual"))
        .map(|p| SourceInput {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        })
        .collect();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    inputs
}

fn education(credential: &str, field: &str) -> Education {
    Education {
        credential: credential.into(),
        field: Some(field.into()),
        accredited: true,
        completed: None,
        credits: None,
        subjects: Vec::new(),
    }
}

fn job(category: &str, start: Date, end: Option<Date>, hours: Option<i64>) -> Job {
    Job {
        title: "job".into(),
        categories: vec![category.into()],
        start,
        end,
        hours_per_week: hours.map(Exact::from_integer),
    }
}

/// The applicant of `benches/eval.rs`.
fn applicant() -> Applicant {
    Applicant {
        id: Some("bench".into()),
        name: None,
        education: vec![
            education("high_school", "General"),
            education("associate", "Finance"),
        ],
        coursework: Vec::new(),
        experience: vec![
            job(
                "public_program_experience",
                date(2016, 3, 14),
                Some(date(2019, 8, 30)),
                None,
            ),
            job(
                "public_program_experience",
                date(2019, 1, 1),
                Some(date(2021, 12, 31)),
                None,
            ),
            job("social_worker_assistant", date(2022, 1, 10), None, Some(20)),
        ],
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scenario = args.get(1).map_or("record", String::as_str);
    let n: usize = args.get(2).map_or(1000, |s| s.parse().unwrap());
    let inputs = shipped_inputs();
    let checked = check_sources(&inputs).rules.unwrap();
    let program = compile(&checked);
    let a = applicant();
    let no_jobs = Applicant {
        experience: Vec::new(),
        ..applicant()
    };
    let as_of = date(2024, 6, 30);
    let all = Query::new(as_of);
    let k_min = Query::new(as_of).class("K9099").tier(TierKind::Minimum);
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
                    evaluate_with_facts(&mut facts, black_box(&k_min), false).unwrap(),
                ));
            }
            "decide" => decide(&program, &a, black_box(&all), &mut decisions).unwrap(),
            "decide_k9099" => decide(&program, &a, black_box(&k_min), &mut decisions).unwrap(),
            "compile" => drop(black_box(compile(black_box(&checked)))),
            _ => {}
        }
    }
}
