//! Shortfalls: what a path lacks, computed from the facts and the thresholds.
//!
//! Amounts are exact, with a whole-unit ceiling for notices. An `and` lacks what each of its
//! unmet parts lacks; an `or` lacks any one of its alternatives in full.

use std::sync::Arc;

use crate::check::model::Exact;
use crate::compile::{Node, NodeId, SubstitutionProgram};

use super::facts::Facts;
use super::outcome::{CombinationFigure, CreditAmount, Included, Months, Shortfall, ceil};
use super::{at_least, minus, node_met};

/// Somewhere to append shortfalls: a plain push, cheaper than `Extend` with one item.
pub(crate) trait PushShortfall {
    fn extend_one_item(&mut self, item: Shortfall);
}

impl PushShortfall for Vec<Shortfall> {
    #[inline]
    fn extend_one_item(&mut self, item: Shortfall) {
        self.push(item);
    }
}

impl<A: smallvec::Array<Item = Shortfall>> PushShortfall for smallvec::SmallVec<A> {
    #[inline]
    fn extend_one_item(&mut self, item: Shortfall) {
        self.push(item);
    }
}

/// Appends what node `id` lacks (nothing when it is met).
pub(crate) fn of_node(facts: &mut Facts<'_>, id: NodeId, out: &mut impl PushShortfall) {
    let tree = facts.tree;
    let Some(node) = tree.node(id) else {
        return;
    };
    match node {
        Node::All { .. } => {
            for child in tree.children(node) {
                if !node_met(facts, *child) {
                    of_node(facts, *child, out);
                }
            }
        }
        Node::Any { .. } => {
            if node_met(facts, id) {
                return;
            }
            let mut alternatives = Vec::with_capacity(tree.children(node).len());
            for child in tree.children(node) {
                let mut lacks = Vec::new();
                of_node(facts, *child, &mut lacks);
                alternatives.push(lacks);
            }
            out.extend_one_item(Shortfall::AnyOf { alternatives });
        }
        Node::Credential {
            key,
            rank,
            credential,
            names,
            ..
        } => {
            if facts.credential(*key).rank.is_some_and(|r| r >= *rank) {
                return;
            }
            let accredited = tree.credential_key(*key).is_some_and(|k| k.accredited);
            out.extend_one_item(Shortfall::Credential {
                credential: Arc::clone(credential),
                title: Arc::clone(&names.title),
                fields: names.fields.clone(),
                accredited,
                includes: names.includes.as_ref().map(|(credits, subjects)| Included {
                    credits: CreditAmount(*credits),
                    subjects: Arc::clone(subjects),
                }),
            });
        }
        Node::Experience { key, months, .. } => {
            let have = facts.experience(*key).months;
            if at_least(have, *months) {
                return;
            }
            let lack = minus(*months, have);
            out.extend_one_item(Shortfall::Experience {
                months: Months(lack),
                whole_months: ceil(lack),
                categories: tree
                    .experience_key(*key)
                    .map_or_else(|| Arc::from(Vec::new()), |k| Arc::clone(&k.names)),
            });
        }
        Node::Credits {
            key,
            credits,
            subjects,
            ..
        } => {
            let have = facts.credits(*key);
            if at_least(have, *credits) {
                return;
            }
            let lack = minus(*credits, have);
            out.extend_one_item(Shortfall::Credits {
                credits: CreditAmount(lack),
                whole_credits: ceil(lack),
                subjects: Arc::clone(subjects),
            });
        }
    }
}

/// Appends the months a combination clause's total lacks.
pub(crate) fn of_total(
    facts: &Facts<'_>,
    sub: &SubstitutionProgram,
    figure: &CombinationFigure,
    out: &mut impl PushShortfall,
) {
    let lack: Exact = minus(figure.required.0, figure.credited.0);
    if at_least(Exact::from_integer(0), lack) {
        return;
    }
    out.extend_one_item(Shortfall::Total {
        months: Months(lack),
        whole_months: ceil(lack),
        categories: sub
            .experience
            .and_then(|k| facts.tree.experience_key(k))
            .map_or_else(|| Arc::from(Vec::new()), |k| Arc::clone(&k.names)),
    });
}

impl Shortfall {
    /// The shortfall in words, fit for a notice: "needs 7 more months of program_experience".
    pub fn describe(&self) -> String {
        match self {
            Shortfall::Experience {
                whole_months,
                categories,
                ..
            } => text!(
                "needs {} of {}",
                more_months(*whole_months),
                join(categories)
            ),
            Shortfall::Credential {
                title,
                fields,
                accredited,
                includes,
                ..
            } => {
                let mut text = text!("needs {} or higher", with_article(title));
                if *accredited {
                    text.push_str(" from an accredited school");
                }
                if let Some(fields) = fields {
                    text.push_str(&text!(" in {fields}"));
                }
                if let Some(included) = includes {
                    text.push_str(&text!(
                        " that includes {} in {}",
                        included.credits.display(),
                        included.subjects
                    ));
                }
                text
            }
            Shortfall::Credits {
                whole_credits,
                subjects,
                ..
            } => text!(
                "needs {} more in {subjects}",
                super::outcome::plural(Exact::from_integer(*whole_credits), "credit")
            ),
            Shortfall::Total {
                whole_months,
                categories,
                ..
            } => {
                let of = if categories.is_empty() {
                    String::new()
                } else {
                    text!(" (e.g. of {})", join(categories))
                };
                text!(
                    "needs {} of education or experience toward the total{of}",
                    more_months(*whole_months)
                )
            }
            Shortfall::AnyOf { alternatives } => {
                let each: Vec<String> = alternatives
                    .iter()
                    .map(|a| {
                        a.iter()
                            .map(Shortfall::describe)
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                    .collect();
                text!("either {}", each.join(", or "))
            }
        }
    }
}

/// "7 more months", "1 more month", "1 year 6 months more".
fn more_months(months: i64) -> String {
    match months {
        1 => "1 more month".to_string(),
        0..12 => text!("{months} more months"),
        _ => text!(
            "{} more",
            super::outcome::format_months(Exact::from_integer(months))
        ),
    }
}

/// Category names joined with " or ", written into one buffer.
pub(crate) fn join(names: &[Arc<str>]) -> String {
    let mut out = String::with_capacity(names.iter().map(|n| n.len() + 4).sum());
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(name);
    }
    out
}

/// "an associate degree", "a bachelor's degree", "a high school diploma".
fn with_article(title: &str) -> String {
    let lowered = title.to_lowercase();
    let article = match lowered.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    };
    text!("{article} {lowered}")
}
