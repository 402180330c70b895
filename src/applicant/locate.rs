//! Finding a value in an applicant file by its key path (`experience[4].hours_per_week`), so
//! that a refusal raised after reading, such as an amount evaluation cannot hold exactly
//! (Q320), can point at the value in the file.

use std::ops::Range;

use super::document::{Node, NodeKind};
use super::read::{Format, parse};
use crate::source::FileId;

/// The span of the value at `key_path` in the applicant file `name` with `text`: keys
/// separated by `.`, a list entry by its index from 0 in brackets. `None` when the file does
/// not parse or holds no such value.
pub fn locate_value(name: &str, text: &str, key_path: &str) -> Option<Range<usize>> {
    walk(name, text, key_path).map(|(node, _)| node.span)
}

/// The span of the key that ends `key_path` (a subject's name in its `subjects` table), for
/// a diagnostic about the key rather than its value. `None` as for [`locate_value`], and
/// when the path ends in a list index.
pub fn locate_key(name: &str, text: &str, key_path: &str) -> Option<Range<usize>> {
    walk(name, text, key_path).and_then(|(_, key)| key)
}

/// The node at `key_path`, with the span of its key when the path's last step is a key.
fn walk(name: &str, text: &str, key_path: &str) -> Option<(Node, Option<Range<usize>>)> {
    let format = Format::of(name)?;
    let (root, _) = parse(FileId(0), format, text);
    let mut node = root?;
    let mut key_span = None;
    for step in key_path.split('.') {
        let (key, index) = match step.split_once('[') {
            Some((key, rest)) => (key, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (step, None),
        };
        let (value, span) = child(node, key)?;
        node = value;
        key_span = Some(span);
        if let Some(index) = index {
            node = entry(node, index)?;
            key_span = None;
        }
    }
    Some((node, key_span))
}

fn child(node: Node, key: &str) -> Option<(Node, Range<usize>)> {
    match node.kind {
        NodeKind::Table(entries) => entries
            .into_iter()
            .find(|e| e.key == key)
            .map(|e| (e.value, e.key_span)),
        _ => None,
    }
}

fn entry(node: Node, index: usize) -> Option<Node> {
    match node.kind {
        NodeKind::Array(items) => items.into_iter().nth(index),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = "id = \"A\"\n\n[[experience]]\ntitle = \"a\"\n\n[[experience]]\ntitle = \"b\"\nhours_per_week = \"1/7\"\n";

    #[test]
    fn a_value_in_a_list_entry_is_found() {
        let span = locate_value("a.toml", TOML, "experience[1].hours_per_week");
        assert_eq!(span.and_then(|s| TOML.get(s)), Some("\"1/7\""));
    }

    #[test]
    fn a_path_the_file_does_not_hold_is_none() {
        assert_eq!(
            locate_value("a.toml", TOML, "experience[2].hours_per_week"),
            None
        );
        assert_eq!(locate_value("a.toml", TOML, "coursework[0].credits"), None);
        assert_eq!(locate_value("a.txt", TOML, "id"), None);
    }

    #[test]
    fn a_key_is_found_by_its_path() {
        let toml = "[[education]]\nsubjects = { Pyschology = 12 }\n";
        let span = locate_key("a.toml", toml, "education[0].subjects.Pyschology");
        assert_eq!(span.and_then(|s| toml.get(s)), Some("Pyschology"));
        let json = r#"{"education": [{"subjects": {"Pyschology": 12}}]}"#;
        let span = locate_key("a.json", json, "education[0].subjects.Pyschology");
        assert_eq!(span.and_then(|s| json.get(s)), Some("\"Pyschology\""));
    }

    #[test]
    fn json_files_are_found_too() {
        let json = r#"{"coursework": [{"credits": "1/3"}]}"#;
        let span = locate_value("a.json", json, "coursework[0].credits");
        assert_eq!(span.and_then(|s| json.get(s)), Some("\"1/3\""));
    }
}
