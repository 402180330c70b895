//! `qualify check`: report every problem in the rule files.

use std::path::PathBuf;

use qualify::check::{CheckOutcome, SourceInput, check_sources};
use qualify::diagnostics::Tally;
use qualify::diagnostics::render::Style;

use super::files::{self, RULE_EXTENSION};
use super::output;
use super::{EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE};

/// The folder checked when no path is given.
pub const DEFAULT_RULES: &str = "rules";

pub fn run(paths: &[PathBuf], deny_warnings: bool, style: Style) -> u8 {
    let outcome = match load(paths) {
        Ok(outcome) => outcome,
        Err(message) => {
            output::eprint(&format!("error: {message}"));
            return EXIT_USAGE;
        }
    };
    output::print_diagnostics(&outcome.diagnostics, &outcome.sources, style);
    let tally = Tally::of(&outcome.diagnostics);
    if style != Style::Json {
        output::print(&format!("{}\n", summary(&outcome, tally)));
    }
    if tally.errors > 0 || (deny_warnings && tally.warnings > 0) {
        EXIT_INPUT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Reads and checks the rule files under `paths` (default `rules/`).
pub fn load(paths: &[PathBuf]) -> Result<CheckOutcome, String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(DEFAULT_RULES)]
    } else {
        paths.to_vec()
    };
    let found = files::collect(&paths, &[RULE_EXTENSION]).map_err(|e| e.0)?;
    if found.is_empty() {
        return Err(format!(
            "no rule files (*.{RULE_EXTENSION}) found in {}",
            paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let inputs = found
        .iter()
        .map(|path| {
            Ok(SourceInput {
                name: files::display_name(path),
                bytes: files::read(path).map_err(|e| e.0)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(check_sources(&inputs))
}

fn summary(outcome: &CheckOutcome, tally: Tally) -> String {
    let s = outcome.stats;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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
    )
    .replace("classs", "classes");
    let problems = format!(
        "{}, {}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    );
    if tally.errors > 0 {
        format!("failed: {problems} in {counts}")
    } else {
        format!("ok: {counts}; {problems}")
    }
}
