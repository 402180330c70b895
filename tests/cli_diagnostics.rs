//! How diagnostics reach people and programs, through the real binary: rule files with
//! carriage-return line endings, control characters in rule text and applicant keys, line
//! and column in JSON, the same line and column in every error format (wide characters, a
//! long line, the end of a file, a byte-order mark), and coded refusals of a query in every
//! error format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::path::Path;
use std::process::{Command, Output};

use cli_support::qualify_no_color as qualify;

use insta_cmd::assert_cmd_snapshot;

const APPLICANT: &str = "examples/applicants/k9099_combination_related_bachelor.toml";

/// Every line of stdout and stderr, parsed as JSON; panics naming the first that does not
/// parse.
fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    let mut values = Vec::new();
    for stream in [&output.stdout, &output.stderr] {
        let text = std::str::from_utf8(stream).unwrap();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}\n{text}"));
            values.push(value);
        }
    }
    values
}

/// The rule files of `rules/`, copied to `dir` with every `\n` replaced by `ending`.
fn shipped_rules_with_line_ending(dir: &Path, ending: &str) {
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "qual") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            dir.join(path.file_name().unwrap()),
            text.replace('\n', ending),
        )
        .unwrap();
    }
}

/// Each diagnostic of a JSON run: its code, and the line and column of its first label.
fn places(output: &Output) -> Vec<(String, u64, u64)> {
    json_lines(output)
        .into_iter()
        .filter(|v| v["code"].is_string() && v["labels"].is_array())
        .map(|v| {
            let span = &v["labels"][0]["span"];
            (
                v["code"].as_str().unwrap().to_owned(),
                span["line"].as_u64().unwrap_or(0),
                span["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn run(cmd: &mut Command) -> Output {
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn rules_with_carriage_return_line_endings_read_like_the_shipped_ones() {
    let shipped_check = run(qualify().args(["check", "rules"]));
    let shipped_eval = run(qualify().args(["eval", APPLICANT, "--as-of", "2024-06-30"]));
    assert!(String::from_utf8_lossy(&shipped_eval.stdout).contains("K9099"));
    let explain = |rules: &str| {
        let args = [
            "explain",
            APPLICANT,
            "--class",
            "K9099",
            "--as-of",
            "2024-06-30",
        ];
        let output = run(qualify().args(args).args(["--rules", rules]));
        assert_eq!(output.status.code(), Some(0));
        // The rules hash covers the bytes, line endings included, so it differs.
        String::from_utf8(output.stdout)
            .unwrap()
            .replace(&format!("{rules}/"), "RULES/")
            .lines()
            .filter(|line| !line.starts_with("Rules content hash:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let shipped_explain = explain("rules");
    assert!(shipped_explain.contains("RULES/k9099.qual:"));
    for ending in ["\r", "\r\n"] {
        let dir = tempfile::tempdir().unwrap();
        shipped_rules_with_line_ending(dir.path(), ending);
        let rules = dir.path().to_str().unwrap();
        let check = run(qualify().args(["check", rules]));
        assert_eq!(check.status.code(), Some(0), "{ending:?}");
        let summary = |o: &Output| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .last()
                .unwrap()
                .to_owned()
        };
        assert_eq!(summary(&check), summary(&shipped_check), "{ending:?}");
        let eval =
            run(qualify().args(["eval", APPLICANT, "--as-of", "2024-06-30", "--rules", rules]));
        assert_eq!(eval.status.code(), Some(0), "{ending:?}");
        assert_eq!(eval.stdout, shipped_eval.stdout, "{ending:?}");
        assert_eq!(explain(rules), shipped_explain, "{ending:?}");
    }
}

#[test]
fn carriage_return_rule_file_reports_lines_and_columns() {
    assert_cmd_snapshot!(qualify().args(["check", "tests/fixtures/diagnostics/cr_only.qual"]));
}

#[test]
fn carriage_return_rule_file_in_json() {
    let mut cmd = qualify();
    cmd.args([
        "check",
        "--error-format",
        "json",
        "tests/fixtures/diagnostics/cr_only.qual",
    ]);
    let values = json_lines(&run(&mut cmd));
    let lines: Vec<u64> = values
        .iter()
        .map(|v| v["labels"][0]["span"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [19, 19]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn control_characters_in_rule_text_are_shown_escaped() {
    let output = run(qualify().args(["check", "tests/fixtures/diagnostics/control_chars.qual"]));
    let raw = output
        .stdout
        .iter()
        .any(|&b| b < 0x20 && b != b'\n' && b != b'\t');
    assert!(!raw, "{}", String::from_utf8_lossy(&output.stdout));
    assert_cmd_snapshot!(
        qualify().args(["check", "tests/fixtures/diagnostics/control_chars.qual"])
    );
}

#[test]
fn control_characters_in_rule_text_keep_json_valid() {
    let mut cmd = qualify();
    cmd.args([
        "check",
        "--error-format",
        "json",
        "tests/fixtures/diagnostics/control_chars.qual",
    ]);
    let values = json_lines(&run(&mut cmd));
    assert_eq!(values.len(), 3);
    assert_cmd_snapshot!(cmd);
}

fn check_control_keys(format: &str) -> Command {
    let mut cmd = qualify();
    cmd.args([
        "check",
        "--error-format",
        format,
        "rules/profiles.qual",
        "rules/pa_38480.qual",
        "tests/fixtures/diagnostics/control_keys.json",
    ]);
    cmd
}

#[test]
fn control_characters_in_applicant_keys_keep_json_valid() {
    let values = json_lines(&run(&mut check_control_keys("json")));
    let messages: Vec<&str> = values
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "unknown key `nam\u{1b}e` in the applicant file",
            "unknown key `\u{0}\u{1}\u{b}` in the applicant file"
        ]
    );
    assert_cmd_snapshot!(check_control_keys("json"));
}

#[test]
fn control_characters_in_applicant_keys_are_shown_escaped() {
    assert_cmd_snapshot!(check_control_keys("plain"));
}

/// `eval` or `explain` of the example applicant with extra arguments and an error format.
fn query(command: &str, format: &str, args: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.args([command, APPLICANT, "--error-format", format]);
    cmd.args(args);
    cmd
}

const UNKNOWN_CLASS: [&str; 4] = ["--class", "K9909", "--as-of", "2024-06-30"];
const UNKNOWN_LEVEL: [&str; 6] = ["--class", "K9099", "--level", "Z", "--as-of", "2024-06-30"];
const NOT_IN_FORCE: [&str; 4] = ["--class", "K9099", "--as-of", "2000-01-01"];

#[test]
fn refused_queries_carry_their_code_in_json() {
    for (command, args, code) in [
        ("explain", &UNKNOWN_CLASS[..], "Q116"),
        ("eval", &UNKNOWN_CLASS[..], "Q116"),
        ("explain", &UNKNOWN_LEVEL[..], "Q117"),
        (
            "eval",
            &["--level", "Z", "--as-of", "2024-06-30"][..],
            "Q117",
        ),
        ("explain", &NOT_IN_FORCE[..], "Q118"),
        ("eval", &NOT_IN_FORCE[..], "Q118"),
    ] {
        for format in [&["--format", "json"][..], &[][..]] {
            let output = run(query(command, "json", args).args(format));
            assert_eq!(output.status.code(), Some(1), "{command} {args:?}");
            assert!(output.stdout.is_empty());
            let values = json_lines(&output);
            assert_eq!(values.len(), 1, "{command} {args:?}");
            assert_eq!(values[0]["code"], code, "{command} {args:?}");
            assert_eq!(values[0]["severity"], "error");
            assert!(values[0].get("filename").is_none());
        }
    }
}

#[test]
fn unknown_class_in_each_error_format() {
    assert_cmd_snapshot!(query("explain", "human", &UNKNOWN_CLASS));
    assert_cmd_snapshot!(query("explain", "plain", &UNKNOWN_CLASS));
    assert_cmd_snapshot!(query("explain", "json", &UNKNOWN_CLASS));
}

#[test]
fn unknown_level_in_each_error_format() {
    assert_cmd_snapshot!(query("eval", "human", &UNKNOWN_LEVEL));
    assert_cmd_snapshot!(query("eval", "plain", &UNKNOWN_LEVEL));
    assert_cmd_snapshot!(query("eval", "json", &UNKNOWN_LEVEL));
}

#[test]
fn no_version_in_force_in_each_error_format() {
    assert_cmd_snapshot!(query("explain", "human", &NOT_IN_FORCE));
    assert_cmd_snapshot!(query("explain", "plain", &NOT_IN_FORCE));
    assert_cmd_snapshot!(query("explain", "json", &NOT_IN_FORCE));
}

/// The JSON example in `docs/diagnostics.md` is what `check` prints.
#[test]
fn documented_json_diagnostic_is_what_check_prints() {
    let docs = std::fs::read_to_string("docs/diagnostics.md").unwrap();
    let section = docs.split("## Diagnostics as JSON").nth(1).unwrap();
    let example = section.split("```json\n").nth(1).unwrap();
    let example = example.split("```").next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("applicant.toml"),
        "nmae = \"Lee Park\"\nid = \"X\"\n",
    )
    .unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let output = qualify()
        .current_dir(dir.path())
        .args(["check", "--error-format", "json"])
        .arg(rules.join("profiles.qual"))
        .arg(rules.join("pa_38480.qual"))
        .arg("applicant.toml")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), example);
    json_lines(&output);
}

/// Whether `bytes` hold a control character other than a line feed.
fn has_raw_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| (b < 0x20 && b != b'\n') || b == 0x7f)
}

#[test]
fn control_characters_in_rule_titles_are_shown_escaped_by_eval_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    shipped_rules_with_line_ending(dir.path(), "\n");
    let k9099 = dir.path().join("k9099.qual");
    let text = std::fs::read_to_string(&k9099).unwrap();
    let title = "Technical Workers, All Other";
    assert!(text.contains(title));
    std::fs::write(
        &k9099,
        text.replace(title, "Technical Workers,\u{1b}[2J All Other\u{7}"),
    )
    .unwrap();
    let rules = dir.path().to_str().unwrap();
    let as_of = ["--as-of", "2024-06-30", "--rules", rules];
    let eval = run(qualify().args(["eval", APPLICANT]).args(as_of));
    let explain = run(qualify()
        .args(["explain", APPLICANT, "--class", "K9099"])
        .args(as_of));
    for output in [&eval, &explain] {
        assert_eq!(output.status.code(), Some(0));
        assert!(!has_raw_control(&output.stdout));
    }
    let tree = String::from_utf8(explain.stdout).unwrap();
    assert!(
        tree.contains("Technical Workers,\\u{1b}[2J All Other\\u{7}"),
        "{tree}"
    );
    let json = run(qualify()
        .args(["explain", APPLICANT, "--class", "K9099", "--format", "json"])
        .args(as_of));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let title = value["classes"][0]["title"].as_str().unwrap();
    assert!(title.contains("Workers,\u{1b}[2J All Other\u{7}"));
}

/// A diagnostic's message quoting what a file holds (an unknown key with a line break) stays
/// on one line in the human and plain renderings; JSON keeps it exact.
#[test]
fn a_message_quoting_a_line_break_stays_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    std::fs::write(&path, "{\"id\":\"x\",\"a\\nFAKE: ok\":1}").unwrap();
    for format in ["human", "plain"] {
        let out = run(qualify()
            .args(["--error-format", format, "eval"])
            .arg(&path)
            .args(["--class", "K9099"]));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("unknown key `a\\nFAKE: ok`"),
            "{format}: {stderr}"
        );
        assert!(
            !stderr.lines().any(|l| l.starts_with("FAKE")),
            "{format}: {stderr}"
        );
    }
    let out = run(qualify()
        .args(["--error-format", "json", "eval"])
        .arg(&path)
        .args(["--class", "K9099"]));
    let lines = json_lines(&out);
    assert_eq!(
        lines[0]["message"],
        "unknown key `a\nFAKE: ok` in the applicant file"
    );
}

