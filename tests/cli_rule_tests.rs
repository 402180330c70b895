//! `qualify test` through the real binary: the shipped suite passes with full coverage,
//! mutated copies of the shipped rules fail naming the clause, a bad test file gets coded
//! diagnostics, and generated boundary cases pass and cover every threshold.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cli_support;

use std::path::{Path, PathBuf};

use cli_support::qualify_no_color;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the shipped rules, their tests and the example applicants, laid out as in the
/// repository, in a temporary folder.
fn copy_of_the_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["rules", "rules/tests", "examples/applicants"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(manifest().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(
                    &path,
                    dir.path().join(folder).join(path.file_name().unwrap()),
                )
                .unwrap();
            }
        }
    }
    dir
}

/// Replaces `from` by `to` in a rule file of the copy, once, insisting that it is there.
fn mutate(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join("rules").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = qualify_no_color()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The lines of a report that are not passing tests: failures and the summary.
fn failures(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|l| !l.ends_with("... ok"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_shipped_suite_passes_with_every_path_and_boundary_covered() {
    let output = qualify_no_color()
        .args(["test", "--coverage", "--coverage-min", "100"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("total: paths 100% (18/18), boundaries 100% (22/22)"));
    insta::assert_snapshot!("shipped_suite_with_coverage", stdout);
}

#[test]
fn every_example_applicant_has_its_outcomes_in_a_test_file() {
    let tests = std::fs::read_to_string(manifest().join("rules/tests/examples.toml")).unwrap();
    for entry in std::fs::read_dir(manifest().join("examples/applicants")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") || name.ends_with(".json") {
            assert!(
                tests.contains(&format!("examples/applicants/{name}\"")),
                "{name} has no test"
            );
        }
    }
}

#[test]
fn a_threshold_one_month_higher_fails_naming_the_clause() {
    let dir = copy_of_the_repository();
    mutate(
        dir.path(),
        "k9099.qual",
        "and 2 years of public_program_experience\n      substitute\n        cite \"Operational",
        "and 25 months of public_program_experience\n      substitute\n        cite \"Operational",
    );
    let (code, stdout, _) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 1, "{stdout}");
    insta::assert_snapshot!("threshold_one_month_higher", failures(&stdout));
}

#[test]
fn a_threshold_one_month_lower_fails_naming_the_clause() {
    let dir = copy_of_the_repository();
    mutate(
        dir.path(),
        "g1099.qual",
        "high_school and 6 months of any of",
        "high_school and 5 months of any of",
    );
    let (code, stdout, _) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 1, "{stdout}");
    let failed = failures(&stdout);
    assert!(failed.contains("G1099 B minimum: expected `not met; direct short 1 month"));
    assert!(failed.contains("Basic › Minimum Qualifications"));
}

#[test]
fn a_removed_substitution_clause_fails_naming_the_clause() {
    let dir = copy_of_the_repository();
    let path = dir.path().join("rules/k9099.qual");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find("      substitute\n        cite \"Advanced › Minimum Qualifications\"")
        .unwrap();
    let end =
        start + text[start..].find("totaling 5 years\n").unwrap() + "totaling 5 years\n".len();
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 1, "{stdout}");
    let failed = failures(&stdout);
    assert!(failed.contains(
        "K9099 A minimum: expected `met by substitution 1`, got not met; the tier has no substitution 1"
    ));
    assert!(
        failed.contains("direct (000_d8c2fb164fd20970.txt › Advanced › Minimum Qualifications)")
    );
}

#[test]
fn a_field_dropped_from_a_set_fails_naming_the_clause() {
    let dir = copy_of_the_repository();
    mutate(dir.path(), "g1099.qual", "  \"Criminal Justice\"\n", "");
    let (code, stdout, _) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 1, "{stdout}");
    insta::assert_snapshot!("field_dropped", failures(&stdout));
}

#[test]
fn experience_dropped_from_a_combination_fails_naming_the_clause() {
    let dir = copy_of_the_repository();
    mutate(
        dir.path(),
        "pa_38480.qual",
        "\n            and 3 years of any of sud_mh_counseling, sud_mh_case_management",
        "",
    );
    let (code, stdout, _) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 1, "{stdout}");
    let failed = failures(&stdout);
    assert!(failed.contains(
        "---- rules/tests/38480.toml › 38480 combination: a doctorate with 18 behavioral-science credits and no experience ----\n\
         38480 specialist minimum: expected `not met; substitution 1 short 3 years of sud_mh_counseling, sud_mh_case_management`, got met by substitution 1"
    ), "{failed}");
    assert!(failed.contains(
        "substitution 1 (002_a7a2fa00dc31e15b.txt › Minimum Experience and Training) `an equivalent combination of education and any of sud_mh_counseling, sud_mh_case_management totaling 7 years that includes 18 credits in behavioral_sciences`: met"
    ), "{failed}");
    assert!(
        failed.contains("test result: FAILED. 115 passed, 3 failed"),
        "{failed}"
    );
}

