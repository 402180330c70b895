//! `qualify screen`: a whole applicant pool (folders, JSON Lines files, stdin), read,
//! evaluated on every core and written in input order, with bounded memory; with a summary,
//! selection rates by group, notices to applicants, or the flips of a rule change.

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::Date;
use qualify::applicant::Applicant;
use qualify::check::CheckedRules;
use qualify::compile::{self, Program};
use qualify::diagnostics::render::Style;
use qualify::eval::{self, Query};
use qualify::screen::compare::{self, Flips};
use qualify::screen::notice::NoticeFor;
use qualify::screen::summary::{self, Summary, SummaryDocument};
use qualify::screen::{CSV_HEADER, Extras, Item, Rendering, Screened, Screener};

use super::evaluation::{self, Stop};
use super::files::{self, FileError};
use super::pool::{Batch, Inputs, read_batches};
use super::{EXIT_INPUT_ERRORS, EXIT_OK};

mod sink;
use sink::Sink;

/// How many bad applicants the closing line names.
const BAD_NAMED: usize = 3;

/// What `qualify screen` writes per applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScreenFormat {
    /// One compact decision record (`qualify-decision/3`) per line.
    Jsonl,
    /// One row per applicant × class × level × tier.
    Csv,
    /// The `eval` table, each applicant headed by its source, then the summary.
    Table,
    /// The summary as data (with `--summary` or `--by-group`).
    Json,
}

/// The arguments of `qualify screen`.
#[derive(clap::Args, Debug)]
pub struct ScreenArgs {
    /// Folders of applicant files, JSON Lines files (`*.jsonl`, one applicant a line), or
    /// `-` for JSON Lines on standard input.
    #[arg(required = true)]
    pub pool: Vec<PathBuf>,
    /// Rule file or folder (default: `rules/`).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// The evaluation date (YYYY-MM-DD; default: today).
    #[arg(long, value_parser = evaluation::parse_date)]
    pub as_of: Option<Date>,
    /// Only this class; repeat for several.
    #[arg(long)]
    pub class: Vec<String>,
    /// Only this level (e.g. `O`).
    #[arg(long)]
    pub level: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScreenFormat::Table)]
    pub format: ScreenFormat,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Evaluation threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Count, per class, level and tier, who met it, by which path, and why not.
    #[arg(long)]
    pub summary: bool,
    /// Selection rates by self-identified group at each level's minimum (four-fifths rule).
    #[arg(long)]
    pub by_group: bool,
    /// Write one notice per applicant (text and HTML) into this folder; needs one `--class`
    /// and `--level`.
    #[arg(long)]
    pub notices: Option<PathBuf>,
    /// Compare with these rules: every tier whose outcome flips, before → after.
    #[arg(long)]
    pub against: Option<PathBuf>,
    /// Compare with the rules in force on this date (with `--against`, of those rules).
    #[arg(long, value_parser = evaluation::parse_date)]
    pub against_as_of: Option<Date>,
}

impl ScreenArgs {
    /// The file `--output` names; none for standard output (no `--output`, `-`, or
    /// `/dev/stdout` and its other names).
    fn output_file(&self) -> Option<&Path> {
        self.output
            .as_deref()
            .filter(|path| !files::is_stdout(path))
    }
}

pub fn run(args: &ScreenArgs, style: Style) -> u8 {
    match screen(args, style) {
        Ok(code) => code,
        Err(Stop(code)) => code,
    }
}

fn usage(message: String) -> Stop {
    evaluation::usage(&FileError::usage(
        qualify::diagnostics::Code::InputOutput,
        message,
    ))
}

/// Loads and compiles the rules, and checks the query against them.
/// `against`: these are the rules of `--against`, which a refusal names.
fn load(
    rules: Option<&Path>,
    query: &Query,
    style: Style,
    against: bool,
) -> Result<(CheckedRules, Program, Query), Stop> {
    let paths = evaluation::rules_paths(rules);
    let (checked, _) = evaluation::check_rules(&paths, &query.classes, style)?;
    let program = compile::compile(&checked);
    let query = query.clone().with_names_of(&program);
    if let Err(error) = eval::evaluate(&program, &Applicant::default(), &query) {
        let named = rules.map(|path| format!("the --against rules ({})", path.display()));
        return Err(evaluation::query_error_in(
            &error,
            named.as_deref().filter(|_| against),
            style,
        ));
    }
    Ok((checked, program, query))
}

