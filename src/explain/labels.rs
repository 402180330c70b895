//! Field sets and experience categories named for people: a rendering for people shows
//! each by its label, in quotes, where the rules and the record use its identifier; an
//! explanation ends with the full description of each one it mentions.
//!
//! The renderings are written with identifiers (which the record and the rule text use)
//! and this pass, run once over the finished text, puts labels in their place, so that no
//! path through the renderings can leave an identifier behind.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::compile::Program;

/// `text` with each word that names a field set or category (a run of letters, digits and
/// `_` holding a `_`, as identifiers are written) replaced by its label in quotes.
pub fn labelled(program: &Program, text: &str) -> String {
    // The words to replace are found first, so that the text is written once into room of
    // its final length: a table runs to hundreds of megabytes, and growing it as labels
    // lengthen it would copy it again and again.
    let replacements: Vec<(usize, usize, &str)> = identifiers(text)
        .filter_map(|(start, end)| {
            let label = program.vocabulary_label(text.get(start..end)?)?;
            Some((start, end, &*label.label))
        })
        .collect();
    let added: usize = replacements
        .iter()
        .map(|(_, _, label)| label.len() + QUOTES_LEN)
        .sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut copied = 0;
    for (start, end, label) in replacements {
        out.push_str(text.get(copied..start).unwrap_or_default());
        out.push('“');
        out.push_str(label);
        out.push('”');
        copied = end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The bytes of the quotes around a label: `“` and `”`.
const QUOTES_LEN: usize = '“'.len_utf8() + '”'.len_utf8();

/// The field sets and categories `text` names by identifier, in order of name.
pub fn mentioned<'p>(program: &'p Program, text: &str) -> BTreeSet<&'p str> {
    identifiers(text)
        .filter_map(|(start, end)| {
            let word = text.get(start..end)?;
            program.labels.get_key_value(word).map(|(name, _)| &**name)
        })
        .collect()
}

/// "Terms used": each field set and category of `names` by its label, with its full
/// description and its notes, and a field set's notes on its own fields; empty when `names`
/// is empty.
pub fn glossary<'p>(program: &Program, names: impl IntoIterator<Item = &'p str>) -> String {
    let mut out = String::new();
    let mut entries: Vec<_> = names
        .into_iter()
        .filter_map(|name| Some((name, program.vocabulary_label(name)?)))
        .collect();
    entries.sort_by(|a, b| a.1.label.cmp(&b.1.label));
    if entries.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nTerms used:");
    for (name, entry) in entries {
        let what = if entry.kind == "field_set" {
            "fields"
        } else {
            "experience"
        };
        let _ = writeln!(out, "  “{}” ({what}): {}", entry.label, entry.description);
        for note in &entry.notes {
            let _ = writeln!(out, "      Note: {}", super::note_text(note));
        }
        member_notes(program, name, &mut out);
    }
    out
}

/// The notes a field set gives on its own fields, each under the field it follows.
fn member_notes(program: &Program, name: &str, out: &mut String) {
    let Some(set) = program.field_sets().iter().find(|set| &*set.name == name) else {
        return;
    };
    for (field, info) in set.fields.iter().zip(&set.field_info) {
        for note in &info.notes {
            let by = note
                .authority
                .as_ref()
                .map(|authority| format!(" (by {authority})"))
                .unwrap_or_default();
            let _ = writeln!(out, "      Note on “{field}”: {}{by}", note.text);
        }
    }
}

/// Whether `byte` can be part of an identifier: an ASCII letter or digit, or `_`.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The byte ranges of `text`'s identifier-like words: each longest run of ASCII letters,
/// digits and `_` that holds a `_`, in order.
///
/// Renderings run to hundreds of megabytes and identifiers are rare in them, so each `_` is
/// found by a vector search and its word grown around it. Every byte of a run is ASCII, so
/// both ends fall between characters.
fn identifiers(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        let underscore = from + memchr::memchr(b'_', bytes.get(from..)?)?;
        let before = bytes.get(..underscore)?;
        let start = before
            .iter()
            .rposition(|&b| !is_word_byte(b))
            .map_or(0, |at| at + 1);
        let after = bytes.get(underscore..)?;
        let end = after
            .iter()
            .position(|&b| !is_word_byte(b))
            .map_or(bytes.len(), |at| underscore + at);
        from = end;
        Some((start, end))
    })
}

/// How `field` matched field set `set`, for a reader, when it was not written as the set
/// lists the field: " (a listed spelling of “Healthcare Administration”)" when written as a
/// listed spelling, " (matches “Healthcare Administration” by its listed spelling “Health
/// Care Administration”)" when it matched a spelling once case, punctuation and spacing are
/// set aside, " (matches “Healthcare Administration”)" when it matched the field itself so;
/// empty when it was written as the field is listed, or matched nothing.
pub(crate) fn match_words(
    program: &Program,
    set: Option<crate::check::model::FieldSetId>,
    field: Option<&str>,
) -> String {
    let (Some(set), Some(field)) = (set, field) else {
        return String::new();
    };
    match program.field_match(set, field) {
        Some(found) => match found.spelling {
            Some(spelling) if spelling == field => {
                format!(" (a listed spelling of “{}”)", found.field)
            }
            Some(spelling) => format!(
                " (matches “{}” by its listed spelling “{spelling}”)",
                found.field
            ),
            None if found.field != field => format!(" (matches “{}”)", found.field),
            None => String::new(),
        },
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The words a character-by-character cut into runs finds: each longest run of ASCII
    /// letters, digits and `_`, kept when it holds a `_`.
    fn words_by_characters(text: &str) -> Vec<(usize, usize)> {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut words = Vec::new();
        let mut start = None;
        for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (is_word(c), start) {
                (true, None) => start = Some(at),
                (false, Some(from)) => {
                    if text[from..at].contains('_') {
                        words.push((from, at));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        words
    }

    #[test]
    fn identifiers_are_found_whole_between_any_characters() {
        for text in [
            "",
            "_",
            "a_b",
            "needs 6 months of public_program_experience.",
            "“x_y”—z__ _q 9_9 é_é a_b_c",
            "trailing_",
            "_leading and in_the_middle",
        ] {
            assert_eq!(
                identifiers(text).collect::<Vec<_>>(),
                words_by_characters(text),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn identifiers_match_a_cut_by_characters(text in "[a-c_ é“9\\n]{0,40}") {
            prop_assert_eq!(identifiers(&text).collect::<Vec<_>>(), words_by_characters(&text));
        }
    }
}
