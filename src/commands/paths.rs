//! `reply paths`: where the config and each library are looked for, and which exist.

use serde::Serialize;

use super::{JSON_VERSION, write_json};
use crate::App;
use crate::cli::JsonArg;
use crate::error::Result;
use crate::output::{Style, table};

#[derive(Serialize)]
struct Item {
    kind: &'static str,
    path: String,
    exists: bool,
    /// Whether replies are read from it now.
    in_use: bool,
}

pub fn run(app: &mut App, args: &JsonArg) -> Result<()> {
    let mut items = Vec::new();
    if let Some(c) = app.env.config_file() {
        items.push(Item {
            kind: "config",
            exists: c.is_file(),
            in_use: c.is_file(),
            path: c.display().to_string(),
        });
    }
    for layer in app.layers() {
        items.push(Item {
            kind: match layer.kind {
                crate::library::LayerKind::Flag => "library (--library)",
                crate::library::LayerKind::Env => "library (REPLY_LIBRARY)",
                crate::library::LayerKind::Config => "library (config)",
                crate::library::LayerKind::User => "library (user)",
                crate::library::LayerKind::Starter => "library (starter)",
            },
            path: layer.name(),
            exists: layer.path.is_none() || layer.exists,
            in_use: layer.exists,
        });
    }
    if let Some(c) = app.env.cache_dir() {
        items.push(Item {
            kind: "cache",
            exists: c.is_dir(),
            in_use: c.is_dir(),
            path: c.display().to_string(),
        });
    }
    if args.json {
        return write_json(
            app,
            &serde_json::json!({ "version": JSON_VERSION, "paths": items }),
        );
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let state = match (i.exists, i.in_use) {
                (_, true) => app.out.paint(Style::Good, "in use"),
                (true, false) => app.out.paint(Style::Dim, "not used"),
                (false, _) => app.out.paint(Style::Dim, "missing"),
            };
            vec![i.kind.to_string(), i.path.clone(), state]
        })
        .collect();
    let text = table(&rows, app.out.tty);
    app.out.write(&text)?;
    Ok(())
}
