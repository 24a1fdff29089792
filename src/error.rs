//! The error type every command returns, and the exit codes it maps to.

use std::fmt;
use std::io;

/// Exit codes, documented in `reply --help` and README. Scripts branch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Nothing matched the query.
    NoMatch = 1,
    /// Bad usage or bad data: library, template, missing variable, over a platform limit.
    Data = 2,
    /// The clipboard could not be reached by any means.
    Clipboard = 3,
    /// An I/O error writing the result (other than a closed pipe).
    Io = 4,
}

/// An error a person can act on: the message already names the file, reply or
/// variable, and carries its hint. `Display` prints the whole thing.
#[derive(Debug)]
pub struct Error {
    pub code: Code,
    pub message: String,
    /// Set when the error is only that stdout was closed by the reader.
    pub broken_pipe: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            broken_pipe: false,
        }
    }

    pub fn data(message: impl Into<String>) -> Self {
        Error::new(Code::Data, message)
    }

    pub fn no_match(message: impl Into<String>) -> Self {
        Error::new(Code::NoMatch, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error {
            code: Code::Io,
            broken_pipe: e.kind() == io::ErrorKind::BrokenPipe,
            message: format!("cannot write output: {e}"),
        }
    }
}

/// Builds `Error::data(format!(...))` in one breath.
#[macro_export]
macro_rules! data_err {
    ($($arg:tt)*) => { $crate::error::Error::data(format!($($arg)*)) };
}
