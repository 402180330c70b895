//! Checks profiles, field sets and experience categories, and resolves references to them.

use std::collections::{BTreeMap, HashMap};

use super::model::{
    CategoryDef, CategoryId, CredentialDef, Exact, FieldSetDef, FieldSetId, ProfileDef, ProfileId,
    ProfileNote,
};
use super::quantities::{self, Dimension};
use super::{Checker, MAX_NAME_CHARS};
use crate::diagnostics::suggest::{closest, did_you_mean};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{
    Amount, Category, CredentialValue, FieldSet, Name, Profile, ProfileStatement,
};

/// What a vocabulary name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Vocab {
    FieldSet(FieldSetId),
    Category(CategoryId),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Declared {
    pub vocab: Vocab,
    pub span: Span,
}

impl Checker {
    pub(crate) fn declare_field_set(&mut self, set: &FieldSet) {
        let id = FieldSetId(u32::try_from(self.model.field_sets.len()).unwrap_or(u32::MAX));
        if self.declare_vocab(&set.name, Vocab::FieldSet(id), "field set") {
            self.model.field_sets.push(FieldSetDef {
                name: set.name.text.clone(),
                label: set.label.as_ref().map(|l| l.text.value.clone()),
                description: set
                    .description
                    .as_ref()
                    .map(|d| d.value.clone())
                    .unwrap_or_default(),
                fields: Vec::new(),
                includes: Vec::new(),
                field_info: Vec::new(),
                notes: set.notes.iter().map(super::classes::note_def).collect(),
                span: set.name.span,
            });
            self.field_set_members.push(set.members.clone());
        }
    }

    pub(crate) fn declare_category(&mut self, category: &Category) {
        let id = CategoryId(u32::try_from(self.model.categories.len()).unwrap_or(u32::MAX));
        if self.declare_vocab(&category.name, Vocab::Category(id), "experience category") {
            self.model.categories.push(CategoryDef {
                name: category.name.text.clone(),
                label: category.label.as_ref().map(|l| l.text.value.clone()),
                description: category.description.value.clone(),
                notes: category
                    .notes
                    .iter()
                    .map(super::classes::note_def)
                    .collect(),
                span: category.name.span,
            });
        }
    }

    fn declare_vocab(&mut self, name: &Name, vocab: Vocab, what: &str) -> bool {
        self.check_name_length(&name.text, name.span, what);
        if let Some(first) = self.vocabulary.get(&name.text) {
            let first_span = first.span;
            self.report(duplicate(name, first_span, what));
            return false;
        }
        self.vocabulary.insert(
            name.text.clone(),
            Declared {
                vocab,
                span: name.span,
            },
        );
        true
    }

    /// Resolves a field-set reference, reporting unknown and wrong-kind names.
    pub(crate) fn field_set(&mut self, name: &Name) -> Option<FieldSetId> {
        match self.vocabulary.get(&name.text).map(|d| d.vocab) {
            Some(Vocab::FieldSet(id)) => {
                self.mark_used(&name.text);
                Some(id)
            }
            Some(Vocab::Category(_)) => {
                self.mark_used(&name.text);
                self.report(
                    Diagnostic::new(
                        Code::WrongKindOfName,
                        format!("`{}` is an experience category, not a field set", name.text),
                        name.span,
                        "a field set is needed here",
                    )
                    .with_help(format!(
                        "experience is required as a duration: `2 years of {}`",
                        name.text
                    )),
                );
                None
            }
            None if self.defined_by_broken_item("fields", &name.text) => None,
            None => {
                self.report_unknown(name, "field set", |v| matches!(v, Vocab::FieldSet(_)));
                None
            }
        }
    }

