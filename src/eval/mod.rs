//! Evaluation: an applicant against a compiled program, at a date.
//!
//! The fast path ([`evaluate`]) answers each fact key once, walks the tree as comparisons
//! and builds the decision record; it builds no trace. [`evaluate_traced`] also records,
//! per tier, a tree of every node with the value it saw (see [`trace`]). [`decide`] gives
//! the decisions alone, with no record, into a buffer the caller reuses.

mod amounts;
pub(crate) mod exact;
pub mod experience;
pub mod facts;
mod figures;
pub mod month_words;
pub mod outcome;
mod query;
mod record_json;
mod refusal;
mod shortfall;
pub(crate) use shortfall::{article, with_article};
pub mod trace;

use jiff::civil::Date;

use crate::applicant::Applicant;
use crate::check::model::{Exact, ProfileId, Req};
use crate::compile::{
    ClassProgram, LevelProgram, Node, NodeId, Program, SubstitutionProgram, TierProgram,
    VersionProgram,
};

use exact::{add, at_least, times_twelve};
pub use facts::Facts;
pub use outcome::{
    ApplicantRef, ClassOutcome, CombinationFigure, CountedJobs, CreditAmount, Evaluation, Figures,
    JobFigure, Lacks, LevelOutcome, Months, PathOutcome, RECORD_VERSION, Run, Shortfall, TierKey,
    TierOutcome, VersionRef, Via, Years,
};
pub use query::{Query, QueryError, unknown_class};
pub use refusal::InexactAmount;
pub use trace::{RequirementTrace, Seen, Trace, TracedNode, TracedPath, TracedTier};

/// Evaluates an applicant: every selected class (the version in force on `as_of`) × level
/// × tier. No trace is built.
pub fn evaluate<'a>(
    program: &'a Program,
    applicant: &'a Applicant,
    query: &Query,
) -> Result<Evaluation<'a>, QueryError> {
    evaluate_in_place(program, applicant, query, false)
}

/// Like [`evaluate`], and also records the audit trace of every evaluated tier.
pub fn evaluate_traced<'a>(
    program: &'a Program,
    applicant: &'a Applicant,
    query: &Query,
) -> Result<Evaluation<'a>, QueryError> {
    evaluate_in_place(program, applicant, query, true)
}

/// Builds the facts inside the record they end up in: the facts are large, and each move
/// of them is a copy.
fn evaluate_in_place<'a>(
    program: &'a Program,
    applicant: &'a Applicant,
    query: &Query,
    traced: bool,
) -> Result<Evaluation<'a>, QueryError> {
    let selection = query::select(program, query)?;
    let facts = Facts::unresolved(program, &program.tree, applicant, query.as_of);
    let mut evaluation = Evaluation::empty(facts);
    evaluation.facts.resolve();
    fill(&mut evaluation, selection, query, traced);
    refuse_inexact(&evaluation.facts)?;
    Ok(evaluation)
}

/// An evaluation in which some amount could not be computed exactly is refused (Q320).
fn refuse_inexact(facts: &Facts<'_>) -> Result<(), QueryError> {
    match facts.refusal() {
        None => Ok(()),
        Some(inexact) => Err(QueryError::Inexact(inexact.clone())),
    }
}

/// Evaluates with facts prepared by the caller (for instance with experience already
/// totalled, through [`Facts::set_experience`]). The facts' date is the evaluation date.
pub fn evaluate_with_facts<'a>(
    facts: Facts<'a>,
    query: &Query,
    traced: bool,
) -> Result<Evaluation<'a>, QueryError> {
    let selection = query::select(facts.program, query)?;
    let mut evaluation = Evaluation::empty(facts);
    fill(&mut evaluation, selection, query, traced);
    refuse_inexact(&evaluation.facts)?;
    Ok(evaluation)
}

