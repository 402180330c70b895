//! TOML and JSON text to one spanned value tree, so the schema is checked once for both.
//!
//! Each value keeps the byte range it came from. Numbers keep their text, so they can be
//! read exactly; TOML dates keep their parts, so they can be checked like date strings.

use std::collections::HashMap;
use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value as JsonValue};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use toml::de::{DeTable, DeValue};

use super::json_reader;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Values nested deeper than this are refused (the schema needs four levels).
pub const MAX_DEPTH: usize = 32;

/// One value of an applicant file with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    String(String),
    /// A number's text and base, read exactly later.
    Number {
        text: String,
        radix: u32,
    },
    Bool(bool),
    /// A TOML date or date-time, as written.
    Datetime(toml::value::Datetime),
    Array(Vec<Node>),
    Table(Vec<Entry>),
    Null,
    /// Nested deeper than [`MAX_DEPTH`]; reported once, where it starts.
    TooDeep,
    /// A value that did not parse, such as a TOML date with no such day; already reported,
    /// so the schema says nothing more about it.
    Malformed,
}

/// One key of a table and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl NodeKind {
    /// The type as people call it, for "expected a string, found …" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::String(_) => "a string",
            NodeKind::Number { .. } => "a number",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Datetime(_) => "a date",
            NodeKind::Array(_) => "a list",
            NodeKind::Table(_) => "a table",
            NodeKind::Null => "null",
            NodeKind::TooDeep => "a deeply nested value",
            NodeKind::Malformed => "a malformed value",
        }
    }
}

/// Parses TOML text, reporting every syntax error the parser recovers from.
///
/// A file whose only errors are malformed single values (a date with no such day, a bare
/// word) is read again with each of them replaced by a placeholder of the same length, so
/// the rest of the file is still checked; the value is reported at its place and left out.
pub fn parse_toml(file: FileId, text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return (Some(toml_root(&table)), Vec::new());
    }
    let syntax_errors = || {
        errors
            .iter()
            .map(|error| toml_error(file, text, error))
            .collect::<Vec<_>>()
    };
    match repair_values(file, text, &errors) {
        Some((repaired, diagnostics, malformed)) => {
            let (table, errors) = DeTable::parse_recoverable(&repaired);
            if !errors.is_empty() {
                return (None, syntax_errors());
            }
            let mut root = toml_root(&table);
            mark_malformed(&mut root, &malformed);
            (Some(root), diagnostics)
        }
        None => (None, syntax_errors()),
    }
}

fn toml_root(table: &toml::Spanned<DeTable<'_>>) -> Node {
    Node {
        kind: toml_table(table.get_ref(), 1),
        span: table.span(),
    }
}

/// The text with every malformed value replaced by a placeholder string of the same length,
/// a diagnostic for each, and their ranges; `None` when an error is not in a single value.
fn repair_values(
    file: FileId,
    text: &str,
    errors: &[toml::de::Error],
) -> Option<(String, Vec<Diagnostic>, Vec<Range<usize>>)> {
    let mut repaired = text.to_owned();
    let mut diagnostics = Vec::new();
    let mut malformed: Vec<Range<usize>> = Vec::new();
    for error in errors {
        let value = malformed_value(text, error.span()?.start)?;
        if malformed.iter().any(|m| m.start == value.start) {
            continue;
        }
        let written = text.get(value.clone())?;
        diagnostics.push(if looks_like_date(written) {
            invalid_date(file, written, &value, error)
        } else {
            syntax_error(file, "TOML", error.message(), value.clone())
        });
        let placeholder = match value.len() {
            0 => return None,
            1 => "0".to_owned(),
            n => format!("\"{}\"", " ".repeat(n - 2)),
        };
        repaired.replace_range(value.clone(), &placeholder);
        malformed.push(value);
    }
    Some((repaired, diagnostics, malformed))
}

