//! A source text as shown to people, read by miette through a line index: rendering a
//! diagnostic costs a binary search and its snippet, never a rescan of the file, and no
//! control character in the file reaches a terminal raw.

use std::borrow::Cow;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::{LineIndex, Span, ceil_char_boundary, floor_char_boundary};

/// How far a snippet reaches before and after its span inside one long line, in bytes. A
/// longer line is cut there, so a file on one line with many diagnostics is not printed whole
/// for each.
const LONG_LINE_REACH: usize = 240;

/// A source text with control characters escaped (`\u{1b}`) and lone carriage returns
/// turned into line feeds (miette's drawing only breaks lines at `\n`), with the byte
/// shifts the escapes cause, so spans into the original text can be placed in it.
#[derive(Debug)]
pub struct ShownText {
    name: String,
    text: String,
    lines: LineIndex,
    /// For each escaped character, in order: its offset in the original text and how many
    /// bytes longer the shown text is after it.
    shifts: Vec<(usize, usize)>,
    /// For each escaped character, in order: the offset in the shown text just after its
    /// escape, and how many characters longer the shown text is up to there.
    widened: Vec<(usize, usize)>,
}

impl ShownText {
    pub fn new(name: &str, original: &str) -> ShownText {
        let mut text = String::with_capacity(original.len());
        let mut shifts = Vec::new();
        let mut widened = Vec::new();
        let mut chars = original.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => text.push(c),
                '\r' => text.push('\n'),
                _ => match escaped(c) {
                    Some(escape) => {
                        text.push_str(&escape);
                        let extra = text.len() - (at + c.len_utf8());
                        shifts.push((at, extra));
                        let before = widened.last().map_or(0, |&(_, chars)| chars);
                        widened.push((text.len(), before + escape.chars().count() - 1));
                    }
                    None => text.push(c),
                },
            }
        }
        let lines = LineIndex::new(&text);
        ShownText {
            name: escape_controls(name).into_owned(),
            text,
            lines,
            shifts,
            widened,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where byte `original` of the original text is in the shown text.
    pub fn offset(&self, original: usize) -> usize {
        let escaped_before = self.shifts.partition_point(|&(at, _)| at < original);
        let extra = escaped_before
            .checked_sub(1)
            .and_then(|last| self.shifts.get(last))
            .map_or(0, |&(_, extra)| extra);
        original + extra
    }

    /// A span of the original text, placed in the shown text.
    pub fn span(&self, span: Span) -> SourceSpan {
        let start = self.offset(span.start as usize);
        let end = self.offset(span.end as usize).max(start);
        (start, end - start).into()
    }

    /// 0-based line and column of a byte offset of the shown text. The column counts the
    /// characters of the original text, as JSON does: an escape is the one character it
    /// stands for.
    fn line_col0(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.lines.line_col(&self.text, offset);
        let line_start = self.lines.line_start(line - 1).unwrap_or(0);
        let escaped_on_line = self.widened_before(offset) - self.widened_before(line_start);
        (line - 1, (column - 1).saturating_sub(escaped_on_line))
    }

    /// How many characters longer the shown text is than the original before shown `offset`.
    fn widened_before(&self, offset: usize) -> usize {
        let escapes = self.widened.partition_point(|&(end, _)| end <= offset);
        escapes
            .checked_sub(1)
            .and_then(|last| self.widened.get(last))
            .map_or(0, |&(_, chars)| chars)
    }
}

impl SourceCode for ShownText {
    /// The lines holding `span`, with `before` and `after` lines of context, as miette's own
    /// reader gives them; a line longer than the reach either side is cut.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.lines.line_of(start);
        let last_line = self.lines.line_of(end.saturating_sub(1).max(start));
        let from = if before == 0 {
            start
        } else {
            let line = first_line.saturating_sub(before);
            self.lines.line_start(line).unwrap_or(0)
        };
        let to = if after == 0 {
            end
        } else {
            let line = (last_line + after).min(self.lines.line_count() - 1);
            self.lines.line_end(line, &self.text)
        };
        let from = from.max(floor_char_boundary(
            &self.text,
            start.saturating_sub(LONG_LINE_REACH),
        ));
        let to = to.min(ceil_char_boundary(&self.text, end + LONG_LINE_REACH));
        let data = self
            .text
            .as_bytes()
            .get(from..to)
            .ok_or(MietteError::OutOfBounds)?;
        let (line, column) = self.line_col0(from);
        let line_count = self.lines.line_of(to);
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                data,
                (from, to - from).into(),
                line,
                column,
                line_count,
            )
            .with_language("qualify"),
        ))
    }
}

/// How a character that must not reach a terminal raw is written: C0 and C1 control
/// characters other than tab and line endings, the bidirectional-text controls (the Arabic
/// letter mark among them), the zero-width space and word joiner (invisible, so two names
/// would look alike), and the Unicode line and paragraph separators (a line break to some
/// terminals and viewers), and Unicode's noncharacters (`U+FFFE`, `U+FFFF` and the like,
/// which XML, and so a well-formed page, does not allow), as `\u{…}`.
fn escaped(c: char) -> Option<String> {
    is_hidden(c).then(|| c.escape_unicode().to_string())
}

