//! The checker: turns parsed rule files into a [`CheckedRules`], reporting every problem.
//!
//! Later stages accept only a [`CheckedRules`]; it cannot be built any other way.

mod allow_sites;
mod annotations;
mod assertions;
mod class_pass;
mod classes;
mod expression;
mod field_sets;
mod file_pass;
mod inputs;
mod lints;
pub mod model;
pub mod quantities;
pub mod quotes;
pub mod spellings;
mod vocabulary;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::diagnostics::{Code, Diagnostic, sort_diagnostics};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::ast::{Class, FieldMember, Item, RuleFile};
use crate::syntax::{self, MAX_SOURCE_BYTES};
use inputs::{Content, RuleInput};
use model::{Exact, ProfileId, RuleModel};
use vocabulary::Declared;

pub(crate) use allow_sites::SiteIndex;
pub use annotations::{Acknowledged, Acknowledgement, AllowSite, acknowledge};
pub use expression::check_requirement;

/// The longest name the rules may declare, in characters: a profile, credential, field set,
/// experience category, field or spelling (Q126). Names are looked up for every job and
/// education entry evaluated, so their length bounds that work.
pub const MAX_NAME_CHARS: usize = 256;

/// One rule file's name and raw bytes, as read by the caller.
#[derive(Clone, Debug)]
pub struct SourceInput {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A rule file read from a rules folder: its name and bytes, and its path inside the folder.
#[derive(Clone, Debug)]
pub struct RootedInput {
    pub input: SourceInput,
    /// The path relative to the rules folder, `/`-separated (`k9099.qual`,
    /// `state/profile.qual`); the file name when the rules are one file.
    pub path_in_rules: String,
}

/// A rule set that passed every check. Only [`check_sources`] and [`check_rooted`] make one.
#[derive(Clone, Debug)]
pub struct CheckedRules {
    sources: SourceMap,
    model: RuleModel,
    hash: String,
}

/// Checked rule sets with at least this many class versions are freed in the background.
const BACKGROUND_DROP_CLASSES: usize = 256;

impl Drop for CheckedRules {
    fn drop(&mut self) {
        if self.model.classes.len() >= BACKGROUND_DROP_CLASSES {
            drop_in_background(std::mem::take(&mut self.model));
        }
    }
}

impl CheckedRules {
    pub fn model(&self) -> &RuleModel {
        &self.model
    }

    /// Takes the classes out, leaving the vocabulary: for a caller that compiles them and
    /// needs them no more.
    pub fn take_classes(&mut self) -> Vec<model::ClassDef> {
        std::mem::take(&mut self.model.classes)
    }

    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// SHA-256 of the rule files' paths inside the rules folder and their contents, in path
    /// order; `docs/semantics.md` says exactly what it covers.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }
}

/// Counts for the one-line summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub classes: usize,
    pub versions: usize,
    pub levels: usize,
}

/// Everything a check run produced.
#[derive(Debug)]
pub struct CheckOutcome {
    pub sources: SourceMap,
    /// Sorted by file name and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Present when there is no error (warnings allowed).
    pub rules: Option<CheckedRules>,
    pub stats: Stats,
    /// Warnings an `allow` in the rules acknowledged, in the order of `diagnostics`; they
    /// are not among `diagnostics`.
    pub acknowledged: Vec<Acknowledged>,
    /// Every valid `allow` of the rules read, for a command that produces warnings of its
    /// own to [`acknowledge`] them.
    pub allows: Vec<AllowSite>,
}

/// Decodes, parses and checks a set of rule files as one rule set. The rules hash takes each
/// file's name, with `\` as `/` and without `.` parts, as its path inside the rules.
pub fn check_sources(inputs: &[SourceInput]) -> CheckOutcome {
    let keyed = inputs.iter().map(|input| (input, normal_path(&input.name)));
    check_keyed(inputs::copied(keyed), None)
}

/// Decodes, parses and checks the rule files of one rules folder as one rule set. The rules
/// hash covers each file's path inside the folder, not the folder's name, so that any
/// spelling of the folder gives the same hash.
pub fn check_rooted(inputs: &[RootedInput]) -> CheckOutcome {
    check_keyed(inputs::copied(rooted_keys(inputs)), None)
}

/// [`check_rooted`], taking the files over: each file's text is then held once, by the
/// checked rules, rather than also by the caller.
pub fn check_rooted_owned(inputs: Vec<RootedInput>) -> CheckOutcome {
    check_keyed(inputs::rooted(inputs), None)
}

