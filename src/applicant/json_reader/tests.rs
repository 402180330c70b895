//! The one-pass JSON reader agrees with the general parser: the same tree whenever it reads a
//! text, and a reading of every strict text the general parser reads without a diagnostic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::read;
use crate::applicant::document::{Node, NodeKind, parse_json, parse_json_general, parse_toml};
use crate::source::FileId;

fn too_deep(node: &Node) -> bool {
    match &node.kind {
        NodeKind::TooDeep => true,
        NodeKind::Array(items) => items.iter().any(too_deep),
        NodeKind::Table(entries) => entries.iter().any(|e| too_deep(&e.value)),
        _ => false,
    }
}

/// Checks the reader against the general parser on `text`; whether the reader read it.
fn agrees(text: &str) -> bool {
    let fast = read(text);
    let general = parse_json_general(FileId(0), text);
    assert_eq!(parse_json(FileId(0), text), general, "{text:?}");
    match fast {
        Some(node) => {
            assert_eq!(general, (Some(node), Vec::new()), "{text:?}");
            true
        }
        None => {
            let (node, diagnostics) = general;
            // The general parser refuses what RFC 8259 does (`strict_json`), so a text it
            // reads without a diagnostic is strict JSON.
            let read_plainly =
                diagnostics.is_empty() && node.as_ref().is_some_and(|n| !too_deep(n));
            assert!(!read_plainly, "refused a text read plainly: {text:?}");
            false
        }
    }
}

fn number(text: &str) -> NodeKind {
    NodeKind::Number {
        text: text.to_owned(),
        radix: 10,
    }
}

#[test]
fn numbers_in_every_json_form_are_kept_as_written() {
    for text in [
        "-0",
        "0",
        "1e5",
        "1.5E-3",
        "0.5",
        "-12.25e+07",
        "10E0",
        "123",
    ] {
        assert!(agrees(text), "{text}");
        let node = read(text).unwrap();
        assert_eq!(node.kind, number(text));
        assert_eq!(node.span, 0..text.len());
    }
}

#[test]
fn numbers_outside_json_are_left_to_the_general_parser() {
    for text in [
        "01",
        "-01",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "1e+",
        "--1",
        "0x10",
        "1.5.3",
        "Infinity",
        "NaN",
        "-Infinity",
        "[1.]",
        "[01]",
        "{\"a\": .5}",
    ] {
        assert!(!agrees(text), "{text}");
        assert!(!parse_json(FileId(0), text).1.is_empty(), "{text}");
    }
}

#[test]
fn every_escape_is_decoded() {
    let text = r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u00E9\uD83D\uDE00\ud83d\ude00x""#;
    assert!(agrees(text));
    assert_eq!(
        read(text).unwrap().kind,
        NodeKind::String("\"\\/\u{8}\u{c}\n\r\tAéé😀😀x".to_owned())
    );
}

#[test]
fn escapes_outside_json_and_lone_surrogates_are_left_to_the_general_parser() {
    for text in [
        r#""\'""#,
        r#""\x41""#,
        r#""\v""#,
        r#""\0""#,
        r#""\u12""#,
        r#""\u12G4""#,
        r#""\uD800""#,
        r#""\uDC00""#,
        r#""\uD800\u0041""#,
        r#""\uD800x""#,
        r#""\uDBFF\uDBFF""#,
        "\"\\",
        "\"abc",
    ] {
        assert!(!agrees(text), "{text}");
        assert!(!parse_json(FileId(0), text).1.is_empty(), "{text}");
    }
}

#[test]
fn a_raw_control_character_in_a_string_is_left_to_the_general_parser() {
    for text in ["\"a\u{1}b\"", "\"a\nb\"", "\"\t\"", "{\"k\u{0}\": 1}"] {
        assert!(read(text).is_none(), "{text:?}");
        agrees(text);
    }
}

