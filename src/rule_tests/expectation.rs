//! One expectation of a rule test: `"K9099 O minimum" = "met by substitution 1"`, its key
//! resolved against the program and its value read from a small sentence language.
//!
//! Values: `met`, `met by direct`, `met by substitution N`, `not met`, and after a `not met`
//! one shortfall a path must show: `not met; direct short 1 month of public_program_experience`,
//! `…; substitution 1 short 10 months toward the total`, `…; direct short 3 credits in
//! behavioral_sciences`, `…; direct short a bachelor`.

use std::sync::Arc;

use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub};

use crate::check::model::Exact;
use crate::compile::{LevelProgram, Program};
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::Via;
use crate::source::Span;
use crate::syntax::ast::TierKind;

/// The forms a value may take, for help lines.
pub const FORMS: &str = "write `met`, `met by direct`, `met by substitution 1`, `not met`, or \
`not met; direct short 6 months of CATEGORY` (also `… toward the total`, `… credits in SET`, \
`… short a CREDENTIAL in SET`)";

/// What a tier must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Met, by this path when one is named.
    Met(Option<Via>),
    NotMet,
}

/// A shortfall a path must show: an amount and the requirement it is short of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedShortfall {
    Experience {
        months: Exact,
        /// Sorted.
        categories: Vec<String>,
    },
    Total {
        months: Exact,
    },
    Credits {
        credits: Exact,
        subjects: String,
    },
    /// `a CREDENTIAL`, with what the writer pinned of it: `accredited` before it, `in SET`
    /// and `that includes N credits in SET` after it. What is not written is not compared.
    Credential {
        credential: String,
        accredited: bool,
        fields: Option<String>,
        includes: Option<(Exact, String)>,
    },
}

/// One expectation, resolved: the tier it is about, spelled as the rules spell it.
#[derive(Clone, Debug)]
pub struct Expectation {
    pub class: Arc<str>,
    pub level: Arc<str>,
    pub tier: TierKind,
    pub outcome: Outcome,
    pub shortfall: Option<(Via, ExpectedShortfall)>,
    /// The value as written.
    pub written: String,
    pub key_span: Span,
    pub value_span: Span,
}

impl Expectation {
    /// "K9099 O minimum".
    pub fn tier_name(&self) -> String {
        format!("{} {} {}", self.class, self.level, self.tier.as_str())
    }
}

/// The tier a key names, spelled as the rules spell it.
pub struct TierRef<'p> {
    pub class: Arc<str>,
    pub level: &'p LevelProgram,
    pub tier: TierKind,
}

/// Resolves a key `CLASS LEVEL TIER` (any case) against every version of the class.
pub fn resolve_key<'p>(
    program: &'p Program,
    key: &str,
    span: Span,
) -> Result<TierRef<'p>, Diagnostic> {
    let words: Vec<&str> = key.split_whitespace().collect();
    let [class_word, level_word, tier_word] = words.as_slice() else {
        return Err(Diagnostic::new(
            Code::MalformedExpectation,
            format!("expectation key `{key}` does not name a class, a level and a tier"),
            span,
            "expected `CLASS LEVEL TIER`",
        )
        .with_help("write the key as `\"K9099 O minimum\"` or `\"K9099 O recommended\"`"));
    };
    let codes = || program.classes().iter().map(|c| &*c.code);
    let class = program
        .classes()
        .iter()
        .find(|c| &*c.code == *class_word)
        .or_else(|| {
            program
                .classes()
                .iter()
                .find(|c| c.code.eq_ignore_ascii_case(class_word))
        })
        .ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownTestClass,
                format!("no class `{class_word}` in the rules"),
                span,
                "unknown class",
            )
            .with_help(did_you_mean(class_word, "class", codes()))
        })?;
    let levels = || class.versions.iter().flat_map(|v| v.levels.iter());
    let level = levels()
        .find(|l| &*l.name == *level_word)
        .or_else(|| levels().find(|l| l.name.eq_ignore_ascii_case(level_word)))
        .ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownTestLevel,
                format!("class `{}` has no level `{level_word}`", class.code),
                span,
                "unknown level",
            )
            .with_help(did_you_mean(
                level_word,
                "level",
                levels().map(|l| &*l.name),
            ))
        })?;
    let kinds = [TierKind::Minimum, TierKind::Recommended];
    let tier = kinds
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(tier_word))
        .ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownTestTier,
                format!("`{tier_word}` is not a tier"),
                span,
                "unknown tier",
            )
            .with_help(did_you_mean(tier_word, "tier", kinds.map(TierKind::as_str)))
        })?;
    // The level as some version has the tier: a tier one version added is known, and is
    // judged at run time against the version in force on the test's date.
    let level = levels()
        .filter(|l| l.name == level.name)
        .find(|l| l.tiers.iter().any(|t| t.kind == tier))
        .unwrap_or(level);
    if !level.tiers.iter().any(|t| t.kind == tier) {
        return Err(Diagnostic::new(
            Code::UnknownTestTier,
            format!(
                "level `{}` of class `{}` has no {} tier",
                level.name,
                class.code,
                tier.as_str()
            ),
            span,
            "no such tier",
        )
        .with_help("no version of the class gives this level that tier"));
    }
    Ok(TierRef {
        class: Arc::clone(&class.code),
        level,
        tier,
    })
}

