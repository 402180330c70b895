//! `qualify replay` and rule-change comparisons through the real binary: records confirmed
//! or each tampered one named, records that cannot be evaluated again, and the flips of a
//! rule change or of two versions of a class by date.

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

/// Records written with a relative pool path are replayed from another folder, the pool
/// named another way: each applicant is found by its bytes.
#[test]
fn records_are_replayed_from_another_folder() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    let records = folder.path().join("records.jsonl");
    std::fs::write(&records, &out.stdout).unwrap();
    let root = std::env::current_dir().unwrap();
    let out = qualify()
        .current_dir(folder.path())
        .arg("replay")
        .arg(&records)
        .arg(root.join(POOL))
        .arg("--rules")
        .arg(root.join("rules"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("12 records: 12 the same, 0 not confirmed\n"),
        "{stdout}"
    );
}

/// A class the other side of a comparison cannot evaluate is refused with the side named.
#[test]
fn a_refused_comparison_names_the_side_that_refuses() {
    let out = qualify()
        .args([
            "screen",
            "tests/fixtures/screen/versions_pool.jsonl",
            "--rules",
            "tests/fixtures/versions",
            "--class",
            "V100",
            "--as-of",
            "2021-06-30",
            "--against-as-of",
            "2010-06-30",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("Q118"), "{stderr}");
    assert!(
        stderr.contains("in the rules as of 2010-06-30 (--against-as-of)"),
        "{stderr}"
    );
}

/// Records are read from standard input as `-`, unless the pool is read from it too.
#[test]
fn records_from_standard_input() {
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    let replayed = with_stdin(qualify().args(["replay", "-", POOL]), &out.stdout);
    let stdout = String::from_utf8(replayed.stdout).unwrap();
    assert_eq!(replayed.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("12 records: 12 the same, 0 not confirmed\n"),
        "{stdout}"
    );
    let both = with_stdin(qualify().args(["replay", "-", "-"]), b"");
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8(both.stderr).unwrap().contains("Q009"));
}

/// A class with no version in force on one side's date is said to be not in force there,
/// never missing from the rules.
#[test]
fn a_class_not_yet_in_force_is_said_to_be_so() {
    let mut cmd = qualify();
    cmd.args([
        "screen",
        "tests/fixtures/screen/versions_pool.jsonl",
        "--rules",
        "tests/fixtures/versions",
        "--as-of",
        "2010-06-30",
        "--against-as-of",
        "2021-06-30",
    ]);
    snapshot!(cmd);
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

/// A record finds its applicant whatever the spelling of the pool's name (`./examples`,
/// `examples//`, an absolute path), and a records file may open with a byte-order mark; a
/// record whose applicant changed is still refused by its hash.
#[test]
fn a_record_finds_its_applicant_under_any_spelling_of_the_pool() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    assert!(out.status.success());
    let mut records = b"\xef\xbb\xbf".to_vec();
    records.extend_from_slice(&out.stdout);
    let path = folder.path().join("records.jsonl");
    std::fs::write(&path, &records).unwrap();
    let absolute = std::fs::canonicalize(POOL).unwrap();
    for pool in [
        "./examples/pool.jsonl".to_owned(),
        "examples//pool.jsonl".to_owned(),
        absolute.to_string_lossy().into_owned(),
    ] {
        let out = qualify()
            .arg("replay")
            .arg(&path)
            .arg(&pool)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{pool}: {text}");
        assert!(
            text.ends_with("12 records: 12 the same, 0 not confirmed\n"),
            "{text}"
        );
    }
    let changed = folder.path().join("pool.jsonl");
    let pool = std::fs::read_to_string(POOL).unwrap();
    std::fs::write(&changed, pool.replacen("K-0001", "K-0009", 1)).unwrap();
    let records = String::from_utf8(out.stdout).unwrap();
    let moved = records.replace(
        r#""file":"examples/pool.jsonl""#,
        &format!(r#""file":"{}""#, changed.display()),
    );
    std::fs::write(&path, moved).unwrap();
    let out = qualify()
        .arg("replay")
        .arg(&path)
        .arg(&changed)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("11 the same, 1 not confirmed"), "{text}");
}

