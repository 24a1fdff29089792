//! Everything that reaches the terminal goes through here: one buffered stdout
//! writer, stderr for diagnostics (a failed write there never panics), and the
//! colour decision for each stream.

use std::io::{self, IsTerminal, Write};

use super::style::{Style, colour_severity, paint};
use crate::diag::{Diagnostic, Severity};

/// When to use colour: `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    pub fn parse(s: &str) -> Option<ColorWhen> {
        match s {
            "auto" => Some(ColorWhen::Auto),
            "always" => Some(ColorWhen::Always),
            "never" => Some(ColorWhen::Never),
            _ => None,
        }
    }
}

/// What decides colour besides the streams themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColorRules {
    pub when: ColorWhen,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `TERM=dumb`.
    pub dumb: bool,
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
    pub fn stdio(rules: ColorRules, quiet: bool) -> Out {
        let tty = io::stdout().is_terminal();
        let err_tty = io::stderr().is_terminal();
        let decide = |is_tty: bool| match rules.when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => !rules.no_color && is_tty && !rules.dumb,
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

    /// A question on stderr, with no line end, flushed so it shows before the
    /// answer is read; never silenced (`--quiet` silences notes, not questions).
    pub fn prompt(&mut self, text: &str) {
        let _ = self.out.flush();
        let _ = write!(self.err, "{text}");
        let _ = self.err.flush();
    }

    /// The error a command ended with, on stderr.
    pub fn report(&mut self, e: &crate::diag::Error) {
        if let Some(d) = e.diagnostic() {
            self.diagnostic(&d);
        }
    }

    /// Whether stderr shows colour.
    pub fn err_color(&self) -> bool {
        self.err_color
    }

    /// A diagnostic on stderr: errors always, warnings and hints unless `--quiet`.
    pub fn diagnostic(&mut self, d: &Diagnostic) {
        match d.severity {
            Severity::Error => self.error(&d.to_string()),
            Severity::Warning | Severity::Hint => self.warn(&d.to_string()),
        }
    }
}
