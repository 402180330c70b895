//! CSV output: one row per applicant × class × level × tier, written with the csv crate.

use crate::compile::Program;
use crate::eval::Evaluation;

use super::record::{ErrorLine, Source};

/// The header row.
pub const CSV_HEADER: &[u8] = b"file,line,applicant,class,level,tier,met,path,shortfall\n";

/// An evaluation's rows: whether each tier was met, by which path, and for a tier not met
/// what every path lacks, in plain words.
pub(super) fn csv_rows(
    program: &Program,
    evaluation: &Evaluation<'_>,
    source: Source<'_>,
) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(1024));
    let line = source.line.map(|l| l.to_string()).unwrap_or_default();
    let file = spreadsheet_safe(source.file);
    let id = spreadsheet_safe(evaluation.applicant.id.unwrap_or(""));
    for class in &evaluation.classes {
        for level in evaluation.levels(class) {
            for tier in evaluation.level_tiers(level) {
                let path = tier.via.map(|v| v.to_string()).unwrap_or_default();
                let shortfall = if tier.met {
                    String::new()
                } else {
                    let shortfall = evaluation
                        .paths(tier)
                        .iter()
                        .map(|p| format!("{}: {}", p.via, evaluation.shortfalls(p).describe_all()))
                        .collect::<Vec<_>>()
                        .join("; ");
                    crate::explain::labelled(program, &shortfall)
                };
                let met = if tier.met { "yes" } else { "no" };
                let row = [
                    &*file,
                    &line,
                    &*id,
                    class.code,
                    level.level,
                    tier.tier.as_str(),
                    met,
                    &path,
                    &shortfall,
                ];
                if writer.write_record(row).is_err() {
                    return Vec::new();
                }
            }
        }
    }
    writer.into_inner().unwrap_or_default()
}

/// A cell an applicant wrote (a file name, an id) as a spreadsheet shows it, not runs it: a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet
/// would read as a formula, gets a leading `'`, the mark spreadsheets take for "text". A
/// lone `-`, the name of standard input, is no formula and stays as it is.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell != "-" && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The rows of an applicant that could not be read, or whose evaluation was refused: one per
/// diagnostic, `met` = `error`, with the applicant's id when it was read (`id`).
pub(super) fn error_row(errors: &[ErrorLine], source: Source<'_>, id: Option<&str>) -> Vec<u8> {
    let id = spreadsheet_safe(id.unwrap_or(""));
    let mut writer = csv::Writer::from_writer(Vec::new());
    // As in every row, `line` is the applicant's line in a JSON Lines pool, and empty for
    // an applicant file; the diagnostic's own place is in its text.
    let line = source.line.map(|l| l.to_string()).unwrap_or_default();
    for error in errors {
        let text = format!(
            "{}:{}: {}: {}",
            error.line, error.column, error.code, error.message
        );
        let file = spreadsheet_safe(source.file);
        let row = [&*file, &line, &*id, "", "", "", "error", "", &text];
        if writer.write_record(row).is_err() {
            return Vec::new();
        }
    }
    writer.into_inner().unwrap_or_default()
}
