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

mod parent;
mod serve;

use std::time::Duration;

pub(super) use parent::copy_via_holder;
pub(super) use serve::holder_main;

/// How long the parent waits for the holder to own the clipboard.
pub(super) const READY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the holder tries to confirm that it owns the clipboard.
pub(super) const CONFIRM_TIMEOUT: Duration = Duration::from_secs(4);
/// How long the previous holder gets to exit by itself after losing the clipboard.
pub(super) const PREVIOUS_GRACE: Duration = Duration::from_millis(500);
/// How long the previous holder gets to exit after SIGTERM.
pub(super) const PREVIOUS_TERM_WAIT: Duration = Duration::from_secs(2);
/// How long a new copy waits for a concurrent one to finish.
pub(super) const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an X11 holder checks that its display is still there.
pub(super) const WATCHDOG: Duration = Duration::from_secs(2);

pub(super) const READY_X11: u8 = b'X';
pub(super) const READY_WAYLAND: u8 = b'W';
pub(super) const FAILED: u8 = b'E';

pub(super) const PID_FILE: &str = "clipboard-holder.pid";
pub(super) const LOCK_FILE: &str = "clipboard-holder.lock";

/// What reply writes on the holder's stdin: the length in bytes, a newline, the text. The
/// holder can then tell a complete text from one cut short (reply killed while writing).
pub(super) fn frame(text: &str) -> Vec<u8> {
    let mut framed = format!("{}\n", text.len()).into_bytes();
    framed.extend_from_slice(text.as_bytes());
    framed
}

pub(super) fn unframe(input: Vec<u8>) -> Result<String, String> {
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
}
