//! How text looks on a terminal: styles (only when colour is on), the
//! highlighting of matched characters, display widths, aligned tables.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::util::escape::sanitize;

/// A text style; only emitted when colour is on.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Bold,
    Dim,
    Match,
    Error,
    Warning,
    Hint,
    Good,
    Id,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Match => "1;33",
            Style::Error => "1;31",
            Style::Warning => "1;33",
            Style::Hint => "1;36",
            Style::Good => "32",
            Style::Id => "36",
        }
    }
}

pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on && !text.is_empty() {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

/// Colours the leading `error:`/`warning:`/`hint:` of diagnostic lines.
pub fn colour_severity(on: bool, text: &str) -> String {
    if !on {
        return text.to_string();
    }
    text.lines()
        .map(|l| {
            for (word, style) in [
                ("error:", Style::Error),
                ("warning:", Style::Warning),
                ("hint:", Style::Hint),
            ] {
                if let Some(i) = l.find(word).filter(|&i| i == 0 || l[..i].ends_with(": ")) {
                    return format!(
                        "{}{}{}",
                        &l[..i],
                        paint(true, style, word),
                        &l[i + word.len()..]
                    );
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` (sanitized) with the characters in `ranges` (character indices) highlighted.
pub fn highlight(on: bool, text: &str, ranges: &[Range<usize>]) -> String {
    if !on || ranges.is_empty() {
        return sanitize(text, false);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    for r in ranges {
        let (s, e) = (r.start.min(chars.len()), r.end.min(chars.len()));
        if s < pos {
            continue;
        }
        out.push_str(&sanitize(&chars[pos..s].iter().collect::<String>(), false));
        out.push_str(&paint(
            true,
            Style::Match,
            &sanitize(&chars[s..e].iter().collect::<String>(), false),
        ));
        pos = e;
    }
    out.push_str(&sanitize(&chars[pos..].iter().collect::<String>(), false));
    out
}

/// Display width of text that may hold colour codes.
pub fn width(text: &str) -> usize {
    let mut plain = String::with_capacity(text.len());
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => plain.push(c),
        }
    }
    UnicodeWidthStr::width(plain.as_str())
}

/// Rows as a table: aligned columns on a terminal, tab-separated otherwise
/// (stable for `cut -f` and `awk -F'\t'`). The last column is never padded.
pub fn table(rows: &[Vec<String>], aligned: bool) -> String {
    let mut out = String::new();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            let last = c + 1 == row.len();
            out.push_str(cell);
            if !last {
                if aligned {
                    out.push_str(&" ".repeat(widths[c] - width(cell) + 2));
                } else {
                    out.push('\t');
                }
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_ranges_only_with_colour() {
        assert_eq!(highlight(false, "envío", &[0..2, 3..4]), "envío");
        assert_eq!(
            highlight(true, "envío", &[0..1, 3..4]),
            "\x1b[1;33me\x1b[0mnv\x1b[1;33mí\x1b[0mo"
        );
    }

    #[test]
    fn table_aligns_by_display_width() {
        let rows = vec![
            vec!["añ".to_string(), "x".into()],
            vec!["abcd".into(), "y".into()],
        ];
        assert_eq!(table(&rows, true), "añ    x\nabcd  y\n");
        assert_eq!(table(&rows, false), "añ\tx\nabcd\ty\n");
    }
}
