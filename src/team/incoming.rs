//! The incoming revision of a sync, looked at before anything of the
//! agent's changes: checked out in a temporary worktree of its own (removed
//! on every exit path, and swept if a killed sync left one), checked as
//! `reply check` would, and compared reply by reply with the current one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Spec;
use super::changes::{self, Change};
use super::git::{Git, Reach};
use super::status::Info;
use super::sync::Rules;
use crate::diag::{Error, Result};
use crate::library::scan::LIBRARY_SETTINGS;
use crate::library::{Layer, Library, Reply};
use crate::lint;

/// `reply check` of one folder, its files named relative to it.
pub fn check_dir(dir: &Path, rules: Rules<'_>) -> Result<lint::Checked> {
    let mut checked = lint::check(
        vec![Layer::named(dir)],
        rules.lang,
        rules.platforms,
        &rules.runtime,
        false,
    )?;
    let mut roots = vec![format!("{}/", dir.display())];
    if let Ok(c) = std::fs::canonicalize(dir) {
        roots.push(format!("{}/", c.display()));
    }
    let relative = |s: &mut String| {
        for root in &roots {
            if s.contains(root.as_str()) {
                *s = s.replace(root.as_str(), "");
            }
        }
    };
    for d in &mut checked.diagnostics {
        if let Some(l) = &mut d.location {
            relative(&mut l.file);
        }
        relative(&mut d.message);
        d.notes.iter_mut().for_each(&relative);
        if let Some(h) = &mut d.hint {
            relative(h);
        }
        d.related.iter_mut().for_each(&relative);
    }
    for f in &mut checked.lib.files {
        relative(&mut f.name);
    }
    Ok(checked)
}

/// The replies the update adds, changes and removes: those of the files it
/// touches (all of them when it changes the library's settings file), as
/// they are in the agent's copy and in the incoming revision. A file the
/// incoming revision breaks (not TOML any more) is left out: what its
/// replies become is unknown, and the check's error says why, where a list
/// of every reply of the file as "removed" would mislead.
pub(super) fn reply_changes(
    git: &Git,
    spec: &Spec,
    info: &Info,
    touched: &[(char, String)],
    incoming: &lint::Checked,
    rules: Rules<'_>,
    diff: bool,
) -> Result<Vec<Change>> {
    let broken: BTreeSet<&str> = incoming
        .diagnostics
        .iter()
        .filter(|d| d.code == "toml" && d.is_error())
        .filter_map(|d| d.location.as_ref().map(|l| l.file.as_str()))
        .collect();
    let incoming = &incoming.lib;
    let prefix = info.checkout.prefix.to_string_lossy().into_owned();
    let in_library = |p: &str| -> Option<String> {
        if prefix.is_empty() {
            Some(p.to_string())
        } else {
            p.strip_prefix(&format!("{prefix}/")).map(str::to_string)
        }
    };
    let files: BTreeSet<String> = touched
        .iter()
        .filter_map(|(_, p)| in_library(p))
        .filter(|f| !broken.contains(f.as_str()))
        .collect();
    let every = files.contains(LIBRARY_SETTINGS);
    // The agent's files as they are (tracked ones only: untracked files
    // stay whatever the update does).
    let tracked: BTreeSet<String> = if every {
        git.read(
            &info.checkout.top,
            &["ls-files", "-z", "--", &prefix_spec(&prefix)],
        )
        .map_err(|e| e.error("cannot list the library's files"))?
        .split('\0')
        .filter_map(in_library)
        .filter(|f| !broken.contains(f.as_str()))
        .collect()
    } else {
        files.clone()
    };
    let mine = read_relative(&spec.path, rules)?;
    let before: Vec<(&Reply, &str)> = located(&mine, |f| tracked.contains(f));
    let after: Vec<(&Reply, &str)> = located(incoming, |f| {
        (every && !broken.contains(f)) || files.contains(f)
    });
    Ok(changes::between(&before, &after, diff))
}

/// The library at `dir` read as it is, files named relative to it.
fn read_relative(dir: &Path, rules: Rules<'_>) -> Result<Library> {
    let mut lib = Library::load(vec![Layer::named(dir)], rules.lang)?;
    let root = format!("{}/", dir.display());
    for f in &mut lib.files {
        if let Some(rest) = f.name.strip_prefix(&root) {
            f.name = rest.to_string();
        }
    }
    Ok(lib)
}

/// The replies (shadowed ones included) of the files `keep` accepts.
fn located(lib: &Library, keep: impl Fn(&str) -> bool) -> Vec<(&Reply, &str)> {
    lib.replies
        .iter()
        .chain(&lib.shadowed)
        .map(|r| (r, lib.file(r).name.as_str()))
        .filter(|(_, f)| keep(f))
        .collect()
}

fn prefix_spec(prefix: &str) -> String {
    if prefix.is_empty() {
        ".".to_string()
    } else {
        prefix.to_string()
    }
}

/// A temporary worktree at the incoming revision, removed (with git's
/// record of it) however the sync ends.
pub(super) struct Worktree<'a> {
    git: &'a Git,
    top: PathBuf,
    pub(super) path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Temporary worktrees are made in folders named so.
const WORKTREE_PREFIX: &str = "reply-incoming-";

impl<'a> Worktree<'a> {
    pub(super) fn add(git: &'a Git, top: &Path, scratch: &Path, rev: &str) -> Result<Worktree<'a>> {
        std::fs::create_dir_all(scratch)
            .map_err(|e| Error::data(format!("cannot create {}: {e}", scratch.display())))?;
        let dir = tempfile::Builder::new()
            .prefix(WORKTREE_PREFIX)
            .tempdir_in(scratch)
            .map_err(|e| {
                Error::data(format!(
                    "cannot create a folder in {}: {e}",
                    scratch.display()
                ))
            })?;
        let path = dir.path().join("incoming");
        let wt = Worktree {
            git,
            top: top.to_path_buf(),
            path,
            _dir: dir,
        };
        git.run(
            top,
            &[
                std::ffi::OsStr::new("worktree"),
                "add".as_ref(),
                "--detach".as_ref(),
                "--quiet".as_ref(),
                wt.path.as_os_str(),
                rev.as_ref(),
            ],
            Reach::Local,
        )
        .map_err(|e| e.error("cannot check out the incoming revision to check it"))?;
        Ok(wt)
    }
}

impl Drop for Worktree<'_> {
    fn drop(&mut self) {
        let _ = self.git.run(
            &self.top,
            &[
                std::ffi::OsStr::new("worktree"),
                "remove".as_ref(),
                "--force".as_ref(),
                self.path.as_os_str(),
            ],
            Reach::Local,
        );
        if self.path.exists() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
        let _ = self
            .git
            .run(&self.top, &["worktree", "prune"], Reach::Local);
    }
}

/// Removes the temporary worktrees a killed sync left registered (called
/// under the library's lock, so none of them is in use).
pub(super) fn remove_stale_worktrees(git: &Git, top: &Path) {
    let Ok(list) = git.read(top, &["worktree", "list", "--porcelain", "-z"]) else {
        return;
    };
    for line in list.split('\0') {
        let Some(path) = line.strip_prefix("worktree ") else {
            continue;
        };
        let path = Path::new(path);
        let ours = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n.to_string_lossy().starts_with(WORKTREE_PREFIX));
        if ours {
            let _ = git.run(
                top,
                &[
                    std::ffi::OsStr::new("worktree"),
                    "remove".as_ref(),
                    "--force".as_ref(),
                    path.as_os_str(),
                ],
                Reach::Local,
            );
        }
    }
    let _ = git.run(top, &["worktree", "prune"], Reach::Local);
}