    /// Resolves an experience-category reference, reporting unknown and wrong-kind names.
    pub(crate) fn category(&mut self, name: &Name) -> Option<CategoryId> {
        match self.vocabulary.get(&name.text).map(|d| d.vocab) {
            Some(Vocab::Category(id)) => {
                self.mark_used(&name.text);
                Some(id)
            }
            Some(Vocab::FieldSet(_)) => {
                self.mark_used(&name.text);
                self.report(
                    Diagnostic::new(
                        Code::WrongKindOfName,
                        format!("`{}` is a field set, not an experience category", name.text),
                        name.span,
                        "an experience category is needed here",
                    )
                    .with_help(format!(
                        "education in a field set is written `associate in {}`",
                        name.text
                    )),
                );
                None
            }
            None if self.defined_by_broken_item("experience", &name.text) => None,
            None => {
                self.report_unknown(name, "experience category", |v| {
                    matches!(v, Vocab::Category(_))
                });
                None
            }
        }
    }

    /// Q112 for a credential of the class's profile named where an experience category is
    /// needed (`6 months of high_school`).
    pub(crate) fn credential_as_category(&mut self, name: &Name) {
        self.report(
            Diagnostic::new(
                Code::WrongKindOfName,
                format!(
                    "`{}` is a credential, not an experience category",
                    name.text
                ),
                name.span,
                "an experience category is needed here",
            )
            .with_help(format!(
                "a credential is required by its name alone (`{} and 6 months of \
                 <experience category>`)",
                name.text
            )),
        );
    }

    /// Q101 for a reference to `name`, a `what` that no declaration of kind `kind` has. The
    /// name it most likely misspells counts as used: its own "never used" warning would only
    /// repeat this error.
    fn report_unknown(&mut self, name: &Name, what: &str, kind: impl Fn(Vocab) -> bool + Copy) {
        let meant = closest(&name.text, self.names_of(kind)).map(str::to_owned);
        let keyword = if what == "field set" {
            "fields"
        } else {
            "experience"
        };
        let only_broken = self.names_of(kind).is_empty()
            && self.broken_definitions.iter().any(|(k, _)| k == keyword);
        let help = match &meant {
            Some(best) => format!("did you mean `{best}`?"),
            // The only ones were in items that did not parse: "none is defined" would be false.
            None if only_broken => {
                format!(
                    "every {what} of the rules is in an item with a syntax error, which is not read"
                )
            }
            None => did_you_mean(&name.text, what, self.names_of(kind)),
        };
        if let Some(best) = &meant {
            self.mark_used(best);
        }
        self.report(unknown(name, what).with_help(help));
    }

