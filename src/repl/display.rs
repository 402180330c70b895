//! How the applicant is shown: each entry as the command that would add it, and `:show`.

use jiff::civil::Date;

use super::words::quote;
use crate::applicant::{Applicant, Coursework, CreditUnit, Education, Job, SubjectCredits};
use crate::check::model::Exact;
use crate::source::one_line;

/// An exact amount as a decimal when it is one, else as a fraction.
pub fn amount_text(value: Exact) -> String {
    if value.is_integer() {
        return value.to_integer().to_string();
    }
    for places in 1..=4u32 {
        let scale = 10i64.pow(places);
        let scaled = value * Exact::from_integer(scale);
        if scaled.is_integer() {
            let n = scaled.to_integer();
            return format!(
                "{}.{:0width$}",
                n / scale,
                (n % scale).abs(),
                width = places as usize
            );
        }
    }
    format!("{}/{}", value.numer(), value.denom())
}

/// One job as the `add job` command would write it.
pub fn job_line(job: &Job) -> String {
    let end = job.end.map(|d| d.to_string()).unwrap_or_default();
    let hours = job
        .hours_per_week
        .map(|h| format!(" {}h", amount_text(h)))
        .unwrap_or_default();
    format!(
        "{} {} {}..{end}{hours}",
        quote(&job.title),
        job.categories.join(","),
        job.start
    )
}

fn subjects_text(subjects: &[SubjectCredits]) -> String {
    subjects
        .iter()
        .map(|s| {
            let unit = match s.credits.unit {
                CreditUnit::Semester => "",
                CreditUnit::Quarter => " (quarter)",
            };
            format!(
                " subject {} {}{unit}",
                quote(&s.subject),
                amount_text(s.credits.amount)
            )
        })
        .collect()
}

/// One credential as the `add edu` command would write it.
pub fn education_line(education: &Education) -> String {
    let mut text = education.credential.clone();
    if let Some(field) = &education.field {
        text.push_str(&format!(" {}", quote(field)));
    }
    if education.accredited {
        text.push_str(" accredited");
    }
    if let Some(date) = education.completed {
        text.push_str(&format!(" completed {date}"));
    }
    text.push_str(&subjects_text(&education.subjects));
    text
}

/// One coursework entry as the `add course` command would write it.
pub fn coursework_line(course: &Coursework) -> String {
    let unit = match course.credits.unit {
        CreditUnit::Semester => "semester",
        CreditUnit::Quarter => "quarter",
    };
    let mut text = format!("{} {unit}", amount_text(course.credits.amount));
    if let Some(field) = &course.field {
        text.push_str(&format!(" {}", quote(field)));
    }
    if course.accredited {
        text.push_str(" accredited");
    }
    text.push_str(&subjects_text(&course.subjects));
    text
}

/// The applicant as numbered lines, the numbers `set` and `remove` take; a field of study
/// for which `listed` is false is flagged as in no field set.
pub fn show(applicant: &Applicant, as_of: Date, listed: &dyn Fn(&str) -> bool) -> String {
    let mut text = String::new();
    let who = applicant
        .name
        .as_deref()
        .or(applicant.id.as_deref())
        .unwrap_or("(no name)");
    // The applicant's words (name, id, titles, fields) stay on their line.
    text.push_str(&format!("applicant {}", one_line(who)));
    if let (Some(id), Some(_)) = (&applicant.id, &applicant.name) {
        text.push_str(&format!(" (id {})", one_line(id)));
    }
    text.push_str(&format!(", evaluated as of {as_of}\n"));
    let unlisted = |field: &Option<String>| match field {
        Some(f) if !listed(f) => "   (field not in any field set)",
        _ => "",
    };
    section(&mut text, "edu", &applicant.education, |e| {
        format!("{}{}", education_line(e), unlisted(&e.field))
    });
    section(&mut text, "course", &applicant.coursework, |c| {
        format!("{}{}", coursework_line(c), unlisted(&c.field))
    });
    section(&mut text, "job", &applicant.experience, job_line);
    text
}

fn section<T>(text: &mut String, kind: &str, entries: &[T], line: impl Fn(&T) -> String) {
    if entries.is_empty() {
        text.push_str(&format!("  {kind}: none\n"));
        return;
    }
    for (number, entry) in entries.iter().enumerate() {
        text.push_str(&format!(
            "  {kind} {}: {}\n",
            number + 1,
            one_line(&line(entry))
        ));
    }
}
