//! The parent side: starts the holder with the text, waits until it owns the
//! clipboard, then ends the previous holder (only then, so the clipboard is
//! never empty in between).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;
use crate::deliver::clipboard::{ClipboardEnv, HOLDER_ARG, Method};

/// Starts a holder with `text` and returns once it owns the clipboard.
pub(in crate::deliver::clipboard) fn copy_via_holder(
    text: &str,
    env: &ClipboardEnv,
) -> Result<Method, String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find reply's own executable to start the holder: {e}"))?;
    let state = StateDir::open(env);
    // Concurrent copies take turns, so the pid file always names the last holder.
    let _lock = state.as_ref().and_then(StateDir::lock);

    let mut child = Command::new(&exe)
        .arg(HOLDER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .current_dir("/")
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the clipboard holder {}: {e}", exe.display()))?;

    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let (answer, written) = std::thread::scope(|s| {
        let writer = std::thread::Builder::new().spawn_scoped(s, move || match stdin {
            Some(mut stdin) => stdin.write_all(&frame(text)),
            None => Err(io::Error::other("no pipe to the holder")),
        });
        let Ok(writer) = writer else {
            // (The holder then sees no text and refuses it.)
            let no_thread = NotReady::Other("cannot start a thread to feed the holder".into());
            return (Err(no_thread), Ok(()));
        };
        let answer = match stdout {
            Some(stdout) => read_answer(stdout, Instant::now() + READY_TIMEOUT),
            None => Err(NotReady::Other("no pipe from the holder".to_string())),
        };
        if answer.is_err() {
            // Unblocks the writer if the holder stopped reading.
            let _ = child.kill();
        }
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer thread failed")));
        (answer, written)
    });

    let method = match (answer, written) {
        (Ok(method), Ok(())) => method,
        (answer, written) => {
            let _ = child.kill();
            let status = child.wait();
            return Err(match answer {
                // The holder's own words say it all.
                Err(NotReady::Said(message)) => message,
                Err(NotReady::Exited) => {
                    let mut msg =
                        "the clipboard holder exited without taking the clipboard".to_string();
                    if let Ok(status) = status {
                        msg.push_str(&format!(" ({status})"));
                    }
                    if let Err(e) = written {
                        msg.push_str(&format!("; writing the text to it: {e}"));
                    }
                    msg
                }
                Err(NotReady::Other(message)) => message,
                Ok(_) => "the clipboard holder answered before reading the whole text".into(),
            });
        }
    };

    let pid = child.id();
    // Reap the holder whenever it exits while this process lives; after this process exits,
    // init (or a subreaper) does. (Should no thread be had, it is reaped only then.)
    let _ = std::thread::Builder::new().spawn(move || {
        let _ = child.wait();
    });

    if let Some(state) = &state {
        if let Some(previous) = state.read_pid()
            && previous != pid
        {
            end_previous(previous);
        }
        state.write_pid(pid);
    }
    Ok(method)
}

/// Why the holder did not answer "ready".
enum NotReady {
    /// It reported this error.
    Said(String),
    /// It closed its stdout without a word.
    Exited,
    Other(String),
}

/// Reads the holder's one-byte answer (or its error message) before `deadline`.
fn read_answer(mut stdout: ChildStdout, deadline: Instant) -> Result<Method, NotReady> {
    let mut first = [0u8; 1];
    match read_before(&mut stdout, &mut first, deadline) {
        Ok(0) => Err(NotReady::Exited),
        Ok(_) => match first[0] {
            READY_X11 => Ok(Method::X11),
            READY_WAYLAND => Ok(Method::Wayland),
            FAILED => {
                let mut message = Vec::new();
                let mut buf = [0u8; 1024];
                let until = Instant::now() + Duration::from_secs(1);
                while let Ok(n) = read_before(&mut stdout, &mut buf, until) {
                    if n == 0 || message.len() > 8192 {
                        break;
                    }
                    message.extend_from_slice(&buf[..n]);
                }
                let message = String::from_utf8_lossy(&message).trim().to_string();
                Err(NotReady::Said(message))
            }
            other => Err(NotReady::Other(format!(
                "the clipboard holder gave an unexpected answer (byte {other})"
            ))),
        },
        Err(e) if e.kind() == io::ErrorKind::TimedOut => Err(NotReady::Other(format!(
            "the clipboard holder did not take the clipboard within {} s; it was stopped",
            READY_TIMEOUT.as_secs()
        ))),
        Err(e) => Err(NotReady::Other(format!(
            "cannot read the clipboard holder's answer: {e}"
        ))),
    }
}

