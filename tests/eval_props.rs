//! Properties of evaluation over generated applicants: determinism, monotonicity, and
//! shortfall exactness (adding exactly what a path lacks makes it met; one unit less does not).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;

use eval_support::*;
use jiff::civil::Date;
use proptest::prelude::*;
use qualify::applicant::{Applicant, Education, Job};
use qualify::check::model::Exact;
use qualify::eval::{Evaluation, Lacks, PathOutcome, Query, Shortfall, TierKey, Via, evaluate};
use qualify::explain::record_json;

const CREDENTIALS: [&str; 6] = [
    "high_school",
    "ged",
    "associate",
    "bachelor",
    "master",
    "doctorate",
];
const FIELDS: [&str; 8] = [
    "Finance",
    "Public Health",
    "Art History",
    "Psychology",
    "Human Services",
    "Social Work",
    "Economics",
    "Sociology",
];
const CATEGORIES: [&str; 5] = [
    "public_program_experience",
    "social_community_coordinator",
    "social_worker_assistant",
    "sud_mh_counseling",
    "sud_mh_case_management",
];

fn as_of() -> Date {
    d(2024, 6, 30)
}

fn education() -> impl Strategy<Value = Education> {
    (
        0..CREDENTIALS.len(),
        0..FIELDS.len(),
        any::<bool>(),
        0i64..25,
        0i64..25,
    )
        .prop_map(|(c, f, accredited, psych, soc)| {
            let mut e = degree(CREDENTIALS[c], Some(FIELDS[f]), accredited);
            if psych > 0 {
                e.subjects.push(subject("Psychology", psych));
            }
            if soc > 0 {
                e.subjects.push(subject("Sociology", soc));
            }
            e
        })
}

fn job_strategy() -> impl Strategy<Value = Job> {
    (
        0..CATEGORIES.len(),
        prop::option::of(0..CATEGORIES.len()),
        0i32..8700,
        prop::option::of(1i32..4000),
        prop::option::of(1i64..=40),
    )
        .prop_map(|(c1, c2, start, length, hours)| {
            let start = d(2000, 1, 1)
                .checked_add(jiff::Span::new().days(start))
                .unwrap();
            let end = length.map(|l| start.checked_add(jiff::Span::new().days(l)).unwrap());
            let mut categories = vec![CATEGORIES[c1]];
            if let Some(c2) = c2 {
                categories.push(CATEGORIES[c2]);
            }
            let mut j = job(&categories, start, end);
            j.hours_per_week = hours.map(Exact::from_integer);
            j
        })
}

fn applicant() -> impl Strategy<Value = Applicant> {
    (
        prop::collection::vec(education(), 0..3),
        prop::collection::vec(
            (0..FIELDS.len(), any::<bool>(), 1i64..70)
                .prop_map(|(f, a, c)| coursework(Some(FIELDS[f]), a, semester(c))),
            0..2,
        ),
        prop::collection::vec(job_strategy(), 0..5),
    )
        .prop_map(|(education, coursework, experience)| Applicant {
            id: Some("generated".into()),
            name: None,
            education,
            coursework,
            experience,
        })
}

fn run(a: &Applicant) -> Evaluation<'_> {
    evaluate(shipped(), a, &Query::new(as_of())).unwrap()
}

fn met_keys<'a>(e: &Evaluation<'a>) -> Vec<TierKey<'a>> {
    e.tiers().filter(|t| t.met).map(|t| t.key).collect()
}

fn path<'e, 'a>(e: &'e Evaluation<'a>, key: &TierKey<'_>, via: Via) -> &'e PathOutcome<'a> {
    e.paths(e.tier(key).unwrap())
        .iter()
        .find(|p| p.via == via)
        .unwrap()
}

/// A job of exactly `months` (exact) of credit in `category`, long before any other job:
/// `ceil(months)` calendar months at the hours that make the share exact.
fn job_of_months(category: &str, months: Exact) -> Job {
    let whole = months.ceil().to_integer().max(1);
    let mut j = months_ending(&[category], i32::try_from(whole).unwrap(), d(1989, 12, 31));
    let hours = months / Exact::from_integer(whole) * Exact::from_integer(40);
    j.hours_per_week = Some(hours);
    j
}

/// The first field of a field set, by name.
fn first_field(set: &str) -> String {
    let program = shipped();
    let found = program
        .field_sets()
        .iter()
        .find(|f| &*f.name == set)
        .unwrap();
    found.fields[0].clone()
}

