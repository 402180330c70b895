//! The compact decision record, `qualify-decision/3`: one line of JSON per applicant, for
//! pools. It states what the full record states about each decision (met or not, the path,
//! the arithmetic of a combination clause, what each failed path lacks, the figures the
//! evaluation looked at) without its repetition, and adds what a replay needs: the
//! applicant's content hash, its source, and the qualify version. `docs/semantics.md`
//! lists every field.

use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use sha2::{Digest, Sha256};

use crate::check::model::Exact;
use crate::diagnostics::Diagnostic;
use crate::eval::outcome::{CombinationFigure, Lacks, Shortfall, TierOutcome, Via};
use crate::eval::{ClassOutcome, Evaluation, LevelOutcome, PathOutcome, Query};
use crate::source::SourceMap;

pub use super::json_bytes::Names;
use super::json_bytes::{JsonBytes, Object};
use super::{Item, Screener};

/// The compact record's format.
pub const COMPACT_RECORD_VERSION: &str = "qualify-decision/3";

pub use crate::eval::outcome::QUALIFY_VERSION;

/// Where an applicant was read: a file, and the line for a JSON Lines pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source<'s> {
    pub file: &'s str,
    pub line: Option<u64>,
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(self.file),
        }
    }
}

impl Serialize for Source<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("file", self.file)?;
        if let Some(line) = self.line {
            map.serialize_entry("line", &line)?;
        }
        map.end()
    }
}

/// `sha256:` and the SHA-256 of the applicant's bytes as read (the file, or the line
/// without its line ending), in lower-case hex.
pub fn applicant_hash(bytes: &[u8]) -> String {
    hash_text(Sha256::new_with_prefix(bytes))
}

/// `sha256:` and the digest of `hasher` in lower-case hex, as [`applicant_hash`] writes it,
/// for bytes hashed as they are read.
pub fn hash_text(hasher: Sha256) -> String {
    let digest = hasher.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        out.push(hex_digit(byte >> 4));
        out.push(hex_digit(byte & 0xf));
    }
    out
}

/// A decision record's id: `d-` and the first 16 hex digits of the SHA-256 of the rules
/// hash, the applicant hash and the evaluation date, each followed by a zero byte. The same
/// inputs give the same id; any other input gives another.
pub fn decision_id(rules_hash: &str, applicant_hash: &str, as_of: jiff::civil::Date) -> String {
    let mut hasher = Sha256::new();
    for part in [rules_hash, applicant_hash, &as_of.to_string()] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let mut out = String::from("d-");
    for byte in hasher.finalize().iter().take(8) {
        out.push(hex_digit(byte >> 4));
        out.push(hex_digit(byte & 0xf));
    }
    out
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16).unwrap_or('0')
}

/// The compact record of an evaluation, as one line ending in `\n`.
pub fn compact_line(
    evaluation: &Evaluation<'_>,
    query: &Query,
    source: Source<'_>,
    hash: &str,
    names: Names,
) -> Vec<u8> {
    let mut out = JsonBytes::with_capacity(8192, names);
    write_record(&mut out, evaluation, query, source, hash);
    let mut bytes = out.into_bytes();
    bytes.push(b'\n');
    bytes
}

fn write_record(
    out: &mut JsonBytes,
    e: &Evaluation<'_>,
    query: &Query,
    source: Source<'_>,
    hash: &str,
) {
    let mut record = out.object();
    record.key("record").word(COMPACT_RECORD_VERSION);
    record
        .key("id")
        .string(&decision_id(e.rules_hash, hash, e.as_of));
    record.key("qualify").word(QUALIFY_VERSION);
    write_source(record.key("source"), source);
    let mut who = record.key("applicant").object();
    if let Some(id) = e.applicant.id {
        who.key("id").string(id);
    }
    if let Some(name) = e.applicant.name {
        who.key("name").string(name);
    }
    who.key("sha256").string(hash);
    who.end();
    record.key("as_of").date(e.as_of);
    record.key("rules_hash").string(e.rules_hash);
    if !query.classes.is_empty() {
        record.key("classes_asked").strings(&query.classes);
    }
    if let Some(level) = &query.level {
        record.key("level_asked").string(level);
    }
    write_figures(record.key("figures"), e);
    let mut classes = record.key("classes").array();
    for class in &e.classes {
        write_class(classes.item(), e, class);
    }
    classes.end();
    if !e.not_in_force.is_empty() {
        record.key("not_in_force").names(&e.not_in_force);
    }
    record.end();
}

fn write_source(out: &mut JsonBytes, source: Source<'_>) {
    let mut map = out.object();
    map.key("file").string(source.file);
    if let Some(line) = source.line {
        map.key("line").unsigned(line);
    }
    map.end();
}

