//! The decision record's classes as JSON: each outcome nested in the one above it, as the
//! record states them, though an [`Evaluation`] keeps each kind of outcome in one list.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::outcome::{ClassOutcome, Evaluation, LevelOutcome, PathOutcome, TierOutcome, Via};

/// Every class of an evaluation, with its levels, tiers and paths nested.
pub(crate) struct Classes<'e, 'a>(pub(crate) &'e Evaluation<'a>);

/// One outcome with the evaluation that holds what it nests.
struct Nested<'e, 'a, T> {
    evaluation: &'e Evaluation<'a>,
    outcome: &'e T,
}

fn nested<'e, 'a, T>(
    evaluation: &'e Evaluation<'a>,
    outcomes: &'e [T],
) -> impl Iterator<Item = Nested<'e, 'a, T>> {
    outcomes.iter().map(move |outcome| Nested {
        evaluation,
        outcome,
    })
}

impl Serialize for Classes<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(nested(self.0, &self.0.classes))
    }
}

impl<'a> Serialize for Nested<'_, 'a, ClassOutcome<'a>> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let class = self.outcome;
        let levels = self.evaluation.levels(class);
        let mut out = s.serialize_struct("ClassOutcome", 6)?;
        out.serialize_field("code", class.code)?;
        out.serialize_field("title", class.title)?;
        out.serialize_field("profile", class.profile)?;
        out.serialize_field("version", &class.version)?;
        out.serialize_field("highest_level_met", &class.highest_level_met)?;
        out.serialize_field("levels", &Seq(|| nested(self.evaluation, levels)))?;
        out.end()
    }
}

impl<'a> Serialize for Nested<'_, 'a, LevelOutcome<'a>> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let level = self.outcome;
        let tiers = self.evaluation.level_tiers(level);
        let rules = level.rules;
        let mut out = s.serialize_struct("LevelOutcome", 10)?;
        out.serialize_field("level", level.level)?;
        out.serialize_field("title", &rules.title)?;
        out.serialize_field("code", level.code)?;
        out.serialize_field("band", level.band)?;
        out.serialize_field("band_kind", band_kind(rules.band_label))?;
        out.serialize_field("alt_band", &rules.alt_band)?;
        out.serialize_field("notes", &rules.annotations.notes)?;
        out.serialize_field("acknowledged", &rules.annotations.acknowledged)?;
        out.serialize_field("tiers", &Seq(|| nested(self.evaluation, tiers)))?;
        out.end()
    }
}

impl<'a> Serialize for Nested<'_, 'a, TierOutcome<'a>> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tier = self.outcome;
        let paths = self.evaluation.paths(tier);
        let mut out = s.serialize_struct("TierOutcome", 6)?;
        out.serialize_field("key", &tier.key)?;
        out.serialize_field("tier", tier.tier.as_str())?;
        out.serialize_field("met", &tier.met)?;
        out.serialize_field("via", &tier.via)?;
        out.serialize_field("citation", &tier.citation)?;
        out.serialize_field("notes", &tier.annotations.notes)?;
        out.serialize_field("acknowledged", &tier.annotations.acknowledged)?;
        out.serialize_field("paths", &Seq(|| nested(self.evaluation, paths)))?;
        out.end()
    }
}

/// A path: which one (`"path"`, and `"clause"` for a substitution), then its verdict,
/// citation, arithmetic and shortfalls.
impl<'a> Serialize for Nested<'_, 'a, PathOutcome<'a>> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let path = self.outcome;
        let mut out = s.serialize_map(None)?;
        match path.via {
            Via::Direct => out.serialize_entry("path", "direct")?,
            Via::Substitution { clause } => {
                out.serialize_entry("path", "substitution")?;
                out.serialize_entry("clause", &clause)?;
            }
        }
        out.serialize_entry("met", &path.met)?;
        out.serialize_entry("citation", &path.citation())?;
        out.serialize_entry("quote", &path.quote())?;
        out.serialize_entry("combination", &path.combination)?;
        if let Some(annotations) = path.annotations {
            out.serialize_entry("notes", &annotations.notes)?;
            out.serialize_entry("acknowledged", &annotations.acknowledged)?;
        }
        out.serialize_entry("shortfalls", &self.evaluation.shortfalls(path))?;
        out.end()
    }
}

/// How the rules name a level's band: `band` (New Mexico) or `pay_scale_group`
/// (Pennsylvania).
fn band_kind(label: crate::syntax::ast::BandLabel) -> &'static str {
    match label {
        crate::syntax::ast::BandLabel::Band => "band",
        crate::syntax::ast::BandLabel::PayScaleGroup => "pay_scale_group",
    }
}

/// A sequence serialised from an iterator made when it is written.
pub(crate) struct Seq<F>(pub(crate) F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// The profiles the record's classes are judged by, by name: each with its jurisdiction
/// and the notes on its statements (where a credential's worth, a year of education or
/// full time comes from).
pub(crate) struct Profiles<'e, 'a>(pub(crate) &'e Evaluation<'a>);

#[derive(Serialize)]
struct ProfileRecord<'p> {
    jurisdiction: &'p str,
    notes: &'p [crate::compile::ProfileNoteInfo],
}

impl Serialize for Profiles<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let program = self.0.facts.program;
        let names: std::collections::BTreeSet<&str> =
            self.0.classes.iter().map(|c| c.profile).collect();
        let mut out = s.serialize_map(Some(names.len()))?;
        for name in names {
            if let Some(profile) = program.profiles().iter().find(|p| &*p.name == name) {
                let record = ProfileRecord {
                    jurisdiction: &profile.jurisdiction,
                    notes: &profile.notes,
                };
                out.serialize_entry(name, &record)?;
            }
        }
        out.end()
    }
}
