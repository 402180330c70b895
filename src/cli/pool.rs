//! Reading an applicant pool for `qualify screen` and `qualify replay`: folders of
//! applicant files, JSON Lines files and stdin, read on a thread of their own into batches
//! of items, so that memory holds a few batches whatever the pool's size.

use std::io::BufRead;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

use qualify::applicant::{Format, MAX_APPLICANT_BYTES};
use qualify::diagnostics::Code;
use qualify::screen::Item;

use super::files::{self, FileError};

/// Applicants read, evaluated and written together; a few batches are in flight at once,
/// which bounds the memory whatever the pool's size.
pub const BATCH: usize = 256;

/// A batch of items and the bytes they were read from, or why reading stopped.
pub type Batch = Result<(Vec<Item>, u64), FileError>;

/// The pool's inputs, in the order given, each folder's files in name order.
pub enum Input {
    Stdin,
    Lines(PathBuf),
    File(PathBuf, Format),
    /// A file named on the command line whose name says no applicant format: it is not
    /// read, and its record says why (Q314), as `eval` refuses it.
    Unsupported(PathBuf),
}

pub struct Inputs {
    pub inputs: Vec<Input>,
    /// Bytes to read, when known (not for stdin), for the progress bar.
    pub total_bytes: Option<u64>,
}

impl Inputs {
    pub fn of(paths: &[PathBuf]) -> Result<Inputs, FileError> {
        let mut inputs = Vec::new();
        let mut total = Some(0u64);
        for path in paths {
            if path.as_os_str() == "-" {
                inputs.push(Input::Stdin);
                total = None;
                continue;
            }
            // A path that names nothing is a usage error, whatever its name ends in: a
            // mistyped pool is never screened as one applicant that cannot be read.
            if let Err(error) = std::fs::metadata(path) {
                return Err(files::cannot_read(path, &error));
            }
            files::refuse_special(path)?;
            let found = files::expand(std::slice::from_ref(path), &["toml", "json", "jsonl"])?;
            for file in found {
                let size = std::fs::metadata(&file).map_or(0, |m| m.len());
                total = total.map(|t| t.saturating_add(size));
                let name = file.to_string_lossy().to_ascii_lowercase();
                if name.ends_with(".jsonl") {
                    inputs.push(Input::Lines(file));
                } else if name.ends_with(".toml") {
                    inputs.push(Input::File(file, Format::Toml));
                } else if name.ends_with(".json") {
                    inputs.push(Input::File(file, Format::Json));
                } else {
                    inputs.push(Input::Unsupported(file));
                }
            }
        }
        Ok(Inputs {
            inputs,
            total_bytes: total,
        })
    }

    /// Whether `file` is one of the files read.
    pub fn holds(&self, file: &files::FileIdentity) -> bool {
        self.inputs.iter().any(|input| match input {
            Input::Stdin => false,
            Input::Lines(path) | Input::File(path, _) | Input::Unsupported(path) => {
                files::FileIdentity::of(path).as_ref() == Some(file)
            }
        })
    }
}

/// Reads the inputs into batches on its own thread.
pub fn read_batches(inputs: Vec<Input>, out: SyncSender<Batch>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut bytes = 0u64;
    let mut index = 0u64;
    let send = |batch: &mut Vec<Item>, bytes: &mut u64| {
        let full = std::mem::replace(batch, Vec::with_capacity(BATCH));
        let ok = out.send(Ok((full, *bytes))).is_ok();
        *bytes = 0;
        ok
    };
    for input in inputs {
        let result = match input {
            Input::Unsupported(path) => {
                batch.push(unsupported_item(&path, index));
                index += 1;
                Ok(())
            }
            Input::File(path, format) => {
                let item = file_item(&path, format, index);
                bytes += item.bytes.len() as u64;
                index += 1;
                batch.push(item);
                Ok(())
            }
            Input::Lines(path) => match files::open_regular(&path) {
                Ok(file) => {
                    let name: Arc<str> = Arc::from(files::display_name(&path));
                    read_lines(
                        BufReader::with_capacity(1 << 16, file),
                        &name,
                        &mut index,
                        &mut |item, n| {
                            bytes += n;
                            batch.push(item);
                            batch.len() < BATCH || send(&mut batch, &mut bytes)
                        },
                    )
                    .map_err(|e| {
                        FileError::io(format!(
                            "cannot read {}: {}",
                            path.display(),
                            files::reason(&e)
                        ))
                    })
                }
                // A pool file that cannot be opened (a named pipe in a pool folder, a file
                // removed meanwhile) is one bad item, as an applicant file would be: the rest of
                // the pool is screened.
                Err(error) => {
                    batch.push(unread_item(&path, index, (error.code, error.message), None));
                    index += 1;
                    Ok(())
                }
            },
            Input::Stdin => {
                let name: Arc<str> = Arc::from("-");
                let stdin = std::io::stdin().lock();
                read_lines(
                    BufReader::with_capacity(1 << 16, stdin),
                    &name,
                    &mut index,
                    &mut |item, n| {
                        bytes += n;
                        batch.push(item);
                        batch.len() < BATCH || send(&mut batch, &mut bytes)
                    },
                )
                .map_err(|e| {
                    FileError::io(format!("cannot read standard input: {}", files::reason(&e)))
                })
            }
        };
        if let Err(error) = result {
            let _ = out.send(Err(error));
            return;
        }
        if batch.len() >= BATCH && !send(&mut batch, &mut bytes) {
            return;
        }
    }
    if !batch.is_empty() {
        send(&mut batch, &mut bytes);
    }
}

