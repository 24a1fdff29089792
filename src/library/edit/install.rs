//! Installing a new text of a library file, the one way every authoring
//! command writes: under an exclusive lock on the library (so two agents
//! never interleave), only if the file is still what the change was made
//! from (an edit that met someone else's change, or a `git pull`, stops
//! instead of overwriting it), only once the new text passed validation,
//! and atomically and durably (`util::fs::replace`): a crash leaves the old
//! file or the new one, never a mix.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diag::{Diagnostic, Error};
use crate::util::fs::{read_text, replace};
use crate::util::lock::Lock;

/// How long a writer waits for another to finish: far longer than any
/// validation takes, short enough that a stuck process is reported.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// The file a change goes to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The library folder: the lock covers all of it, since ids must be
    /// unique across its files.
    pub library: PathBuf,
    pub file: PathBuf,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum Refusal {
    /// The file is no longer what the change was made from.
    Changed,
    /// The new text has errors: every diagnostic about it, errors first.
    Invalid(Vec<Diagnostic>),
    /// The lock, the read or the write failed.
    Failed(Error),
}

/// What was written.
#[derive(Debug)]
pub struct Installed {
    pub text: String,
    /// Warnings about the new text (it had no error).
    pub warnings: Vec<Diagnostic>,
    /// The file was not there before.
    pub created: bool,
    /// The new text was the file's text already: nothing was written.
    pub unchanged: bool,
}

/// How old a temporary file of `util::fs::replace` must be to count as left
/// behind by a writer that died: no write takes a fraction of this.
pub const LEFTOVER_AGE: Duration = Duration::from_secs(3600);

/// Removes the temporary files that writers killed between writing and
/// renaming left in `dir` (`.reply-*.tmp`, hidden, so never read as
/// replies), once older than `age`: a younger one may be another writer's,
/// in flight. Best effort: one that cannot be removed stays.
pub fn sweep(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".reply-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = e
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|a| a > age);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The lock file of a library: inside the `.git` folder of the checkout it
/// is in, itself or a folder of one (git ignores it there, so it never shows
/// as a change, and `reply sync` takes the same lock for the whole
/// checkout), else a hidden file in it (a library scan skips hidden files).
/// Found from the folder with links resolved, so two names of one library
/// share one lock.
pub fn lock_path(library: &Path) -> PathBuf {
    let real = std::fs::canonicalize(library).unwrap_or_else(|_| library.to_path_buf());
    match real.ancestors().find(|d| d.join(".git").is_dir()) {
        Some(top) => top.join(".git").join("reply.lock"),
        None => library.join(".reply.lock"),
    }
}

