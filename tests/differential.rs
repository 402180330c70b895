//! Differential test: the real evaluator against the reference evaluator in
//! `tests/reference/`, which follows docs/semantics.md literally with big rationals and
//! day-by-day crediting. On random rule sets and the shipped rules, with ordinary and
//! adversarial applicants, both must agree on every tier's outcome, path, combination
//! figures and shortfalls, and on the record's figures; or the engine must refuse the
//! input with a diagnostic. Case counts and generators: docs/testing.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod eval_support;
mod reference;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};
use qualify::check::{CheckedRules, SourceInput, check_sources};
use qualify::compile::{Program, compile};
use qualify::eval::{Query, evaluate};
use qualify::source::SourceMap;
use serde_json::Value;

use reference::applicant_gen::{self, Case, Kind, Vocabulary};
use reference::outcome::RefEvaluation;
use reference::record::{amount, array, read_record, string};
use reference::rule_text::{self, RuleSpec};
use reference::{BigRational, Figures, findings};

/// What the engine made of one applicant.
enum Answer {
    /// The applicant reader or the evaluator refused the input with a diagnostic.
    Refused(String),
    /// The decision record, read back, and its JSON.
    Record(RefEvaluation, Value),
}

/// Runs the real reader and evaluator; a panic or an unreadable record is an error.
fn engine(rules: &CheckedRules, program: &Program, case: &Case) -> Result<Answer, String> {
    let toml = case.applicant.to_toml();
    let run = catch_unwind(AssertUnwindSafe(|| {
        let mut sources = SourceMap::default();
        let read = qualify::applicant::read(&mut sources, "applicant.toml", toml.as_bytes(), rules);
        let Some(applicant) = read.applicant else {
            let codes: Vec<String> = read
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{} {}", d.code().as_str(), d.message()))
                .collect();
            return Ok(Answer::Refused(codes.join("; ")));
        };
        let evaluation = match evaluate(program, &applicant, &Query::new(case.as_of.jiff())) {
            Ok(evaluation) => evaluation,
            Err(error) => return Ok(Answer::Refused(format!("{error:?}"))),
        };
        let json = serde_json::to_value(&evaluation).map_err(|e| format!("record: {e}"))?;
        Ok(Answer::Record(read_record(&json)?, json))
    }));
    match run {
        Ok(answer) => answer,
        Err(payload) => Err(format!(
            "the engine panicked: {}",
            payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        )),
    }
}

/// Counts of what the differential tests saw, printed at the end of each test.
struct Tally {
    compared: AtomicUsize,
    refused: AtomicUsize,
    skipped_rules: AtomicUsize,
}

impl Tally {
    const fn new() -> Tally {
        Tally {
            compared: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            skipped_rules: AtomicUsize::new(0),
        }
    }

    fn report(&self, name: &str) {
        eprintln!(
            "{name}: {} compared, {} refused by the engine, {} rule sets skipped (errors)",
            self.compared.load(Ordering::Relaxed),
            self.refused.load(Ordering::Relaxed),
            self.skipped_rules.load(Ordering::Relaxed)
        );
    }
}

