//! What `qualify eval` and `qualify explain` share: loading the rules and the applicants,
//! the evaluation date, and reporting bad input.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use qualify::applicant::{self, Applicant};
use qualify::check::CheckedRules;
use qualify::compile::{self, Program};
use qualify::diagnostics::Diagnostic;
use qualify::diagnostics::render::Style;
use qualify::eval::QueryError;
use qualify::source::SourceMap;

use super::check_cmd;
use super::files;
use super::output;
use super::{EXIT_INPUT_ERRORS, EXIT_USAGE};

/// The rules and applicants of one run, ready to evaluate.
pub struct Loaded {
    pub program: Program,
    pub applicants: Vec<Applicant>,
}

/// Why a run stops before evaluating, with its exit status.
pub struct Stop(pub u8);

/// Checks and compiles the rules, then reads every applicant file against them. Problems
/// are printed to stderr: every rule error, then every applicant error.
pub fn load(rules: &[PathBuf], applicants: &[PathBuf], style: Style) -> Result<Loaded, Stop> {
    let outcome = check_cmd::load(rules).map_err(usage)?;
    let errors: Vec<Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let Some(checked) = outcome.rules else {
        report(&errors, &outcome.sources, style, "the rules have errors");
        return Err(Stop(EXIT_INPUT_ERRORS));
    };
    let mut sources = outcome.sources;
    let read = read_applicants(&checked, &mut sources, applicants)?;
    if !read.diagnostics.is_empty() {
        report(&read.diagnostics, &sources, style, "bad applicant file");
        return Err(Stop(EXIT_INPUT_ERRORS));
    }
    Ok(Loaded {
        program: compile::compile(&checked),
        applicants: read.applicants,
    })
}

struct ReadApplicants {
    applicants: Vec<Applicant>,
    diagnostics: Vec<Diagnostic>,
}

fn read_applicants(
    rules: &CheckedRules,
    sources: &mut SourceMap,
    paths: &[PathBuf],
) -> Result<ReadApplicants, Stop> {
    let mut read = ReadApplicants {
        applicants: Vec::with_capacity(paths.len()),
        diagnostics: Vec::new(),
    };
    for path in paths {
        let bytes = files::read(path).map_err(|e| usage(e.0))?;
        let one = applicant::read(sources, &files::display_name(path), &bytes, rules);
        read.diagnostics
            .extend(one.diagnostics.into_iter().filter(Diagnostic::is_error));
        read.applicants.extend(one.applicant);
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
pub fn usage(message: String) -> Stop {
    output::eprint(&format!("error: {message}"));
    Stop(EXIT_USAGE)
}

/// A query the rules cannot answer (unknown class or level, no version in force).
pub fn query_error(error: &QueryError) -> Stop {
    let code = match error {
        QueryError::Inexact(_) => "[Q320]",
        _ => "",
    };
    output::eprint(&format!("error{code}: {error}\n  help: {}", error.help()));
    Stop(EXIT_INPUT_ERRORS)
}

/// The evaluation date: the one given, or today in the system's time zone.
pub fn as_of(given: Option<Date>) -> Date {
    given.unwrap_or_else(|| jiff::Zoned::now().date())
}

/// Parses `--as-of` for clap.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|_| format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2024-06-30"))
}

/// The default rule folder, when `--rules` is not given.
pub fn rules_paths(rules: Option<&Path>) -> Vec<PathBuf> {
    rules.map(Path::to_path_buf).into_iter().collect()
}
