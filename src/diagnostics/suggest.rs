//! "Did you mean" suggestions by edit distance.
//!
//! Comparing a word with every known name costs the product of their lengths per name, so
//! a file of thousands of mistyped names among thousands of defined ones would cost their
//! product. Within one unit of work (a class checked, an applicant read: see
//! [`with_budget`]) the comparisons share a budget in proportion to the unit's size; past
//! it, a word gets no suggestion (never a worse one), and the help lists no names. So the
//! work is linear in the input. Each unit is done by one thread, start to end, so what is
//! suggested never depends on the number of threads.

use std::cell::Cell;

/// Character pairs the comparisons of one unit of work may examine, at most: a fraction of
/// a second, and thousands of suggestions among hundreds of names.
pub const SUGGESTION_BUDGET: u64 = 20_000_000;

/// Character pairs a unit may examine per byte of its text (up to [`SUGGESTION_BUDGET`]):
/// a class of 1 KB may compare a misspelt name with a thousand names of 16 letters.
pub const BUDGET_PER_BYTE: u64 = 256;

thread_local! {
    /// What is left of the budget of the unit being done on this thread; `None` outside
    /// any unit (an interactive line asks for one suggestion at a time).
    static LEFT: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Runs `work`, on a text of `bytes` bytes, as one unit with a budget of its own for
/// suggestions.
pub fn with_budget<T>(bytes: usize, work: impl FnOnce() -> T) -> T {
    let budget = (bytes as u64)
        .saturating_mul(BUDGET_PER_BYTE)
        .min(SUGGESTION_BUDGET);
    let outer = LEFT.with(|left| left.replace(Some(budget)));
    let result = work();
    LEFT.with(|left| left.set(outer));
    result
}

/// Takes `cost` from the budget; `false` when what is left does not cover it.
fn spend(cost: u64) -> bool {
    LEFT.with(|left| match left.get() {
        None => true,
        Some(have) if have >= cost => {
            left.set(Some(have - cost));
            true
        }
        Some(_) => {
            left.set(Some(0));
            false
        }
    })
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo. `None`
/// also when the unit's budget runs out before every candidate is compared.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = word.to_lowercase();
    let length = lowered.chars().count();
    let limit = (word.chars().count() / 3).max(2);
    let mut best: Option<(usize, usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        // Looking at a name at all has a cost, whether or not it is compared.
        if !spend(1) {
            return None;
        }
        // The distance is at least the difference in length: such a name is never close.
        let candidate_lowered = candidate.to_lowercase();
        let other = candidate_lowered.chars().count();
        if other.abs_diff(length) > limit {
            continue;
        }
        let cost = (length as u64 + 1).saturating_mul(other as u64 + 1);
        if !spend(cost) {
            return None;
        }
        let distance = strsim::damerau_levenshtein(&lowered, &candidate_lowered);
        if distance > limit {
            continue;
        }
        // Between names as close, the one of the word's own length first (`monthz` is
        // `months` mistyped rather than `month` with a letter added), then the first in order.
        let rank = (distance, other.abs_diff(length), candidate);
        if best.is_none_or(|best| rank < best) {
            best = Some(rank);
        }
    }
    best.map(|(_, _, c)| c)
}

/// How many known names a help line lists.
const NAMES_LISTED: usize = 8;

/// A help line: "did you mean `x`?" or a list of what is known.
pub fn did_you_mean<'a>(
    word: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    if let Some(best) = closest(word, candidates.clone()) {
        return format!("did you mean `{best}`?");
    }
    // The first names in order, and whether there are more: one pass, whatever their number,
    // within the unit's budget.
    let mut first: Vec<&str> = Vec::with_capacity(NAMES_LISTED + 1);
    for candidate in candidates {
        if !spend(1) {
            return format!("see the {} the rules define", plural(what));
        }
        if first.len() > NAMES_LISTED && first.last().is_some_and(|last| candidate >= *last) {
            continue;
        }
        if let Err(at) = first.binary_search(&candidate) {
            first.insert(at, candidate);
            first.truncate(NAMES_LISTED + 1);
        }
    }
    if first.is_empty() {
        return format!("no {what} is defined");
    }
    let more = if first.len() > NAMES_LISTED {
        ", …"
    } else {
        ""
    };
    let shown: Vec<String> = first
        .iter()
        .take(NAMES_LISTED)
        .map(|k| format!("`{k}`"))
        .collect();
    format!("known {}: {}{more}", plural(what), shown.join(", "))
}

