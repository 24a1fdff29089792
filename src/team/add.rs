//! Bringing a library in: telling a remote from a folder, cloning a remote
//! so that a clone that fails (or is interrupted) leaves nothing where the
//! library goes, and reading what an existing checkout follows. Writing it
//! into the config is the settings' job; until then a clone can be undone.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::git::{Failure, Git, Reach};
use super::status::{self, Checkout};
use super::url;
use crate::diag::{Error, Result};

/// What `reply library add SOURCE` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An address (or a bare repository on this machine) to clone.
    Remote(String),
    /// A folder in a git work tree: added as it is.
    Checkout(PathBuf, Checkout),
    /// A folder outside any git checkout: added as a plain folder.
    Folder(PathBuf),
}

/// Tells what `source` is; `path` is it as a path (`~` expanded, made
/// absolute), for when it is one.
pub fn classify(git: &Git, source: &str, path: PathBuf) -> Result<Source> {
    if url::is_remote(source) || !path.is_dir() {
        // A path that does not exist yet goes to git too: its message says why.
        return Ok(Source::Remote(if url::is_remote(source) {
            source.to_string()
        } else {
            path.display().to_string()
        }));
    }
    if let Some(co) = status::checkout(git, &path)
        .map_err(|e| e.error("cannot read the folder as a git checkout"))?
    {
        return Ok(Source::Checkout(path, co));
    }
    let bare = git
        .read(&path, &["rev-parse", "--is-bare-repository"])
        .is_ok_and(|o| o.trim() == "true");
    Ok(if bare {
        Source::Remote(path.display().to_string())
    } else {
        Source::Folder(path)
    })
}

/// A clone made where a library goes, not yet in the config: [`Cloned::undo`]
/// removes it again.
#[derive(Debug)]
pub struct Cloned {
    pub path: PathBuf,
    /// The branch the clone is on.
    pub branch: String,
}

impl Cloned {
    /// Removes the clone (the config could not be saved).
    pub fn undo(self) {
        remove_tree(&self.path);
    }
}

/// How old a half-made clone left by a killed `reply` must be before another
/// run removes it (a younger one may be another run's, still cloning).
const STALE: Duration = Duration::from_secs(3600);

/// That nothing is at `dest`, where a clone would go.
pub fn free(dest: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dest).is_ok() {
        return Err(Error::usage(format!(
            "{} already exists: a library cannot be cloned there",
            dest.display()
        ))
        .hint(
            "choose another name with --name, or add that folder as it is: reply library add PATH",
        ));
    }
    Ok(())
}

/// Clones `url` into `dest`, which must not exist: into a hidden folder
/// beside it first, moved into place only once the clone is complete and has
/// a commit. On any failure nothing is left at `dest` or beside it.
pub fn clone(git: &Git, url: &str, branch: Option<&str>, dest: &Path) -> Result<Cloned> {
    let parent = dest
        .parent()
        .ok_or_else(|| Error::usage(format!("{} cannot hold a library", dest.display())))?;
    let name = super::folder_name(dest);
    free(dest)?;
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::data(format!("cannot create {}: {e}", parent.display())))?;
    sweep(parent, &name);
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.cloning-"))
        .tempdir_in(parent)
        .map_err(|e| {
            Error::data(format!(
                "cannot create a folder in {}: {e}",
                parent.display()
            ))
        })?;
    let work = tmp.path().join("clone");
    let mut args: Vec<std::ffi::OsString> = vec!["clone".into(), "--quiet".into()];
    if let Some(b) = branch {
        args.push(format!("--branch={b}").into());
    }
    // `--`: an address that starts with `-` is an address, never an option.
    args.push("--".into());
    args.push(url.into());
    args.push(work.clone().into());
    git.run(parent, &args, Reach::Network).map_err(|e| {
        e.hiding(url)
            .error(&format!("cannot clone {}", url::redact(url)))
            .note("nothing was added, and nothing is left of the clone")
    })?;
    if git
        .read(
            &work,
            &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
        )
        .is_err()
    {
        return Err(Error::usage(format!(
            "{} has no commits yet: there is no library to add",
            url::redact(url)
        ))
        .hint("push the library's files to it first, then add it"));
    }
    let on = git
        .read(&work, &["symbolic-ref", "--quiet", "--short", "HEAD"])
        .map_err(|e| e.error("cannot tell which branch the clone is on"))?;
    std::fs::rename(&work, dest).map_err(|e| {
        Error::data(format!("cannot move the clone to {}: {e}", dest.display()))
            .hint("nothing was added; check the folder, then try again")
    })?;
    Ok(Cloned {
        path: dest.to_path_buf(),
        branch: on,
    })
}

/// Removes the half-made clones of `name` a killed run left in `dir`.
fn sweep(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.cloning-");
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let old = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|a| a > STALE);
        if old {
            remove_tree(&e.path());
        }
    }
}

/// Removes a folder and everything in it: renamed to a hidden name first, so
/// that a removal cut short never leaves a half library where one was.
pub fn remove_tree(path: &Path) {
    let hidden = path.with_file_name(format!(
        ".{}.removing-{}",
        super::folder_name(path),
        std::process::id()
    ));
    match std::fs::rename(path, &hidden) {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&hidden);
        }
        Err(_) => {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// The branch a checkout is on; the error says how to put it on one.
pub fn branch_of(git: &Git, checkout: &Checkout) -> Result<String> {
    match git.read(
        &checkout.top,
        &["symbolic-ref", "--quiet", "--short", "HEAD"],
    ) {
        Ok(b) if !b.is_empty() => Ok(b),
        Ok(_) | Err(Failure::Failed { .. }) => Err(Error::usage(format!(
            "{} is not on a branch (its HEAD is detached)",
            checkout.top.display()
        ))
        .hint(format!(
            "put it on the branch to follow first: git -C {} switch BRANCH",
            checkout.top.display()
        ))),
        Err(e) => Err(e.error("cannot read the checkout's branch")),
    }
}
