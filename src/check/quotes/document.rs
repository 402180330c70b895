//! A source document read for quote verification: its words, normalised for comparison,
//! and the headings that mark its sections.
//!
//! A heading is a paragraph of one short line that starts with a capital letter and does
//! not end a sentence ("Basic", "Minimum Qualifications", "Recommended Education and
//! Experience for Full Performance*"), or a label in capitals ending in `:` that opens a
//! paragraph ("MINIMUM EXPERIENCE AND TRAINING: (NOTE: …)"). A section runs from its
//! heading to the next heading.

/// The most words a one-line paragraph may have and still be a heading.
const MAX_HEADING_WORDS: usize = 12;

/// One word of the document: where it is in the normalised text and in the original.
#[derive(Clone, Copy, Debug)]
pub(super) struct Word {
    /// Byte range in [`Document::joined`].
    pub joined: (usize, usize),
    /// Byte range in the original text.
    pub original: (usize, usize),
}

/// A heading and the words of the section it opens.
#[derive(Clone, Debug)]
pub(super) struct Heading {
    /// Lower case, white space collapsed, surrounding `*` and a trailing `:` removed.
    pub key: String,
    /// As written, for messages.
    pub shown: String,
    /// The heading's own first word.
    pub first_word: usize,
    /// The first word of the section's body.
    pub body_start: usize,
    /// One past the last word of the section's body.
    pub body_end: usize,
}

#[derive(Debug)]
pub(super) struct Document<'t> {
    pub text: &'t str,
    /// Every word normalised ([`normalise_text`]), joined by single spaces.
    pub joined: String,
    pub words: Vec<Word>,
    /// In document order.
    pub headings: Vec<Heading>,
}

/// Straight quotes for curly ones, so that a quote typed with either matches.
fn normal_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        _ => c,
    }
}

/// Text with white space (line breaks and no-break spaces included) collapsed to single
/// spaces and quotes made straight.
pub(super) fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(normal_char));
    }
    out
}

/// The key a heading or a cited section is compared by.
pub(super) fn heading_key(text: &str) -> String {
    let trimmed = text
        .trim()
        .trim_matches('*')
        .trim_end_matches(':')
        .trim_matches('*')
        .trim();
    normalise_text(trimmed).to_lowercase()
}

/// The words of `text` with their byte ranges.
fn words_of(text: &str, offset: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (start, c.is_whitespace()) {
            (None, false) => {
                start = Some(i);
                None
            }
            (Some(s), true) => {
                start = None;
                Some((offset + s, offset + i))
            }
            _ => None,
        })
}

/// The lines of one paragraph, as byte ranges of the text.
type Paragraph = Vec<(usize, usize)>;

/// The lines of `text` as byte ranges without their ends: `\n`, `\r\n` or a lone `\r`.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'\n' || byte == b'\r' {
            lines.push((start, index));
            let crlf = byte == b'\r' && bytes.get(index + 1) == Some(&b'\n');
            index += if crlf { 2 } else { 1 };
            start = index;
        } else {
            index += 1;
        }
    }
    lines.push((start, text.len()));
    lines
}

/// Paragraphs: runs of lines that are not blank (white space only, no-break spaces too).
fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut all = Vec::new();
    let mut current = Vec::new();
    for (start, end) in lines(text) {
        if text.get(start..end).unwrap_or("").trim().is_empty() {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
        } else {
            current.push((start, end));
        }
    }
    if !current.is_empty() {
        all.push(current);
    }
    all
}

/// A one-line paragraph that reads as a heading.
fn is_heading_line(line: &str) -> bool {
    let trimmed = line.trim().trim_matches('*').trim();
    let starts_upper = trimmed.chars().next().is_some_and(char::is_uppercase);
    let ends_sentence = trimmed.ends_with(['.', ';', ',', '!', '?']);
    starts_upper && !ends_sentence && trimmed.split_whitespace().count() <= MAX_HEADING_WORDS
}

