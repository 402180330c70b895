//! The candidate applicants of one class: one per region of what the class reads, built as
//! ordinary applicants and evaluated by the ordinary evaluator.
//!
//! Education (degrees and coursework) and experience (jobs) are enumerated apart: every
//! fact a class reads depends on one side only, except a combination clause's sum, whose
//! breakpoints on the experience side are taken from the education-years the education
//! side reaches. Each side keeps one part, the simplest, per region; the candidates are
//! every pairing of the two sides' parts.

use std::collections::HashMap;

use jiff::civil::Date;
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub};

use crate::applicant::{
    Applicant, Coursework, CreditUnit, Credits, Education, Job, SubjectCredits,
};
use crate::check::model::Exact;
use crate::compile::KeyId;
use crate::eval::Facts;

use super::job_amounts;
use super::space::ClassSpace;

/// Why a family is bounded when a breakpoint cannot be held exactly: it is left out, never
/// wrapped, and the verification says it covers less than every applicant.
const OVERFLOW_REASON: &str = "an amount where a combination total is reached cannot be held exactly (past 64-bit fractions), so applicants at it were not tried";

/// How simple a candidate is: fewer entries first, then smaller amounts, then lower
/// credentials, then no accreditation, then earlier fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cost {
    entries: u32,
    months: Exact,
    credits: Exact,
    ranks: u32,
    accredited: u32,
    /// Categories a job is tagged with, over every job.
    tags: u32,
    fields: u32,
}

impl Cost {
    /// The cost of both. A sum past what can be held is the most there is (it only orders
    /// candidates, and such a candidate is as far from simple as any): never wrapped.
    fn plus(self, other: Cost) -> Cost {
        let amount =
            |a: Exact, b: Exact| a.checked_add(&b).unwrap_or(Exact::from_integer(i64::MAX));
        Cost {
            entries: self.entries.saturating_add(other.entries),
            months: amount(self.months, other.months),
            credits: amount(self.credits, other.credits),
            ranks: self.ranks.saturating_add(other.ranks),
            accredited: self.accredited.saturating_add(other.accredited),
            tags: self.tags.saturating_add(other.tags),
            fields: self.fields.saturating_add(other.fields),
        }
    }
}

/// Education entries of a candidate, with their cost and region.
#[derive(Clone, Debug)]
pub struct EducationPart {
    pub degrees: Vec<Education>,
    pub coursework: Vec<Coursework>,
    cost: Cost,
    /// Education-years per education key, for the experience side's breakpoints.
    years: Vec<Exact>,
    /// The same on the other side of a comparison.
    partner_years: Vec<Exact>,
}

/// Jobs of a candidate, one after another.
#[derive(Clone, Debug)]
pub struct ExperiencePart {
    pub jobs: Vec<CandidateJob>,
    cost: Cost,
}

/// A job of a candidate: a job type's categories, for whole calendar months, full time or,
/// for an amount inside a month, at the weekly hours that credit exactly that amount.
#[derive(Clone, Debug)]
pub struct CandidateJob {
    pub categories: Vec<String>,
    pub months: i64,
    /// `None`: full time.
    pub hours_per_week: Option<Exact>,
}

impl CandidateJob {
    /// A job crediting `amount` months under a profile whose full time is `full_time`
    /// hours: `amount` whole months full time, or, inside a month, the whole months above
    /// it at `full_time × amount / months` hours a week. `None` when the hours cannot be
    /// held exactly.
    fn crediting(categories: Vec<String>, amount: Exact, full_time: Exact) -> Option<CandidateJob> {
        let months = amount.ceil().to_integer();
        let hours_per_week = if amount.is_integer() {
            None
        } else {
            let whole = Exact::from_integer(months);
            Some(full_time.checked_mul(&amount)?.checked_div(&whole)?)
        };
        Some(CandidateJob {
            categories,
            months,
            hours_per_week,
        })
    }
}

