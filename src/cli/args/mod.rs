//! The arguments of each subcommand: finding and rendering here, the
//! others by kind in the files beside this one.

mod authoring;
mod convert;
mod team;
mod usage;

pub use authoring::*;
pub use convert::*;
pub use team::*;
pub use usage::*;

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
