//! Changes to the applicant typed at the prompt: `add`, `set`, `remove` and `date`, parsed
//! into an [`Edit`], validated against the rules' vocabulary, and applied to a [`State`].

use jiff::civil::Date;

use super::display::{amount_text, coursework_line, education_line, job_line};
use super::vocabulary::Vocabulary;
use super::words::Word;
use super::{ReplError, State};
use crate::applicant::{Coursework, CreditUnit, Credits, Education, Job, SubjectCredits};
use crate::check::model::Exact;
use crate::diagnostics::Code;
use crate::diagnostics::suggest::did_you_mean;

/// A change to the applicant or the evaluation date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    AddJob(Job),
    AddEducation(Education),
    AddCoursework(Coursework),
    SetJob(usize, JobChange),
    SetEducation(usize, EducationChange),
    SetCoursework(usize, CourseworkChange),
    Remove(EntryKind, usize),
    Date(Date),
}

impl Edit {
    /// Whether the edit adds an entry.
    pub fn adds(&self) -> bool {
        matches!(
            self,
            Edit::AddJob(_) | Edit::AddEducation(_) | Edit::AddCoursework(_)
        )
    }
}

/// The three kinds of numbered entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Job,
    Education,
    Coursework,
}

impl EntryKind {
    pub fn word(self) -> &'static str {
        match self {
            EntryKind::Job => "job",
            EntryKind::Education => "edu",
            EntryKind::Coursework => "course",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobChange {
    Title(String),
    Categories(Vec<String>),
    Start(Date),
    End(Option<Date>),
    Hours(Option<Exact>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EducationChange {
    Credential(String),
    Field(Option<String>),
    Accredited(bool),
    Completed(Option<Date>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CourseworkChange {
    /// The amount, and the unit when one is given (else the entry's own is kept).
    Credits(Exact, Option<CreditUnit>),
    Field(Option<String>),
    Accredited(bool),
}

/// The words an edit starts with.
pub const EDIT_WORDS: [&str; 4] = ["add", "set", "remove", "date"];
const KINDS: [&str; 3] = ["job", "edu", "course"];
const JOB_PROPERTIES: [&str; 5] = ["title", "categories", "start", "end", "hours"];
const EDU_PROPERTIES: [&str; 4] = ["credential", "field", "accredited", "completed"];
const COURSE_PROPERTIES: [&str; 3] = ["credits", "field", "accredited"];
/// Weekly hours above this cannot be real.
const MAX_WEEKLY_HOURS: i64 = 168;

/// Parses `add …`, `set …`, `remove …` or `date DATE` (without the `:`).
pub fn parse(words: &[Word], vocabulary: &Vocabulary) -> Result<Edit, ReplError> {
    let Some((verb, rest)) = words.split_first() else {
        return Err(ReplError::new("a change is missing").with_help(
            "write `add …`, `set …`, `remove …` or `date …`, e.g. `add edu associate \"Finance\"`",
        ));
    };
    match verb.text.to_ascii_lowercase().as_str() {
        "add" => parse_add(rest, vocabulary),
        "set" => parse_set(rest, vocabulary),
        "remove" => {
            let (kind, index, extra) = kind_and_index(rest)?;
            no_more(extra)?;
            Ok(Edit::Remove(kind, index))
        }
        "date" => {
            let [date] = rest else {
                return Err(ReplError::new("`date` takes one date")
                    .with_help("write `:date 2024-06-30` (after `:whatif`, `date 2024-06-30`)"));
            };
            Ok(Edit::Date(parse_date(&date.text)?))
        }
        other => Err(ReplError::new(format!("unknown change `{other}`"))
            .with_help(did_you_mean(other, "change", EDIT_WORDS))),
    }
}

fn parse_kind(word: Option<&Word>) -> Result<EntryKind, ReplError> {
    let help = "the kinds of entry are `job`, `edu` and `course`";
    let Some(word) = word else {
        return Err(ReplError::new("say which kind of entry").with_help(help));
    };
    match word.text.to_ascii_lowercase().as_str() {
        "job" | "jobs" | "experience" => Ok(EntryKind::Job),
        "edu" | "education" | "degree" => Ok(EntryKind::Education),
        "course" | "coursework" => Ok(EntryKind::Coursework),
        other => Err(ReplError::new(format!("unknown kind of entry `{other}`"))
            .with_help(did_you_mean(other, "kind", KINDS))),
    }
}

fn kind_and_index(words: &[Word]) -> Result<(EntryKind, usize, &[Word]), ReplError> {
    let kind = parse_kind(words.first())?;
    let Some(number) = words.get(1) else {
        return Err(
            ReplError::new(format!("say which {} (its number in `:show`)", kind.word()))
                .with_help(format!("e.g. `{} 1`", kind.word())),
        );
    };
    let index = number
        .text
        .parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            ReplError::new(format!("`{}` is not an entry number", number.text))
                .with_help("entries are numbered from 1, as `:show` lists them")
        })?;
    Ok((kind, index, words.get(2..).unwrap_or(&[])))
}

fn no_more(words: &[Word]) -> Result<(), ReplError> {
    match words.first() {
        None => Ok(()),
        Some(word) => Err(ReplError::new(format!("unexpected `{}`", word.text))
            .with_help("see `:help add`, `:help set` and `:help remove` for the syntax")),
    }
}

fn parse_add(words: &[Word], vocabulary: &Vocabulary) -> Result<Edit, ReplError> {
    let kind = parse_kind(words.first())?;
    let rest = words.get(1..).unwrap_or(&[]);
    match kind {
        EntryKind::Job => parse_job(rest, vocabulary).map(Edit::AddJob),
        EntryKind::Education => parse_education(rest, vocabulary).map(Edit::AddEducation),
        EntryKind::Coursework => parse_coursework(rest).map(Edit::AddCoursework),
    }
}

fn parse_job(words: &[Word], vocabulary: &Vocabulary) -> Result<Job, ReplError> {
    let usage = "write `add job \"TITLE\" CATEGORY START..[END] [HOURSh]`, e.g. `add job \"Eligibility clerk\" public_program_experience 2019-01-01..2021-06-30 20h`";
    let [title, categories, dates, rest @ ..] = words else {
        return Err(ReplError::new("a job needs a title, categories and dates").with_help(usage));
    };
    let (start, end) = parse_dates(&dates.text)?;
    let hours = match rest {
        [] => None,
        [hours] => parse_hours(&hours.text)?,
        [_, extra, ..] => {
            return Err(ReplError::new(format!("unexpected `{}`", extra.text)).with_help(usage));
        }
    };
    check_job_dates(start, end)?;
    Ok(Job {
        title: said(title.clone(), "a job title")?,
        categories: parse_categories(&categories.text, vocabulary)?,
        start,
        end,
        hours_per_week: hours,
    })
}

fn parse_categories(text: &str, vocabulary: &Vocabulary) -> Result<Vec<String>, ReplError> {
    let mut categories = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let name = vocabulary.category(name)?;
        if !categories.contains(&name) {
            categories.push(name);
        }
    }
    if categories.is_empty() {
        return Err(
            ReplError::new("a job needs at least one experience category")
                .with_help("separate several categories with commas: `a,b`"),
        );
    }
    Ok(categories)
}

fn parse_dates(text: &str) -> Result<(Date, Option<Date>), ReplError> {
    let Some((start, end)) = text.split_once("..") else {
        return Err(ReplError::new(format!("`{text}` is not a date range"))
            .with_help("write `START..END`, e.g. `2019-01-01..2021-06-30`, or `2019-01-01..` for a current job"));
    };
    let start = parse_date(start)?;
    let end = if end.is_empty() {
        None
    } else {
        Some(parse_date(end)?)
    };
    Ok((start, end))
}

fn check_job_dates(start: Date, end: Option<Date>) -> Result<(), ReplError> {
    match end {
        Some(end) if end < start => Err(ReplError::coded(
            Code::EndBeforeStart,
            format!("the job ends ({end}) before it starts ({start})"),
        )
        .with_help("the end date is the last day worked, on or after the start date")),
        _ => Ok(()),
    }
}

/// A subject's credits are part of the coursework's total, as the applicant file reader
/// requires (Q315): an entry that breaks this could be saved but not loaded again.
fn check_subjects_within(course: &Coursework) -> Result<(), ReplError> {
    let total = course.credits;
    match course
        .subjects
        .iter()
        .find(|s| s.credits.exceed_total(total))
    {
        Some(s) => Err(ReplError::coded(
            Code::SubjectExceedsTotal,
            format!(
                "{} {}credits in `{}` are more than the entry's {} {}credits in all",
                amount_text(s.credits.amount),
                s.credits.unit_beside(total),
                s.subject,
                amount_text(total.amount),
                total.unit_beside(s.credits),
            ),
        )
        .with_help("a subject's credits are part of the entry's total")),
        None => Ok(()),
    }
}

/// Parses a `YYYY-MM-DD` date, as an applicant file writes it: nothing before or after it
/// (a time of day is refused, never dropped).
pub fn parse_date(text: &str) -> Result<Date, ReplError> {
    crate::applicant::parse_date(text).ok_or_else(|| {
        ReplError::coded(
            Code::InvalidApplicantDate,
            format!("`{text}` is not a valid date"),
        )
        .with_help("write dates as `YYYY-MM-DD`, e.g. `2021-06-30`")
    })
}

fn parse_hours(text: &str) -> Result<Option<Exact>, ReplError> {
    if text.eq_ignore_ascii_case("full") {
        return Ok(None);
    }
    let number = text
        .strip_suffix('h')
        .or_else(|| text.strip_suffix('H'))
        .unwrap_or(text);
    // A negative number of hours is out of range, as an applicant file's is (Q310).
    if let Some(magnitude) = number.strip_prefix('-').and_then(parse_amount) {
        return Err(hours_out_of_range(&format!("-{}", amount_text(magnitude))));
    }
    let hours = parse_amount(number).ok_or_else(|| {
        not_an_amount(text, number, "a number of weekly hours")
            .with_help("write weekly hours as `20h`, or `full` for full time")
    })?;
    if hours <= Exact::from_integer(0) || hours > Exact::from_integer(MAX_WEEKLY_HOURS) {
        return Err(hours_out_of_range(&amount_text(hours)));
    }
    Ok(Some(hours))
}

/// Weekly hours written as `shown` that no job can have (Q310).
fn hours_out_of_range(shown: &str) -> ReplError {
    ReplError::coded(
        Code::HoursOutOfRange,
        format!("{shown} hours a week is not possible"),
    )
    .with_help(format!(
        "weekly hours are above 0 and at most {MAX_WEEKLY_HOURS}"
    ))
}

/// Parses a non-negative amount exactly, in the forms an applicant file accepts: a decimal
/// (`20`, `37.5`, `1.5e1`) or a fraction (`100/3`). `None` for anything else, a negative
/// amount, or one that cannot be held exactly.
/// Why `number` (as `text` was written) is not `what`: a number that cannot be held exactly
/// (too large, too precise, or divided by zero) is Q312, as in an applicant file; anything
/// else is not a number at all.
fn not_an_amount(text: &str, number: &str, what: &str) -> ReplError {
    use crate::applicant::numbers::{NumberError, parse_text};
    match parse_text(number) {
        Err(NumberError::OutOfRange) => ReplError::coded(
            Code::InexactNumber,
            format!("`{text}` is too large or too precise to hold exactly"),
        ),
        Err(NumberError::ZeroDenominator) => {
            ReplError::coded(Code::InexactNumber, format!("`{text}` divides by zero"))
        }
        _ => ReplError::new(format!("`{text}` is not {what}")),
    }
}

/// Why `text` is not a number of credits: a negative amount is Q311, as in an applicant
/// file; see [`not_an_amount`] for the rest.
fn not_credits(text: &str) -> ReplError {
    let negative = crate::applicant::numbers::parse_text(text)
        .is_ok_and(|amount| amount < Exact::from_integer(0));
    if negative {
        return ReplError::coded(
            Code::NegativeCredits,
            format!("credits cannot be negative (`{text}`)"),
        );
    }
    not_an_amount(text, text, "a number of credits")
}

pub fn parse_amount(text: &str) -> Option<Exact> {
    crate::applicant::numbers::parse_text(text)
        .ok()
        .filter(|amount| *amount >= Exact::from_integer(0))
}

fn parse_education(words: &[Word], vocabulary: &Vocabulary) -> Result<Education, ReplError> {
    let Some((credential, rest)) = words.split_first() else {
        return Err(ReplError::new("say which credential").with_help(format!(
            "write `add edu CREDENTIAL [\"FIELD\"] [accredited]`; credentials: {}",
            list(&vocabulary.credentials)
        )));
    };
    let mut education = Education {
        credential: vocabulary.credential(&credential.text)?,
        field: None,
        accredited: false,
        completed: None,
        credits: None,
        subjects: Vec::new(),
    };
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        if word.is("accredited") {
            education.accredited = true;
        } else if word.is("completed") {
            let date = words
                .next()
                .ok_or_else(|| ReplError::new("`completed` needs a date"))?;
            education.completed = Some(parse_date(&date.text)?);
        } else if word.is("subject") {
            let subject = parse_subject(&mut words)?;
            once_each(&education.subjects, &subject)?;
            education.subjects.push(subject);
        } else if education.field.is_none() && word.quoted {
            education.field = Some(said(word.clone(), "a field of study")?);
        } else if !word.quoted {
            return Err(unquoted(
                word,
                "write `add edu CREDENTIAL [\"FIELD\"] [accredited] [completed DATE] [subject \"NAME\" CREDITS]`",
            ));
        } else {
            return Err(ReplError::new(format!("unexpected `{}`", word.text)).with_help(
                "write `add edu CREDENTIAL [\"FIELD\"] [accredited] [completed DATE] [subject \"NAME\" CREDITS]`",
            ));
        }
    }
    Ok(education)
}

fn parse_subject<'w>(
    words: &mut impl Iterator<Item = &'w Word>,
) -> Result<SubjectCredits, ReplError> {
    let usage = "write `subject \"Psychology\" 12` (semester credits)";
    let name = words
        .next()
        .ok_or_else(|| ReplError::new("`subject` needs a name and credits").with_help(usage))?;
    let amount = words
        .next()
        .and_then(|w| parse_amount(&w.text))
        .ok_or_else(|| ReplError::new("`subject` needs a number of credits").with_help(usage))?;
    Ok(SubjectCredits {
        subject: name.text.clone(),
        credits: Credits {
            amount,
            unit: CreditUnit::Semester,
        },
    })
}

/// A subject named once per entry, as a file can hold it: a file naming one subject twice,
/// in any case, punctuation or spacing (`Psychology`, `psychology.`), is refused (Q305), so
/// such an entry could be evaluated, its credits counted twice, but never saved.
fn once_each(subjects: &[SubjectCredits], subject: &SubjectCredits) -> Result<(), ReplError> {
    let key = crate::check::spellings::field_key(&subject.subject);
    let same = |s: &&SubjectCredits| {
        s.subject == subject.subject
            || (!key.is_empty() && crate::check::spellings::field_key(&s.subject) == key)
    };
    let Some(first) = subjects.iter().find(same) else {
        return Ok(());
    };
    let message = if first.subject == subject.subject {
        format!("subject `{}` is given twice", subject.subject)
    } else {
        crate::applicant::subject_again(&subject.subject, &first.subject)
    };
    Err(ReplError::coded(Code::DuplicateKey, message)
        .with_help("give each subject once, with all its credits"))
}

/// A word that is neither a keyword of the statement nor in quotes: a field of study is
/// written in quotes, so a misspelt keyword (`trimester`) is never taken for one.
fn unquoted(word: &Word, usage: &str) -> ReplError {
    ReplError::new(format!("unexpected `{}`", word.text)).with_help(format!(
        "a field of study is written in quotes (`\"{}\"`); {usage}",
        word.text
    ))
}

fn parse_coursework(words: &[Word]) -> Result<Coursework, ReplError> {
    let usage = "write `add course CREDITS [semester|quarter] [\"FIELD\"] [accredited]`, e.g. `add course 30 \"Finance\" accredited`";
    let Some((amount, rest)) = words.split_first() else {
        return Err(ReplError::new("coursework needs a number of credits").with_help(usage));
    };
    let amount =
        parse_amount(&amount.text).ok_or_else(|| not_credits(&amount.text).with_help(usage))?;
    let mut course = Coursework {
        field: None,
        accredited: false,
        credits: Credits {
            amount,
            unit: CreditUnit::Semester,
        },
        subjects: Vec::new(),
    };
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        if word.is("semester") {
            course.credits.unit = CreditUnit::Semester;
        } else if word.is("quarter") {
            course.credits.unit = CreditUnit::Quarter;
        } else if word.is("accredited") {
            course.accredited = true;
        } else if word.is("subject") {
            let subject = parse_subject(&mut words)?;
            once_each(&course.subjects, &subject)?;
            course.subjects.push(subject);
        } else if course.field.is_none() && word.quoted {
            course.field = Some(said(word.clone(), "a field of study")?);
        } else if !word.quoted {
            return Err(unquoted(word, usage));
        } else {
            return Err(ReplError::new(format!("unexpected `{}`", word.text)).with_help(usage));
        }
    }
    Ok(course)
}

