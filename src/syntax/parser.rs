//! Reads rule text one top-level item at a time with pest, recovering after a syntax error.

use pest::Parser;
use std::sync::{Mutex, PoisonError};

use pest::iterators::{Pair, Pairs};

use super::ast::{RuleFile, SkippedItem};
use super::braces;
use super::build::Builder;
use super::prescan;
use super::recover;
use super::syntax_error;
use super::whole::parse_whole_parts;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/qualify.pest"]
pub(crate) struct RuleParser;

/// Words that start a top-level item. A line that starts with one, unindented, is where
/// parsing resumes after a syntax error.
pub const TOP_LEVEL_KEYWORDS: [&str; 4] = ["profile", "fields", "experience", "class"];

/// Parses one rule file. Returns the items that parsed and a diagnostic for every item that
/// did not.
///
/// A file without hazards is first read in one go (a file over 128 KiB in parts of about
/// 128 KiB, cut where an unindented line starts an item, as `syntax::parts` cuts them): each
/// parse has a fixed cost (pest's record of what it
/// matched, grown and freed, and an index of its lines), which a file of many items pays once
/// a part instead of once per item. Read item by item, a file that parses whole gives the
/// same items, so the result does not depend on which way it was read.
///
/// A file of classes alone is read directly (`syntax::direct`), which reads nothing the scan
/// for hazards would find, so that scan is made only when it does not.
pub fn parse_rule_file(file: FileId, text: &str) -> (RuleFile, Vec<Diagnostic>) {
    if let Some(items) = super::direct::parse_part(file, text, 0) {
        let parsed = RuleFile {
            items,
            skipped: Vec::new(),
        };
        return (parsed, Vec::new());
    }
    let hazards = prescan::scan(text);
    if hazards.is_empty()
        && let Some(items) = parse_whole_parts(file, text)
    {
        let parsed = RuleFile {
            items,
            skipped: Vec::new(),
        };
        return (parsed, Vec::new());
    }
    parse_item_by_item(file, text, &hazards)
}

/// Reads the profiles, field sets and experience categories of `text`, and only the classes
/// whose code is one of `codes` (ASCII case ignored): every other class is passed over unread, found by its
/// unindented `class` line as recovery finds items. Evaluating one class of a large rule set
/// then reads that class, not the thousands beside it.
///
/// An item that mentions one of `codes` anywhere in its text (ASCII case ignored) is read
/// whatever its own code, so a class written indented inside the text of another is never
/// lost; so is an item whose text holds an indented line that starts a profile, field set or
/// experience category, which the vocabulary needs.
pub fn parse_rule_file_scoped(
    file: FileId,
    text: &str,
    codes: &[String],
) -> (RuleFile, Vec<Diagnostic>) {
    let pass_over = |item: &str| {
        class_code(item).is_some_and(|code| !codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
            && !codes.iter().any(|code| mentions(item, code))
            && !holds_vocabulary(item)
    };
    // Only the items read are scanned for hazards: the classes passed over are not looked at.
    read_items(file, text, None, &pass_over)
}

/// Whether `text` holds `code`, ASCII case ignored. The longest run of the code without
/// letters (its digits, `-` and `_`), when it has one, is found first by a fast search and
/// the whole code compared around each place it stands; a code of letters alone is compared
/// at each place its first letter stands, in either case.
fn mentions(text: &str, code: &str) -> bool {
    let (bytes, wanted) = (text.as_bytes(), code.as_bytes());
    let anchor = caseless_run(wanted);
    let matches_at = |start: usize| {
        bytes
            .get(start..start.saturating_add(wanted.len()))
            .is_some_and(|found| found.eq_ignore_ascii_case(wanted))
    };
    match anchor {
        Some((offset, run)) => memchr::memmem::find_iter(bytes, run)
            .any(|at| at.checked_sub(offset).is_some_and(matches_at)),
        None => {
            let Some(&first) = wanted.first() else {
                return false;
            };
            memchr::memchr2_iter(
                first.to_ascii_lowercase(),
                first.to_ascii_uppercase(),
                bytes,
            )
            .any(matches_at)
        }
    }
}

/// The longest run of `code` holding no ASCII letter, with its offset; `None` when every
/// byte is a letter.
fn caseless_run(code: &[u8]) -> Option<(usize, &[u8])> {
    let mut best: Option<(usize, &[u8])> = None;
    let mut start = 0;
    for run in code.split(u8::is_ascii_alphabetic) {
        if !run.is_empty() && best.is_none_or(|(_, b)| run.len() > b.len()) {
            best = Some((start, run));
        }
        start += run.len() + 1;
    }
    best
}

/// Whether a line of `item` after its first starts, indented, a profile, field set or
/// experience category: an item of the vocabulary written inside the text of a class. Each
/// line start is found by a fast search for line ends; a line is looked at further only when
/// it starts with a space or a tab and its first word starts like one of those keywords
/// (and, for `profile`, the line opens a brace, as a profile does and a class's `profile`
/// statement does not).
fn holds_vocabulary(item: &str) -> bool {
    let bytes = item.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes).any(|end| {
        let line = bytes.get(end + 1..).unwrap_or_default();
        if !matches!(line.first(), Some(b' ' | b'\t')) {
            return false;
        }
        let indent = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let word = line.get(indent..).unwrap_or_default();
        let keyword = |keyword: &[u8]| {
            word.strip_prefix(keyword)
                .is_some_and(|rest| matches!(rest.first(), Some(b' ' | b'\t')))
        };
        match word.first() {
            Some(b'f') => keyword(b"fields"),
            Some(b'e') => keyword(b"experience"),
            Some(b'p') if keyword(b"profile") => {
                let length = memchr::memchr2(b'\n', b'\r', word).unwrap_or(word.len());
                word.get(..length).is_some_and(|own| own.contains(&b'{'))
            }
            _ => false,
        }
    })
}

