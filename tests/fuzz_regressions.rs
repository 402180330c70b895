//! Inputs found by the fuzz targets in `fuzz/` (see docs/fuzzing.md), each fed through the
//! same path as its target, on the stable toolchain: rule bytes through check and every
//! renderer, applicant bytes through the reader and every evaluation and rendering, typed
//! lines through a REPL session. A test asserts that the path ends without a panic and that
//! every JSON output parses, plus what the finding was about.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::sync::OnceLock;

use jiff::civil::Date;
use qualify::applicant::{self, Applicant};
use qualify::check::{self, CheckedRules, SourceInput};
use qualify::compile::{self, Program};
use qualify::diagnostics::Diagnostic;
use qualify::diagnostics::render::{self, Style};
use qualify::eval::{self, Query};
use qualify::explain;
use qualify::repl::{MemoryFiles, Options, Session, StatementReader, Step};
use qualify::source::SourceMap;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const AS_OF: Date = jiff::civil::date(2024, 6, 30);
const REPL_APPLICANT: &str = "examples/applicants/k9099_combination_related_bachelor.toml";

fn shipped_rule_files() -> Vec<SourceInput> {
    let mut files: Vec<SourceInput> = std::fs::read_dir(Path::new(MANIFEST).join("rules"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "qual"))
        .map(|path| SourceInput {
            name: format!("rules/{}", path.file_name().unwrap().to_string_lossy()),
            bytes: std::fs::read(&path).unwrap(),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn shipped_rules() -> &'static CheckedRules {
    static RULES: OnceLock<CheckedRules> = OnceLock::new();
    RULES.get_or_init(|| check::check_sources(&shipped_rule_files()).rules.unwrap())
}

fn shipped_program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| compile::compile(shipped_rules()))
}

/// The `check_rules` path: bytes split into rule files at NUL bytes, checked, every
/// diagnostic rendered; rules that check are compiled and an empty applicant evaluated.
fn check_and_render(data: &[u8]) {
    let inputs: Vec<SourceInput> = data
        .split(|&b| b == 0)
        .take(8)
        .enumerate()
        .map(|(i, bytes)| SourceInput {
            name: format!("fuzz{i}.qual"),
            bytes: bytes.to_vec(),
        })
        .collect();
    let outcome = check::check_sources(&inputs);
    render_all(&outcome.diagnostics, &outcome.sources);
    if let Some(rules) = &outcome.rules {
        let program = compile::compile(rules);
        evaluate_everything(&program, &Applicant::default(), AS_OF);
    }
}

fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for diagnostic in diagnostics {
        render::render(diagnostic, sources, Style::Human { color: false }, 100);
        render::render(diagnostic, sources, Style::Plain, 100);
        let json = render::render(diagnostic, sources, Style::Json, 100);
        assert_parses(&json);
    }
}

/// The `applicant` path: bytes read as a file named `name` against the shipped rules; an
/// applicant that reads is evaluated and explained. Returns what was read.
fn read_and_evaluate(name: &str, data: &[u8], as_of: Date) -> Option<Applicant> {
    let mut sources = shipped_rules().sources().clone();
    let read = applicant::read(&mut sources, name, data, shipped_rules());
    render_all(&read.diagnostics, &sources);
    let applicant = read.applicant?;
    evaluate_everything(shipped_program(), &applicant, as_of);
    Some(applicant)
}

fn evaluate_everything(program: &Program, applicant: &Applicant, as_of: Date) {
    let query = Query::new(as_of);
    if let Ok(evaluation) = eval::evaluate(program, applicant, &query) {
        explain::table(&evaluation);
        assert_parses(&explain::record_json(&evaluation));
    }
    if let Ok(traced) = eval::evaluate_traced(program, applicant, &query) {
        explain::tree(program, &traced);
        assert_parses(&explain::trace_json(&traced));
    }
}

fn assert_parses(json: &str) {
    if let Err(error) = serde_json::from_str::<serde_json::Value>(json) {
        panic!("JSON does not parse ({error}): {json:?}");
    }
}

/// The `repl_lines` path: lines typed into a session on the shipped rules, with files in
/// memory. Returns every answer's text.
fn type_lines(text: &str) -> Vec<String> {
    let files = MemoryFiles::new();
    for input in shipped_rule_files() {
        files.insert(input.name, input.bytes);
    }
    files.insert(
        REPL_APPLICANT,
        std::fs::read(Path::new(MANIFEST).join(REPL_APPLICANT)).unwrap(),
    );
    let options = Options {
        today: AS_OF,
        style: Style::Human { color: false },
        width: 100,
    };
    let mut session = Session::new(Box::new(files), options);
    session.open_rules(Path::new("rules"));
    let mut reader = StatementReader::new();
    let mut answers = Vec::new();
    let lines: Vec<&str> = text.split('\n').take(64).collect();
    for line in lines {
        let cursor = line.len() / 2;
        if line.is_char_boundary(cursor) {
            session.complete(line, cursor);
        }
        match reader.push_line(line) {
            Step::More => {}
            Step::TooLong(refused) => answers.push(refused.response().text),
            Step::Statement(statement) => {
                let response = session.handle(&statement);
                answers.push(response.text);
                if response.exit {
                    return answers;
                }
            }
        }
    }
    if let Some(Step::Statement(statement)) = reader.end_of_input() {
        answers.push(session.handle(&statement).text);
    }
    answers
}

