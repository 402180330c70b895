//! `:save` in `qualify repl` on a real disk: an existing file keeps its mode and its opening
//! comments, a symbolic link is written through, and a file `:load` would refuse is not
//! written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use cli_support::qualify_no_color;
use insta_cmd::assert_cmd_snapshot;

const EXAMPLE: &str = "examples/applicants/k9099_direct_associate.toml";

fn repl() -> Command {
    let mut cmd = qualify_no_color();
    cmd.args(["repl", "--no-history", "--echo", "--as-of", "2024-06-30"]);
    cmd
}

/// Loads `file`, adds a job and saves back to where it was loaded from.
fn load_edit_save(file: &Path) -> String {
    let input = format!(
        ":load {}\n:add job \"Clerk\" public_program_experience 2019-06-01..2020-05-31\n:save\n",
        file.display()
    );
    let output = repl_with_input(&input);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    stdout
}

/// The REPL's output for `input` typed on its standard input.
fn repl_with_input(input: &str) -> std::process::Output {
    let mut child = repl()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn example_copy(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE), &path).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn saving_over_a_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let file = example_copy(tmp.path(), "applicant.toml");
    for mode in [0o664, 0o640, 0o600] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        load_edit_save(&file);
        let kept = std::fs::metadata(&file).unwrap().permissions().mode() & 0o7777;
        assert_eq!(kept, mode);
    }
}

#[cfg(unix)]
#[test]
fn saving_through_a_link_replaces_the_file_it_names_and_keeps_the_link() {
    let tmp = tempfile::tempdir().unwrap();
    let real = example_copy(tmp.path(), "real.toml");
    let link = tmp.path().join("link.toml");
    std::os::unix::fs::symlink("real.toml", &link).unwrap();
    load_edit_save(&link);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real.toml"));
    let saved = std::fs::read_to_string(&real).unwrap();
    assert!(saved.contains("title = \"Clerk\""), "{saved}");
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[test]
fn saving_over_a_file_keeps_the_comments_that_open_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = example_copy(tmp.path(), "applicant.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let opening: String = original
        .lines()
        .take_while(|line| line.starts_with('#') || line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        opening.lines().count() > 3,
        "the example opens with comments"
    );
    load_edit_save(&file);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.starts_with(opening.trim_end()), "{saved}");
    assert!(saved.contains("title = \"Clerk\""), "{saved}");
    // Saving again neither repeats nor loses them.
    load_edit_save(&file);
    let again = std::fs::read_to_string(&file).unwrap();
    assert_eq!(again.matches(opening.trim_end()).count(), 1, "{again}");
}

/// A title of 900,000 tabs loads (900 KB), but written back each tab is `\t`: 1.8 MB,
/// more than an applicant file may hold. The file on disk is left as it was.
#[test]
fn a_file_load_would_refuse_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("tabs.toml");
    let text = format!(
        "# Tabs.\nid = \"T-1\"\nname = \"{}\"\n",
        "\t".repeat(900_000)
    );
    std::fs::write(&file, &text).unwrap();
    let input = format!(":load {}\n:save\n", file.display());
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&tmp.path().display().to_string(), "[TMP]");
    settings.bind(|| assert_cmd_snapshot!(repl().pass_stdin(input)));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

/// Rules loaded after the applicant know none of its categories: the file `:save` would write
/// could not be loaded again, so it is not written, and the reasons are shown as diagnostics
/// are, on their lines, not as one line of escapes.
#[test]
fn the_reasons_a_file_is_not_written_are_laid_out_as_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("other.toml");
    let input = format!(
        ":load {EXAMPLE}\n:rules tests/fixtures/versions\n:save {}\n",
        file.display()
    );
    let out = repl_with_input(&input);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\nQ307\n"), "{text}");
    assert!(
        text.contains("× unknown experience category `public_program_experience`"),
        "{text}"
    );
    assert!(!text.contains("\\n"), "{text}");
    assert!(
        text.contains("was not written: the file would not load again"),
        "{text}"
    );
    assert!(!file.exists());
}
