//! `qualify screen` notices and selection rates through the real binary: notices in text and
//! HTML, written again in place, that no applicant's words can forge a line, and the rates
//! by group, which evaluation never sees.

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

/// The identifiers the shipped rules use for field sets, categories, credentials and
/// profiles: none may appear in a notice.
fn rule_identifiers() -> Vec<String> {
    let mut names = Vec::new();
    for rules in std::fs::read_dir("rules").unwrap() {
        let rules = rules.unwrap().path();
        if rules.extension().is_none_or(|e| e != "qual") {
            continue;
        }
        let text = std::fs::read_to_string(rules).unwrap();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["fields" | "experience" | "profile", name, ..] => names.push(name.to_string()),
                ["credential", name, ..] => names.push(name.to_string()),
                _ => {}
            }
        }
    }
    names.retain(|n| n.contains('_'));
    assert!(names.len() > 5, "{names:?}");
    names
}

#[test]
fn notices_in_text_and_html() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let out = screen(
        POOL,
        &[
            "--class",
            "K9099",
            "--level",
            "O",
            "--format",
            "jsonl",
            "--notices",
            notices.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = String::from_utf8(out.stdout).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&notices)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 24, "{names:?}");
    let identifiers = rule_identifiers();
    let fraction = regex_lite_fraction();
    for name in &names {
        let text = std::fs::read_to_string(notices.join(name)).unwrap();
        for identifier in &identifiers {
            assert!(
                !text.contains(identifier.as_str()),
                "{name} names {identifier}"
            );
        }
        assert!(!fraction(&text), "{name} has a fraction");
        // The decision record's id is in the notice, and it is the record's.
        let id = text.split("decision record: ").nth(1).unwrap();
        let id = &id[..18];
        assert!(records.contains(&format!(r#""id":"{id}""#)), "{name}: {id}");
        if name.ends_with(".html") {
            well_formed(&text);
        }
    }
    let filters = vec![
        (r"\b[0-9a-f]{64}\b", "[hash]"),
        (r"\bd-[0-9a-f]{16}\b", "[decision-id]"),
        (r"qualify [0-9]+\.[0-9]+\.[0-9]+", "qualify [version]"),
    ];
    for name in ["000005-K-0002", "000008-K-0003"] {
        for extension in ["txt", "html"] {
            let text =
                std::fs::read_to_string(notices.join(format!("{name}.{extension}"))).unwrap();
            insta::with_settings!({filters => filters.clone(), snapshot_suffix => format!("{name}_{extension}")}, {
                insta::assert_snapshot!(text);
            });
        }
    }
}

/// Whether `text` holds a fraction such as `15/2`.
fn regex_lite_fraction() -> impl Fn(&str) -> bool {
    |text: &str| {
        let bytes = text.as_bytes();
        bytes
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2].is_ascii_digit())
    }
}

/// Parses the page with an XML reader: every element closed, in order.
fn well_formed(html: &str) {
    let body = html.strip_prefix("<!DOCTYPE html>").unwrap().trim_start();
    let mut reader = quick_xml::Reader::from_str(body);
    let mut open = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => open.push(e.name().as_ref().to_vec()),
            quick_xml::events::Event::End(e) => {
                assert_eq!(open.pop().as_deref(), Some(e.name().as_ref()));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty());
}

#[test]
fn selection_rates_by_group() {
    snapshot!(screen(
        POOL,
        &[
            "--by-group",
            "--class",
            "K9099",
            "--format",
            "table",
            "--level",
            "O"
        ]
    ));
    snapshot!(screen(
        POOL,
        &[
            "--by-group",
            "--format",
            "json",
            "--class",
            "K9099",
            "--level",
            "B"
        ]
    ));
}

