//! What one class reads, reduced to finitely many choices: the field, subject and category
//! atoms its predicates tell apart, and the thresholds that split each quantity.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::check::model::{ClassDef, Exact, FieldSetId};
use crate::compile::{CredentialInfo, KeyId, Node, NodeId, Program, Tree, VersionProgram};
use crate::syntax::ast::DegreeRule;

/// Candidates hold at most this many degrees: one per question the rules ask of degrees
/// is enough, as each question takes the best degree.
pub(crate) const MAX_DEGREES: usize = 4;

/// More category atoms than this and jobs are tagged with one atom each, not every subset.
const MAX_SUBSET_ATOMS: usize = 3;

/// A field (or subject) that the class's field sets tell apart from every other: the first
/// listed field with its memberships. `None` is a field no set the class reads lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldAtom {
    pub name: Option<String>,
    /// Membership in each of [`ClassSpace::field_sets`], in that order.
    pub member_of: Vec<bool>,
}

/// The other side of a comparison, whose regions candidates are told apart by too: its
/// tree and the thresholds that split its quantities.
pub(crate) struct Partner<'p> {
    pub program: &'p Program,
    pub tree: Tree,
    pub as_of: Date,
    pub rank_thresholds: BTreeMap<KeyId, Vec<u8>>,
    pub credit_thresholds: BTreeMap<KeyId, Vec<Exact>>,
    pub month_thresholds: BTreeMap<KeyId, Vec<Exact>>,
    pub combinations: Vec<(Option<KeyId>, Option<KeyId>, Exact)>,
}

/// The class compiled alone, and what its tiers read.
pub(crate) struct ClassSpace<'p> {
    pub program: &'p Program,
    /// The date the candidates are evaluated at: one on which this version is in force.
    pub as_of: Date,
    /// Candidates' jobs end the day before this date (`as_of` unless compared with another
    /// date).
    pub jobs_end: Date,
    pub tree: Tree,
    pub version: VersionProgram,
    /// The requirement of each assertion that has one, in assertion order.
    pub assertion_nodes: Vec<Option<NodeId>>,
    /// The profile's credentials with distinct rank and years, lowest first.
    pub credentials: Vec<CredentialInfo>,
    /// Every field set the class reads as a field or subject predicate.
    pub field_sets: Vec<FieldSetId>,
    /// The field atoms, the field no set lists first.
    pub fields: Vec<FieldAtom>,
    /// Whether any predicate asks for accreditation.
    pub reads_accreditation: bool,
    /// Whether any key reads coursework (education-years or credits).
    pub reads_coursework: bool,
    /// Job types: each a set of category names the job is tagged with.
    pub job_types: Vec<Vec<String>>,
    /// The class this one is compared with: candidates that differ in its facts are kept
    /// apart even where this class's facts are alike.
    pub partner: Option<Partner<'p>>,
    /// Every field the class's sets list, in the order first listed.
    field_names: Vec<String>,
    /// The category names of each experience key.
    key_categories: Vec<Vec<String>>,
    /// Credential thresholds (ranks) per credential key.
    pub rank_thresholds: BTreeMap<KeyId, Vec<u8>>,
    /// Credit thresholds per credit key, and credits that includes-clauses ask of a degree.
    pub credit_thresholds: BTreeMap<KeyId, Vec<Exact>>,
    pub subject_amounts: Vec<(Exact, FieldSetId)>,
    /// Month thresholds per experience key.
    pub month_thresholds: BTreeMap<KeyId, Vec<Exact>>,
    /// Combination clauses: education key, experience key, total months.
    pub combinations: Vec<(Option<KeyId>, Option<KeyId>, Exact)>,
    /// Why the search is not known to cover every applicant, when it is not.
    pub bounded: Vec<String>,
    /// The profile's full time in weekly hours: a candidate's job for an amount inside a
    /// month works part time.
    pub full_time_hours: Exact,
}

impl<'p> ClassSpace<'p> {
    /// Records why the search is bounded, once however often the reason is met.
    pub(crate) fn bound(&mut self, reason: &str) {
        if !self.bounded.iter().any(|b| b == reason) {
            self.bounded.push(reason.to_owned());
        }
    }

