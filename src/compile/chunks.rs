//! Compiles the class versions of a large rule set in runs on every core, and joins the
//! runs' trees into one: the program is the one compiling every version in order gives.
//!
//! Each run compiles its versions into a tree of its own. The trees are then appended in
//! run order: a run's nodes and child lists move up by the nodes and children before them,
//! and its fact keys are interned again into the joined tree, in the order the run first
//! met them. Compiling in order interns keys in the order they are first met across all
//! versions, and appending the runs in order meets them in that same order, so every node
//! and key has the id a serial compile gives it.

use rayon::prelude::*;

use super::tree::{KeyId, Node, NodeId, Tree};
use super::{SubstitutionProgram, VersionProgram};

/// Below this many versions the rule set is compiled in order on the calling thread.
pub(super) const PARALLEL_VERSIONS: usize = 2048;

/// Versions per run: enough that a run's tree is worth joining.
const RUN: usize = 1024;

/// Compiles `items` with `compile_one` into one tree, in runs on every core when there are
/// many; the versions come back in the order of `items`. Each item is dropped once it is
/// compiled, so that a rule set given over frees its classes as the program grows.
pub(super) fn compile_in_runs<T: Send>(
    items: Vec<T>,
    compile_one: impl Fn(&T, &mut Tree) -> VersionProgram + Sync,
) -> (Vec<VersionProgram>, Tree) {
    compile_in_runs_of(items, RUN, PARALLEL_VERSIONS, compile_one)
}

/// [`compile_in_runs`] with runs of `run` items, in parallel from `parallel_from` items.
fn compile_in_runs_of<T: Send>(
    items: Vec<T>,
    run: usize,
    parallel_from: usize,
    compile_one: impl Fn(&T, &mut Tree) -> VersionProgram + Sync,
) -> (Vec<VersionProgram>, Tree) {
    let compile_run = |run: Vec<T>| {
        let mut tree = Tree::default();
        let versions: Vec<VersionProgram> = run
            .into_iter()
            .map(|item| compile_one(&item, &mut tree))
            .collect();
        (versions, tree)
    };
    let count = items.len();
    if count < parallel_from {
        return compile_run(items);
    }
    let runs: Vec<(Vec<VersionProgram>, Tree)> = items
        .into_par_iter()
        .chunks(run.max(1))
        .map(compile_run)
        .collect();
    // Room for every run's nodes and child lists at once, so that appending never moves
    // what was joined before.
    let mut joined = Tree::default();
    joined.reserve(
        runs.iter().map(|(_, tree)| tree.nodes.len()).sum(),
        runs.iter().map(|(_, tree)| tree.children.len()).sum(),
        runs.iter().map(|(_, tree)| tree.needs.len()).sum(),
    );
    let mut versions = Vec::with_capacity(count);
    for (mut run_versions, run_tree) in runs {
        let moved = joined.append(run_tree);
        for version in &mut run_versions {
            moved.version(version);
        }
        versions.extend(run_versions);
    }
    (versions, joined)
}

/// Where the nodes and keys of an appended tree went.
pub(crate) struct Moved {
    pub(crate) node_offset: u32,
    pub(crate) need_offset: u32,
    pub(crate) experience: Vec<KeyId>,
    pub(crate) credentials: Vec<KeyId>,
    pub(crate) credits: Vec<KeyId>,
    pub(crate) education: Vec<KeyId>,
}

impl Moved {
    pub(crate) fn node(&self, id: NodeId) -> NodeId {
        NodeId(id.0.saturating_add(self.node_offset))
    }

    /// Points a node of the appended tree at its keys in the joined tree.
    pub(crate) fn leaf(&self, node: &mut Node) {
        if let Node::Credential { need, .. } = node {
            need.0 = need.0.saturating_add(self.need_offset);
        }
        let table = match node {
            Node::Credential { key, .. } => Some((key, &self.credentials)),
            Node::Experience { key, .. } => Some((key, &self.experience)),
            Node::Credits { key, .. } => Some((key, &self.credits)),
            Node::All { .. } | Node::Any { .. } => None,
        };
        if let Some((key, table)) = table {
            *key = moved_key(table, *key);
        }
    }

