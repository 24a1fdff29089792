//! Maps a position inside a decoded TOML string back to its byte in the file,
//! so a template error points at the right column even after escapes.

/// `token` is the string as written in the file, quotes included; `decoded` is a
/// byte offset into its value. Returns the byte offset into `token`.
pub fn raw_offset(token: &str, decoded: usize) -> usize {
    let bytes = token.as_bytes();
    let (quote, multi) = match bytes {
        [b'"', b'"', b'"', ..] => (b'"', true),
        [b'\'', b'\'', b'\'', ..] => (b'\'', true),
        [q, ..] => (*q, false),
        [] => return 0,
    };
    let mut raw = if multi { 3 } else { 1 };
    if multi {
        // TOML trims a newline right after the opening delimiter.
        if token[raw..].starts_with("\r\n") {
            raw += 2;
        } else if token[raw..].starts_with('\n') {
            raw += 1;
        }
    }
    let mut done = 0;
    while raw < bytes.len() && done < decoded {
        if quote == b'"' && bytes[raw] == b'\\' {
            let rest = &token[raw + 1..];
            let (raw_len, out_len) = escape_len(rest);
            raw += 1 + raw_len;
            done += out_len;
        } else {
            let ch_len = token[raw..].chars().next().map_or(1, char::len_utf8);
            raw += ch_len;
            done += ch_len;
        }
    }
    raw
}

/// For the text after a backslash: how many raw bytes the escape takes and how
/// many bytes it decodes to.
fn escape_len(rest: &str) -> (usize, usize) {
    let mut chars = rest.chars();
    match chars.next() {
        Some('u') => (5, decoded_len(&rest[1..rest.len().min(5)])),
        Some('U') => (9, decoded_len(&rest[1..rest.len().min(9)])),
        Some(' ' | '\t' | '\r' | '\n') => {
            // A line-ending backslash eats all whitespace up to the next text.
            let skipped = rest.len() - rest.trim_start().len();
            (skipped, 0)
        }
        Some(_) => (1, 1),
        None => (0, 0),
    }
}

fn decoded_len(hex: &str) -> usize {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(token: &str, decoded: &str, needle: &str) {
        let d = decoded.find(needle).unwrap();
        let r = raw_offset(token, d);
        assert!(token[r..].starts_with(needle), "{token:?} at {r}");
    }

    #[test]
    fn maps_through_quotes_and_escapes() {
        check("'a {{ x }}'", "a {{ x }}", "{{");
        check("\"tab\\there {{ x }}\"", "tab\there {{ x }}", "{{");
        check("\"caf\\u00e9 {{ x }}\"", "café {{ x }}", "{{");
        check(
            "\"\"\"\nline1\nline2 {{ x }}\n\"\"\"",
            "line1\nline2 {{ x }}\n",
            "{{",
        );
        check("\"\"\"\na \\\n   b {{ x }}\"\"\"", "a b {{ x }}", "{{");
        check("'''\r\nraw \\n {{ x }}'''", "raw \\n {{ x }}", "{{");
    }
}
