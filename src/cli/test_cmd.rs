//! `qualify test`: run the rule tests kept beside the rules (`tests/*.toml` in the rules
//! folder), with coverage by path and threshold, or write boundary cases for review.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use qualify::applicant::{self, Applicant, MAX_APPLICANT_BYTES};
use qualify::check::CheckedRules;
use qualify::compile::{self, Program};
use qualify::diagnostics::render::Style;
use qualify::diagnostics::{Code, Diagnostic};
use qualify::rule_tests::{self, ApplicantSource, MAX_TEST_FILE_BYTES, TestFile};
use qualify::source::SourceMap;

use super::check_cmd;
use super::evaluation;
use super::files::{self, FileError};
use super::output;
use super::{EXIT_INPUT_ERRORS, EXIT_OK};

/// The folder, inside a rules folder, that holds its tests.
pub const TESTS_FOLDER: &str = "tests";

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// One line per test, failures in words, and the summary (and the coverage table).
    Text,
    /// One JSON object with every test and, with `--coverage`, the coverage.
    Json,
}

/// What `qualify test` was asked.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Rules folders; each is checked and its `tests/*.toml` are run (default: the rules
    /// every command uses).
    pub paths: Vec<PathBuf>,
    /// Report coverage: paths taken, requirement nodes seen met and not met, and each
    /// threshold approached from both sides.
    #[arg(long)]
    pub coverage: bool,
    /// Fail when path or boundary coverage in total is below this percentage.
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub coverage_min: Option<u8>,
    /// Write boundary cases for review into this folder instead of running the tests.
    #[arg(long, value_name = "DIR")]
    pub generate: Option<PathBuf>,
    /// The evaluation date of generated cases (YYYY-MM-DD; default: today).
    #[arg(long, value_parser = evaluation::parse_date)]
    pub as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
}

/// The rules of one folder, checked and compiled, with the sources of every file read.
struct Rules {
    checked: CheckedRules,
    program: Program,
    sources: SourceMap,
}

pub fn run(args: &TestArgs, style: Style) -> u8 {
    let folders = if args.paths.is_empty() {
        vec![check_cmd::default_rules()]
    } else {
        args.paths.clone()
    };
    let mut worst = EXIT_OK;
    for folder in &folders {
        let status = match run_folder(folder, args, style) {
            Ok(status) => status,
            Err(error) => output::report_error(&error),
        };
        worst = worst.max(status);
    }
    worst
}

fn run_folder(folder: &Path, args: &TestArgs, style: Style) -> Result<u8, FileError> {
    let Some(mut rules) = load_rules(folder, style)? else {
        return Ok(EXIT_INPUT_ERRORS);
    };
    if let Some(dir) = &args.generate {
        return generate(&rules, dir, evaluation::as_of(args.as_of));
    }
    let tests_dir = tests_folder(folder);
    let found = if tests_dir.is_dir() {
        files::collect(std::slice::from_ref(&tests_dir), &["toml"])?
    } else {
        Vec::new()
    };
    if found.is_empty() {
        return Err(FileError::usage(
            Code::NoTestFiles,
            format!(
                "no test files (*.toml) found in `{}`; rule tests live in a `{TESTS_FOLDER}` folder beside the rules",
                tests_dir.display()
            ),
        ));
    }
    let mut diagnostics = Vec::new();
    let mut unread = Vec::new();
    let mut test_files = Vec::new();
    let mut applicants = AppCache::default();
    for test in &found {
        let bytes = files::read(&test.path, MAX_TEST_FILE_BYTES)?;
        let read = rule_tests::read_tests(
            &mut rules.sources,
            &files::display_name(&test.path),
            &bytes,
            &rules.checked,
            &rules.program,
        );
        diagnostics.extend(read.diagnostics.into_iter().filter(Diagnostic::is_error));
        if let Some(mut file) = read.tests {
            let base = test.path.parent().unwrap_or(Path::new("."));
            unread.extend(applicants.fill(&mut file, base, &mut rules));
            test_files.push(file);
        }
    }
    if !diagnostics.is_empty() {
        output::eprint_diagnostics(&diagnostics, &rules.sources, style);
        if style != Style::Json {
            let count = diagnostics.len();
            output::eprint(&format!(
                "failed: bad test file ({count} error{})",
                if count == 1 { "" } else { "s" }
            ));
        }
        return Ok(EXIT_INPUT_ERRORS);
    }
    // A test whose applicant file cannot be read fails; the other tests still run.
    output::eprint_diagnostics(&unread, &rules.sources, style);
    let report = rule_tests::run(&rules.program, &test_files);
    let text = match args.format {
        TestFormat::Json => format!("{}\n", rule_tests::report_json(&report, args.coverage)),
        TestFormat::Text if args.coverage => format!(
            "{}\ncoverage\n{}",
            rule_tests::report_text(&report),
            rule_tests::coverage_table(&report.coverage)
        ),
        TestFormat::Text => rule_tests::report_text(&report),
    };
    output::print(&text)?;
    let mut status = if report.failed() > 0 {
        EXIT_INPUT_ERRORS
    } else {
        EXIT_OK
    };
    if let Some(min) = args.coverage_min {
        let (_, total) = report.coverage.totals();
        let (paths, boundaries) = (total.paths.percent(), total.boundaries.percent());
        if paths < usize::from(min) || boundaries < usize::from(min) {
            output::eprint(&format!(
                "failed: coverage below {min}%: paths {paths}%, boundaries {boundaries}%"
            ));
            status = EXIT_INPUT_ERRORS;
        }
    }
    Ok(status)
}

