//! CSV records: finding where a record ends (line ends inside quotes), the
//! malformed quoting the `csv` crate would silently accept, and the header's
//! column names.

use std::collections::HashSet;

use crate::diag::Diagnostic;
use crate::library::valid_var_name;

/// Where the CSV scanner is within a record: the quoting rules of RFC 4180.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of the field, or the first of `""`.
    ClosingQuote,
}

/// Finds where a CSV record ends (a line end outside quotes) and notices
/// malformed quoting, which the `csv` crate would silently accept.
pub(super) struct Scan {
    pub(super) state: State,
    /// The line the open quoted field started on.
    pub(super) opened: usize,
    /// Text right after a closing quote (`"abc"def`): the line, the character.
    pub(super) stray: Option<(usize, char)>,
}

impl Scan {
    pub(super) fn new() -> Self {
        Scan {
            state: State::FieldStart,
            opened: 0,
            stray: None,
        }
    }

    pub(super) fn feed(&mut self, bytes: &[u8], line: usize) {
        use State::*;
        for (i, &b) in bytes.iter().enumerate() {
            self.state = match (self.state, b) {
                (FieldStart, b'"') => {
                    self.opened = line;
                    Quoted
                }
                (FieldStart | Unquoted, b',' | b'\n') => FieldStart,
                // A quote inside an unquoted field is text (`27" screen`).
                (FieldStart | Unquoted, _) => Unquoted,
                (Quoted, b'"') => ClosingQuote,
                (Quoted, _) => Quoted,
                (ClosingQuote, b'"') => Quoted,
                (ClosingQuote, b',' | b'\n' | b'\r' | b' ' | b'\t') => FieldStart,
                (ClosingQuote, _) => {
                    if self.stray.is_none() {
                        let c = String::from_utf8_lossy(&bytes[i..])
                            .chars()
                            .next()
                            .unwrap_or('?');
                        self.stray = Some((line, c));
                    }
                    Unquoted
                }
            };
        }
    }
}

/// CSV state: the header's columns (`None` for a column that is not a
/// variable name), and the scanner of the record being assembled.
pub(super) struct Csv {
    pub(super) columns: Option<Vec<Option<String>>>,
    pub(super) record: Vec<u8>,
    /// Where each line of `record` starts, with its line number.
    pub(super) starts: Vec<(usize, usize)>,
    pub(super) field: csv::StringRecord,
}

/// The header's names: trimmed; a name that is not a variable (or repeats
/// one) becomes `None` with a warning, so one odd column does not stop a run.
pub(super) fn header_columns(
    header: &csv::StringRecord,
    line: usize,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Option<String>> {
    let mut seen = HashSet::new();
    header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.trim();
            if name.is_empty() {
                return None;
            }
            if !valid_var_name(name) {
                warnings.push(
                    Diagnostic::warning(
                        "csv-header",
                        format!(
                            "line {line}: column {} `{name}` is not a variable name, so templates cannot use it",
                            i + 1
                        ),
                    )
                    .hint(format!(
                        "rename it with letters, digits and `_`, e.g. `{}`",
                        suggest_name(name)
                    )),
                );
                return None;
            }
            if !seen.insert(name.to_string()) {
                warnings.push(Diagnostic::warning(
                    "csv-header",
                    format!(
                        "line {line}: column {} repeats the name `{name}`: the first column of that name is used",
                        i + 1
                    ),
                ));
                return None;
            }
            Some(name.to_string())
        })
        .collect()
}

fn suggest_name(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    match s.chars().next() {
        Some(c) if c.is_alphabetic() || c == '_' => s,
        _ => format!("_{s}"),
    }
}

pub(super) fn csv_problem(e: &csv::Error) -> Diagnostic {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => Diagnostic::error("record", "the text is not UTF-8")
            .hint("export or save the file as CSV UTF-8"),
        _ => Diagnostic::error("record", format!("cannot read it as CSV: {e}")),
    }
}
