//! How a sync's report is said: one block per library for people (the
//! changes reply by reply, word diffs, the check, the fixes), one object for
//! `--json`.

use serde::Serialize;
use serde_json::Value;

use super::{App, shell_word, shown_time};
use crate::deliver::{Style, table};
use crate::diag::{Diagnostic, Result};
use crate::team::changes::{Change, Kind};
use crate::team::state;
use crate::team::sync::{Fix, Outcome, Report, short};
use crate::util::escape::sanitize;
use crate::util::units::plural;

/// `{dir}` in a fix, as the person can paste it.
fn command(app: &App<'_>, r: &Report, fix: &Fix) -> String {
    let dir = r.top.as_deref().unwrap_or(&r.path);
    fix.command
        .replace("{dir}", &shell_word(&app.settings.show_path(dir)))
}

/// A diagnostic on stderr after what stdout has so far, so that on a
/// terminal they show in the order they happened.
fn tell(app: &mut App<'_>, d: &Diagnostic) -> Result<()> {
    app.out.flush()?;
    app.out.diagnostic(d);
    Ok(())
}

/// What a sync did, for a person.
pub(super) fn say(app: &mut App<'_>, r: &Report, strict: bool) -> Result<()> {
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
                format!(", {}", plural(c.warnings as u64, "warning", "warnings"))
            } else {
                String::new()
            };
            if r.outcome == Outcome::Updated {
                app.out.line(&format!(
                    "{name}: updated: checked {} in {}, no errors{warnings}; now at {}",
                    plural(c.replies as u64, "reply", "replies"),
                    plural(c.files as u64, "file", "files"),
                    short(r.to.as_deref().unwrap_or("")),
                ))?;
            } else {
                for d in r.diagnostics.iter().filter(|d| d.is_error()) {
                    tell(app, d)?;
                }
                let why = r.explanation.clone().unwrap_or_else(|| {
                    format!(
                        "the incoming revision has {}",
                        plural(c.errors as u64, "error", "errors")
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

/// The incoming commits and the replies they change.
fn incoming(app: &mut App<'_>, r: &Report) -> Result<()> {
    let name = sanitize(&r.name, false);
    app.out.line(&format!(
        "{name}: {} on {} ({}..{})",
        plural(r.behind, "new commit", "new commits"),
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

pub(super) fn report_json(app: &App<'_>, r: &Report) -> Value {
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
