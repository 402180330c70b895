//! `qualify check`: report every problem in the rule files and in applicant files.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use qualify::applicant::{self, MAX_APPLICANT_BYTES};
use qualify::check::quotes;
use qualify::check::{
    CheckOutcome, RootedInput, SourceInput, check_rooted_classes_owned, check_rooted_owned,
};
use qualify::diagnostics::render::Style;
use qualify::diagnostics::{Code, Diagnostic, Tally, sort_diagnostics, suggest};
use qualify::syntax::MAX_SOURCE_BYTES;

use super::files::{self, APPLICANT_EXTENSIONS, FileError, RULE_EXTENSION};
use super::{EXIT_INPUT_ERRORS, EXIT_OK};
use super::{output, sources};

/// The folder checked when no path is given.
pub const DEFAULT_RULES: &str = "rules";

/// The environment variable naming the rules when no `--rules` or rule path is given.
pub const RULES_VARIABLE: &str = "QUALIFY_RULES";

/// The rules to read when none are named: `QUALIFY_RULES` when set, else `./rules`.
pub fn default_rules() -> PathBuf {
    std::env::var_os(RULES_VARIABLE)
        .filter(|value| !value.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_RULES), PathBuf::from)
}

/// Applicant files named on the command line and what checking them found.
struct ApplicantCheck {
    files: usize,
    /// Empty when the rules had errors and the applicants could not be checked.
    diagnostics: Vec<Diagnostic>,
    checked: bool,
}

/// How `check` reports: whether warnings fail the run, and whether acknowledged warnings
/// are printed with their reasons.
#[derive(Clone, Copy, Debug)]
pub struct CheckOptions {
    pub deny_warnings: bool,
    pub show_acknowledged: bool,
}

