//! `reply init`: copy the starter library into the user's own library folder.
//! Never overwrites a file that is there already.

use super::{App, Run};
use crate::cli::InitArgs;
use crate::diag::{Diagnostic, Error, Result};
use crate::library::starter::STARTER;
use crate::util::escape::sanitize;
use crate::util::fs::write_new;

impl Run for InitArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let Some(dir) = app.settings.user_library.clone() else {
            return Err(Error::usage(
                "cannot tell where your library goes: neither XDG_DATA_HOME nor HOME is set",
            )
            .hint("set HOME, or XDG_DATA_HOME"));
        };
        let (mut written, mut kept) = (Vec::new(), Vec::new());
        for (name, text) in STARTER {
            let path = dir.join(name);
            let created = write_new(&path, text.as_bytes()).map_err(|e| {
                Error::data(format!("cannot write {}: {e}", path.display()))
                    .hint("check the folder's permissions and free space; run `reply init` again to finish, it never overwrites")
            })?;
            if created {
                written.push(path);
            } else {
                kept.push(path);
            }
        }
        for p in &written {
            app.out.line(&format!(
                "created {}",
                sanitize(&p.display().to_string(), false)
            ))?;
        }
        let shown = sanitize(&app.settings.show_path(&dir), false);
        if written.is_empty() {
            app.out.info(&format!(
                "Your library {shown} already has every starter file: nothing was copied. `reply list` shows your replies."
            ));
            return Ok(());
        }
        if !kept.is_empty() {
            app.out.diagnostic(&Diagnostic::warning(
                "init",
                format!(
                    "kept {} file{} already in {shown}: {}",
                    kept.len(),
                    if kept.len() == 1 { "" } else { "s" },
                    kept.iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| n.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        app.out.info(&format!(
            "Your library is {shown}: edit its files, then `reply list` shows your replies."
        ));
        Ok(())
    }
}
