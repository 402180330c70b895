//! Evaluation commands: `:eval`, `:explain`, `:gap`, `:why`, `:whatif`, `:baseline`, `:diff`, and
//! requirements typed in the rule language.

use super::commands::parse_edit;
use super::editing;
use super::words::Word;
use super::{ReplError, Response, Session, State};
use crate::check::check_requirement;
use crate::diagnostics::render::render;
use crate::eval::{
    self, CombinationFigure, Evaluation, Query, QueryError, TierKey, TierOutcome, Via,
};
use crate::explain;
use crate::source::SourceFile;
use crate::syntax::parse_requirement;

/// The name of the source a typed requirement becomes, for diagnostics.
pub const INPUT_NAME: &str = "<input>";

/// What one tier came to: met or not, and by which path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    met: bool,
    via: Option<Via>,
    /// The citation of each path, direct first.
    citations: Vec<Option<String>>,
    /// The shortfalls of each path, in words.
    shortfalls: Vec<Vec<String>>,
    /// The arithmetic of each path that is a combination clause.
    sums: Vec<Option<String>>,
}

impl Outcome {
    fn of(evaluation: &Evaluation<'_>, tier: &TierOutcome<'_>) -> Outcome {
        let paths = evaluation.paths(tier);
        Outcome {
            met: tier.met,
            via: tier.via,
            citations: paths
                .iter()
                .map(|p| p.citation().map(str::to_owned))
                .collect(),
            shortfalls: paths
                .iter()
                .map(|p| {
                    let lacks = evaluation.shortfalls(p);
                    if lacks.is_empty() {
                        Vec::new()
                    } else {
                        vec![lacks.describe_all_prose()]
                    }
                })
                .collect(),
            sums: paths
                .iter()
                .map(|p| p.combination.as_ref().map(sum))
                .collect(),
        }
    }

    /// `: 2 years of education + 3 years of experience = 5 years ≥ 4 years`, for a
    /// combination clause.
    fn path_sum(&self, via: Via) -> String {
        self.sums
            .get(Self::path_index(via))
            .cloned()
            .flatten()
            .map(|s| format!(": {s}"))
            .unwrap_or_default()
    }

    fn path_index(via: Via) -> usize {
        match via {
            Via::Direct => 0,
            Via::Substitution { clause } => clause as usize,
        }
    }

    /// `substitution 1 (Operational › Minimum Qualifications)`.
    fn path_name(&self, via: Via) -> String {
        match self.citations.get(Self::path_index(via)).cloned().flatten() {
            Some(citation) => format!("{via} ({citation})"),
            None => via.to_string(),
        }
    }

    fn path_shortfalls(&self, via: Via) -> String {
        self.shortfalls
            .get(Self::path_index(via))
            .map(|s| s.join("; "))
            .unwrap_or_default()
    }
}

/// A tier by name, kept beyond the rules it was evaluated under (a baseline outlives a
/// reload).
#[derive(Clone, Debug, PartialEq, Eq)]
struct TierName {
    class: String,
    level: String,
    tier: crate::syntax::ast::TierKind,
}

impl TierName {
    fn of(key: &TierKey<'_>) -> TierName {
        TierName {
            class: key.class.to_owned(),
            level: key.level.to_owned(),
            tier: key.tier,
        }
    }
}

/// Every tier outcome of one evaluation, in evaluation order (class, level, tier).
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    outcomes: Vec<(TierName, Outcome)>,
    as_of: Option<jiff::civil::Date>,
}

impl Baseline {
    fn of(evaluation: &Evaluation<'_>) -> Baseline {
        Baseline {
            outcomes: evaluation
                .tiers()
                .map(|t| (TierName::of(&t.key), Outcome::of(evaluation, t)))
                .collect(),
            as_of: Some(evaluation.as_of),
        }
    }

    fn get(&self, key: &TierName) -> Option<&Outcome> {
        self.outcomes.iter().find(|(k, _)| k == key).map(|(_, o)| o)
    }
}

/// A combination clause's arithmetic in words.
fn sum(figure: &CombinationFigure) -> String {
    explain::combination_sum(figure)
}

