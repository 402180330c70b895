//! `qualify screen` through the real binary: every output format, the summary, a pool with
//! bad applicants mixed in, stdin, `--output`, and the same bytes whatever the threads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use cli_support::qualify;

use std::process::{Command, Stdio};

use insta_cmd::assert_cmd_snapshot;

/// The evaluation date of every snapshot, so that current jobs end on a fixed day.
const AS_OF: &str = "2024-06-30";
const POOL: &str = "examples/pool.jsonl";
const MIXED: &str = "tests/fixtures/screen/mixed_pool.jsonl";

/// Content hashes change with every edit to the rules, and decision ids with them; the
/// snapshots show where they go, not their values.
macro_rules! snapshot {
    ($cmd:expr) => {
        insta::with_settings!({filters => vec![
            (r"\b[0-9a-f]{64}\b", "[hash]"),
            (r"\bd-[0-9a-f]{16}\b", "[decision-id]"),
            (r#""qualify":"[0-9.]+""#, r#""qualify":"[version]""#),
        ]}, {
            assert_cmd_snapshot!($cmd);
        })
    };
}

fn screen(pool: &str, extra: &[&str]) -> Command {
    let mut cmd = qualify();
    cmd.args(["screen", pool, "--as-of", AS_OF]);
    cmd.args(extra);
    cmd
}

/// Runs `command` with `input` on its standard input.
fn with_stdin(command: &mut Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `qualify replay RECORDS examples/pool.jsonl`.
fn replay(records: &std::path::Path) -> std::process::Output {
    qualify()
        .arg("replay")
        .arg(records)
        .arg(POOL)
        .output()
        .unwrap()
}

#[test]
fn table_of_one_class_ends_with_the_summary() {
    snapshot!(screen(POOL, &["--class", "K9099"]));
}

#[test]
fn csv_has_a_row_per_tier() {
    snapshot!(screen(POOL, &["--class", "K9099", "--format", "csv"]));
}

#[test]
fn jsonl_record_of_one_level() {
    let out = screen(
        POOL,
        &["--class", "K9099", "--level", "O", "--format", "jsonl"],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 12);
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["record"], "qualify-decision/3");
    }
    let first = text.lines().next().unwrap().to_owned();
    insta::with_settings!({filters => vec![
        (r"\b[0-9a-f]{64}\b", "[hash]"),
        (r"\bd-[0-9a-f]{16}\b", "[decision-id]"),
        (r#""qualify":"[0-9.]+""#, r#""qualify":"[version]""#),
    ]}, {
        insta::assert_snapshot!(first);
    });
}

#[test]
fn every_shipped_record_stays_under_its_size_target() {
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.len() < 6 * 1024, "record of {} bytes", line.len());
    }
}

#[test]
fn summary_alone() {
    snapshot!(screen(
        POOL,
        &["--summary", "--format", "json", "--class", "38480"]
    ));
}

#[test]
fn summary_after_jsonl_goes_to_stderr() {
    snapshot!(screen(
        POOL,
        &[
            "--summary",
            "--format",
            "jsonl",
            "--class",
            "G1099",
            "--level",
            "B"
        ]
    ));
}

#[test]
fn bad_applicants_get_error_records_and_the_run_goes_on() {
    snapshot!(screen(
        MIXED,
        &["--class", "K9099", "--level", "O", "--format", "jsonl"]
    ));
}

#[test]
fn bad_applicants_in_the_table_and_csv() {
    snapshot!(screen(MIXED, &["--class", "K9099", "--level", "B"]));
    snapshot!(screen(
        MIXED,
        &["--class", "K9099", "--level", "B", "--format", "csv"]
    ));
}

#[test]
fn a_folder_of_applicant_files() {
    snapshot!(screen(
        "examples/applicants",
        &["--class", "38480", "--format", "csv"]
    ));
}

