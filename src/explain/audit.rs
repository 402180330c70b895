//! The audit trace in words: what each traced node asked and saw, as an auditor reads it.
//!
//! Built from the trace's recorded values; the applicant's jobs and education entries are
//! looked up again only for the evidence lines. [`tree`](super::tree()) draws these and
//! [`trace_json`](super::trace_json) serialises them.

use serde::Serialize;

use crate::applicant::CreditUnit;
use crate::check::model::Exact;
use crate::compile::{KeyId, Node, ProfileInfo, Program, SubstitutionProgram};
use crate::eval::experience::Credit;
use crate::eval::facts::{BestCredential, Facts};
use crate::eval::month_words::{self, decimal, exact_months};
use crate::eval::outcome::{
    CombinationFigure, format_months, format_threshold_months, plural, tier_kind,
};
use crate::eval::trace::{RequirementTrace, Seen, Trace, TracedNode, TracedTier, children};
use crate::eval::{Evaluation, TierKey, Via};
use crate::syntax::ast::{CourseworkRule, DegreeRule, TierKind};

use super::labels::verbatim;
use super::reasons::{self, SetAside};

/// One tier's trace in words.
#[derive(Clone, Debug, Serialize)]
pub struct TierTrace<'a> {
    pub key: TierKey<'a>,
    pub level_code: &'a str,
    #[serde(serialize_with = "tier_kind")]
    pub tier: TierKind,
    pub met: bool,
    pub via: Option<Via>,
    pub citation: Option<&'a str>,
    pub quote: Option<&'a str>,
    /// The direct path first, then each substitution clause.
    pub paths: Vec<PathTrace<'a>>,
}

/// One path of a tier, in words.
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
    pub rule: String,
    /// Where the rule text is: `file:line`.
    pub location: String,
    /// Why the path failed, in words; `None` when met.
    pub reason: Option<String>,
    pub root: NodeTrace,
}

/// One node in words: what it asked, what it saw, whether it held.
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
    /// The jobs or education entries the node considered and did not count, with why.
    pub set_aside: Vec<SetAside>,
    pub children: Vec<NodeTrace>,
}

/// Every traced tier of `evaluation` in words (none when it was not traced).
pub fn tiers<'a>(evaluation: &Evaluation<'a>) -> Vec<TierTrace<'a>> {
    let Some(trace) = &evaluation.trace else {
        return Vec::new();
    };
    let program = trace.program;
    let mut words = Words {
        facts: Facts::new(program, program.tree(), trace.applicant, trace.as_of),
        experience: Vec::new(),
    };
    trace
        .tiers
        .iter()
        .map(|tier| tier_words(&mut words, evaluation, trace, tier))
        .collect()
}

/// A standalone requirement's trace in words.
pub fn requirement(
    program: &Program,
    applicant: &crate::applicant::Applicant,
    as_of: jiff::civil::Date,
    trace: &RequirementTrace,
) -> NodeTrace {
    let mut words = Words {
        facts: Facts::new(program, &trace.tree, applicant, as_of),
        experience: Vec::new(),
    };
    node_words(&mut words, &trace.nodes, 0, None)
}

/// The facts the wording looks evidence up in, and text reused across nodes.
struct Words<'f> {
    facts: Facts<'f>,
    /// Per experience key: the category names, what was seen, and the jobs.
    experience: Vec<Option<ExperienceText>>,
}

/// What the trace says about one experience key.
#[derive(Clone, Debug)]
struct ExperienceText {
    names: String,
    seen: String,
    evidence: Vec<String>,
    set_aside: Vec<SetAside>,
}

fn tier_words<'a>(
    words: &mut Words<'_>,
    evaluation: &Evaluation<'a>,
    trace: &Trace<'a>,
    traced: &TracedTier<'a>,
) -> TierTrace<'a> {
    let tier = traced.tier;
    let outcome = evaluation.tier(&traced.key);
    let mut paths = Vec::with_capacity(traced.path_count as usize);
    for (index, path) in trace.paths_of(traced).iter().enumerate() {
        let (sub, rule_span, citation) = match path.via {
            Via::Direct => (None, tier.rule_span, tier.citation.as_ref()),
            Via::Substitution { clause } => {
                let Some(sub) = tier.substitutions.get((clause as usize).saturating_sub(1)) else {
                    continue;
                };
                (Some(sub), sub.rule_span, sub.citation.as_ref())
            }
        };
        let shortfalls = outcome
            .and_then(|o| evaluation.paths(o).get(index))
            .map_or_else(Default::default, |p| evaluation.shortfalls(p));
        paths.push(PathTrace {
            via: path.via,
            met: path.met,
            taken: path.taken,
            citation: citation.map(|c| &*c.text),
            quote: citation.and_then(|c| c.quote.as_deref()),
            rule: trace.program.rule_line(rule_span),
            location: trace.program.location(rule_span),
            reason: (!path.met).then(|| shortfalls.describe_all_prose()),
            root: node_words(words, &trace.nodes, path.root, sub),
        });
    }
    TierTrace {
        key: traced.key,
        level_code: &traced.level.code,
        tier: tier.kind,
        met: traced.met,
        via: traced.via,
        citation: tier.citation.as_ref().map(|c| &*c.text),
        quote: tier.citation.as_ref().and_then(|c| c.quote.as_deref()),
        paths,
    }
}

