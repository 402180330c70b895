//! What to evaluate: the date, and optionally one class, level or tier; and why a query
//! can be refused.

use std::fmt;

use jiff::civil::Date;

use crate::compile::{ClassProgram, Program, VersionProgram};
use crate::diagnostics::{Code, suggest};
use crate::eval::InexactAmount;
use crate::syntax::ast::TierKind;

/// The question: as of which date, and which part of the rule set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The evaluation date: picks each class's version and ends open-ended jobs.
    pub as_of: Date,
    /// The class codes asked for, in any order; none means every class.
    pub classes: Vec<String>,
    /// One level name (e.g. `O`), or every level.
    pub level: Option<String>,
    /// One tier, or both.
    pub tier: Option<TierKind>,
}

impl Query {
    /// Every class, level and tier, as of `as_of`.
    pub fn new(as_of: Date) -> Query {
        Query {
            as_of,
            ..Query::default()
        }
    }

    /// Asks for one more class (by code).
    pub fn class(mut self, code: impl Into<String>) -> Query {
        self.classes.push(code.into());
        self
    }

    pub fn level(mut self, level: impl Into<String>) -> Query {
        self.level = Some(level.into());
        self
    }

    pub fn tier(mut self, tier: TierKind) -> Query {
        self.tier = Some(tier);
        self
    }

    /// The query with its class codes and level name spelled as the program spells them,
    /// when they match one without regard to ASCII case (`k9099` is `K9099`, level `o` is
    /// `O`), as the REPL matches them. An exact match always wins; a name that matches
    /// none, or several that differ only in case, is left as written, for the selection to
    /// refuse with a suggestion.
    pub fn with_names_of(mut self, program: &Program) -> Query {
        let codes = || program.classes().iter().map(|c| &*c.code);
        for code in &mut self.classes {
            *code = spelled_as(code, codes());
        }
        // A class asked twice (`--class K9099 --class k9099`) is asked once.
        let mut seen = std::collections::HashSet::new();
        self.classes.retain(|code| seen.insert(code.clone()));
        if let Some(level) = &self.level {
            let asked: Vec<&ClassProgram> = self
                .classes
                .iter()
                .filter_map(|c| program.class(c))
                .collect();
            let levels = program
                .classes()
                .iter()
                .filter(|c| asked.is_empty() || asked.iter().any(|a| std::ptr::eq(*a, *c)))
                .flat_map(|c| &c.versions)
                .flat_map(|v| &v.levels)
                .map(|l| &*l.name);
            self.level = Some(spelled_as(level, levels));
        }
        self
    }
}

/// `name` as the one known name equal to it without regard to ASCII case, or as given.
fn spelled_as<'n>(name: &str, known: impl Iterator<Item = &'n str>) -> String {
    let mut found: Option<&str> = None;
    for candidate in known.filter(|k| k.eq_ignore_ascii_case(name)) {
        if candidate == name {
            return name.to_owned();
        }
        match found {
            Some(other) if other != candidate => return name.to_owned(),
            _ => found = Some(candidate),
        }
    }
    found.unwrap_or(name).to_owned()
}

/// The refusal of the first of `codes` that names no class of any of `programs`, ASCII
/// case ignored, with the nearest code as a suggestion; `None` when every code names one.
/// Commands that select classes without evaluating (verify, diff) refuse an unknown code as
/// evaluation does.
pub fn unknown_class(programs: &[&Program], codes: &[String]) -> Option<QueryError> {
    let known = || {
        programs
            .iter()
            .flat_map(|program| program.classes().iter().map(|c| &*c.code))
    };
    let code = codes
        .iter()
        .find(|code| !known().any(|known| known.eq_ignore_ascii_case(code)))?;
    Some(QueryError::UnknownClass {
        code: code.clone(),
        help: suggest::did_you_mean(code, "class code", known()),
    })
}

/// Why a query cannot be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// No class has this code.
    UnknownClass { code: String, help: String },
    /// The class (or, without a class, no class) has no level of this name.
    UnknownLevel {
        class: Option<String>,
        level: String,
        help: String,
    },
    /// The class exists, but no version of it is in force on the date.
    NotInForce {
        code: String,
        as_of: Date,
        /// The earliest effective date of any version.
        earliest: Option<Date>,
    },
    /// An amount the evaluation needs cannot be computed exactly (Q320).
    Inexact(InexactAmount),
}

impl QueryError {
    /// The diagnostic code this refusal is reported with.
    pub fn code(&self) -> Code {
        match self {
            QueryError::UnknownClass { .. } => Code::UnknownClass,
            QueryError::UnknownLevel { .. } => Code::UnknownLevel,
            QueryError::NotInForce { .. } => Code::NoVersionInForce,
            QueryError::Inexact(_) => Code::InexactAmount,
        }
    }

