//! Checks classes, their levels and tiers, and resolves every requirement.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use super::Checker;
use super::model::{
    AcknowledgedWarning, CategoryId, Citation, ClassDef, CredentialNeed, EducationPart, LevelDef,
    NoteDef, ProfileDef, Req, SubstitutionDef, TierDef,
};
use super::quantities::{self, Dimension};
use super::vocabulary::{Vocab, repeated, unknown};
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{
    self, Class, ClassStatement, CombinationPart, ExperienceRef, Level, Requirement, Tier, TierKind,
};

/// Class metadata gathered from its statements.
#[derive(Default)]
struct Header {
    profile: Option<(String, Span)>,
    source: Option<(String, Span)>,
    established: Option<(Date, Span)>,
    revised: Option<(Date, Span)>,
    effective: Option<(Date, Span)>,
    statutory: Option<String>,
    pay_scale_type: Option<String>,
    bargaining_unit: Option<String>,
    civil_service: Option<String>,
    board_change: Option<(String, Date)>,
    notes: Vec<NoteDef>,
    acknowledged: Vec<AcknowledgedWarning>,
}

impl Checker {
    pub(crate) fn check_class(&mut self, class: &Class) {
        let header = self.class_header(class);
        let profile = header
            .profile
            .as_ref()
            .and_then(|(name, span)| self.resolve_profile(name, *span));
        // Taken out and put back, so the levels can be checked against the profile without
        // copying it for every class; nothing below declares or reads profiles.
        let profiles = std::mem::take(&mut self.model.profiles);
        let profile_def = profile.and_then(|id| profiles.get(id.0 as usize));
        let levels = self.check_levels(class, profile_def);
        let assertions = self.check_assertions(class, &levels, profile_def);
        self.model.profiles = profiles;
        let effective = self.effective_date(class, &header);
        let (Some(profile), Some(effective), Some(source)) =
            (profile, effective, header.source.clone())
        else {
            return;
        };
        self.model.classes.push(ClassDef {
            code: class.code.text.clone(),
            title: class
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            profile,
            source: source.0,
            source_span: source.1,
            established: header.established.map(|(d, _)| d),
            revised: header.revised.map(|(d, _)| d),
            effective,
            statutory: header.statutory,
            pay_scale_type: header.pay_scale_type,
            bargaining_unit: header.bargaining_unit,
            civil_service: header.civil_service,
            board_change: header.board_change,
            assertions,
            notes: header.notes,
            acknowledged: header.acknowledged,
            levels,
            span: class.code.span,
        });
    }

