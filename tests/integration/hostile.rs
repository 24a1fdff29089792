//! A library is other people's input: whatever it holds, `reply` must not
//! hang, crash, read outside it, or let it drive the terminal. Each class of
//! failure found by the hostile-input campaign, with several cases. (The cache
//! and `--each` records have their own files: hostile_cache, hostile_records.)

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::support::*;

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o600) },
        0,
        "mkfifo {path:?}"
    );
}

const GOOD: &str = "[good]\ntitle = \"Good\"\nbody = \"Hi {{ customer }}\"\n";

fn with_good() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("good.toml", GOOD);
    s
}

/// No byte of an escape sequence reaches the terminal.
#[track_caller]
fn no_escape(ran: &Ran) {
    for (name, text) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{name} carries a control character:\n{ran}"
        );
    }
}

// --- hangs -------------------------------------------------------------------

#[test]
fn a_named_pipe_in_a_library_is_skipped_by_every_command() {
    let s = with_good();
    mkfifo(&s.lib().join("x.toml"));
    mkfifo(&s.lib().join("sub.toml"));
    s.run()
        .arg("list")
        .stdout("good\tGood\t\t".to_string() + &s.lib().display().to_string() + "\n")
        .success();
    s.run().args(["search", "good"]).success();
    s.run()
        .args(["good", "-c", "Ana"])
        .stdout("Hi Ana")
        .success();
    s.run()
        .args(["__complete-ids", ""])
        .stdout("good\tGood\n")
        .success();
    let ran = s.run().arg("check").success();
    assert!(
        ran.stdout
            .contains("x.toml is a named pipe, not a regular file: skipped"),
        "{ran}"
    );
}

#[test]
fn a_named_pipe_as_library_settings_or_config_is_an_error_not_a_hang() {
    let s = with_good();
    mkfifo(&s.lib().join(".reply-library.toml"));
    let ran = s.run().arg("list").success();
    assert!(
        ran.stderr
            .contains(".reply-library.toml: it is a named pipe"),
        "{ran}"
    );
    assert!(ran.stdout.starts_with("good"), "{ran}");

    // The config found at its usual place, and one named by REPLY_CONFIG.
    let s = with_good();
    mkfifo(&s.config("").with_extension("toml.fifo"));
    std::fs::remove_file(s.path("config/reply/config.toml")).unwrap();
    mkfifo(&s.path("config/reply/config.toml"));
    s.run()
        .arg("list")
        .stderr_contains("it is a named pipe, not a regular file")
        .code(2);
    s.run()
        .env("REPLY_CONFIG", s.path("config/reply/config.toml.fifo"))
        .arg("list")
        .stderr_contains("it is a named pipe, not a regular file")
        .code(2);
}

#[test]
fn a_named_pipe_named_on_the_command_line_is_read_as_a_stream() {
    let s = with_good();
    for (flag, input) in [
        ("--vars", "{\"customer\": \"Ana\"}"),
        ("--each", "customer\nAna\nBo\n"),
    ] {
        let fifo = s.path(&format!("in{flag}"));
        mkfifo(&fifo);
        let writer = {
            let fifo = fifo.clone();
            let input = input.to_string();
            std::thread::spawn(move || std::fs::write(fifo, input))
        };
        let ran = s
            .run()
            .args(["render", "good", flag])
            .arg(&fifo)
            .args(if flag == "--each" {
                &["--format", "text"][..]
            } else {
                &[][..]
            })
            .success();
        writer.join().expect("writer").expect("write the fifo");
        assert!(ran.stdout.contains("Hi Ana"), "{flag}: {ran}");
    }
}

#[test]
fn symbolic_link_loops_are_read_once_and_reported_once() {
    let s = with_good();
    let lib = s.lib();
    std::fs::create_dir_all(lib.join("a")).unwrap();
    std::fs::create_dir_all(lib.join("b")).unwrap();
    s.library_file("a/a.toml", &reply("in-a", "In a", "Hi {{ customer }}"));
    symlink("../b", lib.join("a/to-b")).unwrap();
    symlink("../a", lib.join("b/to-a")).unwrap();
    symlink("..", lib.join("a/up")).unwrap();
    symlink("self", lib.join("self")).unwrap();
    symlink("self.toml", lib.join("self.toml")).unwrap();
    let ran = s.run().arg("list").success();
    assert_eq!(ids(&ran.stdout), ["in-a", "good"], "{ran}");
    assert!(!ran.stderr.contains("duplicate"), "{ran}");
    // A good reply renders: no duplicate made it ambiguous.
    s.run()
        .args(["good", "-c", "Ana"])
        .stdout("Hi Ana")
        .success();
    s.run()
        .args(["in-a", "-c", "Ana"])
        .stdout("Hi Ana")
        .success();
    let ran = s.run().arg("check").success();
    assert!(ran.stdout.contains("a symbolic link loop"), "{ran}");
    assert!(
        ran.stdout
            .contains("self.toml is a symbolic link that loops"),
        "{ran}"
    );
    assert_eq!(ran.stdout.matches("duplicate reply id").count(), 0, "{ran}");
}

