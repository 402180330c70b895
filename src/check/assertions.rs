//! `assert` statements: each names tiers of its own class, found here, and may hold a
//! requirement, checked like any other.

use super::Checker;
use super::model::{AssertionDef, Claim, LevelDef, ProfileDef, TierPick};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{AssertionKind, Class, ClassStatement, TierRef};

impl Checker {
    /// The class's assertions, each tier it names found among `levels`.
    pub(crate) fn check_assertions(
        &mut self,
        class: &Class,
        levels: &[LevelDef],
        profile: Option<&ProfileDef>,
    ) -> Vec<AssertionDef> {
        let mut checked = Vec::new();
        for statement in &class.statements {
            let ClassStatement::Assert(assertion) = statement else {
                continue;
            };
            let claim = match &assertion.kind {
                AssertionKind::Implies(from, to) => {
                    let from = self.tier_pick(class, levels, from);
                    let to = self.tier_pick(class, levels, to);
                    from.zip(to).map(|(f, t)| Claim::Implies(f, t))
                }
                AssertionKind::RequiresSome(tier, evidence) => self
                    .tier_pick(class, levels, tier)
                    .map(|t| Claim::RequiresSome(t, *evidence)),
                AssertionKind::NoneWithout(requirement, tier) => {
                    let req = self.requirement(requirement, profile);
                    let tier = self.tier_pick(class, levels, tier);
                    req.zip(tier).map(|(r, t)| Claim::NoneWithout(r, t))
                }
            };
            if let Some(claim) = claim {
                checked.push(AssertionDef {
                    claim,
                    span: assertion.span,
                });
            }
        }
        checked
    }

    /// The tier an assertion names, when the class has it.
    fn tier_pick(
        &mut self,
        class: &Class,
        levels: &[LevelDef],
        tier: &TierRef,
    ) -> Option<TierPick> {
        // Level names are matched without regard to case, as `--level` matches them (a class
        // never has two that differ only in case, Q108).
        let same = |name: &str| name.eq_ignore_ascii_case(&tier.level.text);
        let Some(level) = levels.iter().find(|l| same(&l.name)) else {
            // A level that did not check is reported where it is written.
            if !class.levels.iter().any(|l| same(&l.name.text)) {
                self.report(
                    Diagnostic::new(
                        Code::UnknownName,
                        format!(
                            "class `{}` has no level `{}`",
                            class.code.text, tier.level.text
                        ),
                        tier.level.span,
                        "no level has this name",
                    )
                    .with_help(format!(
                        "the levels are {}",
                        levels
                            .iter()
                            .map(|l| format!("`{}`", l.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
            return None;
        };
        if !level.tiers.iter().any(|t| t.kind == tier.tier) {
            // A tier written but not checked (a mistake in it, or in its class's profile) is
            // reported where the mistake is; naming it here again would say it is missing.
            let written = class
                .levels
                .iter()
                .filter(|l| same(&l.name.text))
                .any(|l| l.tiers.iter().any(|t| t.kind == tier.tier));
            if written {
                return None;
            }
            self.report(Diagnostic::new(
                Code::UnknownName,
                format!(
                    "level `{}` of class `{}` has no {} tier",
                    level.name,
                    class.code.text,
                    tier.tier.as_str()
                ),
                tier.span,
                "no such tier",
            ));
            return None;
        }
        Some(TierPick {
            level: level.name.clone(),
            tier: tier.tier,
        })
    }
}
