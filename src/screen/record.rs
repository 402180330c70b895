//! The compact decision record, `qualify-decision/3`: one line of JSON per applicant, for
//! pools. It states what the full record states about each decision (met or not, the path,
//! the arithmetic of a combination clause, what each failed path lacks, the figures the
//! evaluation looked at) without its repetition, and adds what a replay needs: the
//! applicant's content hash, its source, and the qualify version. `docs/semantics.md`
//! lists every field.

use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use sha2::{Digest, Sha256};

use crate::check::model::Exact;
use crate::diagnostics::Diagnostic;
use crate::eval::outcome::{CombinationFigure, Lacks, Shortfall, TierOutcome, Via};
use crate::eval::{Evaluation, PathOutcome, Query};
use crate::source::SourceMap;

use super::{Item, Screener};

/// The compact record's format.
pub const COMPACT_RECORD_VERSION: &str = "qualify-decision/3";

/// The qualify version that writes the records.
pub const QUALIFY_VERSION: &str = env!("CARGO_PKG_VERSION");

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
    let digest = Sha256::digest(bytes);
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
) -> Vec<u8> {
    let mut out = Vec::with_capacity(8192);
    let record = Compact {
        evaluation,
        source,
        hash,
        query,
    };
    if serde_json::to_writer(&mut out, &record).is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

/// The compact record as a JSON value (for replay's comparison).
pub fn compact_value(
    evaluation: &Evaluation<'_>,
    query: &Query,
    source: Source<'_>,
    hash: &str,
) -> serde_json::Value {
    let record = Compact {
        evaluation,
        source,
        hash,
        query,
    };
    serde_json::to_value(&record).unwrap_or(serde_json::Value::Null)
}

struct Compact<'e, 'a> {
    evaluation: &'e Evaluation<'a>,
    source: Source<'e>,
    hash: &'e str,
    query: &'e Query,
}

impl Serialize for Compact<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.evaluation;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("record", COMPACT_RECORD_VERSION)?;
        map.serialize_entry("id", &decision_id(e.rules_hash, self.hash, e.as_of))?;
        map.serialize_entry("qualify", QUALIFY_VERSION)?;
        map.serialize_entry("source", &self.source)?;
        map.serialize_entry(
            "applicant",
            &Who {
                id: e.applicant.id,
                name: e.applicant.name,
                sha256: self.hash,
            },
        )?;
        map.serialize_entry("as_of", &Text(e.as_of))?;
        map.serialize_entry("rules_hash", e.rules_hash)?;
        if !self.query.classes.is_empty() {
            map.serialize_entry("classes_asked", &self.query.classes)?;
        }
        if let Some(level) = &self.query.level {
            map.serialize_entry("level_asked", level)?;
        }
        map.serialize_entry("figures", &CompactFigures(e))?;
        map.serialize_entry("classes", &Classes(e))?;
        if !e.not_in_force.is_empty() {
            map.serialize_entry("not_in_force", &e.not_in_force)?;
        }
        map.end()
    }
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

/// An exact amount as text: `7` or `15/2`.
fn exact(value: Exact) -> ExactText {
    ExactText(value)
}

/// An exact amount written as text without the formatting machinery: most amounts are
/// whole, and a record holds dozens of them.
struct ExactText(Exact);

impl Serialize for ExactText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut numer = itoa::Buffer::new();
        let numer = numer.format(*self.0.numer());
        if *self.0.denom() == 1 {
            return s.serialize_str(numer);
        }
        let mut denom = itoa::Buffer::new();
        let denom = denom.format(*self.0.denom());
        let mut text = String::with_capacity(numer.len() + 1 + denom.len());
        text.push_str(numer);
        text.push('/');
        text.push_str(denom);
        s.serialize_str(&text)
    }
}

struct CompactFigures<'e, 'a>(&'e Evaluation<'a>);