/// The group an applicant gives changes nothing in its evaluation: every line of the pool,
/// screened with its group, with another group and with none, gives the same record but
/// for the applicant's content hash and the record id made from it.
#[test]
fn evaluation_never_sees_the_group() {
    let folder = tempfile::tempdir().unwrap();
    let pool = std::fs::read_to_string(POOL).unwrap();
    assert!(pool.lines().all(|l| l.contains(r#""group":"#)));
    let variants = [
        pool.clone(),
        pool.replace(r#""group":"group A""#, r#""group":"group B""#),
        pool.replace(r#""group":"group A","#, "")
            .replace(r#""group":"group B","#, ""),
    ];
    let strip = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("id");
                v["applicant"].as_object_mut().unwrap().remove("sha256");
                v
            })
            .collect()
    };
    let mut outputs = Vec::new();
    for (i, variant) in variants.iter().enumerate() {
        let path = folder.path().join(format!("pool{i}.jsonl"));
        std::fs::write(&path, variant).unwrap();
        let out = qualify()
            .args([
                "screen",
                path.to_str().unwrap(),
                "--as-of",
                AS_OF,
                "--format",
                "jsonl",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .replace(&format!("pool{i}.jsonl"), "pool");
        outputs.push(strip(&text));
    }
    assert_ne!(variants[0], variants[2]);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

/// A second run replaces each notice whole and keeps the mode a notice was given.
#[test]
fn notices_written_again_replace_the_old_ones_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let run = || {
        let args = ["--class", "K9099", "--level", "O", "--format", "jsonl"];
        let mut command = screen(POOL, &args);
        let out = command.arg("--notices").arg(&notices).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run();
    let one = notices.join("000001-G-0003.txt");
    let first = std::fs::read_to_string(&one).unwrap();
    std::fs::write(&one, "stale").unwrap();
    std::fs::set_permissions(&one, std::fs::Permissions::from_mode(0o640)).unwrap();
    run();
    assert_eq!(std::fs::read_to_string(&one).unwrap(), first);
    let mode = std::fs::metadata(&one).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        std::fs::read_dir(&notices).unwrap().count(),
        24,
        "no temporary file is left"
    );
}

/// A symbolic link planted at a notice's name (it is predictable) is replaced by the notice:
/// the file it points to, outside the folder or the very pool being screened, is kept.
#[test]
fn a_link_at_a_notices_name_is_replaced_not_written_through() {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    std::fs::copy(POOL, &pool).unwrap();
    let pool_text = std::fs::read(&pool).unwrap();
    let elsewhere = folder.path().join("victim.txt");
    std::fs::write(&elsewhere, "precious\n").unwrap();
    let notices = folder.path().join("notices");
    std::fs::create_dir(&notices).unwrap();
    let text = notices.join("000001-G-0003.txt");
    let html = notices.join("000001-G-0003.html");
    std::os::unix::fs::symlink(&elsewhere, &text).unwrap();
    std::os::unix::fs::symlink(&pool, &html).unwrap();
    let args = ["--class", "K9099", "--level", "B", "--format", "jsonl"];
    let out = screen(pool.to_str().unwrap(), &args)
        .arg("--notices")
        .arg(&notices)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "precious\n");
    assert_eq!(std::fs::read(&pool).unwrap(), pool_text);
    for notice in [&text, &html] {
        let meta = std::fs::symlink_metadata(notice).unwrap();
        assert!(meta.is_file(), "{} is a notice now", notice.display());
    }
    assert!(std::fs::read_to_string(&text).unwrap().contains("G-0003"));
    assert!(std::fs::read_to_string(&html).unwrap().contains("<html"));
    assert_eq!(
        std::fs::read_dir(&notices).unwrap().count(),
        24,
        "no temporary file is left"
    );
}

/// A group name with a line break, a tab or control characters stays on its own line of the
/// selection rates, with them written as escapes.
#[test]
fn a_group_name_cannot_break_the_rates_report() {
    let lines = "{\"id\":\"a\",\"group\":\"one\\nfake line\\u001b[31m\"}\n{\"id\":\"b\",\"group\":\"two\\tb\"}\n";
    let args = [
        "--class",
        "K9099",
        "--level",
        "B",
        "--by-group",
        "--format",
        "table",
    ];
    let out = with_stdin(&mut screen("-", &args), lines.as_bytes());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rates = stdout.split("selection rates by group").nth(1).unwrap();
    assert!(rates.contains("\n  one\\nfake line\\u{1b}[31m "), "{rates}");
    assert!(rates.contains("\n  two\\tb "), "{rates}");
    assert!(!rates.contains("\nfake line"), "{rates}");
}

/// What an applicant wrote (name, id, job title) cannot add a line to their notice or to the
/// table, nor reach a terminal as a control sequence: line breaks and controls are escapes.
#[test]
fn an_applicants_own_words_cannot_forge_a_line_of_a_notice() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let line = r#"{"id":"a\nb","name":"Rosa\nYou meet the minimum qualifications.\u001b[2J","experience":[{"title":"Clerk\nFAKE","categories":["public_program_experience"],"start":"2020-01-01","end":"2021-01-01"}]}"#;
    let mut command = screen("-", &["--class", "K9099", "--level", "O"]);
    command.arg("--notices").arg(&notices);
    let out = with_stdin(&mut command, format!("{line}\n").as_bytes());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains(
            "applicant a\\nb (Rosa\\nYou meet the minimum qualifications.\\u{1b}[2J), as of"
        ),
        "{table}"
    );
    let text = std::fs::read_to_string(notices.join("000001-a_b.txt")).unwrap();
    let html = std::fs::read_to_string(notices.join("000001-a_b.html")).unwrap();
    for notice in [&text, &html] {
        assert!(
            !notice.lines().any(|l| l.starts_with("You meet")),
            "{notice}"
        );
        assert!(!notice.lines().any(|l| l.starts_with("FAKE")), "{notice}");
        assert!(!notice.contains('\u{1b}'), "{notice}");
        assert!(notice.contains("Clerk\\nFAKE"), "{notice}");
    }
    well_formed(&html);
}

/// A noncharacter in what an applicant wrote (`U+FFFE`, which XML does not allow) is an
/// escape on the page, which stays well-formed XML.
#[test]
fn a_noncharacter_in_a_name_is_an_escape_on_the_page() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let line =
        r#"{"id":"n1","name":"Rosa\ufffe\uffff","education":[{"credential":"high_school"}]}"#;
    let mut command = screen("-", &["--class", "K9099", "--level", "B"]);
    command.arg("--notices").arg(&notices);
    let out = with_stdin(&mut command, format!("{line}\n").as_bytes());
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{out:?}"
    );
    let html = std::fs::read_to_string(notices.join("000001-n1.html")).unwrap();
    assert!(
        !html.contains('\u{fffe}') && !html.contains('\u{ffff}'),
        "{html}"
    );
    assert!(html.contains("Rosa\\u{fffe}\\u{ffff}"), "{html}");
    well_formed(&html);
}

