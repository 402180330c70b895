//! The applicant file schema: the value tree to an [`Applicant`], checked against the rules.
//!
//! `docs/applicant.md` documents every key read here.

use jiff::civil::Date;

use std::collections::HashMap;

use super::document::{Entry, Node, NodeKind};
use super::fields::{Reporter, Table, example};
use super::model::{Applicant, Coursework, CreditUnit, Credits, Education, Job, SubjectCredits};
use crate::check::CheckedRules;
use crate::check::model::Exact;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};

pub const TOP_KEYS: &[&str] = &[
    "id",
    "name",
    "group",
    "education",
    "coursework",
    "experience",
];
pub const EDUCATION_KEYS: &[&str] = &[
    "credential",
    "field",
    "accredited",
    "completed",
    "credits",
    "credit_unit",
    "subjects",
];
pub const COURSEWORK_KEYS: &[&str] = &["credits", "credit_unit", "field", "accredited", "subjects"];
pub const EXPERIENCE_KEYS: &[&str] = &["title", "categories", "start", "end", "hours_per_week"];
const SUBJECT_KEYS: &[&str] = &["credits", "credit_unit"];
const CREDIT_UNITS: &[&str] = &["semester", "quarter"];

/// Hours in a week: no job can be credited more.
const HOURS_IN_A_WEEK: i64 = 168;

/// The names an applicant file may use, taken from the checked rules.
pub struct Vocabulary {
    /// Every credential of every profile, sorted, without repeats.
    pub credentials: Vec<String>,
    /// Every experience category, sorted.
    pub categories: Vec<String>,
}

impl Vocabulary {
    pub fn of(rules: &CheckedRules) -> Vocabulary {
        let model = rules.model();
        let mut credentials: Vec<String> = model
            .profiles
            .iter()
            .flat_map(|p| p.credentials.iter().map(|c| c.name.clone()))
            .collect();
        credentials.sort();
        credentials.dedup();
        let mut categories: Vec<String> = model.categories.iter().map(|c| c.name.clone()).collect();
        categories.sort();
        categories.dedup();
        Vocabulary {
            credentials,
            categories,
        }
    }
}

/// Reads the whole document; problems go to `reporter`.
pub fn applicant(root: &Node, vocabulary: &Vocabulary, reporter: &mut Reporter) -> Applicant {
    let mut applicant = Applicant::default();
    let Some(table) = reporter.table(
        root,
        "the applicant file",
        "the file must be a table of keys",
    ) else {
        return applicant;
    };
    reporter.unknown_keys(&table, TOP_KEYS, "the applicant file");
    let text = |reporter: &mut Reporter, key: &str| {
        table.get(key).and_then(|node| match &node.kind {
            NodeKind::String(text) => Some(text.clone()),
            _ => {
                let help = format!("quote it: {}", reporter.example(&format!("{key} = \"…\"")));
                reporter.string(node, &format!("`{key}`"), help.as_str())
            }
        })
    };
    applicant.id = text(reporter, "id");
    applicant.name = text(reporter, "name");
    let mut reader = EntryReader {
        vocabulary,
        reporter,
    };
    for node in reader.entries(&table, "education") {
        if let Some(education) = reader.education(node) {
            applicant.education.push(education);
        }
    }
    for node in reader.entries(&table, "coursework") {
        if let Some(coursework) = reader.coursework(node) {
            applicant.coursework.push(coursework);
        }
    }
    for node in reader.entries(&table, "experience") {
        if let Some(job) = reader.job(node) {
            applicant.experience.push(job);
        }
    }
    applicant
}

