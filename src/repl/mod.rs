//! The REPL session: loaded rules, the applicant being explored, and every command, as a
//! library that takes a typed line and returns the text to show.
//!
//! Nothing here prints or touches the file system directly: files go through [`Files`],
//! which the command-line shell implements, so tests and benchmarks drive a [`Session`]
//! in memory.

mod applicant_io;
mod commands;
mod completion;
mod continuation;
mod display;
mod editing;
mod evaluation;
mod files;
mod help;
mod rules;
mod vocabulary;
mod words;

use std::path::PathBuf;

use jiff::civil::Date;

use crate::applicant::Applicant;
use crate::check::CheckedRules;
use crate::diagnostics::render::Style;
use crate::source::one_line;

pub use completion::Completion;
pub use continuation::{MAX_STATEMENT_BYTES, StatementReader, Step, TooLong};
pub use files::{DirEntry, Files, MemoryFiles, RuleFilePath};
pub use help::{COMMANDS, CommandInfo};
pub use words::quote;

/// What the session answers to one line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The text to show, ending in a newline when not empty.
    pub text: String,
    /// The line asked to end the session.
    pub exit: bool,
    /// The line failed (the session goes on regardless).
    pub error: bool,
}

impl Response {
    pub fn text(text: impl Into<String>) -> Response {
        let mut text = text.into();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        Response {
            text,
            ..Response::default()
        }
    }

    fn failed(text: impl Into<String>) -> Response {
        Response {
            error: true,
            ..Response::text(text)
        }
    }
}

/// A problem with a typed line: a lowercase message and an optional help line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplError {
    pub message: String,
    pub help: Option<String>,
    /// Diagnostics already rendered (a file's problems, laid out as `check` shows them),
    /// printed as they are before the error line.
    pub diagnostics: String,
}

impl ReplError {
    pub fn new(message: impl Into<String>) -> ReplError {
        ReplError {
            message: message.into(),
            help: None,
            diagnostics: String::new(),
        }
    }

    /// An error that files and commands report with `code`: its message opens with the
    /// code, as a typed line's other refusals by the rules (`Q116: …`) do.
    pub fn coded(code: crate::diagnostics::Code, message: impl std::fmt::Display) -> ReplError {
        ReplError::new(format!("{code}: {message}"))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> ReplError {
        self.help = Some(help.into());
        self
    }

    /// The error with `diagnostics`, rendered already, shown before it.
    pub fn with_diagnostics(mut self, diagnostics: String) -> ReplError {
        self.diagnostics = diagnostics;
        self
    }

    /// `error: …` and, when there is one, `  help: …`, each on one line: a name the user
    /// typed or a file holds is quoted in them, and its line breaks and control characters
    /// are shown as escapes, never raw.
    pub fn render(&self) -> String {
        let message = one_line(&self.message);
        let line = match &self.help {
            Some(help) => format!("error: {message}\n  help: {}\n", one_line(help)),
            None => format!("error: {message}\n"),
        };
        format!("{}{line}", self.diagnostics)
    }
}

/// `text` with each `error: …` line (and the `  help: …` line after it) written as one JSON
/// object when `style` is JSON, as diagnostics are: `message`, `code` (the code the message
/// opens with, else Q009, a line that cannot be done), `severity` and `help`. Other lines,
/// and every line in the other styles, are kept as they are.
pub fn errors_in_style(style: Style, text: &str) -> String {
    if !matches!(style, Style::Json) || !text.contains("error: ") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let help = lines
            .next_if(|next| next.starts_with("  help: "))
            .and_then(|next| next.strip_prefix("  help: "));
        let (code, message) = match message.split_once(": ") {
            Some((code, rest)) if is_code(code) => (code, rest),
            _ => (crate::diagnostics::Code::CommandLine.as_str(), message),
        };
        let mut object = serde_json::json!({
            "message": message,
            "code": code,
            "severity": "error",
        });
        if let (Some(help), Some(map)) = (help, object.as_object_mut()) {
            map.insert("help".to_owned(), serde_json::Value::from(help));
        }
        out.push_str(&object.to_string());
        out.push('\n');
    }
    out
}

/// Whether `word` is a diagnostic code: `Q` and three digits.
fn is_code(word: &str) -> bool {
    word.len() == 4 && word.starts_with('Q') && word.bytes().skip(1).all(|b| b.is_ascii_digit())
}

impl From<ReplError> for Response {
    fn from(error: ReplError) -> Response {
        Response::failed(error.render())
    }
}

/// What undo and redo step through: the applicant, the evaluation date and the file the
/// applicant came from, so that `:save` after an undone `:load` never writes one
/// applicant over another's file.
#[derive(Clone, Debug)]
pub struct State {
    pub applicant: Applicant,
    pub as_of: Date,
    /// The file the applicant was loaded from or last saved to.
    pub file: Option<PathBuf>,
    /// Which `:load` or `:new` the applicant comes from: the steps of one share it, and
    /// `:save` to another file moves all of them there, so that an edit undone after it
    /// never sends the next `:save` back to the file the user saved away from.
    pub origin: u64,
    /// The self-identified `group` of the file loaded, kept apart from the applicant (which
    /// evaluation sees) only to be written back by `:save`.
    pub group: Option<String>,
}

/// Two states are the same step when what they hold is the same, wherever they came from: a
/// `:new` on an empty applicant is no step.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        self.applicant == other.applicant
            && self.as_of == other.as_of
            && self.file == other.file
            && self.group == other.group
    }
}