/// A group named `(not given)` is a group like any other, apart from the applicants who
/// gave none; and a ratio just below four fifths (13/18 against 28/31 is 0.7996) is cut,
/// never rounded up to 0.800 beside its flag.
#[test]
fn a_group_named_not_given_and_a_ratio_just_under_four_fifths() {
    let pool = std::fs::read_to_string(POOL).unwrap();
    let met = pool.lines().nth(5).unwrap();
    let with_group = |group: &str, meets: bool| {
        let mut value: serde_json::Value = if meets {
            serde_json::from_str(met).unwrap()
        } else {
            serde_json::json!({ "id": "x" })
        };
        value["group"] = serde_json::Value::from(group);
        value.to_string()
    };
    let mut lines = Vec::new();
    for (group, met, not_met) in [("A", 13, 5), ("B", 28, 3), ("(not given)", 1, 1)] {
        lines.extend(std::iter::repeat_n(with_group(group, true), met));
        lines.extend(std::iter::repeat_n(with_group(group, false), not_met));
    }
    lines.push(serde_json::json!({ "id": "y" }).to_string());
    let input = lines.join("\n") + "\n";
    let args = ["--class", "K9099", "--level", "B", "--by-group", "--format"];
    let out = with_stdin(screen("-", &args).arg("csv"), input.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let row = |group: &str| {
        stderr
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{group} ")))
            .unwrap_or_else(|| panic!("no row for {group}: {stderr}"))
            .to_owned()
    };
    assert!(row("A").contains("ratio 0.799  ⚑ below 4/5"), "{stderr}");
    let not_given = row("(not given)");
    assert!(
        not_given.contains(" 2 applicants ") && not_given.contains("rate  50.0%"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  1 applicant gave no group (not compared)"),
        "{stderr}"
    );
    let out = with_stdin(screen("-", &args).arg("json"), input.as_bytes());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rates = &summary["selection_rates"][0];
    assert_eq!(rates["not_given"], 1, "{rates}");
    let group_a = rates["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "A")
        .unwrap();
    assert_eq!(group_a["ratio_to_highest"], "0.799");
    assert_eq!(group_a["below_four_fifths"], true);
}

/// The notices of every level of every shipped class are in the rules' words: no
/// identifier of the rules (a field set of subjects among them), no fraction, well-formed.
#[test]
fn notices_of_every_shipped_level_name_no_identifier() {
    let identifiers = rule_identifiers();
    let fraction = regex_lite_fraction();
    let levels = [
        ("K9099", "B"),
        ("K9099", "O"),
        ("K9099", "A"),
        ("G1099", "B"),
        ("G1099", "O"),
        ("G1099", "A"),
        ("38480", "specialist"),
    ];
    for (class, level) in levels {
        let folder = tempfile::tempdir().unwrap();
        let args = [
            "--class",
            class,
            "--level",
            level,
            "--format",
            "csv",
            "--notices",
        ];
        let out = screen(POOL, &args).arg(folder.path()).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for entry in std::fs::read_dir(folder.path()).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for identifier in &identifiers {
                assert!(
                    !text.contains(identifier.as_str()),
                    "{path:?} names {identifier}"
                );
            }
            assert!(!fraction(&text), "{path:?} has a fraction");
            if path.extension().is_some_and(|e| e == "html") {
                well_formed(&text);
            }
        }
    }
}

/// With no group having anyone selected there is no highest rate: the ratio is `null` in
/// the data and `—` in words, never a dash in a JSON number's place.
#[test]
fn a_ratio_without_a_highest_rate_is_null_in_json() {
    let lines = "{\"id\":\"a\",\"group\":\"one\"}\n{\"id\":\"b\",\"group\":\"two\"}\n";
    let args = ["--class", "K9099", "--level", "B", "--by-group"];
    let json_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let out = with_stdin(&mut screen("-", &json_args), lines.as_bytes());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = summary.to_string();
    assert!(text.contains("\"ratio_to_highest\":null"), "{text}");
    assert!(text.contains("\"highest_group\":null"), "{text}");
    assert!(!text.contains('—'), "{text}");
    let table_args: Vec<&str> = args.iter().copied().chain(["--format", "table"]).collect();
    let out = with_stdin(&mut screen("-", &table_args), lines.as_bytes());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("ratio —"), "{stdout}");
    assert!(
        stdout.contains("highest rate — (no group has anyone who met it)"),
        "{stdout}"
    );
}

/// A `group` of `null` is no group, as `null` is for every optional key; a group is at most
/// 256 characters (Q317); groups are tallied at minimum tiers only, so a recommended tier
/// carries no count of applicants without a group.
#[test]
fn a_null_group_is_no_group_and_a_long_one_is_refused() {
    let long = "g".repeat(257);
    let lines = format!(
        "{{\"id\":\"a\",\"group\":null}}\n{{\"id\":\"b\",\"group\":\"{long}\"}}\n\
         {{\"id\":\"c\",\"group\":\"{}\"}}\n",
        &long[1..]
    );
    let args = [
        "--class",
        "K9099",
        "--level",
        "B",
        "--summary",
        "--by-group",
    ];
    let json_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let out = with_stdin(&mut screen("-", &json_args), lines.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("at -:2"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for tier in summary["tiers"].as_array().unwrap() {
        let minimum = tier["tier"] == "minimum";
        assert_eq!(tier.get("group_not_given").is_some(), minimum, "{tier}");
        if minimum {
            assert_eq!(tier["group_not_given"]["applicants"], 1, "{tier}");
            assert_eq!(tier["groups"].as_object().unwrap().len(), 1, "{tier}");
        }
    }
    let out = with_stdin(
        &mut screen("-", &["--class", "K9099", "--level", "B"]),
        lines.as_bytes(),
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Q317"), "{stdout}");
}

/// A notice's figures add up for a person: jobs held at the same time are followed by the
/// total counted and why, credits are the amounts written (never cut to whole credits),
/// and a job shorter than a month is "part of a month".
#[test]
fn a_notice_says_what_overlapping_jobs_count_and_keeps_decimal_credits() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let lines = [
        r#"{"id":"overlap","education":[{"credential":"associate","field":"Finance","completed":"2020-05-15"}],"experience":[{"title":"Eligibility Worker","categories":["public_program_experience"],"start":"2023-07-01","end":"2024-06-30"},{"title":"Evening Intake Clerk","categories":["public_program_experience"],"start":"2023-07-01","end":"2024-06-30"}]}"#,
        r#"{"id":"credits","education":[{"credential":"high_school"}],"coursework":[{"credits":44.9,"credit_unit":"quarter","field":"Accounting","accredited":true},{"credits":"1/3","field":"Finance"}],"experience":[{"title":"Temp clerk","categories":["public_program_experience"],"start":"2024-06-16","end":"2024-06-30"}]}"#,
    ];
    let mut command = screen("-", &["--class", "K9099", "--level", "O"]);
    command.arg("--notices").arg(&notices);
    with_stdin(&mut command, format!("{}\n", lines.join("\n")).as_bytes());
    let overlap = std::fs::read_to_string(notices.join("000001-overlap.txt")).unwrap();
    assert!(
        overlap.contains(
            "  - counted in all: 12 months of experience with a public assistance program"
        ),
        "{overlap}"
    );
    assert!(
        overlap.contains("(time in jobs held at the same time counts once, up to full time)"),
        "{overlap}"
    );
    assert!(
        overlap.contains("  - 12 more months of experience"),
        "{overlap}"
    );
    let credits = std::fs::read_to_string(notices.join("000002-credits.txt")).unwrap();
    assert!(
        credits.contains("coursework in Accounting: 44.90 quarter credits"),
        "{credits}"
    );
    assert!(
        credits.contains("coursework in Finance: 0.33 semester credits"),
        "{credits}"
    );
    assert!(
        credits.contains("Temp clerk, 2024-06-16 to 2024-06-30: part of a month of"),
        "{credits}"
    );
    // One job alone adds no "in all" line.
    assert!(!credits.contains("counted in all"), "{credits}");
}

/// Groups are told apart up to 1,000, in the order first seen: the applicants of groups
/// after that are counted apart and never compared, so the summary stays bounded when a
/// pool gives every applicant a group of its own.
#[test]
fn groups_past_the_first_thousand_are_counted_apart() {
    let lines: String = (0..1005)
        .map(|i| format!("{{\"id\":\"a{i}\",\"group\":\"g{i:04}\"}}\n"))
        .collect();
    let args = ["--class", "K9099", "--level", "B", "--by-group"];
    let json_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let out = with_stdin(&mut screen("-", &json_args), lines.as_bytes());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = summary.to_string();
    assert!(
        text.contains("\"past_group_limit\":5"),
        "{}",
        &text[..2000.min(text.len())]
    );
    let table_args: Vec<&str> = args.iter().copied().chain(["--format", "table"]).collect();
    let out = with_stdin(&mut screen("-", &table_args), lines.as_bytes());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("5 applicants in groups first seen after 1000 others (not compared)"),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
    assert!(
        stdout.contains("  g0999 "),
        "the thousandth group is compared"
    );
    assert!(
        !stdout.contains("  g1000 "),
        "the thousand-and-first is not"
    );
}

/// A notice about one level says what that level counts: a job in a category only another
/// level counts is not listed as counted, and a degree completed after the date of the
/// decision is named as not counted.
#[test]
fn a_notice_counts_what_its_level_counts() {
    let notice_of = |line: &str, class: &str, level: &str| {
        let folder = tempfile::tempdir().unwrap();
        let notices = folder.path().join("notices");
        let args = [
            "--class",
            class,
            "--level",
            level,
            "--format",
            "jsonl",
            "--notices",
            notices.to_str().unwrap(),
        ];
        let out = with_stdin(&mut screen("-", &args), format!("{line}\n").as_bytes());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let entry = std::fs::read_dir(&notices)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "txt"))
            .unwrap();
        std::fs::read_to_string(entry).unwrap()
    };
    let social_worker = r#"{"id":"S-1","education":[{"credential":"high_school","completed":"2015-06-01"}],"experience":[{"title":"Social Worker, County Family Services","categories":["social_worker"],"start":"2022-07-01","end":"2024-06-30"}]}"#;
    let text = notice_of(social_worker, "G1099", "B");
    let counted = &text[text.find("What we read").unwrap()..text.find("What is missing").unwrap()];
    assert!(!counted.contains("Social Worker, County"), "{text}");
    assert!(counted.contains("High school diploma"), "{text}");
    let late = r#"{"id":"L-1","education":[{"credential":"bachelor","field":"Finance","accredited":true,"completed":"2099-07-01"}],"experience":[{"title":"Eligibility Clerk","categories":["public_program_experience"],"start":"2022-07-01","end":"2024-06-30"}]}"#;
    let text = notice_of(late, "K9099", "O");
    assert!(
        text.contains("completed 2099-07-01, after the date of this decision: not counted"),
        "{text}"
    );
}

/// 38480's minimum counts counseling alone on its direct path and counseling or case
/// management together in its combination: a counselor's job is counted under both. A
/// notice lists each job once, so that its months are not read as counted twice.
#[test]
fn a_job_counted_under_two_category_sets_is_listed_once() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let out = screen(
        POOL,
        &[
            "--class",
            "38480",
            "--level",
            "specialist",
            "--format",
            "csv",
            "--notices",
            notices.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut checked = 0;
    for entry in std::fs::read_dir(&notices).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let jobs: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("  - ") && l.contains(" to ") && l.contains(" months"))
            .map(|l| l.split(": ").next().unwrap())
            .collect();
        let unique: std::collections::BTreeSet<&&str> = jobs.iter().collect();
        assert_eq!(unique.len(), jobs.len(), "{}:\n{text}", path.display());
        checked += jobs.len();
    }
    assert!(checked > 0);
    let counselor = std::fs::read_to_string(notices.join("000011-PA-0003.txt")).unwrap();
    assert_eq!(
        counselor
            .matches("Counselor, Outpatient Recovery Program, 2015-07-01 to 2018-06-30")
            .count(),
        1,
        "{counselor}"
    );
}

