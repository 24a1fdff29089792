//! The detached clipboard holder for X11 and Wayland, where the clipboard content lives in the
//! process that set it.
//!
//! Parent side ([`copy_via_holder`]): re-executes the current binary with [`HOLDER_ARG`] (text on
//! its stdin, stdout a pipe for the answer, stderr null, cwd "/", its own process group), waits at
//! most [`READY_TIMEOUT`] for the answer, and then ends the previous holder recorded in the state
//! directory (`$XDG_RUNTIME_DIR/reply/`, or `$TMPDIR/reply-UID/`). The previous holder is ended
//! only AFTER the new one owns the clipboard, so the clipboard is never empty in between; usually
//! it has already exited by itself, since losing the clipboard ends a holder.
//!
//! Holder side ([`holder_main`]): reads the text, takes the clipboard, confirms that it owns it,
//! answers [`READY_X11`] or [`READY_WAYLAND`] (or [`FAILED`] and a message), then serves pastes
//! until another program takes the clipboard or the display goes away.
//!
//! Zombies: while the calling process lives, a thread of it reaps the holder when the holder
//! exits; once it has exited, the holder belongs to init (or the nearest subreaper), which reaps it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use arboard::SetExtLinux;

use super::{HOLDER_ARG, Method};

/// How long the parent waits for the holder to own the clipboard.
const READY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the holder tries to confirm that it owns the clipboard.
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(4);
/// How long the previous holder gets to exit by itself after losing the clipboard.
const PREVIOUS_GRACE: Duration = Duration::from_millis(500);
/// How long the previous holder gets to exit after SIGTERM.
const PREVIOUS_TERM_WAIT: Duration = Duration::from_secs(2);
/// How long a new copy waits for a concurrent one to finish.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an X11 holder checks that its display is still there.
const WATCHDOG: Duration = Duration::from_secs(2);

const READY_X11: u8 = b'X';
const READY_WAYLAND: u8 = b'W';
const FAILED: u8 = b'E';

const PID_FILE: &str = "clipboard-holder.pid";
const LOCK_FILE: &str = "clipboard-holder.lock";

// ---------------------------------------------------------------------------------------------
// Parent side
// ---------------------------------------------------------------------------------------------

/// Starts a holder with `text` and returns once it owns the clipboard.
pub(super) fn copy_via_holder(text: &str) -> Result<Method, String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find reply's own executable to start the holder: {e}"))?;
    let state = StateDir::open();
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
    fn open() -> Option<StateDir> {
        let dir = match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
            Some(runtime) if runtime.is_absolute() && runtime.is_dir() => runtime.join("reply"),
            _ => std::env::temp_dir().join(format!("reply-{}", current_uid())),
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

// ---------------------------------------------------------------------------------------------
// Holder side
// ---------------------------------------------------------------------------------------------

pub(super) fn holder_main() -> ExitCode {
    // The holder must outlive the terminal reply ran in.
    // SAFETY: setting a signal disposition to "ignore".
    unsafe {
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
    }
    close_inherited_descriptors();
    let mut out = io::stdout();
    let mut input = Vec::new();
    if let Err(e) = io::stdin().read_to_end(&mut input) {
        return fail(&mut out, &format!("cannot read the text: {e}"));
    }
    let text = match unframe(input) {
        Ok(text) => text,
        Err(e) => return fail(&mut out, &e),
    };
    match serve(text, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&mut out, &e),
    }
}

/// What reply writes on the holder's stdin: the length in bytes, a newline, the text. The
/// holder can then tell a complete text from one cut short (reply killed while writing).
fn frame(text: &str) -> Vec<u8> {
    let mut framed = format!("{}\n", text.len()).into_bytes();
    framed.extend_from_slice(text.as_bytes());
    framed
}

fn unframe(input: Vec<u8>) -> Result<String, String> {
    let newline = input
        .iter()
        .position(|b| *b == b'\n')
        .ok_or("the text did not arrive (no header)")?;
    let len: usize = std::str::from_utf8(&input[..newline])
        .ok()
        .and_then(|n| n.parse().ok())
        .ok_or("the text did not arrive (bad header)")?;
    let body = input[newline + 1..].to_vec();
    if body.len() != len {
        return Err(format!(
            "the text did not arrive whole ({} of {len} bytes)",
            body.len()
        ));
    }
    String::from_utf8(body).map_err(|_| "the text is not UTF-8".to_string())
}

fn fail(out: &mut io::Stdout, message: &str) -> ExitCode {
    let mut bytes = vec![FAILED];
    bytes.extend_from_slice(message.as_bytes());
    let _ = out.write_all(&bytes).and_then(|()| out.flush());
    ExitCode::FAILURE
}

