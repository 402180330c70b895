//! `qualify diff`: the semantic difference between two versions of each class, tier by
//! tier: equivalent (proved over every applicant) or the simplest applicants whose outcome
//! flips, in each direction.
//!
//! Each side's candidates are built with fields and categories split as finely as both
//! sides tell them apart, and every candidate is evaluated on both sides. A tier met on
//! one side only by some applicant is met on that side only by that side's candidate of
//! the applicant's region (see `docs/verification.md`).

use jiff::civil::Date;
use num_traits::CheckedDiv;

use crate::check::CheckedRules;
use crate::check::model::{ClassDef, ProfileDef};
use crate::compile::Program;
use crate::eval::Facts;
use crate::syntax::ast::{OverlapRule, TierKind};

use super::candidates::{self, Candidate, Candidates};
use super::space::ClassSpace;
use super::{Counterexample, TierResult};

/// One side of a comparison: a checked rule set, its program, and the date whose versions
/// are compared (`None`: each class's latest version).
pub struct Side<'a> {
    pub rules: &'a CheckedRules,
    pub program: &'a Program,
    pub as_of: Option<Date>,
}

/// How one tier compares.
#[derive(Clone, Debug)]
pub struct TierDiff {
    pub level: String,
    pub tier: TierKind,
    pub change: Change,
}

#[derive(Clone, Debug)]
pub enum Change {
    /// Every applicant gets the same outcome on both sides.
    Equivalent,
    /// Some applicant's outcome flips: `lost` is met by the old side only, `gained` by the
    /// new side only.
    Differs {
        lost: Option<Box<Counterexample>>,
        gained: Option<Box<Counterexample>>,
    },
    /// No candidate's outcome flips, but the class's profile changed in what the candidates
    /// do not vary (`ClassDiff::profile_changes`), so nothing was proved for the tier.
    NotProved,
    /// The tier exists on one side only.
    OnlyOld,
    OnlyNew,
}

/// How one class compares.
#[derive(Clone, Debug)]
pub struct ClassDiff {
    pub code: String,
    /// The effective dates of the versions compared (`None`: no version on that side).
    pub old: Option<Date>,
    pub new: Option<Date>,
    pub tiers: Vec<TierDiff>,
    /// Why the comparison covers a bounded family of applicants only, when it does.
    pub bounded: Vec<String>,
    /// How the class's profile changed in what the candidates do not vary (full time, the
    /// overlap rule, the quarter-credit rate): such a change is a difference, stated, not
    /// compared applicant by applicant.
    pub profile_changes: Vec<String>,
}

impl ClassDiff {
    pub fn equivalent(&self) -> bool {
        match (self.old, self.new) {
            // In force on neither side: nothing differs.
            (None, None) => true,
            (Some(_), Some(_)) => {
                self.profile_changes.is_empty()
                    && self
                        .tiers
                        .iter()
                        .all(|t| matches!(t.change, Change::Equivalent))
            }
            _ => false,
        }
    }
}

/// Compares every class of `old` with the same class of `new` (only `codes`, when given).
pub fn diff(old: &Side<'_>, new: &Side<'_>, codes: &[String]) -> Vec<ClassDiff> {
    let mut names: Vec<&str> = old.rules.model().class_codes();
    // A class is the same class on both sides whatever the letter case of its code, as
    // `--class` finds it (a rule set never holds two codes that differ only in case).
    let mut folded: std::collections::HashSet<String> =
        names.iter().map(|name| name.to_ascii_uppercase()).collect();
    for code in new.rules.model().class_codes() {
        if folded.insert(code.to_ascii_uppercase()) {
            names.push(code);
        }
    }
    names
        .into_iter()
        .filter(|code| codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
        .map(|code| diff_class(old, new, code))
        .collect()
}

/// The version of `code` a side compares.
fn version<'a>(side: &Side<'a>, code: &str) -> Option<&'a ClassDef> {
    let model = side.rules.model();
    match side.as_of {
        Some(date) => model.version_in_force(code, date),
        None => model
            .classes
            .iter()
            .filter(|c| c.code.eq_ignore_ascii_case(code))
            .max_by_key(|c| c.effective),
    }
}

/// The date a side's candidates are evaluated at.
fn side_date(side: &Side<'_>, class: &ClassDef) -> Date {
    side.as_of
        .unwrap_or_else(|| class.effective.max(super::default_evaluation_date()))
}