/// A file that is not read (it could not be opened, or its name says no applicant format):
/// its item says why, and names the file's content when `whole_hash` is known.
fn unread_item(
    path: &Path,
    index: u64,
    failure: (Code, String),
    whole_hash: Option<String>,
) -> Item {
    Item {
        file: Arc::from(files::display_name(path)),
        line: None,
        index,
        format: Format::Json,
        bytes: Vec::new(),
        failure: Some(failure),
        whole_hash,
    }
}

/// A file whose name says no applicant format, unread: its item says why.
fn unsupported_item(path: &Path, index: u64) -> Item {
    let extension = path.extension().map_or_else(
        || "no extension".to_owned(),
        |e| format!("`.{}`", e.to_string_lossy()),
    );
    let message = format!(
        "cannot read an applicant from a file with {extension}: name applicant files `*.toml` or `*.json`, and pools of JSON Lines `*.jsonl`"
    );
    // Unread, its record still names its content, so that replay sees it change.
    let whole_hash = files::whole_file_hash(path).ok();
    unread_item(path, index, (Code::UnsupportedFormat, message), whole_hash)
}

/// One applicant file; a file that cannot be read gives an item that says why.
fn file_item(path: &Path, format: Format, index: u64) -> Item {
    let (bytes, failure) = match files::read(path, MAX_APPLICANT_BYTES) {
        Ok(bytes) => (bytes, None),
        Err(error) => (Vec::new(), Some((error.code, error.message))),
    };
    // A file past the limit keeps only its start, which reading refuses; its record names
    // the whole file's content, as a pool line past the limit does.
    let whole_hash = (bytes.len() > MAX_APPLICANT_BYTES)
        .then(|| files::whole_file_hash(path).ok())
        .flatten();
    Item {
        file: Arc::from(files::display_name(path)),
        line: None,
        index,
        format,
        bytes,
        failure,
        whole_hash,
    }
}

/// The UTF-8 byte-order mark.
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// Every non-blank line of a JSON Lines stream as an item; `each` takes it and the bytes it
/// used, and returns false to stop. A line longer than an applicant file may be is kept only
/// to one byte past the limit, which reading then refuses.
fn read_lines(
    mut reader: impl BufRead,
    name: &Arc<str>,
    index: &mut u64,
    each: &mut dyn FnMut(Item, u64) -> bool,
) -> std::io::Result<()> {
    let mut line_number = 0u64;
    loop {
        let mut line = Vec::new();
        let mut whole = LongLineHash::wanted();
        let used = read_line_hashing(&mut reader, &mut line, MAX_APPLICANT_BYTES + 1, &mut whole)?;
        if used == 0 {
            return Ok(());
        }
        line_number += 1;
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        let whole_hash = whole.finish();
        // A byte-order mark may open the file, as in any JSON file: on the first line it
        // is read as white space. Anywhere else it is no part of JSON Lines.
        let marked = line.starts_with(BYTE_ORDER_MARK);
        let text = match line.get(BYTE_ORDER_MARK.len()..) {
            Some(rest) if marked && line_number == 1 => rest,
            _ => line.as_slice(),
        };
        // Blank as JSON reads white space (space, tab, line feed, carriage return): a form
        // feed is not, and a line of one is no applicant to pass over but text to refuse.
        if text
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            continue;
        }
        let failure = (marked && line_number > 1).then(|| {
            (
                Code::ApplicantSyntax,
                format!(
                    "line {line_number} starts with a byte-order mark, which may open only \
                     the first line of a JSON Lines pool: remove it (files joined together \
                     keep the mark of each)"
                ),
            )
        });
        let item = Item {
            file: Arc::clone(name),
            line: Some(line_number),
            index: *index,
            format: Format::Json,
            bytes: line,
            failure,
            whole_hash,
        };
        *index += 1;
        if !each(item, used) {
            return Ok(());
        }
    }
}