/// Like [`check_rooted`], but reads and checks only the classes whose code is one of
/// `codes` (ASCII case ignored), with every profile, field set and experience category:
/// the other classes are passed over unread, so their mistakes are not reported here.
/// The rules hash still covers every file whole, so a decision names the same rules.
pub fn check_rooted_classes(inputs: &[RootedInput], codes: &[String]) -> CheckOutcome {
    check_keyed(inputs::copied(rooted_keys(inputs)), Some(codes))
}

/// [`check_rooted_classes`], taking the files over.
pub fn check_rooted_classes_owned(inputs: Vec<RootedInput>, codes: &[String]) -> CheckOutcome {
    check_keyed(inputs::rooted(inputs), Some(codes))
}

fn rooted_keys(inputs: &[RootedInput]) -> impl Iterator<Item = (&SourceInput, String)> {
    inputs
        .iter()
        .map(|rooted| (&rooted.input, normal_path(&rooted.path_in_rules)))
}

/// A path `/`-separated, without empty or `.` parts.
fn normal_path(path: &str) -> String {
    path.split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks the inputs, each with the path the rules hash knows it by.
fn check_keyed(mut keyed: Vec<(RuleInput, String)>, scope: Option<&[String]>) -> CheckOutcome {
    keyed.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let ordered: Vec<&RuleInput> = keyed.iter().map(|(input, _)| input).collect();
    let mut hashed: Vec<(&str, &RuleInput)> = keyed
        .iter()
        .map(|(input, key)| (key.as_str(), input))
        .collect();
    hashed.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.bytes().cmp(b.1.bytes())));
    let large = ordered
        .iter()
        .map(|input| input.bytes().len())
        .sum::<usize>()
        >= PARALLEL_BYTES;
    std::thread::scope(|thread_scope| {
        // For a large rule set the hash is computed meanwhile on another thread, in case the
        // rules check clean; it only reads the inputs.
        let hashing = large
            .then(|| {
                std::thread::Builder::new()
                    .spawn_scoped(thread_scope, || content_hash(&hashed))
                    .ok()
            })
            .flatten();
        let by_file = (large && scope.is_none() && ordered.len() >= file_pass::MIN_FILES)
            .then(|| file_pass::check_file_by_file(&ordered, workers(ordered.len())))
            .flatten();
        let (sources, mut diagnostics, mut checker) = match by_file {
            Some((checker, files)) => {
                let mut sources = SourceMap::default();
                for file in files {
                    sources.add(file);
                }
                (sources, Vec::new(), checker)
            }
            None => check_whole(&ordered, scope, large),
        };
        diagnostics.append(&mut checker.diagnostics);
        let allows = std::mem::take(&mut checker.allows);
        let Acknowledgement {
            kept: mut diagnostics,
            acknowledged,
            unmatched,
        } = acknowledge(diagnostics, &allows, produced_by_check);
        if !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(unmatched);
        }
        sort_diagnostics(&mut diagnostics, &sources);
        let stats = stats(&checker.model, sources.len());
        let hash = || match hashing {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
            None => content_hash(&hashed),
        };
        let rules = (!diagnostics.iter().any(Diagnostic::is_error)).then(|| CheckedRules {
            hash: hash(),
            sources: sources.clone(),
            model: checker.model,
        });
        CheckOutcome {
            sources,
            diagnostics,
            rules,
            stats,
            acknowledged,
            allows,
        }
    })
}

/// Reads every file, then checks them together: the sources, the diagnostics found while
/// reading, and the checker with its own.
fn check_whole(
    ordered: &[&RuleInput],
    scope: Option<&[String]>,
    large: bool,
) -> (SourceMap, Vec<Diagnostic>, Checker) {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut files: Vec<(FileId, RuleFile)> = Vec::new();
    for read in read_all(ordered, scope) {
        let id = sources.add(read.source);
        diagnostics.extend(read.diagnostics);
        if let Some(parsed) = read.parsed {
            files.push((id, parsed));
        }
    }
    let mut checker = Checker::default();
    checker.check_files(&files);
    if large {
        drop_in_background(files);
    }
    (sources, diagnostics, checker)
}

/// Whether checking the rules can produce a warning with `code`: verification findings
/// (Q4xx) come from another command, and quote findings from [`quotes::verify_quotes`],
/// whose callers acknowledge them with the same `allow`s.
fn produced_by_check(code: Code) -> bool {
    !code.as_str().starts_with("Q4") && !quotes::produces(code)
}

