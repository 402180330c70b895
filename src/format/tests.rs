//! Unit tests of the layout: comments, blank lines, wrapping and refusals.

use super::tokens::tokens;
use super::*;
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

/// A file of many items, with comments and blank lines between them, in parts large enough
/// to be read and laid out on several threads.
fn many_items() -> String {
    let mut text = String::from("# head\n\n");
    for i in 0..400 {
        text.push_str(&format!(
            "experience e{i} \"E {i}\"   note \"a note long enough to be wrapped when the line it is on runs past the width\"  # after {i}\n"
        ));
        text.push_str(&format!(
            "# about f{i}\n\n\n# more\nfields f{i} \"F\" {{ \"a\", \"b\" # in\n}} # end {i}\n"
        ));
        text.push_str(&format!(
            "class C{i} \"C\" {{ profile p  level L code \"C{i}L\" band 1 {{ minimum: 1 years of e{i} }} }}\n"
        ));
        if i % 7 == 0 {
            text.push_str("\n\n# between\n\n");
        }
    }
    text.push_str("# tail\n\n# last");
    text
}

#[test]
fn a_large_file_is_formatted_alike_on_any_number_of_threads() {
    let text = many_items();
    assert!(crate::syntax::parts(&text, crate::syntax::PART_BYTES).len() > 2);
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| fmt(&text))
    };
    let serial = on(1);
    assert!(serial.contains("}  # end 17\n\nclass C17 \"C\" {\n"));
    assert!(serial.contains("  # after 20\n\n# about f20\n\n# more\nfields f20"));
    assert_eq!(on(2), serial);
    assert_eq!(on(5), serial);
    assert_eq!(fmt(&serial), serial);
}
