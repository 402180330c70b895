//! Reads a statement that spans several lines, one line at a time, in time linear in its
//! length, and refuses a statement longer than [`MAX_STATEMENT_BYTES`].
//!
//! A statement continues on the next line when its line ends in `\`, or while a `(` is not
//! closed (outside quotes, which pair within a line). An empty line ends a statement
//! regardless. The reader keeps the open-paren depth between lines, so each line is scanned
//! once, whatever the length of the statement before it.

use crate::syntax::MAX_EXPRESSION_BYTES;

use super::{ReplError, Response};

/// The longest statement the REPL reads, in bytes with the line breaks between its lines:
/// the longest requirement expression the rule language accepts.
pub const MAX_STATEMENT_BYTES: usize = MAX_EXPRESSION_BYTES;

/// Characters a `\` may be followed by at the end of a line that continues.
const TRAILING_BLANKS: [char; 3] = [' ', '\t', '\r'];

/// What one more line does to the statement being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The statement continues on the next line.
    More,
    /// The statement is complete: its lines, joined with `\n`.
    Statement(String),
    /// The statement is complete but longer than [`MAX_STATEMENT_BYTES`]; it was not kept.
    TooLong(TooLong),
}

/// A statement refused for its length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong {
    /// The start of its first line, for a transcript.
    pub first_line: String,
    /// Its length in bytes, with the line breaks between its lines.
    pub bytes: usize,
    /// How many lines it spans.
    pub lines: usize,
}

impl TooLong {
    /// The refusal of `text`, a whole statement longer than the limit.
    pub fn of(text: &str) -> TooLong {
        TooLong {
            first_line: shown_start(text.split('\n').next().unwrap_or_default()),
            bytes: text.len(),
            lines: text.split('\n').count(),
        }
    }

    /// The error shown for the statement; the session goes on.
    pub fn error(&self) -> ReplError {
        ReplError::new(format!(
            "statement of {} line(s) is {} bytes, more than the limit of {MAX_STATEMENT_BYTES}; \
             it was skipped",
            self.lines, self.bytes
        ))
        .with_help(
            "a statement continues while a `(` is open or its line ends in `\\`; \
             an empty line ends it",
        )
    }

    pub fn response(&self) -> Response {
        self.error().into()
    }
}

/// How many characters of a refused statement's first line are kept to show it.
const SHOWN_CHARS: usize = 60;

/// The statement being read, line by line.
#[derive(Clone, Debug, Default)]
pub struct StatementReader {
    /// The lines so far, while within the limit.
    text: String,
    /// Its length in bytes, kept or not.
    bytes: usize,
    lines: usize,
    /// `(` minus `)` outside quotes, over the lines so far.
    depth: i64,
    /// Set once the statement passed the limit: the start of its first line.
    refused: Option<String>,
}

impl StatementReader {
    pub fn new() -> StatementReader {
        StatementReader::default()
    }

    /// Whether no line of a statement has been read yet.
    pub fn is_empty(&self) -> bool {
        self.lines == 0
    }

    /// Adds one line (without its line break).
    pub fn push_line(&mut self, line: &str) -> Step {
        self.depth = self.depth.saturating_add(paren_balance(line));
        self.grow(line.len(), line);
        if self.refused.is_none() {
            if self.lines > 1 {
                self.text.push('\n');
            }
            self.text.push_str(line);
        }
        let ends = (self.lines > 1 && line.trim().is_empty())
            || !(continues_with_backslash(line) || self.depth > 0);
        if ends { self.finish() } else { Step::More }
    }

    /// Adds a line longer than [`MAX_STATEMENT_BYTES`], which the caller did not keep: the
    /// statement it belongs to is refused, and it ends with this line.
    pub fn push_overlong_line(&mut self, bytes: usize) -> Step {
        self.grow(bytes, "");
        self.refuse("");
        self.finish()
    }

    /// Ends the input: the statement read so far, if any, as a whole.
    pub fn end_of_input(&mut self) -> Option<Step> {
        (!self.is_empty()).then(|| self.finish())
    }

    /// Counts one more line of `line_bytes` bytes; `line` is its text, if kept.
    fn grow(&mut self, line_bytes: usize, line: &str) {
        let separator = usize::from(self.lines > 0);
        self.bytes = self
            .bytes
            .saturating_add(line_bytes)
            .saturating_add(separator);
        self.lines = self.lines.saturating_add(1);
        if self.bytes > MAX_STATEMENT_BYTES {
            self.refuse(line);
        }
    }

    /// Drops the text kept so far; `line` is the line being added, shown when it is the first.
    fn refuse(&mut self, line: &str) {
        if self.refused.is_none() {
            let first_line = match self.text.split('\n').next() {
                Some(first) if !self.text.is_empty() => first,
                _ => line,
            };
            self.refused = Some(shown_start(first_line));
            self.text = String::new();
        }
    }

    fn finish(&mut self) -> Step {
        let done = std::mem::take(self);
        match done.refused {
            None => Step::Statement(done.text),
            Some(first_line) => Step::TooLong(TooLong {
                first_line,
                bytes: done.bytes,
                lines: done.lines,
            }),
        }
    }
}

