//! `qualify screen` through the real binary: every output format, the summary, a pool with
//! bad applicants mixed in, stdin, `--output`, and the same bytes whatever the threads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;
#[macro_use]
mod screen_support;

use cli_support::qualify;
use screen_support::*;
use std::process::Command;

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

/// A class asked twice in other letters is asked once: the record names it once, and the
/// decisions are those of asking it once.
#[test]
fn a_class_asked_twice_is_asked_once() {
    let once = screen(POOL, &["--class", "K9099", "--format", "jsonl"])
        .output()
        .unwrap();
    let twice = screen(
        POOL,
        &["--class", "K9099", "--class", "k9099", "--format", "jsonl"],
    )
    .output()
    .unwrap();
    assert!(twice.status.success());
    assert_eq!(once.stdout, twice.stdout);
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8(twice.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["classes_asked"], serde_json::json!(["K9099"]));
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

/// A byte-order mark may open a JSON Lines pool, alone on its line or before the first
/// applicant; at the start of a later line it is an error of that line alone.
#[test]
fn a_byte_order_mark_opens_a_pool_only() {
    let lines = "\u{feff}\n{\"id\":\"a\"}\n\u{feff}{\"id\":\"b\"}\n{\"id\":\"c\"}\n";
    let args = ["--class", "K9099", "--level", "B", "--format", "csv"];
    let out = with_stdin(&mut screen("-", &args), lines.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 5, "{stdout}");
    assert!(rows[0].starts_with("-,2,a,"), "{stdout}");
    assert!(
        rows[2].starts_with("-,3,,,,,error,,\"3:1: Q301: line 3 starts with a byte-order mark"),
        "{stdout}"
    );
    assert!(rows[3].starts_with("-,4,c,"), "{stdout}");
    let out = with_stdin(
        &mut screen("-", &args),
        "\u{feff}{\"id\":\"a\"}\n".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
}

/// With `--error-format json` every line of stderr is JSON, the summary among them.
#[test]
fn summary_on_stderr_is_json_with_json_errors() {
    let args = [
        "--summary",
        "--format",
        "csv",
        "--class",
        "K9099",
        "--error-format",
        "json",
    ];
    let out = screen(POOL, &args).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[0]["record"], "qualify-screen-summary/1");
    assert_eq!(lines[0]["applicants"], 12);
    assert_eq!(lines[1]["applicants"], 12);
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

/// A pool path that names nothing is a usage error (Q008, exit 2) whatever its name ends
/// in, for `screen` and for `replay`: never an applicant that could not be read.
#[test]
fn a_missing_pool_is_a_usage_error_whatever_its_name() {
    for missing in [
        "no/such/one.toml",
        "no/such/one.json",
        "no/such/folder/",
        "no_such",
    ] {
        let out = screen(missing, &[]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{missing}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("Q008"), "{missing}: {stderr}");
        assert!(out.stdout.is_empty(), "{missing}");
        let out = qualify()
            .args(["replay", "/dev/null", missing])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "replay {missing}");
    }
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
    // Ended by `\r\n`, which is no part of the line its hash covers.
    std::fs::write(&path, format!("{first}\n{long}\r\n{first}\n")).unwrap();
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
    // The error record's hash is of the whole line, not of the part kept: another line
    // with the same first mebibyte has another hash.
    use sha2::Digest;
    let whole: String = sha2::Sha256::digest(long.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        lines[1].contains(&format!("\"sha256\":\"sha256:{whole}\"")),
        "{}",
        &lines[1][..300]
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
    // Whatever its name ends in: a device with none, a named pipe named as an applicant.
    let named_pipe = folder.path().join("applicant.json");
    assert!(
        Command::new("mkfifo")
            .arg(&named_pipe)
            .status()
            .unwrap()
            .success()
    );
    for (pool, kind) in [
        ("/dev/zero", "a device"),
        (named_pipe.to_str().unwrap(), "a named pipe"),
    ] {
        let out = screen(pool, &["--format", "csv"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{pool}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("Q007") && stderr.contains(kind), "{stderr}");
    }
    for (records, kind) in [(&fifo, "a named pipe"), (&zero, "a device")] {
        let out = replay(records);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("Q007") && stderr.contains(kind), "{stderr}");
    }
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
    // A rule file of the rules compared with, as well.
    let out = screen(POOL, &["--rules", "rules", "--against"])
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

/// An applicant file whose name says no applicant format is refused as `eval` refuses it
/// (Q314), in its error record; the run goes on and exits 1.
#[test]
fn a_file_named_in_no_applicant_format_is_an_error_record() {
    let folder = tempfile::tempdir().unwrap();
    let text = folder.path().join("one.txt");
    let first = std::fs::read_to_string(POOL).unwrap();
    std::fs::write(&text, first.lines().next().unwrap()).unwrap();
    let out = screen(text.to_str().unwrap(), &["--format", "csv"])
        .arg(POOL)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8(out.stdout).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",error,") && row.contains("Q314"), "{csv}");
    assert!(row.contains("with `.txt`"), "{row}");
    assert!(
        csv.lines().count() > 10,
        "the pool after it is screened: {csv}"
    );
}

/// A lone carriage return inside a line of a JSON Lines pool is white space within that
/// line: a diagnostic after it is on the applicant's own line of the pool, its column
/// counted along the line.
#[test]
fn a_lone_carriage_return_keeps_a_diagnostic_on_its_pool_line() {
    let input = "{\"id\":\"a\",\r\"experience\":[{\"title\":\"t\",\"categories\":[\"nope\"],\"start\":\"2020-01-01\"}]}\n{\"id\":\"b\"}\n";
    let out = with_stdin(
        &mut screen(
            "-",
            &["--class", "K9099", "--level", "B", "--format", "jsonl"],
        ),
        input.as_bytes(),
    );
    let records = String::from_utf8(out.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(records.lines().next().unwrap()).unwrap();
    assert_eq!(first["source"]["line"], 1);
    assert_eq!(first["errors"][0]["code"], "Q307");
    assert_eq!(first["errors"][0]["line"], 1, "{first}");
    assert_eq!(first["errors"][0]["column"], 53, "{first}");
}

/// `--output -` is standard output, not a file named `-`; a read-only output file is
/// refused and kept.
#[test]
fn output_dash_is_stdout_and_a_read_only_output_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let out = qualify()
        .current_dir(folder.path())
        .arg("screen")
        .arg(std::fs::canonicalize(POOL).unwrap())
        .args([
            "--as-of", AS_OF, "--format", "csv", "--output", "-", "--rules",
        ])
        .arg(std::fs::canonicalize("rules").unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("file,line,")
    );
    assert!(!folder.path().join("-").exists());
    let kept = folder.path().join("records.jsonl");
    std::fs::write(&kept, "kept\n").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = screen(POOL, &["--format", "jsonl", "--output"])
        .arg(&kept)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "kept\n");
}