/// `check` of `files` in an error format.
fn check_in(format: &str, files: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.args(["check", "--error-format", format]).args(files);
    cmd
}

/// The label sentences `plain` should give for the JSON diagnostics of a run: each
/// diagnostic's labels in the order of their offsets, at JSON's line and column, the last
/// column being that of the label's last character.
fn plain_labels_from_json(values: &[serde_json::Value]) -> Vec<String> {
    let mut sentences = Vec::new();
    for value in values {
        let mut labels: Vec<&serde_json::Value> =
            value["labels"].as_array().unwrap().iter().collect();
        labels.sort_by_key(|label| label["span"]["offset"].as_u64().unwrap());
        for label in labels {
            let span = &label["span"];
            let at = |key: &str| span[key].as_u64().unwrap();
            assert_eq!(at("line"), at("end_line"), "{value}");
            let (line, column, last) = (at("line"), at("column"), at("end_column") - 1);
            let mut sentence = if at("length") == 0 || last == column {
                format!("label at line {line}, column {column}")
            } else {
                format!("label at line {line}, columns {column} to {last}")
            };
            if let Some(text) = label["label"].as_str() {
                sentence.push_str(&format!(": {text}"));
            }
            sentences.push(sentence);
        }
    }
    sentences
}

/// Every label of `check` of `files` is at the same line and column in JSON and in `plain`,
/// and the primary label of each diagnostic at the same line and column in JSON and in the
/// header of `human` (`╭─[file:line:column]`).
fn positions_agree(files: &[&str]) {
    let json = json_lines(&run(&mut check_in("json", files)));
    let json: Vec<serde_json::Value> = json
        .into_iter()
        .filter(|value| value.get("labels").is_some())
        .collect();
    assert!(!json.is_empty());
    let plain = String::from_utf8(run(&mut check_in("plain", files)).stdout).unwrap();
    let told: Vec<&str> = plain
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with("label "))
        .collect();
    assert_eq!(told, plain_labels_from_json(&json), "{plain}");
    let human = String::from_utf8(run(&mut check_in("human", files)).stdout).unwrap();
    let headers: Vec<String> = human
        .lines()
        .filter_map(|line| line.split_once("╭─[").map(|(_, rest)| rest))
        .filter_map(|rest| rest.strip_suffix(']'))
        .map(str::to_owned)
        .collect();
    let expected: Vec<String> = json
        .iter()
        .filter(|value| !value["labels"].as_array().unwrap().is_empty())
        .map(|value| {
            let span = &value["labels"][0]["span"];
            format!(
                "{}:{}:{}",
                value["filename"].as_str().unwrap(),
                span["line"],
                span["column"]
            )
        })
        .collect();
    assert_eq!(headers, expected, "{human}");
}

