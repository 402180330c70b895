//! What a rule change does to one applicant: every class × level × tier whose outcome
//! differs between two evaluations (two rule sets, or two dates of one rule set), with the
//! clause responsible on each side. Counted per tier over a pool by [`Flips`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::{Evaluation, TierKey, TierOutcome, Via};

use super::{Item, Screened, Screener};

/// One side of a flip: met or not, and the clause responsible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Side {
    pub met: bool,
    /// The path met (`direct`, `substitution 1`), or for a tier not met what its direct
    /// path lacks.
    pub clause: String,
    /// The citation of that path.
    pub citation: Option<String>,
}

/// One tier whose outcome changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flip {
    pub class: String,
    pub level: String,
    pub tier: String,
    /// `None`: the tier is not in that evaluation (see `absent_before`).
    pub before: Option<Side>,
    pub after: Option<Side>,
    /// Why the tier is not in the evaluation before, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent_before: Option<Absence>,
    /// Why the tier is not in the evaluation after, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent_after: Option<Absence>,
}

/// Why a tier is in one evaluation and not in the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Absence {
    /// The rules have the class, but no version of it is in force on that side's date.
    NotInForce,
    /// The rules have no such class, level or tier.
    NotInRules,
}

impl Absence {
    /// Why `class` has no tier in `evaluation`.
    fn of(evaluation: &Evaluation<'_>, class: &str) -> Absence {
        if evaluation.not_in_force.contains(&class) {
            Absence::NotInForce
        } else {
            Absence::NotInRules
        }
    }
}

fn side(evaluation: &Evaluation<'_>, tier: &TierOutcome<'_>) -> Side {
    let paths = evaluation.paths(tier);
    match paths.iter().find(|p| p.met) {
        Some(path) => Side {
            met: true,
            clause: path.via.to_string(),
            citation: path.citation().map(str::to_owned),
        },
        None => {
            let direct = paths.iter().find(|p| p.via == Via::Direct);
            Side {
                met: false,
                clause: direct.map_or_else(String::new, |p| {
                    format!("direct {}", evaluation.shortfalls(p).describe_all())
                }),
                citation: direct.and_then(|p| p.citation()).map(str::to_owned),
            }
        }
    }
}

/// Every tier whose met-or-not differs, in the order of the tiers before, then the tiers
/// only after.
pub fn flips(before: &Evaluation<'_>, after: &Evaluation<'_>) -> Vec<Flip> {
    let mut out = Vec::new();
    // Each side's tiers by key, so that matching them is linear in the tiers.
    let after_tiers: HashMap<TierKey<'_>, &TierOutcome<'_>> =
        after.tiers().map(|tier| (tier.key, tier)).collect();
    let before_keys: HashSet<TierKey<'_>> = before.tiers().map(|tier| tier.key).collect();
    for old in before.tiers() {
        let new = after_tiers.get(&old.key).copied();
        if new.is_some_and(|n| n.met == old.met) {
            continue;
        }
        out.push(Flip {
            class: old.key.class.to_owned(),
            level: old.key.level.to_owned(),
            tier: old.tier.as_str().to_owned(),
            before: Some(side(before, old)),
            after: new.map(|n| side(after, n)),
            absent_before: None,
            absent_after: new.is_none().then(|| Absence::of(after, old.key.class)),
        });
    }
    for new in after.tiers().filter(|n| !before_keys.contains(&n.key)) {
        out.push(Flip {
            class: new.key.class.to_owned(),
            level: new.key.level.to_owned(),
            tier: new.tier.as_str().to_owned(),
            before: None,
            after: Some(side(after, new)),
            absent_before: Some(Absence::of(before, new.key.class)),
            absent_after: None,
        });
    }
    out
}

fn mark(side: Option<&Side>, absence: Option<Absence>) -> &'static str {
    match (side, absence) {
        (Some(s), _) if s.met => "met",
        (Some(_), _) => "not met",
        (None, Some(Absence::NotInForce)) => "not in force",
        (None, _) => "absent",
    }
}