/// A TOML error that leaves the file unread, coded by what it is: a key given twice (Q305),
/// a date with no such day (Q308), or any other syntax error (Q301).
fn toml_error(file: FileId, text: &str, error: &toml::de::Error) -> Diagnostic {
    let range = error.span().unwrap_or(0..0);
    if error.message().starts_with("duplicate key") {
        let key = text.get(range.clone()).unwrap_or_default().trim();
        return Diagnostic::new(
            Code::DuplicateKey,
            format!("key `{}` is given twice", crate::source::quoted(key)),
            Span::new(file, range.start, range.end),
            "given again here",
        )
        .with_help("keep one of the two values");
    }
    if let Some(value) = malformed_value(text, range.start)
        && let Some(written) = text.get(value.clone()).filter(|w| looks_like_date(w))
    {
        return invalid_date(file, written, &value, error);
    }
    syntax_error(file, "TOML", error.message(), range)
}

/// Q308 for a TOML date literal with no such day (`2021-02-30`).
fn invalid_date(
    file: FileId,
    written: &str,
    value: &Range<usize>,
    error: &toml::de::Error,
) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidApplicantDate,
        format!("`{written}` is not a valid date"),
        Span::new(file, value.start, value.end),
        one_line(error.message()),
    )
    .with_help("write a real calendar date as YYYY-MM-DD, e.g. `2021-06-30`")
}

/// The range of the bare value written after `key =` on the line holding `at`, when the error
/// at `at` lies in it: from the first character after `=` to the end of the line or a comment.
/// `None` for anything else (a table header, a string, an array, an inline table).
fn malformed_value(text: &str, at: usize) -> Option<Range<usize>> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |n| at + n);
    let line = text.get(line_start..line_end)?;
    if line.trim_start().starts_with('[') {
        return None;
    }
    let equals = line_start + line.find('=')?;
    let after = text.get(equals + 1..line_end)?;
    let start = equals + 1 + (after.len() - after.trim_start().len());
    let body = text.get(start..line_end)?;
    let body = body
        .find(" #")
        .map_or(body, |n| body.get(..n).unwrap_or(body));
    let end = start + body.trim_end().len();
    let bare = text
        .get(start..end)?
        .chars()
        .all(|c| !matches!(c, '"' | '\'' | '[' | ']' | '{' | '}' | ',' | '='));
    (bare && (start..=end).contains(&at) && start < end).then_some(start..end)
}

/// Whether a bare value is written like a TOML date or date-time (`2021-02-30`).
fn looks_like_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 8
        && bytes.iter().take(4).all(u8::is_ascii_digit)
        && bytes.get(4) == Some(&b'-')
        && value.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+')
        })
}

/// Marks the placeholder of every malformed value, so the schema passes over it.
fn mark_malformed(node: &mut Node, malformed: &[Range<usize>]) {
    if malformed
        .iter()
        .any(|m| m.start == node.span.start && m.end == node.span.end)
    {
        node.kind = NodeKind::Malformed;
        return;
    }
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| mark_malformed(n, malformed)),
        NodeKind::Table(entries) => entries
            .iter_mut()
            .for_each(|e| mark_malformed(&mut e.value, malformed)),
        _ => {}
    }
}

fn toml_table(table: &DeTable<'_>, depth: usize) -> NodeKind {
    if depth > MAX_DEPTH {
        return NodeKind::TooDeep;
    }
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_span: key.span(),
            value: toml_value(value.get_ref(), value.span(), depth + 1),
        })
        .collect();
    entries.sort_by_key(|e| e.key_span.start);
    NodeKind::Table(entries)
}

