//! A test file's bytes to its tests, resolved against the rules, with every problem as a
//! `Q5xx` diagnostic (or the applicant reader's `Q3xx` for an inline applicant).

use jiff::civil::Date;

use crate::applicant::{
    Applicant, DocumentNode as Node, DocumentNodeKind as NodeKind, Reporter, Vocabulary,
    applicant_from_node, parse_toml,
};
use crate::check::CheckedRules;
use crate::compile::Program;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Code, Diagnostic, sort_diagnostics};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax;

use super::expectation::{Expectation, parse_value, resolve_key};

/// Test files larger than this are refused rather than parsed.
pub const MAX_TEST_FILE_BYTES: usize = 4 * 1024 * 1024;

const TOP_KEYS: &[&str] = &["as_of", "test"];
const TEST_KEYS: &[&str] = &["name", "applicant", "as_of", "expect", "generated"];

/// The tests of one file.
#[derive(Clone, Debug)]
pub struct TestFile {
    pub file: FileId,
    pub name: String,
    pub tests: Vec<TestCase>,
}

/// Where a test's applicant comes from.
#[derive(Clone, Debug)]
pub enum ApplicantSource {
    /// Written in the test itself, already read.
    Inline(Applicant),
    /// A file path relative to the test file, with the span of the path; read by the
    /// caller and given back through [`TestCase::applicant`].
    File { path: String, span: Span },
}

/// One test: an applicant, a date, and what its tiers must come to.
#[derive(Clone, Debug)]
pub struct TestCase {
    pub name: String,
    pub name_span: Span,
    pub as_of: Date,
    pub source: ApplicantSource,
    /// The applicant: inline, or read from its file by the caller.
    pub applicant: Option<Applicant>,
    /// Written by `--generate` and not yet reviewed.
    pub generated: bool,
    pub expectations: Vec<Expectation>,
}

/// What reading one test file produced.
#[derive(Clone, Debug)]
pub struct TestsRead {
    /// Present only when there is no error.
    pub tests: Option<TestFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub file: FileId,
}

/// Reads the tests in `bytes`, named `name`, against checked and compiled rules. The file
/// is added to `sources`, so its diagnostics render like rule errors.
pub fn read_tests(
    sources: &mut SourceMap,
    name: &str,
    bytes: &[u8],
    rules: &CheckedRules,
    program: &Program,
) -> TestsRead {
    // A test file is a unit of work with its own budget for "did you mean" suggestions.
    crate::diagnostics::suggest::with_budget(bytes.len(), || {
        read_tests_in(sources, name, bytes, rules, program)
    })
}

fn read_tests_in(
    sources: &mut SourceMap,
    name: &str,
    bytes: &[u8],
    rules: &CheckedRules,
    program: &Program,
) -> TestsRead {
    if bytes.len() > MAX_TEST_FILE_BYTES {
        let file = sources.add(SourceFile::new(name, ""));
        let diagnostic = Diagnostic::new(
            Code::FileTooLarge,
            format!("test file is larger than the limit of {MAX_TEST_FILE_BYTES} bytes"),
            Span::new(file, 0, 0),
            "this file",
        )
        .with_help("split the tests into several files");
        return failed(file, vec![diagnostic]);
    }
    let next_id = FileId(u32::try_from(sources.len()).unwrap_or(u32::MAX));
    let text = match syntax::decode(next_id, bytes) {
        Ok(text) => text,
        Err((lossy, diagnostic)) => {
            let file = sources.add(SourceFile::new(name, lossy));
            return failed(file, vec![diagnostic]);
        }
    };
    let file = sources.add(SourceFile::new(name, text));
    let (root, parse_diagnostics) = parse_toml(file, text);
    let mut reader = Reader {
        file,
        program,
        vocabulary: Vocabulary::of(rules),
        diagnostics: parse_diagnostics
            .into_iter()
            .map(|d| recode_syntax(d, file))
            .collect(),
    };
    let tests = root.map(|root| reader.file_tests(&root));
    let mut diagnostics = reader.diagnostics;
    sort_diagnostics(&mut diagnostics, sources);
    let tests = tests
        .filter(|_| !diagnostics.iter().any(Diagnostic::is_error))
        .map(|tests| TestFile {
            file,
            name: name.to_owned(),
            tests,
        });
    TestsRead {
        tests,
        diagnostics,
        file,
    }
}