/// Compares the engine with the reference on one case. A refusal is counted (and is a
/// failure for ordinary applicants); any difference is a failure.
fn compare(
    rules: &CheckedRules,
    program: &Program,
    case: &Case,
    kind: Kind,
    tally: &Tally,
) -> Result<(), String> {
    let (engine, json) = match engine(rules, program, case)? {
        Answer::Refused(why) => {
            tally.refused.fetch_add(1, Ordering::Relaxed);
            if kind == Kind::Ordinary {
                return Err(format!("an ordinary applicant was refused: {why}"));
            }
            return Ok(());
        }
        Answer::Record(engine, json) => (engine, json),
    };
    let expected = reference::evaluate(rules.model(), &case.applicant, case.as_of);
    if let Some(difference) = engine.first_difference(&expected) {
        return Err(difference);
    }
    let figures = Figures {
        model: rules.model(),
        applicant: &case.applicant,
        as_of: case.as_of,
    };
    compare_figures(&json, &figures)?;
    tally.compared.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// The record's figures (months per category set, credits per subject set,
/// education-years per clause predicate) against the reference's.
fn compare_figures(json: &Value, figures: &Figures<'_>) -> Result<(), String> {
    let section = |name: &str| -> Result<&Vec<Value>, String> {
        array(json.get("figures").ok_or("no figures")?, name)
    };
    for figure in section("experience")? {
        let profile = string(figure, "profile")?;
        let categories = array(figure, "categories")?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        let expected = figures.experience(profile, &categories);
        same_figure("experience months", figure, "months", expected)?;
    }
    for figure in section("credits")? {
        let expected = figures.credits(string(figure, "profile")?, string(figure, "subjects")?);
        same_figure("subject credits", figure, "credits", expected)?;
    }
    for figure in section("education")? {
        let accredited = figure.get("accredited").and_then(Value::as_bool) == Some(true);
        let fields = figure.get("fields").and_then(Value::as_str);
        let expected = figures.education(string(figure, "profile")?, accredited, fields);
        same_figure("education-years", figure, "years", expected)?;
    }
    Ok(())
}

fn same_figure(
    what: &str,
    figure: &Value,
    key: &str,
    expected: Option<BigRational>,
) -> Result<(), String> {
    let found = amount(figure, key)?;
    match expected {
        Some(expected) if expected == found => Ok(()),
        expected => Err(format!(
            "{what} {figure}: engine {found}, reference {}",
            expected.map_or("none".to_owned(), |e| e.to_string())
        )),
    }
}

fn check_text(text: &str) -> Option<CheckedRules> {
    let inputs = [SourceInput {
        name: "generated.qual".to_owned(),
        bytes: text.as_bytes().to_vec(),
    }];
    check_sources(&inputs).rules
}

/// A generated rule set's text with an applicant for it (for a rule set that does not
/// check, an applicant for the fixed vocabulary; the case is skipped).
fn generated(kind: Kind) -> impl Strategy<Value = (String, Case)> {
    rule_text::rule_set().prop_flat_map(move |spec: RuleSpec| {
        let text = spec.text();
        let vocabulary = match check_text(&text) {
            Some(rules) => Vocabulary::of(rules.model()),
            None => fallback_vocabulary(),
        };
        let case = match kind {
            Kind::Ordinary => applicant_gen::ordinary(&vocabulary).boxed(),
            Kind::Adversarial => applicant_gen::adversarial(&vocabulary).boxed(),
        };
        (Just(text), case)
    })
}

fn fallback_vocabulary() -> Vocabulary {
    Vocabulary {
        credentials: vec!["high_school".to_owned()],
        fields: vec!["Finance".to_owned()],
        categories: vec!["c0".to_owned()],
        month_thresholds: vec![1],
    }
}

fn run_generated(text: &str, case: &Case, kind: Kind, tally: &Tally) -> Result<(), TestCaseError> {
    let Some(rules) = check_text(text) else {
        tally.skipped_rules.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    let program = compile(&rules);
    compare(&rules, &program, case, kind, tally).map_err(|why| {
        TestCaseError::fail(format!(
            "{why}\n--- rules ---\n{text}\n--- applicant (as of {}) ---\n{}",
            case.as_of,
            case.applicant.to_toml()
        ))
    })
}

/// The shipped rules, checked and compiled once.
fn shipped() -> &'static (CheckedRules, Program) {
    static SHIPPED: OnceLock<(CheckedRules, Program)> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let rules = eval_support::check_dir("rules");
        let program = compile(&rules);
        (rules, program)
    })
}

fn run_shipped(case: &Case, kind: Kind, tally: &Tally) -> Result<(), TestCaseError> {
    let (rules, program) = shipped();
    compare(rules, program, case, kind, tally).map_err(|why| {
        TestCaseError::fail(format!(
            "{why}\n--- applicant for the shipped rules (as of {}) ---\n{}",
            case.as_of,
            case.applicant.to_toml()
        ))
    })
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_shrink_iters: 400,
        max_shrink_time: 20_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `cases` cases of `strategy` through `body`, then prints what was compared.
fn run<T: std::fmt::Debug>(
    name: &str,
    cases: u32,
    strategy: impl Strategy<Value = T>,
    body: impl Fn(T, &Tally) -> Result<(), TestCaseError>,
) {
    let tally = Tally::new();
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&strategy, |value| body(value, &tally));
    tally.report(name);
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
}

#[test]
fn ordinary_applicants_agree_on_generated_rules() {
    run(
        "ordinary applicants, generated rules",
        CASES_ORDINARY_GENERATED,
        generated(Kind::Ordinary),
        |(text, case), tally| run_generated(&text, &case, Kind::Ordinary, tally),
    );
}