fn screen(args: &ScreenArgs, style: Style) -> Result<u8, Stop> {
    check_usage(args)?;
    let query = Query {
        as_of: evaluation::as_of(args.as_of),
        classes: args.class.clone(),
        level: args.level.clone(),
        tier: None,
    };
    let (checked, program, query) = load(args.rules.as_deref(), &query, style, false)?;
    let rendering = match args.format {
        ScreenFormat::Jsonl => Rendering::Jsonl,
        ScreenFormat::Csv => Rendering::Csv,
        ScreenFormat::Table => Rendering::Table,
        ScreenFormat::Json => Rendering::Nothing,
    };
    let summary = args.summary
        || args.by_group
        || matches!(args.format, ScreenFormat::Json | ScreenFormat::Table);
    let notice = args.notices.as_ref().map(|_| {
        NoticeFor::new(
            &checked,
            query.classes.first().map_or("", String::as_str),
            query.level.as_deref().unwrap_or(""),
        )
    });
    let screener = Screener::new(
        &program,
        &checked,
        query.clone(),
        rendering,
        Extras { summary, notice },
    );
    let inputs = Inputs::of(&args.pool).map_err(|e| evaluation::usage(&e))?;
    let reads_stdin = args.pool.iter().any(|path| path.as_os_str() == "-");
    if reads_stdin {
        files::refuse_endless_stdin().map_err(|e| evaluation::usage(&e))?;
    }
    if let Some(output) = args.output_file() {
        refuse_output_over_an_input(
            output,
            &inputs,
            reads_stdin,
            args.rules.as_deref(),
            args.against.as_deref(),
        )?;
    } else {
        refuse_stdout_into_the_pool(&inputs, reads_stdin)?;
    }
    if let Some(folder) = &args.notices {
        std::fs::create_dir_all(folder).map_err(|e| {
            usage(format!(
                "cannot create {}: {}",
                folder.display(),
                files::reason(&e)
            ))
        })?;
    }
    let pool = thread_pool(args.threads)?;
    stop_when_interrupted(args);
    let mut sink = Sink::new(args.output_file(), args.notices.clone())?;
    if args.format == ScreenFormat::Csv {
        sink.write(CSV_HEADER)?;
    }
    if args.against.is_some() || args.against_as_of.is_some() {
        return compare_pool(args, &screener, &checked, inputs, &pool, sink, style);
    }
    let stats = run_pool(
        inputs,
        &pool,
        |item| screener.screen(item),
        &mut sink,
        style,
    )?;
    let mut tail = String::new();
    if summary {
        tail = summary_text(args, &program, &stats.summary, style);
    }
    finish(args, sink, &tail, &stats, style)
}

/// Refuses an `--output` that names a file the run reads: a file of the pool (standard
/// input's too, when the pool is read from it), or a rule file (of `--rules` or of
/// `--against`), which the output would replace. An output that does not exist yet
/// replaces none.
fn refuse_output_over_an_input(
    output: &Path,
    inputs: &Inputs,
    reads_stdin: bool,
    rules: Option<&Path>,
    against: Option<&Path>,
) -> Result<(), Stop> {
    let Some(target) = files::FileIdentity::of(output) else {
        return Ok(());
    };
    let what = if inputs.holds(&target) {
        "a file of the pool: the records would replace the applicants they are made from"
    } else if reads_stdin && files::FileIdentity::of_stdin().as_ref() == Some(&target) {
        "the file standard input reads the pool from: the records would replace the applicants they are made from"
    } else {
        let mut roots = match rules {
            Some(rules) => vec![rules.to_path_buf()],
            None => vec![super::check_cmd::default_rules()],
        };
        roots.extend(against.map(Path::to_path_buf));
        // Each root on its own: one that cannot be read is refused later, and must not hide
        // the files of the other.
        let rule_files: Vec<files::Found> = roots
            .iter()
            .flat_map(|root| {
                files::collect(std::slice::from_ref(root), &[files::RULE_EXTENSION])
                    .unwrap_or_default()
            })
            .collect();
        let is_target =
            |f: &files::Found| files::FileIdentity::of(&f.path).as_ref() == Some(&target);
        if !rule_files.iter().any(is_target) {
            return Ok(());
        }
        "a rule file: the output would replace the rules it is made from"
    };
    Err(conflict(&format!(
        "--output {} is {what}",
        output.display()
    )))
}

