//! Rule tests as data: test files kept beside the rules, run with the ordinary evaluator,
//! with coverage by path, requirement node and threshold, and boundary cases generated for
//! review.
//!
//! A test file ([`read_tests`]) names applicants (inline, or files the caller reads), an
//! evaluation date and expectations per class, level and tier. [`run()`] evaluates each test
//! with its trace ([`crate::eval::evaluate_traced`]), compares, and records [`Coverage`].
//! [`generate()`] writes the cases that sit just below and at each threshold of each path.
//! `docs/testing.md` documents the format.

mod coverage;
mod expectation;
mod file;
mod generate;
mod report;
mod run;

pub use coverage::{Boundary, Coverage, NodeCoverage, PathCoverage, Tally, Totals};
pub use expectation::{Expectation, ExpectedShortfall, Outcome};
pub use file::{ApplicantSource, MAX_TEST_FILE_BYTES, TestCase, TestFile, TestsRead, read_tests};
pub use generate::{GeneratedFile, generate};
pub use report::{coverage_json, coverage_table, report_json, report_text};
pub use run::{Failure, Report, TestResult, run};
