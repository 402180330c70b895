//! `qualify verify`: prove the built-in properties and the writer's assertions of every
//! class, or show the applicant who breaks them, and write those applicants as files.

use std::path::{Path, PathBuf};

use qualify::diagnostics::render::Style;
use qualify::diagnostics::{Diagnostic, Tally, suggest};
use qualify::source::SourceMap;
use qualify::verify::{Finding, Report};

use super::files::{self, FileError};
use super::{EXIT_INPUT_ERRORS, EXIT_OK, evaluation, output};

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Rule files or folders (default: `rules/`).
    paths: Vec<PathBuf>,
    /// Write every finding's counterexample applicant to this folder, one file each.
    #[arg(long, value_name = "DIR")]
    counterexamples: Option<PathBuf>,
    /// Only this class (code, any case); repeat for several.
    #[arg(long)]
    class: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    format: VerifyFormat,
    /// Also list the assertions that were proved.
    #[arg(long)]
    verbose: bool,
    /// Also print the findings an `allow` in the rules acknowledged, with its reason.
    #[arg(long)]
    show_acknowledged: bool,
    /// Fail when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum VerifyFormat {
    /// Diagnostics with their counterexamples, then a summary line.
    Human,
    /// One JSON object per finding, then one per proved assertion.
    Json,
}

pub fn run(args: &VerifyArgs, style: Style) -> u8 {
    // Rule errors go to stderr, as for every command; with `--class`, only those classes
    // are read beside the vocabulary, so a mistake in another class does not stop the run.
    let outcome = match evaluation::check_outcome(&args.paths, &args.class, style) {
        Ok(outcome) => outcome,
        Err(evaluation::Stop(code)) => return code,
    };
    let Some(rules) = &outcome.rules else {
        return EXIT_INPUT_ERRORS;
    };
    let program = qualify::compile::compile(rules);
    if let Some(error) = qualify::eval::unknown_class(&[&program], &args.class) {
        return evaluation::query_error(&error, style).0;
    }
    let mut report = qualify::verify::verify_classes(rules, &program, &args.class);
    let unmatched = qualify::verify::acknowledge(&mut report, rules, &outcome.allows, &args.class);
    if let Some(dir) = &args.counterexamples
        && let Err(error) = write_counterexamples(dir, &report.findings)
    {
        return output::report_error(&error);
    }
    let dir = args.counterexamples.as_deref();
    let mut diagnostics: Vec<Diagnostic> = report
        .findings
        .iter()
        .filter(|f| f.acknowledged.is_none())
        .map(|f| with_file(f, dir))
        .collect();
    diagnostics.extend(unmatched.iter().cloned());
    let tally = Tally::of(&diagnostics);
    if args.show_acknowledged {
        diagnostics.extend(report.findings.iter().filter_map(|f| {
            let (reason, allow) = f.acknowledged.as_ref()?;
            let shown = with_file(f, dir);
            let help = shown.help().unwrap_or_default().to_owned();
            Some(
                shown
                    .with_label(*allow, "acknowledged here")
                    .with_help(format!("{help}\nacknowledged: {reason}")),
            )
        }));
    }
    let printed = match args.format {
        VerifyFormat::Json => {
            output::print(&json_lines(&report, &unmatched, dir, &outcome.sources))
        }
        VerifyFormat::Human => output::print_diagnostics(&diagnostics, &outcome.sources, style)
            .and_then(|()| output::print(&human_tail(&report, tally, args))),
    };
    if let Err(error) = printed {
        return output::write_failed(&error);
    }
    if tally.errors > 0 || (args.deny_warnings && tally.warnings > 0) {
        EXIT_INPUT_ERRORS
    } else {
        EXIT_OK
    }
}

/// The finding's diagnostic, saying where its counterexample was written.
fn with_file(finding: &Finding, dir: Option<&Path>) -> Diagnostic {
    match (dir, &finding.counterexample) {
        (Some(dir), Some(example)) => {
            let path = dir.join(&example.file_name);
            let help = finding.diagnostic.help().unwrap_or_default();
            finding
                .diagnostic
                .clone()
                .with_help(format!("{help}\nwritten to {}", path.display()))
        }
        _ => finding.diagnostic.clone(),
    }
}

