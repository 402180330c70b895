//! The audit trace as data: per tier, every node of every path with whether it held and the
//! value it saw.
//!
//! Built only on request, after the fast path has decided; it re-reads the same facts, so
//! it can never disagree with the decision record. It holds numbers and indices, in flat
//! arenas (nodes in preorder); `explain` words it for people.

use jiff::civil::Date;

use crate::applicant::Applicant;
use crate::check::model::Exact;
use crate::compile::{KeyId, LevelProgram, Node, NodeId, Program, SubstitutionProgram};
use crate::compile::{TierProgram, Tree};

use super::experience::Credit;
use super::facts::{BestCredential, Facts};
use super::outcome::{CombinationFigure, PathOutcome, TierKey, TierOutcome, Via};
use super::{combination, node_met};

/// The trace of an evaluation: every traced tier, its paths and their nodes, with what the
/// wording needs to look up names and evidence.
#[derive(Clone, Debug)]
pub struct Trace<'a> {
    pub program: &'a Program,
    pub applicant: &'a Applicant,
    pub as_of: Date,
    pub tiers: Vec<TracedTier<'a>>,
    pub paths: Vec<TracedPath>,
    pub nodes: Vec<TracedNode>,
}

/// One tier: its key, where it is in the program, and its paths (`paths[first..first+len]`).
#[derive(Clone, Debug)]
pub struct TracedTier<'a> {
    pub key: TierKey<'a>,
    pub level: &'a LevelProgram,
    pub tier: &'a TierProgram,
    pub met: bool,
    pub via: Option<Via>,
    pub first_path: u32,
    pub path_count: u32,
}

/// One path of a tier; its nodes start at `root` in the node arena.
#[derive(Clone, Copy, Debug)]
pub struct TracedPath {
    pub via: Via,
    pub met: bool,
    /// Whether this is the path the decision rests on.
    pub taken: bool,
    pub root: u32,
}

/// One node: whether it held, what it saw, and how many nodes its subtree spans (itself
/// included), so that its first child is the next node and each sibling follows the last.
#[derive(Clone, Debug)]
pub struct TracedNode {
    pub met: bool,
    pub seen: Seen,
    pub size: u32,
}

/// What a node saw.
#[derive(Clone, Debug)]
pub enum Seen {
    /// `and` (`all`) or `or`: how many children held, of how many.
    Group { all: bool, held: u32, of: u32 },
    /// A credential leaf and the best matching credential.
    Credential { node: NodeId, best: BestCredential },
    /// An experience leaf and the months credited.
    Experience { node: NodeId, credit: Credit },
    /// A credits leaf and the semester credits found.
    Credits { node: NodeId, have: Exact },
    /// A combination clause's arithmetic; its parts are its children.
    Combination { figure: CombinationFigure },
    /// The education-years a combination adds up.
    EducationYears { key: KeyId, years: Exact },
    /// The experience a combination adds up.
    ExperienceYears { key: KeyId, credit: Credit },
    /// A node id the tree does not hold.
    Missing,
}

impl<'a> Trace<'a> {
    pub(crate) fn new(facts: &Facts<'a>) -> Trace<'a> {
        Trace {
            program: facts.program,
            applicant: facts.applicant,
            as_of: facts.as_of,
            tiers: Vec::new(),
            paths: Vec::new(),
            nodes: Vec::new(),
        }
    }

    /// The paths of a traced tier.
    pub fn paths_of(&self, tier: &TracedTier<'_>) -> &[TracedPath] {
        let first = tier.first_path as usize;
        self.paths
            .get(first..first + tier.path_count as usize)
            .unwrap_or(&[])
    }
}

/// The indices of a node's children in a preorder arena.
#[derive(Clone, Debug)]
pub struct Children<'t> {
    nodes: &'t [TracedNode],
    next: u32,
    end: u32,
}

/// The indices of the children of the node at `index` in a preorder arena.
pub fn children(nodes: &[TracedNode], index: u32) -> Children<'_> {
    let size = nodes.get(index as usize).map_or(1, |n| n.size.max(1));
    Children {
        nodes,
        next: index + 1,
        end: index + size,
    }
}

impl Iterator for Children<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        let current = self.next;
        let size = self
            .nodes
            .get(current as usize)
            .map_or(1, |n| n.size.max(1));
        self.next = current + size;
        Some(current)
    }
}

