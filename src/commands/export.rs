//! `reply export FORMAT [ID…]`: the replies in use (or of the library
//! `--library` names) as JSON, CSV, Markdown or an espanso match file, to
//! stdout or `--out`. Never outside `--out`, never over a file without
//! `--force`; what a format cannot hold is said on stderr.

use std::path::{Component, Path, PathBuf};

use super::author::{self, shown};
use super::{App, JSON_VERSION, Run};
use crate::cli::{ExportArgs, ExportFormat};
use crate::convert::export::{self, writes_folder};
use crate::convert::{Format, Item};
use crate::diag::{Diagnostic, Error, Result};
use crate::library::{Layer, LayerKind, Library};
use crate::util::escape::sanitize;

fn format_of(f: ExportFormat) -> Format {
    match f {
        ExportFormat::Json => Format::Json,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Markdown => Format::Markdown,
        ExportFormat::Espanso => Format::Espanso,
    }
}

/// The layers to export: the library the first `--library` names, else all.
fn layers(app: &mut App<'_>) -> Result<Vec<Layer>> {
    let Some(spec) = author::first_flag(app) else {
        return Ok(app.settings.layers.clone());
    };
    if spec.as_os_str() == "starter" && !spec.is_dir() {
        // The built-in library: read-only, but it can be exported.
        return Ok(vec![Layer {
            kind: LayerKind::Starter,
            path: None,
            exists: true,
        }]);
    }
    let lib = author::chosen_library(app, None)?;
    if !lib.dir.is_dir() {
        return Err(Error::usage(format!(
            "the library {} does not exist yet",
            shown(app, &lib.dir)
        )));
    }
    Ok(vec![lib.layer])
}

/// A file name an export writes: one plain name, never a path out of `--out`.
fn safe_name(name: &str) -> bool {
    let p = Path::new(name);
    !name.starts_with('.')
        && p.components().count() == 1
        && matches!(p.components().next(), Some(Component::Normal(_)))
}

fn write_file(app: &App<'_>, path: &Path, text: &str, force: bool) -> Result<()> {
    let failed = |e: std::io::Error| {
        Error::data(format!("cannot write {}: {e}", shown(app, path)))
            .hint("check the folder's permissions and free space")
    };
    if force {
        crate::util::fs::replace(path, text.as_bytes()).map_err(failed)
    } else if crate::util::fs::write_new(path, text.as_bytes()).map_err(failed)? {
        Ok(())
    } else {
        Err(exists(app, path))
    }
}

fn exists(app: &App<'_>, path: &Path) -> Error {
    Error::usage(format!("{} exists: nothing was written", shown(app, path)))
        .hint("give --force to replace it, or another --out")
}

impl Run for ExportArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let format = format_of(self.format);
        let to_stdout = self.out.as_deref().is_none_or(|o| o.as_os_str() == "-");
        if writes_folder(format) && to_stdout {
            return Err(Error::usage(
                "markdown writes one file per reply: give --out FOLDER",
            ));
        }
        let layers = layers(app)?;
        let lib = Library::load(layers, &app.settings.library_lang)?;
        let errors = lib.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            app.out.diagnostic(&Diagnostic::warning(
                "library",
                format!(
                    "{errors} problem{} in the library: the replies that could not be read are not exported; `reply check` says which",
                    if errors == 1 { "" } else { "s" }
                ),
            ));
        }
        let mut items = Vec::new();
        if self.ids.is_empty() {
            items.extend(lib.replies.iter().map(Item::of));
        } else {
            for id in &self.ids {
                let Some(r) = lib.get(id) else {
                    let mut e =
                        Error::no_match(format!("no reply `{}` to export", sanitize(id, false)));
                    if let Some(c) =
                        crate::util::suggest::closest(id, lib.replies.iter().map(|r| r.id.as_str()))
                    {
                        e = e.hint(format!("did you mean `{c}`?"));
                    }
                    return Err(e);
                };
                items.push(Item::of(r));
            }
        }
        let Some(done) = export::export(format, &items, JSON_VERSION) else {
            return Err(Error::usage(format!(
                "{} is a format reply imports, not one it exports",
                format.name()
            )));
        };
        for w in &done.warnings {
            app.out
                .diagnostic(&Diagnostic::warning("export", sanitize(w, false)));
        }
        if to_stdout {
            for (_, text) in &done.files {
                app.out.write(text)?;
            }
            return Ok(());
        }
        let out: PathBuf = self.out.clone().unwrap_or_default();
        if writes_folder(format) {
            if out.exists() && !out.is_dir() {
                return Err(Error::usage(format!(
                    "{} is a file: markdown writes a folder",
                    shown(app, &out)
                )));
            }
            // Every name checked, and none there (without --force), before
            // anything is written.
            for (name, _) in &done.files {
                if !safe_name(name) {
                    return Err(Error::data(format!(
                        "`{}` would be written outside {}: nothing was written",
                        sanitize(name, false),
                        shown(app, &out)
                    )));
                }
                if !self.force && std::fs::symlink_metadata(out.join(name)).is_ok() {
                    return Err(exists(app, &out.join(name)));
                }
            }
            std::fs::create_dir_all(&out)
                .map_err(|e| Error::data(format!("cannot create {}: {e}", shown(app, &out))))?;
            for (name, text) in &done.files {
                write_file(app, &out.join(name), text, self.force)?;
            }
        } else {
            if out.is_dir() {
                return Err(Error::usage(format!(
                    "{} is a folder: give a file name to write",
                    shown(app, &out)
                )));
            }
            if !self.force && std::fs::symlink_metadata(&out).is_ok() {
                return Err(exists(app, &out));
            }
            let text = done.files.first().map_or("", |(_, t)| t.as_str());
            write_file(app, &out, text, self.force)?;
        }
        app.out.info(&format!(
            "Exported {} repl{} to {}.",
            items.len(),
            if items.len() == 1 { "y" } else { "ies" },
            shown(app, &out)
        ));
        Ok(())
    }
}
