//! The decision record: what an evaluation found, with figures and computed shortfalls.
//!
//! Serialised as JSON it is the versioned record `qualify-decision/2` (docs/semantics.md).
//! Names borrow from the program and the applicant (`'a`), so building a record copies no
//! text and touches no reference count.

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use smallvec::SmallVec;

use crate::applicant::Job;
use crate::check::model::Exact;
use crate::compile::{CitationInfo, NeedNames};
use crate::syntax::ast::TierKind;

pub use super::amounts::{
    CreditAmount, Months, Years, exact_string, format_months, format_threshold_months, plural,
};
use super::facts::Facts;
use super::trace::Trace;

/// The record format this crate writes.
pub const RECORD_VERSION: &str = "qualify-decision/2";

/// The qualify version that writes the records.
pub const QUALIFY_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One evaluation of one applicant against a rule set at a date.
#[derive(Clone, Debug)]
pub struct Evaluation<'a> {
    /// Always [`RECORD_VERSION`].
    pub record: &'static str,
    pub applicant: ApplicantRef<'a>,
    pub as_of: Date,
    pub rules_hash: &'a str,
    /// The facts the evaluated tiers looked at, each computed once; read them named, as the
    /// record states them, through [`Evaluation::figures`].
    pub(crate) facts: Facts<'a>,
    pub classes: Vec<ClassOutcome<'a>>,
    /// Every level outcome, class by class; a class holds its run of them.
    pub(crate) levels: Vec<LevelOutcome<'a>>,
    /// Every tier outcome, in class, level and tier order; a level holds its run of them.
    pub(crate) tiers: Vec<TierOutcome<'a>>,
    /// Every path outcome, tier by tier; a tier holds its run of them.
    pub(crate) paths: Vec<PathOutcome<'a>>,
    /// Every shortfall, path by path; a path holds its run of them.
    pub(crate) shortfalls: Vec<Shortfall<'a>>,
    /// The shortfalls inside `AnyOf` alternatives, alternative by alternative.
    pub(crate) nested_shortfalls: Vec<Shortfall<'a>>,
    /// Each `AnyOf` alternative as a run of `nested_shortfalls`; an `AnyOf` holds its run
    /// of them.
    pub(crate) alternatives: Vec<Run>,
    /// Classes with no version in force on `as_of` (not evaluated).
    pub not_in_force: Vec<&'a str>,
    /// The per-node audit trace, when asked for.
    pub trace: Option<Trace<'a>>,
}

impl Serialize for Evaluation<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut record = s.serialize_struct("Evaluation", 10)?;
        record.serialize_field("record", self.record)?;
        record.serialize_field("qualify", QUALIFY_VERSION)?;
        record.serialize_field("applicant", &self.applicant)?;
        record.serialize_field("as_of", &DateText(self.as_of))?;
        record.serialize_field("rules_hash", self.rules_hash)?;
        record.serialize_field("figures", &self.figures())?;
        record.serialize_field("classes", &super::record_json::Classes(self))?;
        record.serialize_field("not_in_force", &self.not_in_force)?;
        record.serialize_field("labels", &self.labels())?;
        record.serialize_field("profiles", &super::record_json::Profiles(self))?;
        record.end()
    }
}

impl<'a> Evaluation<'a> {
    /// The label, description and notes of each field set and category the record names
    /// (in its figures and shortfalls), by name: the record keeps identifiers, and this is
    /// what people read for them.
    pub fn labels(
        &self,
    ) -> std::collections::BTreeMap<&'a str, &'a crate::compile::VocabularyLabel> {
        let program: &'a crate::compile::Program = self.facts.program;
        let mut names: Vec<&'a str> = Vec::new();
        let figures = self.figures();
        for figure in &figures.experience {
            names.extend(figure.categories.iter().map(|c| &**c));
        }
        names.extend(figures.education.iter().filter_map(|f| f.fields));
        names.extend(figures.credentials.iter().filter_map(|f| f.fields));
        names.extend(figures.credits.iter().map(|f| f.subjects));
        for shortfall in self.shortfalls.iter().chain(&self.nested_shortfalls) {
            match shortfall {
                Shortfall::Experience { categories, .. } | Shortfall::Total { categories, .. } => {
                    names.extend(categories.iter().map(|c| &**c));
                }
                Shortfall::Credential(lack) => {
                    names.extend(lack.fields());
                    names.extend(lack.includes().map(|i| i.subjects));
                }
                Shortfall::Credits { subjects, .. } => names.push(subjects),
                Shortfall::AnyOf { .. } => {}
            }
        }
        names
            .into_iter()
            .filter_map(|name| program.vocabulary_label(name).map(|label| (name, label)))
            .collect()
    }
}

