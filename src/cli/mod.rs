//! Command-line parsing and dispatch. The only layer that reads files, prints or exits.

mod check_cmd;
mod command_line;
mod completions_cmd;
mod diff_cmd;
mod eval_cmd;
mod evaluation;
mod explain_cmd;
mod files;
mod fmt_cmd;
mod output;
mod pool;
mod repl_cmd;
mod replay_cmd;
mod screen_cmd;
mod sources;
mod test_cmd;
mod verify_cmd;

use std::path::PathBuf;

use jiff::civil::Date;
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
    /// Plain sentences, friendly to screen readers, one fact a line.
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
        /// Fail when there are warnings (acknowledged warnings do not count).
        #[arg(long)]
        deny_warnings: bool,
        /// Also print the warnings an `allow` in the rules acknowledged, with its reason.
        #[arg(long)]
        show_acknowledged: bool,
    },
    /// Evaluate applicants: met or not for every class, level and tier, and by which path.
    Eval {
        /// Applicant files (`.toml` or `.json`), or folders of them (every such file below,
        /// in name order).
        #[arg(required = true)]
        applicants: Vec<PathBuf>,
        /// Rule file or folder (default: `rules/`).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Only this class (code, e.g. `K9099`; any case); repeat for several.
        #[arg(long)]
        class: Vec<String>,
        /// Only this level (e.g. `O`).
        #[arg(long)]
        level: Option<String>,
        /// The evaluation date (YYYY-MM-DD; default: today). Picks the rule version in force
        /// and ends current jobs.
        #[arg(long, value_parser = evaluation::parse_date)]
        as_of: Option<Date>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = eval_cmd::EvalFormat::Table)]
        format: eval_cmd::EvalFormat,
    },
    /// Explain one applicant against one class: the audit trace, node by node.
    Explain {
        /// The applicant file (`.toml` or `.json`).
        applicant: PathBuf,
        /// The class to explain (code, e.g. `K9099`).
        #[arg(long)]
        class: String,
        /// Only this level (e.g. `O`).
        #[arg(long)]
        level: Option<String>,
        /// Rule file or folder (default: `rules/`).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// The evaluation date (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = evaluation::parse_date)]
        as_of: Option<Date>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = explain_cmd::ExplainFormat::Text)]
        format: explain_cmd::ExplainFormat,
    },
    /// Explore what-if scenarios interactively (reads statements from stdin when piped).
    Repl(repl_cmd::ReplArgs),
    /// Prove properties of the rules, or show the applicant who breaks them.
    Verify(verify_cmd::VerifyArgs),
    /// Compare two rule sets (or two dates of one) tier by tier, with the applicants who flip.
    Diff(diff_cmd::DiffArgs),
    /// Lay rule files out in the canonical layout (with `--check`, show the difference).
    Fmt {
        /// Rule files or folders (default: as for `check`).
        paths: Vec<PathBuf>,
        /// Change nothing: print a diff and fail when a file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Screen a pool of applicants on every core: records, CSV or a table, a summary,
    /// notices, or what a rule change does.
    Screen(screen_cmd::ScreenArgs),
    /// Check stored decision records against their rules and applicants: `same`, or the
    /// first difference.
    Replay(replay_cmd::ReplayArgs),
    /// Run the rule tests kept beside the rules, with coverage by clause and threshold.
    Test(test_cmd::TestArgs),
    /// Print the shell completion script (e.g. `qualify completions bash > qualify.bash`).
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn run() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() => {
            return ExitCode::from(command_line::not_understood(&error, &args));
        }
        Err(error) => {
            // `--help` and `--version` print to stdout, and fail when that cannot be written;
            // a pipe closed by its reader (`qualify --help | head`) is not a failure.
            if let Err(failed) = error.print().or_else(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => Ok(()),
                _ => Err(e),
            }) {
                let message = format!("cannot write the output: {}", files::reason(&failed));
                return ExitCode::from(output::write_failed(&files::FileError::io(message)));
            }
            return ExitCode::from(EXIT_OK);
        }
    };
    let style = output::style(cli.error_format);
    output::set_error_style(style);
    let code = match cli.command {
        Command::Check {
            paths,
            deny_warnings,
            show_acknowledged,
        } => check_cmd::run(
            &paths,
            check_cmd::CheckOptions {
                deny_warnings,
                show_acknowledged,
            },
            style,
        ),
        Command::Eval {
            applicants,
            rules,
            class,
            level,
            as_of,
            format,
        } => eval_cmd::run(
            &eval_cmd::EvalArgs {
                applicants: &applicants,
                rules: rules.as_deref(),
                class,
                level,
                as_of,
                format,
            },
            style,
        ),
        Command::Explain {
            applicant,
            class,
            level,
            rules,
            as_of,
            format,
        } => explain_cmd::run(
            &explain_cmd::ExplainArgs {
                applicant: &applicant,
                rules: rules.as_deref(),
                class,
                level,
                as_of,
                format,
            },
            style,
        ),
        Command::Repl(args) => repl_cmd::run(&args, style),
        Command::Verify(args) => verify_cmd::run(&args, style),
        Command::Diff(args) => diff_cmd::run(&args, style),
        Command::Screen(args) => screen_cmd::run(&args, style),
        Command::Replay(args) => replay_cmd::run(&args, style),
        Command::Completions { shell } => completions_cmd::run(shell),
        Command::Fmt { paths, check } => fmt_cmd::run(&paths, check, style),
        Command::Test(args) => test_cmd::run(&args, style),
    };
    ExitCode::from(code)
}
