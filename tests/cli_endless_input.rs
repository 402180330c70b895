//! A device on standard input that never ends (`< /dev/zero`) is refused with Q007 by every
//! command that reads a stream from it, before anything is read; `/dev/null` is an empty
//! stream, read as one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::process::{Command, Stdio};

use cli_support::qualify_no_color;
use insta_cmd::assert_cmd_snapshot;

fn from(device: &str, args: &[&str]) -> Command {
    let mut command = qualify_no_color();
    command
        .args(args)
        .stdin(Stdio::from(std::fs::File::open(device).unwrap()));
    command
}

#[test]
fn screen_refuses_an_endless_device_on_standard_input() {
    assert_cmd_snapshot!(from("/dev/zero", &["screen", "-"]));
}

#[test]
fn replay_refuses_an_endless_device_on_standard_input() {
    assert_cmd_snapshot!(from("/dev/zero", &["replay", "-", "examples/applicants"]));
}

#[test]
fn repl_refuses_an_endless_device_on_standard_input() {
    assert_cmd_snapshot!(from("/dev/zero", &["repl", "--no-history"]));
}

#[test]
fn dev_null_on_standard_input_is_an_empty_pool() {
    let out = from("/dev/null", &["screen", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("screened 0 applicants"), "{text}");
}