/// The length of a capitals label ending in `:` that opens `line`, colon included.
fn label_length(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let label = line.get(..colon)?;
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = label
        .chars()
        .all(|c| c.is_uppercase() || c.is_whitespace() || ",&-/'".contains(c));
    (letters >= 2 && capitals && label.trim() == label.trim_start()).then_some(colon + 1)
}

impl<'t> Document<'t> {
    pub(super) fn read(text: &'t str) -> Document<'t> {
        let mut document = Document {
            text,
            joined: String::with_capacity(text.len()),
            words: Vec::new(),
            headings: Vec::new(),
        };
        for paragraph in paragraphs(text) {
            document.add_paragraph(&paragraph);
        }
        // A section's body ends where the next heading's own words begin.
        let ends: Vec<usize> = document
            .headings
            .iter()
            .skip(1)
            .map(|next| next.first_word)
            .collect();
        let last = document.words.len();
        for (index, heading) in document.headings.iter_mut().enumerate() {
            heading.body_end = ends.get(index).copied().unwrap_or(last);
        }
        document
    }

    fn add_paragraph(&mut self, lines: &[(usize, usize)]) {
        let first_word = self.words.len();
        let first_line = lines.first().copied().unwrap_or_default();
        let line_text = self.text.get(first_line.0..first_line.1).unwrap_or("");
        let indent = line_text.len() - line_text.trim_start().len();
        let label =
            label_length(line_text.trim_start()).map(|length| first_line.0 + indent + length);
        let heading_end = label
            .or_else(|| (lines.len() == 1 && is_heading_line(line_text)).then_some(first_line.1));
        for &(start, end) in lines {
            let line = self.text.get(start..end).unwrap_or("");
            for (word_start, word_end) in words_of(line, start).collect::<Vec<_>>() {
                self.push_word(word_start, word_end);
            }
        }
        if let Some(heading_end) = heading_end {
            let body_start = self
                .words
                .get(first_word..)
                .unwrap_or(&[])
                .iter()
                .position(|word| word.original.0 >= heading_end)
                .map_or(self.words.len(), |count| first_word + count);
            let heading_text = self.text.get(first_line.0..heading_end).unwrap_or("");
            self.headings.push(Heading {
                key: heading_key(heading_text),
                shown: normalise_text(heading_text.trim().trim_matches('*').trim_end_matches(':')),
                first_word,
                body_start,
                body_end: body_start,
            });
        }
    }

    fn push_word(&mut self, start: usize, end: usize) {
        if !self.joined.is_empty() {
            self.joined.push(' ');
        }
        let joined_start = self.joined.len();
        let word = self.text.get(start..end).unwrap_or("");
        self.joined.extend(word.chars().map(normal_char));
        self.words.push(Word {
            joined: (joined_start, self.joined.len()),
            original: (start, end),
        });
    }

    /// The normalised text of words `range`, and where it starts in [`Document::joined`].
    pub(super) fn joined_range(&self, range: std::ops::Range<usize>) -> (usize, usize) {
        let start = self
            .words
            .get(range.start)
            .map_or(self.joined.len(), |w| w.joined.0);
        let end = range
            .end
            .checked_sub(1)
            .and_then(|last| self.words.get(last))
            .map_or(start, |w| w.joined.1);
        (start, end.max(start))
    }

    /// The index of the word that holds byte `offset` of [`Document::joined`].
    pub(super) fn word_at(&self, offset: usize) -> usize {
        self.words.partition_point(|word| word.joined.1 <= offset)
    }

    /// The line (from 1) of the word at `index`.
    pub(super) fn line_of_word(&self, index: usize) -> usize {
        let offset = self
            .words
            .get(index)
            .map_or(self.text.len(), |w| w.original.0);
        let before = self.text.get(..offset).unwrap_or("");
        lines(before).len()
    }

    /// The original text of words `range`, white space collapsed.
    pub(super) fn shown_words(&self, range: std::ops::Range<usize>) -> String {
        let words: Vec<&str> = self
            .words
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(|w| self.text.get(w.original.0..w.original.1).unwrap_or(""))
            .collect();
        words.join(" ")
    }
}