    pub(crate) fn names_of(&self, keep: impl Fn(Vocab) -> bool) -> Vec<&str> {
        self.vocabulary
            .iter()
            .filter(|(_, d)| keep(d.vocab))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Q126 for a declared name (or a field or spelling) longer than [`MAX_NAME_CHARS`].
    pub(crate) fn check_name_length(&mut self, text: &str, span: Span, what: &str) {
        let chars = text.chars().count();
        if chars <= MAX_NAME_CHARS {
            return;
        }
        let start: String = text.chars().take(40).collect();
        self.report(
            Diagnostic::new(
                Code::NameTooLong,
                format!(
                    "the {what} name `{}…` is {chars} characters long, over the limit of {MAX_NAME_CHARS}",
                    start.trim_end()
                ),
                span,
                "this name",
            )
            .with_help(
                "a name is looked up for every job and education entry evaluated; write a \
                 shorter name and put the longer wording in a label or description",
            ),
        );
    }

    // ------------------------------------------------------------------ profiles

    pub(crate) fn declare_profile(&mut self, profile: &Profile) {
        self.check_name_length(&profile.name.text, profile.name.span, "profile");
        if let Some(&(_, first)) = self.profiles.get(&profile.name.text) {
            self.report(duplicate(&profile.name, first, "profile"));
            return;
        }
        let def = self.profile_def(profile);
        // A profile with an error, or with a statement passed over after a syntax error, is
        // already reported: remember the name so classes naming it do not cascade.
        let Some(def) = def.filter(|_| profile.broken_parts.is_empty()) else {
            self.incomplete_profiles.insert(profile.name.text.clone());
            return;
        };
        let id = ProfileId(u32::try_from(self.model.profiles.len()).unwrap_or(u32::MAX));
        self.profiles
            .insert(profile.name.text.clone(), (id, profile.name.span));
        self.model.profiles.push(def);
    }

    fn profile_def(&mut self, profile: &Profile) -> Option<ProfileDef> {
        let reported_before = self.diagnostics.len();
        let mut seen: BTreeMap<&'static str, Span> = BTreeMap::new();
        let mut jurisdiction = None;
        let mut credentials: Vec<CredentialDef> = Vec::new();
        // Each credential's place in `credentials` by name, and the highest rank so far.
        let mut credential_index: HashMap<String, usize> = HashMap::new();
        let mut top_rank: Option<u8> = None;
        let mut semester = None;
        let mut quarter = None;
        let mut full_time = None;
        let mut overlap = None;
        let mut several_degrees = None;
        let mut coursework = crate::syntax::ast::CourseworkRule::default();
        let mut notes = Vec::new();
        let mut about: Option<String> = None;
        for statement in &profile.statements {
            if let ProfileStatement::Note(note) = statement {
                notes.push(ProfileNote {
                    about: about.clone(),
                    note: super::classes::note_def(note),
                });
                continue;
            }
            about = Some(statement_words(statement));
            let (keyword, span) = profile_keyword(statement);
            if keyword != "credential"
                && let Some(first) = seen.insert(keyword, span)
            {
                self.report(repeated(keyword, span, first));
                continue;
            }
            match statement {
                ProfileStatement::Note(_) => {}
                ProfileStatement::Jurisdiction(text, _) => jurisdiction = Some(text.value.clone()),
                ProfileStatement::Credential(decl) => {
                    self.check_name_length(&decl.name.text, decl.name.span, "credential");
                    let earlier = Earlier {
                        credentials: &credentials,
                        index: &credential_index,
                        top_rank,
                    };
                    if let Some(def) = self.credential_def(decl, &earlier) {
                        credential_index.insert(def.name.clone(), credentials.len());
                        top_rank = top_rank.max(Some(def.rank));
                        credentials.push(def);
                    }
                }
                ProfileStatement::EducationYear(amounts, span) => {
                    let year = self.education_year(amounts);
                    (semester, quarter) = (year.semester, year.quarter);
                    // A semester figure written but refused (say, zero) has its own
                    // diagnostic: the year is not given in quarter credits only.
                    if !year.semester_written && quarter.is_some() {
                        self.report(quarters_only(&profile.name.text, *span));
                    }
                }
                ProfileStatement::FullTime(amount, _) => {
                    full_time = self
                        .ok(quantities::positive(
                            amount,
                            Dimension::Hours,
                            None,
                            Code::NotPositive,
                        ))
                        .and_then(|hours| self.ok(within_a_week(amount, hours)));
                }
                ProfileStatement::Overlap(rule, _) => overlap = Some(*rule),
                ProfileStatement::SeveralDegrees(rule, _) => several_degrees = Some(*rule),
                ProfileStatement::Coursework(rule, _) => coursework = *rule,
            }
        }
        // A credential whose value has an error is declared worth nothing: not weighed.
        let clean = !self
            .diagnostics
            .get(reported_before..)
            .unwrap_or_default()
            .iter()
            .any(Diagnostic::is_error);
        let broken = !profile.broken_parts.is_empty();
        if clean && !broken {
            self.check_worth_follows_rank(&credentials);
        }
        let missing = [
            (
                "jurisdiction",
                jurisdiction.is_none(),
                "jurisdiction \"New Mexico State Personnel Office\"",
            ),
            (
                "credential",
                credentials.is_empty(),
                "credential bachelor \"Bachelor's degree\" worth 4 years",
            ),
            (
                "a year of education",
                semester.is_none(),
                "a year of education is 30 semester credits",
            ),
            (
                "full time",
                full_time.is_none(),
                "full time is 40 hours per week",
            ),
            (
                "overlapping jobs",
                overlap.is_none(),
                "overlapping jobs are summed up to full time",
            ),
            (
                "several degrees",
                several_degrees.is_none(),
                "several degrees count the highest only",
            ),
        ];
        // A statement passed over after a syntax error may be the one missing.
        for (what, absent, example) in missing.into_iter().filter(|_| !broken) {
            if absent && !seen.contains_key(what) {
                self.report(
                    Diagnostic::new(
                        Code::MissingStatement,
                        format!("profile `{}` does not say `{what}`", profile.name.text),
                        profile.name.span,
                        "in this profile",
                    )
                    .with_help(format!("add a line such as `{example}`")),
                );
            }
        }
        Some(ProfileDef {
            name: profile.name.text.clone(),
            jurisdiction: jurisdiction?,
            credentials,
            semester_credits_per_year: semester?,
            quarter_credits_per_year: quarter,
            full_time_hours: full_time?,
            overlap: overlap?,
            several_degrees: several_degrees?,
            coursework,
            notes,
            span: profile.name.span,
        })
    }

    /// A credential declared after the `earlier` ones.
    /// Q212 for a credential that ranks above one worth more: credentials rank in the order
    /// they are listed, lowest first, whatever their `worth`, so `master worth 6 years` listed
    /// before `bachelor worth 4 years` lets a bachelor's degree meet `master`. Each rank is
    /// weighed against the highest worth below it (the first credential of each rank,
    /// which is the one with its own `worth`).
    fn check_worth_follows_rank(&mut self, credentials: &[CredentialDef]) {
        let mut firsts: Vec<&CredentialDef> = Vec::new();
        for credential in credentials {
            if !firsts.iter().any(|c| c.rank == credential.rank) {
                firsts.push(credential);
            }
        }
        firsts.sort_by_key(|c| c.rank);
        let mut worth_most: Option<&CredentialDef> = None;
        for credential in firsts {
            if let Some(higher) = worth_most.filter(|w| w.years > credential.years) {
                self.report(worth_against_rank(credential, higher));
            }
            if worth_most.is_none_or(|w| credential.years > w.years) {
                worth_most = Some(credential);
            }
        }
    }

    fn credential_def(
        &mut self,
        decl: &crate::syntax::ast::CredentialDecl,
        earlier: &Earlier<'_>,
    ) -> Option<CredentialDef> {
        let declared = |name: &str| {
            earlier
                .index
                .get(name)
                .and_then(|i| earlier.credentials.get(*i))
        };
        if let Some(first) = declared(&decl.name.text) {
            self.report(duplicate(&decl.name, first.span, "credential"));
            return None;
        }
        let title = decl
            .title
            .as_ref()
            .map_or_else(|| decl.name.text.clone(), |t| t.value.clone());
        let next_rank = match earlier.top_rank {
            None => 1,
            Some(top) => match top.checked_add(1) {
                Some(rank) => rank,
                None if matches!(decl.value, CredentialValue::Worth(_)) => {
                    // Still declared, so that its uses are not reported again: rules with an
                    // error are never evaluated.
                    self.report(too_many_credentials(&decl.name));
                    return Some(credential(decl, title, (top, Exact::from_integer(0))));
                }
                None => top,
            },
        };
        // A credential whose value has an error is still declared (worth nothing, ranked
        // next): the error is reported once, at the value, and each use of the credential
        // is not reported again as an unknown name. Rules with an error are never evaluated.
        let placeholder = (next_rank, Exact::from_integer(0));
        let (rank, years) = match &decl.value {
            CredentialValue::Worth(amount) => {
                let measured =
                    quantities::measure(amount, Dimension::Duration, None).map_err(|d| {
                        match d.code() {
                            Code::UnitMismatch => d.with_help(
                                "a credential is worth years of education: write `worth 2 years` \
                             (or `same as <credential>` for one that ranks with another)",
                            ),
                            _ => d,
                        }
                    });
                let Some(months) = self.ok(measured) else {
                    return Some(credential(decl, title, placeholder));
                };
                if months < Exact::from_integer(0) {
                    self.report(
                        Diagnostic::new(
                            Code::NotPositive,
                            "a credential cannot be worth less than nothing",
                            amount.span,
                            "negative",
                        )
                        .with_help(
                            "use `worth 0 years` for a credential that counts for no education",
                        ),
                    );
                    return Some(credential(decl, title, placeholder));
                }
                (next_rank, months / Exact::from_integer(12))
            }
            CredentialValue::SameAs(other) => match declared(&other.text) {
                Some(found) => (found.rank, found.years),
                // Declared in a statement passed over after a syntax error.
                None if self.broken_words.contains(&other.text) => {
                    return Some(credential(decl, title, placeholder));
                }
                None => {
                    let help = did_you_mean(
                        &other.text,
                        "credential",
                        earlier.credentials.iter().map(|c| c.name.as_str()),
                    );
                    self.report(unknown(other, "credential").with_help(format!(
                        "{help} (`same as` must name a credential declared above it)"
                    )));
                    return Some(credential(decl, title, placeholder));
                }
            },
        };
        Some(credential(decl, title, (rank, years)))
    }

    fn education_year(&mut self, amounts: &[crate::syntax::ast::Amount]) -> EducationYear {
        let mut semester: Option<(Exact, Span)> = None;
        let mut quarter: Option<(Exact, Span)> = None;
        let mut semester_written = false;
        for amount in amounts {
            let is_quarter = matches!(
                quantities::unit(&amount.unit),
                Ok(quantities::Unit::QuarterCredits)
            );
            semester_written |= !is_quarter;
            let Some(value) = self.ok(quantities::positive(
                amount,
                Dimension::Credits,
                Some(Exact::from_integer(1)),
                Code::NotPositive,
            )) else {
                continue;
            };
            let (figure, unit) = if is_quarter {
                (&mut quarter, "quarter")
            } else {
                (&mut semester, "semester")
            };
            // Two figures in one unit: the later would win unseen (Q114).
            match figure {
                Some((_, first)) => {
                    let keyword = format!("a year of education is … {unit} credits");
                    self.report(repeated(&keyword, amount.span, *first));
                }
                None => *figure = Some((value, amount.span)),
            }
        }
        EducationYear {
            semester: semester.map(|(v, _)| v),
            quarter: quarter.map(|(v, _)| v),
            semester_written,
        }
    }
}

/// A profile's year of education: its semester and quarter figures, each when given and
/// valid, and whether a semester figure was written at all (valid or not).
struct EducationYear {
    semester: Option<Exact>,
    quarter: Option<Exact>,
    semester_written: bool,
}

/// A profile whose year of education is given in quarter credits only: requirements count
/// semester credits, and quarter credits are converted at the ratio of the two figures, so
/// the semester figure cannot be left out (Q113).
fn quarters_only(profile: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MissingStatement,
        format!(
            "profile `{profile}` does not say how many semester credits make a year of education"
        ),
        span,
        "quarter credits only",
    )
    .with_help(
        "give the semester figure too, e.g. `a year of education is 30 semester credits or 45 quarter credits`: \
         requirements count semester credits, and quarter credits are converted at the ratio of the two",
    )
}