/// The node at `index` and everything below it, in words. `sub` is the combination clause
/// the node belongs to, for a path that is one.
fn node_words(
    words: &mut Words<'_>,
    nodes: &[TracedNode],
    index: u32,
    sub: Option<&SubstitutionProgram>,
) -> NodeTrace {
    let Some(node) = nodes.get(index as usize) else {
        return missing(false);
    };
    let met = node.met;
    match &node.seen {
        Seen::Group { all, held, of } => {
            let children = children(nodes, index)
                .map(|c| node_words(words, nodes, c, None))
                .collect();
            let asks = if *all { "all of these" } else { "one of these" };
            let seen = format!("{held} of {of} met");
            NodeTrace {
                kind: if *all { "all" } else { "any" },
                met,
                summary: format!("{asks} ({seen})"),
                asks: asks.to_string(),
                seen,
                evidence: Vec::new(),
                set_aside: Vec::new(),
                children,
            }
        }
        Seen::Credential { node, best } => match words.facts.tree.node(*node) {
            Some(Node::Credential {
                key, rank, need, ..
            }) => match words.facts.tree.need(*need) {
                Some(need) => credential(words, met, *key, *rank, &need.names.title, *best),
                None => missing(met),
            },
            _ => missing(met),
        },
        Seen::Experience { node, credit } => match words.facts.tree.node(*node) {
            Some(Node::Experience { key, months, .. }) => {
                experience_node(words, met, *key, *months, *credit)
            }
            _ => missing(met),
        },
        Seen::Credits { node, have } => match words.facts.tree.node(*node) {
            Some(Node::Credits { key, credits, .. }) => {
                credits_node(words, met, *key, *credits, *have)
            }
            _ => missing(met),
        },
        Seen::Combination { figure } => {
            let children = children(nodes, index)
                .map(|c| node_words(words, nodes, c, None))
                .collect();
            let total = sub.map_or(figure.required.0, |s| s.total_months);
            combination(met, figure, total, children)
        }
        Seen::EducationYears { key, years } => education(words, *key, *years),
        Seen::ExperienceYears { key, credit } => {
            let text = experience_text(words, *key, *credit);
            NodeTrace {
                kind: "experience_years",
                met: true,
                asks: format!("experience in {}", text.names),
                summary: text.seen.clone(),
                seen: text.seen,
                evidence: text.evidence,
                set_aside: text.set_aside,
                children: Vec::new(),
            }
        }
        Seen::Missing => missing(met),
    }
}

fn missing(met: bool) -> NodeTrace {
    NodeTrace {
        kind: "all",
        met,
        asks: String::new(),
        seen: String::new(),
        summary: String::new(),
        evidence: Vec::new(),
        set_aside: Vec::new(),
        children: Vec::new(),
    }
}

/// A combination clause: the sum, against the total.
fn combination(
    met: bool,
    figure: &CombinationFigure,
    total_months: Exact,
    children: Vec<NodeTrace>,
) -> NodeTrace {
    let total_met = figure.credited.0 >= figure.required.0;
    let total = format_threshold_months(total_months);
    let seen = format!(
        "{} of education × 12 = {} + {} of experience = {}",
        plural(figure.education.0, "year"),
        month_words::years_in_months(figure.education.0),
        exact_months(figure.experience.0),
        exact_months(figure.credited.0)
    );
    let relation = if total_met { "≥" } else { "<" };
    // The total reached, yet the clause not met: what it must include is missing, and the
    // line says so rather than leave a ✘ beside a comparison that holds.
    let but = if total_met && !met {
        "; the total is reached, but not what the clause must include"
    } else {
        ""
    };
    NodeTrace {
        kind: "combination",
        met,
        summary: format!(
            "{seen} {relation} {} ({total}) required{}{but}",
            exact_months(total_months),
            super::combination_cut_note(figure)
        ),
        asks: format!("education and experience totaling {total}"),
        seen,
        evidence: Vec::new(),
        set_aside: Vec::new(),
        children,
    }
}

