//! What the fuzz targets share: the shipped rules loaded once, and the paths an input takes
//! through the library (check and render, read and evaluate, type into the REPL).
//!
//! A target calls one of these; an assertion here or a panic inside the library is a
//! finding. tests/fuzz_regressions.rs in the main crate follows the same paths.

pub mod structured;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::civil::Date;
use qualify::applicant::{self, Applicant};
use qualify::check::{self, CheckOutcome, CheckedRules, SourceInput};
use qualify::compile::{self, Program};
use qualify::diagnostics::Diagnostic;
use qualify::diagnostics::render::{self, Style};
use qualify::eval::{self, Query};
use qualify::explain;
use qualify::repl::{MemoryFiles, Options, Session, StatementReader, Step};
use qualify::source::SourceMap;

/// The most rule files one input is split into.
const MAX_RULE_FILES: usize = 8;
/// Width diagnostics are wrapped at, as in the command line.
const WIDTH: usize = 100;
/// The evaluation date of byte inputs.
pub const AS_OF: Date = jiff::civil::date(2024, 6, 30);
/// The example applicant the REPL session starts with.
pub const REPL_APPLICANT: &str = "examples/applicants/k9099_combination_related_bachelor.toml";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shipped rule files, `rules/*.qual`, in name order.
pub fn shipped_rule_files() -> &'static [SourceInput] {
    static FILES: OnceLock<Vec<SourceInput>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut files: Vec<SourceInput> = std::fs::read_dir(repository().join("rules"))
            .unwrap_or_else(|e| panic!("cannot list rules/: {e}"))
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "qual"))
            .map(|path| SourceInput {
                name: format!(
                    "rules/{}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ),
                bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read rules: {e}")),
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
    })
}

/// The shipped rules, checked.
pub fn shipped_rules() -> &'static CheckedRules {
    static RULES: OnceLock<CheckedRules> = OnceLock::new();
    RULES.get_or_init(|| match check::check_sources(shipped_rule_files()).rules {
        Some(rules) => rules,
        None => panic!("the shipped rules do not check"),
    })
}

/// The shipped rules, compiled.
pub fn shipped_program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| compile::compile(shipped_rules()))
}

