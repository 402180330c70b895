//! Writing to stdout and stderr: styles, widths, broken pipes and failed writes.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use qualify::diagnostics::Diagnostic;
use qualify::diagnostics::render::{Style, render};
use qualify::source::SourceMap;

use super::files::{self, FileError};
use super::{EXIT_USAGE, ErrorFormat};

/// Diagnostics are wrapped at this width when stdout is not a terminal.
const DEFAULT_WIDTH: usize = 100;

/// The rendering style for an `--error-format`, honouring `NO_COLOR` and terminals.
pub fn style(format: ErrorFormat) -> Style {
    match format {
        ErrorFormat::Human => Style::Human {
            color: std::io::stdout().is_terminal() && !no_color(),
        },
        ErrorFormat::Plain => Style::Plain,
        ErrorFormat::Json => Style::Json,
    }
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Prints text to stdout. A pipe closed by its reader (`qualify eval … | head`) is not an
/// error; any other failure to write, such as a full disk, is (Q008): the output is not whole.
pub fn print(text: &str) -> Result<(), FileError> {
    print_parts(std::slice::from_ref(&text))
}

/// Prints `parts` to stdout, one after the other, as [`print`] prints their concatenation.
pub fn print_parts(parts: &[impl AsRef<str>]) -> Result<(), FileError> {
    let mut out = std::io::stdout().lock();
    let written = parts
        .iter()
        .try_for_each(|part| out.write_all(part.as_ref().as_bytes()))
        .and_then(|()| out.flush());
    match written {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(FileError::io(
            format!("cannot write the output: {}", files::reason(&error)),
        )),
        _ => Ok(()),
    }
}

/// Prints a line to stderr. A failure there cannot be reported anywhere; the exit status
/// of the run already says it failed.
pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.write_all(b"\n");
}

/// Reports a failed write to stdout on stderr, and gives the exit status.
pub fn write_failed(error: &FileError) -> u8 {
    report_error(error)
}

/// The style of the run's `--error-format`, for errors found before or outside a command's
/// own diagnostics.
static ERROR_STYLE: OnceLock<Style> = OnceLock::new();

/// Sets the style every usage or I/O error of this run is reported in; the first call wins.
pub fn set_error_style(style: Style) {
    let _ = ERROR_STYLE.set(style);
}

/// Reports a usage or I/O problem on stderr as a coded diagnostic in the run's error format
/// (a JSON line with `--error-format json`), and gives the exit status, 2.
pub fn report_error(error: &FileError) -> u8 {
    let style = ERROR_STYLE.get().copied().unwrap_or(Style::Plain);
    eprint_diagnostics(&[error.diagnostic()], &SourceMap::default(), style);
    EXIT_USAGE
}

/// Reports a warning found outside a command's own diagnostics (a link a folder walk does
/// not follow) on stderr, in the run's error format; the run goes on.
pub fn report_warning(diagnostic: &Diagnostic) {
    let style = ERROR_STYLE.get().copied().unwrap_or(Style::Plain);
    eprint_diagnostics(
        std::slice::from_ref(diagnostic),
        &SourceMap::default(),
        style,
    );
}

/// Renders and prints diagnostics in order.
pub fn print_diagnostics(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    style: Style,
) -> Result<(), FileError> {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&render(diagnostic, sources, style, DEFAULT_WIDTH));
    }
    print(&text)
}

/// Renders and prints diagnostics in order to stderr, for commands whose stdout is a result.
pub fn eprint_diagnostics(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&render(diagnostic, sources, style, DEFAULT_WIDTH));
    }
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}