/// The applicant's self-identified group, for selection rates only: it is read beside the
/// [`Applicant`], never into it, so evaluation cannot see it.
pub fn group(root: &Node, reporter: &mut Reporter) -> Option<String> {
    let node = Table::of(root)?.get("group")?;
    let json = reporter.json;
    let help = || format!("quote it: {}", example(json, "group = \"…\""));
    let group = reporter.string(node, "`group`", &help)?;
    let chars = group.chars().count();
    if chars > MAX_GROUP_CHARS {
        reporter.report(
            Diagnostic::new(
                Code::GroupTooLong,
                format!("`group` is {chars} characters long, over the limit of {MAX_GROUP_CHARS}"),
                reporter.span(&node.span),
                "this group",
            )
            .with_help("write the group's name, as short as the summary should show it"),
        );
        return None;
    }
    Some(group)
}

/// The longest `group` an applicant may give, in characters: a selection-rate summary keeps
/// each group's name, for up to 1,000 groups.
pub const MAX_GROUP_CHARS: usize = 256;

/// How to write a list of entries in the file's format.
fn list_help(key: &str, json: bool) -> String {
    if json {
        format!("write a list of objects: `\"{key}\": [ {{ … }}, {{ … }} ]`")
    } else {
        format!("write `[[{key}]]` above each entry")
    }
}

struct EntryReader<'a> {
    vocabulary: &'a Vocabulary,
    reporter: &'a mut Reporter,
}