/// A date serialised as ISO 8601 text.
struct DateText(Date);

impl Serialize for DateText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'a> Evaluation<'a> {
    /// A record of no outcomes yet, for the applicant and date of `facts`.
    #[inline(always)]
    pub(crate) fn empty(facts: Facts<'a>) -> Evaluation<'a> {
        Evaluation {
            record: RECORD_VERSION,
            applicant: ApplicantRef {
                id: facts.applicant.id.as_deref(),
                name: facts.applicant.name.as_deref(),
                sha256: None,
            },
            as_of: facts.as_of,
            rules_hash: &facts.program.hash,
            facts,
            classes: Vec::new(),
            levels: Vec::new(),
            tiers: Vec::new(),
            paths: Vec::new(),
            shortfalls: Vec::new(),
            nested_shortfalls: Vec::new(),
            alternatives: Vec::new(),
            not_in_force: Vec::new(),
            trace: None,
        }
    }

    /// The facts the evaluated tiers looked at, named as the record states them.
    pub fn figures(&self) -> Figures<'a> {
        super::figures::figures(&self.facts)
    }

    /// Every tier outcome, in class, level and tier order.
    pub fn tiers(&self) -> impl Iterator<Item = &TierOutcome<'a>> {
        self.tiers.iter()
    }

    /// The levels evaluated of a class of this evaluation, in order.
    pub fn levels(&self, class: &ClassOutcome<'a>) -> &[LevelOutcome<'a>] {
        class.levels.of(&self.levels)
    }

    /// The tiers evaluated of a level of this evaluation: the minimum, then the recommended.
    pub fn level_tiers(&self, level: &LevelOutcome<'a>) -> &[TierOutcome<'a>] {
        level.tiers.of(&self.tiers)
    }

    /// The paths of a tier of this evaluation: the direct path, then each substitution
    /// clause.
    pub fn paths(&self, tier: &TierOutcome<'a>) -> &[PathOutcome<'a>] {
        tier.paths.of(&self.paths)
    }

    /// What a path of this evaluation lacks (empty when it is met).
    pub fn shortfalls(&self, path: &PathOutcome<'a>) -> Lacks<'_, 'a> {
        Lacks {
            items: path.shortfalls.of(&self.shortfalls),
            nested: &self.nested_shortfalls,
            alternatives: &self.alternatives,
        }
    }

    /// The outcome of one tier, by key.
    pub fn tier(&self, key: &TierKey<'_>) -> Option<&TierOutcome<'a>> {
        self.tiers().find(|t| t.key == *key)
    }
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ApplicantRef<'a> {
    pub id: Option<&'a str>,
    pub name: Option<&'a str>,
    /// `sha256:` and the SHA-256 of the applicant file as read, set by the caller that read
    /// it; absent for an applicant that is no file's content (one edited in the REPL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<&'a str>,
}

/// Months credited per category set, and the other per-applicant facts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Figures<'a> {
    pub experience: Vec<ExperienceFigure<'a>>,
    pub education: Vec<EducationFigure<'a>>,
    pub credentials: Vec<CredentialFigure<'a>>,
    pub credits: Vec<CreditFigure<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExperienceFigure<'a> {
    pub profile: &'a str,
    pub categories: &'a [Arc<str>],
    pub months: Months,
    /// Jobs that contributed time.
    pub jobs: u32,
    /// Each job that counted, with the months it alone earns (before overlap).
    pub counted_jobs: CountedJobs<'a>,
    /// Calendar months in which two or more of these jobs ran at once, counted once.
    pub overlap_months: Months,
}

/// The jobs that counted toward an experience figure, by their place in the applicant's
/// file. What each job alone earns is worked out as the jobs are read ([`CountedJobs::iter`]),
/// so the decision itself never pays for it; serialised, it is the list of [`JobFigure`]s.
#[derive(Clone, Debug)]
pub struct CountedJobs<'a> {
    /// The applicant's jobs, in file order.
    pub(crate) jobs: &'a [Job],
    /// Indices into `jobs` of those that counted, in file order.
    pub(crate) counted: SmallVec<[u32; 6]>,
    pub(crate) as_of: Date,
    /// The profile's full-time weekly hours.
    pub(crate) full_time: Exact,
}