/// The figures that are not zero or none: a fact the record does not list was zero (no
/// months, years or credits) or found nothing (no credential).
impl Serialize for CompactFigures<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let figures = self.0.figures();
        let zero = Exact::from_integer(0);
        let experience: Vec<_> = figures
            .experience
            .iter()
            .filter(|f| f.months.0 != zero)
            .map(|f| Figure {
                profile: f.profile,
                about: ("categories", Names::Many(f.categories)),
                accredited: false,
                value: ("months", exact(f.months.0)),
            })
            .collect();
        let education: Vec<_> = figures
            .education
            .iter()
            .filter(|f| f.years.0 != zero)
            .map(|f| Figure {
                profile: f.profile,
                about: ("fields", Names::One(f.fields)),
                accredited: f.accredited,
                value: ("years", exact(f.years.0)),
            })
            .collect();
        let credentials: Vec<_> = figures
            .credentials
            .iter()
            .filter_map(|f| {
                Some(Figure {
                    profile: f.profile,
                    about: ("fields", Names::One(f.fields)),
                    accredited: f.accredited,
                    value: ("best", Text(f.best?)),
                })
            })
            .collect();
        let credits: Vec<_> = figures
            .credits
            .iter()
            .filter(|f| f.credits.0 != zero)
            .map(|f| Figure {
                profile: f.profile,
                about: ("subjects", Names::One(Some(f.subjects))),
                accredited: false,
                value: ("credits", exact(f.credits.0)),
            })
            .collect();
        let mut map = s.serialize_map(None)?;
        if !experience.is_empty() {
            map.serialize_entry("experience", &experience)?;
        }
        if !education.is_empty() {
            map.serialize_entry("education", &education)?;
        }
        if !credentials.is_empty() {
            map.serialize_entry("credentials", &credentials)?;
        }
        if !credits.is_empty() {
            map.serialize_entry("credits", &credits)?;
        }
        map.end()
    }
}

/// The names a figure is about: a category set, or a field or subject set (none: any).
enum Names<'a> {
    Many(&'a [std::sync::Arc<str>]),
    One(Option<&'a str>),
}

/// One figure: its profile, what it is about, whether it asks for accreditation, its value.
struct Figure<'a, V> {
    profile: &'a str,
    about: (&'static str, Names<'a>),
    accredited: bool,
    value: (&'static str, V),
}

impl<V: Serialize> Serialize for Figure<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("profile", self.profile)?;
        match &self.about.1 {
            Names::Many(names) => map.serialize_entry(self.about.0, names)?,
            Names::One(Some(name)) => map.serialize_entry(self.about.0, name)?,
            Names::One(None) => {}
        }
        if self.accredited {
            map.serialize_entry("accredited", &true)?;
        }
        map.serialize_entry(self.value.0, &self.value.1)?;
        map.end()
    }
}

struct Classes<'e, 'a>(&'e Evaluation<'a>);

impl Serialize for Classes<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut seq = s.serialize_seq(Some(e.classes.len()))?;
        for class in &e.classes {
            seq.serialize_element(&ClassLine { e, class })?;
        }
        seq.end()
    }
}

struct ClassLine<'e, 'a> {
    e: &'e Evaluation<'a>,
    class: &'e crate::eval::ClassOutcome<'a>,
}

impl Serialize for ClassLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("code", self.class.code)?;
        map.serialize_entry("effective", &Text(self.class.version.effective))?;
        map.serialize_entry("highest_level_met", &self.class.highest_level_met)?;
        map.serialize_entry("levels", &Levels(self))?;
        map.end()
    }
}

struct Levels<'c, 'e, 'a>(&'c ClassLine<'e, 'a>);

/// The levels of a class, each with its tiers by name: `{"level":"B","minimum":{…}}`.
impl Serialize for Levels<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0.e;
        let mut seq = s.serialize_seq(None)?;
        for level in e.levels(self.0.class) {
            seq.serialize_element(&LevelLine { e, level })?;
        }
        seq.end()
    }
}

struct LevelLine<'e, 'a> {
    e: &'e Evaluation<'a>,
    level: &'e crate::eval::LevelOutcome<'a>,
}

impl Serialize for LevelLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("level", self.level.level)?;
        for tier in self.e.level_tiers(self.level) {
            map.serialize_entry(tier.tier.as_str(), &TierLine { e: self.e, tier })?;
        }
        map.end()
    }
}

struct TierLine<'e, 'a> {
    e: &'e Evaluation<'a>,
    tier: &'e TierOutcome<'a>,
}

impl Serialize for TierLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tier = self.tier;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("met", &tier.met)?;
        let paths = self.e.paths(tier);
        match paths.iter().find(|p| p.met) {
            Some(path) => write_path(&mut map, path)?,
            None => map.serialize_entry("paths", &PathsLine { e: self.e, paths })?,
        }
        map.end()
    }
}

