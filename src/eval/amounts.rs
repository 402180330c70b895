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
    fn months_are_worded_as_the_checker_words_them() {
        for n in -30i64..200 {
            for d in [1i64, 2, 3, 7, 31, 377_580] {
                let m = Exact::new(n * 5, d);
                assert_eq!(format_months(m), crate::check::format_months(m), "{m}");
            }
        }
    }
}
