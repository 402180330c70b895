//! Recovery inside a class or a profile: after a syntax error, the broken statement is
//! passed over and the rest of the item is read again, so its other levels, tiers and
//! statements are still checked and every later syntax error in it is reported in the same
//! run.
//!
//! This runs only for a class or a profile that failed to parse. The statement holding the error (a tier,
//! a level's header, a class statement) is blanked out with spaces, which keeps every offset
//! and line of the text, and the class is parsed again; each further error blanks one more
//! statement, up to [`MAX_RECOVERIES`].

mod profile;

use pest::Parser;

use super::ast::{Class, Item, Profile};
use super::build::Builder;
use super::parser::{Rule, RuleParser, parse_in_detail};
use super::prescan;
use super::syntax_error::{self, Whole};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// The most statements passed over in one class; a class with more errors is skipped from
/// there on to the next item, which keeps the work for one class linear in its length.
const MAX_RECOVERIES: usize = 32;

/// Words that start a level or a tier inside a class. With the class statements' own words
/// (`syntax_error::CLASS_STATEMENT_KEYWORDS`), they are where reading resumes after a syntax
/// error: the next line that starts with one of them (or `}`).
const LEVEL_AND_TIER_KEYWORDS: [&str; 3] = ["level", "minimum", "recommended"];

/// What reading a broken class or profile again gave.
pub(crate) struct Recovery {
    /// The item and its end in the file, when it could be read around its broken
    /// statements.
    pub(crate) class: Option<(Item, usize)>,
    /// The syntax errors after the first one.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The statements passed over, in the file.
    pub(crate) passed_over: Vec<Span>,
    /// The first word of each statement passed over, at the same place.
    pub(crate) first_words: Vec<String>,
}

/// Reads the class or profile at `start` (up to `limit`, where the next item starts) again
/// around its broken statements, given the offset of its first syntax error. The item is
/// `None` when the error is in its own header, when it is neither a class nor a profile, or
/// when it cannot be made to parse this way (the caller then skips the whole item); the
/// syntax errors found on the way are reported either way.
pub(crate) fn item(
    file: FileId,
    text: &str,
    start: usize,
    limit: usize,
    first_error: usize,
) -> Recovery {
    let mut recovery = Recovery {
        class: None,
        diagnostics: Vec::new(),
        passed_over: Vec::new(),
        first_words: Vec::new(),
    };
    recovery.class = read_around(file, text, start, limit, first_error, &mut recovery);
    recovery
}

fn read_around(
    file: FileId,
    text: &str,
    start: usize,
    limit: usize,
    first_error: usize,
    recovery: &mut Recovery,
) -> Option<(Item, usize)> {
    let region = text.get(start..limit)?;
    let kind = Kind::of(region)?;
    if !(start..limit).contains(&first_error) {
        return None;
    }
    let mut repaired = region.to_owned();
    let mut error_at = first_error - start;
    for _ in 0..MAX_RECOVERIES {
        let (from, to) = kind.broken_statement(&repaired, error_at)?;
        // Where the next statement starts once this one is passed over.
        let after_blank = super::parser::skip_trivia(&repaired, to);
        recovery.first_words.push(first_word(&repaired, from));
        blank(&mut repaired, from, to);
        recovery
            .passed_over
            .push(Span::new(file, start + from, start + to));
        // Nesting too deep for the parser may remain outside the statement passed over.
        let too_deep = |h: &prescan::Hazard| matches!(h, prescan::Hazard::TooDeep { .. });
        if prescan::scan(&repaired).iter().any(too_deep) {
            return None;
        }
        let Err(fast_error) = RuleParser::parse(Rule::next_item, &repaired) else {
            let pairs = RuleParser::parse(Rule::next_item, &repaired).ok()?;
            let item = pairs.flatten().find(|p| p.as_rule() == Rule::item)?;
            let end = start + item.as_span().end();
            let mut built = Builder::new(file, start).item(item).ok()?;
            match &mut built {
                Item::Class(Class {
                    broken_parts,
                    broken_words,
                    ..
                }) => {
                    broken_parts.clone_from(&recovery.passed_over);
                    broken_words.clone_from(&recovery.first_words);
                }
                Item::Profile(Profile { broken_parts, .. }) => {
                    broken_parts.clone_from(&recovery.passed_over);
                }
                Item::FieldSet(_) | Item::Category(_) => {}
            }
            return Some((built, end));
        };
        let error = parse_in_detail(&repaired).err().unwrap_or(fast_error);
        let (diagnostic, at) =
            syntax_error::describe_shifted(file, &repaired, 0, start, &error, Whole::RuleFile);
        // Passing over a statement that did not hold the cause leaves the same error where
        // it was: it is reported once, and reading stops there.
        let repeated = recovery
            .diagnostics
            .last()
            .is_some_and(|d| d.code() == diagnostic.code() && d.span() == diagnostic.span());
        if repeated {
            return None;
        }
        let at = at.checked_sub(start)?;
        // A well-formed statement right after the part passed over, refused because the
        // statement before that part is now unfinished (a tier header whose requirement was
        // the broken line), is a consequence of passing over too little, not a mistake of
        // its own: that statement is passed over next, without a second report.
        let cascade = at == after_blank
            && (kind.starts_statement(&repaired, at)
                || repaired.get(at..).is_some_and(|t| t.starts_with('}')));
        if !cascade {
            recovery.diagnostics.push(diagnostic);
        }
        error_at = at;
    }
    None
}