#[test]
fn trailing_content_empty_text_and_other_whitespace_are_refused() {
    for text in [
        "{} x",
        "1 2",
        "[]]",
        "{}{}",
        "true false",
        "truex",
        "nul",
        "",
        "  \n\t",
        "[1 2]",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a: 1}",
        "[,]",
        "\u{feff}{}",
        "\u{a0}1",
        "\u{b}1",
        "// c\n1",
        "'a'",
    ] {
        assert!(read(text).is_none(), "{text:?}");
        agrees(text);
    }
    assert!(!parse_json(FileId(0), "").1.is_empty());
    assert!(!parse_json(FileId(0), "  \n\t").1.is_empty());
}

#[test]
fn spans_match_the_general_parser() {
    let text = " {\"a\" : [1, \"x\\n\", true] ,\n\"b\":{\"c\":null, \"é\": -2.5e3}, \"d\": []}\r\n";
    assert!(agrees(text));
    let node = read(text).unwrap();
    assert_eq!(node.span, 1..text.trim_end().len());
    let NodeKind::Table(entries) = node.kind else {
        panic!("a table");
    };
    assert_eq!(entries[0].key_span, 2..5);
    assert_eq!(entries[0].value.span, 8..24);
}

#[test]
fn nesting_beyond_the_limit_and_repeated_keys_are_left_to_the_general_parser() {
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
    assert!(agrees(&nested(super::MAX_DEPTH)));
    assert!(!agrees(&nested(super::MAX_DEPTH + 1)));
    assert!(too_deep(
        &parse_json(FileId(0), &nested(super::MAX_DEPTH + 1))
            .0
            .unwrap()
    ));
    for (count, again) in [(3, 2), (40, 39), (40, 5)] {
        let keys: Vec<String> = (0..count)
            .map(|i| format!("\"k{}\": {i}", if i == again { 1 } else { i }))
            .collect();
        let text = format!("{{{}}}", keys.join(", "));
        assert!(!agrees(&text), "{text}");
        let unique = text.replacen(&format!("\"k1\": {again}"), "\"kk\": 0", 1);
        assert!(agrees(&unique), "{unique}");
    }
}

/// A shipped example applicant as JSON text: JSON examples as they are, TOML ones written out.
fn examples() -> &'static [String] {
    static EXAMPLES: OnceLock<Vec<String>> = OnceLock::new();
    EXAMPLES.get_or_init(read_examples)
}

fn read_examples() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/applicants");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut texts = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => texts.push(text),
            Some("toml") => {
                let node = parse_toml(FileId(0), &text).0.unwrap();
                let mut json = String::new();
                write_json(&node, &mut json);
                texts.push(json);
            }
            _ => {}
        }
    }
    texts
}

fn write_json(node: &Node, out: &mut String) {
    let quoted = |s: &str| serde_json::to_string(s).unwrap();
    match &node.kind {
        NodeKind::String(s) => out.push_str(&quoted(s)),
        NodeKind::Number { text, .. } => out.push_str(text),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Datetime(d) => out.push_str(&quoted(&d.to_string())),
        NodeKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { ", " });
                write_json(item, out);
            }
            out.push(']');
        }
        NodeKind::Table(entries) => {
            out.push_str("{\n");
            for (i, entry) in entries.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { ",\n " });
                out.push_str(&quoted(&entry.key));
                out.push_str(": ");
                write_json(&entry.value, out);
            }
            out.push_str("\n}");
        }
        NodeKind::Null | NodeKind::TooDeep | NodeKind::Malformed => out.push_str("null"),
    }
}

#[test]
fn every_shipped_example_is_read_by_the_fast_path() {
    let examples = examples();
    assert!(examples.len() >= 10);
    for text in examples {
        assert!(agrees(text), "{text}");
    }
}

fn whitespace() -> impl Strategy<Value = String> {
    "[ \t\n\r]{0,2}"
}

