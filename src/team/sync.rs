//! `reply sync` for one library: fetch, then take the incoming revision only
//! by a fast-forward, and only when it passes `check` in a temporary
//! worktree of its own (never in the agent's copy). Uncommitted changes,
//! local commits on a branch that has moved, a detached or untracked
//! branch: the sync stops and says which git commands resolve it; it never
//! merges, rebases, stashes or resets for the agent. An unreachable remote
//! leaves the last synced copy in use. Every outcome is a [`Report`]: the
//! command layer says it and picks the exit code.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDateTime;

use super::git::{Failure, Git, Reach};
use super::incoming::{Worktree, check_dir, remove_stale_worktrees, reply_changes};
use super::report::fix;
pub use super::report::{Counts, Fix, Outcome, Report, Stop};
use super::status::{self, Info};
use super::{Spec, Team, add, state, url};
use crate::compose::Runtime;
use crate::compose::platform::Platform;
use crate::diag::{Error, Result};
use crate::library::edit::install::lock_path;
use crate::util::lock::Lock;
use crate::util::units::plural;

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
        // Without an upstream git does not say which remote is meant: name
        // the one the config's address is for, else let the agent see them.
        let fixes = if info.remote.is_some() || spec.url.is_some() {
            let remote = info.remote.as_deref().unwrap_or("origin");
            vec![fix(
                "make it follow the remote's branch",
                &format!("git -C {{dir}} branch --set-upstream-to={remote}/{on}"),
            )]
        } else {
            vec![
                fix("see its remotes", "git -C {dir} remote -v"),
                fix(
                    "make it follow a remote's branch",
                    &format!("git -C {{dir}} branch --set-upstream-to=REMOTE/{on}"),
                ),
            ]
        };
        return Some(r.stop(
            Stop::NoUpstream,
            format!("branch {on} has no upstream branch to sync from"),
            fixes,
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
    if ahead > 0 && rewound(git, top, &upstream) {
        return Ok(r.stop(
            Stop::Rewound,
            format!(
                "{upstream} was rewound (someone force-pushed): {} here came from it earlier, and it no longer has {}",
                plural(ahead, "commit", "commits"),
                if ahead == 1 { "it" } else { "them" }
            ),
            vec![
                fix("see what the team's branch dropped", &format!("git -C {{dir}} log --oneline {upstream}..HEAD")),
                fix(
                    "take the team's branch as it is now",
                    &format!("git -C {{dir}} reset --hard {upstream}"),
                ),
            ],
        ));
    }
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
                    &format!("drop yours (they are lost) and take {upstream}"),
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
                    "commit them, put them on top of the team's and share them",
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
    r.changes = reply_changes(git, spec, info, &touched, &checked, rules, opts.diff)?;
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
/// Whether HEAD is where `upstream` once was, or behind such a place: the
/// commits it has that `upstream` lacks came from the remote, which has since
/// been rewound, and are not the agent's own work (pushing them back would
/// undo what the team did). Asked of the remote-tracking branch's reflog,
/// its last 100 positions; without a reflog, the commits count as the agent's.
fn rewound(git: &Git, top: &Path, upstream: &str) -> bool {
    let Ok(log) = git.read(
        top,
        &[
            "reflog",
            "show",
            "--format=%H",
            "-n",
            "100",
            &format!("refs/remotes/{upstream}"),
            "--",
        ],
    ) else {
        return false;
    };
    let earlier: Vec<&str> = log.lines().filter(|l| !l.is_empty()).collect();
    if earlier.is_empty() {
        return false;
    }
    // Nothing of HEAD that none of those positions reaches: it was there.
    let mut args = vec!["rev-list", "-n", "1", "HEAD", "--not"];
    args.extend(earlier);
    git.read(top, &args).is_ok_and(|out| out.trim().is_empty())
}

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