#[test]
fn stdin_is_read_as_json_lines() {
    let pool = std::fs::read(POOL).unwrap();
    let from_file = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    let from_stdin = with_stdin(&mut screen("-", &["--format", "jsonl"]), &pool);
    assert!(from_stdin.status.success());
    let file_text = String::from_utf8(from_file.stdout).unwrap();
    let stdin_text = String::from_utf8(from_stdin.stdout).unwrap();
    // The same records but for the source's name.
    assert_eq!(
        file_text.replace(r#""file":"examples/pool.jsonl""#, r#""file":"-""#),
        stdin_text
    );
}

#[test]
fn output_file_is_written_whole_and_the_summary_goes_to_stdout() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("records.jsonl");
    let out = screen(
        POOL,
        &[
            "--format",
            "jsonl",
            "--summary",
            "--output",
            path.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written.lines().count(), 12);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("summary: 12 applicants, 12 screened"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, "screened 12 applicants: all evaluated\n");
}

/// The records of the shipped pool, as `--output` receives them.
fn records_to(target: &std::path::Path) -> std::process::Output {
    screen(
        POOL,
        &["--format", "jsonl", "--output", target.to_str().unwrap()],
    )
    .output()
    .unwrap()
}

#[cfg(unix)]
#[test]
fn output_through_a_link_replaces_its_target_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("records.jsonl");
    std::fs::write(&target, "old\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = folder.path().join("latest.jsonl");
    std::os::unix::fs::symlink("records.jsonl", &link).unwrap();
    let out = records_to(&link);
    assert!(out.status.success());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(written.lines().count(), 12);
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn output_to_a_device_or_a_pipe_writes_into_it_and_leaves_it_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let out = records_to(std::path::Path::new("/dev/null"));
    assert!(out.status.success());
    let kind = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is still the device");

    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("records.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = records_to(&fifo);
    assert!(out.status.success());
    assert_eq!(reader.join().unwrap().lines().count(), 12);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_to_a_folder_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let out = records_to(folder.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("not a regular file (Q"), "{stderr}");
    assert!(folder.path().is_dir());
}

/// A pool larger than one batch, with bad lines among good ones.
fn large_pool(folder: &std::path::Path) -> std::path::PathBuf {
    let good = std::fs::read_to_string(POOL).unwrap();
    let mixed = std::fs::read_to_string(MIXED).unwrap();
    let mut text = String::new();
    for round in 0..120 {
        for (i, line) in good.lines().chain(mixed.lines()).enumerate() {
            text.push_str(&line.replacen(r#""id":""#, &format!(r#""id":"{round}-{i}-"#), 1));
            text.push('\n');
        }
    }
    let path = folder.join("large.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn output_bytes_are_the_same_whatever_the_threads() {
    let folder = tempfile::tempdir().unwrap();
    let pool = large_pool(folder.path());
    let pool = pool.to_str().unwrap();
    for format in ["jsonl", "csv", "table"] {
        let run = |threads: &str| {
            screen(
                pool,
                &["--format", format, "--summary", "--threads", threads],
            )
            .output()
            .unwrap()
        };
        let one = run("1");
        assert_eq!(one.status.code(), Some(1));
        let many = run("3");
        assert_eq!(many.status.code(), Some(1));
        assert!(one.stdout == many.stdout, "{format} differs with 3 threads");
        assert_eq!(one.stderr, many.stderr);
    }
}

#[test]
fn usage_errors_exit_two() {
    snapshot!(screen(POOL, &["--threads", "0"]));
    snapshot!(screen(POOL, &["--format", "json"]));
    snapshot!(screen(POOL, &["--notices", "out"]));
    snapshot!(screen("no/such/pool.jsonl", &[]));
    snapshot!(screen(
        POOL,
        &["--against-as-of", "2025-01-01", "--format", "jsonl"]
    ));
    snapshot!(screen(POOL, &["--threads", "100000"]));
}

/// Records of the example pool, with some tampered: a decision changed, an applicant's
/// hash changed, a record made under other rules, and a line that is no record.
#[test]
fn replay_confirms_records_and_names_each_tampered_one() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(
        POOL,
        &["--format", "jsonl", "--class", "K9099", "--level", "B"],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replacen(r#""met":false"#, r#""met":true"#, 1);
    let hash = lines[2].find(r#""sha256":"sha256:"#).unwrap() + 17;
    lines[2].replace_range(hash..hash + 4, "0000");
    let rules = lines[3].find(r#""rules_hash":""#).unwrap() + 14;
    lines[3].replace_range(rules..rules + 4, "0000");
    lines.insert(5, "{\"record\":\"something else\"}".to_owned());
    std::fs::write(folder.path().join("records.jsonl"), lines.join("\n") + "\n").unwrap();
    std::fs::create_dir(folder.path().join("examples")).unwrap();
    std::fs::copy(POOL, folder.path().join(POOL)).unwrap();
    std::fs::create_dir(folder.path().join("rules")).unwrap();
    for rules in std::fs::read_dir("rules").unwrap() {
        let rules = rules.unwrap().path();
        if rules.extension().is_some_and(|e| e == "qual") {
            std::fs::copy(&rules, folder.path().join(&rules)).unwrap();
        }
    }
    let mut cmd = qualify();
    cmd.current_dir(folder.path());
    cmd.args(["replay", "records.jsonl", POOL]);
    snapshot!(cmd);
}

#[test]
fn a_rule_change_lists_every_flip_with_its_clauses() {
    snapshot!(screen(
        POOL,
        &[
            "--class",
            "K9099",
            "--against",
            "tests/fixtures/screen/rules_k9099_two_years"
        ]
    ));
}

#[test]
fn two_versions_of_a_class_by_date() {
    let mut cmd = qualify();
    cmd.args([
        "screen",
        "tests/fixtures/screen/versions_pool.jsonl",
        "--rules",
        "tests/fixtures/versions",
        "--as-of",
        "2019-06-30",
        "--against-as-of",
        "2021-06-30",
    ]);
    snapshot!(cmd);
}

/// The identifiers the shipped rules use for field sets, categories, credentials and
/// profiles: none may appear in a notice.
fn rule_identifiers() -> Vec<String> {
    let mut names = Vec::new();
    for rules in std::fs::read_dir("rules").unwrap() {
        let rules = rules.unwrap().path();
        if rules.extension().is_none_or(|e| e != "qual") {
            continue;
        }
        let text = std::fs::read_to_string(rules).unwrap();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["fields" | "experience" | "profile", name, ..] => names.push(name.to_string()),
                ["credential", name, ..] => names.push(name.to_string()),
                _ => {}
            }
        }
    }
    names.retain(|n| n.contains('_'));
    assert!(names.len() > 5, "{names:?}");
    names
}

#[test]
fn notices_in_text_and_html() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let out = screen(
        POOL,
        &[
            "--class",
            "K9099",
            "--level",
            "O",
            "--format",
            "jsonl",
            "--notices",
            notices.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = String::from_utf8(out.stdout).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&notices)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 24, "{names:?}");
    let identifiers = rule_identifiers();
    let fraction = regex_lite_fraction();
    for name in &names {
        let text = std::fs::read_to_string(notices.join(name)).unwrap();
        for identifier in &identifiers {
            assert!(
                !text.contains(identifier.as_str()),
                "{name} names {identifier}"
            );
        }
        assert!(!fraction(&text), "{name} has a fraction");
        // The decision record's id is in the notice, and it is the record's.
        let id = text.split("decision record: ").nth(1).unwrap();
        let id = &id[..18];
        assert!(records.contains(&format!(r#""id":"{id}""#)), "{name}: {id}");
        if name.ends_with(".html") {
            well_formed(&text);
        }
    }
    let filters = vec![
        (r"\b[0-9a-f]{64}\b", "[hash]"),
        (r"\bd-[0-9a-f]{16}\b", "[decision-id]"),
        (r"qualify [0-9]+\.[0-9]+\.[0-9]+", "qualify [version]"),
    ];
    for name in ["000005-K-0002", "000008-K-0003"] {
        for extension in ["txt", "html"] {
            let text =
                std::fs::read_to_string(notices.join(format!("{name}.{extension}"))).unwrap();
            insta::with_settings!({filters => filters.clone(), snapshot_suffix => format!("{name}_{extension}")}, {
                insta::assert_snapshot!(text);
            });
        }
    }
}

/// Whether `text` holds a fraction such as `15/2`.
fn regex_lite_fraction() -> impl Fn(&str) -> bool {
    |text: &str| {
        let bytes = text.as_bytes();
        bytes
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2].is_ascii_digit())
    }
}

/// Parses the page with an XML reader: every element closed, in order.
fn well_formed(html: &str) {
    let body = html.strip_prefix("<!DOCTYPE html>").unwrap().trim_start();
    let mut reader = quick_xml::Reader::from_str(body);
    let mut open = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => open.push(e.name().as_ref().to_vec()),
            quick_xml::events::Event::End(e) => {
                assert_eq!(open.pop().as_deref(), Some(e.name().as_ref()));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty());
}

#[test]
fn selection_rates_by_group() {
    snapshot!(screen(
        POOL,
        &[
            "--by-group",
            "--class",
            "K9099",
            "--format",
            "table",
            "--level",
            "O"
        ]
    ));
    snapshot!(screen(
        POOL,
        &[
            "--by-group",
            "--format",
            "json",
            "--class",
            "K9099",
            "--level",
            "B"
        ]
    ));
}

/// The group an applicant gives changes nothing in its evaluation: every line of the pool,
/// screened with its group, with another group and with none, gives the same record but
/// for the applicant's content hash and the record id made from it.
#[test]
fn evaluation_never_sees_the_group() {
    let folder = tempfile::tempdir().unwrap();
    let pool = std::fs::read_to_string(POOL).unwrap();
    assert!(pool.lines().all(|l| l.contains(r#""group":"#)));
    let variants = [
        pool.clone(),
        pool.replace(r#""group":"group A""#, r#""group":"group B""#),
        pool.replace(r#""group":"group A","#, "")
            .replace(r#""group":"group B","#, ""),
    ];
    let strip = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("id");
                v["applicant"].as_object_mut().unwrap().remove("sha256");
                v
            })
            .collect()
    };
    let mut outputs = Vec::new();
    for (i, variant) in variants.iter().enumerate() {
        let path = folder.path().join(format!("pool{i}.jsonl"));
        std::fs::write(&path, variant).unwrap();
        let out = qualify()
            .args([
                "screen",
                path.to_str().unwrap(),
                "--as-of",
                AS_OF,
                "--format",
                "jsonl",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .replace(&format!("pool{i}.jsonl"), "pool");
        outputs.push(strip(&text));
    }
    assert_ne!(variants[0], variants[2]);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

/// Every `$ qualify screen …` example of the README and `docs/screening.md`: run as
/// written, each line shown (but `...`) is a line of its output or its stderr.
#[test]
fn documented_examples_are_true() {
    let mut checked = 0;
    for doc in ["README.md", "docs/screening.md"] {
        let text = std::fs::read_to_string(doc).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(command) = line.strip_prefix("$ qualify screen ") else {
                continue;
            };
            let mut cmd = qualify();
            cmd.arg("screen").args(command.split_whitespace());
            let out = cmd.output().unwrap();
            let shown =
                String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
            let shown: Vec<&str> = shown.lines().collect();
            for expected in lines.by_ref().take_while(|l| !l.starts_with("```")) {
                if expected != "..." {
                    assert!(
                        shown.contains(&expected),
                        "{doc}: `{command}` does not show\n{expected}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "{checked}");
}

/// The JSON Lines example of `docs/applicant.md` is a pool that reads without a diagnostic.
#[test]
fn documented_json_lines_pool_reads() {
    let text = std::fs::read_to_string("docs/applicant.md").unwrap();
    let section = text.split("## JSON Lines pools").nth(1).unwrap();
    let block = section.split("```").nth(1).unwrap();
    let lines: Vec<&str> = block.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(lines.len(), 2);
    let input = lines.join("\n") + "\n";
    let out = with_stdin(&mut screen("-", &["--format", "jsonl"]), input.as_bytes());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "screened 2 applicants: all evaluated\n"
    );
    assert!(out.status.success());
}

/// A line longer than an applicant file may be is refused as too large, and the lines
/// after it are read.
#[test]
fn an_overlong_line_is_an_error_record() {
    let folder = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(POOL).unwrap();
    let first = good.lines().next().unwrap();
    let long = format!("{{\"name\":\"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let path = folder.path().join("long.jsonl");
    std::fs::write(&path, format!("{first}\n{long}\n{first}\n")).unwrap();
    let out = screen(
        path.to_str().unwrap(),
        &["--format", "jsonl", "--class", "K9099"],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].contains(r#""classes":"#));
    assert!(
        lines[1].contains(r#""errors":[{"code":"Q005""#),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains(r#""classes":"#));
    assert!(lines[2].contains(r#""line":3"#));
}

/// A second run replaces each notice whole and keeps the mode a notice was given.
#[test]
fn notices_written_again_replace_the_old_ones_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let run = || {
        let args = ["--class", "K9099", "--level", "O", "--format", "jsonl"];
        let mut command = screen(POOL, &args);
        let out = command.arg("--notices").arg(&notices).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run();
    let one = notices.join("000001-G-0003.txt");
    let first = std::fs::read_to_string(&one).unwrap();
    std::fs::write(&one, "stale").unwrap();
    std::fs::set_permissions(&one, std::fs::Permissions::from_mode(0o640)).unwrap();
    run();
    assert_eq!(std::fs::read_to_string(&one).unwrap(), first);
    let mode = std::fs::metadata(&one).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        std::fs::read_dir(&notices).unwrap().count(),
        24,
        "no temporary file is left"
    );
}

/// A JSON Lines pool or a file of records that is a device or a pipe is refused (Q007,
/// exit 2) before anything is read: `/dev/zero` is one line without end, and a FIFO waits
/// for a writer. A stream is given as `-`.
#[test]
fn a_pool_or_records_that_is_no_regular_file_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let zero = folder.path().join("zero.jsonl");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let fifo = folder.path().join("records.jsonl");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let zero_name = zero.to_str().unwrap();
    let out = screen(zero_name, &["--format", "jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Q007") && stderr.contains("a device"),
        "{stderr}"
    );
    for (records, kind) in [(&fifo, "a named pipe"), (&zero, "a device")] {
        let out = replay(records);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("Q007") && stderr.contains(kind), "{stderr}");
    }
}

/// A line of a records file longer than any record is reported as no record, and the lines
/// after it are still replayed.
#[test]
fn an_overlong_line_of_records_is_no_record_and_the_rest_are_replayed() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    let mut records = vec![b'x'; 17 * 1024 * 1024];
    records.push(b'\n');
    records.extend_from_slice(&out.stdout);
    let path = folder.path().join("records.jsonl");
    std::fs::write(&path, records).unwrap();
    let out = replay(&path);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("record 1: not a decision record: longer than 16777216 bytes\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("13 records: 12 the same, 1 not confirmed\n"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// In CSV, `line` is the applicant's line in a JSON Lines pool and empty for an applicant
/// file, on an error row as on every other; the diagnostic's own line is in its text.
#[test]
fn an_error_row_of_an_applicant_file_has_no_pool_line() {
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"id\": \"X-1\",\n  \"experience\": 7\n}\n").unwrap();
    let out = screen(bad.to_str().unwrap(), &["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[0], bad.to_str().unwrap());
    assert_eq!(&row[1], "");
    assert_eq!(&row[6], "error");
    assert!(row[8].starts_with("3:17: Q303: "), "{row:?}");
}

/// `--output` naming a file of the pool, directly or through a link, is refused before
/// anything is written: the records would replace the applicants they are made from.
#[test]
fn output_over_a_file_of_the_pool_is_refused_and_the_pool_kept() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    std::fs::copy(POOL, &pool).unwrap();
    let link = folder.path().join("link.jsonl");
    std::os::unix::fs::symlink(&pool, &link).unwrap();
    let before = std::fs::read(&pool).unwrap();
    for output in [&pool, &link] {
        let out = screen(folder.path().to_str().unwrap(), &["--format", "jsonl"])
            .arg("--output")
            .arg(output)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("Q600") && stderr.contains("is a file of the pool"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&pool).unwrap(), before);
    }
    let rules = folder.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "qual") {
            std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
        }
    }
    let rule_file = rules.join("k9099.qual");
    let rule_text = std::fs::read(&rule_file).unwrap();
    let out = screen(POOL, &["--format", "jsonl"])
        .arg("--rules")
        .arg(&rules)
        .arg("--output")
        .arg(&rule_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is a rule file"), "{stderr}");
    assert_eq!(std::fs::read(&rule_file).unwrap(), rule_text);
}

/// A record whose query the rules cannot answer (a class or level they do not have) is
/// reported with the reason, not as a difference in the applicant; a difference whose value
/// is long is shown cut.
#[test]
fn a_record_that_cannot_be_evaluated_again_says_why() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    let first = String::from_utf8(out.stdout).unwrap();
    let first = first.lines().next().unwrap();
    let mut unknown: serde_json::Value = serde_json::from_str(first).unwrap();
    unknown["classes_asked"] = serde_json::json!(["NOPE"]);
    let mut cut: serde_json::Value = serde_json::from_str(first).unwrap();
    cut.as_object_mut().unwrap().remove("classes");
    let path = folder.path().join("records.jsonl");
    std::fs::write(&path, format!("{unknown}\n{cut}\n")).unwrap();
    let out = replay(&path);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "examples/pool.jsonl:1: could not be evaluated again: Q116: no class has the code `NOPE`"
    );
    assert!(
        lines[1]
            .starts_with("examples/pool.jsonl:1: differs at classes: the record has null, now [{")
    );
    assert!(
        lines[1].ends_with('…') && lines[1].chars().count() < 300,
        "{}",
        lines[1]
    );
    assert_eq!(out.status.code(), Some(1));
}

/// A group name with a line break, a tab or control characters stays on its own line of the
/// selection rates, with them written as escapes.
#[test]
fn a_group_name_cannot_break_the_rates_report() {
    let lines = "{\"id\":\"a\",\"group\":\"one\\nfake line\\u001b[31m\"}\n{\"id\":\"b\",\"group\":\"two\\tb\"}\n";
    let args = [
        "--class",
        "K9099",
        "--level",
        "B",
        "--by-group",
        "--format",
        "table",
    ];
    let out = with_stdin(&mut screen("-", &args), lines.as_bytes());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rates = stdout.split("selection rates by group").nth(1).unwrap();
    assert!(rates.contains("\n  one\\nfake line\\u{1b}[31m "), "{rates}");
    assert!(rates.contains("\n  two\\tb "), "{rates}");
    assert!(!rates.contains("\nfake line"), "{rates}");
}

/// What an applicant wrote (name, id, job title) cannot add a line to their notice or to the
/// table, nor reach a terminal as a control sequence: line breaks and controls are escapes.
#[test]
fn an_applicants_own_words_cannot_forge_a_line_of_a_notice() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let line = r#"{"id":"a\nb","name":"Rosa\nYou meet the minimum qualifications.\u001b[2J","experience":[{"title":"Clerk\nFAKE","categories":["public_program_experience"],"start":"2020-01-01","end":"2021-01-01"}]}"#;
    let mut command = screen("-", &["--class", "K9099", "--level", "O"]);
    command.arg("--notices").arg(&notices);
    let out = with_stdin(&mut command, format!("{line}\n").as_bytes());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains(
            "applicant a\\nb (Rosa\\nYou meet the minimum qualifications.\\u{1b}[2J), as of"
        ),
        "{table}"
    );
    let text = std::fs::read_to_string(notices.join("000001-a_b.txt")).unwrap();
    let html = std::fs::read_to_string(notices.join("000001-a_b.html")).unwrap();
    for notice in [&text, &html] {
        assert!(
            !notice.lines().any(|l| l.starts_with("You meet")),
            "{notice}"
        );
        assert!(!notice.lines().any(|l| l.starts_with("FAKE")), "{notice}");
        assert!(!notice.contains('\u{1b}'), "{notice}");
        assert!(notice.contains("Clerk\\nFAKE"), "{notice}");
    }
    well_formed(&html);
}

/// An id or a file name with a line break stays on its line in the flips of a rule change,
/// the table's headings and the closing line.
#[test]
fn ids_and_file_names_cannot_forge_a_line_of_a_comparison() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    std::fs::write(
        &pool,
        r#"{"id":"X\nFAKE: met → not met","experience":[{"title":"t","categories":["public_program_experience"],"start":"2023-01-01"}],"education":[{"credential":"high_school","completed":"2010-01-01"}]}"#,
    )
    .unwrap();
    std::fs::write(folder.path().join("a\nFAKE.json"), "{").unwrap();
    let out = screen(folder.path().to_str().unwrap(), &["--class", "K9099"])
        .args(["--against", "tests/fixtures/screen/rules_k9099_two_years"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("pool.jsonl:1 X\\nFAKE: met → not met K9099 B minimum"),
        "{stdout}"
    );
    let table = screen(folder.path().to_str().unwrap(), &["--class", "K9099"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(table.stderr).unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    for text in [&stdout, &table, &stderr] {
        assert!(!text.lines().any(|l| l.starts_with("FAKE")), "{text}");
    }
    assert!(table.contains("a\\nFAKE.json\n"), "{table}");
}
