//! OSC 52: the sequence reply writes to its terminal, captured through a pseudo-terminal and
//! decoded (plain, over SSH, wrapped for tmux and screen), and through real tmux and GNU screen.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

use super::pty::{run_on_pty, run_on_pty_with};
use super::*;
use crate::support::require_all;

fn b64_decode(s: &[u8]) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in s.chunks(4) {
        let digits: Vec<u32> = chunk
            .iter()
            .filter(|c| **c != b'=')
            .map(|c| val(*c))
            .collect();
        let mut n = 0u32;
        for (i, d) in digits.iter().enumerate() {
            n |= d << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..digits.len().saturating_sub(1)]);
    }
    out
}

/// Undoes the multiplexer wrapping and returns the decoded payload of the one OSC 52 sequence.
fn decode_osc52(terminal: &[u8], multiplexer: Option<&str>) -> Vec<u8> {
    let plain: Vec<u8> = match multiplexer {
        Some("tmux") => {
            // The plain sequence (for tmux's set-clipboard), then the same wrapped.
            let split = terminal
                .windows(7)
                .position(|w| w == b"\x1bPtmux;")
                .unwrap_or_else(|| panic!("not tmux-wrapped: {terminal:?}"));
            let (plain, wrapped) = terminal.split_at(split);
            let body = wrapped
                .strip_prefix(b"\x1bPtmux;")
                .and_then(|r| r.strip_suffix(b"\x1b\\"))
                .unwrap_or_else(|| panic!("not tmux-wrapped: {terminal:?}"));
            let mut out = Vec::new();
            let mut i = 0;
            while i < body.len() {
                out.push(body[i]);
                i += if body[i] == 0x1b && body.get(i + 1) == Some(&0x1b) {
                    2
                } else {
                    1
                };
            }
            assert_eq!(plain, &out[..], "plain and wrapped sequences differ");
            out
        }
        Some("screen") => {
            let mut out = Vec::new();
            let mut rest = terminal;
            while !rest.is_empty() {
                let r = rest
                    .strip_prefix(b"\x1bP")
                    .unwrap_or_else(|| panic!("not a DCS string: {rest:?}"));
                let end = r.windows(2).position(|w| w == b"\x1b\\").expect("DCS end");
                // screen drops a DCS string of 768 bytes or more.
                assert!(end < 768, "screen chunk of {end} bytes");
                out.extend_from_slice(&r[..end]);
                rest = &r[end + 2..];
            }
            out
        }
        _ => terminal.to_vec(),
    };
    let b64 = plain
        .strip_prefix(b"\x1b]52;c;")
        .and_then(|r| r.strip_suffix(b"\x07"))
        .unwrap_or_else(|| panic!("not one OSC 52 sequence: {plain:?}"));
    b64_decode(b64)
}

/// (extra args, environment, method named on stderr, multiplexer wrapping)
type Osc52Case = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    &'static str,
    Option<&'static str>,
);

#[test]
fn osc52_written_to_the_terminal_and_decoded() {
    let sandbox = Sandbox::new();
    let cases: [Osc52Case; 5] = [
        // --osc52 wins over a display (which is not even looked at).
        (&["--osc52"], &[("DISPLAY", ":399")], "OSC 52", None),
        // No display at all: OSC 52.
        (&[], &[], "OSC 52", None),
        // Over SSH: OSC 52 first, even with a (forwarded) DISPLAY.
        (
            &[],
            &[
                ("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22"),
                ("DISPLAY", ":399"),
            ],
            "OSC 52",
            None,
        ),
        // tmux: DCS pass-through, ESC doubled.
        (
            &[],
            &[
                ("TMUX", "/tmp/tmux-1000/default,1234,0"),
                ("TERM", "tmux-256color"),
            ],
            "OSC 52 via tmux",
            Some("tmux"),
        ),
        // screen: DCS chunks shorter than 768 bytes.
        (
            &[],
            &[("STY", "4242.pts-0.host"), ("TERM", "screen")],
            "OSC 52 via screen",
            Some("screen"),
        ),
    ];
    let big = big_text();
    add_big_reply(&sandbox, &big);
    for (args, env, method, mux) in cases {
        for (id, text) in [("hello", HELLO), ("crlf", CRLF), ("big", big.as_str())] {
            if id == "big" && mux != Some("screen") {
                continue;
            }
            let mut all_args = vec!["--copy"];
            all_args.extend_from_slice(args);
            let r = run_on_pty(sandbox.reply(id, &all_args, env));
            sandbox.holders();
            let err = stderr_of(&r.output);
            assert_copied(&r.output, text, method);
            assert!(r.output.stdout.is_empty(), "OSC 52 went to stdout");
            assert!(err.contains("OSC 52 was used"), "{err}");
            assert!(err.contains("terminal allows OSC 52"), "{err}");
            let got = decode_osc52(&r.terminal, mux);
            assert!(
                got == text.as_bytes(),
                "{method} {id}: decoded text differs"
            );
        }
    }
    assert!(sandbox.holders().is_empty());
    sandbox.assert_no_process_left();
}

