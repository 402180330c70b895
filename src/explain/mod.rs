//! Renderings of an evaluation: the compact table, the auditor's tree, and JSON.
//!
//! Pure functions from data to `String`: no colour codes, no I/O. Marks are ✔ (met) and
//! ✘ (not met); the path a decision rests on is marked ▶.

pub mod audit;
mod labels;
pub mod reasons;
mod table;
mod tree;
mod why;

use serde::Serialize;

use crate::eval::Evaluation;
use crate::eval::outcome::{ApplicantRef, VersionRef, date_string};

pub use audit::{NodeTrace, PathTrace, TierTrace};
pub use reasons::{Reason, SetAside};

pub(crate) use labels::verbatim;
pub use labels::{glossary, labelled, mentioned, without_markers};
pub use table::{labelled_table, table, table_parts, table_parts_with};
pub use tree::{annotation_lines, band_words, labelled_requirement_tree, requirement_tree, tree};
pub use why::why;

/// A combination clause's arithmetic in one unit, checkable by hand: "0.97 years of
/// education × 12 = 58/5 = 11.60 months + 36 months of experience = 238/5 = 47.60 months <
/// 48 months".
pub fn combination_sum(figure: &crate::eval::outcome::CombinationFigure) -> String {
    use crate::eval::month_words::exact_months;
    let relation = if figure.credited.0 >= figure.required.0 {
        "≥"
    } else {
        "<"
    };
    format!(
        "{} of education × 12 = {} + {} of experience = {} {relation} {}{}",
        crate::eval::outcome::plural(figure.education.0, "year"),
        crate::eval::month_words::years_in_months(figure.education.0),
        exact_months(figure.experience.0),
        exact_months(figure.credited.0),
        exact_months(figure.required.0),
        combination_cut_note(figure)
    )
}

/// " (each figure is cut to two decimals; ...)" when a combination's arithmetic, shown to two
/// decimals, would not check by hand; empty when it does.
pub fn combination_cut_note(figure: &crate::eval::outcome::CombinationFigure) -> String {
    use crate::eval::month_words::{CUT_FIGURES, combination_shown_holds};
    if combination_shown_holds(figure.education.0, figure.experience.0, figure.credited.0) {
        String::new()
    } else {
        format!(" ({CUT_FIGURES})")
    }
}

/// The decision record as pretty, stable JSON (no trailing newline).
pub fn record_json(evaluation: &Evaluation) -> String {
    serde_json::to_string_pretty(evaluation).unwrap_or_default()
}

/// The trace format this crate writes.
pub const TRACE_VERSION: &str = "qualify-trace/1";

#[derive(Serialize)]
struct TraceDocument<'a> {
    record: &'static str,
    applicant: &'a ApplicantRef<'a>,
    #[serde(serialize_with = "date_string")]
    as_of: jiff::civil::Date,
    rules_hash: &'a str,
    classes: Vec<TraceClass<'a>>,
}

#[derive(Serialize)]
struct TraceClass<'a> {
    code: &'a str,
    title: &'a str,
    version: &'a VersionRef<'a>,
    highest_level_met: Option<&'a str>,
    tiers: Vec<&'a TierTrace<'a>>,
}

/// The audit trace as pretty JSON: the same tree [`tree()`] draws, as data. Empty tier lists
/// when the evaluation was not traced.
pub fn trace_json(evaluation: &Evaluation<'_>) -> String {
    let traces = audit::tiers(evaluation);
    let document = TraceDocument {
        record: TRACE_VERSION,
        applicant: &evaluation.applicant,
        as_of: evaluation.as_of,
        rules_hash: evaluation.rules_hash,
        classes: evaluation
            .classes
            .iter()
            .map(|c| TraceClass {
                code: c.code,
                title: c.title,
                version: &c.version,
                highest_level_met: c.highest_level_met,
                tiers: traces.iter().filter(|t| t.key.class == c.code).collect(),
            })
            .collect(),
    };
    let json = serde_json::to_string_pretty(&document).unwrap_or_default();
    labels::without_markers(&json).into_owned()
}

/// One node trace (e.g. a requirement typed in the REPL) as pretty JSON.
pub fn node_json(trace: &NodeTrace) -> String {
    let json = serde_json::to_string_pretty(trace).unwrap_or_default();
    labels::without_markers(&json).into_owned()
}

/// A note as people read it: its text, and the authority it rests on.
pub fn note_text(note: &crate::compile::NoteInfo) -> String {
    match &note.authority {
        Some(authority) => format!("{} (by {authority})", note.text),
        None => note.text.to_string(),
    }
}

/// ✔ or ✘.
pub(crate) fn mark(met: bool) -> char {
    if met { '✔' } else { '✘' }
}
