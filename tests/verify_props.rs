//! Differential check of `verify` on the shipped rules: random applicants, evaluated by the
//! ordinary evaluator, never contradict a property `verify` proved (no finding reported),
//! and every counterexample `verify` reports evaluates as its finding claims.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use std::sync::OnceLock;

use jiff::civil::Date;
use proptest::prelude::*;
use qualify::applicant::{Applicant, Coursework, Education, Job};
use qualify::check::CheckedRules;
use qualify::compile::{Program, compile};
use qualify::diagnostics::Code;
use qualify::eval::{Query, evaluate};
use qualify::syntax::ast::TierKind;
use qualify::verify::{Report, default_evaluation_date};

use eval_support::{check_dir, semester, subject};

const CREDENTIALS: [&str; 5] = [
    "high_school",
    "associate",
    "bachelor",
    "master",
    "doctorate",
];
const FIELDS: [&str; 16] = [
    "Finance",
    "Public Health",
    "Business Administration",
    "Statistics",
    "Nursing",
    "Accounting",
    "Sociology",
    "Psychology",
    "Social Work",
    "Human Services",
    "Counseling",
    "Criminal Justice",
    "Behavioral Sciences",
    "Anthropology",
    "Biology",
    "History",
];
const CATEGORIES: [&str; 6] = [
    "public_program_experience",
    "social_community_coordinator",
    "social_worker_assistant",
    "social_worker",
    "sud_mh_counseling",
    "sud_mh_case_management",
];

struct Shipped {
    rules: CheckedRules,
    program: Program,
    report: Report,
}

fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let rules = check_dir("rules");
        let program = compile(&rules);
        let report = qualify::verify::verify(&rules, &program);
        Shipped {
            rules,
            program,
            report,
        }
    })
}

/// A tier of a class: class code, level name, tier kind.
type TierKey = (String, String, TierKind);

fn key_text(key: &TierKey) -> String {
    format!("{}/{}/{}", key.0, key.1, key.2.as_str())
}

/// Whether `verify` reported `code` for `class` with a counterexample about exactly
/// `tiers` (in order).
fn reported(report: &Report, code: Code, class: &str, tiers: &[(&str, TierKind)]) -> bool {
    report.findings.iter().any(|f| {
        f.class == class
            && f.diagnostic.code() == code
            && f.counterexample.as_ref().is_some_and(|e| {
                e.outcomes.len() == tiers.len()
                    && e.outcomes
                        .iter()
                        .zip(tiers)
                        .all(|(o, (level, tier))| o.level == *level && o.tier == *tier)
            })
    })
}

/// What `verify` proved of the shipped rules: implications between tiers, and tiers no
/// applicant meets without experience (or without education).
struct Proved {
    implications: Vec<(TierKey, TierKey)>,
    need_experience: Vec<TierKey>,
    need_education: Vec<TierKey>,
}

fn proved() -> Proved {
    let shipped = shipped();
    let report = &shipped.report;
    let mut proved = Proved {
        implications: Vec::new(),
        need_experience: Vec::new(),
        need_education: Vec::new(),
    };
    use TierKind::{Minimum, Recommended};
    for class in &shipped.rules.model().classes {
        let code = class.code.as_str();
        let has = |level: &str, tier: TierKind| {
            class
                .levels
                .iter()
                .any(|l| l.name == level && l.tiers.iter().any(|t| t.kind == tier))
        };
        let key = |level: &str, tier: TierKind| (code.to_owned(), level.to_owned(), tier);
        for (high_index, high) in class.levels.iter().enumerate() {
            let h = high.name.as_str();
            if has(h, Minimum)
                && has(h, Recommended)
                && !reported(
                    report,
                    Code::RecommendedWithoutMinimum,
                    code,
                    &[(h, Recommended), (h, Minimum)],
                )
            {
                proved
                    .implications
                    .push((key(h, Recommended), key(h, Minimum)));
            }
            for low in class.levels.iter().take(high_index) {
                let l = low.name.as_str();
                let broken = reported(
                    report,
                    Code::LadderBroken,
                    code,
                    &[(h, Minimum), (l, Minimum)],
                );
                if !broken {
                    proved.implications.push((key(h, Minimum), key(l, Minimum)));
                    if has(l, Recommended)
                        && !reported(
                            report,
                            Code::MinimumWithoutLowerRecommended,
                            code,
                            &[(h, Minimum), (l, Recommended)],
                        )
                    {
                        proved
                            .implications
                            .push((key(h, Minimum), key(l, Recommended)));
                    }
                }
            }
            for tier in &high.tiers {
                let at = [(h, tier.kind)];
                if !reported(report, Code::MetWithoutExperience, code, &at) {
                    proved.need_experience.push(key(h, tier.kind));
                }
                if !reported(report, Code::MetWithoutEducation, code, &at) {
                    proved.need_education.push(key(h, tier.kind));
                }
            }
        }
    }
    proved
}

