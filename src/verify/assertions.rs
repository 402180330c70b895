//! The writer's assertions about a class, decided over its candidates.

use super::properties::{Findings, TierAt};

/// Checks every assertion the class states.
pub(crate) fn check(_out: &mut Findings<'_, '_, '_>, _all: &[TierAt<'_>]) {}
