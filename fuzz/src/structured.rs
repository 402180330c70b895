//! An applicant drawn by `arbitrary` and written as TOML: names from the shipped rules (and
//! a few unknown ones), dates anywhere from year 1 to 9999, and amounts as integers,
//! decimals or fractions with denominators up to `u64::MAX`.

use std::fmt::Write;

use arbitrary::Arbitrary;
use jiff::civil::Date;

/// The most jobs, education entries and coursework entries written.
const MAX_ENTRIES: usize = 40;

const CREDENTIALS: [&str; 7] = [
    "high_school",
    "ged",
    "associate",
    "bachelor",
    "master",
    "doctorate",
    "apprenticeship",
];
const CATEGORIES: [&str; 6] = [
    "public_program_experience",
    "social_community_coordinator",
    "social_worker_assistant",
    "sud_mh_counseling",
    "sud_mh_case_management",
    "unknown_experience",
];
const FIELDS: [&str; 8] = [
    "Finance",
    "Business Administration",
    "Public Health",
    "Psychology",
    "Social Work",
    "Human Development",
    "Accounting",
    "Underwater Basket Weaving",
];

#[derive(Arbitrary, Debug)]
pub struct Input {
    as_of: Day,
    education: Vec<EducationEntry>,
    coursework: Vec<CourseworkEntry>,
    jobs: Vec<JobEntry>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Day {
    year: u16,
    month: u8,
    day: u8,
}

/// An exact amount in one of the forms a file may use.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Amount {
    Integer(i64),
    Decimal { whole: u64, fraction: u64 },
    Fraction { numerator: i64, denominator: u64 },
    Small { numerator: u8, denominator: u8 },
}

#[derive(Arbitrary, Debug)]
struct EducationEntry {
    credential: u8,
    field: Option<u8>,
    accredited: bool,
    completed: Option<Day>,
    credits: Option<Amount>,
    subjects: Vec<(u8, Amount)>,
}

#[derive(Arbitrary, Debug)]
struct CourseworkEntry {
    credits: Amount,
    quarter: bool,
    field: Option<u8>,
    accredited: bool,
    subjects: Vec<(u8, Amount)>,
}

#[derive(Arbitrary, Debug)]
struct JobEntry {
    categories: Vec<u8>,
    start: Day,
    end: Option<Day>,
    hours: Option<Amount>,
}

fn pick<'a>(names: &[&'a str], index: u8) -> &'a str {
    names
        .get(usize::from(index) % names.len().max(1))
        .copied()
        .unwrap_or_default()
}

impl Day {
    /// A date with the year in 1..=9999, month in 1..=12 and day in 1..=31 (so it may not
    /// exist, which the reader must refuse).
    fn text(self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            1 + self.year % 9999,
            1 + self.month % 12,
            1 + self.day % 31
        )
    }

    /// The evaluation date: the nearest existing one.
    fn date(self) -> Date {
        let year = i16::try_from(1 + self.year % 9999).unwrap_or(2024);
        let month = i8::try_from(1 + self.month % 12).unwrap_or(1);
        let day = i8::try_from(1 + self.day % 28).unwrap_or(1);
        Date::new(year, month, day).unwrap_or(crate::AS_OF)
    }
}

impl Amount {
    fn text(self) -> String {
        match self {
            Amount::Integer(n) => n.to_string(),
            Amount::Decimal { whole, fraction } => format!("{whole}.{fraction}"),
            Amount::Fraction {
                numerator,
                denominator,
            } => format!("\"{numerator}/{denominator}\""),
            Amount::Small {
                numerator,
                denominator,
            } => format!("\"{numerator}/{}\"", u16::from(denominator) + 1),
        }
    }
}

fn subjects(out: &mut String, subjects: &[(u8, Amount)]) {
    if subjects.is_empty() {
        return;
    }
    let entries: Vec<String> = subjects
        .iter()
        .take(MAX_ENTRIES)
        .map(|(field, amount)| format!("{:?} = {}", pick(&FIELDS, *field), amount.text()))
        .collect();
    let _ = writeln!(out, "subjects = {{ {} }}", entries.join(", "));
}

impl Input {
    /// The evaluation date.
    pub fn as_of(&self) -> Date {
        self.as_of.date()
    }

    /// The applicant as a TOML file.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("id = \"FUZZ\"\n");
        for entry in self.education.iter().take(MAX_ENTRIES) {
            out.push_str("\n[[education]]\n");
            let _ = writeln!(
                out,
                "credential = {:?}",
                pick(&CREDENTIALS, entry.credential)
            );
            if let Some(field) = entry.field {
                let _ = writeln!(out, "field = {:?}", pick(&FIELDS, field));
            }
            let _ = writeln!(out, "accredited = {}", entry.accredited);
            if let Some(day) = entry.completed {
                let _ = writeln!(out, "completed = {}", day.text());
            }
            if let Some(credits) = entry.credits {
                let _ = writeln!(out, "credits = {}", credits.text());
            }
            subjects(&mut out, &entry.subjects);
        }
        for entry in self.coursework.iter().take(MAX_ENTRIES) {
            out.push_str("\n[[coursework]]\n");
            let _ = writeln!(out, "credits = {}", entry.credits.text());
            if entry.quarter {
                out.push_str("credit_unit = \"quarter\"\n");
            }
            if let Some(field) = entry.field {
                let _ = writeln!(out, "field = {:?}", pick(&FIELDS, field));
            }
            let _ = writeln!(out, "accredited = {}", entry.accredited);
            subjects(&mut out, &entry.subjects);
        }
        for (number, job) in self.jobs.iter().take(MAX_ENTRIES).enumerate() {
            out.push_str("\n[[experience]]\n");
            let _ = writeln!(out, "title = \"Job {number}\"");
            let categories: Vec<String> = job
                .categories
                .iter()
                .take(3)
                .map(|c| format!("{:?}", pick(&CATEGORIES, *c)))
                .collect();
            let _ = writeln!(out, "categories = [{}]", categories.join(", "));
            let _ = writeln!(out, "start = {}", job.start.text());
            if let Some(day) = job.end {
                let _ = writeln!(out, "end = {}", day.text());
            }
            if let Some(hours) = job.hours {
                let _ = writeln!(out, "hours_per_week = {}", hours.text());
            }
        }
        out
    }
}
