//! What a requirement considered and did not count, and why, in words for a notice: "Master's
//! degree in Finance (education 2) set aside: not from an accredited school".
//!
//! Worked out again from the applicant and the requirement's key only when a trace is worded;
//! evaluation never builds any of it.

use serde::Serialize;

use crate::applicant::{Applicant, CreditUnit, Credits, Education, Job, SubjectCredits};
use crate::check::model::{Exact, FieldSetId};
use crate::compile::{
    CredentialKey, CreditKey, EducationKey, ExperienceKey, FieldSetInfo, ProfileInfo, Program,
};
use crate::eval::exact;
use crate::eval::outcome::{CreditAmount, plural};

use super::labels::verbatim;

/// One entry of the applicant that a requirement considered and set aside.
#[derive(Clone, Debug, Serialize)]
pub struct SetAside {
    /// `education`, `coursework` or `job`.
    pub entry: &'static str,
    /// Its number in its list in the applicant file, from 1.
    pub number: u32,
    /// The entry in words: "Master's degree in Finance", a job's title.
    pub title: String,
    /// Every reason it does not count, in the order a reader checks them.
    pub reasons: Vec<Reason>,
    /// What else the requirement found in it, e.g. the subject credits of a degree set aside
    /// for its rank: "it includes 21 credits in behavioral_sciences, at least the 18 credits
    /// asked".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The line a person reads.
    pub summary: String,
}

/// Why an entry was set aside: a kind for programs, the sentence for people, and the
/// identifiers or amounts the kind concerns.
#[derive(Clone, Debug, Serialize)]
pub struct Reason {
    /// `other_category`, `outside_dates`, `unaccredited`, `field_not_in_set`,
    /// `below_credential`, `not_on_scale`, `subject_credits_short` or
    /// `subject_credits_inexact`.
    pub kind: &'static str,
    pub text: String,
    /// The job's categories (for `other_category`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// The field set asked (for `field_not_in_set`) or the subject set (for credits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<String>,
    /// The credential asked (for `below_credential`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// Credits found and asked (for `subject_credits_short`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<CreditAmount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<CreditAmount>,
}

impl Reason {
    fn new(kind: &'static str, text: String) -> Reason {
        Reason {
            kind,
            text,
            categories: None,
            fields: None,
            credential: None,
            found: None,
            needed: None,
        }
    }
}

impl SetAside {
    fn new(entry: &'static str, index: usize, title: String, reasons: Vec<Reason>) -> SetAside {
        let words: Vec<&str> = reasons.iter().map(|r| r.text.as_str()).collect();
        let list = match entry {
            "education" => "education",
            "coursework" => "coursework",
            _ => "job",
        };
        let number = u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX);
        SetAside {
            summary: format!("{title} ({list} {number}) set aside: {}", words.join("; ")),
            entry,
            number,
            title,
            reasons,
            note: None,
        }
    }

    fn with_note(mut self, note: Option<String>) -> SetAside {
        if let Some(note) = &note {
            self.summary.push_str(&format!(" ({note})"));
        }
        self.note = note;
        self
    }

    fn has(&self, kind: &str) -> bool {
        self.reasons.iter().any(|r| r.kind == kind)
    }

    /// The entry named in a phrase, with an article: "an unaccredited Master's degree in
    /// Finance".
    pub(crate) fn phrase(&self) -> String {
        // Coursework takes no article: "unaccredited coursework in Psychology".
        let (title, article) = match self.title.strip_prefix("Coursework") {
            Some(rest) if self.entry == "coursework" => (format!("coursework{rest}"), false),
            _ => (self.title.clone(), true),
        };
        let words = if self.has("unaccredited") {
            format!("unaccredited {title}")
        } else {
            title
        };
        if article { with_article(&words) } else { words }
    }
}

fn with_article(words: &str) -> String {
    format!("{} {words}", crate::eval::article(words))
}

/// A credential's title on the profile's scale, else the name in the file.
fn credential_title(profile: Option<&ProfileInfo>, name: &str) -> String {
    profile
        .and_then(|p| p.credential(name))
        .map_or_else(|| name.to_owned(), |c| c.title.to_string())
}

/// "Master's degree in Finance".
pub(crate) fn entry_title(profile: Option<&ProfileInfo>, entry: &Education) -> String {
    let title = credential_title(profile, &entry.credential);
    match entry.field.as_deref() {
        Some(f) => format!("{title} in {}", verbatim(f)),
        None => title,
    }
}

