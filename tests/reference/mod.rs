//! A reference evaluator for differential testing: docs/semantics.md followed literally,
//! with big rationals, each job credited day by day, and no tables, caches or engine
//! arithmetic. It is slow on purpose; it is only ever compared with `qualify::eval`.

pub mod applicant;
pub mod applicant_gen;
pub mod calendar;
mod education;
#[cfg(test)]
mod examples;
pub mod findings;
pub mod outcome;
pub mod record;
pub mod rule_text;

use std::collections::BTreeSet;

use num_bigint::BigInt;
use num_rational::Ratio;
use num_traits::Zero;

use qualify::check::model::{
    CategoryId, ClassDef, Exact, ProfileDef, Req, RuleModel, SubstitutionDef, TierDef,
};
use qualify::syntax::ast::{OverlapRule, TierKind};

use applicant::{Job, RefApplicant};
use calendar::{Day, Overlap};
use education::Judge;
use outcome::{Lack, RefEvaluation, RefPath, RefTier, Via};

/// Exact rationals of unbounded size.
pub type BigRational = Ratio<BigInt>;

pub fn big(numer: i64, denom: i64) -> BigRational {
    BigRational::new(BigInt::from(numer), BigInt::from(denom))
}

/// A rule model amount as a big rational, read from its text so that any width of the
/// model's integers converts.
pub fn exact(value: Exact) -> BigRational {
    parse_exact(&value.to_string()).unwrap_or_else(BigRational::zero)
}

/// `"n"` or `"n/d"` as a big rational.
pub fn parse_exact(text: &str) -> Option<BigRational> {
    match text.split_once('/') {
        Some((n, d)) => {
            let n: BigInt = n.trim().parse().ok()?;
            let d: BigInt = d.trim().parse().ok()?;
            (!d.is_zero()).then(|| BigRational::new(n, d))
        }
        None => Some(BigRational::from_integer(text.trim().parse().ok()?)),
    }
}

/// The smallest whole number not below `value`.
pub fn ceil(value: &BigRational) -> BigInt {
    value.ceil().to_integer()
}

/// Evaluates every class in force on `as_of`: every level, tier and path.
pub fn evaluate(model: &RuleModel, applicant: &RefApplicant, as_of: Day) -> RefEvaluation {
    let mut evaluation = RefEvaluation::default();
    let codes: BTreeSet<&str> = model.classes.iter().map(|c| c.code.as_str()).collect();
    for code in codes {
        let Some(version) = version_in_force(model, code, as_of) else {
            evaluation.not_in_force.insert(code.to_owned());
            continue;
        };
        let Some(profile) = model.profiles.get(version.profile.0 as usize) else {
            continue;
        };
        let judge = Judge {
            model,
            profile,
            applicant,
            as_of,
        };
        let mut highest = None;
        for level in &version.levels {
            for tier in &level.tiers {
                let outcome = evaluate_tier(&judge, tier);
                if tier.kind == TierKind::Minimum && outcome.via.is_some() {
                    highest = Some(level.name.clone());
                }
                let key = format!("{}/{}/{}", code, level.name, tier.kind.as_str());
                evaluation.tiers.insert(key, outcome);
            }
        }
        evaluation
            .highest_level_met
            .insert(code.to_owned(), highest);
    }
    evaluation
}

/// The version of a class in force: the latest effective on or before the date.
fn version_in_force<'m>(model: &'m RuleModel, code: &str, as_of: Day) -> Option<&'m ClassDef> {
    let as_of = as_of.jiff();
    let mut best: Option<&ClassDef> = None;
    for class in model.classes.iter().filter(|c| c.code == code) {
        if class.effective <= as_of && best.is_none_or(|b| class.effective >= b.effective) {
            best = Some(class);
        }
    }
    best
}

fn evaluate_tier(judge: &Judge<'_>, tier: &TierDef) -> RefTier {
    let (met, shortfalls) = requirement(judge, &tier.requirement);
    let mut paths = vec![RefPath {
        met,
        combination: None,
        shortfalls,
    }];
    for substitution in &tier.substitutions {
        paths.push(combination(judge, substitution));
    }
    let via = paths.iter().position(|p| p.met).map(|index| match index {
        0 => Via::Direct,
        n => Via::Substitution(n),
    });
    RefTier { via, paths }
}

