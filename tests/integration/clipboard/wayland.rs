//! Wayland through a headless sway, read back with wl-paste: the text outlives reply, a second
//! copy replaces the first, and a copy by wl-copy ends the holder.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;
use crate::support::{can_run_unprivileged, is_root, nobody, require_all};

struct Sway {
    child: Child,
    socket: PathBuf,
}

impl Sway {
    /// Starts sway; the test has checked that sway, wl-clipboard and (as root) setpriv are
    /// there, so any failure here is a failure of the test.
    fn start(sandbox: &Sandbox) -> Result<Sway, String> {
        // sway refuses to run as root: run it as nobody in a directory of its own.
        fs::set_permissions(sandbox.base.root(), fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        let dir = sandbox.path("sway");
        fs::create_dir(&dir).map_err(|e| e.to_string())?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(|e| e.to_string())?;
        let config = sandbox.path("sway.conf");
        fs::write(&config, "").map_err(|e| e.to_string())?;
        let mut cmd = if is_root() {
            let (uid, gid) = nobody();
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
                .map_err(|e| format!("cannot chown the sway directory to nobody: {e}"))?;
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .args(["--clear-groups", "sway"]);
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
    if !require_all(&["sway", "wl-paste", "wl-copy"]) || !can_run_unprivileged() {
        return;
    }
    let sandbox = Sandbox::new();
    let sway = Sway::start(&sandbox).unwrap_or_else(|why| panic!("headless sway: {why}"));
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
