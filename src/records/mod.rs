//! Records for `render --each` (mail merge): CSV with a header row, or JSON
//! Lines, read one record at a time so that memory stays flat however long the
//! input, and so that the caller can flush its output before every read that
//! may block (a slow producer sees each message as soon as its record is in).
//!
//! A line ends at `\n`, `\r\n` or a lone `\r` (old Mac exports). A line is
//! at most `MAX_LINE_BYTES` (1 MB, in `lines`): a longer one is a bad record,
//! skipped without being kept; one with no end in 64 MB stops the run, as
//! does an input that held something but not one record (only a header, or
//! only blank lines). An empty input is zero records and no error: what a
//! pipeline that found nothing to send gives.

mod lines;
mod quoting;

use std::io::{self, Read};

use crate::diag::Diagnostic;
use crate::library::Value;
use lines::{Again, Line, Lines, MAX_LINE_BYTES, MAX_RECORD_BYTES};
use quoting::{Csv, Scan, State, csv_problem, header_columns};

/// The formats `--each` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// The format a file name implies, if its extension says.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// Why reading stopped for good (as opposed to one bad record, which is
/// reported in its [`Record`] and does not stop the others).
#[derive(Debug)]
pub enum Stop {
    /// The input could not be read.
    Input(io::Error),
    /// Flushing the output before a read failed (a closed pipe, usually).
    Output(io::Error),
    /// The input as a whole is unusable (a malformed header, a line with no
    /// end, no record at all although the input is not empty).
    Bad(Box<Diagnostic>),
}

/// One record of the input.
#[derive(Debug)]
pub struct Record {
    /// 1-based, counting data records only (not the header or blank lines).
    pub number: usize,
    /// The line of the file the record starts on (1-based).
    pub line: usize,
    /// The record's variables, or why the record could not be read.
    pub values: Result<Vec<(String, Value)>, Box<Diagnostic>>,
}

impl Record {
    /// The value of a column, if the record has it (for reports and output).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .as_ref()
            .ok()?
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Reads records one at a time; see [`Records::next`].
pub struct Records<R> {
    lines: Lines<R>,
    format: Option<Format>,
    csv: Csv,
    line: Vec<u8>,
    number: usize,
    /// The line of the CSV header, once read.
    header_line: Option<usize>,
    warnings: Vec<Diagnostic>,
}

impl<R: Read> Records<R> {
    /// `format` `None`: JSON Lines if the first line starts with `{`, else CSV.
    pub fn new(input: R, format: Option<Format>) -> Self {
        Records {
            lines: Lines::new(input),
            format,
            csv: Csv {
                columns: None,
                record: Vec::new(),
                starts: Vec::new(),
                field: csv::StringRecord::new(),
            },
            line: Vec::new(),
            number: 0,
            header_line: None,
            warnings: Vec::new(),
        }
    }

    /// Warnings gathered since the last call (unusable CSV column names).
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    /// The next record, `None` at the end. `wait` runs before every read of
    /// the input that may block: the caller flushes its output there.
    pub fn next(
        &mut self,
        wait: &mut dyn FnMut() -> io::Result<()>,
    ) -> Result<Option<Record>, Stop> {
        loop {
            let Some((n, line)) = self.lines.next(&mut self.line, wait)? else {
                return self.end();
            };
            if line == Line::Text && self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let format = *self.format.get_or_insert(if self.line.starts_with(b"{") {
                Format::Jsonl
            } else {
                Format::Csv
            });
            if let Line::TooLong(len) = line {
                return self.too_long(format, n, len).map(Some);
            }
            let record = match format {
                Format::Jsonl => Some(self.json(n)),
                Format::Csv => self.csv(n, wait)?,
            };
            if record.is_some() {
                return Ok(record);
            }
        }
    }

