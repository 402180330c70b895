//! Every command example in `README.md` and `docs/*.md`, run through the real binary and
//! compared with the output the page shows, so that the docs stay true. The markup is in
//! `docs/testing.md`: a `console` block holds `$ qualify …` (or `$ cargo run … -- …`)
//! lines, each followed by its output, where a line `...` stands for any lines; a `sh`
//! block's `qualify` and `cargo run` lines must succeed. An untagged block that looks like
//! an example is an error, so that no example goes unchecked by accident.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use insta_cmd::get_cargo_bin;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// A line of shown output standing for any number of lines.
const ELISION: &str = "...";

/// In shown JSON output, a value, key or last array element standing for anything.
const JSON_ELISION: &str = "…";

/// One fenced block of a page.
struct Block {
    /// The page and the line of the opening fence, for messages.
    place: String,
    info: String,
    lines: Vec<String>,
}

/// One command to run, and what the page says it prints.
struct Example {
    place: String,
    command: String,
    /// `None` in a `sh` block: the command must succeed, its output is not shown.
    expected: Option<Vec<String>>,
}

/// `README.md` and every page of `docs/`, in name order.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(Path::new(MANIFEST).join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages.insert(0, Path::new(MANIFEST).join("README.md"));
    pages
}

fn blocks(page: &Path) -> Vec<Block> {
    let name = page.strip_prefix(MANIFEST).unwrap().display().to_string();
    let text = std::fs::read_to_string(page).unwrap();
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match (&mut open, trimmed.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    place: format!("{name}:{}", index + 1),
                    info: info.trim().to_owned(),
                    lines: Vec::new(),
                });
            }
            (Some(_), Some(_)) => blocks.push(open.take().unwrap()),
            (Some(block), None) => block.lines.push(line.trim_end().to_owned()),
            (None, None) => {}
        }
    }
    blocks
}

/// Whether a line runs qualify: `qualify …` or `cargo run … -- …`.
fn runs_qualify(line: &str) -> bool {
    let words = split_words(line);
    let mut command = words
        .iter()
        .skip_while(|w| is_assignment(w))
        .map(String::as_str);
    match (command.next(), command.next()) {
        (Some("qualify"), _) => true,
        // `cargo run --example …` runs another program.
        (Some("cargo"), Some("run")) => !command.any(|w| w == "--example" || w == "--bench"),
        _ => false,
    }
}

fn examples(block: &Block) -> Result<Vec<Example>, String> {
    match block.info.as_str() {
        "console" => console_examples(block),
        "sh" | "bash" | "shell" => Ok(block
            .lines
            .iter()
            .filter(|line| runs_qualify(line))
            .map(|line| Example {
                place: block.place.clone(),
                command: line.trim().to_owned(),
                expected: None,
            })
            .collect()),
        "" => {
            let looks_run = block.lines.iter().any(|line| {
                let repl_command = line
                    .strip_prefix(':')
                    .is_some_and(|rest| rest.starts_with(char::is_alphabetic));
                line.starts_with("$ qualify")
                    || line.starts_with("$ cargo run")
                    || line.starts_with("> ")
                    || repl_command
            });
            if looks_run {
                Err(format!(
                    "{}: an untagged block with `$ qualify`, `> ` or `:command` lines: tag it `console` to run \
                     it, or `text` if it is only shown",
                    block.place
                ))
            } else {
                Ok(Vec::new())
            }
        }
        _ => Ok(Vec::new()),
    }
}

/// `$ COMMAND` lines, each with the output lines up to the next one.
fn console_examples(block: &Block) -> Result<Vec<Example>, String> {
    let mut examples: Vec<Example> = Vec::new();
    for line in &block.lines {
        if let Some(command) = line.strip_prefix("$ ") {
            if !runs_qualify(command) {
                return Err(format!(
                    "{}: `{command}` does not run qualify; a `console` block runs only \
                     `qualify` and `cargo run` (tag the block `text` to show it only)",
                    block.place
                ));
            }
            examples.push(Example {
                place: block.place.clone(),
                command: command.to_owned(),
                expected: Some(Vec::new()),
            });
        } else if let Some(last) = examples.last_mut() {
            last.expected.as_mut().unwrap().push(line.clone());
        } else if !line.is_empty() {
            return Err(format!("{}: output before any `$ ` command", block.place));
        }
    }
    Ok(examples)
}

/// Words as a POSIX shell splits them, for the quoting docs use: `'…'`, `"…"` and `\`.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => word.get_or_insert_default().extend(chars.next()),
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, '\\') => word.get_or_insert_default().extend(chars.next()),
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
    })
}

/// What to run: the arguments after `qualify` (or after `cargo run … --`), the
/// environment set before it and the file given as standard input.
struct Invocation {
    env: Vec<(String, String)>,
    args: Vec<String>,
    stdin_file: Option<String>,
}

