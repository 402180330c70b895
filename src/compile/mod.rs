//! Compiles a checked rule set into the compact evaluation tree that `eval` runs.
//!
//! Requirements become nodes in one arena; every leaf names a *fact key*: a distinct
//! question about an applicant (months in a set of categories under a profile, the best
//! credential matching a field predicate, credits in a subject set, education-years under
//! a clause's predicate). Evaluation answers each key at most once per applicant and then
//! walks the arena as plain comparisons. Nodes keep their span, tiers and clauses their
//! citation, and the program keeps the sources so explanations can quote the rule text.

mod annotations;
mod chunks;
mod lookup;
mod text;

/// Rule text on one line, without its comments.
pub(crate) use text::one_line as rule_words;
mod tree;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use crate::check::CheckedRules;
use crate::check::model::{
    Citation, ClassDef, Exact, FieldSetId, LevelDef, ProfileDef, ProfileId, Req, SubstitutionDef,
    TierDef,
};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{
    BandLabel, CombinationKind, CourseworkRule, DegreeRule, OverlapRule, TierKind,
};

pub use annotations::{
    AcknowledgedInfo, Annotations, BoardChange, ClassMetadata, FieldMatch, NoteInfo,
    ProfileNoteInfo, VocabularyLabel,
};
pub(crate) use lookup::FieldId;
use lookup::{FieldTable, NameTable};
pub(crate) use text::quoted_rule;
pub use tree::{
    CredentialKey, CreditKey, EducationKey, ExperienceKey, KeyId, Need, NeedId, NeedNames, Node,
    NodeId, Tree,
};

/// The compiled rule set: everything evaluation and explanation need, and nothing of the
/// syntax tree.
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) sources: SourceMap,
    pub(crate) hash: Arc<str>,
    pub(crate) profiles: Vec<ProfileInfo>,
    pub(crate) field_sets: Vec<FieldSetInfo>,
    /// Category names by `CategoryId`.
    pub(crate) categories: Vec<Arc<str>>,
    /// Category ids by name, for resolving applicants' tags.
    pub(crate) category_lookup: NameTable,
    /// Credential name ids by name, across profiles (see [`ProfileInfo::credential_by_id`]).
    pub(crate) credential_names: NameTable,
    /// Every field a field set lists, with the sets that list it.
    pub(crate) fields: FieldTable,
    /// Classes by code in first-seen order, each with all its versions.
    pub(crate) classes: Vec<ClassProgram>,
    /// The index in `classes` of each class code.
    pub(crate) class_index: HashMap<Arc<str>, usize>,
    pub(crate) tree: Tree,
    /// Each field set's and category's label and description, by name.
    pub(crate) labels: HashMap<Arc<str>, VocabularyLabel>,
}

impl Program {
    /// SHA-256 of the rule files the program was compiled from.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }

    /// The evaluation tree of every class.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The rule sources, for quoting rule text by span.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Every class, in rule-file order, with all its versions.
    pub fn classes(&self) -> &[ClassProgram] {
        &self.classes
    }

    /// The index in [`Program::classes`] of `class`, one of this program's classes: found
    /// from its address, without a scan of the classes.
    pub fn index_of(&self, class: &ClassProgram) -> Option<usize> {
        let size = std::mem::size_of::<ClassProgram>().max(1);
        let offset =
            (class as *const ClassProgram as usize).checked_sub(self.classes.as_ptr() as usize)?;
        let index = offset / size;
        let found = self.classes.get(index)?;
        (offset % size == 0 && std::ptr::eq(found, class)).then_some(index)
    }

    /// A class by its code.
    pub fn class(&self, code: &str) -> Option<&ClassProgram> {
        self.class_index
            .get(code)
            .and_then(|index| self.classes.get(*index))
    }

    pub fn profiles(&self) -> &[ProfileInfo] {
        &self.profiles
    }

