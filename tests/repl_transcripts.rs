//! `qualify repl` driven through stdin: each script in `tests/fixtures/repl/` is fed to the
//! real binary and its transcript (statements echoed after `> `, then the answers) is a
//! snapshot. `$TMP` in a script is a fresh temporary folder holding a copy of `rules/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary folder with a copy of the shipped rules in `rules/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir(Path::new(MANIFEST).join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn repl(extra: &[&str]) -> Command {
    let mut cmd = Command::new(get_cargo_bin("qualify"));
    cmd.current_dir(MANIFEST)
        .args(["repl", "--no-history", "--echo", "--as-of", "2024-06-30"])
        .args(extra)
        .env("NO_COLOR", "1");
    cmd
}

fn script(name: &str, tmp: &Path) -> String {
    let path = PathBuf::from(MANIFEST)
        .join("tests/fixtures/repl")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap()
        .replace("$TMP", &tmp.display().to_string())
}

/// Runs one script and snapshots the transcript, with the temporary folder shown as `$TMP`.
fn transcript(name: &str) {
    let tmp = workspace();
    let input = script(&format!("{name}.txt"), tmp.path());
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(&tmp.path().display().to_string()), "$$TMP");
    // The content hash changes with every edit to the shipped rules.
    settings.add_filter(r"\b[0-9a-f]{64}\b", "[rules-hash]");
    settings.set_snapshot_suffix(name);
    settings.bind(|| {
        assert_cmd_snapshot!(repl(&[]).pass_stdin(input));
    });
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

macro_rules! transcripts {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                transcript(stringify!($name));
            }
        )*
    };
}

transcripts!(
    help_and_unknown_commands,
    editing_the_applicant,
    whatif_substitution_flips_k9099_o,
    undo_and_redo,
    expressions,
    save_and_reload,
    evaluate_explain_and_gap,
    baseline_and_diff,
    bad_input_never_ends_the_session,
    pennsylvania_subject_credits,
    readme_walkthrough,
    refused_queries,
    why_and_gap_show_notes,
    applicant_words_stay_on_their_line,
    edits_no_file_could_hold,
    undo_keeps_the_save_target,
    applicant_words_are_not_relabelled,
);

