//! Recovery inside a class: after a syntax error, the broken statement is passed over and the
//! rest of the class is read again, so its other levels, tiers and statements are still
//! checked and every later syntax error in it is reported in the same run.
//!
//! This runs only for a class that failed to parse. The statement holding the error (a tier,
//! a level's header, a class statement) is blanked out with spaces, which keeps every offset
//! and line of the text, and the class is parsed again; each further error blanks one more
//! statement, up to [`MAX_RECOVERIES`].

use pest::Parser;

use super::ast::{Class, Item};
use super::build::Builder;
use super::parser::{Rule, RuleParser, parse_in_detail};
use super::syntax_error::{self, Whole};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// The most statements passed over in one class; a class with more errors is skipped from
/// there on to the next item, which keeps the work for one class linear in its length.
const MAX_RECOVERIES: usize = 32;

/// Words that start a statement inside a class: a level, a tier or a class statement. After
/// a syntax error, reading resumes at the next line that starts with one of them (or `}`).
const STATEMENT_KEYWORDS: [&str; 13] = [
    "level",
    "minimum",
    "recommended",
    "profile",
    "source",
    "established",
    "revised",
    "effective",
    "statutory",
    "pay",
    "bargaining",
    "civil",
    "board",
];

/// A class read again around its broken statements.
pub(crate) struct RecoveredClass {
    pub(crate) class: Item,
    /// The end of the class in the file.
    pub(crate) end: usize,
    /// The syntax errors after the first one.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The statements passed over, in the file.
    pub(crate) passed_over: Vec<Span>,
}

/// Reads the class at `start` (up to `limit`, where the next item starts) again around its
/// broken statements, given the offset of its first syntax error. `None` when the error is
/// in the class's own header, or the class cannot be made to parse this way; the caller then
/// skips the whole item.
pub(crate) fn class(
    file: FileId,
    text: &str,
    start: usize,
    limit: usize,
    first_error: usize,
) -> Option<RecoveredClass> {
    let region = text.get(start..limit)?;
    if !region.starts_with("class") || !(start..limit).contains(&first_error) {
        return None;
    }
    let mut repaired = region.to_owned();
    let mut error_at = first_error - start;
    let mut diagnostics = Vec::new();
    let mut passed_over = Vec::new();
    for _ in 0..MAX_RECOVERIES {
        let (from, to) = broken_statement(&repaired, error_at)?;
        blank(&mut repaired, from, to);
        passed_over.push(Span::new(file, start + from, start + to));
        let parsed = RuleParser::parse(Rule::next_item, &repaired);
        match parsed {
            Ok(pairs) => {
                let item = pairs.flatten().find(|p| p.as_rule() == Rule::item)?;
                let end = start + item.as_span().end();
                let mut built = Builder::new(file, start).item(item).ok()?;
                if let Item::Class(Class { broken_parts, .. }) = &mut built {
                    broken_parts.clone_from(&passed_over);
                }
                return Some(RecoveredClass {
                    class: built,
                    end,
                    diagnostics,
                    passed_over,
                });
            }
            Err(_) => {
                let error = parse_in_detail(&repaired).err()?;
                let (diagnostic, at) = syntax_error::describe_shifted(
                    file,
                    &repaired,
                    0,
                    start,
                    &error,
                    Whole::RuleFile,
                );
                diagnostics.push(diagnostic);
                error_at = at.checked_sub(start)?;
            }
        }
    }
    None
}

