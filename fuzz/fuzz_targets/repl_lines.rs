//! A sequence of typed lines (the input split at line breaks) through a REPL session on the
//! shipped rules, with files in memory: every command, expression, continuation and
//! completion.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// The most lines one input types.
const MAX_LINES: usize = 64;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<String> = text
        .split('\n')
        .take(MAX_LINES)
        .map(str::to_owned)
        .collect();
    let files = qualify_fuzz::repl_files();
    let mut session = qualify_fuzz::repl_session(&files);
    qualify_fuzz::type_lines(&mut session, &lines);
});
