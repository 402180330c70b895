//! Evaluations refused because an amount cannot be computed exactly (Q320): which of the
//! applicant's values was responsible, in words the applicant file uses.

use std::fmt;

use crate::applicant::{Applicant, Credits, SubjectCredits};
use crate::check::model::Exact;

/// The applicant's value whose arithmetic could not be held exactly. Indices are into the
/// applicant's lists, from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Culprit {
    /// A job's weekly hours, alone or with the jobs held at the same time.
    Job { job: u32, concurrent: u32 },
    /// An education entry's credits in one subject.
    EducationSubject { entry: u32, subject: u32 },
    /// A coursework entry's credits, or its credits in one subject.
    Coursework { entry: u32, subject: Option<u32> },
    /// A credential's years added to those before it.
    EducationYears { entry: u32 },
    /// Education years and experience months added up in a combination clause.
    Combination { years: Exact, months: Exact },
    /// A threshold less the amount credited toward it.
    Shortfall { needed: Exact, have: Exact },
}

/// An evaluation refused because an amount cannot be computed exactly (Q320).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InexactAmount {
    /// The applicant's value responsible, e.g. `experience entry 3, hours_per_week = 1/7`.
    pub value: String,
    /// Where in the applicant file the value is, as a key path, e.g.
    /// `experience[2].hours_per_week`.
    pub key_path: String,
}

impl InexactAmount {
    pub(crate) fn of(culprit: Culprit, applicant: &Applicant) -> InexactAmount {
        let (value, key_path) = describe(culprit, applicant);
        InexactAmount { value, key_path }
    }

    /// A help line for the user.
    pub fn help(&self) -> String {
        "the result would need a fraction too fine for an exact 64-bit ratio; check the value \
         (a typing slip?), or write it with a smaller denominator, e.g. a decimal with fewer \
         places"
            .to_owned()
    }
}

impl fmt::Display for InexactAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "amount cannot be computed exactly: {} (at `{}`)",
            self.value, self.key_path
        )
    }
}

impl std::error::Error for InexactAmount {}

fn describe(culprit: Culprit, applicant: &Applicant) -> (String, String) {
    match culprit {
        Culprit::Job { job, concurrent } => {
            let hours = applicant
                .experience
                .get(job as usize)
                .and_then(|j| j.hours_per_week)
                .map_or_else(|| "full time".to_owned(), |h| h.to_string());
            let others = match concurrent {
                0 => String::new(),
                1 => ", with 1 other job held at the same time".to_owned(),
                n => format!(", with {n} other jobs held at the same time"),
            };
            (
                format!(
                    "experience entry {}, hours_per_week = {hours}{others}",
                    job + 1
                ),
                format!("experience[{job}].hours_per_week"),
            )
        }
        Culprit::EducationSubject { entry, subject } => {
            let subjects = applicant
                .education
                .get(entry as usize)
                .map_or(&[][..], |e| &e.subjects);
            subject_text("education", entry, subjects, subject)
        }
        Culprit::Coursework { entry, subject } => {
            let course = applicant.coursework.get(entry as usize);
            match (course, subject) {
                (Some(c), Some(subject)) => subject_text("coursework", entry, &c.subjects, subject),
                (course, _) => (
                    format!(
                        "coursework entry {}, credits = {}, {}",
                        entry + 1,
                        course.map_or_else(String::new, |c| credits_text(c.credits)),
                        // The first entry's credits are only converted; each later one's
                        // are also added to those before it.
                        if entry == 0 {
                            "converted to semester credits"
                        } else {
                            "converted to semester credits and added to those before it"
                        }
                    ),
                    format!("coursework[{entry}].credits"),
                ),
            }
        }
        Culprit::EducationYears { entry } => {
            let name = applicant
                .education
                .get(entry as usize)
                .map_or("", |e| &e.credential);
            (
                format!(
                    "education entry {} (`{name}`), its years added to those before it",
                    entry + 1
                ),
                format!("education[{entry}]"),
            )
        }
        Culprit::Combination { years, months } => (
            format!(
                "education credited as {years} years with experience credited as {months} months"
            ),
            "education".to_owned(),
        ),
        Culprit::Shortfall { needed, have } => (
            format!("{have} credited toward a threshold of {needed}"),
            "experience".to_owned(),
        ),
    }
}

fn subject_text(
    list: &str,
    entry: u32,
    subjects: &[SubjectCredits],
    subject: u32,
) -> (String, String) {
    let (name, credits) = subjects
        .get(subject as usize)
        .map_or(("", String::new()), |s| {
            (&*s.subject, credits_text(s.credits))
        });
    (
        format!(
            "{list} entry {}, credits in `{name}` = {credits}, added to the credits before them",
            entry + 1
        ),
        format!("{list}[{entry}].subjects"),
    )
}

fn credits_text(credits: Credits) -> String {
    credits.amount.to_string()
}