/// The figures that are not zero or none: a fact the record does not list was zero (no
/// months, years or credits) or found nothing (no credential).
fn write_figures(out: &mut JsonBytes, e: &Evaluation<'_>) {
    let figures = e.figures();
    let zero = Exact::from_integer(0);
    let mut map = out.object();
    let experience = figures.experience.iter().filter(|f| f.months.0 != zero);
    write_figure_list(&mut map, "experience", experience, |figure, f| {
        figure.key("profile").name(f.profile);
        figure.key("categories").names(f.categories);
        figure.key("months").exact(f.months.0);
    });
    let education = figures.education.iter().filter(|f| f.years.0 != zero);
    write_figure_list(&mut map, "education", education, |figure, f| {
        figure.key("profile").name(f.profile);
        about_and_accredited(figure, f.fields, f.accredited);
        figure.key("years").exact(f.years.0);
    });
    let credentials = figures
        .credentials
        .iter()
        .filter_map(|f| Some((f, f.best?)));
    write_figure_list(&mut map, "credentials", credentials, |figure, (f, best)| {
        figure.key("profile").name(f.profile);
        about_and_accredited(figure, f.fields, f.accredited);
        figure.key("best").name(best);
    });
    let credits = figures.credits.iter().filter(|f| f.credits.0 != zero);
    write_figure_list(&mut map, "credits", credits, |figure, f| {
        figure.key("profile").name(f.profile);
        figure.key("subjects").name(f.subjects);
        figure.key("credits").exact(f.credits.0);
    });
    map.end();
}

/// One kind of figure under `key`, each an object written by `write`; nothing when there
/// is none.
fn write_figure_list<T>(
    map: &mut Object<'_>,
    key: &str,
    figures: impl Iterator<Item = T>,
    write: impl Fn(&mut Object<'_>, T),
) {
    let mut figures = figures.peekable();
    if figures.peek().is_none() {
        return;
    }
    let mut list = map.key(key).array();
    for f in figures {
        let mut figure = list.item().object();
        write(&mut figure, f);
        figure.end();
    }
    list.end();
}

/// A figure's field set (none: any field) and whether it asks for accreditation.
fn about_and_accredited(figure: &mut Object<'_>, fields: Option<&str>, accredited: bool) {
    if let Some(fields) = fields {
        figure.key("fields").name(fields);
    }
    if accredited {
        figure.key("accredited").boolean(true);
    }
}

fn write_class(out: &mut JsonBytes, e: &Evaluation<'_>, class: &ClassOutcome<'_>) {
    let mut map = out.object();
    map.key("code").name(class.code);
    map.key("effective").date(class.version.effective);
    map.key("highest_level_met")
        .optional_name(class.highest_level_met);
    let mut levels = map.key("levels").array();
    for level in e.levels(class) {
        write_level(levels.item(), e, level);
    }
    levels.end();
    map.end();
}

/// A level with its tiers by name: `{"level":"B","minimum":{…}}`.
fn write_level(out: &mut JsonBytes, e: &Evaluation<'_>, level: &LevelOutcome<'_>) {
    let mut map = out.object();
    map.key("level").name(level.level);
    for tier in e.level_tiers(level) {
        write_tier(map.key(tier.tier.as_str()), e, tier);
    }
    map.end();
}

fn write_tier(out: &mut JsonBytes, e: &Evaluation<'_>, tier: &TierOutcome<'_>) {
    let mut map = out.object();
    map.key("met").boolean(tier.met);
    let paths = e.paths(tier);
    match paths.iter().find(|p| p.met) {
        Some(path) => write_path(&mut map, path),
        None => {
            let mut list = map.key("paths").array();
            for path in paths {
                let mut failed = list.item().object();
                write_path(&mut failed, path);
                write_lacks(failed.key("lacks"), e.shortfalls(path));
                failed.end();
            }
            list.end();
        }
    }
    map.end();
}

/// Which path, and a combination's arithmetic, into the object of a tier or path.
fn write_path(map: &mut Object<'_>, path: &PathOutcome<'_>) {
    match path.via {
        Via::Direct => map.key("path").word("direct"),
        Via::Substitution { clause } => {
            map.key("path").word("substitution");
            map.key("clause").unsigned(u64::from(clause));
        }
    }
    if let Some(figure) = &path.combination {
        write_combination(map, figure);
    }
}

fn write_combination(map: &mut Object<'_>, figure: &CombinationFigure) {
    map.key("credited").exact(figure.credited.0);
    map.key("required").exact(figure.required.0);
    if !figure.includes_met {
        map.key("includes_met").boolean(false);
    }
}

fn write_lacks(out: &mut JsonBytes, lacks: Lacks<'_, '_>) {
    let mut list = out.array();
    for item in lacks.iter() {
        write_lack(list.item(), lacks, item);
    }
    list.end();
}

fn write_lack(out: &mut JsonBytes, lacks: Lacks<'_, '_>, item: &Shortfall<'_>) {
    let mut map = out.object();
    match item {
        Shortfall::Experience {
            months, categories, ..
        } => {
            map.key("kind").word("experience");
            map.key("months").exact(months.0);
            map.key("categories").names(categories);
        }
        Shortfall::Total {
            months, categories, ..
        } => {
            map.key("kind").word("total");
            map.key("months").exact(months.0);
            if !categories.is_empty() {
                map.key("categories").names(categories);
            }
        }
        Shortfall::Credential(lack) => {
            map.key("kind").word("credential");
            map.key("credential").name(lack.credential);
            if let Some(fields) = lack.fields() {
                map.key("fields").name(fields);
            }
            if lack.accredited() {
                map.key("accredited").boolean(true);
            }
            if let Some(included) = lack.includes() {
                map.key("includes_credits").exact(included.credits.0);
                map.key("includes_subjects").name(included.subjects);
            }
        }
        Shortfall::Credits {
            credits, subjects, ..
        } => {
            map.key("kind").word("credits");
            map.key("credits").exact(credits.0);
            map.key("subjects").name(subjects);
        }
        Shortfall::AnyOf { .. } => {
            map.key("kind").word("any_of");
            let mut alternatives = map.key("alternatives").array();
            for alternative in lacks.alternatives(item) {
                write_lacks(alternatives.item(), alternative);
            }
            alternatives.end();
        }
    }
    map.end();
}

#[derive(Serialize)]
struct Who<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    sha256: &'a str,
}

