//! Lowers the part of a class that decides: tiers, substitution clauses, combination
//! clauses and requirements.

use pest::iterators::Pair;

use super::{Builder, Built};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::parser::Rule;

impl Builder {
    pub(super) fn tier(&self, pair: Pair<Rule>) -> Built<Tier> {
        let mut kind = None;
        let mut citation = None;
        let mut requirement = None;
        let mut annotations = Vec::new();
        let mut substitutions = Vec::new();
        for part in Self::content(&pair) {
            if let Some(annotation) = self.annotation(&part) {
                annotations.push(annotation?);
                continue;
            }
            match part.as_rule() {
                Rule::tier_kind => {
                    let k = if part.as_str() == "minimum" {
                        TierKind::Minimum
                    } else {
                        TierKind::Recommended
                    };
                    kind = Some((k, self.span(&part)));
                }
                Rule::citation => citation = Some(self.citation(&part)),
                Rule::requirement => requirement = Some(self.requirement(part)?),
                Rule::substitution => substitutions.push(self.substitution(part)?),
                _ => return Err(self.internal(&part, "tier")),
            }
        }
        match (kind, requirement) {
            (Some((kind, kind_span)), Some(requirement)) => Ok(Tier {
                kind,
                kind_span,
                citation,
                annotations,
                requirement,
                substitutions,
                span: self.span(&pair),
            }),
            _ => Err(self.internal(&pair, "tier")),
        }
    }

    fn citation(&self, pair: &Pair<Rule>) -> Citation {
        let mut texts = Self::content(pair).map(|t| self.text(&t));
        let section = texts.next().unwrap_or(Text {
            value: String::new(),
            span: self.span(pair),
        });
        Citation {
            section,
            quote: texts.next(),
            span: self.span(pair),
        }
    }

    fn substitution(&self, pair: Pair<Rule>) -> Built<Substitution> {
        let mut citation = None;
        let mut combination = None;
        let mut annotations = Vec::new();
        for part in Self::content(&pair) {
            if let Some(annotation) = self.annotation(&part) {
                annotations.push(annotation?);
                continue;
            }
            match part.as_rule() {
                Rule::citation => citation = Some(self.citation(&part)),
                Rule::combination => combination = Some(self.combination(part)?),
                _ => return Err(self.internal(&part, "substitution")),
            }
        }
        let combination = combination.ok_or_else(|| self.internal(&pair, "combination"))?;
        Ok(Substitution {
            citation,
            annotations,
            combination,
            span: self.span(&pair),
        })
    }

    fn combination(&self, pair: Pair<Rule>) -> Built<Combination> {
        let mut kind = CombinationKind::Any;
        let mut parts = Vec::new();
        let mut total = None;
        let mut includes = None;
        for part in Self::content(&pair) {
            match part.as_rule() {
                Rule::combination_kind => {
                    if !Self::has_keyword(&part, Rule::kw_any) {
                        kind = CombinationKind::Equivalent;
                    }
                }
                Rule::combination_part => parts.push(self.combination_part(&part)?),
                Rule::amount => total = Some(self.amount(&part)?),
                Rule::combination_includes => {
                    let req =
                        self.next(&part, &mut part.clone().into_inner(), Rule::requirement)?;
                    includes = Some(Box::new(self.requirement(req)?));
                }
                _ => return Err(self.internal(&part, "combination")),
            }
        }
        let total = total.ok_or_else(|| self.internal(&pair, "combination total"))?;
        Ok(Combination {
            kind,
            parts,
            total,
            includes,
            span: self.span(&pair),
        })
    }

    fn combination_part(&self, pair: &Pair<Rule>) -> Built<CombinationPart> {
        let Some(inner) = pair.clone().into_inner().next() else {
            return Err(self.internal(pair, "combination part"));
        };
        if inner.as_rule() == Rule::education_part {
            let fields = Self::content(&inner).next().map(|p| self.name(&p));
            Ok(CombinationPart::Education {
                accredited: Self::has_keyword(&inner, Rule::kw_accredited),
                fields,
                span: self.span(&inner),
            })
        } else {
            self.experience_ref(&inner).map(CombinationPart::Experience)
        }
    }

