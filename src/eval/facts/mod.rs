//! Per-applicant facts: each fact key of a tree answered at most once per evaluation.
//!
//! Jobs are converted to month-unit intervals and their category tags resolved once; the
//! answers (months per category set, best credential per predicate, credits per subject set,
//! education-years per clause predicate) are filled in lazily, the first time a node asks.

use std::cmp::Ordering;

use jiff::civil::Date;

use crate::applicant::{Applicant, CreditUnit, Credits, SubjectCredits};
use crate::check::model::{CategoryId, Exact, FieldSetId};
use crate::compile::{ExperienceKey, FieldId, KeyId, Program, Tree};
use crate::eval::exact::{add, at_least, compare, divide, times};
use crate::eval::experience::{self, Credit, Interval, Weight};
use crate::eval::refusal::{Culprit, InexactAmount};
use crate::syntax::ast::{CourseworkRule, DegreeRule};

/// The best credential matching a predicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BestCredential {
    /// Rank on the profile's scale; `None` when no entry matches.
    pub rank: Option<u8>,
    /// Index of the education entry that gave it.
    pub entry: Option<u32>,
}

/// A job resolved for crediting.
#[derive(Clone, Copy, Debug)]
struct JobSpan {
    start: i64,
    end: i64,
    /// Bit `i` for category id `i`, for ids below 64.
    categories: u64,
    /// A category id of 64 or more: match by name instead.
    overflow: bool,
}

/// Fact slots: inline for the usual handful of keys, on the heap beyond.
#[derive(Clone, Debug)]
enum Slots<T: Copy> {
    Inline([Option<T>; INLINE_SLOTS]),
    Heap(Vec<Option<T>>),
}

const INLINE_SLOTS: usize = 8;

impl<T: Copy> Slots<T> {
    fn new(len: usize) -> Slots<T> {
        if len <= INLINE_SLOTS {
            Slots::Inline([None; INLINE_SLOTS])
        } else {
            Slots::Heap(vec![None; len])
        }
    }

    fn get(&self, index: KeyId) -> Option<T> {
        match self {
            Slots::Inline(a) => a.get(index.0 as usize).copied().flatten(),
            Slots::Heap(v) => v.get(index.0 as usize).copied().flatten(),
        }
    }

    fn set(&mut self, index: KeyId, value: T) {
        let slot = match self {
            Slots::Inline(a) => a.get_mut(index.0 as usize),
            Slots::Heap(v) => v.get_mut(index.0 as usize),
        };
        if let Some(slot) = slot {
            *slot = Some(value);
        }
    }

    fn as_slice(&self) -> &[Option<T>] {
        match self {
            Slots::Inline(a) => a,
            Slots::Heap(v) => v,
        }
    }
}

/// Jobs matched per experience key without touching the heap, up to this many.
const INLINE_JOBS: usize = 8;

/// Education or coursework entries resolved without touching the heap, up to this many.
const INLINE_ENTRIES: usize = 4;

/// An education or coursework entry with its names resolved against the program once.
#[derive(Clone, Copy, Debug)]
struct EntryFacts {
    /// The credential's name id across profiles (`None` for coursework or an unknown name).
    credential: Option<u32>,
    /// The field of study, when some field set lists it.
    field: Option<FieldId>,
    accredited: bool,
    /// Completed by the evaluation date (always, for coursework).
    counts: bool,
}

/// The facts of one applicant at one date, for one tree.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub(crate) program: &'a Program,
    pub(crate) tree: &'a Tree,
    pub(crate) applicant: &'a Applicant,
    pub(crate) as_of: Date,
    jobs: smallvec::SmallVec<[JobSpan; INLINE_JOBS]>,
    degrees: smallvec::SmallVec<[EntryFacts; INLINE_ENTRIES]>,
    courses: smallvec::SmallVec<[EntryFacts; INLINE_ENTRIES]>,
    experience: Slots<Credit>,
    credentials: Slots<BestCredential>,
    credits: Slots<Exact>,
    education: Slots<Exact>,
    /// The first amount that could not be computed exactly: the evaluation is refused.
    refused: Option<Box<InexactAmount>>,
}

