//! Numbers, units and dates: turns written amounts into exact months, credits and hours.

use jiff::civil::Date;
use num_traits::{CheckedDiv, CheckedMul};

use super::model::Exact;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{Amount, DateLit, Name, Number};

/// The units the language knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Years,
    Months,
    SemesterCredits,
    QuarterCredits,
    Hours,
}

/// What a place in the language measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Duration,
    Credits,
    Hours,
}

impl Unit {
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Years | Unit::Months => Dimension::Duration,
            Unit::SemesterCredits | Unit::QuarterCredits => Dimension::Credits,
            Unit::Hours => Dimension::Hours,
        }
    }
}

impl Dimension {
    fn noun(self) -> &'static str {
        match self {
            Dimension::Duration => "a duration",
            Dimension::Credits => "credits",
            Dimension::Hours => "hours",
        }
    }

    fn units(self) -> &'static str {
        match self {
            Dimension::Duration => "`months` or `years`",
            Dimension::Credits => "`credits`, `semester credits` or `quarter credits`",
            Dimension::Hours => "`hours`",
        }
    }
}

const UNIT_WORDS: [&str; 12] = [
    "year",
    "years",
    "month",
    "months",
    "credit",
    "credits",
    "semester credit",
    "semester credits",
    "quarter credit",
    "quarter credits",
    "hour",
    "hours",
];

/// Resolves unit words; `credits` alone means semester credits.
pub fn unit(name: &Name) -> Result<Unit, Diagnostic> {
    Ok(match name.text.as_str() {
        "year" | "years" => Unit::Years,
        "month" | "months" => Unit::Months,
        "credit" | "credits" | "semester credit" | "semester credits" => Unit::SemesterCredits,
        "quarter credit" | "quarter credits" => Unit::QuarterCredits,
        "hour" | "hours" => Unit::Hours,
        other => {
            return Err(Diagnostic::new(
                Code::UnknownUnit,
                format!("unknown unit `{other}`"),
                name.span,
                "not a unit",
            )
            .with_help(did_you_mean(other, "unit", UNIT_WORDS)));
        }
    })
}

/// Digits allowed before and after the decimal point.
const MAX_WHOLE_DIGITS: usize = 9;
const MAX_FRACTION_DIGITS: usize = 4;

/// Parses a written decimal number exactly.
pub fn number(n: &Number) -> Result<Exact, Diagnostic> {
    let (negative, digits) = match n.raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, n.raw.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole_trimmed = whole.trim_start_matches('0');
    if whole_trimmed.len() > MAX_WHOLE_DIGITS || fraction.len() > MAX_FRACTION_DIGITS {
        return Err(Diagnostic::new(
            Code::NumberOutOfRange,
            format!("number `{}` is out of range", n.raw),
            n.span,
            "too many digits",
        )
        .with_help(format!(
            "numbers have at most {MAX_WHOLE_DIGITS} digits before the decimal point \
             and {MAX_FRACTION_DIGITS} after it"
        )));
    }
    let scale = 10i64.pow(u32::try_from(fraction.len()).unwrap_or(0));
    let joined = format!("{whole}{fraction}");
    let value: i64 = joined.parse().unwrap_or(0);
    let value = if negative { -value } else { value };
    Ok(Exact::new(value, scale))
}

/// The amount converted to `dimension`'s base unit (months, semester credits or hours).
///
/// Quarter credits convert through `quarter_per_semester` when the profile defines it.
pub fn measure(
    amount: &Amount,
    dimension: Dimension,
    quarter_per_semester: Option<Exact>,
) -> Result<Exact, Diagnostic> {
    let unit = unit(&amount.unit)?;
    if unit.dimension() != dimension {
        return Err(mismatch(amount, dimension, unit.dimension()));
    }
    let value = number(&amount.number)?;
    let converted = match unit {
        Unit::Years => value.checked_mul(&Exact::from_integer(12)),
        Unit::QuarterCredits => match quarter_per_semester {
            Some(ratio) => value.checked_div(&ratio),
            None => {
                return Err(Diagnostic::new(
                    Code::UnitMismatch,
                    "quarter credits are not defined in this profile",
                    amount.unit.span,
                    "quarter credits used here",
                )
                .with_help(
                    "add `a year of education is 30 semester credits or 45 quarter credits` to the profile",
                ));
            }
        },
        Unit::Months | Unit::SemesterCredits | Unit::Hours => Some(value),
    };
    converted.ok_or_else(|| out_of_range(amount))
}

