//! What people read names things as people do: no human rendering shows a field set's or an
//! experience category's identifier (they all have labels), nor an amount as a bare fraction.
//! The `eval` table, the `explain` tree and the REPL's `:eval`, `:explain`, `:gap` and
//! `:why` are scanned for every example applicant and seed case and every class, at two
//! evaluation dates. Identifiers and fractions stay in the JSON, where programs read them.
//!
//! The rules of the scan:
//!
//! - **Identifier**: a field set or category name of the shipped rules that has a label,
//!   as a whole word (not part of a longer run of letters, digits and `_`, so a file name
//!   such as `g19_social_worker_associate.toml` is not one). Anywhere in the output, quotes
//!   included.
//! - **Bare fraction**: digits, `/`, digits (`244/31`, `15/29`, `5366/899`), anywhere
//!   outside a "straight-quoted" passage (the source's own words, which may say "1/2"),
//!   unless the word is a date of three numbers (`07/07/2001`). No exception for a fraction
//!   reconciled with its decimal (`= 5366/899 = 5.96`): a person reads the decimal, or the
//!   days of a named month, and the exact value is in the JSON.
//!
//! A rendering this catches is fixed where it is made, not let through here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;
mod eval_support;

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use cli_support::qualify;

/// Folders of applicant files whose renderings are scanned: the examples, the seed cases,
/// and the fixtures with amounts that are not whole, set-aside entries or field spellings.
const FOLDERS: [&str; 5] = [
    "examples/applicants",
    "tests/fixtures/seed_cases",
    "tests/fixtures/amounts",
    "tests/fixtures/set_aside",
    "tests/fixtures/applicants/spellings",
];

/// Two dates: one that cuts current jobs mid-year, one a month-end after every example.
const DATES: [&str; 2] = ["2024-06-30", "2025-02-28"];

const CLASSES: [&str; 3] = ["K9099", "G1099", "38480"];

fn applicants() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in FOLDERS {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(folder);
        for entry in std::fs::read_dir(&root).unwrap() {
            let path = entry.unwrap().path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            ) {
                files.push(
                    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap()
                        .to_owned(),
                );
            }
        }
    }
    files.sort();
    assert!(files.len() >= 100, "{files:?}");
    files
}

/// Every field set and category of the shipped rules that has a label.
fn identifiers() -> Vec<String> {
    let program = eval_support::shipped();
    let sets = program.field_sets().iter().map(|s| s.name.to_string());
    let categories = program.categories().iter().map(|c| c.to_string());
    let names: Vec<String> = sets
        .chain(categories)
        .filter(|name| program.vocabulary_label(name).is_some())
        .collect();
    assert!(names.len() >= 12, "{names:?}");
    names
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Each whole-word identifier of `names` in `text`, with its line.
fn identifiers_in(text: &str, names: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for name in names {
            for (at, _) in line.match_indices(name.as_str()) {
                let before = line[..at].chars().next_back();
                let after = line[at + name.len()..].chars().next();
                if !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char) {
                    found.push(format!("{name}  in: {line}"));
                }
            }
        }
    }
    found
}

/// The text with every "…" quotation removed: a quote is the source's words, not an amount.
fn outside_quotes(line: &str) -> String {
    line.split('"').step_by(2).collect::<Vec<_>>().join(" ")
}

/// Each `digits/digits` in `text` that is not part of a date such as 07/07/2001.
fn bare_fractions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for word in outside_quotes(line).split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
            let parts: Vec<&str> = word.split('/').collect();
            let numeric = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
            let date = parts.len() == 3 && parts.iter().all(numeric);
            let fraction = parts.windows(2).any(|w| {
                w[0].ends_with(|c: char| c.is_ascii_digit())
                    && w[1].starts_with(|c: char| c.is_ascii_digit())
            });
            if fraction && !date {
                found.push(format!("{word}  in: {line}"));
            }
        }
    }
    found
}