/// Refuses to evaluate an applicant holding names the rules in use do not define (loaded or
/// edited under other rules): evaluation would count such a job or degree for nothing, where
/// `qualify eval` refuses the file.
pub(super) fn fits_the_rules(
    loaded: &super::rules::Loaded,
    applicant: &crate::applicant::Applicant,
) -> Result<(), ReplError> {
    let unknown = unknown_names(&loaded.program, applicant);
    if unknown.is_empty() {
        return Ok(());
    }
    Err(ReplError::new(format!(
        "the applicant names what the rules in use do not define: {}",
        unknown.join("; ")
    ))
    .with_help(
        "change or remove those entries (`:set`, `:remove`), or load rules that define them",
    ))
}

/// The applicant's names `program` does not define, each as `job 2: experience category
/// `x``, found through the program's own lookups (as evaluation matches them, exactly).
fn unknown_names(
    program: &crate::compile::Program,
    applicant: &crate::applicant::Applicant,
) -> Vec<String> {
    let credentials = applicant
        .education
        .iter()
        .enumerate()
        .filter(|(_, e)| program.credential_name_id(&e.credential).is_none())
        .map(|(i, e)| format!("edu {}: credential `{}`", i + 1, e.credential));
    let categories = applicant
        .experience
        .iter()
        .enumerate()
        .flat_map(|(i, job)| {
            job.categories
                .iter()
                .filter(|c| program.category_id(c).is_none())
                .map(move |c| format!("job {}: experience category `{c}`", i + 1))
        });
    credentials.chain(categories).collect()
}

fn query_error(error: &QueryError) -> ReplError {
    ReplError::new(format!("{}: {error}", error.code())).with_help(error.help())
}

/// `K9099 O minimum`.
fn key_text(key: &TierName) -> String {
    format!("{} {} {}", key.class, key.level, key.tier.as_str())
}

