//! `qualify fmt`: lays rule files out in the one canonical layout, or with `--check` shows
//! how they differ from it and changes nothing.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use qualify::diagnostics::render::Style;
use qualify::diagnostics::{Code, Diagnostic, suggest};
use qualify::format::format_rule_text;
use qualify::repl::Files;
use qualify::source::{FileId, SourceFile, SourceMap, Span};
use qualify::syntax::{MAX_SOURCE_BYTES, decode, source_too_large};

use super::check_cmd::{default_rules, no_rules_named};
use super::files::{self, FileError, RULE_EXTENSION};
use super::output;
use super::repl_cmd::DiskFiles;
use super::{EXIT_INPUT_ERRORS, EXIT_OK};

/// What happened to the files of one run.
#[derive(Default)]
struct Tally {
    files: usize,
    /// Files not in the canonical layout: rewritten, or with `--check` shown as a diff.
    changed: usize,
    /// Files left as they are because they do not parse (or could not be formatted).
    refused: usize,
    /// Files that could not be read, or written (a read-only file): each reported, and the
    /// other files still formatted.
    failed: usize,
}

pub fn run(paths: &[PathBuf], check: bool, style: Style) -> u8 {
    let found = match rule_files(paths) {
        Ok(found) => found,
        Err(error) => return output::report_error(&error),
    };
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut tally = Tally::default();
    // The exit status of the worst file that could not be read or written.
    let mut worst = EXIT_OK;
    // Files are formatted independently, on every core; what each gives is then reported,
    // and written, in order, as if they had been formatted one after another.
    let results: Vec<Result<Formatted, FileError>> = found
        .par_iter()
        .enumerate()
        .map(|(index, path)| format_file(path, FileId(u32::try_from(index).unwrap_or(u32::MAX))))
        .collect();
    for (path, result) in found.iter().zip(results) {
        tally.files += 1;
        let Formatted {
            name,
            text,
            formatted,
        } = match result {
            Ok(one) => one,
            Err(error) => {
                tally.failed += 1;
                worst = worst.max(output::report_error(&error));
                continue;
            }
        };
        let id = sources.add(SourceFile::new(name.as_str(), text.as_str()));
        let formatted = match formatted {
            Ok(formatted) => formatted,
            Err(found) => {
                tally.refused += 1;
                diagnostics.extend(found);
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if check {
            tally.changed += 1;
            let file = Shown {
                name: &name,
                id,
                text: &text,
                sources: &sources,
            };
            if let Err(error) = show_difference(&file, &formatted, style) {
                return output::report_error(&error);
            }
        } else {
            match write(path, &name, &formatted) {
                Ok(()) => tally.changed += 1,
                Err(error) => {
                    tally.failed += 1;
                    worst = worst.max(output::report_error(&error));
                }
            }
        }
    }
    if style == Style::Json {
        if let Err(error) = output::print_diagnostics(&diagnostics, &sources, style) {
            return output::write_failed(&error);
        }
    } else {
        output::eprint_diagnostics(&diagnostics, &sources, style);
        output::eprint(&summary(&tally, check));
    }
    if tally.refused > 0 || (check && tally.changed > 0) {
        worst.max(EXIT_INPUT_ERRORS)
    } else {
        worst
    }
}

/// One rule file read and formatted: its name, its text, and the formatted text or why there
/// is none.
struct Formatted {
    name: String,
    text: String,
    formatted: Result<String, Vec<Diagnostic>>,
}

/// Reads the file at `path`, the `id`th file of the run, and formats it.
fn format_file(path: &Path, id: FileId) -> Result<Formatted, FileError> {
    let bytes = files::read(path, MAX_SOURCE_BYTES)?;
    // Only the start of a file over the limit was read: it is never rewritten from that.
    if bytes.len() > MAX_SOURCE_BYTES {
        return Ok(Formatted {
            name: files::display_name(path),
            text: String::new(),
            formatted: Err(vec![source_too_large(id)]),
        });
    }
    let (text, formatted) = match decode(id, &bytes) {
        Ok(text) => (text.to_owned(), format_rule_text(id, text)),
        Err((lossy, diagnostic)) => (lossy, Err(vec![diagnostic])),
    };
    Ok(Formatted {
        name: files::display_name(path),
        text,
        formatted,
    })
}

/// The rule files below `paths`, or below the default rules when none is given.
fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FileError> {
    let (paths, named) = if paths.is_empty() {
        (vec![default_rules()], false)
    } else {
        (paths.to_vec(), true)
    };
    let found = if named || paths.iter().all(|p| p.exists()) {
        files::collect(&paths, &[RULE_EXTENSION])?
    } else {
        Vec::new()
    };
    if found.is_empty() {
        return Err(match paths.first() {
            Some(default) if !named => no_rules_named(default),
            _ => FileError::usage(
                Code::NoInputFiles,
                format!("no rule files (*.{RULE_EXTENSION}) found in the paths given"),
            ),
        });
    }
    Ok(found.into_iter().map(|found| found.path).collect())
}

/// A rule file as read, with its id among the sources of the run.
struct Shown<'a> {
    name: &'a str,
    id: FileId,
    text: &'a str,
    sources: &'a SourceMap,
}

/// With `--check`: the unified diff from the file to its formatted text on stdout, or with
/// `--error-format json` a Q700 diagnostic at the first line that differs. Control
/// characters in the file are shown as escapes, never written raw to the terminal.
fn show_difference(file: &Shown<'_>, formatted: &str, style: Style) -> Result<(), FileError> {
    let (name, text) = (file.name, file.text);
    if style == Style::Json {
        let at = first_difference(text, formatted);
        let diagnostic = Diagnostic::new(
            Code::NotFormatted,
            "file is not formatted",
            Span::new(file.id, at, at),
            "the formatted layout differs from this line on",
        )
        .with_help("run `qualify fmt` to lay the file out");
        return output::print_diagnostics(&[diagnostic], file.sources, style);
    }
    // Compared with its line endings made line feeds, as the layout writes them: a line
    // ending in a lone carriage return would be shown raw, and lines shown over each other.
    let shown = line_feeds(text);
    let diff = similar::TextDiff::from_lines(shown.as_ref(), formatted);
    let formatted_name = format!("{name} (formatted)");
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(name, &formatted_name)
        .to_string();
    if shown.as_ref() != text {
        if out.is_empty() {
            out = format!("--- {name}\n+++ {formatted_name}\n");
        }
        out.push_str("line endings: the file's carriage returns become line feeds\n");
    }
    output::print(&qualify::source::escape_controls(&out))
}

/// `text` with every line ending (`\r\n`, a lone `\r`) a line feed.
fn line_feeds(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The offset of the start of the first line where `text` and `formatted` differ.
fn first_difference(text: &str, formatted: &str) -> usize {
    let same = text
        .bytes()
        .zip(formatted.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    text.get(..same)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |n| n + 1)
}

/// Writes the formatted text over the file, atomically and keeping its mode.
fn write(path: &Path, name: &str, formatted: &str) -> Result<(), FileError> {
    DiskFiles
        .write_atomic(path, formatted.as_bytes())
        .map_err(|error| {
            FileError::io(format!("cannot write `{name}`: {}", files::reason(&error)))
        })?;
    output::print(&format!("formatted {name}\n"))
}

fn summary(tally: &Tally, check: bool) -> String {
    let plural = suggest::count;
    let refused = match tally.refused {
        0 => String::new(),
        n => format!(
            "; {} left as {} because of the errors above",
            plural(n, "file"),
            if n == 1 { "it is" } else { "they are" }
        ),
    };
    let failed = match tally.failed {
        0 => String::new(),
        n => format!("; {} could not be read or written", plural(n, "file")),
    };
    // What was left as it was, after the counts.
    let left = format!("{refused}{failed}");
    let files = plural(tally.files, "file");
    match (check, tally.changed) {
        (true, 0) if tally.refused + tally.failed == 0 => {
            format!("{files} checked: all formatted")
        }
        // Not "all": the files with errors were not checked for their layout.
        (true, 0) => format!(
            "{files} checked: {} formatted{left}",
            tally.files.saturating_sub(tally.refused + tally.failed)
        ),
        (true, n) => format!(
            "{files} checked: {n} not formatted (run `qualify fmt` to format {}){left}",
            if n == 1 { "it" } else { "them" }
        ),
        (false, n) => format!(
            "{files}: {n} formatted, {} unchanged{left}",
            tally.files.saturating_sub(n + tally.refused + tally.failed)
        ),
    }
}