#[test]
fn a_bad_test_file_gets_coded_diagnostics_with_spans() {
    let dir = copy_of_the_repository();
    for entry in std::fs::read_dir(dir.path().join("rules/tests")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    std::fs::copy(
        manifest().join("tests/fixtures/rule_tests/bad_tests.toml"),
        dir.path().join("rules/tests/bad_tests.toml"),
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    insta::assert_snapshot!("bad_test_file", stderr);
}

/// A key given twice in a test file, at its top or in a test's expectations, is a malformed
/// test file (Q500), not an applicant file's repeated key.
#[test]
fn a_key_given_twice_in_a_test_file_is_q500() {
    let dir = copy_of_the_repository();
    for entry in std::fs::read_dir(dir.path().join("rules/tests")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let tests = dir.path().join("rules/tests/twice.toml");
    for text in [
        "as_of = 2025-06-30\nas_of = 2025-07-01\n",
        "[[test]]\nname = \"x\"\napplicant = \"../../examples/applicants/k9099_near_miss.toml\"\n\
         [test.expect]\n\"K9099 B minimum\" = \"met\"\n\"K9099 B minimum\" = \"not met\"\n",
    ] {
        std::fs::write(&tests, text).unwrap();
        let (code, _, stderr) = run_in(dir.path(), &["test", "rules", "--error-format", "json"]);
        assert_eq!(code, 1, "{stderr}");
        let first: serde_json::Value =
            serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "Q500", "{stderr}");
        assert!(!stderr.contains("Q305"), "{stderr}");
    }
}

/// A blank test name is a name missing (Q502): no report line could show the test.
#[test]
fn a_blank_test_name_is_q502() {
    let dir = copy_of_the_repository();
    for entry in std::fs::read_dir(dir.path().join("rules/tests")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    for name in ["", "   "] {
        std::fs::write(
            dir.path().join("rules/tests/blank.toml"),
            format!(
                "as_of = 2025-06-30\n[[test]]\nname = \"{name}\"\n\
                 applicant = \"../../examples/applicants/k9099_near_miss.toml\"\n\
                 [test.expect]\n\"K9099 B minimum\" = \"not met\"\n"
            ),
        )
        .unwrap();
        let (code, _, stderr) = run_in(dir.path(), &["test", "rules", "--error-format", "json"]);
        assert_eq!(code, 1, "{stderr}");
        let first: serde_json::Value =
            serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "Q502", "{stderr}");
        assert_eq!(first["labels"][0]["span"]["line"], 3, "{stderr}");
    }
}

/// A failed shortfall expectation names everything the path lacks, not its first lack alone.
#[test]
fn a_failed_shortfall_names_every_lack_of_the_path() {
    let (code, stdout, stderr) = run_only(
        "as_of = 2024-06-30\n[[test]]\nname = \"two lacks\"\n\
         applicant = \"../../examples/applicants/k9099_combination_related_bachelor.toml\"\n\
         [test.expect]\n\"K9099 B recommended\" = \
         \"not met; direct short 1 month of public_program_experience\"\n",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains(
            "direct is short an associate in healthcare_admin_fields and 1 year of \
             public_program_experience"
        ),
        "{stdout}"
    );
}

/// A shortfall of nothing or less than nothing could never be shown: it is refused (Q507).
#[test]
fn a_shortfall_of_zero_or_less_is_q507() {
    for amount in ["0 months", "-5 months", "0 years", "1 year -5 months"] {
        let dir = with_only_test(&format!(
            "as_of = 2024-06-30\n[[test]]\nname = \"none\"\n\
             applicant = \"../../examples/applicants/k9099_combination_related_bachelor.toml\"\n\
             [test.expect]\n\"K9099 A recommended\" = \"not met; direct short {amount} of \
             public_program_experience\"\n",
        ));
        let (code, _, stderr) = run_in(dir.path(), &["test", "rules", "--error-format", "json"]);
        assert_eq!(code, 1, "{stderr}");
        let first: serde_json::Value =
            serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "Q507", "{amount}: {stderr}");
        assert!(
            stderr.contains("a shortfall is an amount above zero"),
            "{amount}: {stderr}"
        );
    }
}

/// A test with a mistake of its own (an expectation given twice) still has its name compared
/// with the others': both Q510s are reported in one run.
#[test]
fn a_test_with_a_mistake_is_still_named_twice() {
    let test = "[[test]]\nname = \"dup case\"\n\
                applicant = \"../../examples/applicants/k9099_near_miss.toml\"\n\
                [test.expect]\n\"K9099 B minimum\" = \"met\"\n";
    let dir = with_only_test(&format!(
        "as_of = 2024-06-30\n{test}\"k9099 b minimum\" = \"met\"\n{test}"
    ));
    let (code, _, stderr) = run_in(dir.path(), &["test", "rules", "--error-format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let messages: Vec<String> = stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|d| d["code"] == "Q510")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        messages,
        [
            "K9099 B minimum is expected twice",
            "two tests are named `dup case`"
        ],
        "{stderr}"
    );
}

/// A category named twice in a shortfall is refused (Q507), not read as named once.
#[test]
fn a_category_named_twice_in_a_shortfall_is_q507() {
    let dir = with_only_test(
        "as_of = 2024-06-30\n[[test]]\nname = \"twice\"\n\
         applicant = \"../../examples/applicants/k9099_combination_related_bachelor.toml\"\n\
         [test.expect]\n\"K9099 A recommended\" = \"not met; direct short 1 year of \
         public_program_experience, public_program_experience\"\n",
    );
    let (code, _, stderr) = run_in(dir.path(), &["test", "rules", "--error-format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let first: serde_json::Value = serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
    assert_eq!(first["code"], "Q507", "{stderr}");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("`public_program_experience` is named twice"),
        "{stderr}"
    );
}

#[test]
fn no_test_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::copy(
        manifest().join("rules/k9099.qual"),
        dir.path().join("rules/k9099.qual"),
    )
    .unwrap();
    std::fs::copy(
        manifest().join("rules/profiles.qual"),
        dir.path().join("rules/profiles.qual"),
    )
    .unwrap();
    let (code, _, stderr) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Q511"), "{stderr}");
}

#[test]
fn json_output_parses_and_counts_the_tests() {
    let output = qualify_no_color()
        .args(["test", "--format", "json", "--coverage"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["failed"], 0);
    assert_eq!(json["coverage"]["total"]["paths"]["covered"], 18);
    assert_eq!(json["coverage"]["total"]["boundaries"]["covered"], 22);
}

#[test]
fn generated_boundary_cases_pass_and_cover_every_path_and_threshold() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    for entry in std::fs::read_dir(manifest().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(
                &path,
                dir.path().join("rules").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "test",
            "rules",
            "--generate",
            "rules/tests",
            "--as-of",
            "2025-06-30",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "wrote rules/tests/g1099.toml (14 cases)\n\
         wrote rules/tests/k9099.toml (18 cases)\n\
         wrote rules/tests/38480.toml (12 cases)\n"
    );
    let k9099 = std::fs::read_to_string(dir.path().join("rules/tests/k9099.toml")).unwrap();
    insta::assert_snapshot!("generated_k9099", k9099);
    let pa_38480 = std::fs::read_to_string(dir.path().join("rules/tests/38480.toml")).unwrap();
    insta::assert_snapshot!("generated_38480", pa_38480);
    let (code, stdout, _) = run_in(
        dir.path(),
        &["test", "rules", "--coverage", "--coverage-min", "100"],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("test result: ok. 44 passed, 0 failed"));
    assert!(stdout.contains("total: paths 100% (18/18), boundaries 100% (22/22)"));
    assert!(stdout.contains("... ok (generated, not reviewed)"));
}

#[test]
fn coverage_below_the_minimum_fails() {
    let dir = copy_of_the_repository();
    for name in ["k9099.toml", "g1099.toml", "38480.toml"] {
        std::fs::remove_file(dir.path().join("rules/tests").join(name)).unwrap();
    }
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["test", "rules", "--coverage", "--coverage-min", "90"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("failed: coverage below 90%"), "{stderr}");
    insta::assert_snapshot!("coverage_of_the_examples_alone", stdout);
}

/// The first fenced block of `lang` after `heading` in a document of the repository.
fn block_after(document: &str, heading: &str, lang: &str) -> String {
    let text = std::fs::read_to_string(manifest().join(document)).unwrap();
    let after = &text[text.find(heading).unwrap()..];
    let open = format!("```{lang}\n");
    let start = after.find(&open).unwrap() + open.len();
    let end = start + after[start..].find("```").unwrap();
    after[start..end].to_owned()
}

/// A copy of the repository whose only test file is `text`.
fn run_only(text: &str) -> (i32, String, String) {
    let dir = with_only_test(text);
    run_in(dir.path(), &["test", "rules"])
}

/// A copy of the repository whose rule tests are `text` alone, as `rules/tests/example.toml`.
fn with_only_test(text: &str) -> tempfile::TempDir {
    let dir = copy_of_the_repository();
    for entry in std::fs::read_dir(dir.path().join("rules/tests")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    std::fs::write(dir.path().join("rules/tests/example.toml"), text).unwrap();
    dir
}

#[test]
fn the_test_file_of_the_testing_guide_passes() {
    let example = block_after("docs/testing.md", "### Test files", "toml");
    let (code, stdout, stderr) = run_only(&example);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("test result: ok. 2 passed, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn the_test_file_of_the_readme_passes() {
    let example = block_after("README.md", "## `qualify test`", "toml");
    let (code, stdout, stderr) = run_only(&example);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("test result: ok. 1 passed, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn the_failure_shown_in_the_testing_guide_is_what_a_failing_run_prints() {
    let shown = block_after("docs/testing.md", "### Output", "text");
    let dir = copy_of_the_repository();
    mutate(
        dir.path(),
        "k9099.qual",
        "and 2 years of public_program_experience\n      substitute\n        cite \"Operational",
        "and 25 months of public_program_experience\n      substitute\n        cite \"Operational",
    );
    let (_, stdout, _) = run_in(dir.path(), &["test", "rules"]);
    for line in shown.lines().filter(|l| !l.contains("...")) {
        assert!(stdout.contains(line), "not printed: {line}\n{stdout}");
    }
}

#[test]
fn an_applicant_file_that_cannot_be_read_is_q509_and_its_test_fails() {
    let example = block_after("README.md", "## `qualify test`", "toml")
        .replace("k9099_near_miss.toml", "k9099_nearmiss.toml");
    let (code, stdout, stderr) = run_only(&example);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("Q509"), "{stderr}");
    assert!(
        stderr.contains(
            "cannot read the applicant file `../../examples/applicants/k9099_nearmiss.toml`"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("test result: FAILED. 0 passed, 1 failed"),
        "{stdout}"
    );
}

#[test]
fn generating_over_an_existing_test_file_is_q512_and_writes_nothing() {
    let dir = copy_of_the_repository();
    let reviewed = std::fs::read(dir.path().join("rules/tests/k9099.toml")).unwrap();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "test",
            "rules",
            "--generate",
            "rules/tests",
            "--as-of",
            "2025-06-30",
        ],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("Q512"), "{stderr}");
    assert!(
        stderr.contains("`rules/tests/g1099.toml` exists"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("rules/tests/k9099.toml")).unwrap(),
        reviewed
    );
}

/// A link at a generated file's name, even one to nothing, is refused (Q512): nothing is
/// written through it, out of the folder.
#[test]
fn generating_where_a_dangling_link_stands_is_q512_and_writes_nothing() {
    let dir = copy_of_the_repository();
    let generated = dir.path().join("generated");
    std::fs::create_dir(&generated).unwrap();
    let victim = dir.path().join("victim.toml");
    std::os::unix::fs::symlink(&victim, generated.join("k9099.toml")).unwrap();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "test",
            "rules",
            "--generate",
            "generated",
            "--as-of",
            "2025-06-30",
        ],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("Q512"), "{stderr}");
    assert!(stderr.contains("`generated/k9099.toml` exists"), "{stderr}");
    assert!(!victim.exists());
    assert_eq!(std::fs::read_dir(&generated).unwrap().count(), 1);
}

/// A test's name is the writer's text: a line break in it is an escape, so that it cannot
/// add a line such as a passing test to the report.
#[test]
fn a_test_name_stays_on_its_line() {
    let dir = copy_of_the_repository();
    std::fs::write(
        dir.path().join("rules/tests/named.toml"),
        "as_of = 2025-06-30\n[[test]]\nname = \"line\\ntest rules/tests/x.toml › forged ... ok\"\n\
         [test.applicant]\n[test.expect]\n\"K9099 B minimum\" = \"not met\"\n",
    )
    .unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["test"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "test rules/tests/named.toml › line\\ntest rules/tests/x.toml › forged ... ok ... ok\n"
        ),
        "{stdout}"
    );
    assert!(
        !stdout
            .lines()
            .any(|l| l.starts_with("test rules/tests/x.toml")),
        "{stdout}"
    );
}

/// A tier that only a newer version of a class has is known to a test file: it is judged
/// against the version in force on the test's date, never refused (Q506) for the older one.
#[test]
fn a_tier_of_a_newer_version_is_tested_against_the_version_in_force() {
    let folder = tempfile::tempdir().unwrap();
    let rules = folder.path().join("rules");
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::write(
        rules.join("r.qual"),
        "profile p {\n  jurisdiction \"J\"\n  credential hs \"HS\" worth 0 years\n  \
         a year of education is 30 semester credits\n  full time is 40 hours per week\n  \
         overlapping jobs are summed up to full time\n  several degrees count the highest only\n}\n\
         experience ex \"Ex\"\n\
         class C \"old\" {\n  profile p\n  source \"x.txt\"\n  effective 2010-01-01\n  \
         level L \"L\" code \"CL\" band 1 {\n    minimum: hs\n  }\n}\n\
         class C \"new\" {\n  profile p\n  source \"x.txt\"\n  effective 2020-01-01\n  \
         level L \"L\" code \"CL\" band 1 {\n    minimum: hs and 6 months of ex\n    \
         recommended: hs and 12 months of ex\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        rules.join("tests/t.toml"),
        "[[test]]\nname = \"new version\"\nas_of = 2024-06-30\n[test.applicant]\n\
         [[test.applicant.education]]\ncredential = \"hs\"\n[test.expect]\n\
         \"C L recommended\" = \"not met\"\n",
    )
    .unwrap();
    let out = qualify_no_color().arg("test").arg(&rules).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
}

/// Under `coursework counts the highest only`, the generated case at an included amount of
/// experience still meets the clause's total: the coursework that makes it up replaces the
/// entry already counted rather than adding to it, so it is topped up until the total holds.
/// The generated cases pass and cover every threshold.
#[test]
fn generated_cases_meet_the_total_when_coursework_counts_the_highest_only() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("d.qual"),
        "profile p {\n  jurisdiction \"J\"\n  credential hs \"HS\" worth 0 years\n  \
         credential bach \"Bach\" worth 4 years\n  a year of education is 30 semester credits\n  \
         full time is 40 hours per week\n  overlapping jobs are summed up to full time\n  \
         several degrees count the highest only\n  coursework counts the highest only\n}\n\
         fields soc \"Social\" { \"Psychology\" }\nexperience ex \"Ex\"\n\
         class D \"D\" {\n  profile p\n  source \"x.txt\"\n  effective 2000-01-01\n  \
         level X \"X\" code \"DX\" band 1 {\n    minimum:\n      bach\n      \
         substitute: any combination of education and ex totaling 30 months\n        \
         that includes 9 credits in soc and 6 months of ex\n  }\n}\n",
    )
    .unwrap();
    let args = [
        "test",
        "rules",
        "--generate",
        "rules/tests",
        "--as-of",
        "2024-06-30",
    ];
    let (code, _, stderr) = run_in(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "rules", "--coverage"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("boundaries 100%"), "{stdout}");
}

