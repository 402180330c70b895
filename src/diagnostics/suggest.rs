//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(&lowered, &c.to_lowercase()), c))
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// A help line: "did you mean `x`?" or a list of what is known.
pub fn did_you_mean<'a>(
    word: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match closest(word, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let mut known: Vec<&str> = candidates.into_iter().collect();
            known.sort_unstable();
            known.dedup();
            if known.is_empty() {
                format!("no {what} is defined")
            } else {
                let shown: Vec<String> = known.iter().take(8).map(|k| format!("`{k}`")).collect();
                let more = if known.len() > 8 { ", …" } else { "" };
                format!("known {}: {}{more}", plural(what), shown.join(", "))
            }
        }
    }
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