/// Splits fuzz bytes into rule files at each NUL byte (never valid in rule text).
pub fn rule_inputs(data: &[u8]) -> Vec<SourceInput> {
    data.split(|&b| b == 0)
        .take(MAX_RULE_FILES)
        .enumerate()
        .map(|(i, bytes)| SourceInput {
            name: format!("fuzz{i}.qual"),
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// Checks rule files and renders every diagnostic in every style; rules that check are
/// compiled and an empty applicant evaluated against them.
pub fn check_and_render(inputs: &[SourceInput]) {
    let outcome: CheckOutcome = check::check_sources(inputs);
    render_all(&outcome.diagnostics, &outcome.sources);
    if let Some(rules) = &outcome.rules {
        let program = compile::compile(rules);
        evaluate_everything(&program, &Applicant::default(), AS_OF);
    }
}

/// Environment variable listing checks to skip while a known finding awaits its fix, so
/// that fuzzing can go past it: `json` skips the check that JSON output parses.
pub const SKIP_ENV: &str = "QUALIFY_FUZZ_SKIP";

fn skipped(check: &str) -> bool {
    static SKIPPED: OnceLock<Vec<String>> = OnceLock::new();
    SKIPPED
        .get_or_init(|| {
            std::env::var(SKIP_ENV)
                .unwrap_or_default()
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect()
        })
        .iter()
        .any(|s| s == check)
}

/// Renders each diagnostic as people and programs see it; the JSON must parse.
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for diagnostic in diagnostics {
        let _ = render::render(diagnostic, sources, Style::Human { color: false }, WIDTH);
        let _ = render::render(diagnostic, sources, Style::Plain, WIDTH);
        let json = render::render(diagnostic, sources, Style::Json, WIDTH);
        parses("diagnostic", &json);
    }
}

/// Reads an applicant file against the shipped rules and renders its diagnostics.
pub fn read_applicant(name: &str, bytes: &[u8]) -> Option<Applicant> {
    let mut sources = shipped_rules().sources().clone();
    let read = applicant::read(&mut sources, name, bytes, shipped_rules());
    render_all(&read.diagnostics, &sources);
    read.applicant
}

/// Evaluates every class with and without a trace, and renders the table, the record, the
/// explanation tree and its JSON. The JSON must parse.
pub fn evaluate_everything(program: &Program, applicant: &Applicant, as_of: Date) {
    let query = Query::new(as_of);
    if let Ok(evaluation) = eval::evaluate(program, applicant, &query) {
        let _ = explain::table(&evaluation);
        parses("record", &explain::record_json(&evaluation));
    }
    if let Ok(traced) = eval::evaluate_traced(program, applicant, &query) {
        let _ = explain::tree(program, &traced);
        parses("trace", &explain::trace_json(&traced));
    }
}

fn parses(what: &str, json: &str) {
    if skipped("json") {
        return;
    }
    if let Err(error) = serde_json::from_str::<serde_json::Value>(json) {
        panic!("{what} JSON does not parse ({error}): {json:?}");
    }
}

/// The shipped rules and one example applicant, as files in memory.
pub fn repl_files() -> MemoryFiles {
    let files = MemoryFiles::new();
    for input in shipped_rule_files() {
        files.insert(input.name.clone(), input.bytes.clone());
    }
    if let Ok(bytes) = std::fs::read(repository().join(REPL_APPLICANT)) {
        files.insert(REPL_APPLICANT, bytes);
    }
    files
}

/// A session on the shipped rules, evaluating on [`AS_OF`].
pub fn repl_session(files: &MemoryFiles) -> Session {
    let options = Options {
        today: AS_OF,
        style: Style::Human { color: false },
        width: WIDTH,
    };
    let mut session = Session::new(Box::new(files.clone()), options);
    let _ = session.open_rules(Path::new("rules"));
    session
}

/// Types `lines` into the session as the shell does: continued statements are joined, and
/// each whole statement answered. Stops when a statement ends the session.
pub fn type_lines(session: &mut Session, lines: &[String]) {
    let mut reader = StatementReader::new();
    for line in lines {
        let cursor = line.len() / 2;
        if line.is_char_boundary(cursor) {
            let _ = session.complete(line, cursor);
        }
        let step = reader.push_line(line);
        if answer(session, step) {
            return;
        }
    }
    if let Some(step) = reader.end_of_input() {
        answer(session, step);
    }
}

/// Answers a statement; true when the session ended.
fn answer(session: &mut Session, step: Step) -> bool {
    match step {
        Step::More | Step::TooLong(_) => false,
        Step::Statement(statement) => session.handle(&statement).exit,
    }
}

/// The checked model's debug text with every byte position left out, to compare the rules
/// of two texts that differ only in layout.
pub fn model_without_positions(rules: &CheckedRules) -> String {
    let text = format!("{:?}", rules.model());
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span { file: ") {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at..).unwrap_or("");
        let end = after.find('}').map_or(after.len(), |n| n + 1);
        out.push_str("Span");
        rest = after.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The `fmt_round_trip` path: bytes as one rule file through `format::format_rule_text`. A
/// file that formats must format to itself again, and check to the same diagnostics (codes
/// and messages) and the same rules as before; a refusal for any reason but syntax errors
/// (Q701: the formatted text would differ in more than layout) is a finding.
pub fn format_round_trip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = qualify::source::FileId(0);
    let formatted = match qualify::format::format_rule_text(file, text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            assert!(
                diagnostics
                    .iter()
                    .all(|d| d.code() != qualify::diagnostics::Code::FormatChangesRules),
                "formatting was refused: {diagnostics:?}"
            );
            return;
        }
    };
    let again = qualify::format::format_rule_text(file, &formatted);
    assert_eq!(
        again.as_ref(),
        Ok(&formatted),
        "formatting is not idempotent"
    );
    let check = |text: &str| {
        check::check_sources(&[SourceInput {
            name: "fuzz.qual".to_owned(),
            bytes: text.as_bytes().to_vec(),
        }])
    };
    let (before, after) = (check(text), check(&formatted));
    let reported = |outcome: &CheckOutcome| {
        let mut found: Vec<String> = outcome
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code(), d.message()))
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        reported(&before),
        reported(&after),
        "the diagnostics changed"
    );
    assert_eq!(
        before.rules.as_ref().map(model_without_positions),
        after.rules.as_ref().map(model_without_positions),
        "the checked rules changed"
    );
}

