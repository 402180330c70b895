//! Where a broken statement of a profile starts and ends, so that the profile can be read
//! again around it and its other statements still checked.
//!
//! A profile statement starts a line with its keyword; a note may go on over lines that
//! start with a quoted text or `by`, and the year of education over lines that start with
//! `or`. Any other word at the start of a line starts a statement, misspelt or not.

use super::{first_token_of_line, line_start, next_line_start, starts_a_word, starts_word};
use crate::syntax::syntax_error::PROFILE_STATEMENT_KEYWORDS;

/// Whether a profile statement's keyword, as a whole word, is at `at` (or the `}` that
/// closes the profile).
pub(super) fn starts_statement(text: &str, at: usize) -> bool {
    PROFILE_STATEMENT_KEYWORDS
        .iter()
        .any(|keyword| starts_word(text, at, keyword))
}

/// The part of the profile `text` to pass over for the syntax error at `error_at`: from the
/// start of the statement holding it to the next line that starts a statement or closes
/// the profile. `None` when the error is in the profile's first line.
pub(super) fn broken_statement(text: &str, error_at: usize) -> Option<(usize, usize)> {
    let error_line = line_start(text, error_at);
    let token = first_token_of_line(text, error_line);
    let closes = text.get(token..).is_some_and(|t| t.starts_with('}'));
    if error_at <= token && (starts_statement(text, token) || closes) {
        // A statement's keyword, or the `}`, where the statement before it should have
        // gone on: that statement is unfinished, and ends where this line starts.
        let previous = line_start(text, error_line.checked_sub(1)?);
        let from = statement_start_at_or_before(text, previous)?;
        return Some((from, error_line));
    }
    let from = statement_start_at_or_before(text, error_line)?;
    let to = next_statement_line(text, error_line).max(error_at);
    let passes_over_something = text
        .get(from..to)
        .is_some_and(|part| part.chars().any(|c| !c.is_whitespace()));
    passes_over_something.then_some((from, to))
}

/// Whether the line whose first token is at `token` starts a statement: a word that does
/// not go on with the statement above.
fn begins_statement(text: &str, token: usize) -> bool {
    starts_a_word(text, token) && !starts_word(text, token, "by") && !starts_word(text, token, "or")
}

/// The first token of the nearest line at or before `line` that starts a statement; `None`
/// when that would be the profile's first line.
fn statement_start_at_or_before(text: &str, line: usize) -> Option<usize> {
    let mut line = line;
    loop {
        if line == 0 {
            return None;
        }
        let token = first_token_of_line(text, line);
        if begins_statement(text, token) {
            return Some(token);
        }
        line = line_start(text, line - 1);
    }
}

/// The start of the first line after the one at `line` that starts a statement or closes
/// the profile; the end of the text when there is none.
fn next_statement_line(text: &str, line: usize) -> usize {
    let mut next = next_line_start(text, line);
    while next < text.len() {
        let token = first_token_of_line(text, next);
        if begins_statement(text, token) || text.get(token..).is_some_and(|t| t.starts_with('}')) {
            return next;
        }
        next = next_line_start(text, next);
    }
    text.len()
}
