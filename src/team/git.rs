//! Running the `git` command: always in a named folder, never prompting when
//! nobody is there to answer (no terminal prompt, no askpass window), with a
//! time limit after which git and whatever it started are stopped, its
//! stderr captured for the message when it fails. Variables that would point
//! git at another repository (set when `reply` runs inside a git hook) are
//! removed, so a command always works on the folder it names.

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::diag::Error;

/// How long a command that only reads or writes the local repository may take.
const LOCAL: Duration = Duration::from_secs(120);
/// How long a fetch or clone may take when nobody is watching (a stalled
/// connection, a host key question nobody can answer).
const NETWORK_UNATTENDED: Duration = Duration::from_secs(300);
/// With a person at the terminal, who can press Ctrl-C, a large clone may take longer.
const NETWORK_ATTENDED: Duration = Duration::from_secs(1800);
/// At most this much of git's output is kept; a hostile repository cannot
/// make `reply` hold gigabytes of file names.
const MAX_OUTPUT: usize = 64 << 20;
/// After git exits, how long to wait for its pipes to close: a program it
/// started (an SSH connection kept for reuse) may keep them open.
const DRAIN: Duration = Duration::from_secs(2);

/// Variables that make git use another repository than the folder it runs in.
const REPOSITORY_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
];

/// How git runs.
#[derive(Debug, Clone)]
pub struct Git {
    /// A person is at the terminal: git may ask them (a password, a host key),
    /// and runs in the foreground, where Ctrl-C reaches it.
    pub interactive: bool,
    /// Overrides every time limit (tests).
    pub timeout: Option<Duration>,
    /// The program: `git`, found in PATH.
    pub program: String,
}

/// Why a git command did not give an answer.
#[derive(Debug)]
pub enum Failure {
    /// There is no `git` to run.
    Missing,
    /// It ran and failed: its exit code and what it said.
    Failed { code: Option<i32>, stderr: String },
    /// It took longer than it may.
    TimedOut(Duration),
    /// It could not be started, or its output not read.
    Io(std::io::Error),
}

/// Whether a command talks to a remote (and so may take long or hang).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Local,
    Network,
}

impl Git {
    pub fn new(interactive: bool, timeout: Option<Duration>) -> Git {
        Git {
            interactive,
            timeout,
            program: "git".into(),
        }
    }

    /// Runs `git -C dir ARGS`, returning its stdout.
    pub fn run<S: AsRef<OsStr>>(
        &self,
        dir: &Path,
        args: &[S],
        reach: Reach,
    ) -> Result<String, Failure> {
        let mut c = Command::new(&self.program);
        c.arg("-C").arg(dir);
        // Never page, never colour: the output is read, not shown.
        c.args(["--no-pager", "-c", "color.ui=never"]);
        c.args(args);
        for v in REPOSITORY_VARIABLES {
            c.env_remove(v);
        }
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        if self.interactive {
            c.stdin(Stdio::inherit());
        } else {
            // Nobody can answer: fail instead of waiting for an answer. An
            // empty GIT_ASKPASS (set, not unset) turns off every askpass
            // program, the config's and SSH_ASKPASS too.
            c.stdin(Stdio::null())
                .env("GIT_TERMINAL_PROMPT", "0")
                .env("GIT_ASKPASS", "")
                .env("SSH_ASKPASS_REQUIRE", "never")
                .env_remove("SSH_ASKPASS");
            // A session of its own: no terminal for ssh to ask a passphrase
            // or host key question on, and one process group, so that on a
            // timeout git and what it started (ssh, a remote helper) stop together.
            detach(&mut c);
        }
        let limit = self.timeout.unwrap_or(match (reach, self.interactive) {
            (Reach::Local, _) => LOCAL,
            (Reach::Network, false) => NETWORK_UNATTENDED,
            (Reach::Network, true) => NETWORK_ATTENDED,
        });
        let mut child = c.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Failure::Missing,
            _ => Failure::Io(e),
        })?;
        let out = drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let err = drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let deadline = Instant::now() + limit;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(2))
                }
                Ok(None) => {
                    stop(&mut child, !self.interactive);
                    return Err(Failure::TimedOut(limit));
                }
                Err(e) => {
                    stop(&mut child, !self.interactive);
                    return Err(Failure::Io(e));
                }
            }
        };
        let stdout = out.finish();
        let stderr = err.finish();
        if status.success() {
            Ok(String::from_utf8_lossy(&stdout).into_owned())
        } else {
            Err(Failure::Failed {
                code: status.code(),
                stderr: String::from_utf8_lossy(&stderr).trim().to_string(),
            })
        }
    }

    /// Like [`Git::run`] for a local command, its output trimmed.
    pub fn read<S: AsRef<OsStr>>(&self, dir: &Path, args: &[S]) -> Result<String, Failure> {
        self.run(dir, args, Reach::Local)
            .map(|s| s.trim_end_matches('\n').to_string())
    }

    /// Whether git can be run at all; the error names what to install.
    pub fn installed(&self) -> Result<(), Error> {
        match self.run(Path::new("."), &["--version"], Reach::Local) {
            Err(Failure::Missing) => Err(missing()),
            _ => Ok(()),
        }
    }
}

