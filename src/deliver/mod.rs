//! Delivering what `reply` made: stdout and stderr (one writer, colour, the
//! escaping of user text), and the clipboard.

pub mod clipboard;
pub mod output;
pub mod style;

pub use output::{ColorRules, ColorWhen, Out};
pub use style::{Style, highlight, paint, table};

/// Where a rendered message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Copy and show when stdout is a terminal; print only otherwise.
    Auto,
    Copy,
    Print,
    Both,
}

impl OutputMode {
    pub fn parse(s: &str) -> Option<OutputMode> {
        match s {
            "auto" => Some(OutputMode::Auto),
            "copy" => Some(OutputMode::Copy),
            "print" => Some(OutputMode::Print),
            "both" => Some(OutputMode::Both),
            _ => None,
        }
    }
}
