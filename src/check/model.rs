//! The checked rule model: names resolved, units normalised, dates validated.
//!
//! Durations are held in months and credits in semester credits, as exact rationals.

use jiff::civil::Date;
use num_rational::Ratio;

use crate::source::Span;
pub use crate::syntax::ast::Evidence;
use crate::syntax::ast::{
    BandLabel, CombinationKind, CourseworkRule, DegreeRule, OverlapRule, TierKind,
};

/// An exact quantity.
pub type Exact = Ratio<i64>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldSetId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryId(pub u32);

/// Everything the rule files define, after checking.
#[derive(Clone, Debug, Default)]
pub struct RuleModel {
    pub profiles: Vec<ProfileDef>,
    pub field_sets: Vec<FieldSetDef>,
    pub categories: Vec<CategoryDef>,
    /// Classes in file order; several versions of one class share a code.
    pub classes: Vec<ClassDef>,
}

impl RuleModel {
    pub fn profile(&self, id: ProfileId) -> Option<&ProfileDef> {
        self.profiles.get(id.0 as usize)
    }

    pub fn field_set(&self, id: FieldSetId) -> Option<&FieldSetDef> {
        self.field_sets.get(id.0 as usize)
    }

    pub fn category(&self, id: CategoryId) -> Option<&CategoryDef> {
        self.categories.get(id.0 as usize)
    }

    pub fn category_named(&self, name: &str) -> Option<CategoryId> {
        self.categories
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(CategoryId)
    }

    /// The distinct class codes, in first-seen order.
    pub fn class_codes(&self) -> Vec<&str> {
        let mut seen = std::collections::BTreeSet::new();
        self.classes
            .iter()
            .map(|class| class.code.as_str())
            .filter(|code| seen.insert(*code))
            .collect()
    }

    /// The version of class `code` in force on `date`: the latest effective on or before it.
    pub fn version_in_force(&self, code: &str, date: Date) -> Option<&ClassDef> {
        self.classes
            .iter()
            .filter(|c| c.code.eq_ignore_ascii_case(code) && c.effective <= date)
            .max_by_key(|c| c.effective)
    }
}

/// An interpretation note: why a rule reads its source as it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteDef {
    /// Shared with the compiled program, which quotes it as it is.
    pub text: std::sync::Arc<str>,
    /// The policy, memo or rule of the jurisdiction the note rests on, when it names one.
    pub authority: Option<String>,
    pub span: Span,
}

/// A note of a profile, with what it concerns: the statement before it (`full time`,
/// `credential master`, ...) or the profile itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileNote {
    /// The statement the note follows, in words, or `None` for the profile.
    pub about: Option<String>,
    pub note: NoteDef,
}

/// A warning acknowledged where it fires: `allow Q202 "reason"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcknowledgedWarning {
    pub code: String,
    pub reason: String,
    pub span: Span,
}

/// A jurisdiction profile: the conventions its classes are judged by.
#[derive(Clone, Debug)]
pub struct ProfileDef {
    pub name: String,
    pub jurisdiction: String,
    /// The credential scale, lowest first. Credentials declared `same as` share a rank.
    pub credentials: Vec<CredentialDef>,
    /// Semester credits that make one year of education.
    pub semester_credits_per_year: Exact,
    /// Quarter credits that make one year of education, when the profile says.
    pub quarter_credits_per_year: Option<Exact>,
    pub full_time_hours: Exact,
    pub overlap: OverlapRule,
    pub several_degrees: DegreeRule,
    /// How coursework without a degree counts; `HighestOnly` when the profile is silent.
    pub coursework: CourseworkRule,
    /// Notes on the profile and its statements, in the order written.
    pub notes: Vec<ProfileNote>,
    pub span: Span,
}

impl ProfileDef {
    pub fn credential(&self, name: &str) -> Option<&CredentialDef> {
        self.credentials.iter().find(|c| c.name == name)
    }

    /// The lowest-ranked credential of a rank, for "needs a … or higher" wording.
    pub fn credential_of_rank(&self, rank: u8) -> Option<&CredentialDef> {
        self.credentials.iter().find(|c| c.rank == rank)
    }
}

#[derive(Clone, Debug)]
pub struct CredentialDef {
    pub name: String,
    pub title: String,
    pub rank: u8,
    /// Years of education the credential is worth in a combination clause.
    pub years: Exact,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct FieldSetDef {
    pub name: String,
    /// The short name for people, when the rules give one; see [`FieldSetDef::label`].
    pub label: Option<String>,
    pub description: String,
    /// The fields the set lists itself, in declaration order without repeats (ASCII case
    /// ignored).
    pub fields: Vec<String>,
    /// The sets it names as members, each once, in declaration order: it holds their
    /// fields too. Sets never include each other (that is an error, Q115).
    pub includes: Vec<FieldSetId>,
    /// For each of `fields`, at the same place: its other spellings and its notes.
    pub field_info: Vec<FieldInfo>,
    /// Notes on the whole set.
    pub notes: Vec<NoteDef>,
    pub span: Span,
}

impl FieldSetDef {
    /// What people read for the set: its label, else its description, else its name.
    pub fn label(&self) -> &str {
        self.label
            .as_deref()
            .or((!self.description.is_empty()).then_some(self.description.as_str()))
            .unwrap_or(&self.name)
    }

