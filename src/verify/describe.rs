//! Counterexample applicants in words: "a Master's degree in Public Health, accredited, and
//! no experience".

use crate::applicant::Applicant;
use crate::compile::Program;
use crate::eval::outcome::plural;

/// A short description of an applicant, naming credentials by their profile title.
pub fn applicant(
    program: &Program,
    profile: crate::check::model::ProfileId,
    a: &Applicant,
    accreditation_matters: bool,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    let title = |name: &str| {
        program
            .profile(profile)
            .and_then(|p| p.credential(name))
            .map_or_else(|| name.to_owned(), |c| c.title.to_string())
    };
    for degree in &a.education {
        let mut text = with_article(&title(&degree.credential));
        if let Some(field) = &degree.field {
            text.push_str(&format!(" in {field}"));
        }
        text.push_str(accreditation(degree.accredited, accreditation_matters));
        for subject in &degree.subjects {
            text.push_str(&format!(
                ", with {} in {}",
                plural(subject.credits.amount, "semester credit"),
                subject.subject
            ));
        }
        parts.push(text);
    }
    for course in &a.coursework {
        let mut text = format!(
            "{} of coursework without a degree",
            plural(course.credits.amount, "semester credit")
        );
        if let Some(field) = &course.field {
            text.push_str(&format!(" in {field}"));
        }
        text.push_str(accreditation(course.accredited, accreditation_matters));
        parts.push(text);
    }
    if a.education.is_empty() && a.coursework.is_empty() {
        parts.push("no education".to_owned());
    }
    for job in &a.experience {
        let months = job
            .end
            .and_then(|end| end.tomorrow().ok())
            .and_then(|next| job.start.until((jiff::Unit::Month, next)).ok())
            .filter(|span| span.get_days() == 0)
            .map(|span| i64::from(span.get_months()));
        let amount = months.map_or_else(|| "some time".to_owned(), month_phrase);
        let hours = job
            .hours_per_week
            .map(|h| format!(" at {} a week", plural(h, "hour")))
            .unwrap_or_default();
        parts.push(format!(
            "{amount} of {}{hours}",
            job.categories.join(" and ")
        ));
    }
    if a.experience.is_empty() {
        parts.push("no experience".to_owned());
    }
    join(&parts)
}

fn accreditation(accredited: bool, matters: bool) -> &'static str {
    match (matters, accredited) {
        (false, _) => "",
        (true, true) => ", accredited",
        (true, false) => ", not accredited",
    }
}

fn month_phrase(months: i64) -> String {
    if months == 1 {
        "1 month".to_owned()
    } else {
        format!("{months} months")
    }
}

fn with_article(title: &str) -> String {
    format!("{} {title}", crate::eval::article(title))
}

/// "a, b and c".
fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if parts.iter().any(|p| p.contains(',')) => {
            format!("{}, and {last}", init.join(", "))
        }
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
