//! Tests of per-applicant facts.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use jiff::civil::date;

use super::*;
use crate::applicant::{Applicant, Education, Job};
use crate::check::{SourceInput, check_sources};

/// A rule set with 70 experience categories, so that ids of 64 and more occur.
fn many_categories() -> Program {
    let mut text = String::from(
        "profile p {\n  jurisdiction \"J\"\n  credential high_school \"High school diploma\" worth 0 years\n  credential bachelor \"Bachelor's degree\" worth 4 years\n  a year of education is 30 semester credits or 45 quarter credits\n  full time is 40 hours per week\n  overlapping jobs are summed up to full time\n  several degrees count the highest only\n  coursework without a degree is added up\n}\n",
    );
    text.push_str("fields f \"F\" {\n  \"Finance\"\n}\n");
    for i in 0..70 {
        text.push_str(&format!("experience cat{i} \"category {i}\"\n"));
    }
    text.push_str(
        "class C \"Class\" {\n  profile p\n  source \"s.txt\"\n  established 01/01/2001\n  level A \"A\" code \"CA\" band 1 {\n    minimum:\n      bachelor in f and 12 months of cat68\n  }\n  level B \"B\" code \"CB\" band 2 {\n    minimum:\n      12 months of any of cat1, cat69\n  }\n}\n",
    );
    let inputs = [SourceInput {
        name: "many.qual".into(),
        bytes: text.into_bytes(),
    }];
    let checked = check_sources(&inputs);
    let Some(rules) = checked.rules else {
        panic!("{:#?}", checked.diagnostics);
    };
    crate::compile::compile(&rules)
}

fn job(categories: &[&str], start: Date, end: Date) -> Job {
    Job {
        title: "job".into(),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        start,
        end: Some(end),
        hours_per_week: None,
    }
}

#[test]
fn categories_beyond_sixty_four_are_matched_by_name() {
    let program = many_categories();
    let applicant = Applicant {
        education: vec![Education {
            credential: "bachelor".into(),
            field: Some(" FINANCE ".into()),
            accredited: true,
            completed: None,
            credits: None,
            subjects: Vec::new(),
        }],
        experience: vec![
            job(&["cat68", "cat2"], date(2020, 1, 1), date(2020, 12, 31)),
            job(&["cat3"], date(2021, 1, 1), date(2021, 12, 31)),
            job(&["cat69"], date(2022, 1, 1), date(2022, 6, 30)),
            job(&["cat1"], date(2022, 7, 1), date(2022, 12, 31)),
        ],
        ..Applicant::default()
    };
    let mut facts = Facts::new(&program, program.tree(), &applicant, date(2024, 1, 1));
    let tree = program.tree();
    let key_of = |names: &[&str]| {
        let index = tree
            .experience
            .iter()
            .position(|k| {
                k.names.len() == names.len()
                    && names.iter().all(|n| k.names.iter().any(|m| &**m == *n))
            })
            .unwrap();
        KeyId(u32::try_from(index).unwrap())
    };
    let cat68 = key_of(&["cat68"]);
    let either = key_of(&["cat1", "cat69"]);
    assert_eq!(facts.experience(cat68).months, Exact::from_integer(12));
    assert_eq!(facts.experience(either).months, Exact::from_integer(12));
    let counted: Vec<bool> = (0..4).map(|i| facts.job_counts(i, cat68)).collect();
    assert_eq!(counted, [true, false, false, false]);
    let counted: Vec<bool> = (0..4).map(|i| facts.job_counts(i, either)).collect();
    assert_eq!(counted, [false, false, true, true]);
    let best = facts.credential(KeyId(0));
    assert_eq!(best.entry, Some(0));
}
