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
    let format = Format::of(name)?;
    let (root, _) = parse(FileId(0), format, text);
    let mut node = root?;
    for step in key_path.split('.') {
        let (key, index) = match step.split_once('[') {
            Some((key, rest)) => (key, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (step, None),
        };
        node = child(node, key)?;
        if let Some(index) = index {
            node = entry(node, index)?;
        }
    }
    Some(node.span)
}

fn child(node: Node, key: &str) -> Option<Node> {
    match node.kind {
        NodeKind::Table(entries) => entries.into_iter().find(|e| e.key == key).map(|e| e.value),
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
    fn json_files_are_found_too() {
        let json = r#"{"coursework": [{"credits": "1/3"}]}"#;
        let span = locate_value("a.json", json, "coursework[0].credits");
        assert_eq!(span.and_then(|s| json.get(s)), Some("\"1/3\""));
    }
}
