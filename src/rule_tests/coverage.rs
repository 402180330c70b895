//! Coverage by clause: which paths of each tier a test took, which requirement nodes were
//! seen both met and not met, and which amounts a test sat on each side of, within one unit,
//! where that amount decided its path.
//!
//! Only tiers a test states an expectation for count: a path a test evaluated but did not
//! check is not covered.

use std::collections::HashMap;
use std::sync::Arc;

use num_traits::{CheckedAdd, CheckedSub};
use serde::Serialize;

use crate::check::model::Exact;
use crate::compile::{Node, NodeId, Program, TierProgram};
use crate::eval::trace::{Seen, TracedNode, TracedTier, children};
use crate::eval::{Facts, Via};

/// The coverage of every path of every tier of every class version.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    pub paths: Vec<PathCoverage>,
    /// The first path of each tier, by the tier's span.
    #[serde(skip)]
    index: HashMap<(u32, u32, u32), usize>,
}

/// One path of one tier.
#[derive(Clone, Debug, Serialize)]
pub struct PathCoverage {
    pub class: Arc<str>,
    /// The version's effective date.
    pub version: String,
    pub level: Arc<str>,
    pub tier: &'static str,
    pub path: String,
    /// The source section the path encodes (`cite`).
    pub cite: Option<Arc<str>>,
    /// Some test's asserted tier was met by this path.
    pub taken: bool,
    /// The path's requirement nodes, in rule order.
    pub nodes: Vec<NodeCoverage>,
}

/// One requirement node of a path.
#[derive(Clone, Debug, Serialize)]
pub struct NodeCoverage {
    /// The rule text of the node.
    pub rule: String,
    pub seen_met: bool,
    pub seen_not_met: bool,
    /// For a node that compares an amount with a threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Boundary>,
}

/// A threshold and whether a test sat just below it and at it, where it decided its path.
#[derive(Clone, Debug, Serialize)]
pub struct Boundary {
    /// `6 months`, `18 credits`, `48 months` (a combination total).
    pub threshold: String,
    #[serde(skip)]
    pub amount: Exact,
    #[serde(skip)]
    pub unit: Exact,
    /// A test had less than the threshold, by one unit at most.
    pub below: bool,
    /// A test had the threshold, or less than one unit more.
    pub at: bool,
}

impl Boundary {
    fn new(amount: Exact, unit_name: &str) -> Boundary {
        Boundary {
            threshold: format!("{} {unit_name}", crate::eval::outcome::exact_string(amount)),
            amount,
            unit: Exact::from_integer(1),
            below: false,
            at: false,
        }
    }

    fn sample(&mut self, value: Exact) {
        let (Some(low), Some(high)) = (
            self.amount.checked_sub(&self.unit),
            self.amount.checked_add(&self.unit),
        ) else {
            return;
        };
        if low <= value && value < self.amount {
            self.below = true;
        }
        if self.amount <= value && value < high {
            self.at = true;
        }
    }

    /// Both sides seen.
    pub fn covered(&self) -> bool {
        self.below && self.at
    }
}

/// Counts of covered items out of all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub covered: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, covered: bool) {
        self.total += 1;
        self.covered += usize::from(covered);
    }

    /// The share covered, in whole percent rounded down (100 when there is nothing).
    pub fn percent(self) -> usize {
        // In 128 bits, `covered * 100` cannot overflow.
        let (Ok(covered), Ok(total)) = (u128::try_from(self.covered), u128::try_from(self.total))
        else {
            return 0;
        };
        (covered * 100)
            .checked_div(total)
            .map_or(100, |p| usize::try_from(p).unwrap_or(100))
    }
}

/// Path, boundary and node tallies, for a class or in total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub paths: Tally,
    pub boundaries: Tally,
    pub nodes: Tally,
}

impl PathCoverage {
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        totals.paths.add(self.taken);
        for node in &self.nodes {
            totals.nodes.add(node.seen_met && node.seen_not_met);
            if let Some(boundary) = &node.boundary {
                totals.boundaries.add(boundary.covered());
            }
        }
        totals
    }
}