/// An amount whose conversion does not fit an exact fraction: in practice only absurd
/// figures, such as a profile that makes a year of 0.0001 quarter credits.
fn out_of_range(amount: &Amount) -> Diagnostic {
    Diagnostic::new(
        Code::NumberOutOfRange,
        format!(
            "amount `{} {}` is out of range",
            amount.number.raw, amount.unit.text
        ),
        amount.span,
        "too large to convert exactly",
    )
    .with_help("use a realistic amount, and check the profile's `a year of education` figures")
}

fn mismatch(amount: &Amount, wanted: Dimension, found: Dimension) -> Diagnostic {
    let help = match wanted {
        Dimension::Duration => {
            "experience and combination totals are measured in `months` or `years`; \
             credits belong in `18 credits in <field set>`"
        }
        Dimension::Credits => {
            "subject requirements are measured in credits; experience belongs in \
             `2 years of <experience category>`"
        }
        Dimension::Hours => "full time is written as `40 hours per week`",
    };
    Diagnostic::new(
        Code::UnitMismatch,
        format!("expected {}, found {}", wanted.noun(), found.noun()),
        amount.span,
        format!("this is measured in {}", found.units()),
    )
    .with_help(help)
}

/// An amount that must be larger than zero.
pub fn positive(
    amount: &Amount,
    dimension: Dimension,
    quarter_per_semester: Option<Exact>,
    code: Code,
) -> Result<Exact, Diagnostic> {
    let value = measure(amount, dimension, quarter_per_semester)?;
    if value <= Exact::from_integer(0) {
        let what = if code == Code::SubstitutionTotalNotPositive {
            "a substitution total must be larger than zero"
        } else {
            "amount must be larger than zero"
        };
        return Err(Diagnostic::new(
            code,
            what,
            amount.span,
            format!(
                "`{} {}` is not larger than zero",
                amount.number.raw, amount.unit.text
            ),
        )
        .with_help("a requirement of nothing is always met; remove it or give a positive amount"));
    }
    Ok(value)
}

/// Parses `YYYY-MM-DD` or `M/D/YYYY` into a calendar date.
pub fn date(lit: &DateLit) -> Result<Date, Diagnostic> {
    let parts: Vec<&str> = lit.raw.split(['-', '/']).collect();
    let numbers: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (year, month, day) = match (lit.raw.contains('/'), numbers.as_slice()) {
        (false, [y, m, d]) => (*y, *m, *d),
        (true, [m, d, y]) => (*y, *m, *d),
        _ => (0, 0, 0),
    };
    let built = i16::try_from(year)
        .ok()
        .zip(i8::try_from(month).ok())
        .zip(i8::try_from(day).ok())
        .ok_or(())
        .and_then(|((y, m), d)| Date::new(y, m, d).map_err(|_| ()));
    built.map_err(|()| {
        let why = if !(1..=12).contains(&month) {
            format!("there is no month {month}")
        } else {
            format!("month {month} of {year} has no day {day}")
        };
        Diagnostic::new(
            Code::InvalidDate,
            format!("invalid date `{}`", lit.raw),
            lit.span,
            why,
        )
        .with_help("write dates as `YYYY-MM-DD`, for example `2011-09-20`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn num(raw: &str) -> Number {
        Number {
            raw: raw.to_owned(),
            span: Span::default(),
        }
    }

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(number(&num("1.5")).unwrap(), Exact::new(3, 2));
        assert_eq!(number(&num("-2")).unwrap(), Exact::from_integer(-2));
        assert!(number(&num("12345678901")).is_err());
    }

    #[test]
    fn parses_both_date_forms() {
        let lit = |raw: &str| DateLit {
            raw: raw.to_owned(),
            span: Span::default(),
        };
        assert_eq!(
            date(&lit("9/20/2011")).unwrap(),
            date(&lit("2011-09-20")).unwrap()
        );
        assert!(date(&lit("2011-02-30")).is_err());
        assert!(date(&lit("2011-13-01")).is_err());
    }
}
