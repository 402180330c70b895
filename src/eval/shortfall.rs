//! Shortfalls: what a path lacks, computed from the facts and the thresholds.
//!
//! Amounts are exact, with a whole-unit ceiling for notices. An `and` lacks what each of its
//! unmet parts lacks; an `or` lacks any one of its alternatives in full.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::check::model::Exact;
use crate::compile::{Node, NodeId, SubstitutionProgram};

use super::exact::at_least;
use super::facts::Facts;
use super::outcome::{
    CombinationFigure, CredentialLack, CreditAmount, Lacks, Months, Run, Shortfall, ceil,
};

/// The shortfall lists of an evaluation being built. The shortfalls of the path being
/// evaluated are the end of `top`; an `AnyOf` keeps its alternatives in `nested`, each a
/// run listed in `alternatives`, so that no shortfall owns another list.
#[derive(Debug, Default)]
pub(crate) struct LackLists<'a> {
    pub(crate) top: Vec<Shortfall<'a>>,
    pub(crate) nested: Vec<Shortfall<'a>>,
    pub(crate) alternatives: Vec<Run>,
}

impl<'a> LackLists<'a> {
    /// Lists with room for `top` shortfalls before the first growth.
    pub(crate) fn with_capacity(top: usize) -> LackLists<'a> {
        LackLists {
            top: Vec::with_capacity(top),
            nested: Vec::new(),
            alternatives: Vec::new(),
        }
    }

    /// The end of each list, to go back to.
    fn marks(&self) -> (usize, usize, usize) {
        (self.top.len(), self.nested.len(), self.alternatives.len())
    }

    /// Forgets everything added since `marks`.
    fn truncate(&mut self, (top, nested, alternatives): (usize, usize, usize)) {
        self.top.truncate(top);
        self.nested.truncate(nested);
        self.alternatives.truncate(alternatives);
    }
}

/// Whether node `id` holds; when it does not, appends what it lacks to `out`. One walk
/// answers both: an `and` lacks what each of its unmet children lacks, an `or` lacks any
/// one of its alternatives in full (and nothing once one holds).
pub(crate) fn walk<'a>(facts: &mut Facts<'a>, id: NodeId, out: &mut LackLists<'a>) -> bool {
    let tree = facts.tree;
    let Some(node) = tree.node(id) else {
        return false;
    };
    match node {
        Node::All { .. } => {
            let mut met = true;
            for child in tree.children(node) {
                met &= walk(facts, *child, out);
            }
            met
        }
        Node::Any { .. } => any(facts, tree.children(node), out),
        leaf => leaf_walk(facts, leaf, out),
    }
}

/// An `or`: met as soon as one alternative holds (its siblings' lacks are dropped);
/// otherwise one `AnyOf` whose alternatives are what each child lacks, moved from the end
/// of `top` to `nested`.
fn any<'a>(facts: &mut Facts<'a>, children: &[NodeId], out: &mut LackLists<'a>) -> bool {
    let marks = out.marks();
    let mark = marks.0;
    let mut ends: SmallVec<[usize; 4]> = SmallVec::new();
    for child in children {
        if walk(facts, *child, out) {
            out.truncate(marks);
            return true;
        }
        ends.push(out.top.len());
    }
    let first_alternative = out.alternatives.len();
    let moved_to = out.nested.len();
    let mut start = mark;
    for end in ends {
        out.alternatives.push(Run::between(
            moved_to + (start - mark),
            moved_to + (end - mark),
        ));
        start = end;
    }
    out.nested.extend(out.top.drain(mark..));
    out.top.push(Shortfall::AnyOf {
        alternatives: Run::between(first_alternative, out.alternatives.len()),
    });
    false
}

/// Whether a leaf holds; when it does not, appends what it lacks to `out`.
fn leaf_walk<'a>(facts: &mut Facts<'a>, node: &'a Node, out: &mut LackLists<'a>) -> bool {
    let out = &mut out.top;
    let tree = facts.tree;
    match node {
        Node::All { .. } | Node::Any { .. } => true,
        Node::Credential {
            key, rank, need, ..
        } => {
            if facts.credential(*key).rank.is_some_and(|r| r >= *rank) {
                return true;
            }
            if let Some(need) = tree.need(*need) {
                out.push(Shortfall::Credential(CredentialLack {
                    credential: &need.credential,
                    need: &need.names,
                }));
            }
            false
        }
        Node::Experience { key, months, .. } => {
            let have = facts.experience(*key).months;
            if at_least(have, *months) {
                return true;
            }
            let lack = facts.lack(*months, have);
            out.push(Shortfall::Experience {
                months: Months(lack),
                whole_months: ceil(lack),
                categories: tree.experience_key(*key).map_or(&[], |k| &k.names),
            });
            false
        }
        Node::Credits { key, credits, .. } => {
            let have = facts.credits(*key);
            if at_least(have, *credits) {
                return true;
            }
            let lack = facts.lack(*credits, have);
            out.push(Shortfall::Credits {
                credits: CreditAmount(lack),
                whole_credits: ceil(lack),
                subjects: tree.credit_subjects(*key),
            });
            false
        }
    }
}

