//! Replaying a stored decision record: the record's applicant is evaluated again under the
//! rules given, with the record's own query, and the new record is compared with the stored
//! one. A record whose rules or applicant are not the ones given is reported as such and
//! never evaluated again, so a replay can only confirm a decision on its own inputs.

use std::fmt;

use jiff::civil::Date;
use serde_json::Value;

use crate::check::CheckedRules;
use crate::compile::Program;
use crate::eval::Query;

use super::record::COMPACT_RECORD_VERSION;
use super::{Extras, Item, Rendering, Screener};

/// What a stored record says about where it came from and how it was evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// `file` or `file:line`, as the record's `source` gives it.
    pub source: String,
    pub rules_hash: String,
    pub applicant_hash: String,
    pub query: Query,
}

impl Stored {
    /// Reads a record's provenance; `Err` says what is missing or malformed.
    pub fn of(record: &Value) -> Result<Stored, String> {
        if record.get("record").and_then(Value::as_str) != Some(COMPACT_RECORD_VERSION) {
            return Err(format!("not a `{COMPACT_RECORD_VERSION}` record"));
        }
        let text = |key: &str| -> Result<&str, String> {
            record
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("the record has no `{key}`"))
        };
        let source = record.get("source").ok_or("the record has no `source`")?;
        let file = source
            .get("file")
            .and_then(Value::as_str)
            .ok_or("the record's `source` has no `file`")?;
        let source = match source.get("line").and_then(Value::as_u64) {
            Some(line) => format!("{file}:{line}"),
            None => file.to_owned(),
        };
        let applicant_hash = record
            .get("applicant")
            .and_then(|a| a.get("sha256"))
            .and_then(Value::as_str)
            .ok_or("the record has no `applicant.sha256`")?;
        let as_of: Date = text("as_of")?
            .parse()
            .map_err(|_| "the record's `as_of` is not a date".to_owned())?;
        let classes = match record.get("classes_asked") {
            None => Vec::new(),
            Some(Value::Array(codes)) => codes
                .iter()
                .map(|c| c.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or("the record's `classes_asked` is not a list of codes")?,
            Some(_) => return Err("the record's `classes_asked` is not a list of codes".into()),
        };
        let level = match record.get("level_asked") {
            None => None,
            Some(Value::String(level)) => Some(level.clone()),
            Some(_) => return Err("the record's `level_asked` is not a level".into()),
        };
        Ok(Stored {
            source,
            rules_hash: text("rules_hash")?.to_owned(),
            applicant_hash: applicant_hash.to_owned(),
            query: Query {
                as_of,
                classes,
                level,
                tier: None,
            },
        })
    }
}

/// The outcome of replaying one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Evaluated again, the same record.
    Same,
    /// Evaluated again, a different record: the first difference, at a path in the record.
    Differs {
        path: String,
        stored: Value,
        now: Value,
    },
    /// The record was made under other rules: not evaluated again.
    OtherRules { stored: String, given: String },
    /// The applicant given is not the one the record was made from: not evaluated again.
    OtherApplicant { stored: String, given: String },
    /// No applicant of the pool comes from the record's source.
    NotFound,
    /// The line is not a decision record.
    NotARecord(String),
    /// The record's applicant or query cannot be evaluated again (an unknown class or level
    /// asked, an applicant the rules given cannot read): the diagnostics, in words.
    NotEvaluated(String),
}

impl Verdict {
    /// Whether the record was confirmed.
    pub fn is_same(&self) -> bool {
        matches!(self, Verdict::Same)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Same => f.write_str("same"),
            Verdict::Differs { path, stored, now } => write!(
                f,
                "differs at {path}: the record has {}, now {}",
                shown(stored),
                shown(now)
            ),
            Verdict::OtherRules { stored, given } => write!(
                f,
                "made under other rules (record {stored}, given {given}): not evaluated again"
            ),
            Verdict::OtherApplicant { stored, given } => write!(
                f,
                "the applicant is not the one recorded (record {stored}, given {given}): not evaluated again"
            ),
            Verdict::NotFound => f.write_str("no applicant of the pool comes from this source"),
            Verdict::NotARecord(why) => write!(f, "not a decision record: {why}"),
            Verdict::NotEvaluated(why) => write!(f, "could not be evaluated again: {why}"),
        }
    }
}

/// The longest value a verdict shows whole; a longer one (a whole list of classes, say) is
/// cut, since the path already says where the records part.
const SHOWN_VALUE_CHARS: usize = 200;

/// A value as JSON, cut after [`SHOWN_VALUE_CHARS`] characters with `…`.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(SHOWN_VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

/// When only the classes `read` were read (`--class`; none: every class), a record asked
/// about another class, or about every class, cannot be made again from them: its verdict,
/// `None` when the classes read cover the record's query.
pub fn outside_classes_read(stored: &Stored, read: &[String]) -> Option<Verdict> {
    if read.is_empty() {
        return None;
    }
    let is_read = |code: &String| read.iter().any(|r| r.eq_ignore_ascii_case(code));
    let asked = if stored.query.classes.is_empty() {
        "every class".to_owned()
    } else {
        let missing = stored.query.classes.iter().find(|code| !is_read(code))?;
        format!("class {missing}")
    };
    let read = read.join(", ");
    Some(Verdict::NotEvaluated(format!(
        "the record is about {asked}, and only {read} was read (`--class`)"
    )))
}