fn parse_set(words: &[Word], vocabulary: &Vocabulary) -> Result<Edit, ReplError> {
    let (kind, index, rest) = kind_and_index(words)?;
    let properties: &[&str] = match kind {
        EntryKind::Job => &JOB_PROPERTIES,
        EntryKind::Education => &EDU_PROPERTIES,
        EntryKind::Coursework => &COURSE_PROPERTIES,
    };
    let Some((property, values)) = rest.split_first() else {
        return Err(
            ReplError::new("say which property to change").with_help(format!(
                "properties of a {}: {}",
                kind.word(),
                list(properties)
            )),
        );
    };
    let name = property.text.to_ascii_lowercase();
    if !properties.contains(&name.as_str()) {
        return Err(ReplError::new(format!(
            "a {} has no property `{}`",
            kind.word(),
            property.text
        ))
        .with_help(did_you_mean(&name, "property", properties.iter().copied())));
    }
    let value = |values: &[Word]| -> Result<Word, ReplError> {
        match values {
            [one] => Ok(one.clone()),
            [] => {
                Err(ReplError::new(format!("`{name}` needs a value")).with_help("see `:help set`"))
            }
            [_, extra, ..] => Err(ReplError::new(format!("unexpected `{}`", extra.text))
                .with_help("quote a value with spaces: `\"Case worker\"`")),
        }
    };
    Ok(match kind {
        EntryKind::Job => Edit::SetJob(index, job_change(&name, values, vocabulary, value)?),
        EntryKind::Education => {
            Edit::SetEducation(index, education_change(&name, &value(values)?, vocabulary)?)
        }
        EntryKind::Coursework => {
            Edit::SetCoursework(index, coursework_change(&name, values, value)?)
        }
    })
}

