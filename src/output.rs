//! Everything that reaches the terminal goes through here: one buffered stdout
//! writer, stderr for diagnostics, the colour decision, and escaping of user
//! text shown on a terminal.

use std::io::{self, IsTerminal, Write};
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::cli::ColorChoice;
use crate::config::Env;

/// A text style; only emitted when colour is on.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Bold,
    Dim,
    Match,
    Error,
    Warning,
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
            Style::Good => "32",
            Style::Id => "36",
        }
    }
}

pub struct Out {
    out: Box<dyn Write>,
    err: Box<dyn Write>,
    /// stdout is a terminal (decides alignment, final newline, clipboard in auto mode).
    pub tty: bool,
    pub color: bool,
    err_color: bool,
    pub quiet: bool,
}

impl Out {
    /// The process's stdout and stderr. Colour: `--color`, then `NO_COLOR`
    /// (any non-empty value), then whether each stream is a terminal.
    pub fn stdio(choice: ColorChoice, env: &Env, quiet: bool) -> Out {
        let tty = io::stdout().is_terminal();
        let err_tty = io::stderr().is_terminal();
        let allowed = env.get("NO_COLOR").is_none();
        let decide = |is_tty: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => allowed && is_tty && env.get("TERM") != Some("dumb"),
        };
        Out {
            out: Box::new(io::BufWriter::new(io::stdout().lock())),
            err: Box::new(io::stderr()),
            tty,
            color: decide(tty),
            err_color: decide(err_tty),
            quiet,
        }
    }

    pub fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color, style, text)
    }

    /// Writes to stdout as is.
    pub fn write(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    pub fn line(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// A message on stderr that is always shown (errors).
    pub fn error(&mut self, text: &str) {
        let text = colour_severity(self.err_color, text);
        // stderr going away leaves nobody to tell: ignore that failure.
        let _ = writeln!(self.err, "{text}");
    }

    /// A warning or note on stderr, silenced by `--quiet`.
    pub fn warn(&mut self, text: &str) {
        if !self.quiet {
            self.error(text);
        }
    }

    /// A line of information on stderr ("Rendered `x`", "Copied…"), silenced by `--quiet`.
    pub fn info(&mut self, text: &str) {
        if !self.quiet {
            let _ = writeln!(self.err, "{text}");
        }
    }

    #[cfg(test)]
    pub fn capture() -> (Out, std::rc::Rc<std::cell::RefCell<Vec<u8>>>) {
        let buf = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        struct W(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
        impl Write for W {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.borrow_mut().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let out = Out {
            out: Box::new(W(buf.clone())),
            err: Box::new(io::sink()),
            tty: false,
            color: false,
            err_color: false,
            quiet: false,
        };
        (out, buf)
    }
}

pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on && !text.is_empty() {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

/// Colours the leading `error:`/`warning:` of diagnostic lines.
pub fn colour_severity(on: bool, text: &str) -> String {
    if !on {
        return text.to_string();
    }
    text.lines()
        .map(|l| {
            for (word, style) in [("error:", Style::Error), ("warning:", Style::Warning)] {
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

/// Escapes control characters so that reply text cannot move the cursor or
/// change colours on a terminal. `keep_newlines` for multi-line bodies.
pub fn sanitize(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
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
    fn sanitize_escapes_control_characters() {
        assert_eq!(sanitize("a\x1b[31mb\nc", false), "a\\u{1b}[31mb\\nc");
        assert_eq!(sanitize("a\nb\x07", true), "a\nb\\u{7}");
    }

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