/// One candidate: a pairing of an education part and an experience part, and the outcome
/// of every path of every tier (see [`crate::eval::path_outcomes`]), then whether it meets
/// the requirement of each assertion that has one.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub education: usize,
    pub experience: usize,
    pub cost: Cost,
    pub paths: Vec<u64>,
}

impl Candidate {
    pub fn tier_met(&self, tier: usize) -> bool {
        self.paths.get(tier).is_some_and(|bits| *bits != 0)
    }

    pub fn path_bits(&self, tier: usize) -> u64 {
        self.paths.get(tier).copied().unwrap_or(0)
    }
}

/// Every candidate of a class, and the parts they are made of.
pub struct Candidates {
    pub education: Vec<EducationPart>,
    pub experience: Vec<ExperiencePart>,
    pub all: Vec<Candidate>,
    /// The evaluation date every candidate is built for.
    pub as_of: Date,
    /// Every job ends the day before this date.
    pub jobs_end: Date,
}

impl Candidates {
    /// The applicant of a candidate, as a file would hold it.
    pub fn applicant(&self, candidate: &Candidate) -> Option<Applicant> {
        let education = self.education.get(candidate.education)?;
        let experience = self.experience.get(candidate.experience)?;
        build(education, experience, self.jobs_end)
    }

    pub fn has_experience(&self, candidate: &Candidate) -> bool {
        self.experience
            .get(candidate.experience)
            .is_some_and(|e| !e.jobs.is_empty())
    }

    pub fn has_education(&self, candidate: &Candidate) -> bool {
        self.education
            .get(candidate.education)
            .is_some_and(|e| !e.degrees.is_empty() || !e.coursework.is_empty())
    }
}

/// Enumerates and evaluates the candidates of a class.
pub fn enumerate(space: &mut ClassSpace<'_>) -> Candidates {
    let education = education_parts(space);
    let experience = experience_parts(space, &education);
    let pairs = education.len().saturating_mul(experience.len());
    // Each candidate is evaluated over the whole class: a large class is tried on fewer.
    let nodes = space.tree.nodes.len().max(1);
    let most = MAX_CANDIDATES.min(MAX_CANDIDATE_WORK / nodes).max(1);
    if pairs > most {
        space.bounded.push(format!(
            "its education and experience combine in {pairs} ways, and candidates are the first {most}, simplest education first"
        ));
    }
    let mut all = Vec::with_capacity(pairs.min(most));
    let mut paths = Vec::new();
    let pairs = education
        .iter()
        .enumerate()
        .flat_map(|e| experience.iter().enumerate().map(move |x| (e, x)))
        .take(most);
    for ((e, edu), (x, exp)) in pairs {
        let Some(applicant) = build(edu, exp, space.jobs_end) else {
            continue;
        };
        let mut facts = Facts::new(space.program, &space.tree, &applicant, space.as_of);
        crate::eval::path_outcomes(&mut facts, &space.version, &mut paths);
        for node in space.assertion_nodes.iter().flatten() {
            paths.push(u64::from(crate::eval::node_met(&mut facts, *node)));
        }
        if facts.refusal().is_some() {
            continue;
        }
        all.push(Candidate {
            education: e,
            experience: x,
            cost: edu.cost.plus(exp.cost),
            paths: paths.clone(),
        });
    }
    Candidates {
        education,
        experience,
        all,
        as_of: space.as_of,
        jobs_end: space.jobs_end,
    }
}

