//! The catalog's cache in `$XDG_CACHE_HOME/reply`: an index (every file's
//! stamp, entries and problems) and the folded bodies of every reply, one
//! pair of files per set of layers. Results never depend on it: anything
//! missing, old or damaged is read again from the library. A file is trusted
//! without reading it only when its stamp (what git's index keeps) is the
//! same and was taken clearly after the file last changed; each cache file
//! carries a checksum of its payload, and the index the bodies file's.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::entry::Entry;
use crate::diag::Diagnostic;
use crate::library::{Layer, Reply};
use crate::util::fold::fold_str;
use crate::util::fs::write_atomic;

/// Bumped whenever the cached structures change, so an old cache is ignored.
/// 4: the term index of `reply suggest` (`catalog-KEY.terms`).
pub(super) const CACHE_VERSION: u32 = 4;

/// Separates the variants of one reply in the folded bodies, so a match can
/// tell which language it was in. Removed from the texts themselves.
pub const VARIANT_BREAK: char = '\u{1d}';

/// How far a file system may round a time: FAT keeps modification times in
/// steps of 2 s, the coarsest in common use. A file changed less than this
/// before the cache took its stamps may change again with the same stamp.
const RACY_MARGIN_NS: i128 = 2_000_000_000;

/// What `stat` says of one path: what git's index keeps. Size and times
/// alone miss a same-size edit whose time was set back (`touch -r`,
/// `rsync -t`); the change time and the inode do not go back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Meta {
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    ino: u64,
    dev: u64,
}

impl Meta {
    fn of(m: &std::fs::Metadata) -> Meta {
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Meta {
                size: m.len(),
                mtime_ns,
                ctime_ns: i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
                ino: m.ino(),
                dev: m.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            Meta {
                size: m.len(),
                mtime_ns,
                ctime_ns: 0,
                ino: 0,
                dev: 0,
            }
        }
    }

    /// Whether the path may have changed after `taken_ns` without changing
    /// its stamp: its times are not clearly older than the moment the stamps
    /// were taken (nor in the future, which says the clocks disagree).
    fn racy(&self, taken_ns: i128) -> bool {
        let limit = taken_ns - RACY_MARGIN_NS;
        self.mtime_ns >= limit || self.ctime_ns >= limit
    }
}

/// What says whether a file changed since it was cached: the file as reached
/// through symlinks, and the symlink itself when the path is one (retargeting
/// it changes the link's inode and change time, whatever the new target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// `None` when the file could not be examined or read: never trusted.
    target: Option<Meta>,
    link: Option<Meta>,
}

impl Stamp {
    /// A file that cannot be trusted from the cache (not found, not readable,
    /// built in).
    pub const UNKNOWN: Stamp = Stamp {
        target: None,
        link: None,
    };

    /// One `lstat`, and a `stat` only for a symlink.
    pub fn of(path: &Path) -> Stamp {
        let Ok(own) = std::fs::symlink_metadata(path) else {
            return Stamp::UNKNOWN;
        };
        if !own.file_type().is_symlink() {
            return Stamp {
                target: Some(Meta::of(&own)),
                link: None,
            };
        }
        match std::fs::metadata(path) {
            Ok(target) => Stamp {
                target: Some(Meta::of(&target)),
                link: Some(Meta::of(&own)),
            },
            Err(_) => Stamp::UNKNOWN,
        }
    }

    /// Whether a file cached with this stamp, taken at `taken_ns`, is
    /// certainly unchanged when it now has the stamp `now` (git's rule for
    /// racy entries: a stamp taken too close to a change proves nothing).
    pub fn proves_unchanged(&self, now: &Stamp, taken_ns: i128) -> bool {
        self == now && self.would_prove(taken_ns)
    }

    /// Whether a cache written with this stamp and `taken_ns` would let the
    /// next run trust the file without reading it.
    pub fn would_prove(&self, taken_ns: i128) -> bool {
        self.target.is_some() && !self.racy(taken_ns)
    }

    /// Whether a cache that holds this stamp, taken at `taken_ns`, would
    /// still have to read the file again.
    fn racy(&self, taken_ns: i128) -> bool {
        [self.target, self.link]
            .iter()
            .flatten()
            .any(|m| m.racy(taken_ns))
    }
}

