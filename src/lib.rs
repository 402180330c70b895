//! qualify: job qualification rules as data.
//!
//! Rule text is parsed ([`syntax`]), checked into a [`check::CheckedRules`] ([`check`]),
//! and later compiled and evaluated against applicants. Diagnostics are plain data
//! ([`diagnostics`]) that any front end can render.

pub mod applicant;
pub mod check;
pub mod compile;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod repl;
pub mod source;
pub mod syntax;
