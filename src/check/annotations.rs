//! Notes, labels and acknowledged warnings: each checked where it is written (Q121 to Q123,
//! Q207), and each warning that an `allow` at its place acknowledges set aside with its
//! reason (Q206 when an `allow` acknowledges nothing).

use std::collections::HashMap;

use super::Checker;
use super::allow_sites::SiteIndex;
use crate::diagnostics::suggest::closest;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::source::Span;
use crate::syntax::ast::{
    Allow, Annotation, Class, ClassStatement, FieldMember, Item, Label, Note, ProfileStatement,
    RuleFile, Text,
};

/// An `allow` as the checker keeps it: the warning it acknowledges and the node it stands
/// at, whose span a warning must fall inside to be acknowledged by it.
#[derive(Clone, Debug)]
pub struct AllowSite {
    pub code: Code,
    pub reason: String,
    /// The `allow` itself.
    pub span: Span,
    /// The class, level, tier or substitution the `allow` is written in.
    pub owner: Span,
}

/// A warning an `allow` acknowledged, with the reason given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acknowledged {
    pub diagnostic: Diagnostic,
    pub reason: String,
    /// Where the `allow` is written.
    pub allow: Span,
}

/// What [`acknowledge`] makes of a run's diagnostics.
#[derive(Debug, Default)]
pub struct Acknowledgement {
    /// The diagnostics still reported.
    pub kept: Vec<Diagnostic>,
    pub acknowledged: Vec<Acknowledged>,
    /// Q206 for each `allow` that acknowledged nothing. A run with errors may not have
    /// reached the warning, so its caller reports these only when there is no error.
    pub unmatched: Vec<Diagnostic>,
}

/// Splits `diagnostics` into those still reported and those acknowledged by `sites`, and
/// names each site that acknowledges nothing (Q206). Only sites whose code `applies`
/// (the codes the run that made `diagnostics` can produce) are considered, so that a
/// command producing other warnings can acknowledge its own with the same `allow`s.
pub fn acknowledge(
    diagnostics: Vec<Diagnostic>,
    sites: &[AllowSite],
    applies: impl Fn(Code) -> bool,
) -> Acknowledgement {
    let sites: Vec<&AllowSite> = sites.iter().filter(|s| applies(s.code)).collect();
    let index = SiteIndex::new(&sites);
    let mut used = vec![false; sites.len()];
    let mut kept = Vec::new();
    let mut acknowledged = Vec::new();
    for diagnostic in diagnostics {
        let site = index.innermost_holding(&sites, diagnostic.code(), diagnostic.span(), |_| true);
        match (site, diagnostic.severity()) {
            (Some(index), Severity::Warning) => {
                if let (Some(flag), Some(site)) = (used.get_mut(index), sites.get(index)) {
                    *flag = true;
                    acknowledged.push(Acknowledged {
                        diagnostic,
                        reason: site.reason.clone(),
                        allow: site.span,
                    });
                }
            }
            _ => kept.push(diagnostic),
        }
    }
    let unmatched = sites
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(site, _)| unmatched(site))
        .collect();
    Acknowledgement {
        kept,
        acknowledged,
        unmatched,
    }
}

fn unmatched(site: &AllowSite) -> Diagnostic {
    Diagnostic::new(
        Code::UnmatchedAllow,
        format!("`allow {}` acknowledges no warning", site.code),
        site.span,
        format!("no {} warning fires here", site.code),
    )
    .with_help(
        "remove the `allow` if the warning no longer fires, or move it to the class, level or \
         tier the warning points at",
    )
}

impl Checker {
    /// Checks every note, label and `allow` of `files`, and keeps the `allow`s for
    /// [`acknowledge`].
    pub(crate) fn check_annotations(&mut self, files: &[(crate::source::FileId, RuleFile)]) {
        let mut labels: HashMap<(bool, String), Span> = HashMap::new();
        for item in files.iter().flat_map(|(_, f)| f.items.iter()) {
            match item {
                Item::Profile(profile) => {
                    for statement in &profile.statements {
                        if let ProfileStatement::Note(note) = statement {
                            self.check_note(note);
                        }
                    }
                }
                Item::FieldSet(set) => {
                    self.check_label(set.label.as_ref(), true, &mut labels);
                    set.notes.iter().for_each(|n| self.check_note(n));
                    for member in &set.members {
                        member.notes().iter().for_each(|n| self.check_note(n));
                        if let FieldMember::Field { spellings, .. } = member {
                            spellings
                                .iter()
                                .for_each(|s| self.check_text(s, "a spelling"));
                        }
                    }
                    self.check_spellings(set);
                    self.check_note_continuations(set);
                }
                Item::Category(category) => {
                    self.check_label(category.label.as_ref(), false, &mut labels);
                    category.notes.iter().for_each(|n| self.check_note(n));
                }
                Item::Class(class) => self.check_class_annotations(class),
            }
        }
    }

