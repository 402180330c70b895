//! A one-pass reader of strict JSON straight into the spanned value tree, tried before the general parser.
//!
//! Reading a JSON applicant line is the larger part of screening one, and a general parser
//! builds a syntax tree that is then copied into [`Node`]s. This reader builds the nodes
//! directly from the text, with the same kinds and byte spans the general parser gives:
//! strings decoded and spanned with their quotes, numbers kept as written, objects and
//! arrays spanned from their opening to their closing bracket, keys spanned with their quotes.
//!
//! It reads only what RFC 8259 allows and only what needs no diagnostic, and gives `None`
//! for everything else: any syntax error, whitespace other than space, tab, line feed and
//! carriage return, a raw control character in a string, a `\u` escape that is a lone
//! surrogate, a value nested deeper than [`MAX_DEPTH`], or a key repeated in an object. The
//! caller then reads the text with the general parser, which reports exactly what it always
//! has; so every input gives the same tree and the same diagnostics either way.
//!
//! Each step moves forward through the text, a repeated key is looked for among at most
//! [`SCANNED_KEYS`] keys or in an index, and recursion goes no deeper than `MAX_DEPTH + 1`,
//! so the work is linear in the text.

use std::collections::HashSet;

use super::document::{Entry, MAX_DEPTH, Node, NodeKind, SCANNED_KEYS};

/// The tree of `text` when it is strict JSON that the general parser would read with no
/// diagnostic; `None` for anything else, to be read by the general parser.
pub(super) fn read(text: &str) -> Option<Node> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    reader.skip_whitespace();
    let node = reader.value(1)?;
    reader.skip_whitespace();
    (reader.at == text.len()).then_some(node)
}

/// The text and how far it has been read; `at` is always on a character boundary.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Moves past `byte` when it is next; whether it was.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
        }
        next
    }

    /// Moves past the JSON whitespace (space, tab, line feed, carriage return) that is next.
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The value that starts here, at nesting `depth` (the top value is at 1).
    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        let kind = match self.peek()? {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => NodeKind::String(self.string()?),
            b't' => self.word("true", NodeKind::Bool(true))?,
            b'f' => self.word("false", NodeKind::Bool(false))?,
            b'n' => self.word("null", NodeKind::Null)?,
            b'-' | b'0'..=b'9' => NodeKind::Number {
                text: self.number()?.to_owned(),
                radix: 10,
            },
            _ => return None,
        };
        Some(Node {
            kind,
            span: start..self.at,
        })
    }

    /// `kind` when `word` is written here. What follows it is checked by the caller, which
    /// accepts only whitespace, a comma, a closing bracket or the end of the text.
    fn word(&mut self, word: &str, kind: NodeKind) -> Option<NodeKind> {
        let rest = self.bytes.get(self.at..)?;
        if !rest.starts_with(word.as_bytes()) {
            return None;
        }
        self.at += word.len();
        Some(kind)
    }

    /// The text of the number here: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// A digit after a leading `0` is left for the caller to refuse.
    fn number(&mut self) -> Option<&str> {
        let start = self.at;
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.') {
            self.some_digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            self.some_digits()?;
        }
        self.text.get(start..self.at)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    /// Moves past one or more digits; `None` when no digit is next.
    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    /// The decoded string whose opening quote is here.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        // Most strings hold no escape: they are copied in one allocation of their length.
        let run = self.plain_run()?;
        if self.peek()? == b'"' {
            self.at += 1;
            return Some(run.to_owned());
        }
        let mut decoded = String::from(run);
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(decoded);
                }
                b'\\' => {
                    self.at += 1;
                    decoded.push(self.escape()?);
                    decoded.push_str(self.plain_run()?);
                }
                _ => return None,
            }
        }
    }

    /// The text from here to the next quote, backslash or control character, which it
    /// moves to; `None` when the text ends first.
    fn plain_run(&mut self) -> Option<&'a str> {
        let rest = self.bytes.get(self.at..)?;
        let plain = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        // The run ends before an ASCII byte, so both ends are character boundaries.
        let run = self.text.get(self.at..self.at + plain)?;
        self.at += plain;
        Some(run)
    }

    /// The character an escape stands for, read from just after its backslash.
    fn escape(&mut self) -> Option<char> {
        let letter = self.peek()?;
        self.at += 1;
        Some(match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{08}',
            b'f' => '\u{0C}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return None,
        })
    }

    /// The character of a `\u` escape read from its four digits, with the low half that must
    /// follow a high surrogate; `None` for a lone surrogate of either half.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&first) {
            return None;
        }
        if !(0xD800..=0xDBFF).contains(&first) {
            return char::from_u32(first);
        }
        if !(self.eat(b'\\') && self.eat(b'u')) {
            return None;
        }
        let second = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&second) {
            return None;
        }
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    }

    /// The value of the four hex digits here.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..)?.get(..4)?;
        let mut value = 0;
        for &digit in digits {
            value = value * 16 + char::from(digit).to_digit(16)?;
        }
        self.at += 4;
        Some(value)
    }

    /// The array whose `[` is here, its items at `depth + 1`.
    fn array(&mut self, depth: usize) -> Option<NodeKind> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Some(NodeKind::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            if self.eat(b']') {
                return Some(NodeKind::Array(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// The object whose `{` is here, its values at `depth + 1`; `None` when a key repeats.
    fn object(&mut self, depth: usize) -> Option<NodeKind> {
        self.at += 1;
        // Room for the keys of an applicant's tables, which hold up to about eight.
        let mut entries: Vec<Entry> = Vec::with_capacity(8);
        let mut keys = Keys::default();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Some(NodeKind::Table(entries));
        }
        loop {
            self.skip_whitespace();
            let key_start = self.at;
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            let key_span = key_start..self.at;
            if !keys.insert(&entries, &key) {
                return None;
            }
            self.skip_whitespace();
            if !self.eat(b':') {
                return None;
            }
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            entries.push(Entry {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            if self.eat(b'}') {
                return Some(NodeKind::Table(entries));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

/// The keys of an object so far: scanned in its entries while there are few, indexed after.
#[derive(Default)]
struct Keys {
    index: Option<HashSet<String>>,
}

impl Keys {
    /// Records `key`, about to be added after `entries`; false when it is already there.
    fn insert(&mut self, entries: &[Entry], key: &str) -> bool {
        if let Some(index) = &mut self.index {
            return index.insert(key.to_owned());
        }
        if entries.iter().any(|entry| entry.key == key) {
            return false;
        }
        if entries.len() >= SCANNED_KEYS {
            let mut index: HashSet<String> =
                entries.iter().map(|entry| entry.key.clone()).collect();
            index.insert(key.to_owned());
            self.index = Some(index);
        }
        true
    }
}

#[cfg(test)]
mod tests;