/// Appends the months a combination clause's total lacks.
pub(crate) fn of_total<'a>(
    facts: &mut Facts<'a>,
    sub: &SubstitutionProgram,
    figure: &CombinationFigure,
    out: &mut LackLists<'a>,
) {
    let out = &mut out.top;
    if at_least(figure.credited.0, figure.required.0) {
        return;
    }
    let lack: Exact = facts.lack(figure.required.0, figure.credited.0);
    out.push(Shortfall::Total {
        months: Months(lack),
        whole_months: ceil(lack),
        categories: sub
            .experience
            .and_then(|k| facts.tree.experience_key(k))
            .map_or(&[], |k| &k.names),
    });
}

impl Lacks<'_, '_> {
    /// One of these shortfalls in words, fit for a notice: "needs 7 months more of
    /// program_experience".
    pub fn describe(&self, item: &Shortfall<'_>) -> String {
        format!("needs {}", self.lack(item, Style::Names))
    }

    /// What a whole path lacks, with unambiguous grouping: one item reads as it is;
    /// several read "both A and B" or "all of: A, B and C", an alternative in parentheses.
    pub fn describe_all(&self) -> String {
        format!("needs {}", self.lack_all(Style::Names))
    }

    /// [`Lacks::describe_all`] for a notice to a person: field sets by their prose
    /// ("in Business Administration, Healthcare Administration, Statistics, or Finance").
    pub fn describe_all_prose(&self) -> String {
        format!("needs {}", self.lack_all(Style::Prose))
    }

    /// A shortfall without the leading "needs".
    fn lack(&self, item: &Shortfall<'_>, style: Style) -> String {
        match item {
            Shortfall::Experience {
                months,
                whole_months,
                categories,
            } => format!(
                "{} of {}{}",
                more_months(*whole_months),
                join(categories),
                rounded(months.0, *whole_months)
            ),
            Shortfall::Credential(lack) => {
                let mut text = format!("{} or higher", with_article(lack.title()));
                if lack.accredited() {
                    text.push_str(" from an accredited school");
                }
                let fields = match style {
                    Style::Prose => lack.fields_description().or(lack.fields()),
                    Style::Names => lack.fields(),
                };
                if let Some(fields) = fields {
                    text.push_str(&format!(" in {fields}"));
                }
                if let Some(included) = lack.includes() {
                    text.push_str(&format!(
                        " that includes {} in {}",
                        included.credits.display(),
                        included.subjects
                    ));
                }
                text
            }
            Shortfall::Credits {
                credits,
                whole_credits,
                subjects,
            } => {
                let exact = if credits.0 == Exact::from_integer(*whole_credits) {
                    String::new()
                } else {
                    format!(
                        " (rounded up to a whole credit from {})",
                        credits_shown(credits.0)
                    )
                };
                format!(
                    "{} more in {subjects}{exact}",
                    super::outcome::plural(Exact::from_integer(*whole_credits), "credit")
                )
            }
            Shortfall::Total {
                months,
                whole_months,
                categories,
            } => {
                let mut notes = Vec::new();
                if !categories.is_empty() {
                    notes.push(format!("e.g. of {}", join(categories)));
                }
                if months.0 != Exact::from_integer(*whole_months) {
                    notes.push(rounded_from(months.0));
                }
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join("; "))
                };
                format!(
                    "{} of education or experience toward the total{notes}",
                    more_months(*whole_months)
                )
            }
            Shortfall::AnyOf { .. } => {
                let each: Vec<String> = self
                    .alternatives(item)
                    .map(|a| {
                        if a.len() > 1 {
                            format!("({})", a.lack_all(style))
                        } else {
                            a.lack_all(style)
                        }
                    })
                    .collect();
                format!("either {}", each.join(" or "))
            }
        }
    }

    /// Several lacks together, grouped so that no reader can attach a part to the wrong
    /// side.
    fn lack_all(&self, style: Style) -> String {
        let wrapped: Vec<String> = self
            .iter()
            .map(|s| match s {
                Shortfall::AnyOf { .. } if self.len() > 1 => format!("({})", self.lack(s, style)),
                _ => self.lack(s, style),
            })
            .collect();
        match wrapped.as_slice() {
            [] => "nothing".to_owned(),
            [one] => one.clone(),
            [a, b] => format!("both {a} and {b}"),
            [rest @ .., last] => format!("all of: {} and {last}", rest.join(", ")),
        }
    }
}

/// Internal names (compact: the table) or the rules' prose (notices: the tree, the REPL).
#[derive(Clone, Copy)]
enum Style {
    Names,
    Prose,
}

