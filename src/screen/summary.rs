//! The pool's summary: for each class, level and tier, how many applicants met it, by which
//! path, and the most common reasons for not meeting it, counted per requirement; with
//! groups, the selection rate of each group at each level's minimum (the four-fifths rule of
//! 29 CFR 1607.4 D). Counts only, merged in any order: the summary of a pool is the same on
//! any number of threads.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::outcome::{Lacks, Shortfall};
use crate::eval::{Evaluation, Via};
use crate::syntax::ast::TierKind;

/// How many reasons a path shows in the text summary.
const REASONS_SHOWN: usize = 5;

/// One applicant's outcome, as the summary counts it.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Could not be read or evaluated.
    pub bad: bool,
    pub group: Option<String>,
    /// Each evaluated tier, in evaluation order.
    pub tiers: Vec<TierResult>,
}

/// One tier of one applicant.
#[derive(Clone, Debug)]
pub struct TierResult {
    pub class: String,
    pub level: String,
    pub tier: TierKind,
    /// The path met, if any.
    pub via: Option<Via>,
    /// For a tier not met: each path with the requirements it lacks.
    pub reasons: Vec<(Via, Vec<String>)>,
}

impl Outcome {
    pub fn bad() -> Outcome {
        Outcome {
            bad: true,
            ..Outcome::default()
        }
    }

    /// What the summary counts of an evaluation. `group` is the applicant's self-identified
    /// group, which evaluation never saw.
    pub fn of(evaluation: &Evaluation<'_>, group: Option<String>) -> Outcome {
        let tiers = evaluation
            .tiers()
            .map(|tier| TierResult {
                class: tier.key.class.to_owned(),
                level: tier.key.level.to_owned(),
                tier: tier.tier,
                via: tier.via,
                reasons: if tier.met {
                    Vec::new()
                } else {
                    evaluation
                        .paths(tier)
                        .iter()
                        .map(|p| (p.via, requirements(evaluation.shortfalls(p))))
                        .collect()
                },
            })
            .collect();
        Outcome {
            bad: false,
            group,
            tiers,
        }
    }
}

/// The requirements a path lacks, each named without the amount ("enough experience in
/// public_program_experience"), so that applicants lacking different amounts of one
/// requirement are counted together.
pub fn requirements(lacks: Lacks<'_, '_>) -> Vec<String> {
    lacks.iter().map(|item| requirement(lacks, item)).collect()
}

fn requirement(lacks: Lacks<'_, '_>, item: &Shortfall<'_>) -> String {
    match item {
        Shortfall::Experience { categories, .. } => {
            format!("enough experience in {}", join(categories))
        }
        Shortfall::Total { categories: [], .. } => {
            "enough education and experience together".to_owned()
        }
        Shortfall::Total { categories, .. } => format!(
            "enough education and experience in {} together",
            join(categories)
        ),
        Shortfall::Credential(lack) => {
            let mut text = format!("{} or higher", crate::eval::with_article(lack.title()));
            if lack.accredited() {
                text.push_str(" from an accredited school");
            }
            if let Some(fields) = lack.fields() {
                let _ = write!(text, " in {fields}");
            }
            if let Some(included) = lack.includes() {
                let _ = write!(text, " that includes credits in {}", included.subjects);
            }
            text
        }
        Shortfall::Credits { subjects, .. } => format!("enough credits in {subjects}"),
        Shortfall::AnyOf { .. } => {
            let alternatives: Vec<String> = lacks
                .alternatives(item)
                .map(|alternative| requirements(alternative).join(" and "))
                .collect();
            format!("any of: {}", alternatives.join(" / "))
        }
    }
}

fn join(names: &[std::sync::Arc<str>]) -> String {
    names.iter().map(|n| &**n).collect::<Vec<_>>().join(" or ")
}

/// The counts of a pool.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub applicants: u64,
    pub screened: u64,
    pub could_not_be_read: u64,
    pub tiers: Vec<TierTally>,
}

/// One class × level × tier across the pool.
#[derive(Clone, Debug, Serialize)]
pub struct TierTally {
    pub class: String,
    pub level: String,
    #[serde(serialize_with = "crate::eval::outcome::tier_kind")]
    pub tier: TierKind,
    pub evaluated: u64,
    pub met: u64,
    /// How many met it by each path, `direct` then each clause.
    pub by_path: BTreeMap<String, u64>,
    /// For each path, how many of those not meeting the tier lack each requirement.
    pub reasons: BTreeMap<String, BTreeMap<String, u64>>,
    /// Each group's count and how many met it, and the reasons of its members who did not;
    /// minimum tiers only.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, GroupTally>,
    /// The same of the applicants who gave no group (counted, never compared); minimum
    /// tiers only. Kept apart from `groups`, whose names are whatever applicants wrote,
    /// `(not given)` among them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_not_given: Option<GroupTally>,
    /// The applicants of groups first seen after [`MAX_GROUPS`] others (counted, never
    /// compared), so that the summary's memory does not grow with the pool.
    #[serde(skip_serializing_if = "GroupTally::is_empty")]
    pub groups_past_limit: GroupTally,
}