/// Refuses to write to standard output when it is a file of the pool (`>> pool.jsonl`, or a
/// new file in a pool folder): each record written would be read back as one more applicant,
/// and the file would grow until the disk is full.
fn refuse_stdout_into_the_pool(inputs: &Inputs, reads_stdin: bool) -> Result<(), Stop> {
    let Some(target) = files::FileIdentity::of_stdout() else {
        return Ok(());
    };
    let stdin_is_target =
        || reads_stdin && files::FileIdentity::of_stdin().as_ref() == Some(&target);
    if !(inputs.holds(&target) || stdin_is_target()) {
        return Ok(());
    }
    Err(conflict(
        "standard output is a file of the pool: each record would be read back as an applicant; write the records to another file",
    ))
}

/// The exit status of a run ended by Ctrl-C or a termination signal (128 + SIGINT's number,
/// as a shell gives).
const EXIT_INTERRUPTED: u8 = 130;

/// On Ctrl-C (SIGINT), SIGTERM or SIGHUP, ends the run at once with a coded message (Q008)
/// and [`EXIT_INTERRUPTED`], its temporary output file removed: the file `--output` names
/// stays as it was, not replaced by part of the records.
fn stop_when_interrupted(args: &ScreenArgs) {
    let mut message = String::from("interrupted before the end");
    if let Some(output) = args.output_file() {
        message.push_str(&format!(": {} is as it was", output.display()));
    }
    // Only one handler is set a process; a second call (none is made) would keep the first.
    let _ = ctrlc::set_handler(move || {
        files::abandon(
            || {
                if std::io::stderr().is_terminal() {
                    // Past the progress bar and the `^C` the terminal shows.
                    super::output::eprint("");
                }
                let _ = super::output::report_error(&FileError::io(message.as_str()));
            },
            EXIT_INTERRUPTED,
        )
    });
}

/// Options that do not go together (Q600).
fn conflict(message: &str) -> Stop {
    evaluation::usage(&FileError::usage(
        qualify::diagnostics::Code::ScreenOptions,
        message.to_owned(),
    ))
}

fn check_usage(args: &ScreenArgs) -> Result<(), Stop> {
    if args.notices.is_some() && (args.class.len() != 1 || args.level.is_none()) {
        return Err(conflict(
            "--notices needs one --class and a --level: a notice is written for the level applied for",
        ));
    }
    if args.format == ScreenFormat::Json && !(args.summary || args.by_group) {
        return Err(conflict(
            "--format json gives the summary as data: add --summary or --by-group (for one record a line, use --format jsonl)",
        ));
    }
    match args.threads {
        Some(0) => return Err(conflict("--threads must be at least 1")),
        Some(n) if n > MAX_THREADS => {
            return Err(conflict(&format!(
                "--threads must be at most {MAX_THREADS}: threads beyond the cores only wait on each other"
            )));
        }
        _ => {}
    }
    let comparing = args.against.is_some() || args.against_as_of.is_some();
    let extras = args.format != ScreenFormat::Table
        || args.summary
        || args.by_group
        || args.notices.is_some();
    if comparing && extras {
        return Err(conflict(
            "--against and --against-as-of write the outcomes that flip, as text: they take no --format, --summary, --by-group or --notices",
        ));
    }
    Ok(())
}

/// The most evaluation threads a run starts. A pool of many more threads than cores spends
/// its time starting them and passing work between them: a hundred thousand did not finish
/// screening twelve applicants in ten minutes.
const MAX_THREADS: usize = 256;

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Stop> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| usage(format!("cannot start {threads} threads: {e}")))
}

/// The summary (and rates) as text or data. Data is the output of `--format json`; it is
/// also what goes to stderr after JSON Lines or CSV with `--error-format json`, on one line,
/// so that every line there is JSON.
fn summary_text(args: &ScreenArgs, program: &Program, summary: &Summary, style: Style) -> String {
    let rates = args.by_group.then(|| summary::group_rates(summary));
    let on_stderr = matches!(args.format, ScreenFormat::Jsonl | ScreenFormat::Csv)
        && args.output_file().is_none();
    if args.format == ScreenFormat::Json || (on_stderr && matches!(style, Style::Json)) {
        let document = SummaryDocument {
            record: summary::SUMMARY_VERSION,
            summary,
            selection_rates: rates,
        };
        let text = if args.format == ScreenFormat::Json {
            serde_json::to_string_pretty(&document)
        } else {
            serde_json::to_string(&document)
        };
        return text.unwrap_or_default() + "\n";
    }
    let mut text = String::new();
    if args.summary || args.format == ScreenFormat::Table {
        text.push_str(&summary::summary_text(summary));
    }
    if let Some(rates) = rates {
        text.push_str(&summary::group_rates_text(&rates));
    }
    qualify::source::escape_controls(&qualify::explain::labelled(program, &text)).into_owned()
}