    pub(super) fn check_class_annotations(&mut self, class: &Class) {
        let bytes = class.span.end.saturating_sub(class.span.start) as usize;
        crate::diagnostics::suggest::with_budget(bytes, || self.check_class_annotations_in(class));
    }

    fn check_class_annotations_in(&mut self, class: &Class) {
        for statement in &class.statements {
            match statement {
                ClassStatement::Note(note) => self.check_note(note),
                ClassStatement::Allow(allow) => self.check_allow(allow, class.span),
                _ => {}
            }
        }
        for level in &class.levels {
            self.check_annotation_list(&level.annotations, level.span);
            for tier in &level.tiers {
                self.check_annotation_list(&tier.annotations, tier.span);
                self.check_citation(tier.citation.as_ref());
                for substitution in &tier.substitutions {
                    self.check_annotation_list(&substitution.annotations, substitution.span);
                    self.check_citation(substitution.citation.as_ref());
                }
            }
        }
    }

    fn check_annotation_list(&mut self, annotations: &[Annotation], owner: Span) {
        for annotation in annotations {
            match annotation {
                Annotation::Note(note) => self.check_note(note),
                Annotation::Allow(allow) => self.check_allow(allow, owner),
            }
        }
    }

    fn check_note(&mut self, note: &Note) {
        self.check_text(&note.text, "a note");
        if let Some(authority) = &note.authority {
            self.check_text(authority, "a note's authority");
        }
    }

    /// Q123 for a `cite` that names no section, or a `quote` without a word of the source
    /// (empty, or only an elision such as `...`): verifying it against the source document
    /// would prove nothing.
    fn check_citation(&mut self, citation: Option<&crate::syntax::ast::Citation>) {
        let Some(citation) = citation else { return };
        self.check_text(&citation.section, "a cite");
        if let Some(quote) = &citation.quote
            && !quote.value.chars().any(char::is_alphanumeric)
        {
            self.report(
                Diagnostic::new(
                    Code::EmptyAnnotation,
                    "a quote holds no word of the source",
                    quote.span,
                    "nothing to find in the source document",
                )
                .with_help(
                    "quote the sentence of the source the rule encodes, or remove the quote",
                ),
            );
        }
    }

    /// Q123 when `text` is empty or only white space.
    fn check_text(&mut self, text: &Text, what: &str) {
        if text.value.trim().is_empty() {
            self.report(
                Diagnostic::new(
                    Code::EmptyAnnotation,
                    format!("{what} is empty"),
                    text.span,
                    "nothing written here",
                )
                .with_help("write the text, or remove the statement"),
            );
        }
    }

    /// Q123 for an empty label; Q207 for a label another field set (or another category)
    /// already has. `sets` tells field sets from categories, which may share a label.
    fn check_label(
        &mut self,
        label: Option<&Label>,
        sets: bool,
        seen: &mut HashMap<(bool, String), Span>,
    ) {
        let Some(label) = label else { return };
        self.check_text(&label.text, "a label");
        let key = (sets, label.text.value.trim().to_lowercase());
        if key.1.is_empty() {
            return;
        }
        if let Some(first) = seen.get(&key) {
            let what = if sets {
                "field sets"
            } else {
                "experience categories"
            };
            self.report(
                Diagnostic::new(
                    Code::SharedLabel,
                    format!("two {what} are labelled `\"{}\"`", label.text.value),
                    label.text.span,
                    "labelled again here",
                )
                .with_label(*first, "first labelled here")
                .with_help("readers could not tell the two apart; give each its own label"),
            );
        } else {
            seen.insert(key, label.text.span);
        }
    }

    /// Q121 for a code that is no diagnostic code, Q122 for one that is not a warning, Q123
    /// for an empty reason; a valid `allow` is kept with the node it stands at.
    fn check_allow(&mut self, allow: &Allow, owner: Span) {
        self.check_text(&allow.reason, "the reason of an `allow`");
        let Some(code) = Code::parse(&allow.code.text) else {
            let warnings = Code::ALL
                .iter()
                .filter(|c| c.severity() == Severity::Warning)
                .map(|c| c.as_str());
            let help = match closest(&allow.code.text, warnings) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "write the code of a warning, such as `Q202`".to_owned(),
            };
            self.report(
                Diagnostic::new(
                    Code::UnknownAllowCode,
                    format!("`{}` is not a diagnostic code", allow.code.text),
                    allow.code.span,
                    "no diagnostic has this code",
                )
                .with_help(help),
            );
            return;
        };
        if code.severity() != Severity::Warning {
            self.report(
                Diagnostic::new(
                    Code::AllowNotWarning,
                    format!("{code} is an error and cannot be acknowledged"),
                    allow.code.span,
                    format!("{code}: {}", code.summary()),
                )
                .with_help("only warnings can be acknowledged; correct what the error reports"),
            );
            return;
        }
        self.allows.push(AllowSite {
            code,
            reason: allow.reason.value.clone(),
            span: allow.span,
            owner,
        });
    }
}
