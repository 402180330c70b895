//! `eval --class` and `explain --class` read and check only the class asked for, with the
//! profiles, field sets and categories: the thousands of classes beside it are passed over
//! unread. The decision names the same rules (the same hash) as a run over every class.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod cli_support;

use std::path::Path;

use cli_support::qualify_no_color;

const APPLICANT: &str = "examples/applicants/k9099_combination_related_bachelor.toml";
const AS_OF: &str = "2024-06-30";

/// Runs `qualify eval` on `rules` with `extra` arguments; gives exit status and stdout.
fn eval(rules: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let output = qualify_no_color()
        .args(["eval", APPLICANT, "--as-of", AS_OF, "--rules"])
        .arg(rules)
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn rules_hash(record: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(record).unwrap();
    value["rules_hash"].as_str().unwrap().to_owned()
}

/// A copy of the shipped rules in a temporary folder.
fn copy_of_rules(tmp: &Path) -> std::path::PathBuf {
    let rules = tmp.join("rules");
    std::fs::create_dir(&rules).unwrap();
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
        }
    }
    rules
}

#[test]
fn one_class_names_the_same_rules_as_every_class() {
    let rules = Path::new("rules");
    let (status, all) = eval(rules, &["--format", "json"]);
    assert_eq!(status, Some(0));
    let (status, one) = eval(rules, &["--format", "json", "--class", "K9099"]);
    assert_eq!(status, Some(0));
    assert_eq!(rules_hash(&all), rules_hash(&one));
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    let classes = one["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 1);
    assert_eq!(classes[0]["code"], "K9099");
}

#[test]
fn a_mistake_in_another_class_does_not_stop_one_class() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = copy_of_rules(tmp.path());
    let broken = rules.join("g1099.qual");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, text.replace("2 years of", "2 yaers of")).unwrap();
    let (status, _) = eval(&rules, &[]);
    assert_eq!(status, Some(1), "every class is checked without --class");
    let (status, table) = eval(&rules, &["--class", "K9099"]);
    assert_eq!(status, Some(0), "{table}");
    assert!(table.contains("K9099: highest level whose minimum is met"));
    let (status, _) = eval(&rules, &["--class", "G1099"]);
    assert_eq!(status, Some(1), "the class asked for is checked");
}