    fn class_header(&mut self, class: &Class) -> Header {
        let mut header = Header::default();
        let mut seen: BTreeMap<&'static str, Span> = BTreeMap::new();
        for statement in &class.statements {
            let span = statement.span();
            match statement {
                ClassStatement::Note(note) => {
                    header.notes.push(note_def(note));
                    continue;
                }
                ClassStatement::Assert(_) => {
                    // A class may state any number of assertions; they are checked with its levels.
                    continue;
                }
                ClassStatement::Allow(allow) => {
                    header.acknowledged.push(acknowledged(allow));
                    continue;
                }
                _ => {}
            }
            if let Some(first) = seen.insert(statement.keyword(), span) {
                self.report(repeated(statement.keyword(), span, first));
                continue;
            }
            match statement {
                ClassStatement::Note(_) | ClassStatement::Allow(_) => {}
                ClassStatement::Profile(name, _) => {
                    header.profile = Some((name.text.clone(), name.span))
                }
                ClassStatement::Source(text, _) => {
                    header.source = Some((text.value.clone(), text.span))
                }
                ClassStatement::Established(d, _) => {
                    header.established = self.ok(quantities::date(d)).map(|x| (x, d.span))
                }
                ClassStatement::Revised(d, _) => {
                    header.revised = self.ok(quantities::date(d)).map(|x| (x, d.span))
                }
                ClassStatement::Effective(d, _) => {
                    header.effective = self.ok(quantities::date(d)).map(|x| (x, d.span))
                }
                ClassStatement::Statutory(text, _) => header.statutory = Some(text.value.clone()),
                ClassStatement::PayScaleType(text, _) => {
                    header.pay_scale_type = Some(text.value.clone())
                }
                ClassStatement::BargainingUnit(text, _) => {
                    header.bargaining_unit = Some(text.value.clone())
                }
                ClassStatement::CivilService(text, _) => {
                    header.civil_service = Some(text.value.clone())
                }
                ClassStatement::BoardChange(text, d, _) => {
                    header.board_change = self
                        .ok(quantities::date(d))
                        .map(|x| (text.value.clone(), x));
                }
                ClassStatement::Assert(_) => {}
            }
        }
        for (keyword, absent, example) in [
            (
                "profile",
                header.profile.is_none() && !seen.contains_key("profile"),
                "profile new_mexico",
            ),
            (
                "source",
                header.source.is_none(),
                "source \"000_d8c2fb164fd20970.txt\"",
            ),
        ] {
            // A statement that did not parse may be the one missing.
            if absent && !class.may_have_lost(&[keyword]) {
                self.report(
                    Diagnostic::new(
                        Code::MissingStatement,
                        format!("class `{}` does not say `{keyword}`", class.code.text),
                        class.code.span,
                        "in this class",
                    )
                    .with_help(format!("add a line such as `{example}`")),
                );
            }
        }
        header
    }

    fn resolve_profile(&mut self, name: &str, span: Span) -> Option<super::model::ProfileId> {
        if let Some(&(id, _)) = self.profiles.get(name) {
            return Some(id);
        }
        if self.incomplete_profiles.contains(name) || self.defined_by_broken_item("profile", name) {
            return None;
        }
        let help = did_you_mean(name, "profile", self.profiles.keys().map(String::as_str));
        let name = ast::Name {
            text: name.to_owned(),
            span,
        };
        self.report(unknown(&name, "profile").with_help(help));
        None
    }

    /// Validates the order of the dates and picks the effective date.
    fn effective_date(&mut self, class: &Class, header: &Header) -> Option<Date> {
        if let (Some((established, first)), Some((revised, span))) =
            (header.established, header.revised)
            && revised < established
        {
            self.report(out_of_order("revised", span, first));
        }
        if let (Some((established, first)), Some((effective, span))) =
            (header.established, header.effective)
            && effective < established
        {
            self.report(out_of_order("effective", span, first));
        }
        let chosen = header
            .effective
            .or(header.revised)
            .or(header.established)
            .map(|(d, _)| d);
        let any_date_written = class.statements.iter().any(|s| {
            matches!(
                s,
                ClassStatement::Established(..)
                    | ClassStatement::Revised(..)
                    | ClassStatement::Effective(..)
            )
        });
        let dates = ["established", "revised", "effective", "board"];
        if chosen.is_none() && !any_date_written && !class.may_have_lost(&dates) {
            self.report(
                Diagnostic::new(
                    Code::MissingStatement,
                    format!("class `{}` has no date", class.code.text),
                    class.code.span,
                    "in this class",
                )
                .with_help(
                    "add `established YYYY-MM-DD`; `revised` and `effective` dates are optional",
                ),
            );
        }
        chosen
    }

