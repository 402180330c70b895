//! Lookup tables evaluation uses once per applicant entry: names matched exactly
//! (experience categories, credential names) and fields of study matched as the rules
//! match them (surrounding space trimmed, ASCII case ignored) to the field sets listing them.
//!
//! Both keep their entries grouped by length and, within a length, ordered by their first
//! eight bytes as a word: a lookup finds the entries as long as the name it looks for and
//! with its first word by binary search, and compares the rest a word of eight bytes at a
//! time. A field's entry lists every set holding it, itself or through inclusion, when the
//! sets' inclusion is shallow enough for those lists to stay in proportion to the rules;
//! otherwise it lists the sets naming it, and a query walks the inclusions.

use std::collections::{HashMap, HashSet};

use crate::check::model::FieldSetId;
use crate::check::spellings::{field_key, lookup_key};

use super::FieldSetInfo;

/// A key (bytes), its first eight bytes as a word, and what it maps to.
#[derive(Clone, Debug)]
struct Entry<T> {
    key: Box<[u8]>,
    /// [`head`] of `key`: for keys of up to eight bytes, the whole key.
    head: u64,
    value: T,
}

/// Entries grouped by the length of their key: `starts[n]..starts[n + 1]` are the entries
/// whose key is `n` bytes long.
#[derive(Clone, Debug, Default)]
struct ByLength<T> {
    entries: Vec<Entry<T>>,
    starts: Vec<u32>,
}

impl<T> ByLength<T> {
    fn new(pairs: Vec<(Box<[u8]>, T)>) -> ByLength<T> {
        let mut entries: Vec<Entry<T>> = pairs
            .into_iter()
            .map(|(key, value)| Entry {
                head: head(&key),
                key,
                value,
            })
            .collect();
        entries.sort_by_key(|e| (e.key.len(), e.head));
        let longest = entries.last().map_or(0, |e| e.key.len());
        let mut starts = Vec::with_capacity(longest + 2);
        let mut next = 0usize;
        for len in 0..=longest + 1 {
            while entries.get(next).is_some_and(|e| e.key.len() < len) {
                next += 1;
            }
            starts.push(u32::try_from(next).unwrap_or(u32::MAX));
        }
        ByLength { entries, starts }
    }

    /// The index of the entry whose key is `query` once each of the query's words has
    /// gone through `fold` (the keys are stored folded already). Keys are compared a word
    /// at a time: the stored heads by binary search, then, for longer keys, the rest.
    #[inline]
    fn position(&self, query: &[u8], fold: impl Fn(u64) -> u64) -> Option<usize> {
        let len = query.len();
        let from = self.starts.get(len).map_or(0, |s| *s as usize);
        let to = self.starts.get(len + 1).map_or(0, |s| *s as usize);
        let candidates = self.entries.get(from..to).unwrap_or(&[]);
        if candidates.is_empty() {
            return None;
        }
        let first = fold(head(query));
        let start = candidates.partition_point(|e| e.head < first);
        candidates
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|e| e.head == first)
            .position(|e| tails_equal(&e.key, query, &fold))
            .map(|i| from + start + i)
    }
}

/// The first eight bytes of `bytes` as a little-endian word, zero-padded when shorter.
#[inline]
fn head(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if len >= 8 {
        return le_at::<8>(bytes, 0);
    }
    // Two loads that overlap in the middle cover every length from 2 to 7.
    let (low, high, width) = if len >= 4 {
        (le_at::<4>(bytes, 0), le_at::<4>(bytes, len - 4), len - 4)
    } else if len >= 2 {
        (le_at::<2>(bytes, 0), le_at::<2>(bytes, len - 2), len - 2)
    } else {
        (bytes.first().map_or(0, |b| u64::from(*b)), 0, 0)
    };
    low | high << (8 * width)
}

/// The `N` bytes of `bytes` at `at` as a little-endian word (`N` at most 8); 0 when they
/// are not all there.
#[inline]
fn le_at<const N: usize>(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    if let Some(part) = bytes.get(at..at + N) {
        for (slot, byte) in word.iter_mut().zip(part) {
            *slot = *byte;
        }
    }
    u64::from_le_bytes(word)
}

