//! `qualify repl`: the interactive shell around a library [`Session`], with history, tab
//! completion and continued lines; or a plain reader of statements from a pipe or script.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use qualify::applicant::MAX_APPLICANT_BYTES;
use qualify::diagnostics::Code;
use qualify::diagnostics::render::Style;
use qualify::repl::{
    DirEntry, Files, MAX_STATEMENT_BYTES, Options, Response, RuleFilePath, Session,
    StatementReader, Step, quote,
};
use qualify::source::escape_controls;
use qualify::syntax::MAX_SOURCE_BYTES;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};

use super::files::{self, FileError, ReadFailure};
use super::output;
use super::{EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE};

/// Environment variable naming the history file (overrides the data-directory default).
pub const HISTORY_ENV: &str = "QUALIFY_HISTORY";
/// Width diagnostics are wrapped at.
const WIDTH: usize = 100;
/// The session reads rule files and applicant files through one reader: it reads no more
/// than the larger limit, and the readers refuse what is above their own.
const READ_LIMIT: usize = if MAX_SOURCE_BYTES > MAX_APPLICANT_BYTES {
    MAX_SOURCE_BYTES
} else {
    MAX_APPLICANT_BYTES
};

/// What `qualify repl` was asked to do.
#[derive(clap::Args, Debug)]
pub struct ReplArgs {
    /// Rule file or folder to load (default: `rules/`).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Applicant file to load at start (TOML or JSON).
    pub applicant: Option<PathBuf>,
    /// Read statements from this file instead of the terminal.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// Do not read or write the history file.
    #[arg(long)]
    pub no_history: bool,
    /// Print each statement before its answer when not interactive, as a transcript.
    #[arg(long)]
    pub echo: bool,
    /// Evaluation date to start with, `YYYY-MM-DD` (default: today; `:date` changes it).
    #[arg(long, value_name = "DATE", value_parser = super::evaluation::parse_date)]
    pub as_of: Option<jiff::civil::Date>,
}

/// The real file system, for the session.
pub(super) struct DiskFiles;

impl Files for DiskFiles {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        files::read_regular(path, READ_LIMIT).map_err(|failure| match failure {
            ReadFailure::Io(error) => error,
            ReadFailure::NotRegular(kind) => std::io::Error::other(format!(
                "not a regular file ({}): it is {kind}",
                Code::NotARegularFile
            )),
        })
    }

    /// Writes through symbolic links, atomically, keeping the mode: see
    /// [`files::write_atomic`].
    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        files::write_atomic(path, bytes)
    }

    fn list(&self, dir: &Path) -> std::io::Result<Vec<DirEntry>> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            entries.push(DirEntry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_dir: entry.file_type().is_ok_and(|t| t.is_dir()),
            });
        }
        entries.sort();
        Ok(entries)
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    /// The walk `qualify eval` makes: each file once, links followed only inside `dir`.
    fn files_below(&self, dir: &Path, extension: &str) -> std::io::Result<Vec<RuleFilePath>> {
        let found = files::collect(std::slice::from_ref(&dir.to_path_buf()), &[extension])
            .map_err(|error| std::io::Error::other(error.message))?;
        Ok(found
            .into_iter()
            .map(|found| RuleFilePath {
                path: found.path,
                inside: found.relative,
            })
            .collect())
    }
}

/// Runs the REPL; diagnostics use `style`, with colour only in an interactive terminal.
pub fn run(args: &ReplArgs, style: Style) -> u8 {
    let interactive = args.script.is_none() && std::io::stdin().is_terminal();
    let style = match style {
        Style::Human { color } => Style::Human {
            color: color && interactive,
        },
        other => other,
    };
    let options = Options {
        today: args.as_of.unwrap_or_else(|| jiff::Zoned::now().date()),
        style,
        width: WIDTH,
    };
    let mut session = Session::new(Box::new(DiskFiles), options);
    let rules = args
        .rules
        .clone()
        .unwrap_or_else(super::check_cmd::default_rules);
    let mut failed = false;
    let opened = session.open_rules(&rules);
    failed |= opened.error;
    if let Err(error) = output::print(&opened.text) {
        return output::write_failed(&error);
    }
    if let Some(applicant) = &args.applicant {
        let loaded = session.handle(&format!(":load {}", quote(&applicant.to_string_lossy())));
        failed |= loaded.error;
        if let Err(error) = output::print(&loaded.text) {
            return output::write_failed(&error);
        }
    }
    if let Some(script) = &args.script {
        return match files::open_script(script) {
            Ok(file) => run_lines(
                &mut session,
                std::io::BufReader::new(file),
                args.echo,
                failed,
            ),
            Err(error) => output::report_error(&error),
        };
    }
    if interactive {
        run_interactive(session, usable_history_file(args.no_history))
    } else if let Err(error) = files::refuse_endless_stdin() {
        output::report_error(&error)
    } else {
        run_lines(&mut session, std::io::stdin().lock(), args.echo, failed)
    }
}