/// Now, as the nanoseconds since 1970 that stamps are compared with. Taken
/// before the files are examined: a file changed after that can only be
/// newer, so it is caught by the racy rule or by its changed stamp.
pub fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// A fast 64-bit hash, to notice a damaged cache file or a file whose text
/// is the same as when it was cached; not made to resist attacks. Each step
/// `h = rotl((h ^ w) * K, 29)` is a bijection of `h` for a given word and of
/// the word for a given `h`, so a change within one 8-byte word always
/// changes the result. Four lanes take turns, 8 bytes each, because one
/// chain of multiplies is a third as fast (the bodies of 100,000 replies are
/// 48 MB, read on every search); the lanes are then folded in with the same
/// step, and the tail last. The length is mixed in first.
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let step = |h: u64, w: u64| (h ^ w).wrapping_mul(K).rotate_left(29);
    let word = |b: &[u8]| {
        let mut a = [0u8; 8];
        a[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(a)
    };
    let seed = (bytes.len() as u64).wrapping_mul(K) ^ 0x243f_6a88_85a3_08d3;
    let mut lanes = [seed, seed ^ 1, seed ^ 2, seed ^ 3];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(w));
        }
    }
    let mut h = lanes.iter().fold(seed, |h, &lane| step(h, lane));
    // At most 31 bytes: whole words, then a last partial one padded with 0s.
    for w in blocks.remainder().chunks(8) {
        h = step(h, word(w));
    }
    // Spread the last word's bits over all of the result.
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^ (h >> 29)
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
    /// [`checksum`] of the text read, `None` when it could not be read: a
    /// file read again only because its stamp proves nothing is then known
    /// to be the same without parsing it.
    pub content: Option<u64>,
    /// The default language the file was read with (it changes the replies).
    pub lang: String,
    pub problems: Vec<Problem>,
    pub(super) entries: Vec<Entry>,
}

/// The index as read back.
#[derive(Serialize, Deserialize)]
pub struct Index {
    /// When the stamps were taken ([`now_ns`]), for [`Stamp::proves_unchanged`].
    pub taken_ns: i128,
    /// The [`checksum`] the bodies file written with this index has, so a
    /// bodies file from another run (two runs writing at once) is not used.
    pub bodies: u64,
    pub files: Vec<FileInfo>,
}

/// The same encoding as [`Index`], written without copying the files.
#[derive(Serialize)]
struct IndexRef<'a> {
    taken_ns: i128,
    bodies: u64,
    files: &'a [FileInfo],
}

/// Starts the index file, so a foreign or old file is ignored.
const INDEX_MAGIC: &[u8; 8] = b"RPLYIDX\0";
/// The index's header: magic, version (u32 LE), payload length (u64 LE),
/// payload checksum (u64 LE); the postcard-encoded [`Index`] follows.
const INDEX_HEADER: usize = 8 + 4 + 8 + 8;

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
    fn write(&self, path: &Path) -> std::io::Result<u64> {
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

/// The files of one cache.
#[derive(Debug, Clone)]
pub struct CachePaths {
    pub index: PathBuf,
    pub bodies: PathBuf,
    /// The term index of `reply suggest`, written only when it is used.
    pub terms: PathBuf,
}

impl CachePaths {
    /// One pair of files per set of layers, language and user, so
    /// `--library a` and `--library b` do not evict each other, and a user
    /// who cannot read a file is never shown what another user's run read.
    /// The key is [`checksum`] of what names the set, not std's hasher,
    /// whose output may change with the toolchain and orphan the files.
    pub fn new(dir: &Path, layers: &[Layer], lang: &str) -> CachePaths {
        let mut named = Vec::new();
        named.extend_from_slice(lang.as_bytes());
        named.push(0);
        #[cfg(unix)]
        // SAFETY: geteuid has no preconditions and cannot fail.
        named.extend_from_slice(&unsafe { libc::geteuid() }.to_le_bytes());
        for l in layers.iter().filter(|l| l.exists) {
            match &l.path {
                Some(p) => {
                    named.push(1);
                    named.extend_from_slice(p.as_os_str().as_encoded_bytes());
                    named.push(0);
                }
                None => named.push(2),
            }
        }
        let h = checksum(&named);
        let key = format!("{h:016x}");
        CachePaths {
            index: dir.join(format!("catalog-{key}.index")),
            bodies: dir.join(format!("catalog-{key}.bodies")),
            terms: dir.join(format!("catalog-{key}.terms")),
        }
    }

    /// The index, or `None` when it is missing, damaged or old.
    pub fn read_index(&self) -> Option<Index> {
        let bytes = crate::util::fs::read_bytes(&self.index)?;
        let (header, payload) = bytes.split_at_checked(INDEX_HEADER)?;
        let le64 = |at: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&header[at..at + 8]);
            u64::from_le_bytes(a)
        };
        let mut v = [0u8; 4];
        v.copy_from_slice(&header[8..12]);
        if &header[..8] != INDEX_MAGIC
            || u32::from_le_bytes(v) != CACHE_VERSION
            || le64(12) != payload.len() as u64
            || le64(20) != checksum(payload)
        {
            return None;
        }
        postcard::from_bytes::<Index>(payload).ok()
    }

    /// The bodies written with `index`.
    pub fn read_bodies(&self, index_bodies: u64) -> Option<Bodies> {
        Bodies::read(&self.bodies, index_bodies)
    }

    /// Writes both files, the bodies first, so that an index is never seen
    /// before the bodies it names. `taken_ns`: when the files' stamps were
    /// taken. A cache that cannot be written only costs speed, so the caller
    /// may ignore the error.
    pub fn write(
        &self,
        files: &[FileInfo],
        bodies: &Bodies,
        taken_ns: i128,
    ) -> std::io::Result<()> {
        if let Some(dir) = self.index.parent() {
            remove_stale_temporaries(dir, Duration::from_secs(60));
        }
        let sum = bodies.write(&self.bodies)?;
        let payload = postcard::to_stdvec(&IndexRef {
            taken_ns,
            bodies: sum,
            files,
        })
        .map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(INDEX_HEADER + payload.len());
        bytes.extend_from_slice(INDEX_MAGIC);
        bytes.extend_from_slice(&CACHE_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        write_cache_file(&self.index, &bytes)
    }
}

