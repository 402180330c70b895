//! Rephrases pest's "expected X, Y, Z" into words a policy writer understands.

use std::collections::BTreeSet;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Builds the diagnostic for a syntax error in the item starting at `base`.
/// Returns it with the absolute offset of the error.
pub(crate) fn describe(
    file: FileId,
    text: &str,
    base: usize,
    error: &Error<Rule>,
) -> (Diagnostic, usize) {
    describe_in(file, text, base, error, Whole::RuleFile)
}

/// What the text being parsed is, for the words of a syntax error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Whole {
    RuleFile,
    Expression,
}

/// Like [`describe`], naming the text as `whole` ("the rule file", "the expression").
pub(crate) fn describe_in(
    file: FileId,
    text: &str,
    base: usize,
    error: &Error<Rule>,
    whole: Whole,
) -> (Diagnostic, usize) {
    describe_shifted(file, text, base, 0, error, whole)
}

/// Like [`describe_in`], for `text` that starts `shift` bytes into the file: every span and
/// the offset returned are moved by `shift`.
pub(crate) fn describe_shifted(
    file: FileId,
    text: &str,
    base: usize,
    shift: usize,
    error: &Error<Rule>,
    whole: Whole,
) -> (Diagnostic, usize) {
    let location = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // The furthest point pest reached is where the writer's text went wrong.
    // Lookaheads (a keyword must not run on into a name) leave attempts just past a word;
    // those point at white space and are not where the text went wrong.
    // So do attempts just past a reserved word (`recommended` where a name was expected): the
    // look ahead read the word whole to refuse it as a name, and the word is what is wrong.
    let lookahead_artefact = |a: &Attempts| {
        text.get(base + a.at..)
            .is_some_and(|rest| rest.starts_with(char::is_whitespace))
            || ends_reserved_word(text, base + a.at)
    };
    let attempts = Attempts::of(error)
        .filter(|a| a.at >= location && !(a.at > location && lookahead_artefact(a)));
    let relative = attempts.as_ref().map_or(location, |a| a.at);
    let at = (base + relative).min(text.len());
    let mut expected = expected_words(error, attempts.as_ref());
    let found = found_word(text, at);
    let context = match whole {
        Whole::RuleFile => context(text, base, at),
        Whole::Expression => {
            for word in &mut expected {
                if word == "end of file" {
                    *word = "the end of the expression".to_owned();
                }
            }
            "the expression".to_owned()
        }
    };
    let message = match &found {
        Some(word) if word == "end of line" => format!("unexpected end of line in {context}"),
        Some(word) => format!("unexpected `{word}` in {context}"),
        None if whole == Whole::Expression => "the expression ends too early".to_owned(),
        None => format!("unexpected end of file in {context}"),
    };
    let label = if expected.is_empty() {
        "not expected here".to_owned()
    } else {
        format!("expected {}", join_or(&expected))
    };
    let width = found.as_ref().map_or(0, |w| w.len()).max(1);
    let end = (at + width).min(text.len()).max(at);
    let span = Span::new(file, shift + at, shift + end);
    let help = help_for(&expected, found.as_deref());
    let mut diagnostic = Diagnostic::new(Code::Syntax, message, span, label).with_help(help);
    if expected.iter().any(|e| e == CLOSE_PAREN)
        && let Some(open) = unclosed_parenthesis(text, base, at)
    {
        let open_span = Span::new(file, shift + open, shift + open + 1);
        diagnostic = diagnostic.with_label(open_span, "this parenthesis is never closed");
    }
    (diagnostic, shift + at)
}

/// The friendly names of everything pest would have accepted at the error.
/// What pest tried at the furthest position it reached.
struct Attempts {
    at: usize,
    tokens: Vec<String>,
    rules: Vec<Rule>,
}

