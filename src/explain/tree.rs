//! The auditor's tree: per tier, the source it encodes, each path with what every node
//! asked and saw, the path taken, and why the others failed.

use std::fmt::Write as _;

use crate::compile::Program;
use crate::eval::{ClassOutcome, Evaluation, Via};
use crate::source::one_line_keeping_markers as one_line;

use super::audit::{self, NodeTrace, PathTrace, TierTrace};

use super::mark;
use super::table::who;

/// The audit trace of every traced tier of `evaluation`, class by class.
pub fn tree(program: &Program, evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}, evaluated as of {}",
        capitalised(&who(evaluation)),
        evaluation.as_of
    );
    let _ = writeln!(out, "Rules content hash: {}", evaluation.rules_hash);
    if evaluation.trace.is_none() {
        let _ = writeln!(
            out,
            "\nThis evaluation carries no trace; evaluate it with a trace to explain it."
        );
        return out;
    }
    let traces = audit::tiers(evaluation);
    for class in &evaluation.classes {
        class_header(program, class, &mut out);
        for trace in traces.iter().filter(|t| t.key.class == class.code) {
            tier(evaluation, trace, &mut out);
        }
    }
    let terms = super::glossary(program, super::mentioned(program, &out));
    let mut out = super::labelled(program, &out);
    out.push_str(&terms);
    let profiles: std::collections::BTreeSet<&str> =
        evaluation.classes.iter().map(|c| c.profile).collect();
    for profile in profiles {
        conventions(program, profile, &mut out);
    }
    out
}

/// The notes of a profile the explained classes are judged by, each under the statement it
/// concerns: where a credential's worth, a year of education or full time comes from.
fn conventions(program: &Program, profile: &str, out: &mut String) {
    let Some(profile) = program.profiles().iter().find(|p| &*p.name == profile) else {
        return;
    };
    if profile.notes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nConventions of the {} (profile {}), which the amounts above rest on:",
        profile.jurisdiction, profile.name
    );
    for note in &profile.notes {
        let about = match note.about.as_deref() {
            Some(about) => match about.strip_prefix("credential ") {
                Some(name) => profile.credential(name).map_or_else(
                    || capitalised(about),
                    |c| {
                        format!(
                            "{}, worth {}",
                            c.title,
                            crate::eval::outcome::plural(c.years, "year")
                        )
                    },
                ),
                None => capitalised(about),
            },
            None => "The profile".to_owned(),
        };
        let _ = writeln!(out, "  {about}: {}", super::note_text(&note.note));
    }
}

fn class_header(program: &Program, class: &ClassOutcome, out: &mut String) {
    let _ = writeln!(out);
    let _ = writeln!(out, "Class {} — {}", class.code, class.title);
    let mut dates = Vec::new();
    if let Some(d) = class.version.established {
        dates.push(format!("established {d}"));
    }
    if let Some(d) = class.version.revised {
        dates.push(format!("revised {d}"));
    }
    let dates = if dates.is_empty() {
        String::new()
    } else {
        format!(" ({})", dates.join(", "))
    };
    let jurisdiction = program
        .profiles()
        .iter()
        .find(|p| &*p.name == class.profile)
        .map_or_else(String::new, |p| format!(", {}", p.jurisdiction));
    let _ = writeln!(
        out,
        "Version in force: effective {}{dates}; source document {}{jurisdiction}",
        class.version.effective, class.version.source
    );
    let metadata = class.version.metadata.phrases();
    if !metadata.is_empty() {
        let _ = writeln!(out, "Metadata: {}", capitalised(&metadata.join(", ")));
    }
    let levels: Vec<String> = program
        .class(class.code)
        .and_then(|c| c.version_in_force(class.version.effective))
        .map(|version| {
            version
                .levels
                .iter()
                .map(|l| format!("{} ({}, {})", l.name, l.code, band_words(l)))
                .collect()
        })
        .unwrap_or_default();
    if !levels.is_empty() {
        let _ = writeln!(out, "Levels: {}", levels.join("; "));
    }
    annotation_lines(class.version.annotations, "", out);
    let highest = class.highest_level_met.unwrap_or("none");
    let _ = writeln!(
        out,
        "Highest level whose minimum is met, of all levels: {highest}"
    );
}

