//! `qualify verify`: properties of the rules proved over every applicant, or shown false by
//! the simplest applicant who breaks them.
//!
//! Each class version is compiled alone (`space`); its quantities are split at the
//! thresholds its rules name, and one candidate applicant is built per region
//! (`candidates`) and evaluated by the ordinary evaluator. A property holds for every
//! applicant exactly when it holds for every candidate (see `docs/verification.md`).
//! Every counterexample is evaluated once more through [`crate::eval::decide`] on the
//! whole program before it is reported.

mod assertions;
mod candidates;
mod describe;
pub mod diff;
mod job_amounts;
mod properties;
mod space;

use std::collections::HashMap;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::applicant::Applicant;
use crate::check::model::ClassDef;
use crate::check::{AllowSite, CheckedRules};
use crate::compile::Program;
use crate::diagnostics::Diagnostic;
use crate::eval::{Query, Via};
use crate::source::Span;
use crate::syntax::ast::TierKind;

pub use candidates::Cost;

/// The date candidates are evaluated at when the version is in force then: fixed, so that
/// a counterexample is the same file on every run.
pub fn default_evaluation_date() -> Date {
    jiff::civil::date(2025, 1, 1)
}

/// One tier's outcome for a counterexample: `Some(path)` when met.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierResult {
    pub level: String,
    pub tier: TierKind,
    pub via: Option<Via>,
    /// Why the rules of this side cannot read the applicant at all (a category or credential
    /// they do not define, by its diagnostic), when they cannot: then no outcome is claimed.
    pub unreadable: Option<String>,
}

impl TierResult {
    /// "A minimum: met (substitution 1)".
    pub fn describe(&self) -> String {
        let outcome = match (&self.unreadable, self.via) {
            (Some(why), _) => format!("the applicant cannot be read by these rules ({why})"),
            (None, None) => "not met".to_owned(),
            (None, Some(via)) => format!("met ({via})"),
        };
        format!("{} {}: {outcome}", self.level, self.tier.as_str())
    }
}

/// An applicant who shows a finding, ready to be written as an applicant file.
#[derive(Clone, Debug)]
pub struct Counterexample {
    /// `K9099-within-level-A.toml`.
    pub file_name: String,
    pub applicant: Applicant,
    pub as_of: Date,
    /// For a comparison of two dates, the date the new side is evaluated at, when it is
    /// another than `as_of` (the old side's).
    pub after_as_of: Option<Date>,
    /// The command that found it: `verify` or `diff`.
    pub found_by: &'static str,
    /// "a Master's degree in Public Health, accredited, and no experience".
    pub description: String,
    /// The tiers the finding is about, as the ordinary evaluator decides them.
    pub outcomes: Vec<TierResult>,
}

impl Counterexample {
    /// The applicant file: a comment saying what it shows, then the applicant as TOML.
    pub fn file_text(&self, class: &str) -> String {
        let dates = match self.after_as_of {
            Some(after) => format!(
                "the old rules with --as-of {} and the new with --as-of {after}",
                self.as_of
            ),
            None => format!("--as-of {}", self.as_of),
        };
        let mut text = format!(
            "# Counterexample found by `qualify {}` for class {class}.\n# Evaluate {dates}: {}.\n",
            self.found_by,
            self.outcomes
                .iter()
                .map(TierResult::describe)
                .collect::<Vec<_>>()
                .join("; ")
        );
        text.push_str(&crate::applicant::to_toml(&self.applicant));
        text
    }
}

/// One property that fails, or one fact the writer should see.
#[derive(Clone, Debug)]
pub struct Finding {
    pub class: String,
    pub diagnostic: Diagnostic,
    pub counterexample: Option<Counterexample>,
    /// The reason and place of the `allow` that acknowledges it, when one does.
    pub acknowledged: Option<(String, Span)>,
}

/// A writer's assertion that holds for every applicant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proved {
    pub class: String,
    /// The assertion as written.
    pub assertion: String,
    /// Whether the class was searched over a bounded family of applicants (Q409): then no
    /// applicant tried breaks the assertion, which is not a proof.
    pub over_bounded_family: bool,
}