/// The trace of one standalone requirement (e.g. typed in the REPL): its own tree, and its
/// nodes with the root first.
#[derive(Clone, Debug)]
pub struct RequirementTrace {
    pub tree: Tree,
    pub nodes: Vec<TracedNode>,
}

/// Records the trace of one tier, whose outcome was already decided.
pub(crate) fn record_tier<'a>(
    facts: &mut Facts<'a>,
    trace: &mut Trace<'a>,
    level: &'a LevelProgram,
    tier: &'a TierProgram,
    outcome: &TierOutcome<'a>,
    paths: &[PathOutcome<'a>],
) {
    let first_path = to_u32(trace.paths.len());
    for path in paths {
        let root = to_u32(trace.nodes.len());
        match path.via {
            Via::Direct => record_node(facts, &mut trace.nodes, tier.requirement),
            Via::Substitution { clause } => {
                let Some(sub) = tier.substitutions.get((clause as usize).saturating_sub(1)) else {
                    continue;
                };
                // The record already holds the clause's arithmetic and verdict.
                let figure = path
                    .combination
                    .clone()
                    .unwrap_or_else(|| combination(facts, sub));
                record_substitution(facts, &mut trace.nodes, sub, figure, path.met);
            }
        }
        trace.paths.push(TracedPath {
            via: path.via,
            met: path.met,
            taken: outcome.via == Some(path.via),
            root,
        });
    }
    trace.tiers.push(TracedTier {
        key: outcome.key,
        level,
        tier,
        met: outcome.met,
        via: outcome.via,
        first_path,
        path_count: to_u32(trace.paths.len()) - first_path,
    });
}

/// Records node `id` and everything below it, in preorder.
pub(crate) fn record_node(facts: &mut Facts<'_>, nodes: &mut Vec<TracedNode>, id: NodeId) {
    let tree = facts.tree;
    let index = nodes.len();
    let seen = match tree.node(id) {
        None => Seen::Missing,
        Some(n @ (Node::All { .. } | Node::Any { .. })) => {
            nodes.push(TracedNode {
                met: false,
                seen: Seen::Missing,
                size: 1,
            });
            let mut held = 0;
            let children = tree.children(n);
            for child in children {
                let at = nodes.len();
                record_node(facts, nodes, *child);
                held += u32::from(nodes.get(at).is_some_and(|c| c.met));
            }
            // A group's verdict follows from its children's, already recorded.
            let all = matches!(n, Node::All { .. });
            let of = to_u32(children.len());
            let met = if all { held == of } else { held > 0 };
            close(nodes, index, met, Seen::Group { all, held, of });
            return;
        }
        Some(Node::Credential { key, .. }) => Seen::Credential {
            node: id,
            best: facts.credential(*key),
        },
        Some(Node::Experience { key, .. }) => Seen::Experience {
            node: id,
            credit: facts.experience(*key),
        },
        Some(Node::Credits { key, .. }) => Seen::Credits {
            node: id,
            have: facts.credits(*key),
        },
    };
    let met = node_met(facts, id);
    nodes.push(TracedNode { met, seen, size: 1 });
}

/// Records a combination clause: its arithmetic, then its parts.
fn record_substitution(
    facts: &mut Facts<'_>,
    nodes: &mut Vec<TracedNode>,
    sub: &SubstitutionProgram,
    figure: CombinationFigure,
    met: bool,
) {
    let index = nodes.len();
    nodes.push(TracedNode {
        met,
        seen: Seen::Missing,
        size: 1,
    });
    if let Some(key) = sub.education {
        nodes.push(TracedNode {
            met: true,
            seen: Seen::EducationYears {
                key,
                years: figure.education.0,
            },
            size: 1,
        });
    }
    if let Some(key) = sub.experience {
        nodes.push(TracedNode {
            met: true,
            seen: Seen::ExperienceYears {
                key,
                credit: facts.experience(key),
            },
            size: 1,
        });
    }
    if let Some(id) = sub.includes {
        record_node(facts, nodes, id);
    }
    close(nodes, index, met, Seen::Combination { figure });
}

/// Sets the verdict, value and subtree size of the node at `index` once its children are
/// recorded.
fn close(nodes: &mut [TracedNode], index: usize, met: bool, seen: Seen) {
    let size = to_u32(nodes.len() - index);
    if let Some(node) = nodes.get_mut(index) {
        node.met = met;
        node.seen = seen;
        node.size = size;
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
