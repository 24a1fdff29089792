//! `reply rm ID`: remove a reply (its table and every table below it, with
//! their comments; the rest of the file byte for byte). Asks first on a
//! terminal; a script says `--yes`.

use super::author::{self, after_write, shown};
use super::{App, Run, ask};
use crate::cli::RmArgs;
use crate::diag::{Error, Result};
use crate::library::edit::doc;
use crate::util::escape::sanitize;

impl Run for RmArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let at = author::locate(app, &self.id)?;
        if !self.yes {
            if !app.interactive {
                return Err(Error::usage(format!(
                    "`reply rm {}` asks before removing, and there is no terminal to ask on",
                    self.id
                ))
                .hint("add --yes to remove it without asking"));
            }
            let question = format!(
                "Remove `{}` ({}) from {}?",
                sanitize(&self.id, false),
                sanitize(&at.title, false),
                shown(app, &at.file)
            );
            if !ask::confirm(app, &question, false) {
                app.out.info("Nothing was removed.");
                return Ok(());
            }
        }
        let id = self.id.clone();
        let done = author::change(app, &at.lib, &at.file, |current| {
            doc::remove(current.unwrap_or(""), &id)
        })?;
        app.out.info(&format!(
            "Removed `{}` from {}.",
            sanitize(&self.id, false),
            shown(app, &at.file)
        ));
        after_write(app, &at.file, &done.warnings);
        author::now_in_use(app, &self.id)
    }
}