/// With `--error-format json`, every line of stderr is JSON, the closing line too.
#[test]
fn the_closing_line_is_json_with_json_errors() {
    let out = screen(
        MIXED,
        &[
            "--class",
            "K9099",
            "--format",
            "jsonl",
            "--error-format",
            "json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let last = stderr.lines().last().unwrap();
    let closing: serde_json::Value = serde_json::from_str(last).unwrap();
    assert!(closing["not_evaluated"].as_u64().unwrap() > 0, "{last}");
    // The first few sources are named, as in words.
    let named = closing["not_evaluated_at"].as_array().unwrap().len();
    assert!(
        named > 0 && named as u64 <= closing["not_evaluated"].as_u64().unwrap(),
        "{last}"
    );
    assert!(
        closing["message"]
            .as_str()
            .unwrap()
            .starts_with("screened "),
        "{last}"
    );
    for line in stderr.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}

/// `--output /dev/stdout` (and `/dev/fd/1`, `/proc/self/fd/1`) is standard output itself,
/// as `--output -` is: written into a pipe, and added to a file the shell opened with `>>`
/// rather than replacing it. Another descriptor's pipe (`/dev/stderr`) is written in place.
#[cfg(target_os = "linux")]
#[test]
fn output_to_dev_stdout_is_standard_output_whatever_it_is() {
    use std::process::Stdio;
    for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        let out = records_to(std::path::Path::new(name));
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 12);

        let folder = tempfile::tempdir().unwrap();
        let appended = folder.path().join("appended.txt");
        std::fs::write(&appended, "previous line\n").unwrap();
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&appended)
            .unwrap();
        let out = screen(POOL, &["--format", "csv", "--output", name])
            .stdout(Stdio::from(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&appended).unwrap();
        assert!(
            text.starts_with("previous line\nfile,line,"),
            "{name}: {text}"
        );
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }
    let out = records_to(std::path::Path::new("/dev/stderr"));
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.lines().count(),
        13,
        "the records, then the closing line"
    );
}

