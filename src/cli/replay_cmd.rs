//! `qualify replay`: checks stored decision records against the rules and the pool given,
//! one line per record, `same` or what differs.

use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use qualify::compile;
use qualify::diagnostics::render::Style;
use qualify::screen::Item;
use qualify::screen::replay::{self, Stored, Verdict};
use std::collections::HashMap;

use super::evaluation::{self, Stop};
use super::files::{self, FileError};
use super::pool::{Inputs, read_batches, read_line_bounded};
use super::{EXIT_INPUT_ERRORS, EXIT_OK};

/// The arguments of `qualify replay`.
#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// The stored records: a JSON Lines file of `qualify-decision/3` records (as
    /// `qualify screen --format jsonl` writes them), or `-` for standard input.
    pub records: PathBuf,
    /// The applicants the records were made from: folders, JSON Lines files, or `-`.
    #[arg(required = true)]
    pub pool: Vec<PathBuf>,
    /// Rule file or folder (default: `rules/`).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Read and check only this class beside the vocabulary, as `screen --class` does, so
    /// that its records are checked when another class has an error; repeat for several.
    #[arg(long)]
    pub class: Vec<String>,
}

/// The longest line read as a record: far above any record, which states each tier's
/// decision in a few dozen bytes, yet a bound on what one line of a hostile file may cost.
const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

pub fn run(args: &ReplayArgs, style: Style) -> u8 {
    match replay_all(args, style) {
        Ok(code) | Err(Stop(code)) => code,
    }
}

fn replay_all(args: &ReplayArgs, style: Style) -> Result<u8, Stop> {
    let paths = evaluation::rules_paths(args.rules.as_deref());
    let (checked, _) = evaluation::check_rules(&paths, &args.class, style)?;
    let program = compile::compile(&checked);
    if let Some(error) = qualify::eval::unknown_class(&[&program], &args.class) {
        return Err(evaluation::query_error(&error, style));
    }
    let mut records = open_records(args).map_err(|e| evaluation::usage(&e))?;
    let pool = read_pool(&args.pool).map_err(|e| evaluation::usage(&e))?;
    let mut out = String::new();
    let (mut same, mut other) = (0u64, 0u64);
    let mut line = Vec::new();
    for number in 0u64.. {
        line.clear();
        let used =
            read_line_bounded(&mut records, &mut line, MAX_RECORD_BYTES + 1).map_err(|e| {
                evaluation::usage(&FileError::io(format!(
                    "cannot read {}: {}",
                    args.records.display(),
                    files::reason(&e)
                )))
            })?;
        if used == 0 {
            break;
        }
        // A byte-order mark opening the file is no part of the first record, as in a pool.
        if number == 0 && line.starts_with(b"\xef\xbb\xbf") {
            line.drain(..3);
        }
        // Blank as JSON reads white space; a form feed is not, and its line is no record.
        if line
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            continue;
        }
        let parsed = if line.len() > MAX_RECORD_BYTES {
            Err(format!("longer than {MAX_RECORD_BYTES} bytes"))
        } else {
            replay::parse_record(&line)
        };
        let (name, verdict) = match parsed {
            Err(why) => (None, Verdict::NotARecord(why)),
            Ok(record) => match Stored::of(&record) {
                Err(why) => (None, Verdict::NotARecord(why)),
                Ok(stored) => {
                    let item = pool.find(&stored.source, &stored.applicant_hash);
                    let verdict = match replay::outside_classes_read(&stored, &args.class) {
                        Some(verdict) => verdict,
                        None => replay::replay(&program, &checked, &record, &stored, item),
                    };
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
    let total = same + other;
    let records = if total == 1 { "record" } else { "records" };
    out.push_str(&format!(
        "{total} {records}: {same} the same, {other} not confirmed\n"
    ));
    let out = qualify::source::escape_controls(&out);
    super::output::print(&out).map_err(|e| evaluation::usage(&e))?;
    Ok(if other == 0 {
        EXIT_OK
    } else {
        EXIT_INPUT_ERRORS
    })
}

/// The records to read: a regular file, or standard input for `-` (when the pool is not
/// read from it too).
fn open_records(args: &ReplayArgs) -> Result<Box<dyn std::io::BufRead>, FileError> {
    if args.records.as_os_str() != "-" {
        let file = files::open_regular(&args.records)?;
        return Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)));
    }
    if args.pool.iter().any(|path| path.as_os_str() == "-") {
        return Err(FileError::usage(
            qualify::diagnostics::Code::CommandLine,
            "the records and the pool cannot both be read from standard input: name a file \
             for one of them",
        ));
    }
    files::refuse_endless_stdin()?;
    Ok(Box::new(std::io::BufReader::with_capacity(
        1 << 16,
        std::io::stdin(),
    )))
}

