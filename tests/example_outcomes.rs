//! The example applicants in `examples/applicants/` get the outcomes their header comments
//! state, tier by tier, when read from their files and evaluated against the shipped rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use eval_support::{check_dir, d, shipped};
use jiff::civil::Date;
use qualify::applicant::{Applicant, read};
use qualify::eval::{Query, Via, evaluate};
use qualify::source::SourceMap;

fn example(name: &str) -> Applicant {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/applicants")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let mut sources = SourceMap::default();
    read(&mut sources, name, &bytes, &check_dir("rules"))
        .applicant
        .unwrap_or_else(|| panic!("{name} does not read"))
}

/// Every tier of `class` as `LEVEL tier: outcome`, outcome `-`, `direct` or `subN`.
fn outcomes(name: &str, class: &str, as_of: Date) -> Vec<String> {
    let applicant = example(name);
    let evaluation = evaluate(shipped(), &applicant, &Query::new(as_of).class(class)).unwrap();
    let class = &evaluation.classes[0];
    let mut lines = Vec::new();
    for level in evaluation.levels(class) {
        for tier in evaluation.level_tiers(level) {
            let outcome = match tier.via {
                None => "-".to_owned(),
                Some(Via::Direct) => "direct".to_owned(),
                Some(Via::Substitution { clause }) => format!("sub{clause}"),
            };
            lines.push(format!("{} {:?}: {outcome}", level.level, tier.tier));
        }
    }
    lines
}

/// Each example, the class it is about, the evaluation date, and every tier's outcome as its
/// header comment states it (levels lowest first; minimum, then recommended).
/// An example file, its class, the evaluation date and the outcome of every tier.
type Expected = (
    &'static str,
    &'static str,
    (i16, i8, i8),
    &'static [&'static str],
);

const EXPECTED: &[Expected] = &[
    (
        "k9099_direct_associate.toml",
        "K9099",
        (2025, 6, 30),
        &[
            "B Minimum: direct",
            "B Recommended: direct",
            "O Minimum: direct",
            "O Recommended: -",
            "A Minimum: direct",
            "A Recommended: -",
        ],
    ),
    (
        "k9099_combination_related_bachelor.toml",
        "K9099",
        (2025, 6, 30),
        &[
            "B Minimum: direct",
            "B Recommended: -",
            "O Minimum: sub1",
            "O Recommended: -",
            "A Minimum: sub1",
            "A Recommended: -",
        ],
    ),
    (
        "k9099_near_miss.toml",
        "K9099",
        (2025, 6, 30),
        &[
            "B Minimum: -",
            "B Recommended: -",
            "O Minimum: -",
            "O Recommended: -",
            "A Minimum: -",
            "A Recommended: -",
        ],
    ),
    (
        "k9099_ladder_no_diploma.toml",
        "K9099",
        (2025, 6, 30),
        &[
            "B Minimum: -",
            "B Recommended: -",
            "O Minimum: sub1",
            "O Recommended: -",
            "A Minimum: sub1",
            "A Recommended: sub1",
        ],
    ),
    (
        "k9099_quarter_coursework.toml",
        "K9099",
        (2025, 6, 30),
        &[
            "B Minimum: direct",
            "B Recommended: -",
            "O Minimum: sub1",
            "O Recommended: -",
            "A Minimum: -",
            "A Recommended: -",
        ],
    ),
    (
        "g1099_part_time.toml",
        "G1099",
        (2025, 6, 30),
        &[
            "B Minimum: direct",
            "B Recommended: -",
            "O Minimum: -",
            "O Recommended: -",
            "A Minimum: -",
            "A Recommended: -",
        ],
    ),
    (
        "g1099_overlapping_jobs.toml",
        "G1099",
        (2025, 6, 30),
        &[
            "B Minimum: direct",
            "B Recommended: direct",
            "O Minimum: direct",
            "O Recommended: direct",
            "A Minimum: direct",
            "A Recommended: -",
        ],
    ),
    (
        "g1099_open_ended_job.toml",
        "G1099",
        (2024, 2, 29),
        &[
            "B Minimum: direct",
            "B Recommended: -",
            "O Minimum: -",
            "O Recommended: -",
            "A Minimum: -",
            "A Recommended: -",
        ],
    ),
    (
        "g1099_open_ended_job.toml",
        "G1099",
        (2025, 2, 28),
        &[
            "B Minimum: direct",
            "B Recommended: direct",
            "O Minimum: direct",
            "O Recommended: -",
            "A Minimum: -",
            "A Recommended: -",
        ],
    ),
    (
        "g1099_unrelated_field.toml",
        "G1099",
        (2025, 6, 30),
        &[
            "B Minimum: direct",
            "B Recommended: -",
            "O Minimum: -",
            "O Recommended: -",
            "A Minimum: -",
            "A Recommended: -",
        ],
    ),
    (
        "pa38480_direct.json",
        "38480",
        (2025, 6, 30),
        &["specialist Minimum: direct"],
    ),
    (
        "pa38480_higher_degree.toml",
        "38480",
        (2025, 6, 30),
        &["specialist Minimum: direct"],
    ),
    (
        "pa38480_equivalent_combination.toml",
        "38480",
        (2025, 6, 30),
        &["specialist Minimum: sub1"],
    ),
];

#[test]
fn examples_get_the_outcomes_their_comments_state() {
    for (name, class, (y, m, day), expected) in EXPECTED {
        assert_eq!(
            outcomes(name, class, d(*y, *m, *day)),
            *expected,
            "{name} as of {y}-{m}-{day}"
        );
    }
}

#[test]
fn every_example_is_checked() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/applicants");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") || name.ends_with(".json") {
            assert!(
                EXPECTED.iter().any(|e| e.0 == name),
                "{name} has no expected outcome"
            );
        }
    }
}

#[test]
fn near_miss_is_one_month_short() {
    let applicant = example("k9099_near_miss.toml");
    let evaluation = evaluate(
        shipped(),
        &applicant,
        &Query::new(d(2025, 6, 30)).class("K9099"),
    )
    .unwrap();
    let basic_level = &evaluation.levels(&evaluation.classes[0])[0];
    let basic_minimum = &evaluation.level_tiers(basic_level)[0];
    let shortfalls = evaluation.shortfalls(&evaluation.paths(basic_minimum)[0]);
    assert!(
        shortfalls.iter().any(|s| matches!(
            s,
            qualify::eval::Shortfall::Experience {
                whole_months: 1,
                ..
            }
        )),
        "{shortfalls:?}"
    );
}
