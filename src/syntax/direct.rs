//! Reads rule text made only of classes straight into the syntax tree, as pest reads it,
//! without pest's record of its parse; anything else is left to pest.
//!
//! The grammar (`grammar/qualify.pest`) defines the language and pest reads it. A large
//! rule set is almost all classes, and pest, which records every token and is then walked
//! again to build the tree, spends most of a large check reading them. This reader follows
//! the grammar's class rules one for one, the way pest runs them: ordered choice, greedy
//! repetition, white space and comments between tokens, and a rule's span running on over
//! the white space pest skips before an optional part that is absent (which the span's
//! trimming then treats alike). It gives `None` at anything it does not read exactly as
//! pest does: another kind of item, an assertion, a place where pest would backtrack, any
//! syntax error. The caller then reads the text with pest, so every error is still pest's.
//! Tests hold the two readers to the same tree on every rule file of the project and on
//! files mutated from them.

use super::ast::*;
use super::build::{joined_strings, trimmed_span, words_single_spaced};
use super::syntax_error::RESERVED_WORDS;
use crate::source::{FileId, Span};

mod requirements;
#[cfg(test)]
mod tests;

/// Parentheses nested deeper than this are left to pest, and to the scan for hazards,
/// which refuses them (`prescan.rs`).
const MAX_DEPTH: usize = super::MAX_NESTING;

/// A node read, with where its rule ends as pest places the end (before trimming).
type Read<T> = Option<(T, usize)>;

/// Every item of `part` (a slice of a file starting at byte `base` of it), when it holds
/// only classes that read without a question; spans are the file's. `None` leaves the part
/// to pest.
pub(super) fn parse_part(file: FileId, part: &str, base: usize) -> Option<Vec<Item>> {
    let reader = Reader {
        text: part,
        bytes: part.as_bytes(),
        file,
        base,
        has_carriage_return: memchr::memchr(b'\r', part.as_bytes()).is_some(),
    };
    let mut items = Vec::new();
    let mut at = reader.skip(0);
    while at < part.len() {
        let (class, end) = reader.class(at)?;
        items.push(Item::Class(class));
        at = reader.skip(end);
    }
    Some(items)
}

/// The text being read, and where its spans point.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    file: FileId,
    base: usize,
    /// Whether the text holds a carriage return anywhere: when it does not, no string needs
    /// to be searched for one.
    has_carriage_return: bool,
}

