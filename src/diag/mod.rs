//! Diagnostics: a message tied to a place in a file, printed compiler-style
//! (`file:line:col: error: message`, the line, a caret) for people and as JSON
//! for tools; and the typed [`Error`] every command returns, rendered here too.
//! Everything a diagnostic quotes (file names, lines, ids) is escaped when it
//! is displayed, so a library file cannot send escape sequences to a terminal.

pub mod error;

use std::fmt;
use std::ops::Range;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::util::escape::sanitize;
pub use error::{Code, Error, Missing, OverLimit, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// A suggestion that costs nothing to ignore (a reply without `examples`
    /// in a library that never uses them): shown, never counted as a
    /// warning, never an error, even under `--deny-warnings`.
    Hint,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
        })
    }
}

/// A place in a file: 1-based line, 1-based column counted in characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The text of that line, for the caret display (empty: no caret shown,
    /// as for a place remembered by line number only).
    #[serde(skip)]
    pub line_text: String,
    /// How many characters the caret underlines (at least one).
    #[serde(skip)]
    pub width: usize,
}

impl Location {
    /// The location of a byte range in `text`, the file named `file`. Scans
    /// `text` up to the range: for many places in one text, use [`Lines`].
    pub fn at(file: &str, text: &str, range: Range<usize>) -> Location {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..start].matches('\n').count() + 1;
        Location::on_line(file, text, range, line, line_start)
    }

    /// The location of `range`, which starts on the 1-based `line` that
    /// begins at byte `line_start`.
    fn on_line(
        file: &str,
        text: &str,
        range: Range<usize>,
        line: usize,
        line_start: usize,
    ) -> Location {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let column = text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(text, range.end.clamp(start, line_end));
        let width = text[start..end].chars().count().max(1);
        Location {
            file: file.to_string(),
            line,
            column,
            line_text: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            width,
        }
    }
}

/// Where each line of a text starts, so that the locations of many
/// diagnostics in one file cost a binary search each instead of a scan from
/// the top (a 50,000-reply file with a warning per reply would otherwise be
/// quadratic).
#[derive(Debug, Clone, Default)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// The location of a byte range in `text` (the text this index was
    /// built from), the file named `file`.
    pub fn at(&self, file: &str, text: &str, range: Range<usize>) -> Location {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let (line, line_start) = self.line_of(start);
        Location::on_line(file, text, range, line, line_start)
    }

    /// The 1-based line, and 1-based column in characters, of byte `offset`.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let (line, start) = self.line_of(offset);
        (line, text[start..offset].chars().count() + 1)
    }

    /// The 1-based line holding byte `offset`, and where that line starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, self.starts.get(line - 1).copied().unwrap_or(0))
    }
}

impl Location {
    /// A place known by its line only (no text to quote).
    pub fn line(file: &str, line: usize) -> Location {
        Location {
            file: file.to_string(),
            line,
            column: 1,
            line_text: String::new(),
            width: 1,
        }
    }
}

