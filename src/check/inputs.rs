//! Rule files decoded once, up front: a file's text is then shared by its parse, its source
//! (which diagnostics and explanations point into) and the rules hash, never copied. A rule
//! set of hundreds of megabytes would otherwise be held twice.

use std::sync::Arc;

use super::{RootedInput, SourceInput};

/// One rule file as the checker reads it: its name and its content, decoded.
#[derive(Debug)]
pub(super) struct RuleInput {
    pub(super) name: String,
    pub(super) content: Content,
}

#[derive(Debug)]
pub(super) enum Content {
    /// Valid UTF-8, shared with the file's source.
    Text(Arc<String>),
    /// Bytes that are not UTF-8, valid up to `valid`, kept for the diagnostic and the rules
    /// hash.
    NotUtf8 { bytes: Vec<u8>, valid: usize },
}

impl RuleInput {
    /// Takes the bytes over: valid text is kept as it is, without a copy.
    pub(super) fn new(name: String, bytes: Vec<u8>) -> RuleInput {
        let content = match String::from_utf8(bytes) {
            Ok(text) => Content::Text(Arc::new(text)),
            Err(error) => Content::NotUtf8 {
                valid: error.utf8_error().valid_up_to(),
                bytes: error.into_bytes(),
            },
        };
        RuleInput { name, content }
    }

    /// The file's bytes as read.
    pub(super) fn bytes(&self) -> &[u8] {
        match &self.content {
            Content::Text(text) => text.as_bytes(),
            Content::NotUtf8 { bytes, .. } => bytes,
        }
    }
}

/// Each input with its path inside the rules, taken over.
pub(super) fn rooted(inputs: Vec<RootedInput>) -> Vec<(RuleInput, String)> {
    inputs
        .into_iter()
        .map(|rooted| {
            let key = super::normal_path(&rooted.path_in_rules);
            (RuleInput::new(rooted.input.name, rooted.input.bytes), key)
        })
        .collect()
}

/// Each input with the path the rules hash knows it by, copied from inputs the caller keeps.
pub(super) fn copied<'a>(
    inputs: impl Iterator<Item = (&'a SourceInput, String)>,
) -> Vec<(RuleInput, String)> {
    inputs
        .map(|(input, key)| (RuleInput::new(input.name.clone(), input.bytes.clone()), key))
        .collect()
}