/// An id and a name of only white space say nothing: the notice is for "the applicant", its
/// file is named as for an applicant with no id, and the table's heading says "(no id)".
/// A group of one counts "1 applicant".
#[test]
fn a_blank_id_and_name_are_no_id_and_no_name() {
    let (folder, out) = screened_with_notices(
        "{\"id\":\"\",\"name\":\"  \",\"group\":\"solo\",\"education\":[{\"credential\":\"high_school\"}]}",
        &[
            "--class",
            "K9099",
            "--level",
            "O",
            "--by-group",
            "--format",
            "table",
        ],
    );
    let notices = folder.path().join("notices");
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("applicant (no id), as of 2024-06-30"),
        "{table}"
    );
    assert!(table.contains(" 1 applicant  "), "{table}");
    assert!(!table.contains("1 applicants"), "{table}");
    let text = std::fs::read_to_string(notices.join("000001-applicant.txt")).unwrap();
    assert!(text.contains("\nFor the applicant\n"), "{text}");
}

/// 38480's direct path lacks an either/or (12 more months of counseling, or 36 of case
/// management) and its substitution 12 months of education and experience together and 12
/// of experience: the nearest way is the direct path, its either/or counted as its nearest
/// alternative. It used to count as a credential lacked, which put it behind any amount.
#[test]
fn the_nearest_way_counts_an_either_or_as_its_nearest_alternative() {
    let (folder, _) = screened_with_notices(
        "{\"id\":\"d1\",\"education\":[{\"credential\":\"bachelor\",\"field\":\"Psychology\",\
         \"accredited\":true,\"subjects\":{\"Psychology\":18}}],\"experience\":[{\"title\":\
         \"Counselor\",\"categories\":[\"sud_mh_counseling\"],\"start\":\"2022-07-01\",\
         \"end\":\"2024-06-30\"}]}",
        &[
            "--class",
            "38480",
            "--level",
            "specialist",
            "--format",
            "csv",
        ],
    );
    let notices = folder.path().join("notices");
    let text = std::fs::read_to_string(notices.join("000001-d1.txt")).unwrap();
    assert!(
        text.contains("The nearest way to qualify is as the requirement is written: it needs one of: 12 more months"),
        "{text}"
    );
}

