//! The layout of classes: their statements, levels, tiers, citations and substitution
//! clauses.

use super::annotations::annotation_start;
use super::items::{BlockLine, INDENT, PrintLine, closing_brace};
use super::layout::{Blank, Doc, Layout};
use crate::syntax::ast::*;

/// How far a level header's band goes in when the header does not fit on one line.
const HEADER_CONTINUATION: isize = 4;

/// A class's statements and levels, in the order written.
enum ClassPart<'a> {
    Statement(&'a ClassStatement),
    Level(&'a Level),
}

impl<'a> Layout<'a> {
    pub(super) fn class(&mut self, class: &'a Class) -> Doc<'a> {
        let Class {
            code,
            title,
            statements,
            levels,
            broken_parts: _,
            broken_words: _,
            span,
        } = class;
        let mut header = self.text("class ").append(self.name(code));
        if let Some(title) = title {
            header = header.append(" ").append(self.quoted(title));
        }
        let mut parts: Vec<(usize, ClassPart<'a>)> = statements
            .iter()
            .map(|s| (s.span().start as usize, ClassPart::Statement(s)))
            .chain(
                levels
                    .iter()
                    .map(|l| (l.span.start as usize, ClassPart::Level(l))),
            )
            .collect();
        parts.sort_by_key(|(start, _)| *start);
        let mut lines: Vec<BlockLine<'a>> = Vec::with_capacity(parts.len());
        let mut after_level = false;
        for (start, part) in parts {
            let (blank, line): (Blank, PrintLine<'a>) = match part {
                ClassPart::Statement(statement) => (
                    if after_level {
                        Blank::Always
                    } else {
                        Blank::Keep
                    },
                    Box::new(move |layout: &mut Self| layout.class_statement(statement)),
                ),
                ClassPart::Level(level) => {
                    after_level = true;
                    (
                        Blank::Always,
                        Box::new(move |layout: &mut Self| layout.level(level)),
                    )
                }
            };
            lines.push((start, blank, line));
        }
        header.append(self.block(lines, closing_brace(*span)))
    }

    fn class_statement(&mut self, statement: &'a ClassStatement) -> Doc<'a> {
        match statement {
            ClassStatement::Note(note) => self.note(note),
            ClassStatement::Allow(allow) => self.allow(allow),
            ClassStatement::Profile(name, _) => self.text("profile ").append(self.name(name)),
            ClassStatement::Source(text, _) => self.text("source ").append(self.quoted(text)),
            ClassStatement::Established(date, _) => {
                self.text("established ").append(self.date(date))
            }
            ClassStatement::Revised(date, _) => self.text("revised ").append(self.date(date)),
            ClassStatement::Effective(date, _) => self.text("effective ").append(self.date(date)),
            ClassStatement::Statutory(text, _) => self
                .text("statutory requirements ")
                .append(self.quoted(text)),
            ClassStatement::PayScaleType(text, _) => {
                self.text("pay scale type ").append(self.quoted(text))
            }
            ClassStatement::BargainingUnit(text, _) => {
                self.text("bargaining unit ").append(self.quoted(text))
            }
            ClassStatement::CivilService(text, _) => {
                self.text("civil service ").append(self.quoted(text))
            }
            ClassStatement::Assert(assertion) => self.assertion(assertion),
            ClassStatement::BoardChange(text, date, _) => {
                let text = self.quoted(text);
                let on = self.inline_before(date.span.start as usize);
                self.text("board change ")
                    .append(text)
                    .append(" on ")
                    .append(on)
                    .append(self.date(date))
            }
        }
    }

    /// `assert level A minimum implies level O minimum`, each tier named as it is written.
    fn assertion(&mut self, assertion: &'a Assertion) -> Doc<'a> {
        let head = self.text("assert ");
        match &assertion.kind {
            AssertionKind::Implies(from, to) => head
                .append(self.tier_ref(from))
                .append(" implies ")
                .append(self.tier_ref(to)),
            AssertionKind::RequiresSome(tier, evidence) => {
                let what = match evidence {
                    Evidence::Experience => " requires some experience",
                    Evidence::Education => " requires some education",
                };
                head.append(self.tier_ref(tier)).append(what)
            }
            AssertionKind::NoneWithout(requirement, tier) => {
                let requirement = self.requirement(requirement);
                head.append("no applicant without ")
                    .append(requirement)
                    .append(" meets ")
                    .append(self.tier_ref(tier))
            }
        }
    }

    fn tier_ref(&self, tier: &'a TierRef) -> Doc<'a> {
        let named = self.text("level ").append(self.name(&tier.level));
        if tier.kind_written {
            named.append(" ").append(tier.tier.as_str())
        } else {
            named
        }
    }

    fn level(&mut self, level: &'a Level) -> Doc<'a> {
        let Level {
            name,
            title,
            code,
            band,
            alt_band,
            annotations,
            tiers,
            span,
        } = level;
        let mut header = self.text("level ").append(self.name(name));
        if let Some(title) = title {
            header = header.append(" ").append(self.quoted(title));
        }
        header = header.append(" code ").append(self.quoted(code));
        let mut bands = self.soft_break_before(band.span.start as usize);
        bands = bands.append(self.band(band));
        if let Some(alt_band) = alt_band {
            bands = bands
                .append(self.soft_break_before(alt_band.span.start as usize))
                .append("alt ")
                .append(self.band(alt_band));
        }
        let header = header.append(bands.nest(HEADER_CONTINUATION)).group();
        let annotation_lines = annotations.iter().map(|annotation| {
            let line: PrintLine<'a> =
                Box::new(move |layout: &mut Self| layout.annotation(annotation));
            (annotation_start(annotation), Blank::Keep, line)
        });
        let tier_lines = tiers.iter().map(|tier| {
            let line: PrintLine<'a> = Box::new(move |layout: &mut Self| layout.tier(tier));
            (tier.span.start as usize, Blank::Always, line)
        });
        let lines = annotation_lines.chain(tier_lines).collect();
        header.append(self.block(lines, closing_brace(*span)))
    }

    fn band(&self, band: &'a Band) -> Doc<'a> {
        let Band {
            value,
            label,
            span: _,
        } = band;
        let label = match label {
            BandLabel::Band => "band ",
            BandLabel::PayScaleGroup => "pay scale group ",
        };
        self.text(label).append(self.text(value))
    }

    fn tier(&mut self, tier: &'a Tier) -> Doc<'a> {
        let Tier {
            kind,
            kind_span: _,
            citation,
            annotations,
            requirement,
            substitutions,
            span: _,
        } = tier;
        let mut body = self.citation(citation.as_ref());
        body = body.append(self.annotation_lines(annotations));
        body = body.append(":");
        body = body.append(self.break_before(requirement.span().start as usize, Blank::Never));
        body = body.append(self.requirement(requirement));
        for substitution in substitutions {
            body = body.append(self.break_before(substitution.span.start as usize, Blank::Never));
            body = body.append(self.substitution(substitution));
        }
        self.text(kind.as_str()).append(body.nest(INDENT))
    }

    /// The `cite` and `quote` lines, each on a line of its own; nothing without a citation.
    fn citation(&mut self, citation: Option<&'a Citation>) -> Doc<'a> {
        let Some(Citation {
            section,
            quote,
            span,
        }) = citation
        else {
            return self.nil();
        };
        let mut doc = self.break_before(span.start as usize, Blank::Never);
        doc = doc.append("cite ").append(self.quoted(section));
        if let Some(quote) = quote {
            let line = self.break_before(quote.span.start as usize, Blank::Never);
            doc = doc.append(line).append("quote ").append(self.quoted(quote));
        }
        doc
    }

    fn substitution(&mut self, substitution: &'a Substitution) -> Doc<'a> {
        let Substitution {
            citation,
            annotations,
            combination,
            span: _,
        } = substitution;
        let mut body = self.citation(citation.as_ref());
        body = body.append(self.annotation_lines(annotations));
        body = body.append(":");
        body = body.append(self.break_before(combination.span.start as usize, Blank::Never));
        body = body.append(self.combination(combination));
        self.text("substitute").append(body.nest(INDENT))
    }

    /// `any combination of A and B totaling N years that includes R`: on one line when it
    /// fits, else each part, the total and the component that must hold on its own on
    /// lines of their own.
    fn combination(&mut self, combination: &'a Combination) -> Doc<'a> {
        let Combination {
            kind,
            parts,
            total,
            includes,
            span: _,
        } = combination;
        let mut doc = self.text(match kind {
            CombinationKind::Any => "any combination of ",
            CombinationKind::Equivalent => "an equivalent combination of ",
        });
        let mut rest = self.nil();
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                doc = doc.append(self.combination_part(part));
            } else {
                rest = rest
                    .append(self.soft_break_before(combination_part_start(part)))
                    .append("and ")
                    .append(self.combination_part(part));
            }
        }
        rest = rest
            .append(self.soft_break_before(total.span.start as usize))
            .append("totaling ")
            .append(self.amount(total));
        if let Some(includes) = includes {
            rest = rest
                .append(self.soft_break_before(includes.span().start as usize))
                .append("that includes ")
                .append(self.requirement(includes));
        }
        doc.append(rest.nest(INDENT)).group()
    }

    fn combination_part(&mut self, part: &'a CombinationPart) -> Doc<'a> {
        match part {
            CombinationPart::Education {
                accredited,
                fields,
                span: _,
            } => {
                let mut doc = self.text(if *accredited {
                    "accredited education"
                } else {
                    "education"
                });
                if let Some(fields) = fields {
                    doc = doc.append(" in ").append(self.name(fields));
                }
                doc
            }
            CombinationPart::Experience(reference) => self.experience_ref(reference),
        }
    }
}

fn combination_part_start(part: &CombinationPart) -> usize {
    match part {
        CombinationPart::Education { span, .. } => span.start as usize,
        CombinationPart::Experience(reference) => reference.span.start as usize,
    }
}