pub fn run(paths: &[PathBuf], options: CheckOptions, style: Style) -> u8 {
    let CheckOptions {
        deny_warnings,
        show_acknowledged,
    } = options;
    let (mut outcome, applicants, rule_paths) = match load_with_applicants(paths) {
        Ok(loaded) => loaded,
        Err(error) => return output::report_error(&error),
    };
    let applicants = match check_applicants(&mut outcome, &applicants) {
        Ok(checked) => checked,
        Err(error) => return output::report_error(&error),
    };
    if let Err(error) = verify_quotes(&mut outcome, &rule_paths) {
        return output::report_error(&error);
    }
    let mut diagnostics = outcome.diagnostics.clone();
    diagnostics.extend(applicants.diagnostics.iter().cloned());
    let tally = Tally::of(&diagnostics);
    if show_acknowledged {
        diagnostics.extend(outcome.acknowledged.iter().map(|acknowledged| {
            acknowledged
                .diagnostic
                .clone()
                .with_label(acknowledged.allow, "acknowledged here")
                .with_help(format!("acknowledged: {}", acknowledged.reason))
        }));
        sort_diagnostics(&mut diagnostics, &outcome.sources);
    }
    let mut printed = output::print_diagnostics(&diagnostics, &outcome.sources, style);
    if style != Style::Json && printed.is_ok() {
        printed = output::print(&format!(
            "{}\n",
            summary(&outcome, &applicants, tally, deny_warnings)
        ));
    }
    if let Err(error) = printed {
        return output::write_failed(&error);
    }
    if tally.errors > 0 || (deny_warnings && tally.warnings > 0) {
        EXIT_INPUT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Splits `paths` into rule files and applicant files and checks the rules. A named file is
/// a rule file when it ends in `.qual` and an applicant file otherwise. A folder holding any
/// `.qual` file is a rule folder; any other folder is an applicant folder, read for its
/// `.toml` and `.json` files. When only applicant files are named, the rules come from
/// `rules/`.
fn load_with_applicants(paths: &[PathBuf]) -> Result<Loaded, FileError> {
    let mut rule_files = Vec::new();
    let mut applicant_files = Vec::new();
    for path in paths {
        let one = std::slice::from_ref(path);
        if path.is_dir() {
            if !files::collect(one, &[RULE_EXTENSION])?.is_empty() {
                rule_files.push(path.clone());
                continue;
            }
            let applicants = files::collect(one, APPLICANT_EXTENSIONS)?;
            if applicants.is_empty() {
                let kinds = [RULE_EXTENSION, "toml", "json"];
                return Err(FileError::usage(
                    Code::NoInputFiles,
                    files::no_files_message(path, &kinds),
                ));
            }
            applicant_files.extend(applicants.into_iter().map(|found| found.path));
        } else if files::has_extension(path, &[RULE_EXTENSION]) {
            rule_files.push(path.clone());
        } else if path.exists() {
            applicant_files.push(path.clone());
        } else {
            // Let the rule loader report the missing path.
            rule_files.push(path.clone());
        }
    }
    applicant_files.sort();
    applicant_files.dedup();
    let rule_paths = if rule_files.is_empty() && !applicant_files.is_empty() {
        Vec::new()
    } else if rule_files.is_empty() {
        paths.to_vec()
    } else {
        rule_files
    };
    Ok((load(&rule_paths)?, applicant_files, rule_paths))
}

/// The checked rules, the applicant files named and the rule paths read.
type Loaded = (CheckOutcome, Vec<PathBuf>, Vec<PathBuf>);

/// Verifies the quotes of rules that checked without errors against the documents in the
/// `sources/` folder beside them, adding the findings to `outcome`.
fn verify_quotes(outcome: &mut CheckOutcome, rule_paths: &[PathBuf]) -> Result<(), FileError> {
    if outcome.rules.is_none() {
        return Ok(());
    }
    let rule_paths = if rule_paths.is_empty() {
        vec![default_rules()]
    } else {
        rule_paths.to_vec()
    };
    let documents = sources::read_documents(&rule_paths)?;
    quotes::add_quote_findings(outcome, &documents);
    Ok(())
}

/// Reads every applicant file against the checked rules, adding it to the outcome's sources.
fn check_applicants(
    outcome: &mut CheckOutcome,
    paths: &[PathBuf],
) -> Result<ApplicantCheck, FileError> {
    let mut check = ApplicantCheck {
        files: paths.len(),
        diagnostics: Vec::new(),
        checked: outcome.rules.is_some(),
    };
    let Some(rules) = &outcome.rules else {
        return Ok(check);
    };
    for path in paths {
        let bytes = files::read(path, MAX_APPLICANT_BYTES)?;
        let read = applicant::read(
            &mut outcome.sources,
            &files::display_name(path),
            &bytes,
            rules,
        );
        check.diagnostics.extend(read.diagnostics);
        if let Some(applicant) = &read.applicant {
            check.diagnostics.extend(applicant::near_miss_fields(
                applicant,
                rules,
                &outcome.sources,
                read.file,
            ));
        }
    }
    Ok(check)
}

/// Reads and checks the rule files under `paths` (default `rules/`). Each file is known to
/// the rules hash by its path inside the folder given.
pub fn load(paths: &[PathBuf]) -> Result<CheckOutcome, FileError> {
    Ok(check_rooted_owned(read_rules(paths)?))
}

/// Like [`load`], but checks only the classes with one of `codes`, with the vocabulary
/// they use; the other classes are passed over unread.
pub fn load_classes(paths: &[PathBuf], codes: &[String]) -> Result<CheckOutcome, FileError> {
    Ok(check_rooted_classes_owned(read_rules(paths)?, codes))
}

/// Reads the rule files under `paths` (default `rules/`), each with its path inside the
/// folder given.
fn read_rules(paths: &[PathBuf]) -> Result<Vec<RootedInput>, FileError> {
    if paths.is_empty() {
        let default = default_rules();
        let found = if default.exists() {
            files::collect(std::slice::from_ref(&default), &[RULE_EXTENSION])?
        } else {
            Vec::new()
        };
        if found.is_empty() {
            return Err(no_rules_named(&default));
        }
        return read_found(found);
    }
    let found = files::collect(paths, &[RULE_EXTENSION])?;
    if found.is_empty() {
        return Err(FileError::usage(
            Code::NoInputFiles,
            format!(
                "no rule files (*.{RULE_EXTENSION}) found in {}",
                paths
                    .iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    read_found(found)
}

/// No rules were named and the default holds none: the error says where rules are looked for.
pub(super) fn no_rules_named(default: &Path) -> FileError {
    let variable = match std::env::var_os(RULES_VARIABLE).filter(|v| !v.is_empty()) {
        Some(_) => "names",
        None => "is not set, so the default is",
    };
    let holds = if default.exists() {
        format!("it holds no *.{RULE_EXTENSION} file")
    } else {
        "it does not exist".to_owned()
    };
    FileError::usage(
        Code::NoInputFiles,
        format!(
            "no rule files found: no `--rules` was given, {RULES_VARIABLE} {variable} `{}`, \
             and {holds}",
            default.display()
        ),
    )
}

/// Reads each rule file found, with its path inside the folder given.
/// Reads the files found, on every core for a rule set of many files (the reads are
/// independent, and a large rule set is mostly the time to copy it in); the first file in
/// order that cannot be read is the error, whichever thread read it.
fn read_found(found: Vec<files::Found>) -> Result<Vec<RootedInput>, FileError> {
    let read = |found: files::Found| {
        Ok(RootedInput {
            input: SourceInput {
                name: files::display_name(&found.path),
                bytes: files::read(&found.path, MAX_SOURCE_BYTES)?,
            },
            path_in_rules: found.relative,
        })
    };
    let results: Vec<Result<RootedInput, FileError>> = if found.len() < PARALLEL_READ_FILES {
        found.into_iter().map(read).collect()
    } else {
        found.into_par_iter().map(read).collect()
    };
    results.into_iter().collect()
}

/// Rule sets of this many files or more are read on every core.
const PARALLEL_READ_FILES: usize = 8;

fn summary(
    outcome: &CheckOutcome,
    applicants: &ApplicantCheck,
    tally: Tally,
    deny_warnings: bool,
) -> String {
    let s = outcome.stats;
    let plural = suggest::count;
    let versions = if s.versions > s.classes {
        format!(" ({})", plural(s.versions, "version"))
    } else {
        String::new()
    };
    let counts = format!(
        "{}, {}{versions}, {}",
        plural(s.files, "file"),
        plural(s.classes, "class"),
        plural(s.levels, "level")
    );
    let counts = match (applicants.files, applicants.checked) {
        (0, _) => counts,
        (n, true) => format!("{counts}, {}", plural(n, "applicant")),
        (n, false) => format!(
            "{counts}; {} not checked because the rules have errors",
            plural(n, "applicant")
        ),
    };
    let acknowledged = match outcome.acknowledged.len() {
        0 => String::new(),
        n => format!(" ({} acknowledged)", plural(n, "warning")),
    };
    let problems = format!(
        "{}, {}{acknowledged}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    );
    if tally.errors > 0 {
        format!("failed: {problems} in {counts}")
    } else if deny_warnings && tally.warnings > 0 {
        format!("failed: {problems} in {counts} (warnings are denied)")
    } else {
        format!("ok: {counts}; {problems}")
    }
}