/// Evaluates every selected class into an empty record.
fn fill<'a>(
    evaluation: &mut Evaluation<'a>,
    selection: query::Selection<'a>,
    query: &Query,
    traced: bool,
) {
    let facts = &mut evaluation.facts;
    let program = facts.program;
    let mut lists = Lists::sized_for(selection.classes(program, query));
    let mut trace = traced.then(|| Trace::new(facts));
    evaluation.classes.reserve_exact(lists.classes);
    for (class, version) in selection.classes(program, query) {
        let outcome = evaluate_class(facts, &mut lists, class, version, query, trace.as_mut());
        evaluation.classes.push(outcome);
    }
    evaluation.levels = lists.levels;
    evaluation.tiers = lists.tiers;
    evaluation.paths = lists.paths;
    evaluation.shortfalls = lists.lacks.top;
    evaluation.nested_shortfalls = lists.lacks.nested;
    evaluation.alternatives = lists.lacks.alternatives;
    evaluation.not_in_force = selection.not_in_force;
    evaluation.trace = trace;
}

/// One tier's decision alone: which tier, and the path it was met by (`None`: not met).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Index of the class in [`Program::classes`].
    pub class: u32,
    /// Index of the level in the version in force.
    pub level: u32,
    pub tier: crate::syntax::ast::TierKind,
    pub via: Option<Via>,
}

/// The decisions alone, into a buffer the caller reuses: met or not and by which path, for
/// every selected tier, with no record, figures, shortfalls or names. This is the engine's
/// cost without the decision record; [`evaluate`] builds the record on top of the same
/// tree and facts.
pub fn decide(
    program: &Program,
    applicant: &Applicant,
    query: &Query,
    out: &mut Vec<Decision>,
) -> Result<(), QueryError> {
    let mut facts = Facts::unresolved(program, &program.tree, applicant, query.as_of);
    facts.resolve();
    decide_with_facts(&mut facts, query, out)
}

/// [`decide`] with facts prepared by the caller (e.g. experience already totalled).
pub fn decide_with_facts(
    facts: &mut Facts<'_>,
    query: &Query,
    out: &mut Vec<Decision>,
) -> Result<(), QueryError> {
    out.clear();
    let program = facts.program;
    let selected = query::select(program, query)?;
    for (class, version) in selected.classes(program, query) {
        let class_index = program
            .index_of(class)
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(u32::MAX);
        for (level_index, level) in version.levels.iter().enumerate() {
            if query.level.as_deref().is_some_and(|l| l != &*level.name) {
                continue;
            }
            for tier in &level.tiers {
                if query.tier.is_some_and(|k| k != tier.kind) {
                    continue;
                }
                let via = if node_met(facts, tier.requirement) {
                    Some(Via::Direct)
                } else {
                    tier.substitutions
                        .iter()
                        .position(|sub| substitution_met(facts, sub))
                        .map(|i| Via::Substitution {
                            clause: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        })
                };
                out.push(Decision {
                    class: class_index,
                    level: u32::try_from(level_index).unwrap_or(u32::MAX),
                    tier: tier.kind,
                    via,
                });
            }
        }
    }
    if facts.refusal().is_some() {
        out.clear();
    }
    refuse_inexact(facts)
}

/// Whether a level's minimum tier is met, by any path (for the highest level met when the
/// level or tier was not asked for).
fn minimum_met(facts: &mut Facts<'_>, level: &LevelProgram) -> bool {
    level
        .tiers
        .iter()
        .filter(|t| t.kind == crate::syntax::ast::TierKind::Minimum)
        .any(|t| {
            node_met(facts, t.requirement)
                || t.substitutions.iter().any(|s| substitution_met(facts, s))
        })
}

/// Every path of every tier of one version, in level and tier order: bit 0 when the direct
/// path is met, bit `i` when substitution clause `i` is (clauses past the 63rd are not
/// reported). The same walk as [`decide`], path by path.
pub(crate) fn path_outcomes(facts: &mut Facts<'_>, version: &VersionProgram, out: &mut Vec<u64>) {
    out.clear();
    for tier in version.levels.iter().flat_map(|l| &l.tiers) {
        let mut bits = u64::from(node_met(facts, tier.requirement));
        for (index, sub) in tier.substitutions.iter().enumerate().take(63) {
            if substitution_met(facts, sub) {
                bits |= 1u64 << (index + 1);
            }
        }
        out.push(bits);
    }
}

fn substitution_met(facts: &mut Facts<'_>, sub: &SubstitutionProgram) -> bool {
    let figure = combination(facts, sub);
    at_least(figure.credited.0, figure.required.0) && figure.includes_met
}

