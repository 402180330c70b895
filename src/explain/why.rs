//! Why each tier came out as it did, in a few lines: the path the decision rests on (or,
//! for a tier not met, every path with what it lacks and the requirements that failed),
//! each with the sentence it encodes, and the notes of the class, level, tier and clause
//! it concerns. The REPL's `:why` prints it; `explain::tree` is the full trace.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::compile::{Annotations, Program};
use crate::eval::{ClassOutcome, Evaluation, LevelOutcome, TierKey};
use crate::source::one_line_keeping_markers as one_line;

use super::audit::{self, NodeTrace, PathTrace, TierTrace};
use super::mark;
use super::tree::annotation_lines;

/// The reasons for every traced tier of `evaluation`, with field sets and categories named
/// by their labels and a glossary of those it names.
pub fn why(program: &Program, evaluation: &Evaluation) -> String {
    let mut out = format!("why, as of {}\n", evaluation.as_of);
    if evaluation.trace.is_none() {
        out.push_str("This evaluation carries no trace; evaluate it with a trace to explain it.\n");
        return out;
    }
    let tiers = audit::tiers(evaluation);
    let traces: HashMap<TierKey, &TierTrace> = tiers.iter().map(|t| (t.key, t)).collect();
    for class in &evaluation.classes {
        class_lines(class, &mut out);
        for level in evaluation.levels(class) {
            level_lines(evaluation, level, &traces, &mut out);
        }
    }
    let terms = super::glossary(program, super::mentioned(program, &out));
    let mut out = super::labelled(program, &out);
    out.push_str(&terms);
    out
}

fn class_lines(class: &ClassOutcome, out: &mut String) {
    let _ = writeln!(out, "Class {} — {}", class.code, class.title);
    annotation_lines(class.version.annotations, "  ", out);
}

fn level_lines(
    evaluation: &Evaluation,
    level: &LevelOutcome,
    traces: &HashMap<TierKey, &TierTrace>,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "Level {} ({}, {})",
        level.level,
        level.code,
        super::tree::band_words(level.rules)
    );
    annotation_lines(&level.rules.annotations, "  ", out);
    for tier in evaluation.level_tiers(level) {
        let Some(trace) = traces.get(&tier.key) else {
            continue;
        };
        let verdict = match trace.via {
            Some(via) => format!("{} met via {}", mark(true), super::tree::via_words(via)),
            None => format!("{} not met", mark(false)),
        };
        let _ = writeln!(out, "  {}: {verdict}", trace.tier.as_str());
        annotation_lines(tier.annotations, "    ", out);
        let paths = evaluation.paths(tier);
        for path in &trace.paths {
            if trace.met && !path.taken {
                continue;
            }
            let annotations = paths
                .iter()
                .find(|p| p.via == path.via)
                .and_then(|p| p.annotations);
            path_lines(path, annotations, out);
        }
    }
}

/// A path: its name and source, its sentence and rule, its notes, and, when it failed, each
/// requirement that failed with what it set aside.
fn path_lines(path: &PathTrace, annotations: Option<&Annotations>, out: &mut String) {
    let pointer = if path.taken { "▶ " } else { "" };
    let name = super::tree::capitalised(&super::tree::via_words(path.via));
    let source = path
        .citation
        .map_or_else(String::new, |c| format!(" ({c})"));
    match &path.reason {
        Some(reason) if !path.met => {
            let _ = writeln!(out, "    {pointer}{name}{source}: {}", one_line(reason));
        }
        _ => {
            let _ = writeln!(out, "    {pointer}{name}{source}");
        }
    }
    if let Some(quote) = path.quote {
        let _ = writeln!(out, "        Says: \"{quote}\"");
    }
    let _ = writeln!(out, "        Rule: {}", path.rule);
    if let Some(annotations) = annotations {
        annotation_lines(annotations, "        ", out);
    }
    if !path.met {
        failed_lines(&path.root, out);
    } else if let Some(sum) = combination(&path.root) {
        let _ = writeln!(out, "        {} {}", mark(true), one_line(&sum.summary));
    }
}

/// The combination a path adds up, when it has one: its sum is why the path holds.
fn combination(node: &NodeTrace) -> Option<&NodeTrace> {
    if node.kind == "combination" {
        return Some(node);
    }
    node.children.iter().find_map(combination)
}

/// The requirements under `node` that failed: the leaves (and combinations) not met, each
/// with the entries it set aside; `all`/`any` nodes are passed through.
fn failed_lines(node: &NodeTrace, out: &mut String) {
    if node.met {
        return;
    }
    if matches!(node.kind, "all" | "any") {
        for child in &node.children {
            failed_lines(child, out);
        }
        return;
    }
    // The words quote the applicant's (job titles, fields): each stays on its line.
    let _ = writeln!(out, "        {} {}", mark(false), one_line(&node.summary));
    let combination = node.kind == "combination";
    // A combination's included requirement lists what it set aside itself, below.
    let parts = node
        .children
        .iter()
        .filter(|c| !combination || is_summed_part(c))
        .flat_map(|c| &c.set_aside);
    for set_aside in node.set_aside.iter().chain(parts) {
        let _ = writeln!(out, "            · {}", one_line(&set_aside.summary));
    }
    // A combination's parts are added up, and its summary gives their sum; what it must
    // include is a requirement of its own, listed when it failed.
    if combination {
        for included in node.children.iter().filter(|c| !is_summed_part(c)) {
            failed_lines(included, out);
        }
    }
}

/// A part a combination adds up (its education or its experience), not a requirement.
fn is_summed_part(node: &NodeTrace) -> bool {
    matches!(node.kind, "education_years" | "experience_years")
}