fn string_piece() -> impl Strategy<Value = String> {
    let escapes = ["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"];
    prop_oneof![
        4 => "[a-zA-Z0-9 _.-]{1,4}",
        1 => any::<char>()
            .prop_filter("plain", |c| *c >= ' ' && *c != '"' && *c != '\\')
            .prop_map(String::from),
        1 => prop::sample::select(escapes.to_vec()).prop_map(String::from),
        1 => (any::<u16>(), any::<bool>())
            .prop_filter("not a surrogate", |(u, _)| !(0xD800..0xE000).contains(u))
            .prop_map(|(u, upper)| if upper { format!("\\u{u:04X}") } else { format!("\\u{u:04x}") }),
        1 => (0xD800_u32..0xDC00, 0xDC00_u32..0xE000)
            .prop_map(|(high, low)| format!("\\u{high:04X}\\u{low:04x}")),
        1 => (0xD800_u32..0xE000).prop_map(|lone| format!("\\u{lone:04x}")),
    ]
}

fn string_literal() -> impl Strategy<Value = String> {
    prop::collection::vec(string_piece(), 0..4)
        .prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => "\"[a-d]{1,2}\"", 1 => string_literal()]
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => string_literal(),
        3 => "-?(0|[1-9][0-9]{0,4})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?",
        1 => prop::sample::select(vec!["true", "false", "null"]).prop_map(String::from),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        let items = prop::collection::vec((whitespace(), inner.clone(), whitespace()), 0..5);
        let entries = prop::collection::vec(
            (
                whitespace(),
                key(),
                whitespace(),
                whitespace(),
                inner,
                whitespace(),
            ),
            0..5,
        );
        prop_oneof![
            (whitespace(), items).prop_map(|(empty, items)| {
                let items: Vec<String> = items.into_iter().map(|(a, v, b)| a + &v + &b).collect();
                if items.is_empty() {
                    format!("[{empty}]")
                } else {
                    format!("[{}]", items.join(","))
                }
            }),
            (whitespace(), entries).prop_map(|(empty, entries)| {
                let entries: Vec<String> = entries
                    .into_iter()
                    .map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"))
                    .collect();
                if entries.is_empty() {
                    format!("{{{empty}}}")
                } else {
                    format!("{{{}}}", entries.join(","))
                }
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    (whitespace(), value(), whitespace()).prop_map(|(a, v, b)| a + &v + &b)
}

/// A value nested around 32 levels deep, each level an array or a one-key object.
fn deep_document() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<bool>(), 28..36).prop_map(|levels| {
        let mut text = String::from("0");
        for object in levels {
            text = if object {
                format!("{{\"k\":{text}}}")
            } else {
                format!("[{text}]")
            };
        }
        text
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize),
    Insert(usize, char),
    Swap(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let chars = vec![
        '"', '\\', ',', ':', '[', ']', '{', '}', '0', '1', '-', '+', '.', 'e', 'E', ' ', '\n',
        '\t', '\u{0}', '\u{1f}', '\u{b}', '\u{a0}', '\u{feff}', 'u', 'é', '/', '\'', 'x', 't', 'n',
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), prop::sample::select(chars)).prop_map(|(at, c)| Mutation::Insert(at, c)),
        any::<usize>().prop_map(Mutation::Swap),
    ]
}

/// The text with the mutations made on its characters, positions taken modulo its length.
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for mutation in mutations {
        let len = chars.len();
        match *mutation {
            Mutation::Delete(at) if len > 0 => {
                chars.remove(at % len);
            }
            Mutation::Insert(at, c) => chars.insert(at % (len + 1), c),
            Mutation::Swap(at) if len > 1 => chars.swap(at % (len - 1), at % (len - 1) + 1),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(768))]

    #[test]
    fn random_documents_are_read_alike(text in document()) {
        agrees(&text);
    }

    #[test]
    fn mutated_documents_are_read_alike(
        text in document(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        agrees(&mutate(&text, &mutations));
    }

    #[test]
    fn deep_documents_are_read_alike(text in deep_document()) {
        agrees(&text);
    }

    #[test]
    fn mutated_examples_are_read_alike(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        agrees(&mutate(which.get::<String>(examples()), &mutations));
    }
}

/// Random documents, being strict JSON, are mostly taken by the fast path: the property
/// above is not passed by refusing everything.
#[test]
fn most_random_documents_take_the_fast_path() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = document();
    let mut taken = 0;
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        if agrees(&text) {
            taken += 1;
        }
    }
    assert!(taken > 100, "only {taken} of 200 read by the fast path");
}