impl<'a> Facts<'a> {
    /// Resolves the applicant's jobs; answers are computed on first use.
    pub fn new(
        program: &'a Program,
        tree: &'a Tree,
        applicant: &'a Applicant,
        as_of: Date,
    ) -> Facts<'a> {
        let mut facts = Facts::unresolved(program, tree, applicant, as_of);
        facts.resolve();
        facts
    }

    /// Facts whose jobs and entries are not resolved yet: [`Facts::resolve`] must follow.
    /// Built where the caller keeps them, with no copy.
    #[inline(always)]
    pub(crate) fn unresolved(
        program: &'a Program,
        tree: &'a Tree,
        applicant: &'a Applicant,
        as_of: Date,
    ) -> Facts<'a> {
        Facts {
            program,
            tree,
            applicant,
            as_of,
            jobs: smallvec::SmallVec::new(),
            degrees: smallvec::SmallVec::new(),
            courses: smallvec::SmallVec::new(),
            experience: Slots::new(tree.experience.len()),
            credentials: Slots::new(tree.credentials.len()),
            credits: Slots::new(tree.credits.len()),
            education: Slots::new(tree.education.len()),
            refused: None,
        }
    }

    /// Resolves the applicant's jobs and education entries against the program.
    pub(crate) fn resolve(&mut self) {
        self.resolve_jobs();
        self.resolve_entries();
    }

    /// Each job as month units up to the evaluation date, with its categories as bits.
    fn resolve_jobs(&mut self) {
        let program = self.program;
        let cutoff = experience::day_end(self.as_of);
        self.jobs.reserve(self.applicant.experience.len());
        for job in &self.applicant.experience {
            let mut categories = 0u64;
            let mut overflow = false;
            for id in job.categories.iter().filter_map(|n| program.category_id(n)) {
                match 1u64.checked_shl(id) {
                    Some(bit) if id < 64 => categories |= bit,
                    _ => overflow = true,
                }
            }
            self.jobs.push(JobSpan {
                start: experience::day_start(job.start),
                end: job.end.map_or(cutoff, experience::day_end).min(cutoff),
                categories,
                overflow,
            });
        }
    }

    /// Each education and coursework entry's credential and field, looked up once.
    fn resolve_entries(&mut self) {
        let program = self.program;
        let as_of = self.as_of;
        let field = |f: &Option<String>| f.as_deref().and_then(|f| program.field_id(f));
        self.degrees.reserve(self.applicant.education.len());
        for e in &self.applicant.education {
            self.degrees.push(EntryFacts {
                credential: program.credential_name_id(&e.credential),
                field: field(&e.field),
                accredited: e.accredited,
                counts: e.completed.is_none_or(|d| d <= as_of),
            });
        }
        self.courses.reserve(self.applicant.coursework.len());
        for c in &self.applicant.coursework {
            self.courses.push(EntryFacts {
                credential: None,
                field: field(&c.field),
                accredited: c.accredited,
                counts: true,
            });
        }
    }

    /// Credited experience for an experience key.
    #[inline]
    pub fn experience(&mut self, key: KeyId) -> Credit {
        match self.experience.get(key) {
            Some(found) => found,
            None => self.first_experience(key),
        }
    }

    /// Computes and keeps an experience answer, asked for the first time.
    #[inline(never)]
    fn first_experience(&mut self, key: KeyId) -> Credit {
        let credit = self.compute_experience(key);
        let credit = self.settle(credit, Credit::default());
        self.experience.set(key, credit);
        credit
    }

    /// Replaces an experience answer, e.g. with months totalled elsewhere.
    pub fn set_experience(&mut self, key: KeyId, credit: Credit) {
        self.experience.set(key, credit);
    }

    /// Presets the months credited for every experience key over exactly `categories`
    /// (by name, any order), as when experience comes already totalled.
    pub fn preset_experience(&mut self, categories: &[&str], months: Exact) {
        for (i, key) in self.tree.experience.iter().enumerate() {
            let same = key.names.len() == categories.len()
                && categories
                    .iter()
                    .all(|c| key.names.iter().any(|n| &**n == *c));
            if same {
                let credit = Credit {
                    months,
                    ..Credit::default()
                };
                self.experience
                    .set(KeyId(u32::try_from(i).unwrap_or(u32::MAX)), credit);
            }
        }
    }

    /// The applicant's jobs that count toward experience key `key`, in file order.
    pub fn counted_jobs(&self, key: KeyId) -> impl Iterator<Item = &'a crate::applicant::Job> {
        let jobs = &self.applicant.experience;
        self.counted_job_indices(key)
            .into_iter()
            .filter_map(move |i| jobs.get(i as usize))
    }

    /// Indices of the applicant's jobs that count toward experience key `key`, in file order.
    pub(crate) fn counted_job_indices(&self, key: KeyId) -> smallvec::SmallVec<[u32; 6]> {
        let mut counted = smallvec::SmallVec::new();
        let Some(k) = self.tree.experience_key(key) else {
            return counted;
        };
        for (index, job) in self.jobs.iter().enumerate() {
            if job.start < job.end && self.job_in(index, job, k) {
                counted.push(u32::try_from(index).unwrap_or(u32::MAX));
            }
        }
        counted
    }

    /// Whether job `index` counts toward experience key `key`.
    pub fn job_counts(&self, index: usize, key: KeyId) -> bool {
        let (Some(job), Some(k)) = (self.jobs.get(index), self.tree.experience_key(key)) else {
            return false;
        };
        job.start < job.end && self.job_in(index, job, k)
    }

    fn job_in(&self, index: usize, job: &JobSpan, key: &ExperienceKey) -> bool {
        if !job.overflow {
            // Every id of the job is below 64, so the low bits decide.
            return job.categories & key.category_bits != 0;
        }
        let categories: &[CategoryId] = &key.categories;
        let names = self
            .applicant
            .experience
            .get(index)
            .map_or(&[][..], |j| &j.categories);
        names
            .iter()
            .filter_map(|n| self.program.category_id(n))
            .any(|t| categories.iter().any(|c| c.0 == t))
    }

    fn compute_experience(&self, key: KeyId) -> Result<Credit, Culprit> {
        let Some(k) = self.tree.experience_key(key) else {
            return Ok(Credit::default());
        };
        let Some(profile) = self.program.profile(k.profile) else {
            return Ok(Credit::default());
        };
        let mut intervals: smallvec::SmallVec<[Interval; INLINE_JOBS]> = smallvec::SmallVec::new();
        for (i, (job, source)) in self.jobs.iter().zip(&self.applicant.experience).enumerate() {
            if job.start >= job.end || !self.job_in(i, job, k) {
                continue;
            }
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let weight = Weight::of(source.hours_per_week, profile.full_time_hours)
                .map_err(|_| self.job_culprit(key, index))?;
            if let Some(weight) = weight {
                intervals.push(Interval {
                    start: job.start,
                    end: job.end,
                    weight,
                    job: index,
                });
            }
        }
        if intervals.is_empty() {
            return Ok(Credit::default());
        }
        experience::credit_intervals(&intervals, profile.overlap)
            .map_err(|unheld| self.job_culprit(key, unheld.job))
    }

    /// Job `job` as the culprit, with the other counted jobs running at the same time.
    #[cold]
    fn job_culprit(&self, key: KeyId, job: u32) -> Culprit {
        let concurrent = self.jobs.get(job as usize).map_or(0, |span| {
            self.jobs
                .iter()
                .enumerate()
                .filter(|(i, other)| {
                    *i != job as usize
                        && other.start < span.end
                        && span.start < other.end
                        && self.job_counts(*i, key)
                })
                .count()
        });
        Culprit::Job {
            job,
            concurrent: u32::try_from(concurrent).unwrap_or(u32::MAX),
        }
    }

    /// A fact as computed, or `fallback` with the evaluation refused when it could not be.
    fn settle<T>(&mut self, computed: Result<T, Culprit>, fallback: T) -> T {
        computed.unwrap_or_else(|culprit| self.refuse(culprit, fallback))
    }

    /// Keeps the first amount that could not be computed exactly and answers `fallback`
    /// for it; the evaluation is refused, so the fallback is never reported.
    #[cold]
    fn refuse<T>(&mut self, culprit: Culprit, fallback: T) -> T {
        if self.refused.is_none() {
            self.refused = Some(Box::new(InexactAmount::of(culprit, self.applicant)));
        }
        fallback
    }

    /// Refuses a combination clause whose education years and experience months cannot be
    /// added exactly; answers zero months, never reported.
    #[cold]
    pub(crate) fn refuse_combination(&mut self, years: Exact, months: Exact) -> Exact {
        self.refuse(
            Culprit::Combination { years, months },
            Exact::from_integer(0),
        )
    }

    /// `needed - have`, what a threshold lacks; refused when it cannot be held exactly.
    pub(crate) fn lack(&mut self, needed: Exact, have: Exact) -> Exact {
        match crate::eval::exact::minus(needed, have) {
            Some(lack) => lack,
            None => self.refuse(Culprit::Shortfall { needed, have }, needed),
        }
    }

    /// The first amount that could not be computed exactly, if any: an evaluation with one
    /// is refused (Q320).
    pub fn refusal(&self) -> Option<&InexactAmount> {
        self.refused.as_deref()
    }

    /// The best credential for a credential key.
    #[inline]
    pub fn credential(&mut self, key: KeyId) -> BestCredential {
        match self.credentials.get(key) {
            Some(found) => found,
            None => self.first_credential(key),
        }
    }

    /// Computes and keeps a credential answer, asked for the first time.
    #[inline(never)]
    fn first_credential(&mut self, key: KeyId) -> BestCredential {
        let best = self.compute_credential(key);
        let best = self.settle(best, BestCredential::default());
        self.credentials.set(key, best);
        best
    }

    fn compute_credential(&self, key: KeyId) -> Result<BestCredential, Culprit> {
        let Some(k) = self.tree.credential_key(key) else {
            return Ok(BestCredential::default());
        };
        let Some(profile) = self.program.profile(k.profile) else {
            return Ok(BestCredential::default());
        };
        let mut best = BestCredential::default();
        for (index, (entry, facts)) in self
            .applicant
            .education
            .iter()
            .zip(&self.degrees)
            .enumerate()
        {
            if !facts.counts {
                continue;
            }
            let Some(cred) = facts.credential.and_then(|id| profile.credential_by_id(id)) else {
                continue;
            };
            if best.rank.is_some_and(|r| r >= cred.rank)
                || (k.accredited && !facts.accredited)
                || !self.in_fields(k.fields, facts.field)
            {
                continue;
            }
            if let Some((needed, subjects)) = k.includes {
                let have = self.subject_credits(k.profile, &entry.subjects, subjects, index)?;
                if !at_least(have, needed) {
                    continue;
                }
            }
            best = BestCredential {
                rank: Some(cred.rank),
                entry: u32::try_from(index).ok(),
            };
        }
        Ok(best)
    }

    /// The most semester credits in a credential key's `that includes` subject set held by
    /// one education entry that meets the rest of the key (rank `rank` or higher, the
    /// field set, accreditation): the amount the `includes` clause is compared with. `None`
    /// when the key has no `includes` or no entry meets the rest.
    pub(crate) fn included_credits(&self, key: KeyId, rank: u8) -> Option<Exact> {
        let k = self.tree.credential_key(key)?;
        let (_, subjects) = k.includes?;
        let profile = self.program.profile(k.profile)?;
        let mut most: Option<Exact> = None;
        for (index, (entry, facts)) in self
            .applicant
            .education
            .iter()
            .zip(&self.degrees)
            .enumerate()
        {
            let Some(cred) = facts.credential.and_then(|id| profile.credential_by_id(id)) else {
                continue;
            };
            if !facts.counts
                || cred.rank < rank
                || (k.accredited && !facts.accredited)
                || !self.in_fields(k.fields, facts.field)
            {
                continue;
            }
            let have = self
                .subject_credits(k.profile, &entry.subjects, subjects, index)
                .ok()?;
            most = Some(most.map_or(have, |m| m.max(have)));
        }
        most
    }

    /// Semester credits in a subject set, across all education, for a credit key.
    #[inline]
    pub fn credits(&mut self, key: KeyId) -> Exact {
        match self.credits.get(key) {
            Some(found) => found,
            None => self.first_credits(key),
        }
    }

    /// Computes and keeps a credits answer, asked for the first time.
    #[inline(never)]
    fn first_credits(&mut self, key: KeyId) -> Exact {
        let total = self.compute_credits(key);
        let total = self.settle(total, Exact::from_integer(0));
        self.credits.set(key, total);
        total
    }

    fn compute_credits(&self, key: KeyId) -> Result<Exact, Culprit> {
        let zero = Exact::from_integer(0);
        let Some(k) = self.tree.credit_key(key) else {
            return Ok(zero);
        };
        let profile = self.program.profile(k.profile);
        // A degree not on the profile's scale counts for nothing, its subject credits too.
        let on_scale = |facts: &EntryFacts| {
            facts
                .credential
                .and_then(|id| profile?.credential_by_id(id))
                .is_some()
        };
        let mut total = zero;
        for (index, (entry, _)) in self
            .applicant
            .education
            .iter()
            .zip(&self.degrees)
            .enumerate()
            .filter(|(_, (_, facts))| facts.counts && on_scale(facts))
        {
            let have = self.subject_credits(k.profile, &entry.subjects, k.subjects, index)?;
            total = add(total, have).ok_or(Culprit::EducationSubject {
                entry: entry_index(index),
                subject: 0,
            })?;
        }
        for (index, (course, facts)) in self
            .applicant
            .coursework
            .iter()
            .zip(&self.courses)
            .enumerate()
        {
            let culprit = Culprit::Coursework {
                entry: entry_index(index),
                subject: None,
            };
            let have = if course.subjects.is_empty() {
                if self.in_fields(Some(k.subjects), facts.field) {
                    self.semester(k.profile, course.credits).ok_or(culprit)?
                } else {
                    zero
                }
            } else {
                self.course_subject_credits(k.profile, &course.subjects, k.subjects, index)?
            };
            total = add(total, have).ok_or(culprit)?;
        }
        Ok(total)
    }

    /// Education-years for an education key.
    #[inline]
    pub fn education_years(&mut self, key: KeyId) -> Exact {
        match self.education.get(key) {
            Some(found) => found,
            None => self.first_education_years(key),
        }
    }

    /// Computes and keeps an education-years answer, asked for the first time.
    #[inline(never)]
    fn first_education_years(&mut self, key: KeyId) -> Exact {
        let years = self.compute_education_years(key);
        let years = self.settle(years, Exact::from_integer(0));
        self.education.set(key, years);
        years
    }

    fn compute_education_years(&self, key: KeyId) -> Result<Exact, Culprit> {
        let (rule, coursework_rule) = self
            .tree
            .education_key(key)
            .and_then(|k| self.program.profile(k.profile))
            .map_or(
                (DegreeRule::HighestOnly, CourseworkRule::HighestOnly),
                |p| (p.several_degrees, p.coursework),
            );
        let degrees = self.applicant.education.len();
        let mut years = Exact::from_integer(0);
        let mut coursework = Exact::from_integer(0);
        let mut failed = None;
        self.for_each_education(key, |i, y| {
            let culprit = entry_culprit(i, degrees);
            let mut sum = |a, b| {
                add(a, b).unwrap_or_else(|| {
                    failed.get_or_insert(culprit);
                    a
                })
            };
            if i >= degrees && coursework_rule == CourseworkRule::AddedUp {
                coursework = sum(coursework, y);
                return;
            }
            years = match rule {
                DegreeRule::AddedUp => sum(years, y),
                // As `Ord::max`: the later of two equal values.
                DegreeRule::HighestOnly if compare(y, years) == Ordering::Less => years,
                DegreeRule::HighestOnly => y,
            };
        })?;
        if let Some(culprit) = failed {
            return Err(culprit);
        }
        let last = entry_culprit(
            degrees + self.applicant.coursework.len().saturating_sub(1),
            degrees,
        );
        add(years, coursework).ok_or(last)
    }

    /// Calls `f(index, years)` for each entry matching an education key's predicate.
    /// Degrees are indices `0..education.len()`; coursework follows. Stops at a coursework
    /// entry whose years cannot be held exactly, and names it.
    pub(crate) fn for_each_education(
        &self,
        key: KeyId,
        mut f: impl FnMut(usize, Exact),
    ) -> Result<(), Culprit> {
        let Some(k) = self.tree.education_key(key) else {
            return Ok(());
        };
        let Some(profile) = self.program.profile(k.profile) else {
            return Ok(());
        };
        for (i, facts) in self.degrees.iter().enumerate() {
            if !facts.counts
                || (k.accredited && !facts.accredited)
                || !self.in_fields(k.fields, facts.field)
            {
                continue;
            }
            if let Some(cred) = facts.credential.and_then(|id| profile.credential_by_id(id)) {
                f(i, cred.years);
            }
        }
        let per_year = profile.semester_credits_per_year;
        if compare(per_year, Exact::from_integer(0)) != Ordering::Greater {
            return Ok(());
        }
        for (i, (course, facts)) in self
            .applicant
            .coursework
            .iter()
            .zip(&self.courses)
            .enumerate()
        {
            if (k.accredited && !facts.accredited) || !self.in_fields(k.fields, facts.field) {
                continue;
            }
            let years = self
                .semester(k.profile, course.credits)
                .and_then(|credits| divide(credits, per_year))
                .ok_or(Culprit::Coursework {
                    entry: entry_index(i),
                    subject: None,
                })?;
            f(self.applicant.education.len() + i, years);
        }
        Ok(())
    }

    /// Whether a resolved field is in a key's field set (any field, without a set).
    fn in_fields(&self, fields: Option<FieldSetId>, field: Option<FieldId>) -> bool {
        match fields {
            None => true,
            Some(set) => field.is_some_and(|f| self.program.field_in_set(f, set)),
        }
    }

    /// An education entry's credits in a subject set.
    fn subject_credits(
        &self,
        profile: crate::check::model::ProfileId,
        subjects: &[SubjectCredits],
        set: FieldSetId,
        entry: usize,
    ) -> Result<Exact, Culprit> {
        self.sum_subjects(profile, subjects, set, |subject| {
            Culprit::EducationSubject {
                entry: entry_index(entry),
                subject,
            }
        })
    }

    /// A coursework entry's credits in a subject set.
    fn course_subject_credits(
        &self,
        profile: crate::check::model::ProfileId,
        subjects: &[SubjectCredits],
        set: FieldSetId,
        entry: usize,
    ) -> Result<Exact, Culprit> {
        self.sum_subjects(profile, subjects, set, |subject| Culprit::Coursework {
            entry: entry_index(entry),
            subject: Some(subject),
        })
    }

    fn sum_subjects(
        &self,
        profile: crate::check::model::ProfileId,
        subjects: &[SubjectCredits],
        set: FieldSetId,
        culprit: impl Fn(u32) -> Culprit,
    ) -> Result<Exact, Culprit> {
        let mut total = Exact::from_integer(0);
        for (index, s) in subjects.iter().enumerate() {
            if !self.program.field_set_lists(set, &s.subject) {
                continue;
            }
            total = self
                .semester(profile, s.credits)
                .and_then(|credits| add(total, credits))
                .ok_or_else(|| culprit(entry_index(index)))?;
        }
        Ok(total)
    }

    /// Credits in semester credits; quarter credits convert at the profile's rate and count
    /// nothing when the profile gives no quarter figure. `None` when the converted amount
    /// cannot be held exactly.
    fn semester(&self, profile: crate::check::model::ProfileId, credits: Credits) -> Option<Exact> {
        let zero = Exact::from_integer(0);
        if compare(credits.amount, zero) != Ordering::Greater {
            return Some(zero);
        }
        match credits.unit {
            CreditUnit::Semester => Some(credits.amount),
            CreditUnit::Quarter => match self
                .program
                .profile(profile)
                .and_then(|p| p.semester_per_quarter_credit)
            {
                Some(rate) => times(credits.amount, rate),
                None => Some(zero),
            },
        }
    }
}