fn toml_value(value: &DeValue<'_>, span: Range<usize>, depth: usize) -> Node {
    let kind = if depth > MAX_DEPTH {
        NodeKind::TooDeep
    } else {
        match value {
            DeValue::String(s) => NodeKind::String(s.to_string()),
            DeValue::Integer(i) => NodeKind::Number {
                text: i.as_str().to_owned(),
                radix: i.radix(),
            },
            DeValue::Float(f) => NodeKind::Number {
                text: f.as_str().to_owned(),
                radix: 10,
            },
            DeValue::Boolean(b) => NodeKind::Bool(*b),
            DeValue::Datetime(d) => NodeKind::Datetime(*d),
            DeValue::Array(items) => NodeKind::Array(
                items
                    .iter()
                    .map(|item| toml_value(item.get_ref(), item.span(), depth + 1))
                    .collect(),
            ),
            DeValue::Table(table) => toml_table(table, depth),
        }
    };
    Node { kind, span }
}

/// Parses strict JSON (no comments, trailing commas or other JSON5 extensions).
///
/// Text that is plainly valid is read in one pass by [`json_reader::read`]; anything else
/// is read by the general parser, which gives the same tree and reports every problem.
pub fn parse_json(file: FileId, text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    match json_reader::read(text) {
        Some(node) => (Some(node), Vec::new()),
        None => parse_json_general(file, text),
    }
}

/// Parses strict JSON with the general parser, reporting syntax errors and repeated keys.
pub(super) fn parse_json_general(file: FileId, text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(_) if let Some((range, message)) = super::strict_json::first_violation(text) => {
            (None, vec![syntax_error(file, "JSON", &message, range)])
        }
        Ok(result) => match result.value {
            Some(value) => {
                let mut diagnostics = Vec::new();
                let node = json_value(file, &value, 1, &mut diagnostics);
                (Some(node), diagnostics)
            }
            None => (
                None,
                vec![syntax_error(
                    file,
                    "JSON",
                    "the file holds no value",
                    0..text.len(),
                )],
            ),
        },
        Err(error) => {
            let range = error.range();
            let message = lowercase_first(&error.kind().to_string());
            (
                None,
                vec![syntax_error(file, "JSON", &message, range.start..range.end)],
            )
        }
    }
}

fn json_value(
    file: FileId,
    value: &JsonValue<'_>,
    depth: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Node {
    let range = value.range();
    let span = range.start..range.end;
    if depth > MAX_DEPTH {
        return Node {
            kind: NodeKind::TooDeep,
            span,
        };
    }
    let kind = match value {
        JsonValue::StringLit(s) => NodeKind::String(s.value.to_string()),
        JsonValue::NumberLit(n) => NodeKind::Number {
            text: n.value.to_owned(),
            radix: 10,
        },
        JsonValue::BooleanLit(b) => NodeKind::Bool(b.value),
        JsonValue::NullKeyword(_) => NodeKind::Null,
        JsonValue::Array(array) => NodeKind::Array(
            array
                .elements
                .iter()
                .map(|item| json_value(file, item, depth + 1, diagnostics))
                .collect(),
        ),
        JsonValue::Object(object) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(object.properties.len());
            // Where each key is in `entries`, so a repeat is found without a scan of a large
            // object; an object of a few keys, as applicant files hold, is scanned instead.
            let mut seen: Option<HashMap<String, usize>> = None;
            for prop in &object.properties {
                let (key, key_range) = match &prop.name {
                    ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                };
                let key_span = key_range.start..key_range.end;
                let repeated = match &seen {
                    Some(seen) => seen.get(&key).and_then(|&at| entries.get(at)),
                    None => entries.iter().find(|entry| entry.key == key),
                };
                if let Some(first) = repeated {
                    diagnostics.push(duplicate_key(file, &key, &key_span, &first.key_span));
                    continue;
                }
                if let Some(seen) = &mut seen {
                    seen.insert(key.clone(), entries.len());
                } else if entries.len() >= SCANNED_KEYS {
                    let mut index: HashMap<String, usize> = entries
                        .iter()
                        .enumerate()
                        .map(|(at, entry)| (entry.key.clone(), at))
                        .collect();
                    index.insert(key.clone(), entries.len());
                    seen = Some(index);
                }
                entries.push(Entry {
                    key,
                    key_span,
                    value: json_value(file, &prop.value, depth + 1, diagnostics),
                });
            }
            NodeKind::Table(entries)
        }
    };
    Node { kind, span }
}