fn invocation(command: &str) -> Result<Invocation, String> {
    let mut words = split_words(command).into_iter().peekable();
    let mut env = Vec::new();
    while let Some(word) = words.next_if(|w| is_assignment(w)) {
        let (name, value) = word.split_once('=').unwrap();
        env.push((name.to_owned(), value.to_owned()));
    }
    let rest: Vec<String> = words.collect();
    let args: Vec<String> = match rest.first().map(String::as_str) {
        Some("qualify") => rest[1..].to_vec(),
        Some("cargo") => match rest.iter().position(|w| w == "--") {
            Some(dashes) => rest[dashes + 1..].to_vec(),
            None => return Err("`cargo run` without `--` before qualify's arguments".to_owned()),
        },
        _ => return Err("not a qualify command".to_owned()),
    };
    let mut kept = Vec::new();
    let mut stdin_file = None;
    let mut words = args.into_iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "<" => stdin_file = words.next(),
            ">" | ">>" | "|" | "&&" | "||" | ";" | "2>" | "2>&1" => {
                return Err(format!("`{word}` is not supported in a documented example"));
            }
            _ => kept.push(word),
        }
    }
    Ok(Invocation {
        env,
        args: kept,
        stdin_file,
    })
}

/// Runs one example from the crate folder: stdout then stderr, and whether it succeeded. A
/// `qualify repl` with no `<` reads the statements the transcript shows after `> `, and
/// echoes them (`--echo`), so that its output is the transcript.
fn run(example: &Example, history: &Path) -> Result<(String, bool), String> {
    let mut invocation = invocation(&example.command)?;
    let mut stdin = Vec::new();
    if let Some(file) = &invocation.stdin_file {
        stdin =
            std::fs::read(Path::new(MANIFEST).join(file)).map_err(|e| format!("{file}: {e}"))?;
    } else if invocation.args.first().is_some_and(|a| a == "repl") {
        if !invocation.args.iter().any(|a| a == "--echo") {
            invocation.args.push("--echo".to_owned());
        }
        for line in example.expected.iter().flatten() {
            if let Some(statement) = line.strip_prefix("> ") {
                stdin.extend_from_slice(statement.as_bytes());
                stdin.push(b'\n');
            }
        }
    }
    let mut child = Command::new(get_cargo_bin("qualify"))
        .current_dir(MANIFEST)
        .args(&invocation.args)
        .envs(invocation.env.iter().map(|(k, v)| (k, v)))
        .env("NO_COLOR", "1")
        .env("QUALIFY_HISTORY", history)
        .env_remove("QUALIFY_RULES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child.stdin.take().unwrap().write_all(&stdin).unwrap();
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok((text, output.status.success()))
}

/// Whether `actual` matches `expected`, where an [`ELISION`] line stands for any lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    // reachable[j]: the expected lines so far can match the first j actual lines.
    let mut reachable = vec![false; actual.len() + 1];
    reachable[0] = true;
    for line in expected {
        let mut next = vec![false; actual.len() + 1];
        if line.trim() == ELISION {
            let mut any = false;
            for j in 0..=actual.len() {
                any |= reachable[j];
                next[j] = any;
            }
        } else {
            for j in 0..actual.len() {
                next[j + 1] = reachable[j] && actual[j].trim_end() == line.trim_end();
            }
        }
        reachable = next;
    }
    reachable[actual.len()]
}

fn trimmed_lines<S: AsRef<str>>(lines: &[S]) -> &[S] {
    let end = lines
        .iter()
        .rposition(|line| !line.as_ref().trim().is_empty())
        .map_or(0, |last| last + 1);
    &lines[..end]
}

/// The shown output as JSON, when it is JSON (it starts with `{` or `[`).
fn shown_json(expected: &[String]) -> Option<serde_json::Value> {
    let text = expected.join("\n");
    let trimmed = text.trim_start();
    if !trimmed.starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str(trimmed).ok()
}

/// Where `printed` differs from `shown`, where a [`JSON_ELISION`] value stands for any
/// value, a [`JSON_ELISION`] key for any keys not shown, and a [`JSON_ELISION`] as the last
/// element of an array for any further elements.
fn json_difference(
    shown: &serde_json::Value,
    printed: &serde_json::Value,
    at: &str,
) -> Option<String> {
    use serde_json::Value;
    match (shown, printed) {
        (Value::String(elided), _) if elided == JSON_ELISION => None,
        (Value::Object(shown), Value::Object(printed)) => {
            for (key, value) in shown.iter().filter(|(key, _)| *key != JSON_ELISION) {
                let Some(found) = printed.get(key) else {
                    return Some(format!("{at}.{key} is shown but not printed"));
                };
                if let Some(difference) = json_difference(value, found, &format!("{at}.{key}")) {
                    return Some(difference);
                }
            }
            let open = shown.contains_key(JSON_ELISION);
            let extra = printed.keys().find(|key| !shown.contains_key(*key));
            match extra {
                Some(key) if !open => Some(format!(
                    "{at}.{key} is printed but not shown (add it, or a `\"{JSON_ELISION}\": \"{JSON_ELISION}\"` entry)"
                )),
                _ => None,
            }
        }
        (Value::Array(shown), Value::Array(printed)) => {
            let open = shown.last().is_some_and(|last| last == JSON_ELISION);
            let shown = if open {
                &shown[..shown.len() - 1]
            } else {
                &shown[..]
            };
            if printed.len() < shown.len() || (!open && printed.len() != shown.len()) {
                return Some(format!(
                    "{at} shows {} elements, {} are printed",
                    shown.len(),
                    printed.len()
                ));
            }
            shown
                .iter()
                .zip(printed)
                .enumerate()
                .find_map(|(index, (shown, printed))| {
                    json_difference(shown, printed, &format!("{at}[{index}]"))
                })
        }
        _ if shown == printed => None,
        _ => Some(format!("{at} is shown as {shown}, printed as {printed}")),
    }
}

