//! A diagnostic as one line of JSON, written by serde_json so that every string is escaped
//! as JSON requires, whatever bytes the rule or applicant text held. Each label carries its
//! byte offsets and its 1-based line and column, placed through the file's line index.

use serde::Serialize;

use super::{Diagnostic, Label};
use crate::source::{SourceFile, SourceMap};

/// The shape documented in `docs/diagnostics.md` ("Diagnostics as JSON").
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    related: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    span: JsonSpan,
}

/// Where a label points: bytes from the start of the file, and the 1-based line and column
/// (in characters) of its first character and of the position just after its last.
#[derive(Serialize)]
struct JsonSpan {
    offset: u32,
    length: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// One diagnostic as a line of JSON, ending in a line feed.
pub(super) fn render_json(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let (file, here, elsewhere) = diagnostic.labels_by_file(sources);
    let related = elsewhere
        .into_iter()
        .map(|label| note(label, sources))
        .collect();
    let shape = JsonDiagnostic {
        message: diagnostic.message(),
        code: Some(diagnostic.code().as_str()),
        severity: diagnostic.severity().as_str(),
        help: diagnostic.help(),
        filename: file.map(SourceFile::name),
        labels: file.map_or_else(Vec::new, |file| {
            here.into_iter()
                .map(|label| json_label(label, file))
                .collect()
        }),
        related,
    };
    let mut line = serde_json::to_string(&shape).unwrap_or_else(|_| fallback(diagnostic));
    line.push('\n');
    line
}

/// A label in another file than the diagnostic's own, such as "first defined here".
fn note<'a>(label: &'a Label, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
    let file = sources.get(label.span.file);
    JsonDiagnostic {
        message: &label.text,
        code: None,
        severity: "advice",
        help: None,
        filename: file.map(SourceFile::name),
        labels: file
            .into_iter()
            .map(|file| json_label(label, file))
            .collect(),
        related: Vec::new(),
    }
}

fn json_label<'a>(label: &'a Label, file: &SourceFile) -> JsonLabel<'a> {
    let (line, column) = file.line_col(label.span.start as usize);
    let (end_line, end_column) = file.line_col(label.span.end as usize);
    JsonLabel {
        label: (!label.text.is_empty()).then_some(label.text.as_str()),
        span: JsonSpan {
            offset: label.span.start,
            length: label.span.end.saturating_sub(label.span.start),
            line,
            column,
            end_line,
            end_column,
        },
    }
}

/// serde_json cannot fail on these types; should it ever, the code and message still go
/// out as valid JSON.
fn fallback(diagnostic: &Diagnostic) -> String {
    serde_json::json!({
        "message": diagnostic.message(),
        "code": diagnostic.code().as_str(),
        "severity": "error",
        "labels": [],
        "related": [],
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::Span;

    fn parsed(diagnostic: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
        let line = render_json(diagnostic, sources);
        assert_eq!(line.matches('\n').count(), 1);
        serde_json::from_str(&line).unwrap()
    }

    #[test]
    fn labels_carry_lines_and_columns_in_characters() {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("a.qual", "é\r\n  x\rüy"));
        let x = Span::new(file, 6, 7);
        let y = Span::new(file, 10, 11);
        let diagnostic =
            Diagnostic::new(Code::UnknownName, "m", x, "here").with_label(y, "and here");
        let value = parsed(&diagnostic, &sources);
        let span = |i: usize| &value["labels"][i]["span"];
        assert_eq!(span(0)["line"], 2);
        assert_eq!(span(0)["column"], 3);
        assert_eq!(span(0)["end_column"], 4);
        assert_eq!(span(1)["offset"], 10);
        assert_eq!(span(1)["line"], 3);
        assert_eq!(span(1)["column"], 2);
    }

    #[test]
    fn labels_in_other_files_are_related_notes() {
        let mut sources = SourceMap::default();
        let a = sources.add(SourceFile::new("a.qual", "one\n"));
        let b = sources.add(SourceFile::new("b.qual", "two\n"));
        let diagnostic = Diagnostic::new(Code::Duplicate, "twice", Span::new(b, 0, 3), "again")
            .with_label(Span::new(a, 0, 3), "first defined here");
        let value = parsed(&diagnostic, &sources);
        assert_eq!(value["filename"], "b.qual");
        assert_eq!(value["related"][0]["filename"], "a.qual");
        assert_eq!(value["related"][0]["severity"], "advice");
        assert!(value["related"][0].get("code").is_none());
    }

    #[test]
    fn a_diagnostic_without_a_file_has_no_filename_and_no_labels() {
        let diagnostic = Diagnostic::without_source(Code::UnknownClass, "no class \"X\u{1b}\"");
        let value = parsed(&diagnostic, &SourceMap::default());
        assert_eq!(value["code"], "Q116");
        assert_eq!(value["message"], "no class \"X\u{1b}\"");
        assert!(value.get("filename").is_none());
        assert_eq!(value["labels"], serde_json::json!([]));
    }

    #[test]
    fn a_span_past_the_end_of_its_file_still_renders() {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("a.qual", "ab"));
        let diagnostic = Diagnostic::new(Code::Syntax, "m", Span::new(file, 9, 12), "");
        let value = parsed(&diagnostic, &sources);
        assert_eq!(value["labels"][0]["span"]["line"], 1);
        assert_eq!(value["labels"][0]["span"]["column"], 3);
        assert!(value["labels"][0].get("label").is_none());
    }
}