/// The history file: `$QUALIFY_HISTORY`, else `qualify/history.txt` in the data directory.
fn history_file(disabled: bool) -> Option<PathBuf> {
    if disabled {
        return None;
    }
    if let Some(path) = std::env::var_os(HISTORY_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    dirs::data_dir().map(|dir| dir.join("qualify").join("history.txt"))
}

/// A history file larger than this is not read: the line editor reads it whole.
const MAX_HISTORY_BYTES: u64 = 16 * 1024 * 1024;
/// The first line of every history file the line editor writes.
const HISTORY_HEADER: &[u8] = b"#V2";

/// Why `path` must not be used as the history file, if it must not: the line editor reads
/// the file whole and rewrites it (private to its owner), so only a regular file of a size
/// it can read, and one it wrote (or an empty one), is used. A device would be read without
/// end, a named pipe would wait for a writer, and a user's other file would be rewritten.
fn unusable_history(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => return Some(files::reason(&error)),
    };
    if !meta.is_file() {
        return Some("it is not a regular file".to_owned());
    }
    if meta.len() > MAX_HISTORY_BYTES {
        return Some(format!(
            "it is larger than {} MiB",
            MAX_HISTORY_BYTES / 1024 / 1024
        ));
    }
    let mut start = [0u8; HISTORY_HEADER.len()];
    let read = std::fs::File::open(path).and_then(|mut file| {
        use std::io::Read;
        file.read(&mut start)
    });
    match read {
        Ok(0) => None,
        Ok(n) if start.get(..n) == Some(HISTORY_HEADER) => None,
        Ok(_) => Some("it is not a history file qualify wrote".to_owned()),
        Err(error) => Some(files::reason(&error)),
    }
}

/// The history file, when one is to be kept and can be; a warning on standard error when it
/// cannot, and the session goes on without history.
fn usable_history_file(disabled: bool) -> Option<PathBuf> {
    let path = history_file(disabled)?;
    match unusable_history(&path) {
        None => Some(path),
        Some(reason) => {
            eprintln!(
                "warning: {}: history is not kept in `{}`: {reason}",
                Code::NotARegularFile,
                escape_controls(&path.display().to_string())
            );
            None
        }
    }
}

/// Reads statements from a pipe or script: no prompt, plain output. With `echo`, each
/// statement is printed after `> ` before its answer, so the output reads as a transcript.
/// A line is kept in memory only up to the statement limit.
fn run_lines(session: &mut Session, mut input: impl BufRead, echo: bool, mut failed: bool) -> u8 {
    let mut reader = StatementReader::new();
    let mut number = 0usize;
    loop {
        let line = match read_line(&mut input, MAX_STATEMENT_BYTES) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(_) => {
                return output::report_error(&FileError::io("cannot read the input"));
            }
        };
        number += 1;
        let step = match line {
            InputLine::Overlong(bytes) => reader.push_overlong_line(bytes),
            InputLine::Text(bytes) => match String::from_utf8(bytes) {
                // A byte-order mark may open a script, as it may any text file.
                Ok(line) if number == 1 => reader.push_line(line.trim_start_matches('\u{feff}')),
                Ok(line) => reader.push_line(&line),
                Err(_) => {
                    let skipped = qualify::repl::errors_in_style(
                        session.style(),
                        &format!(
                            "error: Q001: line {number} is not valid UTF-8 text; it was skipped\n"
                        ),
                    );
                    if let Err(error) = output::print(&skipped) {
                        return output::write_failed(&error);
                    }
                    failed = true;
                    continue;
                }
            },
        };
        match answer_step(session, step, echo, &mut failed) {
            Ok(true) => return exit_code(failed),
            Ok(false) => {}
            Err(error) => return output::write_failed(&error),
        }
    }
    if let Some(step) = reader.end_of_input()
        && let Err(error) = answer_step(session, step, echo, &mut failed)
    {
        return output::write_failed(&error);
    }
    exit_code(failed)
}

/// One line of input, without its line break.
enum InputLine {
    Text(Vec<u8>),
    /// A line longer than the limit, read to its end but not kept: its length in bytes.
    Overlong(usize),
}

