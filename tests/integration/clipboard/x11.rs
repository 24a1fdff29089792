//! X11 through Xvfb, read back with xclip: the text outlives reply, a new copy (by reply or
//! by another program) ends the holder, nothing is lost on the way, and the output modes.

use std::io::{Read, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::pty::run_on_pty_with;
use super::*;
use crate::support::require_all;

pub(super) struct Xvfb {
    child: Child,
    pub(super) display: String,
}

impl Xvfb {
    /// Starts Xvfb on a free display, or None where Xvfb or xclip is missing and the test
    /// skips (see `support::require`).
    pub(super) fn start() -> Option<Xvfb> {
        if !require_all(&["Xvfb", "xclip"]) {
            return None;
        }
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "640x480x24",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        // Xvfb writes the display number once it accepts connections.
        let mut out = child.stdout.take().expect("Xvfb stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = Vec::new();
            let mut b = [0u8; 1];
            while let Ok(1) = out.read(&mut b) {
                if b[0] == b'\n' {
                    break;
                }
                line.push(b[0]);
            }
            let _ = tx.send(String::from_utf8_lossy(&line).trim().to_string());
        });
        let number = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        if number.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Xvfb did not start");
        }
        Some(Xvfb {
            child,
            display: format!(":{number}"),
        })
    }

    pub(super) fn env(&self) -> [(&str, &str); 1] {
        [("DISPLAY", self.display.as_str())]
    }

    /// The CLIPBOARD selection as bytes, read by xclip (another program).
    pub(super) fn read_clipboard(&self, sandbox: &Sandbox) -> Vec<u8> {
        let mut cmd = Command::new("xclip");
        cmd.args(["-o", "-selection", "clipboard"]);
        sandbox.hermetic(&mut cmd);
        cmd.env("DISPLAY", &self.display);
        let o = run(cmd);
        assert!(
            o.status.success(),
            "xclip -o failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    }

    pub(super) fn clipboard_is_empty(&self, sandbox: &Sandbox) -> bool {
        let mut cmd = Command::new("xclip");
        cmd.args(["-o", "-selection", "clipboard"]);
        sandbox.hermetic(&mut cmd);
        cmd.env("DISPLAY", &self.display);
        let o = run(cmd);
        !o.status.success() || o.stdout.is_empty()
    }

    /// xclip takes the clipboard (in the foreground, so the test can end it).
    pub(super) fn xclip_copy(&self, sandbox: &Sandbox, text: &str) -> Child {
        let mut cmd = Command::new("xclip");
        cmd.args(["-selection", "clipboard", "-quiet", "-i"]);
        sandbox.hermetic(&mut cmd);
        cmd.env("DISPLAY", &self.display);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("xclip");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write to xclip");
        child
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Ends the holder the way a user would (another program copies) and checks nothing is left.
pub(super) fn finish_x11(sandbox: &Sandbox, x: &Xvfb) {
    let mut xclip = x.xclip_copy(sandbox, "bye");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !sandbox.holders().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    sandbox.assert_no_process_left();
    let _ = xclip.kill();
    let _ = xclip.wait();
}

#[test]
fn x11_copy_outlives_reply_byte_for_byte() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let o = sandbox.run(sandbox.reply("hello", &["--copy"], &x.env()));
    assert_copied(&o, HELLO, "X11");
    assert!(o.stdout.is_empty(), "--copy printed to stdout");
    // reply has exited; its holder serves the paste.
    sandbox.the_holder();
    assert_eq!(x.read_clipboard(&sandbox), HELLO.as_bytes());
    // Pasting again works as well (the holder serves until replaced).
    assert_eq!(x.read_clipboard(&sandbox), HELLO.as_bytes());
    // Closing the terminal reply ran in (SIGHUP) does not end the holder.
    let holder = sandbox.the_holder();
    // SAFETY: kill(2) on our own holder.
    unsafe {
        libc::kill(holder as libc::pid_t, libc::SIGHUP);
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(sandbox.the_holder(), holder, "SIGHUP ended the holder");
    assert_eq!(x.read_clipboard(&sandbox), HELLO.as_bytes());
    finish_x11(&sandbox, &x);
}

#[test]
fn x11_line_breaks_and_large_text_unchanged() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let o = sandbox.run(sandbox.reply("crlf", &["--copy"], &x.env()));
    assert_copied(&o, CRLF, "X11");
    assert_eq!(x.read_clipboard(&sandbox), CRLF.as_bytes());

    let big = big_text();
    add_big_reply(&sandbox, &big);
    let o = sandbox.run(sandbox.reply("big", &["--copy"], &x.env()));
    assert_copied(&o, &big, "X11");
    let got = x.read_clipboard(&sandbox);
    assert_eq!(got.len(), big.len());
    assert!(got == big.as_bytes(), "large text differs");
    finish_x11(&sandbox, &x);
}

#[test]
fn x11_second_copy_replaces_first_and_ends_first_holder() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let o = sandbox.run(sandbox.reply("hello", &["--copy"], &x.env()));
    assert_copied(&o, HELLO, "X11");
    let first = sandbox.the_holder();

    let o = sandbox.run(sandbox.reply("second", &["--copy"], &x.env()));
    assert_copied(&o, SECOND, "X11");
    // When the second reply has returned, the first holder is already gone.
    assert!(
        wait_exit(first, Duration::from_millis(0)),
        "first holder {first} still running after the second copy"
    );
    let second = sandbox.the_holder();
    assert_ne!(first, second);
    assert_eq!(x.read_clipboard(&sandbox), SECOND.as_bytes());

    // Copying the same text again also leaves exactly one holder.
    let o = sandbox.run(sandbox.reply("second", &["--copy"], &x.env()));
    assert_copied(&o, SECOND, "X11");
    assert!(wait_exit(second, Duration::from_millis(0)));
    sandbox.the_holder();
    assert_eq!(x.read_clipboard(&sandbox), SECOND.as_bytes());
    finish_x11(&sandbox, &x);
}

#[test]
fn x11_copy_by_another_program_ends_holder() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let o = sandbox.run(sandbox.reply("hello", &["--copy"], &x.env()));
    assert_copied(&o, HELLO, "X11");
    let holder = sandbox.the_holder();

    let mut xclip = x.xclip_copy(&sandbox, "copiado por xclip");
    assert!(
        wait_exit(holder, Duration::from_secs(5)),
        "holder did not exit when xclip took the clipboard"
    );
    assert_eq!(x.read_clipboard(&sandbox), b"copiado por xclip");
    sandbox.assert_no_process_left();
    let _ = xclip.kill();
    let _ = xclip.wait();
}