/// Under the library's lock: reads the file as it is now (`None`: not there
/// yet), refuses if it is not `expected` (when given), makes the new text
/// from it with `make`, has `validate` judge it, and replaces the file.
pub fn install(
    target: &Target,
    expected: Option<Option<&str>>,
    make: impl FnOnce(Option<&str>) -> Result<String, Error>,
    validate: impl FnOnce(&str) -> Vec<Diagnostic>,
) -> Result<Installed, Refusal> {
    let failed = |what: &str, e: std::io::Error| {
        Refusal::Failed(
            Error::data(format!("cannot {what} {}: {e}", target.file.display()))
                .hint("check the folder's permissions and free space"),
        )
    };
    let _lock = Lock::exclusive(&lock_path(&target.library), LOCK_WAIT).map_err(|e| {
        Refusal::Failed(
            Error::data(format!(
                "cannot lock the library {}: {e}",
                target.library.display()
            ))
            .hint("another reply may be writing to it: try again in a moment"),
        )
    })?;
    // A library file that is a link (to a file inside the library) stays a
    // link: the file it points at is the one replaced.
    let real = match std::fs::symlink_metadata(&target.file) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(&target.file).map_err(|e| failed("follow", e))?
        }
        _ => target.file.clone(),
    };
    let current = match read_text(&real) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed("read", e)),
    };
    if let Some(want) = expected
        && want != current.as_deref()
    {
        return Err(Refusal::Changed);
    }
    let text = make(current.as_deref()).map_err(Refusal::Failed)?;
    let diagnostics = validate(&text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Refusal::Invalid(diagnostics));
    }
    let unchanged = current.as_deref() == Some(text.as_str());
    if !unchanged {
        replace(&real, text.as_bytes()).map_err(|e| failed("write", e))?;
        if let Some(dir) = real.parent() {
            sweep(dir, LEFTOVER_AGE);
        }
    }
    Ok(Installed {
        text,
        warnings: diagnostics,
        created: current.is_none(),
        unchanged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(dir: &Path) -> Target {
        Target {
            library: dir.to_path_buf(),
            file: dir.join("a.toml"),
        }
    }

    fn ok(_: &str) -> Vec<Diagnostic> {
        Vec::new()
    }

    #[test]
    fn writes_what_make_returns_from_the_current_text() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        let i = install(&t, None, |cur| Ok(format!("{}x", cur.unwrap_or(""))), ok).unwrap();
        assert!(i.created && !i.unchanged);
        install(&t, None, |cur| Ok(format!("{}y", cur.unwrap_or(""))), ok).unwrap();
        assert_eq!(std::fs::read_to_string(&t.file).unwrap(), "xy");
        let i = install(&t, None, |cur| Ok(cur.unwrap_or("").to_string()), ok).unwrap();
        assert!(i.unchanged);
        // The lock is a hidden file in the library, or in its .git folder.
        assert!(dir.path().join(".reply.lock").exists());
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(lock_path(dir.path()), top.join(".git/reply.lock"));
        // A library in a folder of a checkout locks in the checkout's .git.
        std::fs::create_dir(dir.path().join("replies")).unwrap();
        assert_eq!(
            lock_path(&dir.path().join("replies")),
            top.join(".git/reply.lock")
        );
    }

    #[test]
    fn a_changed_file_and_an_invalid_text_are_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let t = target(dir.path());
        std::fs::write(&t.file, "theirs").unwrap();
        let r = install(&t, Some(Some("mine")), |_| Ok("new".into()), ok);
        assert!(matches!(r, Err(Refusal::Changed)));
        let r = install(&t, Some(None), |_| Ok("new".into()), ok);
        assert!(matches!(r, Err(Refusal::Changed)));
        let r = install(
            &t,
            Some(Some("theirs")),
            |_| Ok("bad".into()),
            |_| vec![Diagnostic::error("x", "no")],
        );
        assert!(matches!(r, Err(Refusal::Invalid(d)) if d.len() == 1));
        assert_eq!(std::fs::read_to_string(&t.file).unwrap(), "theirs");
        let i = install(
            &t,
            Some(Some("theirs")),
            |_| Ok("good".into()),
            |_| vec![Diagnostic::warning("w", "hm")],
        )
        .unwrap();
        assert_eq!(i.warnings.len(), 1);
        assert_eq!(std::fs::read_to_string(&t.file).unwrap(), "good");
    }

    #[test]
    fn a_write_sweeps_temporary_files_left_by_a_dead_writer() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".reply-dead.tmp");
        let young = dir.path().join(".reply-live.tmp");
        let other = dir.path().join(".notes.tmp");
        for p in [&old, &young, &other] {
            std::fs::write(p, "x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        for p in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        install(&target(dir.path()), None, |_| Ok("new".into()), ok).unwrap();
        assert!(!old.exists());
        assert!(young.exists() && other.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_file_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("shared")).unwrap();
        std::fs::write(dir.path().join("shared/real.toml"), "old").unwrap();
        std::os::unix::fs::symlink("shared/real.toml", dir.path().join("a.toml")).unwrap();
        install(&target(dir.path()), None, |_| Ok("new".into()), ok).unwrap();
        assert!(
            std::fs::symlink_metadata(dir.path().join("a.toml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("shared/real.toml")).unwrap(),
            "new"
        );
    }
}
