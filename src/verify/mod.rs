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
mod properties;
mod space;

use jiff::civil::Date;

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
}

impl TierResult {
    /// "A minimum: met (substitution 1)".
    pub fn describe(&self) -> String {
        let outcome = match self.via {
            None => "not met".to_owned(),
            Some(via) => format!("met ({via})"),
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
    /// "a Master's degree in Public Health, accredited, and no experience".
    pub description: String,
    /// The tiers the finding is about, as the ordinary evaluator decides them.
    pub outcomes: Vec<TierResult>,
}

impl Counterexample {
    /// The applicant file: a comment saying what it shows, then the applicant as TOML.
    pub fn file_text(&self, class: &str) -> String {
        let mut text = format!(
            "# Counterexample found by `qualify verify` for class {class}.\n# Evaluate with --as-of {}: {}.\n",
            self.as_of,
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
    pub assertion: String,
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
) -> Vec<Diagnostic> {
    let sites: Vec<&AllowSite> = allows
        .iter()
        .filter(|s| is_verification_code(s.code))
        .collect();
    let tiers: Vec<&crate::check::model::TierDef> = rules
        .model()
        .classes
        .iter()
        .flat_map(|c| c.levels.iter().flat_map(|l| l.tiers.iter()))
        .collect();
    let inside = |inner: Span, outer: Span| {
        inner.file == outer.file && outer.start <= inner.start && inner.end <= outer.end
    };
    let mut used = vec![false; sites.len()];
    for finding in &mut report.findings {
        let span = finding.diagnostic.span();
        let reaches = |site: &AllowSite| {
            let in_clause_of_tier = tiers.iter().any(|t| {
                t.span == site.owner && t.substitutions.iter().any(|c| inside(span, c.span))
            });
            site.code == finding.diagnostic.code() && inside(span, site.owner) && !in_clause_of_tier
        };
        let nearest = sites
            .iter()
            .enumerate()
            .filter(|(_, site)| reaches(site))
            .min_by_key(|(index, site)| (site.owner.end - site.owner.start, *index));
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

/// Whether `code` is one of the findings `verify` reports (Q400 to Q449).
pub fn is_verification_code(code: crate::diagnostics::Code) -> bool {
    code.as_str().starts_with("Q4")
}

/// Verifies every class version of a checked rule set.
pub fn verify(rules: &CheckedRules, program: &Program) -> Report {
    verify_classes(rules, program, &[])
}

/// Verifies the class versions whose code is in `codes` (every class when empty).
pub fn verify_classes(rules: &CheckedRules, program: &Program, codes: &[String]) -> Report {
    let model = rules.model();
    let mut report = Report::default();
    for class in &model.classes {
        if !codes.is_empty() && !codes.iter().any(|c| c.eq_ignore_ascii_case(&class.code)) {
            continue;
        }
        let as_of = version_date(&model.classes, class);
        let mut space = space::ClassSpace::new(program, class, as_of);
        let found = candidates::enumerate(&mut space);
        report.candidates += found.all.len();
        report.versions += 1;
        properties::check(&space, class, &found, &mut report);
    }
    report
}

/// A date on which `class` is the version in force: the fixed evaluation date when it is,
/// else the version's own effective date.
pub(crate) fn version_date(all: &[ClassDef], class: &ClassDef) -> Date {
    let fixed = default_evaluation_date();
    let in_force = all
        .iter()
        .filter(|c| c.code == class.code && c.effective <= fixed)
        .max_by_key(|c| c.effective)
        .is_some_and(|c| std::ptr::eq(c, class));
    if in_force { fixed } else { class.effective }
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
            })
        })
        .collect()
}