/// Drops `value` on a thread of its own, which nobody waits for; when no thread can be
/// started, drops it here.
///
/// Freeing the syntax trees of a large rule set once it is checked, or the model of a large
/// checked rule set, frees every node of thousands of classes: several milliseconds of the
/// caller's time on one core. Nothing reads them any more, so another thread frees them while
/// the caller goes on.
fn drop_in_background<T: Send + 'static>(value: T) {
    // When the thread cannot be started, the refused closure, and `value` with it, is dropped
    // here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Runs `work` on `threads` threads, the calling thread among them, and gives each run's
/// result, the calling thread's first. `work` takes its share from a common queue, so a
/// thread the OS refuses to start leaves its share to the others.
pub(crate) fn on_threads<T: Send>(threads: usize, work: impl Fn() -> T + Sync) -> Vec<T> {
    std::thread::scope(|scope| {
        let work = &work;
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut results = vec![work()];
        for helper in helpers {
            results.push(
                helper
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
            );
        }
        results
    })
}

/// One rule file decoded and parsed on its own.
struct ReadFile {
    source: SourceFile,
    parsed: Option<RuleFile>,
    diagnostics: Vec<Diagnostic>,
}

/// Rule sets larger than this are parsed on several threads; smaller ones are not worth
/// starting a thread for.
const PARALLEL_BYTES: usize = 256 * 1024;

/// Reads every file; file `i` gets `FileId(i)`. Files are independent until they are checked
/// together, so a large rule set is parsed on as many threads as there are cores, the calling
/// thread among them. Each thread takes the next file not yet taken, so a thread that the
/// machine slows down takes fewer files. The result is the same, in the same order, either way.
fn read_all(ordered: &[&RuleInput], scope: Option<&[String]>) -> Vec<ReadFile> {
    let id = file_id;
    let total: usize = ordered.iter().map(|input| input.bytes().len()).sum();
    let workers = workers(ordered.len());
    if total < PARALLEL_BYTES || workers < 2 {
        return ordered
            .iter()
            .enumerate()
            .map(|(index, input)| read_file(id(index), input, scope))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let take_files = || {
        let mut read = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(input) = ordered.get(index) else {
                return read;
            };
            read.push((index, read_file(id(index), input, scope)));
        }
    };
    let mut read: Vec<(usize, ReadFile)> = on_threads(workers, take_files)
        .into_iter()
        .flatten()
        .collect();
    read.sort_by_key(|(index, _)| *index);
    read.into_iter().map(|(_, file)| file).collect()
}

/// The id of the file at `index` in name order.
fn file_id(index: usize) -> FileId {
    FileId(u32::try_from(index).unwrap_or(u32::MAX))
}

/// Threads to read `files` files on: as many as there are cores, and no more than files.
fn workers(files: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(files)
        .max(1)
}

