//! The binary and the file system: only regular files are read, reads stop at the size
//! limit, folder walks visit each file once, failed writes are errors, and the rules hash
//! does not depend on how the rules folder is named.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cli_support::qualify_no_color;
use insta_cmd::assert_cmd_snapshot;

const AS_OF: &str = "2024-06-30";
const APPLICANT: &str = "examples/applicants/k9099_direct_associate.toml";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Snapshot settings that show the temporary folder as `[TMP]` and hide rule hashes.
fn settings(tmp: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(&tmp.display().to_string()), "[TMP]");
    settings.add_filter(r"\b[0-9a-f]{64}\b", "[rules-hash]");
    settings
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// A named pipe at `path`, or `None` where `mkfifo` is not available.
fn make_fifo(path: &Path) -> Option<()> {
    let made = Command::new("mkfifo").arg(path).status().ok()?;
    made.success().then_some(())
}

/// A copy of the shipped rules in `dir`.
fn copy_rules(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(crate_dir().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "qual") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn eval(applicant: &Path) -> Command {
    let mut cmd = qualify_no_color();
    cmd.arg("eval").arg(applicant).args(["--as-of", AS_OF]);
    cmd
}

#[test]
fn a_named_pipe_as_applicant_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("applicant.toml");
    if make_fifo(&fifo).is_none() {
        return;
    }
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(eval(&fifo)));
}

#[test]
fn a_named_pipe_in_a_rules_folder_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    copy_rules(&rules);
    if make_fifo(&rules.join("pipe.qual")).is_none() {
        return;
    }
    let mut cmd = qualify_no_color();
    cmd.arg("check").arg(&rules);
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(cmd));
}

#[test]
fn a_named_pipe_given_to_load_in_the_repl_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("applicant.toml");
    if make_fifo(&fifo).is_none() {
        return;
    }
    let mut cmd = qualify_no_color();
    cmd.args(["repl", "--no-history", "--echo"]);
    let input = format!(":load {}\n:quit\n", fifo.display());
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(cmd.pass_stdin(input)));
}

#[cfg(unix)]
#[test]
fn a_device_as_applicant_is_refused() {
    assert_cmd_snapshot!(eval(Path::new("/dev/zero")));
}

/// A 2 GB file with nothing written: the reader stops one byte past the limit.
#[test]
fn a_huge_sparse_applicant_is_refused_as_too_large() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap();
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(eval(&path)));
}

#[test]
fn a_huge_sparse_rule_file_is_refused_as_too_large() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    copy_rules(&rules);
    let file = std::fs::File::create(rules.join("huge.qual")).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap();
    let mut cmd = qualify_no_color();
    cmd.arg("check").arg(&rules);
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(cmd));
}

/// Twenty levels of folders, each with two links to the next: 2^20 paths, 21 folders.
/// A link back to the top and a link out of the folder are not followed either; the link out
/// is named (Q129).
#[cfg(unix)]
#[test]
fn a_folder_of_links_two_per_level_is_walked_once_per_folder() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("linked");
    for level in 0..=20 {
        std::fs::create_dir_all(root.join(format!("l{level:02}"))).unwrap();
    }
    for level in 0..20 {
        let dir = root.join(format!("l{level:02}"));
        let next = format!("../l{:02}", level + 1);
        symlink(&next, dir.join("a")).unwrap();
        symlink(&next, dir.join("b")).unwrap();
    }
    symlink(".", root.join("l00/loop")).unwrap();
    let outside = tmp.path().join("outside");
    copy_rules(&outside);
    symlink(&outside, root.join("l00/outside")).unwrap();
    copy_rules(&root.join("l20"));
    let mut cmd = qualify_no_color();
    cmd.arg("check").arg(&root);
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(cmd));
    // The REPL reads the same rule files.
    let output = qualify_no_color()
        .args(["repl", "--no-history", "--script", "/dev/null", "--rules"])
        .arg(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "ok: 4 files, 3 classes, 7 levels; 0 errors, 0 warnings (4 warnings acknowledged)\n"
    );
}