impl Totals {
    fn merge(&mut self, other: Totals) {
        for (mine, theirs) in [
            (&mut self.paths, other.paths),
            (&mut self.boundaries, other.boundaries),
            (&mut self.nodes, other.nodes),
        ] {
            mine.covered += theirs.covered;
            mine.total += theirs.total;
        }
    }
}

impl Coverage {
    /// Every path of every tier of every version of every class, nothing covered yet.
    pub fn of(program: &Program) -> Coverage {
        let mut coverage = Coverage {
            paths: Vec::new(),
            index: HashMap::new(),
        };
        for class in program.classes() {
            for version in &class.versions {
                for level in &version.levels {
                    for tier in &level.tiers {
                        let span = tier.span;
                        coverage
                            .index
                            .insert((span.file.0, span.start, span.end), coverage.paths.len());
                        let at = |path: String, cite: Option<Arc<str>>, nodes| PathCoverage {
                            class: Arc::clone(&class.code),
                            version: version.effective.to_string(),
                            level: Arc::clone(&level.name),
                            tier: tier.kind.as_str(),
                            path,
                            cite,
                            taken: false,
                            nodes,
                        };
                        let cite = |c: &Option<crate::compile::CitationInfo>| {
                            c.as_ref().map(|c| Arc::clone(&c.text))
                        };
                        let mut nodes = Vec::new();
                        describe_nodes(program, tier.requirement, &mut nodes);
                        coverage
                            .paths
                            .push(at("direct".to_owned(), cite(&tier.citation), nodes));
                        for (n, sub) in tier.substitutions.iter().enumerate() {
                            let mut nodes = vec![NodeCoverage {
                                rule: program.rule_line(sub.rule_span),
                                seen_met: false,
                                seen_not_met: false,
                                boundary: Some(Boundary::new(sub.total_months, "months")),
                            }];
                            if let Some(includes) = sub.includes {
                                describe_nodes(program, includes, &mut nodes);
                            }
                            coverage.paths.push(at(
                                format!("substitution {}", n + 1),
                                cite(&sub.citation),
                                nodes,
                            ));
                        }
                    }
                }
            }
        }
        coverage
    }

    /// Per class, in rule order, and in total.
    pub fn totals(&self) -> (Vec<(Arc<str>, Totals)>, Totals) {
        let mut classes: Vec<(Arc<str>, Totals)> = Vec::new();
        let mut all = Totals::default();
        for path in &self.paths {
            let totals = path.totals();
            all.merge(totals);
            match classes.last_mut() {
                Some((code, sum)) if *code == path.class => sum.merge(totals),
                _ => {
                    let mut sum = Totals::default();
                    sum.merge(totals);
                    classes.push((Arc::clone(&path.class), sum));
                }
            }
        }
        (classes, all)
    }

    /// Records what one asserted tier of a traced evaluation exercised; `names_path` when
    /// the expectation names the path the tier is met by (`met by direct`).
    pub(crate) fn record(
        &mut self,
        facts: &Facts<'_>,
        tier: &TracedTier<'_>,
        paths: &[crate::eval::TracedPath],
        nodes: &[TracedNode],
        names_path: bool,
    ) {
        let span = tier.tier.span;
        let Some(first) = self
            .index
            .get(&(span.file.0, span.start, span.end))
            .copied()
        else {
            return;
        };
        for (n, path) in paths.iter().enumerate() {
            let Some(coverage) = self.paths.get_mut(first + n) else {
                continue;
            };
            if path.taken {
                coverage.taken = true;
            }
            // An amount is on a boundary when it decides its path, and the path decides the
            // tier: any path of a tier not met (each would meet it with a threshold moved),
            // or the path a met tier was met by, when no other path meets it too or the
            // expectation names the path. A path passed over when another met the tier, and
            // a path taken while another would meet the tier as well, could move their
            // thresholds without a test of `met` noticing.
            let decisive = !tier.met || (path.taken && (names_path || !another_met(paths, n)));
            let mut walk = Walk {
                facts,
                nodes,
                coverage,
                next_entry: 0,
            };
            match path.via {
                Via::Direct => walk.node(tier.tier.requirement, path.root, decisive),
                Via::Substitution { clause } => {
                    walk.substitution(tier.tier, clause, path.root, decisive);
                }
            }
        }
    }
}

