//! Tab completion: which words fit where the cursor is, from the commands, the rules'
//! vocabulary and the files on disk.

use std::path::Path;

use super::Session;
use super::help::COMMANDS;
use super::words;

/// Candidates for the word that starts at `start` and ends at the cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the replaced word starts.
    pub start: usize,
    /// Replacements for the word, sorted, without repeats.
    pub candidates: Vec<String>,
}

/// Words of the rule language that may start or continue a requirement.
const EXPRESSION_KEYWORDS: [&str; 8] = [
    "and",
    "or",
    "of",
    "in",
    "any",
    "accredited",
    "that",
    "includes",
];
const UNITS: [&str; 4] = ["years", "months", "credits", "semester"];

pub(super) fn complete(session: &Session, line: &str, cursor: usize) -> Completion {
    let before = line.get(..cursor).unwrap_or(line);
    // Inside an open quote the word runs from the quote, spaces and all (a path with
    // spaces); elsewhere it starts after the last space, `(`, `,` or quote.
    let open_quote = open_quote(before);
    let start = open_quote.map_or_else(
        || {
            before
                .rfind(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == '"')
                .map_or(0, |i| i + 1)
        },
        |quote| quote + 1,
    );
    let word = before.get(start..).unwrap_or("");
    let earlier: Vec<String> = words::split(
        before
            .get(..start.saturating_sub(usize::from(open_quote.is_some())))
            .unwrap_or(""),
    )
    .map(|w| w.into_iter().map(|w| w.text).collect())
    .unwrap_or_default();
    let mut candidates = match before.trim_start().strip_prefix(':') {
        Some(_) if earlier.is_empty() => commands(),
        Some(_) => command_argument(session, &earlier, word),
        None => expression_words(session),
    };
    let file_command = earlier.first().is_some_and(|w| is_file_command(w));
    if candidates.is_empty() && file_command {
        candidates = paths(session, word);
    }
    // Class codes and level names match without regard to case, so they complete so too.
    let lower = word.to_lowercase();
    let mut candidates: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(word) || c.to_lowercase().starts_with(&lower))
        .collect();
    candidates.sort();
    candidates.dedup();
    if file_command {
        // A path that holds a space or a quote is written in quotes, as the command reads
        // it; inside a quote already open, a file closes it.
        candidates = candidates
            .into_iter()
            .map(|c| match open_quote {
                Some(_) if !c.ends_with('/') => format!("{c}\""),
                Some(_) => c,
                None if needs_quotes(&c) => quoted_path(&c),
                None => c,
            })
            .collect();
    }
    Completion { start, candidates }
}

/// The offset of a `"` left open in `before` (quotes pair, `\` escapes inside them).
fn open_quote(before: &str) -> Option<usize> {
    let mut open = None;
    let mut escaped = false;
    for (i, c) in before.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if open.is_some() => escaped = true,
            '"' => open = if open.is_some() { None } else { Some(i) },
            _ => {}
        }
    }
    open
}

fn needs_quotes(path: &str) -> bool {
    path.contains([' ', '\t', '"', '\\'])
}

/// `"path"`, escaped as the command reads it; a folder is left open for more.
fn quoted_path(path: &str) -> String {
    let escaped = path.replace('\\', "\\\\").replace('"', "\\\"");
    if path.ends_with('/') {
        format!("\"{escaped}")
    } else {
        format!("\"{escaped}\"")
    }
}

fn is_file_command(word: &str) -> bool {
    matches!(word, ":load" | ":save" | ":rules")
}

fn commands() -> Vec<String> {
    COMMANDS.iter().map(|c| format!(":{}", c.name)).collect()
}

fn vocabulary(session: &Session) -> Option<&super::vocabulary::Vocabulary> {
    session.rules.as_ref().map(|l| &l.vocabulary)
}

fn command_argument(session: &Session, earlier: &[String], word: &str) -> Vec<String> {
    let Some(command) = earlier.first() else {
        return Vec::new();
    };
    let command = command.trim_start_matches(':').to_ascii_lowercase();
    let args = earlier.get(1..).unwrap_or(&[]);
    match command.as_str() {
        "help" if args.is_empty() => COMMANDS.iter().map(|c| c.name.to_owned()).collect(),
        "eval" | "explain" | "gap" | "why" => class_and_level(session, args),
        "load" | "save" | "rules" => paths(session, word),
        "whatif" => edit_words(session, args),
        "add" | "set" | "remove" | "date" => edit_words(session, earlier),
        _ => Vec::new(),
    }
}

