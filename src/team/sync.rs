//! `reply sync` for one library: fetch, then take the incoming revision only
//! by a fast-forward, and only when it passes `check` in a temporary
//! worktree of its own (never in the agent's copy). Uncommitted changes,
//! local commits on a branch that has moved, a detached or untracked
//! branch: the sync stops and says which git commands resolve it; it never
//! merges, rebases, stashes or resets for the agent. An unreachable remote
//! leaves the last synced copy in use. Every outcome is a [`Report`]: the
//! command layer says it and picks the exit code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;

use super::changes::{self, Change};
use super::git::{Failure, Git, Reach};
use super::status::{self, Info};
use super::{Spec, Team, add, state, url};
use crate::compose::Runtime;
use crate::compose::platform::Platform;
use crate::diag::{Diagnostic, Error, Result};
use crate::library::edit::install::lock_path;
use crate::library::scan::LIBRARY_SETTINGS;
use crate::library::{Layer, Library, Reply};
use crate::lint;
use crate::util::lock::Lock;

/// What checking a revision needs: the rules `reply check` applies.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub lang: &'a str,
    pub platforms: &'a [Platform],
    pub runtime: Runtime,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Word diffs of the changed texts.
    pub diff: bool,
    /// The clock's time: what "last synced" is set to.
    pub now: NaiveDateTime,
    /// A background sync: a library another sync is busy with is skipped
    /// instead of waited for.
    pub background: bool,
}

/// How a library's sync ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing new on the remote.
    UpToDate,
    /// Fast-forwarded to the incoming revision, which passed check.
    Updated,
    /// The folder was missing: cloned from the config's `url`.
    Cloned,
    /// The incoming revision has errors: the copy stays as it was.
    Refused,
    /// Something local stands in the way; nothing was changed.
    Stopped(Stop),
    /// The remote could not be fetched from (what git said).
    Unreachable(String),
    /// Another sync of this library is running (background syncs only).
    Busy,
    /// Not a git checkout: nothing to sync.
    NotGit,
    /// The folder is missing and there is no `url` to clone it from.
    Missing,
}

/// What stops a sync before it changes anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Uncommitted,
    Diverged,
    Detached,
    WrongBranch,
    NoUpstream,
    UpstreamGone,
    InTheWay,
}

impl Outcome {
    /// The word `--json` and the sync record use.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::UpToDate => "up-to-date",
            Outcome::Updated => "updated",
            Outcome::Cloned => "cloned",
            Outcome::Refused => "refused",
            Outcome::Stopped(_) => "stopped",
            Outcome::Unreachable(_) => "unreachable",
            Outcome::Busy => "busy",
            Outcome::NotGit => "not-git",
            Outcome::Missing => "missing",
        }
    }

    /// Whether the library is as current as the remote allows (for "last synced").
    pub fn current(&self) -> bool {
        matches!(self, Outcome::UpToDate | Outcome::Updated | Outcome::Cloned)
    }
}

impl Stop {
    pub fn word(self) -> &'static str {
        match self {
            Stop::Uncommitted => "uncommitted-changes",
            Stop::Diverged => "diverged",
            Stop::Detached => "detached",
            Stop::WrongBranch => "wrong-branch",
            Stop::NoUpstream => "no-upstream",
            Stop::UpstreamGone => "upstream-gone",
            Stop::InTheWay => "untracked-in-the-way",
        }
    }
}

/// A git command that resolves what stopped a sync: what it does, and the
/// command, with `{dir}` where the library's checkout goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub what: String,
    pub command: String,
}

