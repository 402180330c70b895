//! Adapts [`Diagnostic`] to miette so any miette handler (fancy, narratable, JSON) can render it.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode};

use super::{Code, Diagnostic, Severity};
use crate::source::{FileId, SourceMap};

/// A diagnostic paired with the source text its labels point into.
///
/// Labels in other files than the primary one become related diagnostics, so that
/// "first defined here" can point across files.
#[derive(Debug)]
pub struct Rendered {
    code: Code,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    pub fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Rendered {
        let primary_file = diagnostic.span().file;
        let mut labels = Vec::new();
        let mut related = Vec::new();
        for (index, label) in diagnostic.labels().iter().enumerate() {
            let text = (!label.text.is_empty()).then(|| label.text.clone());
            if label.span.file == primary_file {
                let span = label.span.to_miette();
                labels.push(if index == 0 {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                });
            } else {
                related.push(Rendered::note(label.span.file, label, sources));
            }
        }
        Rendered {
            code: diagnostic.code(),
            severity: diagnostic.severity(),
            message: diagnostic.message().to_owned(),
            help: diagnostic.help().map(str::to_owned),
            source: sources.get(primary_file).map(|f| f.named_source()),
            labels,
            related,
        }
    }

    fn note(file: FileId, label: &super::Label, sources: &SourceMap) -> Rendered {
        Rendered {
            code: Code::Internal,
            severity: Severity::Warning,
            message: label.text.clone(),
            help: None,
            source: sources.get(file).map(|f| f.named_source()),
            labels: vec![LabeledSpan::new_primary_with_span(
                Some(label.text.clone()),
                label.span.to_miette(),
            )],
            related: Vec::new(),
        }
    }

    fn is_note(&self) -> bool {
        self.code == Code::Internal && self.severity == Severity::Warning
    }
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
        self.source.as_ref().map(|s| s as &dyn SourceCode)
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
    /// miette's narratable handler: plain sentences, friendly to screen readers.
    Plain,
    /// miette's JSON handler, one object per line.
    Json,
}

/// Renders one diagnostic to text in the given style and width.
pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, style: Style, width: usize) -> String {
    let rendered = Rendered::new(diagnostic, sources);
    let mut out = String::new();
    let result = match style {
        Style::Human { color } => {
            let theme = if color {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            };
            miette::GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .render_report(&mut out, &rendered)
        }
        Style::Plain => miette::NarratableReportHandler::new().render_report(&mut out, &rendered),
        Style::Json => miette::JSONReportHandler::new().render_report(&mut out, &rendered),
    };
    if result.is_err() {
        out = format!("{}: {}\n", diagnostic.code(), diagnostic.message());
    }
    if style == Style::Json {
        out.push('\n');
    }
    out
}