/// Generating cases on a date no class is in force writes nothing, and says so.
#[test]
fn generating_on_a_date_before_every_class_says_nothing_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let (code, stdout, stderr) = run_in(
        &manifest(),
        &[
            "test",
            "rules",
            "--generate",
            out.to_str().unwrap(),
            "--as-of",
            "1990-01-01",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "wrote nothing: no class of the rules is in force on 1990-01-01\n"
    );
}

/// A generated case for a second clause is met by that clause: its total is made up of a
/// category of its own that the first clause does not count.
#[test]
fn a_generated_case_of_a_second_clause_is_met_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("c.qual"),
        "profile p {\n  jurisdiction \"J\"\n  credential hs \"HS\" worth 0 years\n  \
         credential bach \"Bach\" worth 4 years\n  a year of education is 30 semester credits\n  \
         full time is 40 hours per week\n  overlapping jobs are summed up to full time\n  \
         several degrees count the highest only\n}\n\
         experience admin \"Admin\"\nexperience clerk \"Clerk\"\n\
         class C \"C\" {\n  profile p\n  source \"x.txt\"\n  effective 2000-01-01\n  \
         level X \"X\" code \"CX\" band 1 {\n    minimum:\n      bach\n      \
         substitute: any combination of education and admin totaling 2 years\n      \
         substitute: any combination of education and any of admin, clerk totaling 3 years\n  }\n}\n",
    )
    .unwrap();
    let args = [
        "test",
        "rules",
        "--generate",
        "rules/tests",
        "--as-of",
        "2024-06-30",
    ];
    let (code, _, stderr) = run_in(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(rules.join("tests/c.toml")).unwrap();
    let case = text
        .split("[[test]]")
        .find(|case| {
            case.contains("name = \"C X minimum, substitution 2: a total of 3 years, at\"")
        })
        .unwrap_or_else(|| panic!("{text}"));
    assert!(case.contains("categories = [\"clerk\"]"), "{case}");
    assert!(
        case.contains("\"C X minimum\" = \"met by substitution 2\""),
        "{case}"
    );
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "rules"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// A credential shortfall pins what it writes of the credential: `in SET` and `that includes
/// N credits in SET` are compared with the rules, so a test of the wrong field set fails, and
/// a name the rules do not have is a Q507.
#[test]
fn a_credential_shortfall_compares_its_field_set_and_included_credits() {
    let dir = copy_of_the_repository();
    let tests = dir.path().join("rules/tests/pinned.toml");
    let write = |expect: &str| {
        std::fs::write(
            &tests,
            format!(
                "as_of = 2025-06-30\n\n[[test]]\nname = \"pinned\"\n[test.applicant]\n\
                 [[test.applicant.education]]\ncredential = \"associate\"\nfield = \"Social Work\"\n\
                 [[test.applicant.experience]]\ntitle = \"c\"\ncategories = [\"social_worker_assistant\"]\n\
                 start = 2020-06-01\nend = 2025-05-31\n[test.expect]\n\"G1099 A recommended\" = \"{expect}\"\n"
            ),
        )
        .unwrap();
    };
    write("not met; direct short a bachelor in social_work_fields");
    let (status, stdout, _) = run_in(dir.path(), &["test"]);
    assert_eq!(status, 0, "{stdout}");
    write("not met; direct short a bachelor in social_science_fields");
    let (status, stdout, _) = run_in(dir.path(), &["test"]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("pinned ... FAILED"), "{stdout}");
    write("not met; direct short a bachelor in no_such_set");
    let (status, _, stderr) = run_in(dir.path(), &["test"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("no field set `no_such_set` in the rules"),
        "{stderr}"
    );
    write("not met; direct short a bachelor, accredited");
    let (_, _, stderr) = run_in(dir.path(), &["test"]);
    assert!(stderr.contains("Q507"), "{stderr}");
    let tests_38480 = dir.path().join("rules/tests/pinned.toml");
    std::fs::write(
        &tests_38480,
        "as_of = 2025-06-30\n\n[[test]]\nname = \"includes\"\n[test.applicant]\n\
         [[test.applicant.education]]\ncredential = \"bachelor\"\nsubjects = { \"Psychology\" = 17 }\n\
         [test.expect]\n\"38480 specialist minimum\" = \"not met; direct short a bachelor that includes 18 credits in behavioral_sciences\"\n",
    )
    .unwrap();
    let (status, stdout, stderr) = run_in(dir.path(), &["test"]);
    assert_eq!(status, 0, "{stdout}{stderr}");
}

/// A failing test covers nothing: an expectation that does not hold takes no path and
/// sits at no boundary in the coverage.
#[test]
fn failing_tests_cover_nothing() {
    let dir = copy_of_the_repository();
    for entry in std::fs::read_dir(dir.path().join("rules/tests")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    std::fs::write(
        dir.path().join("rules/tests/wrong.toml"),
        "as_of = 2025-06-30\n\n[[test]]\nname = \"wrong\"\n[test.applicant]\nid = \"x\"\n\
         [test.expect]\n\"K9099 B minimum\" = \"met by direct\"\n",
    )
    .unwrap();
    let (status, stdout, _) = run_in(dir.path(), &["test", "--coverage"]);
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("K9099: paths 0% (0/9), boundaries 0% (0/9)"),
        "{stdout}"
    );
}

/// Generated cases on a class whose combination clauses share their categories with the
/// direct path (or count education alone), under a profile of 32.5 credits a year: each
/// clause has its cases at and one unit below its total, each decided by that clause, and
/// they cover every path and boundary.
#[test]
fn generated_cases_of_shared_categories_are_decided_by_their_clause() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::copy(
        manifest().join("tests/fixtures/generate_odd/odd.qual"),
        rules.join("odd.qual"),
    )
    .unwrap();
    let (status, _, stderr) = run_in(
        dir.path(),
        &["test", "--generate", "generated", "--as-of", "2025-06-30"],
    );
    assert_eq!(status, 0, "{stderr}");
    let cases = std::fs::read_to_string(dir.path().join("generated/x1.toml")).unwrap();
    for (clause_case, outcome) in [
        (
            "X1 L minimum, substitution 1: a total of 3 years 6 months, at",
            "met by substitution 1",
        ),
        (
            "X1 H minimum, substitution 1: a total of 6 years, at",
            "met by substitution 1",
        ),
        (
            "X1 H minimum, substitution 1: a total of 6 years, one unit below",
            "not met; substitution 1 short 1 month toward the total",
        ),
        (
            "X1 L recommended, substitution 1: 9 months of cat_b, one unit below",
            "not met; substitution 1 short 1 month of cat_b",
        ),
    ] {
        let at = cases
            .find(clause_case)
            .unwrap_or_else(|| panic!("{clause_case}\n{cases}"));
        let expect = cases[at..].find("[test.expect]").unwrap() + at;
        let line = cases[expect..].lines().nth(1).unwrap();
        assert!(
            line.ends_with(&format!("\"{outcome}\"")),
            "{clause_case}: {line}"
        );
    }
    std::fs::copy(
        dir.path().join("generated/x1.toml"),
        rules.join("tests/x1.toml"),
    )
    .unwrap();
    let (status, stdout, _) = run_in(dir.path(), &["test", "--coverage"]);
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.contains("total: paths 100% (7/7), boundaries 100% (10/10)"),
        "{stdout}"
    );
}

