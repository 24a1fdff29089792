//! An exclusive lock held while writing a file other processes also write
//! (a library file, the config, the usage log): a lock file beside it, locked
//! with the operating system's advisory lock, so a process that dies releases
//! it. Waits a bounded time, then says who may hold it.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Held while it lives; dropping it releases the lock.
pub struct Lock {
    _file: File,
    pub path: PathBuf,
}

impl Lock {
    /// Takes the exclusive lock on `path` (the lock file, created if needed),
    /// waiting at most `timeout` for another holder to let go.
    pub fn exclusive(path: &Path, timeout: Duration) -> io::Result<Lock> {
        Lock::take(path, timeout, false)
    }

    /// Takes the lock shared with other shared holders (appending to the
    /// usage log), which an exclusive holder (compacting it) excludes.
    pub fn shared(path: &Path, timeout: Duration) -> io::Result<Lock> {
        Lock::take(path, timeout, true)
    }

    fn take(path: &Path, timeout: Duration, shared: bool) -> io::Result<Lock> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        let deadline = Instant::now() + timeout;
        loop {
            let tried = if shared {
                file.try_lock_shared()
            } else {
                file.try_lock()
            };
            match tried {
                Ok(()) => {
                    return Ok(Lock {
                        _file: file,
                        path: path.to_path_buf(),
                    });
                }
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        format!(
                            "{} is locked by another reply process for more than {} s",
                            path.display(),
                            timeout.as_secs()
                        ),
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }
}

/// The lock file that guards `file`: `.NAME.lock` beside it (hidden, so a
/// library scan never reads it).
pub fn beside(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    file.with_file_name(format!(".{name}.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".x.lock");
        let first = Lock::exclusive(&p, Duration::from_secs(1)).unwrap();
        let e = Lock::exclusive(&p, Duration::from_millis(50))
            .err()
            .unwrap();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        drop(first);
        assert!(Lock::exclusive(&p, Duration::from_millis(50)).is_ok());
    }

    #[test]
    fn shared_holders_exclude_only_an_exclusive_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".x.lock");
        let a = Lock::shared(&p, Duration::from_secs(1)).unwrap();
        let b = Lock::shared(&p, Duration::from_millis(50)).unwrap();
        assert!(Lock::exclusive(&p, Duration::from_millis(50)).is_err());
        drop((a, b));
        let x = Lock::exclusive(&p, Duration::from_millis(50)).unwrap();
        assert!(Lock::shared(&p, Duration::from_millis(50)).is_err());
        drop(x);
    }

    #[test]
    fn the_lock_file_is_hidden_beside_the_file() {
        assert_eq!(
            beside(Path::new("/lib/orders.toml")),
            PathBuf::from("/lib/.orders.toml.lock")
        );
    }
}
