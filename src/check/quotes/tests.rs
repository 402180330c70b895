//! Unit tests of quote verification on the shipped source documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::document::{Document, normalise_text};
use super::sections::{Sections, path_keys};
use super::{occurs_in_order, quote_pieces};

const K9099: &str = include_str!("../../../rules/sources/000_d8c2fb164fd20970.txt");
const PA_38480: &str = include_str!("../../../rules/sources/002_a7a2fa00dc31e15b.txt");

fn section_text(text: &str, cites: &[&str], cite: &str) -> String {
    let document = Document::read(text);
    let paths: Vec<Vec<String>> = cites.iter().map(|c| path_keys(c)).collect();
    let sections = Sections::new(&document, &paths);
    let found = sections.resolve(cite).unwrap();
    assert_eq!(found.len(), 1, "{cite}");
    let (start, end) = document.joined_range(found[0].clone());
    document.joined[start..end].to_owned()
}

#[test]
fn a_path_finds_the_heading_under_its_parent() {
    let cites = [
        "Basic › Minimum Qualifications",
        "Operational › Minimum Qualifications",
    ];
    let basic = section_text(K9099, &cites, cites[0]);
    assert!(basic.starts_with("High school diploma or GED and six (6) months"));
    assert!(basic.ends_with("general public."));
    let operational = section_text(K9099, &cites, cites[1]);
    assert!(operational.starts_with("Associates degree"));
    assert!(operational.contains("totaling four (4) years"));
}

#[test]
fn a_capitals_label_opens_a_section_that_runs_to_the_next_heading() {
    let cite = "Minimum Experience and Training";
    let text = section_text(PA_38480, &[cite], cite);
    assert!(text.starts_with("(NOTE: Based on"), "{text}");
    assert!(text.contains("a bachelor's degree that includes 18 credits"));
    assert!(text.ends_with("18 credits in the behavioral sciences."));
}

#[test]
fn a_missing_part_names_where_it_was_looked_for() {
    let cites = [
        "Basic › Minimum Qualification",
        "Operational › Minimum Qualifications",
    ];
    let document = Document::read(K9099);
    let paths: Vec<Vec<String>> = cites.iter().map(|c| path_keys(c)).collect();
    let unresolved = Sections::new(&document, &paths)
        .resolve(cites[0])
        .unwrap_err();
    assert_eq!(unresolved.part, "Minimum Qualification");
    assert_eq!(unresolved.within.as_deref(), Some("Basic"));
    assert!(
        unresolved
            .candidates
            .iter()
            .any(|c| c == "Minimum Qualifications")
    );
}

#[test]
fn quotes_ignore_white_space_and_curly_quotes() {
    assert_eq!(
        normalise_text(" a\u{00a0}\n bachelor\u{2019}s\t“degree” "),
        "a bachelor's \"degree\""
    );
    let pieces = quote_pieces("Associates degree in ... and two (2) years …");
    assert_eq!(pieces, ["Associates degree in", "and two (2) years"]);
    assert_eq!(
        occurs_in_order("x Associates degree in y and two (2) years", &pieces),
        Some(2..42)
    );
    assert_eq!(
        occurs_in_order("and two (2) years Associates degree in", &pieces),
        None
    );
}

#[test]
fn every_line_ending_separates_paragraphs() {
    let cite = "Basic › Minimum Qualifications";
    let cites = [cite, "Operational › Minimum Qualifications"];
    for ending in ["\r\n", "\r"] {
        let text = K9099.replace('\n', ending);
        let basic = section_text(&text, &cites, cite);
        assert!(
            basic.starts_with("High school diploma or GED and six (6) months"),
            "{ending:?}"
        );
        assert!(basic.ends_with("general public."), "{ending:?}");
    }
}

#[test]
fn the_closest_passage_is_the_window_sharing_most_words() {
    let text = "Heading\n\nalpha beta gamma delta epsilon zeta eta theta";
    let document = Document::read(text);
    let area = 0..document.words.len();
    let found = super::closest::closest_passage(&document, area, &["delta", "epsilon", "zeta"]);
    assert_eq!(found.0, 3);
    assert_eq!(document.shown_words(found.1), "delta epsilon zeta");
}

#[test]
fn the_closest_passage_is_looked_for_in_every_section_cited() {
    let text = "Basic\n\nalpha beta gamma\n\nOperational\n\ndelta epsilon zeta";
    let document = Document::read(text);
    let first = document.headings[0].body_start..document.headings[0].body_end;
    let second = document.headings[1].body_start..document.headings[1].body_end;
    let quote = ["epsilon", "zeta", "eta"];
    let found = super::closest::closest_in_areas(&document, &[first, second], &quote);
    assert_eq!(document.shown_words(found), "delta epsilon zeta");
    let empty_sections = vec![0..0; 2];
    let empty = super::closest::closest_in_areas(&document, &empty_sections, &quote);
    assert_eq!(document.shown_words(empty), "delta epsilon zeta");
}

#[test]
fn a_quote_is_found_only_as_whole_words() {
    let source = "Experience in an unrelated field does not count toward the requirement.";
    let found = |quote: &str| occurs_in_order(source, &quote_pieces(quote)).is_some();
    assert!(!found("related field does not count"));
    assert!(!found("Experience in an unrelated fiel"));
    assert!(found("unrelated field does not count"));
    // Punctuation beside a word is no part of it: a quote may stop before a full stop.
    assert!(found("toward the requirement"));
    assert!(found("toward the requirement."));
    assert!(found("Experience in ... the requirement"));
    assert!(!found("Experience in ... he requirement"));
}
