//! Applicant cases for the shipped rules, written from the seed texts: for each case, the
//! expected outcome of every tier of the class it is about (met via which path, or not).
//! A final check proves the cases together cover every level, tier and substitution clause
//! both met and not met.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use std::collections::BTreeMap;

use eval_support::*;
use jiff::civil::Date;
use qualify::applicant::{Applicant, CreditUnit, Credits};
use qualify::check::model::Exact;
use qualify::eval::{Query, Via, evaluate};

const PPE: &str = "public_program_experience";
const SCC: &str = "social_community_coordinator";
const SWA: &str = "social_worker_assistant";
const COUNSEL: &str = "sud_mh_counseling";
const CASE: &str = "sud_mh_case_management";

/// `n` full-time months ending well before any other job in the cases.
fn early(categories: &[&str], n: i32) -> qualify::applicant::Job {
    months_ending(categories, n, d(2009, 12, 31))
}

/// A bachelor's with subject credits.
fn bachelor_with(field: &str, subjects: &[(&str, i64)]) -> qualify::applicant::Education {
    let mut e = degree("bachelor", Some(field), true);
    e.subjects = subjects.iter().map(|(s, c)| subject(s, *c)).collect();
    e
}

struct Case {
    name: &'static str,
    class: &'static str,
    applicant: Applicant,
    as_of: Date,
    /// Per level and tier: `-` not met, `direct`, or `sub1` (met via substitution 1).
    expect: &'static [(&'static str, &'static str)],
}

fn case(
    name: &'static str,
    class: &'static str,
    applicant: Applicant,
    expect: &'static [(&'static str, &'static str)],
) -> Case {
    Case {
        name,
        class,
        applicant,
        as_of: as_of(),
        expect,
    }
}