fn read_file(id: FileId, input: &RuleInput, scope: Option<&[String]>) -> ReadFile {
    let mut diagnostics = Vec::new();
    if input.bytes().len() > MAX_SOURCE_BYTES {
        diagnostics.push(crate::syntax::source_too_large(id));
        return ReadFile {
            source: SourceFile::new(input.name.as_str(), ""),
            parsed: None,
            diagnostics,
        };
    }
    match &input.content {
        Content::Text(shared) => {
            let original = shared.as_str();
            // The parser reads a byte-order mark as three spaces; the file keeps the mark, so
            // that columns count it as one character, as in an applicant file.
            let text = crate::source::blank_byte_order_mark(original);
            let (parsed, mut found) = match scope {
                None => syntax::parse_rule_file(id, &text),
                Some(codes) => syntax::parse_rule_file_scoped(id, &text, codes),
            };
            if scope.is_none() && parsed.items.is_empty() && found.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::EmptyFile,
                        "rule file is empty",
                        Span::new(id, 0, 0),
                        "nothing here",
                    )
                    .with_help(
                        "add a `profile`, `fields`, `experience` or `class` item, or delete the file",
                    ),
                );
            }
            diagnostics.append(&mut found);
            // A file read for one class that holds none of it is not kept: nothing will
            // point into it.
            let unread = scope.is_some() && parsed.items.is_empty() && diagnostics.is_empty();
            let source = if unread {
                SourceFile::new(input.name.as_str(), "")
            } else {
                SourceFile::shared(input.name.as_str(), Arc::clone(shared))
            };
            ReadFile {
                source,
                parsed: Some(parsed),
                diagnostics,
            }
        }
        Content::NotUtf8 { bytes, valid } => {
            let (lossy, diagnostic) = syntax::undecodable(id, bytes, *valid);
            diagnostics.push(diagnostic);
            ReadFile {
                source: SourceFile::new(input.name.as_str(), lossy),
                parsed: None,
                diagnostics,
            }
        }
    }
}
/// SHA-256 over each file in path order: its path inside the rules, a zero byte, its length
/// as 8 little-endian bytes, and its bytes.
fn content_hash(hashed: &[(&str, &RuleInput)]) -> String {
    let mut hasher = Sha256::new();
    for (path, input) in hashed {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((input.bytes().len() as u64).to_le_bytes());
        hasher.update(input.bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn stats(model: &RuleModel, files: usize) -> Stats {
    // The latest version of each class. Only counted, so kept in no order.
    let mut latest: HashMap<&str, &model::ClassDef> = HashMap::with_capacity(model.classes.len());
    for class in &model.classes {
        let newer = latest
            .get(class.code.as_str())
            .is_none_or(|seen| class.effective >= seen.effective);
        if newer {
            latest.insert(&class.code, class);
        }
    }
    let levels = latest.values().map(|c| c.levels.len()).sum();
    Stats {
        files,
        classes: latest.len(),
        versions: model.classes.len(),
        levels,
    }
}

/// Working state of one check run.
#[derive(Default)]
pub(crate) struct Checker {
    diagnostics: Vec<Diagnostic>,
    vocabulary: BTreeMap<String, Declared>,
    profiles: BTreeMap<String, (ProfileId, Span)>,
    incomplete_profiles: BTreeSet<String>,
    field_set_members: Vec<Vec<FieldMember>>,
    used: BTreeSet<String>,
    /// `(keyword, name)` of items that did not parse: names they define are not unknown.
    broken_definitions: BTreeSet<(String, String)>,
    /// Words of items that did not parse: a name among them may be used there.
    broken_words: BTreeSet<String>,
    /// The `allow`s written in the rules, for [`acknowledge`].
    allows: Vec<annotations::AllowSite>,
    model: RuleModel,
}

impl Checker {
    fn check_files(&mut self, files: &[(FileId, RuleFile)]) {
        self.check_files_on(files, None);
    }

    /// Checks `files`, the classes on `threads` threads, or as many as suit their number.
    fn check_files_on(&mut self, files: &[(FileId, RuleFile)], threads: Option<usize>) {
        self.declare_vocabulary(files);
        self.check_annotations(files);
        let classes: Vec<&Class> = files
            .iter()
            .flat_map(|(_, f)| f.items.iter())
            .filter_map(|item| match item {
                Item::Class(class) => Some(class),
                _ => None,
            })
            .collect();
        let outcomes = self.check_classes(&classes, threads);
        self.take_class_outcomes(outcomes);
    }

    /// Declares the profiles, field sets and experience categories of `files` (their classes
    /// are left alone), and notes what the items that did not parse define and say.
    fn declare_vocabulary(&mut self, files: &[(FileId, RuleFile)]) {
        // One unit for the whole vocabulary, with the largest budget: there is one per run.
        crate::diagnostics::suggest::with_budget(usize::MAX, || self.declare_vocabulary_in(files));
    }

    fn declare_vocabulary_in(&mut self, files: &[(FileId, RuleFile)]) {
        for skipped in files.iter().flat_map(|(_, f)| f.skipped.iter()) {
            self.broken_definitions.extend(skipped.declares.clone());
            self.broken_words.extend(skipped.words.iter().cloned());
        }
        for item in files.iter().flat_map(|(_, f)| f.items.iter()) {
            match item {
                Item::Profile(p) => self.declare_profile(p),
                Item::FieldSet(f) => self.declare_field_set(f),
                Item::Category(c) => self.declare_category(c),
                Item::Class(_) => {}
            }
        }
        self.resolve_field_sets();
    }

    /// Takes the outcomes of checking every class, in class order: their diagnostics, the
    /// classes that are not a second version with the same date, then the ladder lints of the
    /// classes kept and the unused-name lints.
    fn take_class_outcomes(
        &mut self,
        outcomes: impl IntoIterator<Item = class_pass::ClassOutcome>,
    ) {
        let mut class_spans: BTreeMap<(String, jiff::civil::Date), Span> = BTreeMap::new();
        let mut spellings: HashMap<String, (String, Span)> = HashMap::new();
        // The ladder lints of the classes kept, reported after every class is checked.
        let mut ladders = Vec::new();
        for outcome in outcomes {
            self.diagnostics.extend(outcome.diagnostics);
            let before = self.model.classes.len();
            self.model.classes.extend(outcome.class);
            if self.check_version_unique(before, &mut class_spans)
                && self.check_code_spelling(before, &mut spellings)
            {
                ladders.extend(outcome.ladder);
            }
        }
        self.diagnostics.append(&mut ladders);
        self.lint_unused();
    }

    /// Whether the class at `before` (if any) is kept: a second version with the same
    /// effective date is reported and removed.
    fn check_version_unique(
        &mut self,
        before: usize,
        seen: &mut BTreeMap<(String, jiff::civil::Date), Span>,
    ) -> bool {
        let Some(class) = self.model.classes.get(before) else {
            return false;
        };
        let key = (class.code.clone(), class.effective);
        let span = class.span;
        if let Some(first) = seen.get(&key).copied() {
            let code = class.code.clone();
            self.model.classes.truncate(before);
            self.report(
                Diagnostic::new(
                    Code::Duplicate,
                    format!("class `{code}` is defined twice with the same effective date"),
                    span,
                    "defined again here",
                )
                .with_label(first, "first defined here")
                .with_help("give the newer version its own `effective` date, or remove one"),
            );
            false
        } else {
            seen.insert(key, span);
            true
        }
    }

    /// Whether the class at `before` is kept: a code that another class spells with other
    /// letter case is reported and removed. Codes are looked up without regard to case
    /// (`--class k9099`), so `K9099` and `k9099` could not be told apart.
    fn check_code_spelling(
        &mut self,
        before: usize,
        seen: &mut HashMap<String, (String, Span)>,
    ) -> bool {
        let Some(class) = self.model.classes.get(before) else {
            return false;
        };
        let folded = class.code.to_ascii_uppercase();
        let Some((first, first_span)) = seen.get(&folded) else {
            seen.insert(folded, (class.code.clone(), class.span));
            return true;
        };
        if *first == class.code {
            return true;
        }
        let diagnostic = Diagnostic::new(
            Code::Duplicate,
            format!(
                "class `{}` differs from class `{first}` only in letter case",
                class.code
            ),
            class.span,
            "defined here",
        )
        .with_label(*first_span, "the other spelling")
        .with_help(
            "class codes are matched without regard to case (`--class`), so the two could not \
             be told apart: spell every version of a class the same way, or give the other \
             class its own code",
        );
        self.model.classes.truncate(before);
        self.report(diagnostic);
        false
    }

    /// Whether an item that did not parse defines `name` with `keyword`; its syntax error
    /// already explains why the name is missing.
    fn defined_by_broken_item(&self, keyword: &str, name: &str) -> bool {
        self.broken_definitions
            .contains(&(keyword.to_owned(), name.to_owned()))
    }

    /// Records that a rule uses `name`, copying the name only the first time.
    fn mark_used(&mut self, name: &str) {
        if !self.used.contains(name) {
            self.used.insert(name.to_owned());
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn ok<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        result.map_err(|d| self.report(d)).ok()
    }
}

/// Whole and part months as people say them: "2 years", "6 months", "1 year 3 months",
/// with any fraction of a month shown as a decimal to two places, cut (never rounded up).
pub fn format_months(months: Exact) -> String {
    let whole = months.trunc().to_integer();
    let fraction = months - Exact::from_integer(whole);
    // A positive amount whose fraction two places would show as `.00` is said in words:
    // "0.00 months" would read as none, and "1 year 0.00 months" as a whole year.
    if months > Exact::from_integer(0)
        && fraction != Exact::from_integer(0)
        && (fraction * Exact::from_integer(100)).trunc() == Exact::from_integer(0)
    {
        return match whole {
            0 => "less than 0.01 months".to_owned(),
            _ => format!("just over {}", format_months(Exact::from_integer(whole))),
        };
    }
    let years = whole / 12;
    let rest = whole % 12;
    let mut parts = Vec::new();
    if years != 0 {
        parts.push(format!(
            "{years} year{}",
            if years.abs() == 1 { "" } else { "s" }
        ));
    }
    if fraction != Exact::from_integer(0) {
        let hundredths = (fraction * Exact::from_integer(100)).trunc().to_integer();
        parts.push(format!("{rest}.{:02} months", hundredths.abs()));
    } else if rest != 0 || parts.is_empty() {
        parts.push(format!(
            "{rest} month{}",
            if rest.abs() == 1 { "" } else { "s" }
        ));
    }
    parts.join(" ")
}
