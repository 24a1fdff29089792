//! A real terminal for the picker and prompts: a tmux server of the test's
//! own (its own socket), one pane running bash with the sandbox environment.
//! Keys go in with `send-keys`, the screen comes back with `capture-pane`,
//! polled until what is awaited appears (never a fixed sleep).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::run::path_with_reply;
use super::sandbox::Sandbox;

/// Long enough for a debug build on a loaded machine.
const WAIT: Duration = Duration::from_secs(20);

pub struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    /// A `width` × `height` terminal running bash in `sandbox`, its library
    /// set, `extra` added to the environment.
    pub fn start(sandbox: &Sandbox, width: u16, height: u16, extra: &[(&str, &str)]) -> Tmux {
        // A socket per terminal: a server just killed may still hold the last one.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = sandbox.path(&format!("tmux-{n}.sock"));
        let mut c = Command::new("true");
        sandbox.apply_env(&mut c);
        let mut env: Vec<String> = c
            .get_envs()
            .filter_map(|(k, v)| Some(format!("{}={}", k.to_str()?, v?.to_str()?)))
            .filter(|kv| !kv.starts_with("PATH="))
            .collect();
        env.push(format!("PATH={}", path_with_reply().to_string_lossy()));
        env.push(format!("REPLY_LIBRARY={}", sandbox.lib().display()));
        env.push("TERM=xterm-256color".into());
        env.push("PS1=$ ".into());
        for (k, v) in extra {
            env.push(format!("{k}={v}"));
        }
        let mut shell = vec!["env".to_string(), "-i".to_string()];
        shell.extend(env);
        shell.extend(["bash".into(), "--norc".into(), "--noprofile".into()]);
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg("-c")
            .arg(sandbox.root())
            .args(shell)
            .status()
            .expect("start tmux");
        assert!(status.success(), "tmux did not start");
        let t = Tmux { socket };
        // capture-pane drops trailing blanks: the prompt reads as a lone `$`.
        t.wait_until(
            |s| s.lines().any(|l| l.trim_end() == "$"),
            "the shell's prompt",
        );
        t
    }

    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S").arg(&self.socket);
        c
    }

    /// Keys as tmux names them (`Enter`, `Escape`, `C-c`, `Down`, `BTab`).
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "0"])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    /// Text typed as is.
    pub fn text(&self, text: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "0", "-l", text])
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    /// A command line typed and run in the pane's shell.
    pub fn run(&self, line: &str) {
        self.text(line);
        self.keys(&["Enter"]);
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "0"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with its colours and styles (`capture-pane -e`).
    pub fn screen_styled(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-e", "-t", "0"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `needle`; the screen then.
    #[track_caller]
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(|s| s.contains(needle), needle)
    }

    /// Waits until the screen shows every one of `needles` at once (a screen
    /// caught halfway through a redraw shows only some).
    #[track_caller]
    pub fn wait_all(&self, needles: &[&str]) -> String {
        self.wait_until(
            |s| needles.iter().all(|n| s.contains(n)),
            &needles.join(" + "),
        )
    }

    /// Waits until `ok` holds for the screen.
    #[track_caller]
    pub fn wait_until(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > WAIT {
                panic!("the terminal never showed {what:?}; it shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// The pid of the pane's shell (its children are what the test ran).
    pub fn shell_pid(&self) -> u32 {
        let out = self
            .tmux()
            .args(["display-message", "-p", "-t", "0", "#{pane_pid}"])
            .output()
            .expect("display-message");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a pane pid")
    }

    pub fn resize(&self, width: u16, height: u16) {
        let _ = self
            .tmux()
            .args(["resize-window", "-t", "0", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .status();
    }

    /// Runs `reply ARGS` in the pane, marking its exit status on the screen
    /// when it ends (`exit=N`); waits until `ready` shows.
    pub fn reply(&self, args: &str, ready: &str) -> String {
        // `"ex""it=` on the command line, `exit=` only in the output.
        self.run(&format!("clear; reply {args}; echo \"ex\"\"it=$?\""));
        self.wait_for(ready)
    }

    /// After a `reply` started with [`Tmux::reply`] ends: its exit status, and
    /// that the terminal is as a shell needs it (line editing and echo on,
    /// the main screen back, commands run).
    #[track_caller]
    pub fn finished(&self) -> i32 {
        let s = self.wait_until(|s| s.contains("exit="), "exit=");
        let code = s
            .split("exit=")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1);
        self.run(
            "echo \"ST\"\"TY=$(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ')\"",
        );
        let s = self.wait_until(
            |s| s.lines().any(|l| l.starts_with("STTY=")),
            "the terminal's settings",
        );
        let mark = s.lines().find(|l| l.starts_with("STTY=")).unwrap_or("");
        assert!(
            mark.contains("icanon")
                && !mark.contains("-icanon")
                && mark.contains("echo")
                && !mark.contains("-echo"),
            "the terminal was not restored (stty says {mark:?}):\n{s}"
        );
        code
    }
}

/// The id on the picker's highlighted row.
pub fn selected(screen: &str) -> String {
    screen
        .lines()
        .find_map(|l| l.strip_prefix("▌ "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("")
        .to_string()
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}
