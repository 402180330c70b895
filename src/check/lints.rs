//! Warnings: things that are legal but probably not what the policy writer meant.

use std::collections::BTreeMap;

use super::Checker;
use super::model::{CategoryId, ClassDef, Exact, Req, TierDef};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{Requirement, TierKind};

impl Checker {
    /// Q205: `a and b or c` parses as `(a and b) or c`, which readers often misjudge.
    pub(crate) fn lint_mixed_and_or(&mut self, req: &Requirement) {
        match req {
            Requirement::AnyOf(items, _) | Requirement::AllOf(items, _) => {
                self.lint_credits_after_includes(items, matches!(req, Requirement::AnyOf(..)));
            }
            _ => {}
        }
        match req {
            Requirement::AnyOf(items, _) => {
                for item in items {
                    if let Requirement::AllOf(_, span) = item {
                        self.report(
                            Diagnostic::new(
                                Code::MixedAndOr,
                                "`and` and `or` are mixed without parentheses",
                                *span,
                                "this `and` binds tighter than the `or` beside it",
                            )
                            .with_help("add parentheses to show which requirements go together"),
                        );
                    }
                    self.lint_mixed_and_or(item);
                }
            }
            Requirement::AllOf(items, _) => items.iter().for_each(|i| self.lint_mixed_and_or(i)),
            Requirement::Group(inner, _) => self.lint_mixed_and_or(inner),
            Requirement::Credential(_) | Requirement::Duration(..) | Requirement::Credits(..) => {}
        }
    }

    /// Q213: `bachelor that includes 18 credits in bs or 12 credits in f` reads as if the
    /// degree had to include either, but `that includes` takes one amount: the credits after
    /// it are a requirement of their own, met by credits from any education.
    fn lint_credits_after_includes(&mut self, items: &[Requirement], any: bool) {
        for pair in items.windows(2) {
            let [
                Requirement::Credential(credential),
                Requirement::Credits(_, _, span),
            ] = pair
            else {
                continue;
            };
            let Some((_, subjects)) = &credential.includes else {
                continue;
            };
            let joiner = if any { "or" } else { "and" };
            self.report(
                Diagnostic::new(
                    Code::CreditsAfterIncludes,
                    format!(
                        "these credits are a requirement of their own, not part of the `{}` that includes credits in `{}`",
                        credential.credential.text, subjects.text
                    ),
                    *span,
                    "met by credits from any education",
                )
                .with_label(credential.span, "`that includes` takes one amount")
                .with_help(format!(
                    "to ask the degree for these credits too, write the degree again: `({} that includes …) {joiner} ({} that includes …)`; to mean any credits, put the degree in parentheses",
                    credential.credential.text, credential.credential.text
                )),
            );
        }
    }

    /// Q202 and Q203: anomalies in the ladder of levels of a class.
    pub(crate) fn lint_ladder(&mut self, class: &ClassDef) {
        self.lint_substitution_gap(class);
        self.lint_recommended_above_next_minimum(class);
    }

    fn lint_substitution_gap(&mut self, class: &ClassDef) {
        let minimum = |i: usize| {
            class
                .levels
                .get(i)
                .and_then(|l| l.tiers.iter().find(|t| t.kind == TierKind::Minimum))
        };
        for (i, lower) in class.levels.iter().enumerate() {
            let Some(lower_min) = minimum(i) else {
                continue;
            };
            if !lower_min.substitutions.is_empty() {
                continue;
            }
            let higher = (i + 1..class.levels.len()).find_map(|j| {
                let tier = minimum(j)?;
                let sub = tier.substitutions.first()?;
                Some((class.levels.get(j)?, sub))
            });
            let Some((higher, _)) = higher else { continue };
            self.report(
                Diagnostic::new(
                    Code::LadderGap,
                    format!(
                        "level `{}` of class `{}` allows no substitution, but higher level `{}` does",
                        lower.name, class.code, higher.name
                    ),
                    lower_min.keyword_span,
                    "no substitution clause here",
                )
                .with_help(format!(
                    "an applicant can meet `{}` through its substitution without meeting `{}`; \
                     if the source says so, acknowledge it here with `allow Q202 \"reason\"`",
                    higher.name, lower.name
                )),
            );
        }
    }

