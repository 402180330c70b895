//! `qualify eval`: does each applicant qualify, for which class, level and tier, and by which path.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use qualify::diagnostics::render::Style;
use qualify::eval::{self, Evaluation, Query};
use qualify::explain;
use qualify::source::escape_controls;

use super::evaluation::{self, Stop};
use super::files;
use super::{EXIT_OK, output};

/// What `qualify eval` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    /// An aligned table: class, level, tier, met, via, shortfall.
    Table,
    /// The decision record (one object, or an array for several applicants).
    Json,
}

/// The arguments of `qualify eval`.
pub struct EvalArgs<'a> {
    pub applicants: &'a [PathBuf],
    pub rules: Option<&'a Path>,
    /// The classes asked for (none: every class).
    pub class: Vec<String>,
    pub level: Option<String>,
    pub as_of: Option<Date>,
    pub format: EvalFormat,
}

pub fn run(args: &EvalArgs<'_>, style: Style) -> u8 {
    match evaluate_all(args, style) {
        Ok(text) => match output::print(&text) {
            Ok(()) => EXIT_OK,
            Err(error) => output::write_failed(&error),
        },
        Err(Stop(code)) => code,
    }
}

/// Evaluates every applicant and renders the evaluations in the asked format.
fn evaluate_all(args: &EvalArgs<'_>, style: Style) -> Result<String, Stop> {
    let rules = evaluation::rules_paths(args.rules);
    let applicants = files::expand(args.applicants, files::APPLICANT_EXTENSIONS)
        .map_err(|e| evaluation::usage(&e))?;
    let loaded = evaluation::load(&rules, &applicants, &args.class, style)?;
    let query = Query {
        as_of: evaluation::as_of(args.as_of),
        classes: args.class.clone(),
        level: args.level.clone(),
        tier: None,
    }
    .with_names_of(&loaded.program);
    let evaluations = loaded
        .applicants
        .iter()
        .enumerate()
        .map(|(index, a)| {
            eval::evaluate(&loaded.program, a, &query)
                .map(|evaluated| loaded.with_hash(index, evaluated))
                .map_err(|e| evaluation::refused(&e, &loaded, index, style))
        })
        .collect::<Result<Vec<_>, Stop>>()?;
    let text = render(&loaded.program, &evaluations, args.format, style);
    // The process ends once the text is printed, and its memory goes back whole: freeing the
    // program and the evaluations node by node first would cost a large rule set a second.
    std::mem::forget(evaluations);
    std::mem::forget(loaded);
    text
}

fn render(
    program: &qualify::compile::Program,
    evaluations: &[Evaluation<'_>],
    format: EvalFormat,
    style: Style,
) -> Result<String, Stop> {
    Ok(match (format, evaluations) {
        (EvalFormat::Json, [one]) => format!("{}\n", explain::record_json(one)),
        (EvalFormat::Json, many) => {
            let records = serde_json::to_string_pretty(many).map_err(|e| {
                let message = format!("cannot write the decision records: {e}");
                evaluation::internal_error(&message, style)
            })?;
            format!("{records}\n")
        }
        (EvalFormat::Table, [one]) => shown(program, explain::table(one)),
        (EvalFormat::Table, many) => shown(
            program,
            many.iter()
                .map(explain::table)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    })
}

/// Tables longer than this are labelled and escaped on several threads.
const PARALLEL_ESCAPE_BYTES: usize = 4 * 1024 * 1024;

/// `text` as it may be shown: field sets and categories by their labels, and control
/// characters (which rule text may hold) escaped, never raw. A long text is done in pieces
/// that end at line ends, on several threads, and the pieces joined in order: both passes
/// work word by word and character by character within a line, so the result is the same.
fn shown(program: &qualify::compile::Program, text: String) -> String {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let one = |piece: &str| {
        let labelled = explain::labelled(program, piece);
        match escape_controls(&labelled) {
            Cow::Borrowed(_) => labelled,
            Cow::Owned(escaped) => escaped,
        }
    };
    if text.len() < PARALLEL_ESCAPE_BYTES || threads < 2 {
        return one(&text);
    }
    let pieces = line_pieces(&text, threads);
    let shown: Vec<String> = std::thread::scope(|scope| {
        // A piece whose thread cannot be started is done here, when it is its turn.
        let handles: Vec<_> = pieces
            .iter()
            .map(|piece| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, || one(piece))
                    .ok()
            })
            .collect();
        handles
            .into_iter()
            .zip(&pieces)
            .map(|(handle, piece)| match handle {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
                None => one(piece),
            })
            .collect()
    });
    shown.concat()
}

/// `text` cut into about `count` pieces, each ending at a line end (the last at the end).
fn line_pieces(text: &str, count: usize) -> Vec<&str> {
    let mut pieces = Vec::with_capacity(count);
    let mut rest = text;
    let size = text.len().div_ceil(count.max(1));
    while !rest.is_empty() {
        let cut = rest
            .as_bytes()
            .iter()
            .skip(size)
            .position(|&byte| byte == b'\n')
            .map_or(rest.len(), |at| size + at + 1);
        let (piece, after) = rest.split_at_checked(cut).unwrap_or((rest, ""));
        pieces.push(piece);
        rest = after;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_pieces_end_at_line_ends_and_join_to_the_text() {
        let text: String = (0..1000)
            .map(|i| format!("row {i} {}\n", "x".repeat(i % 37)))
            .collect();
        for text in [text.as_str(), text.trim_end(), "", "one line, no end"] {
            for count in [1, 2, 3, 7, 5000] {
                let pieces = line_pieces(text, count);
                assert_eq!(pieces.concat(), text, "{count} pieces");
                let (last, rest) = pieces.split_last().unwrap_or((&"", &[]));
                assert!(rest.iter().all(|p| p.ends_with('\n')), "{count} pieces");
                assert!(!last.is_empty() || text.is_empty());
            }
        }
    }
}