/// What `verify` found over a rule set.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub proved: Vec<Proved>,
    /// Candidate applicants evaluated, over every class.
    pub candidates: usize,
    /// Class versions verified.
    pub versions: usize,
}

/// Marks each finding an `allow` of the rules acknowledges, with its reason, and gives Q206
/// for each `allow` of a verification code that acknowledges nothing. An `allow` stands
/// for the findings of its code that point into the class, level, tier or clause it is
/// written in, as a warning of `check` is acknowledged, with two refinements for findings
/// about one path: the nearest `allow` is the one that counts, and a tier's `allow` does
/// not reach into its substitution clauses, which have their own. The findings stay in
/// the report: an acknowledged finding still has its counterexample.
pub fn acknowledge(
    report: &mut Report,
    rules: &CheckedRules,
    allows: &[AllowSite],
    codes: &[String],
) -> Vec<Diagnostic> {
    let verified = VerifiedAnchors::of(rules, codes);
    let sites: Vec<&AllowSite> = allows
        .iter()
        .filter(|s| is_verification_code(s.code) && verified.hold(s.owner))
        .collect();
    let index = crate::check::SiteIndex::new(&sites);
    let tiers: HashMap<Span, &crate::check::model::TierDef> = rules
        .model()
        .classes
        .iter()
        .flat_map(|c| c.levels.iter().flat_map(|l| l.tiers.iter()))
        .map(|tier| (tier.span, tier))
        .collect();
    // A tier's `allow` does not reach into the tier's substitution clauses.
    let in_clause_of_tier = |site: &AllowSite, span: Span| {
        tiers
            .get(&site.owner)
            .is_some_and(|t| t.substitutions.iter().any(|c| inside(span, c.span)))
    };
    let mut used = vec![false; sites.len()];
    for finding in &mut report.findings {
        let span = finding.diagnostic.span();
        let nearest = index
            .innermost_holding(&sites, finding.diagnostic.code(), span, |site| {
                !in_clause_of_tier(site, span)
            })
            .and_then(|at| Some((at, *sites.get(at)?)));
        if let Some((index, site)) = nearest {
            if let Some(flag) = used.get_mut(index) {
                *flag = true;
            }
            finding.acknowledged = Some((site.reason.clone(), site.span));
        }
    }
    let unused: Vec<AllowSite> = sites
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(site, _)| (*site).clone())
        .collect();
    crate::check::acknowledge(Vec::new(), &unused, is_verification_code).unmatched
}

/// The places of the classes verified with `--class`: each class's code, its levels'
/// names, its tiers and its clauses, in file order. An `allow` is written in a class, level,
/// tier or clause, whose block holds that place of its class; an `allow` in a class not
/// verified has nothing to acknowledge, and is not reported.
struct VerifiedAnchors {
    /// `None`: every class is verified.
    anchors: Option<Vec<Span>>,
}

impl VerifiedAnchors {
    fn of(rules: &CheckedRules, codes: &[String]) -> VerifiedAnchors {
        if codes.is_empty() {
            return VerifiedAnchors { anchors: None };
        }
        let mut anchors: Vec<Span> = rules
            .model()
            .classes
            .iter()
            .filter(|c| codes.iter().any(|code| code.eq_ignore_ascii_case(&c.code)))
            .flat_map(|c| {
                let levels = c.levels.iter().flat_map(|l| {
                    let tiers = l.tiers.iter().flat_map(|t| {
                        std::iter::once(t.span).chain(t.substitutions.iter().map(|s| s.span))
                    });
                    std::iter::once(l.span).chain(tiers)
                });
                std::iter::once(c.span).chain(levels)
            })
            .collect();
        anchors.sort_unstable();
        VerifiedAnchors {
            anchors: Some(anchors),
        }
    }