fn diff_class(old: &Side<'_>, new: &Side<'_>, code: &str) -> ClassDiff {
    let (Some(old_class), Some(new_class)) = (version(old, code), version(new, code)) else {
        return ClassDiff {
            code: code.to_owned(),
            old: version(old, code).map(|c| c.effective),
            new: version(new, code).map(|c| c.effective),
            tiers: Vec::new(),
            bounded: Vec::new(),
            profile_changes: Vec::new(),
        };
    };
    let old_date = side_date(old, old_class);
    let new_date = side_date(new, new_class);
    let mut old_space = ClassSpace::new(old.program, old_class, old_date);
    let mut new_space = ClassSpace::new(new.program, new_class, new_date);
    let jobs_end = old_date.min(new_date);
    old_space.jobs_end = jobs_end;
    new_space.jobs_end = jobs_end;
    let old_fields = ClassSpace::new(old.program, old_class, old_date);
    let new_fields = ClassSpace::new(new.program, new_class, new_date);
    old_space.refine_with(&new_fields);
    new_space.refine_with(&old_fields);
    let old_found = candidates::enumerate(&mut old_space);
    let new_found = candidates::enumerate(&mut new_space);
    let pairs = [
        Paired::of(&old_found, &old_space, &new_space, true),
        Paired::of(&new_found, &new_space, &old_space, false),
    ];
    let old_tiers = super::properties::tiers(old_class);
    let new_tiers = super::properties::tiers(new_class);
    let mut tiers = Vec::new();
    for at in &old_tiers {
        let Some(other) = new_tiers.iter().find(|t| {
            t.level.name.eq_ignore_ascii_case(&at.level.name) && t.tier.kind == at.tier.kind
        }) else {
            tiers.push(tier_diff(
                at.level.name.clone(),
                at.tier.kind,
                Change::OnlyOld,
            ));
            continue;
        };
        let flip = |old_met: bool| {
            pairs
                .iter()
                .filter_map(|p| p.simplest(at.index, other.index, old_met))
                .min_by(|a, b| a.1.cmp(&b.1))
                .map(|(applicant, _)| applicant)
        };
        let lost = flip(true);
        let gained = flip(false);
        let context = Context {
            old,
            new,
            code,
            old_date,
            new_date,
            level: &at.level.name,
            tier: at.tier.kind,
        };
        let change = if lost.is_none() && gained.is_none() {
            Change::Equivalent
        } else {
            Change::Differs {
                lost: lost
                    .and_then(|a| context.counterexample(a, "lost"))
                    .map(Box::new),
                gained: gained
                    .and_then(|a| context.counterexample(a, "gained"))
                    .map(Box::new),
            }
        };
        tiers.push(tier_diff(at.level.name.clone(), at.tier.kind, change));
    }
    for at in &new_tiers {
        if !old_tiers.iter().any(|t| {
            t.level.name.eq_ignore_ascii_case(&at.level.name) && t.tier.kind == at.tier.kind
        }) {
            tiers.push(tier_diff(
                at.level.name.clone(),
                at.tier.kind,
                Change::OnlyNew,
            ));
        }
    }
    let mut bounded = old_space.bounded.clone();
    bounded.extend(new_space.bounded.iter().cloned());
    bounded.sort();
    bounded.dedup();
    let profile_changes = profile_changes(old, new, old_class, new_class);
    if !profile_changes.is_empty() {
        for tier in &mut tiers {
            if matches!(tier.change, Change::Equivalent) {
                tier.change = Change::NotProved;
            }
        }
    }
    ClassDiff {
        code: code.to_owned(),
        old: Some(old_class.effective),
        new: Some(new_class.effective),
        tiers,
        bounded,
        profile_changes,
    }
}

/// The changes of a class's profile that its candidates cannot show: they hold full-time
/// jobs one after another and semester credits, so full time, the overlap rule and the
/// quarter-credit rate are never put to the test. Each is stated as a difference.
fn profile_changes(
    old: &Side<'_>,
    new: &Side<'_>,
    old_class: &ClassDef,
    new_class: &ClassDef,
) -> Vec<String> {
    let profile = |side: &Side<'_>, class: &ClassDef| {
        side.rules
            .model()
            .profiles
            .get(class.profile.0 as usize)
            .cloned()
    };
    let (Some(before), Some(after)) = (profile(old, old_class), profile(new, new_class)) else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    let hours = |p: &ProfileDef| crate::eval::outcome::plural(p.full_time_hours, "hour");
    if before.full_time_hours != after.full_time_hours {
        changes.push(format!(
            "full time is {} a week before and {} after: part-time jobs count differently",
            hours(&before),
            hours(&after)
        ));
    }
    if before.overlap != after.overlap {
        changes.push(format!(
            "overlapping jobs {} before and {} after",
            overlap_words(before.overlap),
            overlap_words(after.overlap)
        ));
    }
    let quarter_rate = |p: &ProfileDef| {
        p.quarter_credits_per_year
            .and_then(|q| p.semester_credits_per_year.checked_div(&q))
    };
    if quarter_rate(&before) != quarter_rate(&after) {
        // Both figures, since the rate is one against the other: 45 quarter credits a year
        // on both sides still count differently when the semester figure changed.
        let words = |p: &ProfileDef| {
            let semester = crate::eval::outcome::exact_string(p.semester_credits_per_year);
            match p.quarter_credits_per_year {
                Some(q) => format!(
                    "{semester} semester or {} quarter credits make a year",
                    crate::eval::outcome::exact_string(q)
                ),
                None => format!("{semester} semester credits make a year, quarter credits none"),
            }
        };
        changes.push(format!(
            "{} before and {} after: quarter credits count differently against semester credits",
            words(&before),
            words(&after)
        ));
    }
    changes
}

