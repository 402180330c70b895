//! What RFC 8259 forbids and the general JSON parser lets through: a raw control character
//! inside a string, and white space other than space, tab, line feed and carriage return
//! between tokens (a vertical tab, a no-break space). An applicant file is strict JSON, so
//! these are syntax errors (Q301), found here in one pass over text the parser accepted.

use std::ops::Range;

/// The first place where `text`, which the general parser read, is not strict JSON, with
/// what is wrong there; `None` when it is strict JSON.
pub(super) fn first_violation(text: &str) -> Option<(Range<usize>, String)> {
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        let range = at..at + c.len_utf8();
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            } else if c < ' ' {
                let code = u32::from(c);
                let message = format!(
                    "a raw control character (U+{code:04X}) in a string; write it as the escape `\\u{code:04x}`"
                );
                return Some((range, message));
            }
        } else if c == '"' {
            in_string = true;
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r')
            && (c.is_whitespace() || c.is_control() || c == '\u{feff}')
        {
            let message = format!(
                "the character U+{:04X} is not JSON white space (only space, tab, line feed and carriage return are)",
                u32::from(c)
            );
            return Some((range, message));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::first_violation;

    #[test]
    fn strict_json_has_no_violation() {
        for text in [
            r#"{"a": "b\"c\\", "d": [1, 2.5, true, null]}"#,
            "{\r\n\t\"name\": \"Ana \u{00e9} \\u001b \u{7f}\"\n}",
            "",
        ] {
            assert_eq!(first_violation(text), None, "{text:?}");
        }
    }

    #[test]
    fn raw_controls_in_strings_and_other_white_space_are_found_where_they_are() {
        let (range, message) = first_violation("{\"name\": \"A\u{1b}B\"}").unwrap();
        assert_eq!(range, 11..12);
        assert!(
            message.contains("U+001B") && message.contains("\\u001b"),
            "{message}"
        );
        let (range, _) = first_violation("{\"a\":\u{b}1}").unwrap();
        assert_eq!(range, 5..6);
        let (range, message) = first_violation("{\"a\":\u{a0}1}").unwrap();
        assert_eq!(range, 5..7);
        assert!(message.contains("U+00A0"), "{message}");
        let (range, _) = first_violation("{\"a\":\"x\"\u{feff}}").unwrap();
        assert_eq!(range, 8..11);
        // A control character after an escaped quote is still inside the string.
        let (range, _) = first_violation("{\"a\":\"\\\"\t\"}").unwrap();
        assert_eq!(range, 8..9);
    }
}
