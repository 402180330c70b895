//! The compact table: one row per class × level × tier.
//!
//! A large table (a rule set of thousands of classes gives hundreds of thousands of rows) is
//! written on several threads: each takes short runs of consecutive rows, and the runs are
//! joined in row order, so the text is the one a single thread writes, byte for byte.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::labels::verbatim;
use crate::compile::Program;
use crate::eval::{ClassOutcome, Evaluation, TierOutcome, Via};

/// The `met` column's marks, as `explain::mark` writes them.
const MET: &str = "✔";
const NOT_MET: &str = "✘";

/// The column headings.
const HEADINGS: [&str; 6] = ["class", "level", "tier", "met", "via", "shortfall"];

/// Tables with fewer rows than this are written on the calling thread alone.
const PARALLEL_ROWS: usize = 8 * 1024;

/// Rows in each run the threads take in turn.
const ROWS_PER_RUN: usize = 2 * 1024;

/// One row: the class, level and tier it reports.
struct Row<'e, 'a> {
    class: &'e ClassOutcome<'a>,
    level: &'a str,
    tier: &'e TierOutcome<'a>,
}

/// A row's cells, written out; most borrow their text from the evaluation.
type Cells<'e> = [Cow<'e, str>; 6];

/// Columns: class, level, tier, ✔/✘, via, shortfall. Then the highest level met per class.
/// Field sets and categories are named by their identifiers.
pub fn table(evaluation: &Evaluation) -> String {
    table_parts(evaluation).concat()
}

/// [`table`] with field sets and categories named by their labels, as people read it.
pub fn labelled_table(program: &Program, evaluation: &Evaluation) -> String {
    table_parts_with(evaluation, &|part| super::labelled(program, &part)).concat()
}

/// [`table`] in consecutive parts, each ending at a line end, which join to it: the heading,
/// the rows in runs, and the closing lines. A large table is hundreds of megabytes, which a
/// caller can then label, escape and write part by part, never holding it whole.
pub fn table_parts(evaluation: &Evaluation) -> Vec<String> {
    table_parts_with(evaluation, &|part| {
        super::labels::without_markers(&part).into_owned()
    })
}

/// [`table_parts`], each part passed through `finish` as soon as it is written, on the
/// thread that wrote it: a large table is then never held twice. The applicant's own words
/// are marked in the parts given to `finish`, which labels them with
/// [`super::labelled`] (which takes the marks out) or takes the marks out with
/// [`super::without_markers`].
pub fn table_parts_with(
    evaluation: &Evaluation,
    finish: &(dyn Fn(String) -> String + Sync),
) -> Vec<String> {
    let rows = rows(evaluation);
    let threads = threads_for(rows.len());
    let widths = column_widths(&rows, threads);
    let mut heading = String::new();
    let who = who(evaluation);
    let _ = writeln!(heading, "{who}, as of {}", evaluation.as_of);
    let mut line = String::new();
    write_line(&mut heading, &mut line, &HEADINGS, &widths);
    // Each run's cells are written out as they are made: the rows' cells are never all held.
    let laid_out: Vec<String> = in_runs(&rows, threads, |run| {
        let mut text = String::new();
        let mut line = String::new();
        for row in run {
            write_line(&mut text, &mut line, &row_cells(evaluation, row), &widths);
        }
        vec![finish(text)]
    });
    let mut parts = Vec::with_capacity(laid_out.len() + 2);
    parts.push(finish(heading));
    parts.extend(laid_out.into_iter().filter(|text| !text.is_empty()));
    parts.push(finish(closing_lines(evaluation)));
    parts
}

/// The lines after the rows: the highest level met per class, and the classes with no
/// version in force.
fn closing_lines(evaluation: &Evaluation) -> String {
    let mut out = String::new();
    for class in &evaluation.classes {
        let highest = class.highest_level_met.unwrap_or("none");
        let _ = writeln!(
            out,
            "{}: highest level whose minimum is met, of all levels: {highest}",
            class.code
        );
    }
    for code in &evaluation.not_in_force {
        let _ = writeln!(out, "{code}: no version in force on {}", evaluation.as_of);
    }
    out
}

/// Every row, in class, level and tier order.
fn rows<'e, 'a>(evaluation: &'e Evaluation<'a>) -> Vec<Row<'e, 'a>> {
    let mut rows = Vec::with_capacity(evaluation.tiers.len());
    for class in &evaluation.classes {
        for level in evaluation.levels(class) {
            for tier in evaluation.level_tiers(level) {
                rows.push(Row {
                    class,
                    level: level.level,
                    tier,
                });
            }
        }
    }
    rows
}

fn row_cells<'e>(evaluation: &Evaluation<'_>, row: &Row<'e, 'e>) -> Cells<'e> {
    let [class, level, tier, met, via] = padded_cells(row);
    [
        class,
        level,
        tier,
        met,
        via,
        Cow::Owned(shortfall_cell(evaluation, row.tier)),
    ]
}

