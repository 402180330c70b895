//! How a field set or an experience category is named in the words an explanation is
//! built from: by its identifier, which the JSON keeps; the human renderings then pass
//! through [`labelled`](super::labelled), which puts each label in its place.

use crate::compile::{FieldSetInfo, Program};

/// The words that name a field set in a sentence.
pub(crate) fn field_set_label(set: &FieldSetInfo) -> &str {
    &set.name
}

/// The words that name an experience category in a sentence.
pub(crate) fn category_label<'a>(_program: &Program, name: &'a str) -> &'a str {
    name
}
