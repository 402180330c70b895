//! Checks a requirement typed on its own against an already checked rule set, with the same
//! resolution and diagnostics as a requirement inside a rule file.

use super::model::{ProfileId, Req};
use super::vocabulary::{Declared, Vocab};
use super::{CheckedRules, Checker};
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::Requirement;

/// Resolves `requirement` against the names of `rules`, with the credential scale and units of
/// `profile`. Returns the checked requirement when there is no error, and every diagnostic
/// (errors and warnings) found on the way.
pub fn check_requirement(
    rules: &CheckedRules,
    profile: ProfileId,
    requirement: &Requirement,
) -> (Option<Req>, Vec<Diagnostic>) {
    let model = rules.model();
    let mut checker = Checker::default();
    for (index, set) in model.field_sets.iter().enumerate() {
        let id = super::model::FieldSetId(u32::try_from(index).unwrap_or(u32::MAX));
        checker.vocabulary.insert(
            set.name.clone(),
            Declared {
                vocab: Vocab::FieldSet(id),
                span: set.span,
            },
        );
    }
    for (index, category) in model.categories.iter().enumerate() {
        let id = super::model::CategoryId(u32::try_from(index).unwrap_or(u32::MAX));
        checker.vocabulary.insert(
            category.name.clone(),
            Declared {
                vocab: Vocab::Category(id),
                span: category.span,
            },
        );
    }
    checker.lint_mixed_and_or(requirement);
    let checked = checker.requirement(requirement, model.profile(profile));
    let failed = checker.diagnostics.iter().any(Diagnostic::is_error);
    (checked.filter(|_| !failed), checker.diagnostics)
}
