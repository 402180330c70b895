//! Arbitrary bytes as one or several rule files (split at NUL bytes) through
//! `qualify::check::check_sources`, every diagnostic rendered in every style.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    qualify_fuzz::check_and_render(&qualify_fuzz::rule_inputs(data));
});
