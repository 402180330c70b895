//! What `qualify eval` and `qualify explain` share: loading the rules and the applicants,
//! the evaluation date, and reporting bad input.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use qualify::applicant::{self, Applicant, MAX_APPLICANT_BYTES};
use qualify::check::{CheckOutcome, CheckedRules};
use qualify::compile::{self, Program};
use qualify::diagnostics::render::Style;
use qualify::diagnostics::{Code, Diagnostic};
use qualify::eval::{Evaluation, QueryError};
use qualify::screen::record::applicant_hash;
use qualify::source::{FileId, SourceMap, Span};

use super::check_cmd;
use super::files::{self, FileError};
use super::output;
use super::{EXIT_INPUT_ERRORS, EXIT_USAGE};

/// The rules and applicants of one run, ready to evaluate.
pub struct Loaded {
    pub program: Program,
    pub applicants: Vec<Applicant>,
    /// The rule and applicant files, for diagnostics raised while evaluating.
    pub sources: SourceMap,
    /// The file each applicant was read from, in the order of `applicants`.
    pub files: Vec<FileId>,
    /// The content hash of each applicant's file as read (`sha256:…`), in the order of
    /// `applicants`, for the records.
    pub hashes: Vec<String>,
}

impl Loaded {
    /// Applicant `index`'s evaluation, which names the content hash of its file.
    pub fn with_hash<'a>(&'a self, index: usize, mut evaluation: Evaluation<'a>) -> Evaluation<'a> {
        evaluation.applicant.sha256 = self.hashes.get(index).map(String::as_str);
        evaluation
    }
}

/// Why a run stops before evaluating, with its exit status.
pub struct Stop(pub u8);

/// Checks and compiles the rules, then reads every applicant file against them. Problems
/// are printed to stderr: every rule error, then every applicant error.
///
/// With `classes`, only those classes are read and checked beside the vocabulary (the
/// other classes are passed over unread); when the rules hold fewer classes than were
/// asked for, they are all read, so that the refusal can suggest the nearest code.
pub fn load(
    rules: &[PathBuf],
    applicants: &[PathBuf],
    classes: &[String],
    style: Style,
) -> Result<Loaded, Stop> {
    let (checked, mut sources) = check_rules(rules, classes, style)?;
    let read = read_applicants(&checked, &mut sources, applicants)?;
    if !read.diagnostics.is_empty() {
        report(&read.diagnostics, &sources, style, "bad applicant file");
        return Err(Stop(EXIT_INPUT_ERRORS));
    }
    // The rules are given over: each class is freed once compiled, and the memory serves
    // the program and the evaluations.
    Ok(Loaded {
        program: compile::compile_owned(checked),
        applicants: read.applicants,
        sources,
        files: read.files,
        hashes: read.hashes,
    })
}

/// Checks the rules (only `classes` beside the vocabulary, when given); errors are printed
/// to stderr.
pub fn check_rules(
    rules: &[PathBuf],
    classes: &[String],
    style: Style,
) -> Result<(CheckedRules, SourceMap), Stop> {
    let outcome = check_outcome(rules, classes, style)?;
    let Some(checked) = outcome.rules else {
        return Err(Stop(EXIT_INPUT_ERRORS));
    };
    Ok((checked, outcome.sources))
}

/// Checks the rules (only `classes` beside the vocabulary, when given) and gives the whole
/// outcome; when the rules have errors, they are printed to stderr and the outcome holds no
/// rules.
pub fn check_outcome(
    rules: &[PathBuf],
    classes: &[String],
    style: Style,
) -> Result<CheckOutcome, Stop> {
    let outcome = if classes.is_empty() {
        check_cmd::load(rules)
    } else {
        match check_cmd::load_classes(rules, classes) {
            Ok(outcome) if found_classes_or_errors(&outcome, classes) => Ok(outcome),
            _ => check_cmd::load(rules),
        }
    }
    .map_err(|e| usage(&e))?;
    if outcome.rules.is_none() {
        report_rule_errors(&outcome, style);
    }
    Ok(outcome)
}

/// Prints the errors of rules that did not check to stderr, with a closing line.
pub fn report_rule_errors(outcome: &CheckOutcome, style: Style) {
    let errors: Vec<Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    report(&errors, &outcome.sources, style, "the rules have errors");
}

/// Whether a check of some classes can stand for the whole rule set: it found a class for
/// each code asked, or errors to report.
fn found_classes_or_errors(outcome: &CheckOutcome, classes: &[String]) -> bool {
    match &outcome.rules {
        Some(rules) => classes.iter().all(|code| {
            rules
                .model()
                .classes
                .iter()
                .any(|c| c.code.eq_ignore_ascii_case(code))
        }),
        None => true,
    }
}

