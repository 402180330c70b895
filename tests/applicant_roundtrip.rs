//! Properties of applicant files: `read(to_toml(a)) == a`, writing is deterministic, and no
//! input makes the reader panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use jiff::civil::Date;
use proptest::prelude::*;
use qualify::applicant::{
    Applicant, Coursework, CreditUnit, Credits, Education, Job, SubjectCredits, read, to_toml,
};
use qualify::check::model::Exact;
use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::source::SourceMap;

fn rules() -> &'static CheckedRules {
    static RULES: OnceLock<CheckedRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut inputs: Vec<SourceInput> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "qual"))
            .map(|p| SourceInput {
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                bytes: std::fs::read(&p).unwrap(),
            })
            .collect();
        inputs.sort_by(|a, b| a.name.cmp(&b.name));
        check_sources(&inputs).rules.unwrap()
    })
}

const CREDENTIALS: &[&str] = &[
    "high_school",
    "ged",
    "associate",
    "bachelor",
    "master",
    "doctorate",
];
const CATEGORIES: &[&str] = &[
    "public_program_experience",
    "social_community_coordinator",
    "social_worker_assistant",
    "sud_mh_counseling",
    "sud_mh_case_management",
];

fn date() -> impl Strategy<Value = Date> {
    (1950_i16..2040, 1_i8..=12, 1_i8..=31)
        .prop_map(|(y, m, d)| Date::new(y, m, d).unwrap_or_else(|_| Date::new(y, m, 28).unwrap()))
}

fn amount() -> impl Strategy<Value = Exact> {
    prop_oneof![
        (0_i64..400).prop_map(Exact::from_integer),
        (0_i64..100_000, 1_i64..1000).prop_map(|(n, d)| Exact::new(n, d)),
    ]
}

fn unit() -> impl Strategy<Value = CreditUnit> {
    prop_oneof![Just(CreditUnit::Semester), Just(CreditUnit::Quarter)]
}

fn credits() -> impl Strategy<Value = Credits> {
    (amount(), unit()).prop_map(|(amount, unit)| Credits { amount, unit })
}

fn subjects() -> impl Strategy<Value = Vec<SubjectCredits>> {
    proptest::collection::btree_map(any::<String>(), credits(), 0..4).prop_map(|map| {
        map.into_iter()
            .map(|(subject, credits)| SubjectCredits { subject, credits })
            .collect()
    })
}

/// Subjects as a valid file gives them: none has more credits than the entry's total, in
/// either unit (the reader rejects that, Q315); one that has is given the total itself.
fn within(total: Option<Credits>, mut subjects: Vec<SubjectCredits>) -> Vec<SubjectCredits> {
    if let Some(total) = total {
        for s in &mut subjects {
            if s.credits.exceed_total(total) {
                s.credits = total;
            }
        }
    }
    subjects
}

/// Text that says something: a job title or a field of study may not be empty or only
/// white space (Q302).
fn words() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("not blank", |text| !text.trim().is_empty())
}

fn education() -> impl Strategy<Value = Education> {
    (
        proptest::sample::select(CREDENTIALS),
        proptest::option::of(words()),
        any::<bool>(),
        proptest::option::of(date()),
        proptest::option::of(credits()),
        subjects(),
    )
        .prop_map(
            |(credential, field, accredited, completed, credits, subjects)| Education {
                credential: credential.to_owned(),
                field,
                accredited,
                completed,
                credits,
                subjects: within(credits, subjects),
            },
        )
}

fn coursework() -> impl Strategy<Value = Coursework> {
    (
        proptest::option::of(words()),
        any::<bool>(),
        credits(),
        subjects(),
    )
        .prop_map(|(field, accredited, credits, subjects)| Coursework {
            field,
            accredited,
            credits,
            subjects: within(Some(credits), subjects),
        })
}

fn job() -> impl Strategy<Value = Job> {
    (
        words(),
        proptest::collection::vec(proptest::sample::select(CATEGORIES), 0..3),
        date(),
        proptest::option::of(0_i64..4000),
        proptest::option::of((1_i64..=1680, 1_i64..=10)),
    )
        .prop_map(|(title, categories, start, days, hours)| Job {
            title,
            categories: categories.into_iter().map(str::to_owned).collect(),
            start,
            end: days.and_then(|d| start.checked_add(jiff::Span::new().days(d)).ok()),
            hours_per_week: hours.map(|(n, d)| Exact::new(n.min(168 * d), d)),
        })
}

fn applicant() -> impl Strategy<Value = Applicant> {
    (
        proptest::option::of(any::<String>()),
        proptest::option::of(any::<String>()),
        proptest::collection::vec(education(), 0..3),
        proptest::collection::vec(coursework(), 0..2),
        proptest::collection::vec(job(), 0..4),
    )
        .prop_map(|(id, name, education, coursework, experience)| Applicant {
            id,
            name,
            education,
            coursework,
            experience,
        })
}

