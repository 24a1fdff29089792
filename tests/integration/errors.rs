//! Issue 2, errors: bad TOML files, unreadable files, and the exit codes.

use crate::render::{assert_caret_under, position};
use crate::support::*;
use crate::util::*;

/// A good file and a file with a TOML syntax error on line 4, column 9.
fn with_bad_file() -> (Sandbox, std::path::PathBuf) {
    let s = Sandbox::new();
    s.reply_file("good.toml", BASIC);
    let bad = s.reply_file(
        "bad.toml",
        "[broken]\ntitle = \"Broken\"\nbody = \"b\"\ntags = [\"a\" \"b\"]\n",
    );
    (s, bad)
}

#[test]
fn a_bad_file_does_not_hide_the_good_ones_from_list() {
    let (s, bad) = with_bad_file();
    let out = s.cmd().arg("list").output().unwrap();
    expect_code(&out, 0);
    assert_eq!(ids(&stdout(&out)), ["order-delay", "thanks"]);
    let err = stderr(&out);
    let (line, col) = position(&err, &bad.display().to_string());
    assert_eq!((line, col), (4, 13), "{err}");
    assert_caret_under(&err, "tags = [\"a\" \"b\"]", col);
    no_panic(&err);
}

#[test]
fn a_bad_file_does_not_hide_the_good_ones_from_search() {
    let (s, bad) = with_bad_file();
    let out = s.cmd().args(["search", "thanks"]).output().unwrap();
    expect_code(&out, 0);
    assert_eq!(ids(&stdout(&out)), ["thanks"]);
    assert!(
        stderr(&out).contains(&bad.display().to_string()),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_reply_from_a_good_file_still_renders() {
    let (s, _) = with_bad_file();
    let out = s
        .cmd()
        .args(["render", "thanks", "-c", "Ana", "-a", "Sam"])
        .output()
        .unwrap();
    expect_code(&out, 0);
    assert_eq!(stdout(&out), "Thanks Ana! Sam");
}

#[test]
fn a_command_that_needs_the_bad_file_fails_with_its_position() {
    let (s, bad) = with_bad_file();
    let file = bad.display().to_string();
    for args in [&["render", "broken", "--exact"][..], &["show", "broken"]] {
        let out = s.cmd().args(args).output().unwrap();
        expect_code(&out, 2);
        assert_eq!(stdout(&out), "", "{args:?}");
        let err = stderr(&out);
        let (line, col) = position(&err, &file);
        assert_eq!((line, col), (4, 13), "{args:?}: {err}");
        assert!(err.contains('^'), "{args:?}: {err}");
    }
}

#[test]
fn toml_errors_report_line_and_column_for_several_mistakes() {
    // (file text, line, column)
    let cases = [
        ("[a]\ntitle = \"x\nbody = 'y'\n", 2, 11),
        ("[a]\ntitle = 'x'\nbody = 'y'\n[a]\ntitle = 'z'\n", 4, 1),
        ("# one\n# two\n[a\ntitle = 'x'\n", 3, 3),
    ];
    for (text, line, col) in cases {
        let s = Sandbox::new();
        let bad = s.reply_file("bad.toml", text);
        s.reply_file("good.toml", &reply("good", "Good", "g"));
        let out = s.cmd().arg("list").output().unwrap();
        expect_code(&out, 0);
        assert_eq!(ids(&stdout(&out)), ["good"], "{text:?}");
        let err = stderr(&out);
        let got = position(&err, &bad.display().to_string());
        assert_eq!(got.0, line, "{text:?}: {err}");
        assert!(
            got.1 >= 1 && (got.0 != line || got.1 <= col + 8),
            "{text:?}: {err}"
        );
        assert!(err.contains('^'), "{err}");
    }
}

/// Runs `reply ARGS` so that chmod 000 really denies reading: as this user if
/// it is not root, else as `nobody` through setpriv(1). `None` when neither works.
fn run_unprivileged(
    s: &Sandbox,
    probe: &std::path::Path,
    args: &[&str],
) -> Option<std::process::Output> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::read(probe).is_err() && std::fs::read_dir(probe).is_err() {
        return Some(s.cmd().args(args).output().unwrap());
    }
    // Root reads anything: drop to `nobody`, who needs to reach the sandbox.
    for dir in [s.dir.path().to_path_buf(), s.lib()] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).ok()?;
    }
    let mut c = to_std(&s.cmd(), "setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin())
        .args(args);
    let out = c.output().ok()?;
    if String::from_utf8_lossy(&out.stderr).contains("setpriv:") {
        return None;
    }
    Some(out)
}

#[test]
fn an_unreadable_file_is_reported_with_its_path_and_the_os_error() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.reply_file("good.toml", &reply("good", "Good", "g"));
    let locked = s.reply_file("locked.toml", &reply("locked", "Locked", "l"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let Some(out) = run_unprivileged(&s, &locked, &["list"]) else {
        eprintln!("skipped: cannot make the file unreadable for reply");
        return;
    };
    expect_code(&out, 0);
    assert_eq!(ids(&stdout(&out)), ["good"]);
    let err = stderr(&out);
    contains_all(&err, &[&locked.display().to_string(), "ermission denied"]);
    // Rendering a reply from the readable file still works.
    let out = run_unprivileged(&s, &locked, &["render", "good"]).unwrap();
    expect_code(&out, 0);
    assert_eq!(stdout(&out), "g");
}

#[test]
fn an_unreadable_folder_is_reported_and_the_rest_read() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.reply_file("good.toml", &reply("good", "Good", "g"));
    s.reply_file("locked/x.toml", &reply("x", "X", "x"));
    let dir = s.lib().join("locked");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = run_unprivileged(&s, &dir, &["list"]);
    let render = run_unprivileged(&s, &dir, &["render", "good", "--exact"]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (Some(out), Some(render)) = (out, render) else {
        eprintln!("skipped: cannot make the folder unreadable for reply");
        return;
    };
    expect_code(&out, 0);
    // The unreadable folder is named, with the OS error.
    contains_all(
        &stderr(&out),
        &[&dir.display().to_string(), "ermission denied"],
    );
    assert_eq!(ids(&stdout(&out)), ["good"], "{}", stderr(&out));
    expect_code(&render, 0);
    assert_eq!(stdout(&render), "g");
}

#[test]
fn the_exit_codes_are_listed_in_help() {
    let s = Sandbox::new();
    let out = ok(s.bare().arg("--help"));
    let lines: Vec<&str> = out.lines().map(str::trim_start).collect();
    for code in ["0", "1", "2"] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{code} "))),
            "exit code {code} not listed:\n{out}"
        );
    }
    let one = lines.iter().find(|l| l.starts_with("1 ")).unwrap();
    assert!(one.contains("match"), "{one}");
}

#[test]
fn bad_usage_is_exit_2() {
    let s = Sandbox::new();
    for args in [&["--no-such-flag"][..], &["list", "--tag"], &["search"]] {
        let out = s.cmd().args(args).output().unwrap();
        expect_code(&out, 2);
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn an_invalid_config_is_named_with_its_problem() {
    let s = Sandbox::new();
    s.reply_file("good.toml", BASIC);
    let cfg = s.config("agnet = \"Sam\"\n");
    let out = s
        .cmd()
        .args(["render", "thanks", "-c", "A", "-a", "B"])
        .output()
        .unwrap();
    expect_code(&out, 2);
    assert_eq!(stdout(&out), "");
    contains_all(&stderr(&out), &[&cfg.display().to_string(), "agnet"]);
}