/// stdout is `/dev/full`: every write fails with "no space left on device".
#[cfg(target_os = "linux")]
fn to_full_device(mut cmd: Command) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    cmd.stdout(Stdio::from(full)).stderr(Stdio::piped());
    cmd.output().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn every_command_fails_when_its_output_cannot_be_written() {
    let mut commands = Vec::new();
    let mut json = eval(Path::new(APPLICANT));
    json.args(["--format", "json"]);
    commands.push(("eval --format json", json));
    commands.push(("eval", eval(Path::new(APPLICANT))));
    let mut explain = qualify_no_color();
    explain.args(["explain", APPLICANT, "--class", "K9099", "--as-of", AS_OF]);
    commands.push(("explain", explain));
    let mut check = qualify_no_color();
    check.arg("check");
    commands.push(("check", check));
    let mut repl = qualify_no_color();
    repl.args(["repl", "--no-history", "--script", "/dev/null"]);
    commands.push(("repl", repl));
    let mut help = qualify_no_color();
    help.arg("--help");
    commands.push(("--help", help));
    for (name, cmd) in commands {
        let output = to_full_device(cmd);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains("Q008"), "{name}: {stderr}");
        assert!(
            stderr.contains("cannot write the output: No space left on device")
                || stderr.contains("cannot write /dev/full: No space left on device"),
            "{name}: {stderr}"
        );
    }
}

/// `qualify eval … | head -c 1`: a reader that stops early is not a failure.
#[test]
fn a_pipe_closed_by_its_reader_is_not_an_error() {
    let mut cmd = eval(Path::new(APPLICANT));
    cmd.args(["--format", "json"]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

fn rules_hash(rules: &Path, current_dir: &Path) -> String {
    let mut cmd = qualify_no_color();
    cmd.current_dir(current_dir)
        .arg("eval")
        .arg(crate_dir().join(APPLICANT))
        .args(["--as-of", AS_OF, "--format", "json", "--rules"])
        .arg(rules);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", rules.display());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout
        .lines()
        .find(|line| line.trim_start().starts_with("\"rules_hash\""))
        .unwrap();
    line.split('"').nth(3).unwrap().to_owned()
}

#[cfg(unix)]
#[test]
fn the_rules_hash_is_the_same_for_every_spelling_of_the_rules_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let link = tmp.path().join("linked-rules");
    std::os::unix::fs::symlink(crate_dir().join("rules"), &link).unwrap();
    let here = crate_dir();
    let spellings = [
        (PathBuf::from("rules"), here.clone()),
        (PathBuf::from("./rules"), here.clone()),
        (PathBuf::from("rules//"), here.clone()),
        (here.join("rules"), here.clone()),
        (link, tmp.path().to_path_buf()),
        (PathBuf::from("../rules"), here.join("examples")),
    ];
    let hashes: Vec<String> = spellings
        .iter()
        .map(|(rules, dir)| rules_hash(rules, dir))
        .collect();
    assert_eq!(hashes[0].len(), 64);
    for (hash, (rules, _)) in hashes.iter().zip(&spellings) {
        assert_eq!(hash, &hashes[0], "{}", rules.display());
    }
    assert_eq!(repl_rules_hash("./rules//"), hashes[0]);
}

/// The hash `:explain` shows in the REPL, with the rules loaded from `rules`.
fn repl_rules_hash(rules: &str) -> String {
    let mut child = qualify_no_color()
        .args([
            "repl",
            "--no-history",
            "--as-of",
            AS_OF,
            "--rules",
            rules,
            APPLICANT,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b":explain K9099\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Rules content hash: "))
        .unwrap_or_else(|| panic!("no hash in:\n{stdout}"));
    line.trim().to_owned()
}

#[test]
fn the_rules_hash_changes_when_a_rule_file_is_renamed() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    copy_rules(&rules);
    let before = rules_hash(&rules, tmp.path());
    assert_eq!(before, rules_hash(&crate_dir().join("rules"), tmp.path()));
    let first = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    std::fs::rename(&first, rules.join("renamed.qual")).unwrap();
    assert_ne!(before, rules_hash(&rules, tmp.path()));
}

