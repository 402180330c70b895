//! Field-set inclusion: each set's own fields and the sets it includes, resolved once per
//! set, and sets that include each other reported (Q115).
//!
//! A set keeps only what it lists itself; what it includes stays a list of set ids, so a
//! long chain of sets costs its own size, not the square of it. Loops are found as the
//! strongly connected components of the inclusion graph (Tarjan's algorithm, with an explicit
//! stack instead of recursion), so any number of sets takes time and memory in proportion to
//! the sets and their members.

use std::collections::{HashMap, HashSet};

use super::Checker;
use super::model::{FieldInfo, FieldSetId};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::FieldMember;

/// The sets one set names as members, in the order written: each set's id and where its
/// name is written.
type Inclusions = Vec<(usize, Span)>;

/// The inclusions of a loop labelled in its report; a longer loop is summarised.
const LABELLED_INCLUSIONS: usize = 8;

impl Checker {
    /// Resolves every field set's members: its own fields (without repeats, ASCII case
    /// ignored) and the sets it includes, reporting unknown names and loops.
    pub(crate) fn resolve_field_sets(&mut self) {
        let members = std::mem::take(&mut self.field_set_members);
        let mut graph: Vec<Inclusions> = Vec::with_capacity(members.len());
        for (index, set_members) in members.iter().enumerate() {
            let (fields, included) = self.resolve_members(set_members);
            if let Some(set) = self.model.field_sets.get_mut(index) {
                (set.fields, set.field_info) = fields.into_iter().unzip();
                set.includes = included
                    .iter()
                    .map(|(id, _)| FieldSetId(u32::try_from(*id).unwrap_or(u32::MAX)))
                    .collect();
            }
            graph.push(included);
        }
        for component in loops(&graph) {
            let cycle = cycle_through(&graph, &component);
            self.report(self.loop_diagnostic(&cycle));
        }
    }

    /// One set's own fields (with their spellings and notes) and the sets it names, each
    /// once. A field listed twice keeps its first place and gains the second's spellings
    /// and notes.
    fn resolve_members(
        &mut self,
        members: &[FieldMember],
    ) -> (Vec<(String, FieldInfo)>, Inclusions) {
        let mut seen_fields: HashMap<String, usize> = HashMap::new();
        let mut seen_sets: HashSet<usize> = HashSet::new();
        let mut fields: Vec<(String, FieldInfo)> = Vec::new();
        let mut included = Vec::new();
        for member in members {
            match member {
                FieldMember::Field {
                    field,
                    spellings,
                    notes,
                } => {
                    let place = *seen_fields
                        .entry(field.value.to_ascii_lowercase())
                        .or_insert_with(|| {
                            fields.push((field.value.clone(), FieldInfo::default()));
                            fields.len() - 1
                        });
                    if let Some((_, info)) = fields.get_mut(place) {
                        info.spellings
                            .extend(spellings.iter().map(|s| s.value.clone()));
                        info.notes
                            .extend(notes.iter().map(super::classes::note_def));
                    }
                }
                FieldMember::Set { name, .. } => {
                    let Some(id) = self.field_set(name) else {
                        continue;
                    };
                    let id = id.0 as usize;
                    if seen_sets.insert(id) {
                        included.push((id, name.span));
                    }
                }
            }
        }
        (fields, included)
    }

