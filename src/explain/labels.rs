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
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Word(word) => match program.vocabulary_label(word) {
                Some(label) => {
                    let _ = write!(out, "“{}”", label.label);
                }
                None => out.push_str(word),
            },
            Piece::Other(other) => out.push_str(other),
        }
    }
    out
}

/// The field sets and categories `text` names by identifier, in order of name.
pub fn mentioned<'p>(program: &'p Program, text: &str) -> BTreeSet<&'p str> {
    pieces(text)
        .filter_map(|piece| match piece {
            Piece::Word(word) => program.labels.get_key_value(word).map(|(name, _)| &**name),
            Piece::Other(_) => None,
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

enum Piece<'t> {
    /// A run of ASCII letters, digits and `_` holding at least one `_`.
    Word(&'t str),
    Other(&'t str),
}

/// `text` cut into identifier-like words and the text between them.
fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let starts_word = rest.starts_with(is_word);
        let end = rest
            .find(|c: char| is_word(c) != starts_word)
            .unwrap_or(rest.len());
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(if starts_word && piece.contains('_') {
            Piece::Word(piece)
        } else {
            Piece::Other(piece)
        })
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