/// Which path, and a combination's arithmetic, into the map of a tier or path.
fn write_path<M: SerializeMap>(map: &mut M, path: &PathOutcome<'_>) -> Result<(), M::Error> {
    match path.via {
        Via::Direct => map.serialize_entry("path", "direct")?,
        Via::Substitution { clause } => {
            map.serialize_entry("path", "substitution")?;
            map.serialize_entry("clause", &clause)?;
        }
    }
    if let Some(figure) = &path.combination {
        write_combination(map, figure)?;
    }
    Ok(())
}

fn write_combination<M: SerializeMap>(
    map: &mut M,
    figure: &CombinationFigure,
) -> Result<(), M::Error> {
    map.serialize_entry("credited", &exact(figure.credited.0))?;
    map.serialize_entry("required", &exact(figure.required.0))?;
    if !figure.includes_met {
        map.serialize_entry("includes_met", &false)?;
    }
    Ok(())
}

struct PathsLine<'e, 'a> {
    e: &'e Evaluation<'a>,
    paths: &'e [PathOutcome<'a>],
}

impl Serialize for PathsLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.paths.len()))?;
        for path in self.paths {
            seq.serialize_element(&PathLine { e: self.e, path })?;
        }
        seq.end()
    }
}

struct PathLine<'e, 'a> {
    e: &'e Evaluation<'a>,
    path: &'e PathOutcome<'a>,
}

impl Serialize for PathLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        write_path(&mut map, self.path)?;
        map.serialize_entry("lacks", &LacksLine(self.e.shortfalls(self.path)))?;
        map.end()
    }
}

struct LacksLine<'e, 'a>(Lacks<'e, 'a>);

impl Serialize for LacksLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0.iter() {
            seq.serialize_element(&LackLine {
                lacks: self.0,
                item,
            })?;
        }
        seq.end()
    }
}

struct LackLine<'e, 'a> {
    lacks: Lacks<'e, 'a>,
    item: &'e Shortfall<'a>,
}

impl Serialize for LackLine<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        match self.item {
            Shortfall::Experience {
                months, categories, ..
            } => {
                map.serialize_entry("kind", "experience")?;
                map.serialize_entry("months", &exact(months.0))?;
                map.serialize_entry("categories", categories)?;
            }
            Shortfall::Total {
                months, categories, ..
            } => {
                map.serialize_entry("kind", "total")?;
                map.serialize_entry("months", &exact(months.0))?;
                if !categories.is_empty() {
                    map.serialize_entry("categories", categories)?;
                }
            }
            Shortfall::Credential(lack) => {
                map.serialize_entry("kind", "credential")?;
                map.serialize_entry("credential", lack.credential)?;
                if let Some(fields) = lack.fields() {
                    map.serialize_entry("fields", fields)?;
                }
                if lack.accredited() {
                    map.serialize_entry("accredited", &true)?;
                }
                if let Some(included) = lack.includes() {
                    map.serialize_entry("includes_credits", &exact(included.credits.0))?;
                    map.serialize_entry("includes_subjects", included.subjects)?;
                }
            }
            Shortfall::Credits {
                credits, subjects, ..
            } => {
                map.serialize_entry("kind", "credits")?;
                map.serialize_entry("credits", &exact(credits.0))?;
                map.serialize_entry("subjects", subjects)?;
            }
            Shortfall::AnyOf { .. } => {
                map.serialize_entry("kind", "any_of")?;
                let alternatives: Vec<LacksLine<'_, '_>> =
                    self.lacks.alternatives(self.item).map(LacksLine).collect();
                map.serialize_entry("alternatives", &alternatives)?;
            }
        }
        map.end()
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
                let (line, column) = sources
                    .get(span.file)
                    .filter(|_| !d.labels().is_empty())
                    .map_or((1, 1), |file| file.line_col(span.start as usize));
                let line = u64::try_from(line).unwrap_or(u64::MAX);
                ErrorLine {
                    code: d.code().as_str(),
                    message: d.message().to_owned(),
                    // A JSON Lines pool holds one applicant a line: its line is the pool's.
                    line: item.line.map_or(line, |pool_line| {
                        pool_line.saturating_add(line.saturating_sub(1))
                    }),
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
            id: None,
            name: None,
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
