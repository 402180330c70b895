//! The audit trace: per tier, every node of every path with what it asked and what it saw.
//!
//! Built only on request, after the fast path has decided; it re-reads the same facts, so
//! it can never disagree with the decision record.

use serde::Serialize;

use crate::check::model::Exact;
use crate::compile::{KeyId, LevelProgram, Node, NodeId, SubstitutionProgram, TierProgram};
use crate::syntax::ast::TierKind;

use super::experience::Credit;
use super::facts::Facts;
use super::outcome::{TierKey, TierOutcome, Via, format_months, plural};
use super::{combination, node_met};

/// One tier's trace.
#[derive(Clone, Debug, Serialize)]
pub struct TierTrace<'a> {
    pub key: TierKey<'a>,
    pub level_code: &'a str,
    #[serde(serialize_with = "super::outcome::tier_kind")]
    pub tier: TierKind,
    pub met: bool,
    pub via: Option<Via>,
    pub citation: Option<&'a str>,
    pub quote: Option<&'a str>,
    /// The direct path first, then each substitution clause.
    pub paths: Vec<PathTrace<'a>>,
}

/// One path of a tier.
#[derive(Clone, Debug, Serialize)]
pub struct PathTrace<'a> {
    #[serde(flatten)]
    pub via: Via,
    pub met: bool,
    /// Whether this is the path the decision rests on.
    pub taken: bool,
    pub citation: Option<&'a str>,
    pub quote: Option<&'a str>,
    /// The rule text of the path, from its span.
    pub rule: &'a str,
    /// Where the rule text is: `file:line`.
    pub location: &'a str,
    /// Why the path failed, in words; `None` when met.
    pub reason: Option<String>,
    pub root: NodeTrace,
}

/// One node: what it asked, what it saw, whether it held.
#[derive(Clone, Debug, Serialize)]
pub struct NodeTrace {
    /// `all`, `any`, `credential`, `experience`, `credits`, `combination`, or the two parts
    /// a combination adds up: `education_years` and `experience_years` (always `met`).
    pub kind: &'static str,
    pub met: bool,
    /// What the rule asks, e.g. "2 years of public_program_experience".
    pub asks: String,
    /// What the applicant has, e.g. "3 years 2 months of public_program_experience (2 jobs)".
    pub seen: String,
    /// The line an auditor reads: the value seen against the threshold.
    pub summary: String,
    /// The evidence: the jobs or education entries that counted.
    pub evidence: Vec<String>,
    pub children: Vec<NodeTrace>,
}

/// The trace of one tier, whose outcome was already decided.
pub(crate) fn tier<'a>(
    facts: &mut Facts<'a>,
    level: &'a LevelProgram,
    tier: &'a TierProgram,
    outcome: &TierOutcome<'a>,
) -> TierTrace<'a> {
    let mut paths = Vec::with_capacity(outcome.paths.len());
    for path in &outcome.paths {
        let (root, (rule, location), citation) = match path.via {
            Via::Direct => (
                node(facts, tier.requirement),
                (&tier.rule, &tier.location),
                tier.citation.as_ref(),
            ),
            Via::Substitution { clause } => {
                let Some(sub) = tier.substitutions.get(clause as usize - 1) else {
                    continue;
                };
                (
                    substitution(facts, sub),
                    (&sub.rule, &sub.location),
                    sub.citation.as_ref(),
                )
            }
        };
        let reason = (!path.met).then(|| super::Shortfall::describe_all_prose(&path.shortfalls));
        paths.push(PathTrace {
            via: path.via,
            met: path.met,
            taken: outcome.via == Some(path.via),
            citation: citation.map(|c| &*c.text),
            quote: citation.and_then(|c| c.quote.as_deref()),
            rule,
            location,
            reason,
            root,
        });
    }
    TierTrace {
        key: outcome.key,
        level_code: &level.code,
        tier: tier.kind,
        met: outcome.met,
        via: outcome.via,
        citation: tier.citation.as_ref().map(|c| &*c.text),
        quote: tier.citation.as_ref().and_then(|c| c.quote.as_deref()),
        paths,
    }
}