    /// Points a version compiled into the appended tree at its nodes and keys in the joined
    /// tree.
    fn version(&self, version: &mut VersionProgram) {
        for tier in version.levels.iter_mut().flat_map(|l| l.tiers.iter_mut()) {
            tier.requirement = self.node(tier.requirement);
            for clause in &mut tier.substitutions {
                self.clause(clause);
            }
        }
    }

    fn clause(&self, clause: &mut SubstitutionProgram) {
        clause.education = clause.education.map(|k| moved_key(&self.education, k));
        clause.experience = clause.experience.map(|k| moved_key(&self.experience, k));
        clause.includes = clause.includes.map(|n| self.node(n));
    }
}

fn moved_key(table: &[KeyId], key: KeyId) -> KeyId {
    table.get(key.0 as usize).copied().unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::SourceInput;
    use crate::check::model::ClassDef;

    /// The shipped rules with their three classes copied under new codes, `count` classes
    /// in all, so that runs meet the same keys and new ones.
    fn shipped_classes(count: usize) -> Vec<SourceInput> {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut inputs = Vec::new();
        let mut classes = Vec::new();
        for name in ["profiles.qual", "k9099.qual", "g1099.qual", "pa_38480.qual"] {
            let text = std::fs::read_to_string(format!("{folder}/{name}")).unwrap_or_default();
            let (vocabulary, class) = text.split_at(text.find("\nclass ").unwrap_or(text.len()));
            let code = class.split_whitespace().nth(1).unwrap_or("").to_owned();
            inputs.push(SourceInput {
                name: name.to_owned(),
                bytes: vocabulary.as_bytes().to_vec(),
            });
            if !code.is_empty() {
                classes.push((code, class.to_owned()));
            }
        }
        let mut text = String::new();
        for i in 0..count {
            if let Some((code, class)) = classes.get(i % classes.len().max(1)) {
                text.push_str(&class.replace(code.as_str(), &format!("C{i:04}")));
            }
        }
        inputs.push(SourceInput {
            name: "copies.qual".to_owned(),
            bytes: text.into_bytes(),
        });
        inputs
    }

    fn same_tree(a: &Tree, b: &Tree) -> bool {
        format!("{:?}", (&a.nodes, &a.children, &a.experience, &a.needs))
            == format!("{:?}", (&b.nodes, &b.children, &b.experience, &b.needs))
            && format!("{:?}", (&a.credentials, &a.credits, &a.education))
                == format!("{:?}", (&b.credentials, &b.credits, &b.education))
    }

    /// Compiling in runs gives the tree and versions compiling in order gives, node for node
    /// and key for key.
    #[test]
    fn runs_joined_are_the_serial_compile() {
        let outcome = crate::check::check_sources(&shipped_classes(11));
        let Some(rules) = outcome.rules else {
            panic!("the copies check: {:?}", outcome.diagnostics);
        };
        let classes = &rules.model().classes;
        assert_eq!(classes.len(), 11);
        let one = |class: &&ClassDef, tree: &mut Tree| super::super::compile_version(class, tree);
        let mut serial_tree = Tree::default();
        let serial: Vec<VersionProgram> = classes
            .iter()
            .map(|class| one(&class, &mut serial_tree))
            .collect();
        for run in [1, 2, 3, 5, 11] {
            let (versions, joined) = compile_in_runs_of(classes.iter().collect(), run, 0, one);
            assert!(same_tree(&joined, &serial_tree), "runs of {run}");
            assert_eq!(
                format!("{versions:?}"),
                format!("{serial:?}"),
                "runs of {run}"
            );
        }
    }
}
