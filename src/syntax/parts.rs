//! Reads one large rule file on several threads: the text is cut into parts where an
//! unindented line starts an item, each part is read whole on its own, and the items are
//! joined in order. The result is the one [`parse_rule_file`] gives, on any number of threads.

use std::ops::Range;

use rayon::prelude::*;

use super::ast::{Item, RuleFile};
use super::parser::{parse_rule_file, starts_item};
use super::prescan;
use super::whole::parse_whole_part;
use crate::diagnostics::Diagnostic;
use crate::source::FileId;

/// Parts are about this large: smaller ones are not worth handing to another thread.
pub const PART_BYTES: usize = 32 * 1024;

/// The parts of `text`, each about `part_bytes` long or more, in order and covering all of
/// it. Each part but the first starts an unindented line that begins with a top-level
/// keyword, so no token (strings and comments end with their line) spans two parts. The cuts
/// depend on the text alone, never on the number of threads.
pub fn parts(text: &str, part_bytes: usize) -> Vec<Range<usize>> {
    let mut cuts = vec![0];
    let mut from = part_bytes.max(1);
    while let Some(cut) = item_line_from(text, from) {
        cuts.push(cut);
        from = cut.saturating_add(part_bytes.max(1));
    }
    cuts.push(text.len());
    cuts.windows(2)
        .filter_map(|pair| match pair {
            [start, end] => Some(*start..*end),
            _ => None,
        })
        .collect()
}

/// The start of the first line at or after `from` (and after the first line of the text)
/// that begins with a top-level keyword, unindented.
fn item_line_from(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let rest = bytes.get(from..)?;
    let at_line_start = bytes
        .get(from.checked_sub(1)?)
        .is_some_and(|&b| b == b'\n' || b == b'\r');
    let first = at_line_start.then_some(from);
    let line_starts = first
        .into_iter()
        .chain(memchr::memchr2_iter(b'\n', b'\r', rest).map(|n| from + n + 1));
    line_starts
        .take_while(|&start| start < text.len())
        .find(|&start| starts_item(text.get(start..).unwrap_or("")))
}

/// Parses `text` as [`parse_rule_file`] does, with the same result, reading it in parts (see
/// [`parts`]) on several threads when it is large.
///
/// Each part is read whole with the grammar's `rule_file`, which must match all of it. An
/// item that parses in a slice ending at the next unindented item line parses the same in
/// the whole text (it ends with its own closing brace or last word inside the slice; the
/// reader item by item relies on the same fact), so when every part parses, the file read
/// whole gives these items in this order. When any part does not (a part holds a hazard, a
/// syntax error, or a cut fell inside an item), the whole text is read as
/// [`parse_rule_file`] reads it, which also gives its diagnostics.
pub fn parse_rule_file_in_parts(file: FileId, text: &str) -> (RuleFile, Vec<Diagnostic>) {
    read_in_parts(file, text, PART_BYTES)
}

fn read_in_parts(file: FileId, text: &str, part_bytes: usize) -> (RuleFile, Vec<Diagnostic>) {
    let parts = parts(text, part_bytes);
    if parts.len() > 1 {
        let read: Option<Vec<Vec<Item>>> = parts
            .par_iter()
            .map(|part| parse_part(file, text, part))
            .collect();
        if let Some(read) = read {
            let items = read.into_iter().flatten().collect();
            let parsed = RuleFile {
                items,
                skipped: Vec::new(),
            };
            return (parsed, Vec::new());
        }
    }
    parse_rule_file(file, text)
}

/// The items of one part, when it parses whole and holds no hazard.
fn parse_part(file: FileId, text: &str, part: &Range<usize>) -> Option<Vec<Item>> {
    let slice = text.get(part.clone())?;
    if !prescan::scan(slice).is_empty() {
        return None;
    }
    parse_whole_part(file, slice, part.start)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn parts_start_at_unindented_item_lines_and_cover_the_text() {
        let text = "class A {\n}\n  class B\n# class C\nfields f { x }\r\nclass D {}\n";
        let found = parts(text, 1);
        let starts: Vec<&str> = found.iter().map(|p| &text[p.clone()]).collect();
        assert_eq!(
            starts,
            vec![
                "class A {\n}\n  class B\n# class C\n",
                "fields f { x }\r\n",
                "class D {}\n"
            ]
        );
        assert_eq!(parts(text, 1000), vec![0..text.len()]);
        assert_eq!(parts("", 1), vec![0..0]);
    }

    /// The shipped rules and every rule file among the test fixtures, read in small parts
    /// and whole, give the same items and diagnostics.
    #[test]
    fn a_file_read_in_parts_gives_what_it_gives_read_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in ["rules", "tests/fixtures/check", "tests/fixtures/fmt"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if path.extension().is_none_or(|e| e != "qual") {
                    continue;
                }
                read += 1;
                let whole = parse_rule_file(FileId(2), &text);
                for part_bytes in [1, 200] {
                    let in_parts = read_in_parts(FileId(2), &text, part_bytes);
                    assert_eq!(in_parts, whole, "{}", path.display());
                }
            }
        }
        assert!(read > 10);
    }
}
