//! Checks the classes of a large rule set on several threads, with the same result, in the
//! same order, as checking them one after another.
//!
//! Once the vocabulary and profiles are declared, checking a class reads them and writes only
//! its own diagnostics, its own `ClassDef` and the names it uses. Each thread checks runs of
//! consecutive classes with its own copy of that read-only state; the outcomes are then taken
//! in class order, so diagnostics and classes come out exactly as a serial run makes them.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Checker;
use super::model::ClassDef;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::Class;

/// Fewer classes than this per thread are checked on the calling thread: below it, starting a
/// thread and copying the vocabulary costs more than it saves.
const MIN_CLASSES_PER_THREAD: usize = 64;

/// How many runs each thread takes on average: enough for the threads to even out.
const RUNS_PER_THREAD: usize = 8;

/// What checking one class produced.
pub(super) struct ClassOutcome {
    pub diagnostics: Vec<Diagnostic>,
    pub class: Option<ClassDef>,
    /// The class's ladder lints, reported only if the class is kept (it is not a second
    /// version with the same effective date).
    pub ladder: Vec<Diagnostic>,
}

impl Checker {
    /// Checks every class in `classes` on `threads` threads (by default as many as there are
    /// cores and runs of [`MIN_CLASSES_PER_THREAD`]), the calling thread among them, and
    /// returns their outcomes in the same order. Names the classes use are added to
    /// `self.used`.
    ///
    /// The classes are cut into short runs that the threads take in turn, so a thread that the
    /// machine slows down checks fewer of them.
    pub(super) fn check_classes(
        &mut self,
        classes: &[&Class],
        threads: Option<usize>,
    ) -> Vec<ClassOutcome> {
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZeroUsize::get)
                .min(classes.len() / MIN_CLASSES_PER_THREAD)
        });
        if threads < 2 || classes.len() < 2 {
            return classes.iter().map(|class| self.check_one(class)).collect();
        }
        let runs: Vec<&[&Class]> = classes
            .chunks(classes.len().div_ceil(threads * RUNS_PER_THREAD))
            .collect();
        let next = AtomicUsize::new(0);
        let take_runs = |mut checker: Checker| {
            let mut checked = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(run) = runs.get(index) else {
                    return (checked, checker.used);
                };
                let outcomes: Vec<ClassOutcome> =
                    run.iter().map(|class| checker.check_one(class)).collect();
                checked.push((index, outcomes));
            }
        };
        let this: &Checker = self;
        let results: Vec<TakenRuns> = super::on_threads(threads, || take_runs(this.for_classes()));
        let mut checked = Vec::with_capacity(runs.len());
        for (runs, used) in results {
            checked.extend(runs);
            self.used.extend(used);
        }
        checked.sort_by_key(|(index, _)| *index);
        checked
            .into_iter()
            .flat_map(|(_, outcomes)| outcomes)
            .collect()
    }

    pub(super) fn check_one(&mut self, class: &Class) -> ClassOutcome {
        let before = self.model.classes.len();
        let diagnostics_before = self.diagnostics.len();
        // A class is a unit of work with its own budget for "did you mean" suggestions.
        let bytes = class.span.end.saturating_sub(class.span.start) as usize;
        crate::diagnostics::suggest::with_budget(bytes, || self.check_class(class));
        let class = (self.model.classes.len() > before)
            .then(|| self.model.classes.pop())
            .flatten();
        let diagnostics = self.diagnostics.split_off(diagnostics_before);
        if let Some(class) = &class {
            self.lint_ladder(class);
        }
        ClassOutcome {
            diagnostics,
            class,
            ladder: self.diagnostics.split_off(diagnostics_before),
        }
    }

    /// A checker with this one's declarations and nothing else: no diagnostics, classes or
    /// used names yet.
    pub(super) fn for_classes(&self) -> Checker {
        Checker {
            diagnostics: Vec::new(),
            vocabulary: self.vocabulary.clone(),
            profiles: self.profiles.clone(),
            incomplete_profiles: self.incomplete_profiles.clone(),
            field_set_members: self.field_set_members.clone(),
            used: BTreeSet::new(),
            broken_definitions: self.broken_definitions.clone(),
            broken_words: self.broken_words.clone(),
            allows: Vec::new(),
            model: super::model::RuleModel {
                profiles: self.model.profiles.clone(),
                field_sets: self.model.field_sets.clone(),
                categories: self.model.categories.clone(),
                classes: Vec::new(),
            },
        }
    }
}

/// The runs one thread checked, each with its index, and the names they used.
type TakenRuns = (Vec<(usize, Vec<ClassOutcome>)>, BTreeSet<String>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::parse_rule_file;

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
fields admin_fields "Administration" { "Public Administration" }
fields unused_fields "Never used" { "Finance" }
experience admin_experience "administrative experience"
"#;

    /// Class `i`: some clean, some with unknown names, credits where a duration is needed, a
    /// bad date, and every tenth one a second version of the one before, with the same date.
    fn class(i: usize) -> String {
        let code = format!("C{:04}", if i % 10 == 1 { i - 1 } else { i });
        let (credential, category) = match i % 4 {
            0 => ("bachelor", "admin_experience"),
            1 => ("bachelr", "admin_experience"),
            2 => ("high_school", "admin_experiense"),
            _ => ("bachelor", "admin_fields"),
        };
        let revised = if i.is_multiple_of(7) {
            "13/40/2011"
        } else {
            "9/20/2011"
        };
        format!(
            "class {code} \"Class {i}\" {{\n  profile state\n  source \"s.txt\"\n  \
             established 07/07/2001\n  revised {revised}\n  level A code \"{code}A\" band 50 {{\n    \
             minimum: {credential} in admin_fields and 2 years of {category}\n    \
             recommended: {credential} and 18 credits of admin_experience\n  }}\n}}\n"
        )
    }

    fn outcome(files: &[(FileId, crate::syntax::ast::RuleFile)], threads: usize) -> String {
        let mut checker = Checker::default();
        checker.check_files_on(files, Some(threads));
        format!(
            "{:#?}\n{:#?}\n{:#?}",
            checker.diagnostics, checker.model.classes, checker.used
        )
    }

    #[test]
    fn threads_give_the_serial_result_in_the_serial_order() {
        let classes: String = (0..300).map(class).collect();
        let files = vec![
            (FileId(0), parse_rule_file(FileId(0), VOCABULARY).0),
            (FileId(1), parse_rule_file(FileId(1), &classes).0),
        ];
        let serial = outcome(&files, 1);
        assert!(serial.contains("UnknownName") && serial.contains("Duplicate"));
        for threads in [2, 3, 7] {
            assert_eq!(outcome(&files, threads), serial, "{threads} threads");
        }
    }
}
