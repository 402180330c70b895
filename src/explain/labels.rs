//! Field sets and experience categories named for people: a rendering for people shows
//! each by its label, in quotes, where the rules and the record use its identifier; an
//! explanation ends with the full description of each one it mentions.
//!
//! The renderings are written with identifiers (which the record and the rule text use)
//! and this pass, run once over the finished text, puts labels in their place, so that no
//! path through the renderings can leave an identifier behind.
//!
//! What the applicant wrote (an id, a name, a job title, a field of study) is theirs, and
//! is shown as written even when a word of it looks like an identifier: the renderings
//! write it through [`verbatim`], which sets it between two markers, and this pass leaves
//! what stands between them alone and takes the markers out.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::compile::Program;
use crate::source::{VERBATIM_MARKERS, one_line};

/// `text` with each word that names a field set or category (a run of letters, digits and
/// `_` holding a `_`, as identifiers are written) replaced by its label in quotes, except
/// within what `verbatim` wrote, whose markers are taken out.
pub fn labelled(program: &Program, text: &str) -> String {
    let replacements = identifiers(text).filter_map(|found| match found {
        Found::Word(start, end) => {
            let label = program.vocabulary_label(text.get(start..end)?)?;
            Some((start, end, Some(&*label.label)))
        }
        Found::Marker(start, end) => Some((start, end, None)),
    });
    spliced(text, replacements).into_owned()
}

/// `text` with each byte range of `replacements` (in order) replaced by its label in quotes,
/// or taken out when it has none; borrowed when nothing is replaced.
fn spliced<'t, 'l>(
    text: &'t str,
    replacements: impl Iterator<Item = (usize, usize, Option<&'l str>)>,
) -> Cow<'t, str> {
    // The ranges are found first, so that the text is written once into room of its final
    // length: a table runs to hundreds of megabytes, and growing it as labels lengthen it
    // would copy it again and again.
    let replacements: Vec<(usize, usize, Option<&str>)> = replacements.collect();
    if replacements.is_empty() {
        return Cow::Borrowed(text);
    }
    let added: usize = replacements
        .iter()
        .filter_map(|(_, _, label)| *label)
        .map(|label| label.len() + QUOTES_LEN)
        .sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut copied = 0;
    for (start, end, label) in replacements {
        out.push_str(text.get(copied..start).unwrap_or_default());
        if let Some(label) = label {
            out.push('“');
            out.push_str(label);
            out.push('”');
        }
        copied = end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// Opens what the applicant wrote, in a rendering.
const VERBATIM_OPEN: char = VERBATIM_MARKERS[0];
/// Closes what [`VERBATIM_OPEN`] opened.
const VERBATIM_CLOSE: char = VERBATIM_MARKERS[1];

/// `words` (something the applicant wrote) as one line, marked to be shown as written:
/// [`labelled`] leaves it alone and takes the markers out. Control characters and
/// noncharacters in `words` are written as escapes, as every rendering shows them, so that
/// only the two markers set here mark anything.
pub(crate) fn verbatim(words: &str) -> String {
    let words = one_line(words);
    let mut out = String::with_capacity(words.len() + 2 * VERBATIM_OPEN.len_utf8());
    out.push(VERBATIM_OPEN);
    out.push_str(&words);
    out.push(VERBATIM_CLOSE);
    out
}

/// `text` without the markers `verbatim` set, for a rendering that is not labelled (the
/// trace as data).
pub fn without_markers(text: &str) -> Cow<'_, str> {
    let markers = identifiers(text).filter_map(|found| match found {
        Found::Marker(start, end) => Some((start, end, None)),
        Found::Word(..) => None,
    });
    spliced(text, markers)
}

/// The bytes of the quotes around a label: `“` and `”`.
const QUOTES_LEN: usize = '“'.len_utf8() + '”'.len_utf8();

/// The field sets and categories `text` names by identifier, in order of name.
pub fn mentioned<'p>(program: &'p Program, text: &str) -> BTreeSet<&'p str> {
    identifiers(text)
        .filter_map(|found| {
            let Found::Word(start, end) = found else {
                return None;
            };
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

/// What [`identifiers`] finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    /// An identifier-like word, outside what [`verbatim`] marked: its byte range.
    Word(usize, usize),
    /// One of the markers [`verbatim`] set: its byte range.
    Marker(usize, usize),
}

/// `text`'s identifier-like words (each longest run of ASCII letters, digits and `_` that
/// holds a `_`) and the markers around what [`verbatim`] wrote, in order; no word is found
/// between two markers.
///
/// Renderings run to hundreds of megabytes and identifiers are rare in them, so each `_`
/// (or a marker's first byte) is found by a vector search and its word grown around it.
/// Every byte of a run is ASCII, so both ends fall between characters.
fn identifiers(text: &str) -> impl Iterator<Item = Found> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut close_at = None;
    // Once no marker is left after `from`, only `_` is looked for.
    let mut markers_left = true;
    std::iter::from_fn(move || {
        if let Some((start, end)) = close_at.take() {
            from = end;
            return Some(Found::Marker(start, end));
        }
        loop {
            let rest = bytes.get(from..)?;
            let found = if markers_left {
                memchr::memchr2(b'_', MARKER_FIRST_BYTE, rest)
            } else {
                memchr::memchr(b'_', rest)
            };
            let at = from + found?;
            if bytes.get(at) == Some(&b'_') {
                return Some(word_around(bytes, at, &mut from));
            }
            let Some(open_end) = marker_end(text, at, VERBATIM_OPEN) else {
                from = at + 1;
                continue;
            };
            // What follows an opening marker is shown as written when the next marker
            // closes it; an opening marker that another follows opens nothing.
            match next_marker(text, open_end) {
                None => {
                    markers_left = false;
                    from = open_end;
                }
                Some((next, VERBATIM_CLOSE)) => {
                    close_at = Some((next, next + VERBATIM_CLOSE.len_utf8()));
                    return Some(Found::Marker(at, open_end));
                }
                // Each search ends at the next marker, so the text is searched once.
                Some(_) => from = open_end,
            }
        }
    })
}

