//! Lines from a reader, through a buffer this module owns, so that it knows
//! when the next read may block and can let the caller flush first. A line
//! ends at `\n`, `\r\n` or a lone `\r` (old Mac exports), and is at most
//! [`MAX_LINE_BYTES`] long: a longer one is skipped without keeping it.

use std::collections::VecDeque;
use std::io::{self, Read};

use super::Stop;
use crate::diag::Diagnostic;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest line a record may have, line end excluded. Real records are
/// far smaller; the cap keeps a file without line ends (or a binary one)
/// from being pulled into memory whole.
pub(super) const MAX_LINE_BYTES: usize = 1 << 20;

/// How far a line is followed, without keeping it, to find its end: past
/// this the input is not records at all (`--each /dev/zero`).
pub(super) const MAX_LINE_SEARCH: u64 = 64 << 20;

/// How far a CSV record may grow while a quoted field stays open before the
/// quote is declared unbalanced. Real multi-line cells are far smaller; the
/// cap keeps one stray quote from pulling the rest of the file into memory.
pub(super) const MAX_RECORD_BYTES: usize = MAX_LINE_BYTES;

/// What [`Lines::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    /// A line, now in the caller's buffer (its line end included).
    Text,
    /// A line longer than [`MAX_LINE_BYTES`], of this many bytes (line end
    /// excluded); the buffer holds only its start.
    TooLong(u64),
}

/// A line given back to be read again, after a malformed CSV record.
#[derive(Debug)]
pub(super) enum Again {
    Text(Vec<u8>),
    TooLong(u64),
}

/// Lines from a reader, through a buffer this module owns, so that it knows
/// when the next read may block and can let the caller flush first.
pub(super) struct Lines<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    eof: bool,
    /// The last line ended with the `\r` that ended a read: a `\n` first in
    /// the next read belongs to that line end, not to a new (blank) line.
    pending_lf: bool,
    /// Lines read so far from `inner`.
    line: usize,
    /// Lines given back after a malformed CSV record, to be read again.
    pub(super) again: VecDeque<(usize, Again)>,
}

impl<R: Read> Lines<R> {
    pub(super) fn new(inner: R) -> Self {
        Lines {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            filled: 0,
            eof: false,
            pending_lf: false,
            line: 0,
            again: VecDeque::new(),
        }
    }

    /// Lines read from the input so far (0: it held nothing at all).
    pub(super) fn count(&self) -> usize {
        self.line
    }

    /// The next line, its line end included, into `out`, with its line
    /// number; `None` at the end. `wait` runs before every read of `inner`.
    /// A line with no end within [`MAX_LINE_SEARCH`] stops everything.
    pub(super) fn next(
        &mut self,
        out: &mut Vec<u8>,
        wait: &mut dyn FnMut() -> io::Result<()>,
    ) -> Result<Option<(usize, Line)>, Stop> {
        out.clear();
        if let Some((n, again)) = self.again.pop_front() {
            return Ok(Some(match again {
                Again::Text(l) => {
                    out.extend_from_slice(&l);
                    (n, Line::Text)
                }
                Again::TooLong(len) => (n, Line::TooLong(len)),
            }));
        }
        // Bytes of this line, line end excluded, and whether it has any byte.
        let (mut len, mut any) = (0u64, false);
        loop {
            if self.pos == self.filled {
                if self.eof {
                    break;
                }
                wait().map_err(Stop::Output)?;
                let n = loop {
                    match self.inner.read(&mut self.buf) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(Stop::Input(e)),
                    }
                };
                (self.pos, self.filled) = (0, n);
                if n == 0 {
                    self.eof = true;
                    break;
                }
            }
            if std::mem::take(&mut self.pending_lf) && self.buf[self.pos] == b'\n' {
                self.pos += 1;
                continue;
            }
            let avail = &self.buf[self.pos..self.filled];
            let (text, end) = match avail.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => (avail.len(), 0),
                Some(i) if avail[i] == b'\n' => (i, 1),
                Some(i) if avail.get(i + 1) == Some(&b'\n') => (i, 2),
                Some(i) => {
                    // A `\r` that ends the read: its `\n` may come next.
                    self.pending_lf = i + 1 == avail.len();
                    (i, 1)
                }
            };
            any = true;
            // Keep the start of a long line (its first bytes tell the
            // format), never more than the limit.
            let room = (MAX_LINE_BYTES + 2).saturating_sub(out.len());
            out.extend_from_slice(&avail[..(text + end).min(room)]);
            len += text as u64;
            self.pos += text + end;
            if end > 0 {
                break;
            }
            if len > MAX_LINE_SEARCH {
                return Err(Stop::Bad(Box::new(no_end(self.line + 1))));
            }
        }
        if !any {
            return Ok(None);
        }
        self.line += 1;
        // Spreadsheets on Windows start their UTF-8 exports with a BOM.
        if self.line == 1 && out.starts_with(BOM) {
            out.drain(..BOM.len());
            len -= BOM.len() as u64;
        }
        if len > MAX_LINE_BYTES as u64 {
            out.truncate(MAX_LINE_BYTES);
            return Ok(Some((self.line, Line::TooLong(len))));
        }
        Ok(Some((self.line, Line::Text)))
    }
}