fn credential(
    words: &Words<'_>,
    met: bool,
    key: KeyId,
    rank: u8,
    title: &str,
    best: BestCredential,
) -> NodeTrace {
    let facts = &words.facts;
    let program = facts.program;
    let k = facts.tree.credential_key(key);
    let profile = k.and_then(|k| program.profile(k.profile));
    let title_of = |name: &str| {
        profile
            .and_then(|p| p.credential(name))
            .map_or_else(|| name.to_owned(), |c| c.title.to_string())
    };
    let mut asks = format!("{title} or higher");
    if k.is_some_and(|k| k.accredited) {
        asks = format!("accredited {asks}");
    }
    if let Some(f) = k.and_then(|k| k.fields).and_then(|f| program.field_set(f)) {
        asks.push_str(&format!(" in {} ({})", &*f.name, f.description));
    }
    if let Some((credits, subjects)) = k.and_then(|k| k.includes) {
        let subjects = program.field_set(subjects).map_or("", |set| &*set.name);
        asks.push_str(&format!(
            " that includes {} in {subjects}",
            plural(credits, "credit")
        ));
    }
    let education = &facts.applicant.education;
    let seen = match best
        .entry
        .filter(|_| met)
        .and_then(|e| education.get(e as usize))
    {
        Some(e) => format!(
            "has {}{}",
            describe_entry(&title_of(&e.credential), e.field.as_deref()),
            super::labels::match_words(program, k.and_then(|k| k.fields), e.field.as_deref())
        ),
        None => {
            // A degree completed after the evaluation date is listed, and said not to count.
            let held: Vec<String> = education
                .iter()
                .map(|e| {
                    let entry = describe_entry(&title_of(&e.credential), e.field.as_deref());
                    match e.completed.filter(|done| *done > facts.as_of) {
                        Some(done) => format!("{entry} completed {done}, after this date"),
                        None => entry,
                    }
                })
                .collect();
            if held.is_empty() {
                "none (no education listed)".to_string()
            } else {
                format!("none (has {})", held.join(", "))
            }
        }
    };
    let counted = best.entry.map(|e| e as usize);
    let (set_aside, evidence) = k.map_or_else(Default::default, |k| {
        reasons::credential(program, k, rank, facts.applicant, facts.as_of, counted)
    });
    NodeTrace {
        kind: "credential",
        met,
        summary: format!("{asks}: {seen}"),
        asks,
        seen,
        evidence,
        set_aside,
        children: Vec::new(),
    }
}

fn experience_node(
    words: &mut Words<'_>,
    met: bool,
    key: KeyId,
    months: Exact,
    credit: Credit,
) -> NodeTrace {
    let text = experience_text(words, key, credit);
    let threshold = format_threshold_months(months);
    let relation = if met { "≥" } else { "<" };
    NodeTrace {
        kind: "experience",
        met,
        asks: format!("{threshold} of {}", text.names),
        summary: format!("{} {relation} {threshold}", text.seen),
        seen: text.seen,
        evidence: text.evidence,
        set_aside: text.set_aside,
        children: Vec::new(),
    }
}

fn credits_node(
    words: &Words<'_>,
    met: bool,
    key: KeyId,
    credits: Exact,
    have: Exact,
) -> NodeTrace {
    let facts = &words.facts;
    let program = facts.program;
    let k = facts.tree.credit_key(key);
    let subjects = k
        .and_then(|k| program.field_set(k.subjects))
        .map_or("", |set| &*set.name);
    let relation = if met { "≥" } else { "<" };
    let seen = format!("{} found in {subjects}", plural(have, "credit"));
    let (set_aside, evidence) = k.map_or_else(Default::default, |k| {
        reasons::credits(program, k, facts.applicant, facts.as_of)
    });
    NodeTrace {
        kind: "credits",
        met,
        asks: format!("{} in {subjects}", plural(credits, "credit")),
        summary: format!("{seen} {relation} {}", plural(credits, "credit")),
        seen,
        evidence,
        set_aside,
        children: Vec::new(),
    }
}