/// The grammar's `ident_char`.
fn is_ident_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl<'t> Reader<'t> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn rest(&self, at: usize) -> &'t [u8] {
        self.bytes.get(at..).unwrap_or(&[])
    }

    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The span from `start` to a rule's end `end`, trimmed as the tree builder trims a pair
    /// (a span that ends with a token before the end of the text is kept as it is).
    fn span(&self, start: usize, end: usize) -> Span {
        let ends_with_token = start < end
            && end < self.bytes.len()
            && self
                .byte(end - 1)
                .is_some_and(|byte| !byte.is_ascii_whitespace());
        if ends_with_token {
            Span::new(self.file, self.base + start, self.base + end)
        } else {
            trimmed_span(self.file, self.base, self.text, start, end)
        }
    }

    /// Past the white space and comments at `at`, as pest's `WHITESPACE` reads them between
    /// two tokens.
    fn skip(&self, mut at: usize) -> usize {
        loop {
            match self.byte(at) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => at += 1,
                Some(b'#') => {
                    at = memchr::memchr2(b'\n', b'\r', self.rest(at))
                        .map_or(self.bytes.len(), |n| at + n);
                }
                _ => return at,
            }
        }
    }

    /// The end of `literal` written at `at`.
    fn literal(&self, at: usize, literal: &str) -> Option<usize> {
        self.rest(at)
            .starts_with(literal.as_bytes())
            .then_some(at + literal.len())
    }

    /// The end of `word` written at `at` as a whole word (the grammar's `kw_word`, or
    /// `&w_word ~ "word"`).
    fn word(&self, at: usize, word: &str) -> Option<usize> {
        let end = self.literal(at, word)?;
        (!self.byte(end).is_some_and(is_ident_char)).then_some(end)
    }

    /// The end of the run of bytes `accept` takes from `at` (`at` when there is none).
    fn run(&self, at: usize, accept: impl Fn(u8) -> bool) -> usize {
        at + self
            .rest(at)
            .iter()
            .take_while(|&&byte| accept(byte))
            .count()
    }

    /// The end of the run of ASCII digits from `at`, of `min` to `max` digits (pest's
    /// `ASCII_DIGIT{min, max}`, which takes as many as it can).
    fn digits(&self, at: usize, min: usize, max: usize) -> Option<usize> {
        let count = self
            .rest(at)
            .iter()
            .take(max)
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        (count >= min).then_some(at + count)
    }

    /// Whether the grammar's `keyword` rule matches at `at`: the first of its words, in the
    /// order it tries them, that the text starts with is the whole word (so `includes`,
    /// which starts with `in`, is not a keyword).
    fn is_keyword(&self, at: usize) -> bool {
        let rest = self.rest(at);
        RESERVED_WORDS
            .iter()
            .find(|keyword| rest.starts_with(keyword.as_bytes()))
            .is_some_and(|keyword| !self.byte(at + keyword.len()).is_some_and(is_ident_char))
    }

    fn name(&self, start: usize, end: usize) -> Name {
        Name {
            text: self.slice(start, end).to_owned(),
            span: self.span(start, end),
        }
    }

    /// A name (`ident`): a letter or `_`, then letters, digits and `_`; not a keyword.
    fn ident(&self, at: usize) -> Read<Name> {
        let first = self.byte(at)?;
        if !(first.is_ascii_alphabetic() || first == b'_') || self.is_keyword(at) {
            return None;
        }
        let end = self.run(at + 1, is_ident_char);
        Some((self.name(at, end), end))
    }

    /// A code (`code`): letters, digits, `_` and `-`.
    fn code(&self, at: usize) -> Read<Name> {
        let end = self.run(at, |byte| is_ident_char(byte) || byte == b'-');
        (end > at).then(|| (self.name(at, end), end))
    }

    /// The end of the quoted string at `at` (`string`). A carriage return ends a string's
    /// line as a line feed does: the scan for hazards reports the string unterminated, so
    /// it is left to that scan.
    fn string(&self, at: usize) -> Option<usize> {
        if self.byte(at)? != b'"' {
            return None;
        }
        let mut next = at + 1;
        let end = loop {
            let found = next + memchr::memchr3(b'"', b'\\', b'\n', self.rest(next))?;
            match (self.byte(found)?, self.byte(found + 1)) {
                (b'"', _) => break found + 1,
                (b'\\', Some(b'"' | b'\\')) => next = found + 2,
                _ => return None,
            }
        };
        let body = self.bytes.get(at..end)?;
        let carriage_return = self.has_carriage_return && memchr::memchr(b'\r', body).is_some();
        (!carriage_return).then_some(end)
    }

    /// A text (`text`): one string or several in a row, joined.
    fn text(&self, at: usize) -> Read<Text> {
        // Where each string is, for the first few; a text of more is found again.
        let mut found = [(0, 0); 8];
        let mut count = 0;
        let mut last_end = None;
        for (index, string) in self.strings(at).enumerate() {
            if let Some(slot) = found.get_mut(index) {
                *slot = string;
            }
            count = index + 1;
            last_end = Some(string.1);
        }
        let last_end = last_end?;
        // `string+` is `string ~ string*` to pest, whose span keeps the white space skipped
        // before a second string that is not there.
        let end = if count == 1 {
            self.skip(last_end)
        } else {
            last_end
        };
        let body = |(start, end): (usize, usize)| self.slice(start + 1, end - 1);
        let value = match found.get(..count) {
            Some(strings) => joined_strings(end - at, strings.iter().copied().map(body)),
            None => joined_strings(end - at, self.strings(at).map(body)),
        };
        let text = Text {
            value,
            span: self.span(at, end),
        };
        Some((text, end))
    }

    /// Where each string of the text at `at` starts and ends.
    fn strings(&self, at: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut next = Some(at);
        std::iter::from_fn(move || {
            let start = next?;
            let end = self.string(start)?;
            next = Some(self.skip(end));
            Some((start, end))
        })
    }

    /// A text when one starts at `at`; `Some(None)` when none does.
    fn optional_text(&self, at: usize) -> Option<Option<(Text, usize)>> {
        if self.byte(at) == Some(b'"') {
            self.text(at).map(Some)
        } else {
            Some(None)
        }
    }

    /// The end of a number (`number`): an optional `-`, digits, and a fraction.
    fn number(&self, at: usize) -> Option<usize> {
        let digits_at = if self.byte(at) == Some(b'-') {
            at + 1
        } else {
            at
        };
        let end = self.digits(digits_at, 1, usize::MAX)?;
        if self.byte(end) == Some(b'.')
            && let Some(fraction_end) = self.digits(end + 1, 1, usize::MAX)
        {
            return Some(fraction_end);
        }
        Some(end)
    }

    /// The end of a unit (`unit`): `semester` or `quarter` and a word, or one word.
    fn unit(&self, at: usize) -> Option<usize> {
        let prefix = self
            .literal(at, "semester")
            .or_else(|| self.literal(at, "quarter"));
        if let Some(prefix_end) = prefix {
            let word_at = self.skip(prefix_end);
            if word_at > prefix_end
                && let Some(end) = self.unit_word(word_at)
            {
                return Some(end);
            }
        }
        self.unit_word(at)
    }

    /// The end of a unit's word (`unit_word`): letters, not a keyword.
    fn unit_word(&self, at: usize) -> Option<usize> {
        if self.is_keyword(at) {
            return None;
        }
        let end = self.run(at, |byte| byte.is_ascii_alphabetic());
        (end > at).then_some(end)
    }

    /// An amount (`amount`): a number and its unit.
    fn amount(&self, at: usize) -> Read<Amount> {
        let number_end = self.number(at)?;
        let unit_at = self.skip(number_end);
        let unit_end = self.unit(unit_at)?;
        let amount = Amount {
            number: Number {
                raw: self.slice(at, number_end).to_owned(),
                span: self.span(at, number_end),
            },
            unit: Name {
                text: words_single_spaced(self.slice(unit_at, unit_end)),
                span: self.span(unit_at, unit_end),
            },
            span: self.span(at, unit_end),
        };
        Some((amount, unit_end))
    }

    /// A date (`date`): `YYYY-M-D` or `M/D/YYYY`, each of month and day one or two digits.
    fn date(&self, at: usize) -> Read<DateLit> {
        let end = self.dashed_date(at).or_else(|| self.slashed_date(at))?;
        let date = DateLit {
            raw: self.slice(at, end).to_owned(),
            span: self.span(at, end),
        };
        Some((date, end))
    }

    fn dashed_date(&self, at: usize) -> Option<usize> {
        let year = self.digits(at, 4, 4)?;
        let month = self.digits(self.literal(year, "-")?, 1, 2)?;
        self.digits(self.literal(month, "-")?, 1, 2)
    }

    fn slashed_date(&self, at: usize) -> Option<usize> {
        let month = self.digits(at, 1, 2)?;
        let day = self.digits(self.literal(month, "/")?, 1, 2)?;
        self.digits(self.literal(day, "/")?, 4, 4)
    }

    // ------------------------------------------------------------------ annotations

    /// A note (`note`): its text, and the authority after `by`.
    fn note(&self, at: usize) -> Read<Note> {
        let (text, text_end) = self.text(self.skip(self.word(at, "note")?))?;
        let by_at = self.skip(text_end);
        let (authority, end) = match self.word(by_at, "by") {
            Some(by_end) => {
                let (authority, end) = self.text(self.skip(by_end))?;
                (Some(authority), end)
            }
            None => (None, by_at),
        };
        let note = Note {
            text,
            authority,
            span: self.span(at, end),
        };
        Some((note, end))
    }

    /// An acknowledged warning (`allow`): its code and reason.
    fn allow(&self, at: usize) -> Read<Allow> {
        let (code, code_end) = self.code(self.skip(self.word(at, "allow")?))?;
        let (reason, end) = self.text(self.skip(code_end))?;
        let allow = Allow {
            code,
            reason,
            span: self.span(at, end),
        };
        Some((allow, end))
    }

    /// The notes and `allow`s from `at` (`annotation*`) into `annotations`; where reading
    /// goes on.
    fn annotations(&self, mut at: usize, annotations: &mut Vec<Annotation>) -> Option<usize> {
        loop {
            let (annotation, end) = if self.word(at, "note").is_some() {
                let (note, end) = self.note(at)?;
                (Annotation::Note(note), end)
            } else if self.word(at, "allow").is_some() {
                let (allow, end) = self.allow(at)?;
                (Annotation::Allow(allow), end)
            } else {
                return Some(at);
            };
            annotations.push(annotation);
            at = self.skip(end);
        }
    }

    // ------------------------------------------------------------------ classes

    /// A class (`class`).
    fn class(&self, at: usize) -> Read<Class> {
        let (code, code_end) = self.code(self.skip(self.word(at, "class")?))?;
        let mut next = self.skip(code_end);
        let title = match self.optional_text(next)? {
            Some((title, end)) => {
                next = self.skip(end);
                Some(title)
            }
            None => None,
        };
        next = self.skip(self.literal(next, "{")?);
        let mut statements = Vec::new();
        let mut levels = Vec::new();
        while self.byte(next) != Some(b'}') {
            let end = self.class_statement(next, &mut statements, &mut levels)?;
            next = self.skip(end);
        }
        let end = next + 1;
        let class = Class {
            code,
            title,
            statements,
            levels,
            broken_parts: Vec::new(),
            broken_words: Vec::new(),
            span: self.span(at, end),
        };
        Some((class, end))
    }

    /// One statement of a class (`class_stmt`), a level into `levels` and any other into
    /// `statements`; where it ends.
    fn class_statement(
        &self,
        at: usize,
        statements: &mut Vec<ClassStatement>,
        levels: &mut Vec<Level>,
    ) -> Option<usize> {
        let word_end = self.run(at, is_ident_char);
        let after = self.skip(word_end);
        let (statement, end) = match self.slice(at, word_end) {
            "level" => {
                let (level, end) = self.level(at)?;
                levels.push(level);
                return Some(end);
            }
            "note" => self
                .note(at)
                .map(|(note, end)| (ClassStatement::Note(note), end))?,
            "allow" => self
                .allow(at)
                .map(|(allow, end)| (ClassStatement::Allow(allow), end))?,
            "profile" => {
                let (name, end) = self.ident(after)?;
                (ClassStatement::Profile(name, self.span(at, end)), end)
            }
            "source" => self.text_statement(at, after, ClassStatement::Source)?,
            "established" => self.date_statement(at, after, ClassStatement::Established)?,
            "revised" => self.date_statement(at, after, ClassStatement::Revised)?,
            "effective" => self.date_statement(at, after, ClassStatement::Effective)?,
            "statutory" => {
                let text_at = self.after_words(after, &["requirements"])?;
                self.text_statement(at, text_at, ClassStatement::Statutory)?
            }
            "pay" => {
                let text_at = self.after_words(after, &["scale", "type"])?;
                self.text_statement(at, text_at, ClassStatement::PayScaleType)?
            }
            "bargaining" => {
                let text_at = self.after_words(after, &["unit"])?;
                self.text_statement(at, text_at, ClassStatement::BargainingUnit)?
            }
            "civil" => {
                let text_at = self.after_words(after, &["service"])?;
                self.text_statement(at, text_at, ClassStatement::CivilService)?
            }
            "board" => self.board_change(at, after)?,
            // An assertion, or no statement at all: pest's to read.
            _ => return None,
        };
        statements.push(statement);
        Some(end)
    }

    /// Where reading goes on after `words`, each a whole word, from `at`.
    fn after_words(&self, mut at: usize, words: &[&str]) -> Option<usize> {
        for word in words {
            at = self.skip(self.word(at, word)?);
        }
        Some(at)
    }

    /// A statement of the class whose keywords run from `at` and whose text is at `text_at`.
    fn text_statement(
        &self,
        at: usize,
        text_at: usize,
        statement: fn(Text, Span) -> ClassStatement,
    ) -> Read<ClassStatement> {
        let (text, end) = self.text(text_at)?;
        Some((statement(text, self.span(at, end)), end))
    }

    /// A statement of the class whose keyword runs from `at` and whose date is at `date_at`.
    fn date_statement(
        &self,
        at: usize,
        date_at: usize,
        statement: fn(DateLit, Span) -> ClassStatement,
    ) -> Read<ClassStatement> {
        let (date, end) = self.date(date_at)?;
        Some((statement(date, self.span(at, end)), end))
    }

    /// `board change "text" on date`, whose `board` is at `at`.
    fn board_change(&self, at: usize, after: usize) -> Read<ClassStatement> {
        let (text, text_end) = self.text(self.after_words(after, &["change"])?)?;
        let (date, end) = self.date(self.after_words(self.skip(text_end), &["on"])?)?;
        Some((
            ClassStatement::BoardChange(text, date, self.span(at, end)),
            end,
        ))
    }

    /// A level (`level`).
    fn level(&self, at: usize) -> Read<Level> {
        let (name, name_end) = self.code(self.skip(self.word(at, "level")?))?;
        let mut next = self.skip(name_end);
        let title = match self.optional_text(next)? {
            Some((title, end)) => {
                next = self.skip(end);
                Some(title)
            }
            None => None,
        };
        let (code, code_end) = self.text(self.skip(self.literal(next, "code")?))?;
        let (band, band_end) = self.band(self.skip(code_end))?;
        next = self.skip(band_end);
        let alt_band = match self.word(next, "alt") {
            Some(alt_end) => {
                let value_at = self.after_words(self.skip(alt_end), &["band"])?;
                let (alt_band, end) = self.band_value(value_at, BandLabel::Band)?;
                next = self.skip(end);
                Some(alt_band)
            }
            None => None,
        };
        next = self.skip(self.literal(next, "{")?);
        let mut annotations = Vec::new();
        next = self.annotations(next, &mut annotations)?;
        let mut tiers = Vec::new();
        while let Some(kind_end) = self.tier_kind(next) {
            let (tier, end) = self.tier(next, kind_end)?;
            tiers.push(tier);
            next = self.skip(end);
        }
        let end = self.literal(next, "}")?;
        let level = Level {
            name,
            title,
            code,
            band,
            alt_band,
            annotations,
            tiers,
            span: self.span(at, end),
        };
        Some((level, end))
    }

    /// A band (`band`): `band N` or `pay scale group N`.
    fn band(&self, at: usize) -> Read<Band> {
        let (label, value_at) = match self.word(at, "band") {
            Some(end) => (BandLabel::Band, self.skip(end)),
            None => (
                BandLabel::PayScaleGroup,
                self.after_words(at, &["pay", "scale", "group"])?,
            ),
        };
        self.band_value(value_at, label)
    }

    /// A band's number (`band_value`), at `value_at`.
    fn band_value(&self, value_at: usize, label: BandLabel) -> Read<Band> {
        let end = self.digits(value_at, 1, usize::MAX)?;
        let band = Band {
            value: self.slice(value_at, end).to_owned(),
            label,
            span: self.span(value_at, end),
        };
        Some((band, end))
    }
}
