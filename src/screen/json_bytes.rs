//! The few JSON pieces the compact record is made of, written straight into a byte buffer:
//! objects and arrays with their commas, escaped strings, whole numbers and exact amounts.
//!
//! A record is mostly keys the writer knows and names from the rules that need no escaping,
//! so a string is checked once and copied whole when it holds nothing to escape. Strings are
//! escaped as `serde_json` escapes them (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and
//! `\u00xx` for the other control characters), so the bytes are the ones it would write.

use crate::check::model::Exact;

/// Whether the rules' names (see [`crate::compile::Program::names`]) are written into a
/// record as they are or escaped like any other text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Names {
    /// Every name holds nothing JSON escapes, as the grammar's identifiers and codes never
    /// do: a name is copied whole, unchecked.
    Plain,
    /// Some name would need escaping: names are checked and escaped as text is.
    #[default]
    Escaped,
}

impl Names {
    /// `Plain` when no name of `names` needs escaping, checked once for a whole run.
    pub fn of<'n>(mut names: impl Iterator<Item = &'n str>) -> Names {
        if names.all(|name| !needs_escape(name.as_bytes())) {
            Names::Plain
        } else {
            Names::Escaped
        }
    }
}

/// The bytes of one record being written.
#[derive(Debug, Default)]
pub(super) struct JsonBytes {
    bytes: Vec<u8>,
    names: Names,
}