/// Which backend arboard will use: Wayland data-control when the compositor offers it (the
/// same probe arboard makes), X11 otherwise.
fn backend() -> (Method, Option<String>) {
    if std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty()) {
        match wl_clipboard_rs::utils::is_primary_selection_supported() {
            Ok(_) => return (Method::Wayland, None),
            Err(e) => return (Method::X11, Some(format!("Wayland: {e}"))),
        }
    }
    (Method::X11, None)
}

fn serve(text: String, out: &mut io::Stdout) -> Result<(), String> {
    let (method, wayland_failure) = backend();
    let describe = |e: arboard::Error| match &wayland_failure {
        Some(w) => format!("{w}; {method}: {e}"),
        None => format!("{method}: {e}"),
    };
    if method == Method::X11 && std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
        // arboard would try X11 anyway and report an unreachable server: say it plainly.
        return Err(match &wayland_failure {
            Some(w) => format!("{w}; X11: DISPLAY is not set"),
            None => "X11: DISPLAY is not set".to_string(),
        });
    }
    let mut clipboard = arboard::Clipboard::new().map_err(describe)?;

    if method == Method::X11 {
        // Take the selection now, on the connection that will serve it: the ownership check
        // below then cannot be fooled by a previous owner holding the same text.
        clipboard.set_text(text.as_str()).map_err(describe)?;
    }
    // Serve until another program takes the clipboard. (On Wayland only this one data source is
    // made, so that two of ours cannot race each other at the compositor.)
    let (done_tx, done) = mpsc::channel();
    {
        let text = text.clone();
        std::thread::Builder::new()
            .spawn(move || {
                let result = arboard::Clipboard::new().and_then(|mut c| c.set().wait().text(text));
                let _ = done_tx.send(result);
            })
            .map_err(|e| format!("cannot start the serving thread: {e}"))?;
    }

    // Confirm: read the clipboard back (on X11 arboard answers from its own data only after
    // asking the server who owns the selection).
    let deadline = Instant::now() + CONFIRM_TIMEOUT;
    loop {
        match done.try_recv() {
            Ok(Err(e)) => return Err(describe(e)),
            Ok(Ok(())) | Err(mpsc::TryRecvError::Disconnected) => {
                return Err(format!(
                    "{method}: another program took the clipboard at once"
                ));
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if clipboard.get_text().is_ok_and(|t| t == text) {
            break;
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{method}: could not confirm owning the clipboard within {} s",
                CONFIRM_TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }

    let ready = if method == Method::Wayland {
        READY_WAYLAND
    } else {
        READY_X11
    };
    // If reply is gone (killed meanwhile), keep serving all the same: the clipboard holds the
    // whole text and the previous holder may already have exited.
    let _ = out.write_all(&[ready]).and_then(|()| out.flush());
    detach_stdio();

    loop {
        match done.recv_timeout(WATCHDOG) {
            Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // arboard's X11 server thread stops silently when the display goes away and the
                // waiting thread is then never woken: check ourselves. (A lost Wayland connection
                // ends the waiting thread with an error.)
                if method == Method::X11 && !clipboard.get_text().is_ok_and(|t| t == text) {
                    return Ok(());
                }
            }
        }
    }
}

/// Closes every descriptor above stderr. A long-lived holder must not keep open what reply's
/// caller left inheritable (a terminal, a pipe whose reader waits for EOF, a jobserver).
/// Runs first thing, before anything of ours is open.
fn close_inherited_descriptors() {
    let fds: Vec<libc::c_int> = match fs::read_dir("/proc/self/fd") {
        Ok(entries) => entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
            .filter(|fd| *fd > 2)
            .collect(),
        // No /proc: the usual range.
        Err(_) => (3..1024).collect(),
    };
    for fd in fds {
        // SAFETY: nothing in this process uses these descriptors (the one read_dir used is
        // already closed; closing it again only fails with EBADF).
        unsafe {
            libc::close(fd);
        }
    }
}

/// Points stdin and stdout at /dev/null, so the holder keeps no pipe to reply.
fn detach_stdio() {
    if let Ok(null) = OpenOptions::new().read(true).write(true).open("/dev/null") {
        // SAFETY: dup2 onto the standard descriptors; `null` is closed afterwards.
        unsafe {
            libc::dup2(null.as_raw_fd(), 0);
            libc::dup2(null.as_raw_fd(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_detects_a_cut_text() {
        for text in ["", "a", "Hola 😀\r\nשלום\n", "12\n34"] {
            assert_eq!(unframe(frame(text)).as_deref(), Ok(text));
        }
        let mut cut = frame("¿qué tal?");
        cut.pop();
        assert!(unframe(cut).unwrap_err().contains("did not arrive whole"));
        let mut long = frame("abc");
        long.push(b'x');
        assert!(unframe(long).is_err());
        assert!(unframe(b"abc".to_vec()).is_err());
        assert!(unframe(b"x\nabc".to_vec()).is_err());
        assert!(unframe(b"2\n\xff\xfe".to_vec()).is_err());
    }

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
