//! Clipboard integration tests: `reply` runs as a real process; the clipboard is read back by
//! another program (xclip, wl-paste) only after `reply` has exited.
//!
//! Each test gets its own sandbox (the suite's hermetic one, plus a tag in the environment that
//! lets it find its own holder processes in /proc) and, where it needs one, its own Xvfb on a
//! free display. The test process makes itself a child subreaper, so orphaned holders become its
//! children and it can check that they exited and reap them: no process of ours is left when a
//! test ends. A test that needs a program that is missing skips or fails by the suite's one rule
//! (`support::require`). One module per way of copying.

mod command;
mod holder;
mod osc52;
mod pty;
mod wayland;
mod x11;

use std::cell::RefCell;
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use reply::deliver::clipboard::HOLDER_ARG;

use crate::support;

/// A message with accents, emoji (with modifiers and ZWJ), right-to-left text and a tab.
const HELLO: &str = "Hola Ana, ¿qué tal? 😀 Ñandú, crème brûlée — «vale»\n\
مرحبا بك في متجرنا — שלום וברכה\n\
Línea con tabulador:\tfin\n\
👩🏽\u{200d}💻 🇪🇸 ¡Gracias!";
/// Windows line breaks and an empty line, kept as they are.
const CRLF: &str = "Primera línea\r\nSegunda línea\r\n\r\nTercera 🚀";
const SECOND: &str = "Segundo mensaje ✅ — ünïcödé";

/// No copy may take longer; a hang fails the test instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(30);

fn library_toml() -> String {
    format!(
        "[hello]\ntitle = \"Hi\"\nbody = \"\"\"\n{HELLO}\n\n\"\"\"\n\n\
         [crlf]\ntitle = \"CRLF\"\nbody = \"  Primera línea\\r\\nSegunda línea\\r\\n\\r\\nTercera 🚀\\n\"\n\n\
         [second]\ntitle = \"Second\"\nbody = \"\"\"\n{SECOND}\n\"\"\"\n"
    )
    .replace('\t', "\\t")
}

/// About 200 KB: more than one X11 request, so the transfer goes through INCR.
fn big_text() -> String {
    let line = "Línea larga con acentos áéíóú, emoji 😀🎉 y texto עברית ✓\n";
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 200_000 {
        s.push_str(&format!("{i:05} {line}"));
        i += 1;
    }
    s.trim().to_string()
}

/// Adds the reply `big` with `text` as its body to the sandbox library.
fn add_big_reply(sandbox: &Sandbox, text: &str) {
    sandbox.base.library_file(
        "big.toml",
        &format!(
            "[big]\ntitle = \"Big\"\nbody = {}\n",
            toml::Value::String(text.to_string())
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Sandbox, processes
// ---------------------------------------------------------------------------------------------

fn become_subreaper() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: prctl with integer arguments.
        let r = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
        assert_eq!(r, 0, "prctl(PR_SET_CHILD_SUBREAPER)");
    });
}

/// The suite's sandbox, plus what it takes to follow the holder processes reply leaves.
struct Sandbox {
    base: support::Sandbox,
    tag: String,
    seen: RefCell<Vec<u32>>,
}

impl Sandbox {
    fn new() -> Sandbox {
        become_subreaper();
        let base = support::Sandbox::with_prefix("reply-clip-");
        base.library_file("replies.toml", &library_toml());
        let tag = base
            .root()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .expect("name");
        Sandbox {
            base,
            tag,
            seen: Default::default(),
        }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.base.path(sub)
    }