    /// Whether the block at `owner` holds a place of a class verified: the first place at
    /// or after its start, found by binary search, lies inside it.
    fn hold(&self, owner: Span) -> bool {
        let Some(anchors) = &self.anchors else {
            return true;
        };
        let first = anchors.partition_point(|a| (a.file, a.start) < (owner.file, owner.start));
        anchors.get(first).is_some_and(|a| inside(*a, owner))
    }
}

/// Whether `inner` lies within `outer`, in the same file.
fn inside(inner: Span, outer: Span) -> bool {
    inner.file == outer.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Whether `code` is one of the findings `verify` reports (Q400 to Q449).
pub fn is_verification_code(code: crate::diagnostics::Code) -> bool {
    code.as_str().starts_with("Q4")
}

/// Verifies every class version of a checked rule set.
pub fn verify(rules: &CheckedRules, program: &Program) -> Report {
    verify_classes(rules, program, &[])
}

/// Verifies the class versions whose code is in `codes` (every class when empty).
///
/// Each version is compiled and searched alone, so the versions are verified on every core;
/// their findings are taken in the model's class order, the same on any number of threads.
pub fn verify_classes(rules: &CheckedRules, program: &Program, codes: &[String]) -> Report {
    let model = rules.model();
    let selected: Vec<&ClassDef> = model
        .classes
        .iter()
        .filter(|class| {
            codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(&class.code))
        })
        .collect();
    let in_force = versions_in_force(&model.classes, default_evaluation_date());
    let reports: Vec<Report> = selected
        .par_iter()
        .map(|class| verify_version(program, class, version_date(&in_force, class)))
        .collect();
    let mut report = Report::default();
    for one in reports {
        report.findings.extend(one.findings);
        report.proved.extend(one.proved);
        report.candidates += one.candidates;
        report.versions += one.versions;
    }
    report
}

/// The findings of one class version, its candidates evaluated at `as_of`.
fn verify_version(program: &Program, class: &ClassDef, as_of: Date) -> Report {
    let mut report = Report::default();
    let mut space = space::ClassSpace::new(program, class, as_of);
    let found = candidates::enumerate(&mut space);
    report.candidates = found.all.len();
    report.versions = 1;
    properties::check(&space, class, &found, &mut report);
    report
}

/// For each class code, the version in force on `date`, if one is.
fn versions_in_force(all: &[ClassDef], date: Date) -> HashMap<&str, &ClassDef> {
    let mut in_force: HashMap<&str, &ClassDef> = HashMap::new();
    for class in all.iter().filter(|c| c.effective <= date) {
        // The latest effective date wins; of equal dates, the last written.
        let entry = in_force.entry(class.code.as_str()).or_insert(class);
        if class.effective >= entry.effective {
            *entry = class;
        }
    }
    in_force
}

/// A date on which `class` is the version in force: the fixed evaluation date when it is
/// (`in_force` gives the version in force then, per code), else the version's own
/// effective date.
fn version_date(in_force: &HashMap<&str, &ClassDef>, class: &ClassDef) -> Date {
    let current = in_force
        .get(class.code.as_str())
        .is_some_and(|c| std::ptr::eq(*c, class));
    if current {
        default_evaluation_date()
    } else {
        class.effective
    }
}

/// The tiers of `code` decided by the ordinary evaluator for `applicant` at `as_of`, by
/// level name and tier kind.
pub(crate) fn decide_tiers(
    program: &Program,
    code: &str,
    applicant: &Applicant,
    as_of: Date,
) -> Option<Vec<TierResult>> {
    let class = program.class(code)?;
    let version = class.version_in_force(as_of)?;
    let mut decisions = Vec::new();
    crate::eval::decide(
        program,
        applicant,
        &Query::new(as_of).class(code),
        &mut decisions,
    )
    .ok()?;
    decisions
        .iter()
        .map(|d| {
            let level = version.levels.get(d.level as usize)?;
            Some(TierResult {
                level: level.name.to_string(),
                tier: d.tier,
                via: d.via,
                unreadable: None,
            })
        })
        .collect()
}