    fn check_levels(&mut self, class: &Class, profile: Option<&ProfileDef>) -> Vec<LevelDef> {
        if class.levels.is_empty() && !class.may_have_lost(&["level"]) {
            self.report(
                Diagnostic::new(
                    Code::MissingMinimumTier,
                    format!(
                        "class `{}` has no levels, so no minimum tier",
                        class.code.text
                    ),
                    class.code.span,
                    "this class",
                )
                .with_help("add `level B code \"...\" band 50 { minimum: <requirement> }`"),
            );
        }
        let mut levels: Vec<LevelDef> = Vec::with_capacity(class.levels.len());
        let mut previous: Option<&Level> = None;
        for (index, level) in class.levels.iter().enumerate() {
            let earlier = class.levels.get(..index).unwrap_or(&[]);
            let same_name = |l: &&Level| l.name.text.eq_ignore_ascii_case(&level.name.text);
            if let Some(first) = earlier.iter().find(same_name) {
                self.report(duplicate_level(&level.name, &first.name));
                // Its body is still checked, so its own mistakes show in the same run.
                self.check_tiers(class, level, profile);
                continue;
            }
            if let Some(first) = earlier.iter().find(|l| l.code.value == level.code.value) {
                self.report(duplicate_level_code(level, first));
            }
            if let Some(prev) = previous {
                self.check_band_order(prev, level);
            }
            previous = Some(level);
            let tiers = self.check_tiers(class, level, profile);
            levels.push(LevelDef {
                name: level.name.text.clone(),
                title: level.title.as_ref().map(|t| t.value.clone()),
                code: level.code.value.clone(),
                band: level.band.value.clone(),
                band_label: level.band.label,
                alt_band: level.alt_band.as_ref().map(|b| b.value.clone()),
                notes: ast::notes_of(&level.annotations).map(note_def).collect(),
                acknowledged: ast::allows_of(&level.annotations)
                    .map(acknowledged)
                    .collect(),
                tiers,
                span: level.name.span,
            });
        }
        levels
    }

    fn check_band_order(&mut self, previous: &Level, level: &Level) {
        // Bands are compared as the whole numbers their digits write, of any length: a band
        // too large for a machine word must not pass over the comparison.
        let (before, now) = (
            band_number(&previous.band.value),
            band_number(&level.band.value),
        );
        if (now.len(), now) < (before.len(), before) {
            self.report(
                Diagnostic::new(
                    Code::LevelsOutOfOrder,
                    format!(
                        "level `{}` is on a lower band than level `{}` above it",
                        level.name.text, previous.name.text
                    ),
                    level.band.span,
                    format!("band {now}"),
                )
                .with_label(previous.band.span, format!("band {before}"))
                .with_help("list levels from lowest to highest, e.g. `B`, then `O`, then `A`"),
            );
        }
    }

    fn check_tiers(
        &mut self,
        class: &Class,
        level: &Level,
        profile: Option<&ProfileDef>,
    ) -> Vec<TierDef> {
        let mut tiers: Vec<TierDef> = Vec::with_capacity(level.tiers.len());
        let mut seen: BTreeMap<TierKind, Span> = BTreeMap::new();
        for tier in &level.tiers {
            if let Some(first) = seen.insert(tier.kind, tier.kind_span) {
                self.report(repeated(tier.kind.as_str(), tier.kind_span, first));
                continue;
            }
            if let Some(def) = self.check_tier(tier, profile) {
                tiers.push(def);
            }
        }
        // A tier that did not parse is already reported as a syntax error.
        if !seen.contains_key(&TierKind::Minimum) && !class.has_broken_part_in(level.span) {
            self.report(
                Diagnostic::new(
                    Code::MissingMinimumTier,
                    format!(
                        "level `{}` of class `{}` has no minimum tier",
                        level.name.text, class.code.text
                    ),
                    level.name.span,
                    "this level",
                )
                .with_help(
                    "every level needs `minimum: <requirement>`; it is the pass/fail screen",
                ),
            );
        }
        tiers.sort_by_key(|t| t.kind);
        tiers
    }