/// The applicant made of two parts, its jobs back to back up to the day before `as_of`;
/// `None` when its jobs cannot be dated.
fn build(education: &EducationPart, experience: &ExperiencePart, as_of: Date) -> Option<Applicant> {
    let total = experience
        .jobs
        .iter()
        .try_fold(0_i64, |sum, job| sum.checked_add(job.months))?;
    // A span of months past what a date can move by (about 20,000 years) dates no job.
    let span = |months: i64| jiff::Span::new().try_months(months).ok();
    let mut start = as_of.checked_sub(span(total)?).ok()?;
    let mut jobs = Vec::with_capacity(experience.jobs.len());
    for (number, job) in experience.jobs.iter().enumerate() {
        let next = start.checked_add(span(job.months)?).ok()?;
        jobs.push(Job {
            title: format!("Job {}", number + 1),
            categories: job.categories.clone(),
            start,
            end: Some(next.yesterday().ok()?),
            hours_per_week: job.hours_per_week,
        });
        start = next;
    }
    Some(Applicant {
        id: None,
        name: None,
        education: education.degrees.clone(),
        coursework: education.coursework.clone(),
        experience: jobs,
    })
}

/// One degree the class can tell apart from the others.
fn degree_options(space: &ClassSpace<'_>) -> Vec<(Education, Cost)> {
    let accreditation: &[bool] = if space.reads_accreditation {
        &[false, true]
    } else {
        &[false]
    };
    let mut subjects: Vec<Option<SubjectCredits>> = vec![None];
    for (amount, set) in &space.subject_amounts {
        let Some(index) = space.field_set_index(*set) else {
            continue;
        };
        for atom in &space.fields {
            if let (Some(name), Some(true)) = (&atom.name, atom.member_of.get(index)) {
                subjects.push(Some(SubjectCredits {
                    subject: name.clone(),
                    credits: semester(*amount),
                }));
            }
        }
    }
    let mut options = Vec::new();
    for credential in &space.credentials {
        for &accredited in accreditation {
            for (order, atom) in space.fields.iter().enumerate() {
                for subject in &subjects {
                    let credits = subject.as_ref().map_or(zero(), |s| s.credits.amount);
                    options.push((
                        Education {
                            credential: credential.name.to_string(),
                            field: atom.name.clone(),
                            accredited,
                            completed: None,
                            credits: None,
                            subjects: subject.iter().cloned().collect(),
                        },
                        Cost {
                            entries: 1,
                            credits,
                            ranks: u32::from(credential.rank) + 1,
                            accredited: u32::from(accredited),
                            fields: u32::try_from(order).unwrap_or(u32::MAX),
                            ..Cost::default()
                        },
                    ));
                }
            }
        }
    }
    options
}

/// Coursework the class can tell apart: credits at each amount that reaches a threshold,
/// alone or on top of a degree.
fn coursework_options(space: &ClassSpace<'_>, overflowed: &mut bool) -> Vec<(Coursework, Cost)> {
    if !space.reads_coursework {
        return Vec::new();
    }
    let mut amounts: Vec<Exact> = space
        .credit_thresholds
        .values()
        .flatten()
        .copied()
        .collect();
    *overflowed |= !combination_credits(
        space,
        &space.combinations,
        &space.month_thresholds,
        &mut amounts,
    );
    if let Some(partner) = &space.partner {
        amounts.extend(partner.credit_thresholds.values().flatten().copied());
        *overflowed |= !combination_credits(
            space,
            &partner.combinations,
            &partner.month_thresholds,
            &mut amounts,
        );
    }
    amounts.sort_unstable();
    amounts.dedup();
    let accreditation: &[bool] = if space.reads_accreditation {
        &[false, true]
    } else {
        &[false]
    };
    let mut options = Vec::new();
    for amount in amounts {
        for &accredited in accreditation {
            for (order, atom) in space.fields.iter().enumerate() {
                options.push((
                    Coursework {
                        field: atom.name.clone(),
                        accredited,
                        credits: semester(amount),
                        subjects: Vec::new(),
                    },
                    Cost {
                        entries: 1,
                        credits: amount,
                        accredited: u32::from(accredited),
                        fields: u32::try_from(order).unwrap_or(u32::MAX),
                        ..Cost::default()
                    },
                ));
            }
        }
    }
    options
}

