//! The syntax tree of a rule file: close to the text, every node carrying its span.

use crate::source::Span;

/// A name as written, such as `program_fields` or `K9099`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A string (or several adjacent strings joined), unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A number as written; the checker turns it into an exact value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number {
    pub raw: String,
    pub span: Span,
}

/// A number with its unit words, such as `2 years` or `18 semester credits`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub number: Number,
    pub unit: Name,
    pub span: Span,
}

/// A date as written (`2011-09-20` or `9/20/2011`); the checker validates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateLit {
    pub raw: String,
    pub span: Span,
}

/// `note "text" by "authority"`: why a rule reads its source as it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub text: Text,
    /// The policy, memo or rule the note rests on, when it names one.
    pub authority: Option<Text>,
    pub span: Span,
}

/// `label "Healthcare administration"`: a field set's or category's short name for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub text: Text,
    pub span: Span,
}

/// `allow Q202 "reason"`: a warning that fires here was reviewed and kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The diagnostic code as written, such as `Q202`.
    pub code: Name,
    pub reason: Text,
    pub span: Span,
}

/// A note or an acknowledged warning at the head of a class, level, tier or substitution,
/// in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Annotation {
    Note(Note),
    Allow(Allow),
}

/// The notes among `annotations`, in order.
pub fn notes_of(annotations: &[Annotation]) -> impl Iterator<Item = &Note> {
    annotations.iter().filter_map(|a| match a {
        Annotation::Note(note) => Some(note),
        Annotation::Allow(_) => None,
    })
}

/// The acknowledged warnings among `annotations`, in order.
pub fn allows_of(annotations: &[Annotation]) -> impl Iterator<Item = &Allow> {
    annotations.iter().filter_map(|a| match a {
        Annotation::Allow(allow) => Some(allow),
        Annotation::Note(_) => None,
    })
}

/// One parsed rule file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleFile {
    pub items: Vec<Item>,
    /// Items that did not parse, so the checker can tell a missing definition from a
    /// broken one.
    pub skipped: Vec<SkippedItem>,
}

/// Text passed over after a syntax error: from the start of a broken item to where parsing
/// resumed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SkippedItem {
    pub span: Span,
    /// The item's keyword and the name after it (`profile`, `new_mexico`), when written.
    pub declares: Option<(String, String)>,
    /// Every word of the skipped text outside strings and comments.
    pub words: std::collections::BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Profile(Profile),
    FieldSet(FieldSet),
    Category(Category),
    Class(Class),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: Name,
    pub statements: Vec<ProfileStatement>,
    /// Statements passed over after a syntax error inside the profile. The profile is then
    /// not used to check classes, and what is missing from it is not reported.
    pub broken_parts: Vec<Span>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileStatement {
    /// A note on the statement before it, or on the profile when it comes first.
    Note(Note),
    Jurisdiction(Text, Span),
    Credential(CredentialDecl),
    EducationYear(Vec<Amount>, Span),
    FullTime(Amount, Span),
    Overlap(OverlapRule, Span),
    SeveralDegrees(DegreeRule, Span),
    Coursework(CourseworkRule, Span),
}

/// `credential bachelor "Bachelor's degree" worth 4 years` or `credential ged same as high_school`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialDecl {
    pub name: Name,
    pub title: Option<Text>,
    pub value: CredentialValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialValue {
    Worth(Amount),
    SameAs(Name),
}

/// How the hours of jobs held at the same time are credited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OverlapRule {
    /// Each day: min(1, sum of weekly hours / full-time hours).
    SummedToFullTime,
    /// Each day: min(1, largest weekly hours / full-time hours).
    LargestJobOnly,
}

/// How several education entries make education-years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DegreeRule {
    HighestOnly,
    AddedUp,
}