fn job_change(
    name: &str,
    values: &[Word],
    vocabulary: &Vocabulary,
    value: impl Fn(&[Word]) -> Result<Word, ReplError>,
) -> Result<JobChange, ReplError> {
    if name == "categories" {
        let joined: Vec<&str> = values.iter().map(|w| w.text.as_str()).collect();
        return Ok(JobChange::Categories(parse_categories(
            &joined.join(","),
            vocabulary,
        )?));
    }
    let word = value(values)?;
    Ok(match name {
        "title" => JobChange::Title(said(word, "a job title")?),
        "start" => JobChange::Start(parse_date(&word.text)?),
        "end" if is_none(&word, "current") => JobChange::End(None),
        "end" => JobChange::End(Some(parse_date(&word.text)?)),
        _ => JobChange::Hours(parse_hours(&word.text)?),
    })
}

fn education_change(
    name: &str,
    word: &Word,
    vocabulary: &Vocabulary,
) -> Result<EducationChange, ReplError> {
    Ok(match name {
        "credential" => EducationChange::Credential(vocabulary.credential(&word.text)?),
        "field" if is_none(word, "none") => EducationChange::Field(None),
        "field" => EducationChange::Field(Some(said(word.clone(), "a field of study")?)),
        "accredited" => EducationChange::Accredited(parse_bool(word)?),
        "completed" if is_none(word, "none") => EducationChange::Completed(None),
        _ => EducationChange::Completed(Some(parse_date(&word.text)?)),
    })
}

