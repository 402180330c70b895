//! The built-in properties, decided over a class's candidates, and the findings they give.

use crate::check::model::{ClassDef, LevelDef, TierDef};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::TierKind;

use super::candidates::{Candidate, Candidates};
use super::space::ClassSpace;
use super::{Counterexample, Finding, Report, TierResult};

/// A tier of the version: its level, its definition and its index among the evaluated
/// tiers (level order, then tier order).
#[derive(Clone, Copy)]
pub(crate) struct TierAt<'c> {
    pub level: &'c LevelDef,
    pub tier: &'c TierDef,
    pub index: usize,
}

impl TierAt<'_> {
    pub fn name(&self) -> String {
        format!("{} {}", self.level.name, self.tier.kind.as_str())
    }

    fn slug(&self) -> String {
        format!("{}-{}", self.level.name, self.tier.kind.as_str())
    }
}

/// Every tier of a version, in evaluation order.
pub(crate) fn tiers(class: &ClassDef) -> Vec<TierAt<'_>> {
    class
        .levels
        .iter()
        .flat_map(|level| level.tiers.iter().map(move |tier| (level, tier)))
        .enumerate()
        .map(|(index, (level, tier))| TierAt { level, tier, index })
        .collect()
}

fn tier_of<'c>(all: &[TierAt<'c>], level: &LevelDef, kind: TierKind) -> Option<TierAt<'c>> {
    all.iter()
        .find(|t| t.level.name == level.name && t.tier.kind == kind)
        .copied()
}

/// The simplest candidate that satisfies `wanted`.
pub(crate) fn simplest(
    found: &Candidates,
    wanted: impl Fn(&Candidate) -> bool,
) -> Option<&Candidate> {
    found
        .all
        .iter()
        .filter(|c| wanted(c))
        .min_by(|a, b| a.cost.cmp(&b.cost))
}

/// Checks every built-in property of one class version.
pub(crate) fn check(
    space: &ClassSpace<'_>,
    class: &ClassDef,
    found: &Candidates,
    report: &mut Report,
) {
    let all = tiers(class);
    let mut out = Findings {
        space,
        class,
        found,
        report,
    };
    if !space.bounded.is_empty() {
        out.report.findings.push(Finding {
            class: class.code.clone(),
            diagnostic: Diagnostic::new(
                Code::VerifiedOverFamily,
                format!(
                    "class {} is verified over a bounded family of applicants, not every applicant",
                    class.code
                ),
                class.span,
                "verified over a bounded family",
            )
            .with_help(format!(
                "the search is complete only for classes it can split exactly; this one cannot be: {}",
                distinct_reasons(&space.bounded).join("; ")
            )),
            counterexample: None,
            acknowledged: None,
        });
    }
    ladder(&mut out, &all);
    within_levels(&mut out, &all);
    paths(&mut out, &all);
    one_sided(&mut out, &all);
    super::assertions::check(&mut out, &all);
}

/// What a property check needs, and where its findings go.
pub(crate) struct Findings<'s, 'p, 'c> {
    pub space: &'s ClassSpace<'p>,
    pub class: &'c ClassDef,
    pub found: &'s Candidates,
    pub report: &'s mut Report,
}