/// "Coursework in Accounting", "Coursework".
fn course_title(field: Option<&str>) -> String {
    match field {
        Some(f) => format!("Coursework in {}", verbatim(f)),
        None => "Coursework".to_owned(),
    }
}

fn completed_after(entry: &Education, as_of: jiff::civil::Date) -> Option<Reason> {
    let done = entry.completed.filter(|d| *d > as_of)?;
    Some(Reason::new(
        "outside_dates",
        format!("completed {done}, after the evaluation date"),
    ))
}

/// Whether `field` is outside set `id`; the reason, naming the set.
fn field_outside(program: &Program, id: FieldSetId, field: Option<&str>) -> Option<Reason> {
    let set = program.field_set(id)?;
    if field.is_some_and(|f| program.field_set_lists(id, f)) {
        return None;
    }
    let label = &*set.name;
    let text = match field {
        Some(f) => format!("the field {} is not in {label}", verbatim(f)),
        None => format!("no field given (asked: {label})"),
    };
    let mut reason = Reason::new("field_not_in_set", text);
    reason.fields = Some(set.name.to_string());
    Some(reason)
}

fn unaccredited() -> Reason {
    Reason::new("unaccredited", "not from an accredited school".to_owned())
}

/// Credits in semester credits at the profile's rate; `None` when they cannot be held
/// exactly. Quarter credits count nothing under a profile without a quarter figure.
fn semester(profile: &ProfileInfo, credits: Credits) -> Option<Exact> {
    match credits.unit {
        CreditUnit::Semester => Some(credits.amount),
        CreditUnit::Quarter => profile
            .semester_per_quarter_credit
            .map_or(Some(Exact::from_integer(0)), |r| {
                exact::times(credits.amount, r)
            }),
    }
}

/// Semester credits an entry lists in subject set `set`; `None` when not exact.
fn subject_credits(
    program: &Program,
    profile: &ProfileInfo,
    subjects: &[SubjectCredits],
    set: FieldSetId,
) -> Option<Exact> {
    subjects
        .iter()
        .filter(|s| program.field_set_lists(set, &s.subject))
        .try_fold(Exact::from_integer(0), |a, s| {
            exact::add(a, semester(profile, s.credits)?)
        })
}

/// What a credential requirement made of the applicant's education: the entries it set
/// aside, and for the entry it counted, the subject credits it found when it asks for some.
pub(crate) fn credential(
    program: &Program,
    key: &CredentialKey,
    rank: u8,
    applicant: &Applicant,
    as_of: jiff::civil::Date,
    counted: Option<usize>,
) -> (Vec<SetAside>, Vec<String>) {
    let Some(profile) = program.profile(key.profile) else {
        return (Vec::new(), Vec::new());
    };
    let mut evidence = Vec::new();
    let mut set_aside = Vec::new();
    for (index, entry) in applicant.education.iter().enumerate() {
        let mut reasons: Vec<Reason> = Vec::new();
        match profile.credential(&entry.credential) {
            Some(cred) if cred.rank < rank => {
                let asked = profile
                    .credentials
                    .iter()
                    .find(|c| c.rank == rank)
                    .map_or_else(|| "credential".to_owned(), |c| c.title.to_lowercase());
                let mut reason =
                    Reason::new("below_credential", format!("below the {asked} asked"));
                reason.credential = profile
                    .credentials
                    .iter()
                    .find(|c| c.rank == rank)
                    .map(|c| c.name.to_string());
                reasons.push(reason);
            }
            Some(_) => {}
            None => reasons.push(Reason::new(
                "not_on_scale",
                "not a credential on the profile's scale".to_owned(),
            )),
        }
        reasons.extend(completed_after(entry, as_of));
        if key.accredited && !entry.accredited {
            reasons.push(unaccredited());
        }
        if let Some(id) = key.fields {
            reasons.extend(field_outside(program, id, entry.field.as_deref()));
        }
        let title = entry_title(Some(profile), entry);
        let mut note = None;
        if let Some((needed, subjects)) = key.includes {
            let set = program.field_set(subjects);
            let have = subject_credits(program, profile, &entry.subjects, subjects);
            match includes(set, have, needed, entry.subjects.is_empty()) {
                Includes::Short(reason) => reasons.push(reason),
                Includes::Enough(words) if reasons.is_empty() => {
                    if counted == Some(index) {
                        evidence.push(format!("{title} counted: {words}"));
                    }
                }
                Includes::Enough(words) => note = Some(format!("it {words}")),
            }
        }
        if !reasons.is_empty() {
            set_aside.push(SetAside::new("education", index, title, reasons).with_note(note));
        }
    }
    (set_aside, evidence)
}