/// Whether `stored` and `query`, of one length and with equal heads, agree beyond the
/// first eight bytes, a word at a time (the last word overlapping the one before).
#[inline]
fn tails_equal(stored: &[u8], query: &[u8], fold: &impl Fn(u64) -> u64) -> bool {
    let len = query.len();
    let mut at = 8;
    while at < len {
        let at_word = at.min(len - 8);
        if le_at::<8>(stored, at_word) != fold(le_at::<8>(query, at_word)) {
            return false;
        }
        at += 8;
    }
    true
}

/// `word` with every ASCII capital among its eight bytes made small, as
/// `u8::to_ascii_lowercase` makes each byte.
#[inline]
fn ascii_lowercase_word(word: u64) -> u64 {
    const EACH: u64 = 0x0101_0101_0101_0101;
    let ascii = !word & (0x80 * EACH);
    let low_bits = word & (0x7f * EACH);
    // The top bit of each byte: set from 'A' on, and from the byte after 'Z' on.
    let from_a = low_bits + (0x80 - u64::from(b'A')) * EACH;
    let past_z = low_bits + (0x80 - u64::from(b'Z') - 1) * EACH;
    let capital = from_a & !past_z & ascii;
    word | capital >> 2
}

/// Names to ids, matched exactly.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameTable {
    /// One entry per distinct name.
    names: ByLength<u32>,
}

impl NameTable {
    /// A table of `(name, id)` pairs; a name given twice keeps its first id.
    pub(crate) fn new<'n>(pairs: impl IntoIterator<Item = (&'n str, u32)>) -> NameTable {
        let mut names: Vec<(Box<[u8]>, u32)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (name, id) in pairs {
            if seen.insert(name) {
                names.push((Box::from(name.as_bytes()), id));
            }
        }
        NameTable {
            names: ByLength::new(names),
        }
    }

    /// The id of `name`, if the table has it.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        self.names
            .position(name.as_bytes(), |word| word)
            .and_then(|i| self.names.entries.get(i))
            .map(|e| e.value)
    }
}

/// A field name known to the rules, as an index into a [`FieldTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FieldId(u32);

/// Field sets as bits: the first 64 sets in a word, any further ones listed in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct SetMask {
    low: u64,
    high: Box<[u32]>,
}

impl SetMask {
    /// The mask of `sets`, in increasing order without repeats.
    fn of_sorted(sets: &[u32]) -> SetMask {
        let low = sets
            .iter()
            .filter(|s| **s < 64)
            .filter_map(|s| 1u64.checked_shl(*s))
            .fold(0, |bits, bit| bits | bit);
        let high = sets.iter().copied().filter(|s| *s >= 64).collect();
        SetMask { low, high }
    }

    fn contains(&self, set: u32) -> bool {
        match 1u64.checked_shl(set) {
            Some(bit) if set < 64 => self.low & bit != 0,
            _ => self.high.binary_search(&set).is_ok(),
        }
    }
}

/// Every field listed by a field set, ASCII-lowercased, with the sets that hold it.
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldTable {
    /// One entry per distinct lowercased field: every set holding it when `includes` is
    /// `None`, else the sets that list it themselves.
    entries: ByLength<SetMask>,
    /// The sets each set includes, when inclusion is too deep to list every holder.
    includes: Option<Vec<Vec<u32>>>,
}