impl Attempts {
    fn of(error: &Error<Rule>) -> Option<Attempts> {
        let attempts = error.parse_attempts()?;
        Some(Attempts {
            at: attempts.max_position,
            tokens: attempts
                .expected_tokens()
                .iter()
                .map(ToString::to_string)
                .collect(),
            rules: attempts
                .call_stacks()
                .iter()
                .filter_map(|s| s.deepest.get_rule().copied())
                .collect(),
        })
    }
}

fn expected_words(error: &Error<Rule>, attempts: Option<&Attempts>) -> Vec<String> {
    let mut words = BTreeSet::new();
    if let (None, ErrorVariant::ParsingError { positives, .. }) = (attempts, &error.variant) {
        for rule in positives {
            if let Some(word) = rule_words(*rule) {
                words.insert(word.to_owned());
            }
        }
    }
    if let Some(attempts) = attempts {
        words.extend(attempts.tokens.iter().filter_map(|t| token_words(t)));
        // Pest names only the deepest rule of each attempt, and folds many attempts into
        // one; a rule is named only when a token it starts with was attempted too.
        let evidence = Evidence::of(&attempts.tokens);
        words.extend(
            attempts
                .rules
                .iter()
                .filter(|rule| evidence.supports(**rule))
                .filter_map(|rule| rule_words(*rule))
                .map(str::to_owned),
        );
    }
    collapse(&mut words);
    let mut words: Vec<String> = words.into_iter().collect();
    words.sort_by_key(|word| (word_rank(word), word.clone()));
    words
}

/// Folds the pieces of one thing into the thing: the first words of a requirement into "a
/// requirement", the statement keywords of a class or a profile into one phrase.
fn collapse(words: &mut BTreeSet<String>) {
    if words.contains(REQUIREMENT) {
        for piece in ["a name", "a number", "`(`", "`accredited`", AMOUNT] {
            words.remove(piece);
        }
    }
    if words.contains(AMOUNT) {
        words.remove("a number");
    }
    if words.contains("`established`") {
        for keyword in CLASS_STATEMENT_KEYWORDS {
            words.remove(&format!("`{keyword}`"));
        }
        words.insert(CLASS_STATEMENT.to_owned());
    }
    if words.contains("`jurisdiction`") {
        for keyword in PROFILE_STATEMENT_KEYWORDS {
            words.remove(&format!("`{keyword}`"));
        }
        words.insert(PROFILE_STATEMENT.to_owned());
    }
    if words.contains("`class`") {
        for keyword in crate::syntax::TOP_LEVEL_KEYWORDS {
            words.remove(&format!("`{keyword}`"));
        }
        words.insert(TOP_LEVEL.to_owned());
    }
}

/// Keywords first, then descriptions, then what closes: `)`, `}`, the end of the file.
fn word_rank(word: &str) -> u8 {
    match word {
        "`)`" | "`}`" | "end of file" => 2,
        w if w.starts_with('`') => 0,
        _ => 1,
    }
}

const TOP_LEVEL: &str = "`profile`, `fields`, `experience` or `class`";
const REQUIREMENT: &str = "a requirement such as `2 years of program_experience`";
const AMOUNT: &str = "an amount such as `2 years`";
const CLASS_STATEMENT: &str = "a class statement such as `effective 2024-01-01`";
const PROFILE_STATEMENT: &str = "a profile statement such as `full time is 40 hours per week`";
/// Words that start a class statement.
pub(super) const CLASS_STATEMENT_KEYWORDS: [&str; 13] = [
    "note",
    "allow",
    "profile",
    "source",
    "established",
    "revised",
    "effective",
    "statutory",
    "pay",
    "bargaining",
    "civil",
    "board",
    "assert",
];
/// Words that start a profile statement, and the `}` that ends the profile.
pub(super) const PROFILE_STATEMENT_KEYWORDS: [&str; 9] = [
    "note",
    "jurisdiction",
    "credential",
    "a",
    "full",
    "overlapping",
    "several",
    "coursework",
    "}",
];

/// Which kinds of token pest attempted at the error, to tell the rules it names that could
/// start there from those it names only because they hold a token that could.
struct Evidence<'a> {
    tokens: &'a [String],
}

