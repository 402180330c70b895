//! `qualify fmt`'s library: rule text in, the same rules in one canonical layout out.
//!
//! It works on the syntax layer alone (no checking). The layout: two spaces of indentation
//! per block; one statement, field, tier line, citation line, note, `allow` and clause per
//! line (see `annotations` for where notes go); the strings of a text one per line, aligned
//! under the first; a requirement or combination that does
//! not fit in [`WIDTH`] columns broken before its `and`s and `or`s; one blank line between
//! items, levels and tiers, and the writer's single blank lines elsewhere outside tiers.
//! Comments stay between the same tokens they were written between (see `layout`).
//!
//! Every result is checked before it is returned: the output must parse without a
//! diagnostic, and its tokens must be the input's, in the same order (up to the optional
//! commas between field-set members and the optional `an` of `an equivalent combination`;
//! a comma between a field's spellings is not optional, and counts).
//! A syntax node the formatter did not print would fail that check (Q701), never be dropped.
//!
//! A large file is read, laid out and checked in parts on every core (see `runs` and
//! [`crate::syntax::parse_rule_file_in_parts`]), with the bytes one thread would give.

mod annotations;
mod classes;
mod items;
mod layout;
mod requirement;
mod runs;
mod tokens;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span, blank_byte_order_mark};
use crate::syntax::ast::{Item, RuleFile};
use crate::syntax::{PART_BYTES, parse_rule_file_in_parts};
use tokens::{Token, TokenKind, comments, meaningful, member_separators, tokens_in_parts};

/// Lines are broken to fit in this many columns where the layout allows it (a long string
/// or name is never split).
pub const WIDTH: usize = 100;

const BYTE_ORDER_MARK: &str = "\u{feff}";

/// Formats one rule file, named `file` in the diagnostics. A file with syntax errors is not
/// formatted: its diagnostics are returned instead. A byte-order mark at the start is kept.
pub fn format_rule_text(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let Some(rest) = text.strip_prefix(BYTE_ORDER_MARK) else {
        return format_text(file, text);
    };
    // The mark is no part of the layout: the text after it is laid out as a file without
    // one. Its diagnostics are found again with the mark blanked, so that their places are
    // the file's own.
    match format_text(file, rest) {
        Ok(formatted) => Ok(format!("{BYTE_ORDER_MARK}{formatted}")),
        Err(found) => match format_text(file, &blank_byte_order_mark(text)) {
            Err(placed) => Err(placed),
            Ok(_) => Err(found),
        },
    }
}

/// [`format_rule_text`] of a text without a byte-order mark (or with it blanked).
fn format_text(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    // Read and tokenized at once: joining one's parts overlaps with the other's work.
    let ((parsed, diagnostics), source_tokens) = both(
        large(text),
        || parse_rule_file_in_parts(file, text),
        || tokens_in_parts(text),
    );
    if !diagnostics.is_empty() || !parsed.skipped.is_empty() {
        return Err(diagnostics);
    }
    let formatted = lay_out(&parsed, &source_tokens);
    // Text the layout leaves as it was is the text just read: it parses as cleanly, with the
    // same tokens, and needs no second reading.
    let verified = if formatted == text {
        Ok(())
    } else {
        verify(file, &parsed, &source_tokens, &formatted)
    };
    free(parsed.items, large(text));
    verified.map_err(|diagnostic| vec![diagnostic])?;
    Ok(formatted)
}