/// Whether `text`, typed so far, is an unfinished statement. Text longer than the limit is
/// finished, so that it is refused rather than read further.
pub fn needs_more(text: &str) -> bool {
    if text.len() > MAX_STATEMENT_BYTES {
        return false;
    }
    let mut reader = StatementReader::new();
    text.split('\n')
        .map(|line| reader.push_line(line))
        .last()
        .is_some_and(|step| step == Step::More)
}

/// The start of a refused statement's first line, to show it.
fn shown_start(line: &str) -> String {
    line.chars().take(SHOWN_CHARS).collect()
}

/// `(` minus `)` in the code of `line` (see [`code_of`]), outside quotes.
fn paren_balance(line: &str) -> i64 {
    let mut balance = 0i64;
    for (byte, in_string) in code_bytes(line) {
        match byte {
            b'(' if !in_string => balance = balance.saturating_add(1),
            b')' if !in_string => balance = balance.saturating_sub(1),
            _ => {}
        }
    }
    balance
}

/// `line` without its comment: a `#` outside quotes starts a comment that runs to the end
/// of the line, as in rule text, so nothing in it opens a parenthesis or continues the line.
fn code_of(line: &str) -> &str {
    let end = code_bytes(line).count();
    line.get(..end).unwrap_or(line)
}

/// The bytes of `line` before its comment, each with whether it is inside quotes. A `\`
/// inside quotes escapes the next byte (`\"` does not close them); a quote left open ends
/// at the end of the line.
fn code_bytes(line: &str) -> impl Iterator<Item = (u8, bool)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    line.bytes()
        .map(move |byte| {
            let inside = in_string;
            match byte {
                _ if escaped => escaped = false,
                b'\\' if in_string => escaped = true,
                b'"' => in_string = !in_string,
                _ => {}
            }
            (byte, inside)
        })
        .take_while(|&(byte, inside)| inside || byte != b'#')
}

fn continues_with_backslash(line: &str) -> bool {
    code_of(line)
        .trim_end_matches(TRAILING_BLANKS)
        .ends_with('\\')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    fn read(lines: &[&str]) -> Vec<Step> {
        let mut reader = StatementReader::new();
        lines.iter().map(|line| reader.push_line(line)).collect()
    }

    #[test]
    fn a_comment_or_a_quoted_parenthesis_opens_nothing() {
        assert_eq!(paren_balance("# a comment ("), 0);
        assert_eq!(paren_balance("associate # or (bachelor"), 0);
        assert_eq!(paren_balance(r#":add job "a \" (" ("#), 1);
        assert_eq!(paren_balance(r#":add job "C# (x)" (y"#), 1);
        assert_eq!(code_of("bachelor and \\ # note"), "bachelor and \\ ");
        assert!(continues_with_backslash("bachelor and \\ # note"));
        assert!(!continues_with_backslash("# a note \\"));
    }

    #[test]
    fn open_paren_continues_until_closed() {
        let steps = read(&["(associate or", "bachelor)"]);
        assert_eq!(
            steps,
            [
                Step::More,
                Step::Statement("(associate or\nbachelor)".into())
            ]
        );
    }

    #[test]
    fn empty_line_ends_a_statement_regardless() {
        let steps = read(&["(associate or", "  "]);
        assert_eq!(steps[1], Step::Statement("(associate or\n  ".into()));
    }

    #[test]
    fn a_first_line_with_nothing_open_is_a_statement() {
        assert_eq!(read(&[""]), [Step::Statement(String::new())]);
        assert_eq!(read(&[")("]), [Step::Statement(")(".into())]);
    }

    #[test]
    fn backslash_continues_and_quotes_hide_parens() {
        let steps = read(&["associate and \\ ", "\"(\" and", "x"]);
        assert_eq!(
            steps,
            [
                Step::More,
                Step::Statement("associate and \\ \n\"(\" and".into()),
                Step::Statement("x".into()),
            ]
        );
    }

    #[test]
    fn a_statement_past_the_limit_is_skipped_to_its_end() {
        let mut reader = StatementReader::new();
        let lines = MAX_STATEMENT_BYTES / 2 + 1;
        for _ in 0..lines {
            assert_eq!(reader.push_line("("), Step::More);
        }
        let Step::TooLong(refused) = reader.push_line("") else {
            panic!("not refused");
        };
        assert_eq!(refused.first_line, "(");
        assert_eq!(refused.lines, lines + 1);
        assert_eq!(refused.bytes, 2 * lines);
        assert_eq!(reader.push_line(":date"), Step::Statement(":date".into()));
    }

    #[test]
    fn an_overlong_line_ends_its_statement() {
        let mut reader = StatementReader::new();
        assert_eq!(reader.push_line("(a"), Step::More);
        let step = reader.push_overlong_line(MAX_STATEMENT_BYTES + 1);
        assert!(matches!(step, Step::TooLong(TooLong { lines: 2, .. })));
        assert!(reader.is_empty());
    }

    #[test]
    fn end_of_input_gives_the_unfinished_statement() {
        let mut reader = StatementReader::new();
        assert_eq!(reader.end_of_input(), None);
        reader.push_line("(a");
        assert_eq!(reader.end_of_input(), Some(Step::Statement("(a".into())));
    }

    #[test]
    fn needs_more_stops_at_the_limit() {
        assert!(needs_more("(a"));
        assert!(!needs_more(&"(".repeat(MAX_STATEMENT_BYTES + 1)));
    }
}
