//! The evaluation tree: an arena of nodes and the fact keys their leaves compare against.

use std::collections::HashMap;
use std::sync::Arc;

use crate::check::model::{CategoryId, Exact, FieldSetId, ProfileId, Req};
use crate::source::Span;

/// Index of a node in a [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// Index of a fact key in one of a [`Tree`]'s key tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub u32);

/// Index of a credential leaf's [`Need`] in a [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NeedId(pub u32);

/// One node. Leaves compare an applicant fact (named by key) with a threshold.
#[derive(Clone, Debug)]
pub enum Node {
    /// Every child must hold. Children are `children[first..first + len]`.
    All { first: u32, len: u32, span: Span },
    /// At least one child must hold.
    Any { first: u32, len: u32, span: Span },
    /// The best matching credential's rank is at least `rank`.
    /// The credential and its names are kept beside the nodes ([`Tree::need`]), so that
    /// every node stays small.
    Credential {
        key: KeyId,
        rank: u8,
        need: NeedId,
        span: Span,
    },
    /// Credited months in the key's categories are at least `months`.
    Experience {
        key: KeyId,
        months: Exact,
        span: Span,
    },
    /// Semester credits in the key's subjects, across all education, are at least `credits`.
    /// The subject set's name is [`Tree::credit_subjects`].
    Credits {
        key: KeyId,
        credits: Exact,
        span: Span,
    },
}

/// What a credential leaf asks for, in the words its explanation and shortfall use.
#[derive(Clone, Debug, PartialEq)]
pub struct Need {
    /// The credential as the rule names it.
    pub credential: Arc<str>,
    /// Filled in after compiling.
    pub names: NeedNames,
}

/// The names a credential leaf's explanation and shortfall need, resolved once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NeedNames {
    /// The credential's title on the profile ("Associate degree").
    pub title: Arc<str>,
    pub fields: Option<Arc<str>>,
    /// The field set's prose, for notices ("Business Administration, ... or Finance").
    pub fields_description: Option<Arc<str>>,
    pub accredited: bool,
    pub includes: Option<(Exact, Arc<str>)>,
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::All { span, .. }
            | Node::Any { span, .. }
            | Node::Credential { span, .. }
            | Node::Experience { span, .. }
            | Node::Credits { span, .. } => *span,
        }
    }
}

/// Months credited in any of `categories` under a profile's crediting rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExperienceKey {
    pub profile: ProfileId,
    /// Sorted, without repeats.
    pub categories: Vec<CategoryId>,
    /// The category names, in the order of `categories`.
    pub names: Arc<[Arc<str>]>,
    /// Bit `i` for each category id `i` below 64.
    pub(crate) category_bits: u64,
}

/// The best credential (by rank) matching a predicate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CredentialKey {
    pub profile: ProfileId,
    pub fields: Option<FieldSetId>,
    pub accredited: bool,
    /// Semester credits in a subject set the credential itself must include.
    pub includes: Option<(Exact, FieldSetId)>,
}

/// Semester credits in a subject set, across all education and coursework.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CreditKey {
    pub profile: ProfileId,
    pub subjects: FieldSetId,
}

/// Education-years under a combination clause's predicate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EducationKey {
    pub profile: ProfileId,
    pub accredited: bool,
    pub fields: Option<FieldSetId>,
}

/// A node arena with its fact keys. Keys are interned: two leaves asking the same question
/// share one key, so the answer is computed once per applicant.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub(crate) nodes: Vec<Node>,
    pub(crate) children: Vec<NodeId>,
    pub(crate) experience: Vec<ExperienceKey>,
    pub(crate) credentials: Vec<CredentialKey>,
    pub(crate) credits: Vec<CreditKey>,
    pub(crate) education: Vec<EducationKey>,
    /// Each credential leaf's need, by [`NeedId`].
    pub(crate) needs: Vec<Need>,
    /// Each credit key's subject set name, by the key's id; filled in after compiling.
    pub(crate) credit_subjects: Vec<Arc<str>>,
    /// Where each key already is in its table, so interning is a lookup, not a scan.
    interned: Interned,
}

/// The id of every key interned so far, by the key (an experience key by its profile and
/// sorted categories).
#[derive(Clone, Debug, Default)]
struct Interned {
    experience: HashMap<(ProfileId, Vec<CategoryId>), KeyId>,
    credentials: HashMap<CredentialKey, KeyId>,
    credits: HashMap<CreditKey, KeyId>,
    education: HashMap<EducationKey, KeyId>,
}

