//! Issue 2, output: closed pipes, colour, and escaping of control characters.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::support::*;

fn big_library(s: &Sandbox, n: usize) {
    let mut text = String::with_capacity(n * 120);
    for i in 0..n {
        text.push_str(&format!(
            "[reply-{i:05}]\ntitle = \"Reply number {i} with a reasonably long title to fill the pipe\"\ntags = [\"bulk\", \"t{i}\"]\nbody = \"Body {i} {{{{ customer }}}}\"\n\n"
        ));
    }
    s.library_file("big.toml", &text);
}

#[test]
fn list_into_a_reader_that_closes_early_exits_0_without_a_panic() {
    let s = Sandbox::new();
    big_library(&s, 4000);
    let mut child = s
        .command(bin())
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("reply-00000\t"), "{first}");
    drop(reader);
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    no_panic(&err);
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    assert!(
        !err.contains("Broken pipe") && !err.contains("broken pipe"),
        "{err}"
    );
}

#[test]
fn list_piped_into_head_in_a_shell_exits_0() {
    if !require_all(&["sh", "head"]) {
        return;
    }
    let s = Sandbox::new();
    big_library(&s, 4000);
    let sh = format!(
        "{{ '{}' list 2>err.txt; echo $? >status.txt; }} | head -1",
        bin().display()
    );
    let out = s.run().shell(&sh).code(0);
    assert!(out.stdout.starts_with("reply-00000\t"), "{out}");
    let status = std::fs::read_to_string(s.path("status.txt")).unwrap();
    let err = std::fs::read_to_string(s.path("err.txt")).unwrap();
    assert_eq!(status.trim(), "0", "stderr: {err}");
    no_panic(&err);
}

#[test]
fn search_and_show_into_a_closed_pipe_exit_0() {
    if !require_all(&["sh", "head"]) {
        return;
    }
    let s = Sandbox::new();
    big_library(&s, 3000);
    for sub in ["search bulk --limit 3000", "show reply-00001"] {
        let sh = format!(
            "{{ '{}' {sub} 2>err.txt; echo $? >status.txt; }} | head -c 1 >/dev/null",
            bin().display()
        );
        s.run().shell(&sh).code(0);
        let status = std::fs::read_to_string(s.path("status.txt")).unwrap();
        let err = std::fs::read_to_string(s.path("err.txt")).unwrap();
        assert_eq!(status.trim(), "0", "{sub}: {err}");
        no_panic(&err);
    }
}

/// The commands checked for colour: each prints something worth colouring.
fn coloured_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["list"],
        vec!["search", "order"],
        vec!["show", "order-delay"],
        vec![
            "render", "delay", "-c", "A", "-a", "B", "-b", "C", "-v", "order=1",
        ],
        vec!["render", "order-delay"],
        vec!["search", "xylophone"],
        vec!["paths"],
    ]
}