    /// `reply --library LIB render ID ARGS...` in the sandbox environment (no DISPLAY, no TTY
    /// variables) plus `env`.
    fn reply(&self, id: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(support::bin());
        cmd.arg("--library")
            .arg(self.base.lib())
            .arg("render")
            .arg(id)
            .args(args);
        self.hermetic(&mut cmd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// The sandbox environment, and the tag that marks the holders started from it.
    fn hermetic(&self, cmd: &mut Command) {
        self.base.apply_env(cmd);
        cmd.env("REPLY_TEST_TAG", &self.tag);
    }

    /// Writes a config file, for `REPLY_CONFIG`.
    fn write_config(&self, content: &str) -> String {
        self.base
            .write("config/reply.toml", content)
            .to_string_lossy()
            .into_owned()
    }

    /// Runs reply (see [`run`]) and notes the holder it left, if any, so that the test can
    /// check later that it exited (and reap it: it is adopted by this process).
    fn run(&self, cmd: Command) -> Output {
        let o = run(cmd);
        self.holders();
        o
    }

    /// Live holder processes started from this sandbox (each one is noted as seen).
    fn holders(&self) -> Vec<u32> {
        let mut found = Vec::new();
        let Ok(entries) = fs::read_dir("/proc") else {
            return found;
        };
        let marker = format!("REPLY_TEST_TAG={}", self.tag);
        for e in entries.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(cmdline) = fs::read(e.path().join("cmdline")) else {
                continue;
            };
            if cmdline.split(|b| *b == 0).nth(1) != Some(HOLDER_ARG.as_bytes()) {
                continue;
            }
            let Ok(environ) = fs::read(e.path().join("environ")) else {
                continue;
            };
            if environ.split(|b| *b == 0).any(|v| v == marker.as_bytes()) && !is_zombie(pid) {
                found.push(pid);
            }
        }
        let mut seen = self.seen.borrow_mut();
        for pid in &found {
            if !seen.contains(pid) {
                seen.push(*pid);
            }
        }
        found
    }

    /// The one holder that must be running now.
    fn the_holder(&self) -> u32 {
        let h = self.holders();
        assert_eq!(h.len(), 1, "expected exactly one holder, found {h:?}");
        // The text is passed on stdin, never on the command line.
        let cmdline = fs::read(format!("/proc/{}/cmdline", h[0])).unwrap_or_default();
        let args: Vec<&[u8]> = cmdline
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .collect();
        assert_eq!(
            args.len(),
            2,
            "holder argv: {:?}",
            String::from_utf8_lossy(&cmdline)
        );
        assert_eq!(args[1], HOLDER_ARG.as_bytes());
        // Its working directory is "/".
        assert_eq!(
            fs::read_link(format!("/proc/{}/cwd", h[0])).ok(),
            Some(PathBuf::from("/"))
        );
        h[0]
    }

    /// No holder of ours is running, and every one seen has exited and been reaped.
    fn assert_no_process_left(&self) {
        let live = self.holders();
        assert!(live.is_empty(), "holders still running: {live:?}");
        for pid in self.seen.borrow().iter() {
            assert!(
                wait_exit(*pid, Duration::from_secs(5)),
                "holder {pid} did not exit"
            );
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Safety net for failing tests: never leave a holder behind.
        for pid in self.holders() {
            // SAFETY: kill(2) on a process this test started.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
            }
        }
        for pid in self.seen.borrow().iter() {
            wait_exit(*pid, Duration::from_secs(2));
        }
    }
}

fn proc_stat(pid: u32) -> Option<(char, u32)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((state, ppid))
}

fn is_zombie(pid: u32) -> bool {
    matches!(proc_stat(pid), Some(('Z' | 'X', _)))
}

/// Waits until `pid` has exited; reaps it if it is our (adopted) child. True when gone.
fn wait_exit(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        match proc_stat(pid) {
            None => return true,
            Some(('Z' | 'X', ppid)) => {
                if ppid == std::process::id() {
                    let mut status = 0;
                    // SAFETY: waitpid on one specific child.
                    unsafe {
                        libc::waitpid(pid as libc::pid_t, &mut status, 0);
                    }
                }
                return true;
            }
            Some(_) => {}
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `cmd` to completion (at most 30 s) with stdout and stderr captured.
fn run(mut cmd: Command) -> Output {
    cmd.stdin(Stdio::null());
    run_spawned(
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn"),
    )
}

/// Waits for a spawned reply. The streams are read to their end, so a holder that kept
/// reply's pipes open would show up here as a hang, then a failure.
fn run_spawned(child: std::process::Child) -> Output {
    support::wait_with_deadline(child, TIMEOUT)
        .unwrap_or_else(|partial| panic!("reply did not exit within 30 s\n{partial}"))
}

fn stderr_of(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_copied(o: &Output, text: &str, method: &str) {
    let err = stderr_of(o);
    assert!(o.status.success(), "reply failed: {:?}\n{err}", o.status);
    let want = format!(
        "Copied {} characters to the clipboard ({method})",
        text.chars().count()
    );
    assert!(err.contains(&want), "stderr {err:?} lacks {want:?}");
}

/// Runs reply in a new session without a controlling terminal.
fn without_terminal(mut cmd: Command) -> Command {
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}