impl Findings<'_, '_, '_> {
    /// Reports a finding shown by `candidate`, after the ordinary evaluator confirms, on
    /// the whole program, the outcomes of the tiers it is about.
    pub fn push(
        &mut self,
        diagnostic: Diagnostic,
        candidate: Option<&Candidate>,
        about: &[TierAt<'_>],
        slug: &str,
    ) {
        let code = self.class.code.clone();
        let counterexample = candidate.and_then(|c| self.counterexample(c, about, slug));
        let diagnostic = match (&counterexample, candidate) {
            (Some(example), _) => diagnostic.with_help(format!(
                "for example, {}: {}",
                example.description,
                example
                    .outcomes
                    .iter()
                    .map(TierResult::describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            (None, Some(_)) => Diagnostic::new(
                Code::Internal,
                format!(
                    "the ordinary evaluator does not confirm a counterexample for class {code}"
                ),
                self.class.span,
                "here",
            ),
            (None, None) => diagnostic,
        };
        self.report.findings.push(Finding {
            class: code,
            diagnostic,
            counterexample,
            acknowledged: None,
        });
    }

    fn counterexample(
        &self,
        candidate: &Candidate,
        about: &[TierAt<'_>],
        slug: &str,
    ) -> Option<Counterexample> {
        let mut applicant = self.found.applicant(candidate)?;
        // A class of several versions: each version's files named apart, by its date.
        let versions = self
            .space
            .program
            .class(&self.class.code)
            .map_or(1, |c| c.versions.len());
        let mut file_name = if versions > 1 {
            format!("{}-{}-{slug}", self.class.code, self.class.effective)
        } else {
            format!("{}-{slug}", self.class.code)
        };
        for tier in about {
            file_name.push('-');
            file_name.push_str(&tier.slug());
        }
        applicant.id = Some(file_name.clone());
        let decided = super::decide_tiers(
            self.space.program,
            &self.class.code,
            &applicant,
            self.found.as_of,
        )?;
        let mut outcomes = Vec::with_capacity(about.len());
        for tier in about {
            let result = decided
                .iter()
                .find(|d| d.level == tier.level.name && d.tier == tier.tier.kind)?;
            if result.via.is_some() != candidate.tier_met(tier.index) {
                return None;
            }
            outcomes.push(result.clone());
        }
        Some(Counterexample {
            file_name: format!("{file_name}.toml"),
            description: super::describe::applicant(
                self.space.program,
                self.class.profile,
                &applicant,
                self.space.reads_accreditation,
            ),
            applicant,
            as_of: self.found.as_of,
            after_as_of: None,
            found_by: "verify",
            outcomes,
        })
    }
}

/// One way through a tier: its direct path or one of its substitution clauses.
struct Path {
    /// The bit of [`Candidate::path_bits`] that is set when the path is met.
    bit: u64,
    /// "its direct path", "substitution clause 1".
    words: String,
    /// "direct", "substitution-1".
    slug: String,
    span: Span,
}

/// The paths of a tier, the direct path first.
fn paths_of(at: &TierAt<'_>) -> Vec<Path> {
    let mut paths = vec![Path {
        bit: 1,
        words: "its direct path".to_owned(),
        slug: "direct".to_owned(),
        span: at.tier.requirement.span(),
    }];
    for (number, clause) in at.tier.substitutions.iter().enumerate().take(63) {
        paths.push(Path {
            bit: 1u64 << (number + 1),
            words: format!("substitution clause {}", number + 1),
            slug: format!("substitution-{}", number + 1),
            span: clause.rule_span,
        });
    }
    paths
}

/// What one "whoever meets `upper` meets `lower`" property reports when it fails.
struct Implication<'t> {
    upper: TierAt<'t>,
    lower: TierAt<'t>,
    code: Code,
    /// The message, given the path by which `upper` is met.
    message: &'t dyn Fn(&str) -> String,
    label: String,
    slug: &'static str,
}

/// Reports, for each path of `upper` by which some applicant meets it without meeting
/// `lower`, the simplest such applicant (a path whose simplest applicant an earlier path
/// already showed is not reported again). Gives whether anything was reported.
fn implication(out: &mut Findings<'_, '_, '_>, property: &Implication<'_>) -> bool {
    let (upper, lower) = (property.upper, property.lower);
    let mut shown: Vec<(usize, usize)> = Vec::new();
    for path in paths_of(&upper) {
        let broken = simplest(out.found, |c| {
            c.path_bits(upper.index) & path.bit != 0 && !c.tier_met(lower.index)
        });
        let Some(example) = broken else { continue };
        if shown.contains(&(example.education, example.experience)) {
            continue;
        }
        shown.push((example.education, example.experience));
        let diagnostic = Diagnostic::new(
            property.code,
            (property.message)(&path.words),
            path.span,
            format!("{} by this path", property.label),
        );
        let slug = format!("{}-via-{}", property.slug, path.slug);
        out.push(diagnostic, Some(example), &[upper, lower], &slug);
    }
    !shown.is_empty()
}

/// Whoever meets a higher level's minimum meets every lower level's minimum, and its
/// recommended tier (Q203's case, reported when the lower minimum is met).
fn ladder(out: &mut Findings<'_, '_, '_>, all: &[TierAt<'_>]) {
    let code = out.class.code.clone();
    let levels = &out.class.levels;
    // Every pair of levels, or for a class of many levels each level and the one below it:
    // when those hold, the rest follow, and the pairs would grow as the square of the levels.
    let neighbours_only = levels.len() > MAX_LEVELS_PAIRED;
    for (high_index, high) in levels.iter().enumerate() {
        let Some(high_min) = tier_of(all, high, TierKind::Minimum) else {
            continue;
        };
        let first_low = if neighbours_only {
            high_index.saturating_sub(1)
        } else {
            0
        };
        for low in levels.iter().take(high_index).skip(first_low) {
            let Some(low_min) = tier_of(all, low, TierKind::Minimum) else {
                continue;
            };
            let message = |path: &str| {
                format!(
                    "class {code}: an applicant can meet level {}'s minimum by {path} without meeting level {}'s minimum",
                    high.name, low.name
                )
            };
            let reported = implication(
                out,
                &Implication {
                    upper: high_min,
                    lower: low_min,
                    code: Code::LadderBroken,
                    message: &message,
                    label: format!("level {} minimum met", high.name),
                    slug: "ladder",
                },
            );
            if reported {
                continue;
            }
            let Some(low_rec) = tier_of(all, low, TierKind::Recommended) else {
                continue;
            };
            let message = |path: &str| {
                format!(
                    "class {code}: an applicant can meet level {}'s minimum by {path} without meeting level {}'s recommended tier",
                    high.name, low.name
                )
            };
            implication(
                out,
                &Implication {
                    upper: high_min,
                    lower: low_rec,
                    code: Code::MinimumWithoutLowerRecommended,
                    message: &message,
                    label: format!("level {} minimum met", high.name),
                    slug: "across-levels",
                },
            );
        }
    }
}

/// Classes of more levels than this have their ladder checked between neighbouring levels.
const MAX_LEVELS_PAIRED: usize = 16;

/// Whoever meets a level's recommended tier meets its minimum tier.
fn within_levels(out: &mut Findings<'_, '_, '_>, all: &[TierAt<'_>]) {
    let code = out.class.code.clone();
    for level in &out.class.levels {
        let (Some(min), Some(rec)) = (
            tier_of(all, level, TierKind::Minimum),
            tier_of(all, level, TierKind::Recommended),
        ) else {
            continue;
        };
        let message = |path: &str| {
            format!(
                "class {code} level {}: an applicant can meet the recommended tier by {path} without meeting the minimum tier",
                level.name
            )
        };
        implication(
            out,
            &Implication {
                upper: rec,
                lower: min,
                code: Code::RecommendedWithoutMinimum,
                message: &message,
                label: "recommended tier met".to_owned(),
                slug: "within-level",
            },
        );
    }
}

/// Paths that never decide a tier, and tiers no applicant meets.
fn paths(out: &mut Findings<'_, '_, '_>, all: &[TierAt<'_>]) {
    // Over a bounded family a "never" holds of the applicants tried, not of every applicant:
    // the findings say so (the family and its bounds are Q409's).
    let bounded = !out.space.bounded.is_empty();
    let among = if bounded {
        " among the applicants tried (a bounded family, see Q409)"
    } else {
        ""
    };
    for at in all {
        let name = at.name();
        let Some(met) = simplest(out.found, |c| c.tier_met(at.index)) else {
            let what = if bounded {
                "no applicant tried meets this tier (a bounded family, see Q409)"
            } else {
                "no applicant can meet this tier"
            };
            let diagnostic = Diagnostic::new(
                Code::TierNeverMet,
                format!("class {} {name}: {what}", out.class.code),
                at.tier.keyword_span,
                "never met",
            );
            out.push(diagnostic, None, &[], "never-met");
            continue;
        };
        let _ = met;
        if at.tier.substitutions.is_empty() {
            continue;
        }
        for (number, clause) in at.tier.substitutions.iter().enumerate().take(63) {
            let bit = 1u64 << (number + 1);
            let alone = simplest(out.found, |c| {
                c.path_bits(at.index) & bit != 0 && c.path_bits(at.index) & 1 == 0
            });
            if alone.is_some() {
                continue;
            }
            let witness = simplest(out.found, |c| c.path_bits(at.index) & bit != 0);
            let message = if witness.is_some() {
                format!(
                    "class {} {name}: substitution clause {} never decides{among}: every applicant who meets it meets the direct path",
                    out.class.code,
                    number + 1
                )
            } else {
                format!(
                    "class {} {name}: no applicant {} substitution clause {}",
                    out.class.code,
                    if bounded { "tried meets" } else { "can meet" },
                    number + 1
                )
            };
            let diagnostic = Diagnostic::new(
                Code::ClauseNeverDecides,
                message,
                clause.span,
                "never decides",
            )
            .with_label(at.tier.requirement.span(), "the direct path");
            let slug = format!("clause-{}-never-decides", number + 1);
            out.push(diagnostic, witness, &[*at], &slug);
        }
        let direct_alone = simplest(out.found, |c| c.path_bits(at.index) == 1);
        if direct_alone.is_none() {
            let witness = simplest(out.found, |c| c.path_bits(at.index) & 1 != 0);
            let diagnostic = Diagnostic::new(
                Code::DirectPathNeverDecides,
                format!(
                    "class {} {name}: the direct path never decides{among}: every applicant who meets it meets a substitution clause",
                    out.class.code
                ),
                at.tier.requirement.span(),
                "never decides",
            );
            out.push(diagnostic, witness, &[*at], "direct-never-decides");
        }
    }
}