/// A total too large for jobs of any date an applicant file can hold gets only cases that
/// load again: every generated file passes when run, and none has a date before the year 1.
#[test]
fn generated_cases_of_a_far_total_load_again() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::copy(
        manifest().join("rules/profiles.qual"),
        rules.join("profiles.qual"),
    )
    .unwrap();
    std::fs::copy(
        manifest().join("tests/fixtures/generate_far/big.qual"),
        rules.join("big.qual"),
    )
    .unwrap();
    let (status, _, stderr) = run_in(
        dir.path(),
        &["test", "--generate", "generated", "--as-of", "2025-01-01"],
    );
    assert_eq!(status, 0, "{stderr}");
    let cases = std::fs::read_to_string(dir.path().join("generated/big.toml")).unwrap();
    assert!(!cases.contains("start = -"), "{cases}");
    std::fs::copy(
        dir.path().join("generated/big.toml"),
        rules.join("tests/big.toml"),
    )
    .unwrap();
    let (status, stdout, stderr) = run_in(dir.path(), &["test"]);
    assert_eq!(status, 0, "{stdout}{stderr}");
}

/// One unit below a direct path's credit threshold (14 of 15 credits), a substitution clause
/// still meets the tier: the case does not decide that threshold, and coverage does not
/// count it. The generated case says so, and no other case of the file is said to be.
#[test]
fn a_generated_case_another_path_meets_says_it_does_not_decide_its_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::copy(
        manifest().join("tests/fixtures/generate_masked/masked.qual"),
        rules.join("masked.qual"),
    )
    .unwrap();
    let (status, _, stderr) = run_in(
        dir.path(),
        &["test", "--generate", "generated", "--as-of", "2024-06-30"],
    );
    assert_eq!(status, 0, "{stderr}");
    let cases = std::fs::read_to_string(dir.path().join("generated/t1.toml")).unwrap();
    let said = "substitution 1 meets the tier here, so this case does not decide the threshold";
    assert_eq!(cases.matches(said).count(), 1, "{cases}");
    let at = cases.find(said).unwrap();
    let name = cases[at..]
        .lines()
        .find(|l| l.starts_with("name = "))
        .unwrap();
    assert!(
        name.contains("bachelor in fa that includes 15 credits in fb, one unit below"),
        "{name}"
    );
}

