//! Lowers pest pairs into the syntax tree. Pest types stay inside the syntax module.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::parser::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

mod tiers;

type Built<T> = Result<T, Diagnostic>;

/// Turns the pairs of one item into syntax nodes with absolute spans.
pub(crate) struct Builder {
    file: FileId,
    base: usize,
}

impl Builder {
    pub(crate) fn new(file: FileId, base: usize) -> Builder {
        Builder { file, base }
    }

    /// The pair's span without trailing white space and comment lines, which pest's
    /// repetitions leave inside it.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        trimmed_span(self.file, self.base, pair.get_input(), s.start(), s.end())
    }

    fn internal(&self, pair: &Pair<Rule>, what: &str) -> Diagnostic {
        Diagnostic::new(
            Code::Internal,
            format!("internal error: the parser produced an unexpected shape ({what})"),
            self.span(pair),
            "while reading this",
        )
        .with_help("please report this with the rule file attached")
    }

    /// The next pair that is not a keyword, which must be of rule `rule`.
    fn next<'i>(
        &self,
        parent: &Pair<'i, Rule>,
        pairs: &mut Pairs<'i, Rule>,
        rule: Rule,
    ) -> Built<Pair<'i, Rule>> {
        match pairs.find(|p| !is_keyword(p.as_rule())) {
            Some(p) if p.as_rule() == rule => Ok(p),
            Some(p) => {
                Err(self.internal(&p, &format!("{rule:?} expected, found {:?}", p.as_rule())))
            }
            None => Err(self.internal(parent, &format!("{rule:?} missing"))),
        }
    }

    /// The pair's children that are not keywords.
    fn content<'i>(pair: &Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> + use<'i> {
        pair.clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()))
    }

    fn has_keyword(pair: &Pair<Rule>, rule: Rule) -> bool {
        pair.clone().into_inner().any(|p| p.as_rule() == rule)
    }

    pub(crate) fn item(&self, pair: Pair<Rule>) -> Built<Item> {
        let mut inner = pair.clone().into_inner();
        let Some(first) = inner.next() else {
            return Err(self.internal(&pair, "empty item"));
        };
        match first.as_rule() {
            Rule::profile => self.profile(first).map(Item::Profile),
            Rule::field_set => self.field_set(first).map(Item::FieldSet),
            Rule::category => self.category(first).map(Item::Category),
            Rule::class => self.class(first).map(Item::Class),
            _ => Err(self.internal(&first, "unknown item")),
        }
    }

    fn name(&self, pair: &Pair<Rule>) -> Name {
        Name {
            text: pair.as_str().to_owned(),
            span: self.span(pair),
        }
    }

    fn text(&self, pair: &Pair<Rule>) -> Text {
        let strings = pair.clone().into_inner();
        Text {
            value: joined_strings(pair.as_str().len(), strings.map(|s| string_body(&s))),
            span: self.span(pair),
        }
    }

    /// One quoted string, unescaped.
    fn single_string(&self, pair: &Pair<Rule>) -> Text {
        let raw = string_body(pair);
        Text {
            value: unescape(raw),
            span: self.span(pair),
        }
    }

    fn amount(&self, pair: &Pair<Rule>) -> Built<Amount> {
        let mut inner = pair.clone().into_inner();
        let number = self.next(pair, &mut inner, Rule::number)?;
        let unit = self.next(pair, &mut inner, Rule::unit)?;
        let unit_text = words_single_spaced(unit.as_str());
        Ok(Amount {
            number: Number {
                raw: number.as_str().to_owned(),
                span: self.span(&number),
            },
            unit: Name {
                text: unit_text,
                span: self.span(&unit),
            },
            span: self.span(pair),
        })
    }

    fn date(&self, pair: &Pair<Rule>) -> DateLit {
        DateLit {
            raw: pair.as_str().to_owned(),
            span: self.span(pair),
        }
    }

    // ------------------------------------------------------------------ annotations

    fn note(&self, pair: &Pair<Rule>) -> Built<Note> {
        let mut texts = Self::content(pair).map(|t| self.text(&t));
        let text = texts
            .next()
            .ok_or_else(|| self.internal(pair, "note text"))?;
        Ok(Note {
            text,
            authority: texts.next(),
            span: self.span(pair),
        })
    }

    /// A note after a field member: one string, and one for its authority.
    fn member_note(&self, pair: &Pair<Rule>) -> Built<Note> {
        let mut strings = Self::content(pair).map(|s| self.single_string(&s));
        let text = strings
            .next()
            .ok_or_else(|| self.internal(pair, "note text"))?;
        Ok(Note {
            text,
            authority: strings.next(),
            span: self.span(pair),
        })
    }

    fn label(&self, pair: &Pair<Rule>) -> Built<Label> {
        let text = Self::content(pair)
            .next()
            .map(|t| self.single_string(&t))
            .ok_or_else(|| self.internal(pair, "label text"))?;
        Ok(Label {
            text,
            span: self.span(pair),
        })
    }

    fn allow(&self, pair: &Pair<Rule>) -> Built<Allow> {
        let mut inner = Self::content(pair);
        let (Some(code), Some(reason)) = (inner.next(), inner.next()) else {
            return Err(self.internal(pair, "allow"));
        };
        Ok(Allow {
            code: self.name(&code),
            reason: self.text(&reason),
            span: self.span(pair),
        })
    }

    /// A note or an allow, when `pair` is one.
    fn annotation(&self, pair: &Pair<Rule>) -> Option<Built<Annotation>> {
        match pair.as_rule() {
            Rule::note => Some(self.note(pair).map(Annotation::Note)),
            Rule::allow => Some(self.allow(pair).map(Annotation::Allow)),
            _ => None,
        }
    }

    // ------------------------------------------------------------------ profiles

    fn profile(&self, pair: Pair<Rule>) -> Built<Profile> {
        let mut inner = pair.clone().into_inner();
        let name = self.name(&self.next(&pair, &mut inner, Rule::ident)?);
        let statements = inner
            .map(|stmt| self.profile_statement(stmt))
            .collect::<Built<Vec<_>>>()?;
        Ok(Profile {
            name,
            statements,
            broken_parts: Vec::new(),
            span: self.span(&pair),
        })
    }

    fn profile_statement(&self, pair: Pair<Rule>) -> Built<ProfileStatement> {
        let span = self.span(&pair);
        let first = Self::content(&pair).next();
        Ok(match (pair.as_rule(), &first) {
            (Rule::note, _) => ProfileStatement::Note(self.note(&pair)?),
            (Rule::jurisdiction, Some(text)) => {
                ProfileStatement::Jurisdiction(self.text(text), span)
            }
            (Rule::credential, _) => ProfileStatement::Credential(self.credential(&pair)?),
            (Rule::education_year, _) => ProfileStatement::EducationYear(
                Self::content(&pair)
                    .map(|p| self.amount(&p))
                    .collect::<Built<_>>()?,
                span,
            ),
            (Rule::full_time, Some(amount)) => {
                ProfileStatement::FullTime(self.amount(amount)?, span)
            }
            (Rule::overlap, Some(rule)) => ProfileStatement::Overlap(
                if rule.as_rule() == Rule::summed_to_full_time {
                    OverlapRule::SummedToFullTime
                } else {
                    OverlapRule::LargestJobOnly
                },
                span,
            ),
            (Rule::several_degrees, Some(rule)) => ProfileStatement::SeveralDegrees(
                if rule.as_rule() == Rule::highest_only {
                    DegreeRule::HighestOnly
                } else {
                    DegreeRule::AddedUp
                },
                span,
            ),
            (Rule::coursework_rule, Some(rule)) => ProfileStatement::Coursework(
                if rule.as_rule() == Rule::coursework_added_up {
                    CourseworkRule::AddedUp
                } else {
                    CourseworkRule::HighestOnly
                },
                span,
            ),
            _ => return Err(self.internal(&pair, "profile statement")),
        })
    }

    fn credential(&self, pair: &Pair<Rule>) -> Built<CredentialDecl> {
        let mut name = None;
        let mut title = None;
        let mut value = None;
        for part in Self::content(pair) {
            match part.as_rule() {
                Rule::ident => name = Some(self.name(&part)),
                Rule::text => title = Some(self.text(&part)),
                Rule::credential_worth => {
                    let amount = self.next(&part, &mut part.clone().into_inner(), Rule::amount)?;
                    value = Some(CredentialValue::Worth(self.amount(&amount)?));
                }
                Rule::credential_same => {
                    let other = self.next(&part, &mut part.clone().into_inner(), Rule::ident)?;
                    value = Some(CredentialValue::SameAs(self.name(&other)));
                }
                _ => return Err(self.internal(&part, "credential")),
            }
        }
        match (name, value) {
            (Some(name), Some(value)) => Ok(CredentialDecl {
                name,
                title,
                value,
                span: self.span(pair),
            }),
            _ => Err(self.internal(pair, "credential")),
        }
    }

    // ------------------------------------------------------------------ vocabulary

    fn field_set(&self, pair: Pair<Rule>) -> Built<FieldSet> {
        let mut name = None;
        let mut header = Header::default();
        let mut members = Vec::new();
        for part in Self::content(&pair) {
            match part.as_rule() {
                Rule::ident => name = Some(self.name(&part)),
                Rule::field_member => members.push(self.field_member(&part)?),
                _ => self.header_part(&part, &mut header)?,
            }
        }
        let name = name.ok_or_else(|| self.internal(&pair, "field set name"))?;
        Ok(FieldSet {
            name,
            label: header.label,
            label_after_description: header.label_after_description,
            description: header.description,
            notes: header.notes,
            members,
            span: self.span(&pair),
        })
    }

    /// A label, description or note of a field set's or category's header.
    fn header_part(&self, part: &Pair<Rule>, header: &mut Header) -> Built<()> {
        match part.as_rule() {
            Rule::text => header.description = Some(self.text(part)),
            Rule::label => {
                header.label_after_description = header.description.is_some();
                header.label = Some(self.label(part)?);
            }
            Rule::note => header.notes.push(self.note(part)?),
            _ => return Err(self.internal(part, "header")),
        }
        Ok(())
    }

    fn field_member(&self, pair: &Pair<Rule>) -> Built<FieldMember> {
        let mut parts = pair.clone().into_inner();
        let Some(first) = parts.next() else {
            return Err(self.internal(pair, "field member"));
        };
        let mut spellings = Vec::new();
        let mut notes = Vec::new();
        for part in parts {
            match part.as_rule() {
                Rule::spellings => spellings
                    .extend(Self::content(&part).map(|spelling| self.single_string(&spelling))),
                Rule::member_note => notes.push(self.member_note(&part)?),
                _ => return Err(self.internal(&part, "field member")),
            }
        }
        Ok(if first.as_rule() == Rule::string {
            FieldMember::Field {
                field: self.single_string(&first),
                spellings,
                notes,
            }
        } else {
            FieldMember::Set {
                name: self.name(&first),
                notes,
            }
        })
    }

    fn category(&self, pair: Pair<Rule>) -> Built<Category> {
        let mut name = None;
        let mut header = Header::default();
        for part in Self::content(&pair) {
            match part.as_rule() {
                Rule::ident => name = Some(self.name(&part)),
                _ => self.header_part(&part, &mut header)?,
            }
        }
        let (Some(name), Some(description)) = (name, header.description) else {
            return Err(self.internal(&pair, "experience category"));
        };
        Ok(Category {
            name,
            label: header.label,
            label_after_description: header.label_after_description,
            description,
            notes: header.notes,
            span: self.span(&pair),
        })
    }

    // ------------------------------------------------------------------ classes

    fn assertion(&self, pair: Pair<Rule>) -> Built<Assertion> {
        let span = self.span(&pair);
        let body = pair
            .clone()
            .into_inner()
            .next()
            .ok_or_else(|| self.internal(&pair, "assertion"))?;
        let mut parts = body.clone().into_inner();
        let kind = match body.as_rule() {
            Rule::assert_none_without => {
                let requirement = self.next(&body, &mut parts, Rule::requirement)?;
                let tier = self.next(&body, &mut parts, Rule::tier_ref)?;
                AssertionKind::NoneWithout(self.requirement(requirement)?, self.tier_ref(&tier)?)
            }
            Rule::assert_tier => {
                let tier = self.tier_ref(&self.next(&body, &mut parts, Rule::tier_ref)?)?;
                let claim = parts
                    .next()
                    .ok_or_else(|| self.internal(&body, "assertion claim"))?;
                let target = claim.clone().into_inner().next();
                match (claim.as_rule(), target) {
                    (Rule::assert_implies, Some(other)) => {
                        AssertionKind::Implies(tier, self.tier_ref(&other)?)
                    }
                    (Rule::assert_requires, Some(what)) => AssertionKind::RequiresSome(
                        tier,
                        if what.as_rule() == Rule::assert_experience {
                            Evidence::Experience
                        } else {
                            Evidence::Education
                        },
                    ),
                    _ => return Err(self.internal(&claim, "assertion")),
                }
            }
            _ => return Err(self.internal(&body, "assertion")),
        };
        Ok(Assertion { kind, span })
    }

    fn tier_ref(&self, pair: &Pair<Rule>) -> Built<TierRef> {
        let mut level = None;
        let mut tier = TierKind::Minimum;
        let mut kind_written = false;
        for part in pair.clone().into_inner() {
            match part.as_rule() {
                Rule::code => level = Some(self.name(&part)),
                Rule::tier_kind => {
                    kind_written = true;
                    if part.as_str() == "recommended" {
                        tier = TierKind::Recommended;
                    }
                }
                _ => {}
            }
        }
        let level = level.ok_or_else(|| self.internal(pair, "level of an assertion"))?;
        Ok(TierRef {
            level,
            tier,
            kind_written,
            span: self.span(pair),
        })
    }

    fn class(&self, pair: Pair<Rule>) -> Built<Class> {
        let mut code = None;
        let mut title = None;
        let mut statements = Vec::new();
        let mut levels = Vec::new();
        for part in Self::content(&pair) {
            let span = self.span(&part);
            let mut inner = Self::content(&part);
            let mut first = || inner.next();
            let statement = match part.as_rule() {
                Rule::code => {
                    code = Some(self.name(&part));
                    continue;
                }
                Rule::text => {
                    title = Some(self.text(&part));
                    continue;
                }
                Rule::level => {
                    levels.push(self.level(part)?);
                    continue;
                }
                Rule::note => Some(ClassStatement::Note(self.note(&part)?)),
                Rule::allow => Some(ClassStatement::Allow(self.allow(&part)?)),
                Rule::class_profile => {
                    first().map(|p| ClassStatement::Profile(self.name(&p), span))
                }
                Rule::class_source => first().map(|p| ClassStatement::Source(self.text(&p), span)),
                Rule::established => {
                    first().map(|p| ClassStatement::Established(self.date(&p), span))
                }
                Rule::revised => first().map(|p| ClassStatement::Revised(self.date(&p), span)),
                Rule::effective => first().map(|p| ClassStatement::Effective(self.date(&p), span)),
                Rule::statutory => first().map(|p| ClassStatement::Statutory(self.text(&p), span)),
                Rule::pay_scale_type => {
                    first().map(|p| ClassStatement::PayScaleType(self.text(&p), span))
                }
                Rule::bargaining_unit => {
                    first().map(|p| ClassStatement::BargainingUnit(self.text(&p), span))
                }
                Rule::civil_service => {
                    first().map(|p| ClassStatement::CivilService(self.text(&p), span))
                }
                Rule::board_change => first()
                    .zip(first())
                    .map(|(t, d)| ClassStatement::BoardChange(self.text(&t), self.date(&d), span)),
                Rule::assertion => Some(ClassStatement::Assert(Box::new(
                    self.assertion(part.clone())?,
                ))),
                _ => None,
            };
            statements.push(statement.ok_or_else(|| self.internal(&part, "class statement"))?);
        }
        let code = code.ok_or_else(|| self.internal(&pair, "class code"))?;
        Ok(Class {
            code,
            title,
            statements,
            levels,
            broken_parts: Vec::new(),
            broken_words: Vec::new(),
            span: self.span(&pair),
        })
    }

    fn level(&self, pair: Pair<Rule>) -> Built<Level> {
        let mut name = None;
        // The last two texts: the title (optional) and the level's class code.
        let mut title = None;
        let mut code = None;
        let mut band = None;
        let mut alt_band = None;
        let mut annotations = Vec::new();
        let mut tiers = Vec::new();
        for part in Self::content(&pair) {
            if let Some(annotation) = self.annotation(&part) {
                annotations.push(annotation?);
                continue;
            }
            match part.as_rule() {
                Rule::code => name = Some(self.name(&part)),
                Rule::text => title = code.replace(self.text(&part)),
                Rule::band => band = Some(self.band(&part)?),
                Rule::alt_band => alt_band = Some(self.band(&part)?),
                Rule::tier => tiers.push(self.tier(part)?),
                _ => return Err(self.internal(&part, "level")),
            }
        }
        match (name, code, band) {
            (Some(name), Some(code), Some(band)) => Ok(Level {
                name,
                title,
                code,
                band,
                alt_band,
                annotations,
                tiers,
                span: self.span(&pair),
            }),
            _ => Err(self.internal(&pair, "level")),
        }
    }

    fn band(&self, pair: &Pair<Rule>) -> Built<Band> {
        let value = self.next(pair, &mut pair.clone().into_inner(), Rule::band_value)?;
        let label = if pair.as_str().starts_with("pay") {
            BandLabel::PayScaleGroup
        } else {
            BandLabel::Band
        };
        Ok(Band {
            value: value.as_str().to_owned(),
            label,
            span: self.span(&value),
        })
    }
}

