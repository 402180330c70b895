//! Unit tests of the session, driven in memory over the shipped rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

const SHIPPED: [(&str, &str); 4] = [
    ("rules/g1099.qual", include_str!("../../rules/g1099.qual")),
    ("rules/k9099.qual", include_str!("../../rules/k9099.qual")),
    (
        "rules/pa_38480.qual",
        include_str!("../../rules/pa_38480.qual"),
    ),
    (
        "rules/profiles.qual",
        include_str!("../../rules/profiles.qual"),
    ),
];

pub(super) fn session() -> (Session, MemoryFiles) {
    let files = MemoryFiles::new();
    for (path, text) in SHIPPED {
        files.insert(path, text);
    }
    let options = Options {
        today: jiff::civil::date(2024, 6, 30),
        style: crate::diagnostics::render::Style::Human { color: false },
        width: 100,
    };
    let mut session = Session::new(Box::new(files.clone()), options);
    let opened = session.open_rules(std::path::Path::new("rules"));
    assert!(!opened.error, "{}", opened.text);
    (session, files)
}

pub(super) fn ok(session: &mut Session, line: &str) -> String {
    let response = session.handle(line);
    assert!(!response.error, "`{line}` failed:\n{}", response.text);
    response.text
}

pub(super) fn failing(session: &mut Session, line: &str) -> String {
    let response = session.handle(line);
    assert!(response.error, "`{line}` should fail:\n{}", response.text);
    response.text
}

#[test]
fn shipped_rules_load_with_a_summary() {
    let (session, _) = session();
    assert!(session.rules().is_some());
}

#[test]
fn fields_of_the_rules_are_known() {
    let (mut session, _) = session();
    ok(&mut session, ":add edu bachelor \"Finance\" accredited");
    let shown = ok(&mut session, ":show");
    assert!(!shown.contains("not in any field set"), "{shown}");
    ok(&mut session, ":add edu associate \"Basket weaving\"");
    let shown = ok(&mut session, ":show");
    assert!(shown.contains("not in any field set"), "{shown}");
}

/// A field a field set lists under another spelling (`also`), or written in another case,
/// punctuation or spacing, is the field evaluation finds: it is not flagged.
#[test]
fn fields_written_as_a_listed_spelling_are_known() {
    let (mut session, _) = session();
    ok(&mut session, ":add edu associate \"Business Admin\"");
    ok(
        &mut session,
        ":add edu associate \"health care administration\"",
    );
    let shown = ok(&mut session, ":show");
    assert!(!shown.contains("not in any field set"), "{shown}");
}

/// A subject named again in another case, punctuation or spacing is refused as a file
/// naming it twice is (Q305): its credits would otherwise count twice.
#[test]
fn a_subject_named_again_in_another_spelling_is_refused() {
    let (mut session, _) = session();
    for again in ["psychology", "Psychology.", " psychology "] {
        let text = failing(
            &mut session,
            &format!(
                ":add edu bachelor \"Psychology\" subject \"Psychology\" 10 subject \"{again}\" 10"
            ),
        );
        assert!(text.contains("Q305"), "{text}");
        assert!(text.contains("again: subjects are compared"), "{text}");
    }
    let text = failing(
        &mut session,
        ":add course 12 \"Psychology\" subject \"Sociology\" 6 subject \"SOCIOLOGY\" 6",
    );
    assert!(text.contains("Q305"), "{text}");
}

/// Negative weekly hours are out of range, with the code an applicant file's get.
#[test]
fn negative_weekly_hours_are_out_of_range() {
    let (mut session, _) = session();
    ok(
        &mut session,
        ":add job \"Clerk\" public_program_experience 2020-01-01..2020-12-31 20h",
    );
    for hours in ["-5", "-5h", "-100/3"] {
        let text = failing(&mut session, &format!(":set job 1 hours {hours}"));
        assert!(text.contains("Q310"), "{text}");
        assert!(text.contains("hours a week is not possible"), "{text}");
    }
}

#[test]
fn unknown_command_suggests_the_nearest() {
    let (mut session, _) = session();
    let text = failing(&mut session, ":udno");
    assert!(text.contains("did you mean `:undo`?"), "{text}");
}

#[test]
fn undo_and_redo_step_through_changes() {
    let (mut session, _) = session();
    ok(
        &mut session,
        ":add job clerk public_program_experience 2020-01-01..2020-12-31",
    );
    ok(&mut session, ":set job 1 hours 20");
    ok(&mut session, ":undo");
    assert_eq!(session.state().applicant.experience[0].hours_per_week, None);
    ok(&mut session, ":redo");
    assert!(
        session.state().applicant.experience[0]
            .hours_per_week
            .is_some()
    );
    ok(&mut session, ":undo");
    ok(&mut session, ":undo");
    assert!(session.state().applicant.experience.is_empty());
    failing(&mut session, ":undo");
}

