//! Small helpers shared by the rule tests: run a command, check its exit code.

#![allow(dead_code)]

use std::process::Output;

use assert_cmd::Command;

use crate::util::{stderr, stdout};

/// Runs a command to completion.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run reply")
}

/// The exit code (panics on a signal, which is a crash worth seeing).
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or_else(|| {
        panic!(
            "killed by a signal\nstdout: {}\nstderr: {}",
            stdout(out),
            stderr(out)
        )
    })
}

/// Asserts an exit code, showing both streams when it differs.
#[track_caller]
pub fn expect_code(out: &Output, want: i32) {
    assert_eq!(
        code(out),
        want,
        "exit code\nstdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

/// Runs, asserts success, returns stdout.
#[track_caller]
pub fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    expect_code(&out, 0);
    stdout(&out)
}

/// Asserts that `hay` contains every needle.
#[track_caller]
pub fn contains_all(hay: &str, needles: &[&str]) {
    for n in needles {
        assert!(hay.contains(n), "expected {n:?} in:\n{hay}");
    }
}

/// No panic message and no Rust backtrace noise on stderr.
#[track_caller]
pub fn no_panic(err: &str) {
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic on stderr:\n{err}"
    );
}

/// The first column of each line of tab-separated output.
pub fn ids(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// A minimal reply as TOML.
pub fn reply(id: &str, title: &str, body: &str) -> String {
    format!("[{id}]\ntitle = {title:?}\nbody = {body:?}\n\n")
}

/// A `std::process::Command` for `program` with the environment and folder of
/// a sandbox command (for spawning with pipes, or running a shell).
pub fn to_std(c: &Command, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    let mut s = std::process::Command::new(program);
    s.env_clear();
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => s.env(k, v),
            None => s.env_remove(k),
        };
    }
    if let Some(d) = c.get_current_dir() {
        s.current_dir(d);
    }
    s
}

/// Runs a `sh -c` script in the sandbox, with its environment and library.
pub fn shell(s: &crate::util::Sandbox, script: &str) -> Output {
    to_std(&s.cmd(), "sh")
        .arg("-c")
        .arg(script)
        .output()
        .expect("run sh")
}