#[test]
fn an_unknown_code_is_still_refused_with_the_nearest_code() {
    let output = qualify_no_color()
        .args(["eval", APPLICANT, "--as-of", AS_OF, "--class", "K9909"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("Q116"), "{stderr}");
    assert!(stderr.contains("K9099"), "{stderr}");
}

/// Class codes and level names are matched without regard to case, as in the REPL:
/// `--class k9099 --level o` is `--class K9099 --level O`, for `eval` and `explain`.
#[test]
fn codes_and_levels_are_matched_without_regard_to_case() {
    let rules = Path::new("rules");
    let upper = eval(rules, &["--class", "K9099", "--level", "O"]);
    let lower = eval(rules, &["--class", "k9099", "--level", "o"]);
    assert_eq!(upper.0, Some(0));
    assert_eq!(upper, lower);
    let explain = |class: &str, level: &str| {
        let output = qualify_no_color()
            .args(["explain", APPLICANT, "--as-of", AS_OF, "--class", class])
            .args(["--level", level])
            .output()
            .unwrap();
        (output.status.code(), output.stdout)
    };
    assert_eq!(explain("K9099", "A").0, Some(0));
    assert_eq!(explain("K9099", "A"), explain("k9099", "a"));
}

/// `--class` can be repeated: the record holds exactly those classes, in rule order
/// whatever order they were asked in, each once.
#[test]
fn several_classes_can_be_asked_for() {
    let rules = Path::new("rules");
    let (status, record) = eval(
        rules,
        &[
            "--format", "json", "--class", "K9099", "--class", "g1099", "--class", "K9099",
        ],
    );
    assert_eq!(status, Some(0));
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let codes: Vec<&str> = record["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["G1099", "K9099"]);
    let (status, _) = eval(rules, &["--class", "K9099", "--class", "K9909"]);
    assert_eq!(status, Some(1), "an unknown code among several is refused");
}

/// A level asked for that only another version of the class has is refused (Q117) with the
/// versions named: the one in force on the date, which lacks it, and the one that has it.
#[test]
fn a_level_of_another_version_is_refused_with_the_versions_named() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(
        "tests/fixtures/versions/profile.qual",
        rules.join("profile.qual"),
    )
    .unwrap();
    let text = std::fs::read_to_string("tests/fixtures/versions/v100.qual").unwrap();
    let end = text.rfind("  }\n}").unwrap();
    let with_level = format!(
        "{}  }}\n\n  level II \"Analyst II\" code \"V100II\" band 45 {{\n    minimum\n      \
         cite \"Minimum Qualifications (2020)\":\n      associate in analysis_fields and 3 years \
         of analysis\n  }}\n}}\n",
        &text[..end]
    );
    std::fs::write(rules.join("v100.qual"), with_level).unwrap();
    let applicant = tmp.path().join("ada.toml");
    std::fs::write(&applicant, "name = \"Ada\"\n").unwrap();
    let output = qualify_no_color()
        .arg("explain")
        .arg(&applicant)
        .args([
            "--class",
            "V100",
            "--level",
            "II",
            "--as-of",
            "2019-01-01",
            "--rules",
        ])
        .arg(&rules)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Q117"), "{stderr}");
    assert!(
        stderr.contains("(effective 2015-01-01) has no such level")
            && stderr.contains("effective 2020-07-01 has it"),
        "{stderr}"
    );
}

/// Asking for one class reads every item that mentions its code in any letters, and every
/// item of the vocabulary, however they are indented: the decision is the one `eval` gives
/// for every class.
#[test]
fn one_class_reads_indented_versions_and_vocabulary() {
    let decide = |rules: &str, class: &str| {
        let output = qualify_no_color()
            .args([
                "eval",
                "tests/fixtures/one_class/bachelor.toml",
                "--as-of",
                "2020-01-01",
            ])
            .args(["--rules", rules, "--class", class])
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    for class in ["Ab12x", "ab12x", "AB12X"] {
        let (status, text) = decide("tests/fixtures/one_class/mixed_case_versions.qual", class);
        assert_eq!(status, Some(0), "{text}");
        assert!(
            text.contains("needs a master's degree or higher"),
            "{class}: {text}"
        );
    }
    let (status, text) = decide("tests/fixtures/one_class/indented_vocabulary.qual", "K1");
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.contains("K1     A      minimum  ✔    direct"),
        "{text}"
    );
}

/// A class statement written at the left margin (`profile new_mexico`) is valid, but it is
/// where the read of one class guessed the class before it ended: the rest of G1099 was then
/// read as a profile, and `--class K9099` failed on a rule set `check` accepts. The class
/// passed over ends at its closing brace, and `--class` gives what the whole read gives.
#[test]
fn a_class_statement_at_the_left_margin_does_not_end_the_class_passed_over() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = copy_of_rules(tmp.path());
    let moved = rules.join("g1099.qual");
    let text = std::fs::read_to_string(&moved).unwrap();
    assert!(text.contains("\n  profile new_mexico\n"));
    std::fs::write(
        &moved,
        text.replace("\n  profile new_mexico\n", "\nprofile new_mexico\n"),
    )
    .unwrap();
    let check = qualify_no_color()
        .arg("check")
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let (status, whole) = eval(&rules, &[]);
    assert_eq!(status, Some(0), "{whole}");
    for code in ["K9099", "G1099", "38480"] {
        let (status, one) = eval(&rules, &["--class", code]);
        assert_eq!(status, Some(0), "--class {code}: {one}");
        let rows = |table: &str| -> Vec<String> {
            table
                .lines()
                .filter(|l| l.starts_with(code))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        };
        assert!(!rows(&one).is_empty(), "{one}");
        assert_eq!(rows(&one), rows(&whole), "--class {code}");
    }
}
