//! The library: which folders replies come from (layers), reading them, and
//! looking replies up. An id in a higher layer shadows the same id below it.

pub mod model;
pub mod parse;
pub mod tomlstr;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{Config, Env};
use crate::data_err;
use crate::diag::{Diagnostic, Location};
use crate::error::Result;
pub use model::{Part, Reply, Text, Value, Variant};

mod starter {
    include!(concat!(env!("OUT_DIR"), "/starter.rs"));
}
pub use starter::STARTER;

/// Where a layer's folder was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerKind {
    /// `--library DIR`
    Flag,
    /// `REPLY_LIBRARY`
    Env,
    /// `libraries = [...]` in the config file
    Config,
    /// The user's own library in the XDG data folder.
    User,
    /// The starter library compiled into the binary.
    Starter,
}

impl LayerKind {
    pub fn label(self) -> &'static str {
        match self {
            LayerKind::Flag => "--library",
            LayerKind::Env => "REPLY_LIBRARY",
            LayerKind::Config => "config",
            LayerKind::User => "user",
            LayerKind::Starter => "starter",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Layer {
    pub kind: LayerKind,
    /// The folder; `None` for the built-in starter library.
    pub path: Option<PathBuf>,
    pub exists: bool,
}

impl Layer {
    pub fn name(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "(built-in starter library)".to_string(),
        }
    }
}

/// A file the library was read from, kept so errors can quote its lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to people (`starter:orders.toml` for built-in files).
    pub name: String,
    pub text: String,
    pub layer: usize,
}

#[derive(Debug, Default)]
pub struct Library {
    pub layers: Vec<Layer>,
    pub files: Vec<SourceFile>,
    /// Every reply in effect, highest layer first, then file order.
    pub replies: Vec<Reply>,
    /// Replies hidden by a reply with the same id in a higher layer.
    pub shadowed: Vec<Reply>,
    /// Problems found while reading: reported, never fatal for the other replies.
    pub diagnostics: Vec<Diagnostic>,
    index: HashMap<String, usize>,
}

/// The library folders in use, highest first. The starter library is added
/// only when none of the others exists.
pub fn layers(flags: &[PathBuf], env: &Env, config: &Config) -> Vec<Layer> {
    let mut layers = Vec::new();
    let mut push = |kind, path: PathBuf| {
        let exists = path.is_dir();
        layers.push(Layer {
            kind,
            path: Some(path),
            exists,
        });
    };
    for dir in flags {
        push(LayerKind::Flag, dir.clone());
    }
    if let Some(list) = env.get("REPLY_LIBRARY") {
        for dir in std::env::split_paths(list).filter(|p| !p.as_os_str().is_empty()) {
            push(LayerKind::Env, env.expand(&dir.to_string_lossy()));
        }
    }
    for dir in config.library_dirs(env) {
        push(LayerKind::Config, dir);
    }
    if let Some(dir) = env.user_library() {
        push(LayerKind::User, dir);
    }
    let any = layers.iter().any(|l| l.exists);
    layers.push(Layer {
        kind: LayerKind::Starter,
        path: None,
        exists: !any,
    });
    layers
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

/// The problem of a folder that could not be read.
pub fn folder_error(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "io",
        format!("cannot read library folder {}: {e}", dir.display()),
    )
    .hint("check the folder's permissions; the rest of the library was read")
}

/// The library-wide settings file: a hidden file, so it is never read as replies.
pub const LIBRARY_SETTINGS: &str = ".reply-library.toml";

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LibrarySettings {
    pub lang: Option<String>,
}

/// What layering makes of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The reply this id means.
    InEffect,
    /// Hidden by the same id in a higher layer.
    Shadowed,
    /// The same id again within one layer: an error; `first` is the earlier one.
    Duplicate { first: usize },
}

/// Roles for `(id, layer)` pairs given highest layer first. A duplicate is
/// reported in every layer, shadowed or not: it is a mistake in that library.
pub fn roles<'a>(items: impl IntoIterator<Item = (&'a str, usize)>) -> Vec<Role> {
    let items = items.into_iter();
    let n = items.size_hint().0;
    let mut in_effect: HashMap<&str, ()> = HashMap::with_capacity(n);
    let mut first_in_layer: HashMap<(&str, usize), usize> = HashMap::with_capacity(n);
    items
        .enumerate()
        .map(|(i, (id, layer))| {
            if let Some(&first) = first_in_layer.get(&(id, layer)) {
                return Role::Duplicate { first };
            }
            first_in_layer.insert((id, layer), i);
            if in_effect.insert(id, ()).is_some() {
                Role::Shadowed
            } else {
                Role::InEffect
            }
        })
        .collect()
}

/// Reads a file as UTF-8 text.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not valid UTF-8",
        )
    })
}

/// The message for an id defined twice within one layer.
pub fn duplicate_diagnostic(id: &str, here: (&str, usize), first: (&str, usize)) -> String {
    format!(
        "{}:{}: error: duplicate reply id `{id}`\n  = note: first defined at {}:{}\n  = hint: ids must be unique within a library: rename one of them",
        here.0, here.1, first.0, first.1
    )
}

impl Library {
    /// Only a `--library` folder that does not exist is an error: it was asked
    /// for by name. The others may not be set up yet.
    pub fn check_layers(layers: &[Layer]) -> Result<()> {
        for layer in layers {
            if layer.kind == LayerKind::Flag && !layer.exists {
                return Err(data_err!(
                    "error: library folder {} does not exist\n  = hint: check the path given to --library",
                    layer.name()
                ));
            }
        }
        Ok(())
    }

