//! Arbitrary bytes as one rule file through `qualify::format::format_rule_text`: formatting
//! is idempotent and changes neither the diagnostics nor the checked rules.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    qualify_fuzz::format_round_trip(data);
});
