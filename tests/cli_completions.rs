//! `qualify completions SHELL` prints a completion script that names every subcommand and
//! that the shell itself accepts.

#![allow(clippy::unwrap_used)]

mod cli_support;

use cli_support::qualify_no_color;

fn script(shell: &str) -> String {
    let output = qualify_no_color()
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{shell}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let text = script(shell);
        for word in ["check", "eval", "explain", "repl", "as-of", "error-format"] {
            assert!(text.contains(word), "{shell} lacks {word}");
        }
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("qualify.bash");
    std::fs::write(&path, script("bash")).unwrap();
    // Without bash here, the script's content is still checked by the test above.
    if let Ok(checked) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
    {
        assert!(checked.status.success(), "{checked:?}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = qualify_no_color()
        .args(["completions", "nosh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