/// The trace of a combination clause.
fn substitution(facts: &mut Facts<'_>, sub: &SubstitutionProgram) -> NodeTrace {
    let figure = combination(facts, sub);
    let total_met = figure.credited.0 >= figure.required.0;
    let mut children = Vec::new();
    if let Some(key) = sub.education {
        children.push(education(facts, key, figure.education.0));
    }
    if let Some(key) = sub.experience {
        let text = experience_text(facts, key);
        children.push(NodeTrace {
            kind: "experience_years",
            met: true,
            asks: format!("experience in {}", text.names),
            summary: text.seen.clone(),
            seen: text.seen,
            evidence: text.evidence,
            children: Vec::new(),
        });
    }
    let mut includes = None;
    if let Some(id) = sub.includes {
        let traced = node(facts, id);
        includes = Some(traced.met);
        children.push(traced);
    }
    let total = months_text(facts, sub.total_months);
    let asks = format!("education and experience totaling {total}");
    let months = super::experience::exact_months;
    let seen = format!(
        "{} of education × 12 = {} + {} of experience = {}",
        plural(figure.education.0, "year"),
        months(figure.education.0 * Exact::from_integer(12)),
        months(figure.experience.0),
        months(figure.credited.0)
    );
    let relation = if total_met { "≥" } else { "<" };
    NodeTrace {
        kind: "combination",
        met: total_met && includes.unwrap_or(true),
        summary: format!(
            "{seen} {relation} {} ({total}) required",
            months(sub.total_months)
        ),
        asks,
        seen,
        evidence: Vec::new(),
        children,
    }
}

fn education(facts: &mut Facts<'_>, key: KeyId, years: Exact) -> NodeTrace {
    let program = facts.program;
    let k = facts.tree.education_key(key);
    let accredited = if k.is_some_and(|k| k.accredited) {
        "accredited "
    } else {
        ""
    };
    let fields = k
        .and_then(|k| k.fields)
        .and_then(|f| program.field_set(f))
        .map_or_else(String::new, |f| format!(" in {}", f.name));
    let mut evidence = Vec::new();
    let applicant = facts.applicant;
    let profile = k.and_then(|k| program.profile(k.profile));
    facts.for_each_education(key, |index, years| {
        let line = match applicant.education.get(index) {
            Some(e) => format!(
                "{}: {} (the profile's worth of the credential)",
                describe_entry(&e.credential, e.field.as_deref()),
                plural(years, "year")
            ),
            None => match applicant
                .coursework
                .get(index.saturating_sub(applicant.education.len()))
            {
                Some(c) => {
                    let field = c
                        .field
                        .as_deref()
                        .map_or_else(String::new, |f| format!(" in {f}"));
                    let per_year = profile.map_or(Exact::from_integer(30), |p| {
                        p.semester_credits_per_year
                    });
                    let unit = match c.credits.unit {
                        crate::applicant::CreditUnit::Semester => "semester",
                        crate::applicant::CreditUnit::Quarter => "quarter",
                    };
                    let converted = match c.credits.unit {
                        crate::applicant::CreditUnit::Semester => String::new(),
                        crate::applicant::CreditUnit::Quarter => format!(
                            " = {} semester credits",
                            years * per_year
                        ),
                    };
                    format!(
                        "coursework{field}: {} {unit} credits{converted} ÷ {per_year} per year = {} = {}",
                        c.credits.amount,
                        plural(years, "year"),
                        super::experience::exact_months(years * Exact::from_integer(12))
                    )
                }
                None => format!("education: {}", plural(years, "year")),
            },
        };
        evidence.push(line);
    });
    let rule = k
        .and_then(|k| program.profile(k.profile))
        .map(|p| {
            use crate::syntax::ast::{CourseworkRule, DegreeRule};
            match (p.several_degrees, p.coursework) {
                (DegreeRule::HighestOnly, CourseworkRule::HighestOnly) => {
                    "the highest entry counts"
                }
                (DegreeRule::HighestOnly, CourseworkRule::AddedUp) => {
                    "the highest degree counts, plus all coursework without a degree"
                }
                (DegreeRule::AddedUp, _) => "entries are added up",
            }
        })
        .unwrap_or("");
    let seen = if evidence.is_empty() {
        format!("0 years (no {accredited}education{fields})")
    } else {
        format!("{} ({rule})", plural(years, "year"))
    };
    NodeTrace {
        kind: "education_years",
        met: true,
        asks: format!("{accredited}education{fields}"),
        summary: format!("{accredited}education{fields}: {seen}"),
        seen,
        evidence,
        children: Vec::new(),
    }
}

