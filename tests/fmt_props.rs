//! Properties of `qualify fmt` over the shipped rules, every rule fixture and generated rule
//! sets laid out at random (white space changed, comments added): formatting is idempotent,
//! keeps every comment, and changes no meaning (the checked rules of a file and of its
//! formatted text are equal, up to positions, and decide random applicants alike).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
mod reference;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use qualify::check::{CheckOutcome, CheckedRules, SourceInput, check_sources};
use qualify::compile::compile;
use qualify::eval::{Query, evaluate};
use qualify::format::format_rule_text;
use qualify::source::{FileId, SourceMap};
use serde_json::Value;

use reference::applicant_gen::{self, Case, Vocabulary};
use reference::rule_text;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn format(name: &str, text: &str) -> String {
    format_rule_text(FileId(0), text)
        .unwrap_or_else(|diagnostics| panic!("{name} was not formatted: {diagnostics:#?}"))
}

/// Formats `text` and checks the properties that hold of any file: the result is formatted
/// already, and holds the same comments in the same order.
fn format_idempotent(name: &str, text: &str) -> String {
    let once = format(name, text);
    let twice = format(name, &once);
    assert_eq!(once, twice, "formatting {name} twice changed it");
    assert_eq!(
        comments(text),
        comments(&once),
        "the comments of {name} changed"
    );
    once
}

/// The comments of rule text, outside strings, trailing white space cut.
fn comments(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for line in text.split(['\n', '\r']) {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    found.push(line[i..].trim_end());
                    break;
                }
                _ => {}
            }
        }
    }
    found
}

fn check(files: &[(String, String)]) -> CheckOutcome {
    let inputs: Vec<SourceInput> = files
        .iter()
        .map(|(name, text)| SourceInput {
            name: name.clone(),
            bytes: text.clone().into_bytes(),
        })
        .collect();
    check_sources(&inputs)
}

/// The checked model's debug text with every byte position left out.
fn model_without_positions(rules: &CheckedRules) -> String {
    let text = format!("{:?}", rules.model());
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span { file: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map_or(after.len(), |n| n + 1);
        out.push_str("Span");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The diagnostics' codes and messages, in order, without positions.
fn reported(outcome: &CheckOutcome) -> Vec<String> {
    let mut found: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code(), d.message()))
        .collect();
    found.sort();
    found
}

/// The decision record of `case` under `rules`, without the rules hash (the text differs),
/// or the refusal.
fn decide(rules: &CheckedRules, case: &Case) -> Value {
    let program = compile(rules);
    let toml = case.applicant.to_toml();
    let mut sources = SourceMap::default();
    let read = qualify::applicant::read(&mut sources, "applicant.toml", toml.as_bytes(), rules);
    let Some(applicant) = read.applicant else {
        return Value::String(format!(
            "refused: {:?}",
            reported_applicant(&read.diagnostics)
        ));
    };
    match evaluate(&program, &applicant, &Query::new(case.as_of.jiff())) {
        Ok(evaluation) => {
            let mut record = serde_json::to_value(&evaluation).unwrap();
            record.as_object_mut().unwrap().remove("rules_hash");
            record
        }
        Err(error) => Value::String(format!("refused: {error:?}")),
    }
}

fn reported_applicant(diagnostics: &[qualify::diagnostics::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code(), d.message()))
        .collect()
}

/// Formats every file of a rule set and asserts that it checks to the same model (or the
/// same diagnostics) and decides `cases` alike. Returns the checked original, if it checks.
fn assert_same_meaning(files: &[(String, String)], cases: &[Case]) {
    let formatted: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| (name.clone(), format_idempotent(name, text)))
        .collect();
    let before = check(files);
    let after = check(&formatted);
    assert_eq!(
        reported(&before),
        reported(&after),
        "the diagnostics changed"
    );
    match (&before.rules, &after.rules) {
        (Some(before), Some(after)) => {
            assert_eq!(
                model_without_positions(before),
                model_without_positions(after),
                "the checked rules changed"
            );
            for case in cases {
                assert_eq!(
                    decide(before, case),
                    decide(after, case),
                    "a decision changed"
                );
            }
        }
        (None, None) => {}
        _ => panic!("only one of the rule sets checks"),
    }
}