/// The coursework credits that, on top of each credential's years (or none) and no
/// experience or just the experience a threshold on the same key asks, make a combination
/// clause's total exactly. False when one of them cannot be held exactly (it is left out).
fn combination_credits(
    space: &ClassSpace<'_>,
    combinations: &[(Option<KeyId>, Option<KeyId>, Exact)],
    month_thresholds: &std::collections::BTreeMap<KeyId, Vec<Exact>>,
    amounts: &mut Vec<Exact>,
) -> bool {
    let mut held = true;
    let per_year = space
        .program
        .profile(space.version.profile)
        .map_or(Exact::from_integer(30), |p| p.semester_credits_per_year);
    let twelve = Exact::from_integer(12);
    for (education, experience, total) in combinations {
        if education.is_none() {
            continue;
        }
        let mut years: Vec<Exact> = vec![zero()];
        years.extend(space.credentials.iter().map(|c| c.years));
        let mut months: Vec<Exact> = vec![zero()];
        if let Some(key) = experience {
            months.extend(month_thresholds.get(key).into_iter().flatten());
        }
        for y in &years {
            for m in &months {
                let needed = total
                    .checked_sub(m)
                    .and_then(|rest| rest.checked_div(&twelve))
                    .and_then(|years_needed| years_needed.checked_sub(y));
                match needed {
                    Some(needed) if needed <= zero() => {}
                    Some(needed) => match needed.checked_mul(&per_year) {
                        Some(credits) => amounts.push(credits),
                        None => held = false,
                    },
                    None => held = false,
                }
            }
        }
    }
    held
}

/// The degree options that differ in some fact the class reads, simplest of each kind.
fn distinct_degrees(
    space: &ClassSpace<'_>,
    degrees: &[(Education, Cost)],
) -> Vec<(Education, Cost)> {
    let mut sorted: Vec<&(Education, Cost)> = degrees.iter().collect();
    sorted.sort_by_key(|a| a.1);
    let mut seen: HashMap<Vec<Exact>, ()> = HashMap::new();
    let mut distinct = Vec::new();
    for (degree, cost) in sorted {
        let applicant = Applicant {
            education: vec![degree.clone()],
            ..Applicant::default()
        };
        let Some(mut vector) = education_facts(space.program, &space.tree, &applicant, space.as_of)
        else {
            continue;
        };
        if let Some(partner) = &space.partner {
            let Some(more) =
                education_facts(partner.program, &partner.tree, &applicant, partner.as_of)
            else {
                continue;
            };
            vector.extend(more);
        }
        if seen.insert(vector, ()).is_none() {
            distinct.push((degree.clone(), *cost));
        }
    }
    distinct
}

/// Every education fact a tree reads, exactly: the best rank per credential key (0 for
/// none), credits per credit key, years per education key. `None` when refused.
fn education_facts(
    program: &crate::compile::Program,
    tree: &crate::compile::Tree,
    applicant: &Applicant,
    as_of: Date,
) -> Option<Vec<Exact>> {
    let mut facts = Facts::new(program, tree, applicant, as_of);
    let mut vector: Vec<Exact> = (0..tree.credentials.len())
        .map(|i| {
            count(
                facts
                    .credential(key_id(i))
                    .rank
                    .map_or(0, |r| usize::from(r) + 1),
            )
        })
        .collect();
    vector.extend((0..tree.credits.len()).map(|i| facts.credits(key_id(i))));
    vector.extend((0..tree.education.len()).map(|i| facts.education_years(key_id(i))));
    facts.refusal().is_none().then_some(vector)
}

