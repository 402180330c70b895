//! Exact numbers in applicant files: decimal text and fractions to rationals, and back.
//!
//! Credits and hours are compared with thresholds, so they are never floats. A number is
//! read from its text (`12`, `7.5`, `1.5e1`, or the string `"1/3"`) and kept exact.

use num_rational::Ratio;
use num_traits::CheckedDiv;

use crate::check::model::Exact;

/// Why a number's text could not be made exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all (`nan`, `inf`, `12abc`).
    NotANumber,
    /// Too many digits, or too large, to hold exactly.
    OutOfRange,
    /// A fraction with a zero denominator.
    ZeroDenominator,
}

/// Parses a number written in base `radix` (TOML allows hex, octal and binary integers).
pub fn parse_number(text: &str, radix: u32) -> Result<Exact, NumberError> {
    if radix == 10 {
        return parse_decimal(text);
    }
    let (negative, digits) = split_sign(text);
    let magnitude = i64::from_str_radix(digits, radix).map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
            NumberError::OutOfRange
        }
        _ => NumberError::NotANumber,
    })?;
    Ok(Exact::from_integer(if negative {
        -magnitude
    } else {
        magnitude
    }))
}

/// Parses decimal text such as `-12`, `7.25` or `1.5e-1` exactly.
pub fn parse_decimal(text: &str) -> Result<Exact, NumberError> {
    if !underscores_between_digits(text) {
        return Err(NumberError::NotANumber);
    }
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let (negative, rest) = split_sign(&cleaned);
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (
            rest.get(..at).unwrap_or(""),
            parse_exponent(rest.get(at + 1..).unwrap_or(""))?,
        ),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(NumberError::NotANumber);
    }
    // Trailing zeros of the fraction do not change the value.
    let fraction = fraction.trim_end_matches('0');
    let digits = format!("{whole}{fraction}");
    // Leading zeros do not change the value, and trailing zeros are a power of ten: only
    // the significant digits must fit (`2000…0e-38`, forty digits, is 20).
    let significant = digits.trim_start_matches('0');
    let digits = significant.trim_end_matches('0');
    let zeros =
        i64::try_from(significant.len() - digits.len()).map_err(|_| NumberError::OutOfRange)?;
    let scale = exponent
        .checked_sub(i64::try_from(fraction.len()).map_err(|_| NumberError::OutOfRange)?)
        .and_then(|scale| scale.checked_add(zeros))
        .ok_or(NumberError::OutOfRange)?;
    let numerator: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| NumberError::OutOfRange)?
    };
    let value = scaled(numerator, scale)?;
    Ok(if negative { -value } else { value })
}

/// Whether every `_` in `text` stands between two digits, as TOML allows in numbers
/// (`1_000`, not `_40`, `40_` or `4__0`).
fn underscores_between_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(at, byte)| {
        *byte != b'_'
            || at
                .checked_sub(1)
                .and_then(|before| bytes.get(before))
                .is_some_and(u8::is_ascii_digit)
                && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
    })
}

/// Parses a number given as a string: a fraction `"p/q"` or decimal text.
pub fn parse_text(text: &str) -> Result<Exact, NumberError> {
    let text = text.trim();
    match text.split_once('/') {
        Some((numerator, denominator)) => {
            let numerator = parse_decimal(numerator.trim())?;
            let denominator = parse_decimal(denominator.trim())?;
            if denominator == Exact::from_integer(0) {
                return Err(NumberError::ZeroDenominator);
            }
            numerator
                .checked_div(&denominator)
                .ok_or(NumberError::OutOfRange)
        }
        None => parse_decimal(text),
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (true, rest)
    } else {
        (false, text.strip_prefix('+').unwrap_or(text))
    }
}

fn parse_exponent(text: &str) -> Result<i64, NumberError> {
    let (negative, digits) = split_sign(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    let value: i64 = digits.parse().map_err(|_| NumberError::OutOfRange)?;
    Ok(if negative { -value } else { value })
}

/// `numerator × 10^scale`, exactly, or out of range when it does not fit an [`Exact`].
fn scaled(numerator: i128, scale: i64) -> Result<Exact, NumberError> {
    if numerator == 0 {
        return Ok(Exact::from_integer(0));
    }
    let power = u32::try_from(scale.unsigned_abs()).map_err(|_| NumberError::OutOfRange)?;
    let factor = 10_i128.checked_pow(power).ok_or(NumberError::OutOfRange)?;
    let wide = if scale >= 0 {
        Ratio::from_integer(
            numerator
                .checked_mul(factor)
                .ok_or(NumberError::OutOfRange)?,
        )
    } else {
        Ratio::new(numerator, factor)
    };
    let narrow = |n: &i128| i64::try_from(*n).map_err(|_| NumberError::OutOfRange);
    Ok(Exact::new(narrow(wide.numer())?, narrow(wide.denom())?))
}

/// How an exact number is written back: decimal text when it has a finite decimal
/// expansion, else a fraction string `"p/q"` that [`parse_text`] reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    Decimal(String),
    Fraction(String),
}

impl Written {
    /// The text as written, without the quotes a fraction string needs in a file.
    pub fn into_text(self) -> String {
        match self {
            Written::Decimal(text) | Written::Fraction(text) => text,
        }
    }
}

/// Writes `value` as decimal text when that text reads back exactly, else as `p/q`.
pub fn write_exact(value: Exact) -> Written {
    let numerator = *value.numer();
    let denominator = *value.denom();
    if denominator == 1 {
        return Written::Decimal(numerator.to_string());
    }
    decimal_places(denominator)
        .and_then(|places| decimal_text(numerator, denominator, places))
        .filter(|text| parse_decimal(text) == Ok(value))
        .map_or_else(
            || Written::Fraction(format!("{numerator}/{denominator}")),
            Written::Decimal,
        )
}

