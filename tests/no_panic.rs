//! Hostile input never panics the parser or the checker: arbitrary text and bytes, mutated
//! copies of the shipped rules, 100,000 nested parentheses, non-UTF-8 and empty files. Every
//! diagnostic points inside the file it is about.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use proptest::prelude::*;
use qualify::check::{CheckOutcome, SourceInput, check_sources};
use qualify::diagnostics::{Code, Severity};
use qualify::syntax::MAX_NESTING;

/// The shipped rule files, read once per test.
fn shipped() -> Vec<SourceInput> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qual"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| SourceInput {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&path).unwrap(),
        })
        .collect()
}

fn input(name: &str, bytes: impl Into<Vec<u8>>) -> SourceInput {
    SourceInput {
        name: name.to_owned(),
        bytes: bytes.into(),
    }
}

/// What must hold for any input: every label of every diagnostic lies inside a known file,
/// on character boundaries; nothing is an internal error; errors and checked rules exclude
/// each other.
fn assert_well_formed(outcome: &CheckOutcome) {
    for diagnostic in &outcome.diagnostics {
        assert_ne!(
            diagnostic.code(),
            Code::Internal,
            "internal error: {}",
            diagnostic.message()
        );
        assert!(!diagnostic.message().is_empty());
        assert!(!diagnostic.labels().is_empty());
        for label in diagnostic.labels() {
            let file = outcome
                .sources
                .get(label.span.file)
                .unwrap_or_else(|| panic!("{} points at an unknown file", diagnostic.code()));
            let text = file.text();
            let range = label.span.range();
            assert!(
                range.start <= range.end && range.end <= text.len(),
                "{} span {range:?} outside {} ({} bytes)",
                diagnostic.code(),
                file.name(),
                text.len()
            );
            assert!(
                text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
                "{} span {range:?} splits a character",
                diagnostic.code()
            );
        }
    }
    let has_error = outcome.diagnostics.iter().any(|d| d.is_error());
    assert_eq!(outcome.rules.is_some(), !has_error);
}

fn check_one(bytes: &[u8]) -> CheckOutcome {
    let outcome = check_sources(&[input("input.qual", bytes)]);
    assert_well_formed(&outcome);
    outcome
}

/// Words and marks of the language, so that random sequences reach deep into the grammar.
const PIECES: &[&str] = &[
    "profile",
    "fields",
    "experience",
    "class",
    "level",
    "code",
    "band",
    "alt band",
    "pay scale group",
    "minimum",
    "recommended",
    "substitute",
    "cite",
    "quote",
    ":",
    "{",
    "}",
    "(",
    ")",
    ",",
    "and",
    "or",
    "of",
    "in",
    "any of",
    "that includes",
    "accredited",
    "education",
    "any combination of",
    "an equivalent combination of",
    "totaling",
    "associate",
    "bachelor",
    "high_school",
    "program_fields",
    "program_experience",
    "new_mexico",
    "2 years",
    "6 months",
    "18 credits",
    "0 years",
    "-1 months",
    "45 quarter credits",
    "12345678901 years",
    "2011-02-30",
    "9/20/2011",
    "established",
    "revised",
    "effective",
    "source",
    "\"text\"",
    "\"open",
    "#",
    "\n",
    " ",
    "jurisdiction",
    "credential",
    "worth",
    "same as",
    "a year of education is",
    "full time is",
    "per week",
    "overlapping jobs are summed up to full time",
    "several degrees count the highest only",
    "\u{e9}",
    "\u{2192}",
];

fn token_soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..120)
        .prop_map(|pieces| pieces.join(" "))
}

/// One edit to a rule file's bytes, at positions given as fractions of its length.
#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: f64, len: usize },
    Insert { at: f64, bytes: Vec<u8> },
    Duplicate { at: f64, len: usize, to: f64 },
    SwapWords { a: f64, b: f64 },
    Truncate { at: f64 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            at.clone(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..8),
                proptest::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
            ]
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at.clone(), 1..400usize, at.clone()).prop_map(|(at, len, to)| Mutation::Duplicate {
            at,
            len,
            to
        }),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::SwapWords { a, b }),
        at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn position(bytes: &[u8], fraction: f64) -> usize {
    ((bytes.len() as f64 * fraction) as usize).min(bytes.len())
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    match mutation {
        Mutation::Delete { at, len } => {
            let start = position(bytes, *at);
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Insert { at, bytes: new } => {
            let start = position(bytes, *at);
            bytes.splice(start..start, new.iter().copied());
        }
        Mutation::Duplicate { at, len, to } => {
            let start = position(bytes, *at);
            let slice = bytes[start..(start + len).min(bytes.len())].to_vec();
            let to = position(bytes, *to);
            bytes.splice(to..to, slice);
        }
        Mutation::SwapWords { a, b } => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut words: Vec<&str> = text.split(' ').collect();
            let n = words.len();
            let (i, j) = (
                ((n as f64 * a) as usize).min(n - 1),
                ((n as f64 * b) as usize).min(n - 1),
            );
            words.swap(i, j);
            *bytes = words.join(" ").into_bytes();
        }
        Mutation::Truncate { at } => {
            let end = position(bytes, *at);
            bytes.truncate(end);
        }
    }
}