/// The education parts, one per region, simplest first.
fn education_parts(space: &mut ClassSpace<'_>) -> Vec<EducationPart> {
    let degrees = degree_options(space);
    let mut overflowed = false;
    let courses = coursework_options(space, &mut overflowed);
    if overflowed {
        space.bounded.push(OVERFLOW_REASON.to_owned());
    }
    let mut drafts: Vec<(Vec<Education>, Vec<Coursework>, Cost)> =
        vec![(Vec::new(), Vec::new(), Cost::default())];
    drafts.extend(
        degrees
            .iter()
            .map(|(d, c)| (vec![d.clone()], Vec::new(), *c)),
    );
    drafts.extend(
        courses
            .iter()
            .map(|(w, c)| (Vec::new(), vec![w.clone()], *c)),
    );
    for (d, dc) in &degrees {
        for (w, wc) in &courses {
            drafts.push((vec![d.clone()], vec![w.clone()], dc.plus(*wc)));
        }
    }
    let degree_keys = space.tree.credentials.len() + space.tree.education.len();
    let distinct = distinct_degrees(space, &degrees);
    let most = degree_keys.min(super::space::MAX_DEGREES);
    let mut sets: Vec<(Vec<usize>, Cost)> = distinct
        .iter()
        .enumerate()
        .map(|(i, (_, c))| (vec![i], *c))
        .collect();
    let mut frontier = sets.clone();
    'sizes: for _ in 1..most {
        let mut next = Vec::new();
        for (set, cost) in &frontier {
            let last = set.last().copied().unwrap_or(0);
            for (j, (_, c)) in distinct.iter().enumerate().skip(last + 1) {
                if sets.len() + next.len() >= MAX_DEGREE_SETS {
                    sets.extend(next);
                    space.bounded.push(format!(
                        "its degrees combine in more than {MAX_DEGREE_SETS} sets, and candidates hold the first of them"
                    ));
                    break 'sizes;
                }
                let mut grown = set.clone();
                grown.push(j);
                next.push((grown, cost.plus(*c)));
            }
        }
        sets.extend(next.iter().cloned());
        frontier = next;
    }
    for (set, cost) in sets.into_iter().filter(|(s, _)| s.len() > 1) {
        let chosen: Vec<Education> = set
            .iter()
            .filter_map(|i| distinct.get(*i).map(|(d, _)| d.clone()))
            .collect();
        drafts.push((chosen, Vec::new(), cost));
    }
    drafts.sort_by_key(|a| a.2);
    let mut seen: HashMap<Vec<Exact>, usize> = HashMap::new();
    let mut parts = Vec::new();
    for (degrees, coursework, cost) in drafts {
        let applicant = Applicant {
            education: degrees,
            coursework,
            ..Applicant::default()
        };
        let Some(EducationRegion {
            region,
            years,
            partner_years,
        }) = education_region(space, &applicant)
        else {
            continue;
        };
        if seen.contains_key(&region) {
            continue;
        }
        seen.insert(region, parts.len());
        parts.push(EducationPart {
            degrees: applicant.education,
            coursework: applicant.coursework,
            cost,
            years,
            partner_years,
        });
    }
    parts
}

/// Which side of every education threshold a part is on, on this side and on the other
/// side of a comparison, with its exact education-years on each.
fn education_region(space: &ClassSpace<'_>, applicant: &Applicant) -> Option<EducationRegion> {
    let (mut region, years) = thresholded(
        Facts::new(space.program, &space.tree, applicant, space.as_of),
        &space.tree,
        &space.rank_thresholds,
        &space.credit_thresholds,
    )?;
    let mut partner_years = Vec::new();
    if let Some(partner) = &space.partner {
        let (more, other_years) = thresholded(
            Facts::new(partner.program, &partner.tree, applicant, partner.as_of),
            &partner.tree,
            &partner.rank_thresholds,
            &partner.credit_thresholds,
        )?;
        region.extend(more);
        partner_years = other_years;
    }
    Some(EducationRegion {
        region,
        years,
        partner_years,
    })
}

/// An education part's region, and its education-years on each side.
struct EducationRegion {
    region: Vec<Exact>,
    years: Vec<Exact>,
    partner_years: Vec<Exact>,
}

