//! Escaping of user-controlled text before it reaches a terminal, so that a
//! library file cannot move the cursor, retitle the window or set the
//! clipboard through an escape sequence.

/// Escapes control characters (`\u{1b}` and the rest) as visible text.
/// `keep_newlines` keeps line breaks and tabs, for multi-line bodies.
pub fn sanitize(text: &str, keep_newlines: bool) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' if keep_newlines => out.push('\t'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_control_characters() {
        assert_eq!(sanitize("a\x1b[31mb\nc", false), "a\\u{1b}[31mb\\nc");
        assert_eq!(sanitize("a\nb\x07", true), "a\nb\\u{7}");
        assert_eq!(sanitize("plain", false), "plain");
    }
}
