//! Outside programs the tests drive (shells, X11 and Wayland tools, multiplexers,
//! man, benchmark tools) and other things a test needs from the machine. One rule
//! for all of them: when one is missing, the test fails if `CI` is set to
//! anything non-empty (`.ci/run` installs everything), and otherwise says that it
//! skipped, where the runner shows it, and is listed again in a summary printed
//! once when the test binary exits.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// Tests skipped so far: (test name, why).
static SKIPPED: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Whether `program` (a name looked up in PATH, or a path) can be run; when it
/// cannot, the test must return at once (see the module comment).
#[track_caller]
pub fn require(program: &str) -> bool {
    require_all(&[program])
}

/// Like [`require`] for several programs; a skip names every missing one.
#[track_caller]
pub fn require_all(programs: &[&str]) -> bool {
    let missing: Vec<String> = programs
        .iter()
        .filter(|p| find_program(p).is_none())
        .map(|p| format!("{p} not installed (package {})", package_of(p)))
        .collect();
    missing.is_empty() || skip(&missing.join(", "))
}

/// Whether the file `path` exists; `what` says what it stands for in a skip.
#[track_caller]
pub fn require_file(path: &str, what: &str) -> bool {
    Path::new(path).exists() || skip(&format!("{path} does not exist ({what})"))
}

/// The program's path: PATH is searched for a bare name, as a shell would.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let executable = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        let p = PathBuf::from(program);
        return executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| executable(p))
}

/// The Debian package that provides `program` (what `.ci/run` installs).
fn package_of(program: &str) -> &'static str {
    match program.rsplit('/').next().unwrap_or(program) {
        "Xvfb" => "xvfb",
        "xclip" => "xclip",
        "sway" => "sway",
        "wl-copy" | "wl-paste" => "wl-clipboard",
        "tmux" => "tmux",
        "screen" => "screen",
        "zsh" => "zsh",
        "fish" => "fish",
        "elvish" => "elvish",
        "man" => "man-db",
        "groff" => "groff-base",
        "hyperfine" => "hyperfine",
        "fzf" => "fzf",
        "time" => "time",
        "awk" | "gawk" => "gawk",
        "jq" => "jq",
        "git" => "git",
        "script" => "bsdutils",
        "setpriv" => "util-linux",
        "xargs" => "findutils",
        "head" | "sleep" => "coreutils",
        "bash" => "bash",
        "sh" => "dash",
        _ => "unknown: see .ci/run",
    }
}

/// Fails under CI, else reports and records the skip. Always false, so that a
/// caller can `return` on it.
#[track_caller]
fn skip(why: &str) -> bool {
    let test = current_test();
    if on_ci() {
        panic!(
            "{test} cannot run: {why}. CI is set, so this is a failure: .ci/run must install it"
        );
    }
    // libtest captures print!/eprint! but not a direct write, so this is seen.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
    let mut skipped = SKIPPED.lock().unwrap_or_else(|e| e.into_inner());
    // One entry per test, so that the summary counts tests, not reasons.
    match skipped.iter_mut().find(|(t, _)| *t == test) {
        Some((_, reasons)) => *reasons = format!("{reasons}; {why}"),
        None => skipped.push((test, why.to_string())),
    }
    drop(skipped);
    static SUMMARY: Once = Once::new();
    SUMMARY.call_once(|| {
        // SAFETY: registers a plain function with no arguments; it runs once at exit.
        unsafe {
            libc::atexit(print_summary);
        }
    });
    false
}

/// `CI` set to any non-empty value, as CI services do (`true`, `1`, `yes`…).
pub fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// libtest runs each test on a thread named after it.
fn current_test() -> String {
    std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string()
}

/// Runs at exit, after libtest's own result line, so the skips are not lost
/// among the passing tests.
extern "C" fn print_summary() {
    // A test thread still holding the lock would be a bug; print nothing then.
    let Ok(skipped) = SKIPPED.try_lock() else {
        return;
    };
    if skipped.is_empty() {
        return;
    }
    let mut text = format!(
        "\n{} test{} skipped, because something {} need{} is missing:\n",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" },
        if skipped.len() == 1 { "it" } else { "they" },
        if skipped.len() == 1 { "s" } else { "" },
    );
    for (test, why) in skipped.iter() {
        text.push_str(&format!("  {test}: {why}\n"));
    }
    text.push_str("Install them as .ci/run does; with CI set, these tests fail instead.\n");
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Whether the tests run as root, who reads any file whatever its mode.
pub fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The uid and gid of the `nobody` account, for running a program unprivileged.
pub fn nobody() -> (u32, u32) {
    static IDS: std::sync::OnceLock<(u32, u32)> = std::sync::OnceLock::new();
    *IDS.get_or_init(|| {
        // SAFETY: getpwnam returns a static buffer, read at once; the OnceLock
        // keeps any other call from running at the same time.
        let pw = unsafe { libc::getpwnam(c"nobody".as_ptr()) };
        if pw.is_null() {
            // Debian's fixed ids, should the account be missing from passwd.
            return (65534, 65534);
        }
        // SAFETY: non-null pointer from getpwnam.
        unsafe { ((*pw).pw_uid, (*pw).pw_gid) }
    })
}

/// Whether a test can run `reply` as a user to whom file modes apply: itself
/// when not root, else `nobody` through setpriv(1).
#[track_caller]
pub fn can_run_unprivileged() -> bool {
    !is_root() || require("setpriv")
}