/// The same months of experience make up a combination's total and the experience it must
/// include: 38480 Specialist's substitution lacks 14 months of each, which 14 months of
/// counseling make up, against 16 months the nearest alternative of the direct path needs.
/// The two shortfalls used to be added up (28 months), which named the direct path nearest.
#[test]
fn the_nearest_way_counts_months_toward_a_total_and_its_experience_once() {
    let (folder, _) = screened_with_notices(
        "{\"id\":\"n1\",\"education\":[{\"credential\":\"bachelor\",\"field\":\"Psychology\",\
         \"subjects\":{\"Psychology\":18}}],\"experience\":[{\"title\":\"Counselor\",\
         \"categories\":[\"sud_mh_counseling\"],\"start\":\"2022-01-01\",\"end\":\"2023-08-31\"},\
         {\"title\":\"Case manager\",\"categories\":[\"sud_mh_case_management\"],\
         \"start\":\"2024-01-01\",\"end\":\"2024-02-29\"}]}",
        &[
            "--class",
            "38480",
            "--level",
            "specialist",
            "--format",
            "csv",
        ],
    );
    let notices = folder.path().join("notices");
    let text = std::fs::read_to_string(notices.join("000001-n1.txt")).unwrap();
    let nearest = text
        .lines()
        .find(|l| l.starts_with("The nearest way to qualify"))
        .unwrap_or_default();
    assert!(
        nearest.starts_with("The nearest way to qualify is through the substitution")
            && nearest.contains("it needs 14 more months of education and ")
            && nearest.ends_with("(months that count toward that total too)."),
        "{text}"
    );
}

