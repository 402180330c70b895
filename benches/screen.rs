//! Benchmarks of screening one applicant of a pool, part by part: reading and checking a
//! JSON Lines line, evaluating every shipped class, level and tier, hashing the line, and
//! writing the compact record; and the whole of it, as each thread of `qualify screen` does.
//! The pool's lines come from `examples/generate_pool.rs`'s shape (see `docs/screening.md`
//! for the whole-process measurement).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/scenario.rs"]
#[allow(dead_code)]
mod scenario;

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qualify::applicant::Format;
use qualify::compile::compile;
use qualify::eval::{Query, evaluate};
use qualify::screen::record::{Names, applicant_hash, compact_line};
use qualify::screen::{Extras, Item, Rendering, Screener};
use scenario::{as_of, checked_rules};

/// Lines shaped like the generated pool's: a diploma and a degree, coursework, three jobs
/// (one part-time, one current), a group.
const LINES: &[&str] = &[
    r#"{"id":"P-0000003","name":"Hana Lopez","group":"group B","education":[{"credential":"high_school","completed":"2001-06-01"},{"credential":"bachelor","field":"Psychology","accredited":true,"completed":"2016-05-15"}],"coursework":[{"field":"History","accredited":true,"credits":40,"credit_unit":"quarter"}],"experience":[{"title":"Benefits Office Clerk","categories":["sud_mh_counseling"],"start":"2006-09-08","end":"2011-11-22"},{"title":"Case Aide","categories":["social_worker_assistant"],"start":"2018-06-02"},{"title":"Program Analyst","categories":["public_program_experience"],"start":"2012-01-09","end":"2016-03-01","hours_per_week":20}]}"#,
    r#"{"id":"P-0000002","name":"Eli Mwangi","group":"group A","education":[{"credential":"high_school","completed":"1995-06-01"},{"credential":"associate","field":"Social Work","accredited":true,"completed":"2003-05-15"}],"experience":[{"title":"Patient Accounts Representative","categories":["sud_mh_counseling"],"start":"2021-07-15","end":"2022-11-03"}]}"#,
];

fn item(index: usize) -> Item {
    Item {
        file: Arc::from("pool.jsonl"),
        line: Some(index as u64 + 1),
        index: index as u64,
        format: Format::Json,
        bytes: LINES[index % LINES.len()].as_bytes().to_vec(),
        failure: None,
        whole_hash: None,
    }
}

fn screen_parts(c: &mut Criterion) {
    let rules = checked_rules();
    let program = compile(&rules);
    let query = Query::new(as_of());
    let screener = Screener::new(
        &program,
        &rules,
        query.clone(),
        Rendering::Jsonl,
        Extras::default(),
    );
    let item = item(0);
    let Ok((applicant, _)) = screener.read(&item) else {
        panic!("the line reads");
    };
    let evaluation = evaluate(&program, &applicant, &query).expect("evaluates");
    let hash = applicant_hash(&item.bytes);
    let names = Names::of(program.names());

    let mut group = c.benchmark_group("screen_one");
    group.throughput(Throughput::Elements(1));
    group.bench_function("read_and_check_line", |b| {
        b.iter(|| {
            let read = screener.read(black_box(&item));
            black_box(read.is_ok());
        })
    });
    group.bench_function("evaluate_all_classes", |b| {
        b.iter(|| {
            let evaluation = evaluate(&program, black_box(&applicant), &query).unwrap();
            black_box(&evaluation);
        })
    });
    group.bench_function("hash_line", |b| {
        b.iter(|| black_box(applicant_hash(black_box(&item.bytes))))
    });
    group.bench_function("write_compact_record", |b| {
        b.iter(|| {
            let line = compact_line(black_box(&evaluation), &query, item.source(), &hash, names);
            black_box(line.len());
        })
    });
    group.bench_function("whole_applicant", |b| {
        b.iter(|| {
            let screened = screener.screen(black_box(&item));
            black_box(screened.output.len());
        })
    });
    group.finish();
}

criterion_group!(benches, screen_parts);
criterion_main!(benches);
