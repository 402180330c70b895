//! Checks a large rule set file by file, so that only the syntax trees of the files being
//! checked are held at once, not those of the whole rule set (about five times its text).
//!
//! Classes only read the vocabulary, so it is declared first, from every file read without
//! its classes (`syntax::parse_rule_file_scoped` passes them over unread). Then each thread
//! takes the next file, reads it whole, checks its classes, and frees its syntax tree. The
//! outcomes are taken in file and class order, so the result is the one checking the whole
//! rule set at once gives, byte for byte.
//!
//! A file with any problem found while reading it (a syntax or encoding error, an empty
//! file) stops this pass: the rule set is then checked whole, which weighs each broken item
//! against every other file, as the checker must.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::class_pass::ClassOutcome;
use super::{Checker, SourceInput, file_id, on_threads, read_all, read_file};
use crate::source::SourceFile;
use crate::syntax::ast::{Item, RuleFile};

/// Rule sets of fewer files than this are checked whole: there is little to save.
pub(super) const MIN_FILES: usize = 8;

/// One file read whole, with the outcomes of its classes in order.
struct CheckedFile {
    source: SourceFile,
    outcomes: Vec<ClassOutcome>,
}

/// Checks the files in order on `workers` threads, the calling thread among them. Gives the
/// checker with every class outcome taken, and each file's source in order; `None` when a
/// file has a problem found while reading it.
pub(super) fn check_file_by_file(
    ordered: &[&SourceInput],
    workers: usize,
) -> Option<(Checker, Vec<SourceFile>)> {
    let vocabulary = declared_items(ordered)?;
    let mut checker = Checker::default();
    checker.declare_vocabulary(&vocabulary);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let declared: &Checker = &checker;
    let take_files = || {
        let mut local = declared.for_classes();
        let mut checked = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(input) = ordered.get(index) else {
                break;
            };
            let items = vocabulary.get(index).map_or(&[][..], |(_, f)| &f.items);
            match check_file(&mut local, index, input, items) {
                Some(file) => checked.push((index, file)),
                None => failed.store(true, Ordering::Relaxed),
            }
        }
        (checked, local.used)
    };
    let results = on_threads(workers, take_files);
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    let mut files = Vec::with_capacity(ordered.len());
    for (checked, used) in results {
        files.extend(checked);
        checker.used.extend(used);
    }
    files.sort_by_key(|(index, _)| *index);
    let (sources, outcomes): (Vec<SourceFile>, Vec<Vec<ClassOutcome>>) = files
        .into_iter()
        .map(|(_, file)| (file.source, file.outcomes))
        .unzip();
    checker.take_class_outcomes(outcomes.into_iter().flatten());
    Some((checker, sources))
}

/// Every file read without its classes, as `(FileId, RuleFile)` in file order; `None` when a
/// file has a problem found while reading it.
fn declared_items(ordered: &[&SourceInput]) -> Option<Vec<(crate::source::FileId, RuleFile)>> {
    read_all(ordered, Some(&[]))
        .into_iter()
        .enumerate()
        .map(|(index, read)| {
            let parsed = read
                .parsed
                .filter(|p| read.diagnostics.is_empty() && p.skipped.is_empty())?;
            Some((file_id(index), parsed))
        })
        .collect()
}

/// Reads file `index` whole and checks its classes with `checker`, which holds the
/// vocabulary; its syntax tree is freed here. `None` when the file has a problem found while
/// reading it, or when read whole it does not hold the same profiles, field sets and
/// categories (`declared`) as read without its classes.
fn check_file(
    checker: &mut Checker,
    index: usize,
    input: &SourceInput,
    declared: &[Item],
) -> Option<CheckedFile> {
    let read = read_file(file_id(index), input, None);
    if !read.diagnostics.is_empty() {
        return None;
    }
    let parsed = read.parsed.filter(|p| p.skipped.is_empty())?;
    let vocabulary = parsed
        .items
        .iter()
        .filter(|item| !matches!(item, Item::Class(_)));
    if !vocabulary.eq(declared.iter()) {
        return None;
    }
    let outcomes = parsed
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Class(class) => Some(checker.check_one(class)),
            _ => None,
        })
        .collect();
    Some(CheckedFile {
        source: read.source,
        outcomes,
    })
}