    fn check_tier(&mut self, tier: &Tier, profile: Option<&ProfileDef>) -> Option<TierDef> {
        self.lint_mixed_and_or(&tier.requirement);
        let requirement = self.requirement(&tier.requirement, profile);
        let substitutions: Vec<Option<SubstitutionDef>> = tier
            .substitutions
            .iter()
            .map(|s| self.substitution(s, profile))
            .collect();
        let substitutions = substitutions.into_iter().collect::<Option<Vec<_>>>()?;
        Some(TierDef {
            kind: tier.kind,
            citation: tier.citation.as_ref().map(citation),
            notes: ast::notes_of(&tier.annotations).map(note_def).collect(),
            acknowledged: ast::allows_of(&tier.annotations)
                .map(acknowledged)
                .collect(),
            requirement: requirement?,
            substitutions,
            span: tier.span,
            keyword_span: tier.kind_span,
        })
    }

    fn substitution(
        &mut self,
        sub: &ast::Substitution,
        profile: Option<&ProfileDef>,
    ) -> Option<SubstitutionDef> {
        let combination = &sub.combination;
        let mut education = None;
        let mut experience: Vec<CategoryId> = Vec::new();
        let mut failed = false;
        self.lint_named_twice(combination.parts.iter().flat_map(|part| match part {
            CombinationPart::Experience(reference) => reference.categories.as_slice(),
            CombinationPart::Education { .. } => &[],
        }));
        for part in &combination.parts {
            match part {
                CombinationPart::Education {
                    accredited,
                    fields,
                    span,
                } => {
                    let fields = match fields {
                        Some(name) => match self.field_set(name) {
                            Some(id) => Some(id),
                            None => {
                                failed = true;
                                None
                            }
                        },
                        None => None,
                    };
                    if education.is_some() {
                        self.report_second_education_part(*span);
                        failed = true;
                        continue;
                    }
                    education = Some(EducationPart {
                        accredited: *accredited,
                        fields,
                    });
                }
                CombinationPart::Experience(reference) => match self.categories(reference, profile)
                {
                    Some(ids) => {
                        for id in ids {
                            if !experience.contains(&id) {
                                experience.push(id);
                            }
                        }
                    }
                    None => failed = true,
                },
            }
        }
        let quarter = quarter_ratio(profile);
        let total = self.ok(quantities::positive(
            &combination.total,
            Dimension::Duration,
            quarter,
            Code::SubstitutionTotalNotPositive,
        ));
        let includes = match &combination.includes {
            Some(req) => {
                self.lint_mixed_and_or(req);
                Some(self.requirement(req, profile)?)
            }
            None => None,
        };
        if failed {
            return None;
        }
        Some(SubstitutionDef {
            citation: sub.citation.as_ref().map(citation),
            notes: ast::notes_of(&sub.annotations).map(note_def).collect(),
            acknowledged: ast::allows_of(&sub.annotations).map(acknowledged).collect(),
            kind: combination.kind,
            education,
            experience,
            total_months: total?,
            includes,
            span: sub.span,
            rule_span: combination.span,
        })
    }

    /// A combination counts one education part: a second one would have to say whether an
    /// entry counts under either part or both, so it is refused rather than read one way.
    fn report_second_education_part(&mut self, span: Span) {
        self.report(
            Diagnostic::new(
                Code::EducationTwiceInCombination,
                "this combination names education a second time",
                span,
                "second education part",
            )
            .with_help(
                "a combination counts education once: write one education part; for \
                 education in any of several field sets, declare a field set that includes \
                 them (`fields either { business health }`) and write `education in either`",
            ),
        );
    }

    fn categories(
        &mut self,
        reference: &ExperienceRef,
        profile: Option<&ProfileDef>,
    ) -> Option<Vec<CategoryId>> {
        let is_credential =
            |name: &str| profile.is_some_and(|p| p.credentials.iter().any(|c| c.name == name));
        let resolved: Vec<Option<CategoryId>> = reference
            .categories
            .iter()
            .map(|n| {
                if !self.vocabulary.contains_key(&n.text) && is_credential(&n.text) {
                    self.credential_as_category(n);
                    None
                } else {
                    self.category(n)
                }
            })
            .collect();
        resolved.into_iter().collect()
    }