/// Writes the summary where it belongs, closes the output and prints the closing line.
///
/// The summary follows a table, or is the output itself (`--format json`). After JSON
/// Lines or CSV it goes to stdout when the records go to `--output`, and otherwise to
/// stderr, so that the output stays one kind of line.
fn finish(
    args: &ScreenArgs,
    mut sink: Sink,
    tail: &str,
    stats: &Stats,
    style: Style,
) -> Result<u8, Stop> {
    if matches!(args.format, ScreenFormat::Table | ScreenFormat::Json) {
        sink.write(tail.as_bytes())?;
        sink.close()?;
    } else {
        sink.close()?;
        if !tail.is_empty() && args.output_file().is_some() {
            super::output::print(tail).map_err(|e| evaluation::usage(&e))?;
        } else if !tail.is_empty() {
            super::output::eprint(tail.trim_end());
        }
    }
    Ok(closing_line(stats, style))
}

/// The closing line on stderr, and the exit status. With `--error-format json` it is a
/// JSON object like every other line there: the line in words as `message`, with the
/// counts and the sources named.
fn closing_line(stats: &Stats, style: Style) -> u8 {
    let message = if stats.bad == 0 {
        format!("screened {}: all evaluated", applicants(stats.applicants))
    } else {
        let more = stats.bad.saturating_sub(stats.bad_sources.len() as u64);
        let mut named = stats.bad_sources.join(", ");
        if more > 0 {
            named.push_str(&format!(" and {more} more"));
        }
        format!(
            "screened {}: {} could not be read or evaluated; their error records are in the output, at {named}",
            applicants(stats.applicants),
            stats.bad
        )
    };
    if matches!(style, Style::Json) {
        let line = serde_json::json!({
            "message": message,
            "applicants": stats.applicants,
            "not_evaluated": stats.bad,
            "not_evaluated_at": stats.bad_sources,
        });
        super::output::eprint(&line.to_string());
    } else {
        super::output::eprint(&message);
    }
    if stats.bad == 0 {
        EXIT_OK
    } else {
        EXIT_INPUT_ERRORS
    }
}

/// "1 applicant", "12 applicants".
fn applicants(n: u64) -> String {
    qualify::diagnostics::suggest::count(usize::try_from(n).unwrap_or(usize::MAX), "applicant")
}

/// The compared run: evaluates the pool under both rule sets and writes the flips.
fn compare_pool(
    args: &ScreenArgs,
    before: &Screener<'_>,
    checked: &CheckedRules,
    inputs: Inputs,
    pool: &rayon::ThreadPool,
    mut sink: Sink,
    style: Style,
) -> Result<u8, Stop> {
    let query = Query {
        as_of: args.against_as_of.unwrap_or(before.query.as_of),
        classes: args.class.clone(),
        level: args.level.clone(),
        tier: None,
    };
    let loaded;
    let after = match &args.against {
        Some(path) => {
            loaded = load(Some(path), &query, style, true)?;
            Screener::new(
                &loaded.1,
                &loaded.0,
                loaded.2.clone(),
                Rendering::Table,
                Extras::default(),
            )
        }
        None => {
            let query = query.with_names_of(before.program);
            if let Err(error) = eval::evaluate(before.program, &Applicant::default(), &query) {
                let date = format!("the rules as of {} (--against-as-of)", query.as_of);
                return Err(evaluation::query_error_in(&error, Some(&date), style));
            }
            Screener::new(
                before.program,
                checked,
                query,
                Rendering::Table,
                Extras::default(),
            )
        }
    };
    let before_table = Screener::new(
        before.program,
        checked,
        before.query.clone(),
        Rendering::Table,
        Extras::default(),
    );
    let header = format!(
        "comparing rules {} as of {} → rules {} as of {}\n",
        before.program.content_hash(),
        before.query.as_of,
        after.program.content_hash(),
        after.query.as_of
    );
    sink.write(header.as_bytes())?;
    let flips = std::sync::Mutex::new(Flips::default());
    let stats = run_pool(
        inputs,
        pool,
        |item| {
            let (screened, found) = compare::compare_one(&before_table, &after, item);
            if let Ok(mut all) = flips.lock() {
                all.add(&found);
            }
            screened
        },
        &mut sink,
        style,
    )?;
    let text = flips.lock().map(|f| f.text()).unwrap_or_default();
    sink.write(text.as_bytes())?;
    sink.close()?;
    Ok(closing_line(&stats, style))
}

/// What the run counted.
#[derive(Default)]
struct Stats {
    applicants: u64,
    bad: u64,
    bad_sources: Vec<String>,
    summary: Summary,
    started: Option<Instant>,
}

