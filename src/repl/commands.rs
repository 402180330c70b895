//! Reads a statement and dispatches it: a `:command`, or a requirement expression.

use std::path::{Path, PathBuf};

use super::continuation::{MAX_STATEMENT_BYTES, TooLong};
use super::display;
use super::editing::{self, Edit};
use super::help;
use super::words::{self, Word};
use super::{ReplError, Response, Session, State};
use crate::diagnostics::suggest::did_you_mean;

pub(super) use super::evaluation::Baseline;

/// Joins continued lines: a `\` at the end of a line is dropped.
fn join_continued(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let trimmed = line.trim_end_matches([' ', '\t', '\r']);
            trimmed.strip_suffix('\\').unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn handle(session: &mut Session, line: &str) -> Response {
    if line.len() > MAX_STATEMENT_BYTES {
        return TooLong::of(line).response();
    }
    let statement = join_continued(line);
    let trimmed = statement.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Response::default();
    }
    match trimmed.strip_prefix(':') {
        Some(command) => run_command(session, command),
        None => session.expression(trimmed),
    }
}

fn run_command(session: &mut Session, text: &str) -> Response {
    let words = match words::split(text) {
        Ok(words) => words,
        Err(message) => return ReplError::new(message).into(),
    };
    let Some((name, args)) = words.split_first() else {
        return ReplError::new("a command name is missing after `:`")
            .with_help("`:help` lists the commands")
            .into();
    };
    let name = name.text.to_ascii_lowercase();
    let result = match name.as_str() {
        "help" | "h" | "?" => help_command(args),
        "rules" => {
            return match optional_path(args) {
                Ok(path) => session.load_rules(path.as_deref(), true),
                Err(error) => error.into(),
            };
        }
        "reload" => {
            return no_args(args).map_or_else(Response::from, |_| session.load_rules(None, true));
        }
        "load" => return session.load_applicant(args),
        "new" => new_applicant(session, args),
        "show" => no_args(args).and_then(|_| show(session)),
        "eval" => session.eval(args),
        "explain" => session.explain(args),
        "gap" => session.gap(args),
        "why" => session.why(args),
        "date" if args.is_empty() => Ok(format!("evaluation date is {}\n", session.state.as_of)),
        "add" | "set" | "remove" | "date" => change(session, &words),
        "whatif" | "what-if" => session.what_if(args),
        "undo" => no_args(args).and_then(|_| undo(session)),
        "redo" => no_args(args).and_then(|_| redo(session)),
        "baseline" => no_args(args).and_then(|_| session.set_baseline()),
        "diff" => no_args(args).and_then(|_| session.diff()),
        "save" => session.save(args),
        "quit" | "exit" | "q" if !args.is_empty() => no_args(args).map(|_| String::new()),
        "quit" | "exit" | "q" => {
            return Response {
                exit: true,
                ..Response::default()
            };
        }
        other => Err(unknown_command(other)),
    };
    match result {
        Ok(text) if SPEAKS_OF_RULES.contains(&name.as_str()) => {
            Response::text(session.with_labels(text))
        }
        Ok(text) => Response::text(text),
        Err(error) => error.into(),
    }
}

/// Commands whose answers speak of the rules' field sets and categories, which people read
/// by their labels. `eval`, `explain` and `why` are not among them: their renderings name the
/// sets by their labels themselves, and a second pass would relabel the applicant's own words.
const SPEAKS_OF_RULES: [&str; 4] = ["gap", "whatif", "what-if", "diff"];

fn unknown_command(name: &str) -> ReplError {
    let names = help::COMMANDS.iter().map(|c| c.name);
    let help = match crate::diagnostics::suggest::closest(name, names) {
        Some(best) => format!("did you mean `:{best}`? `:help` lists the commands"),
        None => "`:help` lists the commands".to_owned(),
    };
    ReplError::new(format!("unknown command `:{name}`")).with_help(help)
}

fn no_args(args: &[Word]) -> Result<(), ReplError> {
    match args.first() {
        None => Ok(()),
        Some(word) => Err(ReplError::new(format!("unexpected `{}`", word.text))
            .with_help("this command takes no arguments")),
    }
}

fn optional_path(args: &[Word]) -> Result<Option<PathBuf>, ReplError> {
    match args {
        [] => Ok(None),
        [path] => Ok(Some(PathBuf::from(&path.text))),
        [_, extra, ..] => Err(ReplError::new(format!("unexpected `{}`", extra.text))
            .with_help("quote a path that has spaces")),
    }
}