/// `write_atomic`, unless the file would pass the process's file size limit
/// (`ulimit -f`): the kernel would stop the whole process with SIGXFSZ part
/// way through, for a file that only saves time.
pub(super) fn write_cache_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if bytes.len() as u64 > file_size_limit() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            "the cache file would pass the file size limit",
        ));
    }
    write_atomic(path, bytes)
}

#[cfg(unix)]
fn file_size_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit, which `limit` is.
    if unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit) } != 0
        || limit.rlim_cur == libc::RLIM_INFINITY
    {
        return u64::MAX;
    }
    // rlim_t is u64 on Linux, but not on every Unix.
    #[allow(clippy::unnecessary_cast)]
    let limit = limit.rlim_cur as u64;
    limit
}

#[cfg(not(unix))]
fn file_size_limit() -> u64 {
    u64::MAX
}

/// Removes the temporary files of atomic writes (`.NAME.PID.tmp`) that a
/// killed run left in `dir`, once older than `age`: a live writer finishes
/// within moments, so an older one has no owner left.
fn remove_stale_temporaries(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_temporary(name) {
            continue;
        }
        // Not followed: a symlink is not ours to judge.
        let old = entry.metadata().is_ok_and(|m| {
            m.is_file()
                && m.modified()
                    .ok()
                    .and_then(|t| now.duration_since(t).ok())
                    .is_some_and(|d| d > age)
        });
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// `util::fs::write_atomic`'s temporary names: `.NAME.PID.tmp`.
fn is_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    rest.rsplit_once('.').is_some_and(|(file, pid)| {
        !file.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flipped_byte_changes_the_checksum() {
        let data: Vec<u8> = (0..=255u8).cycle().take(100).collect();
        let sum = checksum(&data);
        for i in 0..data.len() {
            for bit in [0x01, 0x80] {
                let mut d = data.clone();
                d[i] ^= bit;
                assert_ne!(checksum(&d), sum, "byte {i}, bit {bit:#x}");
            }
        }
        // Trailing zeros are not lost in the padding of the last word.
        assert_ne!(checksum(b"ab"), checksum(b"ab\0"));
        assert_ne!(checksum(b""), checksum(b"\0"));
    }

    fn meta(mtime_ns: i128, ctime_ns: i128) -> Meta {
        Meta {
            size: 1,
            mtime_ns,
            ctime_ns,
            ino: 1,
            dev: 1,
        }
    }

    #[test]
    fn a_stamp_too_close_to_the_snapshot_proves_nothing() {
        let s = 1_000_000_000i128;
        let taken = 100 * s;
        let stamp = |m: Meta| Stamp {
            target: Some(m),
            link: None,
        };
        let old = stamp(meta(taken - 3 * s, taken - 3 * s));
        assert!(old.proves_unchanged(&old, taken));
        // Exactly the margin before, within it, after, or in the future.
        for t in [taken - RACY_MARGIN_NS, taken - 1, taken, taken + 10 * s] {
            assert!(stamp(meta(t, taken - 5 * s)).racy(taken), "mtime {t}");
            assert!(stamp(meta(taken - 5 * s, t)).racy(taken), "ctime {t}");
        }
        // A symlink changed lately is racy too, whatever its target.
        let linked = Stamp {
            target: old.target,
            link: Some(meta(taken, taken)),
        };
        assert!(!linked.proves_unchanged(&linked, taken));
        // Another inode, or a file that could not be examined.
        let mut other = old;
        other.target = Some(Meta {
            ino: 2,
            ..meta(taken - 3 * s, taken - 3 * s)
        });
        assert!(!old.proves_unchanged(&other, taken));
        assert!(!Stamp::UNKNOWN.proves_unchanged(&Stamp::UNKNOWN, taken));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_stamped_as_itself_and_as_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, link) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("l"),
        );
        std::fs::write(&a, "same").unwrap();
        std::fs::write(&b, "same").unwrap();
        std::os::unix::fs::symlink(&a, &link).unwrap();
        let before = Stamp::of(&link);
        assert!(before.link.is_some() && before.target.is_some());
        assert_eq!(Stamp::of(&a).link, None);
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(&b, &link).unwrap();
        assert_ne!(Stamp::of(&link), before);
        assert_eq!(Stamp::of(&dir.path().join("missing")), Stamp::UNKNOWN);
    }

    fn sample() -> (Vec<FileInfo>, Bodies) {
        let files = vec![FileInfo {
            name: "a.toml".into(),
            path: Some("/lib/a.toml".into()),
            layer: 0,
            stamp: Stamp::UNKNOWN,
            content: Some(7),
            lang: "en".into(),
            problems: vec![Problem {
                error: true,
                file: None,
                text: "x".into(),
            }],
            entries: Vec::new(),
        }];
        let mut bodies = Bodies::default();
        bodies.push_file(FileBodies {
            text: "hello there\u{1d}hola".into(),
            ranges: vec![(0, 5), (6, 15)],
        });
        (files, bodies)
    }

    #[test]
    fn any_damage_to_either_file_discards_it() {
        let dir = tempfile::tempdir().unwrap();
        let paths = CachePaths::new(dir.path(), &[], "en");
        let (files, bodies) = sample();
        paths.write(&files, &bodies, 42).unwrap();
        let index = paths.read_index().unwrap();
        assert_eq!((index.taken_ns, index.files.len()), (42, 1));
        let read = paths.read_bodies(index.bodies).unwrap();
        assert_eq!(read.file(0).text, bodies.file(0).text);
        // Bodies from another write (another run) do not match this index.
        assert!(paths.read_bodies(index.bodies ^ 1).is_none());

        for (path, read) in [
            (&paths.index, &|p: &CachePaths| {
                p.read_index().is_some() as u8
            }),
            (&paths.bodies, &|p: &CachePaths| {
                p.read_bodies(index.bodies).is_some() as u8
            }),
        ] as [(&PathBuf, &dyn Fn(&CachePaths) -> u8); 2]
        {
            let good = std::fs::read(path).unwrap();
            for i in 0..good.len() {
                let mut bad = good.clone();
                bad[i] ^= 0x10;
                std::fs::write(path, &bad).unwrap();
                assert_eq!(read(&paths), 0, "{} byte {i}", path.display());
            }
            // Cut short anywhere.
            for n in 0..good.len() {
                std::fs::write(path, &good[..n]).unwrap();
                assert_eq!(read(&paths), 0, "{} cut at {n}", path.display());
            }
            std::fs::write(path, &good).unwrap();
            assert_eq!(read(&paths), 1);
        }
    }

    #[test]
    fn only_old_temporaries_of_atomic_writes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::now() - Duration::from_secs(120);
        let mut names = Vec::new();
        for (name, age) in [
            (".catalog-1.index.4242.tmp", Some(old)),
            (".catalog-1.bodies.17.tmp", None),
            (".notes.tmp", Some(old)),
            ("catalog-1.index", Some(old)),
            (".catalog-1.index.x1.tmp", Some(old)),
        ] {
            let p = dir.path().join(name);
            let f = std::fs::File::create(&p).unwrap();
            if let Some(t) = age {
                f.set_modified(t).unwrap();
            }
            names.push(name);
        }
        remove_stale_temporaries(dir.path(), Duration::from_secs(60));
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".catalog-1.bodies.17.tmp",
                ".catalog-1.index.x1.tmp",
                ".notes.tmp",
                "catalog-1.index"
            ]
        );
    }
}
