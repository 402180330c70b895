//! The tokens of rule text as the formatter sees them: words, strings, punctuation and
//! comments, each with its byte offsets. The grammar treats comments as white space, so the
//! formatter finds them here, and compares the tokens of its output with those of its input.

use std::ops::Range;

use rayon::prelude::*;

use crate::syntax::ast::{FieldMember, Item, RuleFile};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A run of characters other than white space, quotes, `#` and punctuation: a keyword,
    /// a name, a number, a date or a code.
    Word,
    /// A quoted string, quotes and escapes included.
    Str,
    /// One of `{ } ( ) : ,`.
    Punct,
    /// A comment, from `#` to the end of its line, trailing white space left out.
    Comment,
}

/// One token of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'t> {
    pub kind: TokenKind,
    pub text: &'t str,
    pub start: usize,
    /// Whether a line break separates it from the token before (or it is the first token).
    pub starts_line: bool,
    /// Whether a blank line separates it from the token before.
    pub blank_before: bool,
    /// For a token that starts a line, the white space before it on the line, in bytes.
    pub indent: usize,
}

fn is_punct(c: u8) -> bool {
    matches!(c, b'{' | b'}' | b'(' | b')' | b':' | b',')
}

/// Every token of `text`, in order. White space is any of the grammar's (space, tab, line
/// feed, carriage return) and any other ASCII white space; everything else is a token.
pub(crate) fn tokens(text: &str) -> Vec<Token<'_>> {
    tokens_between(text, 0..text.len())
}

/// Every token of `text`, as [`tokens`] gives them, read in parts (see
/// [`crate::syntax::parts`]) on several threads when the text is large. No token spans two
/// parts, so the tokens of the parts, joined, are the tokens of the text.
pub(crate) fn tokens_in_parts(text: &str) -> Vec<Token<'_>> {
    let parts = crate::syntax::parts(text, crate::syntax::PART_BYTES);
    if parts.len() < 2 {
        return tokens(text);
    }
    let read: Vec<Vec<Token<'_>>> = parts
        .into_par_iter()
        .map(|part| tokens_between(text, part))
        .collect();
    let mut joined = Vec::with_capacity(read.iter().map(Vec::len).sum());
    for part in read {
        joined.extend(part);
    }
    joined
}

/// The tokens of `text` that start in `range`, which must start at a token or in white
/// space (as the parts of a text do).
fn tokens_between(text: &str, range: std::ops::Range<usize>) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let head = bytes.get(..range.start).unwrap_or_default();
    // The line breaks in the white space just before the range, as reading from the start
    // would have counted them; two more when nothing but white space comes before.
    let space_before = head
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |n| n + 1);
    let first_in_text = space_before == 0;
    let mut breaks = usize::from(first_in_text) * 2
        + (space_before..range.start)
            .filter(|&i| is_line_break(bytes, i))
            .count();
    // The white space on the range's first line before it.
    let mut indent = head
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(range.start, |at| range.start - at - 1);
    // About one token in six bytes of rule text; a guess, to grow the list less often.
    let mut found = Vec::with_capacity(range.len() / 6);
    let mut at = range.start;
    while let Some(&byte) = bytes.get(at).filter(|_| at < range.end) {
        if byte.is_ascii_whitespace() {
            if is_line_break(bytes, at) {
                breaks += 1;
                indent = 0;
            } else {
                indent += 1;
            }
            at += 1;
            continue;
        }
        let start = at;
        let kind = match byte {
            b'#' => {
                at = line_end(bytes, at);
                TokenKind::Comment
            }
            b'"' => {
                at = string_end(bytes, at);
                TokenKind::Str
            }
            c if is_punct(c) => {
                at += 1;
                TokenKind::Punct
            }
            _ => {
                at = word_end(bytes, at);
                TokenKind::Word
            }
        };
        let raw = text.get(start..at).unwrap_or("");
        let raw = if kind == TokenKind::Comment {
            raw.trim_end()
        } else {
            raw
        };
        found.push(Token {
            kind,
            text: raw,
            start,
            starts_line: breaks > 0,
            blank_before: breaks > 1 && !(first_in_text && found.is_empty()),
            indent,
        });
        breaks = 0;
    }
    found
}