fn class_and_level(session: &Session, args: &[String]) -> Vec<String> {
    let Some(vocabulary) = vocabulary(session) else {
        return Vec::new();
    };
    match args {
        [] => vocabulary.classes.iter().map(|(c, _)| c.clone()).collect(),
        [class] => vocabulary
            .classes
            .iter()
            .filter(|(c, _)| c.eq_ignore_ascii_case(class))
            .flat_map(|(_, levels)| levels.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// Completes the words of an edit: `add job …`, `set edu 1 …`, `remove course 2`.
fn edit_words(session: &Session, words: &[String]) -> Vec<String> {
    let Some(vocabulary) = vocabulary(session) else {
        return Vec::new();
    };
    let verb = words
        .first()
        .map(|w| w.trim_start_matches(':').to_ascii_lowercase());
    let kind = words.get(1).map(|w| w.to_ascii_lowercase());
    match (verb.as_deref(), kind.as_deref(), words.len()) {
        (None, _, _) => super::editing::EDIT_WORDS
            .iter()
            .map(|w| (*w).to_owned())
            .collect(),
        (Some("add" | "set" | "remove"), None, _) => ["job", "edu", "course"]
            .iter()
            .map(|w| (*w).to_owned())
            .collect(),
        (Some("add"), Some("job"), 3) => vocabulary.categories.clone(),
        (Some("add"), Some("edu"), 2) => vocabulary.credentials.clone(),
        (Some("add"), Some("edu" | "course"), _) => {
            let mut words = vec![
                "accredited".to_owned(),
                "completed".to_owned(),
                "subject".to_owned(),
            ];
            words.extend(vocabulary.fields.iter().map(|f| words::quote(f)));
            words
        }
        (Some("set"), Some("job"), 3) => ["title", "categories", "start", "end", "hours"]
            .iter()
            .map(|w| (*w).to_owned())
            .collect(),
        (Some("set"), Some("edu"), 3) => ["credential", "field", "accredited", "completed"]
            .iter()
            .map(|w| (*w).to_owned())
            .collect(),
        (Some("set"), Some("course"), 3) => ["credits", "field", "accredited"]
            .iter()
            .map(|w| (*w).to_owned())
            .collect(),
        (Some("set"), Some("job"), _) if words.get(3).is_some_and(|p| p == "categories") => {
            vocabulary.categories.clone()
        }
        (Some("set"), Some("edu"), _) if words.get(3).is_some_and(|p| p == "credential") => {
            vocabulary.credentials.clone()
        }
        _ => Vec::new(),
    }
}

fn expression_words(session: &Session) -> Vec<String> {
    let Some(vocabulary) = vocabulary(session) else {
        return Vec::new();
    };
    let mut words: Vec<String> = EXPRESSION_KEYWORDS
        .iter()
        .chain(UNITS.iter())
        .map(|w| (*w).to_owned())
        .collect();
    words.extend(vocabulary.credentials.iter().cloned());
    words.extend(vocabulary.categories.iter().cloned());
    words.extend(vocabulary.field_sets.iter().cloned());
    words
}

/// Files and folders whose path starts with `word`; folders end in `/`.
fn paths(session: &Session, word: &str) -> Vec<String> {
    let (dir, prefix) = match word.rfind('/') {
        Some(i) => (
            word.get(..=i).unwrap_or(""),
            word.get(i + 1..).unwrap_or(""),
        ),
        None => ("", word),
    };
    let listed = if dir.is_empty() {
        Path::new(".")
    } else {
        Path::new(dir)
    };
    let Ok(entries) = session.files.list(listed) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|e| {
            e.name.starts_with(prefix) && (!e.name.starts_with('.') || prefix.starts_with('.'))
        })
        .map(|e| format!("{dir}{}{}", e.name, if e.is_dir { "/" } else { "" }))
        .collect()
}
