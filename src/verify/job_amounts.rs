//! The amounts of experience verification tries for each job type, and their combinations
//! within a limit: the products grow exponentially with the job types, so past the limit
//! each amount is tried alone and the combinations are thinned, and the family is bounded.
//!
//! Each amount is a breakpoint itself, exactly, so an amount inside a month (a threshold of
//! `1.5 months`) is tried as it is, not only at the whole months around it.

use num_traits::{CheckedSub, Zero};

use crate::check::model::Exact;

use super::space::ClassSpace;

/// The most combinations of experience (one amount per job type) candidates are drawn from:
/// their number is the product of the amounts tried per type, which grows exponentially
/// with the types, so past this the family is bounded (see [`experience_drafts`]).
const MAX_EXPERIENCE_DRAFTS: usize = 65_536;

/// The experience of the candidates: every combination of one amount per job type, when
/// there are at most [`MAX_EXPERIENCE_DRAFTS`]. Past that, each amount of each type alone
/// (so every threshold a type reaches by itself is met exactly and missed by a month), then
/// combinations of the types' own breakpoints, thinned (the longest list keeps every other
/// amount, and its first and last) and taken in order up to the limit; the family is then
/// bounded, and the reason recorded. Time and memory stay within the limit, whatever the
/// number of types.
pub(super) fn experience_drafts(
    job_types: &[Vec<String>],
    amounts: &[TypeAmounts],
    bounded: &mut Vec<String>,
) -> Vec<Vec<(Vec<String>, Exact)>> {
    let combinations = |lists: &[&[Exact]]| {
        lists
            .iter()
            .fold(1usize, |n, list| n.saturating_mul(list.len().max(1)))
    };
    let all: Vec<&[Exact]> = amounts.iter().map(|a| &a.all[..]).collect();
    let total = combinations(&all);
    if total <= MAX_EXPERIENCE_DRAFTS {
        return product_drafts(job_types, &all, MAX_EXPERIENCE_DRAFTS);
    }
    let reason = if total == usize::MAX {
        "its jobs combine in more ways than can be counted".to_owned()
    } else {
        format!("its jobs combine in {total} ways")
    };
    bounded.push(format!(
        "{reason}, and candidates are drawn from at most {MAX_EXPERIENCE_DRAFTS} of them and each amount alone"
    ));
    let mut drafts: Vec<Vec<(Vec<String>, Exact)>> = vec![Vec::new()];
    for (job_type, amounts) in job_types.iter().zip(amounts) {
        for m in amounts.all.iter().filter(|m| **m > Exact::zero()) {
            drafts.push(vec![(job_type.clone(), *m)]);
        }
    }
    let mut own: Vec<Vec<Exact>> = amounts.iter().map(|a| a.own.clone()).collect();
    loop {
        let lists: Vec<&[Exact]> = own.iter().map(Vec::as_slice).collect();
        if combinations(&lists) <= MAX_EXPERIENCE_DRAFTS {
            break;
        }
        let Some(longest) = own
            .iter_mut()
            .max_by_key(|v| v.len())
            .filter(|v| v.len() > 2)
        else {
            break;
        };
        let last = longest.last().copied();
        let mut kept: Vec<Exact> = longest.iter().copied().step_by(2).collect();
        if let Some(last) = last.filter(|l| kept.last() != Some(l)) {
            kept.push(last);
        }
        *longest = kept;
    }
    let lists: Vec<&[Exact]> = own.iter().map(Vec::as_slice).collect();
    drafts.extend(product_drafts(job_types, &lists, MAX_EXPERIENCE_DRAFTS));
    drafts
}

/// Combinations of one amount per job type (none for an amount of 0), in order, at most
/// `limit` of them.
fn product_drafts(
    job_types: &[Vec<String>],
    lists: &[&[Exact]],
    limit: usize,
) -> Vec<Vec<(Vec<String>, Exact)>> {
    let mut drafts: Vec<Vec<(Vec<String>, Exact)>> = vec![Vec::new()];
    'types: for (job_type, months) in job_types.iter().zip(lists) {
        let mut next = Vec::with_capacity(drafts.len().saturating_mul(months.len()).min(limit));
        for draft in &drafts {
            for m in months.iter() {
                if next.len() >= limit {
                    drafts = next;
                    break 'types;
                }
                let mut jobs = draft.clone();
                if *m > Exact::zero() {
                    jobs.push((job_type.clone(), *m));
                }
                next.push(jobs);
            }
        }
        drafts = next;
    }
    drafts
}

/// The months one job type is tried at.
pub(super) struct TypeAmounts {
    /// Every breakpoint of a key the type counts toward (and none): each threshold the type
    /// can reach alone. Sorted, without repeats.
    own: Vec<Exact>,
    /// With them, when there are several types, every difference of two such breakpoints,
    /// for the thresholds the type reaches together with another. Sorted, without repeats.
    all: Vec<Exact>,
}

/// The months each job type is tried at (see [`TypeAmounts`]).
pub(super) fn type_values(
    space: &mut ClassSpace<'_>,
    breakpoints: &[Vec<Exact>],
    partner_breakpoints: Option<&[Vec<Exact>]>,
) -> Vec<TypeAmounts> {
    let several = space.job_types.len() > 1;
    let mut values = Vec::with_capacity(space.job_types.len());
    for job_type in &space.job_types {
        let mut points: Vec<Exact> = Vec::new();
        for (key, key_points) in space.tree.experience.iter().zip(breakpoints) {
            if job_counts(space.program, key, job_type) {
                points.extend(key_points);
            }
        }
        if let (Some(partner), Some(partner_points)) = (&space.partner, partner_breakpoints) {
            for (key, key_points) in partner.tree.experience.iter().zip(partner_points) {
                if job_counts(partner.program, key, job_type) {
                    points.extend(key_points);
                }
            }
        }
        points.sort_unstable();
        points.dedup();
        let own = with_none(&points);
        if several {
            let base = points.clone();
            for a in &base {
                for b in &base {
                    if let Some(difference) = a.checked_sub(b).filter(|d| *d > Exact::zero()) {
                        points.push(difference);
                    }
                }
            }
            points.sort_unstable();
            points.dedup();
        }
        let all = with_none(&points);
        values.push(TypeAmounts { own, all });
    }
    values
}

/// Each of `points` that is more than none, and none: sorted, without repeats.
fn with_none(points: &[Exact]) -> Vec<Exact> {
    let mut amounts: Vec<Exact> = vec![Exact::zero()];
    amounts.extend(points.iter().copied().filter(|p| *p > Exact::zero()));
    amounts.sort_unstable();
    amounts.dedup();
    amounts
}

/// Whether a job tagged with `job_type` counts toward an experience key.
fn job_counts(
    program: &crate::compile::Program,
    key: &crate::compile::ExperienceKey,
    job_type: &[String],
) -> bool {
    let categories = program.categories();
    key.categories.iter().any(|c| {
        categories
            .get(c.0 as usize)
            .is_some_and(|name| job_type.iter().any(|t| **t == **name))
    })
}