/// `check` of `files` in every error format, kept as snapshots named `case` and the format.
macro_rules! snapshot_every_format {
    ($case:expr, $files:expr) => {
        for format in ["human", "plain", "json"] {
            insta::with_settings!({ snapshot_suffix => format!("{}_{format}", $case) }, {
                assert_cmd_snapshot!(check_in(format, $files));
            });
        }
    };
}

const WIDE: [&str; 1] = ["tests/fixtures/diagnostics/wide_chars.qual"];
const LONG_LINE: [&str; 1] = ["tests/fixtures/diagnostics/long_line.qual"];
const END_OF_FILE: [&str; 1] = ["tests/fixtures/diagnostics/end_of_file.qual"];
const END_OF_FILE_NO_LINE_BREAK: [&str; 1] =
    ["tests/fixtures/diagnostics/end_of_file_no_line_break.qual"];
const BYTE_ORDER_MARK: [&str; 1] = ["tests/fixtures/diagnostics/byte_order_mark.qual"];
const BYTE_ORDER_MARK_APPLICANT: [&str; 3] = [
    "rules/profiles.qual",
    "rules/pa_38480.qual",
    "tests/fixtures/diagnostics/byte_order_mark.json",
];

/// `漢字😀` before a label are three columns, though a terminal draws them six wide.
#[test]
fn wide_characters_are_one_column_each_in_every_format() {
    positions_agree(&WIDE);
    snapshot_every_format!("wide", &WIDE);
}

