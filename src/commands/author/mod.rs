//! What the authoring commands (`new`, `edit`, `rm`, `mv`, `cp`) share:
//! which library a change goes to (your own, created if needed, or one named
//! by folder or name), how a new text is judged before it is written, what
//! is said after a write (the file, shadowing, a reminder to commit in a git
//! checkout), finding the reply a change is about; and the editor session
//! (`session`): edit, check, ask, install or keep the draft.

mod session;

pub use session::{Start, drafts, may_open_editor, session};

use std::path::{Path, PathBuf};

use super::App;
use crate::diag::{Diagnostic, Error, Result};
use crate::library::edit::{self, Refusal, Target};
use crate::library::{Catalog, Layer, LayerKind, Library, starter};
use crate::util::escape::sanitize;

/// A library a change can be written to: a folder on disk.
pub struct Writable {
    pub layer: Layer,
    pub dir: PathBuf,
}

impl Writable {
    fn of(layer: &Layer) -> Option<Writable> {
        Some(Writable {
            dir: layer.path.clone()?,
            layer: Layer {
                exists: true,
                ..layer.clone()
            },
        })
    }

    pub fn target(&self, file: &Path) -> Target {
        Target {
            library: self.dir.clone(),
            file: file.to_path_buf(),
        }
    }
}

/// The library named by `spec` (a folder, or a library's name: `user`, or a
/// library folder's last component), else the person's own.
pub fn library(app: &mut App<'_>, spec: Option<&str>) -> Result<Writable> {
    let Some(spec) = spec else {
        return own_library(app);
    };
    if crate::settings::config::is_own(spec) {
        return own_library(app);
    }
    let path = app.settings.expand_path(spec);
    if path.is_dir() {
        let canonical = std::fs::canonicalize(&path).ok();
        let known = app.settings.layers.iter().find(|l| {
            l.path
                .as_deref()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .is_some_and(|p| Some(&p) == canonical.as_ref())
        });
        let layer = known.cloned().unwrap_or_else(|| Layer::named(&path));
        if layer.kind == LayerKind::User {
            return own_library(app);
        }
        return Writable::of(&layer).ok_or_else(|| Error::usage("no such library"));
    }
    let named = app
        .settings
        .layers
        .iter()
        .find(|l| l.exists && l.name() == spec)
        .cloned();
    match named {
        Some(l) if l.kind == LayerKind::Starter => Err(read_only_error(None)),
        Some(l) => Writable::of(&l).ok_or_else(|| Error::usage("no such library")),
        None => {
            let names: Vec<String> = app
                .settings
                .layers
                .iter()
                .filter(|l| l.exists || l.kind == LayerKind::User)
                .map(Layer::name)
                .filter(|n| n != "starter")
                .map(|n| format!("`{n}`"))
                .collect();
            Err(
                Error::usage(format!("no library folder or library named `{spec}`")).hint(format!(
                    "name a folder, or one of: {}; `reply paths` shows where each is",
                    names.join(", ")
                )),
            )
        }
    }
}

/// The first `--library DIR|NAME` given, if any.
pub fn first_flag(app: &App<'_>) -> Option<PathBuf> {
    app.settings
        .layers
        .iter()
        .find(|l| l.kind == LayerKind::Flag)
        .and_then(|l| l.path.clone())
}

/// The library a new reply goes to (`new`, `import`): the one `explicit`
/// names (`--into`), else the first `--library DIR|NAME`, else your own.
pub fn chosen_library(app: &mut App<'_>, explicit: Option<&str>) -> Result<Writable> {
    if let Some(spec) = explicit {
        return library(app, Some(spec));
    }
    let Some(spec) = first_flag(app) else {
        return own_library(app);
    };
    if !spec.is_dir() {
        // A library's name, not a folder: it is not a layer of its own.
        app.settings
            .layers
            .retain(|l| l.kind != LayerKind::Flag || l.exists);
    }
    library(app, Some(&spec.to_string_lossy()))
}

/// The person's own library. It is created only when something is written
/// to it (see [`materialize`]), so a refused or abandoned change leaves no
/// folder behind.
pub fn own_library(app: &mut App<'_>) -> Result<Writable> {
    let Some(dir) = app.settings.user_library.clone() else {
        return Err(Error::usage(
            "cannot tell where your library goes: neither XDG_DATA_HOME nor HOME is set",
        )
        .hint("set HOME or XDG_DATA_HOME, or name a library with --library"));
    };
    let layer = app
        .settings
        .layers
        .iter()
        .find(|l| l.kind == LayerKind::User)
        .cloned()
        .unwrap_or(Layer {
            kind: LayerKind::User,
            path: Some(dir.clone()),
            exists: true,
        });
    Ok(Writable {
        layer: Layer {
            exists: true,
            ..layer
        },
        dir,
    })
}