/// Finds the decoded payload of the first OSC 52 sequence (any selection letter, BEL or ST).
fn find_osc52(terminal: &[u8]) -> Option<Vec<u8>> {
    let start = terminal.windows(4).position(|w| w == b"\x1b]52")? + 4;
    let rest = &terminal[start..];
    let rest = &rest[rest.iter().position(|b| *b == b';')? + 1..];
    let rest = &rest[rest.iter().position(|b| *b == b';')? + 1..];
    let end = rest.iter().position(|b| *b == 0x07 || *b == 0x1b)?;
    Some(b64_decode(&rest[..end]))
}

/// Reaps multiplexer servers that ended while adopted by this process (only the tests below
/// start tmux or screen).
fn reap_servers(prefixes: &[&str]) {
    let me = std::process::id();
    let Ok(entries) = fs::read_dir("/proc") else {
        return;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let comm = fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if prefixes.iter().any(|p| comm.starts_with(p))
            && matches!(proc_stat(pid), Some((_, ppid)) if ppid == me)
        {
            wait_exit(pid, Duration::from_secs(5));
        }
    }
}

/// The shell command a multiplexer runs: a pause so that its client is attached (tmux passes a
/// DCS string only to the clients attached at that moment), reply, and a pause so that the
/// output is forwarded before the window closes.
fn inner_reply(sandbox: &Sandbox, id: &str) -> String {
    format!(
        "sleep 0.5; {} --library {} render {id} --copy; sleep 0.3",
        crate::support::bin().display(),
        sandbox.base.lib().display()
    )
}

#[test]
fn osc52_reaches_the_terminal_through_a_real_tmux() {
    if !require_all(&["tmux", "sh", "sleep"]) {
        return;
    }
    let sandbox = Sandbox::new();
    // Either tmux setting lets the text through (reply sends both forms).
    for (n, setting) in ["set -g set-clipboard on", "set -g allow-passthrough on"]
        .into_iter()
        .enumerate()
    {
        let conf = sandbox.path(&format!("tmux{n}.conf"));
        fs::write(&conf, format!("{setting}\n")).expect("tmux.conf");
        let mut cmd = Command::new("tmux");
        cmd.arg("-L")
            .arg(format!("reply-test-{n}"))
            .arg("-f")
            .arg(&conf)
            .args(["new-session", &inner_reply(&sandbox, "hello")]);
        sandbox.hermetic(&mut cmd);
        cmd.env("TERM", "xterm-256color")
            .env("TMUX_TMPDIR", sandbox.path("tmp"));
        let r = run_on_pty_with(cmd, true);
        sandbox.holders();
        reap_servers(&["tmux"]);
        assert!(r.output.status.success(), "tmux: {}", stderr_of(&r.output));
        let got = find_osc52(&r.terminal)
            .unwrap_or_else(|| panic!("{setting}: no OSC 52 reached the terminal"));
        assert!(got == HELLO.as_bytes(), "{setting}: decoded text differs");
    }
    sandbox.assert_no_process_left();
}

#[test]
fn osc52_reaches_the_terminal_through_a_real_screen() {
    if !require_all(&["screen", "sh", "sleep"]) {
        return;
    }
    let sandbox = Sandbox::new();
    // Long enough for many DCS chunks.
    let big: String = big_text().lines().take(300).collect::<Vec<_>>().join("\n");
    add_big_reply(&sandbox, &big);
    let screendir = sandbox.path("screen");
    fs::create_dir(&screendir).expect("screendir");
    fs::set_permissions(&screendir, fs::Permissions::from_mode(0o700)).expect("chmod");
    for (id, text) in [("hello", HELLO), ("big", big.as_str())] {
        let mut cmd = Command::new("screen");
        cmd.args([
            "-q",
            "-c",
            "/dev/null",
            "sh",
            "-c",
            &inner_reply(&sandbox, id),
        ]);
        sandbox.hermetic(&mut cmd);
        cmd.env("TERM", "xterm-256color")
            .env("SCREENDIR", &screendir)
            .env("SHELL", "/bin/sh");
        let r = run_on_pty_with(cmd, true);
        sandbox.holders();
        reap_servers(&["screen", "SCREEN"]);
        let got = find_osc52(&r.terminal)
            .unwrap_or_else(|| panic!("{id}: no OSC 52 reached the terminal"));
        assert!(got == text.as_bytes(), "{id}: decoded text differs");
    }
    sandbox.assert_no_process_left();
}