    pub fn new(program: &'p Program, class: &ClassDef, as_of: Date) -> ClassSpace<'p> {
        let (tree, version, assertion_nodes) = crate::compile::compile_version_alone(class);
        let profile = program.profile(class.profile);
        let mut credentials: Vec<CredentialInfo> = Vec::new();
        for c in profile.map_or(&[][..], |p| &p.credentials) {
            if !credentials
                .iter()
                .any(|k| k.rank == c.rank && k.years == c.years)
            {
                credentials.push(c.clone());
            }
        }
        let mut space = ClassSpace {
            program,
            as_of,
            jobs_end: as_of,
            tree,
            version,
            assertion_nodes,
            credentials,
            field_sets: Vec::new(),
            fields: Vec::new(),
            reads_accreditation: false,
            reads_coursework: false,
            job_types: Vec::new(),
            partner: None,
            field_names: Vec::new(),
            key_categories: Vec::new(),
            rank_thresholds: BTreeMap::new(),
            credit_thresholds: BTreeMap::new(),
            subject_amounts: Vec::new(),
            month_thresholds: BTreeMap::new(),
            combinations: Vec::new(),
            bounded: Vec::new(),
            full_time_hours: profile.map_or(Exact::from_integer(40), |p| p.full_time_hours),
        };
        if profile.is_some_and(|p| p.several_degrees == DegreeRule::AddedUp) {
            space
                .bounded
                .push("its profile adds several degrees up".to_owned());
        }
        space.read_thresholds();
        space.read_fields();
        space.read_categories();
        space.note_coupled_coursework();
        let degree_keys = space.tree.credentials.len() + space.tree.education.len();
        if degree_keys > MAX_DEGREES {
            space.bounded.push(format!(
                "its rules ask {degree_keys} different questions of degrees, and candidates hold at most {MAX_DEGREES}"
            ));
        }
        space
    }

    fn read_thresholds(&mut self) {
        for node in &self.tree.nodes {
            match node {
                Node::Credential { key, rank, .. } => {
                    push_sorted(self.rank_thresholds.entry(*key).or_default(), *rank);
                }
                Node::Experience { key, months, .. } => {
                    push_sorted(self.month_thresholds.entry(*key).or_default(), *months);
                }
                Node::Credits { key, credits, .. } => {
                    push_sorted(self.credit_thresholds.entry(*key).or_default(), *credits);
                }
                Node::All { .. } | Node::Any { .. } => {}
            }
        }
        for key in &self.tree.credentials {
            self.reads_accreditation |= key.accredited;
            if let Some(include) = key.includes
                && !self.subject_amounts.contains(&include)
            {
                self.subject_amounts.push(include);
            }
        }
        for (index, key) in self.tree.credits.iter().enumerate() {
            let id = KeyId(u32::try_from(index).unwrap_or(u32::MAX));
            for amount in self.credit_thresholds.get(&id).into_iter().flatten() {
                if !self.subject_amounts.contains(&(*amount, key.subjects)) {
                    self.subject_amounts.push((*amount, key.subjects));
                }
            }
        }
        self.keep_first_thresholds();
        self.reads_accreditation |= self.tree.education.iter().any(|k| k.accredited);
        self.reads_coursework = !self.tree.education.is_empty() || !self.tree.credits.is_empty();
        for sub in self.version.levels.iter().flat_map(|l| &l.tiers) {
            for clause in &sub.substitutions {
                self.combinations
                    .push((clause.education, clause.experience, clause.total_months));
            }
        }
    }

    /// Field atoms: the fields the class's sets list, grouped by the sets holding them.
    fn read_fields(&mut self) {
        let mut sets: Vec<FieldSetId> = Vec::new();
        let tree = &self.tree;
        sets.extend(tree.credentials.iter().filter_map(|k| k.fields));
        sets.extend(
            tree.credentials
                .iter()
                .filter_map(|k| k.includes.map(|i| i.1)),
        );
        sets.extend(tree.credits.iter().map(|k| k.subjects));
        sets.extend(tree.education.iter().filter_map(|k| k.fields));
        sets.sort_unstable();
        sets.dedup();
        let mut names: Vec<&str> = Vec::new();
        let mut pending: Vec<FieldSetId> = sets.clone();
        let mut visited: Vec<FieldSetId> = Vec::new();
        while let Some(set) = pending.pop() {
            if visited.contains(&set) {
                continue;
            }
            visited.push(set);
            if let Some(info) = self.program.field_set(set) {
                names.extend(info.fields.iter().map(String::as_str));
                // Spellings too: one side may list as a spelling what the other does not.
                names.extend(
                    info.field_info
                        .iter()
                        .flat_map(|i| i.spellings.iter().map(String::as_str)),
                );
                pending.extend(info.includes.iter().rev());
            }
        }
        self.field_names = names.iter().map(|n| (*n).to_owned()).collect();
        self.field_sets = sets;
        self.fields = self.field_atoms(None);
        for (_, subjects) in &self.subject_amounts {
            let index = self.field_set_index(*subjects);
            let holding = self
                .fields
                .iter()
                .filter(|a| index.is_some_and(|i| a.member_of.get(i) == Some(&true)))
                .count();
            if holding > 1 {
                self.bounded.push(format!(
                    "its subject set `{}` holds fields its other sets tell apart",
                    self.program
                        .field_set(*subjects)
                        .map_or("?", |f| f.name.as_ref())
                ));
            }
        }
    }

    /// The field atoms: one field per distinct set of memberships, in this class's sets and
    /// in `other`'s (the class it is compared with), the field no set lists first.
    fn field_atoms(&self, other: Option<&ClassSpace<'_>>) -> Vec<FieldAtom> {
        let outside = FieldAtom {
            name: None,
            member_of: vec![false; self.field_sets.len()],
        };
        let mut atoms = vec![outside];
        let mut signatures: Vec<Vec<bool>> = vec![Vec::new()];
        let others = other.map_or(&[][..], |o| &o.field_names[..]);
        for name in self.field_names.iter().chain(others) {
            let member_of: Vec<bool> = self
                .field_sets
                .iter()
                .map(|s| self.program.field_set_lists(*s, name))
                .collect();
            let mut signature = member_of.clone();
            if let Some(other) = other {
                signature.extend(
                    other
                        .field_sets
                        .iter()
                        .map(|s| other.program.field_set_lists(*s, name)),
                );
            }
            if signature.iter().all(|m| !m) {
                continue;
            }
            if !signatures.contains(&signature) {
                signatures.push(signature);
                atoms.push(FieldAtom {
                    name: Some(name.clone()),
                    member_of,
                });
            }
        }
        atoms
    }

    /// Splits fields and categories as finely as both this class and `other` tell them
    /// apart, so that candidates built here show every difference between the two.
    pub fn refine_with(&mut self, other: &ClassSpace<'p>) {
        self.fields = self.field_atoms(Some(other));
        self.job_types = self.job_types_for(Some(other));
        self.reads_accreditation |= other.reads_accreditation;
        self.reads_coursework |= other.reads_coursework;
        self.partner = Some(Partner {
            program: other.program,
            tree: other.tree.clone(),
            as_of: other.as_of,
            rank_thresholds: other.rank_thresholds.clone(),
            credit_thresholds: other.credit_thresholds.clone(),
            month_thresholds: other.month_thresholds.clone(),
            combinations: other.combinations.clone(),
        });
    }

    /// The categories of each experience key, by name, and the job types.
    fn read_categories(&mut self) {
        let names = self.program.categories();
        self.key_categories = self
            .tree
            .experience
            .iter()
            .map(|k| {
                k.categories
                    .iter()
                    .filter_map(|c| names.get(c.0 as usize).map(|n| n.to_string()))
                    .collect()
            })
            .collect();
        if !laminar(self.key_categories.iter()) {
            self.bounded
                .push("two of its experience keys overlap without one holding the other".into());
        }
        self.job_types = self.job_types_for(None);
    }

    /// Job types: every set of category atoms (categories every experience key, here and in
    /// `other`, holds alike), or each atom alone when there are many.
    fn job_types_for(&mut self, other: Option<&ClassSpace<'_>>) -> Vec<Vec<String>> {
        let keys: Vec<&Vec<String>> = self
            .key_categories
            .iter()
            .chain(other.map_or(&[][..], |o| &o.key_categories[..]))
            .collect();
        let mut categories: Vec<&String> = keys.iter().flat_map(|k| k.iter()).collect();
        categories.sort_unstable();
        categories.dedup();
        let mut atoms: Vec<(Vec<bool>, String)> = Vec::new();
        for category in categories {
            let member_of: Vec<bool> = keys.iter().map(|k| k.contains(category)).collect();
            if !atoms.iter().any(|(m, _)| *m == member_of) {
                atoms.push((member_of, category.clone()));
            }
        }
        if atoms.len() > MAX_SUBSET_ATOMS {
            let reason = format!(
                "its experience keys tell {} kinds of job apart",
                atoms.len()
            );
            self.bound(&reason);
            return atoms.into_iter().map(|(_, c)| vec![c]).collect();
        }
        let count = atoms.len();
        let mut subsets: Vec<u32> = (1u32..(1u32 << count)).collect();
        subsets.sort_by_key(|s| (s.count_ones(), *s));
        subsets
            .into_iter()
            .map(|bits| {
                atoms
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| bits & (1 << i) != 0)
                    .map(|(_, (_, c))| c.clone())
                    .collect()
            })
            .collect()
    }