    /// A line over the limit: a bad record, or, as the CSV header, the end.
    fn too_long(&mut self, format: Format, line: usize, len: u64) -> Result<Record, Stop> {
        let problem = bad(format!(
            "the line is {len} bytes long, over the limit of {MAX_LINE_BYTES} bytes ({} MB) for a record",
            MAX_LINE_BYTES >> 20
        ))
        .with_hint(
            "the rest of the line was skipped; a record is one line: check that the file has line ends and is CSV or JSON Lines",
        );
        if format == Format::Csv && self.csv.columns.is_none() {
            let mut d = problem;
            d.message = format!("line {line}: the header row: {}", d.message);
            return Err(Stop::Bad(d));
        }
        self.number += 1;
        Ok(Record {
            number: self.number,
            line,
            values: Err(problem),
        })
    }

    /// At the end of the input: an input that held something, but not one
    /// record, is a mistake (the wrong file, a filter that kept only the
    /// header), never a run that did its work.
    fn end(&self) -> Result<Option<Record>, Stop> {
        let lines = self.lines.count();
        if self.number > 0 || lines == 0 {
            return Ok(None);
        }
        Err(Stop::Bad(match self.header_line {
            Some(h) => bad(format!(
                "line {h}: only a header row, and no record below it: nothing to render"
            ))
            .with_hint("add one row per message below the header, or check that this is the file you meant"),
            // Placed as the other whole-input problems are: `FILE:line N: …`.
            None => bad(if lines == 1 {
                "line 1: blank: nothing recognisable as CSV or JSON Lines".to_string()
            } else {
                format!("lines 1-{lines}: all blank: nothing recognisable as CSV or JSON Lines")
            })
            .with_hint("--each reads CSV (a header row, then a record a line) or JSON Lines (a JSON object a line)"),
        }))
    }

    fn json(&mut self, line: usize) -> Record {
        self.number += 1;
        let values = match serde_json::from_slice::<Value>(&self.line) {
            Ok(Value::Object(map)) => Ok(map.into_iter().collect()),
            Ok(other) => Err(bad(format!(
                "the line holds {}, not an object of variables",
                kind(&other)
            ))
            .with_hint("each line is one JSON object, such as {\"customer\": \"Ana\", \"order\": \"A-1042\"}")),
            Err(e) => Err(bad(format!("invalid JSON at column {}: {e}", e.column())).with_hint(
                "each line is one complete JSON object; a line break inside a string is written \\n",
            )),
        };
        Record {
            number: self.number,
            line,
            values,
        }
    }