/// The education-years a combination adds up, with each entry that counted.
fn education(words: &Words<'_>, key: KeyId, years: Exact) -> NodeTrace {
    let facts = &words.facts;
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
        .map_or_else(String::new, |f| format!(" in {}", &*f.name));
    let profile = k.and_then(|k| program.profile(k.profile));
    let per_year = profile.map_or(Exact::from_integer(30), |p| p.semester_credits_per_year);
    let mut entries: Vec<(usize, Exact)> = Vec::new();
    let listed = facts.for_each_education(key, |index, years| entries.push((index, years)));
    let set = k.and_then(|k| k.fields);
    let degrees = facts.applicant.education.len();
    let mut evidence: Vec<String> = entries
        .iter()
        .zip(not_counted(profile, &entries, degrees))
        .map(|(&(index, years), why)| {
            let line = education_line(facts, profile, set, index, years, per_year);
            match why {
                Some(why) => format!("{line}; not counted: {why}"),
                None => line,
            }
        })
        .collect();
    if listed.is_err() {
        evidence.push("the remaining entries' years cannot be computed exactly".to_owned());
    }
    let rule = profile.map_or("", |p| match (p.several_degrees, p.coursework) {
        (DegreeRule::HighestOnly, CourseworkRule::HighestOnly) => "the highest entry counts",
        (DegreeRule::HighestOnly, CourseworkRule::AddedUp) => {
            "the highest degree counts, plus all coursework without a degree"
        }
        (DegreeRule::AddedUp, _) => "entries are added up",
    });
    let set_aside = k.map_or_else(Vec::new, |k| {
        reasons::education(program, k, facts.applicant, facts.as_of)
    });
    let mut seen = if evidence.is_empty() {
        format!("0 years (no {accredited}education{fields}")
    } else {
        format!("{} ({rule}", plural(years, "year"))
    };
    if !set_aside.is_empty() {
        let named: Vec<String> = set_aside.iter().map(SetAside::phrase).collect();
        seen.push_str(&format!("; set aside: {}", and_list(&named)));
    }
    seen.push(')');
    NodeTrace {
        kind: "education_years",
        met: true,
        asks: format!("{accredited}education{fields}"),
        summary: format!("{accredited}education{fields}: {seen}"),
        seen,
        evidence,
        set_aside,
        children: Vec::new(),
    }
}

/// Why each of `entries` (index, years; degrees are the indexes below `degrees`) does not
/// count toward the key's total, or `None` when it counts, as evaluation sums them
/// (`Facts::education_years`): under `several degrees count the highest only` the entries
/// that compete (the degrees, and coursework too when it counts the highest only) count
/// by their highest, the later of equal ones; the others are added up.
fn not_counted(
    profile: Option<&ProfileInfo>,
    entries: &[(usize, Exact)],
    degrees: usize,
) -> Vec<Option<&'static str>> {
    let (rule, coursework) = profile.map_or(
        (DegreeRule::HighestOnly, CourseworkRule::HighestOnly),
        |p| (p.several_degrees, p.coursework),
    );
    let competes = |index: usize| {
        rule == DegreeRule::HighestOnly
            && (index < degrees || coursework == CourseworkRule::HighestOnly)
    };
    let top = entries
        .iter()
        .filter(|(index, _)| competes(*index))
        .fold(None::<(usize, Exact)>, |best, &(index, years)| match best {
            Some((_, most)) if years < most => best,
            _ => Some((index, years)),
        })
        .map(|(index, _)| index);
    let reason = match coursework {
        CourseworkRule::AddedUp => "only the highest degree counts",
        CourseworkRule::HighestOnly => "only the highest entry counts",
    };
    entries
        .iter()
        .map(|(index, _)| (competes(*index) && Some(*index) != top).then_some(reason))
        .collect()
}