/// Whether [`escaped`] writes `c` as an escape.
fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || is_noncharacter(c)
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// A code point Unicode sets aside as never a character: `U+FDD0` to `U+FDEF`, and the last
/// two of every plane (`U+FFFE`, `U+FFFF`, `U+1FFFE`, …).
fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// `text` with every control character but tab and line feed written as `\u{…}`, for
/// messages, labels and help shown to people.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_all_but(text, &[])
}

/// The two noncharacters a rendering sets around what an applicant wrote, to be shown as
/// written (`explain::labelled` takes them out); Unicode keeps noncharacters for a
/// program's own use.
pub const VERBATIM_MARKERS: [char; 2] = ['\u{FDD0}', '\u{FDD1}'];

/// [`one_line`] for a line of a rendering still to be labelled: the markers of
/// [`VERBATIM_MARKERS`] are kept as they are.
pub fn one_line_keeping_markers(text: &str) -> Cow<'_, str> {
    one_line_all_but(text, &VERBATIM_MARKERS)
}

/// [`escape_controls`], leaving the characters of `kept` as they are.
fn escape_all_but<'t>(text: &'t str, kept: &[char]) -> Cow<'t, str> {
    let Some(first) = first_to_escape(text, kept) else {
        return Cow::Borrowed(text);
    };
    let (clean, rest) = text.split_at_checked(first).unwrap_or(("", text));
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(clean);
    for c in rest.chars() {
        match escaped(c).filter(|_| !kept.contains(&c)) {
            Some(escape) => out.push_str(&escape),
            None if c == '\r' => out.push_str("\\r"),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Where the first character [`escape_controls`] writes otherwise starts, if any.
///
/// Output for people runs to hundreds of megabytes, so the text is looked at byte by byte:
/// only a byte that can start such a character (an ASCII control, or the first byte of a
/// C1 control, `U+061C`, a `U+2000` punctuation mark or a noncharacter) is decoded and
/// weighed.
fn first_to_escape(text: &str, kept: &[char]) -> Option<usize> {
    let bytes = text.as_bytes();
    let table: &[bool; 256] = &MAY_START_ESCAPE;
    let may_start_escape = |b: &u8| table.get(usize::from(*b)).copied().unwrap_or(true);
    let mut at = 0;
    while let Some(offset) = bytes.get(at..)?.iter().position(may_start_escape) {
        let start = at + offset;
        let c = text.get(start..)?.chars().next()?;
        if c == '\r' || (is_hidden(c) && !kept.contains(&c)) {
            return Some(start);
        }
        at = start + c.len_utf8();
    }
    None
}

/// Whether each byte value can be the first byte of a character [`escape_controls`]
/// escapes: the scan of a large text makes one lookup per byte.
static MAY_START_ESCAPE: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|b| u8::try_from(b).map_or(true, starts_escape))
});

/// The bytes that can start a character [`escape_controls`] escapes (an ASCII control, or
/// the first byte of a C1 control, `U+061C`, a `U+2000` punctuation mark or a
/// noncharacter).
const fn starts_escape(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0B..=0x1F | 0x7F | 0xC2 | 0xD8 | 0xE2 | 0xEF | 0xF0..=0xF4)
}

/// The longest name or value a message quotes whole, in characters: past it a message
/// quotes the start and `…`, and the label under the text shows where it is.
pub const QUOTED_CHARS: usize = 80;

/// `text` cut to [`QUOTED_CHARS`] characters and `…` when it is longer, for a message that
/// quotes a name or value someone wrote.
pub fn quoted(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", text.get(..end).unwrap_or(text))),
        None => Cow::Borrowed(text),
    }
}

/// `text` as one line of a report, for a value an applicant wrote (a name, an id, a job
/// title): as [`escape_controls`], and line breaks and tabs written as `\n`, `\r` and
/// `\t`, so that the value can neither start a line of its own nor move the cursor.
pub fn one_line(text: &str) -> Cow<'_, str> {
    one_line_all_but(text, &[])
}