fn degree() -> impl Strategy<Value = Education> {
    (
        0..CREDENTIALS.len(),
        proptest::option::of(0..FIELDS.len()),
        any::<bool>(),
        proptest::option::of((0..FIELDS.len(), 1i64..40)),
    )
        .prop_map(|(credential, field, accredited, subjects)| Education {
            credential: CREDENTIALS[credential].to_owned(),
            field: field.map(|f| FIELDS[f].to_owned()),
            accredited,
            completed: None,
            credits: None,
            subjects: subjects
                .map(|(f, credits)| subject(FIELDS[f], credits))
                .into_iter()
                .collect(),
        })
}

fn coursework() -> impl Strategy<Value = Coursework> {
    (
        proptest::option::of(0..FIELDS.len()),
        any::<bool>(),
        1i64..150,
    )
        .prop_map(|(field, accredited, credits)| Coursework {
            field: field.map(|f| FIELDS[f].to_owned()),
            accredited,
            credits: semester(credits),
            subjects: Vec::new(),
        })
}

/// A job of one or two categories, `months` long, ending `gap` months before the date.
fn job() -> impl Strategy<Value = Job> {
    (
        proptest::collection::vec(0..CATEGORIES.len(), 1..3),
        1i32..100,
        0i32..30,
    )
        .prop_map(|(categories, months, gap)| {
            let mut names: Vec<String> = categories
                .iter()
                .map(|c| CATEGORIES[*c].to_owned())
                .collect();
            names.sort();
            names.dedup();
            let end = default_evaluation_date()
                .checked_sub(jiff::Span::new().months(gap))
                .unwrap()
                .yesterday()
                .unwrap();
            let start = end
                .tomorrow()
                .unwrap()
                .checked_sub(jiff::Span::new().months(months))
                .unwrap();
            Job {
                title: "Job".to_owned(),
                categories: names,
                start,
                end: Some(end),
                hours_per_week: None,
            }
        })
}

fn applicant() -> impl Strategy<Value = Applicant> {
    (
        proptest::collection::vec(degree(), 0..3),
        proptest::collection::vec(coursework(), 0..2),
        proptest::collection::vec(job(), 0..4),
    )
        .prop_map(|(education, coursework, experience)| Applicant {
            id: Some("random".to_owned()),
            name: None,
            education,
            coursework,
            experience,
        })
}

/// Every tier's outcome for `applicant`, by key text.
fn outcomes(applicant: &Applicant, as_of: Date) -> Option<Vec<(String, bool)>> {
    let evaluation = evaluate(&shipped().program, applicant, &Query::new(as_of)).ok()?;
    Some(
        evaluation
            .tiers()
            .map(|t| (t.key.to_string(), t.met))
            .collect(),
    )
}

fn met(outcomes: &[(String, bool)], key: &TierKey) -> bool {
    let text = key_text(key);
    outcomes.iter().find(|(k, _)| *k == text).unwrap().1
}

#[test]
fn verify_proves_some_properties_of_the_shipped_rules() {
    let proved = proved();
    assert!(
        proved.implications.len() >= 5,
        "{}",
        proved.implications.len()
    );
    assert!(!proved.need_experience.is_empty());
    assert!(!proved.need_education.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_random_applicant_contradicts_a_proved_property(applicant in applicant()) {
        static PROVED: OnceLock<Proved> = OnceLock::new();
        let proved = PROVED.get_or_init(proved);
        // Applicants the evaluator refuses have no outcome to contradict anything.
        let Some(outcomes) = outcomes(&applicant, default_evaluation_date()) else {
            return Ok(());
        };
        for (upper, lower) in &proved.implications {
            prop_assert!(
                !met(&outcomes, upper) || met(&outcomes, lower),
                "{} met without {}", key_text(upper), key_text(lower)
            );
        }
        if applicant.experience.is_empty() {
            for key in &proved.need_experience {
                prop_assert!(!met(&outcomes, key), "{} met with no experience", key_text(key));
            }
        }
        if applicant.education.is_empty() && applicant.coursework.is_empty() {
            for key in &proved.need_education {
                prop_assert!(!met(&outcomes, key), "{} met with no education", key_text(key));
            }
        }
        // The shipped 38480 asserts that its minimum requires some experience.
        if applicant.experience.is_empty() {
            let key = ("38480".to_owned(), "specialist".to_owned(), TierKind::Minimum);
            prop_assert!(!met(&outcomes, &key));
        }
    }
}

#[test]
fn every_counterexample_evaluates_as_its_finding_claims() {
    let shipped = shipped();
    let mut checked = 0;
    for finding in &shipped.report.findings {
        let Some(example) = &finding.counterexample else {
            continue;
        };
        let outcomes = outcomes(&example.applicant, example.as_of).unwrap();
        for outcome in &example.outcomes {
            let key = (finding.class.clone(), outcome.level.clone(), outcome.tier);
            assert_eq!(
                met(&outcomes, &key),
                outcome.via.is_some(),
                "{}: {}",
                example.file_name,
                key_text(&key)
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} outcomes checked");
}
