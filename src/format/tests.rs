//! Unit tests of the layout: comments, blank lines, wrapping and refusals.

use super::*;
use super::tokens::tokens;
use crate::syntax::parse_rule_file;

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

#[test]
fn notes_labels_spellings_and_allows_each_get_their_line() {
    let text = concat!(
        "fields f label \"F\" \"d\" note \"n1\" \"n2\" { \"a\" also \"a1\", \"a2\" note \"m\" by \"x\", g note \"s\" }\n",
        "experience e \"E\" label \"short\" note \"why\"\n",
        "class C { note \"c\" allow Q201 \"r\" profile p level L code \"C1\" band 1 { note \"l\"\n",
        "  minimum cite \"s\" note \"t\" allow Q202 \"r1\" \"r2\": x substitute note \"u\": any combination of e totaling 1 years } }\n",
    );
    assert_eq!(
        fmt(text),
        concat!(
            "fields f label \"F\" \"d\"\n",
            "  note \"n1\"\n",
            "       \"n2\" {\n",
            "  \"a\" also \"a1\", \"a2\"\n",
            "    note \"m\" by \"x\"\n",
            "  g\n",
            "    note \"s\"\n",
            "}\n\n",
            "experience e\n",
            "  \"E\" label \"short\"\n",
            "  note \"why\"\n\n",
            "class C {\n",
            "  note \"c\"\n",
            "  allow Q201 \"r\"\n",
            "  profile p\n\n",
            "  level L code \"C1\" band 1 {\n",
            "    note \"l\"\n\n",
            "    minimum\n",
            "      cite \"s\"\n",
            "      note \"t\"\n",
            "      allow Q202 \"r1\"\n",
            "                 \"r2\":\n",
            "      x\n",
            "      substitute\n",
            "        note \"u\":\n",
            "        any combination of e totaling 1 years\n",
            "  }\n",
            "}\n",
        )
    );
}

#[test]
fn a_profile_statement_s_notes_go_in_under_it() {
    let text = "profile p { note \"of the profile\" jurisdiction \"J\" note \"of J\" \"more\" by \"an authority\" note \"again\" }";
    assert_eq!(
        fmt(text),
        concat!(
            "profile p {\n",
            "  note \"of the profile\"\n",
            "  jurisdiction \"J\"\n",
            "    note \"of J\"\n",
            "         \"more\"\n",
            "      by \"an authority\"\n",
            "    note \"again\"\n",
            "}\n",
        )
    );
}

#[test]
fn spellings_that_do_not_fit_go_one_per_line_under_the_first() {
    let long = "x".repeat(40);
    let text = format!("fields f {{ \"{long}\" also \"{long}1\", \"{long}2\" \"next\" }}");
    assert_eq!(
        fmt(&text),
        format!(
            "fields f {{\n  \"{long}\" also \"{long}1\",\n{pad}\"{long}2\"\n  \"next\"\n}}\n",
            pad = " ".repeat(2 + 42 + 6)
        )
    );
}

#[test]
fn a_comma_between_spellings_counts_one_between_members_does_not() {
    let text = "fields f { \"a\" also \"b\", \"c\" }";
    let (parsed, _) = parse_rule_file(FileId(0), text);
    let source = tokens(text);
    let Err(diagnostic) = verify(
        FileId(0),
        &parsed,
        &source,
        "fields f {\n  \"a\" also \"b\"\n  \"c\"\n}\n",
    ) else {
        panic!("a spelling made a field was not noticed");
    };
    assert_eq!(diagnostic.code(), Code::FormatChangesRules);
    assert_eq!(
        fmt("fields f { \"a\", \"b\", g, }"),
        "fields f {\n  \"a\"\n  \"b\"\n  g\n}\n"
    );
}
