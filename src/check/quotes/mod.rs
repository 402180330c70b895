//! Quotes verified against the source documents they cite: each `quote` must occur in the
//! class's `source` document, under the section its `cite` names, once white space, line
//! breaks and curly or straight quotes and apostrophes are set aside. `qualify check` runs
//! this after the rules check without errors; the caller reads the documents and passes
//! them in as bytes.

mod closest;
mod document;
mod sections;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use memchr::memmem;

use super::model::{Citation, ClassDef, TierDef};
use super::{CheckOutcome, CheckedRules, acknowledge};
use crate::diagnostics::{Code, Diagnostic, sort_diagnostics, suggest};
use crate::source::{SourceMap, Span};
use document::{Document, normalise_text};
use sections::{Sections, Unresolved};

/// The longest stretch of a passage shown in a help line, in characters.
const MAX_SHOWN_PASSAGE: usize = 600;

/// One source document, as read by the caller: its file name (what a class's `source`
/// names) and its bytes.
#[derive(Clone, Debug)]
pub struct SourceDocument {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A `cite`/`quote` pair of a tier or a substitution clause.
struct Cited<'r> {
    citation: &'r Citation,
}

/// Checks every tier and substitution clause of `rules`: a warning (Q210) where `cite` or
/// `quote` is missing; for classes whose `source` is among `documents`, an error where the
/// cited section is not in the document (Q131), where the quote does not occur in it
/// (Q130, with the closest passage as help) or occurs under another section (Q132). A
/// class whose source is not among `documents` gets a warning (Q211) when any document was
/// given. Sorted as the checker sorts.
pub fn verify_quotes(rules: &CheckedRules, documents: &[SourceDocument]) -> Vec<Diagnostic> {
    let sources = rules.sources();
    let mut diagnostics = Vec::new();
    let mut cited: BTreeMap<&str, Vec<Cited<'_>>> = BTreeMap::new();
    let mut classes: BTreeMap<&str, Vec<&ClassDef>> = BTreeMap::new();
    for class in &rules.model().classes {
        classes.entry(&class.source).or_default().push(class);
        for level in &class.levels {
            for tier in &level.tiers {
                let what = format!(
                    "the {} tier of {} level {}",
                    tier.kind.as_str(),
                    class.code,
                    level.name
                );
                missing_citation(
                    &mut diagnostics,
                    tier.citation.as_ref(),
                    tier.keyword_span,
                    &what,
                );
                cited
                    .entry(&class.source)
                    .or_default()
                    .extend(citations(tier));
                for (index, substitution) in tier.substitutions.iter().enumerate() {
                    let what = format!("substitution {} of {what}", index + 1);
                    let span = keyword_span(sources, substitution.span, "substitute");
                    missing_citation(
                        &mut diagnostics,
                        substitution.citation.as_ref(),
                        span,
                        &what,
                    );
                }
            }
        }
    }
    let by_name: BTreeMap<&str, &SourceDocument> =
        documents.iter().map(|d| (d.name.as_str(), d)).collect();
    for (name, users) in &classes {
        let Some(document) = by_name.get(name) else {
            if !documents.is_empty() {
                diagnostics.extend(users.iter().map(|class| not_available(class, &by_name)));
            }
            continue;
        };
        match std::str::from_utf8(&document.bytes) {
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                let entries = cited.get(name).map_or(&[][..], Vec::as_slice);
                verify_document(&mut diagnostics, name, text, entries);
            }
            Err(_) => diagnostics.extend(users.iter().map(|class| not_text(class))),
        }
    }
    sort_diagnostics(&mut diagnostics, sources);
    diagnostics
}

