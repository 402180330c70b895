//! Unit tests of the layout: comments, blank lines, wrapping and refusals.

use super::*;

fn fmt(text: &str) -> String {
    match format_rule_text(FileId(0), text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => panic!("not formatted: {diagnostics:?}"),
    }
}

#[test]
fn a_profile_is_laid_out_one_statement_per_line() {
    let text = "profile p {   jurisdiction \"X\"  credential a \"A\" worth 2   years\n\n\n  full time is 40 hours per week }";
    assert_eq!(
        fmt(text),
        "profile p {\n  jurisdiction \"X\"\n  credential a \"A\" worth 2 years\n\n  full time is 40 hours per week\n}\n"
    );
}

#[test]
fn comments_keep_their_places() {
    let text = "# head\n\nfields f \"d\" { # after brace\n  \"a\", \"b\"  # trailing\n  # own line\n  \"c\"\n  # before close\n}\n# end\n";
    assert_eq!(
        fmt(text),
        "# head\n\nfields f \"d\" {  # after brace\n  \"a\"\n  \"b\"  # trailing\n  # own line\n  \"c\"\n  # before close\n}\n# end\n"
    );
}

#[test]
fn a_syntax_error_is_reported_not_formatted() {
    let Err(diagnostics) = format_rule_text(FileId(0), "profile p { full time }") else {
        panic!("formatted a broken file");
    };
    assert!(!diagnostics.is_empty());
}

#[test]
fn a_changed_token_is_refused() {
    let text = "fields f { \"a\" \"b\" }";
    let (parsed, _) = parse_rule_file(FileId(0), text);
    let source = tokens(text);
    let Err(diagnostic) = verify(FileId(0), &parsed, &source, "fields f {\n  \"a\"\n}\n") else {
        panic!("a dropped field was not noticed");
    };
    assert_eq!(diagnostic.code(), Code::FormatChangesRules);
}