/// How much of a long line a diagnostic quotes: characters before the place,
/// and in all.
const QUOTE_BEFORE: usize = 60;
const QUOTE_WIDTH: usize = 160;

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The reply the diagnostic is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    pub message: String,
    /// Further lines: the other place of a duplicate, the expected keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A short name for the rule, for `check --format json` and for silencing.
    pub code: &'static str,
    /// Diagnostics this one stands on (the errors of the file a reply is in),
    /// already rendered: shown after it, one a paragraph.
    #[serde(skip)]
    pub related: Vec<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            location: None,
            reply: None,
            message: message.into(),
            notes: Vec::new(),
            hint: None,
            code,
            related: Vec::new(),
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, code, message)
    }

    pub fn hint_only(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Hint, code, message)
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn reply(mut self, id: &str) -> Self {
        self.reply = Some(id.to_string());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(
                f,
                "{}:{}:{}: ",
                sanitize(&loc.file, false),
                loc.line,
                loc.column
            )?;
        }
        write!(f, "{}: {}", self.severity, sanitize(&self.message, true))?;
        if let Some(loc) = self.location.as_ref().filter(|l| !l.line_text.is_empty()) {
            let num = loc.line.to_string();
            let pad = " ".repeat(num.len());
            // Tabs would shift the caret: show them as one space each, like rustc.
            let chars: Vec<char> = loc
                .line_text
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            // A long line (a one-line template of a megabyte) is shown as a
            // window around the place, not whole.
            let at = loc.column - 1;
            let from = at.saturating_sub(QUOTE_BEFORE);
            let to = chars
                .len()
                .min(from + QUOTE_WIDTH)
                .max(at + 1)
                .min(chars.len());
            let piece = |a: usize, b: usize| {
                sanitize(&chars[a.min(b)..b].iter().collect::<String>(), false)
            };
            let (lead, tail) = (
                if from > 0 { "…" } else { "" },
                if to < chars.len() { "…" } else { "" },
            );
            let before = format!("{lead}{}", piece(from, at.min(chars.len())));
            let marked = piece(at.min(chars.len()), (at + loc.width).min(to));
            write!(
                f,
                "\n{pad} |\n{num} | {lead}{}{tail}\n{pad} | {}{}",
                piece(from, to),
                " ".repeat(before.width()),
                "^".repeat(marked.width().max(1))
            )?;
        }
        for note in &self.notes {
            write!(f, "\n  = note: {}", sanitize(note, true))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {}", sanitize(hint, true))?;
        }
        for r in &self.related {
            write!(f, "\n{}", sanitize(r, true))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "a = 1\ntítulo = 'x'\n";
        let at = text.find("= 'x'").unwrap();
        let loc = Location::at("f.toml", text, at..at + 1);
        assert_eq!((loc.line, loc.column), (2, 8));
        assert_eq!(loc.line_text, "título = 'x'");
    }

    #[test]
    fn the_line_index_gives_every_location_a_scan_would() {
        let text = "\n[a]\r\ntítulo = 'ñ'\n\n\nend = \"é\"";
        let lines = Lines::new(text);
        for start in 0..=text.len() + 2 {
            for len in [0, 1, 3, 40] {
                let range = start..start + len;
                assert_eq!(
                    lines.at("f", text, range.clone()),
                    Location::at("f", text, range.clone()),
                    "{range:?}"
                );
            }
        }
    }

    #[test]
    fn a_long_line_is_quoted_around_the_place() {
        let text = format!(
            "body = \"{}{{{{ x + }}}}{}\"\n",
            "a".repeat(500),
            "b".repeat(500)
        );
        let at = text.find("+").unwrap();
        let d = Diagnostic::error("template", "bad").at(Location::at("r.toml", &text, at..at + 1));
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[2].chars().count() < 200, "{shown}");
        assert!(
            lines[2].contains("…a") && lines[2].contains("b…"),
            "{shown}"
        );
        // Columns, not bytes: the `…` is one column and three bytes.
        let caret = lines[3].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[2].chars().nth(caret), Some('+'), "{shown}");
    }

    #[test]
    fn a_hint_is_displayed_and_encoded_as_hint() {
        let d = Diagnostic::hint_only("no-examples", "no examples");
        assert_eq!(d.to_string(), "hint: no examples");
        assert!(!d.is_error() && !d.is_warning());
        assert_eq!(serde_json::to_value(&d).unwrap()["severity"], "hint");
    }

    #[test]
    fn display_is_compiler_style() {
        let text = "[a]\ntittle = 'x'\n";
        let d = Diagnostic::error("unknown-field", "unknown field `tittle`")
            .at(Location::at("r.toml", text, 4..10))
            .hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "r.toml:2:1: error: unknown field `tittle`\n  |\n2 | tittle = 'x'\n  | ^^^^^^\n  = hint: did you mean `title`?"
        );
    }
}
