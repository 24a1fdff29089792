//! How a library folder stands as a git checkout, from git itself and
//! without the network: the checkout it is in, its branch and upstream,
//! commits ahead and behind as of the last fetch, uncommitted changes, and
//! the remote's address.

use std::path::{Path, PathBuf};

use super::git::{Failure, Git, Status};

/// A library folder inside a git work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The top of the work tree.
    pub top: PathBuf,
    /// The library folder relative to `top` (empty when it is the top).
    pub prefix: PathBuf,
}

/// A checkout and where it stands.
#[derive(Debug, Clone)]
pub struct Info {
    pub checkout: Checkout,
    pub status: Status,
    /// The remote the branch's upstream is on (`origin`).
    pub remote: Option<String>,
    /// That remote's address, as git has it: redact it before showing it.
    pub url: Option<String>,
}

impl Info {
    pub fn ahead(&self) -> u64 {
        self.status.ahead_behind.map_or(0, |(a, _)| a)
    }

    pub fn behind(&self) -> u64 {
        self.status.ahead_behind.map_or(0, |(_, b)| b)
    }
}

/// Whether `path` is in a git work tree: a `.git` in it or a folder above.
/// Asked of the file system first, so that a plain folder costs no process.
pub fn in_checkout(path: &Path) -> bool {
    let start = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    start.ancestors().any(|d| d.join(".git").exists())
}

/// The checkout `path` is in; `None` for a folder that is in none.
pub fn checkout(git: &Git, path: &Path) -> Result<Option<Checkout>, Failure> {
    if !path.is_dir() || !in_checkout(path) {
        return Ok(None);
    }
    let out = git.read(path, &["rev-parse", "--show-toplevel", "--show-prefix"])?;
    let mut lines = out.lines();
    let top = lines.next().unwrap_or("").to_string();
    if top.is_empty() {
        return Ok(None);
    }
    let prefix = lines.next().unwrap_or("").trim_end_matches('/').to_string();
    Ok(Some(Checkout {
        top: PathBuf::from(top),
        prefix: PathBuf::from(prefix),
    }))
}

/// The checkout `path` is in and how it stands; `None` for a plain folder.
pub fn inspect(git: &Git, path: &Path) -> Result<Option<Info>, Failure> {
    let Some(checkout) = checkout(git, path)? else {
        return Ok(None);
    };
    let status = Status::parse(&git.read(
        &checkout.top,
        &[
            "status",
            "--porcelain=v2",
            "--branch",
            "-z",
            "--untracked-files=normal",
        ],
    )?);
    let (remote, url) = remote_of(git, &checkout.top, status.branch.as_deref())?;
    Ok(Some(Info {
        checkout,
        status,
        remote,
        url,
    }))
}

/// The remote `branch` follows, and its address.
fn remote_of(
    git: &Git,
    top: &Path,
    branch: Option<&str>,
) -> Result<(Option<String>, Option<String>), Failure> {
    let out = match git.read(
        top,
        &[
            "config",
            "-z",
            "--get-regexp",
            r"^(branch\..*\.remote|remote\..*\.url)$",
        ],
    ) {
        Ok(out) => out,
        // Exit code 1: no such keys.
        Err(Failure::Failed { code: Some(1), .. }) => String::new(),
        Err(e) => return Err(e),
    };
    let pairs: Vec<(&str, &str)> = out.split('\0').filter_map(|e| e.split_once('\n')).collect();
    let remote = branch.and_then(|b| {
        let key = format!("branch.{b}.remote");
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    });
    // A lone remote (the usual clone) is the one shown for a branch without an upstream.
    let remotes: Vec<&str> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("remote.")?.strip_suffix(".url"))
        .collect();
    let remote = remote.or_else(|| (remotes.len() == 1).then(|| remotes[0].to_string()));
    let url = remote.as_deref().and_then(|r| {
        let key = format!("remote.{r}.url");
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    });
    Ok((remote, url))
}
