//! Finds the first `allow` whose node holds a warning without scanning every `allow`: a rule
//! set of many classes has an `allow` or two in each, and its warnings are as many, so a
//! scan per warning would be quadratic.
//!
//! The nodes an `allow` stands at (classes, levels, tiers, substitutions) nest or are apart,
//! never overlap. Among the nodes of one code in one file, ordered by start (outer first),
//! every node that holds a span encloses the last node starting at or before it, so the
//! nodes holding it are found by walking up from that one (and from the last node starting
//! before it, for an empty span where one node ends and the next begins): a few steps, the
//! depth of the nesting. Should the nodes ever overlap, that code and file are scanned in full instead.

use std::collections::HashMap;

use super::annotations::AllowSite;
use crate::diagnostics::Code;
use crate::source::{FileId, Span};

/// One node of a tree: its start and end, the index of its site, and the node enclosing it.
#[derive(Clone, Copy)]
struct Node {
    start: u32,
    end: u32,
    site: usize,
    parent: Option<usize>,
}

/// The nodes of one code in one file.
enum Nodes {
    /// Nested or apart, ordered by start, outer first.
    Nested(Vec<Node>),
    /// Some overlap: in site order, scanned in full.
    Overlapping(Vec<Node>),
}

/// The sites of a run, by code and file.
pub(crate) struct SiteIndex {
    trees: HashMap<(Code, FileId), Nodes>,
}

impl SiteIndex {
    pub(crate) fn new(sites: &[&AllowSite]) -> SiteIndex {
        let mut grouped: HashMap<(Code, FileId), Vec<Node>> = HashMap::new();
        for (index, site) in sites.iter().enumerate() {
            grouped
                .entry((site.code, site.owner.file))
                .or_default()
                .push(Node {
                    start: site.owner.start,
                    end: site.owner.end,
                    site: index,
                    parent: None,
                });
        }
        let trees = grouped
            .into_iter()
            .map(|(key, nodes)| (key, nest(nodes)))
            .collect();
        SiteIndex { trees }
    }

    /// The first site (by index) of `code` whose node holds `span`.
    #[cfg(test)]
    pub(crate) fn first_holding(&self, code: Code, span: Span) -> Option<usize> {
        self.holding(code, span).into_iter().min()
    }

    /// The innermost of `sites` (the ones this index was made of) of `code` whose node holds
    /// `span` and that `reaches` it, the first by index among nodes of one size: a
    /// substitution clause's own `allow` before its tier's, which holds the clause too.
    pub(crate) fn innermost_holding(
        &self,
        sites: &[&AllowSite],
        code: Code,
        span: Span,
        reaches: impl Fn(&AllowSite) -> bool,
    ) -> Option<usize> {
        self.holding(code, span)
            .into_iter()
            .filter_map(|at| Some((at, *sites.get(at)?)))
            .filter(|(_, site)| reaches(site))
            .min_by_key(|(at, site)| (site.owner.end - site.owner.start, *at))
            .map(|(at, _)| at)
    }

    /// Every site of `code` whose node holds `span`, each once, in no particular order.
    pub(crate) fn holding(&self, code: Code, span: Span) -> Vec<usize> {
        let holds = |node: &Node| node.start <= span.start && span.end <= node.end;
        let mut found: Vec<usize> = Vec::new();
        match self.trees.get(&(code, span.file)) {
            None => {}
            Some(Nodes::Overlapping(nodes)) => {
                found.extend(nodes.iter().filter(|n| holds(n)).map(|n| n.site));
            }
            Some(Nodes::Nested(nodes)) => {
                // The last node starting at the span, and the last starting before it: a node
                // ending where the span (then empty) starts may have a sibling starting there.
                let at = nodes.partition_point(|node| node.start <= span.start);
                let before = nodes.partition_point(|node| node.start < span.start);
                for last in [at.checked_sub(1), before.checked_sub(1)] {
                    let mut next = last;
                    while let Some(node) = next.and_then(|index| nodes.get(index)) {
                        if holds(node) && !found.contains(&node.site) {
                            found.push(node.site);
                        }
                        next = node.parent;
                    }
                }
            }
        }
        found
    }
}

/// `nodes` as a tree, each with its enclosing node, when they nest or are apart.
fn nest(mut nodes: Vec<Node>) -> Nodes {
    let in_site_order = nodes.clone();
    // Outer first; equal nodes in site order.
    nodes.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.site.cmp(&b.site))
    });
    let mut open: Vec<usize> = Vec::new();
    for index in 0..nodes.len() {
        let Some(&Node { start, end, .. }) = nodes.get(index) else {
            break;
        };
        while let Some(&top) = open.last() {
            match nodes.get(top) {
                Some(outer) if end <= outer.end => break,
                Some(outer) if outer.end <= start => {
                    open.pop();
                }
                // Starts inside the open node but ends after it: they overlap.
                _ => return Nodes::Overlapping(in_site_order),
            }
        }
        if let Some(node) = nodes.get_mut(index) {
            node.parent = open.last().copied();
        }
        open.push(index);
    }
    Nodes::Nested(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(code: Code, start: u32, end: u32) -> AllowSite {
        AllowSite {
            code,
            reason: String::new(),
            span: Span::default(),
            owner: Span {
                file: FileId(0),
                start,
                end,
            },
        }
    }

    /// The first site holding `span` by scanning every site, as the definition says.
    fn scanned(sites: &[&AllowSite], code: Code, span: Span) -> Option<usize> {
        sites.iter().position(|site| {
            site.code == code
                && site.owner.file == span.file
                && site.owner.start <= span.start
                && span.end <= site.owner.end
        })
    }

    #[test]
    fn finds_what_a_scan_finds_for_nested_apart_equal_and_overlapping_nodes() {
        let w = Code::parse("Q202").unwrap();
        let shapes: Vec<Vec<(u32, u32)>> = vec![
            // Classes apart, each with levels and tiers, listed inner first and outer first.
            vec![
                (10, 20),
                (0, 100),
                (12, 18),
                (100, 200),
                (150, 160),
                (0, 100),
            ],
            vec![(0, 50), (0, 50), (5, 40), (5, 10), (40, 50), (60, 70)],
            // Overlapping.
            vec![(0, 50), (25, 75), (30, 40), (60, 90)],
            // Empty nodes and nodes touching.
            vec![(5, 5), (0, 10), (10, 20), (10, 10)],
            vec![(10, 20), (20, 30), (20, 20), (0, 30), (30, 30), (20, 25)],
        ];
        for shape in shapes {
            let owned: Vec<AllowSite> = shape.iter().map(|&(s, e)| site(w, s, e)).collect();
            let sites: Vec<&AllowSite> = owned.iter().collect();
            let index = SiteIndex::new(&sites);
            for start in 0..210 {
                for end in start..(start + 30) {
                    let span = Span {
                        file: FileId(0),
                        start,
                        end,
                    };
                    assert_eq!(
                        index.first_holding(w, span),
                        scanned(&sites, w, span),
                        "{shape:?} {start}..{end}"
                    );
                    let mut holding = index.holding(w, span);
                    holding.sort_unstable();
                    let every: Vec<usize> = (0..sites.len())
                        .filter(|&i| scanned(&sites[i..=i], w, span).is_some())
                        .collect();
                    assert_eq!(holding, every, "{shape:?} {start}..{end}");
                }
            }
        }
    }
}