/// One education entry (degrees first, then coursework) and the years it is worth, with the
/// listed field its field matched in `set` when it is written another way.
fn education_line(
    facts: &Facts<'_>,
    profile: Option<&ProfileInfo>,
    set: Option<crate::check::model::FieldSetId>,
    index: usize,
    years: Exact,
    per_year: Exact,
) -> String {
    let applicant = facts.applicant;
    let matched = |field: Option<&str>| super::labels::match_words(facts.program, set, field);
    if let Some(e) = applicant.education.get(index) {
        return format!(
            "{}{}: {} (the profile's worth of the credential)",
            reasons::entry_title(profile, e),
            matched(e.field.as_deref()),
            plural(years, "year")
        );
    }
    let Some(c) = applicant
        .coursework
        .get(index.saturating_sub(applicant.education.len()))
    else {
        return format!("education: {}", plural(years, "year"));
    };
    let field = c.field.as_deref().map_or_else(String::new, |f| {
        format!(" in {}{}", verbatim(f), matched(Some(f)))
    });
    let (unit, converted) = match c.credits.unit {
        CreditUnit::Semester => ("semester", String::new()),
        CreditUnit::Quarter => (
            "quarter",
            match crate::eval::exact::times(years, per_year) {
                Some(credits) => format!(" = {}", credit_words(credits, "semester")),
                None => format!(
                    " = {} × {} semester credits",
                    decimal(years),
                    decimal(per_year)
                ),
            },
        ),
    };
    format!(
        "coursework{field}: {}{converted} ÷ {} per year = {} = {}",
        credit_words(c.credits.amount, unit),
        decimal(per_year),
        plural(years, "year"),
        month_words::years_in_months(years)
    )
}

/// "1 semester credit", "1.50 quarter credits": a number of credits, cut to two decimals.
fn credit_words(amount: Exact, unit: &str) -> String {
    let one = amount == Exact::from_integer(1);
    format!(
        "{} {unit} credit{}",
        decimal(amount),
        if one { "" } else { "s" }
    )
}

fn experience_text(words: &mut Words<'_>, key: KeyId, credit: Credit) -> ExperienceText {
    let index = key.0 as usize;
    if let Some(Some(found)) = words.experience.get(index) {
        return found.clone();
    }
    let names = category_names(&words.facts, key);
    let set_aside = words
        .facts
        .tree
        .experience_key(key)
        .map_or_else(Vec::new, |k| {
            reasons::jobs(k, words.facts.applicant, words.facts.as_of)
        });
    let text = ExperienceText {
        seen: experience_seen(credit, &names),
        evidence: jobs(&words.facts, key, credit),
        set_aside,
        names,
    };
    if words.experience.len() <= index {
        words.experience.resize(index + 1, None);
    }
    if let Some(slot) = words.experience.get_mut(index) {
        *slot = Some(text.clone());
    }
    text
}

fn category_names(facts: &Facts<'_>, key: KeyId) -> String {
    facts
        .tree
        .experience_key(key)
        .map_or_else(String::new, |k| {
            k.names
                .iter()
                .map(|n| &**n)
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
fn jobs(facts: &Facts<'_>, key: KeyId, credit: Credit) -> Vec<String> {
    let credited = credit.months;
    let profile = facts
        .tree
        .experience_key(key)
        .and_then(|k| facts.program.profile(k.profile));
    let full_time = profile.map(|p| p.full_time_hours);
    let overlap = profile.map(|p| p.overlap);
    let as_of = facts.as_of;
    let mut alone = Vec::new();
    let mut lines: Vec<String> = facts
        .counted_jobs(key)
        .map(|job| {
            let end = match job.end {
                Some(end) if end <= as_of => end.to_string(),
                Some(_) => format!("{as_of} (cut at the evaluation date)"),
                None => format!("{as_of} (current job)"),
            };
            let hours = match (job.hours_per_week, full_time) {
                (Some(h), Some(ft)) if h < ft => format!(", {} a week", plural(h, "hour")),
                // The hours the applicant gave, and that a week counts at most full time.
                (Some(h), Some(ft)) if h > ft => format!(
                    ", {} a week, credited as full time ({})",
                    plural(h, "hour"),
                    plural(ft, "hour")
                ),
                _ => ", full time".to_string(),
            };
            let last = job.end.map_or(as_of, |e| e.min(as_of));
            let arithmetic = full_time.and_then(|ft| {
                let (months, text) =
                    month_words::job_arithmetic(job.start, last, job.hours_per_week, ft)?;
                alone.push(months);
                Some(text)
            });
            match arithmetic {
                Some(text) => format!(
                    "{}: {} to {end}{hours}: {text}",
                    verbatim(&job.title),
                    job.start
                ),
                None => format!("{}: {} to {end}{hours}", verbatim(&job.title), job.start),
            }
        })
        .collect();
    let held_at_once = credit.overlap_months > Exact::from_integer(0);
    if let Some(line) =
        overlap.and_then(|rule| month_words::reconciliation(&alone, credited, rule, held_at_once))
    {
        lines.push(line);
    }
    lines
}

fn describe_entry(credential: &str, field: Option<&str>) -> String {
    match field {
        Some(f) => format!("{credential} in {}", verbatim(f)),
        None => credential.to_string(),
    }
}

/// "A", "A and B", "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
