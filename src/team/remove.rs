//! What stands in the way of deleting a library's clone: work that exists
//! nowhere else (uncommitted or untracked files, commits on no remote,
//! stashes). `reply library remove --delete` refuses while there is any,
//! unless `--force`.

use std::path::Path;

use super::git::{Failure, Git};
use super::status;

/// The agent's own work in a checkout, that deleting it would lose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unsaved {
    /// Tracked files with changes, and files git does not track.
    pub files: Vec<String>,
    /// Commits on a local branch that no remote has.
    pub unpushed: u64,
    pub stashes: u64,
}

impl Unsaved {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.unpushed == 0 && self.stashes == 0
    }
}

/// What deleting the checkout at `path` would lose; empty for a folder that
/// is no checkout (there is nothing git knows of to lose).
pub fn unsaved(git: &Git, path: &Path) -> Result<Unsaved, Failure> {
    let Some(info) = status::inspect(git, path)? else {
        return Ok(Unsaved::default());
    };
    let top = &info.checkout.top;
    let mut files = info.status.changed.clone();
    files.extend(info.status.untracked.iter().cloned());
    let unpushed = git
        .read(
            top,
            &["rev-list", "--count", "--branches", "--not", "--remotes"],
        )?
        .trim()
        .parse()
        .unwrap_or(0);
    let stashes = match git.read(top, &["stash", "list"]) {
        Ok(list) => list.lines().filter(|l| !l.trim().is_empty()).count() as u64,
        Err(Failure::Failed { .. }) => 0,
        Err(e) => return Err(e),
    };
    Ok(Unsaved {
        files,
        unpushed,
        stashes,
    })
}