impl Tree {
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0 as usize)
    }

    /// The leaves of the requirement at `root` (credentials, experience, credits), in rule
    /// order, walked without recursion.
    pub fn leaves(&self, root: NodeId) -> impl Iterator<Item = &Node> {
        let mut pending = vec![root];
        std::iter::from_fn(move || {
            while let Some(id) = pending.pop() {
                let node = self.node(id)?;
                match node {
                    Node::All { .. } | Node::Any { .. } => {
                        pending.extend(self.children(node).iter().rev());
                    }
                    _ => return Some(node),
                }
            }
            None
        })
    }

    /// The children of an `All` or `Any` node (empty for leaves).
    pub fn children(&self, node: &Node) -> &[NodeId] {
        match node {
            Node::All { first, len, .. } | Node::Any { first, len, .. } => {
                let start = *first as usize;
                self.children
                    .get(start..start + *len as usize)
                    .unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// What a credential leaf asks for.
    pub fn need(&self, id: NeedId) -> Option<&Need> {
        self.needs.get(id.0 as usize)
    }

    /// The name of the subject set a credit key counts credits in ("" before naming).
    pub fn credit_subjects(&self, key: KeyId) -> &str {
        self.credit_subjects
            .get(key.0 as usize)
            .map_or("", |name| name)
    }

    pub fn experience_key(&self, id: KeyId) -> Option<&ExperienceKey> {
        self.experience.get(id.0 as usize)
    }

    pub fn credential_key(&self, id: KeyId) -> Option<&CredentialKey> {
        self.credentials.get(id.0 as usize)
    }

    pub fn credit_key(&self, id: KeyId) -> Option<&CreditKey> {
        self.credits.get(id.0 as usize)
    }

    pub fn education_key(&self, id: KeyId) -> Option<&EducationKey> {
        self.education.get(id.0 as usize)
    }

    pub(crate) fn add_req(&mut self, profile: ProfileId, req: &Req) -> NodeId {
        let node = match req {
            Req::All(items, span) | Req::Any(items, span) => {
                let ids: Vec<NodeId> = items.iter().map(|r| self.add_req(profile, r)).collect();
                let first = to_u32(self.children.len());
                let len = to_u32(ids.len());
                self.children.extend(ids);
                if matches!(req, Req::All(..)) {
                    Node::All {
                        first,
                        len,
                        span: *span,
                    }
                } else {
                    Node::Any {
                        first,
                        len,
                        span: *span,
                    }
                }
            }
            Req::Credential(need) => Node::Credential {
                key: self.intern_credential(CredentialKey {
                    profile,
                    fields: need.fields,
                    accredited: need.accredited,
                    includes: need.includes,
                }),
                rank: need.rank,
                need: self.add_need(&need.credential),
                span: need.span,
            },
            Req::Experience {
                months,
                categories,
                span,
            } => Node::Experience {
                key: self.experience_key_for(profile, categories),
                months: *months,
                span: *span,
            },
            Req::Credits {
                semester_credits,
                subjects,
                span,
            } => Node::Credits {
                key: intern(
                    &mut self.credits,
                    &mut self.interned.credits,
                    CreditKey {
                        profile,
                        subjects: *subjects,
                    },
                ),
                credits: *semester_credits,
                span: *span,
            },
        };
        self.nodes.push(node);
        NodeId(to_u32(self.nodes.len() - 1))
    }

    pub(crate) fn experience_key_for(
        &mut self,
        profile: ProfileId,
        categories: &[CategoryId],
    ) -> KeyId {
        let mut sorted = categories.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let category_bits = sorted
            .iter()
            .filter(|c| c.0 < 64)
            .filter_map(|c| 1u64.checked_shl(c.0))
            .fold(0, |bits, bit| bits | bit);
        let lookup = (profile, sorted);
        if let Some(found) = self.interned.experience.get(&lookup) {
            return *found;
        }
        let id = KeyId(to_u32(self.experience.len()));
        self.experience.push(ExperienceKey {
            profile,
            categories: lookup.1.clone(),
            names: Arc::from(Vec::new()),
            category_bits,
        });
        self.interned.experience.insert(lookup, id);
        id
    }

    pub(crate) fn education_key_for(&mut self, key: EducationKey) -> KeyId {
        intern(&mut self.education, &mut self.interned.education, key)
    }

    fn add_need(&mut self, credential: &str) -> NeedId {
        self.needs.push(Need {
            credential: Arc::from(credential),
            names: NeedNames::default(),
        });
        NeedId(to_u32(self.needs.len() - 1))
    }

    fn intern_credential(&mut self, key: CredentialKey) -> KeyId {
        intern(&mut self.credentials, &mut self.interned.credentials, key)
    }

    /// Makes room for `nodes` more nodes and `children` more child entries.
    pub(crate) fn reserve(&mut self, nodes: usize, children: usize, needs: usize) {
        self.nodes.reserve(nodes);
        self.children.reserve(children);
        self.needs.reserve(needs);
    }

    /// Appends `other`'s nodes and child lists after this tree's, and interns its keys into
    /// this tree's tables in `other`'s order; gives where they went, for the versions
    /// compiled into `other` to follow.
    pub(crate) fn append(&mut self, other: Tree) -> super::chunks::Moved {
        let moved = super::chunks::Moved {
            node_offset: to_u32(self.nodes.len()),
            need_offset: to_u32(self.needs.len()),
            experience: other
                .experience
                .iter()
                .map(|key| self.experience_key_for(key.profile, &key.categories))
                .collect(),
            credentials: other
                .credentials
                .into_iter()
                .map(|key| self.intern_credential(key))
                .collect(),
            credits: other
                .credits
                .into_iter()
                .map(|key| intern(&mut self.credits, &mut self.interned.credits, key))
                .collect(),
            education: other
                .education
                .into_iter()
                .map(|key| self.education_key_for(key))
                .collect(),
        };
        let child_offset = to_u32(self.children.len());
        self.needs.extend(other.needs);
        self.children
            .extend(other.children.into_iter().map(|child| moved.node(child)));
        self.nodes.extend(other.nodes.into_iter().map(|mut node| {
            if let Node::All { first, .. } | Node::Any { first, .. } = &mut node {
                *first = first.saturating_add(child_offset);
            }
            moved.leaf(&mut node);
            node
        }));
        moved
    }

    /// Fills in the names credential and credit leaves report.
    pub(crate) fn name_leaves(&mut self, program: &super::Program) {
        let field_name = |id: FieldSetId| program.field_set(id).map(|f| Arc::clone(&f.name));
        for node in &self.nodes {
            let Node::Credential { key, need, .. } = node else {
                continue;
            };
            let (Some(k), Some(need)) = (
                self.credentials.get(key.0 as usize),
                self.needs.get_mut(need.0 as usize),
            ) else {
                continue;
            };
            let credential = &need.credential;
            need.names = NeedNames {
                title: program
                    .profile(k.profile)
                    .and_then(|p| {
                        program
                            .credential_name_id(credential)
                            .and_then(|id| p.credential_by_id(id))
                    })
                    .map_or_else(|| Arc::clone(credential), |c| Arc::clone(&c.title)),
                fields: k.fields.and_then(field_name),
                fields_description: k
                    .fields
                    .and_then(|f| program.field_set(f))
                    .map(|f| Arc::clone(&f.description)),
                accredited: k.accredited,
                includes: k
                    .includes
                    .and_then(|(n, set)| field_name(set).map(|name| (n, name))),
            };
        }
        self.credit_subjects = self
            .credits
            .iter()
            .map(|k| field_name(k.subjects).unwrap_or_else(|| Arc::from("")))
            .collect();
    }

    /// Fills in each experience key's category names once the names are known.
    pub(crate) fn name_experience_keys(&mut self, names: &[Arc<str>]) {
        for key in &mut self.experience {
            let named: Vec<Arc<str>> = key
                .categories
                .iter()
                .map(|c| {
                    names
                        .get(c.0 as usize)
                        .cloned()
                        .unwrap_or_else(|| Arc::from("?"))
                })
                .collect();
            key.names = Arc::from(named);
        }
    }
}

/// The id of `key` in `table`, which `ids` indexes, adding it when it is new.
fn intern<K: Clone + Eq + std::hash::Hash>(
    table: &mut Vec<K>,
    ids: &mut HashMap<K, KeyId>,
    key: K,
) -> KeyId {
    if let Some(found) = ids.get(&key) {
        return *found;
    }
    let id = KeyId(to_u32(table.len()));
    table.push(key.clone());
    ids.insert(key, id);
    id
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large rule set has millions of nodes: the leaves' names live beside them, so that
    /// a node holds only ids, an amount and a span.
    #[test]
    fn a_node_stays_small() {
        assert!(std::mem::size_of::<Node>() <= 40);
    }
}