/// The parsed file laid out, with trailing white space cut from every line and one line
/// feed at the end (an empty file stays empty).
fn lay_out(parsed: &RuleFile, source_tokens: &[Token<'_>]) -> String {
    let mut out = runs::render(&parsed.items, source_tokens);
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Whether a text is large enough to be worked on several threads: handing a small file's
/// work to another thread costs more than it saves.
fn large(text: &str) -> bool {
    text.len() > PART_BYTES
}

/// `a` and `b`, run on two threads when `large`, else one after the other.
fn both<A: Send, B: Send>(
    large: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if large { rayon::join(a, b) } else { (a(), b()) }
}

/// Frees syntax trees, on every core when `large`: freeing the nodes of thousands of classes
/// is a noticeable share of formatting them.
fn free(items: Vec<Item>, large: bool) {
    if large {
        items.into_par_iter().for_each(drop);
    }
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Profile(profile) => profile.span,
        Item::FieldSet(set) => set.span,
        Item::Category(category) => category.span,
        Item::Class(class) => class.span,
    }
}

/// Refuses a formatted text that does not parse cleanly, or whose tokens or comments differ
/// from the source's: formatting must change nothing but white space.
fn verify(
    file: FileId,
    parsed: &RuleFile,
    source_tokens: &[Token<'_>],
    formatted: &str,
) -> Result<(), Diagnostic> {
    let ((reparsed, diagnostics), formatted_tokens) = both(
        large(formatted),
        || parse_rule_file_in_parts(file, formatted),
        || tokens_in_parts(formatted),
    );
    if let Some(first) = diagnostics.first() {
        return Err(changed_meaning(
            file,
            0,
            &format!("the formatted text would not parse: {}", first.message()),
        ));
    }
    let (source_separators, formatted_separators) =
        (member_separators(parsed), member_separators(&reparsed));
    free(reparsed.items, large(formatted));
    let same = |a: &Token<'_>, b: &Token<'_>| a.kind == b.kind && a.text == b.text;
    if let Some(at) = first_difference(
        meaningful(source_tokens, &source_separators),
        meaningful(&formatted_tokens, &formatted_separators),
        same,
    ) {
        return Err(changed_meaning(file, at, "its words would change here"));
    }
    if let Some(at) = first_difference(comments(source_tokens), comments(&formatted_tokens), same) {
        return Err(changed_meaning(file, at, "its comments would change here"));
    }
    Ok(())
}

/// The source offset of the first token where two token sequences differ, if they do (the
/// end of the source when the source ran out first).
///
/// A source word that the grammar reads as two (`is-30` as `is -30`, `2years` as
/// `2 years`) may be written as its parts, with white space between: the formatted words
/// that join into it exactly count as it.
fn first_difference<'t>(
    mut source: impl Iterator<Item = &'t Token<'t>>,
    formatted: impl Iterator<Item = &'t Token<'t>>,
    same: impl Fn(&Token<'_>, &Token<'_>) -> bool,
) -> Option<usize> {
    let mut formatted = formatted.peekable();
    let mut end = 0;
    loop {
        match (source.next(), formatted.next()) {
            (None, None) => return None,
            (Some(a), Some(b)) if same(a, b) => end = a.start + a.text.len(),
            (Some(a), Some(b)) if split_word(a, b, &mut formatted) => {
                end = a.start + a.text.len();
            }
            (Some(a), _) => return Some(a.start),
            (None, Some(_)) => return Some(end),
        }
    }
}

/// Whether the word `source` is `first` and the words after it in `formatted`, joined: when
/// it is, those words are taken from `formatted`.
fn split_word<'t>(
    source: &Token<'_>,
    first: &Token<'_>,
    formatted: &mut std::iter::Peekable<impl Iterator<Item = &'t Token<'t>>>,
) -> bool {
    let word = TokenKind::Word;
    if source.kind != word || first.kind != word {
        return false;
    }
    let Some(mut rest) = source.text.strip_prefix(first.text) else {
        return false;
    };
    while !rest.is_empty() {
        let Some(next) = formatted.next_if(|t| t.kind == word && rest.starts_with(t.text)) else {
            return false;
        };
        rest = rest.get(next.text.len()..).unwrap_or_default();
    }
    first.text.len() < source.text.len()
}

fn changed_meaning(file: FileId, at: usize, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FormatChangesRules,
        format!("formatting this file would change it beyond its layout: {what}"),
        Span::new(file, at, at),
        "the file is left as it is",
    )
    .with_help("this is a fault in qualify; please report it with the rule file attached")
}

#[cfg(test)]
mod tests;