/// The code of the class an item starts with (`class K9099 "…" {`), when it is a class.
fn class_code(item: &str) -> Option<&str> {
    let rest = item.strip_prefix("class")?;
    let rest = rest
        .strip_prefix([' ', '\t'])?
        .trim_start_matches([' ', '\t']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    rest.get(..end).filter(|code| !code.is_empty())
}

/// Reads `text` one item at a time, recovering after each item that does not parse.
fn parse_item_by_item(
    file: FileId,
    text: &str,
    hazards: &[prescan::Hazard],
) -> (RuleFile, Vec<Diagnostic>) {
    read_items(file, text, Some(hazards), &|_| false)
}

/// Reads `text` one item at a time, recovering after each item that does not parse and
/// passing over, unread, each item for which `pass_over` (given the item's text, up to the
/// next unindented item) is true.
/// `hazards` are those of the whole text, found before; `None` scans each item read.
fn read_items(
    file: FileId,
    text: &str,
    hazards: Option<&[prescan::Hazard]>,
    pass_over: &dyn Fn(&str) -> bool,
) -> (RuleFile, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    let mut diagnostics = Vec::new();
    let lines = LineStarts::new(text);
    let mut pos = skip_trivia(text, 0);
    // Where the item last passed over starts, and whether the next item is read whatever
    // `pass_over` says of it.
    let mut passed_over: Option<usize> = None;
    let mut read_next = false;
    while pos < text.len() {
        let resume = recovery_point(text, &lines, pos, pos);
        if !std::mem::take(&mut read_next) && pass_over(text.get(pos..resume).unwrap_or_default()) {
            passed_over = Some(pos);
            pos = skip_trivia(text, resume);
            continue;
        }
        let after_passed_over = passed_over.take();
        let scanned;
        let item_hazards = match hazards {
            Some(all) => hazards_between(all, pos, resume),
            None => {
                scanned = prescan::scan_range(text, pos, resume);
                scanned.as_slice()
            }
        };
        let mut in_item = item_hazards.iter();
        if let Some(hazard) = in_item.next() {
            diagnostics.push(prescan::hazard_diagnostic(file, hazard, UNCLOSED_IN_FILE));
            // With one hazard, the statement holding it is passed over and the rest of a
            // class is still read; with more, the parser would meet another one.
            let recovered = in_item
                .next()
                .is_none()
                .then(|| recover::item(file, text, pos, resume, hazard.offset()));
            let kept = recovered.and_then(|recovery| {
                keep_recovered(text, recovery, &mut items, &mut skipped, &mut diagnostics)
            });
            pos = match kept {
                Some(end) => end,
                None => {
                    skipped.push(skipped_item(file, text, pos, resume));
                    skip_trivia(text, resume)
                }
            };
            continue;
        }
        match parse_item(file, text, pos, resume) {
            Ok((Some(item), end)) => {
                items.push(item);
                pos = skip_trivia(text, end);
            }
            Ok((None, _)) => break,
            Err(ItemError::Syntax(..))
                if let Some(start) = after_passed_over
                    && let Some(resync) = resync(text, start, pos, pass_over) =>
            {
                match resync {
                    Resync::SkipTo(next) => pos = next,
                    Resync::ReadAt(at) => {
                        pos = at;
                        read_next = true;
                    }
                }
            }
            Err(ItemError::Syntax(diagnostic, error_pos)) => {
                diagnostics.push(*diagnostic);
                let recovery = recover::item(file, text, pos, resume, error_pos);
                let kept =
                    keep_recovered(text, recovery, &mut items, &mut skipped, &mut diagnostics);
                if let Some(end) = kept {
                    pos = end;
                    continue;
                }
                let end = recovery_point(text, &lines, pos, error_pos);
                skipped.push(skipped_item(file, text, pos, end));
                pos = skip_trivia(text, end);
            }
            Err(ItemError::Build(diagnostic)) => {
                diagnostics.push(diagnostic);
                skipped.push(skipped_item(file, text, pos, resume));
                pos = skip_trivia(text, resume);
            }
        }
    }
    (RuleFile { items, skipped }, diagnostics)
}

/// The hazards of `hazards` (in text order) from `start` to `end`, found by binary search, so
/// that a file of many items and many hazards is not scanned once per item.
fn hazards_between(hazards: &[prescan::Hazard], start: usize, end: usize) -> &[prescan::Hazard] {
    let from = hazards.partition_point(|h| h.offset() < start);
    let rest = hazards.get(from..).unwrap_or_default();
    rest.get(..rest.partition_point(|h| h.offset() < end))
        .unwrap_or_default()
}

/// Where a scoped read goes on after the item following a passed-over one did not parse.
enum Resync {
    /// Past an item passed over whole.
    SkipTo(usize),
    /// At an item to read, by its own braces.
    ReadAt(usize),
}

/// The guess (the next unindented item line) ended the item passed over at `start` in the
/// wrong place when what follows it (at `pos`) does not parse; its closing brace says where
/// it really ends. Past the guess (it holds a statement written at the left margin), it is
/// passed over, or read, whole. Before the guess, the guess took in items written indented
/// after it: each is passed over, or read, by its own braces, in turn. `None` when the braces
/// do not say, or every item before `pos` was passed over: the error at `pos` stands. Each
/// byte is looked at once, however many items the guess took in.
fn resync(
    text: &str,
    start: usize,
    pos: usize,
    pass_over: &dyn Fn(&str) -> bool,
) -> Option<Resync> {
    let mut at = start;
    while at < pos {
        let end = braces::item_end(text, at)?;
        let passed = pass_over(text.get(at..end)?);
        if !passed {
            return Some(Resync::ReadAt(at));
        }
        if end > pos {
            return Some(Resync::SkipTo(skip_trivia(text, end)));
        }
        at = skip_trivia(text, end);
    }
    None
}

/// Keeps the syntax errors found reading a broken class or profile again and, when it could
/// be read, the item; returns where reading goes on, or `None` when the item is skipped
/// whole.
fn keep_recovered(
    text: &str,
    recovery: recover::Recovery,
    items: &mut Vec<super::ast::Item>,
    skipped: &mut Vec<SkippedItem>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    diagnostics.extend(recovery.diagnostics);
    let (class, end) = recovery.class?;
    skipped.extend(
        recovery
            .passed_over
            .iter()
            .map(|span| skipped_part(text, *span)),
    );
    items.push(class);
    Some(skip_trivia(text, end))
}

/// A statement passed over inside an item that was otherwise read.
fn skipped_part(text: &str, span: Span) -> SkippedItem {
    let words = syntax_error::words_outside_strings(text.get(span.range()).unwrap_or(""));
    SkippedItem {
        span,
        declares: None,
        words: words.into_iter().collect(),
    }
}

fn skipped_item(file: FileId, text: &str, start: usize, end: usize) -> SkippedItem {
    let words = syntax_error::words_outside_strings(text.get(start..end).unwrap_or(""));
    let declares = match words.as_slice() {
        [keyword, name, ..] if TOP_LEVEL_KEYWORDS.contains(&keyword.as_str()) => {
            Some((keyword.clone(), name.clone()))
        }
        // A keyword run into its name (`profilenm`): the item still meant to define it.
        [glued, ..] => TOP_LEVEL_KEYWORDS.iter().find_map(|keyword| {
            let name = glued.strip_prefix(keyword)?;
            (!name.is_empty()).then(|| ((*keyword).to_owned(), name.to_owned()))
        }),
        [] => None,
    };
    SkippedItem {
        span: Span::new(file, start, end),
        declares,
        words: words.into_iter().collect(),
    }
}

enum ItemError {
    Syntax(Box<Diagnostic>, usize),
    Build(Diagnostic),
}

type ParsedItem = (Option<super::ast::Item>, usize);

/// Parses the item at `pos`. It is first read only up to `likely_end`, the next unindented
/// item keyword: pest indexes the lines of all the text it is given, and giving it the rest
/// of the file for every item would make reading a file quadratic. An item that parses there
/// parses the same in the whole text (it ends with its `}` inside the slice). Only when it does
/// not is the whole rest read, so the result never depends on the guess.
fn parse_item(
    file: FileId,
    text: &str,
    pos: usize,
    likely_end: usize,
) -> Result<ParsedItem, ItemError> {
    let rest = text.get(pos..).unwrap_or("");
    let likely = text.get(pos..likely_end).unwrap_or(rest);
    let parsed = RuleParser::parse(Rule::next_item, likely)
        .or_else(|_| RuleParser::parse(Rule::next_item, rest))
        .or_else(|_| parse_in_detail(rest));
    let mut pairs = parsed.map_err(|error| {
        let (diagnostic, error_pos) = syntax_error::describe(file, text, pos, &error);
        ItemError::Syntax(Box::new(diagnostic), error_pos)
    })?;
    let Some(next) = pairs.next() else {
        return Ok((None, text.len()));
    };
    let item: Option<Pair<Rule>> = next.into_inner().find(|p| p.as_rule() == Rule::item);
    let Some(item) = item else {
        return Ok((None, text.len()));
    };
    let end = pos + item.as_span().end();
    let builder = Builder::new(file, pos);
    let built = builder.item(item).map_err(ItemError::Build)?;
    Ok((Some(built), end))
}

/// Serialises re-reads in detail, so that each sees pest's error-detail switch on.
pub(crate) static ERROR_DETAIL: Mutex<()> = Mutex::new(());

/// Reads an item that failed again, with pest recording everything it attempted, which the
/// friendly message is made from. Recording costs more than the parse itself, so it is
/// switched on only here. The switch is global: other parses running meanwhile may record
/// too, which only slows them.
pub(crate) fn parse_in_detail(rest: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    parse_rule_in_detail(Rule::next_item, rest)
}

/// Like [`parse_in_detail`], for the text of `rule`. A keyword that runs on into more
/// letters (`andd`, `inn`) fails where the keyword ends, with nothing expected there; the
/// error is then taken at the start of the word, where the keyword was expected, so that
/// the message shows the whole word and what would have been accepted in its place.
pub(crate) fn parse_rule_in_detail(
    rule: Rule,
    text: &str,
) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    let _only_one = ERROR_DETAIL.lock().unwrap_or_else(PoisonError::into_inner);
    pest::set_error_detail(true);
    let result =
        RuleParser::parse(rule, text).map_err(|error| match keyword_run_on(text, &error) {
            Some(word_start) => at_word_start(rule, text, word_start).unwrap_or(error),
            None => error,
        });
    pest::set_error_detail(false);
    result
}

