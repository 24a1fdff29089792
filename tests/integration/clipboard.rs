//! Clipboard integration tests: `reply` runs as a real process; the clipboard is read back by
//! another program (xclip, wl-paste) only after `reply` has exited.
//!
//! Each test gets its own sandbox (HOME, XDG_* dirs, a tag in the environment that lets it find
//! its own holder processes in /proc) and, where it needs one, its own Xvfb on a free display.
//! The test process makes itself a child subreaper, so orphaned holders become its children and
//! it can check that they exited and reap them: no process of ours is left when a test ends.
//!
//! Without Xvfb/xclip the X11 tests print "skipped: ..." and pass, except under CI=true, where
//! they fail. The Wayland test runs where sway and wl-clipboard are installed.

use std::fs;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

const HOLDER_ARG: &str = "__reply-clipboard-holder";
const EXE: &str = env!("CARGO_BIN_EXE_reply");

/// A message with accents, emoji (with modifiers and ZWJ), right-to-left text and a tab.
const HELLO: &str = "Hola Ana, ¿qué tal? 😀 Ñandú, crème brûlée — «vale»\n\
مرحبا بك في متجرنا — שלום וברכה\n\
Línea con tabulador:\tfin\n\
👩🏽\u{200d}💻 🇪🇸 ¡Gracias!";
/// Windows line breaks and an empty line, kept as they are.
const CRLF: &str = "Primera línea\r\nSegunda línea\r\n\r\nTercera 🚀";
const SECOND: &str = "Segundo mensaje ✅ — ünïcödé";

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

struct Sandbox {
    dir: tempfile::TempDir,
    tag: String,
    seen: std::cell::RefCell<Vec<u32>>,
}