/// Makes `c` start in a session of its own (setsid): without a controlling
/// terminal, in its own process group, untouched by a Ctrl-C meant for us.
pub fn detach(c: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid(2) is async-signal-safe, and the closure touches
        // nothing else between fork and exec.
        unsafe {
            c.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = c;
}

/// The error for a machine without git.
pub fn missing() -> Error {
    Error::usage("git is not installed (or not in PATH): team libraries need it").hint(
        "install git (Debian or Ubuntu: sudo apt install git; Fedora: sudo dnf install git; macOS: xcode-select --install or brew install git; Windows: https://git-scm.com/download/win), then run the command again",
    )
}

impl Failure {
    /// The failure with the password of `url` taken out of what git said.
    pub fn hiding(self, url: &str) -> Failure {
        match self {
            Failure::Failed { code, stderr } => Failure::Failed {
                code,
                stderr: super::url::scrub(&stderr, url),
            },
            other => other,
        }
    }

    /// The error for `what` (e.g. "cannot fetch acme"), with what git said.
    pub fn error(&self, what: &str) -> Error {
        match self {
            Failure::Missing => missing(),
            Failure::Failed { stderr, .. } if stderr.is_empty() => Error::data(what.to_string()),
            Failure::Failed { stderr, .. } => {
                Error::data(format!("{what}; git said:\n{}", indent(stderr)))
            }
            Failure::TimedOut(d) => Error::data(format!(
                "{what}: git took longer than {} s and was stopped",
                d.as_secs()
            ))
            .hint("check the network connection and the remote's address, then try again"),
            Failure::Io(e) => Error::data(format!("{what}: cannot run git: {e}")),
        }
    }

    /// What git said, in one short paragraph, for a warning.
    pub fn said(&self) -> String {
        match self {
            Failure::Missing => "git is not installed".into(),
            Failure::Failed { stderr, code } if stderr.is_empty() => {
                format!("git failed (exit code {})", code.unwrap_or(-1))
            }
            Failure::Failed { stderr, .. } => {
                let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
                let shown: Vec<&str> = lines.iter().take(4).copied().collect();
                let more = if lines.len() > shown.len() {
                    " …"
                } else {
                    ""
                };
                format!("{}{more}", shown.join(" / "))
            }
            Failure::TimedOut(d) => {
                format!("git took longer than {} s and was stopped", d.as_secs())
            }
            Failure::Io(e) => format!("cannot run git: {e}"),
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A pipe read to its end by a thread of its own.
struct Drained {
    buf: Arc<Mutex<Vec<u8>>>,
    done: Arc<std::sync::atomic::AtomicBool>,
}

fn drain(pipe: Option<Box<dyn Read + Send>>) -> Drained {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (b, d) = (Arc::clone(&buf), Arc::clone(&done));
    std::thread::spawn(move || {
        if let Some(mut p) = pipe {
            let mut chunk = [0u8; 16 << 10];
            loop {
                match p.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut v = b.lock().unwrap_or_else(|e| e.into_inner());
                        let room = MAX_OUTPUT.saturating_sub(v.len());
                        v.extend_from_slice(&chunk[..n.min(room)]);
                    }
                }
            }
        }
        d.store(true, std::sync::atomic::Ordering::Release);
    });
    Drained { buf, done }
}

impl Drained {
    /// What was read: all of it once the pipe closes, or what came within
    /// [`DRAIN`] when something git left behind keeps it open.
    fn finish(self) -> Vec<u8> {
        let until = Instant::now() + DRAIN;
        while !self.done.load(std::sync::atomic::Ordering::Acquire) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::mem::take(&mut *self.buf.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Stops a command that ran too long: its whole process group when it has one.
fn stop(child: &mut std::process::Child, group: bool) {
    #[cfg(unix)]
    {
        if group && let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process group
            // only; the group is the child's own (its session, see `detach`).
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = group;
    let _ = child.kill();
    let _ = child.wait();
}

/// The entries of `git status --porcelain=v2 --branch -z`, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// `None` before the first commit.
    pub head: Option<String>,
    /// `None` when HEAD is detached.
    pub branch: Option<String>,
    /// `origin/main`, when the branch has one.
    pub upstream: Option<String>,
    /// Commits on HEAD not on the upstream, and the other way round; `None`
    /// when there is no upstream or it is gone from the remote.
    pub ahead_behind: Option<(u64, u64)>,
    /// Tracked files with changes (staged, unstaged or in conflict), relative
    /// to the top of the checkout.
    pub changed: Vec<String>,
    /// Files git does not track (ignored ones left out).
    pub untracked: Vec<String>,
}

impl Status {
    pub fn parse(out: &str) -> Status {
        let mut s = Status::default();
        let mut fields = out.split('\0').peekable();
        while let Some(entry) = fields.next() {
            if let Some(h) = entry.strip_prefix("# ") {
                let (key, value) = h.split_once(' ').unwrap_or((h, ""));
                match key {
                    "branch.oid" if value != "(initial)" => s.head = Some(value.to_string()),
                    "branch.head" if value != "(detached)" => s.branch = Some(value.to_string()),
                    "branch.upstream" => s.upstream = Some(value.to_string()),
                    "branch.ab" => {
                        let mut it = value.split(' ');
                        let n = |t: Option<&str>| {
                            t.and_then(|t| t.get(1..))
                                .and_then(|t| t.parse::<u64>().ok())
                        };
                        if let (Some(a), Some(b)) = (n(it.next()), n(it.next())) {
                            s.ahead_behind = Some((a, b));
                        }
                    }
                    _ => {}
                }
            } else if let Some(path) = entry.strip_prefix("? ") {
                s.untracked.push(path.to_string());
            } else if let Some(rest) = entry.strip_prefix("1 ") {
                s.changed.push(nth_field(rest, 7).to_string());
            } else if let Some(rest) = entry.strip_prefix("2 ") {
                s.changed.push(nth_field(rest, 8).to_string());
                // A rename's original path follows as a field of its own.
                fields.next();
            } else if let Some(rest) = entry.strip_prefix("u ") {
                s.changed.push(nth_field(rest, 9).to_string());
            }
        }
        s
    }
}

/// The rest of `line` after `n` space-separated fields (a path may hold spaces).
fn nth_field(line: &str, n: usize) -> &str {
    line.splitn(n + 1, ' ').nth(n).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_v2_is_parsed() {
        let out = "# branch.oid 1111\0# branch.head main\0# branch.upstream origin/main\0# branch.ab +2 -3\0\
                   1 .M N... 100644 100644 100644 aaa bbb orders file.toml\0\
                   2 R. N... 100644 100644 100644 aaa bbb R100 new name.toml\0old.toml\0\
                   u UU N... 100644 100644 100644 100644 a b c both.toml\0? notes.txt\0";
        let s = Status::parse(out);
        assert_eq!(s.head.as_deref(), Some("1111"));
        assert_eq!(s.branch.as_deref(), Some("main"));
        assert_eq!(s.upstream.as_deref(), Some("origin/main"));
        assert_eq!(s.ahead_behind, Some((2, 3)));
        assert_eq!(
            s.changed,
            ["orders file.toml", "new name.toml", "both.toml"]
        );
        assert_eq!(s.untracked, ["notes.txt"]);
    }

    #[test]
    fn a_detached_head_and_a_new_repository_have_no_branch_or_head() {
        let s = Status::parse("# branch.oid (initial)\0# branch.head (detached)\0");
        assert_eq!((s.head, s.branch, s.ahead_behind), (None, None, None));
    }

    #[test]
    fn a_missing_git_names_what_to_install() {
        let git = Git {
            program: "/nonexistent/git".into(),
            ..Git::new(false, None)
        };
        let e = git.installed().unwrap_err().to_string();
        assert!(
            e.contains("git is not installed") && e.contains("apt install git"),
            "{e}"
        );
    }
}
