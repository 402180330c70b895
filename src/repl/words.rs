//! Splits a command line into words; a double-quoted text is one word.

/// One word of a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Written in double quotes, so never a keyword.
    pub quoted: bool,
    /// Byte offset of the word (of its opening quote) in the line.
    pub start: usize,
}

impl Word {
    pub fn is(&self, keyword: &str) -> bool {
        !self.quoted && self.text.eq_ignore_ascii_case(keyword)
    }
}

/// The words of `line`. `\"` inside quotes is a quote. An unclosed quote is an error. A
/// `#` outside quotes starts a comment, to the end of its line, as in a statement continued
/// over lines.
pub fn split(line: &str) -> Result<Vec<Word>, String> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            while chars.next_if(|&(_, c)| c != '\n').is_some() {}
            continue;
        }
        let mut text = String::new();
        if c == '"' {
            chars.next();
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            text.push(next);
                        }
                    }
                    _ => text.push(c),
                }
            }
            if !closed {
                return Err("a quoted text is not closed: add the closing `\"`".to_owned());
            }
            words.push(Word {
                text,
                quoted: true,
                start,
            });
        } else {
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || c == '"' || c == '#' {
                    break;
                }
                text.push(c);
                chars.next();
            }
            words.push(Word {
                text,
                quoted: false,
                start,
            });
        }
    }
    Ok(words)
}

/// Quotes `text` for a command line when it needs it.
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn quoted_text_is_one_word() {
        let words = split(r#"add job "Eligibility clerk" cat 2019-01-01.. 20h"#).unwrap();
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "add",
                "job",
                "Eligibility clerk",
                "cat",
                "2019-01-01..",
                "20h"
            ]
        );
        assert!(words[2].quoted);
        assert_eq!(words[2].start, 8);
    }

    #[test]
    fn a_hash_outside_quotes_starts_a_comment_to_the_line_end() {
        let texts = |line: &str| -> Vec<String> {
            split(line).unwrap().into_iter().map(|w| w.text).collect()
        };
        assert_eq!(texts("eval K9099 B # just B"), ["eval", "K9099", "B"]);
        assert_eq!(texts("eval K9099#B"), ["eval", "K9099"]);
        assert_eq!(texts("new \"Ana # Diaz\" # a note"), ["new", "Ana # Diaz"]);
        assert_eq!(texts("add job # first\n\"Clerk\""), ["add", "job", "Clerk"]);
    }

    #[test]
    fn unclosed_quote_is_an_error() {
        assert!(split("add job \"clerk").is_err());
    }

    #[test]
    fn quote_round_trips() {
        let text = "Case \"A\" worker";
        let words = split(&quote(text)).unwrap();
        assert_eq!(words[0].text, text);
    }
}
