//! The `qualify` command: a thin entry point over the CLI layer.

mod cli;

/// mimalloc: rule checking and evaluation allocate many small, short-lived values, which it
/// serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