#[test]
fn an_evaluation_date_with_a_time_of_day_is_refused() {
    let mut cmd = qualify_no_color();
    cmd.args(["eval", APPLICANT, "--as-of", "2024-06-30T00:00"]);
    assert_cmd_snapshot!(cmd);
}

#[test]
fn an_empty_folder_is_an_error_for_check_as_for_eval() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let mut check = qualify_no_color();
    check.arg("check").arg("rules/").arg(&empty);
    let mut check_alone = qualify_no_color();
    check_alone.arg("check").arg(&empty);
    let settings = settings(tmp.path());
    settings.bind(|| {
        assert_cmd_snapshot!("empty_folder_check", check);
        assert_cmd_snapshot!("empty_folder_check_alone", check_alone);
        assert_cmd_snapshot!("empty_folder_eval", eval(&empty));
    });
}

/// The same rule file with and without a byte-order mark: the same diagnostics, each span
/// three bytes further in the file that has one.
#[test]
fn a_byte_order_mark_in_a_rule_file_is_skipped_and_spans_stay_right() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = crate_dir().join("tests/fixtures/check/q101_unknown_name.qual");
    let plain = std::fs::read(&fixture).unwrap();
    let marked: Vec<u8> = [&b"\xef\xbb\xbf"[..], &plain].concat();
    let plain_path = tmp.path().join("plain.qual");
    let marked_path = tmp.path().join("marked.qual");
    std::fs::write(&plain_path, &plain).unwrap();
    std::fs::write(&marked_path, &marked).unwrap();
    let offsets = |path: &Path| -> Vec<u64> {
        let output = qualify_no_color()
            .args(["--error-format", "json", "check"])
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .flat_map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                assert_eq!(value["code"], "Q101", "{line}");
                let labels = value["labels"].as_array().unwrap().clone();
                labels
                    .into_iter()
                    .map(|l| l["span"]["offset"].as_u64().unwrap())
            })
            .collect()
    };
    let plain_offsets = offsets(&plain_path);
    let marked_offsets: Vec<u64> = offsets(&marked_path).iter().map(|o| o - 3).collect();
    assert_eq!(plain_offsets.len(), 3);
    assert_eq!(marked_offsets, plain_offsets);
    let mut cmd = qualify_no_color();
    cmd.arg("check").arg(&marked_path);
    settings(tmp.path()).bind(|| assert_cmd_snapshot!(cmd));
}

/// A byte-order mark is one character wherever it opens a file: a mistake right after it is
/// at column 2 in a rule file, as in an applicant file.
#[test]
fn a_byte_order_mark_counts_as_one_column_in_rule_and_applicant_files() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("marked.qual");
    std::fs::write(&rules, b"\xef\xbb\xbfbogus\n").unwrap();
    let applicant = tmp.path().join("marked.toml");
    std::fs::write(&applicant, b"\xef\xbb\xbfbogus = 1\n").unwrap();
    let column = |args: &[&std::ffi::OsStr]| {
        let output = qualify_no_color()
            .args(["--error-format", "json"])
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        first["labels"][0]["span"]["column"].as_u64().unwrap()
    };
    assert_eq!(column(&["check".as_ref(), rules.as_os_str()]), 2);
    let shipped = crate_dir().join("rules");
    assert_eq!(
        column(&["check".as_ref(), shipped.as_os_str(), applicant.as_os_str()]),
        2
    );
}