impl<'a> CountedJobs<'a> {
    /// Each job that counted, with the months it alone earns, in file order.
    pub fn iter(&self) -> impl Iterator<Item = JobFigure<'a>> + '_ {
        self.counted
            .iter()
            .filter_map(|i| self.jobs.get(*i as usize))
            .filter_map(|job| {
                let end = job.end.map_or(self.as_of, |e| e.min(self.as_of));
                // Held exactly: an evaluation whose job months cannot be is refused.
                let months = super::experience::job_months(
                    job.start,
                    end,
                    job.hours_per_week,
                    self.full_time,
                )?;
                Some(JobFigure {
                    title: &job.title,
                    start: job.start,
                    end,
                    written_end: job.end,
                    hours_per_week: job.hours_per_week.filter(|h| *h < self.full_time),
                    months: Months(months),
                })
            })
    }
}

impl Serialize for CountedJobs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// One job that counted toward an experience figure.
#[derive(Clone, Debug, Serialize)]
pub struct JobFigure<'a> {
    pub title: &'a str,
    #[serde(serialize_with = "date_string")]
    pub start: Date,
    /// The last day counted: the job's end, or the evaluation date for a current job.
    #[serde(serialize_with = "date_string")]
    pub end: Date,
    /// The job's end as the applicant wrote it (`None`: a current job), for a reader's
    /// words; the record gives the last day counted.
    #[serde(skip)]
    pub written_end: Option<Date>,
    /// Weekly hours; `None` for full time.
    #[serde(serialize_with = "opt_exact_display")]
    pub hours_per_week: Option<Exact>,
    /// Calendar months of the job, prorated by its hours, before overlap is counted once.
    pub months: Months,
}

#[derive(Clone, Debug, Serialize)]
pub struct EducationFigure<'a> {
    pub profile: &'a str,
    pub accredited: bool,
    pub fields: Option<&'a str>,
    pub years: Years,
}

#[derive(Clone, Debug, Serialize)]
pub struct CredentialFigure<'a> {
    pub profile: &'a str,
    pub fields: Option<&'a str>,
    pub accredited: bool,
    pub includes: Option<Included<'a>>,
    /// The best matching credential, by name.
    pub best: Option<&'a str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreditFigure<'a> {
    pub profile: &'a str,
    pub subjects: &'a str,
    pub credits: CreditAmount,
}

/// What a path lacks ([`Evaluation::shortfalls`]): its shortfalls, read as a slice, with
/// the lists their `AnyOf` alternatives are kept in. Serialised, an `AnyOf` lists its
/// alternatives in full.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lacks<'e, 'a> {
    pub(crate) items: &'e [Shortfall<'a>],
    pub(crate) nested: &'e [Shortfall<'a>],
    pub(crate) alternatives: &'e [Run],
}

impl<'e, 'a> Lacks<'e, 'a> {
    /// The alternatives of an `AnyOf` shortfall of these lacks, each what together
    /// suffices; none for any other shortfall.
    pub fn alternatives(&self, item: &Shortfall<'a>) -> impl Iterator<Item = Lacks<'e, 'a>> {
        let runs = match item {
            Shortfall::AnyOf { alternatives } => alternatives.of(self.alternatives),
            _ => &[],
        };
        let (nested, alternatives) = (self.nested, self.alternatives);
        runs.iter().map(move |run| Lacks {
            items: run.of(nested),
            nested,
            alternatives,
        })
    }
}

impl<'a> std::ops::Deref for Lacks<'_, 'a> {
    type Target = [Shortfall<'a>];

    fn deref(&self) -> &[Shortfall<'a>] {
        self.items
    }
}

impl<'e, 'a> IntoIterator for Lacks<'e, 'a> {
    type Item = &'e Shortfall<'a>;
    type IntoIter = std::slice::Iter<'e, Shortfall<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl Serialize for Lacks<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter().map(|item| LackIn { lacks: *self, item }))
    }
}

/// One shortfall serialised with the lists its alternatives are kept in.
struct LackIn<'e, 'a> {
    lacks: Lacks<'e, 'a>,
    item: &'e Shortfall<'a>,
}