/// Creates the person's own library if `lib` is it and it is not there yet.
/// When the starter library is what serves today, it is copied in first (as
/// `reply init` does): the starter library is only used while no library
/// exists, so creating one with a single reply would take the others away.
pub fn materialize(app: &mut App<'_>, lib: &Writable) -> Result<()> {
    if lib.layer.kind != LayerKind::User || lib.dir.is_dir() {
        return Ok(());
    }
    let dir = &lib.dir;
    let starter_in_use = app
        .settings
        .layers
        .iter()
        .any(|l| l.kind == LayerKind::Starter && l.exists);
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::data(format!("cannot create your library {}: {e}", dir.display())))?;
    if starter_in_use {
        for (name, text) in starter::STARTER {
            crate::util::fs::write_new(&dir.join(name), text.as_bytes()).map_err(|e| {
                Error::data(format!("cannot write {}: {e}", dir.join(name).display()))
                    .hint("check the folder's permissions and free space")
            })?;
        }
        app.out.info(&format!(
            "Your own library did not exist: the starter library was copied into {} first (as `reply init` does), so its replies stay in use.",
            shown(app, dir)
        ));
    }
    // From now on the layers are those of a machine with this library.
    for l in &mut app.settings.layers {
        if l.kind == LayerKind::User {
            l.exists = true;
        }
    }
    let others = app
        .settings
        .layers
        .iter()
        .any(|l| l.kind != LayerKind::Starter && l.exists);
    for l in &mut app.settings.layers {
        if l.kind == LayerKind::Starter {
            l.exists = !others;
        }
    }
    Ok(())
}

/// The error for a change to the built-in starter library.
pub fn read_only_error(id: Option<&str>) -> Error {
    let copy = match id {
        Some(id) => {
            format!("`reply cp {id} {id}` copies it into your own library, where you can change it")
        }
        None => "`reply init` copies it into your own library, where you can change it".into(),
    };
    Error::usage(match id {
        Some(id) => format!("reply `{id}` is in the built-in starter library, which is read-only"),
        None => "the built-in starter library is read-only".to_string(),
    })
    .hint(copy)
}

/// Judges the text `text` of `file` in library `lib` (shown as `shown`):
/// every diagnostic about that file, errors first.
pub fn judge(
    app: &App<'_>,
    lib: &Writable,
    file: &Path,
    shown: &str,
    text: &str,
) -> Vec<Diagnostic> {
    let s = &app.settings;
    match Library::load_with(vec![lib.layer.clone()], &s.library_lang, file, shown, text) {
        Ok(l) => crate::lint::validate_file(&l, shown, &s.platforms, &s.runtime()),
        Err(e) => e.diagnostic().into_iter().collect(),
    }
}

/// Writes the diagnostics of a refused text, errors and warnings alike.
pub fn show_diagnostics(app: &mut App<'_>, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        app.out.diagnostic(d);
    }
}

/// A path as people read it, escaped.
pub fn shown(app: &App<'_>, path: &Path) -> String {
    sanitize(&app.settings.show_path(path), false)
}

/// After a write: warnings about the new text, and in a git checkout, the
/// reminder that nobody else sees the change until it is pushed.
pub fn after_write(app: &mut App<'_>, file: &Path, warnings: &[Diagnostic]) {
    for w in warnings {
        app.out.diagnostic(w);
    }
    if let Some(root) = git_root(file) {
        let rel = file.strip_prefix(&root).unwrap_or(file);
        app.out.info(&format!(
            "{} is in the git checkout {}: commit and push to share the change (git -C {} add {} && git -C {} commit && git -C {} push)",
            shown(app, file),
            shown(app, &root),
            shown(app, &root),
            sanitize(&rel.display().to_string(), false),
            shown(app, &root),
            shown(app, &root),
        ));
    }
}

