//! Reads the part of a class that decides, as pest reads it: tiers, citations,
//! substitution clauses, combinations and requirements.

use super::{MAX_DEPTH, Read, Reader};
use crate::syntax::ast::*;

impl Reader<'_> {
    /// The end of a tier's kind (`tier_kind`) at `at`, when one starts there.
    pub(super) fn tier_kind(&self, at: usize) -> Option<usize> {
        self.word(at, "minimum")
            .or_else(|| self.word(at, "recommended"))
    }

    /// A tier (`tier`) whose kind runs from `at` to `kind_end`.
    pub(super) fn tier(&self, at: usize, kind_end: usize) -> Read<Tier> {
        let kind = if self.slice(at, kind_end) == "minimum" {
            TierKind::Minimum
        } else {
            TierKind::Recommended
        };
        let (citation, annotations, colon) = self.clause_head(self.skip(kind_end))?;
        let (requirement, requirement_end) = self.requirement(self.skip(colon), 0)?;
        // `substitution*` comes after white space pest skips even when there is none.
        let mut end = self.skip(requirement_end);
        let mut next = end;
        let mut substitutions = Vec::new();
        while self.word(next, "substitute").is_some() {
            let (substitution, substitution_end) = self.substitution(next)?;
            substitutions.push(substitution);
            end = substitution_end;
            next = self.skip(substitution_end);
        }
        let tier = Tier {
            kind,
            kind_span: self.span(at, kind_end),
            citation,
            annotations,
            requirement,
            substitutions,
            span: self.span(at, end),
        };
        Some((tier, end))
    }

    /// What comes between a tier's or substitution's keyword and its requirement
    /// (`citation? ~ annotation* ~ ":"`), from `at`; the end of the `:`.
    #[allow(clippy::type_complexity)]
    fn clause_head(&self, at: usize) -> Option<(Option<Citation>, Vec<Annotation>, usize)> {
        let mut next = at;
        let citation = match self.literal(next, "cite") {
            Some(_) => {
                let (citation, end) = self.citation(next)?;
                next = self.skip(end);
                Some(citation)
            }
            None => None,
        };
        let mut annotations = Vec::new();
        next = self.annotations(next, &mut annotations)?;
        let colon = self.literal(next, ":")?;
        Some((citation, annotations, colon))
    }

    /// A citation (`citation`): `cite "section"`, and `quote "words"`.
    fn citation(&self, at: usize) -> Read<Citation> {
        let (section, section_end) = self.text(self.skip(self.literal(at, "cite")?))?;
        let quote_at = self.skip(section_end);
        let (quote, end) = match self.literal(quote_at, "quote") {
            Some(quote_end) => {
                let (quote, end) = self.text(self.skip(quote_end))?;
                (Some(quote), end)
            }
            None => (None, quote_at),
        };
        let citation = Citation {
            section,
            quote,
            span: self.span(at, end),
        };
        Some((citation, end))
    }

    /// A substitution clause (`substitution`).
    fn substitution(&self, at: usize) -> Read<Substitution> {
        let head = self.skip(self.word(at, "substitute")?);
        let (citation, annotations, colon) = self.clause_head(head)?;
        let (combination, end) = self.combination(self.skip(colon))?;
        let substitution = Substitution {
            citation,
            annotations,
            combination,
            span: self.span(at, end),
        };
        Some((substitution, end))
    }

    /// A combination (`combination`): `any combination of … totaling N` or
    /// `an equivalent combination of …`, and what it must include.
    fn combination(&self, at: usize) -> Read<Combination> {
        let (kind, kind_end) = match self.word(at, "any") {
            Some(end) => (CombinationKind::Any, end),
            None => {
                let equivalent_at = self.word(at, "an").map_or(at, |end| self.skip(end));
                (
                    CombinationKind::Equivalent,
                    self.word(equivalent_at, "equivalent")?,
                )
            }
        };
        let mut next = self.after_words(self.skip(kind_end), &["combination", "of"])?;
        let mut parts = Vec::new();
        loop {
            let (part, end) = self.combination_part(next)?;
            parts.push(part);
            next = self.skip(end);
            match self.word(next, "and") {
                Some(and_end) => next = self.skip(and_end),
                None => break,
            }
        }
        let (total, total_end) = self.amount(self.after_words(next, &["totaling"])?)?;
        let that_at = self.skip(total_end);
        let (includes, end) = match self.word(that_at, "that") {
            Some(_) => {
                let requirement_at = self.after_words(that_at, &["that", "includes"])?;
                let (requirement, end) = self.requirement(requirement_at, 0)?;
                (Some(Box::new(requirement)), end)
            }
            None => (None, that_at),
        };
        let combination = Combination {
            kind,
            parts,
            total,
            includes,
            span: self.span(at, end),
        };
        Some((combination, end))
    }

    /// A part of a combination (`combination_part`): education, or experience.
    fn combination_part(&self, at: usize) -> Read<CombinationPart> {
        let accredited = self.word(at, "accredited");
        let education_at = accredited.map_or(at, |end| self.skip(end));
        let Some(education_end) = self.word(education_at, "education") else {
            if accredited.is_some() {
                return None;
            }
            let (experience, end) = self.experience_ref(at)?;
            return Some((CombinationPart::Experience(experience), end));
        };
        let in_at = self.skip(education_end);
        let (fields, end) = match self.word(in_at, "in") {
            Some(in_end) => {
                let (fields, end) = self.ident(self.skip(in_end))?;
                (Some(fields), end)
            }
            None => (None, in_at),
        };
        let part = CombinationPart::Education {
            accredited: accredited.is_some(),
            fields,
            span: self.span(at, end),
        };
        Some((part, end))
    }

    /// Experience (`experience_ref`): one category, or `any of a, b`.
    fn experience_ref(&self, at: usize) -> Read<ExperienceRef> {
        let Some(any_end) = self.word(at, "any") else {
            let (name, end) = self.ident(at)?;
            let experience = ExperienceRef {
                categories: vec![name],
                pooled: false,
                span: self.span(at, end),
            };
            return Some((experience, end));
        };
        let (first, first_end) = self.ident(self.after_words(self.skip(any_end), &["of"])?)?;
        let mut categories = vec![first];
        let mut end = self.skip(first_end);
        let mut comma = end;
        while self.byte(comma) == Some(b',') {
            let (name, name_end) = self.ident(self.skip(comma + 1))?;
            categories.push(name);
            end = name_end;
            comma = self.skip(name_end);
        }
        let experience = ExperienceRef {
            categories,
            pooled: true,
            span: self.span(at, end),
        };
        Some((experience, end))
    }

    // ------------------------------------------------------------------ requirements

    /// A requirement (`requirement`): conjunctions joined by `or`, one alone as itself.
    pub(super) fn requirement(&self, at: usize, depth: usize) -> Read<Requirement> {
        let (first, first_end) = self.conjunction(at, depth)?;
        let mut next = self.skip(first_end);
        if self.word(next, "or").is_none() {
            return Some((first, next));
        }
        let mut operands = vec![first];
        let mut end = first_end;
        while let Some(or_end) = self.word(next, "or") {
            let (operand, operand_end) = self.conjunction(self.skip(or_end), depth)?;
            operands.push(operand);
            end = operand_end;
            next = self.skip(operand_end);
        }
        Some((Requirement::AnyOf(operands, self.span(at, end)), end))
    }

    /// A conjunction (`conjunction`): requirements joined by `and`, one alone as itself.
    fn conjunction(&self, at: usize, depth: usize) -> Read<Requirement> {
        let (first, first_end) = self.primary(at, depth)?;
        let mut next = self.skip(first_end);
        if self.word(next, "and").is_none() {
            return Some((first, next));
        }
        let mut operands = vec![first];
        let mut end = first_end;
        while let Some(and_end) = self.word(next, "and") {
            let (operand, operand_end) = self.primary(self.skip(and_end), depth)?;
            operands.push(operand);
            end = operand_end;
            next = self.skip(operand_end);
        }
        Some((Requirement::AllOf(operands, self.span(at, end)), end))
    }

    /// One requirement that is not a conjunction (`primary`): a group, a duration, credits
    /// or a credential.
    fn primary(&self, at: usize, depth: usize) -> Read<Requirement> {
        match self.byte(at)? {
            b'(' if depth < MAX_DEPTH => {
                let (inner, inner_end) = self.requirement(self.skip(at + 1), depth + 1)?;
                let end = self.literal(self.skip(inner_end), ")")?;
                Some((Requirement::Group(Box::new(inner), self.span(at, end)), end))
            }
            b'(' => None,
            b'-' | b'0'..=b'9' => self.amount_requirement(at),
            _ => self
                .credential_req(at)
                .map(|(credential, end)| (Requirement::Credential(credential), end)),
        }
    }

    /// `N years of experience` (`duration_req`) or `N credits in subject` (`credits_req`).
    fn amount_requirement(&self, at: usize) -> Read<Requirement> {
        let (amount, amount_end) = self.amount(at)?;
        let next = self.skip(amount_end);
        if let Some(of_end) = self.word(next, "of") {
            let (experience, end) = self.experience_ref(self.skip(of_end))?;
            return Some((
                Requirement::Duration(amount, experience, self.span(at, end)),
                end,
            ));
        }
        let (subject, end) = self.ident(self.after_words(next, &["in"])?)?;
        Some((
            Requirement::Credits(amount, subject, self.span(at, end)),
            end,
        ))
    }

    /// A credential (`credential_req`): `accredited`, the credential, `in` its field set,
    /// and `that includes N credits in subject`.
    fn credential_req(&self, at: usize) -> Read<CredentialReq> {
        let accredited = self.word(at, "accredited");
        let (credential, credential_end) =
            self.ident(accredited.map_or(at, |end| self.skip(end)))?;
        let mut next = self.skip(credential_end);
        let mut fields = None;
        if let Some(in_end) = self.word(next, "in") {
            let (name, name_end) = self.ident(self.skip(in_end))?;
            fields = Some(name);
            next = self.skip(name_end);
        }
        let (includes, end) = match self.word(next, "that") {
            Some(_) => {
                let amount_at = self.after_words(next, &["that", "includes"])?;
                let (amount, amount_end) = self.amount(amount_at)?;
                let (subject, end) =
                    self.ident(self.after_words(self.skip(amount_end), &["in"])?)?;
                (Some((amount, subject)), end)
            }
            None => (None, next),
        };
        let credential = CredentialReq {
            accredited: accredited.is_some(),
            credential,
            fields,
            includes,
            span: self.span(at, end),
        };
        Some((credential, end))
    }
}
