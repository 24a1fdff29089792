//! Runs reply with a pseudo-terminal as its controlling terminal, to capture what it writes to
//! /dev/tty (OSC 52) and to see what a person at a terminal sees.

use std::fs;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};

use super::run_spawned;

pub struct PtyRun {
    pub output: Output,
    pub terminal: Vec<u8>,
}

/// Runs reply with a new pseudo-terminal as its controlling terminal (/dev/tty) and stdin;
/// stdout and stderr stay pipes. Returns what reply wrote to the terminal.
pub fn run_on_pty(cmd: Command) -> PtyRun {
    run_on_pty_with(cmd, false)
}

/// Same, with stdout on the terminal too when `stdout_on_terminal`.
pub fn run_on_pty_with(cmd: Command, stdout_on_terminal: bool) -> PtyRun {
    let (mut master, slave) = {
        let mut m: libc::c_int = -1;
        let mut s: libc::c_int = -1;
        // SAFETY: openpty fills two descriptors.
        let r = unsafe {
            libc::openpty(
                &mut m,
                &mut s,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
        // openpty's descriptors are inheritable: keep them out of processes other tests start.
        for fd in [m, s] {
            // SAFETY: fcntl on descriptors just opened.
            unsafe {
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
            }
        }
        // SAFETY: fresh descriptors owned from here on.
        unsafe {
            (
                fs::File::from(OwnedFd::from_raw_fd(m)),
                OwnedFd::from_raw_fd(s),
            )
        }
    };
    let mut cmd = cmd;
    cmd.stdin(Stdio::from(slave.try_clone().expect("dup slave")))
        .stdout(if stdout_on_terminal {
            Stdio::from(slave.try_clone().expect("dup slave"))
        } else {
            Stdio::piped()
        })
        .stderr(Stdio::piped());
    // SAFETY: setsid and ioctl are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn().expect("spawn on pty");
    // Only reply may keep the terminal open: the Command holds a copy of the slave too.
    drop(cmd);
    drop(slave);
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        // EIO once every slave descriptor is closed.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        got
    });
    let output = run_spawned(child);
    let terminal = reader.join().expect("pty reader");
    PtyRun { output, terminal }
}
