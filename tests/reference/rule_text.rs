//! Random rule sets as rule text, from a small grammar: profiles, field sets that include
//! each other, categories, classes with versions and levels, tiers with `and`, `or` and
//! substitution clauses. Text that does not check is skipped by the caller.

use std::fmt::Write as _;

use proptest::prelude::*;

/// The fields every generated field set draws from; applicants use them too.
pub const FIELD_POOL: &[&str] = &[
    "Finance",
    "Accounting",
    "Economics",
    "Statistics",
    "Psychology",
    "Sociology",
    "Public Health",
    "Nursing",
];

const CATEGORIES: &[&str] = &["c0", "c1", "c2"];
const FIELD_SETS: &[&str] = &["f0", "f1", "f2"];

/// One profile's figures, as rule words.
#[derive(Clone, Debug)]
pub struct ProfileSpec {
    associate_years: &'static str,
    bachelor_years: &'static str,
    master_years: &'static str,
    semester_per_year: &'static str,
    quarter_per_year: Option<&'static str>,
    full_time: &'static str,
    overlap: &'static str,
    degrees: &'static str,
    coursework: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct FieldSetSpec {
    fields: Vec<&'static str>,
    /// Includes the set declared just before it.
    includes_previous: bool,
}

#[derive(Clone, Debug)]
pub struct TierSpec {
    requirement: String,
    substitutions: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct LevelSpec {
    minimum: TierSpec,
    recommended: Option<TierSpec>,
}

#[derive(Clone, Debug)]
pub struct VersionSpec {
    effective_year: u32,
    profile: usize,
    levels: Vec<LevelSpec>,
}

#[derive(Clone, Debug)]
pub struct RuleSpec {
    profiles: Vec<ProfileSpec>,
    field_sets: Vec<FieldSetSpec>,
    /// Each class: its versions, in increasing effective year.
    classes: Vec<Vec<VersionSpec>>,
}

fn profile() -> impl Strategy<Value = ProfileSpec> {
    (
        (
            prop::sample::select(vec!["1", "2", "2.5"]),
            prop::sample::select(vec!["3", "4"]),
            prop::sample::select(vec!["5", "6"]),
        ),
        (
            prop::sample::select(vec!["30", "24", "32.5"]),
            prop::option::of(prop::sample::select(vec!["45", "36"])),
            prop::sample::select(vec!["40", "35", "37.5"]),
        ),
        (
            prop::sample::select(vec!["are summed up to full time", "count only the largest"]),
            prop::sample::select(vec!["count the highest only", "are added up"]),
            prop::option::of(prop::sample::select(vec![
                "without a degree is added up",
                "counts the highest only",
            ])),
        ),
    )
        .prop_map(
            |((a, b, m), (s, q, ft), (overlap, degrees, coursework))| ProfileSpec {
                associate_years: a,
                bachelor_years: b,
                master_years: m,
                semester_per_year: s,
                quarter_per_year: q,
                full_time: ft,
                overlap,
                degrees,
                coursework,
            },
        )
}

fn field_set() -> impl Strategy<Value = FieldSetSpec> {
    (
        prop::sample::subsequence(FIELD_POOL.to_vec(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(fields, includes_previous)| FieldSetSpec {
            fields,
            includes_previous,
        })
}

fn category() -> impl Strategy<Value = &'static str> {
    prop::sample::select(CATEGORIES.to_vec())
}

fn field_set_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(FIELD_SETS.to_vec())
}

fn experience_leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..49, category()).prop_map(|(n, c)| format!("{n} months of {c}")),
        (1u32..6, category()).prop_map(|(n, c)| format!("{n} years of {c}")),
        (1u32..37).prop_map(|n| format!("{n} months of any of c0, c1")),
        Just("1.5 years of any of c1, c2".to_owned()),
    ]
}

fn credential_leaf() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::sample::select(vec![
            "high_school",
            "ged",
            "associate",
            "bachelor",
            "master",
        ]),
        prop::option::of(field_set_name()),
        prop::option::of((1u32..25, field_set_name())),
    )
        .prop_map(|(accredited, credential, fields, includes)| {
            let mut text = String::new();
            if accredited {
                text.push_str("accredited ");
            }
            text.push_str(credential);
            if let Some(f) = fields {
                let _ = write!(text, " in {f}");
            }
            if let Some((n, f)) = includes {
                let _ = write!(text, " that includes {n} credits in {f}");
            }
            text
        })
}

fn credits_leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..37, field_set_name()).prop_map(|(n, f)| format!("{n} credits in {f}")),
        (1u32..20, field_set_name()).prop_map(|(n, f)| format!("{n}.5 semester credits in {f}")),
    ]
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![3 => experience_leaf(), 2 => credential_leaf(), 1 => credits_leaf()]
}

/// A requirement: a leaf, or `(A and B)` / `(A or B …)` of smaller ones.
fn requirement() -> impl Strategy<Value = String> {
    leaf().prop_recursive(2, 8, 3, |inner| {
        (prop::collection::vec(inner, 2..4), any::<bool>()).prop_map(|(parts, both)| {
            let joiner = if both { " and " } else { " or " };
            format!("({})", parts.join(joiner))
        })
    })
}

