//! The catalogue of stable diagnostic codes; `docs/diagnostics.md` documents each one.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// `error` or `warning`, as every rendering names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A stable diagnostic code. The number never changes meaning once released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // Q0xx: reading and syntax
    Internal,
    NotUtf8,
    Syntax,
    UnterminatedString,
    NestingTooDeep,
    FileTooLarge,
    NumberOutOfRange,
    NotARegularFile,
    InputOutput,
    CommandLine,
    // Q1xx: names, types, units, dates
    UnknownName,
    Duplicate,
    UnitMismatch,
    UnknownUnit,
    NotPositive,
    InvalidDate,
    DatesOutOfOrder,
    DuplicateLevel,
    LevelsOutOfOrder,
    SubstitutionTotalNotPositive,
    MissingMinimumTier,
    WrongKindOfName,
    MissingStatement,
    RepeatedStatement,
    FieldSetCycle,
    UnknownClass,
    UnknownLevel,
    NoVersionInForce,
    NoInputFiles,
    FoldersTooDeep,
    UnknownAllowCode,
    AllowNotWarning,
    EmptyAnnotation,
    FieldWithoutLetters,
    SpellingOfTwoFields,
    NameTooLong,
    EducationTwiceInCombination,
    TooManyCredentials,
    LinkOutsideFolder,
    // Q13x: quotes against their source documents
    QuoteNotInSource,
    SectionNotInSource,
    QuoteUnderOtherSection,
    SourceNotText,
    // Q2xx: lints (warnings)
    EmptyFile,
    LadderGap,
    RecommendedExceedsNextMinimum,
    UnusedDefinition,
    MixedAndOr,
    UnmatchedAllow,
    SharedLabel,
    RepeatedSpelling,
    FieldReadsAsNote,
    MissingCitation,
    SourceNotAvailable,
    WorthAgainstRank,
    CreditsAfterIncludes,
    // Q3xx: applicant data
    ApplicantSyntax,
    MissingField,
    WrongType,
    UnknownKey,
    DuplicateKey,
    UnknownCredential,
    UnknownCategory,
    InvalidApplicantDate,
    EndBeforeStart,
    HoursOutOfRange,
    NegativeCredits,
    InexactNumber,
    UnknownCreditUnit,
    UnsupportedFormat,
    SubjectExceedsTotal,
    NearMissField,
    GroupTooLong,
    // Q32x: evaluation
    InexactAmount,
    // Q4xx: verification
    LadderBroken,
    RecommendedWithoutMinimum,
    MinimumWithoutLowerRecommended,
    ClauseNeverDecides,
    DirectPathNeverDecides,
    TierNeverMet,
    MetWithoutExperience,
    MetWithoutEducation,
    VerifiedOverFamily,
    AssertionRefuted,
    // Q5xx: rule tests
    TestFileSyntax,
    UnknownTestKey,
    MissingTestKey,
    TestValueType,
    UnknownTestClass,
    UnknownTestLevel,
    UnknownTestTier,
    MalformedExpectation,
    UnknownTestPath,
    TestApplicantUnreadable,
    DuplicateTest,
    NoTestFiles,
    GeneratedFileExists,
    // Q70x: formatting
    NotFormatted,
    FormatChangesRules,
    // Q6xx: screening a pool
    ScreenOptions,
}