/// Runs the pool: a reader thread fills batches, the thread pool evaluates each batch,
/// and the results are written in input order.
fn run_pool<F>(
    inputs: Inputs,
    pool: &rayon::ThreadPool,
    work: F,
    sink: &mut Sink,
    style: Style,
) -> Result<Stats, Stop>
where
    F: Fn(&Item) -> Screened + Sync,
{
    let progress = Progress::new(inputs.total_bytes);
    let (sender, receiver) = sync_channel(2);
    let reader = std::thread::spawn(move || read_batches(inputs.inputs, sender));
    let mut stats = Stats {
        started: Some(Instant::now()),
        ..Stats::default()
    };
    let result = drive(&receiver, pool, &work, sink, &mut stats, &progress, style);
    drop(receiver);
    let _ = reader.join();
    progress.finish();
    result.map(|()| stats)
}

/// Evaluates each batch on the thread pool while this thread writes the batches before it,
/// in input order. At most [`batches_in_flight`] batches are evaluated or waiting at once,
/// so memory stays bounded.
fn drive<F>(
    batches: &Receiver<Batch>,
    pool: &rayon::ThreadPool,
    work: &F,
    sink: &mut Sink,
    stats: &mut Stats,
    progress: &Progress,
    style: Style,
) -> Result<(), Stop>
where
    F: Fn(&Item) -> Screened + Sync,
{
    pool.in_place_scope(|scope| {
        let in_flight = batches_in_flight(pool.current_num_threads());
        let mut pending = VecDeque::with_capacity(in_flight + 1);
        for batch in batches {
            let (items, bytes) = batch.map_err(|e| evaluation::usage(&e))?;
            let (done, evaluated) = sync_channel(1);
            scope.spawn(move |_| {
                let results: Vec<Screened> = items.iter().map(work).collect();
                // The receiver is gone only when writing already failed.
                let _ = done.send((items, results, bytes));
            });
            pending.push_back(evaluated);
            if pending.len() > in_flight {
                write_next(&mut pending, sink, stats, progress, style)?;
            }
        }
        while !pending.is_empty() {
            write_next(&mut pending, sink, stats, progress, style)?;
        }
        Ok(())
    })
}

/// How many batches are evaluated ahead of the one being written: two for each thread, so
/// that a thread that finishes a batch finds the next one waiting rather than idling. Each
/// batch is evaluated whole by one thread: sharing a batch among threads cost more in
/// handing work over (and in threads spinning while they wait for it) than it evened out.
fn batches_in_flight(threads: usize) -> usize {
    threads.saturating_mul(2).max(2)
}

/// An evaluated batch: its items, what to write for each, and the bytes it was read from.
type Evaluated = (Vec<Item>, Vec<Screened>, u64);

/// Waits for the oldest pending batch and writes it.
fn write_next(
    pending: &mut VecDeque<Receiver<Evaluated>>,
    sink: &mut Sink,
    stats: &mut Stats,
    progress: &Progress,
    style: Style,
) -> Result<(), Stop> {
    let Some((items, results, bytes)) = pending.pop_front().and_then(|batch| batch.recv().ok())
    else {
        return Err(evaluation::internal_error(
            "a batch of applicants was not evaluated",
            style,
        ));
    };
    for (item, screened) in items.iter().zip(&results) {
        stats.applicants += 1;
        if screened.bad {
            stats.bad += 1;
            if stats.bad_sources.len() < BAD_NAMED {
                let source = item.source().to_string();
                stats
                    .bad_sources
                    .push(qualify::source::one_line(&source).into_owned());
            }
        }
        if let Some(outcome) = &screened.outcome {
            stats.summary.add(outcome);
        }
        if let Some(notice) = &screened.notice {
            sink.notice(notice)?;
        }
    }
    let outputs: Vec<&[u8]> = results.iter().map(|r| r.output.as_slice()).collect();
    sink.write_pieces(&outputs)?;
    progress.advance(items.len() as u64, bytes, stats);
    Ok(())
}

/// The progress bar, on stderr only when it is a terminal.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(total_bytes: Option<u64>) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = match total_bytes {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template(
                        "{msg} [{bar:30}] {percent}% {elapsed_precise}, {eta} left",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed_precise}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        Progress(Some(bar))
    }

    fn advance(&self, _applicants: u64, bytes: u64, stats: &Stats) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
            let seconds = stats.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
            let rate = if seconds > 0.0 {
                stats.applicants as f64 / seconds
            } else {
                0.0
            };
            bar.set_message(format!("{} applicants, {rate:.0}/s", stats.applicants));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
