//! Diagnostics as plain data: a code, a message, labelled spans and help. Rendering is separate.

mod codes;
mod json;
pub mod render;
pub mod suggest;

pub use codes::{Code, Severity};

use crate::source::{SourceFile, SourceMap, Span};

/// A labelled span. The first label of a diagnostic is its primary label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in rule or applicant text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    code: Code,
    message: String,
    labels: Vec<Label>,
    help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a primary label at `span`.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            labels: vec![Label {
                span,
                text: label.into(),
            }],
            help: None,
        }
    }

    /// A diagnostic about no text: a refused query, such as an unknown `--class`. It has
    /// no label, and renders without a snippet.
    pub fn without_source(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a secondary label, such as "first defined here".
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// The file of the first label when `sources` has it, with the labels in that file and
    /// those in other files (such as "first defined here"), each in order; with no such
    /// file every label is elsewhere.
    pub fn labels_by_file<'d, 's>(
        &'d self,
        sources: &'s SourceMap,
    ) -> (Option<&'s SourceFile>, Vec<&'d Label>, Vec<&'d Label>) {
        let primary = self.labels.first().map(|label| label.span.file);
        let file = primary.and_then(|id| sources.get(id));
        let (here, elsewhere) = self
            .labels
            .iter()
            .partition(|label| file.is_some() && Some(label.span.file) == primary);
        (file, here, elsewhere)
    }

    /// The primary span; the start of the first file for a diagnostic without a label.
    pub fn span(&self) -> Span {
        self.labels.first().map(|l| l.span).unwrap_or_default()
    }
}

/// Sorts diagnostics by file name, then position, then code, and drops exact repeats.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap) {
    diagnostics.sort_by(|a, b| {
        let name = |d: &Diagnostic| sources.get(d.span().file).map(|f| f.name());
        name(a)
            .cmp(&name(b))
            .then(a.span().start.cmp(&b.span().start))
            .then(a.code.cmp(&b.code))
            .then(a.message.cmp(&b.message))
    });
    diagnostics.dedup();
}

/// Counts of errors and warnings in a list of diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}
