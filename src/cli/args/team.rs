//! The arguments of library and sync.

use clap::Args;

use super::JsonArg;

#[derive(Debug, Args)]
pub struct LibraryArgs {
    #[command(subcommand)]
    pub action: LibraryAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum LibraryAction {
    /// Add a team library: clone a git repository, or add a folder as it is
    Add(LibraryAddArgs),
    /// Every library in layer order: kind, remote, last sync, replies, shadowing
    #[command(visible_alias = "ls")]
    List(LibraryListArgs),
    /// Take a library out of the config (and delete its clone with --delete)
    #[command(visible_alias = "rm")]
    Remove(LibraryRemoveArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
A URL (https://…, ssh://…, git@host:path, file://…) or a bare repository is \
cloned with git into $XDG_DATA_HOME/reply/libraries/NAME; a folder that is a \
git checkout (or a plain folder) is added where it is. The library goes into \
the config's `libraries`, directly above your own library (`user`), or \
directly below it with --below.")]
pub struct LibraryAddArgs {
    /// A git URL or bare repository to clone, or a folder to add as it is
    #[arg(value_name = "URL|PATH")]
    pub source: String,
    /// The library's name (default: the URL's or folder's last part)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The branch to follow (default: the remote's default branch)
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
    /// Put it below your own library, so your replies shadow its replies
    #[arg(long)]
    pub below: bool,
}

#[derive(Debug, Args)]
pub struct LibraryListArgs {
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Debug, Args)]
pub struct LibraryRemoveArgs {
    /// The library's name (as `reply library list` shows it)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Also delete its clone; refused while it holds work that exists nowhere else
    #[arg(long)]
    pub delete: bool,
    /// With --delete: delete it even with uncommitted changes or unpushed commits
    #[arg(long, requires = "delete")]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
For each git library: git fetch, then the replies the update adds, changes and \
removes, then `check` of the incoming revision in a temporary worktree. Only a \
revision without errors is taken, by a fast-forward; otherwise your copy stays \
as it was and the errors are shown with the files and lines of that revision \
(exit 2). Uncommitted changes, your own commits or a diverged branch stop the \
sync with the git commands that resolve it: reply never merges, rebases, \
stashes or resets for you. An unreachable remote is a warning (exit 0, or 2 \
with --strict); the last synced copy keeps working.")]
pub struct SyncArgs {
    /// The libraries to sync (default: every git library in the config)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Show a word diff of each changed text
    #[arg(long)]
    pub diff: bool,
    /// Count an unreachable remote as an error (exit 2)
    #[arg(long)]
    pub strict: bool,
    /// Print JSON (see docs/json.md for the shape)
    #[arg(long)]
    pub json: bool,
    /// The background sync `auto_sync` starts: quiet, never waits for a busy library
    #[arg(long, hide = true)]
    pub background: bool,
}
