//! Loading and reloading rules through [`Files`], keeping the last good rule set on errors.

use std::path::Path;

use super::files::{Files, RuleFilePath};
use super::vocabulary::Vocabulary;
use super::{ReplError, Response, Session};
use crate::check::quotes::{self, SourceDocument};
use crate::check::{CheckOutcome, CheckedRules, RootedInput, SourceInput, check_rooted_owned};
use crate::compile::{Program, compile};
use crate::diagnostics::render::render;
use crate::diagnostics::{Code, Tally};
use crate::syntax::MAX_SOURCE_BYTES;

/// The extension of rule files.
const RULE_EXTENSION: &str = "qual";

/// A rule set in use, with what the session derives from it.
pub(super) struct Loaded {
    pub checked: CheckedRules,
    pub program: Program,
    pub vocabulary: Vocabulary,
}

impl Loaded {
    fn new(checked: CheckedRules) -> Loaded {
        Loaded {
            vocabulary: Vocabulary::of(&checked),
            program: compile(&checked),
            checked,
        }
    }
}

/// Every rule file at or below `path`, sorted, each with its path inside `path`.
fn collect(files: &dyn Files, path: &Path) -> Result<Vec<RuleFilePath>, ReplError> {
    if !files.is_dir(path) {
        let inside = path.file_name().map_or_else(
            || display_name(path),
            |name| name.to_string_lossy().into_owned(),
        );
        return Ok(vec![RuleFilePath {
            path: path.to_path_buf(),
            inside,
        }]);
    }
    let mut found = files
        .files_below(path, RULE_EXTENSION)
        .map_err(|e| ReplError::new(e.to_string()))?;
    found.sort();
    if found.is_empty() {
        return Err(ReplError::coded(
            crate::diagnostics::Code::NoInputFiles,
            format!(
                "no rule files (*.{RULE_EXTENSION}) found in `{}`",
                path.display()
            ),
        ));
    }
    Ok(found)
}

/// `cannot read `x`: reason`, without the OS error number.
pub(super) fn io_error(what: &str, path: &Path, error: &std::io::Error) -> ReplError {
    let text = error.to_string();
    let reason = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = reason.chars();
    let reason: String = chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default();
    // The file system marks a special file refused unread with its code (Q007).
    let special = format!("not a regular file ({}): ", Code::NotARegularFile);
    let (code, reason) = match reason.strip_prefix(&special) {
        Some(kind) => (Code::NotARegularFile, format!("not a regular file: {kind}")),
        None => (Code::InputOutput, reason),
    };
    ReplError::coded(code, format!("{what} `{}`: {reason}", path.display()))
}

fn display_name(path: &Path) -> String {
    crate::source::path_shown(path)
}

/// Reads and checks the rules at `path`; each file is known to the rules hash by its path
/// inside the folder, as `qualify eval` knows it.
fn read_and_check(files: &dyn Files, path: &Path) -> Result<CheckOutcome, ReplError> {
    let found = collect(files, path)?;
    let mut inputs = Vec::with_capacity(found.len());
    for file in found {
        let bytes = files
            .read(&file.path)
            .map_err(|e| io_error("cannot read", &file.path, &e))?;
        inputs.push(RootedInput {
            input: SourceInput {
                name: display_name(&file.path),
                bytes,
            },
            path_in_rules: file.inside,
        });
    }
    let mut outcome = check_rooted_owned(inputs);
    if outcome.rules.is_some() {
        let documents = source_documents(files, path)?;
        quotes::add_quote_findings(&mut outcome, &documents);
    }
    Ok(outcome)
}

