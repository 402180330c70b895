//! Per-applicant facts: each fact key of a tree answered at most once per evaluation.
//!
//! Jobs are converted to month-unit intervals and their category tags resolved once; the
//! answers (months per category set, best credential per predicate, credits per subject set,
//! education-years per clause predicate) are filled in lazily, the first time a node asks.

use jiff::civil::Date;

use crate::applicant::{Applicant, CreditUnit, Credits, SubjectCredits};
use crate::check::model::{Exact, FieldSetId};
use crate::compile::{KeyId, Program, Tree};
use crate::eval::experience::{self, Credit, Interval, Weight};
use crate::syntax::ast::DegreeRule;

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
    first_category: u32,
    categories: u32,
}

/// The facts of one applicant at one date, for one tree.
#[derive(Debug)]
pub struct Facts<'a> {
    pub(crate) program: &'a Program,
    pub(crate) tree: &'a Tree,
    pub(crate) applicant: &'a Applicant,
    pub(crate) as_of: Date,
    jobs: Vec<JobSpan>,
    job_categories: Vec<u32>,
    experience: Vec<Option<Credit>>,
    credentials: Vec<Option<BestCredential>>,
    credits: Vec<Option<Exact>>,
    education: Vec<Option<Exact>>,
    intervals: Vec<Interval>,
    cuts: Vec<i64>,
}

