//! Issue 2, errors: bad TOML files, unreadable files, and the exit codes.

use crate::render::{assert_caret_under, position};
use crate::support::*;

/// A good file and a file with a TOML syntax error on line 4, column 9.
fn with_bad_file() -> (Sandbox, std::path::PathBuf) {
    let s = Sandbox::new();
    s.library_file("good.toml", BASIC);
    let bad = s.library_file(
        "bad.toml",
        "[broken]\ntitle = \"Broken\"\nbody = \"b\"\ntags = [\"a\" \"b\"]\n",
    );
    (s, bad)
}

#[test]
fn a_bad_file_does_not_hide_the_good_ones_from_list() {
    let (s, bad) = with_bad_file();
    let out = s.run().arg("list").code(0);
    assert_eq!(ids(&out.stdout), ["order-delay", "thanks"]);
    let err = &out.stderr;
    let (line, col) = position(err, &bad.display().to_string());
    assert_eq!((line, col), (4, 13), "{err}");
    assert_caret_under(err, "tags = [\"a\" \"b\"]", col);
    no_panic(err);
}

#[test]
fn a_bad_file_does_not_hide_the_good_ones_from_search() {
    let (s, bad) = with_bad_file();
    let out = s
        .run()
        .args(["search", "thanks"])
        .stderr_contains(bad.display().to_string())
        .code(0);
    assert_eq!(ids(&out.stdout), ["thanks"]);
}

#[test]
fn a_reply_from_a_good_file_still_renders() {
    let (s, _) = with_bad_file();
    s.run()
        .args(["render", "thanks", "-c", "Ana", "-a", "Sam"])
        .stdout("Thanks Ana! Sam")
        .code(0);
}

#[test]
fn a_command_that_needs_the_bad_file_fails_with_its_position() {
    let (s, bad) = with_bad_file();
    let file = bad.display().to_string();
    for args in [&["render", "broken", "--exact"][..], &["show", "broken"]] {
        let out = s.run().args(args).stdout("").code(2);
        let err = &out.stderr;
        let (line, col) = position(err, &file);
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
        let bad = s.library_file("bad.toml", text);
        s.library_file("good.toml", &reply("good", "Good", "g"));
        let out = s.run().arg("list").code(0);
        assert_eq!(ids(&out.stdout), ["good"], "{text:?}");
        let err = &out.stderr;
        let got = position(err, &bad.display().to_string());
        assert_eq!(got.0, line, "{text:?}: {err}");
        assert!(
            got.1 >= 1 && (got.0 != line || got.1 <= col + 8),
            "{text:?}: {err}"
        );
        assert!(err.contains('^'), "{err}");
    }
}

// Root reads a file whatever its mode, so these tests run reply unprivileged
// (see `Run::unprivileged`): as root, as `nobody`.

#[test]
fn an_unreadable_file_is_reported_with_its_path_and_the_os_error() {
    use std::os::unix::fs::PermissionsExt;
    if !can_run_unprivileged() {
        return;
    }
    let s = Sandbox::new();
    s.library_file("good.toml", &reply("good", "Good", "g"));
    let locked = s.library_file("locked.toml", &reply("locked", "Locked", "l"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = s.run().unprivileged().arg("list").code(0);
    assert_eq!(ids(&out.stdout), ["good"]);
    contains_all(
        &out.stderr,
        &[&locked.display().to_string(), "ermission denied"],
    );
    // Rendering a reply from the readable file still works.
    s.run()
        .unprivileged()
        .args(["render", "good"])
        .stdout("g")
        .code(0);
}

#[test]
fn an_unreadable_folder_is_reported_and_the_rest_read() {
    use std::os::unix::fs::PermissionsExt;
    if !can_run_unprivileged() {
        return;
    }
    let s = Sandbox::new();
    s.library_file("good.toml", &reply("good", "Good", "g"));
    s.library_file("locked/x.toml", &reply("x", "X", "x"));
    let dir = s.lib().join("locked");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = s.run().unprivileged().arg("list").output();
    let render = s
        .run()
        .unprivileged()
        .args(["render", "good", "--exact"])
        .output();
    // Before any assertion, so that the sandbox can be removed whatever happens.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.code(), 0, "{out}");
    // The unreadable folder is named, with the OS error.
    contains_all(
        &out.stderr,
        &[&dir.display().to_string(), "ermission denied"],
    );
    assert_eq!(ids(&out.stdout), ["good"], "{}", out.stderr);
    assert_eq!(render.code(), 0, "{render}");
    assert_eq!(render.stdout, "g");
}

#[test]
fn the_exit_codes_are_listed_in_help() {
    let s = Sandbox::new();
    let out = s.run().bare().arg("--help").success().stdout;
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
        s.run().args(args).stdout("").code(2);
    }
}

#[test]
fn an_invalid_config_is_named_with_its_problem() {
    let s = Sandbox::new();
    s.library_file("good.toml", BASIC);
    let cfg = s.config("agnet = \"Sam\"\n");
    s.run()
        .args(["render", "thanks", "-c", "A", "-a", "B"])
        .stdout("")
        .stderr_contains(cfg.display().to_string())
        .stderr_contains("agnet")
        .code(2);
}
