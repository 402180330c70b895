//! Fields of study that match nothing the rules list but are close to something they do
//! (Q316): most often a spelling the field set does not list yet, or a typing slip.

use std::collections::BTreeMap;

use super::locate::{locate_key, locate_value};
use super::model::{Applicant, SubjectCredits};
use crate::check::CheckedRules;
use crate::check::spellings::field_key;
use crate::diagnostics::suggest::closest;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, SourceMap, Span};

/// Q316 for each field of study and subject of `applicant` (read from `file` of `sources`)
/// that matches no field or spelling of any field set but is close to one.
pub fn near_miss_fields(
    applicant: &Applicant,
    rules: &CheckedRules,
    sources: &SourceMap,
    file: FileId,
) -> Vec<Diagnostic> {
    let bytes = sources.get(file).map_or(0, |source| source.text().len());
    crate::diagnostics::suggest::with_budget(bytes, || {
        near_misses_in(applicant, rules, sources, file)
    })
}

fn near_misses_in(
    applicant: &Applicant,
    rules: &CheckedRules,
    sources: &SourceMap,
    file: FileId,
) -> Vec<Diagnostic> {
    let known = known_fields(rules);
    let Some(source) = sources.get(file) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, written) in written_fields(applicant) {
        let key = field_key(written);
        if key.is_empty() || known.contains_key(&key) {
            continue;
        }
        let Some(best) = closest(&key, known.keys().map(String::as_str)) else {
            continue;
        };
        let Some((listed, set)) = known.get(best) else {
            continue;
        };
        // A subject is labelled at its name, the key; a field of study at its value.
        let located = if path.contains(".subjects.") {
            locate_key(source.name(), source.text(), &path)
        } else {
            locate_value(source.name(), source.text(), &path)
        };
        let span = located.map_or_else(
            || Span::new(file, 0, 0),
            |r| Span::new(file, r.start, r.end),
        );
        found.push(
            Diagnostic::new(
                Code::NearMissField,
                format!("the field `{written}` matches no field the rules list"),
                span,
                format!("close to \"{listed}\" of field set `{set}`"),
            )
            .with_help(format!(
                "did you mean \"{listed}\"? If it is another name for the same field, list it \
                 in field set `{set}` as a spelling: `\"…\" also \"{written}\"`"
            )),
        );
    }
    found
}

/// Every field and spelling the rules list, by its key: as written, and the first field set
/// listing it.
fn known_fields(rules: &CheckedRules) -> BTreeMap<String, (String, String)> {
    let mut known = BTreeMap::new();
    for set in &rules.model().field_sets {
        let spellings = set.field_info.iter().flat_map(|i| i.spellings.iter());
        for written in set.fields.iter().chain(spellings) {
            let key = field_key(written);
            if !key.is_empty() {
                known
                    .entry(key)
                    .or_insert_with(|| (written.clone(), set.name.clone()));
            }
        }
    }
    known
}

/// Each field of study and subject the applicant wrote, with the key path of its value in
/// the file (a subject's table, when its own key holds a `.`).
fn written_fields(applicant: &Applicant) -> Vec<(String, &str)> {
    let mut written = Vec::new();
    for (i, entry) in applicant.education.iter().enumerate() {
        if let Some(field) = &entry.field {
            written.push((format!("education[{i}].field"), field.as_str()));
        }
        push_subjects(&mut written, &format!("education[{i}]"), &entry.subjects);
    }
    for (i, entry) in applicant.coursework.iter().enumerate() {
        if let Some(field) = &entry.field {
            written.push((format!("coursework[{i}].field"), field.as_str()));
        }
        push_subjects(&mut written, &format!("coursework[{i}]"), &entry.subjects);
    }
    written
}

fn push_subjects<'a>(written: &mut Vec<(String, &'a str)>, at: &str, list: &'a [SubjectCredits]) {
    for subject in list {
        let path = if subject.subject.contains(['.', '[']) {
            format!("{at}.subjects")
        } else {
            format!("{at}.subjects.{}", subject.subject)
        };
        written.push((path, subject.subject.as_str()));
    }
}