/// How many rank and credit thresholds of `tree` the facts meet, per key, then the exact
/// education-years per education key; and those years alone. `None` when refused.
fn thresholded(
    mut facts: Facts<'_>,
    tree: &crate::compile::Tree,
    ranks: &std::collections::BTreeMap<KeyId, Vec<u8>>,
    credits: &std::collections::BTreeMap<KeyId, Vec<Exact>>,
) -> Option<(Vec<Exact>, Vec<Exact>)> {
    let mut region = Vec::new();
    for index in 0..tree.credentials.len() {
        let key = key_id(index);
        let rank = facts.credential(key).rank;
        let met = ranks.get(&key).map_or(0, |t| {
            t.iter().filter(|r| rank.is_some_and(|h| h >= **r)).count()
        });
        region.push(count(met));
    }
    for index in 0..tree.credits.len() {
        let key = key_id(index);
        let have = facts.credits(key);
        let met = credits
            .get(&key)
            .map_or(0, |t| t.iter().filter(|c| have >= **c).count());
        region.push(count(met));
    }
    let years: Vec<Exact> = (0..tree.education.len())
        .map(|index| facts.education_years(key_id(index)))
        .collect();
    region.extend(years.iter().copied());
    facts.refusal().is_none().then_some((region, years))
}

/// The month breakpoints of each experience key of `tree`: zero, its thresholds, and what
/// each combination clause asks of it given the education-years the parts reach.
fn month_breakpoints(
    tree: &crate::compile::Tree,
    thresholds: &std::collections::BTreeMap<KeyId, Vec<Exact>>,
    combinations: &[(Option<KeyId>, Option<KeyId>, Exact)],
    years: &[&[Exact]],
    overflowed: &mut bool,
) -> Vec<Vec<Exact>> {
    let mut breakpoints: Vec<Vec<Exact>> = vec![vec![zero()]; tree.experience.len()];
    for (index, points) in breakpoints.iter_mut().enumerate() {
        points.extend(thresholds.get(&key_id(index)).into_iter().flatten());
    }
    let twelve = Exact::from_integer(12);
    for (edu, exp, total) in combinations {
        let Some(points) = exp.and_then(|k| breakpoints.get_mut(k.0 as usize)) else {
            continue;
        };
        let reached: Vec<Exact> = match edu {
            Some(k) => years
                .iter()
                .filter_map(|y| y.get(k.0 as usize).copied())
                .collect(),
            None => vec![zero()],
        };
        for y in reached {
            match y.checked_mul(&twelve).and_then(|m| total.checked_sub(&m)) {
                Some(needed) if needed > zero() => points.push(needed),
                Some(_) => {}
                None => *overflowed = true,
            }
        }
    }
    for points in &mut breakpoints {
        points.sort_unstable();
        points.dedup();
    }
    breakpoints
}

/// How many of each key's breakpoints the facts meet.
fn months_region(facts: &mut Facts<'_>, breakpoints: &[Vec<Exact>]) -> Vec<Exact> {
    breakpoints
        .iter()
        .enumerate()
        .map(|(index, points)| {
            let have = facts.experience(key_id(index)).months;
            count(points.iter().filter(|p| have >= **p).count())
        })
        .collect()
}