/// The trace of a requirement node and everything below it.
pub fn node(facts: &mut Facts<'_>, id: NodeId) -> NodeTrace {
    let tree = facts.tree;
    let program = facts.program;
    let met = node_met(facts, id);
    let Some(n) = tree.node(id) else {
        return NodeTrace {
            kind: "all",
            met,
            asks: String::new(),
            seen: String::new(),
            summary: String::new(),
            evidence: Vec::new(),
            children: Vec::new(),
        };
    };
    match n {
        Node::All { .. } | Node::Any { .. } => {
            let children: Vec<NodeTrace> =
                tree.children(n).iter().map(|c| node(facts, *c)).collect();
            let all = matches!(n, Node::All { .. });
            let held = children.iter().filter(|c| c.met).count();
            let asks = if all { "all of these" } else { "one of these" };
            let seen = format!("{held} of {} met", children.len());
            NodeTrace {
                kind: if all { "all" } else { "any" },
                met,
                summary: format!("{asks} ({seen})"),
                asks: asks.to_string(),
                seen,
                evidence: Vec::new(),
                children,
            }
        }
        Node::Credential {
            key, rank, names, ..
        } => {
            let best = facts.credential(*key);
            let k = tree.credential_key(*key);
            let profile = k.and_then(|k| program.profile(k.profile));
            let title_of = |name: &str| {
                profile
                    .and_then(|p| p.credential(name))
                    .map_or_else(|| name.to_owned(), |c| c.title.to_string())
            };
            let mut asks = format!("{} or higher", names.title);
            if k.is_some_and(|k| k.accredited) {
                asks = format!("accredited {asks}");
            }
            if let Some(f) = k.and_then(|k| k.fields).and_then(|f| program.field_set(f)) {
                asks.push_str(&format!(" in {} ({})", f.name, f.description));
            }
            if let Some((credits, subjects)) = k.and_then(|k| k.includes) {
                let subjects = program.field_set(subjects).map_or("", |f| &f.name);
                asks.push_str(&format!(
                    " that includes {} in {subjects}",
                    plural(credits, "credit")
                ));
            }
            let seen = match best
                .entry
                .and_then(|e| facts.applicant.education.get(e as usize))
            {
                Some(e) => format!(
                    "has {}",
                    describe_entry(&title_of(&e.credential), e.field.as_deref())
                ),
                None => {
                    let held: Vec<String> = facts
                        .applicant
                        .education
                        .iter()
                        .map(|e| describe_entry(&title_of(&e.credential), e.field.as_deref()))
                        .collect();
                    if held.is_empty() {
                        "none (no education listed)".to_string()
                    } else {
                        format!("none (has {})", held.join(", "))
                    }
                }
            };
            let evidence = match (met, k) {
                (false, Some(k)) => super::reasons::set_aside(
                    program,
                    k,
                    *rank,
                    &facts.applicant.education,
                    facts.as_of,
                ),
                _ => Vec::new(),
            };
            NodeTrace {
                kind: "credential",
                met,
                summary: format!("{asks}: {seen}"),
                asks,
                seen,
                evidence,
                children: Vec::new(),
            }
        }
        Node::Experience { key, months, .. } => {
            let text = experience_text(facts, *key);
            let threshold = months_text(facts, *months);
            let relation = if met { "≥" } else { "<" };
            NodeTrace {
                kind: "experience",
                met,
                asks: format!("{threshold} of {}", text.names),
                summary: format!("{} {relation} {threshold}", text.seen),
                seen: text.seen,
                evidence: text.evidence,
                children: Vec::new(),
            }
        }
        Node::Credits { key, credits, .. } => {
            let have = facts.credits(*key);
            let subjects = tree
                .credit_key(*key)
                .and_then(|k| program.field_set(k.subjects))
                .map_or("", |f| &f.name);
            let relation = if met { "≥" } else { "<" };
            let seen = format!("{} found in {subjects}", plural(have, "credit"));
            NodeTrace {
                kind: "credits",
                met,
                asks: format!("{} in {subjects}", plural(*credits, "credit")),
                summary: format!("{seen} {relation} {}", plural(*credits, "credit")),
                seen,
                evidence: Vec::new(),
                children: Vec::new(),
            }
        }
    }
}

