//! The arguments of import and export.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{FileArg, JsonArg};

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
