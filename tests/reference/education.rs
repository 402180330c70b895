//! Credentials, subject credits and education-years, as docs/semantics.md defines them.

use num_traits::Zero;

use qualify::check::model::{CredentialNeed, FieldSetId, ProfileDef, RuleModel};
use qualify::syntax::ast::{CourseworkRule, DegreeRule};

use super::applicant::{Credit, Degree, RefApplicant, Unit};
use super::calendar::Day;
use super::{BigRational, exact};

/// The parts of the rule model and the applicant one profile judges by.
pub struct Judge<'r> {
    pub model: &'r RuleModel,
    pub profile: &'r ProfileDef,
    pub applicant: &'r RefApplicant,
    pub as_of: Day,
}

impl Judge<'_> {
    /// Whether field set `set` lists `name`, itself or through a set it includes, without
    /// regard to case or surrounding space.
    pub fn set_lists(&self, set: FieldSetId, name: &str) -> bool {
        let wanted = name.trim().to_ascii_lowercase();
        self.model.field_sets.get(set.0 as usize).is_some_and(|s| {
            s.fields
                .iter()
                .any(|f| f.trim().to_ascii_lowercase() == wanted)
                || s.includes.iter().any(|&inner| self.set_lists(inner, name))
        })
    }

    fn field_matches(&self, set: Option<FieldSetId>, field: Option<&String>) -> bool {
        match set {
            None => true,
            Some(set) => field.is_some_and(|f| self.set_lists(set, f)),
        }
    }

    /// A degree counts unless it was completed after the evaluation date.
    fn degree_counts(&self, degree: &Degree) -> bool {
        degree.completed.is_none_or(|day| day <= self.as_of)
    }

    /// The degree's rank and years on the profile's scale, if it is on it.
    fn on_scale(&self, degree: &Degree) -> Option<(u8, BigRational)> {
        self.profile
            .credentials
            .iter()
            .find(|c| c.name == degree.credential)
            .map(|c| (c.rank, exact(c.years)))
    }

    /// Credits in semester credits: quarter credits at the profile's rate, or nothing.
    pub fn semester(&self, credit: &Credit) -> BigRational {
        if credit.amount <= BigRational::zero() {
            return BigRational::zero();
        }
        match credit.unit {
            Unit::Semester => credit.amount.clone(),
            Unit::Quarter => match self.profile.quarter_credits_per_year {
                Some(quarter) if exact(quarter) > BigRational::zero() => {
                    &credit.amount * exact(self.profile.semester_credits_per_year) / exact(quarter)
                }
                _ => BigRational::zero(),
            },
        }
    }

    fn subject_sum(&self, subjects: &[super::applicant::Subject], set: FieldSetId) -> BigRational {
        subjects
            .iter()
            .filter(|s| self.set_lists(set, &s.name))
            .map(|s| self.semester(&s.credit()))
            .fold(BigRational::zero(), |a, b| a + b)
    }

    /// The rank of the best entry meeting a credential requirement's predicates.
    pub fn best_rank(&self, need: &CredentialNeed) -> Option<u8> {
        self.applicant
            .degrees
            .iter()
            .filter(|d| self.degree_counts(d))
            .filter(|d| !need.accredited || d.accredited)
            .filter(|d| self.field_matches(need.fields, d.field.as_ref()))
            .filter(|d| match need.includes {
                None => true,
                Some((credits, set)) => self.subject_sum(&d.subjects, set) >= exact(credits),
            })
            .filter_map(|d| self.on_scale(d).map(|(rank, _)| rank))
            .max()
    }

    /// Semester credits in subjects of `set` across all education.
    pub fn subject_credits(&self, set: FieldSetId) -> BigRational {
        let mut total = BigRational::zero();
        for degree in self
            .applicant
            .degrees
            .iter()
            .filter(|d| self.degree_counts(d) && self.on_scale(d).is_some())
        {
            total += self.subject_sum(&degree.subjects, set);
        }
        for course in &self.applicant.courses {
            if course.subjects.is_empty() {
                if self.field_matches(Some(set), course.field.as_ref()) {
                    total += self.semester(&course.credit());
                }
            } else {
                total += self.subject_sum(&course.subjects, set);
            }
        }
        total
    }

    /// Education-years of the entries matching a combination clause's predicates.
    pub fn education_years(&self, accredited: bool, fields: Option<FieldSetId>) -> BigRational {
        let degrees: Vec<BigRational> = self
            .applicant
            .degrees
            .iter()
            .filter(|d| self.degree_counts(d))
            .filter(|d| !accredited || d.accredited)
            .filter(|d| self.field_matches(fields, d.field.as_ref()))
            .filter_map(|d| self.on_scale(d).map(|(_, years)| years))
            .collect();
        let per_year = exact(self.profile.semester_credits_per_year);
        let courses: Vec<BigRational> = if per_year > BigRational::zero() {
            self.applicant
                .courses
                .iter()
                .filter(|c| !accredited || c.accredited)
                .filter(|c| self.field_matches(fields, c.field.as_ref()))
                .map(|c| self.semester(&c.credit()) / &per_year)
                .collect()
        } else {
            Vec::new()
        };
        let combine = |entries: &[BigRational]| match self.profile.several_degrees {
            DegreeRule::AddedUp => entries.iter().fold(BigRational::zero(), |a, b| a + b),
            DegreeRule::HighestOnly => entries.iter().cloned().fold(BigRational::zero(), max),
        };
        match self.profile.coursework {
            CourseworkRule::AddedUp => {
                combine(&degrees) + courses.iter().fold(BigRational::zero(), |a, b| a + b)
            }
            // Each coursework entry is one more entry beside the degrees.
            CourseworkRule::HighestOnly => {
                let all: Vec<BigRational> = degrees.into_iter().chain(courses).collect();
                combine(&all)
            }
        }
    }
}

fn max(a: BigRational, b: BigRational) -> BigRational {
    if b > a { b } else { a }
}
