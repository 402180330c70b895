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

use super::annotations::AllowSite;
use super::class_pass::ClassOutcome;
use super::inputs::RuleInput;
use super::{Checker, file_id, on_threads, read_all, read_file};
use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::ast::{Item, RuleFile};

/// Rule sets of fewer files than this are checked whole: there is little to save.
pub(super) const MIN_FILES: usize = 8;

/// One file read whole, with the outcomes of its classes in order.
struct CheckedFile {
    source: SourceFile,
    /// What checking the notes and `allow`s of its classes found, and the `allow`s kept.
    annotations: Vec<Diagnostic>,
    allows: Vec<AllowSite>,
    outcomes: Vec<ClassOutcome>,
}

/// Checks the files in order on `workers` threads, the calling thread among them. Gives the
/// checker with every class outcome taken, and each file's source in order; `None` when a
/// file has a problem found while reading it.
pub(super) fn check_file_by_file(
    ordered: &[&RuleInput],
    workers: usize,
) -> Option<(Checker, Vec<SourceFile>)> {
    let vocabulary = declared_items(ordered)?;
    let mut checker = Checker::default();
    checker.declare_vocabulary(&vocabulary);
    checker.check_annotations(&vocabulary);
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
    let mut sources = Vec::with_capacity(files.len());
    let mut outcomes = Vec::with_capacity(files.len());
    // As checking the whole rule set does: every annotation, then every class.
    for (_, file) in files {
        checker.diagnostics.extend(file.annotations);
        checker.allows.extend(file.allows);
        sources.push(file.source);
        outcomes.push(file.outcomes);
    }
    // Room for every class at once: a large rule set's classes would otherwise be moved
    // each time the list outgrew its room.
    let classes = outcomes
        .iter()
        .flatten()
        .filter(|o| o.class.is_some())
        .count();
    checker.model.classes.reserve_exact(classes);
    checker.take_class_outcomes(outcomes.into_iter().flatten());
    Some((checker, sources))
}

/// Every file read without its classes, as `(FileId, RuleFile)` in file order; `None` when a
/// file has a problem found while reading it.
fn declared_items(ordered: &[&RuleInput]) -> Option<Vec<(crate::source::FileId, RuleFile)>> {
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
    input: &RuleInput,
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
    let classes = || {
        parsed.items.iter().filter_map(|item| match item {
            Item::Class(class) => Some(class),
            _ => None,
        })
    };
    let before = checker.diagnostics.len();
    classes().for_each(|class| checker.check_class_annotations(class));
    let annotations = checker.diagnostics.split_off(before);
    let allows = std::mem::take(&mut checker.allows);
    let outcomes = classes().map(|class| checker.check_one(class)).collect();
    Some(CheckedFile {
        source: read.source,
        annotations,
        allows,
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_whole;

    const VOCABULARY: &str = r#"
profile state {
  jurisdiction "State"
  credential high_school "High school diploma" worth 0 years
  credential bachelor "Bachelor's degree" worth 4 years
  a year of education is 30 semester credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}
fields admin_fields label "Administration" "Administration"
  note "A note on the set." {
  "Public Administration"
}
experience admin_experience label "Administration" "administrative experience"
experience other_experience label "Administration" "other experience"
"#;

    /// Class `i`: notes and `allow`s (some acknowledging a warning, some nothing, some
    /// empty), unknown names, and every tenth one a second version of the one before.
    fn class(i: usize) -> String {
        let code = format!("C{:05}", if i % 10 == 1 { i - 1 } else { i });
        let (credential, category) = match i % 4 {
            0 => ("bachelor", "admin_experience"),
            1 => ("bachelr", "admin_experience"),
            2 => ("high_school", "admin_experiense"),
            _ => ("bachelor", "admin_fields"),
        };
        let note = if i.is_multiple_of(5) {
            ""
        } else {
            "Read as written."
        };
        let allow = if i.is_multiple_of(3) { "Q202" } else { "Q203" };
        format!(
            "class {code} \"Class {i}\" {{\n  note \"{note}\"\n  profile state\n  source \"s.txt\"\n  \
             established 07/07/2001\n  revised 9/20/2011\n  level A code \"{code}A\" band 50 {{\n    \
             minimum: {credential} in admin_fields and 2 years of {category}\n  }}\n  \
             level B code \"{code}B\" band 60 {{\n    allow {allow} \"Kept as written.\"\n    \
             minimum: {credential} and 1 year of admin_experience\n    \
             recommended: {credential} and 3 years of admin_experience\n  }}\n}}\n"
        )
    }

    fn inputs() -> Vec<RuleInput> {
        let mut inputs = vec![RuleInput::new(
            "a_vocabulary.qual".to_owned(),
            VOCABULARY.as_bytes().to_vec(),
        )];
        for file in 0..12 {
            let text: String = (file * 20..file * 20 + 20).map(class).collect();
            inputs.push(RuleInput::new(
                format!("classes_{file:02}.qual"),
                text.into_bytes(),
            ));
        }
        inputs
    }

    fn shown(diagnostics: &[Diagnostic], checker: &Checker) -> String {
        format!(
            "{diagnostics:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
            checker.diagnostics, checker.allows, checker.model, checker.used
        )
    }

    #[test]
    fn file_by_file_gives_the_whole_check_byte_for_byte() {
        let inputs = inputs();
        let ordered: Vec<&RuleInput> = inputs.iter().collect();
        let (_, read, whole) = check_whole(&ordered, None, false);
        assert!(read.is_empty(), "{read:#?}");
        let whole = shown(&read, &whole);
        for code in ["EmptyAnnotation", "UnknownName", "Duplicate", "SharedLabel"] {
            assert!(whole.contains(code), "the corpus gives {code}");
        }
        assert!(whole.contains("AllowSite"), "the corpus has allows");
        for workers in [1, 2, 3, 5] {
            let (checker, sources) = check_file_by_file(&ordered, workers).unwrap();
            assert_eq!(sources.len(), inputs.len());
            assert_eq!(shown(&[], &checker), whole, "{workers} workers");
        }
    }

    #[test]
    fn a_file_with_a_syntax_error_leaves_the_check_to_the_whole_pass() {
        let mut inputs = inputs();
        inputs.push(RuleInput::new(
            "classes_broken.qual".to_owned(),
            b"class X1 \"Broken\" {\n  level\n}\n".to_vec(),
        ));
        let ordered: Vec<&RuleInput> = inputs.iter().collect();
        assert!(check_file_by_file(&ordered, 2).is_none());
    }
}