fn read_folder(folder: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "qual"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn shipped() -> Vec<(String, String)> {
    read_folder(&root().join("rules"))
}

/// Random applicants for a rule set's vocabulary, drawn deterministically.
fn applicants(files: &[(String, String)], count: usize) -> Vec<Case> {
    let Some(rules) = check(files).rules else {
        return Vec::new();
    };
    let strategy = applicant_gen::ordinary(&Vocabulary::of(rules.model()));
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

#[test]
fn the_shipped_rules_keep_their_meaning_formatted() {
    let files = shipped();
    let cases = applicants(&files, 200);
    assert_same_meaning(&files, &cases);
}

/// Every rule fixture that parses keeps its meaning and its diagnostics when formatted;
/// every one that does not is refused.
#[test]
fn every_rule_fixture_keeps_its_meaning_or_is_refused() {
    let mut folders = vec![root().join("tests/fixtures")];
    let mut formatted = 0;
    while let Some(folder) = folders.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "qual") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path.display().to_string();
            if format_rule_text(FileId(0), &text).is_ok() {
                formatted += 1;
                assert_same_meaning(&[(name, text)], &[]);
            }
        }
    }
    assert!(formatted > 10, "only {formatted} fixtures were formatted");
}

/// A random layout of `text`: each run of white space between tokens replaced by one of
/// several, and comments added at some of them. Strings and comments are kept whole.
fn relayout(text: &str, choices: &[u8]) -> String {
    const SPACES: [&str; 6] = [" ", "\n", "   ", "\n\n\n    ", "\t", "\r\n  "];
    let mut out = String::with_capacity(text.len() * 2);
    let mut picks = choices.iter().cycle();
    let mut chars = text.chars().peekable();
    let mut after_comment = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                let mut escaped = false;
                for c in chars.by_ref() {
                    out.push(c);
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '#' => {
                out.push(c);
                while let Some(&next) = chars.peek() {
                    if next == '\n' || next == '\r' {
                        break;
                    }
                    out.push(next);
                    chars.next();
                }
                after_comment = true;
            }
            c if c.is_ascii_whitespace() => {
                while chars.peek().is_some_and(char::is_ascii_whitespace) {
                    chars.next();
                }
                let pick = usize::from(*picks.next().unwrap_or(&0));
                let mut space = SPACES[pick % SPACES.len()];
                if after_comment && !space.contains('\n') {
                    space = "\n";
                }
                if pick % 7 == 3 {
                    out.push_str(" # added ");
                    out.push_str(&pick.to_string());
                    out.push('\n');
                }
                out.push_str(space);
                after_comment = false;
            }
            c => {
                out.push(c);
                after_comment = false;
            }
        }
    }
    out
}

