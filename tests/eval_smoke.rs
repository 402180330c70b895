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

#[test]
fn renders() {
    let mut a = person("near-miss");
    a.name = Some("Pat Doe".into());
    a.education.push(degree("associate", Some("Finance"), true));
    a.experience.push(months_ending(
        &["public_program_experience"],
        17,
        d(2022, 12, 31),
    ));
    a.experience.push(part_time(
        job(&["public_program_experience"], d(2022, 7, 1), None),
        20,
    ));
    let q = qualify::eval::Query::new(d(2024, 6, 30)).class("K9099");
    let e = qualify::eval::evaluate_traced(shipped(), &a, &q).unwrap();
    println!("{}", qualify::explain::table(&e));
    println!("{}", qualify::explain::tree(shipped(), &e));
}

#[test]
fn dump_fields() {
    for f in shipped().field_sets() {
        println!("{} {:?}", f.name, f.fields);
    }
}