/// Whether a requirement holds, and when it does not, what it lacks.
fn requirement(judge: &Judge<'_>, req: &Req) -> (bool, Vec<Lack>) {
    match req {
        Req::All(parts, _) => {
            let mut met = true;
            let mut lacks = Vec::new();
            for part in parts {
                let (part_met, part_lacks) = requirement(judge, part);
                met &= part_met;
                lacks.extend(part_lacks);
            }
            (met, lacks)
        }
        Req::Any(parts, _) => {
            let mut alternatives = Vec::new();
            for part in parts {
                let (part_met, part_lacks) = requirement(judge, part);
                if part_met {
                    return (true, Vec::new());
                }
                alternatives.push(part_lacks);
            }
            (false, vec![Lack::AnyOf(alternatives)])
        }
        Req::Credential(need) => {
            if judge.best_rank(need).is_some_and(|rank| rank >= need.rank) {
                return (true, Vec::new());
            }
            let name = |set: qualify::check::model::FieldSetId| {
                judge
                    .model
                    .field_sets
                    .get(set.0 as usize)
                    .map(|s| s.name.clone())
            };
            let lack = Lack::Credential {
                credential: need.credential.clone(),
                fields: need.fields.and_then(name),
                accredited: need.accredited,
                includes: need
                    .includes
                    .and_then(|(credits, set)| Some((exact(credits), name(set)?))),
            };
            (false, vec![lack])
        }
        Req::Experience {
            months, categories, ..
        } => {
            let have = experience_months(judge, categories);
            let needed = exact(*months);
            if have >= needed {
                return (true, Vec::new());
            }
            let lack = &needed - &have;
            let lack = Lack::Experience {
                whole: ceil(&lack),
                months: lack,
                categories: category_names(judge.model, categories),
            };
            (false, vec![lack])
        }
        Req::Credits {
            semester_credits,
            subjects,
            ..
        } => {
            let have = judge.subject_credits(*subjects);
            let needed = exact(*semester_credits);
            if have >= needed {
                return (true, Vec::new());
            }
            let lack = &needed - &have;
            let lack = Lack::Credits {
                whole: ceil(&lack),
                credits: lack,
                subjects: judge
                    .model
                    .field_sets
                    .get(subjects.0 as usize)
                    .map_or(String::new(), |s| s.name.clone()),
            };
            (false, vec![lack])
        }
    }
}

/// A combination clause: education-years × 12 + pooled experience months against the total.
fn combination(judge: &Judge<'_>, sub: &SubstitutionDef) -> RefPath {
    let years = sub.education.map_or(BigRational::zero(), |part| {
        judge.education_years(part.accredited, part.fields)
    });
    let months = if sub.experience.is_empty() {
        BigRational::zero()
    } else {
        experience_months(judge, &sub.experience)
    };
    let credited = &years * big(12, 1) + &months;
    let required = exact(sub.total_months);
    let (includes_met, includes_lacks) = match &sub.includes {
        Some(req) => requirement(judge, req),
        None => (true, Vec::new()),
    };
    let mut shortfalls = Vec::new();
    let total_met = credited >= required;
    if !total_met {
        let lack = &required - &credited;
        shortfalls.push(Lack::Total {
            whole: ceil(&lack),
            months: lack,
            categories: category_names(judge.model, &sub.experience),
        });
    }
    shortfalls.extend(includes_lacks);
    RefPath {
        met: total_met && includes_met,
        combination: Some(outcome::Combination {
            education_years: years,
            experience: months,
            credited,
            required,
            includes_met,
        }),
        shortfalls,
    }
}

/// Credited months of the jobs tagged with any of `categories`.
pub fn experience_months(judge: &Judge<'_>, categories: &[CategoryId]) -> BigRational {
    let names = category_names(judge.model, categories);
    let counted: Vec<&Job> = judge
        .applicant
        .jobs
        .iter()
        .filter(|job| job.categories.iter().any(|c| names.contains(c)))
        .collect();
    let profile: &ProfileDef = judge.profile;
    let overlap = match profile.overlap {
        OverlapRule::SummedToFullTime => Overlap::SummedToFullTime,
        OverlapRule::LargestJobOnly => Overlap::LargestOnly,
    };
    calendar::credited_months(
        &counted,
        &exact(profile.full_time_hours),
        overlap,
        judge.as_of,
    )
}

fn category_names(model: &RuleModel, categories: &[CategoryId]) -> BTreeSet<String> {
    categories
        .iter()
        .filter_map(|id| model.categories.get(id.0 as usize))
        .map(|c| c.name.clone())
        .collect()
}

/// The figures a record states, recomputed by the reference for the same keys.
pub struct Figures<'r> {
    pub model: &'r RuleModel,
    pub applicant: &'r RefApplicant,
    pub as_of: Day,
}

impl Figures<'_> {
    fn judge<'a>(&'a self, profile: &str) -> Option<Judge<'a>> {
        let profile = self.model.profiles.iter().find(|p| p.name == profile)?;
        Some(Judge {
            model: self.model,
            profile,
            applicant: self.applicant,
            as_of: self.as_of,
        })
    }

    fn set(&self, name: &str) -> Option<qualify::check::model::FieldSetId> {
        let index = self.model.field_sets.iter().position(|s| s.name == name)?;
        Some(qualify::check::model::FieldSetId(
            u32::try_from(index).ok()?,
        ))
    }

    /// Months in any of `categories` under `profile`.
    pub fn experience(&self, profile: &str, categories: &BTreeSet<String>) -> Option<BigRational> {
        let judge = self.judge(profile)?;
        let ids: Vec<CategoryId> = categories
            .iter()
            .map(|name| {
                let index = self.model.categories.iter().position(|c| &c.name == name)?;
                Some(CategoryId(u32::try_from(index).ok()?))
            })
            .collect::<Option<_>>()?;
        Some(experience_months(&judge, &ids))
    }

    /// Semester credits in subjects of the set named `subjects`.
    pub fn credits(&self, profile: &str, subjects: &str) -> Option<BigRational> {
        Some(self.judge(profile)?.subject_credits(self.set(subjects)?))
    }

    /// Education-years under a clause's predicates.
    pub fn education(
        &self,
        profile: &str,
        accredited: bool,
        fields: Option<&str>,
    ) -> Option<BigRational> {
        let fields = match fields {
            Some(name) => Some(self.set(name)?),
            None => None,
        };
        Some(self.judge(profile)?.education_years(accredited, fields))
    }
}