const LOOPS: &str = r#"
[nested-range]
title = "Nested range"
body = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}Hi {{ customer }}"

[nested-lists]
title = "Nested lists"
body = """{% set a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32] %}{% for x in a %}{% for y in a %}{% for z in a %}{% for w in a %}{% for v in a %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{{ customer }}"""

[flood]
title = "Flood"
body = """{% for i in range(end=100000) %}{{ "0123456789abcdef0123456789" }}{% endfor %}{{ customer }}"""
"#;

fn growth(op: &str) -> String {
    format!(
        "[growth]\ntitle = \"Growth\"\nbody = \"\"\"{{% set s = \"xxxxxxxxxxxxxxxx\" %}}{}{{{{ customer }}}}\"\"\"\n",
        op.repeat(40)
    )
}

#[test]
fn a_template_that_never_finishes_stops_with_an_error_naming_it() {
    let s = with_good();
    let file = s.library_file("loops.toml", LOOPS);
    // Each limit on its own: on a slow or busy machine a short time limit
    // would otherwise stop the step and size cases first.
    for (id, time, why) in [
        ("nested-range", "60s", "its loops went past 1000000 steps"),
        ("nested-lists", "500ms", "rendering took longer than 500 ms"),
        ("flood", "60s", "the message grew past 1 MB"),
    ] {
        s.config(&format!("[limits]\nrender_time = \"{time}\"\n"));
        let ran = s.run().args(["render", id, "-c", "Ana"]).stdout("").code(2);
        assert!(ran.stderr.contains(why), "{id}: {ran}");
        assert!(ran.stderr.contains(&format!("reply `{id}`")), "{id}: {ran}");
        assert!(
            ran.stderr.contains(&file.display().to_string()),
            "{id}: {ran}"
        );
    }
}

#[test]
fn a_template_that_grows_a_text_stops_cleanly_never_aborts() {
    for op in [
        "{% set s = s ~ s %}",
        "{% set s %}{{ s }}{{ s }}{% endset %}",
        "{% set s = s | replace(from=\"x\", to=\"xx\") %}",
    ] {
        let s = with_good();
        s.library_file("grow.toml", &growth(op));
        let ran = s
            .run()
            .args(["render", "growth", "-c", "Ana"])
            .stdout("")
            .code(2);
        assert!(ran.stderr.contains("could not be rendered"), "{op}: {ran}");
        // The rest of the library is fine.
        s.run()
            .args(["good", "-c", "Ana"])
            .stdout("Hi Ana")
            .success();
    }
}

#[test]
fn check_reports_a_runaway_template_and_goes_on() {
    let s = with_good();
    s.library_file("loops.toml", LOOPS);
    s.library_file("grow.toml", &growth("{% set s = s ~ s %}"));
    s.library_file(
        "z.toml",
        "[shout]\ntitle = \"Shout\"\nbody = \"PLEASE NOTE {{ customer }}\"\n",
    );
    s.config("[limits]\nrender_time = \"300ms\"\n");
    let ran = s.run().arg("check").code(2);
    for id in ["nested-range", "nested-lists", "flood", "growth"] {
        assert!(
            ran.stdout
                .contains(&format!("of `{id}` could not be rendered")),
            "{id}: {ran}"
        );
    }
    // The replies after them were still checked.
    assert!(ran.stdout.contains("shouts"), "{ran}");
    assert!(ran.stderr.contains("4 errors"), "{ran}");
}