/// Evaluates one standalone checked requirement (from the REPL, say) under a profile.
pub fn evaluate_requirement(
    program: &Program,
    profile: ProfileId,
    req: &Req,
    applicant: &Applicant,
    as_of: Date,
) -> Result<RequirementTrace, InexactAmount> {
    let (tree, root) = crate::compile::compile_requirement(program, profile, req);
    let mut nodes = Vec::new();
    let mut facts = Facts::new(program, &tree, applicant, as_of);
    trace::record_node(&mut facts, &mut nodes, root);
    if let Some(inexact) = facts.refusal() {
        return Err(inexact.clone());
    }
    Ok(RequirementTrace { tree, nodes })
}

/// The outcome lists of an evaluation being built: each outcome holds the run of the next
/// list that it nests.
struct Lists<'a> {
    /// How many classes the lists are sized for.
    classes: usize,
    levels: Vec<LevelOutcome<'a>>,
    tiers: Vec<TierOutcome<'a>>,
    paths: Vec<PathOutcome<'a>>,
    lacks: shortfall::LackLists<'a>,
}

impl Lists<'_> {
    /// Lists with room for every level, tier and path of the classes to evaluate.
    fn sized_for<'p>(
        selected: impl Iterator<Item = (&'p ClassProgram, &'p VersionProgram)>,
    ) -> Self {
        let (mut classes, mut levels, mut tiers, mut paths) = (0, 0, 0, 0);
        for (_, version) in selected {
            classes += 1;
            levels += version.levels.len();
            for level in &version.levels {
                tiers += level.tiers.len();
                paths += level
                    .tiers
                    .iter()
                    .map(|t| 1 + t.substitutions.len())
                    .sum::<usize>();
            }
        }
        Lists {
            classes,
            levels: Vec::with_capacity(levels),
            tiers: Vec::with_capacity(tiers),
            paths: Vec::with_capacity(paths),
            lacks: shortfall::LackLists::with_capacity(paths),
        }
    }
}

fn evaluate_class<'a>(
    facts: &mut Facts<'a>,
    lists: &mut Lists<'a>,
    class: &'a ClassProgram,
    version: &'a VersionProgram,
    query: &Query,
    mut trace: Option<&mut Trace<'a>>,
) -> ClassOutcome<'a> {
    let program = facts.program;
    let first_level = lists.levels.len();
    let mut highest = None;
    for level in &version.levels {
        if query.level.as_deref().is_some_and(|l| l != &*level.name) {
            // The highest level met covers every level, evaluated or not.
            if minimum_met(facts, level) {
                highest = Some(&*level.name);
            }
            continue;
        }
        let tiers = fill_level(facts, lists, class, level, query, trace.as_deref_mut());
        let met = match tiers
            .of(&lists.tiers)
            .iter()
            .find(|t| t.tier == crate::syntax::ast::TierKind::Minimum)
        {
            Some(t) => t.met,
            None => minimum_met(facts, level),
        };
        if met {
            highest = Some(&*level.name);
        }
        lists.levels.push(LevelOutcome {
            level: &level.name,
            code: &level.code,
            band: &level.band,
            rules: level,
            tiers,
        });
    }
    ClassOutcome {
        code: &class.code,
        title: &version.title,
        profile: program.profile(version.profile).map_or("", |p| &*p.name),
        version: VersionRef {
            effective: version.effective,
            established: version.established,
            revised: version.revised,
            source: &version.source,
            metadata: &version.metadata,
            annotations: &version.annotations,
        },
        highest_level_met: highest,
        levels: Run::between(first_level, lists.levels.len()),
    }
}

/// Evaluates a level's selected tiers onto the tier list; returns their run.
fn fill_level<'a>(
    facts: &mut Facts<'a>,
    lists: &mut Lists<'a>,
    class: &'a ClassProgram,
    level: &'a LevelProgram,
    query: &Query,
    mut trace: Option<&mut Trace<'a>>,
) -> Run {
    let first_tier = lists.tiers.len();
    for tier in &level.tiers {
        if query.tier.is_some_and(|k| k != tier.kind) {
            continue;
        }
        evaluate_tier(facts, lists, class, level, tier);
        if let (Some(trace), Some(outcome)) = (trace.as_deref_mut(), lists.tiers.last()) {
            let paths = outcome.paths.of(&lists.paths);
            trace::record_tier(facts, trace, level, tier, outcome, paths);
        }
    }
    Run::between(first_tier, lists.tiers.len())
}

