//! What proves a file unchanged without reading it (its stamp, as git's
//! index keeps one) and the checksums of cached payloads.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// How far a file system may round a time: FAT keeps modification times in
/// steps of 2 s, the coarsest in common use. A file changed less than this
/// before the cache took its stamps may change again with the same stamp.
const RACY_MARGIN_NS: i128 = 2_000_000_000;

/// What `stat` says of one path: what git's index keeps. Size and times
/// alone miss a same-size edit whose time was set back (`touch -r`,
/// `rsync -t`); the change time and the inode do not go back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Meta {
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
}