/// Reads an expectation's value for the tier its key names.
pub fn parse_value(
    program: &Program,
    tier: &TierRef<'_>,
    value: &str,
    span: Span,
) -> Result<(Outcome, Option<(Via, ExpectedShortfall)>), Diagnostic> {
    let lowered = value.to_lowercase();
    let (head, tail) = match lowered.split_once(';') {
        Some((head, tail)) => (head, Some(tail)),
        None => (lowered.as_str(), None),
    };
    let head: Vec<&str> = head.split_whitespace().collect();
    let outcome = match head.as_slice() {
        ["met"] => Outcome::Met(None),
        ["met", "by", path @ ..] => Outcome::Met(Some(parse_path(tier, path, span)?)),
        ["not", "met"] => Outcome::NotMet,
        _ => return Err(malformed(value, span, "not an outcome")),
    };
    let Some(tail) = tail else {
        return Ok((outcome, None));
    };
    if outcome != Outcome::NotMet {
        return Err(malformed(value, span, "a shortfall follows `not met` only"));
    }
    let words: Vec<&str> = tail.split_whitespace().collect();
    let Some(short) = words.iter().position(|w| *w == "short") else {
        return Err(malformed(value, span, "expected `PATH short AMOUNT …`"));
    };
    let (path, rest) = words.split_at(short);
    let via = parse_path(tier, path, span)?;
    let original_tail = value.split_once(';').map_or("", |(_, t)| t);
    let shortfall = parse_shortfall(program, rest.get(1..).unwrap_or(&[]), original_tail, span)
        .map_err(|why| malformed(value, span, why))??;
    Ok((outcome, Some((via, shortfall))))
}

fn malformed(value: &str, span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MalformedExpectation,
        format!("cannot read the expectation `{value}`"),
        span,
        why.to_owned(),
    )
    .with_help(FORMS)
}

/// `direct` or `substitution N`, checked against the clauses of the tier.
fn parse_path(tier: &TierRef<'_>, words: &[&str], span: Span) -> Result<Via, Diagnostic> {
    let clauses = tier
        .level
        .tiers
        .iter()
        .filter(|t| t.kind == tier.tier)
        .map(|t| t.substitutions.len())
        .max()
        .unwrap_or(0);
    let via = match words {
        ["direct"] => return Ok(Via::Direct),
        ["substitution", n] => n.parse::<u32>().ok().filter(|n| *n > 0),
        _ => None,
    };
    let shown = words.join(" ");
    match via {
        // A clause the rules lack is a failing test, not a malformed one: a copy of the
        // rules with a clause removed runs the same tests and reports the clause.
        Some(clause) => Ok(Via::Substitution { clause }),
        None => {
            let known = if clauses == 0 {
                "this tier has no substitution clause: its only path is `direct`".to_owned()
            } else if clauses == 1 {
                "this tier's paths are `direct` and `substitution 1`".to_owned()
            } else {
                format!(
                    "this tier's paths are `direct` and `substitution 1` to `substitution {clauses}`"
                )
            };
            Err(Diagnostic::new(
                Code::UnknownTestPath,
                format!(
                    "`{shown}` is not a path of {} {} {}",
                    tier.class,
                    tier.level.name,
                    tier.tier.as_str()
                ),
                span,
                "unknown path",
            )
            .with_help(known))
        }
    }
}