/// Adds to `outcome` the findings of [`verify_quotes`] against `documents`, when its rules
/// checked without errors: each warning an `allow` of the rules acknowledges goes to
/// `outcome.acknowledged`, the others to `outcome.diagnostics` (sorted again), with Q206
/// for an `allow` of a quote warning that acknowledges nothing when there is no error. The
/// rules stay as checked: a quote that no longer holds does not change what they decide.
pub fn add_quote_findings(outcome: &mut CheckOutcome, documents: &[SourceDocument]) {
    let Some(rules) = &outcome.rules else {
        return;
    };
    let found = verify_quotes(rules, documents);
    let found = acknowledge(found, &outcome.allows, produces);
    outcome.diagnostics.extend(found.kept);
    if !outcome.diagnostics.iter().any(Diagnostic::is_error) {
        outcome.diagnostics.extend(found.unmatched);
    }
    sort_diagnostics(&mut outcome.diagnostics, &outcome.sources);
    outcome.acknowledged.extend(found.acknowledged);
}

/// Whether [`verify_quotes`] can produce a diagnostic with `code`, for
/// [`acknowledge`] to consider only the `allow`s of its codes.
pub fn produces(code: Code) -> bool {
    matches!(
        code,
        Code::QuoteNotInSource
            | Code::SectionNotInSource
            | Code::QuoteUnderOtherSection
            | Code::SourceNotText
            | Code::MissingCitation
            | Code::SourceNotAvailable
    )
}

/// The `cite`/`quote` pairs of a tier and its substitution clauses.
fn citations(tier: &TierDef) -> impl Iterator<Item = Cited<'_>> {
    let own = tier.citation.iter();
    let substituted = tier
        .substitutions
        .iter()
        .filter_map(|s| s.citation.as_ref());
    own.chain(substituted).map(|citation| Cited { citation })
}

fn missing_citation(
    out: &mut Vec<Diagnostic>,
    citation: Option<&Citation>,
    span: Span,
    what: &str,
) {
    let (message, at, label) = match citation {
        None => (
            format!("{what} has no `cite` and no `quote`"),
            span,
            "cites no section and quotes no sentence",
        ),
        Some(Citation {
            quote: None,
            section_span,
            ..
        }) => (
            format!("{what} has no `quote`"),
            *section_span,
            "no `quote` follows this `cite`",
        ),
        Some(_) => return,
    };
    out.push(
        Diagnostic::new(Code::MissingCitation, message, at, label).with_help(
            "add `cite \"SECTION\"` and `quote \"SENTENCE\"` before the `:`, so that an \
             explanation shows what the rule encodes and `qualify check` can verify it",
        ),
    );
}

/// The first `keyword.len()` bytes of `span` when they are `keyword`, else `span`.
fn keyword_span(sources: &SourceMap, span: Span, keyword: &str) -> Span {
    let starts = sources
        .get(span.file)
        .is_some_and(|file| file.slice(span).starts_with(keyword));
    if starts {
        let start = span.range().start;
        Span::new(span.file, start, start + keyword.len())
    } else {
        span
    }
}

fn not_available(class: &ClassDef, documents: &BTreeMap<&str, &SourceDocument>) -> Diagnostic {
    let help = suggest::did_you_mean(&class.source, "source document", documents.keys().copied());
    Diagnostic::new(
        Code::SourceNotAvailable,
        format!(
            "the source of class {}, `{}`, is not among the source documents, so its quotes are not verified",
            class.code, class.source
        ),
        class.source_span,
        "no source document of this name",
    )
    .with_help(help)
}

fn not_text(class: &ClassDef) -> Diagnostic {
    Diagnostic::new(
        Code::SourceNotText,
        format!(
            "the source document `{}` is not UTF-8 text, so no quote can be found in it",
            class.source
        ),
        class.source_span,
        "this document cannot be read as text",
    )
    .with_help(
        "save the document as UTF-8 text (a PDF or word-processor file must be converted first)",
    )
}