/// The tests of a rules folder: its `tests` folder; for a rule file, the one beside it.
fn tests_folder(rules: &Path) -> PathBuf {
    if rules.is_dir() {
        rules.join(TESTS_FOLDER)
    } else {
        rules.parent().unwrap_or(Path::new(".")).join(TESTS_FOLDER)
    }
}

/// Checks and compiles the rules; on errors prints them and gives `None`.
fn load_rules(folder: &Path, style: Style) -> Result<Option<Rules>, FileError> {
    let outcome = check_cmd::load(&[folder.to_path_buf()])?;
    let Some(checked) = outcome.rules else {
        evaluation::report_rule_errors(&outcome, style);
        return Ok(None);
    };
    Ok(Some(Rules {
        program: compile::compile(&checked),
        checked,
        sources: outcome.sources,
    }))
}

/// Applicant files named by tests, each read once.
#[derive(Default)]
struct AppCache {
    read: HashMap<PathBuf, Option<Applicant>>,
}

impl AppCache {
    /// Reads the applicant file of every test that names one, relative to the test file's
    /// folder, and gives the problems found.
    fn fill(&mut self, file: &mut TestFile, base: &Path, rules: &mut Rules) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for test in &mut file.tests {
            let ApplicantSource::File { path, span } = &test.source else {
                continue;
            };
            let full = base.join(path);
            if let Some(known) = self.read.get(&full) {
                test.applicant.clone_from(known);
                continue;
            }
            let bytes = match files::read(&full, MAX_APPLICANT_BYTES) {
                Ok(bytes) => bytes,
                Err(error) => {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::TestApplicantUnreadable,
                            format!("cannot read the applicant file `{path}`"),
                            *span,
                            "this file",
                        )
                        .with_help(format!(
                            "{}; the path is relative to the test file's folder",
                            error.message
                        )),
                    );
                    self.read.insert(full, None);
                    continue;
                }
            };
            let read = applicant::read(
                &mut rules.sources,
                &files::display_name(&full),
                &bytes,
                &rules.checked,
            );
            diagnostics.extend(read.diagnostics.into_iter().filter(Diagnostic::is_error));
            test.applicant.clone_from(&read.applicant);
            self.read.insert(full, read.applicant);
        }
        diagnostics
    }
}

/// Generated cases are written only to new files (Q-coded refusal of `path`, in `dir`).
fn exists(path: &Path, dir: &Path) -> FileError {
    FileError::usage(
        Code::GeneratedFileExists,
        format!(
            "`{}` exists; generated cases are written only to new files, for review: \
             give an empty folder, e.g. `--generate {}`",
            path.display(),
            dir.join("generated").display()
        ),
    )
}

/// Writes the generated boundary cases into `dir`, each file atomically.
fn generate(rules: &Rules, dir: &Path, as_of: Date) -> Result<u8, FileError> {
    let generated = rule_tests::generate(&rules.program, as_of);
    std::fs::create_dir_all(dir).map_err(|e| {
        FileError::io(format!(
            "cannot create `{}`: {}",
            dir.display(),
            files::reason(&e)
        ))
    })?;
    // Reviewed tests are never replaced by unreviewed ones, nor is anything written through
    // a link found at a file's name (which may point out of the folder).
    if let Some(existing) = generated
        .iter()
        .map(|file| dir.join(&file.name))
        .find(|path| std::fs::symlink_metadata(path).is_ok())
    {
        return Err(exists(&existing, dir));
    }
    let mut summary = String::new();
    for file in &generated {
        let path = dir.join(&file.name);
        // Only a new file is written, even should one appear at the name meanwhile.
        files::write_new(&path, file.text.as_bytes()).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                exists(&path, dir)
            } else {
                FileError::io(format!(
                    "cannot write `{}`: {}",
                    path.display(),
                    files::reason(&e)
                ))
            }
        })?;
        summary.push_str(&format!(
            "wrote {} ({} case{})\n",
            path.display(),
            file.cases,
            if file.cases == 1 { "" } else { "s" }
        ));
    }
    if generated.is_empty() {
        // Nothing to write is said, not left for the user to find out.
        summary.push_str(&format!(
            "wrote nothing: no class of the rules is in force on {as_of}\n"
        ));
    }
    output::print(&summary)?;
    Ok(EXIT_OK)
}
