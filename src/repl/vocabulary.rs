//! The names a loaded rule set defines, gathered once for validating edits and completing words.

use crate::check::CheckedRules;
use crate::diagnostics::Code;
use crate::diagnostics::suggest::did_you_mean;

use super::ReplError;

/// Names from the rules, each list in rule order without repeats.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Credentials of every profile, lowest first.
    pub credentials: Vec<String>,
    pub categories: Vec<String>,
    pub field_sets: Vec<String>,
    /// Every field named in a field set.
    pub fields: Vec<String>,
    /// Class codes with the level names of their versions.
    pub classes: Vec<(String, Vec<String>)>,
}

fn push_new(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

impl Vocabulary {
    pub fn of(rules: &CheckedRules) -> Vocabulary {
        let model = rules.model();
        let mut vocabulary = Vocabulary::default();
        for profile in &model.profiles {
            for credential in &profile.credentials {
                push_new(&mut vocabulary.credentials, &credential.name);
            }
        }
        for category in &model.categories {
            push_new(&mut vocabulary.categories, &category.name);
        }
        for set in &model.field_sets {
            push_new(&mut vocabulary.field_sets, &set.name);
            for field in &set.fields {
                push_new(&mut vocabulary.fields, field);
            }
        }
        for code in model.class_codes() {
            let mut levels = Vec::new();
            for class in model.classes.iter().filter(|c| c.code == code) {
                for level in &class.levels {
                    push_new(&mut levels, &level.name);
                }
            }
            vocabulary.classes.push((code.to_owned(), levels));
        }
        vocabulary
    }

    pub fn credential(&self, name: &str) -> Result<String, ReplError> {
        known(name, &self.credentials, "credential").map_err(|e| ReplError {
            message: format!("{}: {}", Code::UnknownCredential, e.message),
            ..e
        })
    }

    pub fn category(&self, name: &str) -> Result<String, ReplError> {
        known(name, &self.categories, "experience category").map_err(|e| ReplError {
            message: format!("{}: {}", Code::UnknownCategory, e.message),
            ..e
        })
    }

    /// The class code as the rules spell it (codes match without regard to case).
    pub fn class(&self, code: &str) -> Result<String, ReplError> {
        let codes: Vec<String> = self.classes.iter().map(|(c, _)| c.clone()).collect();
        known(code, &codes, "class").map_err(|e| ReplError {
            message: format!("{}: {}", Code::UnknownClass, e.message),
            ..e
        })
    }

    /// The level name as the class spells it.
    pub fn level(&self, class: &str, level: &str) -> Result<String, ReplError> {
        let levels = self
            .classes
            .iter()
            .find(|(c, _)| c == class)
            .map(|(_, l)| l.clone())
            .unwrap_or_default();
        known(level, &levels, "level").map_err(|e| ReplError {
            message: format!(
                "{}: class `{class}` has no level `{level}`",
                Code::UnknownLevel
            ),
            ..e
        })
    }
}

fn known(name: &str, names: &[String], what: &str) -> Result<String, ReplError> {
    if let Some(found) = names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
        return Ok(found.clone());
    }
    let kind = what.split(" of ").next().unwrap_or(what);
    Err(
        ReplError::new(format!("unknown {what} `{name}`")).with_help(did_you_mean(
            name,
            kind,
            names.iter().map(String::as_str),
        )),
    )
}