/// The experience parts, one per region, simplest first.
fn experience_parts(
    space: &mut ClassSpace<'_>,
    education: &[EducationPart],
) -> Vec<ExperiencePart> {
    let own_years: Vec<&[Exact]> = education.iter().map(|p| &p.years[..]).collect();
    let mut overflowed = false;
    let breakpoints = month_breakpoints(
        &space.tree,
        &space.month_thresholds,
        &space.combinations,
        &own_years,
        &mut overflowed,
    );
    let partner_years: Vec<&[Exact]> = education.iter().map(|p| &p.partner_years[..]).collect();
    let partner_breakpoints = space.partner.as_ref().map(|partner| {
        month_breakpoints(
            &partner.tree,
            &partner.month_thresholds,
            &partner.combinations,
            &partner_years,
            &mut overflowed,
        )
    });
    if overflowed {
        space.bounded.push(OVERFLOW_REASON.to_owned());
    }
    let amounts = job_amounts::type_values(space, &breakpoints, partner_breakpoints.as_deref());
    let mut drafts = job_amounts::experience_drafts(&space.job_types, &amounts, &mut space.bounded);
    let mut parts: Vec<ExperiencePart> = Vec::new();
    let mut seen: HashMap<Vec<Exact>, ()> = HashMap::new();
    let cost = |jobs: &[(Vec<String>, Exact)]| Cost {
        entries: u32::try_from(jobs.len()).unwrap_or(u32::MAX),
        months: jobs
            .iter()
            .try_fold(zero(), |sum, (_, m)| sum.checked_add(m))
            .unwrap_or(Exact::from_integer(i64::MAX)),
        tags: u32::try_from(jobs.iter().map(|(t, _)| t.len()).sum::<usize>()).unwrap_or(u32::MAX),
        ..Cost::default()
    };
    drafts.sort_by_cached_key(|jobs| cost(jobs));
    let full_time = space.full_time_hours;
    for draft in drafts {
        let built = draft
            .iter()
            .map(|(categories, amount)| {
                CandidateJob::crediting(categories.clone(), *amount, full_time)
            })
            .collect::<Option<Vec<_>>>()
            .map(|jobs| ExperiencePart {
                cost: cost(&draft),
                jobs,
            })
            .and_then(|part| Some((build(&EducationPart::empty(), &part, space.jobs_end)?, part)));
        let Some((applicant, part)) = built else {
            space
                .bounded
                .push("a job needed for one of its thresholds cannot be dated".into());
            continue;
        };
        let mut facts = Facts::new(space.program, &space.tree, &applicant, space.as_of);
        let mut region = months_region(&mut facts, &breakpoints);
        if facts.refusal().is_some() {
            continue;
        }
        if let (Some(partner), Some(points)) = (&space.partner, &partner_breakpoints) {
            let mut facts = Facts::new(partner.program, &partner.tree, &applicant, partner.as_of);
            region.extend(months_region(&mut facts, points));
            if facts.refusal().is_some() {
                continue;
            }
        }
        if seen.insert(region, ()).is_some() {
            continue;
        }
        parts.push(part);
    }
    parts
}

/// The most candidates a class is verified over (each is evaluated once): a candidate is
/// an education part with an experience part, and their pairs are bounded here.
const MAX_CANDIDATES: usize = 200_000;

/// The most requirement nodes evaluated over a class's candidates (candidates times the
/// nodes of the class): a class of thousands of requirements is tried on fewer candidates,
/// so that verifying it takes seconds, not hours.
const MAX_CANDIDATE_WORK: usize = 40_000_000;

/// The most sets of several degrees candidates are drawn from: sets of up to
/// [`super::space::MAX_DEGREES`] of the degrees a class tells apart number about the fourth
/// power of those degrees, so past this the family is bounded, smaller sets first.
const MAX_DEGREE_SETS: usize = 65_536;

impl EducationPart {
    fn empty() -> EducationPart {
        EducationPart {
            degrees: Vec::new(),
            coursework: Vec::new(),
            cost: Cost::default(),
            years: Vec::new(),
            partner_years: Vec::new(),
        }
    }
}

fn semester(amount: Exact) -> Credits {
    Credits {
        amount,
        unit: CreditUnit::Semester,
    }
}

fn zero() -> Exact {
    Exact::from_integer(0)
}

fn key_id(index: usize) -> KeyId {
    KeyId(u32::try_from(index).unwrap_or(u32::MAX))
}

fn count(n: usize) -> Exact {
    Exact::from_integer(i64::try_from(n).unwrap_or(i64::MAX))
}