/// A TOML syntax error in a test file, or a key given twice in one of its tables, is a
/// test-file error (Q500), not an applicant one (Q301, Q305).
fn recode_syntax(diagnostic: Diagnostic, file: FileId) -> Diagnostic {
    if !matches!(
        diagnostic.code(),
        Code::ApplicantSyntax | Code::DuplicateKey
    ) {
        return diagnostic;
    }
    let span = diagnostic.span();
    let label = diagnostic
        .labels()
        .first()
        .map_or_else(String::new, |l| l.text.clone());
    let mut recoded = Diagnostic::new(
        Code::TestFileSyntax,
        diagnostic.message().replace("applicant file", "test file"),
        Span::new(file, span.start as usize, span.end as usize),
        label,
    );
    for other in diagnostic.labels().iter().skip(1) {
        recoded = recoded.with_label(other.span, other.text.clone());
    }
    if let Some(help) = diagnostic.help() {
        recoded = recoded.with_help(
            help.replace("docs/applicant.md", "docs/testing.md")
                .replace("applicant file", "test file"),
        );
    }
    recoded
}

fn failed(file: FileId, diagnostics: Vec<Diagnostic>) -> TestsRead {
    TestsRead {
        tests: None,
        diagnostics,
        file,
    }
}

struct Reader<'p> {
    file: FileId,
    program: &'p Program,
    vocabulary: Vocabulary,
    diagnostics: Vec<Diagnostic>,
}

/// The entries of a table node.
type Entries<'n> = &'n [crate::applicant::DocumentEntry];