/// A notice says when the last day counted is not the job's own (a current job, or one
/// that ends after the date of the decision), and names a job that starts after that date
/// as not counted, as it names a degree completed after it.
#[test]
fn a_notice_says_how_each_job_was_dated() {
    let (folder, _) = screened_with_notices(
        "{\"id\":\"j1\",\"education\":[{\"credential\":\"high_school\"}],\"experience\":[\
         {\"title\":\"Current Job\",\"categories\":[\"public_program_experience\"],\
         \"start\":\"2024-01-01\"},\
         {\"title\":\"Ends Later\",\"categories\":[\"public_program_experience\"],\
         \"start\":\"2023-10-01\",\"end\":\"2024-12-31\",\"hours_per_week\":10},\
         {\"title\":\"Future Job\",\"categories\":[\"public_program_experience\"],\
         \"start\":\"2024-07-01\",\"end\":\"2025-06-30\"}]}",
        &["--class", "K9099", "--level", "B", "--format", "csv"],
    );
    let notices = folder.path().join("notices");
    let text = std::fs::read_to_string(notices.join("000001-j1.txt")).unwrap();
    for line in [
        "Current Job, 2024-01-01 to 2024-06-30 (a current job): 6 months",
        "Ends Later, 2023-10-01 to 2024-06-30 (cut at the date of this decision): ",
        "Future Job, starts 2024-07-01, after the date of this decision: not counted",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

/// Screens a pool of the one JSON Lines `line` with `extra`, writing notices into the
/// `notices` folder of the temporary folder given back; the run must succeed.
fn screened_with_notices(line: &str, extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let folder = tempfile::tempdir().unwrap();
    let pool = folder.path().join("pool.jsonl");
    std::fs::write(&pool, format!("{line}\n")).unwrap();
    let notices = folder.path().join("notices");
    let out = screen(pool.to_str().unwrap(), extra)
        .arg("--notices")
        .arg(&notices)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (folder, out)
}

/// The nearest way to qualify is a sentence: a credential in it takes its article, and one
/// credit of coursework is one credit.
#[test]
fn the_nearest_way_reads_as_a_sentence() {
    let folder = tempfile::tempdir().unwrap();
    let notices = folder.path().join("notices");
    let line = r#"{"id":"n1","coursework":[{"field":"Accounting","credits":1}],"experience":[{"title":"Clerk","categories":["public_program_experience"],"start":"2020-01-01","end":"2021-01-01"}]}"#;
    let mut command = screen("-", &["--class", "K9099", "--level", "B"]);
    command.arg("--notices").arg(&notices);
    with_stdin(&mut command, format!("{line}\n").as_bytes());
    let text = std::fs::read_to_string(notices.join("000001-n1.txt")).unwrap();
    assert!(
        text.contains("it needs a high school diploma or higher."),
        "{text}"
    );
    assert!(
        text.contains("coursework in Accounting: 1 semester credit\n"),
        "{text}"
    );
}
