//! Lines from a reader, through a buffer this module owns, so that it knows
//! when the next read may block and can let the caller flush first.

use std::collections::VecDeque;
use std::io::{self, Read};

use super::Stop;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How far a CSV record may grow while a quoted field stays open before the
/// quote is declared unbalanced. Real multi-line cells are far smaller; the
/// cap keeps one stray quote from pulling the rest of the file into memory.
pub(super) const MAX_RECORD_BYTES: usize = 1 << 20;

/// Lines from a reader, through a buffer this module owns, so that it knows
/// when the next read may block and can let the caller flush first.
pub(super) struct Lines<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    eof: bool,
    /// Lines read so far from `inner`.
    line: usize,
    /// Lines given back after a malformed CSV record, to be read again.
    pub(super) again: VecDeque<(usize, Vec<u8>)>,
}

impl<R: Read> Lines<R> {
    pub(super) fn new(inner: R) -> Self {
        Lines {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            filled: 0,
            eof: false,
            line: 0,
            again: VecDeque::new(),
        }
    }

    /// The next line, its `\n` included, into `out`; its line number, or
    /// `None` at the end. `wait` runs before every read of `inner`.
    pub(super) fn next(
        &mut self,
        out: &mut Vec<u8>,
        wait: &mut dyn FnMut() -> io::Result<()>,
    ) -> Result<Option<usize>, Stop> {
        out.clear();
        if let Some((n, l)) = self.again.pop_front() {
            out.extend_from_slice(&l);
            return Ok(Some(n));
        }
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
            let avail = &self.buf[self.pos..self.filled];
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                out.extend_from_slice(&avail[..=i]);
                self.pos += i + 1;
                break;
            }
            out.extend_from_slice(avail);
            self.pos = self.filled;
        }
        if out.is_empty() {
            return Ok(None);
        }
        self.line += 1;
        // Spreadsheets on Windows start their UTF-8 exports with a BOM.
        if self.line == 1 && out.starts_with(BOM) {
            out.drain(..BOM.len());
        }
        Ok(Some(self.line))
    }
}