/// What a field set's or category's header holds besides its name.
#[derive(Default)]
struct Header {
    label: Option<Label>,
    label_after_description: bool,
    description: Option<Text>,
    notes: Vec<Note>,
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_and
            | Rule::kw_or
            | Rule::kw_of
            | Rule::kw_in
            | Rule::kw_that
            | Rule::kw_includes
            | Rule::kw_totaling
            | Rule::kw_substitute
            | Rule::kw_level
            | Rule::kw_accredited
            | Rule::kw_education
            | Rule::kw_any
            | Rule::kw_an
            | Rule::kw_equivalent
            | Rule::kw_combination
            | Rule::kw_note
            | Rule::kw_by
            | Rule::kw_label
            | Rule::kw_also
            | Rule::kw_allow
    )
}

/// The span of a node read from `start` to `end` of `input` (a part of a file that starts at
/// byte `base` of it), without the trailing white space and comment lines that pest's
/// repetitions leave inside a pair.
pub(super) fn trimmed_span(
    file: FileId,
    base: usize,
    input: &str,
    start: usize,
    end: usize,
) -> Span {
    let text = input.get(start..end).unwrap_or("");
    let len = if ends_with_token(text, end < input.len()) {
        text.len()
    } else {
        trimmed_len(text)
    };
    Span::new(file, base + start, base + start + len)
}