/// The plural of a noun phrase: "credential" → "credentials", "category" → "categories",
/// "class" → "classes".
pub fn plural(what: &str) -> String {
    match what.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ if what.ends_with(['s', 'x', 'z']) || what.ends_with("ch") || what.ends_with("sh") => {
            format!("{what}es")
        }
        _ => format!("{what}s"),
    }
}

/// `n` and the noun, singular for one and plural otherwise: "1 class", "2 classes".
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("{n} {what}")
    } else {
        format!("{n} {}", plural(what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_names_as_close_the_one_of_the_same_length_is_suggested() {
        let units = ["month", "months", "year", "years"];
        assert_eq!(closest("monthz", units), Some("months"));
        assert_eq!(closest("yeers", units), Some("years"));
        assert_eq!(closest("yer", units), Some("year"));
    }

    #[test]
    fn a_unit_stops_suggesting_when_its_budget_is_spent() {
        let names: Vec<String> = (0..2000).map(|i| format!("category_{i:05}")).collect();
        let known = || names.iter().map(String::as_str);
        // Alone, every word is compared with every name.
        assert_eq!(closest("categroy_00012", known()), Some("category_00012"));
        let suggested = with_budget(usize::MAX, || {
            (0..200)
                .filter(|i| closest(&format!("categroy_{i:05}"), known()).is_some())
                .count()
        });
        assert!(suggested > 0 && suggested < 200, "{suggested}");
        // Outside a unit there is no budget, and a new unit starts with a whole one.
        assert!(closest("categroy_00150", known()).is_some());
        assert!(with_budget(usize::MAX, || closest("categroy_00150", known())).is_some());
        // A small unit has a small budget.
        assert_eq!(
            with_budget(100, || closest("categroy_00150", known())),
            None
        );
        let help = with_budget(1, || did_you_mean("zzzzzz", "name", known()));
        assert_eq!(help, "see the names the rules define");
    }

    #[test]
    fn the_known_names_listed_are_the_first_in_order() {
        let names = ["k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a", "a"];
        let help = did_you_mean("zzzzzz", "name", names);
        assert_eq!(
            help,
            "known names: `a`, `b`, `c`, `d`, `e`, `f`, `g`, `h`, …"
        );
        let help = did_you_mean("zzzzzz", "name", ["b", "a", "b"]);
        assert_eq!(help, "known names: `a`, `b`");
    }

    #[test]
    fn suggests_near_miss() {
        let names = ["program_fields", "program_experience", "related_fields"];
        assert_eq!(closest("program_feilds", names), Some("program_fields"));
        assert_eq!(closest("zzz", names), None);
    }

    #[test]
    fn lists_known_names_without_close_match() {
        let help = did_you_mean("zzz", "credential", ["bachelor", "associate"]);
        assert_eq!(help, "known credentials: `associate`, `bachelor`");
        let help = did_you_mean("zzz", "experience category", ["program_experience"]);
        assert_eq!(help, "known experience categories: `program_experience`");
        assert_eq!(plural("key"), "keys");
        let help = did_you_mean("zzz", "class", ["K9099"]);
        assert_eq!(help, "known classes: `K9099`");
        assert_eq!(count(1, "class"), "1 class");
        assert_eq!(count(2, "class"), "2 classes");
        assert_eq!(count(0, "category"), "0 categories");
    }
}