    /// Coursework counted both in a credit threshold and in a combination clause's years
    /// makes regions that only amounts between the breakpoints reach.
    fn note_coupled_coursework(&mut self) {
        if !self.tree.credits.is_empty() && !self.tree.education.is_empty() {
            self.bounded.push(
                "coursework counts both toward a credit threshold and toward a combination's years"
                    .into(),
            );
        }
    }

    /// The index of a field set in [`ClassSpace::field_sets`].
    pub fn field_set_index(&self, set: FieldSetId) -> Option<usize> {
        self.field_sets.iter().position(|s| *s == set)
    }
}

/// Whether every two sets are nested or disjoint.
fn laminar<'a>(sets: impl Iterator<Item = &'a Vec<String>> + Clone) -> bool {
    sets.clone().all(|a| {
        sets.clone().all(|b| {
            let shared = a.iter().filter(|c| b.contains(c)).count();
            shared == 0 || shared == a.len() || shared == b.len()
        })
    })
}

/// The most thresholds of one amount (months of a category set, credits in a subject) that
/// candidates are placed around. Candidates pair degrees with subject credits and
/// coursework at each threshold, so their number grows with the square of the thresholds:
/// past this, the class is verified over a bounded family, the lowest thresholds first.
pub(crate) const MAX_THRESHOLDS: usize = 64;

impl ClassSpace<'_> {
    /// Keeps the lowest [`MAX_THRESHOLDS`] thresholds of each amount and of the subject
    /// credits, and says so when there were more.
    fn keep_first_thresholds(&mut self) {
        let most = self
            .month_thresholds
            .values()
            .map(Vec::len)
            .chain(self.credit_thresholds.values().map(Vec::len))
            .chain(std::iter::once(self.subject_amounts.len()))
            .max()
            .unwrap_or(0);
        if most <= MAX_THRESHOLDS {
            return;
        }
        for list in self.month_thresholds.values_mut() {
            list.truncate(MAX_THRESHOLDS);
        }
        for list in self.credit_thresholds.values_mut() {
            list.truncate(MAX_THRESHOLDS);
        }
        self.subject_amounts.sort();
        self.subject_amounts.truncate(MAX_THRESHOLDS);
        self.bounded.push(format!(
            "its rules set {most} thresholds on one amount, and candidates are placed around the lowest {MAX_THRESHOLDS}"
        ));
    }
}

fn push_sorted<T: Ord + Copy>(list: &mut Vec<T>, value: T) {
    if let Err(at) = list.binary_search(&value) {
        list.insert(at, value);
    }
}
