//! `reply library add|list|remove`: team libraries in the config. The git
//! work is `team`'s, the config edit `settings::edit`'s; this file puts them
//! in order (a clone is undone when the config cannot be saved) and says
//! what happened.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use super::sync::{git, named, rules, shell_word, shown_time, shown_url};
use super::{App, JSON_VERSION, Run};
use crate::cli::{LibraryAction, LibraryAddArgs, LibraryArgs, LibraryListArgs, LibraryRemoveArgs};
use crate::deliver::Style;
use crate::diag::{Diagnostic, Error, Result};
use crate::library::LayerKind;
use crate::settings::edit::{ConfigFile, NewLibrary, Place};
use crate::team::add::{self, Source};
use crate::team::status::{self, Info};
use crate::team::{self as team_mod, remove, stale, state, url};
use crate::util::escape::sanitize;

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
            .hint("give it a name with --name: letters, digits, `-`, `_` and `.` (not first); `user` and `starter` are taken"));
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
            plural(checked.replies, "reply", "replies"),
            plural(checked.lib.files.len(), "file", "files"),
            sanitize(&app.settings.show_path(&dir), false),
        ));
        if checked.errors > 0 {
            app.out.diagnostic(
                &Diagnostic::warning(
                    "library",
                    format!(
                        "{name} has {}: its other replies work",
                        plural(checked.errors, "error", "errors")
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One library as `library list` shows it.
struct Row {
    name: String,
    kind: &'static str,
    layer: &'static str,
    path: Option<PathBuf>,
    exists: bool,
    in_use: bool,
    replies: usize,
    shadowing: usize,
    shadowed: usize,
    sync_every: Option<std::time::Duration>,
    last_sync: Option<String>,
    stale: bool,
    git: Option<std::result::Result<Info, String>>,
    last_fetch: Option<String>,
}

impl Run for LibraryListArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let git = git(app);
        let cat = app.catalog(false)?;
        let n = app.settings.layers.len();
        let (mut replies, mut shadowing, mut shadowed) = (vec![0; n], vec![0; n], vec![0; n]);
        for e in &cat.entries {
            replies[cat.file(e).layer] += 1;
        }
        let mut hiding: Vec<std::collections::HashSet<&str>> =
            vec![std::collections::HashSet::new(); n];
        for e in &cat.shadowed {
            let low = cat.file(e).layer;
            replies[low] += 1;
            shadowed[low] += 1;
            if let Some(top) = cat.get(e.id()) {
                hiding[cat.file(top).layer].insert(e.id());
            }
        }
        for (i, h) in hiding.iter().enumerate() {
            shadowing[i] = h.len();
        }
        let s = &app.settings;
        let now = s.clock.now;
        let due = stale::overdue(&s.libraries, &s.team, now);
        let st = s
            .team
            .state
            .as_deref()
            .map(state::State::load)
            .unwrap_or_default();
        let mut rows = Vec::new();
        for (i, layer) in s.layers.iter().enumerate() {
            let spec = s.libraries.iter().find(|l| l.layer == i);
            let name = match (spec, layer.kind) {
                (Some(sp), _) => sp.name.clone(),
                (None, LayerKind::User) => "user".into(),
                (None, LayerKind::Starter) => "starter".into(),
                (None, _) => layer
                    .path
                    .as_deref()
                    .map(team_mod::folder_name)
                    .unwrap_or_default(),
            };
            let git_info = layer
                .path
                .as_deref()
                .filter(|p| layer.exists && status::in_checkout(p))
                .and_then(|p| match status::inspect(&git, p) {
                    Ok(Some(info))
                        if spec.is_some_and(|sp| sp.declared)
                            || info.checkout.prefix.as_os_str().is_empty() =>
                    {
                        Some(Ok(info))
                    }
                    Ok(_) => None,
                    Err(e) => Some(Err(e.said())),
                });
            let kind = match layer.kind {
                LayerKind::Starter => "starter",
                LayerKind::User => "own",
                _ if git_info.is_some() || spec.is_some_and(|sp| sp.url.is_some()) => "git",
                _ => "folder",
            };
            let rec = layer.path.as_deref().and_then(|p| st.get(p));
            rows.push(Row {
                name,
                kind,
                layer: layer.kind.label(),
                path: layer.path.clone(),
                exists: layer.path.is_none() || layer.exists,
                in_use: layer.exists,
                replies: replies[i],
                shadowing: shadowing[i],
                shadowed: shadowed[i],
                sync_every: spec.and_then(|sp| sp.sync_every),
                last_sync: rec.and_then(|r| r.synced.clone()),
                last_fetch: rec.and_then(|r| r.fetched.clone()),
                stale: spec.is_some_and(|sp| due.iter().any(|d| d.path == sp.path)),
                git: git_info,
            });
        }
        if self.json.json {
            let items: Vec<ListItem> = rows.iter().map(row_json).collect();
            return app.json(&json!({ "version": JSON_VERSION, "libraries": items }));
        }
        for r in &rows {
            show_row(app, r)?;
        }
        Ok(())
    }
}

/// One library in `library list --json` (docs/json.md).
#[derive(Serialize)]
struct ListItem<'a> {
    name: &'a str,
    kind: &'a str,
    layer: &'a str,
    path: Option<String>,
    exists: bool,
    in_use: bool,
    replies: usize,
    shadowing: usize,
    shadowed: usize,
    /// Seconds.
    sync_every: Option<u64>,
    last_sync: Option<&'a str>,
    stale: bool,
    git: Option<GitItem<'a>>,
}

#[derive(Serialize)]
struct GitItem<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    remote: Option<&'a str>,
    url: Option<String>,
    branch: Option<&'a str>,
    upstream: Option<&'a str>,
    head: Option<&'a str>,
    ahead: Option<u64>,
    behind: Option<u64>,
    changes: usize,
    untracked: usize,
    last_fetch: Option<&'a str>,
}