/// [`one_line`], leaving the characters of `kept` as they are.
fn one_line_all_but<'t>(text: &'t str, kept: &[char]) -> Cow<'t, str> {
    if !text.contains(['\n', '\r', '\t']) {
        return escape_all_but(text, kept);
    }
    let flat = text
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t");
    Cow::Owned(escape_all_but(&flat, kept).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    /// Every character in the planes that hold what must be escaped, and around them.
    fn every_character_near_the_escaped() -> impl Iterator<Item = char> {
        [
            0..0x800,
            0x2000..0x2100,
            0xFD00..0x10000,
            0x1FF00..0x20000,
            0x10FF00..0x110000,
        ]
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
    }

    #[test]
    fn the_byte_scan_finds_what_a_character_scan_finds() {
        for c in every_character_near_the_escaped() {
            let text = format!("ab “{c}” x");
            let by_character = text
                .char_indices()
                .find(|&(_, c)| c == '\r' || escaped(c).is_some())
                .map(|(at, _)| at);
            assert_eq!(
                first_to_escape(&text, &[]),
                by_character,
                "U+{:04X}",
                u32::from(c)
            );
            let written: String = text
                .chars()
                .map(|c| match escaped(c) {
                    Some(escape) => escape,
                    None if c == '\r' => "\\r".to_string(),
                    None => c.to_string(),
                })
                .collect();
            assert_eq!(escape_controls(&text), written, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn every_escaped_character_starts_with_a_byte_the_scan_looks_at() {
        let mut buffer = [0u8; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if c == '\r' || is_hidden(c) {
                let first = c.encode_utf8(&mut buffer).as_bytes().first().copied();
                assert!(
                    first.is_some_and(|b| MAY_START_ESCAPE.get(usize::from(b)) == Some(&true)),
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn quoted_values_are_cut_at_a_character_boundary() {
        assert_eq!(quoted("short"), "short");
        let long = "é".repeat(QUOTED_CHARS + 5);
        assert_eq!(quoted(&long), format!("{}…", "é".repeat(QUOTED_CHARS)));
        assert_eq!(quoted(&"x".repeat(QUOTED_CHARS)), "x".repeat(QUOTED_CHARS));
    }

    #[test]
    fn one_line_escapes_line_breaks_tabs_and_controls() {
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line("a\nb\r\tc\u{1b}[2J"), "a\\nb\\r\\tc\\u{1b}[2J");
        assert_eq!(one_line("a\u{2028}b\u{2029}c"), "a\\u{2028}b\\u{2029}c");
        assert_eq!(
            one_line("a\u{61c}b\u{200b}c\u{2060}d"),
            "a\\u{61c}b\\u{200b}c\\u{2060}d"
        );
    }

    #[test]
    fn noncharacters_are_escaped_and_their_neighbours_kept() {
        assert_eq!(
            one_line("a\u{fffe}b\u{ffff}c\u{fdd0}d\u{10ffff}e"),
            "a\\u{fffe}b\\u{ffff}c\\u{fdd0}d\\u{10ffff}e"
        );
        assert_eq!(
            one_line("\u{fffd}\u{fdcf}\u{fdf0}\u{fffc}"),
            "\u{fffd}\u{fdcf}\u{fdf0}\u{fffc}"
        );
    }

    #[test]
    fn escapes_controls_and_shifts_spans_past_them() {
        let shown = ShownText::new("f", "a\u{1b}[31mb\u{0}c");
        assert_eq!(shown.text(), "a\\u{1b}[31mb\\u{0}c");
        let b = Span::new(FileId(0), 6, 7);
        let range = shown.span(b);
        assert_eq!(
            shown
                .text()
                .get(range.offset()..range.offset() + range.len()),
            Some("b")
        );
        let escape = Span::new(FileId(0), 1, 2);
        let range = shown.span(escape);
        assert_eq!(
            shown
                .text()
                .get(range.offset()..range.offset() + range.len()),
            Some("\\u{1b}")
        );
    }

    #[test]
    fn columns_count_an_escape_as_the_character_it_stands_for() {
        let shown = ShownText::new("f", "x\n\u{1b}[2Jab\u{7}c");
        let c = Span::new(FileId(0), 9, 10);
        let contents = shown.read_span(&shown.span(c), 0, 0).unwrap();
        assert_eq!(contents.data(), b"c");
        assert_eq!((contents.line(), contents.column()), (1, 7));
    }

    #[test]
    fn file_names_are_shown_escaped() {
        let shown = ShownText::new("a\u{1b}[2J.qual", "x");
        let contents = shown.read_span(&(0, 1).into(), 0, 0).unwrap();
        assert_eq!(contents.name(), Some("a\\u{1b}[2J.qual"));
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        let shown = ShownText::new("f", "a\rb\r\nc");
        assert_eq!(shown.text(), "a\nb\r\nc");
    }

    #[test]
    fn reads_the_lines_around_a_span() {
        let shown = ShownText::new("f", "one\ntwo\nthree\nfour\n");
        let contents = shown.read_span(&(8, 5).into(), 1, 1).unwrap();
        assert_eq!(contents.data(), b"two\nthree\nfour\n");
        assert_eq!((contents.line(), contents.column()), (1, 0));
        let contents = shown.read_span(&(9, 2).into(), 0, 0).unwrap();
        assert_eq!(contents.data(), b"hr");
        assert_eq!((contents.line(), contents.column()), (2, 1));
    }

    #[test]
    fn cuts_long_lines_around_the_span() {
        let text = format!("{}key{}", "x".repeat(5000), "y".repeat(5000));
        let shown = ShownText::new("f", &text);
        let contents = shown.read_span(&(5000, 3).into(), 1, 1).unwrap();
        assert_eq!(contents.data().len(), 3 + 2 * LONG_LINE_REACH);
        assert_eq!(contents.column(), 5000 - LONG_LINE_REACH);
    }

    #[test]
    fn message_text_keeps_line_feeds_and_escapes_the_rest() {
        assert_eq!(escape_controls("a\nb\tc"), "a\nb\tc");
        assert_eq!(escape_controls("a\u{1b}b\rc"), "a\\u{1b}b\\rc");
    }
}