/// What a person should not read in `text`, each finding prefixed with `what`.
fn findings(what: &str, text: &str, names: &[String]) -> Vec<String> {
    let identifiers = identifiers_in(text, names)
        .into_iter()
        .map(|f| format!("{what}: identifier {f}"));
    let fractions = bare_fractions(text)
        .into_iter()
        .map(|f| format!("{what}: fraction {f}"));
    identifiers.chain(fractions).collect()
}

fn run(args: &[&str]) -> String {
    let out = qualify().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One REPL session that loads each file and asks every scanned command of every class;
/// every statement must answer (an unknown command or a refused query would scan nothing).
fn repl(date: &str, files: &[PathBuf]) -> String {
    let mut script = String::new();
    for file in files {
        script.push_str(&format!(":load {}\n:eval\n", file.display()));
        for class in CLASSES {
            script.push_str(&format!(":explain {class}\n:gap {class}\n:why {class}\n"));
        }
    }
    let mut child = qualify()
        .args(["repl", "--no-history", "--as-of", date])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success() && !text.contains("error:"),
        "a statement failed: {}{}",
        text.lines()
            .filter(|l| l.starts_with("error:"))
            .collect::<Vec<_>>()
            .join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    let asked = files.len() * CLASSES.len();
    assert_eq!(
        text.matches("\nwhy, as of ").count(),
        asked,
        "`:why` answers"
    );
    assert_eq!(
        text.matches("\ngap as of ").count(),
        asked,
        "`:gap` answers"
    );
    for file in files {
        assert!(
            text.contains(&format!("loaded {}", file.display())),
            "{file:?} not loaded"
        );
    }
    text
}

#[test]
fn the_scan_finds_identifiers_and_bare_fractions_and_passes_dates_quotes_and_files() {
    let names = identifiers();
    assert_eq!(
        identifiers_in("2 years of public_program_experience", &names).len(),
        1
    );
    assert_eq!(
        identifiers_in("“Related” (healthcare_related_fields)", &names).len(),
        1
    );
    assert!(identifiers_in("loaded g19_social_worker_associate.toml", &names).is_empty());
    assert!(identifiers_in("“Public program experience”", &names).is_empty());
    assert_eq!(bare_fractions("= 5366/899 = 5.96 months").len(), 1);
    assert_eq!(bare_fractions("15/29 of February 2024").len(), 1);
    assert_eq!(bare_fractions("(19/2 months)").len(), 1);
    assert!(bare_fractions("established 07/07/2001, revised 9/20/2011").is_empty());
    assert!(bare_fractions("Says: \"a 1/2 share\" and analysis/research").is_empty());
    assert!(bare_fractions("rules/k9099.qual:91 and 000_d8c2fb164fd20970.txt").is_empty());
}

/// The `eval` table of each folder and the `explain` tree of each applicant for each class.
fn scan_commands(date: &str, names: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for folder in FOLDERS {
        let table = run(&["eval", folder, "--as-of", date]);
        found.extend(findings(&format!("eval {folder} {date}"), &table, names));
    }
    for file in applicants() {
        let file = file.to_str().unwrap();
        for class in CLASSES {
            let tree = run(&["explain", file, "--class", class, "--as-of", date]);
            found.extend(findings(
                &format!("explain {file} {class} {date}"),
                &tree,
                names,
            ));
        }
    }
    found
}

#[test]
fn eval_and_explain_show_labels_and_no_bare_fraction_mid_year() {
    let found = scan_commands(DATES[0], &identifiers());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn eval_and_explain_show_labels_and_no_bare_fraction_after_every_example() {
    let found = scan_commands(DATES[1], &identifiers());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_repl_shows_labels_and_no_bare_fraction() {
    let names = identifiers();
    let files = applicants();
    let mut found = Vec::new();
    for date in DATES {
        let session = repl(date, &files);
        found.extend(findings(&format!("repl {date}"), &session, &names));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
