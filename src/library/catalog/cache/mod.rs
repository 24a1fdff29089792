//! The catalog's cache in `$XDG_CACHE_HOME/reply`: an index (every file's
//! stamp, entries and problems) and the folded bodies of every reply, one
//! pair of files per set of layers. Results never depend on it: anything
//! missing, old or damaged is read again from the library. A file is trusted
//! without reading it only when its stamp (what git's index keeps) is the
//! same and was taken clearly after the file last changed; each cache file
//! carries a checksum of its payload, and the index the bodies file's.

mod bodies;
mod stamp;

pub use bodies::{Bodies, FileBodies};
pub use stamp::{Stamp, checksum, now_ns};

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::library::Layer;
use crate::library::catalog::Entry;
use crate::util::fs::write_atomic;

/// Bumped whenever the cached structures change, so an old cache is ignored.
/// 4: the term index of `reply suggest` (`catalog-KEY.terms`).
pub(super) const CACHE_VERSION: u32 = 4;

/// Separates the variants of one reply in the folded bodies, so a match can
/// tell which language it was in. Removed from the texts themselves.
pub const VARIANT_BREAK: char = '\u{1d}';

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