/// `read` that gives up with `TimedOut` at `deadline`.
fn read_before(r: &mut ChildStdout, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        let mut pfd = libc::pollfd {
            fd: r.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(left.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if n > 0 {
            match r.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
}

/// Ends the previous holder: it normally exits by itself on losing the clipboard to the new
/// one; if it does not (it served another display, or hangs), SIGTERM.
fn end_previous(pid: u32) {
    if !is_live_holder(pid) || wait_gone(pid, PREVIOUS_GRACE) {
        return;
    }
    let Ok(raw) = libc::pid_t::try_from(pid) else {
        return;
    };
    // Checked again right before signalling, so that a recycled pid is never hit.
    if is_live_holder(pid) {
        // SAFETY: plain kill(2).
        unsafe {
            libc::kill(raw, libc::SIGTERM);
        }
        wait_gone(pid, PREVIOUS_TERM_WAIT);
    }
}

fn wait_gone(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if !is_live_holder(pid) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// True if `pid` is a running (not zombie) clipboard holder of ours.
fn is_live_holder(pid: u32) -> bool {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let Ok(cmdline) = fs::read(proc_dir.join("cmdline")) else {
        return false;
    };
    // argv[1] is the hidden argument; a zombie has an empty cmdline.
    let is_holder = cmdline
        .split(|b| *b == 0)
        .nth(1)
        .is_some_and(|arg| arg == HOLDER_ARG.as_bytes());
    let owned = fs::metadata(&proc_dir).is_ok_and(|m| m.uid() == current_uid());
    is_holder && owned && !is_zombie(&proc_dir)
}

fn is_zombie(proc_dir: &Path) -> bool {
    let Ok(stat) = fs::read_to_string(proc_dir.join("stat")) else {
        return true;
    };
    // "pid (comm) S ..." where comm may contain anything, so look after the last ')'.
    stat.rfind(')')
        .and_then(|i| stat[i + 1..].split_whitespace().next())
        .is_none_or(|state| state == "Z" || state == "X")
}

fn current_uid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

/// Where the pid file of the current holder lives: per user, private.
struct StateDir(PathBuf);

impl StateDir {
    fn open(env: &ClipboardEnv) -> Option<StateDir> {
        let dir = match &env.runtime_dir {
            Some(runtime) if runtime.is_absolute() && runtime.is_dir() => runtime.join("reply"),
            _ => env.temp_dir.join(format!("reply-{}", current_uid())),
        };
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
        // Never follow a symlink or use somebody else's directory.
        let meta = fs::symlink_metadata(&dir).ok()?;
        (meta.is_dir() && meta.uid() == current_uid()).then_some(StateDir(dir))
    }

    /// An exclusive lock held while copying; None if it cannot be had in time.
    fn lock(&self) -> Option<File> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(self.0.join(LOCK_FILE))
            .ok()?;
        let deadline = Instant::now() + LOCK_TIMEOUT;
        loop {
            // SAFETY: flock on a descriptor we own; released when the file is closed.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Some(file);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn read_pid(&self) -> Option<u32> {
        fs::read_to_string(self.0.join(PID_FILE))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    fn write_pid(&self, pid: u32) {
        let tmp = self.0.join(format!("{PID_FILE}.{}", std::process::id()));
        let written = OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| writeln!(f, "{pid}"));
        if written.is_err() || fs::rename(&tmp, self.0.join(PID_FILE)).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_is_not_a_holder() {
        assert!(!is_live_holder(std::process::id()));
        assert!(!is_live_holder(u32::MAX));
    }

    #[test]
    fn zombie_detection_reads_after_comm() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("stat"), "42 (we) ird) Z 1 2 3").expect("write");
        assert!(is_zombie(dir.path()));
        fs::write(dir.path().join("stat"), "42 (a Z b) S 1 2 3").expect("write");
        assert!(!is_zombie(dir.path()));
    }
}
