//! An import's plan: the ids each item gets (never one the library has),
//! what is shown before writing and asked on a terminal, and the report
//! (`--json` too).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::format_of;
use crate::cli::ImportArgs;
use crate::commands::author::{Writable, shown};
use crate::commands::{App, JSON_VERSION, ask};
use crate::convert::{Format, Item, Note, Skipped, slug};
use crate::diag::{Diagnostic, Result};
use crate::util::escape::sanitize;

/// One reply of the report.
pub(super) struct Planned {
    pub(super) item: Item,
    /// The id asked for, when it was taken.
    wanted: Option<(String, &'static str)>,
}

/// Gives each item an id of its own.
pub(super) fn assign(items: Vec<Item>, existing: &HashSet<String>) -> Vec<Planned> {
    let mut taken = existing.clone();
    items
        .into_iter()
        .map(|mut item| {
            let wanted = if item.id.is_empty() {
                "reply".to_string()
            } else {
                item.id.clone()
            };
            let id = slug::unique(&wanted, &mut taken);
            let why = if existing.contains(&wanted) {
                "a reply of the library has that id"
            } else {
                "an earlier reply of this import has that id"
            };
            item.id = id.clone();
            Planned {
                wanted: (id != wanted).then_some((wanted, why)),
                item,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct ReplyOut<'a> {
    id: &'a str,
    wanted: Option<&'a str>,
    renamed: Option<&'a str>,
    origin: &'a str,
    title: &'a str,
    lang: Option<&'a str>,
    notes: &'a [Note],
}

#[derive(Serialize)]
struct WarningOut<'a> {
    code: &'a str,
    reply: Option<&'a str>,
    line: Option<usize>,
    message: &'a str,
}

/// On a terminal, unless --yes: whether to go on.
pub(super) fn confirm(
    app: &mut App<'_>,
    args: &ImportArgs,
    planned: &[Planned],
    file: &Path,
) -> Result<bool> {
    if !app.interactive || args.yes || args.dry_run {
        return Ok(true);
    }
    let q = format!(
        "Write {} repl{} to {}?",
        planned.len(),
        if planned.len() == 1 { "y" } else { "ies" },
        shown(app, file)
    );
    if ask::confirm(app, &q, false) {
        Ok(true)
    } else {
        app.out.info("Nothing was written.");
        Ok(false)
    }
}

/// The plan: every reply with where it came from and its notes, then what
/// was left out.
pub(super) fn plan(
    app: &mut App<'_>,
    planned: &[Planned],
    skipped: &[Skipped],
    file: &Path,
    source: &str,
    format: Format,
) -> Result<()> {
    let mut text = format!(
        "{} repl{} from {} ({}) into {}:\n",
        planned.len(),
        if planned.len() == 1 { "y" } else { "ies" },
        sanitize(source, false),
        format.name(),
        shown(app, file)
    );
    let width = planned
        .iter()
        .map(|p| p.item.id.chars().count())
        .max()
        .unwrap_or(0);
    let attention = planned
        .iter()
        .filter(|p| p.item.notes.iter().any(Note::needs_attention))
        .count();
    for p in planned {
        let i = &p.item;
        text.push_str(&format!(
            "  {:<width$}  {}  ← {}\n",
            sanitize(&i.id, false),
            sanitize(&i.title, false),
            sanitize(&i.origin, false)
        ));
        if let Some((wanted, why)) = &p.wanted {
            text.push_str(&format!(
                "      renamed: `{}` is taken ({why})\n",
                sanitize(wanted, false)
            ));
        }
        for n in &i.notes {
            let line = match n {
                Note::Converted { from, to } => format!("converted: {from} → {to}"),
                Note::Attention { text } => format!("attention: {text}"),
                Note::Info { text } => format!("note: {text}"),
            };
            text.push_str(&format!("      {}\n", sanitize(&line, false)));
        }
    }
    if !skipped.is_empty() {
        text.push_str(&format!("Not imported ({}):\n", skipped.len()));
        for s in skipped {
            text.push_str(&format!(
                "  {}: {}\n",
                sanitize(&s.origin, false),
                sanitize(&s.reason, false)
            ));
        }
    }
    if attention > 0 {
        text.push_str(&format!(
            "{attention} repl{} need{} your attention (see above).\n",
            if attention == 1 { "y" } else { "ies" },
            if attention == 1 { "s" } else { "" }
        ));
    }
    app.out.write(&text)?;
    // Before the question and the notes on stderr.
    app.out.flush()?;
    Ok(())
}

/// Warnings about the file: each, or when there are many, how many of each kind.
pub(super) fn show_warnings(app: &mut App<'_>, warnings: &[Diagnostic], file: &Path) {
    const SHOWN: usize = 10;
    let ws: Vec<&Diagnostic> = warnings.iter().filter(|d| !d.is_error()).collect();
    if ws.len() <= SHOWN {
        for w in ws {
            app.out.diagnostic(w);
        }
        return;
    }
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &ws {
        *by.entry(w.code).or_default() += 1;
    }
    let kinds: Vec<String> = by.iter().map(|(c, n)| format!("{n} {c}")).collect();
    app.out.diagnostic(
        &Diagnostic::warning(
            "import",
            format!(
                "{} warnings about the imported replies: {}",
                ws.len(),
                kinds.join(", ")
            ),
        )
        .hint(format!("`reply check {}` lists them", shown(app, file))),
    );
}

#[allow(clippy::too_many_arguments)]
pub(super) fn report_json(
    app: &mut App<'_>,
    args: &ImportArgs,
    planned: &[Planned],
    skipped: &[Skipped],
    warnings: &[Diagnostic],
    lib: &Writable,
    file: &Path,
    written: bool,
) -> Result<()> {
    let replies: Vec<ReplyOut> = planned
        .iter()
        .map(|p| ReplyOut {
            id: &p.item.id,
            wanted: p.wanted.as_ref().map(|(w, _)| w.as_str()),
            renamed: p.wanted.as_ref().map(|(_, why)| *why),
            origin: &p.item.origin,
            title: &p.item.title,
            lang: p.item.lang.as_deref(),
            notes: &p.item.notes,
        })
        .collect();
    let warnings: Vec<WarningOut> = warnings
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| WarningOut {
            code: d.code,
            reply: d.reply.as_deref(),
            line: d.location.as_ref().map(|l| l.line),
            message: &d.message,
        })
        .collect();
    let value = serde_json::json!({
        "version": JSON_VERSION,
        "format": format_of(args.format).name(),
        "library": app.settings.show_path(&lib.dir),
        "file": app.settings.show_path(file),
        "dry_run": args.dry_run,
        "written": written,
        "replies": replies,
        "skipped": skipped,
        "warnings": warnings,
    });
    app.json(&value)
}
