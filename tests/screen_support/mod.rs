//! What the `qualify screen` and `qualify replay` tests share: the fixed evaluation date,
//! the example pools, a snapshot that hides hashes, and ways to run the binary.

#![allow(dead_code)]

use std::process::{Command, Stdio};

use crate::cli_support::qualify;

/// The evaluation date of every snapshot, so that current jobs end on a fixed day.
pub const AS_OF: &str = "2024-06-30";
pub const POOL: &str = "examples/pool.jsonl";
pub const MIXED: &str = "tests/fixtures/screen/mixed_pool.jsonl";

/// Content hashes change with every edit to the rules, and decision ids with them; the
/// snapshots show where they go, not their values.
macro_rules! snapshot {
    ($cmd:expr) => {
        insta::with_settings!({filters => vec![
            (r"\b[0-9a-f]{64}\b", "[hash]"),
            (r"\bd-[0-9a-f]{16}\b", "[decision-id]"),
            (r#""qualify":"[0-9.]+""#, r#""qualify":"[version]""#),
        ]}, {
            insta_cmd::assert_cmd_snapshot!($cmd);
        })
    };
}

/// `qualify screen POOL --as-of AS_OF` and `extra`.
pub fn screen(pool: &str, extra: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.args(["screen", pool, "--as-of", AS_OF]);
    cmd.args(extra);
    cmd
}

/// Runs `command` with `input` on its standard input.
pub fn with_stdin(command: &mut Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `qualify replay RECORDS examples/pool.jsonl`.
pub fn replay(records: &std::path::Path) -> std::process::Output {
    qualify()
        .arg("replay")
        .arg(records)
        .arg(POOL)
        .output()
        .unwrap()
}
