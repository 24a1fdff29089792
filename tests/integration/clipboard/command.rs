//! `copy_command`, which overrides every other way, and what happens when no way works:
//! exit 3, nothing half-done.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;

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
