//! Notices to applicants: for one level of one class, met or not in a sentence; for a
//! requirement not met, the source sentence, what was counted from the application and what
//! is missing, in whole months and credits and in the rules' own words for categories and
//! fields; the nearest way to qualify; and what reproduces the decision on appeal. As plain
//! text and as a self-contained HTML page (every value escaped by `html-escape`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use num_traits::CheckedAdd;

use crate::applicant::{Applicant, CreditUnit, given};
use crate::check::CheckedRules;
use crate::check::model::Exact;
use crate::compile::Node;
use crate::eval::outcome::{Lacks, Shortfall};
use crate::eval::{Evaluation, PathOutcome, TierOutcome, Via};
use crate::source::{escape_controls, one_line};
use crate::syntax::ast::{OverlapRule, TierKind};

use super::Item;
use super::record::{QUALIFY_VERSION, decision_id};

/// The class and level a notice is written for, and the rules' words for their names.
#[derive(Clone, Debug, Default)]
pub struct NoticeFor {
    pub class: String,
    pub level: String,
    /// Experience categories by name: their descriptions.
    pub categories: BTreeMap<String, String>,
    /// Credentials by name: their titles ("Associate degree").
    pub credentials: BTreeMap<String, String>,
    /// Field sets by name: what people read for them (the description, else the label).
    pub field_sets: BTreeMap<String, String>,
    /// Profiles by name: how they count jobs held at the same time.
    pub overlap: BTreeMap<String, OverlapRule>,
}

impl NoticeFor {
    pub fn new(rules: &CheckedRules, class: &str, level: &str) -> NoticeFor {
        let model = rules.model();
        NoticeFor {
            class: class.to_owned(),
            level: level.to_owned(),
            categories: model
                .categories
                .iter()
                .map(|c| (c.name.clone(), c.description.clone()))
                .collect(),
            credentials: model
                .profiles
                .iter()
                .flat_map(|p| p.credentials.iter())
                .map(|c| (c.name.clone(), c.title.clone()))
                .collect(),
            field_sets: model
                .field_sets
                .iter()
                .map(|f| {
                    let words = if f.description.is_empty() {
                        f.label()
                    } else {
                        &f.description
                    };
                    (f.name.clone(), words.to_owned())
                })
                .collect(),
            overlap: model
                .profiles
                .iter()
                .map(|p| (p.name.clone(), p.overlap))
                .collect(),
        }
    }

    /// A field set in the rules' words, never its identifier.
    fn field_set(&self, name: &str) -> String {
        self.field_sets
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.replace('_', " "))
    }

    fn category(&self, name: &str) -> String {
        self.categories
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.replace('_', " "))
    }

    fn credential(&self, name: &str) -> String {
        self.credentials
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.replace('_', " "))
    }
}

/// One notice: a file name stem and its two renderings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// `000017-K-0002`: the applicant's place in the pool and its id, safe as a file name.
    pub stem: String,
    pub text: String,
    pub html: String,
}

/// The parts of a notice, before rendering.
struct Parts {
    title: String,
    who: String,
    result: String,
    /// For a minimum not met: the sentence quoted, its citation.
    quote: Option<(String, String)>,
    counted: Vec<String>,
    missing: Vec<String>,
    nearest: Option<String>,
    reproduce: Vec<String>,
}

/// The notice of an evaluation for the level asked for.
pub fn notice(
    evaluation: &Evaluation<'_>,
    applicant: &Applicant,
    which: &NoticeFor,
    item: &Item,
    hash: &str,
) -> Notice {
    let parts = parts(evaluation, applicant, which, hash);
    Notice {
        stem: stem(item, applicant),
        text: text(&parts),
        html: html(&parts),
    }
}

fn stem(item: &Item, applicant: &Applicant) -> String {
    let id: String = given(applicant.id.as_deref())
        .unwrap_or("applicant")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("{:06}-{id}", item.index + 1)
}