fn k9099_cases() -> Vec<Case> {
    vec![
        case(
            "k9099 diploma and 5 months: one month short of Basic",
            "K9099",
            with(person("k-hs-5"), |a| {
                a.education.push(high_school());
                a.experience.push(recent(&[PPE], 5));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 diploma and 6 months: Basic met",
            "K9099",
            with(person("k-hs-6"), |a| {
                a.education.push(high_school());
                a.experience.push(recent(&[PPE], 6));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 GED counts as a diploma",
            "K9099",
            with(person("k-ged"), |a| {
                a.education.push(degree("ged", None, false));
                a.experience.push(recent(&[PPE], 6));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 no diploma but 10 years: the ladder case meets O and A, not B",
            "K9099",
            with(person("k-ladder"), |a| {
                a.experience.push(recent(&[PPE], 120));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "sub1"),
                ("O/recommended", "-"),
                ("A/minimum", "sub1"),
                ("A/recommended", "sub1"),
            ],
        ),
        case(
            "k9099 associate in Finance and 23 months: one month short of Operational",
            "K9099",
            with(person("k-assoc-23"), |a| {
                a.education
                    .push(degree("associate", Some("Finance"), false));
                a.experience.push(recent(&[PPE], 23));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 associate in Finance and 2 years: Operational direct",
            "K9099",
            with(person("k-assoc-24"), |a| {
                a.education
                    .push(degree("associate", Some("Finance"), false));
                a.experience.push(recent(&[PPE], 24));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 accredited associate in Statistics and 3 years: Advanced direct; 5-year total also met",
            "K9099",
            with(person("k-assoc-36"), |a| {
                a.education
                    .push(degree("associate", Some("Statistics"), true));
                a.experience.push(recent(&[PPE], 36));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "-"),
                ("A/minimum", "direct"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 associate and 4 years: Operational recommended, Advanced minimum",
            "K9099",
            with(person("k-assoc-48"), |a| {
                a.education
                    .push(degree("associate", Some("Business Administration"), false));
                a.experience.push(recent(&[PPE], 48));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "direct"),
                ("A/minimum", "direct"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 bachelor in Healthcare Administration meets the associate requirements",
            "K9099",
            with(person("k-bachelor"), |a| {
                a.education
                    .push(degree("bachelor", Some("Healthcare Administration"), false));
                a.experience.push(recent(&[PPE], 36));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "-"),
                ("A/minimum", "direct"),
                ("A/recommended", "direct"),
            ],
        ),
        case(
            "k9099 master in Finance meets every degree requirement",
            "K9099",
            with(person("k-master"), |a| {
                a.education.push(degree("master", Some("finance"), false));
                a.experience.push(recent(&[PPE], 48));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "direct"),
                ("A/minimum", "direct"),
                ("A/recommended", "direct"),
            ],
        ),
        case(
            "k9099 unrelated field: associate in Art History counts for nothing but the diploma",
            "K9099",
            with(person("k-unrelated"), |a| {
                a.education
                    .push(degree("associate", Some("Art History"), true));
                a.experience.push(recent(&[PPE], 36));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 related accredited bachelor (Public Health) and 1 year: exactly 5 years",
            "K9099",
            with(person("k-related-12"), |a| {
                a.education
                    .push(degree("bachelor", Some("Public Health"), true));
                a.experience.push(recent(&[PPE], 12));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "sub1"),
                ("O/recommended", "-"),
                ("A/minimum", "sub1"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 related accredited bachelor and 11 months: one month short of 5 years",
            "K9099",
            with(person("k-related-11"), |a| {
                a.education
                    .push(degree("bachelor", Some("Public Health"), true));
                a.experience.push(recent(&[PPE], 11));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "sub1"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 related accredited bachelor and 2 years: the 6-year total",
            "K9099",
            with(person("k-related-24"), |a| {
                a.education
                    .push(degree("bachelor", Some("Economics"), true));
                a.experience.push(recent(&[PPE], 24));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "sub1"),
                ("O/recommended", "-"),
                ("A/minimum", "sub1"),
                ("A/recommended", "sub1"),
            ],
        ),
        case(
            "k9099 related bachelor not accredited: no education-years, so no substitution",
            "K9099",
            with(person("k-unaccredited"), |a| {
                a.education
                    .push(degree("bachelor", Some("Public Health"), false));
                a.experience.push(recent(&[PPE], 12));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 45 semester credits of Economics coursework are 1.5 years toward the total",
            "K9099",
            with(person("k-coursework"), |a| {
                a.coursework
                    .push(coursework(Some("Economics"), true, semester(45)));
                a.experience.push(recent(&[PPE], 30));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "sub1"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 90 quarter credits of Accounting are 2 years toward the total",
            "K9099",
            with(person("k-quarter"), |a| {
                a.coursework.push(coursework(
                    Some("Accounting"),
                    true,
                    Credits {
                        amount: Exact::from_integer(90),
                        unit: CreditUnit::Quarter,
                    },
                ));
                a.experience.push(recent(&[PPE], 24));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "sub1"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 overlap: two full-time jobs in the same 12 months count 12 months, not 24",
            "K9099",
            with(person("k-overlap"), |a| {
                a.education
                    .push(degree("associate", Some("Finance"), false));
                a.experience.push(recent(&[PPE], 12));
                a.experience.push(recent(&[PPE], 12));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 part-time: 4 years at 20 hours a week are exactly 2 years",
            "K9099",
            with(person("k-part-20"), |a| {
                a.education
                    .push(degree("associate", Some("Finance"), false));
                a.experience.push(part_time(recent(&[PPE], 48), 20));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 part-time: 4 years at 19 hours a week fall short of 2 years",
            "K9099",
            with(person("k-part-19"), |a| {
                a.education
                    .push(degree("associate", Some("Finance"), false));
                a.experience.push(part_time(recent(&[PPE], 48), 19));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "k9099 work in another category does not count",
            "K9099",
            with(person("k-other-category"), |a| {
                a.education.push(high_school());
                a.experience.push(recent(&[SCC], 60));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
    ]
}

fn g1099_cases() -> Vec<Case> {
    vec![
        case(
            "g1099 diploma and 5 months pooled across both kinds: short of Basic",
            "G1099",
            with(person("g-hs-5"), |a| {
                a.education.push(high_school());
                a.experience.push(early(&[SCC], 3));
                a.experience.push(recent(&[SWA], 2));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "g1099 diploma and 6 months pooled across both kinds: Basic met",
            "G1099",
            with(person("g-hs-6"), |a| {
                a.education.push(high_school());
                a.experience.push(early(&[SCC], 3));
                a.experience.push(recent(&[SWA], 3));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "g1099 diploma and 2 years: Basic recommended and Operational minimum",
            "G1099",
            with(person("g-hs-24"), |a| {
                a.education.push(high_school());
                a.experience.push(recent(&[SCC], 24));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "g1099 associate in Human Services and 2 years: Advanced minimum direct",
            "G1099",
            with(person("g-assoc"), |a| {
                a.education
                    .push(degree("associate", Some("Human Services"), false));
                a.experience.push(recent(&[SWA], 24));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "direct"),
                ("A/minimum", "direct"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "g1099 accredited bachelor in Social Work: a social science (g1099.qual 2a), so the ladder holds",
            "G1099",
            with(person("g-bsw"), |a| {
                a.education
                    .push(degree("bachelor", Some("Social Work"), true));
                a.experience.push(recent(&[SCC], 24));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "direct"),
                ("A/minimum", "direct"),
                ("A/recommended", "direct"),
            ],
        ),
        case(
            "g1099 accredited associate in Psychology and 23 months: 47 of 48 months",
            "G1099",
            with(person("g-psych-23"), |a| {
                a.education
                    .push(degree("associate", Some("Psychology"), true));
                a.experience.push(recent(&[SCC], 23));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "-"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "g1099 accredited associate in Psychology (a social science) and 24 months: direct",
            "G1099",
            with(person("g-psych-24"), |a| {
                a.education
                    .push(degree("associate", Some("Psychology"), true));
                a.experience.push(recent(&[SCC], 24));
            }),
            &[
                ("B/minimum", "direct"),
                ("B/recommended", "direct"),
                ("O/minimum", "direct"),
                ("O/recommended", "direct"),
                ("A/minimum", "direct"),
                ("A/recommended", "-"),
            ],
        ),
        case(
            "g1099 no diploma but 10 years: Advanced only (no substitution below it)",
            "G1099",
            with(person("g-ladder"), |a| {
                a.experience.push(recent(&[SCC, SWA], 120));
            }),
            &[
                ("B/minimum", "-"),
                ("B/recommended", "-"),
                ("O/minimum", "-"),
                ("O/recommended", "-"),
                ("A/minimum", "sub1"),
                ("A/recommended", "-"),
            ],
        ),
    ]
}

fn pa_cases() -> Vec<Case> {
    vec![
        case(
            "38480 bachelor with 18 behavioral credits and 3 years of counseling",
            "38480",
            with(person("pa-direct"), |a| {
                a.education
                    .push(bachelor_with("Psychology", &[("Psychology", 18)]));
                a.experience.push(recent(&[COUNSEL], 36));
            }),
            &[("specialist/minimum", "direct")],
        ),
        case(
            "38480 case management alone also meets the direct path",
            "38480",
            with(person("pa-case"), |a| {
                a.education.push(bachelor_with(
                    "Business",
                    &[("Sociology", 9), ("Psychology", 9)],
                ));
                a.experience.push(recent(&[CASE], 36));
            }),
            &[("specialist/minimum", "direct")],
        ),
        case(
            "38480 35 months of counseling: short of 3 years and of the 7-year total",
            "38480",
            with(person("pa-35"), |a| {
                a.education
                    .push(bachelor_with("Psychology", &[("Psychology", 18)]));
                a.experience.push(recent(&[COUNSEL], 35));
            }),
            &[("specialist/minimum", "-")],
        ),
        case(
            "38480 18 + 18 months of the two kinds: not pooled directly, pooled in the combination",
            "38480",
            with(person("pa-split"), |a| {
                a.education
                    .push(bachelor_with("Psychology", &[("Psychology", 18)]));
                a.experience.push(early(&[COUNSEL], 18));
                a.experience.push(recent(&[CASE], 18));
            }),
            &[("specialist/minimum", "sub1")],
        ),
        case(
            "38480 a bachelor with 12 behavioral credits fails both paths",
            "38480",
            with(person("pa-12-credits"), |a| {
                a.education
                    .push(bachelor_with("Psychology", &[("Psychology", 12)]));
                a.experience.push(recent(&[COUNSEL], 60));
            }),
            &[("specialist/minimum", "-")],
        ),
        case(
            "38480 6 more credits as coursework complete the combination, not the degree",
            "38480",
            with(person("pa-coursework"), |a| {
                a.education
                    .push(bachelor_with("Psychology", &[("Psychology", 12)]));
                a.coursework
                    .push(coursework(Some("Sociology"), false, semester(6)));
                a.experience.push(recent(&[COUNSEL], 36));
            }),
            &[("specialist/minimum", "sub1")],
        ),
        case(
            "38480 no degree: 18 credits of coursework and 7 years of counseling",
            "38480",
            with(person("pa-no-degree"), |a| {
                a.coursework
                    .push(coursework(Some("Psychology"), false, semester(18)));
                a.experience.push(recent(&[COUNSEL], 84));
            }),
            &[("specialist/minimum", "sub1")],
        ),
        case(
            "38480 master with 18 behavioral credits meets the bachelor requirement",
            "38480",
            with(person("pa-master"), |a| {
                let mut m = degree("master", Some("Counseling"), true);
                m.subjects = vec![subject("Counseling", 24)];
                a.education.push(m);
                a.experience.push(recent(&[CASE], 36));
            }),
            &[("specialist/minimum", "direct")],
        ),
    ]
}

/// Expected `via` for a tier: `None` when not met.
fn expected_via(code: &str) -> Option<Via> {
    match code {
        "-" => None,
        "direct" => Some(Via::Direct),
        "sub1" => Some(Via::Substitution { clause: 1 }),
        other => panic!("bad expectation {other}"),
    }
}

fn all_cases() -> Vec<Case> {
    let mut cases = k9099_cases();
    cases.extend(g1099_cases());
    cases.extend(pa_cases());
    cases.extend(open_ended_cases());
    cases
}

fn open_ended_cases() -> Vec<Case> {
    let current = |as_of: Date, id: &str| -> Case {
        Case {
            name: "",
            class: "K9099",
            applicant: with(person(id), |a| {
                a.education
                    .push(degree("associate", Some("Finance"), false));
                a.experience.push(job(&[PPE], d(2022, 7, 1), None));
            }),
            as_of,
            expect: &[],
        }
    };
    let mut met = current(d(2024, 6, 30), "k-current-24");
    met.name = "k9099 current job since 2022-07-01, as of 2024-06-30: exactly 2 years";
    met.expect = &[
        ("B/minimum", "direct"),
        ("B/recommended", "direct"),
        ("O/minimum", "direct"),
        ("O/recommended", "-"),
        ("A/minimum", "-"),
        ("A/recommended", "-"),
    ];
    let mut short = current(d(2024, 6, 29), "k-current-short");
    short.name = "k9099 the same current job as of 2024-06-29: a day short";
    short.expect = &[
        ("B/minimum", "direct"),
        ("B/recommended", "-"),
        ("O/minimum", "-"),
        ("O/recommended", "-"),
        ("A/minimum", "-"),
        ("A/recommended", "-"),
    ];
    let mut future = current(d(2024, 6, 30), "k-future-job");
    future.name = "k9099 a job starting after the evaluation date counts nothing";
    future.applicant.experience = vec![job(&[PPE], d(2024, 7, 1), None)];
    future.expect = &[
        ("B/minimum", "-"),
        ("B/recommended", "-"),
        ("O/minimum", "-"),
        ("O/recommended", "-"),
        ("A/minimum", "-"),
        ("A/recommended", "-"),
    ];
    vec![met, short, future]
}

#[test]
fn every_case_matches_the_seed_reading() {
    let mut failures = Vec::new();
    for case in all_cases() {
        let query = Query::new(case.as_of).class(case.class);
        let evaluation = evaluate(shipped(), &case.applicant, &query).unwrap();
        let got: BTreeMap<String, Option<Via>> = evaluation
            .tiers()
            .map(|t| (format!("{}/{}", t.key.level, t.key.tier.as_str()), t.via))
            .collect();
        let want: BTreeMap<String, Option<Via>> = case
            .expect
            .iter()
            .map(|(k, v)| (k.to_string(), expected_via(v)))
            .collect();
        if got != want {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every tier of every shipped class is seen both met and not met, and every substitution
/// clause is seen carrying a decision.
#[test]
fn cases_cover_every_tier_and_clause_both_ways() {
    let mut seen: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    let mut clauses_used: BTreeMap<String, bool> = BTreeMap::new();
    for case in all_cases() {
        let query = Query::new(case.as_of).class(case.class);
        let evaluation = evaluate(shipped(), &case.applicant, &query).unwrap();
        for tier in evaluation.tiers() {
            let entry = seen.entry(tier.key.to_string()).or_default();
            if tier.met {
                entry.0 = true;
            } else {
                entry.1 = true;
            }
            for path in evaluation.paths(tier) {
                if let Via::Substitution { clause } = path.via {
                    let key = format!("{} clause {clause}", tier.key);
                    let used = clauses_used.entry(key).or_default();
                    *used |= tier.via == Some(path.via);
                }
            }
        }
    }
    let program = shipped();
    let mut missing = Vec::new();
    for class in program.classes() {
        let version = class.versions.last().unwrap();
        for level in &version.levels {
            for tier in &level.tiers {
                let key = format!("{}/{}/{}", class.code, level.name, tier.kind.as_str());
                match seen.get(&key) {
                    Some((true, true)) => {}
                    other => missing.push(format!("{key}: seen (met, not met) = {other:?}")),
                }
            }
        }
    }
    for (clause, used) in &clauses_used {
        if !used {
            missing.push(format!("{clause} never decides a case"));
        }
    }
    assert_eq!(
        clauses_used.len(),
        5,
        "the seeds have five substitution clauses"
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