/// The kinds of item read again around a broken statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Class,
    Profile,
}

impl Kind {
    fn of(region: &str) -> Option<Kind> {
        if starts_word(region, 0, "class") {
            Some(Kind::Class)
        } else if starts_word(region, 0, "profile") {
            Some(Kind::Profile)
        } else {
            None
        }
    }

    fn broken_statement(self, text: &str, error_at: usize) -> Option<(usize, usize)> {
        match self {
            Kind::Class => broken_statement(text, error_at),
            Kind::Profile => profile::broken_statement(text, error_at),
        }
    }

    fn starts_statement(self, text: &str, at: usize) -> bool {
        match self {
            Kind::Class => starts_statement(text, at),
            Kind::Profile => profile::starts_statement(text, at),
        }
    }
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
    // A line that goes on with the header of a tier (an annotation before its `:`) or adds a
    // substitution to it belongs to the tier: the tier is the statement.
    let in_tier = HeaderWord::at(text, first_token) == HeaderWord::Substitute
        || tier_header_of(text, error_line).is_some_and(|header| header != error_line);
    if error_at <= first_token
        && ((starts_statement(text, first_token) && !in_tier) || closes_block)
    {
        // The error is at a statement's first word or a `}`: the statement before it is
        // unfinished, and ends where this line starts.
        let from = statement_start_before(text, error_line)?;
        return (from > 0).then_some((from, error_line));
    }
    let from = if error_at <= first_token && !in_tier {
        first_token
    } else {
        statement_start_at_or_before(text, error_line)?
    };
    let to = if starts_word(text, from, "level") || opens_block(text, from) {
        level_end(text, from, error_line)
    } else {
        next_statement_line(text, error_line, from - line_start(text, from))
    }
    .max(error_at);
    let passes_over_something = text
        .get(from..to)
        .is_some_and(|part| part.chars().any(|c| !c.is_whitespace()));
    (from > 0 && passes_over_something).then_some((from, to))
}

