//! Benchmarks of `qualify::check::check_sources`: the shipped rules, and generated rule sets of
//! 10, 100 and 1000 classes to show that the cost per class stays flat as rule sets grow.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator the `qualify` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use qualify::check::{SourceInput, check_sources};
use qualify::diagnostics::Diagnostic;

/// Every `.qual` file in `rules/`, read once.
pub fn shipped_rules() -> Vec<SourceInput> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut inputs: Vec<SourceInput> = std::fs::read_dir(&dir)
        .expect("rules/ is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "qual"))
        .map(|path| SourceInput {
            name: path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned(),
            bytes: std::fs::read(&path).expect("rule file is readable"),
        })
        .collect();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!inputs.is_empty(), "no rule files in {}", dir.display());
    inputs
}

/// Classes per generated class file, as a rule author would split a large rule set.
const CLASSES_PER_FILE: usize = 50;

/// Field sets of the generated vocabulary: name, description, fields.
const FIELD_SETS: [(&str, &str, &[&str]); 5] = [
    (
        "business_fields",
        "Business Administration, Public Administration, or Finance",
        &[
            "Business Administration",
            "Public Administration",
            "Finance",
        ],
    ),
    (
        "health_fields",
        "Healthcare Administration, Public Health, or Nursing",
        &["Healthcare Administration", "Public Health", "Nursing"],
    ),
    (
        "social_fields",
        "Social Work, Human Services, or Sociology",
        &["Social Work", "Human Services", "Sociology"],
    ),
    (
        "technical_fields",
        "Computer Science, Information Systems, or Engineering",
        &["Computer Science", "Information Systems", "Engineering"],
    ),
    (
        "science_fields",
        "Biology, Chemistry, or Environmental Science",
        &["Biology", "Chemistry", "Environmental Science"],
    ),
];

/// The wider set every combination clause names ("a related field").
const RELATED_FIELDS: &str = "related_fields";

/// Experience categories of the generated vocabulary: name, description (as long as the
/// shipped ones: the quotes below repeat it).
const CATEGORIES: [(&str, &str); 6] = [
    (
        "program_experience",
        "experience with a public assistance program, medical, healthcare, educational \
         and/or state facility working with policies and procedures, conducting \
         analysis/research and/or providing or requesting information from the general public",
    ),
    (
        "analysis_experience",
        "experience conducting analysis or research for a public agency, preparing reports, \
         reviewing data for accuracy and completeness, and presenting findings to program \
         managers and the general public",
    ),
    (
        "casework_experience",
        "professional experience providing case management services to individuals and \
         families, assessing needs, preparing service plans and coordinating services with \
         community providers",
    ),
    (
        "technical_experience",
        "experience operating, maintaining or supporting information systems, including \
         installing software, troubleshooting hardware and assisting users with applications \
         in a public agency",
    ),
    (
        "laboratory_experience",
        "experience performing laboratory analysis or field sampling work, recording results, \
         maintaining equipment and following quality assurance procedures in a regulated \
         laboratory",
    ),
    (
        "supervisory_experience",
        "experience supervising professional or technical staff in a public agency, assigning \
         and reviewing work, evaluating performance and training employees",
    ),
];

const PROFILE: &str = r#"# Generated jurisdiction profile.
profile generated_state {
  jurisdiction "Generated State Personnel Office"

  credential high_school "High school diploma" worth 0 years
  credential ged "GED" same as high_school
  credential associate "Associate degree" worth 2 years
  credential bachelor "Bachelor's degree" worth 4 years
  credential master "Master's degree" worth 6 years
  credential doctorate "Doctorate" worth 8 years

  a year of education is 30 semester credits or 45 quarter credits
  full time is 40 hours per week
  overlapping jobs are summed up to full time
  several degrees count the highest only
}
"#;

fn vocabulary() -> String {
    let mut out = String::from("# Generated field sets and experience categories.\n\n");
    for (name, description, fields) in FIELD_SETS {
        writeln!(out, "fields {name} \"{description}\" {{").unwrap();
        for field in fields {
            writeln!(out, "  \"{field}\"").unwrap();
        }
        out.push_str("}\n\n");
    }
    writeln!(out, "fields {RELATED_FIELDS} \"a related field\" {{").unwrap();
    for (name, _, _) in FIELD_SETS {
        writeln!(out, "  {name}").unwrap();
    }
    out.push_str("  \"Economics\"\n  \"Statistics\"\n}\n\n");
    for (name, description) in CATEGORIES {
        writeln!(out, "experience {name}").unwrap();
        quoted(&mut out, "  ", description);
        out.push('\n');
    }
    out
}