    /// Q115 for a loop given as its inclusions `(set, included set, where)`, in order.
    fn loop_diagnostic(&self, cycle: &[(usize, usize, Span)]) -> Diagnostic {
        let name = |set: usize| {
            self.model
                .field_sets
                .get(set)
                .map_or("?", |s| s.name.as_str())
        };
        let label = |(from, to, _): &(usize, usize, Span)| {
            if from == to {
                format!("`{}` includes itself here", name(*from))
            } else {
                format!("`{}` includes `{}` here", name(*from), name(*to))
            }
        };
        let (first_set, first_span) = cycle.first().map_or((0, Span::default()), |c| (c.0, c.2));
        let message = match cycle.len() {
            1 => format!("field set `{}` includes itself", name(first_set)),
            2..=4 => {
                let names: Vec<String> = cycle.iter().map(|c| format!("`{}`", name(c.0))).collect();
                format!("field sets {} include each other", and_list(&names))
            }
            n => format!(
                "field set `{}` includes itself through {} other sets",
                name(first_set),
                n - 1
            ),
        };
        let mut diagnostic = Diagnostic::new(
            Code::FieldSetCycle,
            message,
            first_span,
            cycle.first().map(label).unwrap_or_default(),
        );
        for inclusion in cycle.iter().take(LABELLED_INCLUSIONS).skip(1) {
            diagnostic = diagnostic.with_label(inclusion.2, label(inclusion));
        }
        let unlabelled = cycle.len().saturating_sub(LABELLED_INCLUSIONS);
        let more = if unlabelled > 0 {
            format!(" ({unlabelled} more inclusions in the loop are not shown)")
        } else {
            String::new()
        };
        if cycle.len() == 1 {
            return diagnostic
                .with_help("remove the inclusion: a set holds its own fields already");
        }
        diagnostic.with_help(format!(
            "remove one of these inclusions, and list the shared fields in the narrower set{more}"
        ))
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Marks a set's place in Tarjan's algorithm: not yet visited.
const UNVISITED: usize = usize::MAX;

/// The strongly connected components of the inclusion graph that are loops (more than one
/// set, or one set including itself), each as its sets, found without recursion.
fn loops(graph: &[Inclusions]) -> Vec<Vec<usize>> {
    let count = graph.len();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0usize; count];
    let mut on_stack = vec![false; count];
    let mut stack: Vec<usize> = Vec::new();
    // The sets being visited, each with the position of its next inclusion to follow.
    let mut path: Vec<(usize, usize)> = Vec::new();
    let mut next_order = 0usize;
    let mut found = Vec::new();
    let mut enter = |set: usize, order: &mut [usize], low: &mut [usize], stack: &mut Vec<usize>| {
        set_at(order, set, next_order);
        set_at(low, set, next_order);
        next_order += 1;
        stack.push(set);
    };
    for root in 0..count {
        if at(&order, root) != UNVISITED {
            continue;
        }
        enter(root, &mut order, &mut low, &mut stack);
        set_at(&mut on_stack, root, true);
        path.push((root, 0));
        while let Some((set, next)) = path.last_mut() {
            let set = *set;
            if let Some(&(included, _)) = graph.get(set).and_then(|edges| edges.get(*next)) {
                *next += 1;
                if at(&order, included) == UNVISITED {
                    enter(included, &mut order, &mut low, &mut stack);
                    set_at(&mut on_stack, included, true);
                    path.push((included, 0));
                } else if at(&on_stack, included) {
                    let lowest = at(&low, set).min(at(&order, included));
                    set_at(&mut low, set, lowest);
                }
                continue;
            }
            path.pop();
            if let Some((parent, _)) = path.last() {
                let lowest = at(&low, *parent).min(at(&low, set));
                set_at(&mut low, *parent, lowest);
            }
            if at(&low, set) == at(&order, set) {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    set_at(&mut on_stack, member, false);
                    component.push(member);
                    if member == set {
                        break;
                    }
                }
                let includes_itself = graph
                    .get(set)
                    .is_some_and(|edges| edges.iter().any(|(to, _)| *to == set));
                if component.len() > 1 || includes_itself {
                    component.sort_unstable();
                    found.push(component);
                }
            }
        }
    }
    found.sort_unstable_by_key(|component| component.first().copied());
    found
}

/// A loop through the first set of `component` (a loop found by [`loops`]), as its
/// inclusions in order: breadth first inside the component, so the loop is a shortest one.
fn cycle_through(graph: &[Inclusions], component: &[usize]) -> Vec<(usize, usize, Span)> {
    let Some(&start) = component.first() else {
        return Vec::new();
    };
    let members: HashSet<usize> = component.iter().copied().collect();
    // For each set reached, the set it was reached from and where that one names it.
    let mut reached_from: std::collections::HashMap<usize, (usize, Span)> =
        std::collections::HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(set) = queue.pop_front() {
        for &(included, span) in graph.get(set).map_or(&[][..], Vec::as_slice) {
            if included == start {
                return walk_back(&reached_from, start, (set, included, span));
            }
            if members.contains(&included) && !reached_from.contains_key(&included) {
                reached_from.insert(included, (set, span));
                queue.push_back(included);
            }
        }
    }
    Vec::new()
}

/// The inclusions from `start` to the last one, `closing`, following `reached_from` back.
fn walk_back(
    reached_from: &std::collections::HashMap<usize, (usize, Span)>,
    start: usize,
    closing: (usize, usize, Span),
) -> Vec<(usize, usize, Span)> {
    let mut cycle = vec![closing];
    let mut set = closing.0;
    while set != start {
        let Some(&(from, span)) = reached_from.get(&set) else {
            break;
        };
        cycle.push((from, set, span));
        set = from;
    }
    cycle.reverse();
    cycle
}

fn at<T: Copy + Default>(values: &[T], index: usize) -> T {
    values.get(index).copied().unwrap_or_default()
}

fn set_at<T>(values: &mut [T], index: usize, value: T) {
    if let Some(slot) = values.get_mut(index) {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::source::FileId;

    fn graph(edges: &[&[usize]]) -> Vec<Inclusions> {
        edges
            .iter()
            .map(|to| {
                to.iter()
                    .map(|t| (*t, Span::new(FileId(0), 0, 0)))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn finds_each_loop_once() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0 (not in a loop), 5 → 6 → 5.
        let g = graph(&[&[1], &[2], &[0], &[3], &[0], &[6], &[5]]);
        assert_eq!(loops(&g), vec![vec![0, 1, 2], vec![3], vec![5, 6]]);
        let cycle: Vec<(usize, usize)> = cycle_through(&g, &[0, 1, 2])
            .iter()
            .map(|(a, b, _)| (*a, *b))
            .collect();
        assert_eq!(cycle, vec![(0, 1), (1, 2), (2, 0)]);
        assert_eq!(cycle_through(&g, &[3]).len(), 1);
    }

    #[test]
    fn chains_and_diamonds_are_not_loops() {
        let g = graph(&[&[], &[0], &[1, 0], &[2, 1]]);
        assert!(loops(&g).is_empty());
    }

    #[test]
    fn a_long_loop_needs_no_deep_stack() {
        let n = 200_000;
        let edges: Vec<Inclusions> = (0..n)
            .map(|i| vec![((i + 1) % n, Span::new(FileId(0), 0, 0))])
            .collect();
        let found = loops(&edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
        assert_eq!(cycle_through(&edges, &found[0]).len(), n);
    }
}
