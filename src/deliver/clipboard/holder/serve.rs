//! The holder side: reads the text, takes the clipboard, confirms it owns it,
//! answers "ready", then serves pastes until another program takes the
//! clipboard or the display goes away.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use arboard::SetExtLinux;

use super::*;
use crate::deliver::clipboard::{ClipboardEnv, Method};

pub(in crate::deliver::clipboard) fn holder_main(env: &ClipboardEnv) -> ExitCode {
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
    match serve(text, &mut out, env) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&mut out, &e),
    }
}

fn fail(out: &mut io::Stdout, message: &str) -> ExitCode {
    let mut bytes = vec![FAILED];
    bytes.extend_from_slice(message.as_bytes());
    let _ = out.write_all(&bytes).and_then(|()| out.flush());
    ExitCode::FAILURE
}

/// Which backend arboard will use: Wayland data-control when the compositor offers it (the
/// same probe arboard makes), X11 otherwise.
fn backend(env: &ClipboardEnv) -> (Method, Option<String>) {
    if env.wayland_display.is_some() {
        match wl_clipboard_rs::utils::is_primary_selection_supported() {
            Ok(_) => return (Method::Wayland, None),
            Err(e) => return (Method::X11, Some(format!("Wayland: {e}"))),
        }
    }
    (Method::X11, None)
}

fn serve(text: String, out: &mut io::Stdout, env: &ClipboardEnv) -> Result<(), String> {
    let (method, wayland_failure) = backend(env);
    let describe = |e: arboard::Error| match &wayland_failure {
        Some(w) => format!("{w}; {method}: {e}"),
        None => format!("{method}: {e}"),
    };
    if method == Method::X11 && env.display.is_none() {
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