/// Evaluates every path of a tier onto the path list, and the tier onto the tier list.
fn evaluate_tier<'a>(
    facts: &mut Facts<'a>,
    lists: &mut Lists<'a>,
    class: &'a ClassProgram,
    level: &'a LevelProgram,
    tier: &'a TierProgram,
) {
    let first_path = lists.paths.len();
    let first_lack = lists.lacks.top.len();
    let direct_met = shortfall::walk(facts, tier.requirement, &mut lists.lacks);
    lists.paths.push(PathOutcome {
        via: Via::Direct,
        met: direct_met,
        source: tier.citation.as_ref(),
        combination: None,
        annotations: None,
        shortfalls: Run::between(first_lack, lists.lacks.top.len()),
    });
    for (index, sub) in tier.substitutions.iter().enumerate() {
        let clause = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let path = evaluate_substitution(facts, &mut lists.lacks, clause, sub);
        lists.paths.push(path);
    }
    let paths = Run::between(first_path, lists.paths.len());
    let via = paths.of(&lists.paths).iter().find(|p| p.met).map(|p| p.via);
    lists.tiers.push(TierOutcome {
        key: TierKey {
            class: &class.code,
            level: &level.name,
            tier: tier.kind,
        },
        tier: tier.kind,
        met: via.is_some(),
        via,
        citation: tier.citation.as_ref().map(|c| &*c.text),
        annotations: &tier.annotations,
        paths,
    });
}

/// The arithmetic of a combination clause.
pub(crate) fn combination(facts: &mut Facts<'_>, sub: &SubstitutionProgram) -> CombinationFigure {
    let years = sub
        .education
        .map_or(Exact::from_integer(0), |k| facts.education_years(k));
    let experience = sub
        .experience
        .map_or(Exact::from_integer(0), |k| facts.experience(k).months);
    let credited = match times_twelve(years).and_then(|months| add(months, experience)) {
        Some(credited) => credited,
        None => facts.refuse_combination(years, experience),
    };
    let includes_met = sub.includes.is_none_or(|n| node_met(facts, n));
    CombinationFigure {
        education: Years(years),
        experience: Months(experience),
        credited: Months(credited),
        required: Months(sub.total_months),
        includes_met,
    }
}

/// Evaluates a combination clause; what it lacks goes onto `lacks`.
fn evaluate_substitution<'a>(
    facts: &mut Facts<'a>,
    lacks: &mut shortfall::LackLists<'a>,
    clause: u32,
    sub: &'a SubstitutionProgram,
) -> PathOutcome<'a> {
    let first_lack = lacks.top.len();
    let figure = combination(facts, sub);
    let total_met = at_least(figure.credited.0, figure.required.0);
    if !total_met {
        shortfall::of_total(facts, sub, &figure, lacks);
    }
    if let (false, Some(includes)) = (figure.includes_met, sub.includes) {
        shortfall::walk(facts, includes, lacks);
    }
    PathOutcome {
        via: Via::Substitution { clause },
        met: total_met && figure.includes_met,
        source: sub.citation.as_ref(),
        combination: Some(figure),
        annotations: Some(&sub.annotations),
        shortfalls: Run::between(first_lack, lacks.top.len()),
    }
}

/// Whether a node holds for the facts' applicant.
pub(crate) fn node_met(facts: &mut Facts<'_>, id: NodeId) -> bool {
    let tree = facts.tree;
    let Some(node) = tree.node(id) else {
        return false;
    };
    match node {
        Node::All { .. } => tree.children(node).iter().all(|c| node_met(facts, *c)),
        Node::Any { .. } => tree.children(node).iter().any(|c| node_met(facts, *c)),
        Node::Credential { key, rank, .. } => {
            facts.credential(*key).rank.is_some_and(|r| r >= *rank)
        }
        Node::Experience { key, months, .. } => at_least(facts.experience(*key).months, *months),
        Node::Credits { key, credits, .. } => at_least(facts.credits(*key), *credits),
    }
}
