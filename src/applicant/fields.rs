//! Typed access to the keys of one table, reporting wrong types, unknown keys and bad values.
//!
//! Every accessor records its diagnostics and carries on, so one pass reports every problem.

use std::ops::Range;

use jiff::civil::Date;

use super::document::{Entry, Node, NodeKind};
use super::numbers::{self, NumberError};
use crate::check::model::Exact;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// A help text for a problem, worded only when the problem is reported: reading a good file
/// words none of them.
pub trait Help {
    fn words(&self) -> String;
}

impl Help for str {
    fn words(&self) -> String {
        self.to_owned()
    }
}

impl<F: Fn() -> String> Help for F {
    fn words(&self) -> String {
        self()
    }
}

/// An example entry for a help, given as TOML (`key = value`, with `{ a = 1 }` tables), in
/// backticks and in the file's own format: `"key": value` in a JSON file.
pub fn example(json: bool, toml: &str) -> String {
    if !json {
        return format!("`{toml}`");
    }
    let as_json = match toml.split_once(" = ") {
        Some((key, value)) => format!("\"{key}\": {}", json_value(value)),
        None => toml.to_owned(),
    };
    format!("`{as_json}`")
}

/// Collects diagnostics for one applicant file.
pub struct Reporter {
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
    /// Examples in help are written in the file's own format.
    pub json: bool,
}

impl Reporter {
    pub fn new(file: FileId, json: bool) -> Reporter {
        Reporter {
            file,
            diagnostics: Vec::new(),
            json,
        }
    }

    pub fn span(&self, range: &Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    /// An example entry for a help, in the file's own format (see [`example`]).
    pub fn example(&self, toml: &str) -> String {
        example(self.json, toml)
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a value of the wrong type; `expected` reads like "a string".
    pub fn wrong_type(
        &mut self,
        node: &Node,
        what: &str,
        expected: &str,
        help: &(impl Help + ?Sized),
    ) {
        if node.kind == NodeKind::Malformed {
            // Already reported where the file was read.
            return;
        }
        if node.kind == NodeKind::TooDeep {
            self.report(
                Diagnostic::new(
                    Code::WrongType,
                    format!("{what} is nested too deeply"),
                    self.span(&node.span),
                    "nested too deeply",
                )
                .with_help(help.words()),
            );
            return;
        }
        self.report(
            Diagnostic::new(
                Code::WrongType,
                format!("{what} must be {expected}, found {}", node.kind.describe()),
                self.span(&node.span),
                format!("expected {expected}"),
            )
            .with_help(help.words()),
        );
    }

    /// The entries of a table node, or a wrong-type diagnostic.
    pub fn table<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        help: &(impl Help + ?Sized),
    ) -> Option<Table<'n>> {
        let table = Table::of(node);
        if table.is_none() {
            self.wrong_type(node, what, "a table", help);
        }
        table
    }

    /// Reports every key of `table` that is not in `allowed`, with a suggestion.
    pub fn unknown_keys(&mut self, table: &Table<'_>, allowed: &[&str], place: &str) {
        for entry in table.entries {
            if !allowed.contains(&entry.key.as_str()) {
                let help = did_you_mean(&entry.key, "key", allowed.iter().copied());
                self.report(
                    Diagnostic::new(
                        Code::UnknownKey,
                        format!(
                            "unknown key `{}` in {place}",
                            crate::source::quoted(&entry.key)
                        ),
                        self.span(&entry.key_span),
                        "not a known key",
                    )
                    .with_help(help),
                );
            }
        }
    }

    /// Reports a required key that is absent, pointing at the table that lacks it.
    /// `example` is a sample value as TOML writes it.
    pub fn missing(&mut self, table: &Table<'_>, key: &str, place: &str, example: &str) {
        let example = if !self.json {
            format!("{key} = {example}")
        } else if parse_date(example).is_some() {
            format!("\"{key}\": \"{example}\"")
        } else {
            format!("\"{key}\": {example}")
        };
        self.report(
            Diagnostic::new(
                Code::MissingField,
                format!("{place} has no `{key}`"),
                self.span(&table.head()),
                format!("`{key}` is missing"),
            )
            .with_help(format!("add it, e.g. `{example}`")),
        );
    }