/// The value of a text: its strings' bodies (escapes still in) unescaped and joined, with a
/// space between two when neither has one at the join. The joined text is never longer
/// than its source (`capacity`): each piece loses its two quotes and gains at most one
/// space.
pub(super) fn joined_strings<'a>(
    capacity: usize,
    bodies: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut value = String::with_capacity(capacity);
    for raw in bodies {
        let needs_space = !value.is_empty()
            && !value.ends_with(char::is_whitespace)
            && !raw.starts_with(char::is_whitespace);
        if needs_space {
            value.push(' ');
        }
        unescape_into(&mut value, raw);
    }
    value
}

/// Whether a pair's `text` ends with a token rather than with white space or a comment, so
/// there is nothing to trim. White space and comments between tokens end with white space,
/// except a comment that runs to the end of the input; `before_end` says the pair ends
/// before the end of the input. A name, number or code never ends in white space, and
/// other white space (such as a no-break space) appears only inside strings and comments.
fn ends_with_token(text: &str, before_end: bool) -> bool {
    before_end
        && text
            .as_bytes()
            .last()
            .is_some_and(|b| !b.is_ascii_whitespace())
}

/// Length of `text` once trailing white space and whole trailing comment lines are cut.
fn trimmed_len(text: &str) -> usize {
    let mut text = text.trim_end();
    loop {
        let line_start = memchr::memrchr2(b'\n', b'\r', text.as_bytes()).map_or(0, |n| n + 1);
        let last_line = text.get(line_start..).unwrap_or("");
        if line_start > 0 && last_line.trim_start().starts_with('#') {
            text = text.get(..line_start).unwrap_or("").trim_end();
        } else {
            return text.len();
        }
    }
}

