//! The error every command returns: the few kinds callers branch on (nothing
//! matched, values missing, over a platform's limit, a bad template or library,
//! bad usage, the clipboard, the output), each rendered in one place as a
//! diagnostic with its hint, and the exit code it maps to.

use std::fmt;
use std::io;

use super::Diagnostic;

/// Exit codes, documented in `reply --help`, the man page and README. Scripts branch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Nothing matched: a query, or an id that names no reply.
    NoMatch = 1,
    /// Bad usage or bad data: library, template, missing variable, over a platform limit.
    Data = 2,
    /// The clipboard could not be reached by any means.
    Clipboard = 3,
    /// An I/O error writing the result (other than a closed pipe).
    Io = 4,
    /// Ctrl-C in the picker or at a prompt (as a shell counts SIGINT).
    Interrupted = 130,
}

/// Values a reply needs that nobody gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub reply: String,
    /// Variable names (`order`, or `order.id` for a field of given data), in template order.
    pub names: Vec<String>,
    /// The reply is in the built-in starter library, where no default can be added.
    pub read_only: bool,
}

/// Where missing values were asked for: a single render, or one record of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Render,
    Record,
}

impl Missing {
    pub fn diagnostic(&self, asked: Asked) -> Diagnostic {
        let list = self
            .names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let how = self
            .names
            .iter()
            .map(|n| how_to_give(n))
            .collect::<Vec<_>>()
            .join(", ");
        let one = self.names.len() == 1;
        let (it, them) = (
            if one { "it" } else { "them" },
            if one { "a value" } else { "values" },
        );
        let give = match asked {
            Asked::Render => format!("give {it} with {how}"),
            // The flag alone would give every record the same value: the field first.
            Asked::Record => format!(
                "an empty field is a missing value: fill {it} in this record, or give {it} to every record with {how}"
            ),
        };
        let default = if self.read_only {
            format!(
                "or, to give it a default, run `reply init` to copy the starter library into your own library, then add one under [{}.defaults] there",
                self.reply
            )
        } else {
            format!("or add a default under [{}.defaults]", self.reply)
        };
        Diagnostic::error(
            "missing",
            format!(
                "reply `{}` needs {them} for {list}: nothing was sent",
                self.reply
            ),
        )
        .hint(format!("{give}; {default}"))
    }
}

/// How to give a value, for the missing-variable message.
pub fn how_to_give(name: &str) -> String {
    match name {
        "customer" => "--customer NAME".to_string(),
        "agent" => "--agent NAME (or `agent` in the config, or REPLY_AGENT)".to_string(),
        "brand" => "--brand NAME (or `brand` in the config, or REPLY_BRAND)".to_string(),
        // `-v` takes plain names only: a field of an object comes from data.
        other if other.contains('.') => {
            let mut shape = "…".to_string();
            for p in other.split('.').rev() {
                shape = format!("{{\"{p}\": {shape}}}");
            }
            format!("--vars FILE holding {shape}")
        }
        other => format!("-v {other}=…"),
    }
}

/// A rendered message longer than its platform allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverLimit {
    pub reply: String,
    pub platform: String,
    /// The measured length as people read it: "1200 bytes", "400 GSM-7
    /// characters make 3 segments".
    pub length: String,
    pub limit: usize,
    /// How much to cut, and in what: (120, "characters").
    pub cut: (usize, &'static str),
    /// The message is SMS in UCS-2 because of a character outside GSM-7.
    pub ucs2: bool,
}

impl OverLimit {
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            "over-limit",
            format!(
                "reply `{}` is too long for {}: {}, the limit is {}",
                self.reply, self.platform, self.length, self.limit
            ),
        )
        .hint(format!(
            "cut at least {} {}{}; nothing was sent",
            self.cut.0,
            self.cut.1,
            if self.ucs2 {
                " (or remove the characters outside GSM-7, e.g. emoji, to fit 160 per message)"
            } else {
                ""
            }
        ))
    }
}