    /// Reads every existing layer. Problems in files become diagnostics.
    pub fn load(layers: Vec<Layer>, default_lang: &str) -> Result<Library> {
        Library::check_layers(&layers)?;
        let mut lib = Library::default();
        let mut pending: Vec<(String, usize, Option<&'static str>, String)> = Vec::new();
        for (i, layer) in layers.iter().enumerate() {
            if !layer.exists {
                continue;
            }
            match &layer.path {
                None => {
                    for (name, text) in STARTER {
                        pending.push((
                            format!("starter:{name}"),
                            i,
                            Some(*text),
                            default_lang.to_string(),
                        ));
                    }
                }
                Some(dir) => {
                    let lang = match read_settings(dir) {
                        Ok(s) => s.lang.unwrap_or_else(|| default_lang.to_string()),
                        Err(d) => {
                            lib.diagnostics.push(*d);
                            default_lang.to_string()
                        }
                    };
                    let (files, errors) = library_files(dir);
                    for f in files {
                        pending.push((f.display().to_string(), i, None, lang.clone()));
                    }
                    for (d, e) in errors {
                        lib.diagnostics.push(folder_error(&d, &e));
                    }
                }
            }
        }
        let parsed = crate::parallel::map(pending, |(name, layer, embedded, lang)| {
            let text = match embedded {
                Some(t) => Ok(t.to_string()),
                None => read_text(Path::new(&name)),
            };
            let result = text.map(|t| {
                let p = parse::parse_file(&name, &t, 0, &lang);
                (t, p)
            });
            (name, layer, result)
        });
        lib.layers = layers;
        for (name, layer, result) in parsed {
            lib.push_file(name, layer, result);
        }
        lib.finish();
        Ok(lib)
    }

    /// A library holding the one file `name` (in layer `layer`): what
    /// rendering or showing a reply needs, without reading the others.
    /// `lang` is the default language the file is read with.
    pub fn load_one(
        layers: Vec<Layer>,
        layer: usize,
        name: &str,
        path: Option<&Path>,
        lang: &str,
    ) -> Result<Library> {
        let text = match path {
            Some(p) => read_text(p),
            None => STARTER
                .iter()
                .find(|(n, _)| format!("starter:{n}") == name)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, "not in the starter library")
                }),
        };
        let result = text.map(|t| {
            let p = parse::parse_file(name, &t, 0, lang);
            (t, p)
        });
        let mut lib = Library {
            layers,
            ..Library::default()
        };
        lib.push_file(name.to_string(), layer, result);
        lib.finish();
        Ok(lib)
    }

    fn push_file(
        &mut self,
        name: String,
        layer: usize,
        result: std::io::Result<(String, parse::ParsedFile)>,
    ) {
        match result {
            Ok((text, p)) => {
                let file = self.files.len();
                self.files.push(SourceFile { name, text, layer });
                self.diagnostics.extend(p.diagnostics);
                for mut r in p.replies {
                    r.file = file;
                    self.replies.push(r);
                }
            }
            Err(e) => self.diagnostics.push(
                Diagnostic::error("io", format!("cannot read {name}: {e}"))
                    .hint("check the file's permissions; the other files were read"),
            ),
        }
    }

    /// Applies layering to the replies read so far (in layer order).
    fn finish(&mut self) {
        let all = std::mem::take(&mut self.replies);
        let roles = roles(
            all.iter()
                .map(|r| (r.id.as_str(), self.files[r.file].layer)),
        );
        // Positions only for duplicates: finding a line is a scan of the file.
        let first_locations: HashMap<usize, Location> = roles
            .iter()
            .filter_map(|r| match r {
                Role::Duplicate { first } => Some((*first, self.location(&all[*first]))),
                _ => None,
            })
            .collect();
        for (reply, role) in all.into_iter().zip(&roles) {
            match role {
                Role::InEffect => {
                    self.index.insert(reply.id.clone(), self.replies.len());
                    self.replies.push(reply);
                }
                Role::Shadowed => self.shadowed.push(reply),
                Role::Duplicate { first } => {
                    let f = &first_locations[first];
                    let here = self.location(&reply);
                    self.diagnostics.push(
                        Diagnostic::error(
                            "duplicate-id",
                            format!("duplicate reply id `{}`", reply.id),
                        )
                        .at(here)
                        .reply(&reply.id)
                        .note(format!(
                            "first defined at {}:{}:{}",
                            f.file, f.line, f.column
                        ))
                        .hint("ids must be unique within a library: rename one of them"),
                    );
                }
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&Reply> {
        self.index.get(id).map(|&i| &self.replies[i])
    }

    pub fn file(&self, reply: &Reply) -> &SourceFile {
        &self.files[reply.file]
    }

    pub fn layer(&self, reply: &Reply) -> &Layer {
        &self.layers[self.files[reply.file].layer]
    }

    /// Where a reply is defined: its table header.
    pub fn location(&self, reply: &Reply) -> Location {
        let f = self.file(reply);
        Location::at(&f.name, &f.text, reply.span.clone())
    }

    /// The location of a byte inside a template text, through TOML escapes.
    pub fn text_location(
        &self,
        reply: &Reply,
        text: &Text,
        offset: std::ops::Range<usize>,
    ) -> Location {
        let f = self.file(reply);
        let token = f.text.get(text.span.clone()).unwrap_or("");
        let start = text.span.start + tomlstr::raw_offset(token, offset.start);
        let end = text.span.start + tomlstr::raw_offset(token, offset.end);
        Location::at(&f.name, &f.text, start..end.max(start + 1))
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

pub fn read_settings(dir: &Path) -> std::result::Result<LibrarySettings, Box<Diagnostic>> {
    let path = dir.join(LIBRARY_SETTINGS);
    let text = match std::fs::read_to_string(&path) {
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
