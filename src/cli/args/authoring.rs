//! The arguments of the authoring commands: test, new, edit, rm, mv, cp.

use std::path::PathBuf;

use clap::Args;

use super::JsonArg;

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