    /// Every name the rules declare and a decision names: profiles and their credentials,
    /// field sets, experience categories, class codes and level names. Each was read as an
    /// identifier or a code by the grammar.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let profiles = self.profiles.iter().flat_map(|profile| {
            std::iter::once(&*profile.name).chain(
                profile
                    .credentials
                    .iter()
                    .map(|credential| &*credential.name),
            )
        });
        let field_sets = self.field_sets.iter().map(|set| &*set.name);
        let categories = self.categories.iter().map(|name| &**name);
        let classes = self.classes.iter().flat_map(|class| {
            std::iter::once(&*class.code).chain(
                class
                    .versions
                    .iter()
                    .flat_map(|version| version.levels.iter().map(|level| &*level.name)),
            )
        });
        profiles.chain(field_sets).chain(categories).chain(classes)
    }

    /// A profile by name.
    pub fn profile_named(&self, name: &str) -> Option<ProfileId> {
        self.profiles
            .iter()
            .position(|p| &*p.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(ProfileId)
    }

    pub fn field_sets(&self) -> &[FieldSetInfo] {
        &self.field_sets
    }

    /// The label, description and notes of the field set or category named `name`.
    pub fn vocabulary_label(&self, name: &str) -> Option<&VocabularyLabel> {
        self.labels.get(name)
    }

    /// Experience category names, in declaration order.
    pub fn categories(&self) -> &[Arc<str>] {
        &self.categories
    }

    /// The rule text under a span (empty when unknown).
    pub fn rule_text(&self, span: Span) -> &str {
        self.sources.snippet(span)
    }

    /// A path's rule text under `span` on one line, comments removed, as an explanation
    /// shows it. Worded when shown, not when compiled: a large rule set has hundreds of
    /// thousands of paths, and most runs show none of them.
    pub fn rule_line(&self, span: Span) -> String {
        text::quoted_rule(&self.sources, span)
    }

    /// `file:line` of the start of `span` (empty when unknown).
    pub fn location(&self, span: Span) -> String {
        text::location(&self.sources, span)
    }

    /// The name of the file a span points into.
    pub fn file_name(&self, span: Span) -> &str {
        self.sources.get(span.file).map_or("", |f| f.name())
    }

    pub(crate) fn profile(&self, id: ProfileId) -> Option<&ProfileInfo> {
        self.profiles.get(id.0 as usize)
    }

    pub(crate) fn field_set(&self, id: FieldSetId) -> Option<&FieldSetInfo> {
        self.field_sets.get(id.0 as usize)
    }

    /// The category id of an applicant's tag, matched exactly.
    pub(crate) fn category_id(&self, name: &str) -> Option<u32> {
        self.category_lookup.get(name)
    }

    /// The id of a credential name on any profile's scale, matched exactly.
    pub(crate) fn credential_name_id(&self, name: &str) -> Option<u32> {
        self.credential_names.get(name)
    }

    /// The field an applicant's field of study names (surrounding space trimmed, ASCII case
    /// ignored); `None` when no field set lists it.
    pub(crate) fn field_id(&self, field: &str) -> Option<FieldId> {
        self.fields.find(field)
    }

    /// Whether field set `set` lists `field`, itself or through a set it includes.
    pub(crate) fn field_in_set(&self, field: FieldId, set: FieldSetId) -> bool {
        self.fields.in_set(field, set)
    }

    /// Whether field set `set` lists the field named `field` (surrounding space trimmed,
    /// ASCII case ignored), itself or through a set it includes.
    pub(crate) fn field_set_lists(&self, set: FieldSetId, field: &str) -> bool {
        self.fields.contains(set, field)
    }
}

