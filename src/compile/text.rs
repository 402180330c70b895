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

/// Rule text without `#` comments (outside quoted strings).
pub(crate) fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '#' if !quoted => break,
                _ => {}
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// Rule text on one line: runs of white space become one space.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rule text under a span, on one line, without comments or a clause's preamble.
pub(crate) fn quoted_rule(sources: &SourceMap, span: Span) -> String {
    clause_rule(&collapse(&without_comments(sources.snippet(span))))
}

/// `file:line` of a span's start.
pub(crate) fn location(sources: &SourceMap, span: Span) -> String {
    match sources.get(span.file) {
        Some(file) => format!("{}:{}", file.name(), file.line_col(span.start as usize).0),
        None => String::new(),
    }
}