impl EntryReader<'_> {
    /// The entries of a list of tables such as `[[education]]`.
    fn entries<'n>(&mut self, table: &Table<'n>, key: &str) -> Vec<&'n Node> {
        let Some(node) = table.get(key) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Array(items) => items.iter().collect(),
            _ => {
                self.reporter.wrong_type(
                    node,
                    &format!("`{key}`"),
                    "a list of tables",
                    list_help(key, self.reporter.json).as_str(),
                );
                Vec::new()
            }
        }
    }

    fn entry_table<'n>(
        &mut self,
        node: &'n Node,
        key: &str,
        allowed: &[&str],
    ) -> Option<Table<'n>> {
        // The wording of a problem is made only when there is one to report.
        let place = || {
            let article = if key.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{article} {key} entry")
        };
        let Some(table) = Table::of(node) else {
            let help = list_help(key, self.reporter.json);
            self.reporter.table(node, &place(), help.as_str());
            return None;
        };
        if table
            .entries
            .iter()
            .any(|e| !allowed.contains(&e.key.as_str()))
        {
            self.reporter.unknown_keys(&table, allowed, &place());
        }
        Some(table)
    }

    fn education(&mut self, node: &Node) -> Option<Education> {
        let table = self.entry_table(node, "education", EDUCATION_KEYS)?;
        let credential = self.credential(&table);
        let (field, accredited) = self.field_and_accreditation(&table);
        let completed = table
            .get("completed")
            .and_then(|n| self.reporter.date(n, "completion date"));
        let unit = self.credit_unit(&table);
        let credits = self.credits(&table, unit);
        let subjects = self.subjects(&table, unit, credits);
        Some(Education {
            credential: credential?,
            field,
            accredited,
            completed,
            credits,
            subjects,
        })
    }

    fn coursework(&mut self, node: &Node) -> Option<Coursework> {
        let table = self.entry_table(node, "coursework", COURSEWORK_KEYS)?;
        let (field, accredited) = self.field_and_accreditation(&table);
        let unit = self.credit_unit(&table);
        if table.get("credits").is_none() {
            self.reporter
                .missing(&table, "credits", "a coursework entry", "24");
        }
        let credits = self.credits(&table, unit);
        let subjects = self.subjects(&table, unit, credits);
        Some(Coursework {
            field,
            accredited,
            credits: credits?,
            subjects,
        })
    }

    fn job(&mut self, node: &Node) -> Option<Job> {
        let table = self.entry_table(node, "experience", EXPERIENCE_KEYS)?;
        let place = "an experience entry";
        let title = match table.get("title") {
            Some(n) => {
                let json = self.reporter.json;
                let help = || {
                    format!(
                        "write the title: {}",
                        example(json, "title = \"Case Worker\"")
                    )
                };
                self.reporter.non_empty_string(n, "a job title", &help)
            }
            None => {
                self.reporter
                    .missing(&table, "title", place, "\"Case Worker\"");
                None
            }
        };
        let categories = self.categories(&table);
        let start = match table.get("start") {
            Some(n) => self.reporter.date(n, "start date"),
            None => {
                self.reporter.missing(&table, "start", place, "2020-01-01");
                None
            }
        };
        let end = table
            .get("end")
            .and_then(|n| self.reporter.date(n, "end date"));
        let hours = self.hours(&table);
        if let (Some(start), Some(end)) = (start, end) {
            self.check_order(&table, start, end);
        }
        Some(Job {
            title: title?,
            categories: categories?,
            start: start?,
            end,
            hours_per_week: hours,
        })
    }

    fn credential(&mut self, table: &Table<'_>) -> Option<String> {
        let Some(node) = table.get("credential") else {
            self.reporter
                .missing(table, "credential", "an education entry", "\"bachelor\"");
            return None;
        };
        let json = self.reporter.json;
        let help = || format!("quote it: {}", example(json, "credential = \"bachelor\""));
        let name = self.reporter.string(node, "a credential", &help)?;
        if self.vocabulary.credentials.contains(&name) {
            return Some(name);
        }
        let help = did_you_mean(
            &name,
            "credential",
            self.vocabulary.credentials.iter().map(String::as_str),
        );
        self.reporter.report(
            Diagnostic::new(
                Code::UnknownCredential,
                format!("unknown credential `{}`", crate::source::quoted(&name)),
                self.reporter.span(&node.span),
                "no profile has this credential",
            )
            .with_help(help),
        );
        None
    }

    fn categories(&mut self, table: &Table<'_>) -> Option<Vec<String>> {
        let first = self
            .vocabulary
            .categories
            .first()
            .map_or("public_program_experience", String::as_str);
        let json = self.reporter.json;
        let help = &|| {
            format!(
                "list the categories the job was judged to meet, e.g. {}",
                example(json, &format!("categories = [\"{first}\"]"))
            )
        };
        let Some(node) = table.get("categories") else {
            self.reporter.missing(
                table,
                "categories",
                "an experience entry",
                "[\"public_program_experience\"]",
            );
            return None;
        };
        let NodeKind::Array(items) = &node.kind else {
            self.reporter
                .wrong_type(node, "`categories`", "a list of category names", help);
            return None;
        };
        let mut names = Vec::new();
        let mut all_known = true;
        for item in items {
            let Some(name) = self.reporter.string(item, "a category", help) else {
                all_known = false;
                continue;
            };
            if !self.vocabulary.categories.contains(&name) {
                all_known = false;
                self.unknown_category(item, &name);
            }
            names.push(name);
        }
        all_known.then_some(names)
    }

    fn unknown_category(&mut self, node: &Node, name: &str) {
        let help = did_you_mean(
            name,
            "experience category",
            self.vocabulary.categories.iter().map(String::as_str),
        );
        self.reporter.report(
            Diagnostic::new(
                Code::UnknownCategory,
                format!(
                    "unknown experience category `{}`",
                    crate::source::quoted(name)
                ),
                self.reporter.span(&node.span),
                "the rules define no category with this name",
            )
            .with_help(help),
        );
    }

    fn hours(&mut self, table: &Table<'_>) -> Option<Exact> {
        let node = table.get("hours_per_week")?;
        let hours = self.reporter.number(node, "weekly hours")?;
        if hours <= Exact::from_integer(0) || hours > Exact::from_integer(HOURS_IN_A_WEEK) {
            let shown = super::numbers::write_exact(hours).into_text();
            self.reporter.report(
                Diagnostic::new(
                    Code::HoursOutOfRange,
                    format!("weekly hours must be more than 0 and at most {HOURS_IN_A_WEEK}, found {shown}"),
                    self.reporter.span(&node.span),
                    "hours per week",
                )
                .with_help("leave `hours_per_week` out for a full-time job; for part-time work write the average weekly hours"),
            );
            return None;
        }
        Some(hours)
    }

    fn check_order(&mut self, table: &Table<'_>, start: Date, end: Date) {
        if end >= start {
            return;
        }
        let (Some(start_node), Some(end_node)) = (table.get("start"), table.get("end")) else {
            return;
        };
        self.reporter.report(
            Diagnostic::new(
                Code::EndBeforeStart,
                format!("job ends on {end}, before it starts on {start}"),
                self.reporter.span(&end_node.span),
                "ends here",
            )
            .with_label(self.reporter.span(&start_node.span), "starts here")
            .with_help("check the two dates; `end` is the last day worked and may equal `start`"),
        );
    }

    fn field_and_accreditation(&mut self, table: &Table<'_>) -> (Option<String>, bool) {
        let field = table.get("field").and_then(|n| {
            let json = self.reporter.json;
            let help = || {
                format!(
                    "write the field, e.g. {}, or leave `field` out",
                    example(json, "field = \"Psychology\"")
                )
            };
            self.reporter.non_empty_string(n, "a field of study", &help)
        });
        let accredited = table
            .get("accredited")
            .and_then(|n| self.reporter.boolean(n, "`accredited`"))
            .unwrap_or(false);
        (field, accredited)
    }

    /// The entry's `credit_unit`, semester when absent or unreadable.
    fn credit_unit(&mut self, table: &Table<'_>) -> CreditUnit {
        table
            .get("credit_unit")
            .and_then(|node| self.unit_of(node))
            .unwrap_or(CreditUnit::Semester)
    }

    fn unit_of(&mut self, node: &Node) -> Option<CreditUnit> {
        let name = self.reporter.string(
            node,
            "a credit unit",
            "write `\"semester\"` or `\"quarter\"`",
        )?;
        match name.as_str() {
            "semester" => Some(CreditUnit::Semester),
            "quarter" => Some(CreditUnit::Quarter),
            _ => {
                let help = did_you_mean(&name, "credit unit", CREDIT_UNITS.iter().copied());
                self.reporter.report(
                    Diagnostic::new(
                        Code::UnknownCreditUnit,
                        format!("unknown credit unit `{name}`"),
                        self.reporter.span(&node.span),
                        "expected `semester` or `quarter`",
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    fn credits(&mut self, table: &Table<'_>, unit: CreditUnit) -> Option<Credits> {
        let node = table.get("credits")?;
        let amount = self.credit_amount(node, "credits")?;
        Some(Credits { amount, unit })
    }

    fn credit_amount(&mut self, node: &Node, what: &str) -> Option<Exact> {
        let amount = self.reporter.number(node, what)?;
        if amount < Exact::from_integer(0) {
            self.reporter.report(
                Diagnostic::new(
                    Code::NegativeCredits,
                    format!("{what} cannot be negative"),
                    self.reporter.span(&node.span),
                    "a negative amount",
                )
                .with_help("write the credits earned, zero or more"),
            );
            return None;
        }
        Some(amount)
    }

    /// `subjects = { Psychology = 12, Sociology = { credits = 9, credit_unit = "quarter" } }`.
    /// Each subject's credits are part of the entry's `total`, when the entry gives one.
    fn subjects(
        &mut self,
        table: &Table<'_>,
        unit: CreditUnit,
        total: Option<Credits>,
    ) -> Vec<SubjectCredits> {
        let Some(node) = table.get("subjects") else {
            return Vec::new();
        };
        let json = self.reporter.json;
        let help = &|| {
            format!(
                "write credits per subject, e.g. {}",
                example(json, "subjects = { Psychology = 12 }")
            )
        };
        let Some(subjects) = self.reporter.table(node, "`subjects`", help) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        // Subjects compare as fields do (case, punctuation and spacing aside): two keys that
        // name one subject would add its credits up twice.
        let mut keys: HashMap<String, &Entry> = HashMap::new();
        // A subject whose credits are JSON `null` is absent, as any key with `null` is.
        let given = subjects
            .entries
            .iter()
            .filter(|entry| entry.value.kind != NodeKind::Null);
        for entry in given {
            let key = crate::check::spellings::field_key(&entry.key);
            if !key.is_empty()
                && let Some(first) = keys.insert(key, entry)
            {
                self.same_subject_twice(first, entry);
                continue;
            }
            let what = format!("credits in `{}`", entry.key);
            let credits = match &entry.value.kind {
                NodeKind::Table(_) => self.subject_table(&entry.value, &what, unit),
                _ => self
                    .credit_amount(&entry.value, &what)
                    .map(|amount| Credits { amount, unit }),
            };
            if let Some(credits) = credits {
                self.within_total(table, &entry.key, &entry.value, credits, total);
                found.push(SubjectCredits {
                    subject: entry.key.clone(),
                    credits,
                });
            }
        }
        found
    }

    /// Two keys of one `subjects` table that name the same subject (`Psychology`,
    /// `psychology`): a key given twice (Q305), whose credits would otherwise count twice.
    fn same_subject_twice(&mut self, first: &Entry, again: &Entry) {
        let span = |range: &std::ops::Range<usize>| self.reporter.span(range);
        self.reporter.report(
            Diagnostic::new(
                Code::DuplicateKey,
                subject_again(&again.key, &first.key),
                span(&again.key_span),
                "given again here",
            )
            .with_label(span(&first.key_span), "first given here")
            .with_help("give each subject once, with all its credits"),
        );
    }

    /// A subject's credits are part of its entry's total: more than the total (in either
    /// unit, a quarter credit being two thirds of a semester credit) cannot be what the
    /// transcript says.
    fn within_total(
        &mut self,
        table: &Table<'_>,
        subject: &str,
        node: &Node,
        credits: Credits,
        total: Option<Credits>,
    ) {
        let (Some(total), Some(total_node)) = (total, table.get("credits")) else {
            return;
        };
        if !credits.exceed_total(total) {
            return;
        }
        let shown = |value| super::numbers::write_exact(value).into_text();
        self.reporter.report(
            Diagnostic::new(
                Code::SubjectExceedsTotal,
                format!(
                    "{} {}credits in `{subject}` are more than the entry's {} {}credits in all",
                    shown(credits.amount),
                    credits.unit_beside(total),
                    shown(total.amount),
                    total.unit_beside(credits),
                ),
                self.reporter.span(&node.span),
                "credits in this subject",
            )
            .with_label(self.reporter.span(&total_node.span), "the entry's total")
            .with_help("a subject's credits are part of the entry's total; check both against the transcript"),
        );
    }

    fn subject_table(&mut self, node: &Node, what: &str, unit: CreditUnit) -> Option<Credits> {
        let table = self.reporter.table(node, what, "")?;
        self.reporter
            .unknown_keys(&table, SUBJECT_KEYS, "a subject");
        let unit = table
            .get("credit_unit")
            .and_then(|n| self.unit_of(n))
            .unwrap_or(unit);
        let Some(amount_node) = table.get("credits") else {
            self.reporter.missing(&table, "credits", "a subject", "12");
            return None;
        };
        let amount = self.credit_amount(amount_node, what)?;
        Some(Credits { amount, unit })
    }
}

/// The message for subject `again`, which names `first` once case, punctuation and spacing
/// are set aside: in a file (Q305) and in the REPL alike.
pub(crate) fn subject_again(again: &str, first: &str) -> String {
    format!(
        "subject `{}` is `{}` again: subjects are compared without regard to case, punctuation or spacing",
        crate::source::quoted(again),
        crate::source::quoted(first)
    )
}
