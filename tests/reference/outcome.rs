//! What an evaluation decided, in a form both the reference and the engine's record are
//! read into, so that they can be compared field by field.

use std::collections::{BTreeMap, BTreeSet};

use num_bigint::BigInt;

use super::BigRational;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefEvaluation {
    /// By key `CLASS/LEVEL/TIER`.
    pub tiers: BTreeMap<String, RefTier>,
    pub highest_level_met: BTreeMap<String, Option<String>>,
    pub not_in_force: BTreeSet<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Direct,
    /// Clauses numbered from 1.
    Substitution(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTier {
    pub via: Option<Via>,
    /// The direct path, then each clause.
    pub paths: Vec<RefPath>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefPath {
    pub met: bool,
    pub combination: Option<Combination>,
    pub shortfalls: Vec<Lack>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combination {
    pub education_years: BigRational,
    pub experience: BigRational,
    pub credited: BigRational,
    pub required: BigRational,
    pub includes_met: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lack {
    Experience {
        months: BigRational,
        whole: BigInt,
        categories: BTreeSet<String>,
    },
    Credential {
        credential: String,
        fields: Option<String>,
        accredited: bool,
        includes: Option<(BigRational, String)>,
    },
    Credits {
        credits: BigRational,
        whole: BigInt,
        subjects: String,
    },
    Total {
        months: BigRational,
        whole: BigInt,
        categories: BTreeSet<String>,
    },
    AnyOf(Vec<Vec<Lack>>),
}

impl RefEvaluation {
    /// The first place where `self` (the engine) and `reference` differ, described.
    pub fn first_difference(&self, reference: &RefEvaluation) -> Option<String> {
        if self.not_in_force != reference.not_in_force {
            return Some(format!(
                "not in force: engine {:?}, reference {:?}",
                self.not_in_force, reference.not_in_force
            ));
        }
        let keys: BTreeSet<&String> = self.tiers.keys().chain(reference.tiers.keys()).collect();
        for key in keys {
            match (self.tiers.get(key), reference.tiers.get(key)) {
                (Some(engine), Some(reference)) => {
                    if let Some(difference) = tier_difference(engine, reference) {
                        return Some(format!("{key}: {difference}"));
                    }
                }
                (engine, reference) => {
                    return Some(format!(
                        "{key}: evaluated by the engine: {}, by the reference: {}",
                        engine.is_some(),
                        reference.is_some()
                    ));
                }
            }
        }
        (self.highest_level_met != reference.highest_level_met).then(|| {
            format!(
                "highest level met: engine {:?}, reference {:?}",
                self.highest_level_met, reference.highest_level_met
            )
        })
    }
}

fn tier_difference(engine: &RefTier, reference: &RefTier) -> Option<String> {
    if engine.via != reference.via {
        return Some(format!(
            "via: engine {:?}, reference {:?}",
            engine.via, reference.via
        ));
    }
    if engine.paths.len() != reference.paths.len() {
        return Some(format!(
            "paths: engine {}, reference {}",
            engine.paths.len(),
            reference.paths.len()
        ));
    }
    for (index, (e, r)) in engine.paths.iter().zip(&reference.paths).enumerate() {
        let path = if index == 0 {
            "direct path".to_owned()
        } else {
            format!("clause {index}")
        };
        if e.met != r.met {
            return Some(format!("{path} met: engine {}, reference {}", e.met, r.met));
        }
        if e.combination != r.combination {
            return Some(format!(
                "{path} combination:\n  engine    {}\n  reference {}",
                show_combination(e.combination.as_ref()),
                show_combination(r.combination.as_ref())
            ));
        }
        if e.shortfalls != r.shortfalls {
            return Some(format!(
                "{path} shortfalls:\n  engine    {:?}\n  reference {:?}",
                e.shortfalls, r.shortfalls
            ));
        }
    }
    None
}

fn show_combination(combination: Option<&Combination>) -> String {
    match combination {
        None => "none".to_owned(),
        Some(c) => format!(
            "education {} years + experience {} months = {} months against {} (includes met: {})",
            c.education_years, c.experience, c.credited, c.required, c.includes_met
        ),
    }
}
