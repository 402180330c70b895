//! Writing to stdout and stderr: styles, widths and broken pipes.

use std::io::{IsTerminal, Write};

use qualify::diagnostics::Diagnostic;
use qualify::diagnostics::render::{Style, render};
use qualify::source::SourceMap;

use super::ErrorFormat;

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

/// Prints text to stdout; a closed pipe is not an error.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Prints a line to stderr.
pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.write_all(b"\n");
}

/// Renders and prints diagnostics in order.
pub fn print_diagnostics(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&render(diagnostic, sources, style, DEFAULT_WIDTH));
    }
    print(&text);
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
