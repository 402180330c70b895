//! The writer's assertions about a class, decided over its candidates: each is proved, or
//! refuted (Q410) by the simplest applicant who breaks it.

use crate::check::model::{Claim, Evidence, TierPick};
use crate::diagnostics::{Code, Diagnostic};

use super::Proved;
use super::candidates::Candidate;
use super::properties::{Findings, TierAt, simplest};

/// Checks every assertion the class states.
pub(crate) fn check(out: &mut Findings<'_, '_, '_>, all: &[TierAt<'_>]) {
    let tiers = all.len();
    let mut requirement_slot = tiers;
    for (number, assertion) in out.class.assertions.iter().enumerate() {
        // As written, on one line, without a comment beside it.
        let text = crate::compile::rule_words(out.space.program.rule_text(assertion.span));
        let find = |pick: &TierPick| {
            all.iter()
                .find(|t| t.level.name == pick.level && t.tier.kind == pick.tier)
                .copied()
        };
        let found = out.found;
        let (broken, about): (Option<&Candidate>, Vec<TierAt<'_>>) = match &assertion.claim {
            Claim::Implies(from, to) => {
                let (Some(from), Some(to)) = (find(from), find(to)) else {
                    continue;
                };
                (
                    simplest(found, |c| c.tier_met(from.index) && !c.tier_met(to.index)),
                    vec![from, to],
                )
            }
            Claim::RequiresSome(pick, evidence) => {
                let Some(tier) = find(pick) else { continue };
                let lacks = |c: &Candidate| match evidence {
                    Evidence::Experience => !found.has_experience(c),
                    Evidence::Education => !found.has_education(c),
                };
                (
                    simplest(found, |c| c.tier_met(tier.index) && lacks(c)),
                    vec![tier],
                )
            }
            Claim::NoneWithout(_, pick) => {
                let slot = requirement_slot;
                requirement_slot += 1;
                let Some(tier) = find(pick) else { continue };
                (
                    simplest(found, |c| c.tier_met(tier.index) && c.path_bits(slot) == 0),
                    vec![tier],
                )
            }
        };
        match broken {
            None => {
                out.report.proved.push(Proved {
                    class: out.class.code.clone(),
                    assertion: text.clone(),
                    over_bounded_family: !out.space.bounded.is_empty(),
                });
            }
            Some(example) => {
                let diagnostic = Diagnostic::new(
                    Code::AssertionRefuted,
                    format!(
                        "class {}: the assertion `{text}` does not hold",
                        out.class.code
                    ),
                    assertion.span,
                    "refuted",
                );
                let slug = format!("assertion-{}", number + 1);
                out.push(diagnostic, Some(example), &about, &slug);
            }
        }
    }
}
