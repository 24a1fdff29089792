//! The fluent way to run a command in a sandbox and check what it did:
//! `Run::new().library_file(..).args(..).stdout(..).code(0)`. Expectations are
//! collected first; a terminal method (`code`, `success`, `output`) runs the
//! command, checks them all at once and, on a mismatch, fails with the command
//! line, the exit code and both streams (see `ran.rs`).

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::programs::{is_root, nobody};
use super::ran::{Ran, differs};
use super::sandbox::{Sandbox, bin};

/// Long enough for a debug build under load; a hang fails instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

enum Place<'s> {
    Own(Sandbox),
    Borrowed(&'s Sandbox),
}

/// A command to run in a sandbox, and what it must do. See the module comment.
#[must_use = "a Run does nothing until code(), success() or output()"]
pub struct Run<'s> {
    place: Place<'s>,
    /// `None`: the `reply` under test.
    program: Option<OsString>,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    library: bool,
    /// Relative to the sandbox root; `None`: the root.
    dir: Option<String>,
    stdin: Option<Vec<u8>>,
    unprivileged: bool,
    want_stdout: Option<String>,
    stdout_has: Vec<String>,
    want_stderr: Option<String>,
    stderr_has: Vec<String>,
}

impl Run<'static> {
    /// `reply` in a sandbox of its own, with the sandbox library.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Run<'static> {
        Run::at(Place::Own(Sandbox::new()))
    }
}