#[test]
fn many_missing_values_in_a_slow_template_share_one_time_limit() {
    // Each pass that finds the next missing value loops a million times; a
    // hundred passes would take far longer than the one limit they share.
    let s = with_good();
    let vars: String = (0..100).map(|i| format!("{{{{ v{i} }}}}")).collect();
    let slow = "{% set a = [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32] %}{% for x in a %}{% for y in a %}{% for z in a %}{% for w in a %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}";
    s.library_file(
        "slow.toml",
        &format!("[slow]\ntitle = \"Slow\"\nbody = \"\"\"{slow}{vars} {{{{ customer }}}}\"\"\"\n"),
    );
    s.config("[limits]\nrender_time = \"1s\"\n");
    s.run()
        .args(["render", "slow", "-c", "Ana"])
        .stderr_contains("rendering took longer than 1 s")
        .code(2);
}

#[test]
fn the_limits_are_set_in_the_config_and_checked() {
    let s = with_good();
    s.library_file(
        "long.toml",
        "[long]\ntitle = \"Long\"\nbody = \"{% for i in range(end=50) %}0123456789{% endfor %}{{ customer }}\"\n",
    );
    s.run().args(["long", "-c", "Ana"]).success();
    s.config("[limits]\nrender_output = \"256\"\n");
    s.run()
        .args(["long", "-c", "Ana"])
        .stderr_contains("the message grew past 256 bytes")
        .code(2);
    for bad in [
        "render_time = \"soon\"",
        "render_output = \"big\"",
        "render_time = \"0s\"",
        "speed = 3",
    ] {
        s.config(&format!("[limits]\n{bad}\n"));
        s.run().args(["good", "-c", "Ana"]).stdout("").code(2);
    }
}

// --- crashes -------------------------------------------------------------------

#[test]
fn a_full_stderr_or_stdout_never_panics() {
    let s = with_good();
    for (script, code) in [
        ("reply good 2>/dev/full", 2),
        ("reply nope --exact 2>/dev/full", 1),
        ("reply check 2>/dev/full", 0),
        ("reply list >/dev/full", 4),
        ("reply good -c Ana >/dev/full", 4),
        ("reply list >/dev/full 2>/dev/full", 4),
    ] {
        let ran = s.run().shell(script).output();
        assert_eq!(ran.status.code(), Some(code), "{script}: {ran}");
        no_panic(&ran.stderr);
    }
}

#[test]
fn help_and_version_into_a_full_output_are_exit_4() {
    let s = with_good();
    for script in [
        "reply --help >/dev/full",
        "reply render --help >/dev/full",
        "reply --version >/dev/full",
        "reply -h >/dev/full",
    ] {
        let ran = s.run().shell(script).output();
        assert_eq!(ran.status.code(), Some(4), "{script}: {ran}");
        assert!(
            ran.stderr.contains("cannot write output"),
            "{script}: {ran}"
        );
    }
    // A closed pipe is still not an error.
    s.run().shell("reply --help | head -1 >/dev/null").success();
}

// --- leaks and terminal injection ------------------------------------------------

#[test]
fn a_link_out_of_the_library_is_refused_without_showing_its_target() {
    let s = with_good();
    s.write("secret/id_rsa", "SECRET=hunter2\n-----BEGIN KEY-----\n");
    s.write(
        "elsewhere/more.toml",
        &reply("outside", "Outside", "hunter2"),
    );
    symlink(s.path("secret/id_rsa"), s.lib().join("key.toml")).unwrap();
    symlink("/proc/self/environ", s.lib().join("env.toml")).unwrap();
    symlink(s.path("elsewhere"), s.lib().join("other")).unwrap();
    for args in [
        &["check"][..],
        &["list"],
        &["search", "hunter"],
        &["show", "outside"],
    ] {
        let ran = s.run().args(args).output();
        let all = ran.both();
        assert!(
            !all.contains("hunter2") && !all.contains("BEGIN KEY"),
            "{args:?}: {ran}"
        );
        assert!(
            !all.contains("PATH="),
            "{args:?}: the environment leaked: {ran}"
        );
    }
    let ran = s.run().arg("check").code(2);
    for link in ["key.toml", "env.toml", "other"] {
        assert!(
            ran.stdout
                .contains(&format!("{link} is a symbolic link to")),
            "{link}: {ran}"
        );
    }
    assert!(
        ran.stdout.contains("outside the library: not read"),
        "{ran}"
    );
    // Links that stay inside the library are fine.
    let s = with_good();
    symlink("good.toml", s.lib().join("alias.toml")).unwrap();
    let ran = s.run().arg("check").output();
    assert!(!ran.stdout.contains("outside the library"), "{ran}");
}