/// The credentials a profile declared so far, by name, and their highest rank.
struct Earlier<'a> {
    credentials: &'a [CredentialDef],
    index: &'a HashMap<String, usize>,
    top_rank: Option<u8>,
}

/// What a profile statement is about, as a note on it names it: its keyword, with the
/// credential's name for a credential.
fn statement_words(statement: &ProfileStatement) -> String {
    match statement {
        ProfileStatement::Credential(decl) => format!("credential {}", decl.name.text),
        other => profile_keyword(other).0.to_owned(),
    }
}

fn profile_keyword(statement: &ProfileStatement) -> (&'static str, Span) {
    match statement {
        ProfileStatement::Note(note) => ("note", note.span),
        ProfileStatement::Jurisdiction(_, s) => ("jurisdiction", *s),
        ProfileStatement::Credential(d) => ("credential", d.span),
        ProfileStatement::EducationYear(_, s) => ("a year of education", *s),
        ProfileStatement::FullTime(_, s) => ("full time", *s),
        ProfileStatement::Overlap(_, s) => ("overlapping jobs", *s),
        ProfileStatement::SeveralDegrees(_, s) => ("several degrees", *s),
        ProfileStatement::Coursework(_, s) => ("coursework", *s),
    }
}

pub(crate) fn unknown(name: &Name, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownName,
        format!("unknown {what} `{}`", crate::source::quoted(&name.text)),
        name.span,
        format!("no {what} has this name"),
    )
}

