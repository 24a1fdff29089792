//! The command line, as clap types. Depends on nothing else in the crate, so
//! completions and the man page can be generated from it alone.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  no reply matched the query
  2  usage or data error: bad library file, unknown reply, missing variable,
     template error, message over the platform's limit, `check` found errors
  3  the clipboard could not be reached (see --print, copy_command)
  4  the output could not be written

Environment:
  REPLY_LIBRARY   `:`-separated library folders (below --library, above the config's)
  REPLY_CONFIG    the config file (default: $XDG_CONFIG_HOME/reply/config.toml)
  REPLY_AGENT     your name, above the config's `agent`
  REPLY_BRAND     the brand, above the config's `brand`
  REPLY_CUSTOMER  the customer's name, when not given with -c
  REPLY_VAR_<KEY> any variable, e.g. REPLY_VAR_order=A-1042
  REPLY_PLATFORM  default platform;  REPLY_LANG  default language
  REPLY_NOW       fixed local time for greeting() and today (like --now)
  REPLY_NO_CACHE  read every library file instead of using the cache
  NO_COLOR        no colour when set to a non-empty value";

#[derive(Debug, Parser)]
#[command(
    name = "reply",
    version,
    about = "Find, personalise and send saved replies to customers' messages",
    long_about = "Find, personalise and send saved replies to customers' messages.\n\n\
        `reply QUERY [options]` is short for `reply render QUERY [options]`:\n\
        `reply refund -c Ana` renders the best match for \"refund\" for Ana.",
    after_help = EXIT_CODES,
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

/// `reply QUERY [options]` is `reply render QUERY [options]`: inserts `render`
/// when the first word is not a subcommand (a subcommand name always wins).
pub fn normalize_args(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let is_subcommand = |word: &str| {
        word == "help"
            || cmd
                .get_subcommands()
                .any(|s| s.get_name() == word || s.get_all_aliases().any(|a| a == word))
    };
    // Spellings of options, read from the clap types so they never drift:
    // those that take a value (whose value must not be taken for the first
    // word), and those only `render` has (given first, they mean render).
    let spellings = |a: &clap::Arg| {
        a.get_short()
            .map(|c| format!("-{c}"))
            .into_iter()
            .chain(a.get_long().map(|l| format!("--{l}")))
            .collect::<Vec<_>>()
    };
    let globals: Vec<String> = cmd.get_arguments().flat_map(spellings).collect();
    let every_arg = cmd
        .get_arguments()
        .chain(cmd.get_subcommands().flat_map(|s| s.get_arguments()));
    let value_options: Vec<String> = every_arg
        .filter(|a| a.get_action().takes_values())
        .flat_map(spellings)
        .collect();
    let render_only: Vec<String> = cmd
        .find_subcommand("render")
        .into_iter()
        .flat_map(|r| r.get_arguments())
        .flat_map(spellings)
        .filter(|s| !globals.contains(s))
        .collect();
    let mut i = 1;
    while i < args.len() {
        let Some(word) = args[i].to_str() else {
            break;
        };
        if word == "--" {
            break;
        }
        if word.starts_with('-') && word.len() > 1 {
            let name = word.split_once('=').map_or(word, |(n, _)| n);
            if render_only.iter().any(|o| o == name) {
                break;
            }
            // `--library DIR` takes the next word; `--library=DIR` and `-Ldir` do not.
            let takes_next = value_options.iter().any(|o| o == word);
            i += if takes_next { 2 } else { 1 };
            continue;
        }
        if is_subcommand(word) {
            return args;
        }
        break;
    }
    if i >= args.len() {
        // Only options (`reply --help`, `reply -V`): leave them to clap.
        return args;
    }
    let mut out = args;
    out.insert(1, "render".into());
    out
}

#[derive(Debug, Args)]
pub struct Global {
    /// A library folder to read replies from, above all others (repeatable)
    #[arg(short = 'L', long = "library", value_name = "DIR", global = true)]
    pub libraries: Vec<PathBuf>,
    /// When to use colour
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", global = true)]
    pub color: ColorChoice,
    /// Silence warnings and notes on stderr (errors still show)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Fix the local time for greeting() and `today` (e.g. 2026-11-25T09:30)
    #[arg(long, value_name = "TIME", global = true)]
    pub now: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

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
    Init,
    /// Show where the config and the libraries are looked for
    Paths(JsonArg),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
    /// Print the ids for shell completion (used by the completion scripts)
    #[command(name = "__complete-ids", hide = true)]
    CompleteIds(CompleteIdsArgs),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
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
    #[arg(short, long, value_name = "NAME")]
    pub customer: Option<String>,
    /// Your name, as the agent (default: config `agent` or REPLY_AGENT)
    #[arg(short, long, value_name = "NAME")]
    pub agent: Option<String>,
    /// The brand (default: config `brand` or REPLY_BRAND)
    #[arg(short, long, value_name = "NAME")]
    pub brand: Option<String>,
    /// Any variable, KEY=VALUE (repeatable)
    #[arg(short = 'v', long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,
    /// Variables from a TOML or JSON file (`-` reads stdin); -v wins over it
    #[arg(long = "vars", value_name = "FILE")]
    pub vars_file: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputMode {
    /// Copy when stdout is a terminal, print otherwise
    Auto,
    Copy,
    Print,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EachFormat {
    Csv,
    Jsonl,
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
    /// Copy the message to the clipboard
    #[arg(long, conflicts_with_all = ["print", "output"])]
    pub copy: bool,
    /// Only print the message
    #[arg(long, conflicts_with = "output")]
    pub print: bool,
    /// Where the message goes (default: config `output`, else auto)
    #[arg(long, value_enum, value_name = "MODE")]
    pub output: Option<OutputMode>,
    /// Copy with the OSC 52 terminal sequence (SSH, no display)
    #[arg(long)]
    pub osc52: bool,
    /// Render once per record of a CSV or JSON Lines file (`-` reads stdin)
    #[arg(long, value_name = "FILE")]
    pub each: Option<String>,
    /// The format of --each (default: from the extension, else CSV)
    #[arg(long, value_enum, value_name = "FORMAT", requires = "each")]
    pub each_format: Option<EachFormat>,
    /// Output of --each: JSON Lines, or the messages as text
    #[arg(long, value_enum, default_value_t = BatchFormat::Jsonl, value_name = "FORMAT", requires = "each")]
    pub format: BatchFormat,
    /// Separator between messages with --format text (`\0` for NUL)
    #[arg(long, default_value = "---", value_name = "TEXT", requires = "each")]
    pub separator: String,
    /// Stop at the first record that fails
    #[arg(long, requires = "each")]
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
        let args = normalize_args(args.iter().map(Into::into).collect());
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