/// Trace text computed once per evaluation and reused by every node that needs it.
#[derive(Clone, Debug, Default)]
pub(crate) struct TextCache {
    experience: Vec<Option<ExperienceText>>,
    months: Vec<(Exact, String)>,
}

/// What the trace says about one experience key.
#[derive(Clone, Debug)]
struct ExperienceText {
    names: String,
    seen: String,
    evidence: Vec<String>,
}

fn experience_text(facts: &mut Facts<'_>, key: KeyId) -> ExperienceText {
    let index = key.0 as usize;
    if let Some(Some(found)) = facts.text.experience.get(index) {
        return found.clone();
    }
    let credit = facts.experience(key);
    let names = category_names(facts, key);
    let text = ExperienceText {
        seen: experience_seen(credit, &names),
        evidence: jobs(facts, key),
        names,
    };
    let cache = &mut facts.text.experience;
    if cache.len() <= index {
        cache.resize(index + 1, None);
    }
    if let Some(slot) = cache.get_mut(index) {
        *slot = Some(text.clone());
    }
    text
}

/// `format_months`, remembered per value.
fn months_text(facts: &mut Facts<'_>, months: Exact) -> String {
    if let Some((_, text)) = facts.text.months.iter().find(|(m, _)| *m == months) {
        return text.clone();
    }
    let text = format_months(months);
    facts.text.months.push((months, text.clone()));
    text
}

fn category_names(facts: &Facts<'_>, key: KeyId) -> String {
    facts
        .tree
        .experience_key(key)
        .map_or_else(String::new, |k| {
            k.names
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        })
}

/// "3 years 2 months of X (2 jobs, held at once for 8 months)".
fn experience_seen(credit: Credit, names: &str) -> String {
    let jobs = match credit.jobs {
        0 => "no jobs".to_string(),
        1 => "1 job".to_string(),
        n => format!("{n} jobs"),
    };
    let overlap = if credit.overlap_months > Exact::from_integer(0) {
        format!(
            ", held at once for {}",
            format_months(credit.overlap_months)
        )
    } else {
        String::new()
    };
    format!(
        "{} of {names} ({jobs}{overlap})",
        format_months(credit.months)
    )
}

/// The jobs that counted toward an experience key, one line each with its own months, then
/// (for several jobs) how they add up to the credited total.
fn jobs(facts: &mut Facts<'_>, key: KeyId) -> Vec<String> {
    let profile = facts
        .tree
        .experience_key(key)
        .and_then(|k| facts.program.profile(k.profile));
    let full_time = profile.map(|p| p.full_time_hours);
    let overlap = profile.map(|p| p.overlap);
    let credited = facts.experience(key).months;
    let as_of = facts.as_of;
    let mut alone = Vec::new();
    let mut lines: Vec<String> = facts
        .applicant
        .experience
        .iter()
        .enumerate()
        .filter(|(i, _)| facts.job_counts(*i, key))
        .map(|(_, job)| {
            let end = match job.end {
                Some(end) if end <= facts.as_of => end.to_string(),
                Some(_) => format!("{} (cut at the evaluation date)", facts.as_of),
                None => format!("{} (current job)", facts.as_of),
            };
            let hours = match (job.hours_per_week, full_time) {
                (Some(h), Some(ft)) if h < ft => format!(", {} a week", plural(h, "hour")),
                _ => ", full time".to_string(),
            };
            let last = job.end.map_or(as_of, |e| e.min(as_of));
            let arithmetic = full_time.map(|ft| {
                let (months, text) =
                    super::experience::job_arithmetic(job.start, last, job.hours_per_week, ft);
                alone.push(months);
                text
            });
            match arithmetic {
                Some(text) => format!("{}: {} to {end}{hours}: {text}", job.title, job.start),
                None => format!("{}: {} to {end}{hours}", job.title, job.start),
            }
        })
        .collect();
    if let Some(line) =
        overlap.and_then(|rule| super::experience::reconciliation(&alone, credited, rule))
    {
        lines.push(line);
    }
    lines
}

fn describe_entry(credential: &str, field: Option<&str>) -> String {
    match field {
        Some(f) => format!("{credential} in {f}"),
        None => credential.to_string(),
    }
}
