//! `reply library remove`: out of the config, and the clone deleted only when nothing would be lost.

use super::{config_path, same_folder};
use crate::cli::LibraryRemoveArgs;
use crate::commands::sync::{git, named, shell_word};
use crate::commands::{App, Run};
use crate::diag::{Error, Result};
use crate::settings::edit::ConfigFile;
use crate::team::add::{self};
use crate::team::{remove, state};
use crate::util::escape::sanitize;
use crate::util::units::plural;

impl Run for LibraryRemoveArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let config = config_path(app)?;
        let spec = named(&app.settings.libraries, &self.name)?.clone();
        let shown = sanitize(&app.settings.show_path(&spec.path), false);
        let managed = app
            .settings
            .team
            .clones
            .as_deref()
            .is_some_and(|c| spec.path.parent().is_some_and(|p| same_folder(p, c)));
        let _lock;
        if self.delete && spec.path.exists() {
            if !managed {
                return Err(Error::usage(format!(
                    "{shown} is a folder of yours, not a clone reply made: it is not deleted"
                ))
                .hint(format!(
                    "remove it from the config without --delete, then delete the folder yourself if you mean to: reply library remove {}",
                    sanitize(&spec.name, false)
                )));
            }
            _lock = crate::util::lock::Lock::exclusive(
                &crate::library::edit::install::lock_path(&spec.path),
                std::time::Duration::from_secs(30),
            )
            .map_err(|e| Error::data(format!("cannot lock {shown}: {e}")))?;
            if !self.force {
                let git = git(app);
                let unsaved = remove::unsaved(&git, &spec.path)
                    .map_err(|e| e.error(&format!("cannot tell what {shown} holds")))?;
                if !unsaved.is_empty() {
                    return Err(refusal(&spec.name, &shown, &unsaved));
                }
            }
        }
        let mut file = ConfigFile::open(&config)?;
        if !file.remove_library(&spec.entry)? {
            return Err(Error::usage(format!(
                "`{}` is not in the config file {}",
                sanitize(&spec.entry, false),
                sanitize(&config.display().to_string(), false)
            )));
        }
        file.save()?;
        if let Some(st) = &app.settings.team.state {
            let _ = state::forget(st, &spec.path);
        }
        let name = sanitize(&spec.name, false);
        if self.delete && spec.path.exists() {
            add::remove_tree(&spec.path);
            app.out.info(&format!(
                "Removed {name} from the config and deleted {shown}"
            ));
        } else if spec.path.exists() {
            app.out.info(&format!(
                "Removed {name} from the config; its folder {shown} is still there{}",
                if managed {
                    " (--delete would have deleted it)"
                } else {
                    ""
                }
            ));
        } else {
            app.out.info(&format!("Removed {name} from the config"));
        }
        Ok(())
    }
}

/// Why a clone is not deleted: the work in it that exists nowhere else.
fn refusal(name: &str, shown: &str, u: &remove::Unsaved) -> Error {
    let mut what = Vec::new();
    if !u.files.is_empty() {
        let mut files: Vec<String> = u.files.iter().take(3).map(|f| sanitize(f, false)).collect();
        if u.files.len() > 3 {
            files.push(format!("and {} more", u.files.len() - 3));
        }
        what.push(format!(
            "uncommitted changes or untracked files ({})",
            files.join(", ")
        ));
    }
    if u.unpushed > 0 {
        what.push(format!(
            "{} on no remote",
            plural(u.unpushed, "commit", "commits")
        ));
    }
    if u.stashes > 0 {
        what.push(plural(u.stashes, "stash", "stashes"));
    }
    Error::usage(format!(
        "{shown} holds work that exists nowhere else: {}; nothing was removed",
        what.join(", ")
    ))
    .hint(format!(
        "push or save that work first (git -C {} status), or delete it anyway with: reply library remove {} --delete --force",
        shell_word(shown),
        sanitize(name, false)
    ))
}