/// A profile's conventions, as evaluation uses them.
#[derive(Clone, Debug)]
pub struct ProfileInfo {
    pub name: Arc<str>,
    pub jurisdiction: Arc<str>,
    /// Lowest first.
    pub credentials: Vec<CredentialInfo>,
    pub semester_credits_per_year: Exact,
    /// Semester credits per quarter credit, when the profile gives a quarter figure.
    pub semester_per_quarter_credit: Option<Exact>,
    pub full_time_hours: Exact,
    pub overlap: OverlapRule,
    pub several_degrees: DegreeRule,
    pub coursework: CourseworkRule,
    /// The notes on the profile and its statements, in the order written.
    pub notes: Vec<ProfileNoteInfo>,
    /// Index into `credentials` by the program's credential name id.
    pub(crate) credential_index: Vec<Option<u32>>,
}

impl ProfileInfo {
    pub fn credential(&self, name: &str) -> Option<&CredentialInfo> {
        self.credentials.iter().find(|c| &*c.name == name)
    }

    /// The credential of a name id from [`Program::credential_name_id`]: the same as
    /// [`ProfileInfo::credential`] with that name.
    pub(crate) fn credential_by_id(&self, id: u32) -> Option<&CredentialInfo> {
        self.credential_index
            .get(id as usize)
            .copied()
            .flatten()
            .and_then(|i| self.credentials.get(i as usize))
    }

    /// The first credential of a rank, for "a … or higher" wording.
    pub fn credential_of_rank(&self, rank: u8) -> Option<&CredentialInfo> {
        self.credentials.iter().find(|c| c.rank == rank)
    }
}

#[derive(Clone, Debug)]
pub struct CredentialInfo {
    pub name: Arc<str>,
    pub title: Arc<str>,
    pub rank: u8,
    pub years: Exact,
}

#[derive(Clone, Debug)]
pub struct FieldSetInfo {
    pub name: Arc<str>,
    /// What people read for the set (its label, else its description, else its name).
    pub label: Arc<str>,
    pub description: Arc<str>,
    /// The fields the set lists itself.
    pub fields: Vec<String>,
    /// For each of `fields`, at the same place: its other spellings and notes.
    pub field_info: Vec<crate::check::model::FieldInfo>,
    /// Notes on the whole set.
    pub notes: Vec<crate::check::model::NoteDef>,
    /// The sets it includes: it holds their fields too.
    pub includes: Vec<FieldSetId>,
}

/// All versions of one class code, oldest first.
#[derive(Clone, Debug)]
pub struct ClassProgram {
    pub code: Arc<str>,
    pub versions: Vec<VersionProgram>,
}

impl ClassProgram {
    /// The version in force on `date`: the latest effective on or before it.
    pub fn version_in_force(&self, date: Date) -> Option<&VersionProgram> {
        self.versions.iter().rev().find(|v| v.effective <= date)
    }
}

