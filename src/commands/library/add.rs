//! `reply library add`: clone or take a folder as it is, then the config.

use super::{config_path, same_folder};
use crate::cli::LibraryAddArgs;
use crate::commands::sync::{git, rules, shell_word, shown_url};
use crate::commands::{App, Run};
use crate::diag::{Diagnostic, Error, Result};
use crate::settings::edit::{ConfigFile, NewLibrary, Place};
use crate::team::add::{self, Source};
use crate::team::status;
use crate::team::{self as team_mod, state, url};
use crate::util::escape::sanitize;
use crate::util::units::plural;

impl Run for LibraryAddArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let git = git(app);
        git.installed()?;
        let config = config_path(app)?;
        let mut path = app.settings.expand_path(&self.source);
        if path.is_relative()
            && let Ok(cwd) = std::env::current_dir()
        {
            path = cwd.join(path);
        }
        // `work/../server/x.git` as the folder it is, for the config and messages.
        if let Ok(real) = std::fs::canonicalize(&path) {
            path = real;
        }
        let source = add::classify(&git, &self.source, path)?;
        let name = match &self.name {
            Some(n) => n.clone(),
            None => match &source {
                Source::Remote(u) => url::default_name(u).unwrap_or_default(),
                Source::Checkout(p, _) | Source::Folder(p) => team_mod::folder_name(p),
            },
        };
        if !team_mod::valid_name(&name) {
            return Err(Error::usage(format!(
                "`{}` cannot name a library",
                sanitize(&name, false)
            ))
            .hint(format!(
                "{}: letters, digits, `-`, `_` and `.` (not first); `user` and `starter` are taken",
                if self.name.is_some() {
                    "choose another name"
                } else {
                    "give it a name with --name"
                }
            )));
        }
        if let Some(s) = app.settings.libraries.iter().find(|s| s.name == name) {
            return Err(Error::usage(format!(
                "there is a library named `{name}` already ({})",
                sanitize(&app.settings.show_path(&s.path), false)
            ))
            .hint("give this one another name with --name, or remove that one first: reply library remove NAME"));
        }
        let place = if self.below {
            Place::BelowOwn
        } else {
            Place::AboveOwn
        };
        let (dir, cloned, entry) = match &source {
            Source::Remote(remote) => {
                let Some(clones) = app.settings.team.clones.clone() else {
                    return Err(Error::usage(
                        "cannot tell where clones go: neither XDG_DATA_HOME nor HOME is set",
                    ));
                };
                let dest = clones.join(&name);
                // A folder in the way is refused before anything is said of cloning.
                add::free(&dest)?;
                app.out
                    .info(&format!("Cloning {name} from {}…", shown_url(remote)));
                let c = add::clone(&git, remote, self.branch.as_deref(), &dest)?;
                let entry = Entry {
                    url: Some(url::without_password(remote)),
                    branch: Some(c.branch.clone()),
                    path: None,
                };
                (dest, Some(c), entry)
            }
            Source::Checkout(dir, co) => {
                let on = add::branch_of(&git, co)?;
                if let Some(want) = self.branch.as_deref().filter(|w| *w != on) {
                    return Err(Error::usage(format!(
                        "{} is on branch {}, not {}",
                        sanitize(&app.settings.show_path(dir), false),
                        sanitize(&on, false),
                        sanitize(want, false)
                    ))
                    .hint(format!(
                        "switch it first (git -C {} switch {}), or leave --branch out",
                        shell_word(&app.settings.show_path(&co.top)),
                        sanitize(want, false)
                    )));
                }
                let remote = status::inspect(&git, dir)
                    .ok()
                    .flatten()
                    .and_then(|i| i.url)
                    .map(|u| url::without_password(&u));
                let entry = Entry {
                    url: remote,
                    branch: Some(on),
                    path: Some(app.settings.show_path(dir)),
                };
                (dir.clone(), None, entry)
            }
            Source::Folder(dir) => {
                if self.branch.is_some() {
                    return Err(Error::usage(format!(
                        "{} is not a git checkout, so it has no branch to follow",
                        sanitize(&app.settings.show_path(dir), false)
                    ))
                    .hint("leave --branch out to add it as a plain folder"));
                }
                let entry = Entry {
                    url: None,
                    branch: None,
                    path: Some(app.settings.show_path(dir)),
                };
                (dir.clone(), None, entry)
            }
        };
        if cloned.is_none()
            && let Some(l) = app
                .settings
                .layers
                .iter()
                .find(|l| l.path.as_deref().is_some_and(|p| same_folder(p, &dir)))
        {
            return Err(Error::usage(format!(
                "{} is a library already ({})",
                sanitize(&app.settings.show_path(&dir), false),
                l.kind.label()
            ))
            .hint("`reply library list` shows every library in use"));
        }
        let saved = ConfigFile::open(&config).and_then(|mut file| {
            file.add_library(
                &NewLibrary {
                    name: &name,
                    url: entry.url.as_deref(),
                    branch: entry.branch.as_deref(),
                    path: entry.path.as_deref(),
                },
                place,
            )?;
            file.save()
        });
        if let Err(e) = saved {
            if let Some(c) = cloned {
                c.undo();
            }
            return Err(e.note("nothing was added: the clone was removed again"));
        }
        let is_git = !matches!(source, Source::Folder(_));
        // A clone is a sync; a checkout added where it is was fetched
        // whenever its owner last did, which reply cannot vouch for.
        if cloned.is_some()
            && let Some(st) = &app.settings.team.state
        {
            let now = state::time(app.settings.clock.now);
            let _ = state::record(st, &dir, |r| {
                r.synced = Some(now.clone());
                r.fetched = Some(now);
                r.outcome = Some("added".into());
            });
        }
        let checked = crate::team::incoming::check_dir(&dir, rules(app))?;
        let where_ = match place {
            Place::AboveOwn => "above your own library",
            Place::BelowOwn => "below your own library",
        };
        let branch = entry
            .branch
            .as_deref()
            .map(|b| format!(", branch {}", sanitize(b, false)))
            .unwrap_or_default();
        app.out.info(&format!(
            "Added {name} {where_}: {} in {}{branch}, in {}",
            plural(checked.replies as u64, "reply", "replies"),
            plural(checked.lib.files.len() as u64, "file", "files"),
            sanitize(&app.settings.show_path(&dir), false),
        ));
        if checked.errors > 0 {
            app.out.diagnostic(
                &Diagnostic::warning(
                    "library",
                    format!(
                        "{name} has {}: its other replies work",
                        plural(checked.errors as u64, "error", "errors")
                    ),
                )
                .hint(format!(
                    "`reply check {}` shows them",
                    shell_word(&app.settings.show_path(&dir))
                )),
            );
        }
        if !is_git {
            app.out.info(&format!(
                "note: {name} is not a git checkout: `reply sync` leaves it alone"
            ));
        } else if entry.url.is_none() {
            app.out.info(&format!(
                "note: branch {} of {name} follows no remote branch, so `reply sync` has nothing to take from; \
                 git -C {} branch --set-upstream-to=REMOTE/BRANCH makes it follow one",
                sanitize(entry.branch.as_deref().unwrap_or("?"), false),
                shell_word(&app.settings.show_path(&dir))
            ));
        }
        Ok(())
    }
}

/// What the config gets for a new library.
struct Entry {
    url: Option<String>,
    branch: Option<String>,
    path: Option<String>,
}