#[test]
fn undoing_a_load_forgets_its_file_so_save_cannot_overwrite_it() {
    let (mut session, files) = session();
    let kept = "name = \"Kept\"\n";
    files.insert("kept.toml", kept);
    ok(&mut session, ":new Draft");
    ok(&mut session, ":load kept.toml");
    assert_eq!(session.prompt(), "qualify(kept.toml)> ");
    ok(&mut session, ":undo");
    assert_eq!(session.prompt(), "qualify(Draft)> ");
    let refused = failing(&mut session, ":save");
    assert!(refused.contains("has no file yet"), "{refused}");
    assert_eq!(
        files.get(std::path::Path::new("kept.toml")),
        Some(kept.into())
    );
    ok(&mut session, ":redo");
    assert_eq!(session.prompt(), "qualify(kept.toml)> ");
}

#[test]
fn saving_names_the_file_without_adding_an_undo_step() {
    let (mut session, files) = session();
    ok(&mut session, ":new Draft");
    ok(&mut session, ":save draft.toml");
    assert_eq!(session.prompt(), "qualify(draft.toml)> ");
    assert!(files.get(std::path::Path::new("draft.toml")).is_some());
    ok(&mut session, ":undo");
    assert_eq!(session.prompt(), "qualify(new)> ");
}

#[test]
fn continued_lines_are_detected() {
    assert!(Session::needs_more("associate and \\"));
    assert!(Session::needs_more("(associate or"));
    assert!(!Session::needs_more("(associate) or bachelor"));
    assert!(!Session::needs_more(":new \"Ana"));
    assert!(!Session::needs_more("(associate or\n"));
    assert!(!Session::needs_more("\"(\" and"));
}

#[test]
fn no_line_panics() {
    let (mut session, _) = session();
    for line in [
        ":",
        ": ",
        ":add",
        ":add job",
        ":set",
        ":set job x",
        ":set job 0 hours 1",
        ":remove edu 99999999999999999999999",
        ":date 2024-13-45",
        ":add course -3",
        ":add job \"a\" public_program_experience 9999-01-01..",
        "((((",
        ")",
        "\"",
        ":whatif",
        ":eval ZZZ",
        ":gap",
        ":explain",
        ":save",
        ":load",
        ":rules nowhere",
        "\u{0}",
    ] {
        let _ = session.handle(line);
    }
}

#[test]
fn completion_offers_class_codes_and_categories() {
    let (session, _) = session();
    let c = session.complete(":eval K9", 8);
    assert_eq!(c.candidates, ["K9099"]);
    assert_eq!(c.start, 6);
    let c = session.complete(":add job \"Clerk\" public_", 24);
    assert_eq!(c.candidates, ["public_program_experience"]);
    let c = session.complete(":ex", 3);
    assert_eq!(c.candidates, [":explain"]);
}

#[test]
fn completion_offers_levels_credentials_field_sets_and_paths() {
    let (session, files) = session();
    assert_eq!(
        session.complete(":gap K9099 ", 11).candidates,
        ["A", "B", "O"]
    );
    assert_eq!(
        session.complete(":add edu bac", 12).candidates,
        ["bachelor"]
    );
    let line = "associate in healthcare_a";
    assert_eq!(
        session.complete(line, line.len()).candidates,
        ["healthcare_admin_fields"]
    );
    files.insert("applicants/ana.toml", "");
    files.insert("applicants/bo.json", "");
    let line = ":load applicants/a";
    let c = session.complete(line, line.len());
    assert_eq!(c.candidates, ["applicants/ana.toml"]);
    assert_eq!(c.start, 6);
    assert_eq!(session.complete(":load app", 9).candidates, ["applicants/"]);
}

#[test]
fn completion_quotes_paths_with_spaces_and_ignores_the_case_of_codes() {
    let (session, files) = session();
    files.insert("sp ace/my file.toml", "");
    let c = session.complete(":load sp", 8);
    assert_eq!(c.candidates, ["\"sp ace/"]);
    assert_eq!(c.start, 6);
    let line = ":load \"sp ace/my";
    let c = session.complete(line, line.len());
    assert_eq!(c.candidates, ["sp ace/my file.toml\""]);
    assert_eq!(c.start, 7);
    assert_eq!(session.complete(":gap k9", 7).candidates, ["K9099"]);
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    /// Statements built from the REPL's own words, so that most reach deep into the commands.
    fn statement() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            ":add",
            ":set",
            ":remove",
            ":date",
            ":whatif",
            ":eval",
            ":explain",
            ":gap",
            ":undo",
            ":redo",
            ":baseline",
            ":diff",
            ":show",
            ":new",
            ":save",
            ":load",
            ":help",
            ":rules",
            "job",
            "edu",
            "course",
            "1",
            "2",
            "0",
            "-1",
            "99999999999999999999",
            "hours",
            "end",
            "start",
            "title",
            "categories",
            "credential",
            "field",
            "accredited",
            "completed",
            "credits",
            "subject",
            "quarter",
            "K9099",
            "O",
            "A",
            "38480",
            "associate",
            "bachelor",
            "public_program_experience",
            "healthcare_admin_fields",
            "\"Finance\"",
            "\"",
            "(",
            ")",
            "and",
            "or",
            "of",
            "in",
            "2",
            "years",
            "months",
            "2019-01-01..2021-06-30",
            "2021-01-01..",
            "..",
            "20h",
            "0h",
            "full",
            "current",
            "none",
            "yes",
            "\\",
            "#",
        ]);
        prop::collection::vec(words, 0..10).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn no_statement_panics(lines in prop::collection::vec(statement(), 1..8)) {
            let (mut session, _) = session();
            for line in &lines {
                let _ = session.handle(line);
                let _ = session.complete(line, line.len());
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,60}") {
            let (mut session, _) = session();
            let _ = session.handle(&text);
            let _ = session.handle(&format!(":{text}"));
            let cursor = text.len() / 2;
            let _ = session.complete(&text, cursor);
        }

        #[test]
        fn completion_of_quotes_and_escapes_never_panics(text in "[\":load \\\\(é ]{0,30}") {
            let (session, _) = session();
            for cursor in 0..=text.len() + 1 {
                let completion = session.complete(&text, cursor);
                prop_assert!(completion.start <= text.len());
            }
        }
    }
}

