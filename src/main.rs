//! The `qualify` command: a thin entry point over the CLI layer.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