impl<'a> Facts<'a> {
    /// Resolves the applicant's jobs; answers are computed on first use.
    pub fn new(
        program: &'a Program,
        tree: &'a Tree,
        applicant: &'a Applicant,
        as_of: Date,
    ) -> Facts<'a> {
        let mut jobs = Vec::with_capacity(applicant.experience.len());
        let mut job_categories = Vec::new();
        let cutoff = experience::day_end(as_of);
        for job in &applicant.experience {
            let first = u32::try_from(job_categories.len()).unwrap_or(u32::MAX);
            for name in &job.categories {
                if let Some(id) = program.category_id(name) {
                    job_categories.push(id);
                }
            }
            let count = u32::try_from(job_categories.len()).unwrap_or(u32::MAX) - first;
            let end = job.end.map_or(cutoff, experience::day_end).min(cutoff);
            jobs.push(JobSpan {
                start: experience::day_start(job.start),
                end,
                first_category: first,
                categories: count,
            });
        }
        Facts {
            program,
            tree,
            applicant,
            as_of,
            jobs,
            job_categories,
            experience: vec![None; tree.experience.len()],
            credentials: vec![None; tree.credentials.len()],
            credits: vec![None; tree.credits.len()],
            education: vec![None; tree.education.len()],
            intervals: Vec::new(),
            cuts: Vec::new(),
        }
    }

    /// Credited experience for an experience key.
    pub fn experience(&mut self, key: KeyId) -> Credit {
        if let Some(Some(found)) = self.experience.get(key.0 as usize) {
            return *found;
        }
        let credit = self.compute_experience(key);
        if let Some(slot) = self.experience.get_mut(key.0 as usize) {
            *slot = Some(credit);
        }
        credit
    }

    /// Replaces an experience answer, e.g. with months totalled elsewhere.
    pub fn set_experience(&mut self, key: KeyId, credit: Credit) {
        if let Some(slot) = self.experience.get_mut(key.0 as usize) {
            *slot = Some(credit);
        }
    }

    /// Whether job `index` counts towards experience key `key`.
    pub fn job_counts(&self, index: usize, key: KeyId) -> bool {
        let (Some(job), Some(k)) = (self.jobs.get(index), self.tree.experience_key(key)) else {
            return false;
        };
        job.start < job.end && self.job_in(job, &k.categories)
    }

    fn job_in(&self, job: &JobSpan, categories: &[crate::check::model::CategoryId]) -> bool {
        let first = job.first_category as usize;
        let tags = self
            .job_categories
            .get(first..first + job.categories as usize)
            .unwrap_or(&[]);
        tags.iter().any(|t| categories.iter().any(|c| c.0 == *t))
    }

    fn compute_experience(&mut self, key: KeyId) -> Credit {
        let Some(k) = self.tree.experience_key(key) else {
            return Credit::default();
        };
        let Some(profile) = self.program.profile(k.profile) else {
            return Credit::default();
        };
        let mut intervals = std::mem::take(&mut self.intervals);
        intervals.clear();
        for (job, source) in self.jobs.iter().zip(&self.applicant.experience) {
            if job.start >= job.end || !self.job_in(job, &k.categories) {
                continue;
            }
            if let Some(weight) = Weight::of(source.hours_per_week, profile.full_time_hours) {
                intervals.push(Interval {
                    start: job.start,
                    end: job.end,
                    weight,
                });
            }
        }
        let credit = experience::credit_intervals(&intervals, profile.overlap, &mut self.cuts);
        self.intervals = intervals;
        credit
    }

    /// The best credential for a credential key.
    pub fn credential(&mut self, key: KeyId) -> BestCredential {
        if let Some(Some(found)) = self.credentials.get(key.0 as usize) {
            return *found;
        }
        let best = self.compute_credential(key);
        if let Some(slot) = self.credentials.get_mut(key.0 as usize) {
            *slot = Some(best);
        }
        best
    }

    fn compute_credential(&self, key: KeyId) -> BestCredential {
        let Some(k) = self.tree.credential_key(key) else {
            return BestCredential::default();
        };
        let Some(profile) = self.program.profile(k.profile) else {
            return BestCredential::default();
        };
        let mut best = BestCredential::default();
        for (index, entry) in self.applicant.education.iter().enumerate() {
            let Some(cred) = profile.credential(&entry.credential) else {
                continue;
            };
            if best.rank.is_some_and(|r| r >= cred.rank)
                || (k.accredited && !entry.accredited)
                || !self.in_fields(k.fields, entry.field.as_deref())
            {
                continue;
            }
            if let Some((needed, subjects)) = k.includes {
                let have = self.subject_credits(k.profile, &entry.subjects, subjects);
                if have < needed {
                    continue;
                }
            }
            best = BestCredential {
                rank: Some(cred.rank),
                entry: u32::try_from(index).ok(),
            };
        }
        best
    }

    /// Semester credits in a subject set, across all education, for a credit key.
    pub fn credits(&mut self, key: KeyId) -> Exact {
        if let Some(Some(found)) = self.credits.get(key.0 as usize) {
            return *found;
        }
        let total = match self.tree.credit_key(key) {
            Some(k) => {
                let mut total = Exact::from_integer(0);
                for entry in &self.applicant.education {
                    total += self.subject_credits(k.profile, &entry.subjects, k.subjects);
                }
                for course in &self.applicant.coursework {
                    total += if course.subjects.is_empty() {
                        if self.in_fields(Some(k.subjects), course.field.as_deref()) {
                            self.semester(k.profile, course.credits)
                        } else {
                            Exact::from_integer(0)
                        }
                    } else {
                        self.subject_credits(k.profile, &course.subjects, k.subjects)
                    };
                }
                total
            }
            None => Exact::from_integer(0),
        };
        if let Some(slot) = self.credits.get_mut(key.0 as usize) {
            *slot = Some(total);
        }
        total
    }

    /// Education-years for an education key.
    pub fn education_years(&mut self, key: KeyId) -> Exact {
        if let Some(Some(found)) = self.education.get(key.0 as usize) {
            return *found;
        }
        let rule = self
            .tree
            .education_key(key)
            .and_then(|k| self.program.profile(k.profile))
            .map_or(DegreeRule::HighestOnly, |p| p.several_degrees);
        let mut years = Exact::from_integer(0);
        self.for_each_education(key, |_, y| {
            years = match rule {
                DegreeRule::AddedUp => years + y,
                DegreeRule::HighestOnly => years.max(y),
            };
        });
        if let Some(slot) = self.education.get_mut(key.0 as usize) {
            *slot = Some(years);
        }
        years
    }

    /// Calls `f(index, years)` for each entry matching an education key's predicate.
    /// Degrees are indices `0..education.len()`; coursework follows.
    pub(crate) fn for_each_education(&self, key: KeyId, mut f: impl FnMut(usize, Exact)) {
        let Some(k) = self.tree.education_key(key) else {
            return;
        };
        let Some(profile) = self.program.profile(k.profile) else {
            return;
        };
        for (i, entry) in self.applicant.education.iter().enumerate() {
            if (k.accredited && !entry.accredited)
                || !self.in_fields(k.fields, entry.field.as_deref())
            {
                continue;
            }
            if let Some(cred) = profile.credential(&entry.credential) {
                f(i, cred.years);
            }
        }
        let per_year = profile.semester_credits_per_year;
        if per_year <= Exact::from_integer(0) {
            return;
        }
        for (i, course) in self.applicant.coursework.iter().enumerate() {
            if (k.accredited && !course.accredited)
                || !self.in_fields(k.fields, course.field.as_deref())
            {
                continue;
            }
            let years = self.semester(k.profile, course.credits) / per_year;
            f(self.applicant.education.len() + i, years);
        }
    }

    fn in_fields(&self, fields: Option<FieldSetId>, field: Option<&str>) -> bool {
        match fields {
            None => true,
            Some(set) => match (self.program.field_set(set), field) {
                (Some(set), Some(field)) => set.contains(field),
                _ => false,
            },
        }
    }

    fn subject_credits(
        &self,
        profile: crate::check::model::ProfileId,
        subjects: &[SubjectCredits],
        set: FieldSetId,
    ) -> Exact {
        let Some(set) = self.program.field_set(set) else {
            return Exact::from_integer(0);
        };
        subjects
            .iter()
            .filter(|s| set.contains(&s.subject))
            .map(|s| self.semester(profile, s.credits))
            .fold(Exact::from_integer(0), |a, b| a + b)
    }

    /// Credits in semester credits; quarter credits convert at the profile's rate and count
    /// nothing when the profile gives no quarter figure.
    fn semester(&self, profile: crate::check::model::ProfileId, credits: Credits) -> Exact {
        let zero = Exact::from_integer(0);
        if credits.amount <= zero {
            return zero;
        }
        match credits.unit {
            CreditUnit::Semester => credits.amount,
            CreditUnit::Quarter => self
                .program
                .profile(profile)
                .and_then(|p| p.semester_per_quarter_credit)
                .map_or(zero, |rate| credits.amount * rate),
        }
    }
}

impl Facts<'_> {
    /// The experience answers computed so far, by key.
    pub fn computed_experience(&self) -> impl Iterator<Item = (KeyId, Credit)> + '_ {
        computed(&self.experience)
    }

    pub fn computed_credentials(&self) -> impl Iterator<Item = (KeyId, BestCredential)> + '_ {
        computed(&self.credentials)
    }

    pub fn computed_credits(&self) -> impl Iterator<Item = (KeyId, Exact)> + '_ {
        computed(&self.credits)
    }

    pub fn computed_education(&self) -> impl Iterator<Item = (KeyId, Exact)> + '_ {
        computed(&self.education)
    }
}

fn computed<T: Copy>(slots: &[Option<T>]) -> impl Iterator<Item = (KeyId, T)> + '_ {
    slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|v| (KeyId(u32::try_from(i).unwrap_or(u32::MAX)), v)))
}