#[test]
fn adversarial_applicants_agree_or_are_refused_on_generated_rules() {
    run(
        "adversarial applicants, generated rules",
        CASES_ADVERSARIAL_GENERATED,
        generated(Kind::Adversarial),
        |(text, case), tally| run_generated(&text, &case, Kind::Adversarial, tally),
    );
}

#[test]
fn ordinary_applicants_agree_on_the_shipped_rules() {
    run(
        "ordinary applicants, shipped rules",
        CASES_ORDINARY_SHIPPED,
        applicant_gen::ordinary(&Vocabulary::of(shipped().0.model())),
        |case, tally| run_shipped(&case, Kind::Ordinary, tally),
    );
}

#[test]
fn adversarial_applicants_agree_or_are_refused_on_the_shipped_rules() {
    run(
        "adversarial applicants, shipped rules",
        CASES_ADVERSARIAL_SHIPPED,
        applicant_gen::adversarial(&Vocabulary::of(shipped().0.model())),
        |case, tally| run_shipped(&case, Kind::Adversarial, tally),
    );
}

const CASES_ORDINARY_GENERATED: u32 = 160;
const CASES_ADVERSARIAL_GENERATED: u32 = 64;
const CASES_ORDINARY_SHIPPED: u32 = 96;
const CASES_ADVERSARIAL_SHIPPED: u32 = 64;

/// Guards the generator: nearly every generated rule set checks, so the differential
/// tests above compare real evaluations rather than skip.
#[test]
fn generated_rule_sets_check() {
    let mut runner = TestRunner::deterministic();
    let mut failures = Vec::new();
    for _ in 0..100 {
        let text = rule_text::rule_set()
            .new_tree(&mut runner)
            .unwrap()
            .current()
            .text();
        let outcome = check_sources(&[SourceInput {
            name: "generated.qual".to_owned(),
            bytes: text.into_bytes(),
        }]);
        failures.extend(
            outcome
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{} {}", d.code().as_str(), d.message())),
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Each distinct disagreement the adversarial tests found, as a minimal applicant for the
/// shipped rules: the engine must agree with the reference or refuse the input.
#[test]
fn known_disagreements_agree_or_are_refused() {
    let (rules, program) = shipped();
    let mut failures = Vec::new();
    for (name, applicant) in findings::cases() {
        let case = Case {
            applicant,
            as_of: reference::calendar::Day::new(2024, 6, 30),
        };
        if let Err(why) = compare(rules, program, &case, Kind::Adversarial, &Tally::new()) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Not a test: runs `SURVEY_CASES` adversarial cases (default 200, alternating shipped and
/// generated rules) without stopping or shrinking, and prints each distinct kind of
/// disagreement once, with its smallest example. `cargo test --test differential survey
/// -- --ignored --nocapture`.
#[test]
#[ignore]
fn survey_adversarial_disagreements() {
    let cases: usize = std::env::var("SURVEY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut runner = TestRunner::deterministic();
    let mut found: std::collections::BTreeMap<String, (usize, String)> = Default::default();
    let tally = Tally::new();
    let for_shipped = applicant_gen::adversarial(&Vocabulary::of(shipped().0.model()));
    let for_generated = generated(Kind::Adversarial);
    for index in 0..cases {
        let (text, case) = if index % 2 == 0 {
            let case = for_shipped.new_tree(&mut runner).unwrap().current();
            ("(the shipped rules)".to_owned(), case)
        } else {
            generated_case(&for_generated, &mut runner)
        };
        let result = match check_text(&text) {
            Some(rules) => compare(&rules, &compile(&rules), &case, Kind::Adversarial, &tally),
            None => {
                let (rules, program) = shipped();
                compare(rules, program, &case, Kind::Adversarial, &tally)
            }
        };
        if let Err(why) = result {
            let kind: String = why
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect();
            let example = format!(
                "{why}\n--- rules ---\n{text}\n--- applicant (as of {}) ---\n{}",
                case.as_of,
                case.applicant.to_toml()
            );
            let entry = found.entry(kind).or_insert((0, example.clone()));
            entry.0 += 1;
            if example.len() < entry.1.len() {
                entry.1 = example;
            }
        }
    }
    tally.report("survey");
    for (kind, (count, example)) in &found {
        eprintln!("=== {count} × {kind}\n{example}\n");
    }
}

fn generated_case(
    strategy: &impl Strategy<Value = (String, Case)>,
    runner: &mut TestRunner,
) -> (String, Case) {
    strategy.new_tree(runner).unwrap().current()
}