/// Every seed of the corpora goes through its target's path here, so the paths themselves
/// stay working on the stable toolchain.
#[test]
fn the_seed_inputs_pass_through_every_path() {
    let root = Path::new(MANIFEST);
    let mut shipped = Vec::new();
    for input in shipped_rule_files() {
        check_and_render(&input.bytes);
        shipped.extend_from_slice(&input.bytes);
        shipped.push(0);
    }
    check_and_render(&shipped);
    for entry in std::fs::read_dir(root.join("examples/applicants")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if applicant::Format::of(&name).is_some() {
            let read = read_and_evaluate(&name, &std::fs::read(&path).unwrap(), AS_OF);
            assert!(read.is_some(), "{name} does not read");
        }
    }
    let script = std::fs::read_to_string(root.join("tests/fixtures/repl/expressions.txt")).unwrap();
    assert!(!type_lines(&script).is_empty());
}

/// `check_rules`: a control character in rule text is written raw into the JSON
/// diagnostic's message (`unexpected `\u{1a}``), which then does not parse.
#[test]
fn control_character_in_rule_text_keeps_json_diagnostics_valid() {
    check_and_render(b"class X1 {\x1a}");
    check_and_render(b"\x01");
}

/// `applicant_structured`: coursework of 795710166262590056/234 semester credits reads,
/// then explaining it multiplies the credits into education months past `i64`
/// (`explain::audit::education`, "attempt to multiply with overflow"; without overflow
/// checks the product wraps into a wrong figure).
#[test]
fn huge_coursework_credits_are_explained_exactly_or_refused() {
    let toml = b"id = \"FUZZ\"\n\n[[coursework]]\ncredits = \"795710166262590056/234\"\naccredited = false\n";
    read_and_evaluate("fuzz.toml", toml, jiff::civil::date(6845, 10, 20));
}

/// `applicant_structured`: coursework of 8386091086408283038 quarter credits reads, then
/// converting them to semester credits overflows `i64` in evaluation (`eval::facts`,
/// "attempt to multiply with overflow"; without overflow checks a wrong figure).
#[test]
fn huge_quarter_credits_are_converted_exactly_or_refused() {
    let toml = b"id = \"FUZZ\"\n\n[[coursework]]\ncredits = 8386091086408283038\ncredit_unit = \"quarter\"\naccredited = false\n";
    read_and_evaluate("fuzz.toml", toml, jiff::civil::date(6983, 6, 25));
}

/// `check_rules`: a non-ASCII rule file exactly 256 bytes long with an error at its end;
/// the line index counted no characters before the end of the text, so the column of the
/// error's place underflowed (`source::LineIndex::line_col`, "attempt to subtract with
/// overflow").
#[test]
fn an_error_at_the_end_of_non_ascii_text_a_step_long_is_placed() {
    let mut rules = format!("# {}\nprofile x {{", "é".repeat(121)).into_bytes();
    assert_eq!(rules.len(), 256);
    check_and_render(&rules);
    rules.push(0);
    check_and_render(&rules);
}