    /// A string value that says something: a wrong-type diagnostic for another value, and
    /// Q302 for an empty one (or only spaces), which is no value.
    pub fn non_empty_string(
        &mut self,
        node: &Node,
        what: &str,
        help: &(impl Help + ?Sized),
    ) -> Option<String> {
        let text = self.string(node, what, help)?;
        if text.trim().is_empty() {
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    format!("{what} is empty"),
                    self.span(&node.span),
                    "nothing written here",
                )
                .with_help(help.words()),
            );
            return None;
        }
        Some(text)
    }

    /// A string value, or a wrong-type diagnostic.
    pub fn string(
        &mut self,
        node: &Node,
        what: &str,
        help: &(impl Help + ?Sized),
    ) -> Option<String> {
        match &node.kind {
            NodeKind::String(text) => Some(text.clone()),
            _ => {
                self.wrong_type(node, what, "a string", help);
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.kind {
            NodeKind::Bool(value) => Some(value),
            _ => {
                self.wrong_type(node, what, "`true` or `false`", "write `true` or `false`");
                None
            }
        }
    }

    /// A date written `YYYY-MM-DD`, as a TOML date or a string.
    pub fn date(&mut self, node: &Node, what: &str) -> Option<Date> {
        let parsed = match &node.kind {
            NodeKind::String(text) => parse_date(text),
            NodeKind::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
                (Some(d), None, None) => {
                    civil_date(i64::from(d.year), i64::from(d.month), i64::from(d.day))
                }
                _ => {
                    self.report(
                        Diagnostic::new(
                            Code::InvalidApplicantDate,
                            format!("{what} `{datetime}` has a time of day"),
                            self.span(&node.span),
                            "a date with a time",
                        )
                        .with_help("write the date alone, as YYYY-MM-DD, e.g. `2021-06-30`"),
                    );
                    return None;
                }
            },
            _ => {
                self.wrong_type(
                    node,
                    what,
                    "a date",
                    "write the date as YYYY-MM-DD, e.g. `2021-06-30`",
                );
                return None;
            }
        };
        if parsed.is_none() {
            let shown = match &node.kind {
                NodeKind::String(text) => text.clone(),
                NodeKind::Datetime(datetime) => datetime.to_string(),
                _ => String::new(),
            };
            self.report(
                Diagnostic::new(
                    Code::InvalidApplicantDate,
                    format!("{what} `{shown}` is not a valid date"),
                    self.span(&node.span),
                    "not a calendar date",
                )
                .with_help("write the date as YYYY-MM-DD, e.g. `2021-06-30`"),
            );
        }
        parsed
    }

    /// An exact number: an integer, a decimal, or a string `"p/q"`.
    pub fn number(&mut self, node: &Node, what: &str) -> Option<Exact> {
        let (result, quote) = match &node.kind {
            NodeKind::Number { text, radix } => (numbers::parse_number(text, *radix), ""),
            NodeKind::String(text) => (numbers::parse_text(text), "\""),
            _ => {
                self.wrong_type(
                    node,
                    what,
                    "a number",
                    "write a number such as `12` or `7.5`, or a fraction string such as `\"1/3\"`",
                );
                return None;
            }
        };
        result
            .map_err(|error| {
                let text = match &node.kind {
                    NodeKind::Number { text, .. } | NodeKind::String(text) => text.as_str(),
                    _ => "",
                };
                // `nan` and `inf` are numbers of a kind, not finite; anything else is no number.
                let infinite = ["nan", "inf", "infinity"]
                    .contains(&text.trim().trim_start_matches(['+', '-']).to_ascii_lowercase().as_str());
                // Text that is no number at all is a value of the wrong kind (Q303); a
                // number that cannot be held exactly is Q312.
                let (code, reason, label) = match error {
                    NumberError::NotANumber if infinite => {
                        (Code::InexactNumber, "is not a finite number", "not an exact amount")
                    }
                    NumberError::NotANumber => (Code::WrongType, "is not a number", "not a number"),
                    NumberError::OutOfRange => (
                        Code::InexactNumber,
                        "is too large or too precise to hold exactly",
                        "not an exact amount",
                    ),
                    NumberError::ZeroDenominator => {
                        (Code::InexactNumber, "divides by zero", "not an exact amount")
                    }
                };
                self.report(
                    Diagnostic::new(
                        code,
                        format!("{what} `{quote}{text}{quote}` {reason}"),
                        self.span(&node.span),
                        label,
                    )
                    .with_help(
                        "write a decimal such as `12.5` (at most 18 significant digits), or a fraction string such as `\"1/3\"`",
                    ),
                );
            })
            .ok()
    }
}

/// The entries of one table and where it is.
pub struct Table<'n> {
    pub entries: &'n [Entry],
    pub span: Range<usize>,
}

impl<'n> Table<'n> {
    /// `node` as a table, when it is one.
    pub fn of(node: &'n Node) -> Option<Table<'n>> {
        match &node.kind {
            NodeKind::Table(entries) => Some(Table {
                entries,
                span: node.span.clone(),
            }),
            _ => None,
        }
    }

    /// The value of `key`; JSON `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
            .filter(|v| v.kind != NodeKind::Null)
    }

    /// The span for labels about the whole table: a TOML `[[header]]`, or a JSON object.
    pub fn head(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// Parses exactly `YYYY-MM-DD` into a valid calendar date.
pub fn parse_date(text: &str) -> Option<Date> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] =
        <[u8; 10]>::try_from(text.as_bytes()).ok()?
    else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0i64, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + i64::from(digit - b'0'))
        })
    };
    civil_date(
        number(&[y1, y2, y3, y4])?,
        number(&[m1, m2])?,
        number(&[d1, d2])?,
    )
}

fn civil_date(year: i64, month: i64, day: i64) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// An example value written in TOML as JSON: an inline table `{ a = 1, b = 2 }` becomes
/// `{ "a": 1, "b": 2 }`; other values are written alike in both.
fn json_value(value: &str) -> String {
    let Some(inner) = value
        .strip_prefix("{ ")
        .and_then(|rest| rest.strip_suffix(" }"))
    else {
        return value.to_owned();
    };
    let entries: Vec<String> = inner
        .split(", ")
        .map(|entry| match entry.split_once(" = ") {
            Some((key, value)) => format!("\"{key}\": {}", json_value(value)),
            None => entry.to_owned(),
        })
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates as written: `YYYY-MM-DD`, four, two and two ASCII digits.
    fn parse_date_by_parts(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
            return None;
        }
        civil_date(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    #[test]
    fn dates_read_as_their_parts_say() {
        let mut samples = vec![
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2021-13-01",
            "2021-00-10",
            "2021-06-31",
            "2021-6-30",
            "21-06-30",
            "2021-06-30 ",
            " 2021-06-30",
            "2021/06/30",
            "2021-06-3x",
            "2021--6-30",
            "+021-06-30",
            "2021-06-30-",
            "",
            "２０２１-06-30",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        for year in [0, 1, 1900, 2000, 2024, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    samples.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        for sample in &samples {
            assert_eq!(
                parse_date(sample),
                parse_date_by_parts(sample),
                "{sample:?}"
            );
        }
    }
}