#[derive(Debug)]
pub enum Error {
    /// No reply matched a query, or an id names none (exit 1).
    NoMatch(Box<Diagnostic>),
    /// A reply needs values nobody gave (exit 2).
    Missing(Box<Missing>),
    /// The rendered message is over the platform's limit (exit 2).
    OverLimit(Box<OverLimit>),
    /// A template does not parse or render (exit 2).
    Template(Box<Diagnostic>),
    /// A library file, the config or another input is wrong (exit 2).
    Data(Box<Diagnostic>),
    /// The command line asks for something that cannot be done (exit 2).
    Usage(Box<Diagnostic>),
    /// The clipboard could not be reached; the message says what was tried (exit 3).
    Clipboard(String),
    /// The output could not be written (exit 4); a closed pipe exits quietly.
    Output(io::Error),
    /// The problems were already written (`check` found errors): only the exit status is left.
    Reported,
    /// Esc in the picker or at a prompt: nothing chosen, nothing copied (exit 1, quietly).
    Cancelled,
    /// Ctrl-C in the picker or at a prompt (exit 130, quietly).
    Interrupted,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn no_match(message: impl Into<String>) -> Error {
        Error::NoMatch(Box::new(Diagnostic::error("no-match", message)))
    }

    pub fn data(message: impl Into<String>) -> Error {
        Error::Data(Box::new(Diagnostic::error("data", message)))
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(Box::new(Diagnostic::error("usage", message)))
    }

    /// Adds a hint to an error that is a diagnostic.
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        if let Some(d) = self.diagnostic_mut() {
            d.hint = Some(hint.into());
        }
        self
    }

    /// Adds a note to an error that is a diagnostic.
    pub fn note(mut self, note: impl Into<String>) -> Error {
        if let Some(d) = self.diagnostic_mut() {
            d.notes.push(note.into());
        }
        self
    }

    fn diagnostic_mut(&mut self) -> Option<&mut Diagnostic> {
        match self {
            Error::NoMatch(d) | Error::Template(d) | Error::Data(d) | Error::Usage(d) => Some(d),
            _ => None,
        }
    }

    pub fn code(&self) -> Code {
        match self {
            Error::NoMatch(_) | Error::Cancelled => Code::NoMatch,
            Error::Interrupted => Code::Interrupted,
            Error::Clipboard(_) => Code::Clipboard,
            Error::Output(_) => Code::Io,
            _ => Code::Data,
        }
    }

    /// Only that the reader closed stdout (`reply list | head -1`): nothing to report.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The error as a diagnostic, for display and for JSON.
    pub fn diagnostic(&self) -> Option<Diagnostic> {
        Some(match self {
            Error::NoMatch(d) | Error::Template(d) | Error::Data(d) | Error::Usage(d) => {
                (**d).clone()
            }
            Error::Missing(m) => m.diagnostic(Asked::Render),
            Error::OverLimit(o) => o.diagnostic(),
            Error::Clipboard(message) => Diagnostic::error("clipboard", message.clone()),
            Error::Output(e) => Diagnostic::error("output", format!("cannot write output: {e}")),
            Error::Reported | Error::Cancelled | Error::Interrupted => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.diagnostic() {
            Some(d) => d.fmt(f),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Output(e)
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Data(Box::new(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_say_how_to_give_them() {
        let m = Missing {
            reply: "late".into(),
            names: vec!["order".into(), "ship.to".into()],
            read_only: false,
        };
        assert_eq!(
            m.diagnostic(Asked::Render).to_string(),
            "error: reply `late` needs values for `order`, `ship.to`: nothing was sent\n  = hint: give them with -v order=…, --vars FILE holding {\"ship\": {\"to\": …}}; or add a default under [late.defaults]"
        );
        let starter = Missing {
            read_only: true,
            ..m
        };
        assert!(
            starter
                .diagnostic(Asked::Record)
                .to_string()
                .contains("run `reply init`")
        );
    }

    #[test]
    fn codes() {
        assert_eq!(Error::no_match("x").code(), Code::NoMatch);
        assert_eq!(Error::usage("x").code(), Code::Data);
        let pipe = Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(pipe.is_broken_pipe());
        assert_eq!(pipe.code(), Code::Io);
    }
}
