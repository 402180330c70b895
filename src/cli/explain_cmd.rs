//! `qualify explain`: the audit trace of one applicant against one class, or one level of it.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use qualify::diagnostics::render::Style;
use qualify::eval::{self, Query};
use qualify::explain;
use qualify::source::escape_controls;

use super::evaluation::{self, Stop};
use super::{EXIT_OK, output};

/// What `qualify explain` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// A tree an auditor can read.
    Text,
    /// The same tree as data.
    Json,
}

/// The arguments of `qualify explain`.
pub struct ExplainArgs<'a> {
    pub applicant: &'a Path,
    pub rules: Option<&'a Path>,
    pub class: String,
    pub level: Option<String>,
    pub as_of: Option<Date>,
    pub format: ExplainFormat,
}

pub fn run(args: &ExplainArgs<'_>, style: Style) -> u8 {
    match explain_one(args, style) {
        Ok(text) => match output::print(&text) {
            Ok(()) => EXIT_OK,
            Err(error) => output::write_failed(&error),
        },
        Err(Stop(code)) => code,
    }
}

fn explain_one(args: &ExplainArgs<'_>, style: Style) -> Result<String, Stop> {
    let rules = evaluation::rules_paths(args.rules);
    let applicants = [PathBuf::from(args.applicant)];
    let loaded = evaluation::load(
        &rules,
        &applicants,
        std::slice::from_ref(&args.class),
        style,
    )?;
    let query = Query {
        as_of: evaluation::as_of(args.as_of),
        classes: vec![args.class.clone()],
        level: args.level.clone(),
        tier: None,
    }
    .with_names_of(&loaded.program);
    let mut texts = Vec::new();
    for (index, applicant) in loaded.applicants.iter().enumerate() {
        let traced = eval::evaluate_traced(&loaded.program, applicant, &query)
            .map(|evaluated| loaded.with_hash(index, evaluated))
            .map_err(|e| evaluation::refused(&e, &loaded, index, style))?;
        texts.push(match args.format {
            // Rule text may hold control characters; they are shown escaped, never raw.
            ExplainFormat::Text => {
                escape_controls(&explain::tree(&loaded.program, &traced)).into_owned()
            }
            ExplainFormat::Json => format!("{}\n", explain::trace_json(&traced)),
        });
    }
    Ok(texts.concat())
}