impl<'a> Evidence<'a> {
    fn of(tokens: &'a [String]) -> Evidence<'a> {
        Evidence { tokens }
    }

    fn has(&self, token: &str) -> bool {
        self.tokens.iter().any(|t| t == token)
    }

    /// A character range other than white space and comments: a name, number or date starts.
    fn has_range(&self, first: &str) -> bool {
        self.tokens
            .iter()
            .any(|t| t.strip_prefix(first).is_some_and(|r| r.starts_with("..")))
    }

    fn supports(&self, rule: Rule) -> bool {
        match rule {
            Rule::requirement
            | Rule::conjunction
            | Rule::group
            | Rule::duration_req
            | Rule::credits_req
            | Rule::credential_req => self.has("("),
            Rule::ident
            | Rule::code
            | Rule::unit
            | Rule::unit_word
            | Rule::experience_ref
            | Rule::pooled_categories => self.has_range("a") || self.has_range("A"),
            Rule::number | Rule::amount | Rule::date | Rule::band_value => self.has_range("0"),
            Rule::string | Rule::text => self.has("\""),
            Rule::field_member => self.has("\"") || self.has_range("a"),
            Rule::item | Rule::next_item => self.has("class"),
            Rule::combination | Rule::combination_kind => self.has("equivalent"),
            Rule::combination_part | Rule::education_part => self.has("education"),
            Rule::credential_includes | Rule::combination_includes => self.has("that"),
            Rule::citation => self.has("cite"),
            Rule::EOI => true,
            _ => false,
        }
    }
}

fn token_words(token: &str) -> Option<String> {
    match token {
        "\"" => Some("a quoted text".to_owned()),
        "minimum" => Some("`minimum:`".to_owned()),
        "recommended" => Some("`recommended:`".to_owned()),
        "_" | "#" | " " | "\t" | "\r" | "\n" | "\\" | "-" | "/" | "." | "BUILTIN_RULE" => None,
        t if t.contains("..") => None,
        t => Some(format!("`{t}`")),
    }
}

fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident => "a name",
        Rule::code => "a code",
        Rule::number => "a number",
        Rule::date => "a date such as `2011-09-20`",
        Rule::string | Rule::text => "a quoted text",
        Rule::unit | Rule::unit_word => "a unit such as `years`",
        Rule::amount => AMOUNT,
        Rule::item | Rule::next_item => TOP_LEVEL,
        Rule::requirement
        | Rule::conjunction
        | Rule::group
        | Rule::duration_req
        | Rule::credits_req
        | Rule::credential_req => REQUIREMENT,
        Rule::tier | Rule::tier_kind => "`minimum:` or `recommended:`",
        Rule::level | Rule::kw_level => "`level`",
        Rule::citation => "`cite`",
        Rule::substitution | Rule::kw_substitute => "`substitute`",
        Rule::combination | Rule::combination_kind | Rule::kw_an | Rule::kw_equivalent => {
            "`any combination of …`"
        }
        Rule::kw_combination => "`combination`",
        Rule::combination_part | Rule::education_part => "`education` or an experience category",
        Rule::experience_ref | Rule::pooled_categories => "an experience category",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_of => "`of`",
        Rule::kw_in => "`in`",
        Rule::kw_that | Rule::credential_includes | Rule::combination_includes => "`that includes`",
        Rule::kw_totaling => "`totaling`",
        Rule::band => "`band`",
        Rule::alt_band => "`alt band`",
        Rule::band_value => "a band number",
        Rule::field_member => "a field such as `\"Finance\"`",
        Rule::note | Rule::member_note | Rule::kw_note => "`note`",
        Rule::kw_by => "`by`",
        Rule::label | Rule::kw_label => "`label`",
        Rule::allow | Rule::kw_allow => "`allow`",
        Rule::spellings | Rule::kw_also => "`also`",
        Rule::EOI => "end of file",
        _ => return None,
    })
}

