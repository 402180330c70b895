//! The compact table: one row per class × level × tier.

use std::fmt::Write as _;

use crate::eval::{Evaluation, TierOutcome};

use super::mark;

/// Columns: class, level, tier, ✔/✘, via, shortfall. Then the highest level met per class.
pub fn table(evaluation: &Evaluation) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "class".into(),
        "level".into(),
        "tier".into(),
        "met".into(),
        "via".into(),
        "shortfall".into(),
    ]];
    for class in &evaluation.classes {
        for level in evaluation.levels(class) {
            for tier in evaluation.level_tiers(level) {
                rows.push([
                    class.code.to_string(),
                    level.level.to_string(),
                    tier.tier.as_str().to_string(),
                    mark(tier.met).to_string(),
                    tier.via.map_or_else(|| "—".to_string(), |v| v.to_string()),
                    shortfall_cell(evaluation, tier),
                ]);
            }
        }
    }
    let mut widths = [0usize; 6];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let who = who(evaluation);
    let _ = writeln!(out, "{who}, as of {}", evaluation.as_of);
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths.iter()).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = width.saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
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

/// "applicant A-17 (Jane Doe)".
pub(crate) fn who(evaluation: &Evaluation) -> String {
    match (&evaluation.applicant.id, &evaluation.applicant.name) {
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