/// The documents the rules quote, as `qualify check` reads them: every file directly in the
/// `sources/` folder inside the rules folder (or beside the rule file), by file name; none
/// when there is no such folder.
fn source_documents(files: &dyn Files, path: &Path) -> Result<Vec<SourceDocument>, ReplError> {
    let base = if files.is_dir(path) {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    let folder = base.join(SOURCES_FOLDER);
    if !files.is_dir(&folder) {
        return Ok(Vec::new());
    }
    let mut entries = files
        .list(&folder)
        .map_err(|e| io_error("cannot read", &folder, &e))?;
    entries.retain(|entry| !entry.is_dir && !entry.name.starts_with('.'));
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries
        .into_iter()
        .map(|entry| {
            let file = folder.join(&entry.name);
            let bytes = files
                .read(&file)
                .map_err(|e| io_error("cannot read", &file, &e))?;
            if bytes.len() > MAX_SOURCE_BYTES {
                return Err(ReplError::new(format!(
                    "source document `{}` is larger than {MAX_SOURCE_BYTES} bytes",
                    file.display()
                )));
            }
            Ok(SourceDocument {
                name: entry.name,
                bytes,
            })
        })
        .collect()
}

/// The folder, beside the rule files, that holds the documents they quote.
const SOURCES_FOLDER: &str = "sources";

/// The one-line summary `qualify check` ends with.
fn summary(outcome: &CheckOutcome) -> String {
    let tally = Tally::of(&outcome.diagnostics);
    let s = outcome.stats;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let versions = if s.versions > s.classes {
        format!(" ({})", plural(s.versions, "version", "versions"))
    } else {
        String::new()
    };
    let counts = format!(
        "{}, {}{versions}, {}",
        plural(s.files, "file", "files"),
        plural(s.classes, "class", "classes"),
        plural(s.levels, "level", "levels")
    );
    let acknowledged = match outcome.acknowledged.len() {
        0 => String::new(),
        n => format!(" ({} acknowledged)", plural(n, "warning", "warnings")),
    };
    let problems = format!(
        "{}, {}{acknowledged}",
        plural(tally.errors, "error", "errors"),
        plural(tally.warnings, "warning", "warnings")
    );
    if tally.errors > 0 {
        format!("failed: {problems} in {counts}")
    } else {
        format!("ok: {counts}; {problems}")
    }
}

impl Session {
    /// Loads the rules at `path` (or reloads the current ones). With `verbose`, every
    /// diagnostic is shown as `qualify check` shows it; otherwise only errors.
    pub(super) fn load_rules(&mut self, path: Option<&Path>, verbose: bool) -> Response {
        let Some(path) = path
            .map(Path::to_path_buf)
            .or_else(|| self.rules_path.clone())
        else {
            return ReplError::new("no rules are loaded yet")
                .with_help("load them with `:rules PATH`, e.g. `:rules rules/`")
                .into();
        };
        let outcome = match read_and_check(self.files.as_ref(), &path) {
            Ok(outcome) => outcome,
            Err(error) => return error.into(),
        };
        let mut text = String::new();
        for diagnostic in &outcome.diagnostics {
            if verbose || diagnostic.is_error() {
                text.push_str(&render(
                    diagnostic,
                    &outcome.sources,
                    self.options.style,
                    self.options.width,
                ));
            }
        }
        text.push_str(&summary(&outcome));
        text.push('\n');
        match outcome.rules {
            Some(checked) => {
                let loaded = Loaded::new(checked);
                // An applicant loaded under other rules may name what these do not define:
                // said now, and evaluation refuses it until it is fixed.
                if let Err(error) =
                    super::evaluation::fits_the_rules(&loaded, &self.state.applicant)
                {
                    text.push_str(&format!(
                        "{}; it is not evaluated until they change\n",
                        crate::source::one_line(&error.message)
                    ));
                }
                self.rules = Some(loaded);
                self.rules_path = Some(path);
                Response::text(text)
            }
            None => {
                if let Some(old) = &self.rules_path {
                    text.push_str(&format!(
                        "the rules loaded before from `{}` stay in use\n",
                        old.display()
                    ));
                } else {
                    text.push_str("no rules are loaded\n");
                }
                Response::failed(text)
            }
        }
    }

    /// The loaded rules, or an error saying how to load them.
    pub(super) fn loaded(&self) -> Result<&Loaded, ReplError> {
        self.rules.as_ref().ok_or_else(|| {
            ReplError::new("no rules are loaded")
                .with_help("load them with `:rules PATH`, e.g. `:rules rules/`")
        })
    }
}