pub(crate) fn duplicate(name: &Name, first: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Duplicate,
        format!(
            "{what} `{}` is defined twice",
            crate::source::quoted(&name.text)
        ),
        name.span,
        "defined again here",
    )
    .with_label(first, "first defined here")
    .with_help("rename one of them or remove the repeat")
}

pub(crate) fn repeated(keyword: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::RepeatedStatement,
        format!("`{keyword}` is given twice"),
        span,
        "given again here",
    )
    .with_label(first, "first given here")
    .with_help("keep one of them")
}

/// The credential `decl` declares, with its title, rank and years of education.
fn credential(
    decl: &crate::syntax::ast::CredentialDecl,
    title: String,
    (rank, years): (u8, Exact),
) -> CredentialDef {
    CredentialDef {
        name: decl.name.text.clone(),
        title,
        rank,
        years,
        span: decl.name.span,
    }
}

fn worth_against_rank(credential: &CredentialDef, below: &CredentialDef) -> Diagnostic {
    let years = |c: &CredentialDef| super::format_months(c.years * Exact::from_integer(12));
    Diagnostic::new(
        Code::WorthAgainstRank,
        format!(
            "credential `{}` ({}) ranks above `{}` ({}), which is worth more",
            credential.name,
            years(credential),
            below.name,
            years(below)
        ),
        credential.span,
        "listed after, so ranked higher",
    )
    .with_label(below.span, "listed before, so ranked lower")
    .with_help(format!(
        "credentials rank in the order they are listed, lowest first, and a higher one meets a \
         requirement for a lower one: `{}` now meets `{}`; list `{}` before `{}`",
        credential.name, below.name, credential.name, below.name
    ))
}