impl Serialize for LackIn<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !matches!(self.item, Shortfall::AnyOf { .. }) {
            return self.item.serialize(s);
        }
        let alternatives = super::record_json::Seq(|| self.lacks.alternatives(self.item));
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("kind", "any_of")?;
        map.serialize_entry("alternatives", &alternatives)?;
        map.end()
    }
}

/// A run of outcomes in one of an [`Evaluation`]'s lists: `len` of them from `start`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    start: u32,
    len: u32,
}

impl Run {
    /// The run from `start` to the end of a list now `end` long.
    pub(crate) fn between(start: usize, end: usize) -> Run {
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Run {
            start: to_u32(start),
            len: to_u32(end.saturating_sub(start)),
        }
    }

    /// The outcomes of this run in `list`.
    pub(crate) fn of<T>(self, list: &[T]) -> &[T] {
        let start = self.start as usize;
        list.get(start..start + self.len as usize).unwrap_or(&[])
    }

    pub fn len(self) -> usize {
        self.len as usize
    }

    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// One class: the version in force and its levels.
#[derive(Clone, Debug)]
pub struct ClassOutcome<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub profile: &'a str,
    pub version: VersionRef<'a>,
    /// The highest level of the class (every level, whatever the query selected) whose
    /// minimum tier is met.
    pub highest_level_met: Option<&'a str>,
    /// Its levels, in [`Evaluation::levels`].
    pub levels: Run,
}

#[derive(Clone, Debug, Serialize)]
pub struct VersionRef<'a> {
    #[serde(serialize_with = "date_string")]
    pub effective: Date,
    #[serde(serialize_with = "opt_date_string")]
    pub established: Option<Date>,
    #[serde(serialize_with = "opt_date_string")]
    pub revised: Option<Date>,
    pub source: &'a str,
    /// Statutory requirements and Pennsylvania's pay scale type, bargaining unit, civil
    /// service status and board change, when the rules state them.
    pub metadata: &'a crate::compile::ClassMetadata,
    /// The class's notes and acknowledged warnings.
    #[serde(flatten)]
    pub annotations: &'a crate::compile::Annotations,
}

#[derive(Clone, Debug)]
pub struct LevelOutcome<'a> {
    pub level: &'a str,
    pub code: &'a str,
    pub band: &'a str,
    /// The level as the rules state it: title, band kind, alternate band, notes.
    pub rules: &'a crate::compile::LevelProgram,
    /// The minimum tier, then the recommended tier, in [`Evaluation::level_tiers`].
    pub tiers: Run,
}

/// A stable key for a tier result: class code, level name, tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TierKey<'a> {
    pub class: &'a str,
    pub level: &'a str,
    pub tier: TierKind,
}

impl fmt::Display for TierKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.class, self.level, self.tier.as_str())
    }
}

impl Serialize for TierKey<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Clone, Debug)]
pub struct TierOutcome<'a> {
    pub key: TierKey<'a>,
    pub tier: TierKind,
    pub met: bool,
    /// The first path met: the direct path, else the first substitution clause met.
    pub via: Option<Via>,
    pub citation: Option<&'a str>,
    /// The tier's notes and acknowledged warnings.
    pub annotations: &'a crate::compile::Annotations,
    /// The direct path first, then each substitution clause, in [`Evaluation::paths`].
    pub paths: Run,
}

/// Which path of a tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "path", rename_all = "snake_case")]
pub enum Via {
    Direct,
    /// A substitution clause, numbered from 1 in rule order.
    Substitution {
        clause: u32,
    },
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Via::Direct => f.write_str("direct"),
            Via::Substitution { clause } => write!(f, "substitution {clause}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct PathOutcome<'a> {
    pub via: Via,
    pub met: bool,
    /// The document and section the path encodes, with the sentence when the rules quote
    /// it; read through [`PathOutcome::citation`] and [`PathOutcome::quote`].
    pub source: Option<&'a CitationInfo>,
    /// For a substitution clause: the arithmetic.
    pub combination: Option<CombinationFigure>,
    /// For a substitution clause: its notes and acknowledged warnings (a direct path's are
    /// its tier's).
    pub annotations: Option<&'a crate::compile::Annotations>,
    /// What the path lacks, in [`Evaluation::shortfalls`]; empty when met.
    pub shortfalls: Run,
}

impl<'a> PathOutcome<'a> {
    /// The document and section the path encodes.
    pub fn citation(&self) -> Option<&'a str> {
        self.source.map(|c| &*c.text)
    }