fn substitution() -> impl Strategy<Value = String> {
    let education = (any::<bool>(), prop::option::of(field_set_name())).prop_map(|(a, f)| {
        let mut text = String::from(if a {
            "accredited education"
        } else {
            "education"
        });
        if let Some(f) = f {
            let _ = write!(text, " in {f}");
        }
        text
    });
    let experience = prop_oneof![
        category().prop_map(str::to_owned),
        Just("any of c0, c2".to_owned()),
    ];
    let total = prop_oneof![
        (1u32..9).prop_map(|n| format!("{n} years")),
        (6u32..90).prop_map(|n| format!("{n} months")),
    ];
    (
        prop::option::of(education),
        prop::option::of(experience),
        total,
        prop::option::of(requirement()),
        any::<bool>(),
    )
        .prop_map(|(education, experience, total, includes, any_kind)| {
            let parts: Vec<String> = match (education, experience) {
                (None, None) => vec!["education".to_owned(), "c0".to_owned()],
                (e, x) => e.into_iter().chain(x).collect(),
            };
            let kind = if any_kind { "any" } else { "an equivalent" };
            let mut text = format!(
                "{kind} combination of {} totaling {total}",
                parts.join(" and ")
            );
            if let Some(req) = includes {
                let _ = write!(text, " that includes {req}");
            }
            text
        })
}

fn tier() -> impl Strategy<Value = TierSpec> {
    (requirement(), prop::collection::vec(substitution(), 0..3)).prop_map(
        |(requirement, substitutions)| TierSpec {
            requirement,
            substitutions,
        },
    )
}

fn level() -> impl Strategy<Value = LevelSpec> {
    (tier(), prop::option::of(tier())).prop_map(|(minimum, recommended)| LevelSpec {
        minimum,
        recommended,
    })
}

fn version(profiles: usize) -> impl Strategy<Value = VersionSpec> {
    (
        1990u32..2030,
        0..profiles,
        prop::collection::vec(level(), 1..4),
    )
        .prop_map(|(effective_year, profile, levels)| VersionSpec {
            effective_year,
            profile,
            levels,
        })
}

/// A whole rule set.
pub fn rule_set() -> impl Strategy<Value = RuleSpec> {
    (
        prop::collection::vec(profile(), 1..3),
        prop::collection::vec(field_set(), 3..=3),
    )
        .prop_flat_map(|(profiles, field_sets)| {
            let count = profiles.len();
            let class = prop::collection::vec(version(count), 1..3).prop_map(|mut versions| {
                versions.sort_by_key(|v| v.effective_year);
                versions.dedup_by_key(|v| v.effective_year);
                versions
            });
            (
                Just(profiles),
                Just(field_sets),
                prop::collection::vec(class, 1..4),
            )
        })
        .prop_map(|(profiles, field_sets, classes)| RuleSpec {
            profiles,
            field_sets,
            classes,
        })
}

impl RuleSpec {
    /// The rule set as one rule file.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (index, p) in self.profiles.iter().enumerate() {
            write_profile(&mut out, index, p);
        }
        for (index, set) in self.field_sets.iter().enumerate() {
            let _ = writeln!(out, "fields f{index} \"field set {index}\" {{");
            if set.includes_previous && index > 0 {
                let _ = writeln!(out, "  f{}", index - 1);
            }
            for field in &set.fields {
                let _ = writeln!(out, "  \"{field}\"");
            }
            out.push_str("}\n");
        }
        for category in CATEGORIES {
            let _ = writeln!(out, "experience {category} \"category {category}\"");
        }
        for (index, versions) in self.classes.iter().enumerate() {
            for version in versions {
                write_version(&mut out, index, version);
            }
        }
        out
    }
}

fn write_profile(out: &mut String, index: usize, p: &ProfileSpec) {
    let _ = writeln!(out, "profile p{index} {{\n  jurisdiction \"J{index}\"");
    out.push_str("  credential high_school \"High school diploma\" worth 0 years\n");
    out.push_str("  credential ged \"GED\" same as high_school\n");
    let _ = writeln!(
        out,
        "  credential associate \"Associate degree\" worth {} years",
        p.associate_years
    );
    let _ = writeln!(
        out,
        "  credential bachelor \"Bachelor's degree\" worth {} years",
        p.bachelor_years
    );
    let _ = writeln!(
        out,
        "  credential master \"Master's degree\" worth {} years",
        p.master_years
    );
    let _ = write!(
        out,
        "  a year of education is {} semester credits",
        p.semester_per_year
    );
    if let Some(q) = p.quarter_per_year {
        let _ = write!(out, " or {q} quarter credits");
    }
    let _ = writeln!(
        out,
        "\n  full time is {} hours per week\n  overlapping jobs {}\n  several degrees {}",
        p.full_time, p.overlap, p.degrees
    );
    if let Some(c) = p.coursework {
        let _ = writeln!(out, "  coursework {c}");
    }
    out.push_str("}\n");
}

fn write_version(out: &mut String, index: usize, version: &VersionSpec) {
    let _ = writeln!(
        out,
        "class K{index} \"Class {index}\" {{\n  profile p{}\n  source \"k{index}.txt\"\n  effective 01/01/{}",
        version.profile, version.effective_year
    );
    for (l, level) in version.levels.iter().enumerate() {
        let _ = writeln!(
            out,
            "  level L{l} \"Level {l}\" code \"K{index}L{l}\" band {} {{",
            10 + l
        );
        write_tier(out, "minimum", &level.minimum);
        if let Some(recommended) = &level.recommended {
            write_tier(out, "recommended", recommended);
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
}

fn write_tier(out: &mut String, kind: &str, tier: &TierSpec) {
    let _ = writeln!(out, "    {kind}:\n      {}", tier.requirement);
    for substitution in &tier.substitutions {
        let _ = writeln!(out, "      substitute:\n        {substitution}");
    }
}
