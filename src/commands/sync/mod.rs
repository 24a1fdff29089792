//! `reply sync [NAME…]`: each git library brought up to date by
//! `team::sync`, and what it did said library by library; and the staleness
//! note (with the background sync of `auto_sync`) that `list`, `search`,
//! `render` and `suggest` give before their own output.

use serde_json::{Value, json};

mod say;

use super::{App, JSON_VERSION, Run};
use crate::cli::SyncArgs;
use crate::diag::{Error, Result};
use crate::settings::config::is_own;
use crate::team::git::Git;
use crate::team::stale::{self, Launch};
use crate::team::sync::{self, Options, Outcome, Rules};
use crate::team::{Spec, state, url};
use crate::util::escape::sanitize;
use say::{report_json, say};

/// git as this run may use it: asking the person only when there is one.
pub fn git(app: &App<'_>) -> Git {
    Git::new(app.interactive, app.settings.team.git_timeout)
}

/// The rules `check` applies, from the settings.
pub fn rules<'a>(app: &'a App<'_>) -> Rules<'a> {
    Rules {
        lang: &app.settings.library_lang,
        platforms: &app.settings.platforms,
        runtime: app.settings.runtime(),
    }
}

/// The config's library called `name`; the error lists the names there are.
pub fn named<'a>(specs: &'a [Spec], name: &str) -> Result<&'a Spec> {
    if let Some(s) = specs.iter().find(|s| s.name == name) {
        return Ok(s);
    }
    if is_own(name) || name == "starter" {
        return Err(Error::usage(format!(
            "`{name}` is not a team library: {}",
            if name == "starter" {
                "the built-in starter library is part of reply"
            } else {
                "your own library is where your replies are written"
            }
        ))
        .hint("`reply library list` shows the libraries that can be synced or removed"));
    }
    let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    let e = Error::usage(format!(
        "no library named `{}` in the config",
        sanitize(name, false)
    ));
    Err(
        match crate::util::suggest::closest(name, names.iter().copied()) {
            Some(close) => e.hint(format!("did you mean `{}`?", sanitize(close, false))),
            None if names.is_empty() => e.hint("add one with `reply library add URL`"),
            None => e.hint(format!(
                "the config's libraries are: {}",
                sanitize(&names.join(", "), false)
            )),
        },
    )
}

impl Run for SyncArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        if self.background {
            if let Some(dir) = &app.settings.team.pause {
                stale::pause(dir);
            }
            app.out.quiet = true;
        }
        let git = git(app);
        git.installed()?;
        let chosen: Vec<Spec> = if self.names.is_empty() {
            app.settings.libraries.clone()
        } else {
            let mut v = Vec::new();
            for n in &self.names {
                let spec = named(&app.settings.libraries, n)?;
                // `reply sync acme acme` syncs it once.
                if !v.iter().any(|s: &Spec| s.path == spec.path) {
                    v.push(spec.clone());
                }
            }
            v
        };
        let opts = Options {
            diff: self.diff,
            now: app.settings.clock.now,
            background: self.background,
        };
        let mut failed = false;
        let mut reports: Vec<Value> = Vec::new();
        let mut any = false;
        for spec in &chosen {
            let result = sync::sync(&git, spec, &app.settings.team, rules(app), opts);
            let named_here = !self.names.is_empty();
            match result {
                Ok(r) if r.outcome == Outcome::NotGit && !named_here => continue,
                Ok(r) => {
                    any = true;
                    failed |= match &r.outcome {
                        Outcome::Refused | Outcome::Stopped(_) | Outcome::Missing => true,
                        Outcome::NotGit => true,
                        Outcome::Unreachable(_) => self.strict,
                        _ => false,
                    };
                    if self.json {
                        reports.push(report_json(app, &r));
                    } else {
                        say(app, &r, self.strict)?;
                    }
                }
                Err(e) => {
                    any = true;
                    failed = true;
                    if self.json {
                        reports.push(json!({
                            "name": spec.name,
                            "path": spec.path.display().to_string(),
                            "outcome": "failed",
                            "message": e.to_string(),
                        }));
                    } else {
                        app.out.flush()?;
                        app.out
                            .error(&format!("{}: {e}", sanitize(&spec.name, false)));
                    }
                }
            }
        }
        if self.json {
            app.json(&json!({ "version": JSON_VERSION, "libraries": reports }))?;
        } else if !any {
            app.out
                .info("No git libraries to sync: add one with `reply library add URL`");
        }
        if failed {
            return Err(Error::Reported);
        }
        Ok(())
    }
}

/// A word as a shell takes it: quoted when it holds anything but the usual
/// path characters (`~/` stays outside the quotes, so the shell expands it).
pub fn shell_word(w: &str) -> String {
    let plain = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    };
    match w.strip_prefix("~/") {
        Some(rest) if plain(rest) => w.to_string(),
        Some(rest) => format!("~/'{}'", rest.replace('\'', r"'\''")),
        None if plain(w) && !w.is_empty() => w.to_string(),
        None => format!("'{}'", w.replace('\'', r"'\''")),
    }
}

/// `2026-11-25T09:30:00` as people read it.
pub fn shown_time(t: &str) -> String {
    state::parse_time(t).map_or_else(|| t.to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

/// Before `list`, `search`, `render` and `suggest`: one note when a git
/// library is due for a sync, and with `auto_sync` a background sync of
/// it, started and never waited for. Costs nothing when no library has a
/// `sync_every` and `auto_sync` is off.
pub fn staleness(app: &mut App<'_>) {
    let s = &app.settings;
    if s.libraries.is_empty() {
        return;
    }
    let now = s.clock.now;
    let due = stale::overdue(&s.libraries, &s.team, now);
    if due.is_empty() {
        return;
    }
    let mut started = false;
    if s.team.auto_sync
        && let Ok(exe) = std::env::current_exe()
    {
        let launch = Launch {
            exe: &exe,
            args: vec![
                "sync".into(),
                "--background".into(),
                "--quiet".into(),
                "--now".into(),
                state::time(now),
            ],
        };
        started = stale::start_background(&due, &s.team, now, &launch)
            .is_ok_and(|names| !names.is_empty());
    }
    if let Some(note) = stale::note(&due, now, started) {
        app.out.warn(&format!("note: {}", sanitize(&note, false)));
    }
}

/// The address a library comes from, as it may be shown.
pub fn shown_url(u: &str) -> String {
    sanitize(&url::redact(u), false)
}
