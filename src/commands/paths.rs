//! `reply paths`: where the config and each library are looked for, and which exist.

use serde::Serialize;

use super::{App, JSON_VERSION, Run};
use crate::cli::PathsArgs;
use crate::deliver::{Style, table};
use crate::diag::Result;
use crate::util::escape::sanitize;

#[derive(Serialize)]
struct Item {
    kind: String,
    path: String,
    exists: bool,
    /// Whether replies are read from it now.
    in_use: bool,
}

impl Run for PathsArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let s = &app.settings;
        let mut items = Vec::new();
        if let Some(c) = &s.config_file {
            items.push(Item {
                kind: "config".into(),
                exists: c.is_file(),
                in_use: c.is_file(),
                path: c.display().to_string(),
            });
        }
        for layer in &s.layers {
            items.push(Item {
                kind: format!("library ({})", layer.kind.label()),
                path: layer.place(|p| p.display().to_string()),
                exists: layer.path.is_none() || layer.exists,
                in_use: layer.exists,
            });
        }
        if let Some(c) = &s.cache_home {
            items.push(Item {
                kind: "cache".into(),
                exists: c.is_dir(),
                in_use: c.is_dir(),
                path: c.display().to_string(),
            });
        }
        if let Some(u) = &s.usage_log {
            items.push(Item {
                kind: "usage log".into(),
                exists: u.is_file(),
                in_use: s.history.is_ok() && u.is_file(),
                path: u.display().to_string(),
            });
        }
        if self.json.json {
            return app.json(&serde_json::json!({ "version": JSON_VERSION, "paths": items }));
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                let state = match (i.exists, i.in_use) {
                    (_, true) => app.out.paint(Style::Good, "in use"),
                    (true, false) => app.out.paint(Style::Dim, "not used"),
                    (false, _) => app.out.paint(Style::Dim, "missing"),
                };
                vec![i.kind.clone(), sanitize(&i.path, false), state]
            })
            .collect();
        let text = table(&rows, app.out.tty);
        app.out.write(&text)?;
        Ok(())
    }
}