fn read_text(name: &str, text: &str) -> qualify::applicant::ApplicantRead {
    let mut sources = SourceMap::default();
    read(&mut sources, name, text.as_bytes(), rules())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn written_applicants_read_back_equal(applicant in applicant()) {
        let text = to_toml(&applicant);
        let outcome = read_text("roundtrip.toml", &text);
        prop_assert!(outcome.diagnostics.is_empty(), "{text}\n{:?}", outcome.diagnostics);
        prop_assert_eq!(outcome.applicant.as_ref(), Some(&applicant), "{}", text);
        prop_assert_eq!(to_toml(&applicant), text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        for name in ["any.toml", "any.json"] {
            let outcome = read_text(name, &text);
            prop_assert_eq!(outcome.applicant.is_some(), outcome.diagnostics.is_empty());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut sources = SourceMap::default();
        let outcome = read(&mut sources, "bytes.toml", &bytes, rules());
        prop_assert_eq!(outcome.applicant.is_some(), outcome.diagnostics.is_empty());
    }

    #[test]
    fn mangled_applicants_never_panic(applicant in applicant(), cut in any::<prop::sample::Index>()) {
        let text = to_toml(&applicant);
        let chars: Vec<char> = text.chars().collect();
        let at = cut.index(chars.len() + 1);
        let mangled: String = chars[..at].iter().chain(['[', '"', '{'].iter()).chain(chars[at..].iter()).collect();
        let _ = read_text("mangled.toml", &mangled);
    }
}

#[test]
fn json_reads_like_toml() {
    let toml = r#"
id = "A-1"
name = "Dana Whitfield"

[[education]]
credential = "bachelor"
field = "Psychology"
accredited = true
completed = 2015-05-20
credits = 120
subjects = { Psychology = 24, Sociology = 7.5 }

[[coursework]]
credits = 45
credit_unit = "quarter"

[[experience]]
title = "Case Manager"
categories = ["sud_mh_case_management"]
start = 2016-01-04
hours_per_week = 30
"#;
    let json = r#"{
  "id": "A-1",
  "name": "Dana Whitfield",
  "education": [
    { "credential": "bachelor", "field": "Psychology", "accredited": true,
      "completed": "2015-05-20", "credits": 120,
      "subjects": { "Psychology": 24, "Sociology": 7.5 } }
  ],
  "coursework": [ { "credits": 45, "credit_unit": "quarter" } ],
  "experience": [
    { "title": "Case Manager", "categories": ["sud_mh_case_management"],
      "start": "2016-01-04", "end": null, "hours_per_week": 30 }
  ]
}"#;
    let from_toml = read_text("a.toml", toml);
    let from_json = read_text("a.json", json);
    assert!(
        from_toml.diagnostics.is_empty(),
        "{:?}",
        from_toml.diagnostics
    );
    assert!(
        from_json.diagnostics.is_empty(),
        "{:?}",
        from_json.diagnostics
    );
    assert_eq!(from_toml.applicant, from_json.applicant);
    let applicant = from_toml.applicant.unwrap();
    assert_eq!(
        applicant.education[0].subjects[1].credits.amount,
        Exact::new(15, 2)
    );
    assert_eq!(applicant.experience[0].end, None);
}

#[test]
fn fractions_are_written_as_strings() {
    let applicant = Applicant {
        experience: vec![Job {
            title: "Aide".into(),
            categories: vec!["social_worker_assistant".into()],
            start: Date::new(2020, 1, 1).unwrap(),
            end: None,
            hours_per_week: Some(Exact::new(100, 3)),
        }],
        ..Applicant::default()
    };
    let text = to_toml(&applicant);
    assert!(text.contains("hours_per_week = \"100/3\""), "{text}");
    assert_eq!(read_text("f.toml", &text).applicant, Some(applicant));
}

/// The code blocks of `lang` in a Markdown file.
fn code_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split("```").next().map(str::to_owned))
        .collect()
}

#[test]
fn documented_examples_read_and_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/applicant.md")).unwrap();
    let toml = &code_blocks(&doc, "toml")[0];
    let json = &code_blocks(&doc, "json")[0];
    let from_toml = read_text("doc.toml", toml);
    let from_json = read_text("doc.json", json);
    assert!(
        from_toml.diagnostics.is_empty(),
        "{:?}",
        from_toml.diagnostics
    );
    assert!(
        from_json.diagnostics.is_empty(),
        "{:?}",
        from_json.diagnostics
    );
    assert_eq!(from_toml.applicant, from_json.applicant);

    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme.split("## Applicant files").nth(1).unwrap();
    let example = &code_blocks(section, "toml")[0];
    let outcome = read_text("readme.toml", example);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
}
