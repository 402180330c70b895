//! Benchmarks of the `qualify` binary reading the file system: a folder with symbolic links
//! two per level (10 and 20 levels: a thousand times more paths, a few more folders) and a
//! sparse applicant file far above the size limit (100 MB and 2 GB), to show that the work
//! follows the files there are, not the paths to them nor the size a file claims.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn qualify() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qualify"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// `levels` folders below `root`, each with two links to the next; the shipped rules in the
/// last one.
#[cfg(unix)]
fn linked_folders(root: &Path, levels: usize) {
    for level in 0..=levels {
        std::fs::create_dir_all(root.join(format!("l{level:02}"))).unwrap();
    }
    for level in 0..levels {
        let next = format!("../l{:02}", level + 1);
        let dir = root.join(format!("l{level:02}"));
        std::os::unix::fs::symlink(&next, dir.join("a")).unwrap();
        std::os::unix::fs::symlink(&next, dir.join("b")).unwrap();
    }
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(rules).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "qual") {
            continue;
        }
        let last = root.join(format!("l{levels:02}"));
        std::fs::copy(&path, last.join(path.file_name().unwrap())).unwrap();
    }
}

#[cfg(unix)]
fn bench_linked_folders(c: &mut Criterion) {
    let mut group = c.benchmark_group("check a folder of links two per level");
    group.sample_size(20);
    for levels in [10, 20] {
        let tmp = tempfile::tempdir().unwrap();
        linked_folders(tmp.path(), levels);
        group.bench_with_input(BenchmarkId::from_parameter(levels), &levels, |b, _| {
            b.iter(|| {
                let output = qualify().arg("check").arg(tmp.path()).output().unwrap();
                assert_eq!(output.status.code(), Some(0));
            });
        });
    }
    group.finish();
}

#[cfg(not(unix))]
fn bench_linked_folders(_: &mut Criterion) {}

fn bench_sparse_applicant(c: &mut Criterion) {
    let mut group = c.benchmark_group("eval a sparse applicant above the size limit");
    group.sample_size(20);
    for megabytes in [100_u64, 2048] {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("huge.toml");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(megabytes * 1024 * 1024).unwrap();
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{megabytes} MB")),
            &path,
            |b, path| {
                b.iter(|| {
                    let output = qualify()
                        .args(["eval", "--as-of", "2024-06-30"])
                        .arg(path)
                        .output()
                        .unwrap();
                    assert_eq!(output.status.code(), Some(1));
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_linked_folders, bench_sparse_applicant);
criterion_main!(benches);