/// Whether the byte at `at` ends a line: a line feed, or a carriage return not followed by
/// one.
fn is_line_break(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(at + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The offset of the line feed or carriage return ending the line `at` is on, or the end.
fn line_end(bytes: &[u8], at: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', bytes.get(at..).unwrap_or(&[])).map_or(bytes.len(), |n| at + n)
}

/// The offset just past the string starting at `at` (a string holds no line break).
fn string_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'"' => return i + 1,
            b'\\' => i += 2,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len().min(i)
}

/// The offset just past the word starting at `at`. A word ends at white space, a quote,
/// a `#` or punctuation; it never ends inside a character, as all of those are ASCII.
fn word_end(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    rest.iter()
        .position(|&c| ends_word(c))
        .map_or(bytes.len(), |n| at + n)
}

/// The bytes a word ends at, one bit each: white space (as `u8::is_ascii_whitespace` has
/// it), quotes, `#` and punctuation. A test of one bit per byte of a word instead of several
/// comparisons.
const WORD_ENDS: u128 = bit(b'\t')
    | bit(b'\n')
    | bit(0x0c)
    | bit(b'\r')
    | bit(b' ')
    | bit(b'"')
    | bit(b'#')
    | bit(b'{')
    | bit(b'}')
    | bit(b'(')
    | bit(b')')
    | bit(b':')
    | bit(b',');

const fn bit(c: u8) -> u128 {
    1 << c
}

fn ends_word(c: u8) -> bool {
    c < 128 && (WORD_ENDS >> c) & 1 == 1
}

/// The tokens that decide what a rule file says, for comparing a formatted text with the
/// text it came from: every token but comments (compared apart, as a comment in the middle
/// of a statement moves to the end of its line), the commas between field-set members
/// (optional: `separators` holds the byte ranges of the field-set bodies where a comma
/// separates members, see [`member_separators`]) and the `an` of `an equivalent
/// combination` (optional too). Every other comma counts: between the spellings after
/// `also`, or between pooled categories.
pub(crate) fn meaningful<'t>(
    tokens: &'t [Token<'t>],
    separators: &'t [Range<usize>],
) -> impl Iterator<Item = &'t Token<'t>> {
    tokens.iter().enumerate().filter_map(move |(i, token)| {
        let next_is_equivalent = || {
            tokens
                .get(i + 1..)
                .unwrap_or(&[])
                .iter()
                .find(|next| next.kind != TokenKind::Comment)
                .is_some_and(|next| next.text == "equivalent")
        };
        let separator = token.kind == TokenKind::Punct
            && token.text == ","
            && in_ranges(separators, token.start);
        let optional = token.kind == TokenKind::Comment
            || separator
            || (token.kind == TokenKind::Word && token.text == "an" && next_is_equivalent());
        (!optional).then_some(token)
    })
}

/// Whether `pos` lies in one of `ranges`, which are in order and do not overlap (as
/// [`member_separators`] gives them): a binary search, so that comparing a file with many
/// field sets stays linear.
fn in_ranges(ranges: &[Range<usize>], pos: usize) -> bool {
    ranges
        .get(ranges.partition_point(|range| range.end <= pos))
        .is_some_and(|range| range.contains(&pos))
}

/// The byte ranges of a parsed file where a comma can only separate two field-set members:
/// each field set's span, less the spans from the first to the last spelling of each of its
/// fields (a comma there separates spellings). They come in order, without overlapping.
pub(crate) fn member_separators(parsed: &RuleFile) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for item in &parsed.items {
        let Item::FieldSet(set) = item else {
            continue;
        };
        let mut start = set.span.start as usize;
        for member in &set.members {
            let FieldMember::Field { spellings, .. } = member else {
                continue;
            };
            if let (Some(first), Some(last)) = (spellings.first(), spellings.last()) {
                ranges.push(start..first.span.start as usize);
                start = last.span.end as usize;
            }
        }
        ranges.push(start..set.span.end as usize);
    }
    ranges
}

/// The comments of the text, in order.
pub(crate) fn comments<'t>(tokens: &'t [Token<'t>]) -> impl Iterator<Item = &'t Token<'t>> {
    tokens.iter().filter(|t| t.kind == TokenKind::Comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_strings_punctuation_and_comments() {
        let text = "fields f \"a \\\" # b\" { # note  \n\n  x, y }";
        let found: Vec<_> = tokens(text).iter().map(|t| (t.kind, t.text)).collect();
        assert_eq!(
            found,
            vec![
                (TokenKind::Word, "fields"),
                (TokenKind::Word, "f"),
                (TokenKind::Str, "\"a \\\" # b\""),
                (TokenKind::Punct, "{"),
                (TokenKind::Comment, "# note"),
                (TokenKind::Word, "x"),
                (TokenKind::Punct, ","),
                (TokenKind::Word, "y"),
                (TokenKind::Punct, "}"),
            ]
        );
        let lines: Vec<_> = tokens(text)
            .iter()
            .map(|t| (t.starts_line, t.blank_before))
            .collect();
        assert_eq!(lines.get(4), Some(&(false, false)));
        assert_eq!(lines.get(5), Some(&(true, true)));
    }

    #[test]
    fn a_word_ends_at_white_space_quotes_hashes_and_punctuation() {
        for c in 0..=u8::MAX {
            let expected = c.is_ascii_whitespace() || c == b'"' || c == b'#' || is_punct(c);
            assert_eq!(ends_word(c), expected, "byte {c}");
        }
    }

    /// Read from any line start on, the tokens are those read from the start of the text,
    /// whatever white space, comments and blank lines come before.
    #[test]
    fn tokens_read_in_parts_are_the_tokens_of_the_whole() {
        let text =
            "\n\n# a  \r\n\r\nclass X {\n\n  \"s\" # b\r  y\n}\n\n\n# c\nfields f { z }  \n\n";
        let whole = tokens(text);
        let line_starts =
            (1..text.len()).filter(|&i| matches!(text.as_bytes()[i - 1], b'\n' | b'\r'));
        for cut in std::iter::once(0).chain(line_starts) {
            let mut joined = tokens_between(text, 0..cut);
            joined.extend(tokens_between(text, cut..text.len()));
            assert_eq!(joined, whole, "cut at {cut}");
        }
        let large = text.repeat(4000);
        assert!(crate::syntax::parts(&large, crate::syntax::PART_BYTES).len() > 1);
        assert_eq!(tokens_in_parts(&large), tokens(&large));
    }

    #[test]
    fn a_position_is_found_in_ordered_ranges() {
        let ranges = [2..4, 4..4, 6..9, 9..9, 12..13];
        for pos in 0..15 {
            let expected = ranges.iter().any(|r| r.contains(&pos));
            assert_eq!(in_ranges(&ranges, pos), expected, "{pos}");
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let found = tokens("# a\r# b\r\nx");
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|t| t.starts_line));
    }
}
