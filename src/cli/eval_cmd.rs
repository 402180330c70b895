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
        Ok(parts) => match output::print_parts(&parts) {
            Ok(()) => EXIT_OK,
            Err(error) => output::write_failed(&error),
        },
        Err(Stop(code)) => code,
    }
}

/// Evaluates every applicant and renders the evaluations in the asked format.
fn evaluate_all(args: &EvalArgs<'_>, style: Style) -> Result<Vec<String>, Stop> {
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
    let parts = render(&loaded.program, &evaluations, args.format, style);
    // The process ends once the text is printed, and its memory goes back whole: freeing the
    // program and the evaluations node by node first would cost a large rule set a second.
    std::mem::forget(evaluations);
    std::mem::forget(loaded);
    parts
}

/// The output in consecutive parts, to be written in order.
fn render(
    program: &qualify::compile::Program,
    evaluations: &[Evaluation<'_>],
    format: EvalFormat,
    style: Style,
) -> Result<Vec<String>, Stop> {
    Ok(match (format, evaluations) {
        (EvalFormat::Json, [one]) => vec![format!("{}\n", explain::record_json(one))],
        (EvalFormat::Json, many) => {
            let records = serde_json::to_string_pretty(many).map_err(|e| {
                let message = format!("cannot write the decision records: {e}");
                evaluation::internal_error(&message, style)
            })?;
            vec![format!("{records}\n")]
        }
        (EvalFormat::Table, many) => {
            let show = |part: String| shown(program, part);
            let mut parts = Vec::new();
            for (index, one) in many.iter().enumerate() {
                if index > 0 {
                    parts.push("\n".to_string());
                }
                parts.extend(explain::table_parts_with(one, &show));
            }
            parts
        }
    })
}

/// A part of the table as it may be shown: field sets and categories by their labels, and
/// control characters (which rule text may hold) escaped, never raw. Each part ends at a
/// line end, and both passes work word by word and character by character within a line,
/// so the parts join to the text whole, shown.
fn shown(program: &qualify::compile::Program, part: String) -> String {
    let labelled = explain::labelled(program, &part);
    match escape_controls(&labelled) {
        Cow::Borrowed(_) => labelled,
        Cow::Owned(escaped) => escaped,
    }
}