/// Verifies every citation of one document.
fn verify_document(out: &mut Vec<Diagnostic>, name: &str, text: &str, entries: &[Cited<'_>]) {
    let document = Document::read(text);
    let paths: Vec<Vec<String>> = entries
        .iter()
        .map(|entry| sections::path_keys(&entry.citation.section))
        .collect();
    let sections = Sections::new(&document, &paths);
    // Searching the whole document, and its closest passage, costs the document's length
    // per missing quote: done for the first few only, so the work stays linear.
    let mut searched_missing = 0;
    for entry in entries {
        let found = match sections.resolve(&entry.citation.section) {
            Ok(found) => found,
            Err(unresolved) => {
                out.push(section_not_found(name, entry, &unresolved));
                continue;
            }
        };
        let (Some(quote), Some(quote_span)) = (&entry.citation.quote, entry.citation.quote_span)
        else {
            continue;
        };
        let pieces = quote_pieces(quote);
        if pieces.is_empty() {
            continue;
        }
        let within = |range: &Range<usize>| {
            let (start, end) = document.joined_range(range.clone());
            occurs_in_order(document.joined.get(start..end).unwrap_or(""), &pieces)
                .map(|at| start + at.start..start + at.end)
        };
        if found.iter().any(|range| within(range).is_some()) {
            continue;
        }
        let citation = entry.citation;
        if searched_missing == MAX_SEARCHED_MISSING {
            out.push(not_searched(name, citation, quote_span));
            continue;
        }
        searched_missing += 1;
        let diagnostic = match within(&(0..document.words.len())) {
            Some(at) => {
                let elsewhere = sections.path_at(document.word_at(at.start));
                let last = sections.path_at(document.word_at(at.end.saturating_sub(1)));
                if last != elsewhere {
                    out.push(across_sections(
                        name, citation, quote_span, &elsewhere, &last,
                    ));
                    continue;
                }
                Diagnostic::new(
                    Code::QuoteUnderOtherSection,
                    format!(
                        "this quote occurs in `{name}`, but under `{elsewhere}`, not under `{}`",
                        citation.section
                    ),
                    quote_span,
                    "found under another section",
                )
                .with_label(citation.section_span, "the section cited")
                .with_help(format!(
                    "cite \"{elsewhere}\", or quote the sentence of `{}`",
                    citation.section
                ))
            }
            None => quote_not_found(name, &document, &found, &pieces, citation, quote_span),
        };
        out.push(diagnostic);
    }
}

/// The quote's stretches between elisions (`...` or `…`), normalised; empty ones dropped.
fn quote_pieces(quote: &str) -> Vec<String> {
    quote
        .replace('…', "...")
        .split("...")
        .map(normalise_text)
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// Where the pieces occur, from the start of the first to the end of the last, when every
/// piece occurs in order in `haystack`, each as whole words: a piece that starts or ends
/// with a letter or digit is not found inside a longer word (`related field does not count`
/// is not in `an unrelated field does not count`).
fn occurs_in_order(haystack: &str, pieces: &[String]) -> Option<Range<usize>> {
    let bytes = haystack.as_bytes();
    let mut from = 0;
    let mut first = None;
    for piece in pieces {
        let rest = bytes.get(from..)?;
        let at = memmem::find_iter(rest, piece.as_bytes())
            .map(|n| from + n)
            .find(|&at| whole_words(haystack, at, at + piece.len()))?;
        first.get_or_insert(at);
        from = at + piece.len();
    }
    first.map(|start| start..from)
}

/// Whether `haystack[start..end]` neither starts nor ends inside a word: a letter or digit
/// at its edge has no letter or digit beside it outside.
fn whole_words(haystack: &str, start: usize, end: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let inside = haystack.get(start..end).unwrap_or_default();
    let before = haystack.get(..start).and_then(|h| h.chars().next_back());
    let after = haystack.get(end..).and_then(|h| h.chars().next());
    let starts_inside_a_word = word(inside.chars().next()) && word(before);
    let ends_inside_a_word = word(inside.chars().next_back()) && word(after);
    !starts_inside_a_word && !ends_inside_a_word
}

/// A quote found in the document only across a section's end: it starts under one section
/// and ends under another (Q132).
fn across_sections(
    name: &str,
    citation: &Citation,
    quote_span: Span,
    first: &str,
    last: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::QuoteUnderOtherSection,
        format!(
            "this quote runs across sections of `{name}`: it starts under `{first}` and ends under `{last}`"
        ),
        quote_span,
        "runs past the end of a section",
    )
    .with_label(citation.section_span, "the section cited")
    .with_help(format!(
        "quote the sentence of `{}` only, up to its section's end (`...` joins stretches of one section)",
        citation.section
    ))
}

fn section_not_found(name: &str, entry: &Cited<'_>, unresolved: &Unresolved) -> Diagnostic {
    let where_ = match &unresolved.within {
        Some(parent) => format!("under `{parent}` "),
        None => String::new(),
    };
    let help = suggest::did_you_mean(
        &unresolved.part,
        "section",
        unresolved.candidates.iter().map(String::as_str),
    );
    Diagnostic::new(
        Code::SectionNotInSource,
        format!(
            "`{name}` has no section `{}` {where_}(cited as `{}`)",
            unresolved.part, entry.citation.section
        ),
        entry.citation.section_span,
        "no such section in the source document",
    )
    .with_help(format!(
        "{help} (a section starts at a heading line of the document; \
         `›` separates a section from the one it is under)"
    ))
}

/// Missing quotes of one document searched for in the whole document and for their closest
/// passage; the ones after them are reported without.
const MAX_SEARCHED_MISSING: usize = 32;

/// Q130 for a quote missing from its section when the document has had its first
/// [`MAX_SEARCHED_MISSING`] missing quotes searched for already.
fn not_searched(name: &str, citation: &Citation, quote_span: Span) -> Diagnostic {
    not_in_source(name, citation, quote_span).with_help(format!(
        "more than {MAX_SEARCHED_MISSING} quotes are missing from `{name}`: this one was not \
         looked for under other sections, nor its closest passage; fix the ones before it first"
    ))
}

/// Q130 for a quote that does not occur in the cited section, before its help line.
fn not_in_source(name: &str, citation: &Citation, quote_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::QuoteNotInSource,
        format!(
            "this quote does not occur in `{name}` under `{}`",
            citation.section
        ),
        quote_span,
        "not in the source document",
    )
    .with_label(citation.section_span, "the section searched")
}