impl JsonBytes {
    pub fn with_capacity(capacity: usize, names: Names) -> JsonBytes {
        JsonBytes {
            bytes: Vec::with_capacity(capacity),
            names,
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Text that is already JSON (punctuation, `true`, `null`).
    #[inline]
    pub fn raw(&mut self, text: &str) {
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// A JSON string.
    #[inline]
    pub fn string(&mut self, text: &str) {
        self.bytes.push(b'"');
        self.escaped(text.as_bytes());
        self.bytes.push(b'"');
    }

    /// One of the rules' names, as a JSON string: copied whole when the run's names are
    /// [`Names::Plain`].
    #[inline]
    pub fn name(&mut self, name: &str) {
        match self.names {
            Names::Plain => self.quoted(name),
            Names::Escaped => self.string(name),
        }
    }

    /// A name of the rules or `null`.
    pub fn optional_name(&mut self, name: Option<&str>) {
        match name {
            Some(name) => self.name(name),
            None => self.raw("null"),
        }
    }

    /// An array of the rules' names.
    pub fn names<S: AsRef<str>>(&mut self, items: &[S]) {
        let mut array = self.array();
        for item in items {
            array.item().name(item.as_ref());
        }
        array.end();
    }

    /// A fixed word of the record's format (`"direct"`), which holds nothing to escape.
    #[inline]
    pub fn word(&mut self, word: &'static str) {
        debug_assert!(!needs_escape(word.as_bytes()));
        self.quoted(word);
    }

    /// `text` between quotes, as it is.
    #[inline]
    fn quoted(&mut self, text: &str) {
        self.bytes.reserve(text.len() + 2);
        self.bytes.push(b'"');
        self.bytes.extend_from_slice(text.as_bytes());
        self.bytes.push(b'"');
    }

    /// A date as a JSON string, as it displays (`"2024-06-30"`): digits written straight
    /// into the buffer for the years 0 to 9999, which display as four digits.
    pub fn date(&mut self, date: jiff::civil::Date) {
        let Ok(year) = u16::try_from(date.year()) else {
            return self.string(&date.to_string());
        };
        if year > 9999 {
            return self.string(&date.to_string());
        }
        let digit = |n: u16| b'0' + (n % 10) as u8;
        let [month, day] = [date.month(), date.day()].map(|n| n.unsigned_abs());
        self.bytes.extend_from_slice(&[
            b'"',
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            b'0' + month / 10,
            b'0' + month % 10,
            b'-',
            b'0' + day / 10,
            b'0' + day % 10,
            b'"',
        ]);
    }

    #[inline]
    pub fn boolean(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    pub fn unsigned(&mut self, value: u64) {
        self.raw(itoa::Buffer::new().format(value));
    }

    /// An exact amount as a string: `"7"` or `"15/2"`.
    pub fn exact(&mut self, value: Exact) {
        self.bytes.push(b'"');
        self.raw(itoa::Buffer::new().format(*value.numer()));
        if *value.denom() != 1 {
            self.bytes.push(b'/');
            self.raw(itoa::Buffer::new().format(*value.denom()));
        }
        self.bytes.push(b'"');
    }

    /// An array of strings.
    pub fn strings<S: AsRef<str>>(&mut self, items: &[S]) {
        let mut array = self.array();
        for item in items {
            array.item().string(item.as_ref());
        }
        array.end();
    }

    /// Starts an object; its entries are written through the [`Object`].
    #[inline]
    pub fn object(&mut self) -> Object<'_> {
        self.bytes.push(b'{');
        Object {
            out: self,
            empty: true,
        }
    }

    /// Starts an array; its items are written through the [`Array`].
    #[inline]
    pub fn array(&mut self) -> Array<'_> {
        self.bytes.push(b'[');
        Array {
            out: self,
            empty: true,
        }
    }

    fn escaped(&mut self, text: &[u8]) {
        if !needs_escape(text) {
            self.bytes.extend_from_slice(text);
            return;
        }
        let mut rest = text;
        while let Some(at) = rest.iter().position(|&byte| escape_of(byte).is_some()) {
            let (plain, from) = rest.split_at(at);
            self.bytes.extend_from_slice(plain);
            let Some((&byte, after)) = from.split_first() else {
                return;
            };
            match escape_of(byte) {
                Some(Escape::Short(letter)) => self.bytes.extend_from_slice(&[b'\\', letter]),
                Some(Escape::Unicode) => {
                    let hex = b"0123456789abcdef";
                    let high = hex.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
                    let low = hex.get(usize::from(byte & 0xf)).copied().unwrap_or(b'0');
                    self.bytes
                        .extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
                }
                None => self.bytes.push(byte),
            }
            rest = after;
        }
        self.bytes.extend_from_slice(rest);
    }
}

/// Whether any byte of `text` is escaped in JSON, checked eight bytes at a time (the last
/// few padded with spaces to a whole word): most strings have nothing to escape and are
/// copied whole.
fn needs_escape(text: &[u8]) -> bool {
    let mut chunks = text.chunks_exact(8);
    for chunk in &mut chunks {
        if word_needs_escape(<[u8; 8]>::try_from(chunk).unwrap_or([b' '; 8])) {
            return true;
        }
    }
    let rest = chunks.remainder();
    let mut padded = [b' '; 8];
    match padded.get_mut(..rest.len()) {
        Some(head) => head.copy_from_slice(rest),
        None => return rest.iter().any(|&byte| escape_of(byte).is_some()),
    }
    word_needs_escape(padded)
}

/// Whether any of eight bytes is escaped in JSON: a control character, `"` or a backslash.
#[inline]
fn word_needs_escape(bytes: [u8; 8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether a byte of `word` is zero: the usual test, exact for "is there one".
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS != 0;
    let word = u64::from_ne_bytes(bytes);
    // A byte under 0x20 is one whose value minus 0x20 borrows without its top bit set.
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    control
        || has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
}

enum Escape {
    /// `\` and this letter.
    Short(u8),
    /// `\u00` and two hex digits.
    Unicode,
}

fn escape_of(byte: u8) -> Option<Escape> {
    match byte {
        b'"' => Some(Escape::Short(b'"')),
        b'\\' => Some(Escape::Short(b'\\')),
        0x08 => Some(Escape::Short(b'b')),
        0x0c => Some(Escape::Short(b'f')),
        b'\n' => Some(Escape::Short(b'n')),
        b'\r' => Some(Escape::Short(b'r')),
        b'\t' => Some(Escape::Short(b't')),
        0x00..=0x1f => Some(Escape::Unicode),
        _ => None,
    }
}

/// An object being written: each [`Object::key`] writes the comma before it.
pub(super) struct Object<'o> {
    out: &'o mut JsonBytes,
    empty: bool,
}

impl Object<'_> {
    /// Writes `"key":` and gives the buffer for its value. Keys are plain ASCII names.
    #[inline]
    pub fn key(&mut self, key: &str) -> &mut JsonBytes {
        debug_assert!(key.bytes().all(|byte| escape_of(byte).is_none()));
        if !self.empty {
            self.out.bytes.push(b',');
        }
        self.empty = false;
        self.out.bytes.push(b'"');
        self.out.bytes.extend_from_slice(key.as_bytes());
        self.out.bytes.extend_from_slice(b"\":");
        self.out
    }

    #[inline]
    pub fn end(self) {
        self.out.bytes.push(b'}');
    }
}

/// An array being written: each [`Array::item`] writes the comma before it.
pub(super) struct Array<'o> {
    out: &'o mut JsonBytes,
    empty: bool,
}

