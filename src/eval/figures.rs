//! The figures of a decision record: the facts the evaluated tiers looked at, each computed
//! once, with the jobs that counted.

use crate::check::model::Exact;
use crate::compile::KeyId;

use super::facts::Facts;
use super::outcome::{
    CountedJobs, CredentialFigure, CreditAmount, CreditFigure, EducationFigure, ExperienceFigure,
    Figures, Included, Months, Years,
};

/// The jobs that counted toward an experience key; what each alone earns is worked out
/// when the figure is read.
fn counted_jobs<'a>(facts: &Facts<'a>, key: KeyId) -> CountedJobs<'a> {
    let full_time = facts
        .tree
        .experience_key(key)
        .and_then(|k| facts.program.profile(k.profile))
        .map_or(Exact::from_integer(40), |p| p.full_time_hours);
    CountedJobs {
        jobs: facts.applicant.experience.as_slice(),
        counted: facts.counted_job_indices(key),
        as_of: facts.as_of,
        full_time,
    }
}

/// The figures the evaluation looked at.
pub(crate) fn figures<'a>(facts: &Facts<'a>) -> Figures<'a> {
    let program = facts.program;
    let tree = facts.tree;
    let profile_name = |id| program.profile(id).map_or("", |p| &*p.name);
    let field_name = |id| program.field_set(id).map(|f| &*f.name);
    let mut figures = Figures {
        experience: Vec::with_capacity(facts.computed_experience().count()),
        education: Vec::with_capacity(facts.computed_education().count()),
        credentials: Vec::with_capacity(facts.computed_credentials().count()),
        credits: Vec::with_capacity(facts.computed_credits().count()),
    };
    for (key, credit) in facts.computed_experience() {
        if let Some(k) = tree.experience_key(key) {
            figures.experience.push(ExperienceFigure {
                profile: profile_name(k.profile),
                categories: &k.names,
                months: Months(credit.months),
                jobs: credit.jobs,
                counted_jobs: counted_jobs(facts, key),
                overlap_months: Months(credit.overlap_months),
            });
        }
    }
    for (key, years) in facts.computed_education() {
        if let Some(k) = tree.education_key(key) {
            figures.education.push(EducationFigure {
                profile: profile_name(k.profile),
                accredited: k.accredited,
                fields: k.fields.and_then(field_name),
                years: Years(years),
            });
        }
    }
    for (key, best) in facts.computed_credentials() {
        if let Some(k) = tree.credential_key(key) {
            figures.credentials.push(CredentialFigure {
                profile: profile_name(k.profile),
                fields: k.fields.and_then(field_name),
                accredited: k.accredited,
                includes: k.includes.and_then(|(credits, subjects)| {
                    field_name(subjects).map(|subjects| Included {
                        credits: CreditAmount(credits),
                        subjects,
                    })
                }),
                best: best
                    .entry
                    .and_then(|e| facts.applicant.education.get(e as usize))
                    .map(|e| e.credential.as_str()),
            });
        }
    }
    for (key, credits) in facts.computed_credits() {
        if let Some(k) = tree.credit_key(key) {
            figures.credits.push(CreditFigure {
                profile: profile_name(k.profile),
                subjects: field_name(k.subjects).unwrap_or(""),
                credits: CreditAmount(credits),
            });
        }
    }
    figures
}