fn row_json(r: &Row) -> ListItem<'_> {
    let git = match &r.git {
        None => None,
        Some(Err(e)) => Some(GitItem {
            error: Some(e),
            remote: None,
            url: None,
            branch: None,
            upstream: None,
            head: None,
            ahead: None,
            behind: None,
            changes: 0,
            untracked: 0,
            last_fetch: r.last_fetch.as_deref(),
        }),
        Some(Ok(i)) => Some(GitItem {
            error: None,
            remote: i.remote.as_deref(),
            url: i.url.as_deref().map(url::redact),
            branch: i.status.branch.as_deref(),
            upstream: i.status.upstream.as_deref(),
            head: i.status.head.as_deref(),
            ahead: i.status.ahead_behind.map(|(a, _)| a),
            behind: i.status.ahead_behind.map(|(_, b)| b),
            changes: i.status.changed.len(),
            untracked: i.status.untracked.len(),
            last_fetch: r.last_fetch.as_deref(),
        }),
    };
    ListItem {
        name: &r.name,
        kind: r.kind,
        layer: r.layer,
        path: r.path.as_ref().map(|p| p.display().to_string()),
        exists: r.exists,
        in_use: r.in_use,
        replies: r.replies,
        shadowing: r.shadowing,
        shadowed: r.shadowed,
        sync_every: r.sync_every.map(|d| d.as_secs()),
        last_sync: r.last_sync.as_deref(),
        stale: r.stale,
        git,
    }
}

fn show_row(app: &mut App<'_>, r: &Row) -> Result<()> {
    let kind = match r.kind {
        "own" => "your own",
        "starter" => "built in",
        k => k,
    };
    let place = match &r.path {
        Some(p) => format!(" · {}", sanitize(&app.settings.show_path(p), false)),
        None => String::new(),
    };
    app.out.line(&format!(
        "{} · {kind}{place}",
        app.out.paint(Style::Bold, &sanitize(&r.name, false))
    ))?;
    let mut what = if !r.exists && r.kind == "own" {
        "none yet: `reply new` or `reply init` makes it".to_string()
    } else if !r.exists {
        "missing".to_string()
    } else if !r.in_use {
        "not in use: other libraries exist".to_string()
    } else {
        plural(r.replies, "reply", "replies")
    };
    if r.shadowing > 0 {
        what.push_str(&format!(
            "; {} shadow{} replies below it",
            r.shadowing,
            if r.shadowing == 1 { "s" } else { "" }
        ));
    }
    if r.shadowed > 0 {
        what.push_str(&format!("; {} shadowed by libraries above it", r.shadowed));
    }
    app.out.line(&format!("  {what}"))?;
    match &r.git {
        Some(Err(e)) => app.out.line(&format!("  git: {}", sanitize(e, false)))?,
        Some(Ok(i)) => {
            let from = i
                .url
                .as_deref()
                .map(shown_url)
                .or_else(|| i.remote.as_deref().map(|r| sanitize(r, false)))
                .unwrap_or_else(|| "no remote".into());
            let branch = match &i.status.branch {
                Some(b) => format!("branch {}", sanitize(b, false)),
                None => "not on a branch".into(),
            };
            app.out.line(&format!("  {branch}, from {from}"))?;
            app.out.line(&format!("  {}", sync_line(r, i)))?;
        }
        None if r.kind == "git" => {
            app.out.line("  not cloned yet: `reply sync` clones it")?;
        }
        None => {}
    }
    Ok(())
}

/// When the library was synced and how it stands, in one line.
fn sync_line(r: &Row, i: &Info) -> String {
    let mut parts = vec![match &r.last_sync {
        Some(t) => format!("synced {}", shown_time(t)),
        None => "never synced by reply".to_string(),
    }];
    match (i.status.upstream.as_deref(), i.status.ahead_behind) {
        (None, _) => parts.push("no upstream branch".into()),
        (Some(u), None) => parts.push(format!("{} is gone from the remote", sanitize(u, false))),
        (Some(_), Some((0, 0))) => parts.push("up to date as of the last fetch".into()),
        (Some(u), Some((a, b))) => {
            let u = sanitize(u, false);
            if b > 0 {
                parts.push(format!(
                    "{} on {u} as of the last fetch",
                    plural(b as usize, "new commit", "new commits")
                ));
            }
            if a > 0 {
                parts.push(format!(
                    "{} of yours not on {u}",
                    plural(a as usize, "commit", "commits")
                ));
            }
        }
    }
    if !i.status.changed.is_empty() {
        parts.push(format!(
            "uncommitted changes in {}",
            plural(i.status.changed.len(), "file", "files")
        ));
    }
    if r.stale
        && let Some(every) = r.sync_every
    {
        parts.push(format!("due for a sync (every {})", stale::human(every)));
    }
    parts.join(", ")
}

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
            plural(u.unpushed as usize, "commit", "commits")
        ));
    }
    if u.stashes > 0 {
        what.push(plural(u.stashes as usize, "stash", "stashes"));
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