fn parts(
    evaluation: &Evaluation<'_>,
    applicant: &Applicant,
    which: &NoticeFor,
    hash: &str,
) -> Parts {
    let class = evaluation
        .classes
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(&which.class));
    let level_title = class
        .and_then(|c| evaluation.levels(c).iter().find(|l| l.level == which.level))
        .and_then(|l| l.rules.title.as_deref())
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let title = match class {
        Some(c) => format!("{} {}, level {}{level_title}", c.code, c.title, which.level),
        None => format!("{}, level {}{level_title}", which.class, which.level),
    };
    // What the applicant wrote (name, id, job titles, fields) is kept on its own line.
    let name = given(applicant.name.as_deref()).map(one_line);
    let id = given(applicant.id.as_deref()).map(one_line);
    let who = match (name, id) {
        (Some(name), Some(id)) => format!("{name} (application {id})"),
        (Some(name), None) => name.into_owned(),
        (None, Some(id)) => format!("application {id}"),
        (None, None) => "the applicant".to_owned(),
    };
    let minimum = evaluation.tiers().find(|t| {
        t.key.class.eq_ignore_ascii_case(&which.class)
            && t.key.level.eq_ignore_ascii_case(&which.level)
            && t.tier == TierKind::Minimum
    });
    let mut parts = Parts {
        title: title.clone(),
        who,
        result: String::new(),
        quote: None,
        counted: counted(
            evaluation,
            applicant,
            which,
            level_keys(evaluation, class, which),
        ),
        missing: Vec::new(),
        nearest: None,
        reproduce: reproduce(evaluation, class, hash),
    };
    match minimum {
        None => {
            parts.result = format!("{title} was not evaluated on {}.", evaluation.as_of);
        }
        Some(tier) if tier.met => {
            parts.result = format!(
                "You meet the minimum qualifications for {title}, {}.",
                met_by(evaluation, tier)
            );
        }
        Some(tier) => {
            parts.result = format!("You do not meet the minimum qualifications for {title}.");
            let paths = evaluation.paths(tier);
            if let Some(direct) = paths.first() {
                parts.quote = direct.quote().map(|q| {
                    (
                        q.to_owned(),
                        direct.citation().unwrap_or_default().to_owned(),
                    )
                });
                parts.missing = missing(evaluation.shortfalls(direct), which, Form::ListItem);
            }
            parts.nearest = nearest(evaluation, paths, which);
        }
    }
    parts
}

fn met_by(evaluation: &Evaluation<'_>, tier: &TierOutcome<'_>) -> String {
    match tier.via {
        Some(Via::Substitution { .. }) => {
            let quote = evaluation
                .paths(tier)
                .iter()
                .find(|p| p.met)
                .and_then(|p| p.quote());
            match quote {
                Some(q) => format!(
                    "through the substitution the rules allow: \"{}\"",
                    unstopped(q)
                ),
                None => "through a substitution the rules allow".to_owned(),
            }
        }
        _ => "as the requirement is written".to_owned(),
    }
}

/// The category sets of the experience the level's minimum tier counts, on any of its paths:
/// an evaluation computes the experience of every level of a class at once, and a notice
/// about one level says what that level counts.
fn level_keys<'e>(
    evaluation: &Evaluation<'e>,
    class: Option<&crate::eval::ClassOutcome<'e>>,
    which: &NoticeFor,
) -> Vec<&'e [std::sync::Arc<str>]> {
    let tree = evaluation.facts.tree;
    let level = class.and_then(|c| evaluation.levels(c).iter().find(|l| l.level == which.level));
    let Some(tier) = level.and_then(|l| l.rules.tiers.first()) else {
        return Vec::new();
    };
    let roots = std::iter::once(tier.requirement).chain(
        tier.substitutions
            .iter()
            .filter_map(|clause| clause.includes),
    );
    roots
        .flat_map(|root| tree.leaves(root))
        .filter_map(|node| match node {
            Node::Experience { key, .. } => Some(*key),
            _ => None,
        })
        .chain(
            tier.substitutions
                .iter()
                .filter_map(|clause| clause.experience),
        )
        .filter_map(|key| tree.experience_key(key))
        .map(|key| &*key.names)
        .collect()
}

