//! Benchmarks of `qualify::check::quotes::verify_quotes`: the shipped rules against their
//! three source documents, and one quote that does not occur (so its closest passage is
//! searched for) in documents of 10 and 100 copies of the K9099 description, to show the
//! cost growing in proportion to the document.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use qualify::check::quotes::{SourceDocument, verify_quotes};
use qualify::check::{CheckedRules, SourceInput, check_sources};

const K9099_SOURCE: &str = "000_d8c2fb164fd20970.txt";

fn read_folder(folder: &Path, extension: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .filter(|path| extension.is_none_or(|e| path.extension().is_some_and(|x| x == e)))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn check(inputs: Vec<SourceInput>) -> CheckedRules {
    check_sources(&inputs).rules.expect("the rules check")
}

fn shipped() -> (CheckedRules, Vec<SourceDocument>) {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let inputs = read_folder(&rules, Some("qual"))
        .into_iter()
        .map(|(name, bytes)| SourceInput { name, bytes })
        .collect();
    let documents = read_folder(&rules.join("sources"), None)
        .into_iter()
        .map(|(name, bytes)| SourceDocument { name, bytes })
        .collect();
    (check(inputs), documents)
}

/// One class citing K9099's Basic minimum with one word changed, and a document of
/// `copies` copies of the K9099 description.
fn missing_quote(copies: usize) -> (CheckedRules, Vec<SourceDocument>) {
    let rules = format!(
        r#"profile p {{
  jurisdiction "Bench"
  credential high_school "High school diploma" worth 0 years
  a year of education is 30 semester credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}}
experience e "experience"
class K1 "Bench" {{
  profile p
  source "{K9099_SOURCE}"
  established 2020-01-01
  level B code "K1B" band 50 {{
    minimum
      cite "Minimum Qualifications"
      quote "High school diploma or GED and seven (6) months experience with a public"
            "assistance program, medical, healthcare, educational and/or state facility":
      high_school and 6 months of e
  }}
}}
"#
    );
    let rules = check(vec![SourceInput {
        name: "bench.qual".to_owned(),
        bytes: rules.into_bytes(),
    }]);
    let seed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules/sources")
            .join(K9099_SOURCE),
    )
    .unwrap();
    let mut bytes = Vec::with_capacity(seed.len() * copies);
    for _ in 0..copies {
        bytes.extend_from_slice(&seed);
        bytes.push(b'\n');
    }
    let documents = vec![SourceDocument {
        name: K9099_SOURCE.to_owned(),
        bytes,
    }];
    (rules, documents)
}

fn benches(c: &mut Criterion) {
    let (rules, documents) = shipped();
    assert!(verify_quotes(&rules, &documents).is_empty());
    c.bench_function("verify_quotes/shipped", |b| {
        b.iter(|| verify_quotes(black_box(&rules), black_box(&documents)))
    });
    let mut group = c.benchmark_group("verify_quotes/missing_quote");
    for copies in [10, 100] {
        let (rules, documents) = missing_quote(copies);
        assert_eq!(verify_quotes(&rules, &documents).len(), 1);
        group.throughput(Throughput::Bytes(documents[0].bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(copies), &copies, |b, _| {
            b.iter(|| verify_quotes(black_box(&rules), black_box(&documents)))
        });
    }
    group.finish();
}

criterion_group!(quote_benches, benches);
criterion_main!(quote_benches);
