//! `qualify replay`: checks stored decision records against the rules and the pool given,
//! one line per record, `same` or what differs.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use qualify::compile;
use qualify::diagnostics::render::Style;
use qualify::screen::Item;
use qualify::screen::replay::{self, Stored, Verdict};
use std::collections::HashMap;

use super::evaluation::{self, Stop};
use super::files::{self, FileError};
use super::pool::{Inputs, read_batches};
use super::{EXIT_INPUT_ERRORS, EXIT_OK};

/// The arguments of `qualify replay`.
#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// The stored records: a JSON Lines file of `qualify-decision/3` records (as
    /// `qualify screen --format jsonl` writes them).
    pub records: PathBuf,
    /// The applicants the records were made from: folders, JSON Lines files, or `-`.
    #[arg(required = true)]
    pub pool: Vec<PathBuf>,
    /// Rule file or folder (default: `rules/`).
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

pub fn run(args: &ReplayArgs, style: Style) -> u8 {
    match replay_all(args, style) {
        Ok(code) | Err(Stop(code)) => code,
    }
}

fn replay_all(args: &ReplayArgs, style: Style) -> Result<u8, Stop> {
    let paths = evaluation::rules_paths(args.rules.as_deref());
    let (checked, _) = evaluation::check_rules(&paths, &[], style)?;
    let program = compile::compile(&checked);
    let pool = read_pool(&args.pool).map_err(|e| evaluation::usage(&e))?;
    let file = std::fs::File::open(&args.records).map_err(|e| {
        evaluation::usage(&FileError::io(format!(
            "cannot read {}: {}",
            args.records.display(),
            files::reason(&e)
        )))
    })?;
    let mut out = String::new();
    let (mut same, mut other) = (0u64, 0u64);
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| {
            evaluation::usage(&FileError::io(format!(
                "cannot read {}: {}",
                args.records.display(),
                files::reason(&e)
            )))
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let (name, verdict) = match serde_json::from_str(&line) {
            Err(error) => (None, Verdict::NotARecord(error.to_string())),
            Ok(record) => match Stored::of(&record) {
                Err(why) => (None, Verdict::NotARecord(why)),
                Ok(stored) => {
                    let item = pool.get(&stored.source);
                    let verdict = replay::replay(&program, &checked, &record, &stored, item);
                    (Some(stored.source), verdict)
                }
            },
        };
        let name = name.unwrap_or_else(|| format!("record {}", number + 1));
        if verdict.is_same() {
            same += 1;
        } else {
            other += 1;
        }
        out.push_str(&format!("{name}: {verdict}\n"));
    }
    out.push_str(&format!(
        "{} records: {same} the same, {other} not confirmed\n",
        same + other
    ));
    let out = qualify::source::escape_controls(&out);
    super::output::print(&out).map_err(|e| evaluation::usage(&e))?;
    Ok(if other == 0 {
        EXIT_OK
    } else {
        EXIT_INPUT_ERRORS
    })
}

/// Every applicant of the pool by its source (`file` or `file:line`). A replay checks a
/// handful of records at a time, so the pool is held whole.
fn read_pool(paths: &[PathBuf]) -> Result<HashMap<String, Item>, FileError> {
    let inputs = Inputs::of(paths)?;
    let (sender, receiver) = sync_channel(2);
    let reader = std::thread::spawn(move || read_batches(inputs.inputs, sender));
    let mut pool = HashMap::new();
    let mut failure = None;
    for batch in receiver {
        match batch {
            Ok((items, _)) => {
                for item in items {
                    pool.insert(item.source().to_string(), item);
                }
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    let _ = reader.join();
    match failure {
        Some(error) => Err(error),
        None => Ok(pool),
    }
}
