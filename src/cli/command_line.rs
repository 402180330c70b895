//! A command line that does not parse, reported as every other error is: a coded diagnostic
//! (Q009) in the `--error-format` the command line asked for, a JSON line in JSON.

use std::ffi::OsString;

use clap::ValueEnum;
use qualify::diagnostics::{Code, Diagnostic};
use qualify::source::SourceMap;

use super::{EXIT_USAGE, ErrorFormat, output};

/// Reports `error` (from parsing `args`) on stderr and gives the exit status, 2.
pub fn not_understood(error: &clap::Error, args: &[OsString]) -> u8 {
    let style = output::style(asked_format(args));
    output::eprint_diagnostics(&[diagnostic(error)], &SourceMap::default(), style);
    EXIT_USAGE
}

/// The `--error-format` the command line names (`--error-format F` or `--error-format=F`),
/// read without the parser that refused it; human when it names none or none known.
fn asked_format(args: &[OsString]) -> ErrorFormat {
    let mut named = None;
    let mut words = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if word == "--error-format" {
            named = words.next();
        } else if let Some(value) = word.strip_prefix("--error-format=") {
            named = Some(value);
        }
    }
    named
        .and_then(|value| ErrorFormat::from_str(value, true).ok())
        .unwrap_or(ErrorFormat::Human)
}

/// The parser's message as a diagnostic: its first paragraph is the message, the rest (a
/// tip, the usage line, where to read more) the help.
fn diagnostic(error: &clap::Error) -> Diagnostic {
    let text = error.render().to_string();
    let text = text.trim_end();
    let text = text.strip_prefix("error: ").unwrap_or(text);
    let (message, rest) = text.split_once("\n\n").unwrap_or((text, ""));
    let help: Vec<&str> = rest
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    // A diagnostic's message is one line: the parser's list of missing arguments joins it.
    let message: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let diagnostic = Diagnostic::without_source(Code::CommandLine, message.join(" "));
    if help.is_empty() {
        diagnostic
    } else {
        diagnostic.with_help(help.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_error_format_is_read_in_either_spelling_and_before_a_double_dash_only() {
        let json = ErrorFormat::Json;
        assert_eq!(
            asked_format(&args(&["q", "--error-format", "json", "x"])),
            json
        );
        assert_eq!(
            asked_format(&args(&["q", "x", "--error-format=JSON"])),
            json
        );
        assert_eq!(
            asked_format(&args(&["q", "--error-format", "plain"])),
            ErrorFormat::Plain
        );
        assert_eq!(
            asked_format(&args(&["q", "--error-format", "xml"])),
            ErrorFormat::Human
        );
        assert_eq!(
            asked_format(&args(&["q", "--error-format"])),
            ErrorFormat::Human
        );
        assert_eq!(
            asked_format(&args(&["q", "--", "--error-format=json"])),
            ErrorFormat::Human
        );
    }
}