/// One version of a class.
#[derive(Clone, Debug)]
pub struct VersionProgram {
    pub title: Arc<str>,
    pub profile: ProfileId,
    pub source: Arc<str>,
    pub effective: Date,
    pub established: Option<Date>,
    pub revised: Option<Date>,
    pub metadata: ClassMetadata,
    pub annotations: Annotations,
    /// Lowest first.
    pub levels: Vec<LevelProgram>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct LevelProgram {
    pub name: Arc<str>,
    pub title: Option<Arc<str>>,
    pub code: Arc<str>,
    pub band: Arc<str>,
    pub band_label: BandLabel,
    pub alt_band: Option<Arc<str>>,
    pub annotations: Annotations,
    /// The minimum tier first, then the recommended tier when present.
    pub tiers: Vec<TierProgram>,
}

/// A source citation ready for quoting: document › section, and the quoted sentence.
#[derive(Clone, Debug)]
pub struct CitationInfo {
    pub text: Arc<str>,
    pub quote: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub struct TierProgram {
    pub kind: TierKind,
    pub citation: Option<CitationInfo>,
    pub annotations: Annotations,
    /// The direct path.
    pub requirement: NodeId,
    /// Where the direct path's rule is written: [`Program::rule_line`] and
    /// [`Program::location`] give its text and `file:line` when they are shown.
    pub rule_span: Span,
    pub substitutions: Vec<SubstitutionProgram>,
    pub span: Span,
}

/// A combination clause: education-years plus experience-years against a total.
#[derive(Clone, Debug)]
pub struct SubstitutionProgram {
    pub citation: Option<CitationInfo>,
    pub annotations: Annotations,
    pub kind: CombinationKind,
    pub education: Option<KeyId>,
    pub experience: Option<KeyId>,
    pub total_months: Exact,
    /// A component that must hold on its own.
    pub includes: Option<NodeId>,
    /// Where the clause's rule is written, without its citation: [`Program::rule_line`]
    /// and [`Program::location`] give its text and `file:line` when they are shown.
    pub rule_span: Span,
    pub span: Span,
}

/// Compiles a checked rule set. Cannot fail: the checker already resolved every name.
pub fn compile(rules: &CheckedRules) -> Program {
    compile_classes(rules, rules.model().classes.iter().collect())
}

/// [`compile`], taking the rule set over: each class is freed once it is compiled, so a
/// large rule set's classes and its program are never held whole at once.
pub fn compile_owned(mut rules: CheckedRules) -> Program {
    let classes = rules.take_classes();
    compile_classes(&rules, classes)
}

/// Compiles `class_defs`, the classes of `rules` (which are read for everything else).
fn compile_classes<C: std::borrow::Borrow<ClassDef> + Send>(
    rules: &CheckedRules,
    class_defs: Vec<C>,
) -> Program {
    let model = rules.model();
    let codes: Vec<Arc<str>> = class_defs
        .iter()
        .map(|class| Arc::from(class.borrow().code.as_str()))
        .collect();
    let (versions, mut tree) = chunks::compile_in_runs(class_defs, |class, tree| {
        compile_version(class.borrow(), tree)
    });
    let mut classes: Vec<ClassProgram> = Vec::new();
    let mut class_index: HashMap<Arc<str>, usize> = HashMap::new();
    for (code, version) in codes.into_iter().zip(versions) {
        match class_index
            .get(&code)
            .and_then(|index| classes.get_mut(*index))
        {
            Some(existing) => existing.versions.push(version),
            None => {
                class_index.insert(Arc::clone(&code), classes.len());
                classes.push(ClassProgram {
                    code,
                    versions: vec![version],
                });
            }
        }
    }
    for class in &mut classes {
        class.versions.sort_by_key(|v| v.effective);
    }
    let categories: Vec<Arc<str>> = model
        .categories
        .iter()
        .map(|c| Arc::from(c.name.as_str()))
        .collect();
    let category_lookup = NameTable::new(
        categories
            .iter()
            .enumerate()
            .map(|(i, n)| (&**n, u32::try_from(i).unwrap_or(u32::MAX))),
    );
    let field_sets: Vec<FieldSetInfo> = model
        .field_sets
        .iter()
        .map(|f| FieldSetInfo {
            name: Arc::from(f.name.as_str()),
            label: Arc::from(f.label()),
            description: Arc::from(f.description.as_str()),
            fields: f.fields.clone(),
            field_info: f.field_info.clone(),
            notes: f.notes.clone(),
            includes: f.includes.clone(),
        })
        .collect();
    let mut profiles: Vec<ProfileInfo> = model.profiles.iter().map(profile_info).collect();
    let credential_names = index_credentials(&mut profiles);
    let mut program = Program {
        sources: rules.sources().clone(),
        hash: Arc::from(rules.content_hash()),
        profiles,
        fields: FieldTable::new(&field_sets),
        labels: annotations::vocabulary_labels(model),
        field_sets,
        categories,
        category_lookup,
        credential_names,
        classes,
        class_index,
        tree: Tree::default(),
    };
    tree.name_experience_keys(&program.categories);
    tree.name_leaves(&program);
    program.tree = tree;
    program
}

/// Compiles one standalone requirement (typed in the REPL, say) under a profile, into a
/// tree of its own. Its names must come from the same checked rule set as the program.
pub fn compile_requirement(program: &Program, profile: ProfileId, req: &Req) -> (Tree, NodeId) {
    let mut tree = Tree::default();
    let root = tree.add_req(profile, req);
    tree.name_experience_keys(&program.categories);
    tree.name_leaves(program);
    (tree, root)
}

/// Numbers every distinct credential name across profiles and gives each profile its
/// index by that number.
fn index_credentials(profiles: &mut [ProfileInfo]) -> NameTable {
    let mut names: Vec<Arc<str>> = Vec::new();
    let mut ids: HashMap<Arc<str>, usize> = HashMap::new();
    for credential in profiles.iter().flat_map(|p| &p.credentials) {
        if !ids.contains_key(&credential.name) {
            ids.insert(Arc::clone(&credential.name), names.len());
            names.push(Arc::clone(&credential.name));
        }
    }
    for profile in profiles.iter_mut() {
        let mut index = vec![None; names.len()];
        // The first credential of each name, as `ProfileInfo::credential` finds it.
        for (position, credential) in profile.credentials.iter().enumerate().rev() {
            if let Some(slot) = ids.get(&credential.name).and_then(|id| index.get_mut(*id)) {
                *slot = u32::try_from(position).ok();
            }
        }
        profile.credential_index = index;
    }
    NameTable::new(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (&**n, u32::try_from(i).unwrap_or(u32::MAX))),
    )
}

fn profile_info(p: &ProfileDef) -> ProfileInfo {
    ProfileInfo {
        name: Arc::from(p.name.as_str()),
        jurisdiction: Arc::from(p.jurisdiction.as_str()),
        credentials: p
            .credentials
            .iter()
            .map(|c| CredentialInfo {
                name: Arc::from(c.name.as_str()),
                title: Arc::from(c.title.as_str()),
                rank: c.rank,
                years: c.years,
            })
            .collect(),
        semester_credits_per_year: p.semester_credits_per_year,
        semester_per_quarter_credit: p
            .quarter_credits_per_year
            .filter(|q| *q > Exact::from_integer(0))
            .map(|q| p.semester_credits_per_year / q),
        full_time_hours: p.full_time_hours,
        overlap: p.overlap,
        several_degrees: p.several_degrees,
        coursework: p.coursework,
        notes: p.notes.iter().map(annotations::profile_note_info).collect(),
        credential_index: Vec::new(),
    }
}

fn compile_version(class: &ClassDef, tree: &mut Tree) -> VersionProgram {
    VersionProgram {
        title: Arc::from(class.title.as_str()),
        profile: class.profile,
        source: Arc::from(class.source.as_str()),
        effective: class.effective,
        established: class.established,
        revised: class.revised,
        metadata: ClassMetadata::of(class),
        annotations: Annotations::of(&class.notes, &class.acknowledged),
        levels: class
            .levels
            .iter()
            .map(|l| compile_level(class, l, tree))
            .collect(),
        span: class.span,
    }
}

fn compile_level(class: &ClassDef, level: &LevelDef, tree: &mut Tree) -> LevelProgram {
    LevelProgram {
        name: Arc::from(level.name.as_str()),
        title: level.title.as_deref().map(Arc::from),
        code: Arc::from(level.code.as_str()),
        band: Arc::from(level.band.as_str()),
        band_label: level.band_label,
        alt_band: level.alt_band.as_deref().map(Arc::from),
        annotations: Annotations::of(&level.notes, &level.acknowledged),
        tiers: level
            .tiers
            .iter()
            .map(|t| compile_tier(class, t, tree))
            .collect(),
    }
}

fn compile_tier(class: &ClassDef, tier: &TierDef, tree: &mut Tree) -> TierProgram {
    let requirement = tree.add_req(class.profile, &tier.requirement);
    TierProgram {
        kind: tier.kind,
        citation: tier.citation.as_ref().map(|c| citation(&class.source, c)),
        annotations: Annotations::of(&tier.notes, &tier.acknowledged),
        requirement,
        rule_span: tier.requirement.span(),
        substitutions: tier
            .substitutions
            .iter()
            .map(|s| compile_substitution(class, s, tree))
            .collect(),
        span: tier.span,
    }
}

fn compile_substitution(
    class: &ClassDef,
    sub: &SubstitutionDef,
    tree: &mut Tree,
) -> SubstitutionProgram {
    SubstitutionProgram {
        citation: sub.citation.as_ref().map(|c| citation(&class.source, c)),
        annotations: Annotations::of(&sub.notes, &sub.acknowledged),
        ..substitution_alone(class.profile, sub, tree)
    }
}

/// A substitution clause as evaluation needs it, with no citation or notes.
fn substitution_alone(
    profile: ProfileId,
    sub: &SubstitutionDef,
    tree: &mut Tree,
) -> SubstitutionProgram {
    SubstitutionProgram {
        citation: None,
        annotations: Annotations::default(),
        kind: sub.kind,
        education: sub.education.map(|e| {
            tree.education_key_for(EducationKey {
                profile,
                accredited: e.accredited,
                fields: e.fields,
            })
        }),
        experience: (!sub.experience.is_empty())
            .then(|| tree.experience_key_for(profile, &sub.experience)),
        total_months: sub.total_months,
        includes: sub.includes.as_ref().map(|r| tree.add_req(profile, r)),
        rule_span: sub.rule_span,
        span: sub.span,
    }
}

/// One class version compiled alone, into a tree of its own, without rule text: what
/// `verify` evaluates many candidate applicants against, at the cost of that class only.
/// The requirement of each assertion that has one is compiled into the same tree.
pub(crate) fn compile_version_alone(
    class: &ClassDef,
) -> (Tree, VersionProgram, Vec<Option<NodeId>>) {
    let mut tree = Tree::default();
    let profile = class.profile;
    let empty: Arc<str> = Arc::from("");
    let mut levels = Vec::with_capacity(class.levels.len());
    for level in &class.levels {
        let mut tiers = Vec::with_capacity(level.tiers.len());
        for tier in &level.tiers {
            let requirement = tree.add_req(profile, &tier.requirement);
            let substitutions = tier
                .substitutions
                .iter()
                .map(|sub| substitution_alone(profile, sub, &mut tree))
                .collect();
            tiers.push(TierProgram {
                kind: tier.kind,
                citation: None,
                requirement,
                rule_span: tier.requirement.span(),
                substitutions,
                span: tier.span,
                annotations: Annotations::default(),
            });
        }
        levels.push(LevelProgram {
            name: Arc::from(level.name.as_str()),
            title: None,
            code: Arc::from(level.code.as_str()),
            band: Arc::clone(&empty),
            band_label: level.band_label,
            alt_band: None,
            tiers,
            annotations: Annotations::default(),
        });
    }
    let version = VersionProgram {
        title: Arc::clone(&empty),
        profile,
        source: Arc::clone(&empty),
        effective: class.effective,
        established: class.established,
        revised: class.revised,
        levels,
        span: class.span,
        metadata: ClassMetadata::default(),
        annotations: Annotations::default(),
    };
    let assertions = class
        .assertions
        .iter()
        .map(|a| match &a.claim {
            crate::check::model::Claim::NoneWithout(req, _) => Some(tree.add_req(profile, req)),
            _ => None,
        })
        .collect();
    (tree, version, assertions)
}

fn citation(source: &str, c: &Citation) -> CitationInfo {
    let text = if source.is_empty() {
        c.section.clone()
    } else {
        format!("{source} › {}", c.section)
    };
    CitationInfo {
        text: Arc::from(text.as_str()),
        quote: c.quote.clone(),
    }
}