struct ReadApplicants {
    applicants: Vec<Applicant>,
    files: Vec<FileId>,
    hashes: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

fn read_applicants(
    rules: &CheckedRules,
    sources: &mut SourceMap,
    paths: &[PathBuf],
) -> Result<ReadApplicants, Stop> {
    let mut read = ReadApplicants {
        applicants: Vec::with_capacity(paths.len()),
        files: Vec::with_capacity(paths.len()),
        hashes: Vec::with_capacity(paths.len()),
        diagnostics: Vec::new(),
    };
    for path in paths {
        let bytes = files::read(path, MAX_APPLICANT_BYTES).map_err(|e| usage(&e))?;
        let one = applicant::read(sources, &files::display_name(path), &bytes, rules);
        read.diagnostics
            .extend(one.diagnostics.into_iter().filter(Diagnostic::is_error));
        if let Some(applicant) = one.applicant {
            read.applicants.push(applicant);
            read.files.push(one.file);
            read.hashes.push(applicant_hash(&bytes));
        }
    }
    Ok(read)
}

/// Prints diagnostics and a closing line to stderr.
fn report(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style, what: &str) {
    output::eprint_diagnostics(diagnostics, sources, style);
    if style != Style::Json {
        let count = diagnostics.len();
        let plural = if count == 1 { "" } else { "s" };
        output::eprint(&format!("failed: {what} ({count} error{plural})"));
    }
}

/// A usage or I/O problem: printed, with exit status 2.
pub fn usage(error: &FileError) -> Stop {
    Stop(output::report_error(error))
}

/// A query the rules cannot answer (unknown class or level, no version in force), reported
/// as a coded diagnostic in the run's error format.
pub fn query_error(error: &QueryError, style: Style) -> Stop {
    query_error_in(error, None, style)
}

/// [`query_error`], its message headed by which rules refused the query when a run reads
/// two rule sets (`in the --against rules: …`).
pub fn query_error_in(error: &QueryError, rules: Option<&str>, style: Style) -> Stop {
    let message = match rules {
        Some(rules) => format!("in {rules}: {error}"),
        None => error.to_string(),
    };
    let diagnostic = Diagnostic::without_source(error.code(), message).with_help(error.help());
    output::eprint_diagnostics(&[diagnostic], &SourceMap::default(), style);
    Stop(EXIT_INPUT_ERRORS)
}

/// An evaluation refused for the applicant at `index`: an amount that cannot be computed
/// exactly (Q320) is shown at its value in the applicant file; any other refusal as
/// [`query_error`] shows it.
pub fn refused(error: &QueryError, loaded: &Loaded, index: usize, style: Style) -> Stop {
    let QueryError::Inexact(inexact) = error else {
        return query_error(error, style);
    };
    let span = loaded.files.get(index).and_then(|&file| {
        let source = loaded.sources.get(file)?;
        let value = applicant::locate_value(source.name(), source.text(), &inexact.key_path)?;
        Some(Span::new(file, value.start, value.end))
    });
    let diagnostic = match span {
        Some(span) => Diagnostic::new(error.code(), error.to_string(), span, "this value"),
        None => Diagnostic::without_source(error.code(), error.to_string()),
    }
    .with_help(error.help());
    output::eprint_diagnostics(&[diagnostic], &loaded.sources, style);
    Stop(EXIT_INPUT_ERRORS)
}

/// A fault in qualify itself (Q000), reported in the run's error format, with exit status 2.
pub fn internal_error(message: &str, style: Style) -> Stop {
    let diagnostic = Diagnostic::without_source(Code::Internal, message)
        .with_help("this is a bug in qualify; please report it with the input that caused it");
    output::eprint_diagnostics(&[diagnostic], &SourceMap::default(), style);
    Stop(EXIT_USAGE)
}

/// The evaluation date: the one given, or today in the system's time zone.
pub fn as_of(given: Option<Date>) -> Date {
    given.unwrap_or_else(|| jiff::Zoned::now().date())
}

/// Parses `--as-of` for clap: a date only, `YYYY-MM-DD`, without a time of day.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    shaped
        .then(|| text.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2024-06-30"))
}

/// The default rule folder, when `--rules` is not given.
pub fn rules_paths(rules: Option<&Path>) -> Vec<PathBuf> {
    rules.map(Path::to_path_buf).into_iter().collect()
}
