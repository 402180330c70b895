//! The syntax layer: rule text in, syntax trees and syntax diagnostics out.
//!
//! It knows nothing of names, units or evaluation.

pub mod ast;
mod braces;
mod build;
mod direct;
mod expression;
mod parser;
mod parts;
mod prescan;
mod recover;
mod syntax_error;
mod whole;

pub use expression::{MAX_EXPRESSION_BYTES, parse_requirement};
pub use parser::{TOP_LEVEL_KEYWORDS, parse_rule_file, parse_rule_file_scoped};
pub use parts::{PART_BYTES, parse_rule_file_in_parts, parts};
pub use prescan::MAX_NESTING;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Rule files larger than this are refused rather than parsed.
pub const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;

/// The diagnostic for a rule file over [`MAX_SOURCE_BYTES`]: it is neither parsed nor, by
/// the formatter, rewritten (only its start was read).
pub fn source_too_large(file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!("rule file is larger than the limit of {MAX_SOURCE_BYTES} bytes"),
        Span::new(file, 0, 0),
        "this file",
    )
    .with_help("split the rules into several files")
}

/// Decodes raw bytes as UTF-8, or explains where they are not. Valid text is borrowed, so
/// the caller copies it once, into whatever it keeps it in.
pub fn decode(file: FileId, bytes: &[u8]) -> Result<&str, (String, Diagnostic)> {
    std::str::from_utf8(bytes).map_err(|error| undecodable(file, bytes, error.valid_up_to()))
}

/// `bytes`, which are valid UTF-8 only up to `valid`, as text with each bad sequence
/// replaced, and the diagnostic that points at the first one.
pub fn undecodable(file: FileId, bytes: &[u8], valid: usize) -> (String, Diagnostic) {
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    // Offsets in the lossy text match the original up to the first bad byte.
    let end = lossy
        .get(valid..)
        .and_then(|rest| rest.chars().next())
        .map_or(valid, |c| valid + c.len_utf8());
    let diagnostic = Diagnostic::new(
        Code::NotUtf8,
        "file is not valid UTF-8",
        Span::new(file, valid, end),
        format!("invalid byte at offset {valid}"),
    )
    .with_help("save the file as UTF-8; rule files and applicant files must be UTF-8 text");
    (lossy, diagnostic)
}