impl Eq for State {}

impl State {
    /// About how many bytes the state holds: its texts, and a fixed amount per entry.
    fn weight(&self) -> usize {
        const ENTRY: usize = 128;
        let text = |t: &Option<String>| t.as_ref().map_or(0, String::len);
        let subjects = |s: &[crate::applicant::SubjectCredits]| {
            s.iter().map(|s| s.subject.len() + ENTRY).sum::<usize>()
        };
        let a = &self.applicant;
        let education: usize = a
            .education
            .iter()
            .map(|e| ENTRY + e.credential.len() + text(&e.field) + subjects(&e.subjects))
            .sum();
        let coursework: usize = a
            .coursework
            .iter()
            .map(|c| ENTRY + text(&c.field) + subjects(&c.subjects))
            .sum();
        let jobs: usize = a
            .experience
            .iter()
            .map(|j| ENTRY + j.title.len() + j.categories.iter().map(String::len).sum::<usize>())
            .sum();
        ENTRY + text(&a.id) + text(&a.name) + text(&self.group) + education + coursework + jobs
    }
}

/// How a session renders diagnostics and which date it starts on.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The evaluation date until `:date` changes it.
    pub today: Date,
    pub style: Style,
    /// Width diagnostics are wrapped at.
    pub width: usize,
}

/// The most undo steps kept.
const MAX_UNDO: usize = 1000;

/// The most bytes (as [`State::weight`] estimates them) the undo steps keep in all: each
/// step is a whole applicant, so a large applicant keeps fewer steps.
const MAX_UNDO_BYTES: usize = 64 * 1024 * 1024;

/// The most education, coursework and job entries an applicant of a session holds: about
/// what an applicant file of 1 MiB can.
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// One interactive session.
pub struct Session {
    files: Box<dyn Files>,
    options: Options,
    rules: Option<rules::Loaded>,
    rules_path: Option<PathBuf>,
    state: State,
    undo: Vec<State>,
    /// The weight of the undo steps kept, for [`MAX_UNDO_BYTES`].
    undo_bytes: usize,
    redo: Vec<State>,
    baseline: Option<commands::Baseline>,
    /// The origin the next `:load` or `:new` gives its applicant.
    next_origin: u64,
}

impl Session {
    pub fn new(files: Box<dyn Files>, options: Options) -> Session {
        Session {
            files,
            options,
            rules: None,
            rules_path: None,
            state: State {
                applicant: Applicant::default(),
                as_of: options.today,
                file: None,
                origin: 0,
                group: None,
            },
            undo: Vec::new(),
            undo_bytes: 0,
            redo: Vec::new(),
            baseline: None,
            next_origin: 1,
        }
    }

    /// A new origin, for the applicant a `:load` or `:new` starts.
    fn fresh_origin(&mut self) -> u64 {
        let origin = self.next_origin;
        self.next_origin = self.next_origin.saturating_add(1);
        origin
    }

    /// Names `path` as the file of the applicant's every step, undone or redone as well,
    /// since its origin: where `:save` writes from now on.
    fn name_file(&mut self, path: &std::path::Path) {
        let origin = self.state.origin;
        let steps = self.undo.iter_mut().chain(self.redo.iter_mut());
        for state in std::iter::once(&mut self.state).chain(steps) {
            if state.origin == origin {
                state.file = Some(path.to_path_buf());
            }
        }
    }

    /// Handles one statement (which may span several lines) and returns what to show.
    pub fn handle(&mut self, line: &str) -> Response {
        let mut response = commands::handle(self, line);
        if response.error {
            response.text = errors_in_style(self.options.style, &response.text);
        }
        response
    }

    /// The style diagnostics and errors are shown in.
    pub fn style(&self) -> Style {
        self.options.style
    }

    /// Loads the rules at `path` at start-up: errors are shown in full, warnings only
    /// counted in the summary line (`:reload` shows them).
    pub fn open_rules(&mut self, path: &std::path::Path) -> Response {
        self.load_rules(Some(path), false)
    }

    /// The prompt, naming the loaded applicant: `qualify(maria.toml)> `.
    pub fn prompt(&self) -> String {
        let name = self
            .state
            .file
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| self.state.applicant.name.clone())
            .unwrap_or_else(|| "new".to_owned());
        format!("qualify({})> ", one_line(&name))
    }

    /// Completions for the word before `cursor` in `line`.
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        completion::complete(self, line, cursor)
    }

    /// Whether `text` is an unfinished statement that continues on the next line: it ends
    /// in `\`, or has a `(` not yet closed. An empty line ends a statement regardless, and
    /// so does passing [`MAX_STATEMENT_BYTES`]. [`StatementReader`] reads a statement line
    /// by line without scanning it again.
    pub fn needs_more(text: &str) -> bool {
        continuation::needs_more(text)
    }

    /// The checked rules in use, if any loaded.
    pub fn rules(&self) -> Option<&CheckedRules> {
        self.rules.as_ref().map(|r| &r.checked)
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    fn record(&mut self, next: State) {
        if next == self.state {
            return;
        }
        let previous = std::mem::replace(&mut self.state, next);
        self.undo_bytes = self.undo_bytes.saturating_add(previous.weight());
        self.undo.push(previous);
        while self.undo.len() > MAX_UNDO
            || (self.undo_bytes > MAX_UNDO_BYTES && self.undo.len() > 1)
        {
            let oldest = self.undo.remove(0);
            self.undo_bytes = self.undo_bytes.saturating_sub(oldest.weight());
        }
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests;
