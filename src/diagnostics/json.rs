//! A diagnostic as one line of JSON, written by serde_json so that every string is escaped
//! as JSON requires, whatever bytes the rule or applicant text held. Each label carries its
//! byte offsets and its 1-based line and column, placed through the file's line index.

use serde::Serialize;

use super::{Diagnostic, Label, Severity};
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
    let primary_file = diagnostic.labels().first().map(|label| label.span.file);
    let file = primary_file.and_then(|id| sources.get(id));
    let (here, elsewhere): (Vec<&Label>, Vec<&Label>) = diagnostic
        .labels()
        .iter()
        .partition(|label| file.is_some() && Some(label.span.file) == primary_file);
    let related = elsewhere
        .into_iter()
        .map(|label| note(label, sources))
        .collect();
    let shape = JsonDiagnostic {
        message: diagnostic.message(),
        code: Some(diagnostic.code().as_str()),
        severity: match diagnostic.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
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
