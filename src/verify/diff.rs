//! `qualify diff`.
