//! Diagnostics as plain sentences, in the layout of miette's narratable handler, with every
//! line and column placed through the file's line index exactly as JSON places them: a
//! column counts characters (a wide character or an emoji is one, a byte-order mark is one),
//! a long line is cut around its labels but its columns still count from the start of the
//! line, and a label at the very end of a file ending in a line break is on the line after it.

use std::borrow::Cow;
use std::fmt::{self, Write};

use crate::diagnostics::{Diagnostic, Label};
use crate::source::{
    LineIndex, SourceFile, SourceMap, ceil_char_boundary, escape_controls, floor_char_boundary,
    one_line,
};

/// How far a snippet reaches before the first label and after the last inside one long
/// line, in bytes. A longer line is cut there, so a file on one line with many diagnostics
/// is not printed whole for each.
const LONG_LINE_REACH: usize = 240;

/// One diagnostic as plain sentences, ending in a line feed.
pub(super) fn render_plain(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let mut out = String::new();
    if write_plain(&mut out, diagnostic, sources).is_err() {
        out = format!(
            "{}: {}\n",
            diagnostic.code(),
            one_line(diagnostic.message())
        );
    }
    out
}

fn write_plain(out: &mut String, diagnostic: &Diagnostic, sources: &SourceMap) -> fmt::Result {
    let (file, here, elsewhere) = diagnostic.labels_by_file(sources);
    header(
        out,
        &one_line(diagnostic.message()),
        diagnostic.severity().as_str(),
    )?;
    if let Some(file) = file {
        snippet(out, file, &here)?;
    }
    if let Some(help) = diagnostic.help() {
        writeln!(out, "diagnostic help: {}", escape_controls(help))?;
    }
    writeln!(out, "diagnostic code: {}", diagnostic.code().as_str())?;
    if !elsewhere.is_empty() {
        writeln!(out)?;
        for label in elsewhere {
            // A label in another file, such as "first defined here", is told as advice.
            write!(out, "Advice: ")?;
            header(out, &one_line(&label.text), "advice")?;
            writeln!(out)?;
            if let Some(file) = sources.get(label.span.file) {
                snippet(out, file, &[label])?;
            }
        }
    }
    Ok(())
}

fn header(out: &mut String, message: &str, severity: &str) -> fmt::Result {
    writeln!(out, "{message}")?;
    writeln!(out, "    Diagnostic severity: {severity}")
}

/// A label placed in its file: byte offsets, and the 1-based line and column of its first
/// character and of its last (of its position, for an empty label).
struct Placed<'a> {
    start: usize,
    end: usize,
    first: (usize, usize),
    last: (usize, usize),
    text: Option<Cow<'a, str>>,
}