#[test]
fn no_color_and_color_never_print_no_escape_codes() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s.library_file("bad.toml", "[x\n");
    for args in coloured_commands() {
        for how in ["NO_COLOR", "--color never", "--color=never"] {
            let c = s.run().args(&args);
            let c = match how {
                "NO_COLOR" => c.env("NO_COLOR", "1"),
                "--color never" => c.args(["--color", "never"]),
                _ => c.arg("--color=never"),
            };
            let out = c.output();
            assert!(
                !out.stdout.contains('\x1b'),
                "{args:?} {how}: {}",
                out.stdout
            );
            assert!(
                !out.stderr.contains('\x1b'),
                "{args:?} {how}: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn color_always_highlights_search_matches() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    let out = s
        .run()
        .args(["search", "thanks", "--color", "always"])
        .success()
        .stdout;
    assert!(out.contains('\x1b'), "{out:?}");
    // The matched letters are inside an escape sequence; stripping the codes
    // gives back the plain text.
    let plain = strip_ansi(&out);
    assert!(plain.starts_with("thanks"), "{plain:?}");
    assert!(plain.contains("Thanks for your message"), "{plain:?}");
    // Even with NO_COLOR, an explicit --color always wins (the flag is explicit).
    let out = s
        .run()
        .args(["search", "thanks", "--color", "always"])
        .env("NO_COLOR", "1")
        .success()
        .stdout;
    assert!(out.contains('\x1b'), "{out:?}");
}

#[test]
fn render_prints_no_escape_codes_even_with_color_always() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s.run()
        .args([
            "render", "thanks", "-c", "A", "-a", "B", "--color", "always",
        ])
        .stdout("Thanks A! B")
        .success();
}

const CONTROL: &str = r#"
[ctl]
title = "Bad\u001B[31mRED\u0007 title\rX"
tags = ["t\u001Bx"]
body = "Line \u001B[2J clear\u0007"
"#;

#[test]
fn control_characters_are_escaped_in_list_search_and_show() {
    let s = Sandbox::new();
    s.library_file("ctl.toml", CONTROL);
    for args in [
        &["list"][..],
        &["search", "title"],
        &["show", "ctl"],
        &["list", "--color", "never"],
    ] {
        let out = s.run().args(args).success().stdout;
        for c in ['\x1b', '\x07', '\r'] {
            assert!(!out.contains(c), "{args:?} prints {c:?} raw: {out:?}");
        }
        assert!(out.contains("RED"), "{args:?}: {out:?}");
    }
}

#[test]
fn render_prints_the_message_as_is() {
    let s = Sandbox::new();
    s.library_file("ctl.toml", CONTROL);
    s.run()
        .args(["render", "ctl"])
        .stdout("Line \x1b[2J clear\x07")
        .success();
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in s.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

/// Runs `reply ARGS` on a pseudo-terminal through script(1) and returns what
/// the terminal showed.
fn on_terminal(s: &Sandbox, args: &str, env: &[(&str, &str)]) -> String {
    let mut c = s
        .run()
        .program("script")
        .args([
            "-qec",
            &format!("'{}' {args}", bin().display()),
            "/dev/null",
        ])
        .env("TERM", "xterm");
    for (k, v) in env {
        c = c.env(k, v);
    }
    c.output().stdout.replace("\r\n", "\n")
}

#[test]
fn on_a_terminal_colour_is_on_unless_no_color() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    if !require("script") {
        return;
    }
    let out = on_terminal(&s, "search thanks", &[]);
    assert!(out.contains('\x1b'), "no colour on a terminal: {out:?}");
    for (args, env) in [
        ("search thanks", &[("NO_COLOR", "1")][..]),
        ("search thanks --color never", &[]),
        ("list", &[("NO_COLOR", "1")]),
        ("show thanks", &[("NO_COLOR", "1")]),
    ] {
        let out = on_terminal(&s, args, env);
        assert!(!out.contains('\x1b'), "{args} {env:?}: {out:?}");
        assert!(out.contains("thanks"), "{args}: {out:?}");
    }
}

#[test]
fn on_a_terminal_render_ends_with_a_newline_and_tables_are_aligned() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    if !require("script") {
        return;
    }
    let out = on_terminal(&s, "render thanks -c Ana -a Sam --print", &[]);
    assert_eq!(out, "Thanks Ana! Sam\n");
    let out = on_terminal(&s, "list --color never", &[]);
    assert!(!out.contains('\t'), "{out:?}");
    assert!(out.starts_with("order-delay "), "{out:?}");
}

#[test]
fn control_characters_stay_escaped_inside_search_highlights() {
    let s = Sandbox::new();
    s.library_file("ctl.toml", CONTROL);
    for q in ["red", "bad", "title"] {
        let out = s
            .run()
            .args(["search", q, "--color", "always"])
            .success()
            .stdout;
        assert!(out.contains('\x1b'), "{q}: no highlight: {out:?}");
        assert!(
            !out.contains("\x1b[31m"),
            "{q}: raw escape from the title: {out:?}"
        );
        assert!(!out.contains('\x07') && !out.contains('\r'), "{q}: {out:?}");
    }
}