/// A label near the end of a line of 2,000 characters: `plain` shows the line from about
/// 240 bytes before it, and still counts its columns from the start of the line.
#[test]
fn a_long_line_keeps_its_columns_in_every_format() {
    positions_agree(&LONG_LINE);
    let plain = String::from_utf8(run(&mut check_in("plain", &LONG_LINE)).stdout).unwrap();
    assert!(
        plain.contains("label at line 28, columns 2057 to 2068"),
        "{plain}"
    );
    snapshot_every_format!("long_line", &LONG_LINE);
}

/// A class left open at the end of a file: after a final line break the label is on the
/// next line, column 1; without one, just after the last character. Both formats for people
/// show the label's text.
#[test]
fn the_end_of_a_file_is_placed_alike_in_every_format() {
    for files in [&END_OF_FILE, &END_OF_FILE_NO_LINE_BREAK] {
        positions_agree(files);
        let human = String::from_utf8(run(&mut check_in("human", files)).stdout).unwrap();
        assert!(human.contains("╰── expected `level`"), "{human}");
    }
    snapshot_every_format!("line_break", &END_OF_FILE);
    snapshot_every_format!("no_line_break", &END_OF_FILE_NO_LINE_BREAK);
}

/// A byte-order mark at the start of a rule file and of an applicant file is one column:
/// the first character after it is column 2.
#[test]
fn a_byte_order_mark_is_one_column_in_every_format() {
    positions_agree(&BYTE_ORDER_MARK);
    positions_agree(&BYTE_ORDER_MARK_APPLICANT);
    snapshot_every_format!("rules", &BYTE_ORDER_MARK);
    snapshot_every_format!("applicant", &BYTE_ORDER_MARK_APPLICANT);
}