/// A line that does not end within [`MAX_LINE_SEARCH`].
fn no_end(line: usize) -> Diagnostic {
    Diagnostic::error(
        "records",
        format!(
            "line {line}: no line end in the first {} MB: this is not CSV or JSON Lines",
            MAX_LINE_SEARCH >> 20
        ),
    )
    .hint("--each reads CSV (a header row, then a record a line) or JSON Lines (a JSON object a line)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out its input in the given pieces, one per read.
    struct Pieces(VecDeque<Vec<u8>>);

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some(mut p) = self.0.pop_front() else {
                return Ok(0);
            };
            let n = p.len().min(buf.len());
            buf[..n].copy_from_slice(&p[..n]);
            if n < p.len() {
                self.0.push_front(p.split_off(n));
            }
            Ok(n)
        }
    }

    fn lines(pieces: &[&[u8]]) -> Vec<(usize, String)> {
        let mut l = Lines::new(Pieces(pieces.iter().map(|p| p.to_vec()).collect()));
        let mut out = Vec::new();
        let mut all = Vec::new();
        while let Some((n, line)) = l.next(&mut out, &mut || Ok(())).unwrap() {
            assert_eq!(line, Line::Text);
            all.push((n, String::from_utf8(out.clone()).unwrap()));
        }
        all
    }

    #[test]
    fn lone_cr_crlf_and_lf_each_end_one_line() {
        let want = [
            (1, "a\r".to_string()),
            (2, "b\r\n".into()),
            (3, "c\n".into()),
            (4, "\r".into()),
            (5, "d".into()),
        ];
        assert_eq!(lines(&[b"a\rb\r\nc\n\rd"]), want);
        // Split at every place: the same lines, whatever the reads.
        let all = b"a\rb\r\nc\n\rd";
        for i in 1..all.len() {
            let got = lines(&[&all[..i], &all[i..]]);
            let plain: Vec<(usize, String)> = got
                .into_iter()
                .map(|(n, s)| (n, s.replace("\r\n", "\r")))
                .collect();
            let want: Vec<(usize, String)> = want
                .iter()
                .map(|(n, s)| (*n, s.replace("\r\n", "\r")))
                .collect();
            assert_eq!(plain, want, "split at {i}");
        }
    }

    #[test]
    fn a_crlf_split_between_two_reads_is_one_line_end() {
        assert_eq!(
            lines(&[b"a\r", b"\nb\r", b"\n", b"c"]),
            [(1, "a\r".into()), (2, "b\r".into()), (3, "c".to_string())]
        );
        // A `\r` last of all, then nothing.
        assert_eq!(lines(&[b"a\r"]), [(1, "a\r".to_string())]);
    }

    #[test]
    fn a_long_line_is_measured_and_skipped_and_the_next_one_read() {
        let long = vec![b'x'; MAX_LINE_BYTES + 10];
        let input = [b"ok\n".as_slice(), &long, b"\r\nafter\n"].concat();
        let mut l = Lines::new(input.as_slice());
        let mut out = Vec::new();
        let mut wait = || Ok(());
        assert_eq!(l.next(&mut out, &mut wait).unwrap(), Some((1, Line::Text)));
        assert_eq!(
            l.next(&mut out, &mut wait).unwrap(),
            Some((2, Line::TooLong(MAX_LINE_BYTES as u64 + 10)))
        );
        assert!(out.len() <= MAX_LINE_BYTES);
        assert_eq!(l.next(&mut out, &mut wait).unwrap(), Some((3, Line::Text)));
        assert_eq!(out, b"after\n");
        // Exactly the limit is still a line.
        let exact = [vec![b'y'; MAX_LINE_BYTES], b"\n".to_vec()].concat();
        let mut l = Lines::new(exact.as_slice());
        assert_eq!(l.next(&mut out, &mut wait).unwrap(), Some((1, Line::Text)));
        assert_eq!(out.len(), MAX_LINE_BYTES + 1);
    }

    #[test]
    fn no_line_end_at_all_stops_everything() {
        let mut l = Lines::new(io::repeat(0));
        let mut out = Vec::new();
        match l.next(&mut out, &mut || Ok(())) {
            Err(Stop::Bad(d)) => assert!(d.message.contains("not CSV or JSON Lines"), "{d}"),
            other => panic!("{other:?}"),
        }
        assert!(out.capacity() <= 2 * (MAX_LINE_BYTES + 2));
    }
}