/// What `check` found in the incoming revision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub replies: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Everything a sync of one library did and found.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub path: PathBuf,
    /// The top of its checkout, for the fixes' `git -C`.
    pub top: Option<PathBuf>,
    pub remote: Option<String>,
    /// Redacted: no password.
    pub url: Option<String>,
    pub branch: Option<String>,
    pub upstream: Option<String>,
    pub outcome: Outcome,
    /// The revision before, and the incoming one (the one after, when updated).
    pub from: Option<String>,
    pub to: Option<String>,
    pub ahead: u64,
    pub behind: u64,
    pub changes: Vec<Change>,
    pub checked: Option<Counts>,
    /// The incoming revision's errors and warnings, files named as in it.
    pub diagnostics: Vec<Diagnostic>,
    /// Why it stopped, or what else there is to know, in a sentence.
    pub explanation: Option<String>,
    pub fixes: Vec<Fix>,
    /// Further notes: commits not pushed, uncommitted changes that were no obstacle.
    pub notes: Vec<String>,
}

impl Report {
    fn new(spec: &Spec) -> Report {
        Report {
            name: spec.name.clone(),
            path: spec.path.clone(),
            top: None,
            remote: None,
            url: spec.url.as_deref().map(url::redact),
            branch: spec.branch.clone(),
            upstream: None,
            outcome: Outcome::UpToDate,
            from: None,
            to: None,
            ahead: 0,
            behind: 0,
            changes: Vec::new(),
            checked: None,
            diagnostics: Vec::new(),
            explanation: None,
            fixes: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn stop(mut self, why: Stop, explanation: String, fixes: Vec<Fix>) -> Report {
        self.outcome = Outcome::Stopped(why);
        self.explanation = Some(explanation);
        self.fixes = fixes;
        self
    }
}

fn fix(what: &str, command: &str) -> Fix {
    Fix {
        what: what.to_string(),
        command: command.to_string(),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How long a sync waits for another process to let go of the library.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Syncs one library; see the module comment. An `Err` is a failure nobody
/// could foresee (git failing on a local command); the other libraries are
/// still synced.
pub fn sync(
    git: &Git,
    spec: &Spec,
    team: &Team,
    rules: Rules<'_>,
    opts: Options,
) -> Result<Report> {
    let mut r = Report::new(spec);
    if !spec.path.exists() {
        let Some(from) = &spec.url else {
            r.outcome = Outcome::Missing;
            return Ok(r);
        };
        let cloned = add::clone(git, from, spec.branch.as_deref(), &spec.path)?;
        r.branch = Some(cloned.branch.clone());
        r.outcome = Outcome::Cloned;
        remember(team, &spec.path, opts.now, &r);
        return Ok(r);
    }
    let Some(info) = status::inspect(git, &spec.path).map_err(|e| {
        e.error(&format!(
            "cannot read {} as a git checkout",
            spec.path.display()
        ))
    })?
    else {
        r.outcome = Outcome::NotGit;
        return Ok(r);
    };
    // A folder listed as it is, inside some other checkout (a home folder
    // kept in git): that checkout is not this library's to update.
    if !spec.declared && !info.checkout.prefix.as_os_str().is_empty() {
        r.outcome = Outcome::NotGit;
        return Ok(r);
    }
    describe(&mut r, &info);
    if let Some(stopped) = branch_problem(&r, spec, &info) {
        return Ok(stopped);
    }
    let remote = info.remote.clone().unwrap_or_else(|| "origin".into());
    let top = info.checkout.top.clone();
    match git.run(&top, &["fetch", "--quiet", &remote], Reach::Network) {
        Ok(_) => {
            if let Some(dir) = &team.state {
                let _ = state::record(dir, &spec.path, |rec| {
                    rec.fetched = Some(state::time(opts.now))
                });
            }
        }
        Err(Failure::Missing) => return Err(super::git::missing()),
        Err(e) => {
            let e = match &info.url {
                Some(u) => e.hiding(u),
                None => e,
            };
            r.outcome = Outcome::Unreachable(e.said());
            remember(team, &spec.path, opts.now, &r);
            return Ok(r);
        }
    }
    // From here on the checkout may change: no authoring command or other
    // sync works in it meanwhile.
    let wait = if opts.background {
        Duration::ZERO
    } else {
        LOCK_WAIT
    };
    let _lock = match Lock::exclusive(&lock_path(&spec.path), wait) {
        Ok(l) => l,
        Err(_) if opts.background => {
            r.outcome = Outcome::Busy;
            return Ok(r);
        }
        Err(e) => {
            return Err(
                Error::data(format!("cannot lock {}: {e}", spec.path.display()))
                    .hint("another reply is changing this library; try again when it is done"),
            );
        }
    };
    remove_stale_worktrees(git, &top);
    let info = status::inspect(git, &spec.path)
        .map_err(|e| e.error("cannot read the checkout's status"))?
        .ok_or_else(|| {
            Error::data(format!(
                "{} is no longer a git checkout",
                spec.path.display()
            ))
        })?;
    describe(&mut r, &info);
    let r = decide(git, spec, team, rules, opts, r, &info)?;
    remember(team, &spec.path, opts.now, &r);
    Ok(r)
}

/// What the checkout says: its revision, branch, upstream and remote.
fn describe(r: &mut Report, info: &Info) {
    r.top = Some(info.checkout.top.clone());
    r.remote = info.remote.clone();
    if let Some(u) = &info.url {
        r.url = Some(url::redact(u));
    }
    r.branch = info.status.branch.clone().or(r.branch.take());
    r.upstream = info.status.upstream.clone();
    r.from = info.status.head.clone();
    r.ahead = info.ahead();
    r.behind = info.behind();
}

/// A checkout that is not on the library's branch, or on one that follows nothing.
fn branch_problem(r: &Report, spec: &Spec, info: &Info) -> Option<Report> {
    let r = r.clone();
    let Some(on) = info.status.branch.as_deref() else {
        let follow = spec.branch.as_deref().unwrap_or("BRANCH");
        return Some(r.stop(
            Stop::Detached,
            format!(
                "its checkout is not on a branch (HEAD is detached at {}), so there is nothing to fast-forward",
                short(info.status.head.as_deref().unwrap_or("?"))
            ),
            vec![fix("put it back on its branch", &format!("git -C {{dir}} switch {follow}"))],
        ));
    };
    if let Some(want) = spec.branch.as_deref().filter(|w| *w != on) {
        return Some(r.stop(
            Stop::WrongBranch,
            format!("it follows branch {want}, but its checkout is on {on}"),
            vec![fix("switch back", &format!("git -C {{dir}} switch {want}"))],
        ));
    }
    if info.status.upstream.is_none() {
        let remote = info.remote.as_deref().unwrap_or("origin");
        return Some(r.stop(
            Stop::NoUpstream,
            format!("branch {on} has no upstream branch to sync from"),
            vec![fix(
                "make it follow the remote's branch",
                &format!("git -C {{dir}} branch --set-upstream-to={remote}/{on}"),
            )],
        ));
    }
    None
}

/// After the fetch, under the library's lock: up to date, stopped, refused or updated.
fn decide(
    git: &Git,
    spec: &Spec,
    team: &Team,
    rules: Rules<'_>,
    opts: Options,
    mut r: Report,
    info: &Info,
) -> Result<Report> {
    if let Some(stopped) = branch_problem(&r, spec, info) {
        return Ok(stopped);
    }
    let upstream = info.status.upstream.clone().unwrap_or_default();
    let Some((ahead, behind)) = info.status.ahead_behind else {
        return Ok(r.stop(
            Stop::UpstreamGone,
            format!("{upstream}, the branch it follows, is gone from the remote"),
            vec![
                fix("see the remote's branches", "git -C {dir} branch --remotes"),
                fix(
                    "follow another one",
                    "git -C {dir} branch --set-upstream-to=REMOTE/BRANCH",
                ),
            ],
        ));
    };
    let changed = &info.status.changed;
    let top = &info.checkout.top;
    if behind > 0 {
        let target = git
            .read(
                top,
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    &format!("{upstream}^{{commit}}"),
                ],
            )
            .map_err(|e| e.error(&format!("cannot read {upstream}")))?;
        r.to = Some(target);
    }
    if behind == 0 {
        r.outcome = Outcome::UpToDate;
        if ahead > 0 {
            r.notes.push(format!(
                "{} of yours not on {upstream} yet: push {} to share {} (git -C {{dir}} push)",
                plural(ahead, "commit", "commits"),
                if ahead == 1 { "it" } else { "them" },
                if ahead == 1 { "it" } else { "them" },
            ));
        }
        if !changed.is_empty() {
            r.notes.push(format!(
                "uncommitted changes in {}: {}",
                plural(changed.len() as u64, "file", "files"),
                list(changed)
            ));
        }
        return Ok(r);
    }
    let incoming = plural(behind, "new commit", "new commits");
    if ahead > 0 {
        return Ok(r.stop(
            Stop::Diverged,
            format!(
                "it has {} of yours that {upstream} does not have, and {upstream} has {incoming}: the two have diverged, and sync only fast-forwards",
                plural(ahead, "commit", "commits")
            ),
            vec![
                fix("see both sides", &format!("git -C {{dir}} log --oneline --left-right HEAD...{upstream}")),
                fix(
                    "put yours on top of the team's, then share them",
                    &format!("git -C {{dir}} rebase {upstream} && git -C {{dir}} push"),
                ),
                fix(
                    &format!("or drop yours (they are lost) and take {upstream}"),
                    &format!("git -C {{dir}} reset --hard {upstream}"),
                ),
            ],
        ));
    }
    if !changed.is_empty() {
        return Ok(r.stop(
            Stop::Uncommitted,
            format!(
                "it has uncommitted changes in {} ({}), and {upstream} has {incoming}",
                plural(changed.len() as u64, "file", "files"),
                list(changed)
            ),
            vec![
                fix("see them", "git -C {dir} status"),
                fix(
                    "set them aside, sync, and bring them back",
                    "git -C {dir} stash && reply sync && git -C {dir} stash pop",
                ),
                fix(
                    "or commit them, put them on top of the team's and share them",
                    &format!("git -C {{dir}} commit -am \"…\" && git -C {{dir}} rebase {upstream} && git -C {{dir}} push"),
                ),
            ],
        ));
    }
    let target = r.to.clone().unwrap_or_default();
    let head = r.from.clone().unwrap_or_default();
    let diff = git
        .run(
            top,
            &[
                "diff",
                "--name-status",
                "-z",
                "--no-renames",
                &head,
                &target,
            ],
            Reach::Local,
        )
        .map_err(|e| e.error("cannot list what the update changes"))?;
    let touched = name_status(&diff);
    if let Some(blocked) = in_the_way(&info.status.untracked, &touched) {
        return Ok(r.stop(
            Stop::InTheWay,
            format!(
                "{upstream} adds {blocked}, which is there already as a file git does not track"
            ),
            vec![fix(
                "move it out of the way (or delete it), then sync again",
                &format!("mv {{dir}}/{blocked} {{dir}}/{blocked}.mine"),
            )],
        ));
    }

    let prefix = info.checkout.prefix.clone();
    let worktree = Worktree::add(git, top, &team.scratch, &target)?;
    let incoming_dir = worktree.path.join(&prefix);
    if !incoming_dir.is_dir() {
        r.outcome = Outcome::Refused;
        r.explanation = Some(format!(
            "the incoming revision has no folder {}: the library would be gone",
            prefix.display()
        ));
        return Ok(r);
    }
    let checked = check_dir(&incoming_dir, rules)?;
    r.checked = Some(Counts {
        files: checked.lib.files.len(),
        replies: checked.replies,
        errors: checked.errors,
        warnings: checked.warnings,
    });
    r.changes = reply_changes(git, spec, info, &touched, &checked.lib, rules, opts.diff)?;
    r.diagnostics = checked
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error() || d.is_warning())
        .collect();
    drop(worktree);
    if checked.errors > 0 {
        r.outcome = Outcome::Refused;
        return Ok(r);
    }
    git.run(
        top,
        &["merge", "--ff-only", "--quiet", &target],
        Reach::Local,
    )
    .map_err(|e| e.error("cannot fast-forward to the incoming revision (nothing was changed)"))?;
    r.outcome = Outcome::Updated;
    Ok(r)
}

/// Records how a sync ended; a state that cannot be written only costs the staleness note.
fn remember(team: &Team, path: &Path, now: NaiveDateTime, r: &Report) {
    let Some(dir) = &team.state else { return };
    let _ = state::record(dir, path, |rec| {
        rec.outcome = Some(r.outcome.word().to_string());
        if r.outcome.current() {
            rec.synced = Some(state::time(now));
            rec.refused = None;
        }
        if r.outcome == Outcome::Refused {
            rec.refused = r.to.clone();
        }
    });
}

/// A few names, then how many more.
fn list(names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(3).cloned().collect();
    if names.len() > 3 {
        shown.push(format!("and {} more", names.len() - 3));
    }
    shown.join(", ")
}

pub fn short(rev: &str) -> &str {
    rev.get(..7).unwrap_or(rev)
}

/// `git diff --name-status -z` as (status letter, path) pairs.
fn name_status(out: &str) -> Vec<(char, String)> {
    let mut it = out.split('\0');
    let mut v = Vec::new();
    while let (Some(s), Some(p)) = (it.next(), it.next()) {
        if let Some(c) = s.chars().next() {
            v.push((c, p.to_string()));
        }
    }
    v
}

/// A file the update adds where an untracked file (or folder, shown with
/// a trailing `/`) already is.
fn in_the_way(untracked: &[String], touched: &[(char, String)]) -> Option<String> {
    touched
        .iter()
        .filter(|(s, _)| *s == 'A')
        .find(|(_, p)| {
            untracked
                .iter()
                .any(|u| p == u || (u.ends_with('/') && p.starts_with(u.as_str())))
        })
        .map(|(_, p)| p.clone())
}

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
/// they are in the agent's copy and in the incoming revision.
fn reply_changes(
    git: &Git,
    spec: &Spec,
    info: &Info,
    touched: &[(char, String)],
    incoming: &Library,
    rules: Rules<'_>,
    diff: bool,
) -> Result<Vec<Change>> {
    let prefix = info.checkout.prefix.to_string_lossy().into_owned();
    let in_library = |p: &str| -> Option<String> {
        if prefix.is_empty() {
            Some(p.to_string())
        } else {
            p.strip_prefix(&format!("{prefix}/")).map(str::to_string)
        }
    };
    let files: BTreeSet<String> = touched.iter().filter_map(|(_, p)| in_library(p)).collect();
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
        .collect()
    } else {
        files.clone()
    };
    let mine = read_relative(&spec.path, rules)?;
    let before: Vec<(&Reply, &str)> = located(&mine, |f| tracked.contains(f));
    let after: Vec<(&Reply, &str)> = located(incoming, |f| every || files.contains(f));
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
struct Worktree<'a> {
    git: &'a Git,
    top: PathBuf,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Temporary worktrees are made in folders named so.
const WORKTREE_PREFIX: &str = "reply-incoming-";

impl<'a> Worktree<'a> {
    fn add(git: &'a Git, top: &Path, scratch: &Path, rev: &str) -> Result<Worktree<'a>> {
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
fn remove_stale_worktrees(git: &Git, top: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_files_where_untracked_ones_are_stop_the_update() {
        let touched = vec![('M', "a.toml".to_string()), ('A', "new/b.toml".to_string())];
        assert_eq!(
            in_the_way(&["new/".into()], &touched).as_deref(),
            Some("new/b.toml")
        );
        assert_eq!(in_the_way(&["a.toml".into()], &touched), None);
        assert_eq!(in_the_way(&["other.toml".into()], &touched), None);
    }

    #[test]
    fn name_status_pairs() {
        assert_eq!(
            name_status("M\0a b.toml\0A\0c.toml\0"),
            [('M', "a b.toml".to_string()), ('A', "c.toml".to_string())]
        );
    }
}
