//! The holder process itself, on X11: what it must not keep from reply, a text that does not
//! arrive whole, and at most one holder even across displays.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use reply::deliver::clipboard::HOLDER_ARG;

use super::x11::{Xvfb, finish_x11};
use super::*;

#[test]
fn holder_keeps_no_descriptor_inherited_by_reply() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    // A pipe whose write end reply inherits as descriptor 7 (as from `reply ... 7>&1` in a
    // script whose caller reads until EOF).
    let (read_end, write_end) = std::io::pipe().expect("pipe");
    let mut cmd = sandbox.reply("hello", &["--copy"], &x.env());
    let fd = std::os::fd::AsRawFd::as_raw_fd(&write_end);
    // SAFETY: dup2 is async-signal-safe; the copy on 7 is inheritable.
    unsafe {
        cmd.pre_exec(move || {
            if libc::dup2(fd, 7) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = sandbox.run(cmd);
    drop(write_end);
    assert_copied(&o, HELLO, "X11");
    sandbox.the_holder();
    // reply has exited and the holder runs: the reader must see EOF now.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut read_end = read_end;
        let mut v = Vec::new();
        let _ = tx.send(read_end.read_to_end(&mut v).map(|_| v));
    });
    let eof = rx.recv_timeout(Duration::from_secs(5));
    finish_x11(&sandbox, &x);
    assert!(
        matches!(eof, Ok(Ok(_))),
        "the holder kept an inherited descriptor open"
    );
}

#[test]
fn holder_refuses_a_text_cut_short() {
    // As if reply were killed while writing: the header announces more than arrives.
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let mut cmd = Command::new(crate::support::bin());
    cmd.arg(HOLDER_ARG);
    sandbox.hermetic(&mut cmd);
    cmd.env("DISPLAY", &x.display);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("holder");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("40\nHola, ¿qué".as_bytes())
        .expect("write");
    let o = run_spawned(child);
    assert!(!o.status.success());
    let answer = String::from_utf8_lossy(&o.stdout);
    assert!(
        answer.starts_with('E') && answer.contains("did not arrive whole"),
        "{answer}"
    );
    assert!(
        x.clipboard_is_empty(&sandbox),
        "a cut text reached the clipboard"
    );
    sandbox.assert_no_process_left();
}

#[test]
fn at_most_one_holder_even_across_displays() {
    let sandbox = Sandbox::new();
    let Some(a) = Xvfb::start() else {
        return;
    };
    let Some(b) = Xvfb::start() else {
        return;
    };
    let o = sandbox.run(sandbox.reply("hello", &["--copy"], &a.env()));
    assert_copied(&o, HELLO, "X11");
    let on_a = sandbox.the_holder();
    // A copy on another display does not take A's clipboard, so the holder on A would live on:
    // the new copy ends it (after its own holder owns B's clipboard).
    let o = sandbox.run(sandbox.reply("second", &["--copy"], &b.env()));
    assert_copied(&o, SECOND, "X11");
    assert!(
        wait_exit(on_a, Duration::from_millis(0)),
        "the holder on the first display is still running"
    );
    sandbox.the_holder();
    assert_eq!(b.read_clipboard(&sandbox), SECOND.as_bytes());
    finish_x11(&sandbox, &b);
}