    /// Q214 for an experience category named a second time in one list (`any of pe, pe`, or
    /// twice among a combination's parts): it counts once, so the second naming may have been
    /// meant as another category.
    fn lint_named_twice<'n>(&mut self, names: impl IntoIterator<Item = &'n ast::Name>) {
        let mut first_named: HashMap<&str, Span> = HashMap::new();
        for name in names {
            match first_named.entry(&name.text) {
                Entry::Occupied(first) => self.report(named_twice(name, *first.get())),
                Entry::Vacant(slot) => {
                    slot.insert(name.span);
                }
            }
        }
    }

    /// Resolves a requirement; reports every problem inside it before giving up.
    pub(crate) fn requirement(
        &mut self,
        req: &Requirement,
        profile: Option<&ProfileDef>,
    ) -> Option<Req> {
        let quarter = quarter_ratio(profile);
        match req {
            Requirement::Group(inner, _) => self.requirement(inner, profile),
            Requirement::AnyOf(items, span) | Requirement::AllOf(items, span) => {
                let resolved: Vec<Option<Req>> =
                    items.iter().map(|r| self.requirement(r, profile)).collect();
                let resolved = resolved.into_iter().collect::<Option<Vec<_>>>()?;
                Some(if matches!(req, Requirement::AnyOf(..)) {
                    Req::Any(resolved, *span)
                } else {
                    Req::All(resolved, *span)
                })
            }
            Requirement::Duration(amount, reference, span) => {
                let months = self.ok(quantities::positive(
                    amount,
                    Dimension::Duration,
                    quarter,
                    Code::NotPositive,
                ));
                self.lint_named_twice(&reference.categories);
                let categories = self.categories(reference, profile);
                Some(Req::Experience {
                    months: months?,
                    categories: categories?,
                    span: *span,
                })
            }
            Requirement::Credits(amount, subjects, span) => {
                let credits = self.ok(quantities::positive(
                    amount,
                    Dimension::Credits,
                    quarter,
                    Code::NotPositive,
                ));
                let subjects = self.field_set(subjects);
                Some(Req::Credits {
                    semester_credits: credits?,
                    subjects: subjects?,
                    span: *span,
                })
            }
            Requirement::Credential(c) => self.credential_need(c, profile).map(Req::Credential),
        }
    }

    fn credential_need(
        &mut self,
        c: &ast::CredentialReq,
        profile: Option<&ProfileDef>,
    ) -> Option<CredentialNeed> {
        let rank = self.credential_rank(&c.credential, profile);
        let fields = c.fields.as_ref().map(|name| self.field_set(name));
        let includes = match &c.includes {
            Some((amount, subjects)) => {
                let credits = self.ok(quantities::positive(
                    amount,
                    Dimension::Credits,
                    quarter_ratio(profile),
                    Code::NotPositive,
                ));
                let subjects = self.field_set(subjects);
                Some(credits.zip(subjects))
            }
            None => None,
        };
        Some(CredentialNeed {
            credential: c.credential.text.clone(),
            rank: rank?,
            fields: fields.map_or(Some(None), |f| f.map(Some))?,
            accredited: c.accredited,
            includes: includes.map_or(Some(None), |i| i.map(Some))?,
            span: c.span,
        })
    }

    fn credential_rank(&mut self, name: &ast::Name, profile: Option<&ProfileDef>) -> Option<u8> {
        let profile = profile?;
        if let Some(found) = profile.credential(&name.text) {
            return Some(found.rank);
        }
        let vocab = self.vocabulary.get(&name.text).map(|d| d.vocab);
        if vocab.is_some() {
            // Written where it does not fit, but written: not also "never used".
            self.mark_used(&name.text);
        }
        let diagnostic = match vocab {
            Some(Vocab::Category(_)) => Diagnostic::new(
                Code::WrongKindOfName,
                format!(
                    "`{}` is an experience category, not a credential",
                    name.text
                ),
                name.span,
                "a credential is needed here",
            )
            .with_help(format!("write a duration: `2 years of {}`", name.text)),
            Some(Vocab::FieldSet(_)) => Diagnostic::new(
                Code::WrongKindOfName,
                format!("`{}` is a field set, not a credential", name.text),
                name.span,
                "a credential is needed here",
            )
            .with_help(format!(
                "name the credential first: `bachelor in {}`",
                name.text
            )),
            None => unknown(name, "credential").with_help(format!(
                "{} (credentials come from profile `{}`)",
                did_you_mean(
                    &name.text,
                    "credential",
                    profile.credentials.iter().map(|c| c.name.as_str())
                ),
                profile.name
            )),
        };
        self.report(diagnostic);
        None
    }
}

