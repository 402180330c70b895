//! The layout of requirements: on one line when they fit, else broken before each `and` or
//! `or` of the outermost chain that does not fit, the operator leading its line.

use super::layout::{Doc, Layout};
use crate::syntax::ast::*;

/// How far the lines of a broken chain go in past its first operand.
const CHAIN_INDENT: isize = 2;

impl<'a> Layout<'a> {
    pub(super) fn requirement(&mut self, requirement: &'a Requirement) -> Doc<'a> {
        match requirement {
            Requirement::AnyOf(operands, _) => self.chain(operands, "or "),
            Requirement::AllOf(operands, _) => self.chain(operands, "and "),
            Requirement::Group(inner, _) => {
                let before = self.inline_before(inner.span().start as usize);
                let inner = self.requirement(inner);
                self.text("(")
                    .append(before.append(inner).align())
                    .append(")")
            }
            Requirement::Credential(credential) => self.credential_requirement(credential),
            Requirement::Duration(amount, reference, _) => {
                let amount = self.amount(amount);
                amount.append(" of ").append(self.experience_ref(reference))
            }
            Requirement::Credits(amount, subject, _) => self
                .amount(amount)
                .append(" in ")
                .append(self.name(subject)),
        }
    }

    /// Operands joined by `operator`, as one group.
    fn chain(&mut self, operands: &'a [Requirement], operator: &'static str) -> Doc<'a> {
        let mut first = self.nil();
        let mut rest = self.nil();
        for (i, operand) in operands.iter().enumerate() {
            if i == 0 {
                first = self.requirement(operand);
            } else {
                let line = self.soft_break_before(operand.span().start as usize);
                let operand = self.requirement(operand);
                rest = rest.append(line).append(operator).append(operand);
            }
        }
        first.append(rest.nest(CHAIN_INDENT)).group()
    }

    fn credential_requirement(&mut self, credential: &'a CredentialReq) -> Doc<'a> {
        let CredentialReq {
            accredited,
            credential,
            fields,
            includes,
            span: _,
        } = credential;
        let mut doc = if *accredited {
            self.text("accredited ")
        } else {
            self.nil()
        };
        doc = doc.append(self.name(credential));
        if let Some(fields) = fields {
            doc = doc.append(" in ").append(self.name(fields));
        }
        if let Some((amount, subject)) = includes {
            doc = doc
                .append(" that includes ")
                .append(self.amount(amount))
                .append(" in ")
                .append(self.name(subject));
        }
        doc
    }

    pub(super) fn experience_ref(&mut self, reference: &'a ExperienceRef) -> Doc<'a> {
        let ExperienceRef {
            categories,
            pooled,
            span: _,
        } = reference;
        let mut doc = if *pooled {
            self.text("any of ")
        } else {
            self.nil()
        };
        for (i, category) in categories.iter().enumerate() {
            if i > 0 {
                doc = doc.append(", ");
            }
            doc = doc.append(self.name(category));
        }
        doc
    }
}
