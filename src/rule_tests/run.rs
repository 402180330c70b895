//! Running rule tests: each test's applicant evaluated with the ordinary evaluator and its
//! trace, every expectation compared with the outcome, and coverage recorded.

use serde::Serialize;

use crate::compile::{Program, TierProgram};
use crate::eval::{
    Evaluation, Lacks, PathOutcome, Query, Shortfall, TierKey, Via, evaluate_traced,
};
use crate::source::Span;

use super::coverage::Coverage;
use super::expectation::{Expectation, ExpectedShortfall, Outcome, months_words};
use super::file::TestFile;

/// Every test's result, in file and test order, and the coverage they reached.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub results: Vec<TestResult>,
    pub coverage: Coverage,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }
}

/// One test's result.
#[derive(Clone, Debug, Serialize)]
pub struct TestResult {
    /// The test file's name.
    pub file: String,
    pub name: String,
    /// Written by `--generate` and not yet reviewed.
    pub generated: bool,
    pub failures: Vec<Failure>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// An expectation that did not hold: what was expected, what happened, and each path's
/// shortfall in words.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    /// `K9099 O minimum`.
    pub tier: String,
    pub expected: String,
    pub happened: String,
    /// One line per path: its name, source section, rule text and what it lacks.
    pub paths: Vec<String>,
    #[serde(skip)]
    pub span: Span,
}

/// Runs every test of every file. A test whose applicant was not supplied fails.
pub fn run(program: &Program, files: &[TestFile]) -> Report {
    let mut report = Report {
        results: Vec::new(),
        coverage: Coverage::of(program),
    };
    for file in files {
        for test in &file.tests {
            let mut result = TestResult {
                file: file.name.clone(),
                name: test.name.clone(),
                generated: test.generated,
                failures: Vec::new(),
            };
            match &test.applicant {
                Some(applicant) => run_one(
                    program,
                    applicant,
                    test.as_of,
                    &test.expectations,
                    &mut result,
                    &mut report.coverage,
                ),
                None => result.failures.push(Failure {
                    tier: "the test".to_owned(),
                    expected: "an applicant".to_owned(),
                    happened: "its applicant file could not be read (see the diagnostics above)"
                        .to_owned(),
                    paths: Vec::new(),
                    span: test.name_span,
                }),
            }
            report.results.push(result);
        }
    }
    report
}

fn run_one(
    program: &Program,
    applicant: &crate::applicant::Applicant,
    as_of: jiff::civil::Date,
    expectations: &[Expectation],
    result: &mut TestResult,
    coverage: &mut Coverage,
) {
    let mut query = Query::new(as_of);
    for expectation in expectations {
        let in_force = program
            .class(&expectation.class)
            .and_then(|c| c.version_in_force(as_of))
            .is_some();
        if !in_force {
            result.failures.push(failure(
                expectation,
                format!("no version of {} is in force on {as_of}", expectation.class),
                Vec::new(),
            ));
        } else if !query.classes.iter().any(|c| **c == *expectation.class) {
            query = query.class(&*expectation.class);
        }
    }
    if query.classes.is_empty() {
        return;
    }
    if let Some(level) = one_level(program, expectations, as_of) {
        query = query.level(level);
    }
    let evaluation = match evaluate_traced(program, applicant, &query) {
        Ok(evaluation) => evaluation,
        Err(error) => {
            for expectation in expectations {
                result.failures.push(failure(
                    expectation,
                    format!("refused: {error}"),
                    Vec::new(),
                ));
            }
            return;
        }
    };
    let mut held = Vec::new();
    for expectation in expectations {
        let key = TierKey {
            class: &expectation.class,
            level: &expectation.level,
            tier: expectation.tier,
        };
        let Some(tier) = evaluation.tier(&key) else {
            if in_force(program, expectation, as_of) {
                result.failures.push(failure(
                    expectation,
                    format!("the version in force on {as_of} has no such tier"),
                    Vec::new(),
                ));
            }
            continue;
        };
        let paths = evaluation.paths(tier);
        let problem = compare(&evaluation, expectation, tier.met, tier.via, paths);
        if problem.is_none() {
            held.push((key, matches!(expectation.outcome, Outcome::Met(Some(_)))));
        }
        if let Some(problem) = problem {
            let program_tier = traced_tier(&evaluation, &key);
            result.failures.push(failure(
                expectation,
                problem,
                describe_paths(program, &evaluation, paths, program_tier),
            ));
        }
    }
    // Only a test that passes shows what the rules do: a failing one covers nothing, not
    // even with the expectations of it that held.
    if result.failures.is_empty() {
        for (key, names_path) in &held {
            record_coverage(&evaluation, key, *names_path, coverage);
        }
    }
}

