//! Arbitrary bytes as a TOML and as a JSON applicant file, read against the shipped rules;
//! an applicant that reads is evaluated, traced and explained.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.toml", "fuzz.json"] {
        if let Some(applicant) = qualify_fuzz::read_applicant(name, data) {
            qualify_fuzz::evaluate_everything(
                qualify_fuzz::shipped_program(),
                &applicant,
                qualify_fuzz::AS_OF,
            );
        }
    }
});