/// Whether `output` is the JSON `shown`, elisions aside.
fn json_check(example: &Example, shown: &serde_json::Value, output: &str) -> Option<String> {
    let printed: serde_json::Value = match serde_json::from_str(output) {
        Ok(printed) => printed,
        Err(error) => {
            return Some(format!(
                "{}: `{}` shows JSON but printed something else ({error}):\n{output}",
                example.place, example.command
            ));
        }
    };
    json_difference(shown, &printed, "$").map(|difference| {
        format!(
            "{}: `{}` prints JSON the page does not show: {difference}",
            example.place, example.command
        )
    })
}

fn check(example: &Example, history: &Path) -> Option<String> {
    let (output, success) = match run(example, history) {
        Ok(ran) => ran,
        Err(reason) => {
            return Some(format!(
                "{}: `{}`: {reason}",
                example.place, example.command
            ));
        }
    };
    let actual: Vec<&str> = output.lines().collect();
    let actual = trimmed_lines(&actual);
    match &example.expected {
        None if success => None,
        None => Some(format!(
            "{}: `{}` failed:\n{output}",
            example.place, example.command
        )),
        Some(expected) => match shown_json(expected) {
            Some(shown) => json_check(example, &shown, &output),
            None if matches(trimmed_lines(expected), actual) => None,
            None => Some(format!(
                "{}: `{}` prints what the page does not show.\n--- shown:\n{}\n--- printed:\n{}",
                example.place,
                example.command,
                trimmed_lines(expected).join("\n"),
                actual.join("\n")
            )),
        },
    }
}

#[test]
fn every_example_in_the_docs_prints_what_the_docs_show() {
    let history = tempfile::tempdir().unwrap();
    let history = history.path().join("history.txt");
    let mut failures = Vec::new();
    let mut ran = 0;
    for page in pages() {
        for block in blocks(&page) {
            match examples(&block) {
                Ok(examples) => {
                    for example in examples {
                        ran += 1;
                        failures.extend(check(&example, &history));
                    }
                }
                Err(problem) => failures.push(problem),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran >= 5, "only {ran} examples were found in the docs");
}

#[test]
fn elided_lines_match_any_run_of_lines() {
    let shown = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(matches(&shown(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&shown(&["a", "...", "b"]), &["a", "b"]));
    assert!(!matches(&shown(&["a", "...", "d"]), &["a", "b", "c"]));
    assert!(!matches(&shown(&["a", "c"]), &["a", "b", "c"]));
}

#[test]
fn shown_json_elides_values_keys_and_further_elements() {
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    let printed = json(r#"{"a": 1, "b": [1, 2, 3], "c": {"d": "x", "e": null}}"#);
    let agrees = |shown: &str| json_difference(&json(shown), &printed, "$").is_none();
    assert!(agrees(r#"{"a": 1, "b": [1, "…"], "c": "…"}"#));
    assert!(agrees(r#"{"a": "…", "…": "…"}"#));
    assert!(agrees(
        r#"{"a": 1, "b": [1, 2, 3], "c": {"d": "x", "…": "…"}}"#
    ));
    assert!(!agrees(r#"{"a": 2, "…": "…"}"#));
    assert!(!agrees(r#"{"a": 1, "b": "…"}"#));
    assert!(!agrees(r#"{"a": 1, "b": [1, 2], "c": "…"}"#));
    assert!(!agrees(r#"{"a": 1, "b": [1, 2, 3, 4, "…"], "c": "…"}"#));
    assert!(!agrees(r#"{"z": "…", "…": "…"}"#));
}

#[test]
fn commands_split_as_a_shell_splits_them() {
    let run = invocation(
        r#"QUALIFY_RULES=x cargo run --release -- eval "a b.toml" --as-of 2024-06-30 < in.txt"#,
    )
    .unwrap();
    assert_eq!(run.env, [("QUALIFY_RULES".to_owned(), "x".to_owned())]);
    assert_eq!(run.args, ["eval", "a b.toml", "--as-of", "2024-06-30"]);
    assert_eq!(run.stdin_file.as_deref(), Some("in.txt"));
    assert!(invocation("qualify eval a.toml | head").is_err());
}
