//! Exact amounts as a decision states them: months, years of education and semester
//! credits, each with its exact value and its wording ("1 year 3 months", "7.50 months").

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::check::model::Exact;

/// An exact number of months: `{"exact": "15/2", "display": "7.50 months"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Months(pub Exact);

/// An exact number of years of education.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Years(pub Exact);

/// An exact number of semester credits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CreditAmount(pub Exact);

impl Months {
    pub fn display(self) -> String {
        format_months(self.0)
    }
}

impl Years {
    /// "4 years", "1.50 years".
    pub fn display(self) -> String {
        plural(self.0, "year")
    }
}

impl CreditAmount {
    pub fn display(self) -> String {
        plural(self.0, "credit")
    }
}

/// Whole and part months as people say them ("2 years", "1 year 3 months", "7.50 months"),
/// worded exactly as `check::format_months`, built in one buffer.
pub fn format_months(months: Exact) -> String {
    let whole = months.trunc().to_integer();
    // What truncation left, over the same (positive, as the engine builds every amount)
    // denominator: no subtraction that could overflow.
    let fraction = match *months.denom() {
        d if d > 0 => Exact::new_raw(months.numer() % d, d),
        _ => months - Exact::from_integer(whole),
    };
    // A positive amount whose fraction two places would show as `.00` is said in words:
    // "0.00 months" would read as none, and "1 year 0.00 months" as a whole year.
    if months > Exact::from_integer(0)
        && fraction != Exact::from_integer(0)
        && super::exact::hundredths(fraction) == 0
    {
        return match whole {
            0 => "less than 0.01 months".to_owned(),
            _ => format!("just over {}", format_months(Exact::from_integer(whole))),
        };
    }
    let years = whole / 12;
    let rest = whole % 12;
    let mut out = String::with_capacity(24);
    if years != 0 {
        let _ = write!(
            out,
            "{years} year{}",
            if years.abs() == 1 { "" } else { "s" }
        );
    }
    if fraction != Exact::from_integer(0) {
        let hundredths = super::exact::hundredths(fraction);
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{rest}.{:02} months", hundredths.abs());
    } else if rest != 0 || out.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(
            out,
            "{rest} month{}",
            if rest.abs() == 1 { "" } else { "s" }
        );
    }
    out
}

/// A threshold in months, as [`format_months`] words it, but with every decimal place it has
/// when two would cut part of it: a rule asking for `0.001 months` is shown asking for "0.001
/// months", never "0.00 months", which an applicant with none would seem to reach. A rule's
/// amounts are decimals of years or months, so their months end within a few places; an
/// amount that does not end within eighteen is shown "just over" its two places.
pub fn format_threshold_months(months: Exact) -> String {
    let cut = format_months(months);
    if (months * Exact::from_integer(100)).is_integer() {
        return cut;
    }
    // Said in words already ("less than 0.01 months", "just over 1 year"), or a cut figure
    // that an amount of no end of places is just over.
    let just_over = || {
        if cut.starts_with("just over") || cut.starts_with("less than") {
            cut.clone()
        } else {
            format!("just over {cut}")
        }
    };
    let (n, d) = (i128::from(*months.numer()), i128::from(*months.denom()));
    // The fewest places that hold it: `k`, 10 to the `k`, and the amount in such units.
    let places = (3..=18u32).find_map(|k| {
        let unit = 10i128.checked_pow(k)?;
        let scaled = n.checked_mul(unit)?;
        (d != 0 && scaled % d == 0).then_some((k, unit, scaled / d))
    });
    let Some((k, unit, scaled)) = places else {
        return just_over();
    };
    let (whole, fraction) = (scaled / unit, (scaled % unit).abs());
    let (years, rest) = (whole / 12, whole % 12);
    let width = usize::try_from(k).unwrap_or(18);
    let months_part = format!("{rest}.{fraction:0width$} months");
    match years {
        0 => months_part,
        1 => format!("1 year {months_part}"),
        _ => format!("{years} years {months_part}"),
    }
}

/// `n unit(s)`, with a fraction shown to two places.
pub fn plural(value: Exact, unit: &str) -> String {
    if value.is_integer() {
        let n = value.to_integer();
        format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
    } else {
        let hundredths = super::exact::hundredths(value);
        format!(
            "{}.{:02} {unit}s",
            hundredths / 100,
            (hundredths % 100).abs()
        )
    }
}

/// An exact value as text: `7` or `15/2`.
pub fn exact_string(value: Exact) -> String {
    if value.is_integer() {
        value.to_integer().to_string()
    } else {
        format!("{}/{}", value.numer(), value.denom())
    }
}

fn exact_map<S: Serializer>(
    s: S,
    value: Exact,
    unit: &str,
    display: String,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(3))?;
    map.serialize_entry("exact", &exact_string(value))?;
    map.serialize_entry("unit", unit)?;
    map.serialize_entry("display", &display)?;
    map.end()
}

impl Serialize for Months {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        exact_map(s, self.0, "months", self.display())
    }
}

impl Serialize for Years {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        exact_map(s, self.0, "years", self.display())
    }
}

impl Serialize for CreditAmount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        exact_map(s, self.0, "semester credits", self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_two_places_would_show_as_none_is_said_in_words() {
        assert_eq!(format_months(Exact::new(1, 1240)), "less than 0.01 months");
        assert_eq!(format_months(Exact::new(14881, 1240)), "just over 1 year");
        assert_eq!(
            format_months(Exact::new(14881 * 2 + 1240, 2480)),
            "1 year 0.50 months"
        );
        assert_eq!(format_months(Exact::new(-1, 1240)), "0.00 months");
    }

    #[test]
    fn a_threshold_is_shown_with_every_place_two_would_cut() {
        let months = |n: i64, d: i64| format_threshold_months(Exact::new(n, d));
        assert_eq!(months(1, 1000), "0.001 months");
        assert_eq!(months(12006, 1000), "1 year 0.006 months");
        assert_eq!(months(30, 1), "2 years 6 months");
        assert_eq!(months(35, 2), "1 year 5.50 months");
        assert_eq!(months(1, 3), "just over 0.33 months");
        assert_eq!(months(1, 3000), "less than 0.01 months");
        assert_eq!(months(36001, 3000), "just over 1 year");
        assert_eq!(months(3, 100_000_000_000), "0.00000000003 months");
    }

    #[test]
    fn months_are_worded_as_the_checker_words_them() {
        for n in -30i64..200 {
            for d in [1i64, 2, 3, 7, 31, 377_580] {
                let m = Exact::new(n * 5, d);
                assert_eq!(format_months(m), crate::check::format_months(m), "{m}");
            }
        }
    }
}