/// Every applicant of the pool by its source (`file` or `file:line`), as written and as a
/// [`source_key`], so that a record written when the pool was named another way (`./pool`,
/// an absolute path) still finds its applicant. The applicant's content hash is compared
/// before anything is replayed, so a match by name never passes for another applicant.
///
/// A record whose source names no applicant of the pool (a pool named by a relative path
/// from another folder) is matched by its applicant's content hash, on the same line when
/// several applicants have those bytes: the bytes are what is evaluated.
struct Pool {
    by_name: HashMap<String, Item>,
    by_key: HashMap<String, String>,
    /// The sources of the applicants by content hash, made at the first record that needs it.
    by_hash: std::cell::OnceCell<ByHash>,
}

impl Pool {
    fn find(&self, source: &str, applicant_hash: &str) -> Option<&Item> {
        self.by_name
            .get(source)
            .or_else(|| {
                self.by_key
                    .get(&source_key(source))
                    .and_then(|name| self.by_name.get(name))
            })
            .or_else(|| self.find_by_hash(source, applicant_hash))
    }

    fn find_by_hash(&self, source: &str, applicant_hash: &str) -> Option<&Item> {
        let by_hash = self.by_hash.get_or_init(|| {
            let mut by_hash = ByHash::default();
            for (name, item) in &self.by_name {
                let hash = item.content_hash();
                let line = line_of(name).to_owned();
                let first = by_hash
                    .first
                    .entry(hash.clone())
                    .or_insert_with(|| name.clone());
                if name < first {
                    first.clone_from(name);
                }
                let same_line = by_hash
                    .on_line
                    .entry((hash, line))
                    .or_insert_with(|| name.clone());
                if name < same_line {
                    same_line.clone_from(name);
                }
            }
            by_hash
        });
        let key = (applicant_hash.to_owned(), line_of(source).to_owned());
        by_hash
            .on_line
            .get(&key)
            .or_else(|| by_hash.first.get(applicant_hash))
            .and_then(|name| self.by_name.get(name))
    }
}

/// The sources of the pool's applicants by content hash: on each line (the first source in
/// name order), and the first of all.
#[derive(Default)]
struct ByHash {
    on_line: HashMap<(String, String), String>,
    first: HashMap<String, String>,
}

/// The line number of a source (`pool.jsonl:17` → `17`); empty for a file.
fn line_of(source: &str) -> &str {
    split_source(source).1.unwrap_or("")
}

/// A source's file and line: `pool.jsonl:17` is `pool.jsonl` and `17`; a file alone has no
/// line.
fn split_source(source: &str) -> (&str, Option<&str>) {
    match source.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
            (file, Some(line))
        }
        _ => (source, None),
    }
}

/// A source (`file` or `file:line`) with its file named the one way: its canonical path
/// when it exists, else as written without `.` parts and repeated separators.
fn source_key(source: &str) -> String {
    let (file, line) = split_source(source);
    with_line(&file_key(file), line)
}

fn with_line(file: &str, line: Option<&str>) -> String {
    match line {
        Some(line) => format!("{file}:{line}"),
        None => file.to_owned(),
    }
}

/// A file named the one way: its canonical path when it exists, else as written without
/// `.` parts and repeated separators; `-` (stdin) as it is.
fn file_key(file: &str) -> String {
    if file == "-" {
        return file.to_owned();
    }
    std::fs::canonicalize(file).map_or_else(
        |_| {
            let absolute = file.starts_with('/');
            let parts: Vec<&str> = file
                .split('/')
                .filter(|part| !part.is_empty() && *part != ".")
                .collect();
            format!("{}{}", if absolute { "/" } else { "" }, parts.join("/"))
        },
        |path| path.to_string_lossy().into_owned(),
    )
}

/// Every applicant of the pool by its source. A replay checks a handful of records at a
/// time, so the pool is held whole.
fn read_pool(paths: &[PathBuf]) -> Result<Pool, FileError> {
    let inputs = Inputs::of(paths)?;
    let (sender, receiver) = sync_channel(2);
    let reader = std::thread::spawn(move || read_batches(inputs.inputs, sender));
    let mut pool = Pool {
        by_name: HashMap::new(),
        by_key: HashMap::new(),
        by_hash: std::cell::OnceCell::new(),
    };
    let mut failure = None;
    // The key of each file once, not once per line of a JSON Lines pool.
    let mut file_keys: HashMap<std::sync::Arc<str>, String> = HashMap::new();
    for batch in receiver {
        match batch {
            Ok((items, _)) => {
                for item in items {
                    let name = item.source().to_string();
                    let file = file_keys
                        .entry(std::sync::Arc::clone(&item.file))
                        .or_insert_with(|| file_key(&item.file));
                    let line = item.line.map(|line| line.to_string());
                    pool.by_key
                        .insert(with_line(file, line.as_deref()), name.clone());
                    pool.by_name.insert(name, item);
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
