//! The folded bodies of every reply, for search: one string a file, and
//! their cache file.

use std::path::Path;

use crate::library::Reply;
use crate::util::fold::fold_str;

use super::{CACHE_VERSION, VARIANT_BREAK, checksum, write_cache_file};

/// The folded bodies of one file's replies in one string, with each reply's range.
#[derive(Debug, Default, Clone)]
pub struct FileBodies {
    pub(super) text: String,
    pub(super) ranges: Vec<(u32, u32)>,
}

impl FileBodies {
    pub fn of(replies: &[Reply]) -> FileBodies {
        let mut b = FileBodies::default();
        for r in replies {
            let start = b.text.len() as u32;
            for (i, v) in r.variants.iter().enumerate() {
                if i > 0 {
                    b.text.push(VARIANT_BREAK);
                }
                b.text
                    .push_str(&fold_str(&v.body.src).replace(VARIANT_BREAK, " "));
            }
            b.ranges.push((start, b.text.len() as u32 - start));
        }
        b
    }
}

/// Every folded body, in few large strings (one per file read in this run,
/// or one for the whole cache): reading the cache back is one allocation,
/// however many replies.
#[derive(Debug, Default)]
pub struct Bodies {
    chunks: Vec<String>,
    /// Per file: its chunk and the byte range of each reply's body in it.
    pub(in crate::library::catalog) files: Vec<(u32, Vec<(u32, u32)>)>,
    /// Per entry of the catalog (set once the entries are known).
    spans: Vec<(u32, u32, u32)>,
}

/// Ends the bodies file, so a foreign or old file is ignored.
const BODIES_MAGIC: &[u8; 8] = b"RPLYBDY1";
/// The bodies' trailer: ranges length (u64 LE), checksum of everything
/// before it (u64 LE), version (u32 LE), magic.
const BODIES_TRAILER: usize = 8 + 8 + 4 + 8;

impl Bodies {
    pub fn push_file(&mut self, b: FileBodies) {
        self.files.push((self.chunks.len() as u32, b.ranges));
        self.chunks.push(b.text);
    }

    fn text(&self, chunk: u32, start: u32, len: u32) -> &str {
        self.chunks
            .get(chunk as usize)
            .and_then(|c| c.get(start as usize..start as usize + len as usize))
            .unwrap_or("")
    }

    /// File `i`'s bodies, copied out (to carry them into a rewritten cache).
    pub fn file(&self, i: usize) -> FileBodies {
        let mut out = FileBodies::default();
        if let Some((chunk, ranges)) = self.files.get(i) {
            for &(s, l) in ranges {
                let start = out.text.len() as u32;
                out.text.push_str(self.text(*chunk, s, l));
                out.ranges.push((start, l));
            }
        }
        out
    }

    /// Points each entry at its body: `at(i)` is (file, position in file) of entry `i`.
    pub fn index_entries(&mut self, at: impl Iterator<Item = (usize, usize)>) {
        self.spans = at
            .map(|(file, nth)| {
                self.files
                    .get(file)
                    .and_then(|(c, f)| f.get(nth).map(|&(s, l)| (*c, s, l)))
                    .unwrap_or((0, 0, 0))
            })
            .collect();
    }

    /// The folded body of entry `i` of the catalog, its variants separated by
    /// [`VARIANT_BREAK`].
    pub fn get(&self, i: usize) -> &str {
        self.spans
            .get(i)
            .map_or("", |&(c, s, l)| self.text(c, s, l))
    }

    /// Layout: the blob, then the postcard-encoded ranges, then the trailer
    /// ([`BODIES_TRAILER`]). Kept at the end so that reading it back needs no
    /// copy: the file's bytes, truncated, become the blob. Returns the file's
    /// checksum, for the index.
    pub(super) fn write(&self, path: &Path) -> std::io::Result<u64> {
        let too_large = || std::io::Error::other("the folded bodies exceed 4 GB");
        let mut blob_len = 0u32;
        let mut ranges: Vec<Vec<(u32, u32)>> = Vec::with_capacity(self.files.len());
        for (chunk, rs) in &self.files {
            let base = blob_len;
            ranges.push(rs.iter().map(|&(s, l)| (base + s, l)).collect());
            let len = self.chunks.get(*chunk as usize).map_or(0, String::len);
            // Ranges are u32: past that they would point at the wrong text.
            blob_len = u32::try_from(len)
                .ok()
                .and_then(|l| blob_len.checked_add(l))
                .ok_or_else(too_large)?;
        }
        let index = postcard::to_stdvec(&ranges).map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(blob_len as usize + index.len() + BODIES_TRAILER);
        for (chunk, _) in &self.files {
            bytes.extend_from_slice(
                self.chunks
                    .get(*chunk as usize)
                    .map_or(&[][..], |c| c.as_bytes()),
            );
        }
        bytes.extend_from_slice(&index);
        bytes.extend_from_slice(&(index.len() as u64).to_le_bytes());
        let sum = checksum(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        bytes.extend_from_slice(&CACHE_VERSION.to_le_bytes());
        bytes.extend_from_slice(BODIES_MAGIC);
        write_cache_file(path, &bytes)?;
        Ok(sum)
    }

    /// The bodies written along with an index whose `bodies` is `expected`;
    /// `None` when the file is missing, damaged, old or from another run.
    pub fn read(path: &Path, expected: u64) -> Option<Bodies> {
        // A named pipe planted in the cache folder must not block the run.
        let mut bytes = crate::util::fs::read_bytes(path)?;
        let n = bytes.len();
        if n < BODIES_TRAILER || &bytes[n - 8..] != BODIES_MAGIC {
            return None;
        }
        let le64 = |at: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(a)
        };
        let mut v = [0u8; 4];
        v.copy_from_slice(&bytes[n - 12..n - 8]);
        let sum = le64(n - 20);
        let summed = n - 20;
        if u32::from_le_bytes(v) != CACHE_VERSION
            || sum != expected
            || checksum(&bytes[..summed]) != sum
        {
            return None;
        }
        let index_len = usize::try_from(le64(n - BODIES_TRAILER)).ok()?;
        let blob_len = (n - BODIES_TRAILER).checked_sub(index_len)?;
        let files: Vec<Vec<(u32, u32)>> =
            postcard::from_bytes(&bytes[blob_len..n - BODIES_TRAILER]).ok()?;
        bytes.truncate(blob_len);
        let blob = String::from_utf8(bytes).ok()?;
        Some(Bodies {
            chunks: vec![blob],
            files: files.into_iter().map(|r| (0, r)).collect(),
            spans: Vec::new(),
        })
    }
}