/// A record that gives a key twice says two things, and readers differ on which they keep:
/// it is no record, never confirmed. A record cut off mid-line says it ends too early.
#[test]
fn a_record_with_a_key_given_twice_or_cut_off_is_no_record() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    let records = String::from_utf8(out.stdout).unwrap();
    let first = records.lines().next().unwrap();
    let twice = first.replacen("\"as_of\":", "\"as_of\":\"1999-01-01\",\"as_of\":", 1);
    let cut = &first[..first.len() / 2];
    let path = folder.path().join("records.jsonl");
    std::fs::write(&path, format!("{twice}\n{cut}\n{first}\n")).unwrap();
    let out = replay(&path);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(
            "record 1: not a decision record: the key `as_of` is given twice in one object"
        ),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("record 2: not a decision record: EOF while parsing"),
        "{stdout}"
    );
    // Each place is in the record, the line it stands on, never a "line 1" of the file.
    let in_the_record = |line: &str| {
        let column = line
            .strip_suffix(" of the record")
            .and_then(|rest| rest.rsplit_once(" at column "))
            .and_then(|(_, column)| column.parse::<usize>().ok());
        column.is_some() && !line.contains("line 1")
    };
    assert!(in_the_record(lines[0]), "{stdout}");
    assert!(in_the_record(lines[1]), "{stdout}");
    assert!(lines[2].ends_with(": same"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

/// An applicant found by its bytes on another line (the pool reordered, or one line taken
/// out for an appeal) is the applicant recorded: its record is confirmed.
#[test]
fn a_record_is_confirmed_when_its_applicant_moved_to_another_line() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    assert!(out.status.success());
    let records = String::from_utf8(out.stdout).unwrap();
    let pool = std::fs::read_to_string(POOL).unwrap();
    let fifth = pool.lines().nth(4).unwrap();
    std::fs::write(folder.path().join("one.jsonl"), format!("{fifth}\n")).unwrap();
    let record = records.lines().nth(4).unwrap();
    std::fs::write(folder.path().join("record.jsonl"), format!("{record}\n")).unwrap();
    let shifted: String = std::iter::once("\n")
        .chain(pool.split_inclusive('\n'))
        .collect();
    std::fs::write(folder.path().join("shifted.jsonl"), shifted).unwrap();
    std::fs::write(folder.path().join("records.jsonl"), &records).unwrap();
    let replay = |records: &str, pool: &str| {
        let out = qualify()
            .current_dir(folder.path())
            .args(["replay", records, pool, "--rules"])
            .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (status, text) = replay("record.jsonl", "one.jsonl");
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.ends_with("1 record: 1 the same, 0 not confirmed\n"),
        "{text}"
    );
    let (status, text) = replay("records.jsonl", "shifted.jsonl");
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.ends_with("12 records: 12 the same, 0 not confirmed\n"),
        "{text}"
    );
}

