//! `qualify eval`: does each applicant qualify, for which class, level and tier, and by which path.

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
                .map_err(|e| evaluation::refused(&e, &loaded, index, style))
        })
        .collect::<Result<Vec<_>, Stop>>()?;
    render(&loaded.program, &evaluations, args.format, style)
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
        // Rule text may hold control characters; they are shown escaped, never raw.
        (EvalFormat::Table, many) => escape_controls(
            &many
                .iter()
                .map(|e| explain::labelled(program, &explain::table(e)))
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .into_owned(),
    })
}