/// The number of decimal places `1/denominator` needs, when it has a finite expansion.
fn decimal_places(denominator: i64) -> Option<u32> {
    let mut rest = denominator;
    let (mut twos, mut fives) = (0_u32, 0_u32);
    while rest % 2 == 0 && rest != 0 {
        rest /= 2;
        twos += 1;
    }
    while rest % 5 == 0 && rest != 0 {
        rest /= 5;
        fives += 1;
    }
    (rest == 1).then_some(twos.max(fives))
}

fn decimal_text(numerator: i64, denominator: i64, places: u32) -> Option<String> {
    let scale = 10_i128.checked_pow(places)?;
    let scaled = i128::from(numerator).checked_mul(scale)? / i128::from(denominator);
    let sign = if scaled < 0 { "-" } else { "" };
    let magnitude = scaled.unsigned_abs();
    let scale = scale.unsigned_abs();
    let whole = magnitude / scale;
    let fraction = magnitude % scale;
    let fraction = format!("{fraction:0width$}", width = places as usize);
    Some(format!("{sign}{whole}.{}", fraction.trim_end_matches('0')))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn exact(n: i64, d: i64) -> Exact {
        Exact::new(n, d)
    }

    /// The forms of a number in a string that `docs/applicant.md` lists.
    #[test]
    fn the_documented_string_forms_are_read() {
        assert_eq!(parse_text("1.5/2").unwrap(), exact(3, 4));
        assert_eq!(parse_text("3 / 4").unwrap(), exact(3, 4));
        assert_eq!(parse_text("+20").unwrap(), exact(20, 1));
        assert_eq!(parse_text(" 20 ").unwrap(), exact(20, 1));
        assert_eq!(parse_text("1_000").unwrap(), exact(1000, 1));
        assert_eq!(parse_text("100/3").unwrap(), exact(100, 3));
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal("7.5"), Ok(exact(15, 2)));
        assert_eq!(parse_decimal("-0.125"), Ok(exact(-1, 8)));
        assert_eq!(parse_decimal("1.5e1"), Ok(exact(15, 1)));
        assert_eq!(parse_decimal("25e-2"), Ok(exact(1, 4)));
        assert_eq!(parse_decimal("1_000"), Ok(exact(1000, 1)));
        assert_eq!(parse_decimal("1_000.2_5"), Ok(exact(4001, 4)));
        // As in TOML, an underscore stands only between two digits.
        for text in ["_40", "40_", "4__0", "1_.5", "1._5", "1_e2", "-_1"] {
            assert_eq!(parse_decimal(text), Err(NumberError::NotANumber), "{text}");
        }
        assert_eq!(parse_decimal("0.10000000000000000000"), Ok(exact(1, 10)));
        // Only the significant digits must fit: trailing zeros are a power of ten.
        let forty_digits = format!("2{}e-38", "0".repeat(39));
        assert_eq!(parse_decimal(&forty_digits), Ok(exact(20, 1)));
        assert_eq!(
            parse_decimal(&format!("1{}", "0".repeat(18))),
            Ok(exact(10_i64.pow(18), 1))
        );
        assert_eq!(parse_decimal("1200"), Ok(exact(1200, 1)));
        assert_eq!(parse_decimal("0.0"), Ok(exact(0, 1)));
        assert_eq!(
            parse_decimal(&format!("1{}", "0".repeat(19))),
            Err(NumberError::OutOfRange)
        );
    }

    #[test]
    fn bad_numbers_are_refused() {
        assert_eq!(parse_decimal("nan"), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal("inf"), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal("."), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal("1e400"), Err(NumberError::OutOfRange));
        assert_eq!(
            parse_decimal("1e99999999999999999999"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(
            parse_decimal("123456789012345678901234"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(parse_text("1/0"), Err(NumberError::ZeroDenominator));
    }

    #[test]
    fn fractions_and_radix() {
        assert_eq!(parse_text("1/3"), Ok(exact(1, 3)));
        assert_eq!(parse_text(" 2.5 "), Ok(exact(5, 2)));
        assert_eq!(parse_number("ff", 16), Ok(exact(255, 1)));
        assert_eq!(parse_number("-10", 2), Ok(exact(-2, 1)));
    }

    #[test]
    fn writes_decimals_when_finite() {
        assert_eq!(write_exact(exact(15, 2)), Written::Decimal("7.5".into()));
        assert_eq!(write_exact(exact(-1, 8)), Written::Decimal("-0.125".into()));
        assert_eq!(write_exact(exact(12, 1)), Written::Decimal("12".into()));
        assert_eq!(write_exact(exact(1, 3)), Written::Fraction("1/3".into()));
        assert_eq!(
            write_exact(exact(1, i64::MAX)),
            Written::Fraction(format!("1/{}", i64::MAX))
        );
    }

    #[test]
    fn written_decimals_read_back() {
        for (n, d) in [
            (1, 1 << 40),
            (-7, 625),
            (i64::MAX, 1 << 62),
            (i64::MIN + 1, 1 << 20),
        ] {
            let value = exact(n, d);
            let read_back = match write_exact(value) {
                Written::Decimal(text) => parse_decimal(&text),
                Written::Fraction(text) => parse_text(&text),
            };
            assert_eq!(read_back, Ok(value));
        }
        assert_eq!(
            write_exact(exact(1, 1 << 20)),
            Written::Decimal("0.00000095367431640625".into())
        );
        // 2^-40 needs 40 decimal places, more than the reader holds: written as a fraction.
        assert_eq!(
            write_exact(exact(1, 1 << 40)),
            Written::Fraction("1/1099511627776".into())
        );
    }
}
