//! Evaluation: applicants against a checked rule set.

pub mod experience;
