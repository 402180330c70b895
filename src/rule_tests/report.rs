//! Test results and coverage in words (like `cargo test`) and as JSON. Pure functions to
//! `String`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::source::one_line;

use super::coverage::{Coverage, Tally, Totals};
use super::run::Report;

/// One line per test, `ok` or `FAILED`; each failure's expectation, outcome and paths; and
/// the summary line `test result: ok. N passed, M failed`.
pub fn report_text(report: &Report) -> String {
    let mut out = String::new();
    let count = report.results.len();
    let _ = writeln!(
        out,
        "running {count} test{}",
        if count == 1 { "" } else { "s" }
    );
    for result in &report.results {
        let verdict = if result.passed() { "ok" } else { "FAILED" };
        let generated = if result.generated {
            " (generated, not reviewed)"
        } else {
            ""
        };
        // A name is the writer's text: it stays on its line, whatever it holds.
        let _ = writeln!(
            out,
            "test {} › {} ... {verdict}{generated}",
            one_line(&result.file),
            one_line(&result.name)
        );
    }
    let failed: Vec<_> = report.results.iter().filter(|r| !r.passed()).collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for result in &failed {
            let _ = writeln!(
                out,
                "\n---- {} › {} ----",
                one_line(&result.file),
                one_line(&result.name)
            );
            for failure in &result.failures {
                let _ = writeln!(
                    out,
                    "{}: expected `{}`, {}",
                    failure.tier, failure.expected, failure.happened
                );
                for path in &failure.paths {
                    let _ = writeln!(out, "  {path}");
                }
            }
        }
    }
    let status = if failed.is_empty() { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "\ntest result: {status}. {} passed, {} failed",
        report.passed(),
        report.failed()
    );
    out
}

/// The report as one JSON object: every test with its failures, and the summary.
pub fn report_json(report: &Report, with_coverage: bool) -> String {
    #[derive(Serialize)]
    struct Json<'r> {
        format: &'static str,
        passed: usize,
        failed: usize,
        tests: &'r [super::run::TestResult],
        #[serde(skip_serializing_if = "Option::is_none")]
        coverage: Option<CoverageJson<'r>>,
    }
    let json = Json {
        format: "qualify-test/1",
        passed: report.passed(),
        failed: report.failed(),
        tests: &report.results,
        coverage: with_coverage.then(|| coverage_data(&report.coverage)),
    };
    serde_json::to_string_pretty(&json).unwrap_or_default()
}

#[derive(Serialize)]
struct CoverageJson<'c> {
    total: Totals,
    classes: Vec<ClassTotals>,
    paths: &'c [super::coverage::PathCoverage],
}

#[derive(Serialize)]
struct ClassTotals {
    class: String,
    #[serde(flatten)]
    totals: Totals,
}

fn coverage_data(coverage: &Coverage) -> CoverageJson<'_> {
    let (classes, total) = coverage.totals();
    CoverageJson {
        total,
        classes: classes
            .into_iter()
            .map(|(class, totals)| ClassTotals {
                class: class.to_string(),
                totals,
            })
            .collect(),
        paths: &coverage.paths,
    }
}

/// The coverage alone as JSON.
pub fn coverage_json(coverage: &Coverage) -> String {
    serde_json::to_string_pretty(&coverage_data(coverage)).unwrap_or_default()
}

/// One row per path of every tier, by source sentence; what is not covered, item by item;
/// then the percentages per class and in total.
pub fn coverage_table(coverage: &Coverage) -> String {
    let mut rows: Vec<[String; 8]> = vec![[
        "class".into(),
        "level".into(),
        "tier".into(),
        "path".into(),
        "taken".into(),
        "boundaries".into(),
        "nodes".into(),
        "source".into(),
    ]];
    let mut missing: Vec<String> = Vec::new();
    for path in &coverage.paths {
        let totals = path.totals();
        rows.push([
            path.class.to_string(),
            path.level.to_string(),
            path.tier.to_owned(),
            path.path.clone(),
            if path.taken { "✔" } else { "✘" }.to_owned(),
            fraction(totals.boundaries),
            fraction(totals.nodes),
            path.cite.as_deref().unwrap_or("").to_owned(),
        ]);
        let name = format!("{} {} {} {}", path.class, path.level, path.tier, path.path);
        if !path.taken {
            missing.push(format!("{name}: no test was met by this path"));
        }
        for node in &path.nodes {
            if let Some(boundary) = &node.boundary {
                let sides = match (boundary.below, boundary.at) {
                    (false, false) => Some("just below or at"),
                    (false, true) => Some("just below"),
                    (true, false) => Some("at"),
                    (true, true) => None,
                };
                if let Some(sides) = sides {
                    missing.push(format!(
                        "{name}: no test {sides} {} in `{}`",
                        boundary.threshold, node.rule
                    ));
                }
            }
        }
    }
    let mut out = aligned(&rows);
    if !missing.is_empty() {
        let _ = writeln!(out, "\nnot covered:");
        for line in &missing {
            let _ = writeln!(out, "  {line}");
        }
    }
    let (classes, total) = coverage.totals();
    out.push('\n');
    for (class, totals) in &classes {
        let _ = writeln!(out, "{class}: {}", totals_line(*totals));
    }
    let _ = writeln!(out, "total: {}", totals_line(total));
    out
}

fn totals_line(totals: Totals) -> String {
    format!(
        "paths {}, boundaries {}, nodes seen met and not met {}",
        percent(totals.paths),
        percent(totals.boundaries),
        percent(totals.nodes)
    )
}

fn percent(tally: Tally) -> String {
    format!("{}% ({})", tally.percent(), fraction(tally))
}

fn fraction(tally: Tally) -> String {
    format!("{}/{}", tally.covered, tally.total)
}

fn aligned<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths.iter()) {
            line.push_str(cell);
            line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 2));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}