/// How coursework without a degree makes education-years.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CourseworkRule {
    /// Each coursework entry competes with the degrees, as one more degree would
    /// (`coursework counts the highest only`; also what a profile that says nothing gets).
    #[default]
    HighestOnly,
    /// The coursework entries are summed and the sum is added to the degrees' years
    /// (`coursework without a degree is added up`).
    AddedUp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSet {
    pub name: Name,
    pub label: Option<Label>,
    /// Whether the label was written after the description rather than before it.
    pub label_after_description: bool,
    pub description: Option<Text>,
    pub notes: Vec<Note>,
    pub members: Vec<FieldMember>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldMember {
    /// A field of study, such as `"Finance"`, with the other spellings listed after `also`
    /// and the notes that follow it.
    Field {
        field: Text,
        spellings: Vec<Text>,
        notes: Vec<Note>,
    },
    /// Every member of another field set, with the notes that follow it.
    Set { name: Name, notes: Vec<Note> },
}

impl FieldMember {
    /// The notes written after the member.
    pub fn notes(&self) -> &[Note] {
        match self {
            FieldMember::Field { notes, .. } | FieldMember::Set { notes, .. } => notes,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub name: Name,
    pub label: Option<Label>,
    /// Whether the label was written after the description rather than before it.
    pub label_after_description: bool,
    pub description: Text,
    pub notes: Vec<Note>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    pub code: Name,
    pub title: Option<Text>,
    pub statements: Vec<ClassStatement>,
    pub levels: Vec<Level>,
    /// Statements passed over after a syntax error inside the class. A check that would
    /// only repeat what that error says (a tier or a date missing) is not made about them.
    pub broken_parts: Vec<Span>,
    /// The statement keyword each statement in `broken_parts` starts with, at the same place
    /// (empty when it starts with none, as a misspelt one).
    pub broken_words: Vec<String>,
    pub span: Span,
}

impl Class {
    /// Whether a statement passed over after a syntax error may be one of the statements
    /// `keywords` start: it starts with one of them, or with no statement keyword at all (a
    /// misspelt one). A broken statement that starts with another keyword (`minimum`,
    /// `level`) is not the one missing, so its absence is still reported.
    pub fn may_have_lost(&self, keywords: &[&str]) -> bool {
        self.broken_words
            .iter()
            .any(|word| word.is_empty() || keywords.contains(&word.as_str()))
    }

    /// Whether a statement passed over after a syntax error lies inside `span`.
    pub fn has_broken_part_in(&self, span: Span) -> bool {
        self.broken_parts
            .iter()
            .any(|part| part.start < span.end && span.start < part.end)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassStatement {
    Note(Note),
    Allow(Allow),
    Profile(Name, Span),
    Source(Text, Span),
    Established(DateLit, Span),
    Revised(DateLit, Span),
    Effective(DateLit, Span),
    Statutory(Text, Span),
    PayScaleType(Text, Span),
    BargainingUnit(Text, Span),
    CivilService(Text, Span),
    BoardChange(Text, DateLit, Span),
    Assert(Box<Assertion>),
}

/// `assert …`: a property of the class for `qualify verify`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assertion {
    pub kind: AssertionKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssertionKind {
    /// `assert level A minimum implies level O minimum`
    Implies(TierRef, TierRef),
    /// `assert level A minimum requires some experience` (or `some education`)
    RequiresSome(TierRef, Evidence),
    /// `assert no applicant without high_school meets level B`
    NoneWithout(Requirement, TierRef),
}

/// What `requires some` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    Experience,
    Education,
}

/// `level A minimum`: the minimum tier when no tier is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierRef {
    pub level: Name,
    pub tier: TierKind,
    /// Whether the tier's kind is written (`level B` alone names the minimum tier).
    pub kind_written: bool,
    pub span: Span,
}

impl ClassStatement {
    pub fn span(&self) -> Span {
        match self {
            ClassStatement::Note(Note { span: s, .. })
            | ClassStatement::Allow(Allow { span: s, .. })
            | ClassStatement::Profile(_, s)
            | ClassStatement::Source(_, s)
            | ClassStatement::Established(_, s)
            | ClassStatement::Revised(_, s)
            | ClassStatement::Effective(_, s)
            | ClassStatement::Statutory(_, s)
            | ClassStatement::PayScaleType(_, s)
            | ClassStatement::BargainingUnit(_, s)
            | ClassStatement::CivilService(_, s)
            | ClassStatement::BoardChange(_, _, s) => *s,
            ClassStatement::Assert(a) => a.span,
        }
    }

    /// The statement's keyword, for "given twice" diagnostics.
    pub fn keyword(&self) -> &'static str {
        match self {
            ClassStatement::Note(..) => "note",
            ClassStatement::Allow(..) => "allow",
            ClassStatement::Profile(..) => "profile",
            ClassStatement::Source(..) => "source",
            ClassStatement::Established(..) => "established",
            ClassStatement::Revised(..) => "revised",
            ClassStatement::Effective(..) => "effective",
            ClassStatement::Statutory(..) => "statutory requirements",
            ClassStatement::PayScaleType(..) => "pay scale type",
            ClassStatement::BargainingUnit(..) => "bargaining unit",
            ClassStatement::CivilService(..) => "civil service",
            ClassStatement::BoardChange(..) => "board change",
            ClassStatement::Assert(..) => "assert",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    pub name: Name,
    pub title: Option<Text>,
    pub code: Text,
    pub band: Band,
    pub alt_band: Option<Band>,
    /// Notes and acknowledged warnings at the top of the level's body.
    pub annotations: Vec<Annotation>,
    pub tiers: Vec<Tier>,
    pub span: Span,
}

/// A pay band (New Mexico) or pay scale group (Pennsylvania).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    pub value: String,
    pub label: BandLabel,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BandLabel {
    Band,
    PayScaleGroup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TierKind {
    Minimum,
    Recommended,
}

impl TierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TierKind::Minimum => "minimum",
            TierKind::Recommended => "recommended",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub kind: TierKind,
    pub kind_span: Span,
    pub citation: Option<Citation>,
    /// Notes and acknowledged warnings after the citation, before the `:`.
    pub annotations: Vec<Annotation>,
    pub requirement: Requirement,
    pub substitutions: Vec<Substitution>,
    pub span: Span,
}

/// `cite "Operational › Minimum Qualifications" quote "Associates degree in …"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    pub section: Text,
    pub quote: Option<Text>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    pub citation: Option<Citation>,
    /// Notes and acknowledged warnings after the citation, before the `:`.
    pub annotations: Vec<Annotation>,
    pub combination: Combination,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CombinationKind {
    /// "any combination of … totaling N years"
    Any,
    /// "an equivalent combination of … totaling N years"
    Equivalent,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combination {
    pub kind: CombinationKind,
    pub parts: Vec<CombinationPart>,
    pub total: Amount,
    pub includes: Option<Box<Requirement>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CombinationPart {
    Education {
        accredited: bool,
        fields: Option<Name>,
        span: Span,
    },
    Experience(ExperienceRef),
}

/// A requirement expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// `a or b or c`
    AnyOf(Vec<Requirement>, Span),
    /// `a and b and c`
    AllOf(Vec<Requirement>, Span),
    /// `( … )`
    Group(Box<Requirement>, Span),
    /// `accredited bachelor in program_fields that includes 18 credits in behavioral_sciences`
    Credential(CredentialReq),
    /// `2 years of program_experience`
    Duration(Amount, ExperienceRef, Span),
    /// `18 credits in behavioral_sciences`
    Credits(Amount, Name, Span),
}

impl Requirement {
    pub fn span(&self) -> Span {
        match self {
            Requirement::AnyOf(_, s)
            | Requirement::AllOf(_, s)
            | Requirement::Group(_, s)
            | Requirement::Duration(_, _, s)
            | Requirement::Credits(_, _, s) => *s,
            Requirement::Credential(c) => c.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialReq {
    pub accredited: bool,
    pub credential: Name,
    pub fields: Option<Name>,
    pub includes: Option<(Amount, Name)>,
    pub span: Span,
}

/// One experience category, or several pooled with `any of a, b`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExperienceRef {
    pub categories: Vec<Name>,
    pub pooled: bool,
    pub span: Span,
}