/// The SHA-256 of a pool line longer than is kept, taken as it is read: the kept start,
/// then every byte after it, without the line's ending (`\r` bytes are held back until a
/// byte other than a line ending follows them).
#[derive(Default)]
struct LongLineHash {
    /// Whether a line past the limit is hashed at all (not for a file of records).
    wanted: bool,
    hasher: Option<sha2::Sha256>,
    held_returns: usize,
}

impl LongLineHash {
    fn wanted() -> LongLineHash {
        LongLineHash {
            wanted: true,
            ..LongLineHash::default()
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        use sha2::Digest;
        let Some(hasher) = self.hasher.as_mut() else {
            return;
        };
        // A line feed can only end what is read of a line, and is no part of its content.
        let mut rest = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        while !rest.is_empty() {
            let plain = memchr::memchr(b'\r', rest).unwrap_or(rest.len());
            let (text, returns_on) = rest.split_at(plain);
            if !text.is_empty() {
                hasher.update(b"\r".repeat(std::mem::take(&mut self.held_returns)));
                hasher.update(text);
            }
            let returns = returns_on.iter().take_while(|b| **b == b'\r').count();
            self.held_returns += returns;
            rest = returns_on.get(returns..).unwrap_or_default();
        }
    }

    fn finish(self) -> Option<String> {
        self.hasher.map(qualify::screen::record::hash_text)
    }
}

/// Reads up to and including the next `\n`, keeping at most `keep` bytes; returns the bytes
/// consumed (0 at the end). When the line passes `keep` bytes and `whole` is wanted, its
/// whole content is hashed into `whole` (which stays empty for a line that fits).
fn read_line_hashing(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    keep: usize,
    whole: &mut LongLineHash,
) -> std::io::Result<u64> {
    let mut used = 0u64;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(used);
        }
        let (chunk, done) = match memchr::memchr(b'\n', buffer) {
            Some(at) => (buffer.get(..=at).unwrap_or(buffer), true),
            None => (buffer, false),
        };
        let room = keep.saturating_sub(line.len());
        let (kept, rest) = chunk.split_at(room.min(chunk.len()));
        line.extend_from_slice(kept);
        if !rest.is_empty() && whole.wanted && whole.hasher.is_none() {
            // The line is longer than is kept: its hash starts from what was kept.
            whole.hasher = Some(sha2::Digest::new());
            let start = std::mem::take(line);
            whole.update(&start);
            *line = start;
        }
        whole.update(rest);
        let n = chunk.len();
        reader.consume(n);
        used += n as u64;
        if done {
            return Ok(used);
        }
    }
}

/// Reads up to and including the next `\n`, keeping at most `keep` bytes; returns the bytes
/// consumed (0 at the end).
pub(super) fn read_line_bounded(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    keep: usize,
) -> std::io::Result<u64> {
    read_line_hashing(reader, line, keep, &mut LongLineHash::default())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::LongLineHash;

    fn hashed(pieces: &[&[u8]]) -> Option<String> {
        let mut hash = LongLineHash::wanted();
        hash.hasher = Some(sha2::Digest::new());
        for piece in pieces {
            hash.update(piece);
        }
        hash.finish()
    }

    /// However a line is cut into the reads that bring it, its hash is that of its content:
    /// carriage returns inside it count, those before its line feed do not.
    #[test]
    fn a_long_line_hashes_to_its_content_however_it_is_read() {
        let lines: [(&[u8], &[u8]); 4] = [
            (b"{\"id\":\"a\r\rb\"}\r\r\n", b"{\"id\":\"a\r\rb\"}"),
            (b"\r\rabc\n", b"\r\rabc"),
            (b"abc", b"abc"),
            (b"a\rb\rc\r", b"a\rb\rc"),
        ];
        for (line, content) in lines {
            let expected = hashed(&[content]);
            for cut in 0..=line.len() {
                let (first, second) = line.split_at(cut);
                assert_eq!(hashed(&[first, second]), expected, "{line:?} cut at {cut}");
            }
        }
    }
}
