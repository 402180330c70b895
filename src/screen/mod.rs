//! Screening a pool: many applicants, each read, evaluated and rendered on its own, so a
//! caller can run them on every core and write them in input order with bounded memory.
//!
//! [`Screener::screen`] takes one applicant's bytes (a file, or one line of a JSON Lines
//! pool) and returns what the run writes for it (a compact decision record, CSV rows or a
//! table), or an error record when it cannot be read; and, when asked, its contribution to
//! the pool's [`summary::Summary`] and its [`notice`]. [`compare`] evaluates one applicant
//! under two rule sets; [`replay`] checks a stored record against its inputs again.

pub mod compare;
mod json_bytes;
pub mod notice;
pub mod record;
pub mod replay;
mod rows;
pub mod summary;

use std::sync::Arc;

use crate::applicant::{self, Applicant, ApplicantRead, Format, Reader};
use crate::check::CheckedRules;
use crate::compile::Program;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::{self, Evaluation, Query, QueryError};
use crate::source::{SourceMap, Span};

pub use record::{COMPACT_RECORD_VERSION, ErrorLine, Source};
pub use rows::CSV_HEADER;
pub use summary::{Outcome, Summary};

/// One applicant of a pool, as read: where it came from and its bytes.
#[derive(Clone, Debug)]
pub struct Item {
    /// The file it was read from, as named on the command line.
    pub file: Arc<str>,
    /// Its line, for a line of a JSON Lines pool (from 1).
    pub line: Option<u64>,
    /// Its place in the pool (from 0), for names that must be unique.
    pub index: u64,
    pub format: Format,
    pub bytes: Vec<u8>,
    /// Why the file could not be read at all (a usage or I/O code and message); its
    /// record is then an error record.
    pub failure: Option<(Code, String)>,
    /// The content hash of the whole line, for a line of a pool longer than an applicant
    /// may be, of which `bytes` keeps only the start; `None` when `bytes` is whole.
    pub whole_hash: Option<String>,
}

impl Item {
    /// `sha256:…` of the applicant as read: the file, or the line without its ending, whole
    /// even when only its start was kept.
    pub fn content_hash(&self) -> String {
        self.whole_hash
            .clone()
            .unwrap_or_else(|| record::applicant_hash(&self.bytes))
    }

    pub fn source(&self) -> Source<'_> {
        Source {
            file: &self.file,
            line: self.line,
        }
    }
}

/// What a screening run writes for each applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    /// One compact decision record a line ([`record`]).
    Jsonl,
    /// One CSV row per class × level × tier ([`CSV_HEADER`]).
    Csv,
    /// The `eval` table, headed by the applicant's source.
    Table,
    /// Nothing (a run for its summary or notices alone).
    Nothing,
}

/// What the run asks for beside the main output.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Each applicant's outcome for the summary.
    pub summary: bool,
    /// A notice for this level of this class.
    pub notice: Option<notice::NoticeFor>,
}

/// The rules, the query and the reader shared by every applicant of a run.
pub struct Screener<'p> {
    pub program: &'p Program,
    reader: Reader,
    pub query: Query,
    pub rendering: Rendering,
    pub extras: Extras,
    /// Whether the rules' names go into records unescaped, found once for the run.
    names: record::Names,
}

/// What one applicant gave.
#[derive(Clone, Debug, Default)]
pub struct Screened {
    /// The bytes to write for it, in the run's rendering.
    pub output: Vec<u8>,
    /// Whether it could not be read or evaluated (its output is an error record).
    pub bad: bool,
    /// Its outcome for the summary, when asked.
    pub outcome: Option<Outcome>,
    /// Its notice, when asked.
    pub notice: Option<notice::Notice>,
}

/// An applicant read and evaluated, or the diagnostics that stopped it.
pub enum Evaluated<'a> {
    Done(Box<Evaluation<'a>>),
    Refused(Vec<Diagnostic>, SourceMap),
}