/// The start of the word when `error` is inside it with nothing expected there: a keyword
/// matched the start of the word and failed only because more letters follow.
fn keyword_run_on(text: &str, error: &pest::error::Error<Rule>) -> Option<usize> {
    let attempts = error.parse_attempts()?;
    if !attempts.expected_tokens().is_empty() {
        return None;
    }
    let at = attempts.max_position;
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let bytes = text.as_bytes();
    if !bytes.get(at).is_some_and(is_word) {
        return None;
    }
    let before = bytes.get(..at)?;
    let word_length = before.iter().rev().take_while(|b| is_word(b)).count();
    (word_length > 0).then(|| at - word_length)
}

/// The error of `text` read again with the word at `word_start` made unreadable, so that
/// pest reports what it attempted where the word starts; `None` when that is not where it
/// fails.
fn at_word_start(rule: Rule, text: &str, word_start: usize) -> Option<pest::error::Error<Rule>> {
    // The word's first character is an ASCII letter or digit: one byte, replaced by one byte,
    // so every offset stays.
    let unreadable = format!(
        "{}\u{1}{}",
        text.get(..word_start)?,
        text.get(word_start + 1..)?
    );
    let error = RuleParser::parse(rule, &unreadable).err()?;
    let attempts = error.parse_attempts()?;
    (attempts.max_position == word_start).then_some(error)
}