    // ------------------------------------------------------------------ requirements

    pub(crate) fn requirement(&self, pair: Pair<Rule>) -> Built<Requirement> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::requirement | Rule::conjunction => {
                // A loop rather than a collected iterator: nested groups recurse through
                // here, and each iterator adapter would be a stack frame of its own per level.
                let mut operands = Vec::new();
                for operand in Self::content(&pair) {
                    operands.push(self.requirement(operand)?);
                }
                if operands.len() == 1 {
                    return operands
                        .pop()
                        .ok_or_else(|| self.internal(&pair, "operand"));
                }
                Ok(if pair.as_rule() == Rule::requirement {
                    Requirement::AnyOf(operands, span)
                } else {
                    Requirement::AllOf(operands, span)
                })
            }
            Rule::group => {
                let inner = self.next(&pair, &mut pair.clone().into_inner(), Rule::requirement)?;
                Ok(Requirement::Group(Box::new(self.requirement(inner)?), span))
            }
            _ => self.leaf_requirement(&pair, span),
        }
    }

    /// A requirement that nests no other: kept out of [`Builder::requirement`], which
    /// recurses once per level of parentheses, so that its stack frame stays small.
    fn leaf_requirement(&self, pair: &Pair<Rule>, span: Span) -> Built<Requirement> {
        let pair = pair.clone();
        match pair.as_rule() {
            Rule::duration_req => {
                let mut inner = pair.clone().into_inner();
                let amount = self.amount(&self.next(&pair, &mut inner, Rule::amount)?)?;
                let reference =
                    self.experience_ref(&self.next(&pair, &mut inner, Rule::experience_ref)?)?;
                Ok(Requirement::Duration(amount, reference, span))
            }
            Rule::credits_req => {
                let mut inner = pair.clone().into_inner();
                let amount = self.amount(&self.next(&pair, &mut inner, Rule::amount)?)?;
                let subject = self.name(&self.next(&pair, &mut inner, Rule::ident)?);
                Ok(Requirement::Credits(amount, subject, span))
            }
            Rule::credential_req => self.credential_req(&pair).map(Requirement::Credential),
            _ => Err(self.internal(&pair, "requirement")),
        }
    }

    fn credential_req(&self, pair: &Pair<Rule>) -> Built<CredentialReq> {
        // The credential, then the field set it is in, if any.
        let mut credential = None;
        let mut fields = None;
        let mut includes = None;
        for part in Self::content(pair) {
            match part.as_rule() {
                Rule::ident if credential.is_none() => credential = Some(self.name(&part)),
                Rule::ident if fields.is_none() => fields = Some(self.name(&part)),
                Rule::ident => {}
                Rule::credential_includes => {
                    let mut inner = part.clone().into_inner();
                    let amount = self.amount(&self.next(&part, &mut inner, Rule::amount)?)?;
                    let subject = self.name(&self.next(&part, &mut inner, Rule::ident)?);
                    includes = Some((amount, subject));
                }
                _ => return Err(self.internal(&part, "credential requirement")),
            }
        }
        let credential = credential.ok_or_else(|| self.internal(pair, "credential"))?;
        Ok(CredentialReq {
            accredited: Self::has_keyword(pair, Rule::kw_accredited),
            credential,
            fields,
            includes,
            span: self.span(pair),
        })
    }

    fn experience_ref(&self, pair: &Pair<Rule>) -> Built<ExperienceRef> {
        let Some(inner) = pair.clone().into_inner().next() else {
            return Err(self.internal(pair, "experience"));
        };
        let pooled = inner.as_rule() == Rule::pooled_categories;
        let categories = if pooled {
            Self::content(&inner).map(|p| self.name(&p)).collect()
        } else {
            vec![self.name(&inner)]
        };
        Ok(ExperienceRef {
            categories,
            pooled,
            span: self.span(pair),
        })
    }
}
