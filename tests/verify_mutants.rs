//! Mutants of the shipped rules: every threshold lowered and raised by one month, every
//! accreditation dropped, every credential raised one step, every field removed from the
//! one set that lists it and every pooled category removed from its pool. Each mutant
//! must check clean and be caught: `diff` against the shipped rules finds an applicant
//! whose outcome flips, or `verify` reports a finding the shipped rules do not have. The
//! one exception is a mutant of a path that `verify` reports never decides (Q404, Q405):
//! no applicant's outcome depends on that path, so the mutant is equivalent, and `diff`
//! proving it so is the right answer. At least 50 mutants must be caught.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use qualify::check::{SourceInput, check_sources};
use qualify::compile::compile;
use qualify::verify::diff::{Side, diff};

/// The shipped rule files, by name.
fn shipped() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir("rules")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qual"))
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// One mutant: the file changed, its new text, the line changed (0-based) and what was
/// changed.
struct Mutant {
    file: String,
    text: String,
    line: usize,
    what: String,
}

/// Whether a line is part of a requirement (not a comment, note, citation, quote, allow or
/// continued string).
fn requirement_line(line: &str) -> bool {
    let t = line.trim_start();
    !(t.is_empty()
        || t.starts_with('#')
        || t.starts_with('"')
        || [
            "note",
            "cite",
            "quote",
            "allow",
            "fields",
            "experience ",
            "class",
            "level",
        ]
        .iter()
        .any(|w| t.starts_with(w)))
}