fn tier(evaluation: &Evaluation, trace: &TierTrace, out: &mut String) {
    let _ = writeln!(out);
    let verdict = match trace.via {
        Some(via) => format!("{} MET via {}", mark(true), via_words(via)),
        None => format!("{} NOT MET", mark(false)),
    };
    let level = evaluation
        .classes
        .iter()
        .filter(|c| c.code == trace.key.class)
        .flat_map(|c| evaluation.levels(c))
        .find(|l| l.level == trace.key.level);
    let band = level.map_or_else(String::new, |l| format!(", {}", band_words(l.rules)));
    let _ = writeln!(
        out,
        "Level {} ({}{band}), {} qualifications: {verdict}",
        trace.key.level,
        trace.level_code,
        trace.tier.as_str()
    );
    let first_tier = level.and_then(|l| evaluation.level_tiers(l).first());
    if let Some(level) = level.filter(|_| first_tier.is_some_and(|t| t.key == trace.key)) {
        annotation_lines(&level.rules.annotations, "", out);
    }
    let outcome = evaluation.tier(&trace.key);
    if let Some(outcome) = outcome {
        annotation_lines(outcome.annotations, "", out);
    }
    let paths = outcome.map_or(&[][..], |o| evaluation.paths(o));
    for path in &trace.paths {
        let annotations = paths
            .iter()
            .find(|p| p.via == path.via)
            .and_then(|p| p.annotations);
        path_block(path, annotations, out);
    }
}

/// "band 60", "pay scale group 08", with the alternate band when there is one.
pub fn band_words(level: &crate::compile::LevelProgram) -> String {
    let kind = match level.band_label {
        crate::syntax::ast::BandLabel::Band => "band",
        crate::syntax::ast::BandLabel::PayScaleGroup => "pay scale group",
    };
    match &level.alt_band {
        Some(alt) => format!("{kind} {}, alternate band {alt}", level.band),
        None => format!("{kind} {}", level.band),
    }
}

/// The notes and acknowledged warnings of a node, one line each, indented by `indent`.
pub fn annotation_lines(annotations: &crate::compile::Annotations, indent: &str, out: &mut String) {
    for note in &annotations.notes {
        let _ = writeln!(out, "{indent}Note: {}", super::note_text(note));
    }
    for acknowledged in &annotations.acknowledged {
        let _ = writeln!(
            out,
            "{indent}Reviewed ({} acknowledged): {}",
            acknowledged.code, acknowledged.reason
        );
    }
}

fn path_block(
    path: &PathTrace,
    annotations: Option<&crate::compile::Annotations>,
    out: &mut String,
) {
    let pointer = if path.taken { "▶" } else { " " };
    let status = if path.taken {
        "TAKEN".to_string()
    } else if path.met {
        "also met, not needed".to_string()
    } else {
        format!("not taken: {}", path.reason.as_deref().unwrap_or("not met"))
    };
    let _ = writeln!(
        out,
        "{pointer} {} {} ({status})",
        mark(path.met),
        capitalised(&via_words(path.via))
    );
    if let Some(citation) = &path.citation {
        let _ = writeln!(out, "    Source: {citation}");
    }
    if let Some(quote) = &path.quote {
        let _ = writeln!(out, "    Says:   \"{quote}\"");
    }
    let _ = writeln!(out, "    Rule ({}): {}", path.location, path.rule);
    if let Some(annotations) = annotations {
        annotation_lines(annotations, "    ", out);
    }
    node_lines(&path.root, "    ", "    ", out);
}

/// A standalone requirement's trace, e.g. one typed in the REPL.
pub fn requirement_tree(trace: &NodeTrace) -> String {
    super::labels::without_markers(&marked_requirement_tree(trace)).into_owned()
}

/// [`requirement_tree`] with field sets and categories named by their labels, as people
/// read it.
pub fn labelled_requirement_tree(program: &Program, trace: &NodeTrace) -> String {
    super::labelled(program, &marked_requirement_tree(trace))
}

/// The tree with the applicant's words marked, still to be labelled.
fn marked_requirement_tree(trace: &NodeTrace) -> String {
    let mut out = String::new();
    let verdict = if trace.met { "met" } else { "not met" };
    let _ = writeln!(out, "{} {verdict}", mark(trace.met));
    node_lines(trace, "", "", &mut out);
    out
}

/// Draws a node and its children with box-drawing branches. `first` prefixes the node's
/// own line, `rest` the lines below it.
fn node_lines(node: &NodeTrace, first: &str, rest: &str, out: &mut String) {
    let symbol = match node.kind {
        "education_years" | "experience_years" => '+',
        _ => mark(node.met),
    };
    // A node's words quote the applicant's (job titles, fields): each stays on its line.
    let _ = writeln!(out, "{first}{symbol} {}", one_line(&node.summary));
    let has_children = !node.children.is_empty();
    let set_aside = node.set_aside.iter().map(|s| &s.summary);
    for line in node.evidence.iter().chain(set_aside) {
        let bar = if has_children { "│ " } else { "  " };
        let _ = writeln!(out, "{rest}{bar}  · {}", one_line(line));
    }
    let count = node.children.len();
    for (i, child) in node.children.iter().enumerate() {
        let last = i + 1 == count;
        let branch = if last { "└─ " } else { "├─ " };
        let below = if last { "   " } else { "│  " };
        node_lines(
            child,
            &format!("{rest}{branch}"),
            &format!("{rest}{below}"),
            out,
        );
    }
}

pub(crate) fn via_words(via: Via) -> String {
    match via {
        Via::Direct => "the direct path".to_string(),
        Via::Substitution { clause } => format!("substitution clause {clause}"),
    }
}

pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
