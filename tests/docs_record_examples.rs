//! The decision-record examples of `docs/semantics.md` are real output: each ```json block
//! after a `<!-- record-example: ARGS -->` line is compared, as a JSON value, with what
//! `qualify ARGS` prints.
//!
//! A block may leave things out, in three marked ways only: the string `"…"` matches any
//! value; a string ending in ` …` matches a string that begins with the words before it; an
//! object holding the key `"…"` may have more keys than it shows (the keys it shows must
//! match); an array whose last element is `"…"` may have more elements than it shows (those
//! it shows must match, in order). Everything else must be equal: no other key may be
//! missing, no other element left out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use serde_json::Value;

const MARKER: &str = "<!-- record-example: ";
const ELIDED: &str = "…";

/// Each marked example of `doc`: its arguments and the JSON text of the block below.
fn examples(doc: &str) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(args) = line.strip_prefix(MARKER) else {
            continue;
        };
        let args = args.strip_suffix(" -->").expect("a marker ends in ` -->`");
        let fence = lines.next().expect("a block follows its marker");
        assert_eq!(
            fence, "```json",
            "the marker for `{args}` is not above a json block"
        );
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        found.push((
            args.split_whitespace().map(str::to_owned).collect(),
            block.join("\n"),
        ));
    }
    found
}

/// Where `shown` (the docs) and `real` (the binary) differ, each with its JSON path.
fn differences(shown: &Value, real: &Value, path: &str, out: &mut Vec<String>) {
    match (shown, real) {
        (Value::String(s), _) if s == ELIDED => {}
        (Value::String(s), Value::String(r)) if s.ends_with(" …") => {
            let prefix = s.trim_end_matches(" …");
            if !r.starts_with(prefix) {
                out.push(format!("{path}: {r:?} does not begin with {prefix:?}"));
            }
        }
        (Value::Object(s), Value::Object(r)) => {
            let open = s.contains_key(ELIDED);
            for (key, value) in s.iter().filter(|(k, _)| *k != ELIDED) {
                match r.get(key) {
                    Some(real) => differences(value, real, &format!("{path}.{key}"), out),
                    None => out.push(format!("{path}.{key}: not in the output")),
                }
            }
            if !open {
                for key in r.keys().filter(|k| !s.contains_key(*k)) {
                    out.push(format!("{path}.{key}: in the output, not in the docs"));
                }
            }
        }
        (Value::Array(s), Value::Array(r)) => {
            let open = s.last() == Some(&Value::String(ELIDED.to_owned()));
            let shown = if open { &s[..s.len() - 1] } else { &s[..] };
            let fits = if open {
                r.len() >= shown.len()
            } else {
                r.len() == shown.len()
            };
            if !fits {
                out.push(format!(
                    "{path}: {} elements in the output, {} shown",
                    r.len(),
                    shown.len()
                ));
            }
            for (i, (s, r)) in shown.iter().zip(r).enumerate() {
                differences(s, r, &format!("{path}[{i}]"), out);
            }
        }
        _ if shown == real => {}
        _ => out.push(format!(
            "{path}: the docs show {shown}, the output is {real}"
        )),
    }
}

#[test]
fn the_comparison_honours_only_the_marked_elisions() {
    let check = |shown: &str, real: &str| {
        let mut out = Vec::new();
        let shown: Value = serde_json::from_str(shown).unwrap();
        let real: Value = serde_json::from_str(real).unwrap();
        differences(&shown, &real, "$", &mut out);
        out
    };
    assert!(
        check(
            r#"{"a": "…", "b": [1, "…"]}"#,
            r#"{"a": {"x": 1}, "b": [1, 2]}"#
        )
        .is_empty()
    );
    assert!(check(r#"{"a": 1, "…": "…"}"#, r#"{"a": 1, "b": 2}"#).is_empty());
    assert!(check(r#"{"t": "Choice (a). …"}"#, r#"{"t": "Choice (a). More."}"#).is_empty());
    assert_eq!(check(r#"{"a": 1}"#, r#"{"a": 1, "b": 2}"#).len(), 1);
    assert_eq!(check(r#"{"a": 1, "c": 3}"#, r#"{"a": 1}"#).len(), 1);
    assert_eq!(check(r#"[1, 2]"#, r#"[1, 2, 3]"#).len(), 1);
    assert_eq!(check(r#"[1, 3, "…"]"#, r#"[1, 2, 3]"#).len(), 1);
    assert_eq!(
        check(r#"{"t": "Choice (b). …"}"#, r#"{"t": "Choice (a)."}"#).len(),
        1
    );
    assert_eq!(check(r#"{"n": null}"#, r#"{"n": "08"}"#).len(), 1);
}

#[test]
fn the_decision_record_examples_in_semantics_are_real_output() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/semantics.md"),
    )
    .unwrap();
    let examples = examples(&doc);
    assert!(examples.len() >= 2, "the marked examples are gone");
    let mut found = Vec::new();
    for (args, block) in examples {
        let shown: Value = serde_json::from_str(&block)
            .unwrap_or_else(|e| panic!("the block for {args:?} is not JSON: {e}"));
        let out = cli_support::qualify().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let real: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut differ = Vec::new();
        differences(&shown, &real, "$", &mut differ);
        found.extend(
            differ
                .into_iter()
                .map(|d| format!("{}: {d}", args.join(" "))),
        );
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
