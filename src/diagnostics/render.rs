//! Renders a [`Diagnostic`] for people through miette's graphical handler, as plain
//! sentences in the layout of miette's narratable handler, and for programs as one JSON
//! object serialised by serde_json.
//!
//! Every snippet is read through a file's line index, built once per file, so rendering
//! many diagnostics of one file never rescans it; control characters in the text are shown
//! escaped, never written raw. The plain sentences place every label through the same line
//! index as JSON, so both give the same line and column.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, SourceCode};

use super::{Code, Diagnostic, Label, Severity};
use crate::source::{FileId, ShownText, SourceFile, SourceMap, Span, escape_controls, one_line};

mod plain;

/// A diagnostic paired with the source text its labels point into, as miette renders it.
///
/// Labels in other files than the primary one become related diagnostics, so that
/// "first defined here" can point across files.
#[derive(Debug)]
pub struct Rendered {
    code: Code,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<Arc<ShownText>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    pub fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Rendered {
        let primary_file = diagnostic.labels().first().map(|label| label.span.file);
        let source = primary_file.and_then(|file| {
            let spans = diagnostic.labels().iter().map(|label| label.span);
            sources.get(file).map(|f| shown(f, spans))
        });
        let mut labels = Vec::new();
        let mut related = Vec::new();
        for (index, label) in diagnostic.labels().iter().enumerate() {
            let text = (!label.text.is_empty()).then(|| one_line(&label.text).into_owned());
            match &source {
                Some(shown) if Some(label.span.file) == primary_file => {
                    let span = shown.span(within(label.span, sources));
                    labels.push(if index == 0 {
                        LabeledSpan::new_primary_with_span(text, span)
                    } else {
                        LabeledSpan::new_with_span(text, span)
                    });
                }
                _ => related.push(Rendered::note(label.span.file, label, sources)),
            }
        }
        Rendered {
            code: diagnostic.code(),
            severity: diagnostic.severity(),
            // A message is one line, though it may quote what a file holds (an unknown key
            // with a line break in it): it cannot add a line of its own to the report.
            message: one_line(diagnostic.message()).into_owned(),
            help: diagnostic.help().map(|h| escape_controls(h).into_owned()),
            source,
            labels,
            related,
        }
    }

    fn note(file: FileId, label: &Label, sources: &SourceMap) -> Rendered {
        let text = one_line(&label.text).into_owned();
        let source = sources
            .get(file)
            .map(|f| shown(f, std::iter::once(label.span)));
        let span = within(label.span, sources);
        let labels = source
            .iter()
            .map(|shown| LabeledSpan::new_primary_with_span(Some(text.clone()), shown.span(span)))
            .collect();
        Rendered {
            code: Code::Internal,
            severity: Severity::Warning,
            message: text,
            help: None,
            source,
            labels,
            related: Vec::new(),
        }
    }

    fn is_note(&self) -> bool {
        self.code == Code::Internal && self.severity == Severity::Warning
    }
}

/// The text of `file` as shown, with a space after its end when one of `spans` starts there
/// (an error at the end of the file): miette draws a label only under a character, so the
/// label, and the line it is on after a final line break, would not be shown. The shared
/// text is used otherwise; the copy is made only for such a diagnostic.
fn shown(file: &SourceFile, mut spans: impl Iterator<Item = Span>) -> Arc<ShownText> {
    let end = file.text().len();
    if spans.any(|span| span.start as usize >= end) {
        Arc::new(ShownText::new(file.name(), &format!("{} ", file.text())))
    } else {
        file.shown()
    }
}

/// `span` cut to the end of its file, so that a span past the end (which no reader should
/// make) is drawn at the end rather than failing the drawing.
fn within(span: Span, sources: &SourceMap) -> Span {
    let end = sources.get(span.file).map_or(0, |file| file.text().len());
    Span::new(
        span.file,
        (span.start as usize).min(end),
        (span.end as usize).min(end),
    )
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.is_note()).then(|| Box::new(self.code.as_str()) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.is_note() {
            miette::Severity::Advice
        } else {
            match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            }
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

/// How diagnostics are shown to people and programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// miette's graphical handler; `color` turns ANSI colour on.
    Human { color: bool },
    /// Plain sentences, friendly to screen readers, in the layout of miette's narratable
    /// handler; lines and columns are those of JSON.
    Plain,
    /// One JSON object per line (see `docs/diagnostics.md` for its shape).
    Json,
}

/// Renders one diagnostic to text in the given style and width, ending in a line feed.
pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, style: Style, width: usize) -> String {
    match style {
        Style::Json => return super::json::render_json(diagnostic, sources),
        Style::Plain => return plain::render_plain(diagnostic, sources),
        Style::Human { .. } => {}
    }
    let rendered = Rendered::new(diagnostic, sources);
    let mut out = String::new();
    let theme = match style {
        Style::Human { color: true } => miette::GraphicalTheme::unicode(),
        _ => miette::GraphicalTheme::unicode_nocolor(),
    };
    let result = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .render_report(&mut out, &rendered);
    if result.is_err() {
        out = format!("{}: {}\n", diagnostic.code(), rendered.message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn human(text: &str, start: usize, end: usize) -> String {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("a.qual", text));
        let span = Span::new(file, start, end);
        let diagnostic = Diagnostic::new(Code::Syntax, "m", span, "the label");
        render(&diagnostic, &sources, Style::Human { color: false }, 80)
    }

    #[test]
    fn a_label_at_the_end_of_a_file_is_drawn() {
        let out = human("ab {\n", 5, 5);
        assert!(out.contains("[a.qual:2:1]"), "{out}");
        assert!(out.contains("the label"), "{out}");
        let out = human("ab {", 4, 4);
        assert!(out.contains("[a.qual:1:5]"), "{out}");
        assert!(out.contains("the label"), "{out}");
    }

    #[test]
    fn a_label_past_the_end_of_a_file_is_drawn_at_the_end() {
        let out = human("ab", 9, 12);
        assert!(out.contains("[a.qual:1:3]"), "{out}");
        assert!(out.contains("the label"), "{out}");
    }

    #[test]
    fn a_label_before_the_end_leaves_the_text_as_it_is() {
        let out = human("ab\n", 0, 2);
        assert!(out.contains(" 1 │ ab\n"), "{out}");
        assert!(!out.contains(" 2 │"), "{out}");
    }
}
