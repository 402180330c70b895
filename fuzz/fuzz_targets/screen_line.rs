//! Arbitrary bytes as one line of a JSON Lines pool, screened in every rendering; the record
//! must be one line of JSON, read back as a stored record and replay to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| qualify_fuzz::screen_line(data));