/// Objects of up to this many keys find a repeated key by a scan of the keys before it.
pub(super) const SCANNED_KEYS: usize = 16;

fn duplicate_key(
    file: FileId,
    key: &str,
    again: &Range<usize>,
    first: &Range<usize>,
) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateKey,
        format!("key `{key}` is given twice"),
        Span::new(file, again.start, again.end),
        "given again here",
    )
    .with_label(Span::new(file, first.start, first.end), "first given here")
    .with_help("keep one of the two values")
}

fn syntax_error(file: FileId, format: &str, message: &str, range: Range<usize>) -> Diagnostic {
    let message = one_line(message);
    Diagnostic::new(
        Code::ApplicantSyntax,
        format!("malformed {format}: {message}"),
        Span::new(file, range.start, range.end),
        "here",
    )
    .with_help(format!(
        "fix the {format} syntax; docs/applicant.md shows a complete applicant file"
    ))
}

/// The first line of a parser message, lowercased at the start and without a final period.
fn one_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    lowercase_first(line.trim_end_matches('.'))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
        diagnostics.iter().map(|d| d.code().as_str()).collect()
    }

    /// A repeated key is found whether the object is small (its keys scanned) or large (its
    /// keys indexed), and reported at the repeat, pointing at the first.
    #[test]
    fn a_repeated_key_is_found_in_small_and_large_objects() {
        for (count, first, again) in [(3, 0, 2), (3, 1, 2), (40, 3, 30), (40, 20, 39)] {
            let keys: Vec<String> = (0..count)
                .map(|i| format!("k{}", if i == again { first } else { i }))
                .collect();
            let body: Vec<String> = keys.iter().map(|k| format!("\"{k}\": 1")).collect();
            let text = format!("{{{}}}", body.join(", "));
            let (node, diagnostics) = parse_json(FileId(0), &text);
            assert_eq!(codes(&diagnostics), ["Q305"], "{text}");
            let repeat = text.rfind(&format!("\"k{first}\"")).unwrap();
            assert_eq!(diagnostics[0].span().start as usize, repeat, "{text}");
            let NodeKind::Table(entries) = node.expect("read").kind else {
                panic!("a table");
            };
            assert_eq!(entries.len(), count - 1);
        }
    }

    #[test]
    fn a_date_with_no_such_day_is_reported_and_the_rest_is_read() {
        let text = "name = \"A\"\nstart = 2021-02-30\nother = 1\n";
        let (node, diagnostics) = parse_toml(FileId(0), text);
        assert_eq!(codes(&diagnostics), ["Q308"]);
        assert_eq!(diagnostics[0].span().range(), 19..29);
        let NodeKind::Table(entries) = node.expect("the rest is read").kind else {
            panic!("a table");
        };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["name", "start", "other"]);
        assert_eq!(entries[1].value.kind, NodeKind::Malformed);
    }

    #[test]
    fn a_bare_word_is_a_syntax_error_at_the_value() {
        let text = "hours = 40h # forty\nname = \"A\"\n";
        let (node, diagnostics) = parse_toml(FileId(0), text);
        assert_eq!(codes(&diagnostics), ["Q301"]);
        assert_eq!(diagnostics[0].span().range(), 8..11);
        assert!(node.is_some());
    }

    #[test]
    fn a_broken_structure_still_stops_the_file() {
        let text = "name = \"A\"\n[[experience\ntitle = \"x\"\n";
        let (node, diagnostics) = parse_toml(FileId(0), text);
        assert!(node.is_none());
        assert!(!diagnostics.is_empty());
        assert!(codes(&diagnostics).iter().all(|c| *c == "Q301"));
    }
}