#[test]
fn escape_sequences_in_names_and_files_are_shown_escaped() {
    let s = with_good();
    // A file name, a folder name, a TOML key and a comment with sequences that
    // retitle the terminal, recolour it and set its clipboard (OSC 52).
    s.library_file(
        "\x1b]0;owned\x07.toml",
        GOOD.replace("good", "title-seq").as_str(),
    );
    s.library_file(
        "\x1b[31mred/r.toml",
        &reply("in-red", "Red", "Hi {{ customer }}"),
    );
    s.library_file(
        "keys.toml",
        "[\"\x1b]52;c;aGk=\x07\"]\ntitle = \"x\"\nbody = \"y\"\n",
    );
    s.library_file(
        "comment.toml",
        "# \x1b[2J cleared\n[c]\ntitle = \"C\"\nbody = \"x\"\n",
    );
    s.library_file(
        "field.toml",
        "[f]\ntitle = \"F\"\nbody = \"x\"\n\"\x1b[5m\" = 1\n",
    );
    for args in [
        &["list"][..],
        &["check"],
        &["search", "red"],
        &["show", "in-red"],
        &["paths"],
        &["list", "--json"],
        &["__complete-ids", ""],
    ] {
        let ran = s.run().args(args).output();
        no_escape(&ran);
    }
    let ran = s.run().arg("check").code(2);
    assert!(
        ran.stdout.contains("\\u{1b}"),
        "escaped, not dropped: {ran}"
    );
}

#[test]
fn escape_sequences_in_the_library_path_and_arguments_are_escaped() {
    let s = Sandbox::new();
    let lib = s.path("\x1b[31mlib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("g.toml"), GOOD).unwrap();
    for args in [
        &["list"][..],
        &["paths"],
        &["check"],
        &["search", "zzqx"],
        &["--tag\x1b[31m"],
    ] {
        let ran = s.run().bare().arg("-L").arg(&lib).args(args).output();
        no_escape(&ran);
    }
    // A bad --each file name is shown escaped too.
    let ran = s
        .run()
        .bare()
        .arg("-L")
        .arg(&lib)
        .args(["render", "good", "--each", "/nonexistent/\x1b[31m.csv"])
        .code(2);
    no_escape(&ran);
}

// --- small -------------------------------------------------------------------------

#[test]
fn a_file_name_that_is_not_utf8_is_read_with_a_warning() {
    let s = Sandbox::new();
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
    std::fs::write(s.lib().join(name), GOOD).unwrap();
    let ran = s.run().arg("check").success();
    assert!(ran.stdout.contains("is not valid UTF-8"), "{ran}");
    s.run()
        .args(["good", "-c", "Ana"])
        .stdout("Hi Ana")
        .success();
}

#[test]
fn numbers_render_exactly_as_written() {
    let s = Sandbox::new();
    s.library_file(
        "n.toml",
        "[n]\ntitle = \"N\"\nbody = \"{{ customer }}: {{ order }} {{ total }} {{ count }}\"\n",
    );
    s.write(
        "v.json",
        "{\"customer\": \"Ana\", \"order\": 123456789012345678901234567890, \"total\": 1.50, \"count\": 3}",
    );
    s.run()
        .args(["n", "--vars", "v.json"])
        .stdout("Ana: 123456789012345678901234567890 1.50 3")
        .success();
    s.write(
        "r.jsonl",
        "{\"customer\": \"Bo\", \"order\": 99999999999999999999, \"total\": 0.1, \"count\": -7}\n",
    );
    s.run()
        .args(["render", "n", "--each", "r.jsonl", "--format", "text"])
        .stdout("Bo: 99999999999999999999 0.1 -7\n")
        .success();
    // And in --json, as numbers still.
    let v = s.run().args(["n", "--vars", "v.json", "--json"]).success();
    assert!(v.stdout.contains("123456789012345678901234567890"), "{v}");
}

#[test]
fn a_named_pipe_in_the_cache_folder_does_not_block() {
    let s = with_good();
    s.run().arg("list").success();
    let cache = s.path("cache/reply");
    let mut replaced = 0;
    for entry in std::fs::read_dir(&cache).expect("the cache folder") {
        let path = entry.expect("entry").path();
        if path
            .extension()
            .is_some_and(|e| e == "index" || e == "bodies")
        {
            std::fs::remove_file(&path).unwrap();
            mkfifo(&path);
            replaced += 1;
        }
    }
    assert_eq!(replaced, 2, "an index and a bodies file");
    s.run()
        .args(["search", "good"])
        .stdout_contains("good")
        .success();
    s.run()
        .args(["good", "-c", "Ana"])
        .stdout("Hi Ana")
        .success();
}