impl<'s> Run<'s> {
    /// `reply` in `sandbox`, with its library (for tests that run several commands there).
    pub fn in_(sandbox: &'s Sandbox) -> Run<'s> {
        Run::at(Place::Borrowed(sandbox))
    }

    fn at(place: Place<'s>) -> Run<'s> {
        Run {
            place,
            program: None,
            args: Vec::new(),
            env: Vec::new(),
            library: true,
            dir: None,
            stdin: None,
            unprivileged: false,
            want_stdout: None,
            stdout_has: Vec::new(),
            want_stderr: None,
            stderr_has: Vec::new(),
        }
    }

    pub fn sandbox(&self) -> &Sandbox {
        match &self.place {
            Place::Own(s) => s,
            Place::Borrowed(s) => s,
        }
    }

    // --- the sandbox -------------------------------------------------------

    /// Writes a file of the sandbox library.
    pub fn library_file(self, rel: &str, text: &str) -> Self {
        self.sandbox().library_file(rel, text);
        self
    }

    /// Writes a file relative to the sandbox root (the working folder).
    pub fn write(self, rel: &str, text: &str) -> Self {
        self.sandbox().write(rel, text);
        self
    }

    /// No `REPLY_LIBRARY`: the config's libraries, the user library and the
    /// starter library apply.
    pub fn bare(mut self) -> Self {
        self.library = false;
        self
    }

    // --- the command -------------------------------------------------------

    /// Runs `program` instead of `reply`, with the folder of the `reply` under
    /// test first in PATH, as a user's shell would find it.
    pub fn program(mut self, program: impl AsRef<OsStr>) -> Self {
        self.program = Some(program.as_ref().to_owned());
        self
    }

    /// Runs `sh -c script` (see [`Run::program`]).
    pub fn shell(self, script: &str) -> Self {
        self.program("sh").args(["-c", script])
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Runs in this folder of the sandbox instead of its root.
    pub fn current_dir(mut self, rel: &str) -> Self {
        self.dir = Some(rel.to_string());
        self
    }

    /// What the command reads on stdin (else nothing: stdin is /dev/null).
    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    /// Runs as a user to whom file modes apply: as is, unless the tests run as
    /// root, then as `nobody` through setpriv(1), with the sandbox shared with
    /// it. The test must first check [`super::can_run_unprivileged`].
    pub fn unprivileged(mut self) -> Self {
        self.unprivileged = true;
        self
    }

    // --- expectations ------------------------------------------------------

    /// stdout must be exactly `text`.
    pub fn stdout(mut self, text: impl Into<String>) -> Self {
        self.want_stdout = Some(text.into());
        self
    }

    /// stdout must contain `text` (may be given several times).
    pub fn stdout_contains(mut self, text: impl Into<String>) -> Self {
        self.stdout_has.push(text.into());
        self
    }

    /// stderr must be exactly `text`.
    pub fn stderr(mut self, text: impl Into<String>) -> Self {
        self.want_stderr = Some(text.into());
        self
    }

    /// stderr must contain `text` (may be given several times).
    pub fn stderr_contains(mut self, text: impl Into<String>) -> Self {
        self.stderr_has.push(text.into());
        self
    }

    // --- terminal methods --------------------------------------------------

    /// Runs, and checks the exit code and every expectation.
    #[track_caller]
    pub fn code(self, want: i32) -> Ran {
        self.finish(Some(want))
    }

    /// `code(0)`.
    #[track_caller]
    pub fn success(self) -> Ran {
        self.finish(Some(0))
    }

    /// Runs, and checks every expectation but not the exit code (the test looks at it).
    #[track_caller]
    pub fn output(self) -> Ran {
        self.finish(None)
    }

    #[track_caller]
    fn finish(self, want_code: Option<i32>) -> Ran {
        let is_reply = self.program.is_none();
        let (mut command, shown) = self.build();
        let stdin = self.stdin.clone();
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().expect("stdin pipe");
            // A thread, so that a command that writes before it has read all its
            // input cannot deadlock against us. A command that stops reading
            // early closes the pipe: that is its business.
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
        }
        let output = wait_with_deadline(child, TIMEOUT)
            .unwrap_or_else(|partial| panic!("{shown} did not exit within {TIMEOUT:?}\n{partial}"));
        let ran = Ran::new(output, shown, is_reply);

        let mut problems = Vec::new();
        match (want_code, ran.status.code()) {
            (_, None) => problems.push(format!("killed by a signal ({})", ran.status)),
            (Some(want), Some(got)) if want != got => {
                problems.push(format!("exit code {got}, expected {want}"))
            }
            _ => {}
        }
        if let Some(want) = &self.want_stdout
            && &ran.stdout != want
        {
            problems.push(differs("stdout", want, &ran.stdout));
        }
        for needle in &self.stdout_has {
            if !ran.stdout.contains(needle.as_str()) {
                problems.push(format!("stdout lacks {needle:?}"));
            }
        }
        if let Some(want) = &self.want_stderr
            && &ran.stderr != want
        {
            problems.push(differs("stderr", want, &ran.stderr));
        }
        for needle in &self.stderr_has {
            if !ran.stderr.contains(needle.as_str()) {
                problems.push(format!("stderr lacks {needle:?}"));
            }
        }
        // A panic in reply is a bug whatever the test checks.
        if is_reply && (ran.stderr.contains("panicked") || ran.stderr.contains("RUST_BACKTRACE")) {
            problems.push("reply panicked".to_string());
        }
        if !problems.is_empty() {
            panic!("{}\n{ran}", problems.join("\n"));
        }
        ran
    }

    /// The command, and how to show it: `cd DIR && VAR=… program args…`.
    fn build(&self) -> (Command, String) {
        let s = self.sandbox();
        let reply = bin().as_os_str().to_owned();
        let program = self.program.clone().unwrap_or_else(|| reply.clone());
        let mut argv: Vec<OsString> = vec![program];
        argv.extend(self.args.iter().cloned());

        let mut env: Vec<(OsString, OsString)> = Vec::new();
        if self.library {
            env.push(("REPLY_LIBRARY".into(), s.lib().into()));
        }
        let path = path_with_reply();
        if self.program.is_some() {
            env.push(("PATH".into(), path.clone()));
        }
        env.extend(self.env.iter().cloned());

        if self.unprivileged && is_root() {
            let (uid, gid) = nobody();
            s.share_with(uid, gid);
            let mut wrapped: Vec<OsString> = vec![
                "setpriv".into(),
                format!("--reuid={uid}").into(),
                format!("--regid={gid}").into(),
                "--clear-groups".into(),
            ];
            wrapped.extend(argv);
            argv = wrapped;
        }

        let mut c = Command::new(&argv[0]);
        s.apply_env(&mut c);
        let dir = self
            .dir
            .as_deref()
            .map_or(s.root().to_path_buf(), |d| s.path(d));
        c.current_dir(&dir).args(&argv[1..]);
        c.envs(env.iter().map(|(k, v)| (k, v)));

        let mut shown = format!("cd {} &&", quote(dir.as_os_str()));
        for (k, v) in &env {
            // The whole PATH would bury the command; what matters is what comes first.
            let v = if k == "PATH" && v == &path {
                format!(
                    "{}:$PATH",
                    quote(bin().parent().expect("bin dir").as_os_str())
                )
            } else {
                quote(v)
            };
            shown.push_str(&format!(" {}={v}", k.to_string_lossy()));
        }
        for (i, a) in argv.iter().enumerate() {
            shown.push(' ');
            if a == &reply && (i == 0 || argv[0] == "setpriv") {
                shown.push_str("reply");
            } else {
                shown.push_str(&quote(a));
            }
        }
        (c, shown)
    }
}

/// The sandbox PATH with the folder of the `reply` under test first.
pub fn path_with_reply() -> OsString {
    let dir = bin().parent().expect("bin dir").to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let mut all = vec![dir];
    all.extend(std::env::split_paths(&rest));
    std::env::join_paths(all).expect("join PATH")
}

/// A word as a shell would need it quoted.
fn quote(word: &OsStr) -> String {
    let w = word.to_string_lossy();
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        w.into_owned()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

/// Waits for `child` (whose stdout and stderr are pipes, if taken) and reads
/// both to the end. Past `limit`, kills it and returns what it had written.
pub fn wait_with_deadline(mut child: Child, limit: Duration) -> Result<Output, String> {
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut v);
            }
            v
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let out = out.join().unwrap_or_default();
            let err = err.join().unwrap_or_default();
            return Err(format!(
                "stdout: {:?}\nstderr: {:?}",
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&err)
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // The pipes close when the process and anything it left behind are gone.
    Ok(Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    })
}