/// The one path argument of `:load`.
pub(super) fn one_path(args: &[Word], usage: &str) -> Result<PathBuf, ReplError> {
    optional_path(args)?
        .ok_or_else(|| ReplError::new("a file name is missing").with_help(usage.to_owned()))
}

fn help_command(args: &[Word]) -> Result<String, ReplError> {
    match args {
        [] => Ok(help::overview()),
        [name] => help::find(&name.text).map(help::details).ok_or_else(|| {
            let bare = name.text.trim_start_matches(':');
            ReplError::new(format!("no command `:{bare}`")).with_help(did_you_mean(
                bare,
                "command",
                help::COMMANDS.iter().map(|c| c.name),
            ))
        }),
        [_, extra, ..] => Err(ReplError::new(format!("unexpected `{}`", extra.text))),
    }
}

fn new_applicant(session: &mut Session, args: &[Word]) -> Result<String, ReplError> {
    let name = match args {
        [] => None,
        [name] => Some(name.text.clone()),
        [_, extra, ..] => {
            return Err(ReplError::new(format!("unexpected `{}`", extra.text))
                .with_help("quote a name with spaces: `:new \"Ana Diaz\"`"));
        }
    };
    let next = State {
        applicant: crate::applicant::Applicant {
            name,
            ..Default::default()
        },
        as_of: session.state.as_of,
        file: None,
        origin: session.fresh_origin(),
        group: None,
    };
    session.record(next);
    Ok("started an empty applicant\n".to_owned())
}

/// The applicant's lines. A field is listed when the rules find it as evaluation does: by
/// any spelling a field set gives it (`also`), case, punctuation and spacing aside.
fn show(session: &Session) -> Result<String, ReplError> {
    let listed = |field: &str| {
        session
            .loaded()
            .is_ok_and(|loaded| loaded.program.field_id(field).is_some())
    };
    Ok(display::show(
        &session.state.applicant,
        session.state.as_of,
        &listed,
    ))
}

/// Parses an edit (the words of `add`, `set`, `remove` or `date`).
pub(super) fn parse_edit(session: &Session, words: &[Word]) -> Result<Edit, ReplError> {
    let loaded = session.loaded()?;
    editing::parse(words, &loaded.vocabulary)
}

fn change(session: &mut Session, words: &[Word]) -> Result<String, ReplError> {
    let edit = parse_edit(session, words)?;
    let entries = |a: &crate::applicant::Applicant| {
        a.education.len() + a.coursework.len() + a.experience.len()
    };
    if entries(&session.state.applicant) >= super::MAX_ENTRIES && edit.adds() {
        return Err(ReplError::new(format!(
            "the applicant has {} entries, the most a session holds",
            super::MAX_ENTRIES
        ))
        .with_help("an applicant file is at most 1 MiB; remove an entry first"));
    }
    let mut next = session.state.clone();
    let done = editing::apply(&edit, &mut next)?;
    if next == session.state && !matches!(edit, editing::Edit::Date(_)) {
        // Not a step: `:undo` after it undoes the edit before, which must not look like
        // undoing this one. (A `:date` already in force says the date, which is all.)
        return Ok(format!(
            "{} (no change: nothing to undo for it)\n",
            crate::source::one_line(&done)
        ));
    }
    session.record(next);
    Ok(format!("{}\n", crate::source::one_line(&done)))
}

fn undo(session: &mut Session) -> Result<String, ReplError> {
    let previous = session
        .undo
        .pop()
        .ok_or_else(|| ReplError::new("nothing to undo"))?;
    session.undo_bytes = session.undo_bytes.saturating_sub(previous.weight());
    let current = std::mem::replace(&mut session.state, previous);
    session.redo.push(current);
    Ok(format!(
        "undone; {} more step(s) can be undone\n",
        session.undo.len()
    ))
}

fn redo(session: &mut Session) -> Result<String, ReplError> {
    let next = session
        .redo
        .pop()
        .ok_or_else(|| ReplError::new("nothing to redo"))?;
    let current = std::mem::replace(&mut session.state, next);
    session.undo_bytes = session.undo_bytes.saturating_add(current.weight());
    session.undo.push(current);
    Ok(format!(
        "redone; {} more step(s) can be redone\n",
        session.redo.len()
    ))
}

/// The path shown for a file.
pub(super) fn shown(path: &Path) -> String {
    crate::source::one_line(&crate::source::path_shown(path)).into_owned()
}