/// Whether an entry's subject credits meet an "includes" requirement.
enum Includes {
    Short(Reason),
    Enough(String),
}

fn includes(
    set: Option<&FieldSetInfo>,
    have: Option<Exact>,
    needed: Exact,
    none_listed: bool,
) -> Includes {
    let name = set.map_or("", |set| &*set.name);
    let short = |text: String, found: Option<Exact>| {
        let mut reason = Reason::new("subject_credits_short", text);
        reason.fields = set.map(|s| s.name.to_string());
        reason.found = found.map(CreditAmount);
        reason.needed = Some(CreditAmount(needed));
        Includes::Short(reason)
    };
    match have {
        None => {
            let mut reason = Reason::new(
                "subject_credits_inexact",
                format!("its credits in {name} cannot be added up exactly"),
            );
            reason.fields = set.map(|s| s.name.to_string());
            Includes::Short(reason)
        }
        Some(have) if have < needed && none_listed => short(
            format!(
                "lists no credits per subject ({} in {name} asked; credits count only when listed per subject)",
                plural(needed, "credit")
            ),
            Some(have),
        ),
        Some(have) if have < needed => short(
            format!(
                "lists {} in {name}, fewer than the {} asked",
                plural(have, "credit"),
                plural(needed, "credit")
            ),
            Some(have),
        ),
        Some(have) => Includes::Enough(format!(
            "includes {} in {name}, at least the {} asked",
            plural(have, "credit"),
            plural(needed, "credit")
        )),
    }
}

/// The degrees and coursework a combination clause's education predicate set aside.
pub(crate) fn education(
    program: &Program,
    key: &EducationKey,
    applicant: &Applicant,
    as_of: jiff::civil::Date,
) -> Vec<SetAside> {
    let profile = program.profile(key.profile);
    let mut set_aside = Vec::new();
    for (index, entry) in applicant.education.iter().enumerate() {
        let credential = profile.and_then(|p| p.credential(&entry.credential));
        if credential.is_some_and(|c| c.years <= Exact::from_integer(0)) {
            // Worth nothing in a combination: setting it aside changes nothing.
            continue;
        }
        let mut reasons: Vec<Reason> = Vec::new();
        if credential.is_none() {
            reasons.push(Reason::new(
                "not_on_scale",
                "not a credential on the profile's scale".to_owned(),
            ));
        }
        reasons.extend(completed_after(entry, as_of));
        if key.accredited && !entry.accredited {
            reasons.push(unaccredited());
        }
        if let Some(id) = key.fields {
            reasons.extend(field_outside(program, id, entry.field.as_deref()));
        }
        if !reasons.is_empty() {
            let title = entry_title(profile, entry);
            set_aside.push(SetAside::new("education", index, title, reasons));
        }
    }
    for (index, course) in applicant.coursework.iter().enumerate() {
        let mut reasons: Vec<Reason> = Vec::new();
        if key.accredited && !course.accredited {
            reasons.push(unaccredited());
        }
        if let Some(id) = key.fields {
            reasons.extend(field_outside(program, id, course.field.as_deref()));
        }
        if !reasons.is_empty() {
            let title = course_title(course.field.as_deref());
            set_aside.push(SetAside::new("coursework", index, title, reasons));
        }
    }
    set_aside
}