/// The proved assertions (with `--verbose`) and the summary line.
fn human_tail(report: &Report, tally: Tally, args: &VerifyArgs) -> String {
    let mut text = String::new();
    if args.verbose {
        for proved in &report.proved {
            let bounded = if proved.over_bounded_family {
                " (over a bounded family of applicants)"
            } else {
                ""
            };
            text.push_str(&format!(
                "proved: class {}: {}{bounded}\n",
                proved.class, proved.assertion
            ));
        }
    }
    let plural = suggest::count;
    let acknowledged = match report
        .findings
        .iter()
        .filter(|f| f.acknowledged.is_some())
        .count()
    {
        0 => String::new(),
        n => format!(" ({} acknowledged)", plural(n, "warning")),
    };
    let problems = format!(
        "{}, {}{acknowledged}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    );
    let counts = format!(
        "{}, {} proved, over {}",
        plural(report.versions, "class version"),
        plural(report.proved.len(), "assertion"),
        plural(report.candidates, "candidate applicant")
    );
    if tally.errors > 0 {
        text.push_str(&format!("failed: {problems} in {counts}\n"));
    } else if args.deny_warnings && tally.warnings > 0 {
        text.push_str(&format!(
            "failed: {problems} in {counts} (warnings are denied)\n"
        ));
    } else {
        text.push_str(&format!("ok: {counts}; {problems}\n"));
    }
    text
}

/// Where a diagnostic points in the rules: the file, and the line and column (from 1, the
/// column counting characters) of its start; `null` when it points nowhere.
fn place(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let span = d.span();
    match sources.get(span.file) {
        Some(file) if !file.text().is_empty() => {
            let (line, column) = file.line_col(span.start as usize);
            serde_json::json!({ "file": file.name(), "line": line, "column": column })
        }
        _ => serde_json::Value::Null,
    }
}

/// One JSON object per finding, then one per `allow` that acknowledges nothing, then one
/// per proved assertion.
fn json_lines(
    report: &Report,
    unmatched: &[Diagnostic],
    dir: Option<&Path>,
    sources: &SourceMap,
) -> String {
    let mut text = String::new();
    for finding in &report.findings {
        let d = &finding.diagnostic;
        let counterexample = finding.counterexample.as_ref().map(|example| {
            serde_json::json!({
                "file": dir.map(|dir| dir.join(&example.file_name).display().to_string()),
                "as_of": example.as_of.to_string(),
                "description": example.description,
                "outcomes": example.outcomes.iter().map(|o| serde_json::json!({
                    "level": o.level,
                    "tier": o.tier.as_str(),
                    "met": o.via.is_some(),
                    "via": o.via.map(|v| v.to_string()),
                })).collect::<Vec<_>>(),
                "applicant": qualify::applicant::to_toml(&example.applicant),
            })
        });
        let line = serde_json::json!({
            "kind": "finding",
            "code": d.code().as_str(),
            "severity": d.severity().as_str(),
            "class": finding.class,
            "message": d.message(),
            "at": place(d, sources),
            "acknowledged": finding.acknowledged.as_ref().map(|(reason, _)| reason),
            "counterexample": counterexample,
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    for d in unmatched {
        let line = serde_json::json!({
            "kind": "unmatched_allow",
            "code": d.code().as_str(),
            "severity": "warning",
            "message": d.message(),
            "at": place(d, sources),
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    for proved in &report.proved {
        let line = serde_json::json!({
            "kind": "proved",
            "class": proved.class,
            "assertion": proved.assertion,
            "over_bounded_family": proved.over_bounded_family,
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    text
}

/// Writes every counterexample into `dir` (created when missing), each file atomically at
/// its own name: a file of an earlier run is replaced, and a link at the name is replaced
/// by the file, never written through.
pub fn write_counterexamples(dir: &Path, findings: &[Finding]) -> Result<(), FileError> {
    std::fs::create_dir_all(dir).map_err(|error| {
        FileError::io(format!(
            "cannot create `{}`: {}",
            dir.display(),
            files::reason(&error)
        ))
    })?;
    for finding in findings {
        if let Some(example) = &finding.counterexample {
            let path = dir.join(&example.file_name);
            files::write_at_name(&path, example.file_text(&finding.class).as_bytes()).map_err(
                |error| {
                    FileError::io(format!(
                        "cannot write `{}`: {}",
                        path.display(),
                        files::reason(&error)
                    ))
                },
            )?;
        }
    }
    Ok(())
}
