//! The command line, as clap types: the top layer's input. Depends on nothing
//! else in the crate, so completions and the man page are generated from it
//! alone; the command layer turns it into settings and plain values.

pub mod completion;
pub mod man;
mod normalize;

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

pub use normalize::{Normalized, Typo, normalize_args};

/// Exit codes, for `--help`, the man page and README (a test checks README).
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success. With --each: every record rendered."),
    (
        "1",
        "No reply matched: a query that finds nothing, or an id no reply has (show, vars, render --exact).",
    ),
    (
        "2",
        "Usage or data error: a bad option or command, a bad library file, a missing variable, a template error, a message over the platform's limit, `check` found errors; with --each, at least one record failed (the others were still written).",
    ),
    (
        "3",
        "The clipboard could not be reached (see --print and the config's copy_command).",
    ),
    (
        "4",
        "The output could not be written (a closed pipe is not an error: reply stops quietly).",
    ),
];

/// Environment variables, for `--help`, the man page and README.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "REPLY_LIBRARY",
        "Library folders, separated by `:`: below --library, above the config's `libraries`.",
    ),
    (
        "REPLY_CONFIG",
        "The config file (default: $XDG_CONFIG_HOME/reply/config.toml).",
    ),
    ("REPLY_AGENT", "Your name, above the config's `agent`."),
    ("REPLY_BRAND", "The brand, above the config's `brand`."),
    (
        "REPLY_CUSTOMER",
        "The customer's name, when not given with -c.",
    ),
    (
        "REPLY_VAR_<KEY>",
        "Any variable, e.g. REPLY_VAR_order=A-1042; below -v, --vars and --each records.",
    ),
    ("REPLY_PLATFORM", "The default platform (as --platform)."),
    ("REPLY_LANG", "The default language (as --lang)."),
    (
        "REPLY_NOW",
        "A fixed local time for greeting() and `today` (as --now).",
    ),
    (
        "REPLY_NO_CACHE",
        "Read every library file instead of using the catalog cache.",
    ),
    ("NO_COLOR", "No colour when set to a non-empty value."),
    (
        "XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME",
        "Where the config, your own library and the cache live (default: ~/.config, ~/.local/share, ~/.cache).",
    ),
];

/// The text after `--help`: the exit codes and the environment, from the tables above.
pub fn after_help() -> String {
    let mut out = String::from("Exit codes:\n");
    for (code, what) in EXIT_STATUS {
        out.push_str(&wrap(&format!("  {code}  "), what));
    }
    out.push_str("\nEnvironment:\n");
    let width = ENVIRONMENT.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, what) in ENVIRONMENT {
        out.push_str(&wrap(&format!("  {name:width$}  "), what));
    }
    out.trim_end().to_string()
}

/// `lead` then `text`, wrapped at 79 columns under the text's first column.
fn wrap(lead: &str, text: &str) -> String {
    let indent = " ".repeat(lead.len());
    let mut out = String::new();
    let mut line = lead.to_string();
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > 79 && line.len() > lead.len() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
        }
        if line.len() > lead.len() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[derive(Debug, Parser)]
#[command(
    name = "reply",
    version,
    about = "Find, personalise and send saved replies to customers' messages",
    long_about = "Find, personalise and send saved replies to customers' messages.\n\n\
        `reply QUERY [options]` is short for `reply render QUERY [options]`:\n\
        `reply refund -c Ana` renders the best match for \"refund\" for Ana.",
    after_help = after_help(),
    override_usage = "reply [OPTIONS] <QUERY> [RENDER OPTIONS]\n       reply [OPTIONS] <COMMAND>",
    arg_required_else_help = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, shown under their own heading.
#[derive(Debug, Args)]
pub struct Global {
    /// A library folder to read replies from, above all others (repeatable)
    #[arg(short = 'L', long = "library", value_name = "DIR", global = true, help_heading = GLOBAL)]
    pub libraries: Vec<PathBuf>,
    /// When to use colour
    #[arg(long, default_value = "auto", value_name = "WHEN", global = true, help_heading = GLOBAL,
          value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// Silence warnings and notes on stderr (errors still show)
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,
    /// Fix the local time for greeting() and `today` (e.g. 2026-11-25T09:30)
    #[arg(long, value_name = "TIME", global = true, help_heading = GLOBAL)]
    pub now: Option<String>,
}

const GLOBAL: &str = "Global options";
const VALUES: &str = "Values";
const DELIVERY: &str = "Delivery";
const BATCH: &str = "Batch (--each)";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every reply: id, title, tags and library
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Fuzzy-search replies by id, title, tags and text
    #[command(visible_alias = "s")]
    Search(SearchArgs),
    /// Show a reply as stored, where it comes from and the variables it uses
    Show(ShowArgs),
    /// Render a reply with the customer's name and other values
    #[command(visible_alias = "r")]
    Render(RenderArgs),
    /// List the variables a reply uses and which still need a value
    Vars(VarsArgs),
    /// Lint libraries: errors, and warnings about replies unfit to send
    Check(CheckArgs),
    /// Copy the starter library into your own library folder to edit
    Init(InitArgs),
    /// Show where the config and the libraries are looked for
    Paths(PathsArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man(ManArgs),
    /// Print the ids for shell completion (used by the completion scripts)
    #[command(name = "__complete-ids", hide = true)]
    CompleteIds(CompleteIdsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {}

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

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only replies with this tag
    #[arg(short, long, value_name = "TAG")]
    pub tag: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
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

#[derive(Debug, Args, Default)]
pub struct RenderArgs {
    /// An exact reply id, or words to find the best match
    #[arg(value_name = "QUERY", required = true)]
    pub query: Option<String>,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Cli {
        let args = normalize_args(args.iter().map(Into::into).collect()).args;
        Cli::try_parse_from(args).unwrap()
    }

    #[test]
    fn bare_query_renders_and_subcommands_win() {
        let Command::Render(r) = parse(&["reply", "refund", "-c", "Ana"]).command else {
            panic!()
        };
        assert_eq!(r.query.as_deref(), Some("refund"));
        assert_eq!(r.values.customer.as_deref(), Some("Ana"));
        assert!(matches!(
            parse(&["reply", "list"]).command,
            Command::List(_)
        ));
        assert!(matches!(
            parse(&["reply", "-L", "lib", "list"]).command,
            Command::List(_)
        ));
        assert!(matches!(
            parse(&["reply", "--library=lib", "ls"]).command,
            Command::List(_)
        ));
        let Command::Render(r) = parse(&["reply", "-L", "lib", "-c", "Ana", "refund"]).command
        else {
            panic!()
        };
        assert_eq!(r.query.as_deref(), Some("refund"));
        let Command::Show(s) = parse(&["reply", "--color", "never", "show", "x"]).command else {
            panic!()
        };
        assert_eq!(s.id, "x");
    }
}
