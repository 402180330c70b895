//! The passage of a document closest to a quote that does not occur in it, found in time
//! linear in the document: a window as many words long as the quote slides over the
//! words, and the window sharing the most words with the quote wins (the first on a tie).

use std::collections::HashMap;
use std::ops::Range;

use super::document::Document;

/// The passage that best matches `quote_words` among the words of the `areas` of
/// `document` (the first on a tie); the whole document when the areas hold no word.
pub(super) fn closest_in_areas(
    document: &Document<'_>,
    areas: &[Range<usize>],
    quote_words: &[&str],
) -> Range<usize> {
    let mut best: Option<(i64, Range<usize>)> = None;
    for area in areas.iter().filter(|area| !area.is_empty()) {
        let (shared, passage) = closest_passage(document, area.clone(), quote_words);
        if best.as_ref().is_none_or(|(most, _)| shared > *most) {
            best = Some((shared, passage));
        }
    }
    match best {
        Some((_, passage)) => passage,
        None => closest_passage(document, 0..document.words.len(), quote_words).1,
    }
}

/// The passage that best matches `quote_words` among the words `area` of `document`, and
/// how many words it shares with the quote.
pub(super) fn closest_passage(
    document: &Document<'_>,
    area: Range<usize>,
    quote_words: &[&str],
) -> (i64, Range<usize>) {
    let width = quote_words.len().min(area.len()).max(1);
    let mut wanted: HashMap<&str, i64> = HashMap::new();
    for word in quote_words {
        *wanted.entry(word).or_insert(0) += 1;
    }
    let mut held: HashMap<&str, i64> = HashMap::new();
    let mut shared: i64 = 0;
    let mut best = (i64::MIN, area.start);
    for index in area.clone() {
        if let Some(word) = normalised(document, index) {
            shared += add(&wanted, &mut held, word, 1);
        }
        let Some(first) = (index + 1).checked_sub(width) else {
            continue;
        };
        if first < area.start {
            continue;
        }
        if shared > best.0 {
            best = (shared, first);
        }
        if let Some(word) = normalised(document, first) {
            shared += add(&wanted, &mut held, word, -1);
        }
    }
    let end = (best.1 + width).min(area.end);
    (best.0, best.1..end)
}

/// Adds `step` (1 or -1) to the count of `word` in the window; returns the change in the
/// number of quote words the window shares.
fn add<'w>(
    wanted: &HashMap<&str, i64>,
    held: &mut HashMap<&'w str, i64>,
    word: &'w str,
    step: i64,
) -> i64 {
    let Some(&want) = wanted.get(word) else {
        return 0;
    };
    let count = held.entry(word).or_insert(0);
    let before = (*count).min(want);
    *count += step;
    (*count).min(want) - before
}

fn normalised<'d>(document: &'d Document<'_>, index: usize) -> Option<&'d str> {
    let word = document.words.get(index)?;
    document.joined.get(word.joined.0..word.joined.1)
}

/// The first word where the quote and the passage differ, as (quote's word, passage's
/// word); `None` for a word that one of them lacks.
pub(super) fn first_difference<'a>(
    quote_words: &[&'a str],
    passage_words: &[&'a str],
) -> Option<(Option<&'a str>, Option<&'a str>)> {
    let length = quote_words.len().max(passage_words.len());
    (0..length)
        .map(|i| (quote_words.get(i).copied(), passage_words.get(i).copied()))
        .find(|(q, p)| q != p)
}