/// `text`, a generated rule set, with notes, labels, field spellings and acknowledged
/// warnings added wherever the rule language takes them, as `choices` pick: a class's and a
/// level's notes and allows, a tier's and a substitution's before their `:`, a field set's
/// and a category's label (before or after the description) and notes, a field's spellings
/// and notes, a profile statement's notes. Notes of several strings, some with an
/// authority; every allow names a warning code, which may or may not fire there.
fn annotate(text: &str, choices: &[u8]) -> String {
    let mut picks = choices.iter().cycle().map(|&c| usize::from(c));
    let mut pick = move || picks.next().unwrap_or(0);
    let mut out = String::with_capacity(text.len() * 2);
    let mut n = 0;
    let note = |pick: usize, n: &mut usize| -> String {
        *n += 1;
        let text = match pick % 3 {
            0 => format!("\"note {n}\""),
            1 => {
                format!("\"note {n}, \\\"quoted\\\" and long enough to need\" \"a second string\"")
            }
            _ => format!("\"note {n}\" \"in two\" \"or three strings\""),
        };
        if pick % 4 == 1 {
            format!("note {text} by \"authority {n}\"")
        } else {
            format!("note {text}")
        }
    };
    let allow = |pick: usize| -> String {
        let code = ["Q202", "Q203", "Q204", "Q205"][pick % 4];
        format!("allow {code} \"reviewed: the source says so\" \"and it is kept\"")
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        let p = pick();
        if let Some(head) = trimmed.strip_prefix("fields ") {
            let (name, rest) = head.split_once(' ').unwrap_or((head, ""));
            let description = rest.trim_end_matches('{').trim_end();
            let label = format!("label \"label of {name}\"");
            let header = match p % 3 {
                0 => format!("fields {name} {label} {description}"),
                1 => format!("fields {name} {description} {label}"),
                _ => format!("fields {name} {description}"),
            };
            let notes = if p % 2 == 0 {
                note(pick(), &mut n)
            } else {
                String::new()
            };
            out.push_str(&format!("{header} {notes} {{\n"));
        } else if let Some(head) = trimmed.strip_prefix("experience ") {
            let (name, description) = head.split_once(' ').unwrap_or((head, ""));
            let label = format!("label \"label of {name}\"");
            let notes = if p % 2 == 0 {
                note(pick(), &mut n)
            } else {
                String::new()
            };
            match p % 3 {
                0 => out.push_str(&format!(
                    "experience {name} {label} {description} {notes}\n"
                )),
                _ => out.push_str(&format!(
                    "experience {name} {description} {label} {notes}\n"
                )),
            }
        } else if trimmed.starts_with('"') && line.starts_with("  \"") {
            let field = trimmed.trim_matches('"');
            out.push_str(line);
            if p % 3 == 0 {
                out.push_str(&format!(
                    " also \"{field} (spelt otherwise)\", \"{field} studies\""
                ));
            }
            if p % 4 == 1 {
                out.push_str(&format!(" note \"why {field}\""));
                if pick() % 2 == 0 {
                    out.push_str(" by \"its authority\"");
                }
            }
            out.push('\n');
        } else if trimmed.starts_with("class ") || trimmed.starts_with("level ") {
            out.push_str(line);
            out.push('\n');
            if p % 2 == 0 {
                out.push_str(&note(pick(), &mut n));
                out.push('\n');
            }
            if p % 3 == 0 {
                out.push_str(&allow(pick()));
                out.push('\n');
            }
        } else if let Some(kind) = trimmed.strip_suffix(':') {
            let mut annotations = String::new();
            if p % 2 == 0 {
                annotations.push(' ');
                annotations.push_str(&note(pick(), &mut n));
            }
            if p % 3 == 0 && kind != "substitute" {
                annotations.push(' ');
                annotations.push_str(&allow(pick()));
            }
            out.push_str(&format!("{kind}{annotations}:\n"));
        } else if trimmed.starts_with("full time") || trimmed.starts_with("jurisdiction") {
            out.push_str(line);
            if p % 2 == 0 {
                out.push(' ');
                out.push_str(&note(pick(), &mut n));
            }
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Generated rule sets, laid out at random.
    #[test]
    fn generated_rule_sets_keep_their_meaning_formatted(
        spec in rule_text::rule_set(),
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let text = relayout(&spec.text(), &choices);
        let files = vec![("generated.qual".to_owned(), text)];
        let cases = applicants(&files, 8);
        assert_same_meaning(&files, &cases);
    }

    /// Generated rule sets with notes, labels, spellings and allows added, laid out at
    /// random: formatting keeps every one of them, where it was.
    #[test]
    fn annotated_rule_sets_keep_their_annotations_formatted(
        spec in rule_text::rule_set(),
        annotations in prop::collection::vec(any::<u8>(), 1..64),
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let text = relayout(&annotate(&spec.text(), &annotations), &choices);
        let files = vec![("annotated.qual".to_owned(), text)];
        let cases = applicants(&files, 8);
        assert_same_meaning(&files, &cases);
    }

    /// The shipped rules laid out at random, with comments added.
    #[test]
    fn relaid_shipped_rules_keep_their_meaning_formatted(
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let files: Vec<(String, String)> = shipped()
            .into_iter()
            .map(|(name, text)| (name, relayout(&text, &choices)))
            .collect();
        assert_same_meaning(&files, &[]);
    }
}
