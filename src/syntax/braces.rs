//! Where an item ends by its braces: the scoped read passes classes over by their next
//! unindented item keyword, and a class may hold a statement written at the left margin
//! (`profile p`), which ends the class there for that guess, or be followed by an item
//! written indented, which the guess takes in; its closing brace says where it really ends.

/// The offset just past the `}` that closes the first `{` from `start`, counting braces
/// outside strings and `#` comments; `None` when they never balance, a string runs past its
/// line, or a `}` comes first.
pub(super) fn item_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth: usize = 0;
    let mut at = start;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'#' => at = line_end(bytes, at),
            b'"' => at = string_end(bytes, at)?,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The offset of the line end (`\n` or `\r`) at or after `at`, or of the text's end.
fn line_end(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    at + memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len())
}

/// The offset of the quote closing the string whose opening quote is at `at`; `None` when a
/// line end or the text's end comes first.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut next = at + 1;
    loop {
        match bytes.get(next)? {
            b'"' => return Some(next),
            b'\\' => next += 2,
            b'\n' | b'\r' => return None,
            _ => next += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_ends_at_the_brace_closing_its_first() {
        let text =
            "class C \"{\" {\nprofile p # }\n  level B {\n    x \"}\\\"\"\n  }\n}\nclass D {}";
        let end = item_end(text, 0).unwrap_or(0);
        assert_eq!(text.get(..end).map(|t| t.ends_with("  }\n}")), Some(true));
        assert_eq!(item_end(text, end).map(|e| e == text.len()), Some(true));
        assert_eq!(item_end("class C {\n  \"open\n}", 0), None);
        assert_eq!(item_end("class C { {", 0), None);
        assert_eq!(item_end("} class C {}", 0), None);
    }
}