/// A value written through its `Display`, with no intermediate string.
struct Text<T>(T);

impl<T: fmt::Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// One diagnostic of an applicant that could not be read, placed in the pool: the line of
/// the pool for a JSON Lines pool, else the line in its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorLine {
    pub code: &'static str,
    pub message: String,
    pub line: u64,
    pub column: u64,
}

impl ErrorLine {
    /// Every diagnostic of `item`, placed.
    pub fn of(item: &Item, diagnostics: &[Diagnostic], sources: &SourceMap) -> Vec<ErrorLine> {
        diagnostics
            .iter()
            .map(|d| {
                let span = d.span();
                let file = sources.get(span.file).filter(|_| !d.labels().is_empty());
                let offset = span.start as usize;
                let (line, column) = match (item.line, file) {
                    // A JSON Lines pool holds one applicant a line, and a lone `\r` inside it
                    // is white space: the line is the pool's, the column counted along it.
                    (Some(pool_line), Some(file)) => (pool_line, file.column_in_one_line(offset)),
                    (Some(pool_line), None) => (pool_line, 1),
                    (None, Some(file)) => {
                        let (line, column) = file.line_col(offset);
                        (u64::try_from(line).unwrap_or(u64::MAX), column)
                    }
                    (None, None) => (1, 1),
                };
                ErrorLine {
                    code: d.code().as_str(),
                    message: d.message().to_owned(),
                    line,
                    column: u64::try_from(column).unwrap_or(u64::MAX),
                }
            })
            .collect()
    }
}

impl fmt::Display for ErrorLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, self.code, self.message
        )
    }
}

/// The record of an applicant that could not be screened: its source, hash and every
/// diagnostic, as one line.
pub(super) fn error_line(
    errors: &[ErrorLine],
    source: Source<'_>,
    hash: &str,
    screener: &Screener<'_>,
    read: Option<&crate::applicant::Applicant>,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct ErrorRecord<'r> {
        record: &'static str,
        qualify: &'static str,
        source: Source<'r>,
        applicant: Who<'r>,
        as_of: Text<jiff::civil::Date>,
        rules_hash: &'r str,
        errors: &'r [ErrorLine],
    }
    let record = ErrorRecord {
        record: COMPACT_RECORD_VERSION,
        qualify: QUALIFY_VERSION,
        source,
        applicant: Who {
            id: read.and_then(|a| a.id.as_deref()),
            name: read.and_then(|a| a.name.as_deref()),
            sha256: hash,
        },
        as_of: Text(screener.query.as_of),
        rules_hash: screener.program.content_hash(),
        errors,
    };
    let mut out = serde_json::to_vec(&record).unwrap_or_default();
    out.push(b'\n');
    out
}
