//! The applicant as the reference evaluator reads it: exact amounts as big rationals, and
//! the same applicant written as a TOML file for the real reader.

use std::fmt::Write as _;

use num_bigint::BigInt;

use super::BigRational;
use super::calendar::Day;

/// A non-negative amount written as a fraction `numer/denom` (or a whole number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub numer: u64,
    pub denom: u64,
}

impl Amount {
    pub fn whole(n: u64) -> Amount {
        Amount { numer: n, denom: 1 }
    }

    pub fn value(&self) -> BigRational {
        BigRational::new(BigInt::from(self.numer), BigInt::from(self.denom.max(1)))
    }

    /// As an applicant file writes it: a bare integer, or a fraction in a string.
    pub fn toml(&self) -> String {
        if self.denom == 1 {
            self.numer.to_string()
        } else {
            format!("\"{}/{}\"", self.numer, self.denom)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Semester,
    Quarter,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Semester => "semester",
            Unit::Quarter => "quarter",
        }
    }
}

/// Credits in one subject, in their own unit.
#[derive(Clone, Debug)]
pub struct Subject {
    pub name: String,
    pub credits: Amount,
    pub unit: Unit,
}

#[derive(Clone, Debug)]
pub struct Degree {
    pub credential: String,
    pub field: Option<String>,
    pub accredited: bool,
    pub completed: Option<Day>,
    pub unit: Unit,
    pub subjects: Vec<Subject>,
}

#[derive(Clone, Debug)]
pub struct Course {
    pub field: Option<String>,
    pub accredited: bool,
    pub credits: Amount,
    pub unit: Unit,
    pub subjects: Vec<Subject>,
}

#[derive(Clone, Debug)]
pub struct Job {
    pub categories: Vec<String>,
    pub start: Day,
    /// Inclusive; `None` runs to the evaluation date.
    pub end: Option<Day>,
    /// `None` is full time.
    pub hours: Option<Amount>,
}

#[derive(Clone, Debug, Default)]
pub struct RefApplicant {
    pub degrees: Vec<Degree>,
    pub courses: Vec<Course>,
    pub jobs: Vec<Job>,
}

/// An amount in semester credits, whatever unit it was written in.
#[derive(Clone, Debug)]
pub struct Credit {
    pub amount: BigRational,
    pub unit: Unit,
}

impl Subject {
    pub fn credit(&self) -> Credit {
        Credit {
            amount: self.credits.value(),
            unit: self.unit,
        }
    }
}

impl Course {
    pub fn credit(&self) -> Credit {
        Credit {
            amount: self.credits.value(),
            unit: self.unit,
        }
    }
}

impl RefApplicant {
    /// The applicant as a TOML applicant file (docs/applicant.md).
    pub fn to_toml(&self) -> String {
        let mut out = String::from("id = \"differential\"\n");
        for degree in &self.degrees {
            out.push_str("\n[[education]]\n");
            let _ = writeln!(out, "credential = {}", quoted(&degree.credential));
            if let Some(field) = &degree.field {
                let _ = writeln!(out, "field = {}", quoted(field));
            }
            let _ = writeln!(out, "accredited = {}", degree.accredited);
            if let Some(day) = degree.completed {
                let _ = writeln!(out, "completed = {day}");
            }
            let _ = writeln!(out, "credit_unit = \"{}\"", degree.unit.name());
            write_subjects(&mut out, &degree.subjects, degree.unit);
        }
        for course in &self.courses {
            out.push_str("\n[[coursework]]\n");
            if let Some(field) = &course.field {
                let _ = writeln!(out, "field = {}", quoted(field));
            }
            let _ = writeln!(out, "accredited = {}", course.accredited);
            let _ = writeln!(out, "credits = {}", course.credits.toml());
            let _ = writeln!(out, "credit_unit = \"{}\"", course.unit.name());
            write_subjects(&mut out, &course.subjects, course.unit);
        }
        for (index, job) in self.jobs.iter().enumerate() {
            out.push_str("\n[[experience]]\n");
            let _ = writeln!(out, "title = \"Job {index}\"");
            let categories: Vec<String> = job.categories.iter().map(|c| quoted(c)).collect();
            let _ = writeln!(out, "categories = [{}]", categories.join(", "));
            let _ = writeln!(out, "start = {}", job.start);
            if let Some(end) = job.end {
                let _ = writeln!(out, "end = {end}");
            }
            if let Some(hours) = &job.hours {
                let _ = writeln!(out, "hours_per_week = {}", hours.toml());
            }
        }
        out
    }
}

fn write_subjects(out: &mut String, subjects: &[Subject], entry_unit: Unit) {
    if subjects.is_empty() {
        return;
    }
    let items: Vec<String> = subjects
        .iter()
        .map(|s| {
            let value = if s.unit == entry_unit {
                s.credits.toml()
            } else {
                format!(
                    "{{ credits = {}, credit_unit = \"{}\" }}",
                    s.credits.toml(),
                    s.unit.name()
                )
            };
            format!("{} = {value}", quoted(&s.name))
        })
        .collect();
    let _ = writeln!(out, "subjects = {{ {} }}", items.join(", "));
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
