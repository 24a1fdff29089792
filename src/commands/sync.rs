//! `reply sync [NAME…]`: each git library brought up to date by
//! `team::sync`, and what it did said library by library; and the staleness
//! note (with the background sync of `auto_sync`) that `list`, `search`,
//! `render` and `suggest` give before their own output.

use serde::Serialize;
use serde_json::{Value, json};

use super::{App, JSON_VERSION, Run};
use crate::cli::SyncArgs;
use crate::deliver::{Style, table};
use crate::diag::{Diagnostic, Error, Result};
use crate::team::changes::{Change, Kind};
use crate::team::git::Git;
use crate::team::stale::{self, Launch};
use crate::team::sync::{self, Fix, Options, Outcome, Report, Rules, short};
use crate::team::{Spec, state, url};
use crate::util::escape::sanitize;

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
    if matches!(name, "user" | "own" | "starter") {
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

/// `{dir}` in a fix, as the person can paste it.
fn command(app: &App<'_>, r: &Report, fix: &Fix) -> String {
    let dir = r.top.as_deref().unwrap_or(&r.path);
    fix.command
        .replace("{dir}", &shell_word(&app.settings.show_path(dir)))
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

/// A diagnostic on stderr after what stdout has so far, so that on a
/// terminal they show in the order they happened.
fn tell(app: &mut App<'_>, d: &Diagnostic) -> Result<()> {
    app.out.flush()?;
    app.out.diagnostic(d);
    Ok(())
}

/// What a sync did, for a person.
fn say(app: &mut App<'_>, r: &Report, strict: bool) -> Result<()> {
    let name = sanitize(&r.name, false);
    let upstream = sanitize(r.upstream.as_deref().unwrap_or("its upstream"), false);
    match &r.outcome {
        Outcome::UpToDate => {
            app.out.line(&format!("{name}: up to date with {upstream}"))?;
        }
        Outcome::Cloned => {
            app.out.line(&format!(
                "{name}: cloned from {} into {}",
                sanitize(r.url.as_deref().unwrap_or("?"), false),
                sanitize(&app.settings.show_path(&r.path), false)
            ))?;
        }
        Outcome::Updated | Outcome::Refused => {
            incoming(app, r)?;
            let c = r.checked.unwrap_or_default();
            let warnings = if c.warnings > 0 {
                format!(", {}", plural(c.warnings, "warning", "warnings"))
            } else {
                String::new()
            };
            if r.outcome == Outcome::Updated {
                app.out.line(&format!(
                    "{name}: updated: checked {} in {}, no errors{warnings}; now at {}",
                    plural(c.replies, "reply", "replies"),
                    plural(c.files, "file", "files"),
                    short(r.to.as_deref().unwrap_or("")),
                ))?;
            } else {
                for d in r.diagnostics.iter().filter(|d| d.is_error()) {
                    tell(app, d)?;
                }
                let why = r.explanation.clone().unwrap_or_else(|| {
                    format!(
                        "the incoming revision has {}",
                        plural(c.errors, "error", "errors")
                    )
                });
                tell(
                    app,
                    &Diagnostic::error(
                        "sync-refused",
                        format!(
                            "{name} was not updated: {}; your copy stays as it was, at {}",
                            sanitize(&why, false),
                            short(r.from.as_deref().unwrap_or("")),
                        ),
                    )
                    .hint("whoever pushed it sees the same with `reply check` in their checkout; once a fixed revision is pushed, `reply sync` takes it"),
                )?;
            }
        }
        Outcome::Stopped(_) => {
            let mut d = Diagnostic::error(
                "sync-stopped",
                format!(
                    "{name} was not synced: {}",
                    sanitize(r.explanation.as_deref().unwrap_or(""), false)
                ),
            );
            for f in &r.fixes {
                d = d.note(format!(
                    "to {}: {}",
                    sanitize(&f.what, false),
                    sanitize(&command(app, r, f), false)
                ));
            }
            tell(app, &d.hint(
                "reply only fast-forwards: it never merges, rebases, stashes or resets your work; do one of the above, then `reply sync` again",
            ))?;
        }
        Outcome::Unreachable(said) => {
            let last = state_line(app, r);
            let d = Diagnostic::new(
                if strict {
                    crate::diag::Severity::Error
                } else {
                    crate::diag::Severity::Warning
                },
                "sync-unreachable",
                format!(
                    "{name}: cannot fetch from {} ({}); {last}",
                    sanitize(r.url.as_deref().or(r.remote.as_deref()).unwrap_or("its remote"), false),
                    sanitize(said, false)
                ),
            )
            .hint("check the network and your access to the repository; `reply sync` again when it is back");
            tell(app, &d)?;
        }
        Outcome::Busy => {
            app.out.flush()?;
            app.out
                .info(&format!("{name}: another sync is working on it; skipped"));
        }
        Outcome::NotGit => tell(app, &Diagnostic::error(
            "sync-not-git",
            format!(
                "{name} ({}) is not a git checkout: there is nothing to sync",
                sanitize(&app.settings.show_path(&r.path), false)
            ),
        ))?,
        Outcome::Missing => tell(
            app,
            &Diagnostic::error(
                "sync-missing",
                format!(
                    "{name}: its folder {} is missing, and the config gives no url to clone it from",
                    sanitize(&app.settings.show_path(&r.path), false)
                ),
            )
            .hint(format!(
                "add it again: reply library remove {name} && reply library add URL --name {name}"
            )),
        )?,
    }
    app.out.flush()?;
    for n in &r.notes {
        let dir = shell_word(&app.settings.show_path(r.top.as_deref().unwrap_or(&r.path)));
        app.out.warn(&format!(
            "note: {name}: {}",
            sanitize(&n.replace("{dir}", &dir), false)
        ));
    }
    Ok(())
}

/// When the copy in use was last synced, for the unreachable warning.
fn state_line(app: &App<'_>, r: &Report) -> String {
    let last = app
        .settings
        .team
        .state
        .as_deref()
        .map(state::State::load)
        .and_then(|s| s.get(&r.path).and_then(|rec| rec.synced.clone()));
    match last {
        Some(t) => format!("the copy synced {} keeps working", shown_time(&t)),
        None => "the copy you have keeps working".to_string(),
    }
}

/// `2026-11-25T09:30:00` as people read it.
pub fn shown_time(t: &str) -> String {
    state::parse_time(t).map_or_else(|| t.to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The incoming commits and the replies they change.
fn incoming(app: &mut App<'_>, r: &Report) -> Result<()> {
    let name = sanitize(&r.name, false);
    app.out.line(&format!(
        "{name}: {} on {} ({}..{})",
        plural(r.behind as usize, "new commit", "new commits"),
        sanitize(r.upstream.as_deref().unwrap_or("its upstream"), false),
        short(r.from.as_deref().unwrap_or("")),
        short(r.to.as_deref().unwrap_or(""))
    ))?;
    if r.changes.is_empty() {
        app.out.line("  no reply changes")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = r
        .changes
        .iter()
        .map(|c| {
            let parts = if c.parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.parts.join(", "))
            };
            vec![
                format!("  {}", kind_word(app, c.kind)),
                app.out.paint(Style::Id, &sanitize(&c.id, false)),
                format!("{}{}", sanitize(&c.title, false), sanitize(&parts, false)),
            ]
        })
        .collect();
    let text = table(&rows, app.out.tty);
    for (line, c) in text.lines().zip(&r.changes) {
        app.out.line(line)?;
        for d in &c.diffs {
            app.out.line(&format!(
                "      {}: {}",
                sanitize(&d.part, false),
                word_diff(app, d).replace('\n', "\n        ")
            ))?;
        }
    }
    Ok(())
}

fn kind_word(app: &App<'_>, k: Kind) -> String {
    let style = match k {
        Kind::Added => Style::Good,
        Kind::Changed => Style::Warning,
        Kind::Removed => Style::Error,
    };
    app.out.paint(style, k.word())
}

/// A word diff as `git diff --word-diff` shows it: `[-old-]{+new+}` (in
/// colour when colour is on), only the lines with a change, `…` for the
/// lines left out.
fn word_diff(app: &App<'_>, d: &crate::team::changes::WordDiff) -> String {
    // Each line of the merged text, and whether a change is on it.
    let mut lines: Vec<(String, bool)> = vec![(String::new(), false)];
    for s in &d.segments {
        let changed = s.kind != "same";
        for (i, piece) in s.text.split('\n').enumerate() {
            if i > 0 {
                lines.push((String::new(), changed));
            }
            let text = sanitize(piece, false);
            let shown = match s.kind {
                _ if piece.is_empty() => String::new(),
                "removed" if app.out.color => app.out.paint(Style::Error, &text),
                "added" if app.out.color => app.out.paint(Style::Good, &text),
                "removed" => format!("[-{text}-]"),
                "added" => format!("{{+{text}+}}"),
                _ => text,
            };
            if let Some(last) = lines.last_mut() {
                last.0.push_str(&shown);
                last.1 |= changed && !piece.is_empty();
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut skipped = false;
    for (text, changed) in lines {
        if changed {
            if skipped {
                out.push("…".into());
            }
            out.push(text);
            skipped = false;
        } else if !text.trim().is_empty() {
            skipped = true;
        }
    }
    if skipped && !out.is_empty() {
        out.push("…".into());
    }
    out.join("\n")
}

#[derive(Serialize)]
struct FixItem {
    what: String,
    command: String,
}

#[derive(Serialize)]
struct CheckItem {
    files: usize,
    replies: usize,
    errors: usize,
    warnings: usize,
}

/// One library in `sync --json` (docs/json.md).
#[derive(Serialize)]
struct SyncItem<'a> {
    name: &'a str,
    path: String,
    url: Option<&'a str>,
    branch: Option<&'a str>,
    upstream: Option<&'a str>,
    outcome: &'a str,
    reason: Option<&'a str>,
    message: Option<String>,
    from: Option<&'a str>,
    to: Option<&'a str>,
    ahead: u64,
    behind: u64,
    changes: &'a [Change],
    check: Option<CheckItem>,
    diagnostics: &'a [Diagnostic],
    fixes: Vec<FixItem>,
    notes: Vec<String>,
}

fn report_json(app: &App<'_>, r: &Report) -> Value {
    let dir = shell_word(&app.settings.show_path(r.top.as_deref().unwrap_or(&r.path)));
    let item = SyncItem {
        name: &r.name,
        path: r.path.display().to_string(),
        url: r.url.as_deref(),
        branch: r.branch.as_deref(),
        upstream: r.upstream.as_deref(),
        outcome: r.outcome.word(),
        reason: match &r.outcome {
            Outcome::Stopped(s) => Some(s.word()),
            _ => None,
        },
        message: match &r.outcome {
            Outcome::Unreachable(said) => Some(said.clone()),
            _ => r.explanation.clone(),
        },
        from: r.from.as_deref(),
        to: r.to.as_deref(),
        ahead: r.ahead,
        behind: r.behind,
        changes: &r.changes,
        check: r.checked.map(|c| CheckItem {
            files: c.files,
            replies: c.replies,
            errors: c.errors,
            warnings: c.warnings,
        }),
        diagnostics: &r.diagnostics,
        fixes: r
            .fixes
            .iter()
            .map(|f| FixItem {
                what: f.what.clone(),
                command: command(app, r, f),
            })
            .collect(),
        notes: r.notes.iter().map(|n| n.replace("{dir}", &dir)).collect(),
    };
    serde_json::to_value(item).unwrap_or(Value::Null)
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
