//! Usage and I/O errors found outside any file's text (an empty folder, folders nested too
//! deeply, a file that cannot be read) carry a code in every `--error-format`, and in JSON
//! they are JSON lines like every other diagnostic.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod cli_support;

use std::path::Path;

use cli_support::qualify_no_color;

/// Runs `qualify` with `args` and an error format; gives exit status and stderr.
fn run(format: &str, args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let output = qualify_no_color()
        .args(["--error-format", format])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Every stderr line of a JSON run parses and carries the code.
fn assert_json_lines_with(stderr: &str, code: &str) {
    assert!(!stderr.trim().is_empty());
    for line in stderr.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_eq!(value["code"], code, "{line}");
    }
}

fn every_format_carries(code: &str, args: &[&std::ffi::OsStr]) {
    for format in ["human", "plain"] {
        let (status, stderr) = run(format, args);
        assert_eq!(status, Some(2), "{format}: {stderr}");
        assert!(stderr.contains(code), "{format}: {stderr}");
    }
    let (status, stderr) = run("json", args);
    assert_eq!(status, Some(2), "{stderr}");
    assert_json_lines_with(&stderr, code);
}

fn os(path: &Path) -> &std::ffi::OsStr {
    path.as_os_str()
}

#[test]
fn an_empty_folder_is_q119_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let eval = std::ffi::OsStr::new("eval");
    let check = std::ffi::OsStr::new("check");
    let rules = std::ffi::OsStr::new("rules/");
    every_format_carries("Q119", &[eval, os(&empty)]);
    every_format_carries("Q119", &[check, rules, os(&empty)]);
    let rules_flag = std::ffi::OsStr::new("--rules");
    let applicant = std::ffi::OsStr::new("examples/applicants/k9099_near_miss.toml");
    every_format_carries("Q119", &[eval, applicant, rules_flag, os(&empty)]);
}

#[test]
fn folders_nested_too_deeply_are_q120_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let mut deep = tmp.path().join("deep");
    let root = deep.clone();
    for _ in 0..40 {
        deep.push("a");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("x.qual"), "").unwrap();
    every_format_carries("Q120", &[std::ffi::OsStr::new("check"), os(&root)]);
}

#[test]
fn a_missing_file_is_q008_in_every_format() {
    let eval = std::ffi::OsStr::new("eval");
    let missing = std::ffi::OsStr::new("no/such/applicant.toml");
    every_format_carries("Q008", &[eval, missing]);
}

/// Without `--rules`, the rules are found from `QUALIFY_RULES`, else `./rules`; when neither
/// holds any, the error (Q119) says where they were looked for.
#[test]
fn rules_are_found_from_the_environment_else_the_working_folder() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let applicant = crate_dir.join("examples/applicants/k9099_near_miss.toml");
    let eval = |variable: Option<&Path>| {
        let mut cmd = qualify_no_color();
        cmd.current_dir(tmp.path())
            .env_remove("QUALIFY_RULES")
            .args(["--error-format", "json", "eval", "--format", "json"])
            .arg(&applicant)
            .args(["--as-of", "2024-06-30"]);
        if let Some(rules) = variable {
            cmd.env("QUALIFY_RULES", rules);
        }
        cmd.output().unwrap()
    };
    let found = eval(Some(&crate_dir.join("rules")));
    assert_eq!(found.status.code(), Some(0));
    let from_crate = qualify_no_color()
        .env_remove("QUALIFY_RULES")
        .args(["eval", "--format", "json"])
        .arg(&applicant)
        .args(["--as-of", "2024-06-30"])
        .output()
        .unwrap();
    let hash = |stdout: &[u8]| {
        let record: serde_json::Value = serde_json::from_slice(stdout).unwrap();
        record["rules_hash"].as_str().unwrap().to_owned()
    };
    assert_eq!(hash(&found.stdout), hash(&from_crate.stdout));
    let missing = eval(None);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8(missing.stderr).unwrap();
    assert_json_lines_with(&stderr, "Q119");
    for place in ["--rules", "QUALIFY_RULES", "`rules`", "it does not exist"] {
        assert!(stderr.contains(place), "{place}: {stderr}");
    }
    // A `rules` folder that is there but empty is named as such.
    std::fs::create_dir(tmp.path().join("rules")).unwrap();
    let empty = eval(None);
    assert_eq!(empty.status.code(), Some(2));
    let stderr = String::from_utf8(empty.stderr).unwrap();
    assert!(stderr.contains("it holds no *.qual file"), "{stderr}");
}

fn words(line: &[&'static str]) -> Vec<&'static std::ffi::OsStr> {
    line.iter().copied().map(std::ffi::OsStr::new).collect()
}

/// A command line the parser refuses (an unknown option or command, a missing argument, a
/// value an option cannot take) is Q009 in every format, a JSON line in JSON.
#[test]
fn a_command_line_not_understood_is_q009_in_every_format() {
    every_format_carries("Q009", &words(&["check", "--deny"]));
    every_format_carries("Q009", &words(&["evl"]));
    every_format_carries("Q009", &words(&["eval"]));
    every_format_carries(
        "Q009",
        &words(&["eval", "x.toml", "--as-of", "2024-06-30T00:00"]),
    );
    // The format is read even where the parser stopped before it.
    let (status, stderr) = run("json", &words(&["replay", "--bogus"]));
    assert_eq!(status, Some(2));
    assert_json_lines_with(&stderr, "Q009");
}

/// `--help` and `--version` go to stdout with exit status 0, also into a pipe closed early.
#[test]
fn help_and_version_are_not_errors() {
    for flag in ["--help", "--version"] {
        let output = qualify_no_color().arg(flag).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert!(!output.stdout.is_empty() && output.stderr.is_empty());
    }
}