/// The pool read from standard input is a file of the pool: `--output` naming the file
/// standard input reads is refused (Q600) before anything is written.
#[test]
fn output_over_the_file_standard_input_reads_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    std::fs::copy(POOL, &pool).unwrap();
    let before = std::fs::read(&pool).unwrap();
    let out = screen("-", &["--format", "jsonl", "--output"])
        .arg(&pool)
        .stdin(std::fs::File::open(&pool).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Q600") && stderr.contains("standard input reads the pool from"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&pool).unwrap(), before);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    // Another file on standard input is screened into the output as ever.
    let records = folder.path().join("records.jsonl");
    let out = screen("-", &["--format", "jsonl", "--output"])
        .arg(&records)
        .stdin(std::fs::File::open(&pool).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&records).unwrap().lines().count(),
        12
    );
}

/// A file the user may not write is kept, though its mode says someone may write it and
/// its folder lets anyone replace it: as another user when the tests run as root (through
/// `setpriv`), else a file whose mode lets its group write it but not its owner.
#[cfg(target_os = "linux")]
#[test]
fn an_output_file_the_user_may_not_write_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let kept = folder.path().join("report.csv");
    std::fs::write(&kept, "kept\n").unwrap();
    let root = String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout)
        .unwrap()
        .trim()
        == "0";
    let mut command = if root {
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o644)).unwrap();
        let binary = std::fs::canonicalize(env!("CARGO_BIN_EXE_qualify")).unwrap();
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        command
    } else {
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o464)).unwrap();
        qualify()
    };
    let pool = std::env::temp_dir().join(format!("qualify-pool-{}.jsonl", std::process::id()));
    std::fs::copy(POOL, &pool).unwrap();
    std::fs::set_permissions(&pool, std::fs::Permissions::from_mode(0o644)).unwrap();
    let rules = std::fs::canonicalize("rules").unwrap();
    let out = command
        .current_dir(folder.path())
        .arg("screen")
        .arg(&pool)
        .args(["--as-of", AS_OF, "--format", "csv", "--rules"])
        .arg(&rules)
        .arg("--output")
        .arg(&kept)
        .output();
    std::fs::remove_file(&pool).unwrap();
    let Ok(out) = out else {
        eprintln!("skipped: setpriv is not available");
        return;
    };
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Q008") && stderr.contains("not writable by you"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "kept\n");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
}

/// Ctrl-C (SIGINT) or SIGTERM while the pool is still being read ends the run with a coded
/// message and status 130; the temporary output file is removed and the file `--output`
/// names is as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_its_output_as_it_was() {
    use std::io::Write;
    use std::process::Stdio;
    for signal in ["INT", "TERM"] {
        let folder = tempfile::tempdir().unwrap();
        let records = folder.path().join("records.jsonl");
        std::fs::write(&records, "old\n").unwrap();
        let mut child = screen("-", &["--format", "jsonl", "--output"])
            .arg(&records)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The pool's pipe stays open: the run waits for more applicants.
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&std::fs::read(POOL).unwrap()).unwrap();
        let started = std::time::Instant::now();
        while std::fs::read_dir(folder.path()).unwrap().count() < 2 {
            assert!(
                started.elapsed().as_secs() < 60,
                "no temporary file was started"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let out = child.wait_with_output().unwrap();
        drop(stdin);
        assert_eq!(out.status.code(), Some(130), "SIG{signal}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("Q008") && stderr.contains("interrupted"),
            "SIG{signal}: {stderr}"
        );
        assert_eq!(std::fs::read_to_string(&records).unwrap(), "old\n");
        let left: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["records.jsonl"], "SIG{signal}");
    }
}

