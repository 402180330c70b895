//! The real `qualify` binary for the command-line tests, run from the crate folder.

#![allow(dead_code)]

use std::process::Command;

use insta_cmd::get_cargo_bin;

fn binary() -> Command {
    let mut cmd = Command::new(get_cargo_bin("qualify"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// With `NO_COLOR` unset, as most users run it (output to a pipe has no colour either way).
pub fn qualify() -> Command {
    let mut cmd = binary();
    cmd.env_remove("NO_COLOR");
    cmd
}

/// With `NO_COLOR=1`.
pub fn qualify_no_color() -> Command {
    let mut cmd = binary();
    cmd.env("NO_COLOR", "1");
    cmd
}