/// Whether a path other than the `n`th meets its tier.
fn another_met(paths: &[crate::eval::TracedPath], n: usize) -> bool {
    paths.iter().enumerate().any(|(i, p)| i != n && p.met)
}

/// The nodes of a requirement in preorder, each with its rule text and threshold.
fn describe_nodes(program: &Program, id: NodeId, out: &mut Vec<NodeCoverage>) {
    let tree = program.tree();
    let Some(node) = tree.node(id) else {
        return;
    };
    let boundary = match node {
        Node::Experience { months, .. } => Some(Boundary::new(*months, "months")),
        Node::Credits { credits, .. } => Some(Boundary::new(*credits, "credits")),
        Node::Credential { need, .. } => tree
            .need(*need)
            .and_then(|need| need.names.includes.as_ref())
            .map(|(credits, _)| Boundary::new(*credits, "credits")),
        Node::All { .. } | Node::Any { .. } => None,
    };
    out.push(NodeCoverage {
        rule: crate::compile::quoted_rule(program.sources(), node.span()),
        seen_met: false,
        seen_not_met: false,
        boundary,
    });
    for child in tree.children(node) {
        describe_nodes(program, *child, out);
    }
}

/// A walk of one traced path beside its program nodes.
struct Walk<'w, 'f> {
    facts: &'w Facts<'f>,
    nodes: &'w [TracedNode],
    coverage: &'w mut PathCoverage,
    next_entry: usize,
}

impl Walk<'_, '_> {
    fn node(&mut self, id: NodeId, index: u32, decisive: bool) {
        let tree = self.facts.tree;
        let (Some(node), Some(traced)) = (tree.node(id), self.nodes.get(index as usize)) else {
            return;
        };
        let entry = self.next_entry;
        self.next_entry += 1;
        let value = match (&traced.seen, node) {
            (Seen::Experience { credit, .. }, _) => Some(credit.months),
            (Seen::Credits { have, .. }, _) => Some(*have),
            (Seen::Credential { .. }, Node::Credential { key, rank, .. }) => {
                self.facts.included_credits(*key, *rank)
            }
            _ => None,
        };
        if let Some(entry) = self.coverage.nodes.get_mut(entry) {
            entry.seen_met |= traced.met;
            entry.seen_not_met |= !traced.met;
            if let (Some(boundary), Some(value), true) = (&mut entry.boundary, value, decisive) {
                boundary.sample(value);
            }
        }
        let kids: Vec<NodeId> = tree.children(node).to_vec();
        let traced_kids: Vec<u32> = children(self.nodes, index).collect();
        let met: Vec<bool> = traced_kids
            .iter()
            .map(|k| self.nodes.get(*k as usize).is_some_and(|n| n.met))
            .collect();
        let all = matches!(node, Node::All { .. });
        for (n, (kid, traced_kid)) in kids.iter().zip(&traced_kids).enumerate() {
            let others = met.iter().enumerate().filter(|(m, _)| *m != n);
            let kid_decisive = decisive
                && if all {
                    others.clone().all(|(_, met)| *met)
                } else {
                    others.clone().all(|(_, met)| !*met)
                };
            self.node(*kid, *traced_kid, kid_decisive);
        }
    }

    fn substitution(&mut self, tier: &TierProgram, clause: u32, root: u32, decisive: bool) {
        let Some(sub) = tier.substitutions.get((clause as usize).saturating_sub(1)) else {
            return;
        };
        let Some(traced) = self.nodes.get(root as usize) else {
            return;
        };
        let Seen::Combination { figure } = &traced.seen else {
            return;
        };
        let total_met = figure.credited.0 >= figure.required.0;
        self.next_entry = 1;
        if let Some(entry) = self.coverage.nodes.first_mut() {
            entry.seen_met |= traced.met;
            entry.seen_not_met |= !traced.met;
            if let Some(boundary) = &mut entry.boundary
                && decisive
                && figure.includes_met
            {
                boundary.sample(figure.credited.0);
            }
        }
        let Some(includes) = sub.includes else {
            return;
        };
        // The includes subtree follows the clause's education and experience parts.
        let includes_root =
            root + 1 + u32::from(sub.education.is_some()) + u32::from(sub.experience.is_some());
        self.node(includes, includes_root, decisive && total_met);
    }
}