/// What was counted from the application for the level: the jobs in the categories it
/// counts, and the education completed by the evaluation date, in whole months and credits.
fn counted(
    evaluation: &Evaluation<'_>,
    applicant: &Applicant,
    which: &NoticeFor,
    level_keys: Vec<&[std::sync::Arc<str>]>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let figures = evaluation.figures();
    let mut seen = std::collections::BTreeSet::new();
    // A job counted under several of the level's category sets (counseling alone, and
    // counseling or case management together) is listed once, under the first: listed
    // again, its months would read as counted again.
    let mut jobs_listed = std::collections::BTreeSet::new();
    let counted_here = |categories: &[std::sync::Arc<str>]| level_keys.contains(&categories);
    for figure in figures
        .experience
        .iter()
        .filter(|f| counted_here(f.categories))
    {
        let categories = figure
            .categories
            .iter()
            .map(|c| which.category(c))
            .collect::<Vec<_>>()
            .join(" or ");
        // The jobs' own months added up; `None` when the sum cannot be held exactly.
        let mut jobs_sum = Some(Exact::from_integer(0));
        for job in figure.counted_jobs.iter() {
            jobs_sum = jobs_sum.and_then(|sum| sum.checked_add(&job.months.0));
            // The title is the applicant's own text: its address names the job.
            if !jobs_listed.insert((job.title.as_ptr() as usize, job.start, job.end)) {
                continue;
            }
            // The last day counted, said as explain says it when it is not the job's own.
            let end = match job.written_end {
                Some(written) if written <= job.end => job.end.to_string(),
                Some(_) => format!("{} (cut at the date of this decision)", job.end),
                None => format!("{} (a current job)", job.end),
            };
            let line = format!(
                "{}, {} to {end}: {} of {categories}",
                one_line(job.title),
                job.start,
                whole_months_counted(job.months.0),
            );
            if seen.insert(line.clone()) {
                lines.push(line);
            }
        }
        // Jobs held at the same time count once for that time: the months the jobs list
        // add up to more than is counted, so the total is said, and why.
        if jobs_sum.is_none_or(|sum| figure.months.0 < sum) {
            let line = format!(
                "counted in all: {} of {categories} ({})",
                whole_months_counted(figure.months.0),
                overlap_words(which.overlap.get(figure.profile).copied())
            );
            if seen.insert(line.clone()) {
                lines.push(line);
            }
        }
    }
    // A job in the categories the level counts that starts after the evaluation date counts
    // for nothing (docs/semantics.md): it is named, and said not to count, as a degree
    // completed after that date is.
    let in_level = |job: &crate::applicant::Job| {
        level_keys.iter().any(|key| {
            key.iter()
                .any(|c| job.categories.iter().any(|j| **j == **c))
        })
    };
    for job in applicant
        .experience
        .iter()
        .filter(|job| job.start > evaluation.as_of && in_level(job))
    {
        lines.push(format!(
            "{}, starts {}, after the date of this decision: not counted",
            one_line(&job.title),
            job.start
        ));
    }
    for education in &applicant.education {
        let mut line = which.credential(&education.credential);
        if let Some(field) = &education.field {
            let _ = write!(line, " in {}", one_line(field));
        }
        if education.accredited {
            line.push_str(", accredited");
        }
        match education.completed {
            // A degree completed after the evaluation date counts for nothing
            // (docs/semantics.md): it is named, and said not to count.
            Some(done) if done > evaluation.as_of => {
                let _ = write!(
                    line,
                    ", completed {done}, after the date of this decision: not counted"
                );
            }
            Some(done) => {
                let _ = write!(line, ", completed {done}");
            }
            None => {}
        }
        lines.push(line);
    }
    for course in &applicant.coursework {
        let unit = match course.credits.unit {
            CreditUnit::Semester => "semester",
            CreditUnit::Quarter => "quarter",
        };
        let field = course
            .field
            .as_deref()
            .map_or(Cow::Borrowed("no stated field"), one_line);
        let one = course.credits.amount == crate::check::model::Exact::from_integer(1);
        lines.push(format!(
            "coursework in {field}: {} {unit} credit{}",
            amount_words(course.credits.amount),
            if one { "" } else { "s" }
        ));
    }
    if lines.is_empty() {
        lines.push("no jobs or education that these requirements count".to_owned());
    }
    lines
}

