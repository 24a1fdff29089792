//! What a sync says of one library: how it ended ([`Outcome`], [`Stop`]),
//! what it saw (the revisions, the replies that change, the incoming
//! revision's check) and the git commands that resolve a stop ([`Fix`]).
//! The command layer writes it and picks the exit code from it.
use std::path::PathBuf;

use super::changes::Change;
use super::{Spec, url};
use crate::diag::Diagnostic;

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
    /// The upstream branch lost commits this copy took from it (a force-push).
    Rewound,
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
            Stop::Rewound => "rewound",
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
    pub(super) fn new(spec: &Spec) -> Report {
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

    pub(super) fn stop(mut self, why: Stop, explanation: String, fixes: Vec<Fix>) -> Report {
        self.outcome = Outcome::Stopped(why);
        self.explanation = Some(explanation);
        self.fixes = fixes;
        self
    }
}

pub(super) fn fix(what: &str, command: &str) -> Fix {
    Fix {
        what: what.to_string(),
        command: command.to_string(),
    }
}
