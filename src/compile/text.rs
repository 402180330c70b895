//! Rule text for quoting: comments dropped, white space collapsed, and `file:line` places.

use crate::source::{SourceMap, Span};

/// A clause's rule without its `substitute` keyword and citation.
pub(crate) fn clause_rule(text: &str) -> String {
    let Some(rest) = text.strip_prefix("substitute") else {
        return text.to_string();
    };
    let rest = rest.trim_start();
    let rule = if rest.starts_with("cite") {
        rest.find("\":")
            .and_then(|i| rest.get(i + 2..))
            .unwrap_or(rest)
    } else {
        rest.strip_prefix(':').unwrap_or(rest)
    };
    rule.trim().to_string()
}

/// Rule text without `#` comments (outside quoted strings); `one_line` does this and
/// `collapse` in one pass, checked against the two.
#[cfg(test)]
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split(['\n', '\r']) {
        out.push_str(before_comment(line));
        out.push('\n');
    }
    out
}

/// Rule text on one line: runs of white space become one space.
#[cfg(test)]
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The part of a line before its `#` comment; a `#` inside a quoted string does not count.
fn before_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'#' if !quoted => return line.get(..i).unwrap_or(line),
            _ => {}
        }
    }
    line
}

/// The rule text under a span, on one line, without comments or a clause's preamble.
pub(crate) fn quoted_rule(sources: &SourceMap, span: Span) -> String {
    clause_rule(&one_line(sources.snippet(span)))
}

/// `collapse(without_comments(text))` in one pass, with no intermediate text.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split(['\n', '\r']) {
        for word in before_comment(line).split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// `file:line` of a span's start, through the file's line index (built once per file, on
/// first use), without rescanning the text. A line ends at `\n`, `\r\n` or a lone `\r`.
pub(crate) fn location(sources: &SourceMap, span: Span) -> String {
    let Some(file) = sources.get(span.file) else {
        return String::new();
    };
    let line = file.lines().line_of(span.start as usize) + 1;
    format!("{}:{line}", file.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_is_comments_dropped_then_collapsed() {
        for text in [
            "",
            "a  b\n  c # note\n",
            "x \"# kept\" y # dropped \"\n\n z",
            "  lead\r\n trail  ",
            "# only a comment\nnext",
            "a # note\rb # note\r\nc",
        ] {
            assert_eq!(
                one_line(text),
                collapse(&without_comments(text)),
                "{text:?}"
            );
        }
    }
}