/// Skips white space and comments.
pub(crate) fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(pos) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => {
                pos = bytes
                    .iter()
                    .skip(pos)
                    .position(|&c| c == b'\n' || c == b'\r')
                    .map_or(bytes.len(), |n| pos + n);
            }
            _ => break,
        }
    }
    pos
}

/// The start of the first unindented line after `item_start`, at or after the line holding
/// `error_pos`, that begins with a top-level keyword; or the end of the text.
///
/// Lines are found in `lines`, and only the line starts from there on are looked at, so
/// finding every item of a file stays linear, even when the file is one long line.
fn recovery_point(text: &str, lines: &LineStarts, item_start: usize, error_pos: usize) -> usize {
    let first = lines
        .start_of(error_pos)
        .max(lines.next_after(item_start).unwrap_or(text.len()));
    if first >= text.len() {
        return text.len();
    }
    std::iter::once(first)
        .chain(lines.after(first))
        .find(|&start| starts_item(text.get(start..).unwrap_or("")))
        .unwrap_or(text.len())
}

/// The starts of a text's lines after the first: each offset just past a `\n` or a `\r`
/// (a line ends at either), in order.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        LineStarts(
            memchr::memchr2_iter(b'\n', b'\r', text.as_bytes())
                .map(|at| at + 1)
                .collect(),
        )
    }

    /// The start of the line holding `pos`.
    fn start_of(&self, pos: usize) -> usize {
        let after = self.0.partition_point(|&start| start <= pos);
        after
            .checked_sub(1)
            .and_then(|i| self.0.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The start of the first line that begins after `pos`.
    fn next_after(&self, pos: usize) -> Option<usize> {
        self.after(pos).next()
    }

    /// The starts of the lines that begin after `pos`, in order.
    fn after(&self, pos: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self.0.partition_point(|&start| start <= pos);
        self.0.get(from..).unwrap_or_default().iter().copied()
    }
}

/// How an unterminated string in a rule file is labelled and explained.
const UNCLOSED_IN_FILE: (&str, &str) = (
    "this string is not closed before the end of the line",
    "close the string with `\"` on the same line; to continue long prose, \
     end the line with `\"` and start the next line with `\"`",
);

/// Whether `line` (or the text from a line start on) begins with a top-level keyword and a
/// space or tab.
pub(super) fn starts_item(line: &str) -> bool {
    // Most lines are indented, and are passed over at their first byte.
    let could_start = line.as_bytes().first().is_some_and(|b| {
        TOP_LEVEL_KEYWORDS
            .iter()
            .any(|kw| kw.as_bytes().first() == Some(b))
    });
    could_start
        && TOP_LEVEL_KEYWORDS.iter().any(|kw| {
            line.strip_prefix(kw)
                .is_some_and(|rest| rest.starts_with([' ', '\t']))
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::super::whole::{WHOLE_FILE_BYTES, parse_whole_file};
    use super::*;

    #[test]
    fn a_code_is_found_in_any_letters_and_only_whole() {
        let text = "note \"see K9099\"\n  class Ab12x \"x\" {";
        assert!(super::mentions(text, "ab12X"));
        assert!(super::mentions(text, "k9099"));
        assert!(!super::mentions(text, "K90991"));
        assert!(!super::mentions(text, "ab13x"));
        assert!(super::mentions("class XYZ {", "xyz"));
        assert!(!super::mentions("class XY {", "xyz"));
        assert_eq!(super::caseless_run(b"K050000"), Some((1, &b"050000"[..])));
        assert_eq!(super::caseless_run(b"AB-1"), Some((2, &b"-1"[..])));
        assert_eq!(super::caseless_run(b"XYZ"), None);
    }

    fn held(item: &str) -> bool {
        super::holds_vocabulary(item)
    }

    #[test]
    fn vocabulary_is_found_only_on_an_indented_line_of_its_own() {
        assert!(held("class A {\n}\n  fields f \"F\" { \"x\" }\n"));
        assert!(held("class A {\n}\n\texperience e \"E\"\n"));
        assert!(held("class A {\n}\n  profile p {\n}\n"));
        assert!(!held("class A {\n  profile p\n}\n"));
        assert!(!held(
            "class A {\n  quote \"six months experience as\"\n}\n"
        ));
        assert!(!held("fields f \"F\" { \"x\" }\n"));
    }

    /// The shipped rules and every rule file among the test fixtures.
    fn rule_files() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["rules", "tests/fixtures/check"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "qual")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    files.push((path, text));
                }
            }
        }
        assert!(files.len() > 10);
        files
    }

    #[test]
    fn a_file_read_whole_gives_the_items_read_one_by_one() {
        let mut whole = 0;
        for (path, text) in rule_files() {
            let hazards = prescan::scan(&text);
            let by_item = parse_item_by_item(FileId(3), &text, &hazards);
            // A file with a hazard (a string left open, nesting too deep) is never read whole.
            let read_whole = hazards
                .is_empty()
                .then(|| parse_whole_file(FileId(3), &text))
                .flatten();
            if let Some(items) = read_whole {
                whole += 1;
                assert!(by_item.1.is_empty(), "{}", path.display());
                assert_eq!(items, by_item.0.items, "{}", path.display());
            } else {
                // Only a file with a syntax error is read item by item.
                assert!(!by_item.1.is_empty(), "{}", path.display());
            }
            assert_eq!(
                parse_rule_file(FileId(3), &text),
                by_item,
                "{}",
                path.display()
            );
        }
        assert!(whole > 5, "only {whole} files parsed whole");
    }

    /// A file larger than [`WHOLE_FILE_BYTES`] is read in parts, and gives what reading it
    /// item by item gives.
    #[test]
    fn a_large_file_read_in_parts_gives_the_items_read_one_by_one() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/k9099.qual"),
        )
        .unwrap();
        let class = &text[text.find("\nclass K9099").unwrap()..];
        let mut large = text.clone();
        let mut copy = 0;
        while large.len() <= 3 * WHOLE_FILE_BYTES {
            large.push_str(&class.replace("K9099", &format!("C{copy:05}")));
            copy += 1;
        }
        assert!(super::super::parts::parts(&large, WHOLE_FILE_BYTES).len() > 2);
        let read = parse_rule_file(FileId(1), &large);
        assert!(read.1.is_empty(), "{:#?}", read.1);
        assert_eq!(read, parse_item_by_item(FileId(1), &large, &[]));
        let shipped = parse_rule_file(FileId(1), &text).0.items.len();
        assert_eq!(read.0.items.len(), shipped + copy);
    }

    /// The grammar's string stops at `"`, `\\` and `\n` only; a carriage return inside a
    /// string is refused by the scan before every parse, whichever way the file is read.
    #[test]
    fn a_carriage_return_inside_a_string_leaves_it_unterminated() {
        for text in [
            "class X \"open\rclosed\" {\n}\n",
            "class X \"a\" {\n  note \"line\r\"\n}\n",
            "experience e \"E\r\"\n",
        ] {
            let whole = parse_rule_file(FileId(0), text).1;
            let scoped = parse_rule_file_scoped(FileId(0), text, &["X".to_owned()]).1;
            let in_parts = super::super::parts::parse_rule_file_in_parts(FileId(0), text).1;
            for diagnostics in [whole, scoped, in_parts] {
                assert_eq!(
                    diagnostics.first().map(Diagnostic::code),
                    Some(crate::diagnostics::Code::UnterminatedString),
                    "{text:?}: {diagnostics:#?}"
                );
            }
        }
    }

    /// The codes of the classes read, and how many other items.
    fn read_scoped(text: &str, codes: &[&str]) -> (Vec<String>, usize) {
        let codes: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
        let (file, diagnostics) = parse_rule_file_scoped(FileId(0), text, &codes);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let mut classes = Vec::new();
        let mut others = 0;
        for item in file.items {
            match item {
                super::super::ast::Item::Class(class) => classes.push(class.code.text),
                _ => others += 1,
            }
        }
        (classes, others)
    }

    /// A class whose header is indented, after an unindented one, and whose statement is
    /// written at the left margin: the guess ends the first class after the second one's
    /// header. Each is still passed over, or read, whole by its braces.
    #[test]
    fn an_indented_class_after_a_passed_over_one_is_found_by_its_braces() {
        let class = |code: &str, indent: &str| {
            format!(
                "{indent}class {code} \"y\" {{\nprofile p source \"none.txt\"\n  established 2000-01-01\n}}\n"
            )
        };
        let text = format!(
            "{}{}{}",
            class("Y1", ""),
            class("Y2", "  "),
            class("Y3", "  ")
        );
        assert_eq!(read_scoped(&text, &["K9099"]), (Vec::new(), 0));
        assert_eq!(read_scoped(&text, &["Y2"]), (vec!["Y2".to_owned()], 0));
        assert_eq!(read_scoped(&text, &["Y3"]), (vec!["Y3".to_owned()], 0));
        assert_eq!(read_scoped(&text, &["Y1"]), (vec!["Y1".to_owned()], 0));
        let (whole, diagnostics) = parse_rule_file(FileId(0), &text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_eq!(whole.items.len(), 3);
    }

    #[test]
    fn a_scoped_read_keeps_the_vocabulary_and_the_classes_asked_for() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/k9099.qual"),
        )
        .unwrap();
        let (whole, _) = parse_rule_file(FileId(0), &text);
        let vocabulary = whole
            .items
            .iter()
            .filter(|i| !matches!(i, super::super::ast::Item::Class(_)))
            .count();
        assert_eq!(
            read_scoped(&text, &["K9099"]),
            (vec!["K9099".to_owned()], vocabulary)
        );
        assert_eq!(read_scoped(&text, &["G1099"]), (Vec::new(), vocabulary));
    }

    #[test]
    fn a_class_indented_inside_another_is_never_passed_over() {
        let class = |code: &str| {
            format!(
                "class {code} \"T\" {{\n  profile p\n  source \"s.txt\"\n  established 01/01/2001\n}}\n"
            )
        };
        let text = format!("{}  {}{}", class("A1"), class("B2"), class("C3"));
        assert_eq!(read_scoped(&text, &["B2"]).0, ["A1", "B2"]);
        assert_eq!(read_scoped(&text, &["C3"]).0, ["C3"]);
        assert!(read_scoped(&text, &["D4"]).0.is_empty());
    }
}