/// A class whose direct path (an associate in Finance and 24 months) and combination (4
/// years) can both meet its one tier.
const TWO_WAYS: &str = r#"experience e1 "one"
fields f1 "f one" {
  "Finance"
}
class C1 "c" {
  profile new_mexico
  source "none.txt"
  established 2000-01-01
  level L "l" code "C1L" band 1 {
    minimum:
      associate in f1 and 24 months of e1
      substitute:
        any combination of accredited education in f1 and e1 totaling 4 years
  }
}
"#;

/// One test of `C1 L minimum`: an applicant with `months` of `e1` ending 2024-05-31, with an
/// accredited associate in Finance when `degree`, expecting `expect`.
fn two_ways_test(name: &str, months: i64, degree: bool, expect: &str) -> String {
    let start = jiff::civil::date(2024, 6, 1) - jiff::Span::new().months(months);
    let education = if degree {
        "[[test.applicant.education]]\ncredential = \"associate\"\nfield = \"Finance\"\naccredited = true\n"
    } else {
        ""
    };
    format!(
        "[[test]]\nname = \"{name}\"\n[test.applicant]\n{education}\
         [[test.applicant.experience]]\ntitle = \"x\"\ncategories = [\"e1\"]\n\
         start = {start}\nend = 2024-05-31\n[test.expect]\n\"C1 L minimum\" = \"{expect}\"\n\n"
    )
}

