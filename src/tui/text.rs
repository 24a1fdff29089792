//! Text in columns: measured by display width (accents, emoji, CJK), cut with
//! an ellipsis, padded; control characters escaped, so a title cannot move
//! the cursor.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::util::escape::sanitize;

/// `text` on one line, escaped, at most `width` columns (an ellipsis where it
/// was cut).
pub fn fit(text: &str, width: usize) -> String {
    let clean = sanitize(text, false);
    if clean.width() <= width {
        return clean;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `fit`, then spaces up to exactly `width` columns.
pub fn cell(text: &str, width: usize) -> String {
    let mut s = fit(text, width);
    let w = s.width();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

/// Lines of `text` wrapped at `width` columns (words kept whole when they
/// fit), each line escaped.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let raw = sanitize(raw, false).replace("\\t", "    ");
        if raw.is_empty() {
            lines.push(String::new());
            continue;
        }
        let mut line = String::new();
        let mut used = 0;
        for word in raw.split_inclusive(' ') {
            let w = word.width();
            if used + w > width && used > 0 {
                lines.push(line.trim_end().to_string());
                line = String::new();
                used = 0;
            }
            if w > width {
                // A word longer than the line: cut it by columns.
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > width {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(word);
                used += w;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_columns_not_bytes() {
        assert_eq!(fit("Devolución", 20), "Devolución");
        assert_eq!(fit("Devolución de un producto", 10), "Devolució…");
        assert_eq!(fit("注文が遅れています", 7), "注文が…");
        assert_eq!(cell("注文", 6), "注文  ");
        assert_eq!(fit("a\u{1b}[31mb", 20), "a\\u{1b}[31mb");
    }

    #[test]
    fn wrap_keeps_words_and_cuts_long_ones() {
        assert_eq!(wrap("Hi Ana, your order", 10), ["Hi Ana,", "your order"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one\n\ntwo", 10), ["one", "", "two"]);
    }
}