fn quarter_ratio(profile: Option<&ProfileDef>) -> Option<super::model::Exact> {
    let profile = profile?;
    Some(profile.quarter_credits_per_year? / profile.semester_credits_per_year)
}

fn citation(c: &ast::Citation) -> Citation {
    Citation {
        section: c.section.value.clone(),
        quote: c
            .quote
            .as_ref()
            .map(|q| std::sync::Arc::from(q.value.as_str())),
        section_span: c.section.span,
        quote_span: c.quote.as_ref().map(|q| q.span),
    }
}

fn out_of_order(what: &str, span: Span, established: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DatesOutOfOrder,
        format!("{what} date is before the established date"),
        span,
        format!("{what} here"),
    )
    .with_label(established, "established here")
    .with_help("a class cannot change before it exists; check the year")
}

/// Level names are matched without regard to case (`--level b`), so `b` repeats `B`.
fn duplicate_level(name: &ast::Name, first: &ast::Name) -> Diagnostic {
    let (message, help) = if name.text == first.text {
        (
            format!("level `{}` is defined twice", name.text),
            "each level of a class needs its own name",
        )
    } else {
        (
            format!(
                "level `{}` differs from level `{}` only in letter case",
                name.text, first.text
            ),
            "level names are matched without regard to case (`--level`): give each level a name of its own",
        )
    };
    Diagnostic::new(
        Code::DuplicateLevel,
        message,
        name.span,
        "defined again here",
    )
    .with_label(first.span, "first defined here")
    .with_help(help)
}

fn duplicate_level_code(level: &Level, first: &Level) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateLevel,
        format!(
            "levels `{}` and `{}` share the class code \"{}\"",
            first.name.text, level.name.text, level.code.value
        ),
        level.code.span,
        "used again here",
    )
    .with_label(first.code.span, "first used here")
    .with_help("each level has its own class code, such as \"K9099B\" and \"K9099O\"")
}

/// A note of the syntax tree as the model keeps it.
pub(crate) fn note_def(note: &ast::Note) -> NoteDef {
    NoteDef {
        text: std::sync::Arc::from(note.text.value.as_str()),
        authority: note.authority.as_ref().map(|a| a.value.clone()),
        span: note.span,
    }
}

fn acknowledged(allow: &ast::Allow) -> AcknowledgedWarning {
    AcknowledgedWarning {
        code: allow.code.text.clone(),
        reason: allow.reason.value.clone(),
        span: allow.span,
    }
}

/// A band's digits without their leading zeros (`"0"` for zero): two bands compare as
/// numbers when compared by length, then digit by digit.
fn band_number(digits: &str) -> &str {
    match digits.trim_start_matches('0') {
        "" => "0",
        number => number,
    }
}

fn named_twice(name: &ast::Name, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::CategoryNamedTwice,
        format!("experience category `{}` is named twice", name.text),
        name.span,
        "named again here",
    )
    .with_label(first, "first named here")
    .with_help(
        "each day of experience counts once however often its category is named: remove the \
         second naming, or name the category that was meant",
    )
}
