//! No human rendering shows an amount as a bare fraction: the `eval` table, the `explain`
//! tree and the REPL's `:eval`, `:explain`, `:gap` and `:why` are scanned, for every example
//! applicant and the fixtures with amounts that are not whole, at two evaluation dates.
//! Fractions stay in the JSON, where the exact value belongs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use cli_support::qualify;

/// Folders of applicant files whose renderings are scanned.
const FOLDERS: [&str; 3] = [
    "examples/applicants",
    "tests/fixtures/amounts",
    "tests/fixtures/set_aside",
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
    assert!(files.len() >= 12, "{files:?}");
    files
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

fn run(args: &[&str]) -> String {
    let out = qualify().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

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
    for file in files {
        assert!(
            text.contains(&format!("loaded {}", file.display())),
            "{file:?} not loaded: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    text
}

#[test]
fn the_scan_finds_a_bare_fraction_and_passes_dates_and_quotes() {
    assert_eq!(bare_fractions("= 5366/899 = 5.96 months").len(), 1);
    assert_eq!(bare_fractions("15/29 of February 2024").len(), 1);
    assert_eq!(bare_fractions("(19/2 months)").len(), 1);
    assert!(bare_fractions("established 07/07/2001, revised 9/20/2011").is_empty());
    assert!(bare_fractions("Says: \"a 1/2 share\" and analysis/research").is_empty());
    assert!(bare_fractions("rules/k9099.qual:91 and 000_d8c2fb164fd20970.txt").is_empty());
}

#[test]
fn no_human_rendering_shows_a_bare_fraction() {
    let files = applicants();
    let mut found = Vec::new();
    for date in DATES {
        for folder in FOLDERS {
            let table = run(&["eval", folder, "--as-of", date]);
            found.extend(
                bare_fractions(&table)
                    .into_iter()
                    .map(|f| format!("eval {folder} {date}: {f}")),
            );
        }
        for file in &files {
            let file = file.to_str().unwrap();
            for class in CLASSES {
                let tree = run(&["explain", file, "--class", class, "--as-of", date]);
                found.extend(
                    bare_fractions(&tree)
                        .into_iter()
                        .map(|f| format!("explain {file} {class} {date}: {f}")),
                );
            }
        }
        let session = repl(date, &files);
        found.extend(
            bare_fractions(&session)
                .into_iter()
                .map(|f| format!("repl {date}: {f}")),
        );
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
