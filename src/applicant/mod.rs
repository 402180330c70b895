//! Applicants: the model evaluation reads, and reading it from TOML or JSON text.

pub mod model;

pub use model::{Applicant, Coursework, CreditUnit, Credits, Education, Job, SubjectCredits};
