//! Reading one applicant file: bytes in, an [`Applicant`] and every diagnostic out.

use super::document::{self, Node};
use super::fields::Reporter;
use super::model::Applicant;
use super::schema::{self, Vocabulary};
use crate::check::CheckedRules;
use crate::diagnostics::{Code, Diagnostic, sort_diagnostics};
use crate::source::{FileId, SourceFile, SourceMap, Span, blank_byte_order_mark};
use crate::syntax;

/// Applicant files larger than this are refused rather than parsed.
pub const MAX_APPLICANT_BYTES: usize = 1024 * 1024;

/// The file formats an applicant may be written in, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format a file name's extension names, if any (case does not matter).
    pub fn of(name: &str) -> Option<Format> {
        let extension = extension(name)?.to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// What reading one applicant file produced.
#[derive(Clone, Debug)]
pub struct ApplicantRead {
    /// Present only when there is no error.
    pub applicant: Option<Applicant>,
    /// Sorted by position in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the file's text was added in the source map.
    pub file: FileId,
    /// The self-identified `group`, kept outside the [`Applicant`] so that evaluation never
    /// sees it; read only for selection rates.
    pub group: Option<String>,
}

/// Reads many applicants against one rule set: the rules' names are gathered once.
pub struct Reader {
    vocabulary: Vocabulary,
}

impl Reader {
    pub fn new(rules: &CheckedRules) -> Reader {
        Reader {
            vocabulary: Vocabulary::of(rules),
        }
    }

    /// Reads one applicant in `format`, whatever `name` ends with (a line of a JSON Lines
    /// file is named `pool.jsonl:17`).
    pub fn read(
        &self,
        sources: &mut SourceMap,
        name: &str,
        format: Format,
        bytes: &[u8],
    ) -> ApplicantRead {
        let keep = KeepSource::Always;
        read_with(sources, &name, Some(format), bytes, &self.vocabulary, keep)
    }

    /// Like [`Reader::read`], for an applicant of a pool, of which nothing but its
    /// diagnostics points into its text: the text is added to `sources`, as `name`, only
    /// when there is a diagnostic (`file` is otherwise the id it would have had).
    pub fn read_for_diagnostics(
        &self,
        sources: &mut SourceMap,
        name: &dyn std::fmt::Display,
        format: Format,
        bytes: &[u8],
    ) -> ApplicantRead {
        let keep = KeepSource::WithDiagnostics;
        read_with(sources, name, Some(format), bytes, &self.vocabulary, keep)
    }
}

/// When the applicant's text is added to the source map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeepSource {
    Always,
    /// Only when a diagnostic points into it.
    WithDiagnostics,
}

/// Reads an applicant from `bytes`, named `name`, against the names `rules` define.
///
/// The file is added to `sources` so that diagnostics render like rule errors. The format
/// follows the extension of `name`: `.toml` or `.json`.
pub fn read(
    sources: &mut SourceMap,
    name: &str,
    bytes: &[u8],
    rules: &CheckedRules,
) -> ApplicantRead {
    let vocabulary = Vocabulary::of(rules);
    read_with(sources, &name, None, bytes, &vocabulary, KeepSource::Always)
}

fn read_with(
    sources: &mut SourceMap,
    name: &dyn std::fmt::Display,
    format: Option<Format>,
    bytes: &[u8],
    vocabulary: &Vocabulary,
    keep: KeepSource,
) -> ApplicantRead {
    // An applicant is a unit of work with its own budget for "did you mean" suggestions.
    crate::diagnostics::suggest::with_budget(bytes.len(), || {
        read_unit(sources, name, format, bytes, vocabulary, keep)
    })
}

fn read_unit(
    sources: &mut SourceMap,
    name: &dyn std::fmt::Display,
    format: Option<Format>,
    bytes: &[u8],
    vocabulary: &Vocabulary,
    keep: KeepSource,
) -> ApplicantRead {
    if bytes.len() > MAX_APPLICANT_BYTES {
        let file = sources.add(SourceFile::new(name.to_string(), ""));
        return failed(file, vec![too_large(file)]);
    }
    let next_id = FileId(u32::try_from(sources.len()).unwrap_or(u32::MAX));
    let text = match syntax::decode(next_id, bytes) {
        Ok(text) => text,
        Err((lossy, diagnostic)) => {
            let file = sources.add(SourceFile::new(name.to_string(), lossy));
            return failed(file, vec![diagnostic]);
        }
    };
    let file = match keep {
        KeepSource::Always => sources.add(SourceFile::new(name.to_string(), text)),
        KeepSource::WithDiagnostics => next_id,
    };
    let Some(format) = format.or_else(|| Format::of(&name.to_string())) else {
        let diagnostic = unsupported(file, &name.to_string());
        if keep == KeepSource::WithDiagnostics {
            sources.add(SourceFile::new(name.to_string(), text));
        }
        return failed(file, vec![diagnostic]);
    };
    let (root, mut diagnostics) = parse(file, format, text);
    let mut applicant = None;
    let mut group = None;
    if let Some(root) = root {
        let mut reporter = Reporter::new(file, format == Format::Json);
        let read = schema::applicant(&root, vocabulary, &mut reporter);
        group = schema::group(&root, &mut reporter);
        diagnostics.append(&mut reporter.diagnostics);
        applicant = Some(read);
    }
    if keep == KeepSource::WithDiagnostics && !diagnostics.is_empty() {
        sources.add(SourceFile::new(name.to_string(), text));
    }
    sort_diagnostics(&mut diagnostics, sources);
    if diagnostics.iter().any(Diagnostic::is_error) {
        applicant = None;
    }
    ApplicantRead {
        applicant,
        diagnostics,
        file,
        group,
    }
}

pub(super) fn parse(file: FileId, format: Format, text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    match format {
        Format::Toml => document::parse_toml(file, text),
        Format::Json => document::parse_json(file, &blank_byte_order_mark(text)),
    }
}

fn failed(file: FileId, diagnostics: Vec<Diagnostic>) -> ApplicantRead {
    ApplicantRead {
        applicant: None,
        diagnostics,
        file,
        group: None,
    }
}

fn too_large(file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!("applicant file is larger than the limit of {MAX_APPLICANT_BYTES} bytes"),
        Span::new(file, 0, 0),
        "this file",
    )
    .with_help("an applicant file holds one applicant; split a batch into one file each")
}

fn unsupported(file: FileId, name: &str) -> Diagnostic {
    let extension =
        extension(name).map_or_else(|| "no extension".to_owned(), |e| format!("`.{e}`"));
    Diagnostic::new(
        Code::UnsupportedFormat,
        format!("cannot read an applicant from a file with {extension}"),
        Span::new(file, 0, 0),
        "this file",
    )
    .with_help("name applicant files `*.toml` or `*.json`; rule files end in `.qual`")
}

fn extension(name: &str) -> Option<&str> {
    std::path::Path::new(name).extension()?.to_str()
}
