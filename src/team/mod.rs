//! Team libraries over git: which of the config's libraries are git
//! checkouts and how they stand (`status`), adding one by cloning it or as
//! the checkout it already is (`add`), removing one (`remove`), bringing one
//! up to date without ever pulling in a revision that fails `check` or
//! touching the agent's own work (`sync`, `changes`), and when one was last
//! synced (`state`, `stale`). Everything goes through the `git` command
//! (`git`), so the agent's credential helpers, SSH agent, proxies and host
//! configuration work as they do for git itself.

pub mod add;
pub mod changes;
pub mod git;
pub mod incoming;
pub mod remove;
pub mod report;
pub mod stale;
pub mod state;
pub mod status;
pub mod sync;
pub mod url;

use std::path::PathBuf;
use std::time::Duration;

/// A library of the config's `libraries`, resolved by the settings: a
/// `[library.NAME]` table, or a folder listed as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// The `[library.NAME]` name, else the folder's own name.
    pub name: String,
    /// The entry of `libraries` as written (`acme`, `~/src/replies`).
    pub entry: String,
    pub path: PathBuf,
    /// Where it is cloned from, when a missing clone should be made.
    pub url: Option<String>,
    /// The branch it follows; `None`: whatever the checkout is on.
    pub branch: Option<String>,
    /// How old its last sync may be before a note says so (its own
    /// `sync_every`, else the config's).
    pub sync_every: Option<Duration>,
    /// It has a `[library.NAME]` table (else it is a folder in `libraries`).
    pub declared: bool,
    /// Its index in the settings' layers.
    pub layer: usize,
}

/// What the team commands need of the settings, as plain values.
#[derive(Debug, Clone, Default)]
pub struct Team {
    /// Where `reply library add` clones to: `$XDG_DATA_HOME/reply/libraries`.
    pub clones: Option<PathBuf>,
    /// Where sync times are kept: `$XDG_STATE_HOME/reply`.
    pub state: Option<PathBuf>,
    /// Where an incoming revision is checked out for `check` (a temporary folder).
    pub scratch: PathBuf,
    /// `auto_sync = true`: a library due for a sync is synced in the background.
    pub auto_sync: bool,
    /// How long git may take, when a test shortens it (`REPLY_TEST_GIT_TIMEOUT`).
    pub git_timeout: Option<Duration>,
    /// A background sync waits for this file before it starts
    /// (`REPLY_TEST_PAUSE_SYNC`), so a test can see a render finish first.
    pub pause: Option<PathBuf>,
}

/// Names reply keeps for itself: your own library and the built-in one.
pub const RESERVED: &[&str] = &["user", "own", "starter"];

/// Whether `name` can name a library: a folder name any file system takes,
/// that no shell or TOML key needs quoted.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !RESERVED.contains(&name)
}

/// The folder's own name, as a library listed by folder is called.
pub fn folder_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_folder_names() {
        for ok in ["acme", "acme-replies", "team_2", "v1.2"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in [
            "", ".hidden", "-x", "a/b", "a b", "user", "starter", "é", "a\u{1b}b",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
