//! Evaluation commands (placeholder until evaluation is available).

use super::words::Word;
use super::{ReplError, Response, Session};

#[derive(Clone, Debug)]
pub struct Baseline;

fn pending() -> ReplError {
    ReplError::new("evaluation is not available in this build")
}

impl Session {
    pub(super) fn eval(&mut self, _args: &[Word]) -> Result<String, ReplError> {
        Err(pending())
    }
    pub(super) fn explain(&mut self, _args: &[Word]) -> Result<String, ReplError> {
        Err(pending())
    }
    pub(super) fn gap(&mut self, _args: &[Word]) -> Result<String, ReplError> {
        Err(pending())
    }
    pub(super) fn what_if(&mut self, _args: &[Word]) -> Result<String, ReplError> {
        Err(pending())
    }
    pub(super) fn set_baseline(&mut self) -> Result<String, ReplError> {
        Err(pending())
    }
    pub(super) fn diff(&mut self) -> Result<String, ReplError> {
        Err(pending())
    }
    pub(super) fn expression(&mut self, _text: &str) -> Response {
        pending().into()
    }
}
