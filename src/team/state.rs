//! What `reply` remembers of each git library between runs: when it was last
//! synced, fetched and synced in the background, and how its last sync
//! ended. One small JSON file in the state folder (`sync.json`), keyed by the
//! library's folder, read in a few microseconds by the commands that check
//! staleness, and changed under a lock so concurrent syncs do not lose each
//! other's records. A missing or damaged file is an empty one: this is a
//! convenience, never a reason for a command to fail. Times are the clock's
//! (`--now` and `REPLY_NOW` fix it), as local wall-clock times.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::util::{fs, lock};

const FILE: &str = "sync.json";
const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";
const VERSION: u32 = 1;

/// The record of one library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The last sync that left the library current: up to date, updated or cloned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synced: Option<String>,
    /// The last fetch that reached the remote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// When a background sync was last started for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// The process id of that background sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// How the last sync ended (`updated`, `refused`, `unreachable`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The incoming revision the last sync refused, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub libraries: BTreeMap<String, Record>,
}

/// How a library is named in the file: its folder, symbolic links resolved,
/// so `~/x` and `/home/sam/x` are one library.
pub fn key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

pub fn time(t: NaiveDateTime) -> String {
    t.format(FORMAT).to_string()
}

pub fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, FORMAT).ok()
}

/// How long ago `then` was, as of `now` (zero for a time in the future).
pub fn age(then: NaiveDateTime, now: NaiveDateTime) -> Duration {
    (now - then).to_std().unwrap_or(Duration::ZERO)
}

impl State {
    /// The state in `dir`; empty when there is none or it cannot be read.
    pub fn load(dir: &Path) -> State {
        fs::read_bytes(&dir.join(FILE))
            .and_then(|b| serde_json::from_slice::<State>(&b).ok())
            .filter(|s| s.version == VERSION)
            .unwrap_or_default()
    }

    pub fn get(&self, path: &Path) -> Option<&Record> {
        self.libraries.get(&key(path))
    }
}

/// Changes the state in `dir` under its lock: read again, changed by `f`, written.
pub fn update(dir: &Path, f: impl FnOnce(&mut State)) -> std::io::Result<()> {
    let file = dir.join(FILE);
    let _lock = lock::Lock::exclusive(&lock::beside(&file), Duration::from_secs(10))?;
    let mut state = State::load(dir);
    state.version = VERSION;
    f(&mut state);
    let text = serde_json::to_vec_pretty(&state).map_err(std::io::Error::other)?;
    fs::write_atomic(&file, &text)
}

/// Changes the record of the library at `path`.
pub fn record(dir: &Path, path: &Path, f: impl FnOnce(&mut Record)) -> std::io::Result<()> {
    let k = key(path);
    update(dir, |s| f(s.libraries.entry(k).or_default()))
}

/// Forgets the library at `path` (it was removed).
pub fn forget(dir: &Path, path: &Path) -> std::io::Result<()> {
    let k = key(path);
    update(dir, |s| {
        s.libraries.remove(&k);
    })
}

/// The state folder's file, for messages.
pub fn file(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_a_round_trip_and_damage_is_an_empty_state() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib");
        std::fs::create_dir(&lib).unwrap();
        record(dir.path(), &lib, |r| {
            r.synced = Some("2026-11-25T09:30:00".into())
        })
        .unwrap();
        let s = State::load(dir.path());
        assert_eq!(
            s.get(&lib).and_then(|r| r.synced.as_deref()),
            Some("2026-11-25T09:30:00")
        );
        std::fs::write(file(dir.path()), "{ not json").unwrap();
        assert!(State::load(dir.path()).libraries.is_empty());
        forget(dir.path(), &lib).unwrap();
        assert!(State::load(dir.path()).get(&lib).is_none());
    }

    #[test]
    fn ages_are_never_negative() {
        let t = parse_time("2026-11-25T09:30:00").unwrap();
        let later = parse_time("2026-11-26T09:30:00").unwrap();
        assert_eq!(age(t, later), Duration::from_secs(86_400));
        assert_eq!(age(later, t), Duration::ZERO);
    }
}