/// Months counted, in whole months: "7 months", "7 full months and part of another", or
/// "part of a month".
fn whole_months_counted(months: Exact) -> String {
    let whole = whole_down(months);
    let unit = if whole == 1 { "month" } else { "months" };
    if months.is_integer() {
        format!("{whole} {unit}")
    } else if whole == 0 {
        "part of a month".to_owned()
    } else {
        format!("{whole} full {unit} and part of another")
    }
}

/// Why the jobs' own months add up to more than is counted, for a person.
fn overlap_words(rule: Option<OverlapRule>) -> &'static str {
    match rule {
        Some(OverlapRule::LargestJobOnly) => {
            "for time in jobs held at the same time, only the largest job counts"
        }
        _ => "time in jobs held at the same time counts once, up to full time",
    }
}

/// An amount as the applicant wrote it, for a person: whole, or a decimal cut to two places
/// ("44.90"), with "just over" or "less than 0.01" where two places would hide a fraction.
fn amount_words(value: Exact) -> String {
    let shown = crate::eval::month_words::decimal(value);
    if value.is_integer() || !shown.ends_with(".00") {
        return shown;
    }
    match whole_down(value) {
        0 => "less than 0.01".to_owned(),
        whole => format!("just over {whole}"),
    }
}

fn whole_down(value: Exact) -> i64 {
    value.floor().to_integer()
}

/// What a path lacks, for a person: whole units, the rules' words.
/// Where a lack is written: as an item of a list ("Associate degree or higher"), or within
/// a sentence, where a credential takes its article ("it needs an associate degree or
/// higher").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    ListItem,
    InSentence,
}

fn missing(lacks: Lacks<'_, '_>, which: &NoticeFor, form: Form) -> Vec<String> {
    lacks
        .iter()
        .map(|item| lack(lacks, item, which, form))
        .collect()
}

