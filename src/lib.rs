//! qualify: job qualification rules as data.
//!
//! Rule text is parsed ([`syntax`]), checked into a [`check::CheckedRules`] ([`check`]),
//! and later compiled and evaluated against applicants. Diagnostics are plain data
//! ([`diagnostics`]) that any front end can render.

// The parser code pest generates (built without its `std` feature) names `::alloc`.
extern crate alloc;

pub mod applicant;
pub mod check;
pub mod compile;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod format;
pub mod repl;
pub mod rule_tests;
pub mod screen;
pub mod source;
pub mod syntax;
pub mod verify;