fn coursework_change(
    name: &str,
    values: &[Word],
    value: impl Fn(&[Word]) -> Result<Word, ReplError>,
) -> Result<CourseworkChange, ReplError> {
    if name == "credits" {
        return credits_change(values);
    }
    let word = value(values)?;
    Ok(match name {
        "field" if is_none(&word, "none") => CourseworkChange::Field(None),
        "field" => CourseworkChange::Field(Some(said(word, "a field of study")?)),
        _ => CourseworkChange::Accredited(parse_bool(&word)?),
    })
}

/// `AMOUNT [semester|quarter]`: new credits for a coursework entry, which keeps its unit
/// when none is given (90 quarter credits set to 60 are 60 quarter credits) and takes
/// nothing else (a field or subject there would be passed over).
fn credits_change(values: &[Word]) -> Result<CourseworkChange, ReplError> {
    let usage = "write `set course N credits AMOUNT [semester|quarter]`, e.g. `set course 1 credits 45 quarter`";
    let (amount, unit) = match values {
        [] => return Err(ReplError::new("coursework needs a number of credits").with_help(usage)),
        [amount] => (amount, None),
        [amount, unit] => (amount, Some(unit)),
        [_, _, extra, ..] => {
            return Err(ReplError::new(format!("unexpected `{}`", extra.text)).with_help(usage));
        }
    };
    let amount =
        parse_amount(&amount.text).ok_or_else(|| not_credits(&amount.text).with_help(usage))?;
    let unit = match unit {
        None => None,
        Some(word) if word.is("semester") => Some(CreditUnit::Semester),
        Some(word) if word.is("quarter") => Some(CreditUnit::Quarter),
        Some(word) => {
            return Err(ReplError::new(format!("unexpected `{}`", word.text)).with_help(usage));
        }
    };
    Ok(CourseworkChange::Credits(amount, unit))
}