#[test]
fn undo_keeps_fewer_steps_of_a_large_applicant_and_an_applicant_holds_at_most_so_many_entries() {
    let (mut session, _) = session();
    // A large applicant, set directly: each step of it weighs about 1.3 MB.
    let job = crate::applicant::Job {
        title: "Clerk".to_owned(),
        categories: vec!["public_program_experience".to_owned()],
        start: jiff::civil::date(2020, 1, 1),
        end: Some(jiff::civil::date(2020, 12, 31)),
        hours_per_week: None,
    };
    let mut large = session.state.clone();
    large.applicant.experience = vec![job; MAX_ENTRIES];
    session.state = large;
    for day in 1..=80 {
        ok(&mut session, &format!(":date 2024-01-{:02}", day % 28 + 1));
    }
    let kept = session.undo.len();
    assert!(kept < 80, "{kept} steps kept");
    assert!(
        session.undo_bytes <= MAX_UNDO_BYTES,
        "{}",
        session.undo_bytes
    );
    let refused = failing(
        &mut session,
        ":add job \"Aide\" public_program_experience 2021-01-01..2021-06-30",
    );
    assert!(
        refused.contains("10000 entries, the most a session holds"),
        "{refused}"
    );
    ok(&mut session, ":remove job 1");
    ok(
        &mut session,
        ":add job \"Aide\" public_program_experience 2021-01-01..2021-06-30",
    );
}

/// An applicant made under rules that define its job's category is not evaluated under
/// rules that do not: it would count for nothing, where `qualify eval` refuses the file.
/// `:rules` says so at once, and evaluation is refused until the entry changes.
#[test]
fn names_other_rules_do_not_define_are_refused_after_a_switch() {
    let (mut session, files) = session();
    for (path, text) in SHIPPED {
        let renamed = text.replace("public_program_experience", "public_program_exp");
        files.insert(path.replace("rules/", "renamed/"), renamed.as_str());
    }
    ok(&mut session, ":new \"Ada\"");
    ok(&mut session, ":add edu high_school");
    ok(
        &mut session,
        ":add job \"Clerk\" public_program_experience 2023-01-01..2023-12-31",
    );
    assert!(ok(&mut session, ":eval K9099 B").contains("✔"));
    let switched = ok(&mut session, ":rules renamed");
    assert!(
        switched.contains(
            "the applicant names what the rules in use do not define: job 1: experience \
             category `public_program_experience`; it is not evaluated until they change"
        ),
        "{switched}"
    );
    for line in [":eval K9099 B", ":explain K9099 B", "high_school"] {
        let refused = failing(&mut session, line);
        assert!(refused.contains("job 1: experience category"), "{refused}");
    }
    ok(&mut session, ":remove job 1");
    assert!(ok(&mut session, ":eval K9099 B").contains("✘"));
}

/// New credits for a coursework entry keep its unit when none is given, and nothing but a
/// unit may follow them: a field or subject there used to be passed over without a word.
#[test]
fn set_course_credits_keep_the_unit_and_take_nothing_else() {
    let (mut session, _) = session();
    ok(&mut session, ":new \"Ada\"");
    ok(
        &mut session,
        ":add course 90 quarter \"Accounting\" accredited",
    );
    assert!(ok(&mut session, ":set course 1 credits 60").contains("60 quarter Accounting"));
    assert!(ok(&mut session, ":set course 1 credits 30 semester").contains("30 semester"));
    let refused = failing(
        &mut session,
        ":set course 1 credits 90 quarter \"Psychology\" accredited",
    );
    assert!(refused.contains("unexpected `Psychology`"), "{refused}");
    let refused = failing(&mut session, ":set course 1 credits 90 hours");
    assert!(refused.contains("unexpected `hours`"), "{refused}");
}