/// The level every expectation of a test is about, when they are all about one level of
/// one class and the version in force has it: only that level is evaluated, so a test
/// costs what its level costs, whatever the number of levels beside it.
fn one_level<'e>(
    program: &Program,
    expectations: &'e [Expectation],
    as_of: jiff::civil::Date,
) -> Option<&'e str> {
    let (first, rest) = expectations.split_first()?;
    let same = rest
        .iter()
        .all(|e| e.class == first.class && e.level == first.level);
    let version = program.class(&first.class)?.version_in_force(as_of)?;
    let has_level = version.levels.iter().any(|l| *l.name == *first.level);
    (same && has_level).then_some(&*first.level)
}

fn in_force(program: &Program, expectation: &Expectation, as_of: jiff::civil::Date) -> bool {
    program
        .class(&expectation.class)
        .and_then(|c| c.version_in_force(as_of))
        .is_some()
}

fn failure(expectation: &Expectation, happened: String, paths: Vec<String>) -> Failure {
    Failure {
        tier: expectation.tier_name(),
        expected: expectation.written.clone(),
        happened,
        paths,
        span: expectation.value_span,
    }
}

fn traced_tier<'e>(evaluation: &'e Evaluation<'_>, key: &TierKey<'_>) -> Option<&'e TierProgram> {
    let trace = evaluation.trace.as_ref()?;
    trace.tiers.iter().find(|t| t.key == *key).map(|t| t.tier)
}

fn record_coverage(
    evaluation: &Evaluation<'_>,
    key: &TierKey<'_>,
    names_path: bool,
    coverage: &mut Coverage,
) {
    let Some(trace) = evaluation.trace.as_ref() else {
        return;
    };
    if let Some(tier) = trace.tiers.iter().find(|t| t.key == *key) {
        coverage.record(
            &evaluation.facts,
            tier,
            trace.paths_of(tier),
            &trace.nodes,
            names_path,
        );
    }
}