    /// The source sentence the path encodes, when the rules quote it.
    pub fn quote(&self) -> Option<&'a str> {
        self.source.and_then(|c| c.quote.as_deref())
    }
}

/// Education-years plus experience-years against a total, all in months.
#[derive(Clone, Debug)]
pub struct CombinationFigure {
    pub education: Years,
    pub experience: Months,
    pub credited: Months,
    pub required: Months,
    /// Whether the clause's `includes` component holds (true when there is none).
    pub includes_met: bool,
}

/// What a path lacks. Amounts are exact; `whole_*` is the same rounded up, the unit a
/// notice states. Adding the amount makes the path's part met; one whole unit less does not.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shortfall<'a> {
    /// More months of experience in any of the categories.
    Experience {
        months: Months,
        whole_months: i64,
        categories: &'a [Arc<str>],
    },
    /// A credential of this rank or higher, with the predicates.
    Credential(CredentialLack<'a>),
    /// More semester credits in a subject set.
    Credits {
        credits: CreditAmount,
        whole_credits: i64,
        subjects: &'a str,
    },
    /// More months (of qualifying experience or education) toward a combination total.
    Total {
        months: Months,
        whole_months: i64,
        categories: &'a [Arc<str>],
    },
    /// Any one of the alternatives, each a list of shortfalls that together suffice; read
    /// them through [`Lacks::alternatives`].
    AnyOf {
        #[serde(skip)]
        alternatives: Run,
    },
}

/// The credential a path lacks: this rank or higher, with the predicates, as the compiled
/// rules name them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CredentialLack<'a> {
    pub credential: &'a str,
    pub need: &'a NeedNames,
}

impl<'a> CredentialLack<'a> {
    /// The credential's title on the profile ("Associate degree").
    pub fn title(&self) -> &'a str {
        &self.need.title
    }

    /// The field set the credential must be in, by name.
    pub fn fields(&self) -> Option<&'a str> {
        self.need.fields.as_deref()
    }

    /// The field set's prose, for notices ("Business Administration, ... or Finance").
    pub fn fields_description(&self) -> Option<&'a str> {
        self.need.fields_description.as_deref()
    }

    pub fn accredited(&self) -> bool {
        self.need.accredited
    }

    /// The subject credits the credential must include.
    pub fn includes(&self) -> Option<Included<'a>> {
        self.need
            .includes
            .as_ref()
            .map(|(credits, subjects)| Included {
                credits: CreditAmount(*credits),
                subjects,
            })
    }
}

impl Serialize for CredentialLack<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("CredentialLack", 6)?;
        out.serialize_field("credential", self.credential)?;
        out.serialize_field("title", self.title())?;
        out.serialize_field("fields", &self.fields())?;
        out.serialize_field("fields_description", &self.fields_description())?;
        out.serialize_field("accredited", &self.accredited())?;
        out.serialize_field("includes", &self.includes())?;
        out.end()
    }
}

/// Subject credits a credential must include.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Included<'a> {
    pub credits: CreditAmount,
    pub subjects: &'a str,
}

/// A combination in one unit: the education-years and the same in months, so that
/// `education_months + experience = credited` can be checked in the record itself.
impl Serialize for CombinationFigure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("education_years", &self.education)?;
        // Held exactly: the combination's credited months were computed from it.
        let education_months = super::exact::times_twelve(self.education.0)
            .ok_or_else(|| serde::ser::Error::custom("education months cannot be held exactly"))?;
        map.serialize_entry("education_months", &Months(education_months))?;
        map.serialize_entry("experience", &self.experience)?;
        map.serialize_entry("credited", &self.credited)?;
        map.serialize_entry("required", &self.required)?;
        map.serialize_entry("includes_met", &self.includes_met)?;
        map.end()
    }
}

pub(crate) fn date_string<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

fn opt_exact_display<S: Serializer>(value: &Option<Exact>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

fn opt_date_string<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

pub(crate) fn tier_kind<S: Serializer>(kind: &TierKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// The smallest whole number not below `value`.
pub(crate) fn ceil(value: Exact) -> i64 {
    super::exact::ceil_whole(value)
}