/// The most groups a tier's selection rates tell apart, in the order they are first seen.
/// Only minimum tiers count groups: the selection rates are of the minimum.
pub const MAX_GROUPS: usize = 1000;

#[derive(Clone, Debug, Default, Serialize)]
pub struct GroupTally {
    pub applicants: u64,
    pub met: u64,
    /// For the direct path: how many members lack each requirement.
    pub lacking: BTreeMap<String, u64>,
}

impl GroupTally {
    fn is_empty(&self) -> bool {
        self.applicants == 0
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Summary {
    /// Counts one applicant.
    pub fn add(&mut self, outcome: &Outcome) {
        self.applicants += 1;
        if outcome.bad {
            self.could_not_be_read += 1;
            return;
        }
        self.screened += 1;
        let group = outcome.group.as_deref();
        for (index, result) in outcome.tiers.iter().enumerate() {
            if self.tiers.len() <= index {
                self.tiers.push(TierTally::new(result));
            }
            if let Some(tally) = self.tiers.get_mut(index) {
                tally.add(result, group);
            }
        }
    }
}

impl TierTally {
    fn new(result: &TierResult) -> TierTally {
        TierTally {
            class: result.class.clone(),
            level: result.level.clone(),
            tier: result.tier,
            evaluated: 0,
            met: 0,
            by_path: BTreeMap::new(),
            reasons: BTreeMap::new(),
            groups: BTreeMap::new(),
            group_not_given: (result.tier == TierKind::Minimum).then(GroupTally::default),
            groups_past_limit: GroupTally::default(),
        }
    }

    /// The tally `group`'s members are counted in: none for a tier other than the minimum.
    fn members(&mut self, group: Option<&str>) -> Option<&mut GroupTally> {
        if self.tier != TierKind::Minimum {
            return None;
        }
        Some(match group {
            None => self.group_not_given.get_or_insert_with(GroupTally::default),
            Some(group) if self.groups.contains_key(group) || self.groups.len() < MAX_GROUPS => {
                self.groups.entry(group.to_owned()).or_default()
            }
            Some(_) => &mut self.groups_past_limit,
        })
    }

    fn add(&mut self, result: &TierResult, group: Option<&str>) {
        self.evaluated += 1;
        if let Some(members) = self.members(group) {
            members.applicants += 1;
            if result.via.is_some() {
                members.met += 1;
            } else if let Some((_, lacks)) =
                result.reasons.iter().find(|(via, _)| *via == Via::Direct)
            {
                for requirement in lacks {
                    *members.lacking.entry(requirement.clone()).or_default() += 1;
                }
            }
        }
        if let Some(via) = result.via {
            self.met += 1;
            *self.by_path.entry(via.to_string()).or_default() += 1;
            return;
        }
        for (via, lacks) in &result.reasons {
            let counts = self.reasons.entry(via.to_string()).or_default();
            for requirement in lacks {
                *counts.entry(requirement.clone()).or_default() += 1;
            }
        }
    }
}

/// `n / d` as a percentage with one decimal, from integers: cut, never rounded up, so a
/// rate shown never reaches a figure the exact rate falls short of (1999 of 2000 is 99.9%,
/// not 100.0%).
pub fn percent(n: u64, d: u64) -> String {
    if d == 0 {
        return "—".to_owned();
    }
    let tenths = u128::from(n) * 1000 / u128::from(d);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The summary in words.
pub fn summary_text(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "summary: {}, {} screened, {} could not be read or evaluated",
        count(summary.applicants, "applicant"),
        summary.screened,
        summary.could_not_be_read
    );
    for tally in &summary.tiers {
        let not_met = tally.evaluated.saturating_sub(tally.met);
        let paths = tally
            .by_path
            .iter()
            .map(|(path, n)| format!("{n} by {path}"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "{} {} {}: {} of {} met ({}){}{}; {} not met",
            tally.class,
            tally.level,
            tally.tier.as_str(),
            tally.met,
            tally.evaluated,
            percent(tally.met, tally.evaluated),
            if paths.is_empty() { "" } else { ": " },
            paths,
            not_met
        );
        for (path, counts) in &tally.reasons {
            let _ = writeln!(out, "  not met by {path}: {}", top_reasons(counts));
        }
    }
    out
}

/// The most common reasons, most first, then by name: "412 lack enough …; 96 lack a …".
fn top_reasons(counts: &BTreeMap<String, u64>) -> String {
    let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut shown: Vec<String> = sorted
        .iter()
        .take(REASONS_SHOWN)
        .map(|(reason, n)| {
            let verb = if **n == 1 { "lacks" } else { "lack" };
            format!("{n} {verb} {reason}")
        })
        .collect();
    if sorted.len() > REASONS_SHOWN {
        shown.push(format!("{} other reasons", sorted.len() - REASONS_SHOWN));
    }
    shown.join("; ")
}

/// One group's selection rate at one level's minimum.
#[derive(Clone, Debug, Serialize)]
pub struct GroupRate {
    pub group: String,
    pub applicants: u64,
    pub selected: u64,
    /// Selection rate, as a percentage with one decimal.
    pub rate: String,
    /// The rate over the highest group's rate, cut to three decimals; `None` (JSON `null`,
    /// `—` in words) when no group has a member selected.
    pub ratio_to_highest: Option<String>,
    /// Below four fifths of the highest rate (exact comparison).
    pub below_four_fifths: bool,
    /// For a flagged group: the requirements its members fail most, with the share of its
    /// members and of the highest group's members lacking each.
    pub most_failed: Vec<FailedRequirement>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FailedRequirement {
    pub requirement: String,
    pub share_of_group: String,
    pub share_of_highest_group: String,
}

/// Selection rates at one class and level's minimum tier.
#[derive(Clone, Debug, Serialize)]
pub struct LevelRates {
    pub class: String,
    pub level: String,
    pub highest_group: Option<String>,
    pub groups: Vec<GroupRate>,
    /// Applicants who gave no group: counted, not compared.
    pub not_given: u64,
    /// Applicants of groups first seen after [`MAX_GROUPS`] others: counted, not compared.
    #[serde(skip_serializing_if = "is_zero")]
    pub past_group_limit: u64,
}

/// The selection rates of every level's minimum tier, by group.
pub fn group_rates(summary: &Summary) -> Vec<LevelRates> {
    summary
        .tiers
        .iter()
        .filter(|t| t.tier == TierKind::Minimum)
        .map(level_rates)
        .collect()
}

fn level_rates(tally: &TierTally) -> LevelRates {
    let given: Vec<(&String, &GroupTally)> = tally
        .groups
        .iter()
        .filter(|(_, g)| g.applicants > 0)
        .collect();
    // The highest rate, compared exactly: a/b > c/d ⇔ a·d > c·b. Ties keep the first name.
    let highest = given
        .iter()
        .fold(None::<(&String, &GroupTally)>, |best, &(n, g)| match best {
            Some((_, b))
                if u128::from(g.met) * u128::from(b.applicants)
                    <= u128::from(b.met) * u128::from(g.applicants) =>
            {
                best
            }
            _ => Some((n, g)),
        });
    let groups = given
        .iter()
        .map(|&(name, g)| group_rate(name, g, highest.map(|(_, h)| h)))
        .collect();
    LevelRates {
        class: tally.class.clone(),
        level: tally.level.clone(),
        // With nobody of any group selected there is no highest rate to compare with.
        highest_group: highest.filter(|(_, h)| h.met > 0).map(|(n, _)| n.clone()),
        groups,
        not_given: tally.group_not_given.as_ref().map_or(0, |g| g.applicants),
        past_group_limit: tally.groups_past_limit.applicants,
    }
}

fn group_rate(name: &str, g: &GroupTally, highest: Option<&GroupTally>) -> GroupRate {
    let (ratio, flagged) = match highest {
        // rate_g / rate_h = (met_g · n_h) / (n_g · met_h); below 4/5 ⇔ 5·met_g·n_h < 4·met_h·n_g.
        Some(h) if h.met > 0 => {
            let num = u128::from(g.met) * u128::from(h.applicants);
            let den = u128::from(g.applicants) * u128::from(h.met);
            // Cut to three places, never rounded up: a ratio below 4/5 never shows as 0.800.
            let thousandths = num.checked_mul(1000).and_then(|n| n.checked_div(den));
            let below = num
                .checked_mul(5)
                .zip(den.checked_mul(4))
                .map(|(a, b)| a < b);
            match (thousandths, below) {
                (Some(t), Some(below)) => (Some(format!("{}.{:03}", t / 1000, t % 1000)), below),
                _ => (None, false),
            }
        }
        _ => (None, false),
    };
    let most_failed = match (flagged, highest) {
        (true, Some(h)) => most_failed(g, h),
        _ => Vec::new(),
    };
    GroupRate {
        group: name.to_owned(),
        applicants: g.applicants,
        selected: g.met,
        rate: percent(g.met, g.applicants),
        ratio_to_highest: ratio,
        below_four_fifths: flagged,
        most_failed,
    }
}

fn most_failed(g: &GroupTally, h: &GroupTally) -> Vec<FailedRequirement> {
    let mut sorted: Vec<(&String, &u64)> = g.lacking.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    sorted
        .into_iter()
        .take(3)
        .map(|(requirement, n)| FailedRequirement {
            requirement: requirement.clone(),
            share_of_group: percent(*n, g.applicants),
            share_of_highest_group: percent(
                h.lacking.get(requirement).copied().unwrap_or(0),
                h.applicants,
            ),
        })
        .collect()
}

/// `n` and the noun, singular for one.
fn count(n: u64, what: &str) -> String {
    crate::diagnostics::suggest::count(usize::try_from(n).unwrap_or(usize::MAX), what)
}

/// A group's name on one line; a name of white space alone, or none, is shown quoted, so
/// that it is seen.
fn group_shown(name: &str) -> Cow<'_, str> {
    if name.trim().is_empty() {
        Cow::Owned(format!("{name:?}"))
    } else {
        crate::source::one_line(name)
    }
}

/// The selection rates in words.
pub fn group_rates_text(rates: &[LevelRates]) -> String {
    let mut out = String::from(
        "selection rates by group at each level's minimum (four-fifths rule, 29 CFR 1607.4 D)\n",
    );
    for level in rates {
        let _ = writeln!(
            out,
            "{} {} minimum: highest rate {}",
            level.class,
            level.level,
            level.highest_group.as_deref().map_or(
                Cow::Borrowed("— (no group has anyone who met it)"),
                group_shown
            )
        );
        for g in &level.groups {
            let _ = writeln!(
                out,
                "  {:<16} {:>6} {}  {:>6} met  rate {:>6}  ratio {}{}",
                group_shown(&g.group),
                g.applicants,
                if g.applicants == 1 {
                    "applicant "
                } else {
                    "applicants"
                },
                g.selected,
                g.rate,
                g.ratio_to_highest.as_deref().unwrap_or("—"),
                if g.below_four_fifths {
                    "  ⚑ below 4/5"
                } else {
                    ""
                }
            );
            for f in &g.most_failed {
                let _ = writeln!(
                    out,
                    "      lack {}: {} of this group, {} of the highest group",
                    f.requirement, f.share_of_group, f.share_of_highest_group
                );
            }
        }
        if level.not_given > 0 {
            let _ = writeln!(
                out,
                "  {} gave no group (not compared)",
                count(level.not_given, "applicant")
            );
        }
        if level.past_group_limit > 0 {
            let _ = writeln!(
                out,
                "  {} in groups first seen after {MAX_GROUPS} others (not compared)",
                count(level.past_group_limit, "applicant")
            );
        }
    }
    out
}

/// The summary as data, with the selection rates when asked.
#[derive(Serialize)]
pub struct SummaryDocument<'s> {
    pub record: &'static str,
    #[serde(flatten)]
    pub summary: &'s Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection_rates: Option<Vec<LevelRates>>,
}

/// The summary's format.
pub const SUMMARY_VERSION: &str = "qualify-screen-summary/1";

#[cfg(test)]
mod tests {
    use super::*;

    fn group(applicants: u64, met: u64) -> GroupTally {
        GroupTally {
            applicants,
            met,
            lacking: BTreeMap::new(),
        }
    }

    /// Groups tied for the highest rate: the first by name is named, as the docs say.
    #[test]
    fn a_tie_for_the_highest_rate_names_the_first_group_by_name() {
        let tally = TierTally {
            class: "K9099".to_owned(),
            level: "B".to_owned(),
            tier: TierKind::Minimum,
            evaluated: 6,
            met: 3,
            by_path: BTreeMap::new(),
            reasons: BTreeMap::new(),
            groups: BTreeMap::from([("b".to_owned(), group(4, 2)), ("a".to_owned(), group(2, 1))]),
            group_not_given: None,
            groups_past_limit: GroupTally::default(),
        };
        assert_eq!(level_rates(&tally).highest_group.as_deref(), Some("a"));
    }
}