/// Replays one stored record against the rules given and the applicant found at its
/// source (`None`: not found).
pub fn replay(
    program: &Program,
    rules: &CheckedRules,
    record: &Value,
    stored: &Stored,
    item: Option<&Item>,
) -> Verdict {
    if stored.rules_hash != program.content_hash() {
        return Verdict::OtherRules {
            stored: stored.rules_hash.clone(),
            given: program.content_hash().to_owned(),
        };
    }
    let Some(item) = item else {
        return Verdict::NotFound;
    };
    let given = item.content_hash();
    if given != stored.applicant_hash {
        return Verdict::OtherApplicant {
            stored: stored.applicant_hash.clone(),
            given,
        };
    }
    // Found by its source, whatever the spelling of its file, or by its bytes, and the same
    // bytes: the record is made again under the source it was written with (file and line),
    // so that the decision is compared, wherever the applicant sits in the pool now.
    let source = record.get("source");
    let written_file = source.and_then(|s| s.get("file")).and_then(Value::as_str);
    let written_line = source.and_then(|s| s.get("line")).and_then(Value::as_u64);
    let renamed;
    let item = if written_file.is_some_and(|file| file != &*item.file) || written_line != item.line
    {
        renamed = Item {
            file: written_file.map_or_else(|| item.file.clone(), std::sync::Arc::from),
            line: written_line,
            ..item.clone()
        };
        &renamed
    } else {
        item
    };
    let query = stored.query.clone().with_names_of(program);
    let screener = Screener::new(program, rules, query, Rendering::Jsonl, Extras::default());
    let screened = screener.screen(item);
    let now: Value = match serde_json::from_slice(&screened.output) {
        Ok(value) => value,
        Err(error) => return Verdict::NotARecord(error.to_string()),
    };
    if screened.bad && record.get("errors").is_none() {
        return Verdict::NotEvaluated(errors_in_words(&now));
    }
    match first_difference(record, &now, &mut String::new()) {
        None => Verdict::Same,
        Some((path, stored, now)) => Verdict::Differs { path, stored, now },
    }
}

/// The diagnostics of an error record, `code: message`, joined with `; `.
fn errors_in_words(error_record: &Value) -> String {
    let errors = error_record.get("errors").and_then(Value::as_array);
    let words: Vec<String> = errors
        .into_iter()
        .flatten()
        .map(|error| {
            let text = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or("");
            format!("{}: {}", text("code"), text("message"))
        })
        .collect();
    words.join("; ")
}

/// The keys a replay does not compare: the version of qualify that wrote the record (a
/// replay under another version that gives the same record confirms it).
const NOT_COMPARED: &[&str] = &["qualify"];

/// The first place where `a` and `b` differ, in the order of `a`'s keys, then `b`'s keys
/// missing from `a`: its path (`classes[0].levels[1].minimum.met`) and the two values
/// (`null` for a missing one).
pub fn first_difference(a: &Value, b: &Value, path: &mut String) -> Option<(String, Value, Value)> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for key in keys {
                if path.is_empty() && NOT_COMPARED.contains(&key.as_str()) {
                    continue;
                }
                let (left, right) = (x.get(key), y.get(key));
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                let found = match (left, right) {
                    (Some(l), Some(r)) => first_difference(l, r, path),
                    (l, r) => Some((
                        path.clone(),
                        l.cloned().unwrap_or(Value::Null),
                        r.cloned().unwrap_or(Value::Null),
                    )),
                };
                if found.is_some() {
                    return found;
                }
                path.truncate(length);
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for index in 0..x.len().max(y.len()) {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                let found = match (x.get(index), y.get(index)) {
                    (Some(l), Some(r)) => first_difference(l, r, path),
                    (l, r) => Some((
                        path.clone(),
                        l.cloned().unwrap_or(Value::Null),
                        r.cloned().unwrap_or(Value::Null),
                    )),
                };
                if found.is_some() {
                    return found;
                }
                path.truncate(length);
            }
            None
        }
        _ if a == b => None,
        _ => Some((path.clone(), a.clone(), b.clone())),
    }
}

/// A stored record read from its line: strict JSON whose objects give each key once. A key
/// given twice is refused, since readers differ on which of the two they keep, and a record
/// must say one thing.
pub fn parse_record(line: &[u8]) -> Result<Value, String> {
    let line = line
        .strip_suffix(b"\n")
        .map_or(line, |l| l.strip_suffix(b"\r").unwrap_or(l));
    let mut reader = serde_json::Deserializer::from_slice(line);
    let value = serde::Deserialize::deserialize(&mut reader)
        .map(|UniqueKeys(value)| value)
        .map_err(|e| in_the_record(&e))?;
    reader.end().map_err(|e| in_the_record(&e))?;
    Ok(value)
}

/// A reading error placed in the record, which is one line of its file: serde_json counts
/// lines from the record's start, so "line 1" would read as the file's first line.
fn in_the_record(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) if error.line() == 1 => {
            format!("{message} at column {} of the record", error.column())
        }
        _ => text,
    }
}

/// A JSON value read with every object's keys checked to be distinct.
struct UniqueKeys(Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<UniqueKeys, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let UniqueKeys(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` is given twice in one object"
                )));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_difference_is_named_by_its_path() {
        let a = json!({"qualify": "1", "classes": [{"levels": [{"met": true}, {"met": true}]}]});
        let b = json!({"qualify": "2", "classes": [{"levels": [{"met": true}, {"met": false}]}]});
        let found = first_difference(&a, &b, &mut String::new()).unwrap();
        assert_eq!(found.0, "classes[0].levels[1].met");
        assert_eq!((found.1, found.2), (json!(true), json!(false)));
    }

    #[test]
    fn a_missing_key_is_a_difference_and_the_version_is_not() {
        let a = json!({"qualify": "1", "x": 1});
        assert_eq!(
            first_difference(&a, &json!({"qualify": "2", "x": 1}), &mut String::new()),
            None
        );
        let found = first_difference(
            &a,
            &json!({"qualify": "1", "x": 1, "y": 2}),
            &mut String::new(),
        );
        assert_eq!(found.unwrap().0, "y");
    }
}