/// An applicant file past the size limit, and one whose name says no applicant format, get
/// an error record whose hash is of the whole file: a change past the bytes kept, or in the
/// file not read at all, is not confirmed. Both used to replay as the same.
#[test]
fn a_file_refused_unread_or_past_the_limit_is_hashed_whole() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool");
    std::fs::create_dir(&pool).unwrap();
    let big = pool.join("big.json");
    let unsupported = folder.path().join("app.txt");
    let write = |tail: &str| {
        let name = "x".repeat(2 * 1024 * 1024);
        std::fs::write(&big, format!("{{\"name\":\"{name}{tail}\"}}\n")).unwrap();
        std::fs::write(&unsupported, format!("id = \"{tail}\"\n")).unwrap();
    };
    let run = |args: &[&str]| {
        let out = qualify()
            .current_dir(folder.path())
            .args(args)
            .args(["--rules"])
            .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    write("A");
    let screened = |name: &str| {
        let (_, records) = run(&[
            "screen",
            "pool",
            "app.txt",
            "--as-of",
            "2024-06-30",
            "--format",
            "jsonl",
        ]);
        std::fs::write(folder.path().join(name), records).unwrap();
    };
    screened("records.jsonl");
    let (status, text) = run(&["replay", "records.jsonl", "pool", "app.txt"]);
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.ends_with("2 records: 2 the same, 0 not confirmed\n"),
        "{text}"
    );
    write("B");
    let (status, text) = run(&["replay", "records.jsonl", "pool", "app.txt"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(
        text.ends_with("2 records: 0 the same, 2 not confirmed\n"),
        "{text}"
    );
}

/// Records written by `screen --class K9099` while another class has an error are checked by
/// `replay --class K9099`, which reads the rules as the screening run did; without it the
/// rules are refused.
#[test]
fn records_of_a_run_about_one_class_are_replayed_about_that_class() {
    let folder = tempfile::tempdir().unwrap();
    let rules = folder.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "qual") {
            std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
        }
    }
    let g1099 = std::fs::read_to_string(rules.join("g1099.qual")).unwrap();
    let broken = g1099.replacen("high_school and", "high_schoool and", 1);
    assert_ne!(broken, g1099);
    std::fs::write(rules.join("g1099.qual"), broken).unwrap();
    let run = |args: &[&str]| {
        let out = qualify()
            .current_dir(folder.path())
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let pool = std::path::Path::new(POOL);
    let pool = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(pool);
    let pool = pool.to_str().unwrap();
    let (status, records) = run(&[
        "screen", pool, "--rules", "rules", "--class", "K9099", "--as-of", AS_OF, "--format",
        "jsonl",
    ]);
    assert_eq!(status, Some(0));
    std::fs::write(folder.path().join("records.jsonl"), records).unwrap();
    let (status, _) = run(&["replay", "records.jsonl", pool, "--rules", "rules"]);
    assert_eq!(status, Some(1));
    let (status, text) = run(&[
        "replay",
        "records.jsonl",
        pool,
        "--rules",
        "rules",
        "--class",
        "K9099",
    ]);
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.ends_with("12 records: 12 the same, 0 not confirmed\n"),
        "{text}"
    );
}

/// A record about every class cannot be made again from the one class `--class` reads: it
/// is not confirmed, and never reported as a changed decision; a code that names no class
/// is refused (Q116), as `eval` refuses it.
#[test]
fn records_about_every_class_are_not_replayed_from_one_class() {
    let folder = tempfile::tempdir().unwrap();
    let out = screen(POOL, &["--format", "jsonl"]).output().unwrap();
    assert!(out.status.success());
    let records = folder.path().join("records.jsonl");
    std::fs::write(&records, out.stdout).unwrap();
    let records = records.to_str().unwrap();
    let replay = |extra: &[&str]| {
        let mut cmd = qualify();
        cmd.args(["replay", records, POOL]).args(extra);
        cmd.output().unwrap()
    };
    let all = replay(&[]);
    assert_eq!(all.status.code(), Some(0));
    let one = replay(&["--class", "K9099"]);
    assert_eq!(one.status.code(), Some(1));
    let text = String::from_utf8(one.stdout).unwrap();
    let verdict = "could not be evaluated again: the record is about every class, and only \
                   K9099 was read (`--class`)";
    assert_eq!(text.matches(verdict).count(), 12, "{text}");
    assert!(!text.contains("differs"), "{text}");
    let unknown = replay(&["--class", "NOPE"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(unknown.stdout.is_empty());
    let error = String::from_utf8(unknown.stderr).unwrap();
    assert!(error.contains("Q116"), "{error}");
}