/// The first token of the nearest line at or before `line` that starts a statement; `None`
/// when that would be the class's first line. A `note` or `allow` line in a tier's header
/// (between `minimum` and its `:`) belongs to the tier, which is the statement.
fn statement_start_at_or_before(text: &str, line: usize) -> Option<usize> {
    let mut line = line;
    loop {
        let token = first_token_of_line(text, line);
        if line == 0 {
            return None;
        }
        if starts_statement(text, token) {
            match tier_header_of(text, line) {
                // The tier's own line, or a `substitute` line whose tier is further up.
                Some(header) if header != line => {
                    line = header;
                    continue;
                }
                _ => return Some(token),
            }
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
/// block with `}`; the end of the text when there is none. A `note` or `allow` line in the
/// header of the tier being passed over is part of it. Outside a tier, a line that starts
/// with a word and is indented no more than the statement passed over (`indent`) is taken
/// as the next statement even when its word is not a keyword: a second misspelt statement
/// is then reported too, rather than passed over with the first.
fn next_statement_line(text: &str, line: usize, indent: usize) -> usize {
    let mut in_header = tier_header_of(text, line).is_some();
    let in_tier = in_header;
    let mut next = next_line_start(text, line);
    while next < text.len() {
        let token = first_token_of_line(text, next);
        let word = HeaderWord::at(text, token);
        if !in_tier
            && word == HeaderWord::Other
            && token - next <= indent
            && starts_a_word(text, token)
        {
            return next;
        }
        in_header = match word {
            HeaderWord::Tier => return next,
            HeaderWord::Substitute => true,
            HeaderWord::Annotation if in_header => true,
            HeaderWord::Continuation | HeaderWord::Blank => in_header,
            HeaderWord::Annotation | HeaderWord::Other => false,
        };
        if starts_statement(text, token) && !in_header
            || text.get(token..).is_some_and(|t| t.starts_with('}'))
        {
            return next;
        }
        next = next_line_start(text, next);
    }
    text.len()
}

/// What the first token of a line says about the header of a tier (from `minimum` or
/// `recommended`, or `substitute`, up to its `:`), which may run over several lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderWord {
    /// `minimum` or `recommended`: a tier starts.
    Tier,
    /// `substitute`: a substitution of the tier above starts.
    Substitute,
    /// `note` or `allow`: in a header, it belongs to it; elsewhere it is a statement.
    Annotation,
    /// What continues a header's citation or note: `cite`, `quote`, `by` or a quoted text.
    Continuation,
    /// Nothing, or a comment.
    Blank,
    /// Anything else.
    Other,
}

impl HeaderWord {
    fn at(text: &str, token: usize) -> HeaderWord {
        let rest = text.get(token..).unwrap_or("");
        let word = |w: &str| starts_word(text, token, w);
        if word("minimum") || word("recommended") {
            HeaderWord::Tier
        } else if word("substitute") {
            HeaderWord::Substitute
        } else if word("note") || word("allow") {
            HeaderWord::Annotation
        } else if word("cite") || word("quote") || word("by") || rest.starts_with('"') {
            HeaderWord::Continuation
        } else if rest.is_empty() || rest.starts_with(['\n', '\r', '#']) {
            HeaderWord::Blank
        } else {
            HeaderWord::Other
        }
    }
}

/// When the line at `line` is in the header of a tier or a substitution (it starts one, or
/// it is a `note`, an `allow` or a citation's continuation after the start of one), the
/// start of the line where that header starts.
fn tier_header_of(text: &str, line: usize) -> Option<usize> {
    let mut line = line;
    loop {
        let token = first_token_of_line(text, line);
        match HeaderWord::at(text, token) {
            HeaderWord::Tier | HeaderWord::Substitute => return Some(line),
            HeaderWord::Annotation | HeaderWord::Continuation | HeaderWord::Blank => {}
            HeaderWord::Other => return None,
        }
        line = line_start(text, line.checked_sub(1)?);
    }
}

/// Whether the line holding `at` opens more blocks with `{` than it closes, outside strings
/// and comments: a level's header, even with its keyword misspelt.
fn opens_block(text: &str, at: usize) -> bool {
    let line = text.get(at..next_line_start(text, at)).unwrap_or("");
    let mut depth = 0usize;
    let mut closed_first = false;
    braces(line, |opens| {
        if opens {
            depth += 1;
        } else if depth == 0 {
            closed_first = true;
        } else {
            depth -= 1;
        }
    });
    depth > 0 && !closed_first
}

/// Calls `each` for every `{` (with `true`) and `}` (with `false`) of `text`, in order,
/// outside strings and comments.
fn braces(text: &str, mut each: impl FnMut(bool)) {
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            in_string = false;
            in_comment = false;
        } else if in_comment {
        } else if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else {
            match c {
                '"' => in_string = true,
                '#' => in_comment = true,
                '{' => each(true),
                '}' => each(false),
                _ => {}
            }
        }
    }
}

/// The end of the level whose header starts at `level` and holds a syntax error on the line
/// at `error_line`: the start of the line after the `}` that closes the level, or, when
/// that is missing, of the next line after the error's that starts another level or a class
/// statement, or that closes a block indented less than the level (the class). A level
/// whose header is broken is passed over whole, with its tiers and annotations.
fn level_end(text: &str, level: usize, error_line: usize) -> usize {
    let indent = level - line_start(text, level);
    let after_error = next_line_start(text, error_line);
    let mut depth = 0usize;
    let mut line = level;
    while line < text.len() {
        let end = next_line_start(text, line);
        if line >= after_error && ends_level_before(text, line, indent) {
            return line;
        }
        let mut closed = false;
        braces(text.get(line..end).unwrap_or(""), |opens| {
            if opens {
                depth += 1;
            } else if depth > 0 {
                depth -= 1;
                closed |= depth == 0;
            }
        });
        if closed && end >= after_error {
            return end;
        }
        line = end;
    }
    text.len()
}

