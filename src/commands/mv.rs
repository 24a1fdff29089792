//! `reply mv OLD NEW`: rename a reply: the first key of each of its table
//! headers (the reply's own, its defaults, variables, translations and
//! tests) changes in place, so its comments stay with it and nothing else in
//! the file moves. Refused when NEW is already a reply of that library.

use super::author::{self, after_write, shadowing, shown};
use super::{App, Run};
use crate::cli::MvArgs;
use crate::diag::{Error, Result};
use crate::library::edit::doc;
use crate::library::{Library, parse::valid_id};
use crate::util::escape::sanitize;

impl Run for MvArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        check_new_id(&self.new)?;
        if self.new == self.old {
            return Err(Error::usage(format!(
                "`{}` is already called that",
                self.old
            )));
        }
        let at = author::locate(app, &self.old)?;
        refuse_taken(app, &at.lib, &self.new)?;
        let (old, new) = (self.old.clone(), self.new.clone());
        let done = author::change(app, &at.lib, &at.file, |current| {
            doc::rename(current.unwrap_or(""), &old, &new)
        })?;
        app.out.info(&format!(
            "Renamed `{}` to `{}` in {}.",
            sanitize(&self.old, false),
            sanitize(&self.new, false),
            shown(app, &at.file)
        ));
        after_write(app, &at.file, &done.warnings);
        shadowing(app, &self.new, &at.file)?;
        author::now_in_use(app, &self.old)
    }
}

/// A new id must be one a library can hold.
pub fn check_new_id(id: &str) -> Result<()> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(
            Error::usage(format!("`{}` is not a valid reply id", sanitize(id, false)))
                .hint("ids use lowercase letters, digits, `-` and `_` (e.g. `order-delay`)"),
        )
    }
}

/// An error when `id` is already a reply of the library `lib`.
pub fn refuse_taken(app: &App<'_>, lib: &author::Writable, id: &str) -> Result<()> {
    let l = Library::load(vec![lib.layer.clone()], &app.settings.library_lang)?;
    if let Some(r) = l.get(id) {
        let loc = l.location(r);
        return Err(Error::usage(format!(
            "`{id}` already is a reply of {} ({}:{})",
            author::shown(app, &lib.dir),
            sanitize(&loc.file, false),
            loc.line
        ))
        .hint("choose another id, or remove that one first (`reply rm`)"));
    }
    Ok(())
}
