//! Holds the direct reader to pest's: wherever it reads a text, the tree is pest's, span
//! for span; wherever pest finds a syntax error, it reads nothing.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::parse_part;
use crate::source::FileId;
use crate::syntax::ast::Item;
use crate::syntax::prescan;
use crate::syntax::syntax_error::RESERVED_WORDS;
use crate::syntax::whole::parse_whole_part_with_pest;

/// Whether the direct reader read `text`; panics when what it read is not pest's tree.
fn read_as_pest_reads(text: &str) -> bool {
    let file = FileId(3);
    let Some(direct) = parse_part(file, text, 17) else {
        return false;
    };
    let pest = parse_whole_part_with_pest(file, text, 17);
    assert_eq!(Some(direct), pest, "the readers differ on:\n{text}");
    assert_eq!(prescan::scan(text), [], "read with a hazard:\n{text}");
    true
}

/// Every rule file of the project (the shipped rules, the examples and the test fixtures).
fn rule_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for folder in ["rules", "examples", "tests/fixtures"] {
        collect(&root.join(folder), &mut found);
    }
    found.sort();
    found
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(path).ok()?)))
        .collect()
}

fn collect(folder: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "qual") {
            found.push(path);
        }
    }
}

/// The classes of `text`, each from its unindented `class` line to the next unindented
/// line that starts an item.
fn classes(text: &str) -> Vec<String> {
    let starts_item = |line: &str| {
        ["class", "profile", "fields", "experience"]
            .iter()
            .any(|word| line.starts_with(word))
    };
    let mut found: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if starts_item(line) {
            found.extend(current.take());
            current = line.starts_with("class").then(String::new);
        }
        if let Some(class) = current.as_mut() {
            class.push_str(line);
        }
    }
    found.extend(current);
    found
}

/// The classes of every rule file of the project that pest reads as one class (not with an
/// item written indented after it) and that hold no hazard, as the parser reads them.
fn class_corpus() -> Vec<String> {
    rule_files()
        .iter()
        .flat_map(|(_, text)| classes(text))
        .filter(|class| {
            prescan::scan(class).is_empty()
                && parse_whole_part_with_pest(FileId(3), class, 17)
                    .is_some_and(|items| matches!(items.as_slice(), [Item::Class(_)]))
        })
        .collect()
}

#[test]
fn every_rule_file_of_the_project_reads_as_pest_reads_it() {
    let files = rule_files();
    assert!(files.len() > 100, "{} rule files found", files.len());
    for (_, text) in &files {
        read_as_pest_reads(text);
    }
    let corpus = class_corpus();
    let read = corpus
        .iter()
        .filter(|class| read_as_pest_reads(class))
        .count();
    // What the direct reader leaves to pest: classes with an assertion.
    let with_assertions = corpus.iter().filter(|c| c.contains("\n  assert")).count();
    assert_eq!(read + with_assertions, corpus.len());
    assert!(read > 80, "{read} classes read directly");
}

#[test]
fn what_pest_reads_in_its_own_way_is_read_the_same() {
    let head = "class C1 \"T\" {\n  profile p\n  level A code \"C1A\" band 50 {\n    minimum: ";
    let cases = [
        // A same-line comment after a single string is inside pest's span of it.
        "class C1 \"T\" # after the title\n{\n  source \"s.txt\" # why\n  level A code \"C1A\" band 5 {\n    minimum: x\n  }\n}\n",
        // `includes` starts with the keyword `in`, so it is a name.
        &format!("{head}includes in includes\n  }}\n}}\n"),
        &format!("{head}2years of a and 18 semester # a comment\n credits in b\n  }}\n}}\n"),
        &format!("{head}(a or (b and c)) or 2 years of any of d , e,f\n  }}\n}}\n"),
        &format!(
            "{head}accredited a in b that includes 1.5 quarter credits in c\n    substitute \
             cite \"x\" \"y\" quote \"z\" note \"n\" by \"m\" allow Q1 \"r\": an equivalent \
             combination of accredited education in f and education and any of a, b totaling \
             -3 years that includes a\n  }}\n}}\n"
        ),
        "class C2 {\n  established 2011-7-07\n  revised 9/20/2011\n  effective 1/2/2000\n  \
         board change \"b\" on 2001-01-01\n  statutory requirements \"s\" \"t\"\n  pay scale \
         type \"p\"\n  bargaining unit \"u\"\n  civil service \"c\"\n  note \"n\"\n  allow Q3 \
         \"r\"\n  level B \"Basic\" code \"C2B\" pay scale group 7 alt band 8 {\n    note \"l\"\n    \
         recommended cite \"c\": semesters\n  }\n}\n",
    ];
    let deepest = format!("{head}{}a{}\n  }}\n}}\n", "(".repeat(64), ")".repeat(64));
    for case in cases.iter().copied().chain([deepest.as_str()]) {
        assert!(read_as_pest_reads(case), "not read directly:\n{case}");
    }
}

