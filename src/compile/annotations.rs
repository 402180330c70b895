//! What the rules say to people beside what they require: notes, acknowledged warnings,
//! class metadata and the labels of field sets and categories, as the program keeps them
//! for the decision record and the explanations.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use crate::check::model::{AcknowledgedWarning, ClassDef, NoteDef, RuleModel};

/// An interpretation note: its text, and the authority it rests on when it names one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteInfo {
    pub text: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<Arc<str>>,
}

/// A note of a jurisdiction profile, with the statement it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileNoteInfo {
    /// The statement the note follows, in the rules' words (`full time`, `credential
    /// master`), or `None` for a note on the profile itself.
    pub about: Option<Arc<str>>,
    #[serde(flatten)]
    pub note: NoteInfo,
}

pub(crate) fn profile_note_info(note: &crate::check::model::ProfileNote) -> ProfileNoteInfo {
    ProfileNoteInfo {
        about: note.about.as_deref().map(Arc::from),
        note: note_info(&note.note),
    }
}

/// A warning the rules acknowledge at a node, and why it was kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AcknowledgedInfo {
    pub code: Arc<str>,
    pub reason: Arc<str>,
}

/// The notes and acknowledged warnings of a class, level, tier or substitution clause.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Annotations {
    pub notes: Vec<NoteInfo>,
    pub acknowledged: Vec<AcknowledgedInfo>,
}

impl Annotations {
    pub(crate) fn of(notes: &[NoteDef], acknowledged: &[AcknowledgedWarning]) -> Annotations {
        Annotations {
            notes: notes.iter().map(note_info).collect(),
            acknowledged: acknowledged
                .iter()
                .map(|a| AcknowledgedInfo {
                    code: Arc::from(a.code.as_str()),
                    reason: Arc::from(a.reason.as_str()),
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.acknowledged.is_empty()
    }
}

pub(crate) fn note_info(note: &NoteDef) -> NoteInfo {
    NoteInfo {
        text: Arc::clone(&note.text),
        authority: note.authority.as_deref().map(Arc::from),
    }
}

/// A class's metadata as its source states it: the statutory requirements, and
/// Pennsylvania's pay scale type, bargaining unit, civil service status and the last
/// executive board change. Each is absent when the rules do not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClassMetadata {
    pub statutory_requirements: Option<Arc<str>>,
    pub pay_scale_type: Option<Arc<str>>,
    pub bargaining_unit: Option<Arc<str>>,
    pub civil_service: Option<Arc<str>>,
    pub board_change: Option<BoardChange>,
}

/// `board change "742-09" on 06/26/2018`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BoardChange {
    pub number: Arc<str>,
    #[serde(serialize_with = "crate::eval::outcome::date_string")]
    pub date: Date,
}

impl ClassMetadata {
    pub(crate) fn of(class: &ClassDef) -> ClassMetadata {
        let text = |t: &Option<String>| t.as_deref().map(Arc::from);
        ClassMetadata {
            statutory_requirements: text(&class.statutory),
            pay_scale_type: text(&class.pay_scale_type),
            bargaining_unit: text(&class.bargaining_unit),
            civil_service: text(&class.civil_service),
            board_change: class
                .board_change
                .as_ref()
                .map(|(number, date)| BoardChange {
                    number: Arc::from(number.as_str()),
                    date: *date,
                }),
        }
    }

    /// The metadata in words, one `name value` phrase each, in a fixed order.
    pub fn phrases(&self) -> Vec<String> {
        let mut phrases = Vec::new();
        let mut add = |name: &str, value: &Option<Arc<str>>| {
            if let Some(value) = value {
                phrases.push(format!("{name} {value}"));
            }
        };
        add("statutory requirements", &self.statutory_requirements);
        add("pay scale type", &self.pay_scale_type);
        add("bargaining unit", &self.bargaining_unit);
        add("civil service", &self.civil_service);
        if let Some(change) = &self.board_change {
            phrases.push(format!(
                "last executive board change {} on {}",
                change.number, change.date
            ));
        }
        phrases
    }
}

/// A field set or experience category as people read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VocabularyLabel {
    /// `field_set` or `category`.
    pub kind: &'static str,
    pub label: Arc<str>,
    pub description: Arc<str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NoteInfo>,
}

/// Every field set's and category's label, by name (the two share one namespace).
pub(crate) fn vocabulary_labels(model: &RuleModel) -> HashMap<Arc<str>, VocabularyLabel> {
    let sets = model.field_sets.iter().map(|set| {
        (
            Arc::from(set.name.as_str()),
            VocabularyLabel {
                kind: "field_set",
                label: Arc::from(set.label()),
                description: Arc::from(set.description.as_str()),
                notes: set.notes.iter().map(note_info).collect(),
            },
        )
    });
    let categories = model.categories.iter().map(|category| {
        (
            Arc::from(category.name.as_str()),
            VocabularyLabel {
                kind: "category",
                label: Arc::from(category.label()),
                description: Arc::from(category.description.as_str()),
                notes: category.notes.iter().map(note_info).collect(),
            },
        )
    });
    sets.chain(categories).collect()
}

/// How an applicant's field of study matched a field set: the field listed, and the
/// spelling of it that matched when not the field as listed.
#[derive(Clone, Copy, Debug)]
pub struct FieldMatch<'p> {
    /// The set that lists the field (the set asked for, or one it includes).
    pub set: &'p super::FieldSetInfo,
    pub field: &'p str,
    /// The listed spelling that matched, when the field's own name did not.
    pub spelling: Option<&'p str>,
}

impl super::Program {
    /// Which field of set `set` (itself or through the sets it includes) the applicant's
    /// `field` matches, and by which spelling. Walks the sets: for explanations, not for
    /// evaluation.
    pub fn field_match(
        &self,
        set: crate::check::model::FieldSetId,
        field: &str,
    ) -> Option<FieldMatch<'_>> {
        let key = crate::check::spellings::field_key(field);
        if key.is_empty() {
            return None;
        }
        let mut seen = std::collections::HashSet::new();
        let mut todo = vec![set];
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(info) = self.field_set(id) else {
                continue;
            };
            for (index, listed) in info.fields.iter().enumerate() {
                if crate::check::spellings::field_key(listed) == key {
                    return Some(FieldMatch {
                        set: info,
                        field: listed,
                        spelling: None,
                    });
                }
                let spellings = info.field_info.get(index).map_or(&[][..], |i| &i.spellings);
                if let Some(spelling) = spellings
                    .iter()
                    .find(|s| crate::check::spellings::field_key(s) == key)
                {
                    return Some(FieldMatch {
                        set: info,
                        field: listed,
                        spelling: Some(spelling),
                    });
                }
            }
            todo.extend(info.includes.iter().rev().copied());
        }
        None
    }
}
