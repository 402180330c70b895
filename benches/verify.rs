//! `qualify verify`'s search: the shipped rules, and generated rule sets of 100 and 1,000
//! classes (copies of the three shipped classes in turn, each under its own code), whose
//! time per class should be flat, since each class is compiled and searched alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/scenario.rs"]
#[allow(dead_code)]
mod scenario;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use qualify::check::{SourceInput, check_sources};
use qualify::compile::compile;

use scenario::shipped_inputs;

/// The generated rule sets' sizes, in classes.
const SIZES: [usize; 2] = [100, 1_000];

/// The shipped rules with each class file's class repeated under new codes, `count`
/// classes in all, the three shipped classes in turn.
fn corpus(count: usize) -> Vec<SourceInput> {
    let shipped = shipped_inputs();
    let mut inputs = Vec::new();
    let mut classes: Vec<(String, String)> = Vec::new();
    for input in shipped {
        let text = String::from_utf8(input.bytes).unwrap();
        match text.find("\nclass ") {
            Some(at) => {
                let (vocabulary, class) = text.split_at(at);
                let code = class["\nclass ".len()..]
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_owned();
                inputs.push(SourceInput {
                    name: input.name.clone(),
                    bytes: vocabulary.as_bytes().to_vec(),
                });
                classes.push((code, class.to_owned()));
            }
            None => inputs.push(SourceInput {
                name: input.name,
                bytes: text.into_bytes(),
            }),
        }
    }
    let mut text = String::new();
    for i in 0..count {
        let (code, class) = &classes[i % classes.len()];
        text.push_str(&class.replace(code.as_str(), &format!("V{i:06}")));
    }
    inputs.push(SourceInput {
        name: "generated.qual".to_owned(),
        bytes: text.into_bytes(),
    });
    inputs
}

fn bench_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    let rules = check_sources(&shipped_inputs()).rules.unwrap();
    let program = compile(&rules);
    group.bench_function("shipped", |b| {
        b.iter(|| qualify::verify::verify(black_box(&rules), black_box(&program)))
    });
    for size in SIZES {
        let outcome = check_sources(&corpus(size));
        let rules = outcome.rules.unwrap();
        let program = compile(&rules);
        assert_eq!(program.classes().len(), size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::new("corpus", size), &size, |b, _| {
            b.iter(|| qualify::verify::verify(black_box(&rules), black_box(&program)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
