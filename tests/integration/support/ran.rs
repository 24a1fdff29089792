//! What a finished command did ([`Ran`]), and how a failure shows it: the
//! command line, the exit code and both streams, with enough of each to see
//! what went wrong.

use std::fmt;
use std::process::{ExitStatus, Output};

use super::sandbox::NOW;

/// What a finished command did.
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub status: ExitStatus,
    /// The command line as shown in failure messages.
    pub command: String,
}

impl Ran {
    pub(super) fn new(output: Output, command: String, strict_utf8: bool) -> Ran {
        let text = |bytes: Vec<u8>, name: &str| {
            String::from_utf8(bytes).unwrap_or_else(|e| {
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                if strict_utf8 {
                    panic!("{name} of `{command}` is not UTF-8:\n{lossy}");
                }
                lossy
            })
        };
        Ran {
            stdout: text(output.stdout, "stdout"),
            stderr: text(output.stderr, "stderr"),
            status: output.status,
            command,
        }
    }

    /// The exit code; a command killed by a signal fails the test, with its output.
    #[track_caller]
    pub fn code(&self) -> i32 {
        self.status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal\n{self}"))
    }

    /// stdout, then stderr: what a person on a terminal would see, roughly.
    pub fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }
}

/// The whole story of a run, for failure messages: `assert!(…, "{ran}")`.
impl fmt::Display for Ran {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(
            f,
            "environment: cleared, then HOME, XDG_* and TMPDIR in the sandbox, LANG=C.UTF-8, REPLY_NOW={NOW}"
        )?;
        match self.status.code() {
            Some(c) => writeln!(f, "exit code: {c}")?,
            None => writeln!(f, "exit: {}", self.status)?,
        }
        stream(f, "stdout", &self.stdout)?;
        stream(f, "stderr", &self.stderr)
    }
}

/// Enough to see what went wrong without burying the rest of the report.
const SHOWN: usize = 6000;

fn cut(text: &str) -> (&str, usize) {
    let mut end = text.len().min(SHOWN);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], text.len() - end)
}

/// A stream as lines, marked so that blank lines and the absence of a final
/// newline are visible.
fn stream(f: &mut fmt::Formatter<'_>, name: &str, text: &str) -> fmt::Result {
    if text.is_empty() {
        return writeln!(f, "{name}: (empty)");
    }
    writeln!(f, "{name}:")?;
    let (shown, rest) = cut(text);
    for line in shown.lines() {
        writeln!(f, "  | {line}")?;
    }
    if rest > 0 {
        writeln!(f, "  … {rest} more bytes")?;
    } else if !text.ends_with('\n') {
        writeln!(f, "  (no final newline)")?;
    }
    Ok(())
}

/// An exact expectation that failed, both texts quoted so that every
/// character shows.
pub(super) fn differs(name: &str, want: &str, got: &str) -> String {
    let (w, w_rest) = cut(want);
    let (g, g_rest) = cut(got);
    let more = |n: usize| {
        if n > 0 {
            format!(" … {n} more bytes")
        } else {
            String::new()
        }
    };
    format!(
        "{name} is not the expected text\n  expected: {w:?}{}\n  got:      {g:?}{}",
        more(w_rest),
        more(g_rest)
    )
}