impl Array<'_> {
    #[inline]
    pub fn item(&mut self) -> &mut JsonBytes {
        if !self.empty {
            self.out.bytes.push(b',');
        }
        self.empty = false;
        self.out
    }

    #[inline]
    pub fn end(self) {
        self.out.bytes.push(b']');
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dates_are_written_as_they_display() {
        let years = [-9999, -1, 0, 1, 9, 99, 999, 1900, 2000, 2024, 9999];
        for year in years {
            for (month, day) in [(1, 1), (2, 28), (6, 30), (10, 9), (12, 31)] {
                let date = jiff::civil::Date::new(year, month, day).unwrap();
                let mut out = JsonBytes::default();
                out.date(date);
                let expected = serde_json::to_vec(&date.to_string()).unwrap();
                assert_eq!(out.into_bytes(), expected, "{date}");
            }
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let samples = [
            "",
            "plain",
            "quote \" and \\ backslash",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1b}\u{1f} \u{7f}",
            "é ü 漢字 🙂",
            "\"",
            "ends with \\",
        ];
        for sample in samples {
            let mut out = JsonBytes::default();
            out.string(sample);
            let expected = serde_json::to_vec(sample).unwrap();
            assert_eq!(out.into_bytes(), expected, "{sample:?}");
        }
    }

    #[test]
    fn names_are_copied_whole_only_when_every_name_is_plain() {
        assert_eq!(
            Names::of(["K9099", "public_program", "A-1"].into_iter()),
            Names::Plain
        );
        let odd = Names::of(["K9099", "say \"hi\""].into_iter());
        assert_eq!(odd, Names::Escaped);
        let mut out = JsonBytes::with_capacity(16, odd);
        out.names(&["a\\b", "c"]);
        assert_eq!(out.into_bytes(), br#"["a\\b","c"]"#);
        let mut out = JsonBytes::with_capacity(16, Names::Plain);
        out.optional_name(Some("B"));
        out.optional_name(None);
        assert_eq!(out.into_bytes(), br#""B"null"#);
    }

    #[test]
    fn the_word_check_finds_every_byte_to_escape_at_every_place() {
        for length in 0..20 {
            for at in 0..length {
                for byte in 0..=255u8 {
                    let mut text = vec![b'a'; length];
                    text[at] = byte;
                    let expected = text.iter().any(|&b| escape_of(b).is_some());
                    assert_eq!(
                        needs_escape(&text),
                        expected,
                        "{byte:#x} at {at} of {length}"
                    );
                }
            }
        }
    }

    #[test]
    fn objects_and_arrays_place_their_commas() {
        let mut out = JsonBytes::default();
        let mut object = out.object();
        object.key("a").unsigned(1);
        object.key("b").strings(&["x", "y"]);
        object.key("c").exact(Exact::new(15, 2));
        object.key("d").exact(Exact::from_integer(-7));
        object.key("e").optional_name(None);
        let empty = object.key("f").array();
        empty.end();
        object.key("g").object().end();
        object.end();
        assert_eq!(
            String::from_utf8(out.into_bytes()).unwrap(),
            r#"{"a":1,"b":["x","y"],"c":"15/2","d":"-7","e":null,"f":[],"g":{}}"#
        );
    }
}
