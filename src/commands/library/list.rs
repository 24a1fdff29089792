//! `reply library list`: every library in layer order and how it stands.

use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use crate::cli::LibraryListArgs;
use crate::commands::sync::{git, shown_time, shown_url};
use crate::commands::{App, JSON_VERSION, Run};
use crate::deliver::Style;
use crate::diag::Result;
use crate::library::LayerKind;
use crate::team::status::{self, Info};
use crate::team::{self as team_mod, stale, state, url};
use crate::util::escape::sanitize;
use crate::util::units::plural;

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
        plural(r.replies as u64, "reply", "replies")
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
                    plural(b, "new commit", "new commits")
                ));
            }
            if a > 0 {
                parts.push(format!(
                    "{} of yours not on {u}",
                    plural(a, "commit", "commits")
                ));
            }
        }
    }
    if !i.status.changed.is_empty() {
        parts.push(format!(
            "uncommitted changes in {}",
            plural(i.status.changed.len() as u64, "file", "files")
        ));
    }
    if r.stale
        && let Some(every) = r.sync_every
    {
        parts.push(format!("due for a sync (every {})", stale::human(every)));
    }
    parts.join(", ")
}
