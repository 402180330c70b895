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
    to_toml_with_group(applicant, None)
}

/// [`to_toml`] with the applicant's self-identified `group`, which the [`Applicant`] does
/// not hold (evaluation never sees it), after its `id` and `name`.
pub fn to_toml_with_group(applicant: &Applicant, group: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(id) = &applicant.id {
        line(&mut out, "id", &quote(id));
    }
    if let Some(name) = &applicant.name {
        line(&mut out, "name", &quote(name));
    }
    if let Some(group) = group {
        line(&mut out, "group", &quote(group));
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

/// The block of `#` comment lines that opens a TOML text, blank lines among them kept, each
/// with its line end; empty when the text does not open with a comment. Writing it before
/// [`to_toml`]'s text keeps a file's opening comments when the file is written again.
pub fn leading_comments(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut block = String::new();
    let mut blank = String::new();
    for line in lines_with_endings(text) {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            block.push_str(&blank);
            blank.clear();
            // A line ended by a lone `\r` is a line too; it is kept ended by `\n`, as the
            // rest of the file is written.
            block.push_str(line.strip_suffix('\r').unwrap_or(line));
            if !line.ends_with('\n') {
                block.push('\n');
            }
        } else if trimmed.is_empty() {
            match line.strip_suffix('\r') {
                Some(bare) => {
                    blank.push_str(bare);
                    blank.push('\n');
                }
                None => blank.push_str(line),
            }
        } else {
            break;
        }
    }
    block
}

/// The lines of `text`, each with its ending: `\n`, `\r\n` or a lone `\r`.
fn lines_with_endings(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.find(['\n', '\r']) {
            Some(at) if rest.get(at..at + 2) == Some("\r\n") => at + 2,
            Some(at) => at + 1,
            None => rest.len(),
        };
        let (line, after) = rest.split_at(end);
        rest = after;
        Some(line)
    })
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

#[cfg(test)]
mod tests {
    use super::leading_comments;

    #[test]
    fn the_opening_comment_block_is_kept_with_blank_lines_inside_it() {
        let text = "\u{feff}# One\n#\n\n# Two\n\nid = \"x\" # not this\n# nor this\n";
        assert_eq!(leading_comments(text), "# One\n#\n\n# Two\n");
    }

    #[test]
    fn a_text_not_opening_with_a_comment_has_none() {
        assert_eq!(leading_comments("id = \"x\"\n# late\n"), "");
        assert_eq!(leading_comments(""), "");
    }

    #[test]
    fn a_last_comment_line_without_a_line_end_gets_one() {
        assert_eq!(leading_comments("# only\r\n# end"), "# only\r\n# end\n");
        // Lines ended by a lone `\r` are lines: the comments are kept, the data is not.
        assert_eq!(
            leading_comments("# a\r\r# b\rname = \"x\"\r"),
            "# a\n\n# b\n"
        );
    }
}
