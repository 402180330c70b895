//! The large generated rule set the scale benchmarks and `examples/many_classes.rs` share:
//! the shipped profiles, the vocabulary of the shipped K9099, and copies of its class
//! (notes, `allow`s and all, comments left out) coded `K000000` on, a thousand to a file.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use qualify::check::SourceInput;

/// Classes per generated file, well under the file-size limit.
pub const CLASSES_PER_FILE: usize = 1_000;

fn input(name: &str, text: String) -> SourceInput {
    SourceInput {
        name: name.to_owned(),
        bytes: text.into_bytes(),
    }
}

/// The rule set of `count` classes, as named files.
pub fn k9099_classes(count: usize) -> Vec<SourceInput> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let profiles = std::fs::read_to_string(rules.join("profiles.qual")).unwrap();
    let k9099 = std::fs::read_to_string(rules.join("k9099.qual")).unwrap();
    let at = k9099.find("\nclass K9099").unwrap();
    let (vocabulary, class) = k9099.split_at(at);
    let class: String = class
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    let mut inputs = vec![
        input("profiles.qual", profiles),
        input("vocabulary.qual", vocabulary.to_owned()),
    ];
    for first in (0..count).step_by(CLASSES_PER_FILE) {
        let mut text = String::new();
        for i in first..count.min(first + CLASSES_PER_FILE) {
            text.push_str(&class.replace("K9099", &format!("K{i:06}")));
        }
        inputs.push(input(&format!("classes_{first:06}.qual"), text));
    }
    inputs
}