const CLOSE_PAREN: &str = "`)`";

/// The offset of the innermost `(` between `base` and `at` that no `)` closes before `at`,
/// outside strings and comments.
fn unclosed_parenthesis(text: &str, base: usize, at: usize) -> Option<usize> {
    let region = text.get(base..at)?;
    let mut open: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, c) in region.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            in_string = escaped || (c != '"' && c != '\n');
            escaped = !escaped && c == '\\';
        } else {
            match c {
                '"' => in_string = true,
                '#' => in_comment = true,
                '(' => open.push(base + offset),
                ')' => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.pop()
}

/// The word (or single character) at `at`, or `None` at the end of the text.
fn found_word(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let first = rest.chars().next()?;
    if first.is_alphanumeric() || first == '_' {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        rest.get(..end).map(str::to_owned)
    } else if first == '\n' || first == '\r' {
        Some("end of line".to_owned())
    } else {
        Some(first.to_string())
    }
}

/// Where the error sits, in words: "the minimum tier of level `O` in class `K9099`".
fn context(text: &str, base: usize, at: usize) -> String {
    let region = text.get(base..at).unwrap_or("");
    let words = words_outside_strings(region);
    let mut item = None;
    let mut level = None;
    let mut tier = None;
    let mut substitute = false;
    let mut iter = words.iter().peekable();
    while let Some(word) = iter.next() {
        match word.as_str() {
            "profile" | "fields" | "experience" | "class" if item.is_none() => {
                item = Some((word.clone(), iter.peek().map(|w| w.to_string())));
            }
            "level" => {
                level = iter.peek().map(|w| w.to_string());
                tier = None;
                substitute = false;
            }
            "minimum" | "recommended" if level.is_some() => {
                tier = Some(word.clone());
                substitute = false;
            }
            "substitute" => substitute = true,
            _ => {}
        }
    }
    let closed_after_level = region.rfind('}') > region.rfind("level");
    if closed_after_level && brace_depth(region) < 2 {
        // The last level is closed before the error: the error is in the class.
        level = None;
        tier = None;
    }
    let item_words = match &item {
        Some((kind, Some(name))) => match kind.as_str() {
            "class" => format!("class `{name}`"),
            "profile" => format!("profile `{name}`"),
            "fields" => format!("field set `{name}`"),
            _ => format!("experience category `{name}`"),
        },
        Some((kind, None)) => {
            let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{article} `{kind}` item")
        }
        None => return "the rule file".to_owned(),
    };
    match (level, tier) {
        (Some(level), Some(tier)) if substitute => {
            format!("a substitution clause of the {tier} tier of level `{level}` in {item_words}")
        }
        (Some(level), Some(tier)) => format!("the {tier} tier of level `{level}` in {item_words}"),
        (Some(level), None) => format!("level `{level}` of {item_words}"),
        _ => item_words,
    }
}

/// How many `{` are open at the end of `region`, outside strings and comments.
fn brace_depth(region: &str) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    for c in region.chars() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            in_string = c != '"' && c != '\n';
        } else {
            match c {
                '"' => in_string = true,
                '#' => in_comment = true,
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    depth
}

pub(crate) fn words_outside_strings(region: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_string = false;
    let mut in_comment = false;
    for c in region.chars() {
        if in_comment {
            in_comment = c != '\n' && c != '\r';
            continue;
        }
        if in_string {
            in_string = c != '"' && c != '\n' && c != '\r';
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        in_string = c == '"';
        in_comment = c == '#';
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn help_for(expected: &[String], found: Option<&str>) -> String {
    let has = |w: &str| expected.iter().any(|e| e == w);
    if let Some(word) = found {
        if is_reserved(word) && has("a name") {
            return format!("`{word}` is a reserved word and cannot be used as a name");
        }
        if word == "quote" && has("`cite`") {
            return "a `quote` follows the `cite` of the section it is from: \
                    `minimum cite \"Section\" quote \"...\":`"
                .to_owned();
        }
        let keywords = expected
            .iter()
            .filter_map(|e| e.strip_prefix('`')?.strip_suffix('`'))
            .map(|k| k.trim_end_matches(':'))
            .chain(
                CLASS_STATEMENT_KEYWORDS
                    .into_iter()
                    .filter(|_| has(CLASS_STATEMENT)),
            )
            .chain(
                PROFILE_STATEMENT_KEYWORDS
                    .into_iter()
                    .filter(|_| has(PROFILE_STATEMENT)),
            )
            .chain(
                crate::syntax::TOP_LEVEL_KEYWORDS
                    .into_iter()
                    .filter(|_| has(TOP_LEVEL)),
            )
            .filter(|k| k.chars().all(|c| c.is_ascii_alphabetic()));
        let keywords: Vec<&str> = keywords.collect();
        // A keyword with its last letter typed twice (`andd`, `inn`) is that keyword, short
        // as it may be.
        if let Some(doubled) = keywords.iter().find(|k| is_doubled_last_letter(word, k)) {
            return format!("did you mean `{doubled}`?");
        }
        let long = keywords.into_iter().filter(|k| k.len() > 2);
        if let Some(best) = crate::diagnostics::suggest::closest(word, long) {
            return format!("did you mean `{best}`?");
        }
    }
    if has("`)`") {
        return "every `(` needs a matching `)`".to_owned();
    }
    if has(REQUIREMENT) {
        return "a requirement reads like `associate in program_fields and 2 years of program_experience`"
            .to_owned();
    }
    if has("a unit such as `years`") {
        return "units are `years`, `months`, `credits`, `semester credits`, `quarter credits` and `hours`"
            .to_owned();
    }
    if has("a date such as `2011-09-20`") {
        return "write dates as `YYYY-MM-DD` (for example `2011-09-20`) or `M/D/YYYY`".to_owned();
    }
    if has(TOP_LEVEL) {
        return "a rule file holds `profile`, `fields`, `experience` and `class` items".to_owned();
    }
    if has("`:`") {
        return "a tier reads `minimum cite \"Section\": <requirement>`; the `:` comes before the requirement"
            .to_owned();
    }
    if has("`}`") {
        return "check that every `{` has a matching `}` and that each statement is spelled as in the language tour"
            .to_owned();
    }
    "see the language tour in README.md for the shape of each statement".to_owned()
}

/// Whether `word` is `keyword` with its last letter repeated once more.
fn is_doubled_last_letter(word: &str, keyword: &str) -> bool {
    word.strip_prefix(keyword).is_some_and(|rest| {
        !rest.is_empty() && keyword.ends_with(rest) && rest.chars().count() == 1
    })
}

/// The words of the grammar's rule `keyword`, in the order that rule tries them (the order
/// the direct reader of classes relies on). The grammar reads none of them as a name but
/// `includes`: the rule tries `in` first, which fails at the `c`, so `includes` is no keyword.
pub(super) const RESERVED_WORDS: [&str; 23] = [
    "and",
    "or",
    "of",
    "in",
    "that",
    "includes",
    "totaling",
    "substitute",
    "minimum",
    "recommended",
    "level",
    "label",
    "cite",
    "quote",
    "accredited",
    "any",
    "also",
    "allow",
    "combination",
    "education",
    "equivalent",
    "an",
    "note",
];

/// Whether a reserved word ends at `at`, the next character not continuing it.
fn ends_reserved_word(text: &str, at: usize) -> bool {
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let (Some(before), Some(after)) = (text.get(..at), text.get(at..)) else {
        return false;
    };
    if after.starts_with(is_word_char) {
        return false;
    }
    let word_start = before
        .rfind(|c: char| !is_word_char(c))
        .map_or(0, |i| i + 1);
    before.get(word_start..).is_some_and(is_reserved)
}

fn is_reserved(word: &str) -> bool {
    RESERVED_WORDS.contains(&word)
}