    /// The other spellings and notes of the field at `index` of `fields`.
    pub fn info(&self, index: usize) -> Option<&FieldInfo> {
        self.field_info.get(index)
    }
}

/// What a field set says of one of its fields besides its name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldInfo {
    /// Other spellings that match the field, as written after `also`.
    pub spellings: Vec<String>,
    pub notes: Vec<NoteDef>,
}

#[derive(Clone, Debug)]
pub struct CategoryDef {
    pub name: String,
    /// The short name for people, when the rules give one; see [`CategoryDef::label`].
    pub label: Option<String>,
    pub description: String,
    pub notes: Vec<NoteDef>,
    pub span: Span,
}

impl CategoryDef {
    /// What people read for the category: its label, else its description.
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.description)
    }
}

/// One version of a classification.
#[derive(Clone, Debug)]
pub struct ClassDef {
    pub code: String,
    pub title: String,
    pub profile: ProfileId,
    pub source: String,
    pub source_span: Span,
    pub established: Option<Date>,
    pub revised: Option<Date>,
    /// The date this version comes into force (explicit, else revised, else established).
    pub effective: Date,
    pub statutory: Option<String>,
    pub pay_scale_type: Option<String>,
    pub bargaining_unit: Option<String>,
    pub civil_service: Option<String>,
    pub board_change: Option<(String, Date)>,
    pub notes: Vec<NoteDef>,
    pub acknowledged: Vec<AcknowledgedWarning>,
    /// Levels from lowest to highest.
    pub levels: Vec<LevelDef>,
    /// The writer's assertions, for `qualify verify`.
    pub assertions: Vec<AssertionDef>,
    pub span: Span,
}

/// An `assert` statement, its tiers found in the class.
#[derive(Clone, Debug)]
pub struct AssertionDef {
    pub claim: Claim,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Claim {
    /// Whoever meets the first tier meets the second.
    Implies(TierPick, TierPick),
    /// Whoever meets the tier has some of the evidence.
    RequiresSome(TierPick, Evidence),
    /// Whoever meets the tier meets the requirement.
    NoneWithout(Req, TierPick),
}

/// A tier of the class, by level name and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierPick {
    pub level: String,
    pub tier: TierKind,
}

#[derive(Clone, Debug)]
pub struct LevelDef {
    pub name: String,
    pub title: Option<String>,
    pub code: String,
    pub band: String,
    pub band_label: BandLabel,
    pub alt_band: Option<String>,
    pub notes: Vec<NoteDef>,
    pub acknowledged: Vec<AcknowledgedWarning>,
    /// The minimum tier first, then the recommended tier when present.
    pub tiers: Vec<TierDef>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Citation {
    pub section: String,
    /// Shared with the compiled program, which quotes it as it is.
    pub quote: Option<std::sync::Arc<str>>,
    /// The `cite` text and the `quote` text, for diagnostics about the source document.
    pub section_span: Span,
    pub quote_span: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct TierDef {
    pub kind: TierKind,
    pub citation: Option<Citation>,
    pub notes: Vec<NoteDef>,
    pub acknowledged: Vec<AcknowledgedWarning>,
    pub requirement: Req,
    pub substitutions: Vec<SubstitutionDef>,
    /// The whole tier, for quoting.
    pub span: Span,
    /// The `minimum` or `recommended` keyword, for labels.
    pub keyword_span: Span,
}

/// A checked requirement.
#[derive(Clone, Debug)]
pub enum Req {
    All(Vec<Req>, Span),
    Any(Vec<Req>, Span),
    Credential(CredentialNeed),
    /// At least `months` of experience in any of `categories` (pooled when several).
    Experience {
        months: Exact,
        categories: Vec<CategoryId>,
        span: Span,
    },
    /// At least `semester_credits` in subjects of `subjects`, across all education.
    Credits {
        semester_credits: Exact,
        subjects: FieldSetId,
        span: Span,
    },
}

impl Req {
    pub fn span(&self) -> Span {
        match self {
            Req::All(_, s)
            | Req::Any(_, s)
            | Req::Experience { span: s, .. }
            | Req::Credits { span: s, .. } => *s,
            Req::Credential(c) => c.span,
        }
    }
}

/// A credential at or above `rank`, optionally in a field set, accredited, or including
/// subject credits inside that same credential.
#[derive(Clone, Debug)]
pub struct CredentialNeed {
    pub credential: String,
    pub rank: u8,
    pub fields: Option<FieldSetId>,
    pub accredited: bool,
    pub includes: Option<(Exact, FieldSetId)>,
    pub span: Span,
}

/// A combination clause: education-years plus experience-years against a total.
#[derive(Clone, Debug)]
pub struct SubstitutionDef {
    pub citation: Option<Citation>,
    pub notes: Vec<NoteDef>,
    pub acknowledged: Vec<AcknowledgedWarning>,
    pub kind: CombinationKind,
    pub education: Option<EducationPart>,
    /// The experience categories pooled into the total.
    pub experience: Vec<CategoryId>,
    pub total_months: Exact,
    /// A component that must hold on its own and cannot be substituted.
    pub includes: Option<Req>,
    pub span: Span,
    /// The combination itself, after the citation and notes: the rule text shown.
    pub rule_span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct EducationPart {
    pub accredited: bool,
    pub fields: Option<FieldSetId>,
}
