//! Applicants: the model evaluation reads, and reading it from TOML or JSON text.
//!
//! [`read()`] turns an applicant file's bytes into an [`Applicant`], checking every name
//! against a [`crate::check::CheckedRules`] and reporting each problem as a `Q3xx`
//! diagnostic with a span into the file. [`to_toml`] writes an applicant back.

mod document;
mod fields;
mod json_reader;
mod locate;
pub mod model;
mod near_miss;
pub mod numbers;
mod read;
mod schema;
pub(crate) use schema::subject_again;
mod strict_json;
mod write;

pub use locate::locate_value;
pub use model::{
    Applicant, Coursework, CreditUnit, Credits, Education, Job, SubjectCredits, given,
};
pub use near_miss::near_miss_fields;
pub use read::{ApplicantRead, Format, MAX_APPLICANT_BYTES, Reader, read};
pub use write::{leading_comments, to_toml, to_toml_with_group};

// Rule tests read applicants written inline in a test file with the same schema.
pub(crate) use document::{
    Entry as DocumentEntry, Node as DocumentNode, NodeKind as DocumentNodeKind, parse_toml,
};
pub(crate) use fields::Reporter;
pub(crate) use fields::parse_date;
pub(crate) use schema::{Vocabulary, applicant as applicant_from_node};