/// What went wrong, or `None` when the expectation holds.
fn compare(
    evaluation: &Evaluation<'_>,
    expectation: &Expectation,
    met: bool,
    via: Option<Via>,
    paths: &[PathOutcome<'_>],
) -> Option<String> {
    let outcome = match via {
        Some(via) => format!("met by {via}"),
        None => "not met".to_owned(),
    };
    match expectation.outcome {
        Outcome::Met(None) if !met => return Some(format!("got {outcome}")),
        Outcome::Met(Some(wanted)) if via != Some(wanted) => {
            if !paths.iter().any(|p| p.via == wanted) {
                return Some(format!("got {outcome}; the tier has no {wanted}"));
            }
            return Some(format!("got {outcome}"));
        }
        Outcome::NotMet if met => return Some(format!("got {outcome}")),
        _ => {}
    }
    let (path_via, wanted) = expectation.shortfall.as_ref()?;
    let Some(path) = paths.iter().find(|p| p.via == *path_via) else {
        return Some(format!("the tier has no {path_via}"));
    };
    let lacks = evaluation.shortfalls(path);
    if lacks_match(&lacks, wanted) {
        None
    } else {
        Some(format!(
            "{path_via} is short {}",
            all_lacks_words(&lacks).unwrap_or_else(|| lacks.describe_all())
        ))
    }
}

/// Whether any shortfall of a path (or of one of its `or` alternatives) is the one expected.
fn lacks_match(lacks: &Lacks<'_, '_>, wanted: &ExpectedShortfall) -> bool {
    lacks.items.iter().any(|item| match (item, wanted) {
        (
            Shortfall::Experience {
                months, categories, ..
            },
            ExpectedShortfall::Experience {
                months: want,
                categories: names,
            },
        ) => {
            let mut have: Vec<&str> = categories.iter().map(|c| &**c).collect();
            have.sort_unstable();
            months.0 == *want && have == names.iter().map(String::as_str).collect::<Vec<_>>()
        }
        (Shortfall::Total { months, .. }, ExpectedShortfall::Total { months: want }) => {
            months.0 == *want
        }
        (
            Shortfall::Credits {
                credits, subjects, ..
            },
            ExpectedShortfall::Credits {
                credits: want,
                subjects: set,
            },
        ) => credits.0 == *want && *subjects == set.as_str(),
        (
            Shortfall::Credential(lack),
            ExpectedShortfall::Credential {
                credential,
                accredited,
                fields,
                includes,
            },
        ) => {
            lack.credential.eq_ignore_ascii_case(credential)
                && (!accredited || lack.accredited())
                && fields.as_deref().is_none_or(|f| lack.fields() == Some(f))
                && includes.as_ref().is_none_or(|(credits, set)| {
                    lack.includes()
                        .is_some_and(|i| i.credits.0 == *credits && i.subjects == set.as_str())
                })
        }
        (Shortfall::AnyOf { .. }, _) => lacks
            .alternatives(item)
            .any(|alternative| lacks_match(&alternative, wanted)),
        _ => false,
    })
}

/// A path's first shortfall in the words an expectation uses, when it has one of the
/// simple kinds: `1 month of public_program_experience`, `10 months toward the total`.
pub fn lacks_words(lacks: &Lacks<'_, '_>) -> Option<String> {
    lacks.items.first().and_then(lack_words)
}

/// Every shortfall of a path in the words an expectation uses, joined by `and`, when each
/// is of a simple kind: a failed expectation names all that the path lacks.
fn all_lacks_words(lacks: &Lacks<'_, '_>) -> Option<String> {
    let words = lacks
        .items
        .iter()
        .map(lack_words)
        .collect::<Option<Vec<String>>>()?;
    (!words.is_empty()).then(|| words.join(" and "))
}

/// One shortfall in the words an expectation uses, when it is of a simple kind.
fn lack_words(item: &Shortfall<'_>) -> Option<String> {
    match item {
        Shortfall::Experience {
            months, categories, ..
        } => Some(format!(
            "{} of {}",
            months_words(months.0),
            categories
                .iter()
                .map(|c| &**c)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Shortfall::Total { months, .. } => {
            Some(format!("{} toward the total", months_words(months.0)))
        }
        Shortfall::Credits {
            credits, subjects, ..
        } => {
            let unit = if credits.0 == crate::check::model::Exact::from_integer(1) {
                "credit"
            } else {
                "credits"
            };
            Some(format!(
                "{} {unit} in {subjects}",
                crate::eval::outcome::exact_string(credits.0)
            ))
        }
        Shortfall::Credential(lack) => {
            let named = if lack.accredited() {
                format!("accredited {}", lack.credential)
            } else {
                lack.credential.to_owned()
            };
            let mut words = format!("{} {named}", crate::eval::article(&named));
            if let Some(fields) = lack.fields() {
                words.push_str(&format!(" in {fields}"));
            }
            if let Some(included) = lack.includes() {
                let credits = included.credits.0;
                let unit = if credits == crate::check::model::Exact::from_integer(1) {
                    "credit"
                } else {
                    "credits"
                };
                words.push_str(&format!(
                    " that includes {} {unit} in {}",
                    crate::eval::outcome::exact_string(credits),
                    included.subjects
                ));
            }
            Some(words)
        }
        Shortfall::AnyOf { .. } => None,
    }
}

/// Each path of the tier: `direct (cite) \`rule\`: met` or what it lacks.
fn describe_paths(
    program: &Program,
    evaluation: &Evaluation<'_>,
    paths: &[PathOutcome<'_>],
    tier: Option<&TierProgram>,
) -> Vec<String> {
    paths
        .iter()
        .map(|path| {
            let cite = path
                .citation()
                .map_or_else(String::new, |c| format!(" ({c})"));
            let rule = tier
                .and_then(|t| match path.via {
                    Via::Direct => Some(program.rule_line(t.rule_span)),
                    Via::Substitution { clause } => t
                        .substitutions
                        .get((clause as usize).saturating_sub(1))
                        .map(|s| program.rule_line(s.rule_span)),
                })
                .map_or_else(String::new, |r| format!(" `{r}`"));
            let state = if path.met {
                "met".to_owned()
            } else {
                let mut text = evaluation.shortfalls(path).describe_all();
                if let Some(figure) = &path.combination {
                    text = format!("{text} ({})", crate::explain::combination_sum(figure));
                }
                text
            };
            format!("{}{cite}{rule}: {state}", path.via)
        })
        .collect()
}