/// Tiers met by an applicant with no experience at all, or with no education at all.
fn one_sided(out: &mut Findings<'_, '_, '_>, all: &[TierAt<'_>]) {
    for at in all {
        let name = at.name();
        let found = out.found;
        if let Some(example) = simplest(found, |c| !found.has_experience(c) && c.tier_met(at.index))
        {
            let diagnostic = Diagnostic::new(
                Code::MetWithoutExperience,
                format!(
                    "class {} {name}: an applicant with no experience at all meets this tier",
                    out.class.code
                ),
                at.tier.keyword_span,
                "met with no experience",
            );
            out.push(diagnostic, Some(example), &[*at], "without-experience");
        }
        if let Some(example) = simplest(found, |c| !found.has_education(c) && c.tier_met(at.index))
        {
            let diagnostic = Diagnostic::new(
                Code::MetWithoutEducation,
                format!(
                    "class {} {name}: an applicant with no education at all meets this tier",
                    out.class.code
                ),
                at.tier.keyword_span,
                "met with no education",
            );
            out.push(diagnostic, Some(example), &[*at], "without-education");
        }
    }
}

/// Each reason once, in the order first given: the same limit met for several tiers or
/// thresholds says no more the second time.
fn distinct_reasons(reasons: &[String]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    reasons
        .iter()
        .map(String::as_str)
        .filter(|reason| seen.insert(*reason))
        .collect()
}