/// The words after `short`: an amount and what it is of. The outer error is a malformed
/// sentence; the inner one an unknown name, with its suggestion.
fn parse_shortfall(
    program: &Program,
    words: &[&str],
    original: &str,
    span: Span,
) -> Result<Result<ExpectedShortfall, Diagnostic>, &'static str> {
    if let [article, ..] = words
        && (*article == "a" || *article == "an")
    {
        return parse_credential(program, original, span);
    }
    let (amount, unit, rest) = amount(words).ok_or("expected an amount, e.g. `6 months`")?;
    // A path short of nothing is met, and one short of less than nothing cannot be: such an
    // expectation could never hold.
    let parts = words.get(..words.len() - rest.len()).unwrap_or_default();
    if amount <= Exact::from_integer(0) || parts.iter().any(|w| w.starts_with('-')) {
        return Err("a shortfall is an amount above zero, e.g. `6 months`");
    }
    // Names keep the case they were written in.
    let names = original
        .split_whitespace()
        .skip_while(|w| !w.eq_ignore_ascii_case("short"))
        .skip(1 + words.len() - rest.len())
        .collect::<Vec<_>>()
        .join(" ");
    match (unit, rest) {
        (Unit::Months, ["toward", "the", "total"]) => {
            Ok(Ok(ExpectedShortfall::Total { months: amount }))
        }
        (Unit::Months, ["of", ..]) => {
            let list = names.trim_start_matches("of").trim();
            let list = list.strip_prefix("any of").unwrap_or(list);
            let mut categories: Vec<String> =
                list.split(',').map(|c| c.trim().to_owned()).collect();
            for category in &categories {
                if !program.categories().iter().any(|c| &**c == category) {
                    return Ok(Err(Diagnostic::new(
                        Code::MalformedExpectation,
                        format!("no experience category `{category}` in the rules"),
                        span,
                        "unknown category",
                    )
                    .with_help(did_you_mean(
                        category,
                        "category",
                        program.categories().iter().map(|c| &**c),
                    ))));
                }
            }
            categories.sort();
            let repeated = categories
                .iter()
                .zip(categories.iter().skip(1))
                .find(|(a, b)| a == b);
            if let Some((category, _)) = repeated {
                return Ok(Err(Diagnostic::new(
                    Code::MalformedExpectation,
                    format!("experience category `{category}` is named twice"),
                    span,
                    "named twice",
                )
                .with_help("name each category of the shortfall once")));
            }
            Ok(Ok(ExpectedShortfall::Experience {
                months: amount,
                categories,
            }))
        }
        (Unit::Credits, ["in", _]) => {
            let set = names.trim_start_matches("in").trim().to_owned();
            if !program.field_sets().iter().any(|f| *f.name == *set) {
                return Ok(Err(Diagnostic::new(
                    Code::MalformedExpectation,
                    format!("no field set `{set}` in the rules"),
                    span,
                    "unknown field set",
                )
                .with_help(did_you_mean(
                    &set,
                    "field set",
                    program.field_sets().iter().map(|f| &*f.name),
                ))));
            }
            Ok(Ok(ExpectedShortfall::Credits {
                credits: amount,
                subjects: set,
            }))
        }
        (Unit::Months, _) => Err("expected `of CATEGORY` or `toward the total` after the amount"),
        (Unit::Credits, _) => Err("expected `in SET` after the credits"),
    }
}

