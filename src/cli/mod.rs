//! The command line, as clap types: the top layer's input. Depends on nothing
//! else in the crate, so completions and the man page are generated from it
//! alone; the command layer turns it into settings and plain values.

mod args;
pub mod completion;
mod help;
pub mod man;
mod normalize;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use args::*;
pub use help::{ENVIRONMENT, EXIT_STATUS, after_help};
pub use normalize::{Normalized, Typo, normalize_args};

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
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// None: `reply` alone, which opens the picker on a terminal.
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Fix the local time (e.g. 2026-11-25T09:30): for greeting(), `today`, sync staleness, usage records and frecency
    #[arg(long, value_name = "TIME", global = true, help_heading = GLOBAL)]
    pub now: Option<String>,
    /// Never ask or open anything interactive, even on a terminal (as in a script)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_input: bool,
}

const GLOBAL: &str = "Global options";
const VALUES: &str = "Values";
const DELIVERY: &str = "Delivery";
const BATCH: &str = "Batch (--each)";
const SUGGEST_RENDER: &str = "Rendering (--render)";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every reply: id, title, tags and library
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Fuzzy-search replies by id, title, tags and text
    #[command(visible_alias = "s")]
    Search(SearchArgs),
    /// Suggest the replies that answer a customer's message, and say why
    Suggest(SuggestArgs),
    /// Show a reply as stored, where it comes from and the variables it uses
    Show(ShowArgs),
    /// Render a reply with the customer's name and other values
    #[command(visible_alias = "r")]
    Render(RenderArgs),
    /// Pick a reply from a live list with a preview, fill in its values, copy it
    Pick(PickArgs),
    /// List the variables a reply uses and which still need a value
    Vars(VarsArgs),
    /// Lint libraries: errors, and warnings about replies unfit to send
    Check(CheckArgs),
    /// Run the tests that live with replies ([ID.tests.NAME])
    Test(TestArgs),
    /// Write a new reply: in your editor, or from --title and --body
    New(NewArgs),
    /// Edit a reply in your editor; checked before it is saved
    Edit(EditArgs),
    /// Remove a reply
    Rm(RmArgs),
    /// Rename a reply, with its defaults, variables, translations and tests
    Mv(MvArgs),
    /// Copy a reply, e.g. into your own library to adapt it
    Cp(CpArgs),
    /// Team libraries: add one (a git clone or a folder), list them, remove one
    Library(LibraryArgs),
    /// Bring git libraries up to date, never with a revision that fails check
    Sync(SyncArgs),
    /// Import replies from espanso, a CSV export, Markdown files, JSON or pet
    Import(ImportArgs),
    /// Export replies as JSON, CSV, Markdown or an espanso match file
    Export(ExportArgs),

    /// Copy the starter library into your own library folder to edit
    Init(InitArgs),
    /// Read and change the config file (comments and layout are kept)
    Config(ConfigArgs),
    /// Show where the config and the libraries are looked for
    Paths(PathsArgs),
    /// Show the replies you sent: when, which, how found (never a value)
    History(HistoryArgs),
    /// Usage statistics: most sent, by platform, language, how found, never sent
    Stats(StatsArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man(ManArgs),
    /// Print the ids for shell completion (used by the completion scripts)
    #[command(name = "__complete-ids", hide = true)]
    CompleteIds(CompleteIdsArgs),
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
        let Some(Command::Render(r)) = parse(&["reply", "refund", "-c", "Ana"]).command else {
            panic!()
        };
        assert_eq!(r.query.as_deref(), Some("refund"));
        assert_eq!(r.values.customer.as_deref(), Some("Ana"));
        assert!(matches!(
            parse(&["reply", "list"]).command,
            Some(Command::List(_))
        ));
        assert!(matches!(
            parse(&["reply", "-L", "lib", "list"]).command,
            Some(Command::List(_))
        ));
        assert!(matches!(
            parse(&["reply", "--library=lib", "ls"]).command,
            Some(Command::List(_))
        ));
        assert!(parse(&["reply"]).command.is_none());
        let Some(Command::Render(r)) =
            parse(&["reply", "-L", "lib", "-c", "Ana", "refund"]).command
        else {
            panic!()
        };
        assert_eq!(r.query.as_deref(), Some("refund"));
        let Some(Command::Show(s)) = parse(&["reply", "--color", "never", "show", "x"]).command
        else {
            panic!()
        };
        assert_eq!(s.id, "x");
    }
}