impl<'p> Screener<'p> {
    pub fn new(
        program: &'p Program,
        rules: &CheckedRules,
        query: Query,
        rendering: Rendering,
        extras: Extras,
    ) -> Screener<'p> {
        Screener {
            program,
            reader: Reader::new(rules),
            query,
            rendering,
            extras,
            names: record::Names::of(program.names()),
        }
    }

    /// Reads one applicant: the applicant and its group, or every diagnostic (with the
    /// source map they point into).
    pub fn read(
        &self,
        item: &Item,
    ) -> Result<(Applicant, Option<String>), (Vec<Diagnostic>, SourceMap)> {
        if let Some((code, message)) = &item.failure {
            let diagnostic = Diagnostic::without_source(*code, message.clone());
            return Err((vec![diagnostic], SourceMap::default()));
        }
        let mut sources = SourceMap::default();
        let ApplicantRead {
            applicant,
            diagnostics,
            group,
            ..
        } = self.reader.read_for_diagnostics(
            &mut sources,
            &item.source(),
            item.format,
            &item.bytes,
        );
        match applicant {
            Some(applicant) => Ok((applicant, group)),
            None => Err((
                diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect(),
                sources,
            )),
        }
    }

    /// Screens one applicant.
    pub fn screen(&self, item: &Item) -> Screened {
        let hash = item.content_hash();
        let (applicant, group) = match self.read(item) {
            Ok(read) => read,
            Err((diagnostics, sources)) => return self.bad(item, &hash, &diagnostics, &sources),
        };
        let evaluation = match eval::evaluate(self.program, &applicant, &self.query) {
            Ok(evaluation) => evaluation,
            Err(error) => {
                let (diagnostics, sources) = refusal(item, &error);
                // Read, then refused: its record names who it is, as a decision would.
                return self.refused(item, &hash, &diagnostics, &sources, Some(&applicant));
            }
        };
        let output = match self.rendering {
            Rendering::Jsonl => {
                record::compact_line(&evaluation, &self.query, item.source(), &hash, self.names)
            }
            Rendering::Csv => rows::csv_rows(self.program, &evaluation, item.source()),
            Rendering::Table => table(self.program, &evaluation, item.source()),
            Rendering::Nothing => Vec::new(),
        };
        Screened {
            output,
            bad: false,
            outcome: self.extras.summary.then(|| Outcome::of(&evaluation, group)),
            notice: self
                .extras
                .notice
                .as_ref()
                .map(|which| notice::notice(&evaluation, &applicant, which, item, &hash)),
        }
    }

    /// The error record (or row) of an applicant that could not be screened.
    pub(crate) fn bad(
        &self,
        item: &Item,
        hash: &str,
        diagnostics: &[Diagnostic],
        sources: &SourceMap,
    ) -> Screened {
        self.refused(item, hash, diagnostics, sources, None)
    }

    /// The error record (or row) of an applicant that could not be screened, naming the
    /// applicant when it was read (an evaluation refused, Q320).
    fn refused(
        &self,
        item: &Item,
        hash: &str,
        diagnostics: &[Diagnostic],
        sources: &SourceMap,
        read: Option<&Applicant>,
    ) -> Screened {
        let errors = ErrorLine::of(item, diagnostics, sources);
        let output = match self.rendering {
            Rendering::Jsonl => record::error_line(&errors, item.source(), hash, self, read),
            Rendering::Csv => {
                let id = read.and_then(|applicant| applicant.id.as_deref());
                rows::error_row(&errors, item.source(), id)
            }
            Rendering::Table => table_error(&errors, item.source()),
            Rendering::Nothing => Vec::new(),
        };
        Screened {
            output,
            bad: true,
            outcome: self.extras.summary.then(Outcome::bad),
            notice: None,
        }
    }
}

/// An evaluation refused for an applicant: an amount that cannot be held exactly (Q320),
/// labelled at its value when it can be found.
fn refusal(item: &Item, error: &QueryError) -> (Vec<Diagnostic>, SourceMap) {
    let mut sources = SourceMap::default();
    let name = item.source().to_string();
    let text = String::from_utf8_lossy(&item.bytes).into_owned();
    let file = sources.add(crate::source::SourceFile::new(name.as_str(), text.as_str()));
    let span = match error {
        QueryError::Inexact(inexact) => {
            let located_name = match item.format {
                Format::Json => "applicant.json",
                Format::Toml => "applicant.toml",
            };
            applicant::locate_value(located_name, &text, &inexact.key_path)
                .map(|range| Span::new(file, range.start, range.end))
        }
        _ => None,
    };
    let diagnostic = match span {
        Some(span) => Diagnostic::new(error.code(), error.to_string(), span, "this value"),
        None => Diagnostic::without_source(error.code(), error.to_string()),
    };
    (vec![diagnostic.with_help(error.help())], sources)
}

/// The `eval` table of one applicant, headed by its source.
fn table(program: &Program, evaluation: &Evaluation<'_>, source: Source<'_>) -> Vec<u8> {
    let body = crate::explain::labelled_table(program, evaluation);
    let text = format!(
        "── {}\n{body}\n",
        crate::source::one_line(&source.to_string())
    );
    crate::source::escape_controls(&text)
        .into_owned()
        .into_bytes()
}

fn table_error(errors: &[ErrorLine], source: Source<'_>) -> Vec<u8> {
    let mut text = format!(
        "── {}\nnot screened: the applicant cannot be read or evaluated\n",
        crate::source::one_line(&source.to_string())
    );
    for error in errors {
        // A message may quote the applicant's words (an unknown key): one line each.
        let line = error.to_string();
        text.push_str(&format!("  {}\n", crate::source::one_line(&line)));
    }
    text.push('\n');
    crate::source::escape_controls(&text)
        .into_owned()
        .into_bytes()
}