/// " (rounded up to whole months from 0.03 months: 1 more full-time day of work is
/// enough)" when the exact lack is not a whole number of months; nothing when it is.
fn rounded(exact: Exact, whole: i64) -> String {
    if exact == Exact::from_integer(whole) {
        String::new()
    } else {
        format!(" ({})", rounded_from(exact))
    }
}

/// Credits cut to two places ("17.50 credits"), or in words where two places would hide a
/// fraction: "less than 0.01 credits", "just over 17 credits".
fn credits_shown(exact: Exact) -> String {
    let shown = super::outcome::plural(exact, "credit");
    let whole = exact.trunc();
    if exact == whole || !shown.ends_with(".00 credits") {
        return shown;
    }
    match whole.to_integer() {
        0 => "less than 0.01 credits".to_owned(),
        n => format!(
            "just over {}",
            super::outcome::plural(Exact::from_integer(n), "credit")
        ),
    }
}

/// "rounded up to whole months from 7.87 months", with the days that are enough when the
/// lack is under a month.
fn rounded_from(exact: Exact) -> String {
    let shown = super::month_words::exact_months(exact);
    // Two places cut would read as a whole number ("18.00 months") or as nothing ("0.00
    // months") for a lack just over it: said so in words, never as a figure it is not.
    let whole = exact.trunc();
    let hides_fraction = exact != whole && shown.ends_with(".00 months");
    let shown = match (hides_fraction, whole.to_integer()) {
        (false, _) => shown,
        (true, 0) => "less than 0.01 months".to_owned(),
        (true, n) => format!(
            "just over {}",
            super::month_words::exact_months(Exact::from_integer(n))
        ),
    };
    let mut text = format!("rounded up to whole months from {shown}");
    if let Some(days) = super::month_words::days_enough(exact) {
        text.push_str(&format!(": {days}"));
    }
    text
}

/// "7 months more", "1 month more", "2 years more", "1 year 6 months more": always the
/// amount, then "more".
fn more_months(months: i64) -> String {
    format!(
        "{} more",
        super::outcome::format_months(Exact::from_integer(months))
    )
}

fn join(names: &[Arc<str>]) -> String {
    names
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// "an associate degree", "a bachelor's degree", "a high school diploma".
pub(crate) fn with_article(title: &str) -> String {
    // A title opening with an abbreviation ("GED", "HS") keeps it as written; any other
    // is lowered.
    let first = title.split_whitespace().next().unwrap_or("");
    let words = if is_abbreviation(first) {
        let rest = title.get(first.len()..).unwrap_or("").to_lowercase();
        format!("{first}{rest}")
    } else {
        title.to_lowercase()
    };
    format!("{} {words}", article(&words))
}

/// The indefinite article `words` take: "an" before a vowel, and before an abbreviation
/// whose first letter is read with a vowel sound ("an HS diploma", "a GED").
pub(crate) fn article(words: &str) -> &'static str {
    let first = words.split_whitespace().next().unwrap_or("");
    let initial = first.chars().next();
    let vowel_sound = if is_abbreviation(first) {
        matches!(
            initial,
            Some('A' | 'E' | 'F' | 'H' | 'I' | 'L' | 'M' | 'N' | 'O' | 'R' | 'S' | 'X')
        )
    } else {
        matches!(
            initial,
            Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U')
        )
    };
    if vowel_sound { "an" } else { "a" }
}

/// A word of two or more letters, all capitals: "GED", "HS".
fn is_abbreviation(word: &str) -> bool {
    word.chars().count() > 1
        && word.chars().any(char::is_uppercase)
        && !word.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::{article, credits_shown, with_article};
    use crate::check::model::Exact;

    #[test]
    fn credits_never_read_as_a_figure_they_are_not() {
        assert_eq!(credits_shown(Exact::new(35, 2)), "17.50 credits");
        assert_eq!(credits_shown(Exact::new(1, 150)), "less than 0.01 credits");
        assert_eq!(
            credits_shown(Exact::new(17001, 1000)),
            "just over 17 credits"
        );
        assert_eq!(credits_shown(Exact::new(1001, 1000)), "just over 1 credit");
        assert_eq!(credits_shown(Exact::from_integer(3)), "3 credits");
    }

    #[test]
    fn titles_take_their_article_and_abbreviations_keep_their_capitals() {
        assert_eq!(with_article("Associate degree"), "an associate degree");
        assert_eq!(with_article("Bachelor's degree"), "a bachelor's degree");
        assert_eq!(with_article("HS"), "an HS");
        assert_eq!(with_article("GED"), "a GED");
        assert_eq!(with_article("MBA Degree"), "an MBA degree");
    }

    #[test]
    fn words_kept_as_written_take_the_same_articles() {
        assert_eq!(article("unaccredited Master's degree"), "an");
        assert_eq!(article("Master's degree"), "a");
        assert_eq!(article("HS diploma"), "an");
        assert_eq!(article("GED"), "a");
        assert_eq!(article("Associate degree"), "an");
        assert_eq!(article(""), "a");
    }
}
