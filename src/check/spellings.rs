//! How a field of study is compared with the fields and spellings a field set lists: case,
//! punctuation, `&` for `and`, repeated spaces and how an accented letter is encoded make no
//! difference. The checks that keep
//! a set's spellings unambiguous (Q124, Q125, Q208, Q209) live here too.

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::Checker;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{FieldMember, FieldSet, Text};

/// The form in which fields are compared: lower case, each run of characters other than
/// letters, digits and combining marks one space (apostrophes dropped, so `Master's` is
/// `masters`), `&` read as the word `and`, no space at either end, and in Unicode's composed
/// form (NFC), so that `é` typed as one character or as `e` and an accent is the same letter.
/// `"Health  Care & Admin."` and `"health care and admin"` have the same key. A text without
/// letters or digits has an empty key and matches nothing.
pub fn field_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut pending_space = false;
    let composed: Cow<'_, str> = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    for c in composed.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.extend(c.to_lowercase());
        } else if c == '&' {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str("and");
            pending_space = true;
        } else if !is_apostrophe(c) {
            pending_space = true;
        }
    }
    // Lower case can decompose a letter (`İ` is `i` and a dot above): compose again.
    if key.is_ascii() {
        key
    } else {
        key.nfc().collect()
    }
}

/// The key of `text` for a table that ignores ASCII case itself: `text` unchanged when it
/// is already a key but for ASCII capitals (the usual field, `Finance`), else its
/// [`field_key`].
pub fn lookup_key(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let plain = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b' ')
        && !text.contains("  ");
    if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(field_key(text))
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`')
}

impl Checker {
    /// Q209 for each field that reads as the second line of the note before it.
    pub(crate) fn check_note_continuations(&mut self, set: &FieldSet) {
        for pair in set.members.windows(2) {
            let [before, FieldMember::Field { field, .. }] = pair else {
                continue;
            };
            if let Some(note) = before.notes().last()
                && reads_as_prose(&field.value)
            {
                self.report(note_continuation(field, note.span));
            }
        }
    }

    /// Q124, Q125 and Q208 for the fields and spellings a field set lists itself.
    pub(crate) fn check_spellings(&mut self, set: &FieldSet) {
        // Each key listed so far: the field it spells and where it was written.
        let mut keys: HashMap<String, (String, Text)> = HashMap::new();
        for member in &set.members {
            let FieldMember::Field {
                field, spellings, ..
            } = member
            else {
                continue;
            };
            let field_name = field_key(&field.value);
            for text in std::iter::once(field).chain(spellings) {
                if text.value.chars().count() > super::MAX_NAME_CHARS {
                    self.check_name_length(&text.value, text.span, "field");
                    continue;
                }
                let key = field_key(&text.value);
                if key.is_empty() {
                    if !text.value.is_empty() {
                        self.report(without_letters(text));
                    }
                    continue;
                }
                match keys.get(&key) {
                    None => {
                        keys.insert(key, (field_name.clone(), text.clone()));
                    }
                    Some((owner, first)) if *owner != field_name => {
                        let diagnostic = two_fields(text, first, &set.name.text);
                        self.report(diagnostic);
                    }
                    // A spelling, or the same field written again (the two are merged),
                    // that adds nothing.
                    Some((_, first)) => {
                        let diagnostic = repeated_spelling(text, first);
                        self.report(diagnostic);
                    }
                }
            }
        }
    }
}

/// Whether a field's name reads as part of a sentence rather than a name: it begins in
/// lower case or ends with sentence punctuation.
fn reads_as_prose(name: &str) -> bool {
    let trimmed = name.trim();
    trimmed.chars().next().is_some_and(char::is_lowercase)
        || trimmed.ends_with(['.', ',', ';', ':'])
}

fn note_continuation(field: &Text, note: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::FieldReadsAsNote,
        format!(
            "the field `\"{}\"` reads as the rest of the note before it",
            field.value
        ),
        field.span,
        "read as a field of the set",
    )
    .with_label(note, "the note ends after its first string")
    .with_help(
        "a field's note is one string: join the note's strings into one, or put a longer \
         note on the field set; if this is a field, write its name as a name",
    )
}

fn without_letters(text: &Text) -> Diagnostic {
    Diagnostic::new(
        Code::FieldWithoutLetters,
        format!("`\"{}\"` has no letters or digits", text.value),
        text.span,
        "this matches no field of study",
    )
    .with_help("fields are compared by their letters and digits only; write the field's name")
}

fn two_fields(text: &Text, first: &Text, set: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SpellingOfTwoFields,
        format!(
            "`\"{}\"` spells two different fields of field set `{set}`",
            text.value
        ),
        text.span,
        "matches this field too",
    )
    .with_label(first.span, "the same spelling here")
    .with_help(
        "case, punctuation, `&` and spaces are ignored when fields are compared; \
         keep the spelling under one field only",
    )
}

fn repeated_spelling(text: &Text, first: &Text) -> Diagnostic {
    Diagnostic::new(
        Code::RepeatedSpelling,
        format!("`\"{}\"` adds nothing to the field set", text.value),
        text.span,
        "compared, it is the same as an earlier one",
    )
    .with_label(first.span, "already matched by this")
    .with_help(
        "case, punctuation, `&` and spaces are ignored when fields are compared; \
         remove the repeat",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_punctuation_ampersands_and_spaces() {
        assert_eq!(
            field_key("Health Care Administration"),
            "health care administration"
        );
        assert_eq!(
            field_key("  health   care  administration "),
            "health care administration"
        );
        assert_eq!(
            field_key("Health-Care Administration."),
            "health care administration"
        );
        assert_eq!(field_key("Science & Technology"), "science and technology");
        assert_eq!(field_key("Science&Technology"), "science and technology");
        assert_eq!(field_key("Master's Studies"), "masters studies");
        assert_eq!(field_key("Master\u{2019}s Studies"), "masters studies");
        assert_eq!(field_key("ÉTUDES Sociales"), "études sociales");
        assert_eq!(field_key("..."), "");
        assert_eq!(field_key(""), "");
        assert_eq!(field_key("&"), "and");
    }

    #[test]
    fn an_accent_typed_as_its_own_character_is_part_of_its_letter() {
        // `é` as one character (NFC) and as `e` with a combining acute accent (NFD).
        assert_eq!(field_key("Sant\u{e9} publique"), "sant\u{e9} publique");
        assert_eq!(field_key("Sante\u{301} publique"), "sant\u{e9} publique");
        assert_eq!(field_key("FINANCE\u{301}"), "financ\u{e9}");
        assert_ne!(field_key("Finance\u{301}"), field_key("Finance"));
        // `İ` lower-cases to `i` and a combining dot, composed again where Unicode can.
        assert_eq!(field_key("\u{130}stanbul"), field_key("i\u{307}stanbul"));
    }

    #[test]
    fn lookup_keys_borrow_plain_fields() {
        assert!(matches!(lookup_key("Finance"), Cow::Borrowed("Finance")));
        assert!(matches!(lookup_key("Public Health"), Cow::Borrowed(_)));
        assert_eq!(lookup_key("Public  Health"), "public health");
        assert_eq!(lookup_key(" Finance"), "finance");
    }
}
