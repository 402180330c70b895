//! `qualify completions SHELL`: the shell's completion script for every subcommand and flag,
//! written from the same definition the parser uses (clap_complete).

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, EXIT_OK, output};

/// Prints the completion script for `shell`; exit 2 when it cannot be written.
pub fn run(shell: Shell) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "qualify", &mut script);
    match output::print(&String::from_utf8_lossy(&script)) {
        Ok(()) => EXIT_OK,
        Err(error) => output::write_failed(&error),
    }
}
