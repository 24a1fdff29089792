//! The catalog's cache in `$XDG_CACHE_HOME/reply`: an index (every file's
//! stamp, entries and problems) and the folded bodies of every reply, one
//! pair of files per set of layers. Results never depend on it: anything
//! missing, old or damaged is read again from the library.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::entry::Entry;
use crate::diag::Diagnostic;
use crate::library::{Layer, Reply};
use crate::util::fold::fold_str;
use crate::util::fs::write_atomic;

/// Bumped whenever the cached structures change, so an old cache is ignored.
const CACHE_VERSION: u32 = 2;

/// Separates the variants of one reply in the folded bodies, so a match can
/// tell which language it was in. Removed from the texts themselves.
pub const VARIANT_BREAK: char = '\u{1d}';

/// What says whether a file changed since it was cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    mtime_ns: i128,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            size: meta.len(),
            mtime_ns: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128),
        }
    }

    /// A built-in file never changes while the binary is the same.
    pub const BUILT_IN: Stamp = Stamp {
        size: 0,
        mtime_ns: 0,
    };
}

/// A problem found while reading a file, kept as text so it can be cached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub error: bool,
    pub file: Option<String>,
    pub text: String,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Problem {
        Problem {
            error: d.is_error(),
            file: d.location.as_ref().map(|l| l.file.clone()),
            text: d.to_string(),
        }
    }
}

/// A file as the catalog remembers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileInfo {
    /// As shown to people (`starter:orders.toml` for built-in files).
    pub name: String,
    /// The file on disk; `None` for the starter library.
    pub path: Option<PathBuf>,
    pub layer: usize,
    pub stamp: Stamp,
    /// The default language the file was read with (it changes the replies).
    pub lang: String,
    pub problems: Vec<Problem>,
    pub(super) entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    files: Vec<FileInfo>,
}

/// The same encoding as `IndexFile`, written without copying the files.
#[derive(Serialize)]
struct IndexRef<'a> {
    version: u32,
    files: &'a [FileInfo],
}

/// The folded bodies of one file's replies in one string, with each reply's range.
#[derive(Debug, Default, Clone)]
pub struct FileBodies {
    text: String,
    ranges: Vec<(u32, u32)>,
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
    pub(super) files: Vec<(u32, Vec<(u32, u32)>)>,
    /// Per entry of the catalog (set once the entries are known).
    spans: Vec<(u32, u32, u32)>,
}

/// Written after the blob: magic, then the version, so a foreign or old file is ignored.
const BODIES_MAGIC: &[u8; 8] = b"RPLYBDY1";

impl Bodies {
    pub fn push_file(&mut self, b: FileBodies) {
        self.files.push((self.chunks.len() as u32, b.ranges));
        self.chunks.push(b.text);
    }

    fn text(&self, chunk: u32, start: u32, len: u32) -> &str {
        self.chunks
            .get(chunk as usize)
            .and_then(|c| c.get(start as usize..(start + len) as usize))
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

    /// Layout: the blob, then the postcard-encoded ranges, their length (u64
    /// LE), the version (u32 LE) and the magic. Reading it back needs no copy.
    fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut blob_len = 0u32;
        let mut ranges: Vec<Vec<(u32, u32)>> = Vec::with_capacity(self.files.len());
        for (chunk, rs) in &self.files {
            let base = blob_len;
            ranges.push(rs.iter().map(|&(s, l)| (base + s, l)).collect());
            blob_len += self
                .chunks
                .get(*chunk as usize)
                .map_or(0, |c| c.len() as u32);
        }
        let index = postcard::to_stdvec(&ranges).map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(blob_len as usize + index.len() + 20);
        for (chunk, _) in &self.files {
            bytes.extend_from_slice(
                self.chunks
                    .get(*chunk as usize)
                    .map_or(&[][..], |c| c.as_bytes()),
            );
        }
        bytes.extend_from_slice(&index);
        bytes.extend_from_slice(&(index.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&CACHE_VERSION.to_le_bytes());
        bytes.extend_from_slice(BODIES_MAGIC);
        write_atomic(path, &bytes)
    }

    pub fn read(path: &Path) -> Option<Bodies> {
        let mut bytes = std::fs::read(path).ok()?;
        let n = bytes.len();
        if n < 20 || &bytes[n - 8..] != BODIES_MAGIC {
            return None;
        }
        let version = u32::from_le_bytes(bytes[n - 12..n - 8].try_into().ok()?);
        let index_len = u64::from_le_bytes(bytes[n - 20..n - 12].try_into().ok()?) as usize;
        if version != CACHE_VERSION || index_len > n - 20 {
            return None;
        }
        let blob_len = n - 20 - index_len;
        let files: Vec<Vec<(u32, u32)>> = postcard::from_bytes(&bytes[blob_len..n - 20]).ok()?;
        bytes.truncate(blob_len);
        let blob = String::from_utf8(bytes).ok()?;
        Some(Bodies {
            chunks: vec![blob],
            files: files.into_iter().map(|r| (0, r)).collect(),
            spans: Vec::new(),
        })
    }
}

/// The two files of one cache.
#[derive(Debug, Clone)]
pub struct CachePaths {
    pub index: PathBuf,
    pub bodies: PathBuf,
}

impl CachePaths {
    /// One pair of files per set of layers and language, so `--library a` and
    /// `--library b` do not evict each other.
    pub fn new(dir: &Path, layers: &[Layer], lang: &str) -> CachePaths {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        lang.hash(&mut h);
        for l in layers.iter().filter(|l| l.exists) {
            l.path.hash(&mut h);
        }
        let key = format!("{:016x}", h.finish());
        CachePaths {
            index: dir.join(format!("catalog-{key}.index")),
            bodies: dir.join(format!("catalog-{key}.bodies")),
        }
    }

    pub fn read_index(&self) -> Option<Vec<FileInfo>> {
        let bytes = std::fs::read(&self.index).ok()?;
        postcard::from_bytes::<IndexFile>(&bytes)
            .ok()
            .filter(|c| c.version == CACHE_VERSION)
            .map(|c| c.files)
    }

    /// Writes both files; a cache that cannot be written only costs speed, so
    /// the caller may ignore the error.
    pub fn write(&self, files: &[FileInfo], bodies: &Bodies) -> std::io::Result<()> {
        bodies.write(&self.bodies)?;
        let index = IndexRef {
            version: CACHE_VERSION,
            files,
        };
        let bytes = postcard::to_stdvec(&index).map_err(std::io::Error::other)?;
        write_atomic(&self.index, &bytes)
    }

    /// Drops the index, so the next run rebuilds both files.
    pub fn invalidate(&self) {
        let _ = std::fs::remove_file(&self.index);
    }
}
