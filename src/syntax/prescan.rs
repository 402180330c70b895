//! A cheap pass over the raw text that finds what would hurt the parser: unterminated strings
//! and nesting too deep for a recursive descent.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The deepest `(` nesting a requirement may use.
pub const MAX_NESTING: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hazard {
    /// A `"` whose string reaches the end of its line. Offsets of the quote and the line end.
    UnterminatedString { start: usize, end: usize },
    /// The `(` at this offset is nested deeper than [`MAX_NESTING`].
    TooDeep { offset: usize },
}

impl Hazard {
    pub fn offset(&self) -> usize {
        match self {
            Hazard::UnterminatedString { start, .. } => *start,
            Hazard::TooDeep { offset } => *offset,
        }
    }
}

/// Every hazard in `text[start..end]`, in order, at its offset in `text`: the scan of one
/// item, from the nesting an item starts at (none: a brace closed the item before it).
pub fn scan_range(text: &str, start: usize, end: usize) -> Vec<Hazard> {
    let mut hazards = scan(text.get(start..end).unwrap_or_default());
    for hazard in &mut hazards {
        match hazard {
            Hazard::UnterminatedString {
                start: open,
                end: close,
            } => {
                *open += start;
                *close += start;
            }
            Hazard::TooDeep { offset } => *offset += start,
        }
    }
    hazards
}

/// Every hazard in `text`, in order. Nesting resets at each hazard so one deep item is
/// reported once.
pub fn scan(text: &str) -> Vec<Hazard> {
    let bytes = text.as_bytes();
    let mut hazards = Vec::new();
    let mut depth = 0usize;
    let mut reported_depth = false;
    let mut i = 0usize;
    while let Some(b) = next_significant(bytes, &mut i) {
        match b {
            b'#' => i = line_end(bytes, i),
            b'"' => match string_end(bytes, i) {
                Ok(end) => i = end,
                Err(end) => {
                    hazards.push(Hazard::UnterminatedString { start: i, end });
                    i = end;
                }
            },
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING && !reported_depth {
                    hazards.push(Hazard::TooDeep { offset: i });
                    reported_depth = true;
                }
            }
            b')' => depth = depth.saturating_sub(1),
            b'{' | b'}' => {
                depth = 0;
                reported_depth = false;
            }
            _ => {}
        }
        i += 1;
    }
    hazards
}

/// Whether each byte can open or close something: a comment, a string, a parenthesis or a
/// brace.
const SIGNIFICANT: [bool; 256] = significant_bytes();

const fn significant_bytes() -> [bool; 256] {
    let mut table = [false; 256];
    let mut rest: &mut [bool] = &mut table;
    let mut byte: u8 = 0;
    while let [slot, tail @ ..] = rest {
        *slot = matches!(byte, b'#' | b'"' | b'(' | b')' | b'{' | b'}');
        rest = tail;
        byte = byte.wrapping_add(1);
    }
    table
}

/// Moves `i` to the next significant byte (see [`SIGNIFICANT`]) and returns it; the others
/// are passed over in one loop, a table look-up each.
fn next_significant(bytes: &[u8], i: &mut usize) -> Option<u8> {
    let rest = bytes.get(*i..)?;
    let found = rest
        .iter()
        .position(|&b| SIGNIFICANT.get(usize::from(b)).copied().unwrap_or(false))?;
    *i += found;
    rest.get(found).copied()
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    memchr::memchr2(b'\n', b'\r', rest).map_or(bytes.len(), |n| from + n)
}

/// Offset of the closing quote, or `Err(line end)` when the string is not closed on its line
/// (a line ends at `\n` or `\r`).
fn string_end(bytes: &[u8], open: usize) -> Result<usize, usize> {
    let mut i = open + 1;
    loop {
        let rest = bytes.get(i..).unwrap_or_default();
        // The first `\\`, `"` or `\n`, then any `\r` before it: two vector searches, as a
        // string is often a long run of plain characters.
        let found = memchr::memchr3(b'\\', b'"', b'\n', rest);
        let before = rest.get(..found.unwrap_or(rest.len())).unwrap_or(rest);
        let Some(n) = memchr::memchr(b'\r', before).or(found) else {
            return Err(bytes.len());
        };
        i += n;
        match bytes.get(i) {
            Some(b'\\') => i += 2,
            Some(b'"') => return Ok(i),
            _ => return Err(i),
        }
    }
}

/// The diagnostic for a hazard found before parsing. `unclosed` is the label and help for
/// an unterminated string, which differ between rule files and typed expressions.
pub(crate) fn hazard_diagnostic(
    file: FileId,
    hazard: &Hazard,
    unclosed: (&str, &str),
) -> Diagnostic {
    let (label, help) = unclosed;
    match hazard {
        Hazard::UnterminatedString { start, end } => Diagnostic::new(
            Code::UnterminatedString,
            "unterminated string",
            Span::new(file, *start, (*end).max(start + 1)),
            label,
        )
        .with_help(help),
        Hazard::TooDeep { offset } => Diagnostic::new(
            Code::NestingTooDeep,
            format!(
                "requirement nested more than {} parentheses deep",
                MAX_NESTING
            ),
            Span::new(file, *offset, offset + 1),
            "too deep here",
        )
        .with_help("remove redundant parentheses; `and` binds tighter than `or`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_bytes_are_the_six_that_open_or_close() {
        let significant: Vec<u8> = (0..=255u8)
            .filter(|&b| SIGNIFICANT.get(usize::from(b)) == Some(&true))
            .collect();
        assert_eq!(significant, b"\"#(){}");
    }

    #[test]
    fn finds_unterminated_string() {
        let hazards = scan("class X \"open\nlevel");
        assert_eq!(
            hazards,
            vec![Hazard::UnterminatedString { start: 8, end: 13 }]
        );
    }

    #[test]
    fn ignores_quotes_in_comments() {
        assert!(scan("# it's \"fine\n").is_empty());
    }

    #[test]
    fn escapes_do_not_close_strings() {
        assert!(scan(r#"x "a \" b" "c\\" # "open"#).is_empty());
        assert_eq!(
            scan("x \"a \\\" b\ny"),
            vec![Hazard::UnterminatedString { start: 2, end: 9 }]
        );
        let text = "x \"ends with backslash\\";
        assert_eq!(
            scan(text),
            vec![Hazard::UnterminatedString {
                start: 2,
                end: text.len()
            }]
        );
    }

    #[test]
    fn reports_deep_nesting_once() {
        let text = "(".repeat(100_000);
        assert_eq!(
            scan(&text),
            vec![Hazard::TooDeep {
                offset: MAX_NESTING
            }]
        );
    }

    /// `string_end` as a plain loop over the bytes, for comparison.
    fn string_end_by_bytes(bytes: &[u8], open: usize) -> Result<usize, usize> {
        let mut i = open + 1;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return Ok(i),
                b'\n' | b'\r' => return Err(i),
                _ => i += 1,
            }
        }
        Err(bytes.len())
    }

    #[test]
    fn string_ends_are_found_as_a_byte_loop_finds_them() {
        let pieces = ["a", "\"", "\\", "\n", "\r", "\r\n", " ", "é"];
        // Every text of up to five pieces, opened by a quote.
        let mut texts = vec![String::from("\"")];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        for text in &texts {
            assert_eq!(
                string_end(text.as_bytes(), 0),
                string_end_by_bytes(text.as_bytes(), 0),
                "{text:?}"
            );
        }
    }
}
