//! Source files and byte spans: every later stage points back into rule or applicant text.

mod shown;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

pub use shown::{
    QUOTED_CHARS, ShownText, VERBATIM_MARKERS, escape_controls, one_line, one_line_keeping_markers,
    quoted,
};

/// The UTF-8 byte-order mark, accepted at the start of rule files and applicant files.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// `text` as parsers read it: a byte-order mark at its start is blanked with three spaces,
/// as many bytes as it takes, so spans found in the result point at the same bytes of
/// `text`, which diagnostics quote. Any other text is returned as it is.
pub fn blank_byte_order_mark(text: &str) -> Cow<'_, str> {
    match text.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => Cow::Owned(format!("   {rest}")),
        None => Cow::Borrowed(text),
    }
}

/// Index of a file inside a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range inside one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    /// The smallest span covering both `self` and `other` (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn to_miette(self) -> miette::SourceSpan {
        (self.start as usize, self.len()).into()
    }
}

/// One named text, shared cheaply between diagnostics.
///
/// Its line index, and the escaped text shown to people, are built the first time a
/// diagnostic is rendered, once per file, and shared by every later diagnostic.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: Arc<str>,
    /// Shared, not copied, with whoever read the file (see [`SourceFile::shared`]).
    text: Arc<String>,
    built: Arc<Built>,
}

/// What a [`SourceFile`] builds on first use.
#[derive(Debug, Default)]
struct Built {
    lines: OnceLock<LineIndex>,
    shown: OnceLock<Arc<ShownText>>,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<String>) -> SourceFile {
        SourceFile::shared(name, Arc::new(text.into()))
    }

    /// A file whose text the caller also holds: a large rule file is then held once.
    pub fn shared(name: impl Into<Arc<str>>, text: Arc<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text,
            built: Arc::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text under `span`, or an empty string if the span does not fit.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The file's line index, built on first use.
    pub fn lines(&self) -> &LineIndex {
        self.built.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column of a byte offset; the column counts characters (Unicode
    /// scalar values) from the start of the line. See [`LineIndex::line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines().line_col(&self.text, offset)
    }

    /// The column (from 1) of `offset` counted from the start of the text, as if it were one
    /// line: for a line of a JSON Lines pool, where a lone `\r` is white space inside the
    /// line, not a line break. Found through the line index, without a scan of the text.
    pub fn column_in_one_line(&self, offset: usize) -> usize {
        let offset = floor_char_boundary(&self.text, offset);
        self.lines().chars_before(&self.text, offset) + 1
    }

    /// The text as shown to people, with control characters escaped, built on first use.
    pub fn shown(&self) -> Arc<ShownText> {
        Arc::clone(
            self.built
                .shown
                .get_or_init(|| Arc::new(ShownText::new(&self.name, &self.text))),
        )
    }
}

/// Where the lines of a text start. Line endings are `\n`, `\r\n` and a lone `\r`.
///
/// Built once per text in one pass; placing an offset is then a binary search, so rendering
/// every diagnostic of a file costs O(log n) each rather than a rescan of the text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// The byte offset at which each line starts; the first is 0.
    starts: Vec<usize>,
    /// Characters before every [`CHAR_STEP`]-th byte, to count columns in long lines of
    /// non-ASCII text without scanning the line; counted the first time a column is asked
    /// for, and left empty when the text is ASCII.
    chars_before_step: OnceLock<Vec<usize>>,
}

/// The distance in bytes between two character counts kept by a [`LineIndex`].
const CHAR_STEP: usize = 256;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let crlf = bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n');
            if !crlf {
                starts.push(at + 1);
            }
        }
        LineIndex {
            starts,
            chars_before_step: OnceLock::new(),
        }
    }

    /// How many lines the text has (an empty text has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line holding byte `offset` (an offset past the end is on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte offset where 0-based `line` starts, or `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The byte offset where 0-based `line` ends, after its line ending; the text's length
    /// for the last line.
    pub fn line_end(&self, line: usize, text: &str) -> usize {
        self.line_start(line + 1).unwrap_or(text.len())
    }

    /// 1-based line and column of byte `offset` in `text` (the text the index was built
    /// from). The column counts characters from the line's start, so `é` is one column; an
    /// offset inside a character, or past the end, is clamped to a character boundary
    /// before it.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0).min(offset);
        let column = self.chars_before(text, offset) - self.chars_before(text, start);
        (line + 1, column + 1)
    }

    /// The number of characters in `text` before byte `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let steps = self.chars_before_step.get_or_init(|| count_steps(text));
        if steps.is_empty() {
            return offset;
        }
        let step = offset / CHAR_STEP;
        let counted = steps.get(step).copied().unwrap_or(0);
        let from = step * CHAR_STEP;
        counted + text.as_bytes().get(from..offset).map_or(0, count_chars)
    }
}

/// The characters before each [`CHAR_STEP`]-th byte of `text` and before its end; none for
/// ASCII text, where characters and bytes are the same.
fn count_steps(text: &str) -> Vec<usize> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut counted = 0;
    let mut steps = Vec::with_capacity(text.len() / CHAR_STEP + 2);
    for chunk in text.as_bytes().chunks(CHAR_STEP) {
        steps.push(counted);
        counted += count_chars(chunk);
    }
    // The end of a text whose length is a whole number of steps starts a step of its own.
    steps.push(counted);
    steps
}

/// Characters beginning in `bytes`: every byte that is not a UTF-8 continuation byte.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The largest character boundary of `text` at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest character boundary of `text` at or after `offset`.
pub fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// All the files of one rule set, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The text under a span, or `""` when the file or range is unknown.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file).map_or("", |f| f.slice(span))
    }
}

/// A path as shown to people, as given: with forward slashes where the system separates
/// folders with `\` (so that a report reads the same on every system), and elsewhere
/// whole, since there a `\` is part of a file's name.
pub fn path_shown(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_blanked_with_as_many_bytes() {
        let text = "\u{feff}profile x {}";
        let blanked = blank_byte_order_mark(text);
        assert_eq!(blanked, "   profile x {}");
        assert_eq!(blanked.len(), text.len());
    }

    #[test]
    fn a_text_without_one_is_unchanged() {
        assert_eq!(blank_byte_order_mark("a\u{feff}"), "a\u{feff}");
    }

    #[test]
    fn every_line_ending_starts_a_line() {
        let text = "a\nb\r\nc\rd";
        let lines = LineIndex::new(text);
        assert_eq!(lines.line_count(), 4);
        assert_eq!(lines.line_col(text, 0), (1, 1));
        assert_eq!(lines.line_col(text, 2), (2, 1));
        assert_eq!(lines.line_col(text, 3), (2, 2));
        assert_eq!(lines.line_col(text, 5), (3, 1));
        assert_eq!(lines.line_col(text, 7), (4, 1));
        assert_eq!(lines.line_col(text, 99), (4, 2));
    }

    #[test]
    fn columns_count_characters() {
        let text = format!("{}\nééé x", "ü".repeat(600));
        let lines = LineIndex::new(&text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.line_col(&text, x), (2, 5));
        assert_eq!(lines.line_col(&text, 1000), (1, 501));
        assert_eq!(lines.line_col(&text, 1001), (1, 501));
    }

    #[test]
    fn the_end_of_a_text_a_whole_number_of_steps_long_has_a_column() {
        let text = format!("é\nx{}", "ü".repeat(CHAR_STEP - 2));
        assert_eq!(text.len(), 2 * CHAR_STEP);
        let lines = LineIndex::new(&text);
        assert_eq!(lines.line_col(&text, text.len()), (2, CHAR_STEP));
    }
}