/// A row's cells but the last (the shortfall), which are padded to their column's width.
fn padded_cells<'e>(row: &Row<'e, 'e>) -> [Cow<'e, str>; 5] {
    let tier = row.tier;
    [
        Cow::Borrowed(row.class.code),
        Cow::Borrowed(row.level),
        Cow::Borrowed(tier.tier.as_str()),
        Cow::Borrowed(if tier.met { MET } else { NOT_MET }),
        tier.via.map_or(Cow::Borrowed("—"), |v| match v {
            Via::Direct => Cow::Borrowed("direct"),
            via => Cow::Owned(via.to_string()),
        }),
    ]
}

/// The width of each column in characters, its heading's or its widest cell's. The last
/// column is never padded, so its cells are not written to measure it.
fn column_widths(rows: &[Row<'_, '_>], threads: usize) -> [usize; 6] {
    let runs: Vec<[usize; 6]> = in_runs(rows, threads, |run| {
        let mut widths = [0; 6];
        for row in run {
            for (width, cell) in widths.iter_mut().zip(padded_cells(row).iter()) {
                *width = (*width).max(cell.chars().count());
            }
        }
        vec![widths]
    });
    let mut widths = HEADINGS.map(|heading| heading.chars().count());
    for run in runs {
        for (width, cell) in widths.iter_mut().zip(run) {
            *width = (*width).max(cell);
        }
    }
    widths
}

/// Writes one line of cells, each but the last padded to its column's width and two spaces,
/// without trailing space. `line` is a buffer reused from line to line.
fn write_line<S: AsRef<str>>(
    out: &mut String,
    line: &mut String,
    cells: &[S; 6],
    widths: &[usize; 6],
) {
    line.clear();
    for (i, (cell, width)) in cells.iter().zip(widths.iter()).enumerate() {
        let cell = cell.as_ref();
        line.push_str(cell);
        if i + 1 < cells.len() {
            let pad = width.saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad + 2));
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// How many threads a table of `rows` rows is written on.
fn threads_for(rows: usize) -> usize {
    if rows < PARALLEL_ROWS {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(rows / ROWS_PER_RUN)
}

/// `write` applied to runs of [`ROWS_PER_RUN`] consecutive items on `threads` threads, the
/// results concatenated in the items' order.
fn in_runs<I: Sync, T: Send>(
    items: &[I],
    threads: usize,
    write: impl Fn(&[I]) -> Vec<T> + Sync,
) -> Vec<T> {
    if threads < 2 {
        return write(items);
    }
    let runs: Vec<&[I]> = items.chunks(ROWS_PER_RUN.max(1)).collect();
    let next = AtomicUsize::new(0);
    let take_runs = || {
        let mut written = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(run) = runs.get(index) else {
                return written;
            };
            written.push((index, write(run)));
        }
    };
    let mut written: Vec<(usize, Vec<T>)> = crate::check::on_threads(threads, take_runs)
        .into_iter()
        .flatten()
        .collect();
    written.sort_by_key(|(index, _)| *index);
    written.into_iter().flat_map(|(_, run)| run).collect()
}

/// "applicant A-17 (Jane Doe)".
pub(crate) fn who(evaluation: &Evaluation) -> String {
    // The id and name are the applicant's own words: each stays on the heading's line.
    let id = crate::applicant::given(evaluation.applicant.id).map(verbatim);
    let name = crate::applicant::given(evaluation.applicant.name).map(verbatim);
    match (id, name) {
        (Some(id), Some(name)) => format!("applicant {id} ({name})"),
        (Some(id), None) => format!("applicant {id}"),
        (None, Some(name)) => format!("applicant {name}"),
        (None, None) => "applicant (no id)".to_string(),
    }
}

/// Every path's shortfall, labelled by path; empty when met.
fn shortfall_cell(evaluation: &Evaluation<'_>, tier: &TierOutcome<'_>) -> String {
    if tier.met {
        return String::new();
    }
    let paths = evaluation.paths(tier);
    let several = paths.len() > 1;
    paths
        .iter()
        .map(|p| {
            let text = evaluation.shortfalls(p).describe_all();
            if several {
                format!("{}: {text}", p.via)
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_met_column_has_the_marks_of_every_rendering() {
        assert_eq!(MET, super::super::mark(true).to_string());
        assert_eq!(NOT_MET, super::super::mark(false).to_string());
    }

    #[test]
    fn runs_on_any_number_of_threads_are_joined_in_item_order() {
        let items: Vec<usize> = (0..ROWS_PER_RUN * 7 + 13).collect();
        let write = |run: &[usize]| run.iter().map(|i| format!("{i}\n")).collect();
        let serial: Vec<String> = in_runs(&items, 1, write);
        for threads in [2, 3, 8] {
            assert_eq!(in_runs(&items, threads, write), serial, "{threads} threads");
        }
    }
}
