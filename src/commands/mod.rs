//! One file per subcommand. Each reads its arguments, calls the logic modules,
//! and writes the result through `App::out`.

pub mod check;
pub mod completions;
pub mod init;
pub mod list;
pub mod paths;
pub mod render;
pub mod search;
pub mod show;
pub mod vars;

use serde::Serialize;

use crate::App;
use crate::catalog::{Catalog, Entry};
use crate::error::Result;
use crate::library::Layer;

/// The version of every `--json` shape; bumped only on incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// Writes a value as pretty JSON on stdout.
pub fn write_json<T: Serialize>(app: &mut App, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| crate::error::Error::data(format!("error: cannot encode JSON: {e}")))?;
    app.out.line(&text)?;
    Ok(())
}

/// A short name for a library: `starter`, or its folder with `~` for home.
pub fn layer_name(app: &App, layer: &Layer) -> String {
    match &layer.path {
        None => "starter".to_string(),
        Some(p) => {
            let shown = p.display().to_string();
            match app.env.get("HOME") {
                Some(home) if !home.is_empty() && shown.starts_with(home) => {
                    format!("~{}", &shown[home.len()..])
                }
                _ => shown,
            }
        }
    }
}

/// The JSON description of where a reply lives.
#[derive(Serialize)]
pub struct Origin {
    pub library: String,
    pub layer: &'static str,
    pub file: String,
    pub line: usize,
}

pub fn origin(app: &App, cat: &Catalog, entry: &Entry) -> Origin {
    let layer = cat.layer(entry);
    Origin {
        library: layer_name(app, layer),
        layer: layer.kind.label(),
        file: cat.file(entry).name.clone(),
        line: entry.line as usize,
    }
}

/// Whether a reply passes the `--platform` and `--lang` filters.
pub fn keep(entry: &Entry, platform: Option<&str>, lang: Option<&str>) -> bool {
    platform.is_none_or(|p| entry.fits_platform(p)) && lang.is_none_or(|l| entry.has_lang(l))
}

pub use batch::render_batch;
mod batch;