/// Reads one line, keeping at most `limit + 1` bytes of it; `None` at the end of input. A
/// line ends at `\n`, `\r\n` or a lone `\r`.
fn read_line(input: &mut impl BufRead, limit: usize) -> std::io::Result<Option<InputLine>> {
    let mut kept = Vec::new();
    let mut length = 0usize;
    let mut read_any = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        read_any = true;
        let end = memchr::memchr2(b'\n', b'\r', buffer);
        let ended_by_return = end.and_then(|at| buffer.get(at)) == Some(&b'\r');
        let (part, _) = buffer.split_at(end.unwrap_or(buffer.len()));
        length = length.saturating_add(part.len());
        let room = (limit + 1).saturating_sub(kept.len());
        kept.extend(part.iter().take(room));
        let used = part.len() + usize::from(end.is_some());
        input.consume(used);
        if ended_by_return {
            // `\r\n` ends one line, and a lone `\r` (old Mac files) ends one too.
            if input.fill_buf()?.first() == Some(&b'\n') {
                input.consume(1);
            }
        }
        if end.is_some() {
            break;
        }
    }
    let line = if length > limit {
        InputLine::Overlong(length)
    } else {
        InputLine::Text(kept)
    };
    Ok(read_any.then_some(line))
}

/// Answers a statement once the reader has one whole; true when the session should end.
/// An answer that cannot be written ends the session with an error.
fn answer_step(
    session: &mut Session,
    step: Step,
    echo: bool,
    failed: &mut bool,
) -> Result<bool, FileError> {
    match step {
        Step::More => Ok(false),
        Step::Statement(statement) => answer(session, &statement, echo, failed),
        Step::TooLong(refused) => {
            if echo {
                output::print(&format!("> {} …\n", escape_controls(&refused.first_line)))?;
            }
            *failed = true;
            output::print(&qualify::repl::errors_in_style(
                session.style(),
                &refused.response().text,
            ))?;
            Ok(false)
        }
    }
}

/// Handles one statement and prints the answer; true when the session should end. An
/// answer that cannot be written ends the session with an error.
fn answer(
    session: &mut Session,
    statement: &str,
    echo: bool,
    failed: &mut bool,
) -> Result<bool, FileError> {
    if echo && !statement.trim().is_empty() {
        let shown: Vec<String> = statement
            .lines()
            .map(|l| format!("> {}\n", escape_controls(l)))
            .collect();
        output::print(&shown.concat())?;
    }
    let response: Response = session.handle(statement);
    *failed |= response.error;
    output::print(&response.text)?;
    Ok(response.exit)
}

fn exit_code(failed: bool) -> u8 {
    if failed { EXIT_INPUT_ERRORS } else { EXIT_OK }
}

/// Completion and line continuation for rustyline, fed by the session.
struct ShellHelper {
    session: Rc<RefCell<Session>>,
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let completion = self.session.borrow().complete(line, pos);
        let pairs = completion
            .candidates
            .into_iter()
            .map(|c| Pair {
                display: c.clone(),
                replacement: c,
            })
            .collect();
        Ok((completion.start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if Session::needs_more(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ShellHelper {}

/// Whether the line editor is waiting for a line to be typed.
static WAITING_FOR_A_LINE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The exit status of a session ended by SIGTERM or SIGHUP (128 + SIGTERM's number).
const EXIT_TERMINATED: u8 = 143;

fn run_interactive(session: Session, history: Option<PathBuf>) -> u8 {
    let session = Rc::new(RefCell::new(session));
    let mut editor: Editor<ShellHelper, FileHistory> = match Editor::new() {
        Ok(editor) => editor,
        Err(error) => {
            output::report_error(&FileError::io(format!(
                "cannot start the line editor: {error}"
            )));
            return EXIT_USAGE;
        }
    };
    editor.set_helper(Some(ShellHelper {
        session: Rc::clone(&session),
    }));
    if let Some(path) = &history {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = editor.load_history(path);
    }
    // Ctrl-C while a statement is being answered (the line editor is not reading keys)
    // arrives as a signal; it must not end the session and lose the applicant. A signal
    // while the editor waits for a line is no Ctrl-C typed (the editor reads that as a key)
    // but SIGTERM or SIGHUP, which the same handler receives: it ends the session, as it
    // did before there was a handler.
    let _ = ctrlc::set_handler(|| {
        if WAITING_FOR_A_LINE.load(std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_TERMINATED));
        }
    });
    if let Err(error) = output::print("qualify repl: `:help` lists the commands, Ctrl-D leaves\n") {
        return output::write_failed(&error);
    }
    loop {
        let prompt = session.borrow().prompt();
        WAITING_FOR_A_LINE.store(true, std::sync::atomic::Ordering::SeqCst);
        let read = editor.readline(&prompt);
        WAITING_FOR_A_LINE.store(false, std::sync::atomic::Ordering::SeqCst);
        match read {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(path) = &history {
                        let _ = editor.save_history(path);
                    }
                }
                let response = session.borrow_mut().handle(&line);
                if let Err(error) = output::print(&response.text) {
                    return output::write_failed(&error);
                }
                if response.exit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(error) => {
                return output::report_error(&FileError::io(format!(
                    "cannot read the input: {error}"
                )));
            }
        }
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    EXIT_OK
}