fn lack(lacks: Lacks<'_, '_>, item: &Shortfall<'_>, which: &NoticeFor, form: Form) -> String {
    let months = |n: i64| format!("{n} more month{}", if n == 1 { "" } else { "s" });
    let categories = |names: &[std::sync::Arc<str>]| {
        names
            .iter()
            .map(|c| which.category(c))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match item {
        Shortfall::Experience {
            whole_months,
            categories: names,
            ..
        } if counts_toward_total(lacks, item) => format!(
            "{} of {} (months that count toward that total too)",
            months(*whole_months),
            categories(names)
        ),
        Shortfall::Experience {
            whole_months,
            categories: names,
            ..
        } => format!("{} of {}", months(*whole_months), categories(names)),
        Shortfall::Total {
            whole_months,
            categories: names,
            ..
        } if !names.is_empty() => format!(
            "{} of education and {} together",
            months(*whole_months),
            categories(names)
        ),
        Shortfall::Total { whole_months, .. } => {
            format!(
                "{} of education and experience together",
                months(*whole_months)
            )
        }
        Shortfall::Credential(need) => {
            let title = match form {
                Form::ListItem => need.title().to_owned(),
                Form::InSentence => crate::eval::with_article(need.title()),
            };
            let mut text = format!("{title} or higher");
            if need.accredited() {
                text.push_str(" from an accredited school");
            }
            if let Some(fields) = need.fields() {
                let _ = write!(text, " in {}", which.field_set(fields));
            }
            if let Some(included) = need.includes() {
                let credits = super::super::eval::outcome::ceil(included.credits.0);
                let _ = write!(
                    text,
                    " that includes {credits} credit{} in {}",
                    if credits == 1 { "" } else { "s" },
                    which.field_set(included.subjects)
                );
            }
            text
        }
        Shortfall::Credits {
            whole_credits,
            subjects,
            ..
        } => format!(
            "{whole_credits} more semester credit{} in {}",
            if *whole_credits == 1 { "" } else { "s" },
            which.field_set(subjects)
        ),
        Shortfall::AnyOf { .. } => {
            let alternatives: Vec<String> = lacks
                .alternatives(item)
                .map(|alt| missing(alt, which, form).join(" and "))
                .collect();
            format!("one of: {}", alternatives.join("; or "))
        }
    }
}

/// The path with the smallest shortfall: fewest credentials lacking, then fewest months.
fn nearest(
    evaluation: &Evaluation<'_>,
    paths: &[PathOutcome<'_>],
    which: &NoticeFor,
) -> Option<String> {
    let best = paths
        .iter()
        .min_by_key(|p| distance(evaluation.shortfalls(p)))?;
    let how = match best.via {
        Via::Direct => "as the requirement is written".to_owned(),
        Via::Substitution { .. } => match best.quote() {
            Some(q) => format!("through the substitution \"{}\"", unstopped(q)),
            None => "through a substitution the rules allow".to_owned(),
        },
    };
    let needs = missing(evaluation.shortfalls(best), which, Form::InSentence).join(", and ");
    Some(format!(
        "The nearest way to qualify is {how}: it needs {needs}."
    ))
}

/// How far a path is from being met: the credentials it lacks, then the months and credits.
/// Of an either/or, the nearest of its alternatives counts. Months of experience that also
/// count toward a combination's total (a category of the experience is one of the total's)
/// make up both shortfalls at once, so the larger of the two counts, not their sum.
fn distance(lacks: Lacks<'_, '_>) -> (u64, i64) {
    let mut credentials = 0u64;
    let mut months: i64 = 0;
    let mut total: i64 = 0;
    let mut toward_total: i64 = 0;
    for item in lacks.iter() {
        match item {
            Shortfall::Experience { whole_months, .. } if counts_toward_total(lacks, item) => {
                toward_total = toward_total.saturating_add(*whole_months);
            }
            Shortfall::Experience { whole_months, .. } => {
                months = months.saturating_add(*whole_months);
            }
            Shortfall::Total { whole_months, .. } => {
                total = total.saturating_add(*whole_months);
            }
            Shortfall::Credits { whole_credits, .. } => {
                months = months.saturating_add(*whole_credits);
            }
            Shortfall::AnyOf { .. } => {
                let (c, m) = lacks
                    .alternatives(item)
                    .map(distance)
                    .min()
                    .unwrap_or((1, 0));
                credentials = credentials.saturating_add(c);
                months = months.saturating_add(m);
            }
            Shortfall::Credential(_) => credentials += 1,
        }
    }
    (credentials, months.saturating_add(total.max(toward_total)))
}

/// Whether `item`, an experience shortfall, can be made up by months that count toward a
/// combination total the same path lacks: one of its categories is one of the total's.
fn counts_toward_total(lacks: Lacks<'_, '_>, item: &Shortfall<'_>) -> bool {
    let Shortfall::Experience { categories, .. } = item else {
        return false;
    };
    lacks.iter().any(|other| match other {
        Shortfall::Total {
            categories: counted,
            ..
        } => categories.iter().any(|c| counted.contains(c)),
        _ => false,
    })
}

fn reproduce(
    evaluation: &Evaluation<'_>,
    class: Option<&crate::eval::ClassOutcome<'_>>,
    hash: &str,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(class) = class {
        lines.push(format!(
            "rules: {} in force from {} ({})",
            class.code, class.version.effective, class.version.source
        ));
    }
    lines.push(format!("rules content hash: {}", evaluation.rules_hash));
    lines.push(format!(
        "evaluated as of {} by qualify {QUALIFY_VERSION}",
        evaluation.as_of
    ));
    lines.push(format!("application content hash: {hash}"));
    lines.push(format!(
        "decision record: {}",
        decision_id(evaluation.rules_hash, hash, evaluation.as_of)
    ));
    lines
}

/// The plain-text notice; control characters from the rules' text are written as escapes,
/// never raw.
fn text(parts: &Parts) -> String {
    escape_controls(&text_raw(parts)).into_owned()
}

fn text_raw(parts: &Parts) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Screening notice: {}", parts.title);
    let _ = writeln!(out, "For {}\n", parts.who);
    let _ = writeln!(out, "{}\n", parts.result);
    if let Some((quote, citation)) = &parts.quote {
        let _ = writeln!(
            out,
            "The requirement reads:\n  \"{quote}\"\n  ({citation})\n"
        );
    }
    let _ = writeln!(out, "What we read from your application:");
    for line in &parts.counted {
        let _ = writeln!(out, "  - {line}");
    }
    if !parts.missing.is_empty() {
        let _ = writeln!(out, "\nWhat is missing:");
        for line in &parts.missing {
            let _ = writeln!(out, "  - {line}");
        }
    }
    if let Some(nearest) = &parts.nearest {
        let _ = writeln!(out, "\n{nearest}");
    }
    let _ = writeln!(
        out,
        "\nIf you ask for this decision to be reviewed, quote these lines; they reproduce it:"
    );
    for line in &parts.reproduce {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// Text for the page: HTML's special characters as entities, and control characters
/// (which HTML does not allow) as escapes.
fn esc(text: &str) -> Cow<'_, str> {
    match html_escape::encode_text(text) {
        Cow::Borrowed(plain) => escape_controls(plain),
        Cow::Owned(encoded) => Cow::Owned(escape_controls(&encoded).into_owned()),
    }
}

fn html(parts: &Parts) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    let _ = writeln!(
        out,
        "<title>Screening notice: {}</title>",
        esc(&parts.title)
    );
    out.push_str(
        "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.4}\
         blockquote{border-left:3px solid #888;margin-left:0;padding-left:1em}\
         .repro{font-family:monospace;font-size:0.9em}</style>\n</head>\n<body>\n",
    );
    let _ = writeln!(
        out,
        "<h1>Screening notice</h1>\n<p>{}</p>",
        esc(&parts.title)
    );
    let _ = writeln!(out, "<p>For {}</p>", esc(&parts.who));
    let _ = writeln!(out, "<p><strong>{}</strong></p>", esc(&parts.result));
    if let Some((quote, citation)) = &parts.quote {
        let _ = writeln!(
            out,
            "<h2>The requirement</h2>\n<blockquote><p>{}</p></blockquote>\n<p>({})</p>",
            esc(quote),
            esc(citation)
        );
    }
    list(
        &mut out,
        "What we read from your application",
        &parts.counted,
    );
    if !parts.missing.is_empty() {
        list(&mut out, "What is missing", &parts.missing);
    }
    if let Some(nearest) = &parts.nearest {
        let _ = writeln!(out, "<p>{}</p>", esc(nearest));
    }
    out.push_str(
        "<h2>Reproducing this decision</h2>\n<p>If you ask for this decision to be reviewed, \
         quote these lines; they reproduce it:</p>\n<ul class=\"repro\">\n",
    );
    for line in &parts.reproduce {
        let _ = writeln!(out, "<li>{}</li>", esc(line));
    }
    out.push_str("</ul>\n</body>\n</html>\n");
    out
}

fn list(out: &mut String, heading: &str, items: &[String]) {
    let _ = writeln!(out, "<h2>{}</h2>\n<ul>", esc(heading));
    for item in items {
        let _ = writeln!(out, "<li>{}</li>", esc(item));
    }
    out.push_str("</ul>\n");
}

/// A quoted sentence without its closing full stop, for a sentence that goes on after it.
fn unstopped(quote: &str) -> &str {
    quote.strip_suffix('.').unwrap_or(quote)
}
