//! The one scan both loading paths share (the cached catalog and the full
//! library): which files each layer holds, with the language they are read
//! in, and the problems met on the way (never fatal for the rest).

use std::path::{Path, PathBuf};

use super::layers::Layer;
use super::starter::{self, STARTER};
use crate::diag::{Diagnostic, Location};
use crate::util::fs::read_text;

/// The library-wide settings file: a hidden file, so it is never read as replies.
pub const LIBRARY_SETTINGS: &str = ".reply-library.toml";

/// A library file to read: on disk, or built in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// As shown to people: the path, or `starter:orders.toml`.
    pub name: String,
    /// The file on disk; `None` for the starter library.
    pub path: Option<PathBuf>,
    /// Index of its layer.
    pub layer: usize,
    /// The default language its replies are read in.
    pub lang: String,
}

impl Source {
    pub fn read(&self) -> std::io::Result<String> {
        match &self.path {
            Some(p) => read_text(p),
            None => starter::text(&self.name)
                .map(str::to_string)
                .ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, "not in the starter library")
                }),
        }
    }
}

#[derive(Debug, Default)]
pub struct Scan {
    /// Every file, highest layer first, in a stable order within each layer.
    pub sources: Vec<Source>,
    pub problems: Vec<Diagnostic>,
}

/// Scans every existing layer. `default_lang` is the config's language.
pub fn scan(layers: &[Layer], default_lang: &str) -> Scan {
    let mut out = Scan::default();
    for (i, layer) in layers.iter().enumerate() {
        if !layer.exists {
            continue;
        }
        let Some(dir) = &layer.path else {
            for (file, _) in STARTER {
                out.sources.push(Source {
                    name: starter::name(file),
                    path: None,
                    layer: i,
                    lang: default_lang.to_string(),
                });
            }
            continue;
        };
        let lang = match read_settings(dir) {
            Ok(s) => s.lang.unwrap_or_else(|| default_lang.to_string()),
            Err(d) => {
                out.problems.push(*d);
                default_lang.to_string()
            }
        };
        let (files, errors) = library_files(dir);
        for path in files {
            out.sources.push(Source {
                name: path.display().to_string(),
                path: Some(path),
                layer: i,
                lang: lang.clone(),
            });
        }
        for (d, e) in errors {
            out.problems.push(
                Diagnostic::error(
                    "io",
                    format!("cannot read library folder {}: {e}", d.display()),
                )
                .hint("check the folder's permissions; the rest of the library was read"),
            );
        }
    }
    out
}

/// Every `*.toml` file below `dir`, hidden files and folders skipped, in a
/// stable order so that output and "first wins" never depend on the file
/// system; and the folders that could not be read (the rest is still read).
pub fn library_files(dir: &Path) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    fn walk(
        dir: &Path,
        depth: usize,
        out: &mut Vec<PathBuf>,
        errors: &mut Vec<(PathBuf, std::io::Error)>,
    ) {
        // A symlink loop must not hang us; no real library nests this deep.
        if depth > 32 {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push((dir.to_path_buf(), e));
                return;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push((dir.to_path_buf(), e));
                    continue;
                }
            };
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                walk(&path, depth + 1, out, errors);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    // `reply check FILE` names a single file.
    if dir.is_file() {
        return (vec![dir.to_path_buf()], Vec::new());
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    walk(dir, 0, &mut out, &mut errors);
    out.sort();
    (out, errors)
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LibrarySettings {
    pub lang: Option<String>,
}

/// Reads a library's `.reply-library.toml`; none is the same as an empty one.
pub fn read_settings(dir: &Path) -> Result<LibrarySettings, Box<Diagnostic>> {
    let path = dir.join(LIBRARY_SETTINGS);
    let text = match read_text(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LibrarySettings::default()),
        Err(e) => {
            return Err(Box::new(Diagnostic::error(
                "io",
                format!("cannot read {}: {e}", path.display()),
            )));
        }
    };
    toml::from_str::<LibrarySettings>(&text).map_err(|e| {
        let name = path.display().to_string();
        let mut d = Diagnostic::error(
            "settings",
            format!("invalid library settings: {}", e.message()),
        );
        if let Some(span) = e.span() {
            d = d.at(Location::at(&name, &text, span));
        }
        Box::new(d.hint("this file may hold only `lang = \"xx\"`, the library's default language"))
    })
}
