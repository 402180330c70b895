//! The names a loaded rule set defines, gathered once for validating edits and completing words.

use std::collections::{HashMap, HashSet};

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

/// A list in first-seen order without repeats, built with a set of what it holds so that
/// each name costs one lookup, not a scan of the list.
/// The set borrows the names from the rule set, so each name is copied once, into the list.
#[derive(Default)]
struct Unique<'a> {
    list: Vec<String>,
    seen: HashSet<&'a str>,
}

impl<'a> Unique<'a> {
    fn push(&mut self, name: &'a str) {
        if self.seen.insert(name) {
            self.list.push(name.to_owned());
        }
    }
}

impl Vocabulary {
    /// Each rule set's names in one pass over it: a rule set of many classes and versions
    /// costs its size, not its size squared.
    pub fn of(rules: &CheckedRules) -> Vocabulary {
        let model = rules.model();
        let mut credentials = Unique::default();
        for profile in &model.profiles {
            for credential in &profile.credentials {
                credentials.push(&credential.name);
            }
        }
        let mut categories = Unique::default();
        for category in &model.categories {
            categories.push(&category.name);
        }
        let (mut field_sets, mut fields) = (Unique::default(), Unique::default());
        for set in &model.field_sets {
            field_sets.push(&set.name);
            for field in &set.fields {
                fields.push(field);
            }
        }
        // The levels of every version of a class, in the order the versions come.
        let mut levels_of: HashMap<&str, Unique> = HashMap::new();
        for class in &model.classes {
            let levels = levels_of.entry(class.code.as_str()).or_default();
            for level in &class.levels {
                levels.push(&level.name);
            }
        }
        let classes = model
            .class_codes()
            .into_iter()
            .map(|code| {
                let levels = levels_of.remove(code).unwrap_or_default().list;
                (code.to_owned(), levels)
            })
            .collect();
        Vocabulary {
            credentials: credentials.list,
            categories: categories.list,
            field_sets: field_sets.list,
            fields: fields.list,
            classes,
        }
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