/// Q128 for a credential ranked above the 255 a profile can tell apart.
fn too_many_credentials(name: &Name) -> Diagnostic {
    Diagnostic::new(
        Code::TooManyCredentials,
        format!(
            "credential `{}` would be the 256th rank of its profile, past the limit of 255",
            crate::source::quoted(&name.text)
        ),
        name.span,
        "one rank too many",
    )
    .with_help(
        "a profile ranks at most 255 credentials of their own worth; give credentials that \
         rank alike `same as` one declared above them",
    )
}

/// The hours of a week, which no full time can exceed.
const HOURS_IN_A_WEEK: i64 = 168;

/// `hours`, the full time `amount` gives, when a week holds them (Q140): a mistyped digit
/// (`400 hours`) would credit every part-time job at a tenth of its share.
fn within_a_week(amount: &Amount, hours: Exact) -> Result<Exact, Diagnostic> {
    if hours <= Exact::from_integer(HOURS_IN_A_WEEK) {
        return Ok(hours);
    }
    Err(Diagnostic::new(
        Code::FullTimeBeyondAWeek,
        "full time is more hours than a week has",
        amount.span,
        format!(
            "`{} {}` is more than the {HOURS_IN_A_WEEK} hours of a week",
            amount.number.raw, amount.unit.text
        ),
    )
    .with_help("full time is the hours of a full-time week, such as `40 hours`"))
}