/// The class `rules` and `tests` in a folder of their own, with the shipped profiles.
fn rules_with_tests(rules_text: &str, tests: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::copy(
        manifest().join("rules/profiles.qual"),
        rules.join("profiles.qual"),
    )
    .unwrap();
    std::fs::write(rules.join("c.qual"), rules_text).unwrap();
    std::fs::write(
        rules.join("tests/t.toml"),
        format!("as_of = 2024-06-30\n\n{tests}"),
    )
    .unwrap();
    dir
}

/// A test of plain `met` at the direct path's 24 months, when the combination meets the
/// tier too, does not notice the 24 moving (the tier is then met by the combination): it
/// covers no boundary of the direct path. Named as `met by direct`, it does.
#[test]
fn a_met_tier_another_path_also_meets_covers_no_boundary_unless_the_path_is_named() {
    let tests = |at: &str| {
        [
            two_ways_test("direct at 24 months", 24, true, at),
            two_ways_test("direct one month below", 23, true, "not met"),
            two_ways_test("below both", 23, false, "not met"),
            two_ways_test(
                "combination at 48 months",
                48,
                false,
                "met by substitution 1",
            ),
            two_ways_test("combination one month below", 47, false, "not met"),
        ]
        .concat()
    };
    let plain = rules_with_tests(TWO_WAYS, &tests("met"));
    let (code, stdout, _) = run_in(
        plain.path(),
        &["test", "--coverage", "--coverage-min", "100"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("C1 L minimum direct: no test at 24 months in `24 months of e1`"),
        "{stdout}"
    );
    let named = rules_with_tests(TWO_WAYS, &tests("met by direct"));
    let (code, stdout, _) = run_in(named.path(), &["test", "--coverage-min", "100"]);
    assert_eq!(code, 0, "{stdout}");
}

/// A failing test covers nothing, not even with the expectations of it that held: the one
/// test one month below the combination's total also expects a wrong outcome of the
/// recommended tier, so the total has no test below it.
#[test]
fn a_failing_test_covers_nothing_even_where_it_held() {
    let failing = two_ways_test("combination one month below", 47, false, "not met").replace(
        "\"C1 L minimum\" = \"not met\"\n",
        "\"C1 L minimum\" = \"not met\"\n\"C1 L recommended\" = \"met\"\n",
    );
    let tests = [
        two_ways_test(
            "combination at 48 months",
            48,
            false,
            "met by substitution 1",
        ),
        failing,
    ]
    .concat();
    let with_recommended = TWO_WAYS.replace(
        "  }\n}\n",
        "    recommended: associate in f1 and 36 months of e1\n  }\n}\n",
    );
    assert_ne!(with_recommended, TWO_WAYS);
    let dir = rules_with_tests(&with_recommended, &tests);
    let (code, stdout, _) = run_in(dir.path(), &["test", "--coverage", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let text = report.to_string();
    assert!(text.contains("\"below\":false"), "{text}");
    assert!(!text.contains("\"below\":true"), "{text}");
}