    /// Assembles a CSV record from the line just read (and more lines while a
    /// quoted field is open). `None` when that was the header.
    fn csv(
        &mut self,
        first: usize,
        wait: &mut dyn FnMut() -> io::Result<()>,
    ) -> Result<Option<Record>, Stop> {
        let c = &mut self.csv;
        c.record.clear();
        c.starts.clear();
        let mut scan = Scan::new();
        let mut n = first;
        // A line over the limit met while a quoted field was open.
        let mut long = None;
        let unclosed = loop {
            c.starts.push((c.record.len(), n));
            c.record.extend_from_slice(&self.line);
            scan.feed(&self.line, n);
            if scan.state != State::Quoted {
                break false;
            }
            if c.record.len() > MAX_RECORD_BYTES {
                break true;
            }
            match self.lines.next(&mut self.line, wait)? {
                Some((next, Line::Text)) => n = next,
                Some((next, Line::TooLong(len))) => {
                    long = Some((next, len));
                    break true;
                }
                None => break true,
            }
        };
        let spans = c.starts.len() > 1;
        let problem = if unclosed {
            Some(
                bad(format!(
                    "unbalanced quotes: the quoted field opened on line {} is never closed",
                    scan.opened
                ))
                .with_hint("close the field with `\"`, and write a quote inside a quoted field twice (\"\")"),
            )
        } else {
            scan.stray.map(|(line, ch)| {
                let also = if spans {
                    format!(
                        "; the quoted field runs from line {} to line {line}, so a quote on line {} is probably unclosed",
                        scan.opened, scan.opened
                    )
                } else {
                    String::new()
                };
                bad(format!(
                    "malformed quotes: `{ch}` right after a closing quote on line {line}{also}"
                ))
                .with_hint("a field with a quote inside is written in quotes with the quote doubled: \"27\"\" screen\"")
            })
        };
        if let Some(problem) = problem {
            // Read the lines after the first again: the unbalanced quote most
            // likely belongs to the first line, and the rows below are fine.
            if let Some((line, len)) = long {
                self.lines.again.push_front((line, Again::TooLong(len)));
            }
            if spans {
                for i in (1..c.starts.len()).rev() {
                    let (start, line) = c.starts[i];
                    let end = c.starts.get(i + 1).map_or(c.record.len(), |s| s.0);
                    self.lines
                        .again
                        .push_front((line, Again::Text(c.record[start..end].to_vec())));
                }
            }
            if c.columns.is_none() {
                let mut d = problem;
                d.message = format!("line {first}: the header row: {}", d.message);
                return Err(Stop::Bad(d));
            }
            self.number += 1;
            return Ok(Some(Record {
                number: self.number,
                line: first,
                values: Err(problem),
            }));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(c.record.as_slice());
        let read = reader.read_record(&mut c.field);
        let Some(columns) = &c.columns else {
            let header = match read {
                Ok(_) => &c.field,
                Err(e) => {
                    let mut d = Box::new(csv_problem(&e));
                    d.message =
                        format!("line {first}: the header row cannot be read: {}", d.message);
                    return Err(Stop::Bad(d));
                }
            };
            let columns = header_columns(header, first, &mut self.warnings);
            c.columns = Some(columns);
            self.header_line = Some(first);
            return Ok(None);
        };
        self.number += 1;
        let values = match read {
            Err(e) => Err(Box::new(csv_problem(&e))),
            Ok(_) if c.field.len() != columns.len() => Err(bad(format!(
                "{} field{} but the header has {}",
                c.field.len(),
                if c.field.len() == 1 { "" } else { "s" },
                columns.len()
            ))
            .with_hint(
                "a field holding a comma, a quote or a line break must be in double quotes",
            )),
            Ok(_) => Ok(columns
                .iter()
                .zip(c.field.iter())
                .filter_map(|(name, text)| {
                    Some((name.clone()?, Value::String(one_line_break(text))))
                })
                .collect()),
        };
        Ok(Some(Record {
            number: self.number,
            line: first,
            values,
        }))
    }
}

/// Line breaks inside a cell: one kind, `\n`, whatever the exporter used
/// (`\r\n` on Windows, a lone `\r` on old Macs).
fn one_line_break(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// Adds a hint to a boxed diagnostic.
trait WithHint {
    fn with_hint(self, hint: &str) -> Self;
}

impl WithHint for Box<Diagnostic> {
    fn with_hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_string());
        self
    }
}

/// A record that cannot be read.
fn bad(message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::error("record", message))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &str, format: Option<Format>) -> Vec<Record> {
        let mut r = Records::new(input.as_bytes(), format);
        let mut out = Vec::new();
        while let Some(rec) = r.next(&mut || Ok(())).unwrap() {
            out.push(rec);
        }
        out
    }

    fn text(rec: &Record, name: &str) -> String {
        rec.get(name)
            .and_then(Value::as_str)
            .unwrap_or("<none>")
            .to_string()
    }

    #[test]
    fn csv_as_spreadsheets_export_it() {
        let input = "\u{FEFF}id,customer,note\r\n1,\"Smith, Ana\",\"said \"\"hi\"\"\"\r\n\r\n2,Bob,\"two\r\nlines\"\r\n3,,27\" screen\r\n";
        let recs = all(input, None);
        assert_eq!(recs.len(), 3);
        assert_eq!((recs[0].number, recs[0].line), (1, 2));
        assert_eq!(text(&recs[0], "id"), "1");
        assert_eq!(text(&recs[0], "customer"), "Smith, Ana");
        assert_eq!(text(&recs[0], "note"), "said \"hi\"");
        assert_eq!((recs[1].number, recs[1].line), (2, 4));
        assert_eq!(text(&recs[1], "note"), "two\nlines");
        assert_eq!((recs[2].number, recs[2].line), (3, 6));
        assert_eq!(text(&recs[2], "customer"), "");
        assert_eq!(text(&recs[2], "note"), "27\" screen");
    }

    #[test]
    fn an_unclosed_quote_is_reported_and_the_rows_below_still_read() {
        let input = "id,customer\n1,\"Ana\n2,Bob\n3,Cy\n";
        let recs = all(input, Some(Format::Csv));
        assert_eq!(recs.len(), 3, "{recs:?}");
        assert_eq!(recs[0].line, 2);
        let e = recs[0].values.as_ref().unwrap_err().to_string();
        assert!(e.contains("opened on line 2 is never closed"), "{e}");
        assert_eq!(
            (recs[1].line, text(&recs[1], "customer")),
            (3, "Bob".into())
        );
        assert_eq!((recs[2].line, text(&recs[2], "customer")), (4, "Cy".into()));
    }

    #[test]
    fn a_quote_closed_lines_later_is_caught() {
        let input = "id,customer\n1,\"Ana\n2,Bob\n3,\"Cy\",x\n";
        let recs = all(input, Some(Format::Csv));
        let e = recs[0].values.as_ref().unwrap_err().to_string();
        assert!(e.contains("probably unclosed"), "{e}");
        assert_eq!(recs[0].line, 2);
        assert_eq!(recs[1].line, 3);
        assert!(
            recs[2]
                .values
                .as_ref()
                .unwrap_err()
                .message
                .contains("3 fields")
        );
    }

    #[test]
    fn wrong_field_counts_and_odd_headers() {
        let mut r = Records::new(
            "Customer Name,order,order\nAna,A1,A2\nBob\n".as_bytes(),
            None,
        );
        let first = r.next(&mut || Ok(())).unwrap().unwrap();
        assert_eq!(
            first.values.unwrap(),
            vec![("order".into(), Value::from("A1"))]
        );
        let w = r.take_warnings();
        assert_eq!(w.len(), 2);
        assert!(w[0].to_string().contains("`customer_name`"), "{}", w[0]);
        let second = r.next(&mut || Ok(())).unwrap().unwrap();
        assert!(
            second
                .values
                .unwrap_err()
                .message
                .contains("1 field but the header has 3")
        );
    }

    #[test]
    fn json_lines_keep_types_and_report_bad_lines() {
        let input =
            "{\"customer\":\"Ana\",\"n\":3,\"vip\":true,\"order\":{\"id\":\"A1\"}}\n\n[1]\n{bad\n";
        let recs = all(input, None);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].get("n"), Some(&Value::from(3)));
        assert_eq!(recs[0].get("order").unwrap()["id"], "A1");
        assert_eq!((recs[1].number, recs[1].line), (2, 3));
        assert!(
            recs[1]
                .values
                .as_ref()
                .unwrap_err()
                .message
                .contains("a list")
        );
        assert_eq!(recs[2].line, 4);
        assert!(
            recs[2]
                .values
                .as_ref()
                .unwrap_err()
                .message
                .contains("invalid JSON")
        );
    }

    #[test]
    fn a_malformed_header_stops_everything() {
        let mut r = Records::new("id,\"customer\n".as_bytes(), Some(Format::Csv));
        assert!(matches!(r.next(&mut || Ok(())), Err(Stop::Bad(_))));
    }

    /// Every record until the end, or the `Stop` that ended the input.
    fn until_stop(input: &[u8], format: Option<Format>) -> (Vec<Record>, Option<Stop>) {
        let mut r = Records::new(input, format);
        let mut out = Vec::new();
        loop {
            match r.next(&mut || Ok(())) {
                Ok(Some(rec)) => out.push(rec),
                Ok(None) => return (out, None),
                Err(stop) => return (out, Some(stop)),
            }
        }
    }

    fn stop_message(stop: Option<Stop>) -> String {
        match stop {
            Some(Stop::Bad(d)) => d.to_string(),
            other => panic!("expected Stop::Bad, got {other:?}"),
        }
    }

    #[test]
    fn old_mac_line_ends_are_line_ends() {
        let recs = all("id,customer\r1,Ana\r2,Bob\r", None);
        assert_eq!(recs.len(), 2);
        assert_eq!(
            (recs[0].line, text(&recs[0], "customer")),
            (2, "Ana".into())
        );
        assert_eq!(
            (recs[1].line, text(&recs[1], "customer")),
            (3, "Bob".into())
        );
    }

    #[test]
    fn mixed_line_ends_and_a_cr_inside_quotes() {
        let input = "id,note\r\n1,\"two\rlines\"\r2,plain\n3,\"a\r\nb\"\r\n\r4,last";
        let recs = all(input, None);
        assert_eq!(recs.len(), 4, "{recs:?}");
        let seen: Vec<(usize, String)> = recs.iter().map(|r| (r.line, text(r, "note"))).collect();
        assert_eq!(
            seen,
            [
                (2, "two\nlines".to_string()),
                (4, "plain".into()),
                (5, "a\nb".into()),
                (8, "last".into())
            ]
        );
    }

    #[test]
    fn no_record_from_a_non_empty_input_stops_with_what_was_read() {
        let (recs, stop) = until_stop(b"id,customer\r\n\r\n", None);
        assert!(recs.is_empty());
        let m = stop_message(stop);
        assert!(m.contains("line 1: only a header row"), "{m}");
        let (_, stop) = until_stop(b"\n  \n\t\r\n", None);
        let m = stop_message(stop);
        assert!(m.contains("lines 1-3: all blank"), "{m}");
        let (_, stop) = until_stop(b"\xEF\xBB\xBF", Some(Format::Csv));
        assert!(stop_message(stop).contains("line 1: blank: nothing recognisable"));
        // Empty: no records, and nothing wrong.
        let (recs, stop) = until_stop(b"", None);
        assert!(recs.is_empty() && stop.is_none());
        // Bad records are records: they are reported, not this.
        let (recs, stop) = until_stop(b"{bad\n", None);
        assert!(recs.len() == 1 && stop.is_none());
    }

    #[test]
    fn a_line_over_the_limit_is_one_bad_record_and_the_others_read() {
        let long = "x".repeat(2 * MAX_LINE_BYTES);
        for (input, format) in [
            (format!("customer\nAna\n{long}\nBob\n"), Format::Csv),
            (
                format!(
                    "{{\"customer\":\"Ana\"}}\n{{\"customer\":\"{long}\"}}\r{{\"customer\":\"Bob\"}}"
                ),
                Format::Jsonl,
            ),
        ] {
            let (recs, stop) = until_stop(input.as_bytes(), None);
            assert!(stop.is_none());
            assert_eq!(recs.len(), 3, "{format:?}");
            let bad = recs[1].values.as_ref().unwrap_err();
            assert!(
                bad.message.contains("over the limit of 1048576 bytes"),
                "{bad}"
            );
            assert!(bad.message.contains("bytes long"), "{bad}");
            let line = if format == Format::Csv { 3 } else { 2 };
            assert_eq!((recs[1].number, recs[1].line), (2, line));
            assert_eq!(text(&recs[2], "customer"), "Bob");
        }
    }

    #[test]
    fn a_line_over_the_limit_inside_a_quoted_field_or_as_the_header() {
        let long = "y".repeat(MAX_LINE_BYTES + 1);
        let input = format!("id,note\n1,\"open\n{long}\n2,fine\n");
        let (recs, stop) = until_stop(input.as_bytes(), None);
        assert!(stop.is_none());
        let lines: Vec<usize> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4], "{recs:?}");
        assert!(recs[0].values.is_err() && recs[1].values.is_err());
        assert_eq!(text(&recs[2], "note"), "fine");
        let (_, stop) = until_stop(format!("{long}\n1\n").as_bytes(), Some(Format::Csv));
        assert!(stop_message(stop).contains("line 1: the header row: the line is"));
    }

    #[test]
    fn waits_only_when_the_buffer_is_empty() {
        let mut waits = 0;
        let mut r = Records::new("a\n1\n2\n".as_bytes(), Some(Format::Csv));
        let mut count = 0;
        while r
            .next(&mut || {
                waits += 1;
                Ok(())
            })
            .unwrap()
            .is_some()
        {
            count += 1;
        }
        assert_eq!(count, 2);
        // One read fills the buffer, one more finds the end.
        assert_eq!(waits, 2);
    }
}
