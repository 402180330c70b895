//! A first end-to-end check of evaluation on the shipped rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod eval_support;
use eval_support::*;

#[test]
fn ladder_case_meets_o_and_a_not_b() {
    let mut a = person("ladder");
    a.experience.push(months_ending(
        &["public_program_experience"],
        120,
        d(2024, 6, 30),
    ));
    let e = evaluate_all(&a, d(2024, 6, 30));
    println!("{}", serde_json::to_string_pretty(&e).unwrap());
    assert!(!met(&e, "K9099/B/minimum"));
    assert!(met(&e, "K9099/O/minimum"));
    assert!(met(&e, "K9099/A/minimum"));
}
