//! Writing an applicant back as TOML that [`super::read()`] turns into an equal applicant.
//!
//! The output is deterministic and meant for people: dates as TOML dates, amounts as
//! decimals, and a fraction string (`"1/3"`) only for amounts with no finite decimal.

use std::fmt::Write as _;

use jiff::civil::Date;

use super::model::{Applicant, CreditUnit, Credits, SubjectCredits};
use super::numbers::{Written, write_exact};
use crate::check::model::Exact;

/// The applicant as a TOML document, in the schema of `docs/applicant.md`.
pub fn to_toml(applicant: &Applicant) -> String {
    let mut out = String::new();
    if let Some(id) = &applicant.id {
        line(&mut out, "id", &quote(id));
    }
    if let Some(name) = &applicant.name {
        line(&mut out, "name", &quote(name));
    }
    for education in &applicant.education {
        header(&mut out, "education");
        line(&mut out, "credential", &quote(&education.credential));
        if let Some(field) = &education.field {
            line(&mut out, "field", &quote(field));
        }
        line(&mut out, "accredited", &education.accredited.to_string());
        if let Some(completed) = education.completed {
            line(&mut out, "completed", &date(completed));
        }
        let unit = education
            .credits
            .map(|c| c.unit)
            .or_else(|| education.subjects.first().map(|s| s.credits.unit))
            .unwrap_or(CreditUnit::Semester);
        if let Some(credits) = education.credits {
            line(&mut out, "credits", &amount(credits.amount));
        }
        unit_line(&mut out, unit);
        subjects(&mut out, &education.subjects, unit);
    }
    for coursework in &applicant.coursework {
        header(&mut out, "coursework");
        if let Some(field) = &coursework.field {
            line(&mut out, "field", &quote(field));
        }
        line(&mut out, "accredited", &coursework.accredited.to_string());
        line(&mut out, "credits", &amount(coursework.credits.amount));
        unit_line(&mut out, coursework.credits.unit);
        subjects(&mut out, &coursework.subjects, coursework.credits.unit);
    }
    for job in &applicant.experience {
        header(&mut out, "experience");
        line(&mut out, "title", &quote(&job.title));
        let categories: Vec<String> = job.categories.iter().map(|c| quote(c)).collect();
        line(
            &mut out,
            "categories",
            &format!("[{}]", categories.join(", ")),
        );
        line(&mut out, "start", &date(job.start));
        if let Some(end) = job.end {
            line(&mut out, "end", &date(end));
        }
        if let Some(hours) = job.hours_per_week {
            line(&mut out, "hours_per_week", &amount(hours));
        }
    }
    out
}

fn header(out: &mut String, table: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "[[{table}]]");
}

fn line(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {value}");
}

/// Semester is the default and is left out.
fn unit_line(out: &mut String, unit: CreditUnit) {
    if unit == CreditUnit::Quarter {
        line(out, "credit_unit", &quote("quarter"));
    }
}

fn subjects(out: &mut String, subjects: &[SubjectCredits], unit: CreditUnit) {
    if subjects.is_empty() {
        return;
    }
    let written: Vec<String> = subjects
        .iter()
        .map(|s| format!("{} = {}", key(&s.subject), subject_credits(s.credits, unit)))
        .collect();
    line(out, "subjects", &format!("{{ {} }}", written.join(", ")));
}

fn subject_credits(credits: Credits, unit: CreditUnit) -> String {
    if credits.unit == unit {
        amount(credits.amount)
    } else {
        let unit = match credits.unit {
            CreditUnit::Semester => "semester",
            CreditUnit::Quarter => "quarter",
        };
        format!(
            "{{ credits = {}, credit_unit = {} }}",
            amount(credits.amount),
            quote(unit)
        )
    }
}

fn amount(value: Exact) -> String {
    match write_exact(value) {
        Written::Decimal(text) => text,
        Written::Fraction(text) => quote(&text),
    }
}

/// Dates in years 0 to 9999 are TOML dates; others cannot be read back and are quoted.
fn date(value: Date) -> String {
    if (0..=9999).contains(&value.year()) {
        value.strftime("%Y-%m-%d").to_string()
    } else {
        quote(&value.to_string())
    }
}

/// A TOML basic string (also valid as a key) with every needed escape.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() && (c < ' ' || c == '\u{7f}') => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A bare key when it is one, else a quoted key.
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { text.to_owned() } else { quote(text) }
}