/// Writes `prose` as adjacent strings of at most about 80 columns, one per line, each line
/// starting with `indent`, the way the shipped rules quote their sources.
fn quoted(out: &mut String, indent: &str, prose: &str) {
    let mut line = String::new();
    for word in prose.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + word.len() > 76 {
            writeln!(out, "{indent}\"{line}\"").unwrap();
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    writeln!(out, "{indent}\"{line}\"").unwrap();
}

/// A cited, quoted tier or substitution header: `cite "..."`, `quote "..." ...`, and the `:`.
fn citation(out: &mut String, indent: &str, keyword: &str, section: &str, prose: &str) {
    writeln!(out, "{indent}{keyword}").unwrap();
    writeln!(out, "{indent}  cite \"{section}\"").unwrap();
    let mut quote = String::new();
    quoted(&mut quote, &format!("{indent}        "), prose);
    let quote = quote.trim_start().trim_end();
    writeln!(out, "{indent}  quote {quote}:").unwrap();
}

/// One class shaped like the shipped K9099 (about the same size): three levels, each with a
/// minimum and a recommended tier, cited and quoted, some with substitution clauses.
fn class(out: &mut String, i: usize) {
    let (fields, fields_text, _) = FIELD_SETS[i % FIELD_SETS.len()];
    let (exp, exp_text) = CATEGORIES[i % CATEGORIES.len()];
    let (other, other_text) = CATEGORIES[(i + 1) % CATEGORIES.len()];
    let code = format!("G{i:05}");
    let band = 40 + (i % 5) * 5;
    let basic_months = 6 + (i % 3) * 3;
    let total = 4 + i % 3;
    writeln!(
        out,
        r#"# {code} Generated Occupation {i}, All Other
# Source: generated_{i:05}.txt (Generated State Personnel Office)
#
# Interpretation choices: "any combination ... totaling N years" counts education at the
# profile's credential years; "a related field" is the wider set `{RELATED_FIELDS}`.

class {code} "Generated Occupation {i}, All Other" {{
  profile generated_state
  source "generated_{i:05}.txt"
  established 07/07/2001
  revised 9/20/2011
  statutory requirements "N/A"
"#
    )
    .unwrap();

    let level = |out: &mut String, name: &str, title: &str, band: usize| {
        writeln!(
            out,
            "  level {name} \"Generated Occupation {i}, {title}\" code \"{code}{name}\" band {band} {{"
        )
        .unwrap();
    };

    level(out, "B", "Basic", band);
    citation(
        out,
        "    ",
        "minimum",
        "Basic › Minimum Qualifications",
        &format!("High school diploma or GED and {basic_months} months {exp_text}."),
    );
    writeln!(
        out,
        "      high_school and {basic_months} months of {exp}\n"
    )
    .unwrap();
    citation(
        out,
        "    ",
        "recommended",
        "Basic › Recommended Education and Experience for Full Performance",
        &format!("Associates degree in {fields_text} and two (2) years of {exp_text}."),
    );
    writeln!(
        out,
        "      associate in {fields} and 2 years of {exp}\n  }}\n"
    )
    .unwrap();

    level(out, "O", "Operational", band + 5);
    citation(
        out,
        "    ",
        "minimum",
        "Operational › Minimum Qualifications",
        &format!("Associates degree in {fields_text} and two (2) years of {exp_text}."),
    );
    writeln!(out, "      associate in {fields} and 2 years of {exp}").unwrap();
    if i.is_multiple_of(2) {
        citation(
            out,
            "      ",
            "substitute",
            "Operational › Minimum Qualifications",
            &format!(
                "Any combination of education from an accredited college or university in a \
                 related field and/or direct experience in this occupation totaling {total} \
                 years may substitute for the required education and experience."
            ),
        );
        writeln!(
            out,
            "        any combination of accredited education in {RELATED_FIELDS}\n          \
             and {exp} totaling {total} years"
        )
        .unwrap();
    }
    out.push('\n');
    citation(
        out,
        "    ",
        "recommended",
        "Operational › Recommended Education and Experience for Full Performance",
        &format!(
            "Associates degree in {fields_text} and three (3) years of {exp_text}, or of \
             {other_text}."
        ),
    );
    writeln!(
        out,
        "      associate in {fields} and 3 years of any of {exp}, {other}\n  }}\n"
    )
    .unwrap();

    level(out, "A", "Advanced", band + 10);
    citation(
        out,
        "    ",
        "minimum",
        "Advanced › Minimum Qualifications",
        &format!(
            "Bachelor's degree in {fields_text} and two (2) years of {exp_text}; or a \
             Master's degree in {fields_text} and one (1) year of that experience."
        ),
    );
    writeln!(
        out,
        "      (bachelor in {fields} and 2 years of {exp})\n        \
         or (master in {fields} and 1 year of {exp})"
    )
    .unwrap();
    if i % 3 != 2 {
        citation(
            out,
            "      ",
            "substitute",
            "Advanced › Minimum Qualifications",
            "An equivalent combination of education and experience totaling six (6) years \
             that includes eighteen (18) credits in the named fields.",
        );
        writeln!(
            out,
            "        an equivalent combination of education\n          \
             and any of {exp}, {other}\n          \
             totaling 6 years\n          \
             that includes 18 credits in {fields}"
        )
        .unwrap();
    }
    out.push('\n');
    citation(
        out,
        "    ",
        "recommended",
        "Advanced › Recommended Education and Experience for Full Performance",
        &format!("Bachelor's degree in {fields_text} and three (3) years of {exp_text}."),
    );
    writeln!(
        out,
        "      bachelor in {fields} and 3 years of {exp}\n  }}\n}}\n"
    )
    .unwrap();
}

/// A rule set of `classes` distinct classes: one profile file, one vocabulary file, and the
/// classes split over files of [`CLASSES_PER_FILE`].
pub fn generated_rules(classes: usize) -> Vec<SourceInput> {
    let mut inputs = vec![
        SourceInput {
            name: "generated_profiles.qual".to_owned(),
            bytes: PROFILE.as_bytes().to_vec(),
        },
        SourceInput {
            name: "generated_vocabulary.qual".to_owned(),
            bytes: vocabulary().into_bytes(),
        },
    ];
    let starts = (0..classes).step_by(CLASSES_PER_FILE);
    for (file, start) in starts.enumerate() {
        let mut text = String::new();
        for i in start..classes.min(start + CLASSES_PER_FILE) {
            class(&mut text, i);
        }
        inputs.push(SourceInput {
            name: format!("generated_classes_{file:03}.qual"),
            bytes: text.into_bytes(),
        });
    }
    inputs
}

/// Panics with every error if the rule set does not check clean (warnings allowed).
fn assert_no_errors(what: &str, inputs: &[SourceInput], classes: Option<usize>) {
    let outcome = check_sources(inputs);
    let errors: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "{what} has errors: {:#?}",
        errors
            .iter()
            .map(|d| format!(
                "{} {} in {} at {:?}: `{}`",
                d.code(),
                d.message(),
                outcome.sources.get(d.span().file).map_or("?", |f| f.name()),
                d.span().range(),
                outcome.sources.snippet(d.span()),
            ))
            .collect::<Vec<_>>()
    );
    assert!(outcome.rules.is_some(), "{what} produced no rules");
    if let Some(classes) = classes {
        assert_eq!(outcome.stats.classes, classes, "{what}: class count");
        assert_eq!(outcome.stats.levels, classes * 3, "{what}: level count");
    }
}

fn bench_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");

    let shipped = shipped_rules();
    assert_no_errors("the shipped rules", &shipped, None);
    group.bench_function("shipped_rules", |b| {
        b.iter(|| check_sources(black_box(&shipped)))
    });

    for classes in [10usize, 100, 1000] {
        let inputs = generated_rules(classes);
        assert_no_errors(
            &format!("the generated rule set of {classes} classes"),
            &inputs,
            Some(classes),
        );
        group.throughput(Throughput::Elements(classes as u64));
        group.bench_with_input(
            BenchmarkId::new("generated", classes),
            &inputs,
            |b, inputs| b.iter(|| check_sources(black_box(inputs))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench_check);

/// Set to a class count (or `shipped`) to check that rule set once and exit, for profiling
/// with a fixed amount of work, e.g. under `valgrind --tool=callgrind`.
const PROFILE_ONCE: &str = "QUALIFY_CHECK_PROFILE_ONCE";

/// Set, with [`PROFILE_ONCE`], to a folder: the rule set is written there instead of checked,
/// for timing the `qualify` binary on it (e.g. `eval` of 100,000 generated classes).
const WRITE_RULES_TO: &str = "QUALIFY_CHECK_WRITE_RULES_TO";

fn main() {
    if let Ok(what) = std::env::var(PROFILE_ONCE) {
        let inputs = match what.as_str() {
            "shipped" => shipped_rules(),
            count => generated_rules(count.parse().expect("a class count or `shipped`")),
        };
        if let Ok(folder) = std::env::var(WRITE_RULES_TO) {
            let folder = Path::new(&folder);
            std::fs::create_dir_all(folder).unwrap();
            for input in &inputs {
                std::fs::write(folder.join(&input.name), &input.bytes).unwrap();
            }
            return;
        }
        let repeats: usize = std::env::var("QUALIFY_CHECK_PROFILE_REPEATS")
            .map_or(1, |n| n.parse().expect("a repeat count"));
        for _ in 0..repeats {
            black_box(check_sources(black_box(&inputs)));
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