    fn lint_recommended_above_next_minimum(&mut self, class: &ClassDef) {
        for pair in class.levels.windows(2) {
            let [lower, higher] = pair else { continue };
            fn tier(level: &super::model::LevelDef, kind: TierKind) -> Option<&TierDef> {
                level.tiers.iter().find(|t| t.kind == kind)
            }
            let (Some(recommended), Some(next_minimum)) = (
                tier(lower, TierKind::Recommended),
                tier(higher, TierKind::Minimum),
            ) else {
                continue;
            };
            let (Some(rec), Some(min)) = (shape(recommended), shape(next_minimum)) else {
                continue;
            };
            let Some((categories, asked, next)) = asks_more(&rec, &min) else {
                continue;
            };
            let names = self.category_list(&categories);
            self.report(
                Diagnostic::new(
                    Code::RecommendedExceedsNextMinimum,
                    format!(
                        "the recommended tier of level `{}` asks more than the minimum of level `{}`",
                        lower.name, higher.name
                    ),
                    recommended.keyword_span,
                    format!(
                        "asks {} of {names}; the minimum of `{}` asks {}",
                        months_words(asked),
                        higher.name,
                        months_words(next)
                    ),
                )
                .with_help(format!(
                    "an applicant can meet the minimum of `{}` without full performance at `{}`; \
                     if the source says so, acknowledge it here with `allow Q203 \"reason\"`",
                    higher.name, lower.name
                )),
            );
        }
    }

    fn category_list(&self, ids: &[CategoryId]) -> String {
        ids.iter()
            .filter_map(|id| self.model.category(*id).map(|c| format!("`{}`", c.name)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Q204: field sets and categories that no rule uses. A name written inside an item that
    /// did not parse may be used there, so it is not reported.
    pub(crate) fn lint_unused(&mut self) {
        let unused: Vec<(String, crate::source::Span, &str)> = self
            .vocabulary
            .iter()
            .filter(|(name, _)| !self.used.contains(*name) && !self.broken_words.contains(*name))
            .map(|(name, d)| {
                let what = match d.vocab {
                    super::vocabulary::Vocab::FieldSet(_) => "field set",
                    super::vocabulary::Vocab::Category(_) => "experience category",
                };
                (name.clone(), d.span, what)
            })
            .collect();
        for (name, span, what) in unused {
            self.report(
                Diagnostic::new(
                    Code::UnusedDefinition,
                    format!("{what} `{name}` is never used"),
                    span,
                    "defined here",
                )
                .with_help("remove it, or use it in a requirement"),
            );
        }
    }
}

/// The direct path of a tier when it is a plain conjunction: credential rank and months per
/// category set.
struct Shape {
    rank: u8,
    months: BTreeMap<Vec<CategoryId>, Exact>,
}

fn shape(tier: &TierDef) -> Option<Shape> {
    let items = match &tier.requirement {
        Req::All(items, _) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    let mut shape = Shape {
        rank: 0,
        months: BTreeMap::new(),
    };
    for item in items {
        match item {
            Req::Credential(c) => shape.rank = shape.rank.max(c.rank),
            Req::Experience {
                months, categories, ..
            } => {
                let mut key = categories.clone();
                key.sort();
                shape.months.insert(key, *months);
            }
            _ => return None,
        }
    }
    Some(shape)
}

/// A category set where `rec` asks more months than `min`, when `rec` asks at least as much of
/// everything else.
fn asks_more(rec: &Shape, min: &Shape) -> Option<(Vec<CategoryId>, Exact, Exact)> {
    if rec.rank < min.rank {
        return None;
    }
    let covers = min
        .months
        .iter()
        .all(|(k, m)| rec.months.get(k).is_some_and(|r| r >= m));
    if !covers {
        return None;
    }
    min.months.iter().find_map(|(k, m)| {
        let r = rec.months.get(k)?;
        (r > m).then(|| (k.clone(), *r, *m))
    })
}

/// "4 years", "6 months", "2 years 6 months".
pub fn months_words(months: Exact) -> String {
    crate::check::format_months(months)
}