#[test]
fn x11_holder_exits_when_the_display_goes_away() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let o = sandbox.run(sandbox.reply("hello", &["--copy"], &x.env()));
    assert_copied(&o, HELLO, "X11");
    let holder = sandbox.the_holder();
    drop(x);
    assert!(
        wait_exit(holder, Duration::from_secs(8)),
        "holder outlived its X server"
    );
    sandbox.assert_no_process_left();
}

#[test]
fn output_modes_choose_between_printing_and_copying() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let printed = |o: &Output| {
        String::from_utf8_lossy(&o.stdout)
            .trim_end_matches('\n')
            .to_string()
    };

    // --print and auto with stdout piped: print only, the clipboard is not touched.
    for args in [
        &["--print"][..],
        &[][..],
        &["--output", "auto"][..],
        &["--output", "print"][..],
    ] {
        let o = sandbox.run(sandbox.reply("hello", args, &x.env()));
        assert!(o.status.success(), "{args:?}: {}", stderr_of(&o));
        assert_eq!(printed(&o), HELLO, "{args:?}");
        assert!(!stderr_of(&o).contains("Copied"), "{args:?}");
        assert!(sandbox.holders().is_empty(), "{args:?} started a holder");
        assert!(
            x.clipboard_is_empty(&sandbox),
            "{args:?} touched the clipboard"
        );
    }

    // --output both: copied and printed.
    let o = sandbox.run(sandbox.reply("crlf", &["--output", "both"], &x.env()));
    assert_copied(&o, CRLF, "X11");
    assert_eq!(printed(&o), CRLF);
    assert_eq!(x.read_clipboard(&sandbox), CRLF.as_bytes());

    // output = "copy" in the config makes a plain render copy; --print still wins.
    let config = sandbox.write_config("output = \"copy\"\n");
    let env = [
        ("DISPLAY", x.display.as_str()),
        ("REPLY_CONFIG", config.as_str()),
    ];
    let o = sandbox.run(sandbox.reply("second", &[], &env));
    assert_copied(&o, SECOND, "X11");
    assert!(o.stdout.is_empty());
    assert_eq!(x.read_clipboard(&sandbox), SECOND.as_bytes());
    let o = sandbox.run(sandbox.reply("hello", &["--print"], &env));
    assert_eq!(printed(&o), HELLO);
    assert_eq!(x.read_clipboard(&sandbox), SECOND.as_bytes());
    finish_x11(&sandbox, &x);
}

#[test]
fn output_auto_on_a_terminal_copies_and_shows_the_message() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start() else {
        return;
    };
    let r = run_on_pty_with(sandbox.reply("hello", &[], &x.env()), true);
    sandbox.holders();
    assert_copied(&r.output, HELLO, "X11");
    // The terminal turns "\n" into "\r\n" on output.
    let shown = String::from_utf8_lossy(&r.terminal).replace("\r\n", "\n");
    assert!(
        shown.contains(HELLO),
        "message not shown on the terminal: {shown:?}"
    );
    assert!(
        !shown.contains("\x1b]52"),
        "OSC 52 used although a display works"
    );
    assert_eq!(x.read_clipboard(&sandbox), HELLO.as_bytes());
    finish_x11(&sandbox, &x);
}