/// A rule file breaks while the REPL runs: `:reload` shows the diagnostic as `qualify check`
/// does, and the rules loaded before stay in use.
#[test]
fn reload_with_a_broken_rule_file_keeps_the_old_rules() {
    let tmp = workspace();
    let mut child = repl(&["--rules", &tmp.path().join("rules").display().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut transcript = String::new();
    let first = script("reload_before.txt", tmp.path());
    stdin.write_all(first.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Wait until the last statement of the first part has answered.
    loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "{transcript}");
        transcript.push_str(&line);
        if line.starts_with("evaluation date is") {
            break;
        }
    }
    let k9099 = tmp.path().join("rules/k9099.qual");
    let text = std::fs::read_to_string(&k9099).unwrap();
    let broken = text.replacen(
        "2 years of public_program_experience",
        "2 years of public_program_experiense",
        1,
    );
    assert_ne!(broken, text);
    std::fs::write(&k9099, broken).unwrap();
    stdin
        .write_all(script("reload_after.txt", tmp.path()).as_bytes())
        .unwrap();
    drop(stdin);
    stdout.read_to_string(&mut transcript).unwrap();
    let status = child.wait().unwrap();
    let transcript = transcript.replace(&tmp.path().display().to_string(), "$TMP");
    insta::assert_snapshot!(format!("exit: {status}\n{transcript}"));
}

/// The REPL checks the rules as `qualify check` does, quotes against the documents of the
/// `sources/` folder beside them included: a quote the source does not hold is shown (Q130)
/// with the same summary line.
#[test]
fn rules_are_checked_against_their_sources_as_check_checks_them() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    let sources = rules.join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    for (from, to) in [("rules", &rules), ("rules/sources", &sources)] {
        for entry in std::fs::read_dir(Path::new(MANIFEST).join(from)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    let k9099 = rules.join("k9099.qual");
    let text = std::fs::read_to_string(&k9099).unwrap();
    let altered = text.replacen("GED and six (6) months", "GED and nine (9) months", 1);
    assert_ne!(text, altered);
    std::fs::write(&k9099, altered).unwrap();
    let script = tmp.path().join("script.txt");
    std::fs::write(&script, ":rules\n").unwrap();
    let repl = repl(&["--rules", rules.to_str().unwrap(), "--script"])
        .arg(&script)
        .output()
        .unwrap();
    let shown = String::from_utf8(repl.stdout).unwrap();
    let check = Command::new(get_cargo_bin("qualify"))
        .current_dir(MANIFEST)
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(&rules)
        .output()
        .unwrap();
    let checked =
        String::from_utf8(check.stdout).unwrap() + &String::from_utf8(check.stderr).unwrap();
    let summary = checked.lines().last().unwrap();
    assert!(summary.starts_with("failed: 1 error"), "{checked}");
    assert!(shown.contains("Q130"), "{shown}");
    assert!(shown.contains(summary), "{shown}");
}

/// A script that is a device is refused before anything is read (Q007): `/dev/zero` is one
/// line without end. A pipe is read as a script, as `--script <(…)` gives one.
#[cfg(unix)]
#[test]
fn a_script_that_is_a_device_is_refused() {
    let out = repl(&["--script", "/dev/zero"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Q007"), "{stderr}");
    assert!(stderr.contains("is a device"), "{stderr}");
}

/// A line that is not UTF-8 is reported and skipped; the lines after it still run.
#[test]
fn non_utf8_line_is_skipped() {
    let input: &[u8] = b":date 2024-01-01\n\xff\xfe bad\n:date\n";
    assert_cmd_snapshot!(repl(&[]).pass_stdin(input));
}

/// A script may open with a byte-order mark, and end its lines with `\r\n` or a lone `\r`
/// as well as `\n`: each statement is its own line either way.
#[test]
fn a_byte_order_mark_and_every_line_ending_are_read() {
    let input: &[u8] = b"\xef\xbb\xbf:date 2024-06-30\r:date\r\n:date 2024-07-01\r\n:date\n";
    assert_cmd_snapshot!(repl(&[]).pass_stdin(input));
}

/// A statement past the statement limit, of many continued lines or of one long line, is
/// refused with a diagnostic; the statements after it still run, and one left open at the
/// end of the input is refused as well. The input is too large for a snapshot of the command,
/// so the snapshot is of its output only.
#[test]
fn statement_over_the_limit_is_refused_and_the_session_goes_on() {
    let tmp = workspace();
    let open_parens = vec!["("; 40_000].join("\n");
    let long_line = "a".repeat(70_000);
    let input: String = script("statement_over_the_limit.txt", tmp.path())
        .lines()
        .map(|line| match line {
            "OPEN_PARENS" => format!("{open_parens}\n"),
            "LONG_LINE" => format!("{long_line}\n"),
            other => format!("{other}\n"),
        })
        .collect();
    let mut child = repl(&[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    insta::assert_snapshot!(format!(
        "exit: {}\n{}",
        output.status,
        String::from_utf8(output.stdout).unwrap()
    ));
}

/// With `--error-format json`, a line that cannot be done is answered with one JSON object
/// carrying its code, as diagnostics are: Q009 for a command line, the applicant or file
/// code where there is one; answers that are not errors stay as they are.
#[test]
fn errors_are_json_objects_with_codes_in_json_format() {
    let mut child = Command::new(get_cargo_bin("qualify"))
        .current_dir(MANIFEST)
        .args([
            "--error-format",
            "json",
            "repl",
            "--no-history",
            "--as-of",
            "2024-06-30",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let script = ":bogus\n:add edu bachelr\n:load no/such/file.toml\n:date 2024-02-30\n:show\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let errors: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let codes: Vec<&str> = errors.iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["Q009", "Q306", "Q008", "Q308"], "{stdout}");
    assert_eq!(errors[1]["help"], "did you mean `bachelor`?", "{stdout}");
    assert!(!stdout.contains("error: "), "{stdout}");
    assert!(stdout.contains("as of 2024-06-30"), "{stdout}");
}
