//! Reads a rule file whole, in one go: directly when it holds only classes, otherwise with
//! pest, in parts of about 128 KiB for a large file. A file that does not read whole is read
//! item by item by `parser.rs`, which reports each problem.

use pest::Parser;

use super::ast::Item;
use super::build::Builder;
use super::parser::{Rule, RuleParser};
use crate::source::FileId;

/// Files up to this size are first read whole in one parse; larger ones in parts of about
/// this size, each read whole, which keeps pest's record of a single parse small: a record
/// of a few megabytes, grown by doubling and freed for each part, is fresh memory the kernel
/// hands out again each time (parts of 1 MiB cost a 705 MB rule set 60,000 more page faults
/// and about half a second more than parts of 128 KiB).
pub(super) const WHOLE_FILE_BYTES: usize = 128 * 1024;

/// Every item of `text`, when the whole of it parses and builds with pest; otherwise `None`,
/// and the file is read item by item, which reports each problem. The direct reader is not
/// tried: the caller has tried it on this same text.
pub(super) fn parse_whole_file(file: FileId, text: &str) -> Option<Vec<Item>> {
    parse_whole_part_with_pest(file, text, 0)
}

/// Every item of `text`, read whole, or part by part when it is larger than
/// [`WHOLE_FILE_BYTES`], when every part parses and builds; otherwise `None`. The text is
/// one the direct reader did not read whole, but a part of it may hold only classes.
pub(super) fn parse_whole_parts(file: FileId, text: &str) -> Option<Vec<Item>> {
    if text.len() <= WHOLE_FILE_BYTES {
        return parse_whole_file(file, text);
    }
    let mut items = Vec::new();
    for part in super::parts::parts(text, WHOLE_FILE_BYTES) {
        items.extend(parse_whole_part(file, text.get(part.clone())?, part.start)?);
    }
    Some(items)
}

/// Every item of `part`, a slice of a file starting at byte `base` of it, when the whole of
/// the slice parses and builds; spans are the file's.
///
/// A part made only of classes is read directly (`syntax::direct`); any other, by pest.
pub(super) fn parse_whole_part(file: FileId, part: &str, base: usize) -> Option<Vec<Item>> {
    super::direct::parse_part(file, part, base)
        .or_else(|| parse_whole_part_with_pest(file, part, base))
}

/// [`parse_whole_part`] by pest alone.
pub(super) fn parse_whole_part_with_pest(
    file: FileId,
    part: &str,
    base: usize,
) -> Option<Vec<Item>> {
    let whole = RuleParser::parse(Rule::rule_file, part).ok()?.next()?;
    let builder = Builder::new(file, base);
    whole
        .into_inner()
        .filter(|pair| pair.as_rule() == Rule::item)
        .map(|item| builder.item(item).ok())
        .collect()
}
