//! Parses a requirement typed on its own, outside any rule file, such as a line in the REPL.

use pest::Parser;

use super::ast::Requirement;
use super::build::Builder;
use super::parser::{Rule, RuleParser, parse_rule_in_detail};
use super::prescan;
use super::syntax_error::{self, Whole};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Typed requirements longer than this are refused rather than parsed.
pub const MAX_EXPRESSION_BYTES: usize = 64 * 1024;

/// How an unterminated string in a typed expression is labelled and explained.
const UNCLOSED_IN_EXPRESSION: (&str, &str) =
    ("this string is not closed", "close the string with `\"`");

/// Parses `text` (the whole of file `file`) as one requirement, such as
/// `bachelor in program_fields and 2 years of program_experience`.
pub fn parse_requirement(file: FileId, text: &str) -> Result<Requirement, Diagnostic> {
    if text.len() > MAX_EXPRESSION_BYTES {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            format!(
                "expression is {} bytes, more than the limit of {MAX_EXPRESSION_BYTES}",
                text.len()
            ),
            Span::new(file, 0, 0),
            "this expression",
        )
        .with_help("type a shorter requirement"));
    }
    if let Some(hazard) = prescan::scan(text).first() {
        return Err(prescan::hazard_diagnostic(
            file,
            hazard,
            UNCLOSED_IN_EXPRESSION,
        ));
    }
    let mut pairs = RuleParser::parse(Rule::expression, text)
        .or_else(|_| parse_rule_in_detail(Rule::expression, text))
        .map_err(|error| syntax_error::describe_in(file, text, 0, &error, Whole::Expression).0)?;
    let builder = Builder::new(file, 0);
    let expression = pairs.next().ok_or_else(|| internal(file, text))?;
    let requirement = expression
        .into_inner()
        .find(|p| p.as_rule() == Rule::requirement)
        .ok_or_else(|| internal(file, text))?;
    builder.requirement(requirement)
}

fn internal(file: FileId, text: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Internal,
        "internal error: the parser produced an unexpected shape (expression)",
        Span::new(file, 0, text.len()),
        "while reading this",
    )
    .with_help("please report this with the expression attached")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn parses_a_conjunction() {
        let req = parse_requirement(
            FileId(0),
            "bachelor in program_fields and 2 years of program_experience",
        )
        .unwrap();
        assert!(matches!(req, Requirement::AllOf(ref items, _) if items.len() == 2));
    }

    #[test]
    fn reports_a_trailing_word() {
        let error = parse_requirement(FileId(0), "associate and").unwrap_err();
        assert_eq!(error.code(), Code::Syntax);
        assert_eq!(error.message(), "the expression ends too early");
    }

    #[test]
    fn a_keyword_typed_twice_is_reported_as_the_whole_word() {
        let error = parse_requirement(FileId(0), "associate inn program_fields").unwrap_err();
        assert_eq!(error.message(), "unexpected `inn` in the expression");
        assert_eq!(error.labels()[0].span.range(), 10..13);
        assert_eq!(error.help(), Some("did you mean `in`?"));
    }

    #[test]
    fn deep_nesting_is_a_diagnostic() {
        let text = format!("{}associate{}", "(".repeat(10_000), ")".repeat(10_000));
        let error = parse_requirement(FileId(0), &text).unwrap_err();
        assert_eq!(error.code(), Code::NestingTooDeep);
    }
}
