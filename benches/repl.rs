//! Benchmarks of `qualify::repl::Session::handle`, one per kind of command, on the shipped
//! rules and an example applicant held in memory. Every command must answer in under 10 ms.
//! A statement continued over many lines is read in time linear in its lines, and opening a
//! rule set (its names gathered for edits and completion among them) in time linear in its
//! classes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use qualify::diagnostics::render::Style;
use qualify::repl::{MemoryFiles, Options, Session, StatementReader, Step};

const APPLICANT: &str = "examples/applicants/k9099_combination_related_bachelor.toml";

/// The shipped rules and one applicant, in memory.
fn files() -> MemoryFiles {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = MemoryFiles::new();
    for entry in std::fs::read_dir(root.join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "qual") {
            continue;
        }
        let name = Path::new("rules").join(path.file_name().unwrap());
        files.insert(name, std::fs::read(&path).unwrap());
    }
    files.insert(APPLICANT, std::fs::read(root.join(APPLICANT)).unwrap());
    files
}

/// The session options of every benchmark: a fixed date, no colour.
fn options() -> Options {
    Options {
        today: jiff::civil::date(2024, 6, 30),
        style: Style::Human { color: false },
        width: 100,
    }
}

fn session(files: &MemoryFiles) -> Session {
    let mut session = Session::new(Box::new(files.clone()), options());
    assert!(!session.open_rules(Path::new("rules")).error);
    let loaded = session.handle(&format!(":load {APPLICANT}"));
    assert!(!loaded.error, "{}", loaded.text);
    session
}

/// Measures one line that leaves the session as it found it.
fn line(c: &mut Criterion, name: &str, text: &str) {
    measure(c, name, text, false);
}

/// Measures one line that is refused (an error answer), which leaves the session as it was.
fn refused(c: &mut Criterion, name: &str, text: &str) {
    measure(c, name, text, true);
}

fn measure(c: &mut Criterion, name: &str, text: &str, error: bool) {
    let files = files();
    let mut session = session(&files);
    let first = session.handle(text);
    assert_eq!(first.error, error, "`{text}` answered:\n{}", first.text);
    c.bench_function(name, |b| {
        b.iter(|| black_box(session.handle(black_box(text))))
    });
}

/// Measures a change followed by `:undo`, so every iteration starts from the same applicant.
fn change_and_undo(c: &mut Criterion, name: &str, text: &str) {
    let files = files();
    let mut session = session(&files);
    c.bench_function(name, |b| {
        b.iter(|| {
            let changed = session.handle(black_box(text));
            assert!(!changed.error, "`{text}` failed:\n{}", changed.text);
            black_box(session.handle(":undo"))
        })
    });
}

fn commands(c: &mut Criterion) {
    line(c, "help", ":help");
    line(c, "help_command", ":help whatif");
    line(c, "show", ":show");
    line(c, "date_show", ":date");
    line(c, "eval_all", ":eval");
    line(c, "eval_class", ":eval K9099");
    line(c, "eval_level", ":eval K9099 O");
    line(c, "explain_level", ":explain K9099 O");
    line(c, "explain_class", ":explain G1099");
    line(c, "gap", ":gap K9099 A");
    line(
        c,
        "whatif_add_edu",
        ":whatif add edu associate \"Finance\" accredited",
    );
    line(c, "whatif_set_job", ":whatif set job 1 end 2024-06-30");
    line(
        c,
        "expression",
        "associate in healthcare_admin_fields and 2 years of public_program_experience",
    );
    refused(
        c,
        "expression_typo",
        "associate in healthcare_admin_feilds or 2 years of public_program_experiense",
    );
    refused(c, "unknown_command", ":evl");
    line(c, "baseline", ":baseline");
    line(c, "save", ":save applicant.toml");
    line(c, "load", &format!(":load {APPLICANT}"));
    line(c, "reload_rules", ":reload");
    change_and_undo(
        c,
        "add_job_undo",
        ":add job \"Clerk\" public_program_experience 2019-01-01..2021-06-30 20h",
    );
    change_and_undo(
        c,
        "add_edu_undo",
        ":add edu associate \"Finance\" accredited",
    );
    change_and_undo(c, "set_job_undo", ":set job 1 hours 20");
    change_and_undo(c, "remove_job_undo", ":remove job 1");
    change_and_undo(c, "date_undo", ":date 2030-01-01");
    let files = files();
    let mut session = session(&files);
    session.handle(":baseline");
    session.handle(":add edu associate \"Finance\" accredited");
    c.bench_function("diff", |b| b.iter(|| black_box(session.handle(":diff"))));
    let mut session = self::session(&files);
    session.handle(":set job 1 hours 20");
    c.bench_function("undo_redo", |b| {
        b.iter(|| {
            black_box(session.handle(":undo"));
            black_box(session.handle(":redo"))
        })
    });
    let session = self::session(&files);
    c.bench_function("complete_category", |b| {
        b.iter(|| black_box(session.complete(":add job \"Clerk\" public_", 24)))
    });
}

/// Reads a statement of `lines` lines, each opening a `(`, ended by a line closing them
/// all, and answers it, as a script read through the shell does: the time per line must
/// stay the same at 1,000 and 10,000 lines.
fn continuation(c: &mut Criterion) {
    let files = files();
    let mut session = session(&files);
    let mut group = c.benchmark_group("continued_statement");
    for lines in [1_000usize, 10_000] {
        let closing = format!("associate{}", ")".repeat(lines));
        group.throughput(Throughput::Elements(lines as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lines), &lines, |b, &lines| {
            b.iter(|| {
                let mut reader = StatementReader::new();
                for _ in 0..lines {
                    assert_eq!(reader.push_line(black_box("(")), Step::More);
                }
                let Step::Statement(statement) = reader.push_line(&closing) else {
                    panic!("the statement did not end");
                };
                black_box(session.handle(&statement))
            })
        });
    }
    group.finish();
}

/// The shipped rules with K9099 copied under `count` new codes, in memory.
fn many_classes(count: usize) -> MemoryFiles {
    let files = files();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("rules/k9099.qual")).unwrap();
    let class = &text[text.find("\nclass ").unwrap()..];
    // A thousand classes a file, as a large rule set is kept.
    for first in (0..count).step_by(1000) {
        let mut copies = String::new();
        for i in first..count.min(first + 1000) {
            copies.push_str(&class.replace("K9099", &format!("C{i:06}")));
        }
        let name = format!("copies_{first:06}.qual");
        files.insert(Path::new("rules").join(name), copies.into_bytes());
    }
    files
}

/// Opening a rule set of 1,000 and of 10,000 classes: ten times the classes, about ten
/// times the time.
fn open_rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("open_rules");
    group.sample_size(10);
    for classes in [1_000usize, 10_000] {
        let files = many_classes(classes);
        group.throughput(Throughput::Elements(classes as u64));
        group.bench_with_input(BenchmarkId::from_parameter(classes), &files, |b, files| {
            b.iter(|| {
                let mut session = Session::new(Box::new(files.clone()), options());
                assert!(!session.open_rules(Path::new("rules")).error);
                black_box(session)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, commands, continuation, open_rules);
criterion_main!(benches);