proptest! {
    // Each case parses and checks at most a few kilobytes; the counts keep the whole file
    // to a few seconds in a debug build.
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_one(text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_one(&bytes);
    }

    #[test]
    fn sequences_of_rule_words_never_panic(text in token_soup()) {
        check_one(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mutated_shipped_rules_never_panic(
        file in 0..4usize,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut inputs = shipped();
        let index = file % inputs.len();
        for mutation in &mutations {
            apply(&mut inputs[index].bytes, mutation);
        }
        let outcome = check_sources(&inputs);
        assert_well_formed(&outcome);
    }
}

#[test]
fn shipped_rules_are_well_formed_and_check_clean() {
    let outcome = check_sources(&shipped());
    assert_well_formed(&outcome);
    assert!(outcome.rules.is_some());
}

const PROFILE: &str = r#"
profile new_mexico {
  jurisdiction "New Mexico State Personnel Office"
  credential associate "Associate degree" worth 2 years
  a year of education is 30 semester credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}
"#;

/// A class whose level B minimum tier is `requirement`.
fn class_with(requirement: &str) -> String {
    format!(
        "{PROFILE}\nclass X1 \"Example\" {{\n  profile new_mexico\n  source \"example.txt\"\n  \
         established 2020-01-01\n  level B code \"X1B\" band 50 {{\n    minimum: {requirement}\n  \
         }}\n}}\n"
    )
}

fn codes(outcome: &CheckOutcome) -> Vec<Code> {
    outcome.diagnostics.iter().map(|d| d.code()).collect()
}

#[test]
fn hundred_thousand_nested_parentheses_give_a_diagnostic() {
    let depth = 100_000;
    let text = class_with(&format!(
        "{}associate{}",
        "(".repeat(depth),
        ")".repeat(depth)
    ));
    let outcome = check_one(text.as_bytes());
    assert_eq!(codes(&outcome), vec![Code::NestingTooDeep]);
}

#[test]
fn hundred_thousand_unclosed_parentheses_give_a_diagnostic() {
    let outcome = check_one("(".repeat(100_000).as_bytes());
    assert!(codes(&outcome).contains(&Code::NestingTooDeep));
    let outcome = check_one(class_with(&"(".repeat(100_000)).as_bytes());
    assert_eq!(codes(&outcome), vec![Code::NestingTooDeep]);
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let text = class_with(&format!(
        "{}associate{}",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    ));
    let outcome = check_one(text.as_bytes());
    assert_eq!(codes(&outcome), vec![]);
}

#[test]
fn deep_nesting_in_one_class_does_not_hide_the_next() {
    let deep = class_with(&format!("{}associate", "(".repeat(1000)));
    let text = format!("{deep}\nclass X2 \"Second\" {{\n  profile new_mexcio\n}}\n");
    let outcome = check_one(text.as_bytes());
    let found = codes(&outcome);
    assert_eq!(found.first(), Some(&Code::NestingTooDeep));
    assert!(found.contains(&Code::UnknownName), "{found:?}");
}

#[test]
fn non_utf8_input_gives_an_error_at_the_bad_byte() {
    let mut bytes = class_with("associate").into_bytes();
    let at = bytes.len() / 2;
    bytes.insert(at, 0xFF);
    let outcome = check_one(&bytes);
    let [diagnostic] = outcome.diagnostics.as_slice() else {
        panic!("{:?}", codes(&outcome));
    };
    assert_eq!(diagnostic.code(), Code::NotUtf8);
    assert_eq!(diagnostic.severity(), Severity::Error);
    assert_eq!(diagnostic.span().start as usize, at);
    assert!(outcome.rules.is_none());
}

#[test]
fn empty_input_gives_a_warning_only() {
    for text in ["", "\n\n", "# only a comment\n", "   \t\n# two\n# comments"] {
        let outcome = check_one(text.as_bytes());
        assert_eq!(codes(&outcome), vec![Code::EmptyFile], "{text:?}");
        assert_eq!(outcome.diagnostics[0].severity(), Severity::Warning);
        assert!(outcome.rules.is_some(), "a warning alone still checks");
    }
}

#[test]
fn huge_amounts_give_a_diagnostic_not_an_overflow() {
    let profile = PROFILE.replace(
        "30 semester credits",
        "999999999.9999 semester credits or 0.0001 quarter credits",
    );
    let text = format!(
        "{profile}\nfields f \"F\" {{ \"F\" }}\nexperience e \"E\"\n\
         class X1 \"Example\" {{\n  profile new_mexico\n  source \"s\"\n  established 2020-01-01\n  \
         level B code \"X1B\" band 50 {{\n    minimum: associate that includes 999999999.9999 \
         quarter credits in f and 999999999.9999 years of e\n      substitute: any combination \
         of education and e totaling 999999999.9999 years\n  }}\n}}\n"
    );
    let outcome = check_one(text.as_bytes());
    assert!(
        codes(&outcome).contains(&Code::NumberOutOfRange),
        "{:?}",
        codes(&outcome)
    );
}