/// Replaces `text[from..to]` with spaces, keeping line ends, so offsets and lines stay.
fn blank(text: &mut String, from: usize, to: usize) {
    // A character wider than one byte becomes as many spaces as it had bytes.
    let blanked: String = text
        .get(from..to)
        .unwrap_or("")
        .chars()
        .map(|c| match c {
            '\n' | '\r' => c.to_string(),
            _ => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(from..to, &blanked);
}

/// The part of `text` to pass over for the syntax error at `error_at`: from the start of
/// the statement holding the error to the next line that starts a statement or closes a
/// block. `None` when the error is in the class's first line or nothing would be passed
/// over.
fn broken_statement(text: &str, error_at: usize) -> Option<(usize, usize)> {
    let error_line = line_start(text, error_at);
    let first_token = first_token_of_line(text, error_line);
    let closes_block = text.get(first_token..).is_some_and(|t| t.starts_with('}'));
    if error_at <= first_token && (starts_statement(text, first_token) || closes_block) {
        // The error is at a statement's first word or a `}`: the statement before it is
        // unfinished, and ends where this line starts.
        let from = statement_start_before(text, error_line)?;
        return (from > 0).then_some((from, error_line));
    }
    let from = if error_at <= first_token {
        first_token
    } else {
        statement_start_at_or_before(text, error_line)?
    };
    let to = if starts_word(text, from, "level") {
        level_end(text, from, error_line)
    } else {
        next_statement_line(text, error_line)
    }
    .max(error_at);
    let passes_over_something = text
        .get(from..to)
        .is_some_and(|part| part.chars().any(|c| !c.is_whitespace()));
    (from > 0 && passes_over_something).then_some((from, to))
}

/// The first token of the nearest line at or before `line` that starts a statement; `None`
/// when that would be the class's first line.
fn statement_start_at_or_before(text: &str, line: usize) -> Option<usize> {
    let mut line = line;
    loop {
        let token = first_token_of_line(text, line);
        if line == 0 {
            return None;
        }
        if starts_statement(text, token) {
            return Some(token);
        }
        line = line_start(text, line - 1);
    }
}

/// Like [`statement_start_at_or_before`], from the line before `line`.
fn statement_start_before(text: &str, line: usize) -> Option<usize> {
    let previous = line.checked_sub(1)?;
    statement_start_at_or_before(text, line_start(text, previous))
}

/// The start of the first line after the one at `line` that starts a statement or closes a
/// block with `}`; the end of the text when there is none.
fn next_statement_line(text: &str, line: usize) -> usize {
    let mut next = next_line_start(text, line);
    while next < text.len() {
        let token = first_token_of_line(text, next);
        if starts_statement(text, token) || text.get(token..).is_some_and(|t| t.starts_with('}')) {
            return next;
        }
        next = next_line_start(text, next);
    }
    text.len()
}

/// The end of the level whose header starts at `level` and holds a syntax error on the line
/// at `error_line`: the start of the next line, after that one, that starts another level
/// or a class statement, or that closes a block indented less than the level (the class).
/// A level whose header is broken is passed over whole, with its tiers.
fn level_end(text: &str, level: usize, error_line: usize) -> usize {
    let indent = level - line_start(text, level);
    let mut next = next_line_start(text, error_line);
    while next < text.len() {
        let token = first_token_of_line(text, next);
        let is_tier =
            starts_word(text, token, "minimum") || starts_word(text, token, "recommended");
        let closes_outer =
            text.get(token..).is_some_and(|t| t.starts_with('}')) && token - next < indent;
        if (starts_statement(text, token) && !is_tier) || closes_outer {
            return next;
        }
        next = next_line_start(text, next);
    }
    text.len()
}

/// Whether a statement keyword, as a whole word, is at `at`.
fn starts_statement(text: &str, at: usize) -> bool {
    STATEMENT_KEYWORDS
        .iter()
        .any(|keyword| starts_word(text, at, keyword))
}

/// Whether `word`, as a whole word, is at `at`.
fn starts_word(text: &str, at: usize, word: &str) -> bool {
    text.get(at..)
        .and_then(|rest| rest.strip_prefix(word))
        .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}

/// The offset of the first character of the line at `line` that is not a space or a tab.
fn first_token_of_line(text: &str, line: usize) -> usize {
    let rest = text.get(line..).unwrap_or("");
    line + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
}

/// The start of the line holding `pos`.
fn line_start(text: &str, pos: usize) -> usize {
    text.get(..pos)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |n| n + 1)
}

/// The start of the line after the one holding `pos`, or the end of the text.
fn next_line_start(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |n| pos + n + 1)
}