/// The text with line `index` replaced.
fn with_line(text: &str, index: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[index] = line;
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn without_line(text: &str, index: usize) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(index);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Every `N years` or `N months` of a requirement line, lowered and raised by one month.
fn threshold_mutants(file: &str, text: &str, out: &mut Vec<Mutant>) {
    for (index, line) in text.lines().enumerate() {
        if !requirement_line(line) {
            continue;
        }
        let words: Vec<&str> = line.split(' ').collect();
        for (at, pair) in words.windows(2).enumerate() {
            let Ok(amount) = pair[0].parse::<i64>() else {
                continue;
            };
            let months = match pair[1] {
                "years" | "year" => amount * 12,
                "months" | "month" => amount,
                _ => continue,
            };
            for delta in [-1, 1] {
                let mut changed = words.clone();
                let number = (months + delta).to_string();
                changed[at] = &number;
                changed[at + 1] = "months";
                out.push(Mutant {
                    file: file.to_owned(),
                    text: with_line(text, index, &changed.join(" ")),
                    line: index,
                    what: format!("{file}:{}: {} {} by one month", index + 1, pair[0], pair[1]),
                });
            }
        }
    }
}

/// Every `accredited education` made `education`; every credential of a requirement raised
/// one step.
fn word_mutants(file: &str, text: &str, out: &mut Vec<Mutant>) {
    let swaps = [
        ("accredited education", "education"),
        ("high_school and", "associate and"),
        ("associate in", "bachelor in"),
        ("bachelor in", "master in"),
        ("bachelor that", "master that"),
    ];
    for (index, line) in text.lines().enumerate() {
        if !requirement_line(line) {
            continue;
        }
        for (from, to) in swaps {
            if line.contains(from) {
                out.push(Mutant {
                    file: file.to_owned(),
                    text: with_line(text, index, &line.replacen(from, to, 1)),
                    line: index,
                    what: format!("{file}:{}: `{from}` made `{to}`", index + 1),
                });
            }
        }
    }
}

/// Every field listed once in the whole rule set (so no other set holds it), removed from
/// its set; and every category of a pool of several removed from it.
fn removal_mutants(file: &str, text: &str, all: &str, out: &mut Vec<Mutant>) {
    let lines: Vec<&str> = text.lines().collect();
    // Inside a field set's braces (after its name, label, title and notes).
    let mut in_set = false;
    let mut in_header = false;
    for (index, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("fields ") {
            in_header = true;
        }
        if in_header && t.ends_with('{') {
            in_header = false;
            in_set = true;
            continue;
        }
        if t.starts_with('}') {
            in_set = false;
        }
        let next_is_note = lines
            .get(index + 1)
            .is_some_and(|n| n.trim_start().starts_with("note"));
        let field = t
            .strip_prefix('"')
            .and_then(|rest| rest.split('"').next())
            .filter(|_| in_set && line.starts_with("  \"") && !next_is_note);
        if let Some(field) = field
            && all.matches(&format!("\"{field}\"")).count() == 1
        {
            out.push(Mutant {
                file: file.to_owned(),
                text: without_line(text, index),
                line: index,
                what: format!("{file}:{}: field {field} removed", index + 1),
            });
        }
        if requirement_line(line)
            && let Some(at) = line.find("any of ")
        {
            let pool = line[at + 7..].trim_end_matches(',');
            let names: Vec<&str> = pool.split(", ").collect();
            if names.len() >= 2 && !line.trim_end().ends_with(',') {
                for name in &names {
                    let rest: Vec<&str> = names.iter().copied().filter(|n| n != name).collect();
                    let changed = format!("{}any of {}", &line[..at], rest.join(", "));
                    out.push(Mutant {
                        file: file.to_owned(),
                        text: with_line(text, index, &changed),
                        line: index,
                        what: format!("{file}:{}: {name} removed from its pool", index + 1),
                    });
                }
            }
        }
    }
}

/// At most this many mutants of one file, evenly spread over its mutants in file order:
/// the search of G1099 (three kinds of job) costs several times K9099's in a debug build.
fn per_file(name: &str) -> usize {
    if name == "g1099.qual" { 16 } else { usize::MAX }
}

fn mutants() -> Vec<Mutant> {
    let files = shipped();
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    let mut out = Vec::new();
    for (name, text) in files.iter().filter(|(n, _)| n != "profiles.qual") {
        let mut of_file = Vec::new();
        threshold_mutants(name, text, &mut of_file);
        word_mutants(name, text, &mut of_file);
        removal_mutants(name, text, &all, &mut of_file);
        let count = of_file.len();
        let kept = count.min(per_file(name));
        out.extend(
            of_file
                .into_iter()
                .enumerate()
                .filter(|(i, _)| i * kept / count != (i + 1) * kept / count)
                .map(|(_, m)| m),
        );
    }
    out
}

/// The class a shipped rule file defines.
fn class_of(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("class "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .to_owned()
}

fn check(files: &[(String, String)]) -> qualify::check::CheckOutcome {
    let inputs: Vec<SourceInput> = files
        .iter()
        .map(|(name, text)| SourceInput {
            name: name.clone(),
            bytes: text.clone().into_bytes(),
        })
        .collect();
    check_sources(&inputs)
}

/// The findings of `verify` for one class, as code and message.
fn findings(rules: &qualify::check::CheckedRules, code: &str) -> Vec<String> {
    let program = compile(rules);
    qualify::verify::verify_classes(rules, &program, &[code.to_owned()])
        .findings
        .iter()
        .map(|f| format!("{} {}", f.diagnostic.code(), f.diagnostic.message()))
        .collect()
}

/// Whether `verify` reports, on the shipped rules, that the path holding the mutated line
/// never decides its tier.
fn never_decides(
    rules: &qualify::check::CheckedRules,
    program: &qualify::compile::Program,
    code: &str,
    mutant: &Mutant,
) -> bool {
    let sources = rules.sources();
    let report = qualify::verify::verify_classes(rules, program, &[code.to_owned()]);
    report.findings.iter().any(|f| {
        let d = &f.diagnostic;
        let span = d.span();
        let Some(file) = sources.get(span.file) else {
            return false;
        };
        let text = file.text();
        let first = text[..span.start as usize].matches('\n').count();
        let last = text[..span.end as usize].matches('\n').count();
        matches!(d.code().as_str(), "Q404" | "Q405")
            && file.name() == mutant.file
            && (first..=last).contains(&mutant.line)
    })
}

/// How a mutant was told apart from the shipped rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    ByDiff,
    ByVerify,
    Equivalent,
}

/// Checks, compiles and compares one mutant with the shipped rules.
fn judge(
    files: &[(String, String)],
    original: &qualify::check::CheckedRules,
    original_program: &qualify::compile::Program,
    mutant: &Mutant,
) -> Verdict {
    let changed: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| {
            let text = if *name == mutant.file {
                mutant.text.clone()
            } else {
                text.clone()
            };
            (name.clone(), text)
        })
        .collect();
    let outcome = check(&changed);
    let Some(rules) = outcome.rules else {
        panic!(
            "{}: the mutant does not check: {:?}",
            mutant.what, outcome.diagnostics
        );
    };
    let program = compile(&rules);
    let code = class_of(&mutant.text);
    let compared = diff(
        &Side {
            rules: original,
            program: original_program,
            as_of: None,
        },
        &Side {
            rules: &rules,
            program: &program,
            as_of: None,
        },
        std::slice::from_ref(&code),
    );
    if compared.iter().any(|c| !c.equivalent()) {
        println!("caught by diff: {}", mutant.what);
        return Verdict::ByDiff;
    }
    if findings(original, &code) != findings(&rules, &code) {
        println!("caught by verify: {}", mutant.what);
        return Verdict::ByVerify;
    }
    assert!(
        never_decides(original, original_program, &code, mutant),
        "{}: neither diff nor verify tells the mutant apart",
        mutant.what
    );
    println!("equivalent (its path never decides): {}", mutant.what);
    Verdict::Equivalent
}

#[test]
fn every_mutant_of_the_shipped_rules_is_caught_by_diff_or_verify() {
    let files = shipped();
    let original = check(&files).rules.unwrap();
    let original_program = compile(&original);
    let mutants = mutants();
    assert!(mutants.len() >= 50, "only {} mutants", mutants.len());
    // The mutants are independent: they are judged on every core, each thread taking
    // every n-th one.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let verdicts: Vec<Verdict> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|first| {
                let (files, original, program, mutants) =
                    (&files, &original, &original_program, &mutants);
                scope.spawn(move || {
                    mutants
                        .iter()
                        .skip(first)
                        .step_by(threads)
                        .map(|mutant| judge(files, original, program, mutant))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap())
            .collect()
    });
    assert_eq!(verdicts.len(), mutants.len());
    let count = |verdict: Verdict| verdicts.iter().filter(|v| **v == verdict).count();
    let (by_diff, by_verify, equivalent) = (
        count(Verdict::ByDiff),
        count(Verdict::ByVerify),
        count(Verdict::Equivalent),
    );
    println!(
        "{} mutants: {by_diff} caught by diff, {by_verify} by verify, {equivalent} equivalent",
        mutants.len()
    );
    assert!(
        by_diff + by_verify >= 50,
        "only {} caught",
        by_diff + by_verify
    );
}