/// The checked model's debug text with every byte position left out.
fn model_without_positions(rules: &CheckedRules) -> String {
    let text = format!("{:?}", rules.model());
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span { file: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map_or(after.len(), |n| n + 1);
        out.push_str("Span");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The `fmt_round_trip` path: a file that formats formats to itself again and checks to the
/// same diagnostics and rules; only syntax errors may refuse it.
fn format_round_trip(data: &[u8]) {
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
    let reported = |outcome: &check::CheckOutcome| {
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

/// The seeds of `fmt_round_trip` (the shipped rules and every rule fixture) go through its
/// path, and so does a comment between the words of a unit, which was once read as part of
/// the unit (the formatter, printing the comment after the unit, made it check).
#[test]
fn the_rule_files_pass_through_the_fmt_round_trip_path() {
    let mut folders = vec![
        Path::new(MANIFEST).join("rules"),
        Path::new(MANIFEST).join("tests/fixtures"),
    ];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "qual") {
                format_round_trip(&std::fs::read(&path).unwrap());
            }
        }
    }
    format_round_trip(
        b"profile p {\n  a year of education is 30 semester # a note\n credits\n  full time is 40 hours per week\n}\n",
    );
}

/// `fmt_round_trip`: a unit written against its number (`worth 2years`, which reads as
/// `2 years`) was dropped by the formatter, whose words of the unit began inside the
/// number's; the formatted text then did not parse, and `fmt` refused the file (Q701).
#[test]
fn a_unit_written_against_its_number_is_kept() {
    let text = "profile p {\n  credential associate \"A\" worth 2years\n  a year of education is \
                30semester credits\n  full time is 40hours per week\n}\n";
    format_round_trip(text.as_bytes());
    let formatted = qualify::format::format_rule_text(qualify::source::FileId(0), text).unwrap();
    assert!(formatted.contains("worth 2years\n"), "{formatted}");
    assert!(formatted.contains("is 30semester credits\n"), "{formatted}");
}

/// `fmt_round_trip`: a keyword written against the number after it (`is-30`, which reads as
/// `is -30`) was refused (Q701) because the space the layout puts between them changed the
/// file's words; and once units were laid out by their words, the number written against a
/// keyword was dropped. The parts are now written with a space between, which is a change
/// of layout only. A keyword run into a word or number (`worth0`, `band50`) is a syntax
/// error: a keyword is read only as a whole word.
#[test]
fn a_keyword_written_against_its_number_is_laid_out_apart() {
    let text = "profile p {\n  credential high_school \"H\" worth 0 years\n  a year of education \
                is-30 semester credits\n  full time is 40 hours per week\n}\nclass C1 \"Aide\" {\n  \
                profile p\n  level A code \"C1A\" band 50 {\n    minimum: high_school\n  }\n}\n";
    format_round_trip(text.as_bytes());
    let formatted = qualify::format::format_rule_text(qualify::source::FileId(0), text).unwrap();
    assert!(
        formatted.contains("is -30 semester credits\n"),
        "{formatted}"
    );
    for glued in [("worth 0", "worth0"), ("band 50", "band50")] {
        let run_together = text.replace(glued.0, glued.1);
        format_round_trip(run_together.as_bytes());
        let refused = qualify::format::format_rule_text(qualify::source::FileId(0), &run_together);
        assert!(refused.is_err(), "{} is read as a whole word only", glued.1);
    }
}

/// The `screen_line` path: bytes as one line of a JSON Lines pool, screened in every
/// rendering with the summary and a K9099 O notice. The record is one line of JSON that
/// parses; a decision record reads back as a stored record and replays to itself; the
/// notice page is well formed and safely named; screening twice gives the same bytes.
fn screen_line(line: &[u8]) {
    use qualify::screen::notice::NoticeFor;
    use qualify::screen::replay::{self, Stored};
    use qualify::screen::{Extras, Item, Rendering, Screener};

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
    assert_eq!(jsonl.screen(&item).output, screened.output);
    let text = std::str::from_utf8(&screened.output).unwrap();
    let body = text.strip_suffix('\n').unwrap();
    assert!(!body.contains('\n'), "{text:?}");
    let record: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(screened.bad, record.get("errors").is_some(), "{body}");
    if !screened.bad {
        let stored = Stored::of(&record).unwrap();
        let verdict = replay::replay(program, rules, &record, &stored, Some(&item));
        assert!(verdict.is_same(), "{verdict}");
    }
    if let Some(notice) = &screened.notice {
        well_formed_page(&notice.html);
        assert!(
            !notice.stem.starts_with('.')
                && notice
                    .stem
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{:?}",
            notice.stem
        );
    }
    for rendering in [Rendering::Csv, Rendering::Table] {
        let output = screener(rendering, Extras::default()).screen(&item).output;
        assert!(std::str::from_utf8(&output).is_ok());
    }
}

fn well_formed_page(html: &str) {
    use quick_xml::events::Event;
    let body = html.strip_prefix("<!DOCTYPE html>").unwrap();
    let mut reader = quick_xml::Reader::from_str(body);
    let mut open = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => open.push(e.name().as_ref().to_vec()),
            Event::End(e) => assert_eq!(open.pop().as_deref(), Some(e.name().as_ref()), "{html}"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "{html}");
}

#[test]
fn every_line_of_the_example_pool_passes_through_the_screen_line_path() {
    let pool = std::fs::read(Path::new(MANIFEST).join("examples/pool.jsonl")).unwrap();
    for line in pool.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        screen_line(line);
    }
}

/// Hostile pool lines: markup and entities in the name and id (which the notice page must
/// escape), control characters, a line that is not JSON, numbers beyond every limit, and an
/// id that is no safe file name.
#[test]
fn hostile_pool_lines_pass_through_the_screen_line_path() {
    let lines: &[&str] = &[
        r#"{"id":"<b>&amp;</b>","name":"</p><script>alert(1)</script>","education":[{"credential":"associate","field":"Finance","completed":"2018-12-14"}],"experience":[{"title":"x]]>","categories":["public_program_experience"],"start":"2019-01-01","end":"2023-01-01"}]}"#,
        "{\"id\":\"a\\u0000b\\u001b[31m\",\"name\":\"\\r\\n\\t\"}",
        r#"{"id":"../../etc/passwd","name":".hidden"}"#,
        r#"{"id":"","experience":[{"title":"t","categories":["public_program_experience"],"start":"2019-01-01","hours_per_week":"1/4611686018427387904"}]}"#,
        r#"{"education":[{"credential":"associate","credits":"99999999999999999999999999/7","completed":"2018-12-14"}]}"#,
        "not json at all",
        "",
        "\u{feff}{}",
        "{\"id\":\"\u{202e}evil\"}",
    ];
    for line in lines {
        screen_line(line.as_bytes());
    }
}
