//! The arguments of each subcommand.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use super::{BATCH, DELIVERY, SUGGEST_RENDER, VALUES};

#[derive(Debug, Args)]
pub struct InitArgs {}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum ConfigAction {
    /// Print a key's value (exit 1 when it is not set)
    Get {
        /// agent, brand, lang, platform, output, copy_command, libraries,
        /// vars.NAME, platforms.NAME.max_chars, limits.render_time, …
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Set a key (the config file is created if needed)
    Set {
        #[arg(value_name = "KEY")]
        key: String,
        #[arg(value_name = "VALUE")]
        value: String,
    },
    /// Remove a key
    Unset {
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Print where the config file is
    Path,
    /// Open the config file in $VISUAL or $EDITOR; it is checked before it is saved
    Edit,
}

#[derive(Debug, Args)]
pub struct ManArgs {}

#[derive(Debug, Args)]
pub struct PathsArgs {
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON (see README for the shape)
    #[arg(long)]
    pub json: bool,
}

/// The filters `list` and `search` share.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only replies written for this platform (or for all)
    #[arg(short, long, value_name = "NAME")]
    pub platform: Option<String>,
    /// Only replies available in this language
    #[arg(short, long, value_name = "CODE")]
    pub lang: Option<String>,
}

/// The orders of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListSort {
    /// As the libraries have them (highest layer first, then file order)
    #[default]
    Library,
    /// The most used first (frecency; see `reply stats`), then library order
    Used,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only replies with this tag
    #[arg(short, long, value_name = "TAG")]
    pub tag: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The order
    #[arg(long, value_enum, default_value_t = ListSort::Library, value_name = "ORDER")]
    pub sort: ListSort,
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for; each must match, in any order
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// At most this many results
    #[arg(short = 'n', long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Debug, Args, Default)]
pub struct SuggestArgs {
    /// The customer's message (`-` or nothing: read it from stdin)
    #[arg(value_name = "MESSAGE")]
    pub message: Option<String>,
    /// Read the message from the clipboard
    #[arg(long, conflicts_with = "message")]
    pub from_clipboard: bool,
    /// At most this many suggestions
    #[arg(short = 'n', long, default_value_t = 5, value_name = "N")]
    pub limit: usize,
    /// Only suggestions scoring at least this, from 0 to 1 (default 0.12)
    #[arg(long, value_name = "SCORE")]
    pub min_score: Option<f64>,
    /// Answer in this language, whatever the message's
    #[arg(short, long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Only replies written for this platform (and check the render against it)
    #[arg(short, long, value_name = "NAME")]
    pub platform: Option<String>,
    /// Print JSON (see docs/json.md for the shape)
    #[arg(long)]
    pub json: bool,
    /// Render the best suggestion instead of listing them, as `render` does
    #[arg(long, help_heading = SUGGEST_RENDER)]
    pub render: bool,
    /// With --render: use the values found in the message (an order number, an e-mail)
    #[arg(long, requires = "render", help_heading = SUGGEST_RENDER)]
    pub fill: bool,
    #[command(flatten)]
    pub values: ValueArgs,
    /// With --render: render the public text instead of the private message
    #[arg(long, requires = "render", help_heading = SUGGEST_RENDER)]
    pub public: bool,
    /// With --render: copy the message to the clipboard
    #[arg(long, requires = "render", conflicts_with = "print", help_heading = SUGGEST_RENDER)]
    pub copy: bool,
    /// With --render: only print the message
    #[arg(long, requires = "render", help_heading = SUGGEST_RENDER)]
    pub print: bool,
    /// With --render: record it in the usage history even in a pipe
    #[arg(long, requires = "render", help_heading = SUGGEST_RENDER)]
    pub record: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The reply's id
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Debug, Args)]
pub struct VarsArgs {
    /// The reply's id
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub values: ValueArgs,
    /// The language variant to inspect
    #[arg(short, long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Inspect the public text instead of the body
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub json: JsonArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Library folders or files to check (default: every library in use)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Count warnings as errors
    #[arg(long)]
    pub deny_warnings: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct CompleteIdsArgs {
    /// Only ids starting with this
    #[arg(default_value = "")]
    pub prefix: String,
}

/// Values for the template: shared by `render` and `vars`.
#[derive(Debug, Args, Default)]
pub struct ValueArgs {
    /// The customer's name
    #[arg(short, long, value_name = "NAME", help_heading = VALUES)]
    pub customer: Option<String>,
    /// Your name, as the agent (default: config `agent` or REPLY_AGENT)
    #[arg(short, long, value_name = "NAME", help_heading = VALUES)]
    pub agent: Option<String>,
    /// The brand (default: config `brand` or REPLY_BRAND)
    #[arg(short, long, value_name = "NAME", help_heading = VALUES)]
    pub brand: Option<String>,
    /// Any variable, KEY=VALUE (repeatable)
    #[arg(short = 'v', long = "var", value_name = "KEY=VALUE", help_heading = VALUES)]
    pub vars: Vec<String>,
    /// Variables from a TOML or JSON file (`-` reads stdin); -v wins over it
    #[arg(long = "vars", value_name = "FILE", help_heading = VALUES)]
    pub vars_file: Option<String>,
}

/// The values of `--output`, each with what it does.
fn output_modes() -> [PossibleValue; 4] {
    [
        PossibleValue::new("auto")
            .help("stdout a terminal: copy, then show the message; otherwise print only"),
        PossibleValue::new("copy").help("copy to the clipboard; print nothing on stdout"),
        PossibleValue::new("print").help("print on stdout; leave the clipboard alone"),
        PossibleValue::new("both").help("copy, then print"),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum BatchFormat {
    #[default]
    Jsonl,
    Text,
}

/// `reply pick [QUERY]`: the render options a person at a terminal uses.
#[derive(Debug, Args, Default)]
pub struct PickArgs {
    /// Words to start the list with (type to change them)
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// List the replies `reply suggest` finds for this customer message, best first
    #[arg(long = "for", value_name = "MESSAGE", conflicts_with = "query")]
    pub for_message: Option<String>,
    #[command(flatten)]
    pub values: ValueArgs,
    /// Measure the message against this platform's limit (^T changes it)
    #[arg(short, long, value_name = "NAME")]
    pub platform: Option<String>,
    /// Start with the public text (Tab switches)
    #[arg(long)]
    pub public: bool,
    /// Start with this language's variant (^L changes it)
    #[arg(short, long, value_name = "CODE")]
    pub lang: Option<String>,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

/// Where a rendered message goes.
#[derive(Debug, Args, Default)]
pub struct DeliveryArgs {
    /// Copy the message to the clipboard (same as --output copy)
    #[arg(long, conflicts_with_all = ["print", "output"], help_heading = DELIVERY)]
    pub copy: bool,
    /// Only print the message (same as --output print)
    #[arg(long, conflicts_with = "output", help_heading = DELIVERY)]
    pub print: bool,
    /// Where the message goes (default: config `output`, else auto)
    #[arg(long, value_name = "MODE", value_parser = clap::builder::PossibleValuesParser::new(output_modes()), help_heading = DELIVERY)]
    pub output: Option<String>,
    /// Copy with the OSC 52 terminal sequence (SSH, no display)
    #[arg(long, help_heading = DELIVERY)]
    pub osc52: bool,
}

#[derive(Debug, Args, Default)]
pub struct RenderArgs {
    /// An exact reply id, or words to find the best match
    #[arg(value_name = "QUERY", required_unless_present = "for_message")]
    pub query: Option<String>,
    /// Render the reply `reply suggest` puts first for this customer message
    #[arg(long = "for", value_name = "MESSAGE", conflicts_with_all = ["query", "exact"])]
    pub for_message: Option<String>,
    #[command(flatten)]
    pub values: ValueArgs,
    /// Refuse fuzzy matching: QUERY must be an exact id
    #[arg(short = 'e', long)]
    pub exact: bool,
    /// Check the message against this platform's limit (and set `platform`)
    #[arg(short, long, value_name = "NAME")]
    pub platform: Option<String>,
    /// Render the short public reply instead of the private message
    #[arg(long)]
    pub public: bool,
    /// Render this language's variant
    #[arg(short, long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Fail instead of falling back when the language is missing
    #[arg(long)]
    pub strict_lang: bool,
    /// Print a JSON object instead of the message
    #[arg(long)]
    pub json: bool,
    /// Copy the message to the clipboard (same as --output copy)
    #[arg(long, conflicts_with_all = ["print", "output"], help_heading = DELIVERY)]
    pub copy: bool,
    /// Only print the message (same as --output print)
    #[arg(long, conflicts_with = "output", help_heading = DELIVERY)]
    pub print: bool,
    /// Where the message goes (default: config `output`, else auto)
    #[arg(long, value_name = "MODE", value_parser = clap::builder::PossibleValuesParser::new(output_modes()), help_heading = DELIVERY)]
    pub output: Option<String>,
    /// Copy with the OSC 52 terminal sequence (SSH, no display)
    #[arg(long, help_heading = DELIVERY)]
    pub osc52: bool,
    /// Render once per record of a CSV or JSON Lines file (`-` reads stdin)
    #[arg(long, value_name = "FILE", help_heading = BATCH)]
    pub each: Option<String>,
    /// The format of --each (default: from the extension, else CSV)
    #[arg(long, value_name = "FORMAT", requires = "each", help_heading = BATCH, value_parser = ["csv", "jsonl"])]
    pub each_format: Option<String>,
    /// Output of --each: JSON Lines, or the messages as text
    #[arg(long, value_enum, default_value_t = BatchFormat::Jsonl, value_name = "FORMAT", requires = "each", help_heading = BATCH)]
    pub format: BatchFormat,
    /// Separator between messages with --format text (`\0` for NUL)
    #[arg(long, default_value = "---", value_name = "TEXT", requires = "each", help_heading = BATCH)]
    pub separator: String,
    /// Stop at the first record that fails
    #[arg(long, requires = "each", help_heading = BATCH)]
    pub fail_fast: bool,
    /// Record it in the usage history even in a pipe, with --json or --each
    #[arg(long)]
    pub record: bool,
    /// Set by `suggest --render`: the reply was suggested, not typed.
    #[arg(skip)]
    pub suggested: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The replies whose tests to run (default: every reply in use)
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub json: JsonArg,
}

/// Where `new` and `cp` put a reply, and what `--library` means for them.
#[derive(Debug, Args)]
pub struct FileArg {
    /// The file in the library, e.g. orders.toml (default: see --help)
    #[arg(long, value_name = "NAME.toml")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Without --body (or --body-file), on a terminal, opens $VISUAL or $EDITOR on a \
commented skeleton; the flags given fill it in. The reply is checked before it \
is written; a draft that does not pass is kept.\n\n\
The library is your own (created if needed) unless --library DIR|NAME names \
another; the file is named after the first tag (orders.toml), else replies.toml.")]
pub struct NewArgs {
    /// The new reply's id (lowercase letters, digits, `-` and `_`)
    #[arg(value_name = "ID")]
    pub id: String,
    /// Its title: what people search and list
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Its body, a template ("Hi {{ customer }}, ...")
    #[arg(long, value_name = "TEXT", conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Read the body from a file (`-` reads stdin)
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<String>,
    /// A tag (repeatable)
    #[arg(short, long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Its language, when not the file's or the library's
    #[arg(short, long, value_name = "CODE")]
    pub lang: Option<String>,
    /// The short public answer to a complaint
    #[arg(long, value_name = "TEXT")]
    pub public: Option<String>,
    /// A platform it is written for (repeatable; none means all)
    #[arg(short, long = "platform", value_name = "NAME")]
    pub platforms: Vec<String>,
    #[command(flatten)]
    pub file: FileArg,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Opens $VISUAL or $EDITOR (else editor, nano, vi) on a copy of the file that \
holds the reply, at its line. When the editor closes, the whole file is checked \
(TOML, fields, ids, templates, the replies' own tests); only a file that passes \
replaces the original, and only if nobody changed it meanwhile. Otherwise the \
draft is kept under $XDG_STATE_HOME/reply/drafts: --resume picks it up.")]
pub struct EditArgs {
    /// The reply's id
    #[arg(value_name = "ID")]
    pub id: String,
    /// Continue the draft kept for this reply
    #[arg(long)]
    pub resume: bool,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// The reply's id
    #[arg(value_name = "ID")]
    pub id: String,
    /// Do not ask (for scripts; needed without a terminal)
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct MvArgs {
    /// The reply's id
    #[arg(value_name = "OLD")]
    pub old: String,
    /// Its new id
    #[arg(value_name = "NEW")]
    pub new: String,
}

#[derive(Debug, Args)]
pub struct CpArgs {
    /// The reply to copy
    #[arg(value_name = "ID")]
    pub id: String,
    /// The copy's id (the same id, in another library, shadows the original)
    #[arg(value_name = "NEW")]
    pub new: String,
    /// The library to copy into: a folder, or a library's name (default: your own)
    #[arg(long, value_name = "LIBRARY")]
    pub to: Option<String>,
    #[command(flatten)]
    pub file: FileArg,
}

/// The formats `reply import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// espanso match files (YAML): a file or a folder of them
    Espanso,
    /// A CSV export with a header row (help desks, spreadsheets)
    Csv,
    /// A folder of Markdown files with YAML or TOML front matter
    Markdown,
    /// What `reply export json` writes
    Json,
    /// pet's snippet file (TOML)
    Pet,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Shows what it would write (the ids, where each came from, the placeholders \
converted and what needs your attention) and, on a terminal, asks before \
writing; --dry-run only shows it, --yes does not ask. Without a terminal it \
writes (for scripts). The replies go to the end of --file NAME.toml (default: \
named after the source) in your own library, or the one --into DIR|NAME names \
(else the first --library). An id that exists there is never overwritten: the \
new reply gets a suffix (-2) and the report says so. The file is checked as \
`reply check` would before it is written, atomically and under the library's \
lock.")]
pub struct ImportArgs {
    /// The format of SOURCE
    #[arg(value_enum, value_name = "FORMAT")]
    pub format: ImportFormat,
    /// A file, or a folder (espanso, markdown); `-` reads stdin
    #[arg(value_name = "SOURCE")]
    pub source: PathBuf,
    /// The library to import into: a folder, or a library's name (default: your own)
    #[arg(long, value_name = "LIBRARY")]
    pub into: Option<String>,
    #[command(flatten)]
    pub file: FileArg,
    /// Show what would be written, and write nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Do not ask before writing, even on a terminal
    #[arg(short, long)]
    pub yes: bool,
    /// CSV: what a column holds, COLUMN=FIELD (id, name, title, body, tags, lang, public, examples, platforms, default.NAME, ignore)
    #[arg(long, value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    #[command(flatten)]
    pub json: JsonArg,
}

/// The formats `reply export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every field, as `reply show --json` gives it, in a list (lossless)
    Json,
    /// One row per reply and language
    Csv,
    /// A folder, one file per reply with front matter
    Markdown,
    /// An espanso match file, triggers `:ID`
    Espanso,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Exports every reply in use, or the IDs given; with --library DIR|NAME, the \
replies of that library only. --out names the file (the folder, for markdown); \
without it, or with `-`, the export goes to stdout. An existing file is never \
replaced without --force, and nothing is written outside --out. What a format \
cannot hold (declared variables and tests in CSV and Markdown, templates \
espanso cannot fill in) is said on stderr.")]
pub struct ExportArgs {
    /// The format to write
    #[arg(value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// Only these replies
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// The file (a folder for markdown) to write; `-` for stdout
    #[arg(short, long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Replace files that exist
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this recent: 7d, 12h, 2w, or since a day (2026-11-01)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Print JSON (see docs/json.md for the shape)
    #[arg(long)]
    pub json: bool,
    /// Empty the usage history
    #[arg(long, conflicts_with_all = ["since", "json"])]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The period: 30d by default (all of the exports with --merge); 7d, 12h, or a day (2026-11-01)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Print JSON (see docs/json.md for the shape)
    #[arg(long, conflicts_with = "export")]
    pub json: bool,
    /// Print the period's counts per day as JSON for a lead to merge (no time, no name)
    #[arg(long)]
    pub export: bool,
    /// With --export: put your name in it
    #[arg(long = "as", value_name = "NAME", requires = "export")]
    pub agent: Option<String>,
    /// Report on several agents' exports together, instead of your own history
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub merge: Vec<PathBuf>,
}

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