impl Reader<'_> {
    fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn file_tests(&mut self, root: &Node) -> Vec<TestCase> {
        let Some(entries) = self.table(root, "the test file") else {
            return Vec::new();
        };
        self.unknown_keys(entries, TOP_KEYS, "the test file");
        // A file date that cannot be read is reported once, not again by every test.
        let file_date = get(entries, "as_of").map(|n| self.date(n, "`as_of`"));
        let Some(list) = get(entries, "test") else {
            self.no_test(self.span(&root.span), "no `[[test]]` here");
            return Vec::new();
        };
        let NodeKind::Array(items) = &list.kind else {
            self.wrong_type(list, "`test`", "a list of tables (`[[test]]`)");
            return Vec::new();
        };
        if items.is_empty() {
            // `test = []` runs nothing, which must not pass as a suite that passed.
            self.no_test(self.span(&list.span), "an empty list of tests");
            return Vec::new();
        }
        let mut tests: Vec<TestCase> = Vec::new();
        // Every name read, of tests with mistakes too, so that one mistake hides no other.
        let mut names: std::collections::HashMap<String, Span> = std::collections::HashMap::new();
        for item in items {
            let (name, test) = self.test(item, file_date);
            if let Some((name, span)) = name {
                if let Some(&first) = names.get(&name) {
                    self.report(
                        Diagnostic::new(
                            Code::DuplicateTest,
                            format!("two tests are named `{name}`"),
                            span,
                            "named again here",
                        )
                        .with_label(first, "first named here")
                        .with_help("give each test a name of its own, so a failure names one test"),
                    );
                }
                names.entry(name).or_insert(span);
            }
            tests.extend(test);
        }
        tests
    }

    fn no_test(&mut self, span: Span, label: &str) {
        self.report(
            Diagnostic::new(
                Code::MissingTestKey,
                "the test file holds no test",
                span,
                label,
            )
            .with_help(
                "add a test: `[[test]]` with `name`, `applicant`, `as_of` and `[test.expect]`",
            ),
        );
    }

    /// `file_date` is the file's own `as_of`: absent, unreadable (already reported) or a date.
    /// One test: its name, when it has one it may bear (a test with other mistakes still
    /// has its name compared with the others'), and the test when it has no mistake.
    fn test(
        &mut self,
        node: &Node,
        file_date: Option<Option<Date>>,
    ) -> (Option<(String, Span)>, Option<TestCase>) {
        let Some(entries) = self.table(node, "a test") else {
            return (None, None);
        };
        self.unknown_keys(entries, TEST_KEYS, "a test");
        let head = self.span(&node.span);
        let name = match get(entries, "name") {
            Some(n) => self
                .string(n, "`name`")
                .filter(|s| self.named(s, n))
                .map(|s| (s, self.span(&n.span))),
            None => {
                self.missing(head, "name", "name = \"an associate and two years\"");
                None
            }
        };
        let test = self.test_body(entries, head, name.clone(), file_date);
        (name, test)
    }

    /// The rest of a test, once its name is read.
    fn test_body(
        &mut self,
        entries: Entries<'_>,
        head: Span,
        name: Option<(String, Span)>,
        file_date: Option<Option<Date>>,
    ) -> Option<TestCase> {
        let as_of = match get(entries, "as_of") {
            Some(n) => self.date(n, "`as_of`"),
            None if file_date.is_some() => file_date.flatten(),
            None => {
                self.missing(head, "as_of", "as_of = 2025-06-30");
                None
            }
        };
        let generated = get(entries, "generated")
            .and_then(|n| self.boolean(n, "`generated`"))
            .unwrap_or(false);
        let source = match get(entries, "applicant") {
            Some(n) => self.applicant(n),
            None => {
                self.missing(head, "applicant", "applicant = \"applicants/one.toml\"");
                None
            }
        };
        let expectations = match get(entries, "expect") {
            Some(n) => self.expectations(n),
            None => {
                self.missing(
                    head,
                    "expect",
                    "[test.expect] \"K9099 B minimum\" = \"met\"",
                );
                None
            }
        };
        let ((name, name_span), as_of, source, expectations) =
            (name?, as_of?, source?, expectations?);
        let applicant = match &source {
            ApplicantSource::Inline(applicant) => Some(applicant.clone()),
            ApplicantSource::File { .. } => None,
        };
        Some(TestCase {
            name,
            name_span,
            as_of,
            source,
            applicant,
            generated,
            expectations,
        })
    }

    fn applicant(&mut self, node: &Node) -> Option<ApplicantSource> {
        match &node.kind {
            NodeKind::String(path) => Some(ApplicantSource::File {
                path: path.clone(),
                span: self.span(&node.span),
            }),
            NodeKind::Table(_) => {
                let mut reporter = Reporter::new(self.file, false);
                let applicant = applicant_from_node(node, &self.vocabulary, &mut reporter);
                let failed = reporter.diagnostics.iter().any(Diagnostic::is_error);
                self.diagnostics.append(&mut reporter.diagnostics);
                (!failed).then_some(ApplicantSource::Inline(applicant))
            }
            _ => {
                self.wrong_type(
                    node,
                    "`applicant`",
                    "a file path or a table (`[test.applicant]`)",
                );
                None
            }
        }
    }

    fn expectations(&mut self, node: &Node) -> Option<Vec<Expectation>> {
        let entries = self.table(node, "`expect`")?;
        if entries.is_empty() {
            self.report(
                Diagnostic::new(
                    Code::MissingTestKey,
                    "the test expects nothing",
                    self.span(&node.span),
                    "no expectation here",
                )
                .with_help("add one, e.g. `\"K9099 B minimum\" = \"met by direct\"`"),
            );
            return None;
        }
        let mut expectations: Vec<Expectation> = Vec::new();
        let mut ok = true;
        for entry in entries {
            let key_span = self.span(&entry.key_span);
            let Some(value) = self.string(&entry.value, "an expectation") else {
                ok = false;
                continue;
            };
            let value_span = self.span(&entry.value.span);
            let resolved = resolve_key(self.program, &entry.key, key_span).and_then(|tier| {
                parse_value(self.program, &tier, &value, value_span).map(|v| (tier, v))
            });
            let (tier, (outcome, shortfall)) = match resolved {
                Ok(resolved) => resolved,
                Err(diagnostic) => {
                    self.report(diagnostic);
                    ok = false;
                    continue;
                }
            };
            let expectation = Expectation {
                class: tier.class,
                level: Arc::clone(&tier.level.name),
                tier: tier.tier,
                outcome,
                shortfall,
                written: value,
                key_span,
                value_span,
            };
            if let Some(first) = expectations.iter().find(|e| {
                e.class == expectation.class
                    && e.level == expectation.level
                    && e.tier == expectation.tier
            }) {
                let first = first.key_span;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateTest,
                        format!("{} is expected twice", expectation.tier_name()),
                        key_span,
                        "expected again here",
                    )
                    .with_label(first, "first expected here")
                    .with_help("keep one expectation per tier"),
                );
                ok = false;
                continue;
            }
            expectations.push(expectation);
        }
        ok.then_some(expectations)
    }

    fn table<'n>(&mut self, node: &'n Node, what: &str) -> Option<Entries<'n>> {
        match &node.kind {
            NodeKind::Table(entries) => Some(entries),
            _ => {
                self.wrong_type(node, what, "a table");
                None
            }
        }
    }

    fn unknown_keys(&mut self, entries: Entries<'_>, allowed: &[&str], place: &str) {
        for entry in entries {
            if !allowed.contains(&entry.key.as_str()) {
                let help = did_you_mean(&entry.key, "key", allowed.iter().copied());
                self.report(
                    Diagnostic::new(
                        Code::UnknownTestKey,
                        format!("unknown key `{}` in {place}", entry.key),
                        self.span(&entry.key_span),
                        "not a known key",
                    )
                    .with_help(help),
                );
            }
        }
    }

    /// Whether `name` names the test: a blank name, which no report line could show, is
    /// reported as a name missing (Q502).
    fn named(&mut self, name: &str, node: &Node) -> bool {
        if !name.trim().is_empty() {
            return true;
        }
        let span = self.span(&node.span);
        self.report(
            Diagnostic::new(
                Code::MissingTestKey,
                "a test's `name` is blank".to_owned(),
                span,
                "no name here",
            )
            .with_help(
                "name the test by what it shows, e.g. `name = \"an associate and two years\"`",
            ),
        );
        false
    }

    fn missing(&mut self, head: Span, key: &str, example: &str) {
        self.report(
            Diagnostic::new(
                Code::MissingTestKey,
                format!("a test has no `{key}`"),
                head,
                format!("`{key}` is missing"),
            )
            .with_help(format!("add it, e.g. `{example}`")),
        );
    }

    fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        if node.kind == NodeKind::Malformed {
            return;
        }
        self.report(Diagnostic::new(
            Code::TestValueType,
            format!("{what} must be {expected}, found {}", node.kind.describe()),
            self.span(&node.span),
            format!("expected {expected}"),
        ));
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::String(text) => Some(text.clone()),
            _ => {
                self.wrong_type(node, what, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.kind {
            NodeKind::Bool(value) => Some(value),
            _ => {
                self.wrong_type(node, what, "`true` or `false`");
                None
            }
        }
    }

    fn date(&mut self, node: &Node, what: &str) -> Option<Date> {
        let parsed = match &node.kind {
            NodeKind::String(text) => crate::applicant::parse_date(text),
            NodeKind::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
                (Some(d), None, None) => i16::try_from(d.year).ok().and_then(|year| {
                    Date::new(year, i8::try_from(d.month).ok()?, i8::try_from(d.day).ok()?).ok()
                }),
                _ => None,
            },
            _ => {
                self.wrong_type(node, what, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        if parsed.is_none() {
            self.report(
                Diagnostic::new(
                    Code::TestValueType,
                    format!("{what} is not a calendar date"),
                    self.span(&node.span),
                    "not a date",
                )
                .with_help("write the date alone, as YYYY-MM-DD, e.g. `2025-06-30`"),
            );
        }
        parsed
    }
}

use std::sync::Arc;

fn get<'n>(entries: Entries<'n>, key: &str) -> Option<&'n Node> {
    entries
        .iter()
        .find(|e| e.key == key)
        .map(|e| &e.value)
        .filter(|v| v.kind != NodeKind::Null)
}