/// `a [accredited] CREDENTIAL [in SET] [that includes N credits in SET]`, read from the
/// words as written (names keep their case); every name must be one the rules have.
fn parse_credential(
    program: &Program,
    original: &str,
    span: Span,
) -> Result<Result<ExpectedShortfall, Diagnostic>, &'static str> {
    let tokens: Vec<&str> = original
        .split_whitespace()
        .skip_while(|w| !w.eq_ignore_ascii_case("short"))
        .skip(2)
        .collect();
    let (accredited, rest) = match tokens.split_first() {
        Some((word, rest)) if word.eq_ignore_ascii_case("accredited") => (true, rest),
        _ => (false, &tokens[..]),
    };
    let Some((credential, mut rest)) = rest.split_first() else {
        return Err("expected a credential after `a`");
    };
    let credentials = || {
        program
            .profiles()
            .iter()
            .flat_map(|p| p.credentials.iter().map(|c| &*c.name))
    };
    if !credentials().any(|c| c.eq_ignore_ascii_case(credential)) {
        return Ok(Err(unknown_name(
            credential,
            "credential",
            span,
            credentials(),
        )));
    }
    let sets = || program.field_sets().iter().map(|f| &*f.name);
    let mut fields = None;
    if let [word, set, tail @ ..] = rest
        && word.eq_ignore_ascii_case("in")
    {
        if !sets().any(|s| s == *set) {
            return Ok(Err(unknown_name(set, "field set", span, sets())));
        }
        fields = Some((*set).to_owned());
        rest = tail;
    }
    let mut includes = None;
    if let [that, word, number, unit, within, set, tail @ ..] = rest
        && that.eq_ignore_ascii_case("that")
        && word.eq_ignore_ascii_case("includes")
        && (unit.eq_ignore_ascii_case("credits") || unit.eq_ignore_ascii_case("credit"))
        && within.eq_ignore_ascii_case("in")
    {
        let credits = crate::applicant::numbers::parse_text(number)
            .map_err(|_| "expected a number of credits after `that includes`")?;
        if !sets().any(|s| s == *set) {
            return Ok(Err(unknown_name(set, "field set", span, sets())));
        }
        includes = Some((credits, (*set).to_owned()));
        rest = tail;
    }
    if !rest.is_empty() {
        return Err("expected `in SET` or `that includes N credits in SET` after the credential");
    }
    Ok(Ok(ExpectedShortfall::Credential {
        credential: (*credential).to_owned(),
        accredited,
        fields,
        includes,
    }))
}

/// Q507 for a name of an expectation that the rules do not have, with the nearest.
fn unknown_name<'a>(
    name: &str,
    what: &str,
    span: Span,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    Diagnostic::new(
        Code::MalformedExpectation,
        format!("no {what} `{name}` in the rules"),
        span,
        format!("unknown {what}"),
    )
    .with_help(did_you_mean(name, what, known))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Months,
    Credits,
}

/// A leading amount: `1 year 7 months`, `10 months`, `2.5 years`, `3 credits`; with its
/// unit and the words after it.
fn amount<'w>(words: &'w [&'w str]) -> Option<(Exact, Unit, &'w [&'w str])> {
    let mut total = Exact::from_integer(0);
    let mut unit = None;
    let mut rest = words;
    while let [number, word, tail @ ..] = rest {
        let Ok(value) = crate::applicant::numbers::parse_text(number) else {
            break;
        };
        let (scale, kind) = match *word {
            "year" | "years" => (Exact::from_integer(12), Unit::Months),
            "month" | "months" => (Exact::from_integer(1), Unit::Months),
            "credit" | "credits" => (Exact::from_integer(1), Unit::Credits),
            _ => return None,
        };
        if unit.is_some_and(|u| u != kind) {
            return None;
        }
        unit = Some(kind);
        total = total.checked_add(&value.checked_mul(&scale)?)?;
        rest = tail;
    }
    unit.map(|u| (total, u, rest))
}

/// The words an expectation uses for a shortfall amount of months: `1 year 7 months`.
pub fn months_words(months: Exact) -> String {
    let twelve = Exact::from_integer(12);
    let split = months
        .checked_div(&twelve)
        .map(|y| y.floor())
        .and_then(|years| Some((years, months.checked_sub(&years.checked_mul(&twelve)?)?)));
    let Some((years, rest)) = split else {
        return format!("{} months", crate::eval::outcome::exact_string(months));
    };
    let part = |value: Exact, unit: &str| {
        let text = crate::eval::outcome::exact_string(value);
        if value == Exact::from_integer(1) {
            format!("{text} {unit}")
        } else {
            format!("{text} {unit}s")
        }
    };
    match (
        years > Exact::from_integer(0),
        rest > Exact::from_integer(0),
    ) {
        (true, true) => format!("{} {}", part(years, "year"), part(rest, "month")),
        (true, false) => part(years, "year"),
        _ => part(rest, "month"),
    }
}