/// Adds exactly what one shortfall of `lacks` states, scaled down by `less` whole units.
fn supply(a: &mut Applicant, lacks: Lacks<'_, '_>, shortfall: &Shortfall, less: i64) {
    match shortfall {
        Shortfall::Experience {
            months,
            whole_months,
            categories,
        }
        | Shortfall::Total {
            months,
            whole_months,
            categories,
        } => {
            let amount = if less == 0 {
                months.0
            } else {
                Exact::from_integer(whole_months - less)
            };
            if amount > Exact::from_integer(0) {
                a.experience.push(job_of_months(&categories[0], amount));
            }
        }
        Shortfall::Credential(lack) => {
            let credential = lack.credential;
            let fields = lack.fields();
            let accredited = lack.accredited();
            let includes = lack.includes();
            let name = if less == 0 {
                credential.to_string()
            } else {
                let rank = CREDENTIALS.iter().position(|c| *c == credential).unwrap();
                match rank.checked_sub(if rank == 2 { 2 } else { 1 }) {
                    Some(lower) => CREDENTIALS[lower].to_string(),
                    None => return,
                }
            };
            let field = fields.map(first_field);
            let mut e = degree(&name, field.as_deref(), accredited);
            if let Some(included) = includes {
                let credits = included.credits.0.ceil().to_integer();
                e.subjects
                    .push(subject(&first_field(included.subjects), credits));
            }
            a.education.push(e);
        }
        Shortfall::Credits {
            credits,
            whole_credits,
            subjects,
        } => {
            let amount = if less == 0 {
                credits.0
            } else {
                Exact::from_integer(whole_credits - less)
            };
            if amount > Exact::from_integer(0) {
                let mut c = coursework(Some(&first_field(subjects)), false, semester(0));
                c.credits.amount = amount;
                a.coursework.push(c);
            }
        }
        Shortfall::AnyOf { .. } => {
            let first = lacks.alternatives(shortfall).next().unwrap();
            for s in first {
                supply(a, first, s, less);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_is_deterministic(a in applicant()) {
        let first = record_json(&run(&a));
        let second = record_json(&run(&a));
        prop_assert_eq!(first, second);
    }

    #[test]
    fn decisions_alone_agree_with_the_record(a in applicant()) {
        let record = run(&a);
        let mut decisions = Vec::new();
        qualify::eval::decide(shipped(), &a, &Query::new(as_of()), &mut decisions).unwrap();
        let from_record: Vec<Option<Via>> = record.tiers().map(|t| t.via).collect();
        let alone: Vec<Option<Via>> = decisions.iter().map(|d| d.via).collect();
        prop_assert_eq!(from_record, alone);
    }

    #[test]
    fn adding_experience_never_unmeets(a in applicant(), extra in job_strategy()) {
        let before = met_keys(&run(&a));
        let mut more = a.clone();
        more.experience.push(extra);
        let after = run(&more);
        for key in before {
            prop_assert!(after.tier(&key).unwrap().met, "{} became not met", key);
        }
    }

    #[test]
    fn raising_a_credential_never_unmeets(a in applicant(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!a.education.is_empty());
        let before = met_keys(&run(&a));
        let mut raised = a.clone();
        let entry = &mut raised.education[pick.index(a.education.len())];
        let rank = CREDENTIALS.iter().position(|c| *c == entry.credential).unwrap();
        entry.credential = CREDENTIALS[(rank + 1).min(CREDENTIALS.len() - 1)].to_string();
        let after = run(&raised);
        for key in before {
            prop_assert!(after.tier(&key).unwrap().met, "{} became not met", key);
        }
    }

    #[test]
    fn shortfalls_are_exact(a in applicant()) {
        let evaluation = run(&a);
        for tier in evaluation.tiers() {
            for p in evaluation.paths(tier).iter().filter(|p| !p.met) {
                let lacks = evaluation.shortfalls(p);
                let mut fixed = a.clone();
                for s in lacks {
                    supply(&mut fixed, lacks, s, 0);
                }
                let after = run(&fixed);
                prop_assert!(
                    path(&after, &tier.key, p.via).met,
                    "{} {}: adding {:?} did not make it met", tier.key, p.via, lacks
                );
                // One whole unit less of a single stated amount does not suffice.
                if let [only] = &*lacks {
                    let mut short = a.clone();
                    supply(&mut short, lacks, only, 1);
                    let after = run(&short);
                    prop_assert!(
                        !path(&after, &tier.key, p.via).met,
                        "{} {}: one unit less than {:?} was enough", tier.key, p.via, only
                    );
                }
            }
        }
    }
}