    /// A help line for the user.
    pub fn help(&self) -> String {
        match self {
            QueryError::UnknownClass { help, .. } | QueryError::UnknownLevel { help, .. } => {
                help.clone()
            }
            QueryError::NotInForce { earliest, .. } => match earliest {
                Some(d) => format!("its first version is effective from {d}; choose a later date"),
                None => "the class has no versions".to_string(),
            },
            QueryError::Inexact(inexact) => inexact.help(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownClass { code, .. } => write!(f, "no class has the code `{code}`"),
            QueryError::UnknownLevel {
                class: Some(class),
                level,
                ..
            } => write!(f, "class `{class}` has no level `{level}`"),
            QueryError::UnknownLevel { level, .. } => write!(f, "no class has a level `{level}`"),
            QueryError::NotInForce { code, as_of, .. } => {
                write!(f, "no version of class `{code}` is in force on {as_of}")
            }
            QueryError::Inexact(inexact) => inexact.fmt(f),
        }
    }
}

impl std::error::Error for QueryError {}

/// The classes a query selects: the named classes, or every class in force.
pub(crate) struct Selection<'p> {
    /// The named classes with their versions in force, in rule order; empty for every class.
    only: Vec<(&'p ClassProgram, &'p VersionProgram)>,
    pub not_in_force: Vec<&'p str>,
}

impl<'p> Selection<'p> {
    /// The selected classes, each with its version in force, in rule order.
    pub fn classes<'q>(
        &self,
        program: &'p Program,
        query: &'q Query,
    ) -> impl Iterator<Item = (&'p ClassProgram, &'p VersionProgram)> + use<'p, 'q> {
        let all = self.only.is_empty();
        self.only.clone().into_iter().chain(
            program
                .classes
                .iter()
                .filter(move |_| all)
                .filter_map(move |c| c.version_in_force(query.as_of).map(|v| (c, v)))
                .filter(move |(_, v)| {
                    query
                        .level
                        .as_deref()
                        .is_none_or(|l| v.levels.iter().any(|x| &*x.name == l))
                }),
        )
    }
}

pub(crate) fn select<'p>(program: &'p Program, query: &Query) -> Result<Selection<'p>, QueryError> {
    if !query.classes.is_empty() {
        let mut only: Vec<(&ClassProgram, &VersionProgram)> =
            Vec::with_capacity(query.classes.len());
        for code in &query.classes {
            let selected = select_class(program, query, code)?;
            if !only.iter().any(|(c, _)| std::ptr::eq(*c, selected.0)) {
                only.push(selected);
            }
        }
        // Rule order, whatever order the codes were asked in.
        only.sort_by_key(|(class, _)| program.class_index.get(&class.code).copied());
        return Ok(Selection {
            only,
            not_in_force: Vec::new(),
        });
    }
    let in_force = || {
        program
            .classes
            .iter()
            .filter_map(|c| c.version_in_force(query.as_of))
    };
    check_level(query, None, in_force())?;
    let not_in_force = program
        .classes
        .iter()
        .filter(|c| c.version_in_force(query.as_of).is_none())
        .map(|c| &*c.code)
        .collect();
    Ok(Selection {
        only: Vec::new(),
        not_in_force,
    })
}

/// One class asked for by code, with its version in force and the level asked checked.
fn select_class<'p>(
    program: &'p Program,
    query: &Query,
    code: &String,
) -> Result<(&'p ClassProgram, &'p VersionProgram), QueryError> {
    let Some(class) = program.class(code) else {
        let codes = program.classes.iter().map(|c| &*c.code);
        return Err(QueryError::UnknownClass {
            code: code.clone(),
            help: suggest::did_you_mean(code, "class code", codes),
        });
    };
    let Some(version) = class.version_in_force(query.as_of) else {
        return Err(QueryError::NotInForce {
            code: code.clone(),
            as_of: query.as_of,
            earliest: class.versions.first().map(|v| v.effective),
        });
    };
    if let Err(mut error) = check_level(query, Some(code), std::iter::once(version)) {
        // A level of another version of the class: say which, and that it is not in force.
        let elsewhere = query.level.as_ref().and_then(|level| {
            class
                .versions
                .iter()
                .find(|v| v.levels.iter().any(|l| &*l.name == level))
        });
        if let (Some(other), QueryError::UnknownLevel { help, .. }) = (elsewhere, &mut error) {
            *help = format!(
                "the version in force on {} (effective {}) has no such level; the version effective {} has it",
                query.as_of, version.effective, other.effective
            );
        }
        return Err(error);
    }
    Ok((class, version))
}

fn check_level<'v>(
    query: &Query,
    class: Option<&String>,
    versions: impl Iterator<Item = &'v VersionProgram> + Clone,
) -> Result<(), QueryError> {
    let Some(level) = &query.level else {
        return Ok(());
    };
    let names = || {
        versions
            .clone()
            .flat_map(|v| v.levels.iter().map(|l| &*l.name))
    };
    if names().any(|n| n == level) {
        return Ok(());
    }
    Err(QueryError::UnknownLevel {
        class: class.cloned(),
        level: level.clone(),
        help: suggest::did_you_mean(level, "level", names()),
    })
}
