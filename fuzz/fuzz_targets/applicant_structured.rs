//! An `arbitrary`-built applicant (jobs with odd hours and dates, credits with large
//! denominators) written as a TOML file, read against the shipped rules like any file and,
//! when it reads, evaluated on an arbitrary date.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qualify_fuzz::structured::Input;

fuzz_target!(|input: Input| {
    let text = input.to_toml();
    if let Some(applicant) = qualify_fuzz::read_applicant("fuzz.toml", text.as_bytes()) {
        qualify_fuzz::evaluate_everything(
            qualify_fuzz::shipped_program(),
            &applicant,
            input.as_of(),
        );
    }
});
