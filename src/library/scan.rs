//! The one scan both loading paths share (the cached catalog and the full
//! library): which files each layer holds, with the language they are read
//! in, and the problems met on the way (never fatal for the rest).

use std::collections::HashSet;
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
        let (files, problems) = library_files(dir);
        for path in files {
            out.sources.push(Source {
                name: path.display().to_string(),
                path: Some(path),
                layer: i,
                lang: lang.clone(),
            });
        }
        out.problems.extend(problems);
    }
    out
}

/// Every `*.toml` file below `dir`, in a stable order so that output and
/// "first wins" never depend on the file system; and the problems met on the
/// way (the rest is still read). Hidden files and folders are skipped. The walk
/// treats the library as untrusted: it reads regular files only, follows a
/// symbolic link only to a place inside the library, and visits each folder
/// once however links loop.
pub fn library_files(dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    // `reply check FILE` names a single file.
    if dir.is_file() {
        return (vec![dir.to_path_buf()], Vec::new());
    }
    let mut walk = Walk {
        root: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        seen: HashSet::new(),
        files: Vec::new(),
        problems: Vec::new(),
    };
    match std::fs::metadata(dir) {
        Ok(meta) => {
            walk.seen.insert(identity(&meta));
            walk.folder(dir, 0);
        }
        Err(e) => walk.problems.push(folder_error(dir, &e)),
    }
    walk.files.sort();
    (walk.files, walk.problems)
}

struct Walk {
    /// The library folder, symbolic links resolved: nothing outside it is read.
    root: PathBuf,
    /// Folders entered, by device and inode, so a link loop is entered once.
    seen: HashSet<(u64, u64)>,
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
}

/// No real library nests this deep; a bound for the pathological one.
const MAX_DEPTH: usize = 64;

impl Walk {
    fn folder(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            self.problems.push(
                Diagnostic::warning(
                    "deep",
                    format!(
                        "{} is nested more than {MAX_DEPTH} folders deep: not read",
                        dir.display()
                    ),
                )
                .hint("flatten the library's folders"),
            );
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.problems.push(folder_error(dir, &e)),
        };
        let mut list = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => list.push(entry),
                Err(e) => self.problems.push(folder_error(dir, &e)),
            }
        }
        // In name order, so that which path reaches a folder first (and so the
        // paths files are shown with) never depends on the file system.
        list.sort_by_key(std::fs::DirEntry::file_name);
        for entry in &list {
            self.entry(entry, depth);
        }
    }

    fn entry(&mut self, entry: &std::fs::DirEntry, depth: usize) {
        let name = entry.file_name();
        if name.as_encoded_bytes().first() == Some(&b'.') {
            return;
        }
        let path = entry.path();
        let toml = path.extension().is_some_and(|e| e == "toml");
        let Ok(kind) = entry.file_type() else {
            return;
        };
        let meta = if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) => {
                    let looped = e.raw_os_error() == Some(libc_eloop());
                    if looped || toml {
                        self.problems.push(
                            Diagnostic::warning(
                                "symlink",
                                format!(
                                    "{} is a symbolic link {}: skipped",
                                    path.display(),
                                    if looped { "that loops" } else { "to nothing" }
                                ),
                            )
                            .hint("remove the link or point it at a file in the library"),
                        );
                    }
                    return;
                }
            }
        } else {
            match entry.metadata() {
                Ok(meta) => meta,
                Err(e) => return self.problems.push(folder_error(&path, &e)),
            }
        };
        if kind.is_symlink() && !(meta.is_dir() || toml) {
            return;
        }
        if kind.is_symlink() && !self.inside(&path) {
            let target = std::fs::canonicalize(&path).unwrap_or_default();
            self.problems.push(
                Diagnostic::error(
                    "symlink-outside",
                    format!(
                        "{} is a symbolic link to {}, outside the library: not read",
                        path.display(),
                        target.display()
                    ),
                )
                .hint("a library reads only its own files: copy the file in, or add its folder as a library of its own"),
            );
            return;
        }
        if meta.is_dir() {
            if !self.seen.insert(identity(&meta)) {
                self.problems.push(
                    Diagnostic::warning(
                        "symlink",
                        format!(
                            "{} leads back to a folder already read (a symbolic link loop): skipped",
                            path.display()
                        ),
                    )
                    .hint("remove the link that points back up the library"),
                );
                return;
            }
            return self.folder(&path, depth + 1);
        }
        if !toml {
            return;
        }
        if !meta.is_file() {
            self.problems.push(
                Diagnostic::warning(
                    "not-a-file",
                    format!(
                        "{} is {}, not a regular file: skipped",
                        path.display(),
                        crate::util::fs::kind_of(&meta)
                    ),
                )
                .hint("a library holds TOML files; remove it or rename it without `.toml`"),
            );
            return;
        }
        if name.to_str().is_none() {
            self.problems.push(
                Diagnostic::warning(
                    "file-name",
                    format!(
                        "the name of {} is not valid UTF-8 (shown with � for the bytes that are not): read anyway",
                        path.display()
                    ),
                )
                .hint("rename the file with a UTF-8 name, so every tool shows it the same way"),
            );
        }
        self.files.push(path);
    }

    /// Whether a link's target lies inside the library.
    fn inside(&self, link: &Path) -> bool {
        std::fs::canonicalize(link).is_ok_and(|t| t.starts_with(&self.root))
    }
}

/// A file's identity on its device.
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

fn libc_eloop() -> i32 {
    #[cfg(unix)]
    {
        libc::ELOOP
    }
    #[cfg(not(unix))]
    {
        -1
    }
}

/// The problem of a folder that could not be read.
fn folder_error(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "io",
        format!("cannot read library folder {}: {e}", dir.display()),
    )
    .hint("check the folder's permissions; the rest of the library was read")
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