#[test]
fn what_it_does_not_read_is_left_to_pest() {
    let cases = [
        "profile p {\n}\n",
        "class C1 {\n  assert level A minimum implies level B minimum\n}\n",
        "class C1 {\n  level A code \"A\" band 5 {\n    minimum: a and\n  }\n}\n",
        "class C1 {\n  level A code \"A\" band 5 {\n    minimum: a or or b\n  }\n}\n",
        "\u{feff}class C1 {\n}\n",
        "class C1 {\n  sourcex \"a\"\n}\n",
        "class C1 {\n  level A code \"A\" alt band 5 {\n  }\n}\n",
        // What the scan for hazards reports: a carriage return in a string, deep nesting.
        "class C1 \"a\rb\" {\n}\n",
        &format!(
            "class C1 {{\n  level A code \"A\" band 5 {{\n    minimum: {}a{}\n  }}\n}}\n",
            "(".repeat(65),
            ")".repeat(65)
        ),
    ];
    for case in cases {
        assert!(parse_part(FileId(0), case, 0).is_none(), "read:\n{case}");
    }
}

/// Tokens and characters a mutation may put into a class, besides the reserved words.
const PIECES: &[&str] = &[
    "by",
    "alt",
    "band",
    "pay",
    "scale",
    "group",
    "code",
    "profile",
    "source",
    "established",
    "board",
    "change",
    "on",
    "statutory",
    "requirements",
    "assert",
    "semester",
    "quarter",
    "credits",
    "years",
    "(",
    ")",
    ":",
    "{",
    "}",
    ",",
    "\"x\"",
    "\"a\\\"b\"",
    "\"",
    "\\",
    "# c\n",
    "#",
    " ",
    "\n",
    "\r",
    "\t",
    "0",
    "12",
    "-",
    ".",
    "/",
    "2011-07-07",
    "7/7/2011",
    "x",
    "_",
    "é",
    "\u{a0}",
    "Q1",
];

/// Mutation piece `index`: a reserved word or one of [`PIECES`].
fn piece(index: usize) -> &'static str {
    RESERVED_WORDS
        .iter()
        .chain(PIECES)
        .nth(index % (RESERVED_WORDS.len() + PIECES.len()))
        .copied()
        .unwrap_or("")
}

#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(at, piece)| Mutation::Insert(at, piece)),
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Repeat(at, len)),
    ]
}

/// The char boundary at or before `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &mut String, mutation: &Mutation) {
    match *mutation {
        Mutation::Insert(at, piece_index) => {
            let at = boundary(text, at);
            text.insert_str(at, piece(piece_index));
        }
        Mutation::Delete(at, len) | Mutation::Repeat(at, len) => {
            let start = boundary(text, at);
            let end = boundary(text, (start + len).min(text.len()));
            let end = if end < start { start } else { end };
            if matches!(mutation, Mutation::Delete(..)) {
                text.replace_range(start..end, "");
            } else {
                let copy = text.get(start..end).unwrap_or("").to_owned();
                text.insert_str(end, &copy);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_class_reads_as_pest_reads_it_or_is_left_to_pest(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        thread_local! {
            static CORPUS: Vec<String> = class_corpus();
        }
        let mut text = CORPUS.with(|corpus| corpus.get(pick % corpus.len().max(1)).cloned());
        let text = text.get_or_insert_with(String::new);
        for mutation in &mutations {
            mutate(text, mutation);
        }
        read_as_pest_reads(text);
    }
}