/// An index into one of the applicant's lists, for a diagnostic.
fn entry_index(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The entry behind index `i` of [`Facts::for_each_education`]: a degree, or coursework
/// after the degrees.
fn entry_culprit(i: usize, degrees: usize) -> Culprit {
    match i.checked_sub(degrees) {
        Some(course) => Culprit::Coursework {
            entry: entry_index(course),
            subject: None,
        },
        None => Culprit::EducationYears {
            entry: entry_index(i),
        },
    }
}

impl Facts<'_> {
    /// The experience answers computed so far, by key.
    pub fn computed_experience(&self) -> impl Iterator<Item = (KeyId, Credit)> + '_ {
        computed(self.experience.as_slice())
    }

    pub fn computed_credentials(&self) -> impl Iterator<Item = (KeyId, BestCredential)> + '_ {
        computed(self.credentials.as_slice())
    }

    pub fn computed_credits(&self) -> impl Iterator<Item = (KeyId, Exact)> + '_ {
        computed(self.credits.as_slice())
    }

    pub fn computed_education(&self) -> impl Iterator<Item = (KeyId, Exact)> + '_ {
        computed(self.education.as_slice())
    }
}

fn computed<T: Copy>(slots: &[Option<T>]) -> impl Iterator<Item = (KeyId, T)> + '_ {
    slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|v| (KeyId(u32::try_from(i).unwrap_or(u32::MAX)), v)))
}

#[cfg(test)]
mod tests;
