//! `reply library add|list|remove`: team libraries in the config. The git
//! work is `team`'s, the config edit `settings::edit`'s; this file puts them
//! in order (a clone is undone when the config cannot be saved) and says
//! what happened: `add`, `list` and `remove`, one file each.

mod add;
mod list;
mod remove;

use std::path::{Path, PathBuf};

use super::{App, Run};
use crate::cli::{LibraryAction, LibraryArgs};
use crate::diag::{Error, Result};

impl Run for LibraryArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        match &self.action {
            LibraryAction::Add(a) => a.run(app),
            LibraryAction::List(a) => a.run(app),
            LibraryAction::Remove(a) => a.run(app),
        }
    }
}

fn config_path(app: &App<'_>) -> Result<PathBuf> {
    app.settings.config_file.clone().ok_or_else(|| {
        Error::usage(
            "cannot tell where the config file goes: neither XDG_CONFIG_HOME nor HOME is set",
        )
        .hint("set HOME, or REPLY_CONFIG to the file to use")
    })
}

fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || std::fs::canonicalize(a)
            .ok()
            .zip(std::fs::canonicalize(b).ok())
            .is_some_and(|(x, y)| x == y)
}