impl<'a> Placed<'a> {
    fn new(label: &'a Label, file: &SourceFile) -> Placed<'a> {
        let text = file.text();
        let start = floor_char_boundary(text, label.span.start as usize);
        let end = floor_char_boundary(text, label.span.end as usize).max(start);
        let first = file.line_col(start);
        let last = if end > start {
            file.line_col(floor_char_boundary(text, end - 1))
        } else {
            first
        };
        Placed {
            start,
            end,
            first,
            last,
            text: (!label.text.is_empty()).then(|| one_line(&label.text)),
        }
    }

    /// Whether the label starts or ends on 1-based `line`.
    fn touches(&self, line: usize) -> bool {
        self.first.0 == line || self.last.0 == line
    }
}

/// The lines around `labels` (all in `file`): one line of context before the first and after
/// the last, a long line cut [`LONG_LINE_REACH`] bytes either side, each label told under
/// the line where it starts and where it ends.
fn snippet(out: &mut String, file: &SourceFile, labels: &[&Label]) -> fmt::Result {
    let mut placed: Vec<Placed> = labels
        .iter()
        .map(|label| Placed::new(label, file))
        .collect();
    placed.sort_by_key(|label| label.start);
    let (Some(start), Some(end)) = (
        placed.iter().map(|label| label.start).min(),
        placed.iter().map(|label| label.end).max(),
    ) else {
        return Ok(());
    };
    let text = file.text();
    let index = file.lines();
    let first_line = index.line_of(start).saturating_sub(1);
    let last_line = (index.line_of(end.saturating_sub(1).max(start)) + 1)
        .min(index.line_count().saturating_sub(1));
    let from = index
        .line_start(first_line)
        .unwrap_or(0)
        .max(floor_char_boundary(
            text,
            start.saturating_sub(LONG_LINE_REACH),
        ));
    let to = index.line_end(last_line, text).min(ceil_char_boundary(
        text,
        end.saturating_add(LONG_LINE_REACH),
    ));
    let mut shown = Vec::new();
    for line in first_line..=last_line {
        let labelled = placed.iter().any(|label| label.touches(line + 1));
        let line_start = index.line_start(line).unwrap_or(text.len());
        // The empty line after a final line break is shown only for a label on it.
        if line_start == text.len() && line > 0 && !labelled {
            continue;
        }
        let seg_from = line_start.max(from);
        let seg_to = content_end(text, index, line).min(to);
        if seg_from > seg_to && !labelled {
            continue;
        }
        shown.push((line, seg_from, seg_to));
    }
    let Some(&(_, begin, _)) = shown.first() else {
        return Ok(());
    };
    let (begin_line, begin_column) = file.line_col(begin);
    writeln!(
        out,
        "Begin snippet for {} starting at line {begin_line}, column {begin_column}",
        escape_controls(file.name())
    )?;
    writeln!(out)?;
    for (line, seg_from, seg_to) in shown {
        let line = line + 1;
        let segment = text.get(seg_from..seg_to).unwrap_or("");
        writeln!(out, "snippet line {line}: {}", escape_controls(segment))?;
        for label in placed.iter().filter(|label| label.touches(line)) {
            let (first, last) = (label.first, label.last);
            if first.0 != last.0 {
                if first.0 == line {
                    write!(out, "    label starting at line {line}, column {}", first.1)?;
                } else {
                    write!(out, "    label ending at line {line}, column {}", last.1)?;
                }
            } else if first.1 == last.1 {
                write!(out, "    label at line {line}, column {}", first.1)?;
            } else {
                write!(
                    out,
                    "    label at line {line}, columns {} to {}",
                    first.1, last.1
                )?;
            }
            if let Some(text) = &label.text {
                write!(out, ": {text}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The byte offset where 0-based `line` of `text` ends, before its line ending.
fn content_end(text: &str, index: &LineIndex, line: usize) -> usize {
    let end = index.line_end(line, text);
    if index.line_start(line + 1).is_none() {
        return end;
    }
    let bytes = text.as_bytes();
    let crlf = end
        .checked_sub(2)
        .and_then(|at| bytes.get(at..end))
        .is_some_and(|ending| ending == b"\r\n");
    end.saturating_sub(if crlf { 2 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::Span;

    fn plain(text: &str, spans: &[(usize, usize)]) -> String {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("a.qual", text));
        let mut spans = spans.iter();
        let Some(&(start, end)) = spans.next() else {
            return render_plain(&Diagnostic::without_source(Code::Syntax, "m"), &sources);
        };
        let mut diagnostic = Diagnostic::new(Code::Syntax, "m", Span::new(file, start, end), "a");
        for &(start, end) in spans {
            diagnostic = diagnostic.with_label(Span::new(file, start, end), "b");
        }
        render_plain(&diagnostic, &sources)
    }

    fn label_lines(rendered: &str) -> Vec<&str> {
        rendered
            .lines()
            .filter(|line| line.trim_start().starts_with("label"))
            .map(str::trim_start)
            .collect()
    }

    #[test]
    fn columns_count_characters_not_display_width() {
        let text = "x \"漢字😀\" y\n";
        let y = text.find('y').unwrap();
        let out = plain(text, &[(y, y + 1)]);
        assert_eq!(label_lines(&out), ["label at line 1, column 9: a"]);
    }

    #[test]
    fn a_cut_long_line_keeps_columns_from_the_start_of_the_line() {
        let text = format!("a\n{}key\nb\n", "x".repeat(2000));
        let key = text.find("key").unwrap();
        let out = plain(&text, &[(key, key + 3)]);
        assert_eq!(
            label_lines(&out),
            ["label at line 2, columns 2001 to 2003: a"]
        );
        assert!(out.contains("starting at line 2, column 1761\n"), "{out}");
        assert!(out.contains("snippet line 3: b\n"), "{out}");
        assert!(!out.contains("snippet line 1"), "{out}");
    }

    #[test]
    fn the_end_of_a_file_after_a_line_break_is_the_next_line() {
        let out = plain("ab {\r\n", &[(6, 6)]);
        assert!(
            out.contains("snippet line 1: ab {\nsnippet line 2: \n"),
            "{out}"
        );
        assert_eq!(label_lines(&out), ["label at line 2, column 1: a"]);
        let out = plain("ab {", &[(4, 4)]);
        assert_eq!(label_lines(&out), ["label at line 1, column 5: a"]);
    }

    #[test]
    fn the_empty_last_line_is_not_shown_as_context() {
        let out = plain("ab\ncd\n", &[(3, 5)]);
        assert!(!out.contains("snippet line 3"), "{out}");
    }

    #[test]
    fn a_byte_order_mark_is_a_column() {
        let out = plain("\u{feff}ab", &[(3, 5)]);
        assert_eq!(label_lines(&out), ["label at line 1, columns 2 to 3: a"]);
    }

    #[test]
    fn labels_over_several_lines_start_and_end() {
        let out = plain("one\ntwo\nthree\n", &[(1, 10), (8, 8)]);
        assert_eq!(
            label_lines(&out),
            [
                "label starting at line 1, column 2: a",
                "label ending at line 3, column 2: a",
                "label at line 3, column 1: b"
            ]
        );
    }

    #[test]
    fn control_characters_are_escaped_and_count_as_one_column() {
        let out = plain("a\u{1b}[2Jb\n", &[(5, 6)]);
        assert!(out.contains("snippet line 1: a\\u{1b}[2Jb\n"), "{out}");
        assert_eq!(label_lines(&out), ["label at line 1, column 6: a"]);
    }

    #[test]
    fn a_span_past_the_end_is_placed_at_the_end() {
        let out = plain("ab", &[(9, 12)]);
        assert_eq!(label_lines(&out), ["label at line 1, column 3: a"]);
    }

    #[test]
    fn without_a_label_there_is_no_snippet() {
        let out = plain("ab", &[]);
        assert_eq!(
            out,
            "m\n    Diagnostic severity: error\ndiagnostic code: Q002\n"
        );
    }
}