/// The text of `word`, which must say something: an empty job title or field of study is
/// refused, as a file holding one is (Q302).
fn said(word: Word, what: &str) -> Result<String, ReplError> {
    if word.text.trim().is_empty() {
        return Err(
            ReplError::new(format!("{what} is empty")).with_help("write the text in quotes")
        );
    }
    Ok(word.text)
}

fn is_none(word: &Word, keyword: &str) -> bool {
    word.is(keyword)
}

fn parse_bool(word: &Word) -> Result<bool, ReplError> {
    match word.text.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        other => {
            Err(ReplError::new(format!("`{other}` is not yes or no"))
                .with_help("write `yes` or `no`"))
        }
    }
}

fn list(names: &[impl AsRef<str>]) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Applies `edit` to `state`, or explains why it cannot apply. Returns what was done.
pub fn apply(edit: &Edit, state: &mut State) -> Result<String, ReplError> {
    let applicant = &mut state.applicant;
    match edit {
        Edit::AddJob(job) => {
            applicant.experience.push(job.clone());
            Ok(format!(
                "added job {}: {}",
                applicant.experience.len(),
                job_line(job)
            ))
        }
        Edit::AddEducation(education) => {
            applicant.education.push(education.clone());
            Ok(format!(
                "added edu {}: {}",
                applicant.education.len(),
                education_line(education)
            ))
        }
        Edit::AddCoursework(course) => {
            check_subjects_within(course)?;
            applicant.coursework.push(course.clone());
            Ok(format!(
                "added course {}: {}",
                applicant.coursework.len(),
                coursework_line(course)
            ))
        }
        Edit::SetJob(index, change) => {
            let job = entry(&mut applicant.experience, EntryKind::Job, *index)?;
            let mut changed = job.clone();
            match change {
                JobChange::Title(t) => changed.title = t.clone(),
                JobChange::Categories(c) => changed.categories = c.clone(),
                JobChange::Start(d) => changed.start = *d,
                JobChange::End(d) => changed.end = *d,
                JobChange::Hours(h) => changed.hours_per_week = *h,
            }
            check_job_dates(changed.start, changed.end)?;
            *job = changed;
            Ok(format!("job {index}: {}", job_line(job)))
        }
        Edit::SetEducation(index, change) => {
            let education = entry(&mut applicant.education, EntryKind::Education, *index)?;
            match change {
                EducationChange::Credential(c) => education.credential = c.clone(),
                EducationChange::Field(f) => education.field = f.clone(),
                EducationChange::Accredited(a) => education.accredited = *a,
                EducationChange::Completed(d) => education.completed = *d,
            }
            Ok(format!("edu {index}: {}", education_line(education)))
        }
        Edit::SetCoursework(index, change) => {
            let course = entry(&mut applicant.coursework, EntryKind::Coursework, *index)?;
            let mut changed = course.clone();
            match change {
                CourseworkChange::Credits(amount, unit) => {
                    changed.credits.amount = *amount;
                    if let Some(unit) = unit {
                        changed.credits.unit = *unit;
                    }
                }
                CourseworkChange::Field(f) => changed.field = f.clone(),
                CourseworkChange::Accredited(a) => changed.accredited = *a,
            }
            check_subjects_within(&changed)?;
            *course = changed;
            Ok(format!("course {index}: {}", coursework_line(course)))
        }
        Edit::Remove(kind, index) => {
            let removed = match kind {
                EntryKind::Job => job_line(&take(&mut applicant.experience, *kind, *index)?),
                EntryKind::Education => {
                    education_line(&take(&mut applicant.education, *kind, *index)?)
                }
                EntryKind::Coursework => {
                    coursework_line(&take(&mut applicant.coursework, *kind, *index)?)
                }
            };
            Ok(format!("removed {} {index}: {removed}", kind.word()))
        }
        Edit::Date(date) => {
            state.as_of = *date;
            Ok(format!("evaluation date is {date}"))
        }
    }
}

fn out_of_range(kind: EntryKind, index: usize, count: usize) -> ReplError {
    let help = match count {
        0 => format!("the applicant has no {} entry", kind.word()),
        1 => format!("the only {} is number 1", kind.word()),
        n => format!("{} entries are numbered 1 to {n}", kind.word()),
    };
    ReplError::new(format!("there is no {} {index}", kind.word())).with_help(help)
}

fn entry<T>(list: &mut [T], kind: EntryKind, index: usize) -> Result<&mut T, ReplError> {
    let count = list.len();
    index
        .checked_sub(1)
        .and_then(|i| list.get_mut(i))
        .ok_or_else(|| out_of_range(kind, index, count))
}

fn take<T>(list: &mut Vec<T>, kind: EntryKind, index: usize) -> Result<T, ReplError> {
    match index.checked_sub(1).filter(|i| *i < list.len()) {
        Some(i) => Ok(list.remove(i)),
        None => Err(out_of_range(kind, index, list.len())),
    }
}

#[cfg(test)]
mod tests;