impl Code {
    /// Every code, in catalogue order.
    pub const ALL: &'static [Code] = &[
        Code::Internal,
        Code::NotUtf8,
        Code::Syntax,
        Code::UnterminatedString,
        Code::NestingTooDeep,
        Code::FileTooLarge,
        Code::NumberOutOfRange,
        Code::NotARegularFile,
        Code::InputOutput,
        Code::CommandLine,
        Code::UnknownName,
        Code::Duplicate,
        Code::UnitMismatch,
        Code::UnknownUnit,
        Code::NotPositive,
        Code::InvalidDate,
        Code::DatesOutOfOrder,
        Code::DuplicateLevel,
        Code::LevelsOutOfOrder,
        Code::SubstitutionTotalNotPositive,
        Code::MissingMinimumTier,
        Code::WrongKindOfName,
        Code::MissingStatement,
        Code::RepeatedStatement,
        Code::FieldSetCycle,
        Code::UnknownClass,
        Code::UnknownLevel,
        Code::NoVersionInForce,
        Code::NoInputFiles,
        Code::FoldersTooDeep,
        Code::UnknownAllowCode,
        Code::AllowNotWarning,
        Code::EmptyAnnotation,
        Code::FieldWithoutLetters,
        Code::SpellingOfTwoFields,
        Code::NameTooLong,
        Code::EducationTwiceInCombination,
        Code::TooManyCredentials,
        Code::LinkOutsideFolder,
        Code::QuoteNotInSource,
        Code::SectionNotInSource,
        Code::QuoteUnderOtherSection,
        Code::SourceNotText,
        Code::EmptyFile,
        Code::LadderGap,
        Code::RecommendedExceedsNextMinimum,
        Code::UnusedDefinition,
        Code::MixedAndOr,
        Code::UnmatchedAllow,
        Code::SharedLabel,
        Code::RepeatedSpelling,
        Code::FieldReadsAsNote,
        Code::MissingCitation,
        Code::SourceNotAvailable,
        Code::WorthAgainstRank,
        Code::CreditsAfterIncludes,
        Code::ApplicantSyntax,
        Code::MissingField,
        Code::WrongType,
        Code::UnknownKey,
        Code::DuplicateKey,
        Code::UnknownCredential,
        Code::UnknownCategory,
        Code::InvalidApplicantDate,
        Code::EndBeforeStart,
        Code::HoursOutOfRange,
        Code::NegativeCredits,
        Code::InexactNumber,
        Code::UnknownCreditUnit,
        Code::UnsupportedFormat,
        Code::SubjectExceedsTotal,
        Code::NearMissField,
        Code::GroupTooLong,
        Code::InexactAmount,
        Code::LadderBroken,
        Code::RecommendedWithoutMinimum,
        Code::MinimumWithoutLowerRecommended,
        Code::ClauseNeverDecides,
        Code::DirectPathNeverDecides,
        Code::TierNeverMet,
        Code::MetWithoutExperience,
        Code::MetWithoutEducation,
        Code::VerifiedOverFamily,
        Code::AssertionRefuted,
        Code::TestFileSyntax,
        Code::UnknownTestKey,
        Code::MissingTestKey,
        Code::TestValueType,
        Code::UnknownTestClass,
        Code::UnknownTestLevel,
        Code::UnknownTestTier,
        Code::MalformedExpectation,
        Code::UnknownTestPath,
        Code::TestApplicantUnreadable,
        Code::DuplicateTest,
        Code::NoTestFiles,
        Code::GeneratedFileExists,
        Code::NotFormatted,
        Code::FormatChangesRules,
        Code::ScreenOptions,
    ];

    /// The stable code text, e.g. `Q101`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Internal => "Q000",
            Code::NotUtf8 => "Q001",
            Code::Syntax => "Q002",
            Code::UnterminatedString => "Q003",
            Code::NestingTooDeep => "Q004",
            Code::FileTooLarge => "Q005",
            Code::NumberOutOfRange => "Q006",
            Code::NotARegularFile => "Q007",
            Code::InputOutput => "Q008",
            Code::CommandLine => "Q009",
            Code::UnknownName => "Q101",
            Code::Duplicate => "Q102",
            Code::UnitMismatch => "Q103",
            Code::UnknownUnit => "Q104",
            Code::NotPositive => "Q105",
            Code::InvalidDate => "Q106",
            Code::DatesOutOfOrder => "Q107",
            Code::DuplicateLevel => "Q108",
            Code::LevelsOutOfOrder => "Q109",
            Code::SubstitutionTotalNotPositive => "Q110",
            Code::MissingMinimumTier => "Q111",
            Code::WrongKindOfName => "Q112",
            Code::MissingStatement => "Q113",
            Code::RepeatedStatement => "Q114",
            Code::FieldSetCycle => "Q115",
            Code::UnknownClass => "Q116",
            Code::UnknownLevel => "Q117",
            Code::NoVersionInForce => "Q118",
            Code::NoInputFiles => "Q119",
            Code::FoldersTooDeep => "Q120",
            Code::UnknownAllowCode => "Q121",
            Code::AllowNotWarning => "Q122",
            Code::EmptyAnnotation => "Q123",
            Code::FieldWithoutLetters => "Q124",
            Code::SpellingOfTwoFields => "Q125",
            Code::NameTooLong => "Q126",
            Code::EducationTwiceInCombination => "Q127",
            Code::TooManyCredentials => "Q128",
            Code::LinkOutsideFolder => "Q129",
            Code::QuoteNotInSource => "Q130",
            Code::SectionNotInSource => "Q131",
            Code::QuoteUnderOtherSection => "Q132",
            Code::SourceNotText => "Q133",
            Code::EmptyFile => "Q201",
            Code::LadderGap => "Q202",
            Code::RecommendedExceedsNextMinimum => "Q203",
            Code::UnusedDefinition => "Q204",
            Code::MixedAndOr => "Q205",
            Code::UnmatchedAllow => "Q206",
            Code::SharedLabel => "Q207",
            Code::RepeatedSpelling => "Q208",
            Code::FieldReadsAsNote => "Q209",
            Code::MissingCitation => "Q210",
            Code::SourceNotAvailable => "Q211",
            Code::WorthAgainstRank => "Q212",
            Code::CreditsAfterIncludes => "Q213",
            Code::ApplicantSyntax => "Q301",
            Code::MissingField => "Q302",
            Code::WrongType => "Q303",
            Code::UnknownKey => "Q304",
            Code::DuplicateKey => "Q305",
            Code::UnknownCredential => "Q306",
            Code::UnknownCategory => "Q307",
            Code::InvalidApplicantDate => "Q308",
            Code::EndBeforeStart => "Q309",
            Code::HoursOutOfRange => "Q310",
            Code::NegativeCredits => "Q311",
            Code::InexactNumber => "Q312",
            Code::UnknownCreditUnit => "Q313",
            Code::UnsupportedFormat => "Q314",
            Code::SubjectExceedsTotal => "Q315",
            Code::NearMissField => "Q316",
            Code::GroupTooLong => "Q317",
            Code::InexactAmount => "Q320",
            Code::LadderBroken => "Q401",
            Code::RecommendedWithoutMinimum => "Q402",
            Code::MinimumWithoutLowerRecommended => "Q403",
            Code::ClauseNeverDecides => "Q404",
            Code::DirectPathNeverDecides => "Q405",
            Code::TierNeverMet => "Q406",
            Code::MetWithoutExperience => "Q407",
            Code::MetWithoutEducation => "Q408",
            Code::VerifiedOverFamily => "Q409",
            Code::AssertionRefuted => "Q410",
            Code::TestFileSyntax => "Q500",
            Code::UnknownTestKey => "Q501",
            Code::MissingTestKey => "Q502",
            Code::TestValueType => "Q503",
            Code::UnknownTestClass => "Q504",
            Code::UnknownTestLevel => "Q505",
            Code::UnknownTestTier => "Q506",
            Code::MalformedExpectation => "Q507",
            Code::UnknownTestPath => "Q508",
            Code::TestApplicantUnreadable => "Q509",
            Code::DuplicateTest => "Q510",
            Code::NoTestFiles => "Q511",
            Code::GeneratedFileExists => "Q512",
            Code::NotFormatted => "Q700",
            Code::FormatChangesRules => "Q701",
            Code::ScreenOptions => "Q600",
        }
    }

    /// Warnings are reported but do not fail a run unless warnings are denied.
    pub fn severity(self) -> Severity {
        match self {
            Code::EmptyFile
            | Code::LadderGap
            | Code::RecommendedExceedsNextMinimum
            | Code::UnusedDefinition
            | Code::MixedAndOr
            | Code::LadderBroken
            | Code::RecommendedWithoutMinimum
            | Code::MinimumWithoutLowerRecommended
            | Code::ClauseNeverDecides
            | Code::DirectPathNeverDecides
            | Code::TierNeverMet
            | Code::MetWithoutExperience
            | Code::MetWithoutEducation
            | Code::VerifiedOverFamily
            | Code::UnmatchedAllow
            | Code::SharedLabel
            | Code::RepeatedSpelling
            | Code::FieldReadsAsNote
            | Code::NearMissField
            | Code::MissingCitation
            | Code::SourceNotAvailable
            | Code::WorthAgainstRank
            | Code::CreditsAfterIncludes
            | Code::LinkOutsideFolder => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The code's one-line summary, as listed in `docs/diagnostics.md`.
    pub fn summary(self) -> &'static str {
        match self {
            Code::Internal => "internal error",
            Code::NotUtf8 => "file is not valid UTF-8",
            Code::Syntax => "syntax error",
            Code::UnterminatedString => "unterminated string",
            Code::NestingTooDeep => "requirement nested too deeply",
            Code::FileTooLarge => "file too large",
            Code::NumberOutOfRange => "number out of range",
            Code::NotARegularFile => "not a regular file",
            Code::InputOutput => "input or output error",
            Code::CommandLine => "command line not understood",
            Code::UnknownName => "unknown name",
            Code::Duplicate => "duplicate definition",
            Code::UnitMismatch => "unit mismatch",
            Code::UnknownUnit => "unknown unit",
            Code::NotPositive => "amount must be larger than zero",
            Code::InvalidDate => "invalid date",
            Code::DatesOutOfOrder => "dates out of order",
            Code::DuplicateLevel => "duplicate level",
            Code::LevelsOutOfOrder => "levels out of order",
            Code::SubstitutionTotalNotPositive => "substitution total must be larger than zero",
            Code::MissingMinimumTier => "level has no minimum tier",
            Code::WrongKindOfName => "name of the wrong kind",
            Code::MissingStatement => "required statement missing",
            Code::RepeatedStatement => "statement given twice",
            Code::FieldSetCycle => "field sets include each other",
            Code::UnknownClass => "unknown class",
            Code::UnknownLevel => "unknown level",
            Code::NoVersionInForce => "no version of the class in force",
            Code::NoInputFiles => "no input files found",
            Code::FoldersTooDeep => "folders nested too deeply",
            Code::UnknownAllowCode => "`allow` names no diagnostic code",
            Code::AllowNotWarning => "`allow` names a code that is not a warning",
            Code::EmptyAnnotation => "empty note, label, reason, spelling, cite or quote",
            Code::FieldWithoutLetters => "field or spelling without letters or digits",
            Code::SpellingOfTwoFields => "one spelling for two fields of a set",
            Code::NameTooLong => "name longer than the limit",
            Code::EducationTwiceInCombination => "combination clause with two education parts",
            Code::TooManyCredentials => "more credential ranks than a profile holds",
            Code::LinkOutsideFolder => "link leads outside the folder given",
            Code::QuoteNotInSource => "quote not found in its source document",
            Code::SectionNotInSource => "cited section not found in the source document",
            Code::QuoteUnderOtherSection => "quote found under another section than cited",
            Code::SourceNotText => "source document is not UTF-8 text",
            Code::EmptyFile => "empty rule file",
            Code::LadderGap => "higher level reachable by a path a lower level lacks",
            Code::RecommendedExceedsNextMinimum => {
                "recommended tier asks more than the next level's minimum"
            }
            Code::UnusedDefinition => "definition never used",
            Code::MixedAndOr => "`and` and `or` mixed without parentheses",
            Code::UnmatchedAllow => "acknowledged warning does not fire",
            Code::SharedLabel => "label shared by two field sets or categories",
            Code::RepeatedSpelling => "spelling repeats its field or another spelling",
            Code::FieldReadsAsNote => "field reads as the rest of a note",
            Code::MissingCitation => "tier or substitution without `cite` or `quote`",
            Code::SourceNotAvailable => "source document not among the available sources",
            Code::WorthAgainstRank => "a credential ranks above one worth more",
            Code::CreditsAfterIncludes => "credits after `that includes` stand on their own",
            Code::ApplicantSyntax => "malformed applicant file",
            Code::MissingField => "required field missing",
            Code::WrongType => "value of the wrong type",
            Code::UnknownKey => "unknown key",
            Code::DuplicateKey => "key given twice",
            Code::UnknownCredential => "unknown credential",
            Code::UnknownCategory => "unknown experience category",
            Code::InvalidApplicantDate => "invalid date in an applicant file",
            Code::EndBeforeStart => "job ends before it starts",
            Code::HoursOutOfRange => "weekly hours out of range",
            Code::NegativeCredits => "negative credits",
            Code::InexactNumber => "number cannot be held exactly",
            Code::UnknownCreditUnit => "unknown credit unit",
            Code::UnsupportedFormat => "unsupported applicant file format",
            Code::SubjectExceedsTotal => "subject credits above the entry's total",
            Code::NearMissField => "field of study close to a listed one but matching none",
            Code::GroupTooLong => "group longer than the limit",
            Code::InexactAmount => "amount cannot be computed exactly",
            Code::LadderBroken => "higher level's minimum met without a lower level's minimum",
            Code::RecommendedWithoutMinimum => "recommended tier met without the minimum tier",
            Code::MinimumWithoutLowerRecommended => {
                "higher level's minimum met without a lower level's recommended tier"
            }
            Code::ClauseNeverDecides => "substitution clause never decides",
            Code::DirectPathNeverDecides => "direct path never decides",
            Code::TierNeverMet => "tier no applicant can meet",
            Code::MetWithoutExperience => "tier met with no experience at all",
            Code::MetWithoutEducation => "tier met with no education at all",
            Code::VerifiedOverFamily => "class verified over a bounded family of applicants",
            Code::AssertionRefuted => "assertion refuted",
            Code::TestFileSyntax => "malformed test file",
            Code::UnknownTestKey => "unknown key in a test file",
            Code::MissingTestKey => "required key missing from a test",
            Code::TestValueType => "value of the wrong type in a test file",
            Code::UnknownTestClass => "unknown class in an expectation",
            Code::UnknownTestLevel => "unknown level in an expectation",
            Code::UnknownTestTier => "unknown tier in an expectation",
            Code::MalformedExpectation => "malformed expectation",
            Code::UnknownTestPath => "unknown path in an expectation",
            Code::TestApplicantUnreadable => "test applicant file cannot be read",
            Code::DuplicateTest => "test or expectation given twice",
            Code::NoTestFiles => "no test files found",
            Code::GeneratedFileExists => "generated test file would replace an existing file",
            Code::NotFormatted => "file is not formatted",
            Code::FormatChangesRules => "formatting would change more than the layout",
            Code::ScreenOptions => "screening options that do not go together",
        }
    }
}

impl Code {
    /// The code written as text (`Q202`, ASCII case ignored), if there is one.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