/// A string pair's text between its quotes, escapes still in.
fn string_body<'i>(string: &Pair<'i, Rule>) -> &'i str {
    let quoted = string.as_str();
    quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(quoted)
}

/// `text` with each run of white space between words made one space and any comment
/// between them left out, copied only when it has to change.
pub(super) fn words_single_spaced(text: &str) -> String {
    if !text.contains('#')
        && text
            .split(' ')
            .all(|word| !word.is_empty() && !word.contains(char::is_whitespace))
    {
        return text.to_owned();
    }
    text.split(['\n', '\r'])
        .map(|line| line.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    unescape_into(&mut out, raw);
    out
}

/// Appends `raw` to `out` with each `\x` replaced by `x`, copying the runs between escapes
/// whole.
fn unescape_into(out: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(backslash) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(rest.get(..backslash).unwrap_or(""));
        let mut escaped = rest.get(backslash + 1..).unwrap_or("").chars();
        if let Some(next) = escaped.next() {
            out.push(next);
        }
        rest = escaped.as_str();
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_between_unit_words_is_not_part_of_the_unit() {
        assert_eq!(words_single_spaced("semester  credits"), "semester credits");
        assert_eq!(
            words_single_spaced("semester # a note\n   credits"),
            "semester credits"
        );
        assert_eq!(
            words_single_spaced("semester #x\r\ncredits"),
            "semester credits"
        );
    }

    #[test]
    fn unescape_copies_plain_runs_and_drops_backslashes() {
        assert_eq!(unescape(r"plain text"), "plain text");
        assert_eq!(unescape(r#"say \"hi\" \\ done"#), r#"say "hi" \ done"#);
        assert_eq!(unescape(r"trailing \"), "trailing ");
        assert_eq!(unescape(r"café \\é"), r"café \é");
    }
}