/// The first marker at or after byte `from` of `text`: where it starts, and which it is.
fn next_marker(text: &str, mut from: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    loop {
        let at = from + memchr::memchr(MARKER_FIRST_BYTE, bytes.get(from..)?)?;
        for marker in [VERBATIM_OPEN, VERBATIM_CLOSE] {
            if marker_end(text, at, marker).is_some() {
                return Some((at, marker));
            }
        }
        from = at + 1;
    }
}

/// The first byte of both markers (`U+FDD0` and `U+FDD1` are `EF B7 90` and `EF B7 91`).
const MARKER_FIRST_BYTE: u8 = 0xEF;

/// Where `marker` ends when it starts at byte `at` of `text`.
fn marker_end(text: &str, at: usize, marker: char) -> Option<usize> {
    let end = at + marker.len_utf8();
    (text.get(at..end)? == marker.encode_utf8(&mut [0; 4])).then_some(end)
}

/// The identifier-like word around the `_` at `underscore`; `from` moves past it.
fn word_around(bytes: &[u8], underscore: usize, from: &mut usize) -> Found {
    let before = bytes.get(..underscore).unwrap_or_default();
    let start = before
        .iter()
        .rposition(|&b| !is_word_byte(b))
        .map_or(0, |at| at + 1);
    let after = bytes.get(underscore..).unwrap_or_default();
    let end = after
        .iter()
        .position(|&b| !is_word_byte(b))
        .map_or(bytes.len(), |at| underscore + at);
    *from = end;
    Found::Word(start, end)
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

    /// What a character-by-character reading finds: each longest run of ASCII letters,
    /// digits and `_` holding a `_`, outside a marked stretch (an opening marker whose next
    /// marker closes it), and the two markers of each marked stretch.
    fn found_by_characters(text: &str) -> Vec<Found> {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut found = Vec::new();
        let mut start = None;
        let mut i = 0;
        while i <= chars.len() {
            let (at, c) = chars.get(i).copied().unwrap_or((text.len(), ' '));
            if let (false, Some(from)) = (is_word(c), start) {
                if text[from..at].contains('_') {
                    found.push(Found::Word(from, at));
                }
                start = None;
            }
            if is_word(c) && start.is_none() {
                start = Some(at);
            }
            if c == VERBATIM_OPEN {
                let next = chars[i + 1..]
                    .iter()
                    .position(|(_, c)| VERBATIM_MARKERS.contains(c))
                    .map(|n| i + 1 + n);
                if let Some(close) = next.filter(|&n| chars[n].1 == VERBATIM_CLOSE) {
                    let close_at = chars[close].0;
                    found.push(Found::Marker(at, at + 3));
                    found.push(Found::Marker(close_at, close_at + 3));
                    i = close + 1;
                    continue;
                }
            }
            i += 1;
        }
        found
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
            let words: Vec<Found> = identifiers(text).collect();
            assert_eq!(words, found_by_characters(text), "{text:?}");
            assert!(words.iter().all(|f| matches!(f, Found::Word(..))));
        }
    }

    #[test]
    fn words_between_markers_are_passed_over() {
        let text = format!("a_b {} x", verbatim("c_d e_f"));
        assert_eq!(
            identifiers(&text).collect::<Vec<_>>(),
            [
                Found::Word(0, 3),
                Found::Marker(4, 7),
                Found::Marker(14, 17)
            ]
        );
        assert_eq!(without_markers(&text), "a_b c_d e_f x");
    }

    #[test]
    fn a_marker_in_what_the_applicant_wrote_is_shown_as_an_escape() {
        let marked = verbatim("x\u{FDD1}y_z\u{FDD0}\nw");
        assert_eq!(without_markers(&marked), "x\\u{fdd1}y_z\\u{fdd0}\\nw");
        assert_eq!(identifiers(&marked).count(), 2, "only the two markers set");
    }

    #[test]
    fn a_marker_that_nothing_closes_marks_nothing() {
        let open = VERBATIM_OPEN;
        let text = format!("a_b {open} c_d {open}e_f{} g_h", VERBATIM_CLOSE);
        let found: Vec<Found> = identifiers(&text).collect();
        assert_eq!(found, found_by_characters(&text));
        assert_eq!(
            found
                .iter()
                .filter(|f| matches!(f, Found::Word(..)))
                .count(),
            3,
            "{found:?}"
        );
        assert_eq!(without_markers(&text), format!("a_b {open} c_d e_f g_h"));
    }

    proptest! {
        #[test]
        fn identifiers_match_a_reading_by_characters(
            text in "[a-c_ é“9\n\u{FDD0}\u{FDD1}\u{FFFD}]{0,40}"
        ) {
            prop_assert_eq!(identifiers(&text).collect::<Vec<_>>(), found_by_characters(&text));
        }
    }
}