/// A control character before a label on its line is shown as an escape (`\u{1b}`) but is
/// one column, as in JSON.
#[test]
fn an_escaped_control_character_is_one_column_in_every_format() {
    let files = ["tests/fixtures/diagnostics/control_char_before_label.qual"];
    positions_agree(&files);
    snapshot_every_format!("escape", &files);
}

/// The labels of the other fixtures are placed alike in every format too.
#[test]
fn every_format_agrees_on_the_other_fixtures() {
    positions_agree(&["tests/fixtures/diagnostics/control_chars.qual"]);
    positions_agree(&["tests/fixtures/diagnostics/cr_only.qual"]);
    positions_agree(&["tests/fixtures/check/many_independent_mistakes.qual"]);
}

/// The fixture of thirteen independent mistakes with every line ending a lone `\r`, or
/// `\r\n`: the same mistakes at the same lines and columns as with `\n`. A syntax error in
/// a class used to hide the class's other mistakes when lines ended with a lone `\r`.
#[test]
fn every_mistake_is_reported_whatever_the_line_endings() {
    let fixture = "tests/fixtures/check/many_independent_mistakes.qual";
    let found = |path: &str| {
        places(&run(qualify().args([
            "check",
            path,
            "--error-format",
            "json",
        ])))
    };
    let with_line_feeds = found(fixture);
    assert!(with_line_feeds.len() >= 13, "{with_line_feeds:?}");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture)).unwrap();
    for ending in ["\r", "\r\n"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mistakes.qual");
        std::fs::write(&path, text.replace('\n', ending)).unwrap();
        assert_eq!(
            found(path.to_str().unwrap()),
            with_line_feeds,
            "line ending {ending:?}"
        );
    }
}

/// A class statement written inside a level (`source "x"`): reading the class again around
/// it used to report the same error at `minimum` four times over. No two diagnostics of a
/// run share their code and place.
#[test]
fn no_error_is_reported_twice_at_one_place() {
    let rules = "profile p {\n  jurisdiction \"J\"\n  credential high_school \"HS\" worth 0 years\n  \
                 a year of education is 30 semester credits\n  full time is 40 hours per week\n  \
                 overlapping jobs are summed up to full time\n  several degrees count the highest only\n}\n\
                 experience program_experience \"Programs\"\n\
                 class X1 \"C1\" {\n  profile p\n  source \"example.txt\"\n  established 2020-01-01\n  \
                 level B code \"X1B\" band 50 {\n    source \"x\"\n    \
                 minimum: high_school and 3 years of program_experience\n    \
                 recommended: high_school and 4 years of program_experience\n  }\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("misplaced.qual");
    std::fs::write(&path, rules).unwrap();
    let output = run(qualify().args(["check", path.to_str().unwrap(), "--error-format", "json"]));
    let places = places(&output);
    let unique: std::collections::BTreeSet<_> = places.iter().collect();
    assert_eq!(unique.len(), places.len(), "{places:?}");
    assert_eq!(
        places.first().map(|p| (p.1, p.2)),
        Some((15, 5)),
        "{places:?}"
    );
}