/// The `screen_line` path: bytes as one line of a JSON Lines pool (up to the first line
/// feed), screened against the shipped rules in every rendering, with the summary and a
/// notice. The record is one line of JSON that parses; a decision record reads back as a
/// stored record and replays to the same record; screening twice gives the same bytes.
pub fn screen_line(data: &[u8]) {
    use qualify::screen::notice::NoticeFor;
    use qualify::screen::replay::{self, Stored};
    use qualify::screen::{Extras, Item, Rendering, Screener};

    let line = data.split(|&b| b == b'\n').next().unwrap_or_default();
    let item = Item {
        file: std::sync::Arc::from("fuzz.jsonl"),
        line: Some(1),
        index: 0,
        format: applicant::Format::Json,
        bytes: line.to_vec(),
        failure: None,
        whole_hash: None,
    };
    let (program, rules) = (shipped_program(), shipped_rules());
    let screener =
        |rendering, extras| Screener::new(program, rules, Query::new(AS_OF), rendering, extras);
    let extras = Extras {
        summary: true,
        notice: Some(NoticeFor::new(rules, "K9099", "O")),
    };
    let jsonl = screener(Rendering::Jsonl, extras);
    let screened = jsonl.screen(&item);
    assert_eq!(
        jsonl.screen(&item).output,
        screened.output,
        "screening is not repeatable"
    );
    let text = std::str::from_utf8(&screened.output).unwrap_or_else(|e| panic!("{e}"));
    let body = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("no line end: {text:?}"));
    assert!(!body.contains('\n'), "a record of several lines: {text:?}");
    let record: serde_json::Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("record does not parse ({e}): {body:?}"));
    assert_eq!(screened.bad, record.get("errors").is_some(), "{body}");
    if !screened.bad {
        let stored = Stored::of(&record).unwrap_or_else(|e| panic!("{e}: {body}"));
        let verdict = replay::replay(program, rules, &record, &stored, Some(&item));
        assert!(verdict.is_same(), "replay: {verdict}");
    }
    if let Some(notice) = &screened.notice {
        well_formed_page(&notice.html);
        let stem = notice.stem.as_str();
        assert!(
            !stem.is_empty()
                && !stem.starts_with('.')
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "a notice named {stem:?}"
        );
    }
    for rendering in [Rendering::Csv, Rendering::Table] {
        let output = screener(rendering, Extras::default()).screen(&item).output;
        assert!(
            std::str::from_utf8(&output).is_ok(),
            "{rendering:?} is not UTF-8"
        );
    }
}

/// A notice page is well formed: after its doctype, every element is closed, in order.
fn well_formed_page(html: &str) {
    use quick_xml::events::Event;
    let body = html
        .strip_prefix("<!DOCTYPE html>")
        .unwrap_or_else(|| panic!("no doctype: {html:?}"));
    let mut reader = quick_xml::Reader::from_str(body);
    let mut open = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => open.push(e.name().as_ref().to_vec()),
            Ok(Event::End(e)) => {
                assert_eq!(open.pop().as_deref(), Some(e.name().as_ref()), "{html}");
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("notice page does not parse ({error}): {html}"),
        }
    }
    assert!(open.is_empty(), "unclosed elements in {html}");
}
