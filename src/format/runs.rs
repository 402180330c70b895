//! Lays out a large rule file on several threads: its items are cut into runs of
//! consecutive items, each run is laid out and rendered on its own thread, and the texts are
//! joined in order. The result is byte for byte the text one run of all the items renders,
//! on any number of threads.

use std::ops::Range;

use pretty::Arena;
use rayon::prelude::*;

use super::layout::{Blank, Layout, comment_indices};
use super::tokens::{Token, TokenKind};
use super::{WIDTH, item_span};
use crate::syntax::PART_BYTES;
use crate::syntax::ast::Item;

/// The items of a file and the comments before, between and after them, rendered, with the
/// line breaks at the start and the white space at the end of each line cut.
pub(super) fn render(items: &[Item], tokens: &[Token<'_>]) -> String {
    render_in_runs(items, tokens, PART_BYTES)
}

fn render_in_runs(items: &[Item], tokens: &[Token<'_>], run_bytes: usize) -> String {
    let comments = comment_indices(tokens);
    let runs = runs(items, tokens, run_bytes);
    if runs.len() > 1 {
        let rendered: Vec<Rendered> = runs
            .into_par_iter()
            .map(|run| render_run(items, run, tokens, &comments))
            .collect();
        if let Some(joined) = join(rendered) {
            return joined;
        }
    }
    render_run(items, 0..items.len(), tokens, &comments).text
}

/// One run of items rendered, and the number of comments printed before and after it.
struct Rendered {
    text: String,
    printed_before: usize,
    printed_after: usize,
}

/// The runs' texts joined, when each run started with the comments printed that the run
/// before it left printed, as one run of all items would have; otherwise `None`.
fn join(rendered: Vec<Rendered>) -> Option<String> {
    let mut text = String::with_capacity(rendered.iter().map(|r| r.text.len()).sum());
    let mut printed = 0;
    for run in rendered {
        if run.printed_before != printed {
            return None;
        }
        text.push_str(&run.text);
        printed = run.printed_after;
    }
    Some(text)
}

/// The items of the file cut into runs of about `run_bytes` of source each.
///
/// A run starts only at an item whose line break before it comes first in its document:
/// when no comment lies between it and the item before, or the first one there stands on a
/// line of its own. The document of a run then starts with a line break at the left margin,
/// so the text rendered before it is rendered as it would be with the run after it (a line
/// break ends every group's measure of what follows it on its line), and the run renders
/// from the left margin as it would after the text before it.
fn runs(items: &[Item], tokens: &[Token<'_>], run_bytes: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut start_offset = 0;
    for (i, pair) in items.windows(2).enumerate() {
        let [before, item] = pair else {
            continue;
        };
        let offset = item_span(item).start as usize;
        if offset.saturating_sub(start_offset) >= run_bytes
            && starts_on_a_fresh_line(before, offset, tokens)
        {
            runs.push(start..i + 1);
            start = i + 1;
            start_offset = offset;
        }
    }
    runs.push(start..items.len());
    runs
}

/// Whether the first comment between `before` and the item starting at `offset`, if any,
/// stands on a line of its own.
fn starts_on_a_fresh_line(before: &Item, offset: usize, tokens: &[Token<'_>]) -> bool {
    let end = item_span(before).end as usize;
    let next = tokens.get(tokens.partition_point(|t| t.start < end));
    next.is_none_or(|t| t.kind != TokenKind::Comment || t.start >= offset || t.starts_line)
}

/// The items of `run` laid out and rendered, with the comments before each; after the last
/// item of the file, the comments after it too. Every run but the first starts with a line
/// break (see [`runs`]), so cutting the white space at the end of each line of each run
/// cuts it at the end of each line of the whole.
fn render_run(
    items: &[Item],
    run: Range<usize>,
    tokens: &[Token<'_>],
    comments: &[usize],
) -> Rendered {
    let arena = Arena::new();
    // The comments up to the end of the item before the run were printed with it.
    let printed_before = run
        .start
        .checked_sub(1)
        .and_then(|i| items.get(i))
        .map_or(0, |before| {
            let end = item_span(before).end as usize;
            comments.partition_point(|&i| tokens.get(i).is_some_and(|t| t.start < end))
        });
    let mut layout = Layout::new(&arena, tokens, comments, printed_before);
    let mut doc = layout.nil();
    let first = run.start;
    let last = run.end == items.len();
    for (i, item) in items.get(run).unwrap_or_default().iter().enumerate() {
        let blank = if first + i == 0 {
            Blank::Keep
        } else {
            Blank::Always
        };
        doc = doc.append(layout.break_before(item_span(item).start as usize, blank));
        doc = doc.append(layout.item(item));
    }
    if last {
        doc = doc.append(layout.comments_before(usize::MAX, Blank::Keep, None));
    }
    let mut rendered = String::new();
    // Writing to a String cannot fail; if it did, the check of the result would refuse it.
    let _ = doc.into_doc().render_fmt(WIDTH, &mut rendered);
    let rendered = if first == 0 {
        rendered.trim_start_matches('\n')
    } else {
        &rendered
    };
    let mut text = String::with_capacity(rendered.len());
    for (i, line) in rendered.split('\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(line.trim_end());
    }
    Rendered {
        text,
        printed_before,
        printed_after: layout.printed(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::format::tokens::tokens;
    use crate::source::FileId;
    use crate::syntax::parse_rule_file;

    /// Rendered in runs of one item each, a file renders as it does in one run.
    fn renders_alike(text: &str) {
        let (parsed, diagnostics) = parse_rule_file(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let tokens = tokens(text);
        let comments = comment_indices(&tokens);
        let whole = render_run(&parsed.items, 0..parsed.items.len(), &tokens, &comments).text;
        assert_eq!(render_in_runs(&parsed.items, &tokens, 1), whole);
    }

    #[test]
    fn runs_render_as_one_run_does() {
        let mut text = String::from("# head\n\n");
        for i in 0..12 {
            text.push_str(&format!(
                "experience e{i} \"E {i}\" note \"a note long enough to be wrapped, perhaps, when the line it is on runs past the width\"  # after {i}\n"
            ));
            text.push_str(&format!(
                "# about f{i}\n\n\n# more\nfields f{i} \"F\" {{ \"a\", \"b\" # in\n}} # end {i}\n"
            ));
            if i % 3 == 0 {
                text.push_str("\n\n# between\n");
            }
        }
        text.push_str("# tail\n\n# last");
        let (parsed, _) = parse_rule_file(FileId(0), &text);
        assert_eq!(runs(&parsed.items, &tokens(&text), 1).len(), 13);
        renders_alike(&text);
    }

    #[test]
    fn the_shipped_rules_render_alike_in_runs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "qual") {
                renders_alike(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}