/// A pool line of nothing but JSON's white space is blank and passed over; a line holding a
/// form feed, which JSON does not read as white space, is an error record (Q301), as the
/// same text in a `.json` file is, never passed over as blank.
#[test]
fn a_line_of_a_form_feed_is_refused_not_passed_over() {
    let pool = std::fs::read_to_string(POOL).unwrap();
    let first = pool.lines().next().unwrap();
    let input = format!("{first}\n \t\r\n\u{c}\n");
    let out = with_stdin(&mut screen("-", &["--format", "jsonl"]), input.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let records = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = records
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{records}");
    assert_eq!(lines[1]["source"]["line"], 3, "{records}");
    assert_eq!(lines[1]["errors"][0]["code"], "Q301", "{records}");
}

/// An id or file name a spreadsheet would run as a formula is written as text, with a
/// leading `'`; every other cell as it is.
#[test]
fn csv_cells_an_applicant_wrote_never_start_a_formula() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    let line = |id: &str| {
        format!(
            "{{\"id\":\"{id}\",\"education\":[{{\"credential\":\"high_school\"}}],\"experience\":[]}}\n"
        )
    };
    let ids = [
        "=HYPERLINK(\\\"x\\\")",
        "+1",
        "-2",
        "@SUM(A1)",
        "\\tT",
        "plain-id",
    ];
    let text: String = ids.iter().map(|id| line(id)).collect();
    std::fs::write(&pool, text).unwrap();
    let out = screen(
        pool.to_str().unwrap(),
        &["--class", "K9099", "--level", "B", "--format", "csv"],
    )
    .output()
    .unwrap();
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let written: Vec<String> = rows
        .records()
        .map(|row| row.unwrap()[2].to_string())
        .step_by(2)
        .collect();
    assert_eq!(
        written,
        [
            "'=HYPERLINK(\"x\")",
            "'+1",
            "'-2",
            "'@SUM(A1)",
            "'\tT",
            "plain-id"
        ]
    );
    std::fs::write(folder.path().join("=bad.json"), "{\"experience\": 7}\n").unwrap();
    let rules = std::env::current_dir().unwrap().join("rules");
    let out = screen("=bad.json", &["--format", "csv", "--rules"])
        .arg(&rules)
        .current_dir(folder.path())
        .output()
        .unwrap();
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!((&row[0], &row[6]), ("'=bad.json", "error"));
}

/// An applicant read but whose evaluation is refused (Q320) keeps its id in its CSV error
/// row, as its JSON Lines error record keeps it.
#[test]
fn a_refused_evaluation_keeps_its_id_in_csv() {
    let pool = concat!(
        r#"{"id":"Z-11","coursework":[{"credits":"9223372036854775807","#,
        r#""credit_unit":"quarter","field":"Psychology"}]}"#,
        "\n"
    );
    let out = with_stdin(&mut screen("-", &["--format", "csv"]), pool.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[1].starts_with("-,1,Z-11,,,,error,,"), "{text}");
    assert!(rows[1].contains("Q320"), "{text}");
}

/// Standard output appended to a file of the pool (`>> pool.jsonl`), to the file standard
/// input reads, or to a new file in a pool folder is refused (Q600) before anything is
/// written: each record would be read back as one more applicant, and the file would grow
/// until the disk is full.
#[test]
fn standard_output_into_a_file_of_the_pool_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    std::fs::copy(POOL, &pool).unwrap();
    let before = std::fs::read(&pool).unwrap();
    let append = || {
        std::fs::OpenOptions::new()
            .append(true)
            .open(&pool)
            .unwrap()
    };
    let new_in_folder = folder.path().join("records.jsonl");
    let runs = [
        screen(pool.to_str().unwrap(), &["--format", "jsonl"])
            .stdout(append())
            .output()
            .unwrap(),
        screen("-", &["--format", "csv"])
            .stdin(std::fs::File::open(&pool).unwrap())
            .stdout(append())
            .output()
            .unwrap(),
        screen(pool.to_str().unwrap(), &["--output", "/dev/stdout"])
            .stdout(append())
            .output()
            .unwrap(),
        screen(folder.path().to_str().unwrap(), &["--format", "jsonl"])
            .stdout(std::fs::File::create(&new_in_folder).unwrap())
            .output()
            .unwrap(),
    ];
    for out in runs {
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("Q600") && stderr.contains("standard output is a file of the pool"),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read(&pool).unwrap(), before);
    assert_eq!(std::fs::read(&new_in_folder).unwrap(), b"");
    // Standard output to a file outside the pool takes the records as ever.
    let records = tempfile::NamedTempFile::new().unwrap();
    let out = screen(pool.to_str().unwrap(), &["--format", "jsonl"])
        .stdout(records.reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(records.path())
            .unwrap()
            .lines()
            .count(),
        12
    );
}

/// A named pipe in a pool folder is one applicant that cannot be read (Q007, its error
/// record in the output): the rest of the pool is screened, and the run never waits on it.
#[test]
fn a_named_pipe_in_a_pool_folder_is_one_bad_applicant() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        "examples/applicants/k9099_direct_associate.toml",
        folder.path().join("a.toml"),
    )
    .unwrap();
    std::fs::copy(POOL, folder.path().join("c.jsonl")).unwrap();
    let fifo = folder.path().join("b.jsonl");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = screen(folder.path().to_str().unwrap(), &["--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 14, "{stdout}");
    let piped: Vec<&str> = stdout.lines().filter(|l| l.contains("b.jsonl")).collect();
    assert_eq!(piped.len(), 1, "{stdout}");
    assert!(piped[0].contains("\"code\":\"Q007\""), "{}", piped[0]);
}