impl Sandbox {
    fn new() -> Sandbox {
        become_subreaper();
        let dir = tempfile::Builder::new()
            .prefix("reply-clip-")
            .tempdir()
            .expect("tempdir");
        for sub in ["home", "run", "config", "data", "cache", "tmp", "lib"] {
            fs::create_dir(dir.path().join(sub)).expect("mkdir");
        }
        fs::set_permissions(dir.path().join("run"), fs::Permissions::from_mode(0o700))
            .expect("chmod");
        fs::write(dir.path().join("lib/replies.toml"), library_toml()).expect("library");
        let tag = dir
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .expect("name");
        Sandbox {
            dir,
            tag,
            seen: Default::default(),
        }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// `reply --library LIB render ID ARGS...` in a cleared environment (no DISPLAY, no TTY
    /// variables) plus `env`.
    fn reply(&self, id: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(EXE);
        cmd.arg("--library")
            .arg(self.path("lib"))
            .arg("render")
            .arg(id)
            .args(args);
        self.hermetic(&mut cmd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    fn hermetic(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_RUNTIME_DIR", self.path("run"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("TMPDIR", self.path("tmp"))
            .env("REPLY_TEST_TAG", &self.tag)
            .current_dir(self.dir.path());
    }

    fn write_config(&self, content: &str) -> String {
        let p = self.path("config/reply.toml");
        fs::write(&p, content).expect("config");
        p.to_string_lossy().into_owned()
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

fn run_spawned(mut child: Child) -> Output {
    let out = child.stdout.take();
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(mut out) = out {
            let _ = out.read_to_end(&mut v);
        }
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("reply did not exit within 30 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // reply has exited; its pipes must be closed too (no holder may keep them).
    Output {
        status,
        stdout: t_out.join().expect("stdout thread"),
        stderr: t_err.join().expect("stderr thread"),
    }
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

fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Straight to stderr, past the test harness's output capture, so a skip is always seen.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

// ---------------------------------------------------------------------------------------------
// X11: Xvfb and xclip
// ---------------------------------------------------------------------------------------------

struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Starts Xvfb on a free display, or None (after saying why) where it is not installed.
    fn start(test: &str) -> Option<Xvfb> {
        for program in ["Xvfb", "xclip"] {
            if find_in_path(program).is_none() {
                let why = format!(
                    "{program} not found (install the xvfb and xclip packages, see CI-NEEDS.txt)"
                );
                if on_ci() {
                    panic!("{test}: {why}; CI=true, so this is a failure");
                }
                say(&format!("skipped {test}: {why}"));
                return None;
            }
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
            panic!("{test}: Xvfb did not start");
        }
        Some(Xvfb {
            child,
            display: format!(":{number}"),
        })
    }

    fn env(&self) -> [(&str, &str); 1] {
        [("DISPLAY", self.display.as_str())]
    }

    /// The CLIPBOARD selection as bytes, read by xclip (another program).
    fn read_clipboard(&self, sandbox: &Sandbox) -> Vec<u8> {
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

    fn clipboard_is_empty(&self, sandbox: &Sandbox) -> bool {
        let mut cmd = Command::new("xclip");
        cmd.args(["-o", "-selection", "clipboard"]);
        sandbox.hermetic(&mut cmd);
        cmd.env("DISPLAY", &self.display);
        let o = run(cmd);
        !o.status.success() || o.stdout.is_empty()
    }

    /// xclip takes the clipboard (in the foreground, so the test can end it).
    fn xclip_copy(&self, sandbox: &Sandbox, text: &str) -> Child {
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
fn finish_x11(sandbox: &Sandbox, x: &Xvfb) {
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
    let Some(x) = Xvfb::start("x11_copy_outlives_reply_byte_for_byte") else {
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
    let Some(x) = Xvfb::start("x11_line_breaks_and_large_text_unchanged") else {
        return;
    };
    let o = sandbox.run(sandbox.reply("crlf", &["--copy"], &x.env()));
    assert_copied(&o, CRLF, "X11");
    assert_eq!(x.read_clipboard(&sandbox), CRLF.as_bytes());

    let big = big_text();
    let lib = format!(
        "[big]\ntitle = \"Big\"\nbody = {}\n",
        toml::Value::String(big.clone())
    );
    fs::write(sandbox.path("lib/big.toml"), lib).expect("big library");
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
    let Some(x) = Xvfb::start("x11_second_copy_replaces_first_and_ends_first_holder") else {
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
    let Some(x) = Xvfb::start("x11_copy_by_another_program_ends_holder") else {
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
    let Some(x) = Xvfb::start("x11_holder_exits_when_the_display_goes_away") else {
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
fn holder_keeps_no_descriptor_inherited_by_reply() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start("holder_keeps_no_descriptor_inherited_by_reply") else {
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
    let Some(x) = Xvfb::start("holder_refuses_a_text_cut_short") else {
        return;
    };
    let mut cmd = Command::new(EXE);
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
fn output_modes_choose_between_printing_and_copying() {
    let sandbox = Sandbox::new();
    let Some(x) = Xvfb::start("output_modes_choose_between_printing_and_copying") else {
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
    let Some(x) = Xvfb::start("output_auto_on_a_terminal_copies_and_shows_the_message") else {
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

#[test]
fn at_most_one_holder_even_across_displays() {
    let sandbox = Sandbox::new();
    let Some(a) = Xvfb::start("at_most_one_holder_even_across_displays") else {
        return;
    };
    let Some(b) = Xvfb::start("at_most_one_holder_even_across_displays") else {
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

// ---------------------------------------------------------------------------------------------
// Failures: exit 3, nothing half-done
// ---------------------------------------------------------------------------------------------

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

#[test]
fn no_display_and_no_terminal_exits_3_with_advice() {
    let sandbox = Sandbox::new();
    let o = sandbox.run(without_terminal(sandbox.reply("hello", &["--copy"], &[])));
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(3), "stderr: {err}");
    assert!(o.stdout.is_empty());
    for needle in ["/dev/tty", "DISPLAY", "copy_command", "--print"] {
        assert!(err.contains(needle), "message lacks {needle:?}: {err}");
    }
    assert!(sandbox.holders().is_empty());
    sandbox.assert_no_process_left();
}

#[test]
fn unreachable_display_and_no_terminal_exits_3() {
    let sandbox = Sandbox::new();
    // A display number nobody serves.
    let display = (200..400)
        .map(|n| format!(":{n}"))
        .find(|d| !Path::new(&format!("/tmp/.X11-unix/X{}", &d[1..])).exists())
        .expect("free display");
    let o = sandbox.run(without_terminal(sandbox.reply(
        "hello",
        &["--copy"],
        &[("DISPLAY", display.as_str())],
    )));
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(3), "stderr: {err}");
    assert!(err.contains(&format!("DISPLAY={display}")), "{err}");
    assert!(err.contains("X11"), "{err}");
    assert!(err.contains("/dev/tty") && err.contains("--print"), "{err}");
    sandbox.assert_no_process_left();
}

// ---------------------------------------------------------------------------------------------
// OSC 52 through a pseudo-terminal
// ---------------------------------------------------------------------------------------------

struct PtyRun {
    output: Output,
    terminal: Vec<u8>,
}

/// Runs reply with a new pseudo-terminal as its controlling terminal (/dev/tty) and stdin;
/// stdout and stderr stay pipes. Returns what reply wrote to the terminal.
fn run_on_pty(cmd: Command) -> PtyRun {
    run_on_pty_with(cmd, false)
}

/// Same, with stdout on the terminal too when `stdout_on_terminal`.
fn run_on_pty_with(cmd: Command, stdout_on_terminal: bool) -> PtyRun {
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
    fs::write(
        sandbox.path("lib/big.toml"),
        format!(
            "[big]\ntitle = \"Big\"\nbody = {}\n",
            toml::Value::String(big.clone())
        ),
    )
    .expect("big library");
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
        "sleep 0.5; {EXE} --library {} render {id} --copy; sleep 0.3",
        sandbox.path("lib").display()
    )
}

#[test]
fn osc52_reaches_the_terminal_through_a_real_tmux() {
    let sandbox = Sandbox::new();
    if find_in_path("tmux").is_none() {
        say("skipped osc52_reaches_the_terminal_through_a_real_tmux: tmux not found");
        return;
    }
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
    let sandbox = Sandbox::new();
    if find_in_path("screen").is_none() {
        say("skipped osc52_reaches_the_terminal_through_a_real_screen: screen not found");
        return;
    }
    // Long enough for many DCS chunks.
    let big: String = big_text().lines().take(300).collect::<Vec<_>>().join("\n");
    fs::write(
        sandbox.path("lib/big.toml"),
        format!(
            "[big]\ntitle = \"Big\"\nbody = {}\n",
            toml::Value::String(big.clone())
        ),
    )
    .expect("big library");
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

// ---------------------------------------------------------------------------------------------
// copy_command
// ---------------------------------------------------------------------------------------------

fn write_script(path: &Path, body: &str) {
    fs::write(path, format!("#!/bin/sh\n{body}\n")).expect("script");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod script");
}

#[test]
fn copy_command_gets_the_exact_bytes_on_stdin() {
    let sandbox = Sandbox::new();
    let script = sandbox.path("bin/record copy");
    fs::create_dir_all(sandbox.path("bin")).expect("bin");
    write_script(&script, "cat > \"$1\"");
    let out = sandbox.path("recorded");
    let command = format!("'{}' '{}'", script.display(), out.display());
    let config = sandbox.write_config(&format!(
        "copy_command = {}\n",
        toml::Value::String(command.clone())
    ));
    // copy_command overrides the display, SSH and --osc52.
    let env = [
        ("REPLY_CONFIG", config.as_str()),
        ("DISPLAY", ":399"),
        ("SSH_TTY", "/dev/pts/9"),
    ];
    for (id, text) in [("hello", HELLO), ("crlf", CRLF), ("second", SECOND)] {
        let o = sandbox.run(without_terminal(sandbox.reply(
            id,
            &["--copy", "--osc52"],
            &env,
        )));
        assert_copied(&o, text, &format!("`{command}`"));
        assert_eq!(fs::read(&out).expect("recorded"), text.as_bytes());
    }
    assert!(sandbox.holders().is_empty());
}

#[test]
fn copy_command_failure_exits_3_with_its_stderr() {
    let sandbox = Sandbox::new();
    fs::create_dir_all(sandbox.path("bin")).expect("bin");
    let script = sandbox.path("bin/broken");
    write_script(
        &script,
        "cat >/dev/null\necho 'Error: no clipboard here' >&2\nexit 7",
    );
    let config = sandbox.write_config(&format!(
        "copy_command = {}\n",
        toml::Value::String(script.display().to_string())
    ));
    let o = sandbox.run(without_terminal(sandbox.reply(
        "hello",
        &["--copy"],
        &[("REPLY_CONFIG", config.as_str())],
    )));
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(o.stdout.is_empty());
    assert!(err.contains("Error: no clipboard here"), "{err}");
    assert!(err.contains('7') && err.contains("copy_command"), "{err}");

    let config = sandbox.write_config("copy_command = \"/nonexistent/copier --flag\"\n");
    let o = sandbox.run(without_terminal(sandbox.reply(
        "hello",
        &["--copy"],
        &[("REPLY_CONFIG", config.as_str())],
    )));
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("/nonexistent/copier"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Wayland: headless sway and wl-paste
// ---------------------------------------------------------------------------------------------

struct Sway {
    child: Child,
    socket: PathBuf,
}

impl Sway {
    fn start(sandbox: &Sandbox) -> Result<Sway, String> {
        for program in ["sway", "wl-paste", "wl-copy"] {
            if find_in_path(program).is_none() {
                return Err(format!(
                    "{program} not found (install sway and wl-clipboard)"
                ));
            }
        }
        // sway refuses to run as root: run it as nobody in a directory of its own.
        // SAFETY: geteuid cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        fs::set_permissions(sandbox.dir.path(), fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        let dir = sandbox.path("sway");
        fs::create_dir(&dir).map_err(|e| e.to_string())?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(|e| e.to_string())?;
        let config = sandbox.path("sway.conf");
        fs::write(&config, "").map_err(|e| e.to_string())?;
        let mut cmd = if root {
            if find_in_path("setpriv").is_none() {
                return Err("running as root and setpriv not found".into());
            }
            let c_dir = std::ffi::CString::new(dir.to_string_lossy().as_bytes())
                .map_err(|e| e.to_string())?;
            // SAFETY: chown on a path we created.
            if unsafe { libc::chown(c_dir.as_ptr(), 65534, 65534) } != 0 {
                return Err("cannot chown the sway directory to nobody".into());
            }
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "sway"]);
            c
        } else {
            Command::new("sway")
        };
        cmd.arg("-c")
            .arg(&config)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &dir)
            .env("XDG_RUNTIME_DIR", &dir)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().map_err(|e| format!("cannot start sway: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let socket = fs::read_dir(&dir).ok().and_then(|entries| {
                entries.flatten().map(|e| e.path()).find(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("wayland-") && !n.ends_with(".lock"))
                })
            });
            if let Some(socket) = socket {
                return Ok(Sway { child, socket });
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("sway exited at start ({status})"));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err("sway did not open a Wayland socket within 15 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn env(&self) -> [(&str, &str); 1] {
        [("WAYLAND_DISPLAY", self.socket.to_str().unwrap_or_default())]
    }

    fn paste(&self, sandbox: &Sandbox) -> Vec<u8> {
        let mut cmd = Command::new("wl-paste");
        cmd.arg("--no-newline");
        sandbox.hermetic(&mut cmd);
        cmd.env("WAYLAND_DISPLAY", &self.socket);
        let o = run(cmd);
        assert!(o.status.success(), "wl-paste: {}", stderr_of(&o));
        o.stdout
    }
}

impl Drop for Sway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn wayland_copy_outlives_reply_with_headless_sway() {
    let sandbox = Sandbox::new();
    let sway = match Sway::start(&sandbox) {
        Ok(s) => s,
        Err(why) => {
            say(&format!(
                "skipped wayland_copy_outlives_reply_with_headless_sway: {why}"
            ));
            return;
        }
    };
    let o = sandbox.run(sandbox.reply("hello", &["--copy"], &sway.env()));
    assert_copied(&o, HELLO, "Wayland");
    let first = sandbox.the_holder();
    assert_eq!(sway.paste(&sandbox), HELLO.as_bytes());

    let o = sandbox.run(sandbox.reply("crlf", &["--copy"], &sway.env()));
    assert_copied(&o, CRLF, "Wayland");
    assert!(
        wait_exit(first, Duration::from_millis(0)),
        "first holder still running"
    );
    let second = sandbox.the_holder();
    assert_eq!(sway.paste(&sandbox), CRLF.as_bytes());

    // wl-copy takes the clipboard: our holder exits.
    let mut cmd = Command::new("wl-copy");
    cmd.arg("--foreground");
    sandbox.hermetic(&mut cmd);
    cmd.env("WAYLAND_DISPLAY", &sway.socket);
    let mut wl_copy = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("wl-copy");
    wl_copy
        .stdin
        .take()
        .expect("stdin")
        .write_all("de wl-copy".as_bytes())
        .expect("write");
    assert!(
        wait_exit(second, Duration::from_secs(5)),
        "holder did not exit when wl-copy took the clipboard"
    );
    assert_eq!(sway.paste(&sandbox), "de wl-copy".as_bytes());
    sandbox.assert_no_process_left();
    let _ = wl_copy.kill();
    let _ = wl_copy.wait();
}
