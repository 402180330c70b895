//! `qualify fmt` through the real binary: the diff of `--check`, files rewritten in place
//! (atomically, keeping their mode), files with syntax errors left untouched, and the shipped
//! rules already formatted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::path::Path;

use cli_support::qualify;
use insta_cmd::assert_cmd_snapshot;

const UNFORMATTED: &str = "tests/fixtures/fmt/unformatted.qual";
const SYNTAX_ERROR: &str = "tests/fixtures/fmt/syntax_error.qual";

fn copy_into(folder: &Path, fixture: &str) -> std::path::PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
    let target = folder.join(source.file_name().unwrap());
    std::fs::copy(&source, &target).unwrap();
    target
}

#[test]
fn check_prints_a_diff_and_fails_on_an_unformatted_file() {
    assert_cmd_snapshot!(qualify().args(["fmt", "--check", UNFORMATTED]));
}

#[test]
fn check_in_json_reports_q700_at_the_first_line_that_differs() {
    assert_cmd_snapshot!(qualify().args(["--error-format", "json", "fmt", "--check", UNFORMATTED]));
}

#[test]
fn the_shipped_rules_are_formatted() {
    assert_cmd_snapshot!(qualify().args(["fmt", "--check"]));
}

#[test]
fn fmt_rewrites_the_file_keeping_its_mode_and_check_then_passes() {
    let folder = tempfile::tempdir().unwrap();
    let path = copy_into(folder.path(), UNFORMATTED);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let output = qualify().arg("fmt").arg(folder.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let formatted = std::fs::read_to_string(&path).unwrap();
    insta::assert_snapshot!("formatted_fixture", formatted);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // Nothing is left behind but the file itself.
    let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
    let check = qualify()
        .args(["fmt", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    assert!(check.stdout.is_empty());
}

#[test]
fn a_formatted_file_is_not_written_again() {
    let folder = tempfile::tempdir().unwrap();
    let path = copy_into(folder.path(), "rules/profiles.qual");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = qualify().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty(), "{output:?}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn a_file_with_syntax_errors_is_left_untouched_the_others_formatted() {
    let folder = tempfile::tempdir().unwrap();
    let broken = copy_into(folder.path(), SYNTAX_ERROR);
    let unformatted = copy_into(folder.path(), UNFORMATTED);
    let before = std::fs::read(&broken).unwrap();
    let mut command = qualify();
    command
        .args(["--error-format", "plain", "fmt", "."])
        .current_dir(folder.path());
    assert_cmd_snapshot!(command);
    assert_eq!(std::fs::read(&broken).unwrap(), before);
    // The other file is formatted all the same.
    let check = qualify()
        .args(["fmt", "--check"])
        .arg(&unformatted)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
}

#[test]
fn a_missing_path_is_a_usage_error() {
    assert_cmd_snapshot!(qualify().args(["fmt", "no/such/rules"]));
}

/// A rule file written on one long line is laid out as the same file on its lines is: the
/// items of a file are found in time linear in its length, however few lines it has.
#[test]
fn a_file_on_one_line_is_laid_out_as_on_its_lines() {
    let folder = tempfile::tempdir().unwrap();
    let lines = folder.path().join("lines.qual");
    let one = folder.path().join("one.qual");
    let mut text = String::new();
    for name in ["profiles.qual", "pa_38480.qual"] {
        text.push_str(&std::fs::read_to_string(format!("rules/{name}")).unwrap());
    }
    // Without its comments, which end at a line break, and its blank lines, which the
    // layout keeps and one line cannot hold.
    let text: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!text.contains('#'), "an end-of-line comment is left");
    std::fs::write(&lines, &text).unwrap();
    std::fs::write(&one, text.replace('\n', " ")).unwrap();
    for path in [&lines, &one] {
        let out = qualify().arg("fmt").arg(path).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let formatted = std::fs::read_to_string(&lines).unwrap();
    assert_eq!(std::fs::read_to_string(&one).unwrap(), formatted);
    assert!(formatted.lines().count() > 50, "{formatted}");
}

/// A read-only rule file is not replaced: fmt refuses it, and it is kept as it was.
#[test]
fn a_read_only_file_is_refused_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("profiles.qual");
    let text = std::fs::read_to_string("rules/profiles.qual")
        .unwrap()
        .replace("\n  jurisdiction", "\n      jurisdiction");
    std::fs::write(&path, &text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = qualify().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// A read-only file in a folder does not stop the others: each file after it is still
/// formatted, and the run ends with its summary and exit status 2.
#[test]
fn a_read_only_file_does_not_stop_the_rest_of_a_folder() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let (first, second) = (folder.path().join("a.qual"), folder.path().join("b.qual"));
    std::fs::write(&first, "experience aa \"d\"\n").unwrap();
    std::fs::write(&second, "experience bb \"d\"\n").unwrap();
    std::fs::set_permissions(&first, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = qualify().arg("fmt").arg(folder.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(
        stderr.contains("2 files: 1 formatted, 0 unchanged; 1 file could not be read or written"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "experience aa \"d\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(&second).unwrap(),
        "experience bb\n  \"d\"\n"
    );
}

/// A statement written over several lines, with a comment on each, is joined onto one line:
/// the first comment ends it, and the others follow on lines of their own one step in,
/// before the blank line that ends the statement. They used to land after that blank line,
/// where they read as comments on the next tier. Formatting the result again changes nothing.
#[test]
fn comments_on_the_lines_of_a_joined_statement_stay_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_into(dir.path(), "tests/fixtures/fmt/comments_in_statements.qual");
    let out = qualify().arg("fmt").arg(&file).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert!(
        formatted.contains(
            "    minimum:\n      hs and 6 months of work  # about the amount\n      \
             # about the category\n\n    # about recommended\n    recommended:\n      \
             hs and 2 years of work  # two\n      # of\n      # the category\n    \
             # closing remark\n  }"
        ),
        "{formatted}"
    );
    let again = qualify()
        .args(["fmt", "--check"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(again.status.success(), "{again:?}");
}

/// A file whose lines end in a lone carriage return gets a diff of whole lines, each ending
/// in a line feed (shown raw, its lines were written over each other on a terminal), and a
/// word on the line endings; a file that differs only in them says so.
#[test]
fn check_of_a_file_with_carriage_returns_shows_lines_a_terminal_can_read() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("cr.qual"),
        "experience e1   \"d\"\rexperience e2 \"x\"\r",
    )
    .unwrap();
    std::fs::write(
        folder.path().join("crlf.qual"),
        "experience e1\r\n  \"d\"\r\n",
    )
    .unwrap();
    for file in ["cr.qual", "crlf.qual"] {
        let output = qualify()
            .current_dir(folder.path())
            .args(["fmt", "--check", file])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(!stdout.contains('\r'), "{stdout:?}");
        assert!(
            stdout.contains("line endings: the file's carriage returns become line feeds\n"),
            "{stdout}"
        );
        if file == "cr.qual" {
            assert!(
                stdout.contains("\n-experience e1   \"d\"\n-experience e2 \"x\"\n+experience e1\n"),
                "{stdout}"
            );
        }
    }
}

/// With several files unformatted, each Q700 in JSON names its own file and line.
#[test]
fn check_in_json_names_every_unformatted_file() {
    let folder = tempfile::tempdir().unwrap();
    for name in ["a.qual", "b.qual", "c.qual"] {
        std::fs::write(folder.path().join(name), "experience e1   \"d\"\n").unwrap();
    }
    let output = qualify()
        .current_dir(folder.path())
        .args(["--error-format", "json", "fmt", "--check", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, name) in lines.iter().zip(["a.qual", "b.qual", "c.qual"]) {
        assert_eq!(line["code"], "Q700");
        assert!(line["filename"].as_str().unwrap().ends_with(name), "{line}");
        assert_eq!(line["labels"][0]["span"]["line"], 1, "{line}");
    }
}

/// A rule file's control characters (a terminal escape) are shown in the diff as escapes,
/// never written raw to the terminal.
#[test]
fn check_shows_control_characters_as_escapes() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("esc.qual"),
        "experience e1   \"d\u{1b}]0;title\u{7}\"\n",
    )
    .unwrap();
    let output = qualify()
        .current_dir(folder.path())
        .args(["fmt", "--check", "esc.qual"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains(['\u{1b}', '\u{7}']), "{stdout:?}");
    assert!(stdout.contains("\\u{1b}]0;title\\u{7}"), "{stdout}");
}

/// A byte-order mark is no part of the layout: a file that opens with one and a comment is
/// formatted as the same file without it, and `fmt` keeps the mark.
#[test]
fn a_byte_order_mark_before_a_comment_is_kept_and_adds_no_indent() {
    let folder = tempfile::tempdir().unwrap();
    let formatted = "# A comment\nexperience e1\n  \"d\"\n";
    std::fs::write(
        folder.path().join("bom.qual"),
        format!("\u{feff}{formatted}"),
    )
    .unwrap();
    let check = qualify()
        .current_dir(folder.path())
        .args(["fmt", "--check", "bom.qual"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    std::fs::write(
        folder.path().join("bom.qual"),
        "\u{feff}# A comment\nexperience e1 \"d\"\n",
    )
    .unwrap();
    let write = qualify()
        .current_dir(folder.path())
        .args(["fmt", "bom.qual"])
        .output()
        .unwrap();
    assert_eq!(write.status.code(), Some(0), "{write:?}");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("bom.qual")).unwrap(),
        format!("\u{feff}{formatted}")
    );
}

/// A rule file over the size limit is read only up to the limit, so it is never rewritten
/// from what was read: Q005, and the file is left byte for byte as it was, even when the
/// part read would format on its own (here the limit falls at a line's end).
#[test]
fn a_file_over_the_size_limit_is_refused_and_left_whole() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("big.qual");
    let limit = qualify::syntax::MAX_SOURCE_BYTES;
    let line = "#a\n";
    assert_eq!(
        (limit + 1) % line.len(),
        0,
        "the read stops at a line's end"
    );
    let text = line.repeat((limit + 1) / line.len() + 1000);
    std::fs::write(&path, &text).unwrap();
    let out = qualify().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("Q005"), "{stderr}");
    assert!(
        std::fs::read_to_string(&path).unwrap() == text,
        "the file is unchanged"
    );
}

/// `--check` on a file with a syntax error does not call the files "all formatted": the
/// file was not checked for its layout, and the run fails.
#[test]
fn check_does_not_call_a_file_with_errors_formatted() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("broken.qual");
    std::fs::write(&path, "profile p {\n  jurisdiction NM\n}\n").unwrap();
    let out = qualify()
        .args(["fmt", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let summary = stderr.lines().last().unwrap();
    assert_eq!(
        summary,
        "1 file checked: 0 formatted; 1 file left as it is because of the errors above"
    );
}
