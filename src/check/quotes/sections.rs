//! Cited sections found among a document's headings. A cite names a path of headings
//! separated by `›` ("Basic › Minimum Qualifications"): the first part is any heading of
//! that name, and each further part the first heading of its name after the part before,
//! within that part's reach. A part's reach ends at the next heading that some cite of the
//! document uses as a first part with parts under it (the next "Operational" ends
//! "Basic"), so "Basic › Minimum Qualifications" never finds Operational's.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::document::{Document, heading_key};

/// The separator of a cite's parts.
const SEPARATOR: char = '›';

/// The headings of one document, indexed for finding cited paths.
pub(super) struct Sections<'d, 't> {
    document: &'d Document<'t>,
    /// Heading indices by key, in document order.
    by_key: BTreeMap<&'d str, Vec<usize>>,
    /// Indices of the headings that end a part's reach, in document order.
    tops: Vec<usize>,
    top_keys: BTreeSet<String>,
}

/// A cite part that names no heading where it was looked for.
#[derive(Debug)]
pub(super) struct Unresolved {
    /// The part, as written.
    pub part: String,
    /// The path of the part before it, as the document writes it.
    pub within: Option<String>,
    /// The headings where the part was looked for, as the document writes them.
    pub candidates: Vec<String>,
}

/// A cite's parts, each as a heading key.
pub(super) fn path_keys(section: &str) -> Vec<String> {
    section.split(SEPARATOR).map(heading_key).collect()
}

impl<'d, 't> Sections<'d, 't> {
    pub(super) fn new(document: &'d Document<'t>, paths: &[Vec<String>]) -> Self {
        let top_keys = super::top_sections(paths);
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut tops = Vec::new();
        for (index, heading) in document.headings.iter().enumerate() {
            by_key.entry(heading.key.as_str()).or_default().push(index);
            if top_keys.contains(&heading.key) {
                tops.push(index);
            }
        }
        Sections {
            document,
            by_key,
            tops,
            top_keys,
        }
    }

    /// The word ranges of every section `section` can name; at least one.
    pub(super) fn resolve(&self, section: &str) -> Result<Vec<Range<usize>>, Unresolved> {
        let written: Vec<&str> = section.split(SEPARATOR).map(str::trim).collect();
        let keys = path_keys(section);
        let mut chains: Vec<usize> = Vec::new();
        for (depth, key) in keys.iter().enumerate() {
            let next: Vec<usize> = match depth {
                0 => self.by_key.get(key.as_str()).cloned().unwrap_or_default(),
                _ => chains
                    .iter()
                    .filter_map(|&from| self.next_within(from, key))
                    .collect(),
            };
            if next.is_empty() {
                return Err(self.unresolved(&written, depth, chains.first().copied()));
            }
            chains = next;
        }
        Ok(chains
            .iter()
            .filter_map(|&index| self.document.headings.get(index))
            .map(|heading| heading.body_start..heading.body_end)
            .collect())
    }

    /// The first heading named `key` after heading `from`, within `from`'s reach.
    fn next_within(&self, from: usize, key: &str) -> Option<usize> {
        let reach = self.reach_end(from);
        let named = self.by_key.get(key)?;
        let after = named.partition_point(|&index| index <= from);
        named.get(after).copied().filter(|&index| index < reach)
    }

    /// The index of the heading that ends the reach of heading `from`.
    fn reach_end(&self, from: usize) -> usize {
        let next_top = self.tops.partition_point(|&index| index <= from);
        self.tops
            .get(next_top)
            .copied()
            .unwrap_or(self.document.headings.len())
    }

    fn unresolved(&self, written: &[&str], depth: usize, parent: Option<usize>) -> Unresolved {
        let headings = &self.document.headings;
        let candidates: Vec<String> = match parent {
            Some(from) => headings
                .get(from + 1..self.reach_end(from))
                .unwrap_or(&[])
                .iter()
                .map(|heading| heading.shown.clone())
                .collect(),
            None => headings
                .iter()
                .map(|heading| heading.shown.clone())
                .collect(),
        };
        Unresolved {
            part: written.get(depth).copied().unwrap_or("").to_owned(),
            within: (depth > 0).then(|| written.get(..depth).unwrap_or(&[]).join(" › ")),
            candidates,
        }
    }

    /// The path of the section holding word `word`: its heading, under the top section
    /// before it when it is not one itself.
    pub(super) fn path_at(&self, word: usize) -> String {
        let headings = &self.document.headings;
        let holder = headings.partition_point(|heading| heading.first_word <= word);
        let Some(index) = holder.checked_sub(1) else {
            return "the opening, before any heading".to_owned();
        };
        let Some(heading) = headings.get(index) else {
            return String::new();
        };
        if self.top_keys.contains(&heading.key) {
            return heading.shown.clone();
        }
        let top = self.tops.partition_point(|&top| top < index);
        match top
            .checked_sub(1)
            .and_then(|t| self.tops.get(t))
            .and_then(|&t| headings.get(t))
        {
            Some(parent) => format!("{} › {}", parent.shown, heading.shown),
            None => heading.shown.clone(),
        }
    }
}