/// One line per tier whose outcome changed between `before` and `after`, in evaluation
/// order, and per tier evaluated on one side only (a date change brings a version into force
/// or out of it). With `flips_only`, a tier still met (by another path) is not listed.
fn changes(before: &Baseline, after: &Baseline, flips_only: bool) -> Vec<String> {
    let mut keys: Vec<&TierName> = after.outcomes.iter().map(|(k, _)| k).collect();
    for (key, _) in &before.outcomes {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let mut changed: Vec<(String, String)> = Vec::new();
    for key in keys {
        let line = match (before.get(key), after.get(key)) {
            (Some(old), Some(new)) if old.met != new.met => Some(flip(old, new)),
            (Some(old), Some(new)) if !flips_only && old.via != new.via => Some(format!(
                "✔ → ✔  was via {}, now via {}",
                old.via.map_or_else(String::new, |v| old.path_name(v)),
                new.via.map_or_else(String::new, |v| new.path_name(v))
            )),
            (None, Some(_)) => Some("now evaluated".to_owned()),
            (Some(_), None) => Some("no longer evaluated".to_owned()),
            _ => None,
        };
        if let Some(line) = line {
            changed.push((key_text(key), line));
        }
    }
    let width = changed
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    changed
        .into_iter()
        .map(|(key, line)| format!("  {key:<width$}  {line}"))
        .collect()
}

/// `✘ → ✔  via …` or `✔ → ✘  … fails: needs …`.
fn flip(old: &Outcome, new: &Outcome) -> String {
    match (old.via, new.via) {
        (_, Some(via)) => format!("✘ → ✔  via {}{}", new.path_name(via), new.path_sum(via)),
        (Some(via), None) => format!(
            "✔ → ✘  {} fails: {}",
            new.path_name(via),
            new.path_shortfalls(via)
        ),
        (None, None) => "✘ → ✘".to_owned(),
    }
}

impl Session {
    /// The query for `[CLASS [LEVEL]]`, with names matched without regard to case.
    fn query(&self, args: &[Word]) -> Result<Query, ReplError> {
        let loaded = self.loaded()?;
        let mut query = Query::new(self.state.as_of);
        match args {
            [] => {}
            [class] => query = query.class(loaded.vocabulary.class(&class.text)?),
            [class, level] => {
                let class = loaded.vocabulary.class(&class.text)?;
                let level = loaded.vocabulary.level(&class, &level.text)?;
                query = query.class(class).level(level);
            }
            [_, _, extra, ..] => {
                return Err(ReplError::new(format!("unexpected `{}`", extra.text))
                    .with_help("give a class code and optionally a level, e.g. `K9099 O`"));
            }
        }
        Ok(query)
    }

    fn evaluate<'a>(
        &'a self,
        state: &'a State,
        query: &Query,
        traced: bool,
    ) -> Result<Evaluation<'a>, ReplError> {
        let loaded = self.loaded()?;
        fits_the_rules(loaded, &state.applicant)?;
        let query = Query {
            as_of: state.as_of,
            ..query.clone()
        };
        let result = if traced {
            eval::evaluate_traced(&loaded.program, &state.applicant, &query)
        } else {
            eval::evaluate(&loaded.program, &state.applicant, &query)
        };
        result.map_err(|e| query_error(&e))
    }

    pub(super) fn eval(&mut self, args: &[Word]) -> Result<String, ReplError> {
        let query = self.query(args)?;
        let evaluation = self.evaluate(&self.state, &query, false)?;
        Ok(explain::labelled_table(
            &self.loaded()?.program,
            &evaluation,
        ))
    }

    pub(super) fn explain(&mut self, args: &[Word]) -> Result<String, ReplError> {
        if args.is_empty() {
            return Err(ReplError::new("say which class to explain")
                .with_help("write `:explain CLASS [LEVEL]`, e.g. `:explain K9099 O`"));
        }
        let query = self.query(args)?;
        let evaluation = self.evaluate(&self.state, &query, true)?;
        Ok(explain::tree(&self.loaded()?.program, &evaluation))
    }

    pub(super) fn gap(&mut self, args: &[Word]) -> Result<String, ReplError> {
        if args.is_empty() {
            return Err(
                ReplError::new("say which class (and, if you like, which level)")
                    .with_help("write `:gap CLASS [LEVEL]`, e.g. `:gap K9099 A`"),
            );
        }
        let query = self.query(args)?;
        let evaluation = self.evaluate(&self.state, &query, false)?;
        let mut text = format!("gap as of {}\n", evaluation.as_of);
        for class in &evaluation.classes {
            for level in evaluation.levels(class) {
                text.push_str(&format!(
                    "{} level {} ({}, {})\n",
                    class.code,
                    level.level,
                    level.code,
                    explain::band_words(level.rules)
                ));
                text.push_str(&notes(&level.rules.annotations, "  "));
                for tier in evaluation.level_tiers(level) {
                    text.push_str(&tier_gap(&evaluation, tier));
                }
            }
        }
        let program = &self.loaded()?.program;
        text.push_str(&explain::glossary(
            program,
            explain::mentioned(program, &text),
        ));
        Ok(text)
    }

    pub(super) fn why(&mut self, args: &[Word]) -> Result<String, ReplError> {
        if args.is_empty() {
            return Err(ReplError::new("say which class")
                .with_help("write `:why CLASS [LEVEL]`, e.g. `:why G1099 A`"));
        }
        let query = self.query(args)?;
        let evaluation = self.evaluate(&self.state, &query, true)?;
        Ok(explain::why(&self.loaded()?.program, &evaluation))
    }

    pub(super) fn what_if(&mut self, args: &[Word]) -> Result<String, ReplError> {
        let edit = parse_edit(self, args)?;
        let mut after = self.state.clone();
        let done = editing::apply(&edit, &mut after)?;
        let all = Query::new(self.state.as_of);
        let before = Baseline::of(&self.evaluate(&self.state, &all, false)?);
        let changed = Baseline::of(&self.evaluate(&after, &all, false)?);
        let lines = changes(&before, &changed, true);
        // The edit as the command that makes it would be written: names as typed, never
        // labelled, and the applicant's own words as written.
        let mut text = format!("what if: {}\n", explain::verbatim(&done));
        if lines.is_empty() {
            text.push_str("  no outcome flips\n");
        } else {
            for line in &lines {
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push_str("(the applicant is unchanged)\n");
        Ok(text)
    }

    pub(super) fn set_baseline(&mut self) -> Result<String, ReplError> {
        let evaluation = self.evaluate(&self.state, &Query::new(self.state.as_of), false)?;
        let baseline = Baseline::of(&evaluation);
        let met = baseline.outcomes.iter().filter(|(_, o)| o.met).count();
        let text = format!(
            "baseline kept: {} tiers, {met} met, as of {}\n",
            baseline.outcomes.len(),
            evaluation.as_of
        );
        drop(evaluation);
        self.baseline = Some(baseline);
        Ok(text)
    }

    pub(super) fn diff(&mut self) -> Result<String, ReplError> {
        let Some(baseline) = &self.baseline else {
            return Err(ReplError::new("no baseline yet").with_help(
                "keep the current outcomes with `:baseline`, then change the applicant",
            ));
        };
        let evaluation = self.evaluate(&self.state, &Query::new(self.state.as_of), false)?;
        let now = Baseline::of(&evaluation);
        let lines = changes(baseline, &now, false);
        let since = baseline
            .as_of
            .map(|d| format!(" (baseline as of {d}, now as of {})", evaluation.as_of))
            .unwrap_or_default();
        let mut text = format!("changes since the baseline{since}:\n");
        if lines.is_empty() {
            text.push_str("  none\n");
        }
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
        Ok(text)
    }

    /// `text` with field sets and categories named by their labels, when rules are loaded.
    pub(super) fn with_labels(&self, text: String) -> String {
        match self.loaded() {
            Ok(loaded) => explain::labelled(&loaded.program, &text),
            Err(_) => text,
        }
    }

    /// Parses, checks and evaluates a requirement typed in the rule language: its warnings,
    /// then its evaluation tree.
    pub(super) fn expression(&mut self, text: &str) -> Response {
        match self.try_expression(text) {
            Ok(answer) => Response::text(answer),
            Err(mut failure) => {
                failure.push_str(&command_hint(text));
                Response::failed(failure)
            }
        }
    }

    fn try_expression(&self, text: &str) -> Result<String, String> {
        let loaded = self.loaded().map_err(|e| e.render())?;
        fits_the_rules(loaded, &self.state.applicant).map_err(|e| e.render())?;
        let mut sources = loaded.checked.sources().clone();
        let file = sources.add(SourceFile::new(INPUT_NAME, text));
        let rendered = |d: &crate::diagnostics::Diagnostic| {
            render(d, &sources, self.options.style, self.options.width)
        };
        let requirement = parse_requirement(file, text).map_err(|d| rendered(&d))?;
        let Some(profile) = loaded.checked.model().classes.first().map(|c| c.profile) else {
            return Err(
                ReplError::new("the rules define no class, so no profile to judge by").render(),
            );
        };
        let (checked, diagnostics) = check_requirement(&loaded.checked, profile, &requirement);
        let mut out: String = diagnostics.iter().map(rendered).collect();
        let Some(req) = checked else {
            return Err(out);
        };
        let trace = eval::evaluate_requirement(
            &loaded.program,
            profile,
            &req,
            &self.state.applicant,
            self.state.as_of,
        )
        .map_err(|inexact| query_error(&QueryError::Inexact(inexact)).render())?;
        let words = explain::audit::requirement(
            &loaded.program,
            &self.state.applicant,
            self.state.as_of,
            &trace,
        );
        // The tree names field sets and categories by their labels; the diagnostics above it
        // quote the typed text as typed, so that their marks fall on what they mark.
        out.push_str(&explain::labelled_requirement_tree(&loaded.program, &words));
        // Credentials, units and full time follow the first class's profile: where the
        // rules have several, the answer says which it was.
        let model = loaded.checked.model();
        if model.profiles.len() > 1
            && let (Some(first), Some(used)) = (model.classes.first(), model.profile(profile))
        {
            out.push_str(&format!(
                "  (judged under profile `{}`, that of {}, the first class; its credentials, units and full time apply)\n",
                used.name, first.code
            ));
        }
        Ok(out)
    }
}

/// A hint when a typed line that is not a requirement starts with a command's name.
fn command_hint(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    match super::help::find(first) {
        Some(command) => format!(
            "  help: commands start with `:`; did you mean `:{}`?\n",
            command.name
        ),
        None => String::new(),
    }
}

/// One tier of `:gap`: met, or each path with what it lacks.
fn tier_gap(evaluation: &Evaluation<'_>, tier: &TierOutcome<'_>) -> String {
    let outcome = Outcome::of(evaluation, tier);
    let kind = tier.tier.as_str();
    if let Some(via) = tier.via {
        return format!(
            "  {kind}: ✔ met via {}{}\n",
            outcome.path_name(via),
            outcome.path_sum(via)
        );
    }
    let mut text = format!("  {kind}: ✘ not met\n");
    text.push_str(&notes(tier.annotations, "    "));
    for path in evaluation.paths(tier) {
        let lacks = evaluation.shortfalls(path);
        let lacks = if lacks.is_empty() {
            "nothing computed".to_owned()
        } else {
            lacks.describe_all_prose()
        };
        text.push_str(&format!("    {}: {lacks}\n", outcome.path_name(path.via)));
        if let Some(figure) = &path.combination {
            text.push_str(&format!("      so far {}\n", sum(figure)));
        }
        if let Some(annotations) = path.annotations {
            text.push_str(&notes(annotations, "      "));
        }
    }
    text
}

/// The notes and acknowledged warnings of a level, tier or clause, one line each.
fn notes(annotations: &crate::compile::Annotations, indent: &str) -> String {
    let mut text = String::new();
    explain::annotation_lines(annotations, indent, &mut text);
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::super::tests::{failing, ok, session};

    fn sam(session: &mut super::Session) {
        ok(session, ":new \"Sam Ortiz\"");
        ok(session, ":add edu high_school");
        ok(
            session,
            ":add job clerk public_program_experience 2021-01-01..2023-12-31",
        );
    }

    #[test]
    fn whatif_shows_the_substitution_flip_and_changes_nothing() {
        let (mut session, _) = session();
        sam(&mut session);
        let before = session.state().clone();
        let text = ok(
            &mut session,
            ":whatif add edu associate \"Public Health\" accredited",
        );
        assert!(
            text.contains("K9099 O minimum  ✘ → ✔  via substitution 1"),
            "{text}"
        );
        assert!(!text.contains("K9099 B minimum"), "{text}");
        assert_eq!(session.state(), &before);
    }

    #[test]
    fn a_lost_outcome_names_the_failing_path_and_its_shortfall() {
        let (mut session, _) = session();
        sam(&mut session);
        let text = ok(&mut session, ":whatif remove job 1");
        assert!(
            text.contains("K9099 B minimum  ✔ → ✘  direct")
                && text.contains("needs 6 months more of “Public program experience”"),
            "{text}"
        );
    }

    #[test]
    fn diff_against_the_baseline_lists_what_changed() {
        let (mut session, _) = session();
        sam(&mut session);
        failing(&mut session, ":diff");
        ok(&mut session, ":baseline");
        assert!(ok(&mut session, ":diff").contains("none"));
        ok(&mut session, ":add edu associate \"Finance\"");
        let text = ok(&mut session, ":diff");
        assert!(text.contains("K9099 O minimum"), "{text}");
    }

    #[test]
    fn saved_applicant_loads_back_with_identical_outcomes() {
        let (mut session, files) = session();
        sam(&mut session);
        ok(&mut session, ":set job 1 hours 30");
        let before = ok(&mut session, ":eval");
        ok(&mut session, ":save sam.toml");
        assert!(files.get(std::path::Path::new("sam.toml")).is_some());
        ok(&mut session, ":new");
        ok(&mut session, ":load sam.toml");
        assert_eq!(ok(&mut session, ":eval"), before);
    }

    #[test]
    fn typed_requirement_is_evaluated_with_a_trace() {
        let (mut session, _) = session();
        sam(&mut session);
        let text = ok(
            &mut session,
            "high_school and 2 years of public_program_experience",
        );
        assert!(text.starts_with("✔ met"), "{text}");
        let text = failing(&mut session, "hihg_school");
        assert!(text.contains("did you mean `high_school`?"), "{text}");
        assert!(text.contains("<input>"), "{text}");
    }

    #[test]
    fn unknown_class_and_level_suggest_the_nearest() {
        let (mut session, _) = session();
        let text = failing(&mut session, ":eval K9909");
        assert!(text.contains("did you mean `K9099`?"), "{text}");
        let text = failing(&mut session, ":gap K9099 Q");
        assert!(text.contains("class `K9099` has no level `Q`"), "{text}");
    }
}