/// What a credits requirement found in each entry: a line per entry that gave credits in
/// the subject set, and the entries it set aside.
pub(crate) fn credits(
    program: &Program,
    key: &CreditKey,
    applicant: &Applicant,
    as_of: jiff::civil::Date,
) -> (Vec<SetAside>, Vec<String>) {
    let (Some(profile), Some(set)) = (
        program.profile(key.profile),
        program.field_set(key.subjects),
    ) else {
        return (Vec::new(), Vec::new());
    };
    let name = &*set.name;
    let mut evidence = Vec::new();
    let mut set_aside = Vec::new();
    // Why an entry gave no credits in the set: it lists none there, or those it lists count
    // for nothing (none, or quarter credits under a profile with no quarter figure).
    let none_in_set = |subjects: &[SubjectCredits], in_set: &[Credits]| {
        let text = if in_set.is_empty() && subjects.is_empty() {
            format!("lists no credits per subject, so none in {name}")
        } else if in_set.is_empty() {
            format!("lists no credits in {name}")
        } else if profile.semester_per_quarter_credit.is_none()
            && in_set.iter().any(|c| c.unit == CreditUnit::Quarter)
        {
            format!(
                "lists its credits in {name} in quarter credits, which count for nothing: \
                 the profile gives no quarter credits per year"
            )
        } else {
            format!("lists 0 credits in {name}")
        };
        let mut reason = Reason::new("subject_credits_short", text);
        reason.fields = Some(set.name.to_string());
        reason.found = Some(CreditAmount(Exact::from_integer(0)));
        reason
    };
    let in_set = |subjects: &[SubjectCredits]| -> Vec<Credits> {
        subjects
            .iter()
            .filter(|s| program.field_set_lists(key.subjects, &s.subject))
            .map(|s| s.credits)
            .collect()
    };
    for (index, entry) in applicant.education.iter().enumerate() {
        let title = entry_title(Some(profile), entry);
        let have = subject_credits(program, profile, &entry.subjects, key.subjects);
        let mut reasons: Vec<Reason> = completed_after(entry, as_of).into_iter().collect();
        if profile.credential(&entry.credential).is_none() {
            reasons.push(Reason::new(
                "not_on_scale",
                "not a credential on the profile's scale".to_owned(),
            ));
        }
        match have {
            Some(have) if have > Exact::from_integer(0) && reasons.is_empty() => {
                evidence.push(format!("{title}: {} in {name}", plural(have, "credit")));
            }
            Some(have) if have > Exact::from_integer(0) => {}
            _ => reasons.push(none_in_set(&entry.subjects, &in_set(&entry.subjects))),
        }
        if !reasons.is_empty() {
            set_aside.push(SetAside::new("education", index, title, reasons));
        }
    }
    for (index, course) in applicant.coursework.iter().enumerate() {
        let title = course_title(course.field.as_deref());
        let have = if course.subjects.is_empty() {
            course
                .field
                .as_deref()
                .filter(|f| program.field_set_lists(key.subjects, f))
                .map_or(Some(Exact::from_integer(0)), |_| {
                    semester(profile, course.credits)
                })
        } else {
            subject_credits(program, profile, &course.subjects, key.subjects)
        };
        match have {
            Some(have) if have > Exact::from_integer(0) => {
                evidence.push(format!("{title}: {} in {name}", plural(have, "credit")));
            }
            _ => {
                let listed = |f: &str| program.field_set_lists(key.subjects, f);
                let reason = match course.field.as_deref() {
                    Some(f) if course.subjects.is_empty() && !listed(f) => {
                        let mut reason = Reason::new(
                            "field_not_in_set",
                            format!("the field {} is not in {name}", verbatim(f)),
                        );
                        reason.fields = Some(set.name.to_string());
                        reason
                    }
                    // Its own field is in the set, and its credits count toward it.
                    Some(_) if course.subjects.is_empty() => {
                        none_in_set(&course.subjects, &[course.credits])
                    }
                    _ => none_in_set(&course.subjects, &in_set(&course.subjects)),
                };
                set_aside.push(SetAside::new("coursework", index, title, vec![reason]));
            }
        }
    }
    (set_aside, evidence)
}

/// The jobs an experience requirement set aside: in none of its categories, or not begun
/// by the evaluation date.
pub(crate) fn jobs(
    key: &ExperienceKey,
    applicant: &Applicant,
    as_of: jiff::civil::Date,
) -> Vec<SetAside> {
    let asked: Vec<&str> = key.names.iter().map(|n| &**n).collect();
    let mut set_aside = Vec::new();
    for (index, job) in applicant.experience.iter().enumerate() {
        let mut reasons = Vec::new();
        if !job
            .categories
            .iter()
            .any(|c| key.names.iter().any(|n| **n == **c))
        {
            reasons.push(other_category(job, &asked));
        }
        if job.start > as_of {
            reasons.push(Reason::new(
                "outside_dates",
                format!("starts {}, after the evaluation date", job.start),
            ));
        } else if job.end.is_some_and(|end| end < job.start) {
            reasons.push(Reason::new(
                "outside_dates",
                "ends before it starts".to_owned(),
            ));
        }
        if !reasons.is_empty() {
            set_aside.push(SetAside::new("job", index, verbatim(&job.title), reasons));
        }
    }
    set_aside
}

fn other_category(job: &Job, asked: &[&str]) -> Reason {
    let asked = asked.join(" or ");
    let text = match job.categories.as_slice() {
        [] => format!("no experience category given (asked: {asked})"),
        tags => {
            let tags: Vec<&str> = tags.iter().map(|t| &**t).collect();
            format!(
                "in another category: {} (asked: {asked})",
                tags.join(" and ")
            )
        }
    };
    let mut reason = Reason::new("other_category", text);
    reason.categories = Some(job.categories.clone());
    reason
}
