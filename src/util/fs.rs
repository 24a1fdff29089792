//! Reading and writing the files `reply` owns or is given: text read as UTF-8
//! from regular files only (a named pipe or a device found in a library must
//! never block or flood a run), with a size bound, and writes that are atomic
//! (a temporary file in the same folder, renamed over the target only once
//! complete).

use std::io::{self, Read};
use std::path::Path;

/// The largest library or config file read: far above any real one, low
/// enough that a stray multi-gigabyte file cannot exhaust memory.
pub const MAX_TEXT_FILE: u64 = 16 << 20;

/// Reads a regular file as UTF-8 text, at most [`MAX_TEXT_FILE`] bytes.
pub fn read_text(path: &Path) -> io::Result<String> {
    read_regular(path, MAX_TEXT_FILE)
}

/// Reads a regular file as UTF-8 text, refusing anything else (a named pipe,
/// a device, a socket, a folder) without blocking, and a file over `max` bytes.
pub fn read_regular(path: &Path, max: u64) -> io::Result<String> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::other(format!(
            "the file is larger than {} MB, the most reply reads",
            max >> 20
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not valid UTF-8"))
}

/// Reads a regular file's bytes (refusing anything else without blocking),
/// or `None`: for files `reply` keeps itself (the cache), where any problem
/// just means "read the library again".
pub fn read_bytes(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path).ok()?.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Opens `path` for reading if it is a regular file. The open itself never
/// blocks: on Unix it is non-blocking (a named pipe with no writer would
/// otherwise wait forever), and the type is checked on the opened file.
pub fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "it is {}, not a regular file",
            kind_of(&meta)
        )));
    }
    Ok(file)
}

/// What a file system entry is, for messages.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// Replaces (or creates) the user's file `path` with `bytes`, durably and
/// atomically: the text goes to a temporary file in the same folder, is
/// flushed to disk, takes the original's permissions, and is renamed over the
/// original; the folder is flushed too. A crash at any moment leaves the old
/// file or the new one, never a mix; on any failure the temporary is removed.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".reply-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    before_rename(tmp.path());
    tmp.persist(path).map_err(|e| e.error)?;
    sync_folder(dir);
    Ok(())
}

/// A test-only pause between the flushed temporary file and the rename:
/// `REPLY_TEST_PAUSE_BEFORE_RENAME` names a file the process creates, then
/// waits for it to disappear, so a test can kill it exactly there.
fn before_rename(tmp: &Path) {
    if let Some(marker) = crate::util::test_hooks::pause_before_rename() {
        let _ = std::fs::write(&marker, tmp.as_os_str().as_encoded_bytes());
        while marker.exists() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Flushes a folder's entries (a rename in it) to disk, where that is possible.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Writes `bytes` to `path` atomically: a reader sees the old file or the new
/// one, never a part. The temporary file is removed when anything fails. Not
/// flushed to disk: for files `reply` can always make again (the cache).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy()),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes a new file at `path` with `bytes`, atomically and without ever
/// replacing one that is there: `Ok(false)` when `path` exists. The text is
/// written to a temporary file first and linked into place only once complete,
/// so a failed write (disk full) never leaves a truncated file behind.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    let tmp = dir.join(format!(
        ".{}.{}.new",
        path.file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy()),
        std::process::id()
    ));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let linked = written.and_then(|()| match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        // A file system without hard links: an exclusive create, then the text.
        Err(_) => match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(mut f) => f
                .write_all(bytes)
                .and_then(|()| f.sync_all())
                .map(|()| true)
                .inspect_err(|_| {
                    let _ = std::fs::remove_file(path);
                }),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        },
    });
    let _ = std::fs::remove_file(&tmp);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.toml");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_text(&fifo).unwrap_err();
        assert!(e.to_string().contains("a named pipe"), "{e}");
        assert!(read_text(dir.path()).is_err());
    }

    #[test]
    fn a_file_over_the_bound_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'a'; 2048]).unwrap();
        assert!(
            read_regular(&p, 1024)
                .unwrap_err()
                .to_string()
                .contains("larger")
        );
        assert_eq!(read_regular(&p, 4096).unwrap().len(), 2048);
    }

    #[test]
    fn write_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/a.toml");
        assert!(write_new(&p, b"one").unwrap());
        assert!(!write_new(&p, b"two").unwrap());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        // No temporary file is left beside it.
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn replace_keeps_permissions_and_leaves_no_temporary() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("orders.toml");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A new file, in a folder made for it.
        replace(&dir.path().join("sub/new.toml"), b"x").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/new.toml")).unwrap(),
            "x"
        );
    }

    #[test]
    fn write_atomic_replaces_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