/// The git checkout a file is in (a folder above it with `.git`), if any.
pub fn git_root(file: &Path) -> Option<PathBuf> {
    let start = file.parent()?;
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// What layering now makes of `id` written to `file`: whether it shadows a
/// reply of another library, or is itself shadowed and so not used.
pub fn shadowing(app: &mut App<'_>, id: &str, file: &Path) -> Result<()> {
    let s = &app.settings;
    let cat = Catalog::load(s.layers.clone(), &s.library_lang, s.cache.as_deref())?;
    let Some(in_effect) = cat.get(id) else {
        return Ok(());
    };
    // One folder may be named two ways (`-L lib` and an absolute path).
    let same = |a: &Path| {
        a == file
            || std::fs::canonicalize(a)
                .ok()
                .zip(std::fs::canonicalize(file).ok())
                .is_some_and(|(x, y)| x == y)
    };
    let ours = |e: &crate::library::Entry| cat.file(e).path.as_deref().is_some_and(same);
    let place = |e: &crate::library::Entry| {
        format!(
            "{} ({}:{})",
            app.place(cat.layer(e)),
            cat.file(e).name,
            e.line
        )
    };
    let mut notes = Vec::new();
    let mut warning = None;
    if ours(in_effect) {
        // The same folder named twice (`-L` and REPLY_LIBRARY) is no shadowing.
        for other in cat.shadowed.iter().filter(|e| e.id() == id && !ours(e)) {
            notes.push(format!("`{id}` now shadows the one in {}", place(other)));
        }
    } else if cat.shadowed.iter().any(|e| e.id() == id && ours(e)) {
        warning = Some(format!(
            "`{id}` in {} shadows this one, which is not used while that one is there",
            place(in_effect)
        ));
    }
    for n in notes {
        app.out.info(&sanitize(&n, false));
    }
    if let Some(w) = warning {
        app.out
            .diagnostic(&Diagnostic::warning("shadowed", sanitize(&w, false)));
    }
    Ok(())
}

/// A reply in effect, in a file that can be changed.
pub struct Located {
    pub lib: Writable,
    pub file: PathBuf,
    /// The line of its table header.
    pub line: usize,
    pub title: String,
}

/// The reply `id` in effect and where it lives; an error for an unknown id
/// (with the closest ones), and for one in the read-only starter library.
pub fn locate(app: &mut App<'_>, id: &str) -> Result<Located> {
    let cat = app.catalog(false)?;
    let entry = crate::find::exact(&cat, id)?;
    if let Some(d) = cat.conflict(id) {
        return Err(d.clone().into());
    }
    let layer = cat.layer(entry);
    let (Some(file), Some(lib)) = (cat.file(entry).path.clone(), Writable::of(layer)) else {
        return Err(read_only_error(Some(id)));
    };
    Ok(Located {
        lib,
        file,
        line: entry.line as usize,
        title: entry.title().to_string(),
    })
}

/// Installs what `make` does to `file`'s current text, judged first; the
/// refusals become errors (nothing was written).
pub fn change(
    app: &mut App<'_>,
    lib: &Writable,
    file: &Path,
    make: impl FnOnce(Option<&str>) -> Result<String>,
) -> Result<edit::Installed> {
    materialize(app, lib)?;
    let name = file.display().to_string();
    let result = edit::install(&lib.target(file), None, make, |t| {
        judge(app, lib, file, &name, t)
    });
    match result {
        Ok(done) => Ok(done),
        Err(Refusal::Invalid(d)) => {
            show_diagnostics(app, &d);
            Err(Error::data(format!(
                "{} would have errors afterwards: nothing was written",
                shown(app, file)
            ))
            .hint("fix the file first (`reply check` lists its problems)"))
        }
        Err(Refusal::Changed) => Err(Error::data(format!(
            "{} changed while it was being written: nothing was written",
            shown(app, file)
        ))),
        Err(Refusal::Failed(e)) => Err(e),
    }
}

/// After a reply left a file: the same id in another library is the one in
/// use now, if there is one.
pub fn now_in_use(app: &mut App<'_>, id: &str) -> Result<()> {
    let s = &app.settings;
    let cat = Catalog::load(s.layers.clone(), &s.library_lang, s.cache.as_deref())?;
    if let Some(e) = cat.get(id) {
        let text = format!(
            "`{id}` from {} ({}) is the one in use now",
            app.place(cat.layer(e)),
            cat.file(e).name
        );
        app.out.info(&sanitize(&text, false));
    }
    Ok(())
}

/// The file `rel` of library `lib`: a relative path to a `.toml` file inside
/// it, in no hidden folder (a hidden file is never read as replies).
pub fn file_in(lib: &Writable, rel: &Path) -> Result<PathBuf> {
    check_file_name(rel)?;
    Ok(lib.dir.join(rel))
}

/// A file name a library can hold (see [`file_in`]).
pub fn check_file_name(rel: &Path) -> Result<()> {
    use std::path::Component;
    let ok = rel.extension().is_some_and(|e| e == "toml")
        && rel.components().all(|c| match c {
            Component::Normal(n) => !n.to_string_lossy().starts_with('.'),
            _ => false,
        });
    if !ok {
        return Err(Error::usage(format!(
            "`{}` is not a file name in the library",
            sanitize(&rel.display().to_string(), false)
        ))
        .hint("give a relative name ending in .toml, such as orders.toml or team/orders.toml"));
    }
    Ok(())
}