fn overlap_words(rule: OverlapRule) -> &'static str {
    match rule {
        OverlapRule::SummedToFullTime => "are summed up to full time",
        OverlapRule::LargestJobOnly => "count only the largest",
    }
}

fn tier_diff(level: String, tier: TierKind, change: Change) -> TierDiff {
    TierDiff {
        level,
        tier,
        change,
    }
}

/// One side's candidates with their outcomes on both sides.
struct Paired<'c> {
    found: &'c Candidates,
    /// Per candidate: its paths on the old side and on the new side.
    outcomes: Vec<(&'c Candidate, Vec<u64>, Vec<u64>)>,
}

impl<'c> Paired<'c> {
    fn of(
        found: &'c Candidates,
        own: &ClassSpace<'_>,
        other: &ClassSpace<'_>,
        own_is_old: bool,
    ) -> Paired<'c> {
        let mut outcomes = Vec::with_capacity(found.all.len());
        let mut paths = Vec::new();
        for candidate in &found.all {
            let Some(applicant) = found.applicant(candidate) else {
                continue;
            };
            let mut facts = Facts::new(other.program, &other.tree, &applicant, other.as_of);
            crate::eval::path_outcomes(&mut facts, &other.version, &mut paths);
            if facts.refusal().is_some() {
                continue;
            }
            let _ = own;
            let (old, new) = if own_is_old {
                (candidate.paths.clone(), paths.clone())
            } else {
                (paths.clone(), candidate.paths.clone())
            };
            outcomes.push((candidate, old, new));
        }
        Paired { found, outcomes }
    }

    /// The simplest candidate met on the old side only (`old_met`) or the new side only.
    fn simplest(
        &self,
        old_tier: usize,
        new_tier: usize,
        old_met: bool,
    ) -> Option<(crate::applicant::Applicant, super::Cost)> {
        let met = |paths: &[u64], i: usize| paths.get(i).is_some_and(|b| *b != 0);
        self.outcomes
            .iter()
            .filter(|(_, old, new)| met(old, old_tier) == old_met && met(new, new_tier) != old_met)
            .min_by(|a, b| a.0.cost.cmp(&b.0.cost))
            .and_then(|(c, _, _)| Some((self.found.applicant(c)?, c.cost)))
    }
}

/// What a counterexample of a tier's difference is built from.
struct Context<'s, 'a> {
    old: &'s Side<'a>,
    new: &'s Side<'a>,
    code: &'s str,
    old_date: Date,
    new_date: Date,
    level: &'s str,
    tier: TierKind,
}

impl Context<'_, '_> {
    /// The applicant with its outcome on each side, as the ordinary evaluator decides it on
    /// each whole program; `None` when the evaluator does not confirm the flip.
    fn counterexample(
        &self,
        mut applicant: crate::applicant::Applicant,
        direction: &str,
    ) -> Option<Counterexample> {
        let name = format!(
            "{}-{}-{}-{direction}",
            self.code,
            self.level,
            self.tier.as_str()
        );
        applicant.id = Some(name.clone());
        let pick = |results: Vec<TierResult>| {
            results
                .into_iter()
                .find(|r| r.level == self.level && r.tier == self.tier)
        };
        let before = pick(super::decide_tiers(
            self.old.program,
            self.code,
            &applicant,
            self.old_date,
        )?)?;
        let after = pick(super::decide_tiers(
            self.new.program,
            self.code,
            &applicant,
            self.new_date,
        )?)?;
        let confirmed = match direction {
            "lost" => before.via.is_some() && after.via.is_none(),
            _ => before.via.is_none() && after.via.is_some(),
        };
        if !confirmed {
            return None;
        }
        let profile = version(self.old, self.code)?.profile;
        // The file written must say what each side does with it: a side whose rules do not
        // define a name it holds refuses it, and its outcome is not claimed.
        let text = crate::applicant::to_toml(&applicant);
        let unreadable = |rules: &CheckedRules| {
            let mut sources = crate::source::SourceMap::default();
            let file = format!("{name}.toml");
            let read = crate::applicant::read(&mut sources, &file, text.as_bytes(), rules);
            let error = read.diagnostics.into_iter().find(|d| d.is_error())?;
            Some(format!("{}: {}", error.code(), error.message()))
        };
        let (old_refuses, new_refuses) = (unreadable(self.old.rules), unreadable(self.new.rules));
        Some(Counterexample {
            file_name: format!("{name}.toml"),
            description: super::describe::applicant(self.old.program, profile, &applicant, true),
            applicant,
            as_of: self.old_date,
            after_as_of: (self.new_date != self.old_date).then_some(self.new_date),
            found_by: "diff",
            outcomes: vec![
                TierResult {
                    level: format!("before: {}", before.level),
                    unreadable: old_refuses,
                    ..before
                },
                TierResult {
                    level: format!("after: {}", after.level),
                    unreadable: new_refuses,
                    ..after
                },
            ],
        })
    }
}