fn describe(side: Option<&Side>, absence: Option<Absence>) -> String {
    match side {
        None => match absence {
            Some(Absence::NotInForce) => "no version of the class is in force on this date",
            _ => "the tier is not in these rules",
        }
        .to_owned(),
        Some(s) => match &s.citation {
            Some(c) => format!("{} ({c})", s.clause),
            None => s.clause.clone(),
        },
    }
}

/// One flip in words, headed by the applicant's source and id.
pub fn flip_line(item_source: &str, id: Option<&str>, flip: &Flip) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{} {} {} {}: {} → {}",
        crate::source::one_line(item_source),
        id.map(|i| format!(" {}", crate::source::one_line(i)))
            .unwrap_or_default(),
        flip.class,
        flip.level,
        flip.tier,
        mark(flip.before.as_ref(), flip.absent_before),
        mark(flip.after.as_ref(), flip.absent_after),
    );
    let before = describe(flip.before.as_ref(), flip.absent_before);
    let _ = writeln!(out, "  before: {before}");
    let _ = writeln!(
        out,
        "  after:  {}",
        describe(flip.after.as_ref(), flip.absent_after)
    );
    out
}

/// Flips counted per tier over a pool.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Flips {
    pub applicants: u64,
    pub changed_applicants: u64,
    /// Per `class level tier`: how many went from met to not met, and the other way.
    pub per_tier: BTreeMap<String, FlipCount>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FlipCount {
    pub met_to_not_met: u64,
    pub not_met_to_met: u64,
    pub added_or_removed: u64,
}

impl Flips {
    pub fn add(&mut self, flips: &[Flip]) {
        self.applicants += 1;
        if !flips.is_empty() {
            self.changed_applicants += 1;
        }
        for flip in flips {
            let key = format!("{} {} {}", flip.class, flip.level, flip.tier);
            let count = self.per_tier.entry(key).or_default();
            match (&flip.before, &flip.after) {
                (Some(b), Some(_)) if b.met => count.met_to_not_met += 1,
                (Some(_), Some(_)) => count.not_met_to_met += 1,
                _ => count.added_or_removed += 1,
            }
        }
    }

    pub fn text(&self) -> String {
        let mut out = format!(
            "{} of {} applicants change outcome\n",
            self.changed_applicants, self.applicants
        );
        for (tier, count) in &self.per_tier {
            let _ = write!(
                out,
                "  {tier}: {} met → not met, {} not met → met",
                count.met_to_not_met, count.not_met_to_met
            );
            if count.added_or_removed > 0 {
                let _ = write!(
                    out,
                    ", {} on one side only (not in force, or not in the rules)",
                    count.added_or_removed
                );
            }
            out.push('\n');
        }
        out
    }
}

/// Screens one applicant under two screeners: its flips in words (nothing when none), and
/// the flips for the count. An applicant one of them cannot read gets its error record.
pub fn compare_one(
    before: &Screener<'_>,
    after: &Screener<'_>,
    item: &Item,
) -> (Screened, Vec<Flip>) {
    let hash = item.content_hash();
    let read = before
        .read(item)
        .and_then(|a| after.read(item).map(|b| (a, b)));
    let ((old_applicant, _), (new_applicant, _)) = match read {
        Ok(both) => both,
        Err((diagnostics, sources)) => {
            return (before.bad(item, &hash, &diagnostics, &sources), Vec::new());
        }
    };
    let old = crate::eval::evaluate(before.program, &old_applicant, &before.query);
    let new = crate::eval::evaluate(after.program, &new_applicant, &after.query);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            let (diagnostics, sources) = super::refusal(item, &error);
            return (before.bad(item, &hash, &diagnostics, &sources), Vec::new());
        }
    };
    let flips = flips(&old, &new);
    let source = item.source().to_string();
    let output: String = flips
        .iter()
        .map(|f| flip_line(&source, old.applicant.id, f))
        .collect();
    let screened = Screened {
        output: crate::source::escape_controls(&crate::explain::labelled(before.program, &output))
            .into_owned()
            .into_bytes(),
        bad: false,
        outcome: None,
        notice: None,
    };
    (screened, flips)
}