/// Whether the line at `line` cannot be part of a level indented by `indent` whose closing
/// `}` is missing: it starts another level or a class statement (a `note` or an `allow` only
/// when indented no more than the level), or closes a block indented less than the level.
fn ends_level_before(text: &str, line: usize, indent: usize) -> bool {
    let token = first_token_of_line(text, line);
    let token_indent = token - line;
    match HeaderWord::at(text, token) {
        HeaderWord::Tier => false,
        HeaderWord::Annotation => token_indent <= indent,
        _ => {
            starts_statement(text, token)
                || (text.get(token..).is_some_and(|t| t.starts_with('}')) && token_indent < indent)
        }
    }
}

/// The statement keyword a statement at `at` starts with (after spaces and tabs); empty
/// when it starts with none (a misspelt one).
fn first_word(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("").trim_start_matches([' ', '\t']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let keyword = LEVEL_AND_TIER_KEYWORDS
        .iter()
        .chain(&super::syntax_error::CLASS_STATEMENT_KEYWORDS)
        .any(|k| *k == word);
    if keyword { word } else { String::new() }
}

/// Whether a statement keyword, as a whole word, is at `at`.
fn starts_statement(text: &str, at: usize) -> bool {
    LEVEL_AND_TIER_KEYWORDS
        .iter()
        .chain(&super::syntax_error::CLASS_STATEMENT_KEYWORDS)
        .any(|keyword| starts_word(text, at, keyword))
}

/// Whether a word (a letter, then letters, digits or `_`) starts at `at`.
fn starts_a_word(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_alphabetic())
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

/// The start of the line holding `pos`. A line ends at `\n`, `\r\n` or a lone `\r`.
fn line_start(text: &str, pos: usize) -> usize {
    text.get(..pos)
        .and_then(|t| t.rfind(['\n', '\r']))
        .map_or(0, |n| n + 1)
}

/// The start of the line after the one holding `pos`, or the end of the text.
fn next_line_start(text: &str, pos: usize) -> usize {
    let Some(end) = text.get(pos..).and_then(|t| t.find(['\n', '\r'])) else {
        return text.len();
    };
    let after = pos + end + 1;
    // `\r\n` is one line end.
    if text.as_bytes().get(pos + end) == Some(&b'\r') && text.as_bytes().get(after) == Some(&b'\n')
    {
        after + 1
    } else {
        after
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::diagnostics::Code;
    use crate::syntax::parse_rule_file;

    fn class_text(levels: &str) -> String {
        format!(
            "class X \"T\" {{\n  profile p\n  source \"s\"\n  established 2020-01-01\n{levels}}}\n"
        )
    }

    fn parsed_class(text: &str) -> (Option<Class>, Vec<Diagnostic>) {
        let (file, diagnostics) = parse_rule_file(FileId(0), text);
        let class = file.items.into_iter().find_map(|item| match item {
            Item::Class(class) => Some(class),
            _ => None,
        });
        (class, diagnostics)
    }

    #[test]
    fn a_broken_tier_leaves_the_other_levels_and_tiers() {
        let text = class_text(
            "  level B code \"B\" band 1 {\n    minimum 2 years of e\n    recommended: a\n  }\n  \
             level O code \"O\" band 2 {\n    minimum: b\n  }\n",
        );
        let (class, diagnostics) = parsed_class(&text);
        let class = class.expect("the class is still read");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code(), Code::Syntax);
        assert_eq!(class.levels.len(), 2);
        assert_eq!(
            class.levels[0].tiers.len(),
            1,
            "the recommended tier is kept"
        );
        assert_eq!(class.broken_parts.len(), 1);
        assert!(class.has_broken_part_in(class.levels[0].span));
        assert!(!class.has_broken_part_in(class.levels[1].span));
    }

    #[test]
    fn a_level_with_a_broken_header_is_passed_over_whole() {
        let text = class_text(
            "  level B code \"B\" bnd 1 {\n    minimum: a\n  }\n  \
             level O code \"O\" band 2 {\n    minimum: b and\n  }\n",
        );
        let (class, diagnostics) = parsed_class(&text);
        let class = class.expect("the class is still read");
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert_eq!(class.levels.len(), 1);
        assert_eq!(class.levels[0].name.text, "O");
        assert!(class.levels[0].tiers.is_empty());
    }

    #[test]
    fn the_annotations_in_a_tier_header_are_passed_over_with_the_tier() {
        let text = class_text(
            "  level B code \"B\" band 1 {\n    minimum\n      note \"n\"\n      \
             allow Q210 \"t\":\n      a and\n  }\n  level O code \"O\" band 2 {\n    \
             minimum: b\n  }\n",
        );
        let (class, diagnostics) = parsed_class(&text);
        let class = class.expect("the class is still read");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(class.levels.len(), 2);
        assert!(class.levels[0].tiers.is_empty());
        assert_eq!(class.broken_words, ["minimum"]);
    }

    #[test]
    fn a_level_with_a_misspelt_keyword_is_passed_over_up_to_its_brace() {
        let text = class_text(
            "  levl B code \"B\" band 1 {\n    note \"n\"\n    minimum\n      \
             allow Q210 \"t\":\n      a\n  }\n  level O code \"O\" band 2 {\n    \
             minimum: b and\n  }\n",
        );
        let (class, diagnostics) = parsed_class(&text);
        let class = class.expect("the class is still read");
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert_eq!(class.levels.len(), 1);
        assert_eq!(class.levels[0].name.text, "O");
    }

    #[test]
    fn two_misspelt_statements_in_a_row_are_both_reported() {
        let text = "class X \"T\" {\n  profile p\n  establishd 2020-01-01\n  revisd 2021-01-01\n  \
                    source \"s\"\n  level B code \"B\" band 1 {\n    minimum: a\n  }\n}\n";
        let (class, diagnostics) = parsed_class(text);
        let class = class.expect("the class is still read");
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert!(
            diagnostics[1].message().contains("revisd"),
            "{diagnostics:?}"
        );
        assert_eq!(class.levels.len(), 1);
    }

    #[test]
    fn a_line_indented_under_a_misspelt_statement_is_passed_over_with_it() {
        let text = "class X \"T\" {\n  profile p\n  statutry requirements\n    \"N/A\"\n  \
                    source \"s\"\n  level B code \"B\" band 1 {\n    minimum: a\n  }\n}\n";
        let (class, diagnostics) = parsed_class(text);
        assert!(class.is_some());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    }

    #[test]
    fn a_quote_without_its_cite_is_told_so() {
        let text = class_text("  level B code \"B\" band 1 {\n    minimum quote \"q\": a\n  }\n");
        let (_, diagnostics) = parsed_class(&text);
        let help = diagnostics[0].help().unwrap_or_default();
        assert!(help.contains("a `quote` follows the `cite`"), "{help}");
    }

    #[test]
    fn an_error_in_the_class_header_skips_the_class() {
        let text = "class X \"T\" oops {\n  profile p\n}\n";
        let (class, diagnostics) = parsed_class(text);
        assert!(class.is_none());
        assert_eq!(diagnostics.len(), 1);
    }

    #[test]
    fn a_class_with_more_errors_than_the_limit_is_skipped_after_the_limit() {
        let tiers = "    minimum 1 years of e\n".repeat(MAX_RECOVERIES + 5);
        let text = class_text(&format!("  level B code \"B\" band 1 {{\n{tiers}  }}\n"));
        let (class, diagnostics) = parsed_class(&text);
        assert!(class.is_none());
        assert_eq!(diagnostics.len(), MAX_RECOVERIES + 1);
    }

    #[test]
    fn nesting_too_deep_in_two_tiers_skips_the_class_without_parsing_it() {
        let deep = "(".repeat(prescan::MAX_NESTING + 1);
        let text = class_text(&format!(
            "  level B code \"B\" band 1 {{\n    minimum: {deep}a\n    \
             recommended: {deep}a\n  }}\n"
        ));
        let (class, diagnostics) = parsed_class(&text);
        assert!(class.is_none());
        assert!(!diagnostics.is_empty());
    }

    #[test]
    fn offsets_are_kept_when_a_statement_is_blanked() {
        let mut text = "a\n  minimum: é x\nb".to_owned();
        let before = text.len();
        blank(&mut text, 2, 16);
        assert_eq!(text.len(), before);
        assert_eq!(text.lines().count(), 3);
    }

    #[test]
    fn an_unclosed_parenthesis_is_labelled_where_it_opens() {
        let text =
            class_text("  level B code \"B(\" band 1 {\n    minimum: a and (b or c # (\n  }\n");
        let (_, diagnostics) = parsed_class(&text);
        let open = text.find("(b").unwrap();
        let labels = diagnostics[0].labels();
        assert_eq!(labels.len(), 2, "{diagnostics:?}");
        assert_eq!(labels[1].span.range(), open..open + 1);
        assert_eq!(labels[1].text, "this parenthesis is never closed");
    }
}