/// `text` without surrounding white space, as `str::trim` gives it; the usual field,
/// with no space at either end, is returned without a scan.
#[inline]
fn trimmed(text: &str) -> &str {
    let bytes = text.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !char::from(*b).is_whitespace());
    if plain(bytes.first()) && plain(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

impl FieldTable {
    /// The table of a program's field sets, indexed as `FieldSetId`s are.
    pub(crate) fn new(sets: &[FieldSetInfo]) -> FieldTable {
        FieldTable::listing_at_most(sets, None)
    }

    /// The table of `sets`, listing every holder of each field when there are at most
    /// `budget` of them in all (by default, in proportion to the size of the sets).
    fn listing_at_most(sets: &[FieldSetInfo], budget: Option<usize>) -> FieldTable {
        let (fields, listed_by) = fields_and_listers(sets);
        let includes: Vec<Vec<u32>> = sets
            .iter()
            .map(|set| set.includes.iter().map(|id| id.0).collect())
            .collect();
        let links: usize = includes.iter().map(Vec::len).sum();
        let listings: usize = listed_by.iter().map(Vec::len).sum();
        let budget =
            budget.unwrap_or(HOLDERS_PER_ITEM * (sets.len() + links + listings) + HOLDERS_ALWAYS);
        let (masks, includes) = match holders(&listed_by, &includes, budget) {
            Some(held) => (held, None),
            None => (listed_by, Some(includes)),
        };
        let entries = fields
            .into_iter()
            .zip(masks)
            .map(|(field, sets)| (field, SetMask::of_sorted(&sets)))
            .collect();
        FieldTable {
            entries: ByLength::new(entries),
            includes,
        }
    }

    /// The field an applicant's field of study names (compared by
    /// [`field_key`]: case, punctuation, `&` and spaces
    /// ignored); `None` when no field set lists it or a spelling of it.
    pub(crate) fn find(&self, field: &str) -> Option<FieldId> {
        let key = lookup_key(trimmed(field));
        if key.is_empty() {
            return None;
        }
        self.entries
            .position(key.as_bytes(), ascii_lowercase_word)
            .and_then(|i| u32::try_from(i).ok())
            .map(FieldId)
    }

    /// Whether field set `set` lists `field`, itself or through a set it includes.
    pub(crate) fn in_set(&self, field: FieldId, set: FieldSetId) -> bool {
        let Some(mask) = self.entries.entries.get(field.0 as usize).map(|e| &e.value) else {
            return false;
        };
        match &self.includes {
            None => mask.contains(set.0),
            Some(includes) => reaches(includes, set.0, |s| mask.contains(s)),
        }
    }

    /// Whether field set `set` lists the field named `field` (or a spelling of it).
    pub(crate) fn contains(&self, set: FieldSetId, field: &str) -> bool {
        self.find(field).is_some_and(|f| self.in_set(f, set))
    }
}

/// Holders listed per set, inclusion and listing of the rules before a field table stops
/// listing every holder of each field and walks inclusions instead.
const HOLDERS_PER_ITEM: usize = 8;

/// Holders always listed, whatever the size of the rules.
const HOLDERS_ALWAYS: usize = 1 << 16;

/// Every distinct field and spelling (as its [`field_key`], in first-listed order) and the
/// sets that list it themselves, in increasing order. A text without letters or digits
/// matches nothing and is left out.
fn fields_and_listers(sets: &[FieldSetInfo]) -> (Vec<Box<[u8]>>, Vec<Vec<u32>>) {
    let mut fields: Vec<Box<[u8]>> = Vec::new();
    let mut listed_by: Vec<Vec<u32>> = Vec::new();
    let mut index: HashMap<Box<[u8]>, usize> = HashMap::new();
    for (set, info) in sets.iter().enumerate() {
        let set = u32::try_from(set).unwrap_or(u32::MAX);
        let spellings = info.field_info.iter().flat_map(|i| i.spellings.iter());
        for field in info.fields.iter().chain(spellings) {
            let folded: Box<[u8]> = field_key(field).into_bytes().into_boxed_slice();
            if folded.is_empty() {
                continue;
            }
            let at = *index.entry(folded.clone()).or_insert_with(|| {
                fields.push(folded);
                listed_by.push(Vec::new());
                listed_by.len() - 1
            });
            if let Some(listers) = listed_by.get_mut(at)
                && listers.last() != Some(&set)
            {
                listers.push(set);
            }
        }
    }
    (fields, listed_by)
}

/// For each field, every set holding it (listing it, or including a set that holds it), in
/// increasing order; `None` when there are more than `budget` in all.
fn holders(listed_by: &[Vec<u32>], includes: &[Vec<u32>], budget: usize) -> Option<Vec<Vec<u32>>> {
    let mut included_by: Vec<Vec<u32>> = vec![Vec::new(); includes.len()];
    for (set, included) in includes.iter().enumerate() {
        for inner in included {
            if let Some(outer) = included_by.get_mut(*inner as usize) {
                outer.push(u32::try_from(set).unwrap_or(u32::MAX));
            }
        }
    }
    // The last field each set was reached for, so no set is visited twice per field.
    let mut reached_for = vec![usize::MAX; includes.len()];
    let mut total = 0usize;
    let mut all = Vec::with_capacity(listed_by.len());
    for (field, listers) in listed_by.iter().enumerate() {
        let mut held: Vec<u32> = Vec::new();
        let mut queue: Vec<u32> = listers.clone();
        while let Some(set) = queue.pop() {
            match reached_for.get_mut(set as usize) {
                Some(seen) if *seen != field => *seen = field,
                _ => continue,
            }
            held.push(set);
            let outer = included_by.get(set as usize).map_or(&[][..], Vec::as_slice);
            total += 1 + outer.len();
            if total > budget {
                return None;
            }
            queue.extend(outer);
        }
        held.sort_unstable();
        all.push(held);
    }
    Some(all)
}

/// Whether `set`, or a set it includes (directly or not), satisfies `lists`; each set is
/// visited once.
fn reaches(includes: &[Vec<u32>], set: u32, lists: impl Fn(u32) -> bool) -> bool {
    let mut visited = vec![false; includes.len()];
    let mut stack = vec![set];
    while let Some(current) = stack.pop() {
        match visited.get_mut(current as usize) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        if lists(current) {
            return true;
        }
        stack.extend(
            includes
                .get(current as usize)
                .map_or(&[][..], Vec::as_slice),
        );
    }
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;

    fn set(fields: &[&str]) -> FieldSetInfo {
        FieldSetInfo {
            name: Arc::from("set"),
            label: Arc::from("set"),
            description: Arc::from(""),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            field_info: Vec::new(),
            notes: Vec::new(),
            includes: Vec::new(),
        }
    }

    /// Whether set `id` of `sets` holds `field`, by following its inclusions one by one.
    fn holds(sets: &[FieldSetInfo], id: usize, field: &str) -> bool {
        let field = field_key(field);
        if field.is_empty() {
            return false;
        }
        let mut seen = vec![false; sets.len()];
        let mut todo = vec![id];
        while let Some(at) = todo.pop() {
            if std::mem::replace(&mut seen[at], true) {
                continue;
            }
            if sets[at].fields.iter().any(|f| field_key(f) == field) {
                return true;
            }
            todo.extend(sets[at].includes.iter().map(|i| i.0 as usize));
        }
        false
    }

    #[test]
    fn names_match_exactly() {
        let table = NameTable::new([("bachelor", 3), ("associate", 2), ("phd", 5), ("ba", 9)]);
        assert_eq!(table.get("bachelor"), Some(3));
        assert_eq!(table.get("phd"), Some(5));
        assert_eq!(table.get("ba"), Some(9));
        assert_eq!(table.get("Bachelor"), None);
        assert_eq!(table.get("bachelor "), None);
        assert_eq!(table.get(""), None);
        let repeated = NameTable::new([("x", 1), ("x", 2)]);
        assert_eq!(repeated.get("x"), Some(1));
    }

    #[test]
    fn fields_match_trimmed_and_without_ascii_case() {
        let sets = [
            set(&["Finance", "Public Administration"]),
            set(&["finance", "Social Work"]),
        ];
        let table = FieldTable::new(&sets);
        let finance = table.find("  FINANCE\t").unwrap();
        assert!(table.in_set(finance, FieldSetId(0)));
        assert!(table.in_set(finance, FieldSetId(1)));
        assert!(!table.in_set(finance, FieldSetId(2)));
        assert!(table.contains(FieldSetId(1), "social work"));
        assert!(!table.contains(FieldSetId(0), "social work"));
        assert!(!table.contains(FieldSetId(0), "Financ"));
        assert_eq!(table.find("Économie"), None);
    }

    #[test]
    fn fields_match_ignoring_punctuation_ampersands_and_spaces_and_by_spelling() {
        let mut admin = set(&["Healthcare Administration", "Science & Technology"]);
        admin.field_info = vec![
            crate::check::model::FieldInfo {
                spellings: vec!["Health Care Administration".to_owned()],
                notes: Vec::new(),
            },
            crate::check::model::FieldInfo::default(),
        ];
        let table = FieldTable::new(&[admin, set(&["..."])]);
        let admin = FieldSetId(0);
        assert!(table.contains(admin, "healthcare administration"));
        assert!(table.contains(admin, "Health  Care Administration."));
        assert!(table.contains(admin, "HEALTH-CARE ADMINISTRATION"));
        assert!(table.contains(admin, "Science and Technology"));
        assert!(table.contains(admin, "science&technology"));
        assert!(!table.contains(admin, "Health Services Administration"));
        assert_eq!(table.find("..."), None);
        assert_eq!(table.find(""), None);
    }

    #[test]
    fn sets_beyond_sixty_four_are_kept() {
        let sets: Vec<FieldSetInfo> = (0..70)
            .map(|i| set(&[if i % 2 == 0 { "Even" } else { "Odd" }]))
            .collect();
        let table = FieldTable::new(&sets);
        for i in 0..70u32 {
            assert_eq!(table.contains(FieldSetId(i), "even"), i % 2 == 0, "{i}");
            assert_eq!(table.contains(FieldSetId(i), "ODD"), i % 2 == 1, "{i}");
        }
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ aAbB]{0,4}",
            "[ \\t]{0,2}(Finance|FINANCE|Social Work|social work|Ünïcode|ünïcode)[ \\t]{0,2}",
            ".{0,6}",
        ]
    }

    proptest! {
        #[test]
        fn field_table_agrees_with_field_sets(
            sets in prop::collection::vec(
                (prop::collection::vec(field(), 0..5), any::<u8>()),
                0..7,
            ),
            queries in prop::collection::vec(field(), 1..8),
        ) {
            // Set `i` includes each earlier set `j` whose bit is set in its byte.
            let sets: Vec<FieldSetInfo> = sets
                .iter()
                .enumerate()
                .map(|(i, (fields, bits))| FieldSetInfo {
                    name: Arc::from("s"),
                    label: Arc::from("s"),
                    description: Arc::from(""),
                    fields: fields.clone(),
                    field_info: Vec::new(),
                    notes: Vec::new(),
                    includes: (0..i)
                        .filter(|j| bits & (1 << j) != 0)
                        .map(|j| FieldSetId(u32::try_from(j).unwrap()))
                        .collect(),
                })
                .collect();
            let listed = FieldTable::new(&sets);
            let walked = FieldTable::listing_at_most(&sets, Some(0));
            prop_assert!(listed.includes.is_none());
            let matches_nothing = |s: &FieldSetInfo| s.fields.iter().all(|f| field_key(f).is_empty());
            prop_assert!(sets.iter().all(matches_nothing) || walked.includes.is_some());
            for query in &queries {
                for i in 0..sets.len() {
                    let id = FieldSetId(u32::try_from(i).unwrap());
                    prop_assert_eq!(listed.contains(id, query), holds(&sets, i, query));
                    prop_assert_eq!(walked.contains(id, query), holds(&sets, i, query));
                }
            }
        }

        #[test]
        fn trimming_agrees_with_str_trim(
            text in "[ \t\u{a0}\u{2003}]{0,2}[a-zA-Z \u{a0}é]{0,6}[ \t\u{a0}\u{2003}]{0,2}",
            any in ".{0,8}",
        ) {
            prop_assert_eq!(trimmed(&text), text.trim());
            prop_assert_eq!(trimmed(&any), any.trim());
        }

        #[test]
        fn words_are_the_bytes_they_cover(bytes in prop::collection::vec(any::<u8>(), 0..24)) {
            let mut padded = [0u8; 8];
            for (slot, byte) in padded.iter_mut().zip(&bytes) {
                *slot = *byte;
            }
            prop_assert_eq!(head(&bytes), u64::from_le_bytes(padded));
            let lowered: Vec<u8> = padded.iter().map(u8::to_ascii_lowercase).collect();
            let lowered = u64::from_le_bytes(<[u8; 8]>::try_from(lowered).unwrap());
            prop_assert_eq!(ascii_lowercase_word(head(&bytes)), lowered);
        }

        #[test]
        fn long_names_and_fields_agree_with_a_scan(
            names in prop::collection::vec("[aB_]{6,20}", 0..8),
            query in "[aB_]{6,20}",
        ) {
            prop_assert_eq!(table_lookup(&names, &query), scanned(&names, &query));
            let sets = [set(&names.iter().map(String::as_str).collect::<Vec<_>>())];
            let fields = FieldTable::new(&sets);
            prop_assert_eq!(fields.contains(FieldSetId(0), &query), holds(&sets, 0, &query));
        }

        #[test]
        fn name_table_agrees_with_a_scan(
            names in prop::collection::vec("[a-c_]{0,4}", 0..8),
            query in "[a-c_]{0,4}",
        ) {
            prop_assert_eq!(table_lookup(&names, &query), scanned(&names, &query));
        }
    }

    /// The id a [`NameTable`] of `names` (each numbered by its place) gives `query`.
    fn table_lookup(names: &[String], query: &str) -> Option<u32> {
        let table = NameTable::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), u32::try_from(i).unwrap())),
        );
        table.get(query)
    }

    /// The place of the first of `names` equal to `query`, by a plain scan.
    fn scanned(names: &[String], query: &str) -> Option<u32> {
        names
            .iter()
            .position(|n| n == query)
            .map(|i| u32::try_from(i).unwrap())
    }
}