/// On a system whose folders are separated by `/`, a `\` is part of a file's name: a
/// diagnostic names the file as given, where it used to name `a/b.qual`, a file that does
/// not exist.
#[cfg(unix)]
#[test]
fn a_backslash_in_a_file_name_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a\\b.qual");
    std::fs::write(&path, "profle x {\n}\n").unwrap();
    let output = qualify_no_color()
        .args(["check", "--error-format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let shown = serde_json::to_string(&path.to_string_lossy()).unwrap();
    assert!(
        text.contains(&format!("\"filename\":{shown}")),
        "{shown} in {text}"
    );
}

/// An editor's lock file (a dangling link `.#k9099.qual`) and a version-control folder
/// inside the rules are passed over by the folder walk; a hidden file named alone is read.
#[cfg(unix)]
#[test]
fn hidden_files_and_folders_in_a_rules_folder_are_passed_over() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    copy_rules(&rules);
    std::os::unix::fs::symlink("root@host.1234:1700000000", rules.join(".#k9099.qual")).unwrap();
    std::fs::create_dir(rules.join(".git")).unwrap();
    std::fs::write(rules.join(".git").join("broken.qual"), "class {").unwrap();
    let out = qualify_no_color()
        .args(["check"])
        .arg(&rules)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("ok: 4 files"), "{stdout}");
    let out = eval(&crate_dir().join(APPLICANT))
        .arg("--rules")
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let hidden = rules.join(".hidden.qual");
    std::fs::write(&hidden, "class {").unwrap();
    let out = qualify_no_color()
        .args(["check"])
        .arg(&hidden)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a file named alone is read");
}

/// A test file linked into `rules/tests` from outside it is not read, and the run says so
/// (Q129, a warning in the run's error format) instead of passing without it.
#[cfg(unix)]
#[test]
fn a_test_file_linked_from_outside_the_folder_is_named_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    copy_rules(&rules);
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::copy(
        crate_dir().join("rules/tests/k9099.toml"),
        rules.join("tests/k9099.toml"),
    )
    .unwrap();
    std::fs::write(tmp.path().join("elsewhere.toml"), "as_of = 2024-06-30\n").unwrap();
    std::os::unix::fs::symlink("../../elsewhere.toml", rules.join("tests/linked.toml")).unwrap();
    for format in ["plain", "json"] {
        let output = qualify_no_color()
            .current_dir(tmp.path())
            .args(["test", "rules", "--error-format", format])
            .env("QUALIFY_RULES", &rules)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("Q129"), "{stderr}");
        assert!(
            stderr.contains("rules/tests/linked.toml` is a link that leads outside `rules/tests`"),
            "{stderr}"
        );
        if format == "json" {
            let line: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
            assert_eq!(line["code"], "Q129");
            assert_eq!(line["severity"], "warning");
        }
    }
}

/// A link leading outside the folder is not followed whether or not its target exists: a
/// broken one is named as outside (Q129), not read and reported unreadable, and the pool's
/// other files are screened; a broken link inside the folder is still read, and is one error
/// record.
#[cfg(unix)]
#[test]
fn a_broken_link_out_of_a_pool_folder_is_named_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let pool = tmp.path().join("pool");
    std::fs::create_dir(&pool).unwrap();
    let first = std::fs::read_to_string(crate_dir().join("examples/pool.jsonl")).unwrap();
    let first = first.lines().next().unwrap().to_owned() + "\n";
    std::fs::write(pool.join("a.jsonl"), first).unwrap();
    std::os::unix::fs::symlink("../../nowhere/x.jsonl", pool.join("b.jsonl")).unwrap();
    let screen = |pool: &std::path::Path| {
        qualify_no_color()
            .current_dir(tmp.path())
            .args(["screen", pool.to_str().unwrap(), "--as-of", "2024-06-30"])
            .args(["--format", "csv", "--rules"])
            .arg(crate_dir().join("rules"))
            .output()
            .unwrap()
    };
    let out = screen(&pool);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Q129") && !stderr.contains("Q008"),
        "{stderr}"
    );
    let rows = String::from_utf8(out.stdout).unwrap();
    assert!(rows.lines().count() > 1, "{rows}");
    // A link inside the folder to nothing is one pool file that cannot be opened: its error
    // record (Q008) is in the output, and the rest of the pool is screened.
    std::os::unix::fs::symlink("missing.jsonl", pool.join("c.jsonl")).unwrap();
    let out = screen(&pool);
    assert_eq!(out.status.code(), Some(1));
    let rows = String::from_utf8(out.stdout).unwrap();
    assert!(
        rows.lines()
            .any(|row| row.contains("c.jsonl") && row.contains("Q008")),
        "{rows}"
    );
    assert!(rows.lines().count() > 2, "{rows}");
}
