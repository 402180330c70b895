//! Command-line parsing and dispatch. The only layer that reads files, prints or exits.

mod check_cmd;
mod files;
mod output;
mod repl_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status: success, with or without a qualifying result.
pub const EXIT_OK: u8 = 0;
/// Exit status: the input (rules or applicant) has errors.
pub const EXIT_INPUT_ERRORS: u8 = 1;
/// Exit status: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "qualify",
    version,
    about = "Job qualification rules as data: check rules, evaluate applicants, explain decisions"
)]
struct Cli {
    /// How diagnostics are shown.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human, global = true)]
    error_format: ErrorFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// Graphical, with colour when stdout is a terminal and NO_COLOR is unset.
    Human,
    /// Plain sentences (miette's narratable handler).
    Plain,
    /// One JSON object per diagnostic.
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check rule files and report every problem.
    Check {
        /// Rule files or folders (default: `rules/`).
        paths: Vec<PathBuf>,
        /// Fail when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Explore what-if scenarios interactively (reads statements from stdin when piped).
    Repl(ReplCommand),
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    let style = output::style(cli.error_format);
    let code = match cli.command {
        Command::Check {
            paths,
            deny_warnings,
        } => check_cmd::run(&paths, deny_warnings, style),
        Command::Repl(args) => repl_cmd::run(&args.into()),
    };
    ExitCode::from(code)
}

#[derive(clap::Args, Debug)]
struct ReplCommand {
    /// Rule file or folder to load (default: `rules/`).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Applicant file to load at start (TOML or JSON).
    applicant: Option<PathBuf>,
    /// Read statements from this file instead of the terminal.
    #[arg(long)]
    script: Option<PathBuf>,
    /// Do not read or write the history file.
    #[arg(long)]
    no_history: bool,
    /// Print each statement before its answer when not interactive, as a transcript.
    #[arg(long)]
    echo: bool,
    /// Evaluation date to start with, `YYYY-MM-DD` (default: today; `:date` changes it).
    #[arg(long, value_name = "DATE")]
    as_of: Option<jiff::civil::Date>,
}

impl From<ReplCommand> for repl_cmd::ReplArgs {
    fn from(c: ReplCommand) -> Self {
        repl_cmd::ReplArgs {
            rules: c.rules,
            applicant: c.applicant,
            script: c.script,
            no_history: c.no_history,
            echo: c.echo,
            as_of: c.as_of,
        }
    }
}
