//! How a field set or an experience category is named where people read: every human
//! rendering in this room goes through these two functions, so the words can change in one
//! place. The JSON keeps the identifiers.

use crate::compile::{FieldSetInfo, Program};

/// The words that name a field set in a sentence.
pub(crate) fn field_set_label(set: &FieldSetInfo) -> &str {
    &set.name
}

/// The words that name an experience category in a sentence.
pub(crate) fn category_label<'a>(_program: &Program, name: &'a str) -> &'a str {
    name
}
