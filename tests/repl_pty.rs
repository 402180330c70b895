//! `qualify repl` under a pseudo-terminal: tab completion of a class code and of an
//! experience category, the prompt naming the applicant, Ctrl-C, a statement over two lines,
//! Ctrl-D, and the history file; and the progress bar of `qualify screen` on a terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;
use std::time::Duration;

use expectrl::{ControlCode, Eof, Expect, session::OsSession};
use insta_cmd::get_cargo_bin;

/// The REPL on a terminal, with the near-miss applicant loaded and `history` as its
/// history file.
fn repl_on_near_miss(history: &std::path::Path) -> OsSession {
    let mut command = Command::new(get_cargo_bin("qualify"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["repl", "examples/applicants/k9099_near_miss.toml"])
        .env("QUALIFY_HISTORY", history)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut repl = OsSession::spawn(command).unwrap();
    repl.set_expect_timeout(Some(Duration::from_secs(20)));
    repl
}

#[test]
fn completion_works_and_history_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.txt");
    let mut repl = repl_on_near_miss(&history);
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();

    // A class code: `K90` + Tab becomes `K9099`.
    repl.send(":gap K90").unwrap();
    repl.send(ControlCode::HorizontalTabulation).unwrap();
    repl.send(" B\r").unwrap();
    repl.expect("K9099 level B (K9099B").unwrap();
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();

    // A category: `public_` + Tab becomes `public_program_experience`.
    repl.send(":add job \"Clerk\" public_").unwrap();
    repl.send(ControlCode::HorizontalTabulation).unwrap();
    repl.send(" 2024-06-01..2024-06-30\r").unwrap();
    repl.expect("added job 2: Clerk public_program_experience 2024-06-01..2024-06-30")
        .unwrap();
    // The next keys go to the line editor only once it shows the prompt again.
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();

    // Ctrl-C cancels the line being typed; the session goes on.
    repl.send(":remove job 1").unwrap();
    repl.send(ControlCode::EndOfText).unwrap();
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();
    repl.send(":show\r").unwrap();
    repl.expect("job 2: Clerk").unwrap();
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();

    // An open parenthesis continues the statement on the next line.
    repl.send("(associate or\r").unwrap();
    repl.send("bachelor) and 3 months of public_program_experience\r")
        .unwrap();
    repl.expect("all of these (1 of 2 met)").unwrap();
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();

    // Ctrl-D leaves.
    repl.send(ControlCode::EndOfTransmission).unwrap();
    repl.expect(Eof).unwrap();

    let written = std::fs::read_to_string(&history).unwrap();
    assert!(written.contains(":gap K9099 B"), "{written}");
    assert!(
        written.contains("public_program_experience 2024-06-01..2024-06-30"),
        "{written}"
    );
    assert!(!written.contains(":remove job 1"), "{written}");
}

/// A history file that is not one the REPL wrote (a user's own file, here named through a
/// link) is neither read nor rewritten: a warning says so and the session goes on.
#[test]
fn a_file_that_is_not_a_history_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("notes.txt");
    std::fs::write(&precious, "my own notes\n").unwrap();
    let history = dir.path().join("history.txt");
    std::os::unix::fs::symlink(&precious, &history).unwrap();
    let mut repl = repl_on_near_miss(&history);
    repl.expect("it is not a history file qualify wrote")
        .unwrap();
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();
    repl.send(":date 2024-06-30\r").unwrap();
    repl.expect("qualify(k9099_near_miss.toml)> ").unwrap();
    repl.send(ControlCode::EndOfTransmission).unwrap();
    repl.expect(Eof).unwrap();
    assert_eq!(
        std::fs::read_to_string(&precious).unwrap(),
        "my own notes\n"
    );
}

/// `qualify screen` shows its progress bar when stderr is a terminal (and, as the other
/// screening tests show, nothing of it when it is not).
#[test]
fn screen_shows_progress_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("records.jsonl");
    let mut command = Command::new(get_cargo_bin("qualify"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["screen", "examples/pool.jsonl", "--as-of", "2024-06-30"])
        .args(["--format", "jsonl", "--output"])
        .arg(&output)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut screen = OsSession::spawn(command).unwrap();
    screen.set_expect_timeout(Some(Duration::from_secs(20)));
    screen.expect("12 applicants, ").unwrap();
    screen.expect("100%").unwrap();
    screen
        .expect("screened 12 applicants: all evaluated")
        .unwrap();
    screen.expect(Eof).unwrap();
    assert_eq!(
        std::fs::read_to_string(&output).unwrap().lines().count(),
        12
    );
}