fn quote_not_found(
    name: &str,
    document: &Document<'_>,
    areas: &[Range<usize>],
    pieces: &[String],
    citation: &Citation,
    quote_span: Span,
) -> Diagnostic {
    let quote_words: Vec<&str> = pieces.iter().flat_map(|p| p.split(' ')).collect();
    let passage = closest::closest_in_areas(document, areas, &quote_words);
    let passage_words: Vec<&str> = passage
        .clone()
        .filter_map(|i| document.words.get(i))
        .filter_map(|w| document.joined.get(w.joined.0..w.joined.1))
        .collect();
    let difference = match closest::first_difference(&quote_words, &passage_words) {
        Some((Some(quoted), Some(written))) => {
            format!("; the quote has `{quoted}` where the document has `{written}`")
        }
        _ => String::new(),
    };
    let line = document.line_of_word(passage.start);
    let shown = shorten(&document.shown_words(passage));
    not_in_source(name, citation, quote_span).with_help(format!(
        "the closest passage there (line {line}) reads: \"{shown}\"{difference}"
    ))
}

/// `text` cut to [`MAX_SHOWN_PASSAGE`] characters, with `…` when cut.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_PASSAGE) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// The cited sections' first parts that have parts under them, for [`Sections`].
fn top_sections(paths: &[Vec<String>]) -> BTreeSet<String> {
    paths
        .iter()
        .filter(|path| path.len() > 1)
        .filter_map(|path| path.first().cloned())
        .collect()
}

#[cfg(test)]
mod tests;
