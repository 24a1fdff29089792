//! Issue 5, `--vars FILE`: variables from TOML or JSON (or stdin), nested
//! objects, numbers and booleans, and `-v` winning over the file.

use crate::support::*;

const LIB: &str = r#"
[status]
title = "Order status"
body = "{{ customer }}: order {{ order.id }} ({{ order.items }} items), paid={{ paid }}, {{ note }}"
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    s
}

const TOML: &str =
    "customer = \"Ana\"\nnote = \"from TOML\"\npaid = true\n\n[order]\nid = \"A-1\"\nitems = 3\n";
const JSON: &str = r#"{"customer": "Ana", "note": "from JSON", "paid": false, "order": {"id": "A-2", "items": 1}}"#;

#[test]
fn a_toml_file_gives_nested_tables_numbers_and_booleans() {
    Run::new()
        .library_file("lib.toml", LIB)
        .write("vars.toml", TOML)
        .args(["render", "status", "--vars", "vars.toml"])
        .stdout("Ana: order A-1 (3 items), paid=true, from TOML")
        .success();
}

#[test]
fn a_json_file_gives_nested_objects_numbers_and_booleans() {
    Run::new()
        .library_file("lib.toml", LIB)
        .write("vars.json", JSON)
        .args(["render", "status", "--vars", "vars.json"])
        .stdout("Ana: order A-2 (1 items), paid=false, from JSON")
        .success();
}

#[test]
fn flags_win_over_the_file() {
    Run::new()
        .library_file("lib.toml", LIB)
        .write("vars.toml", TOML)
        .args([
            "render",
            "status",
            "--vars",
            "vars.toml",
            "-v",
            "note=from -v",
            "-c",
            "Bob",
        ])
        .stdout("Bob: order A-1 (3 items), paid=true, from -v")
        .success();
}

#[test]
fn the_file_wins_over_the_environment() {
    Run::new()
        .library_file("lib.toml", LIB)
        .write("vars.toml", TOML)
        .env("REPLY_CUSTOMER", "Env")
        .env("REPLY_VAR_note", "from env")
        .args(["render", "status", "--vars", "vars.toml"])
        .stdout("Ana: order A-1 (3 items), paid=true, from TOML")
        .success();
}

#[test]
fn stdin_reads_json_or_toml() {
    let s = sandbox();
    s.run()
        .args(["render", "status", "--vars", "-"])
        .stdin(JSON)
        .stdout("Ana: order A-2 (1 items), paid=false, from JSON")
        .code(0);
    s.run()
        .args(["render", "status", "--vars", "-"])
        .stdin(TOML)
        .stdout("Ana: order A-1 (3 items), paid=true, from TOML")
        .code(0);
}

#[test]
fn a_missing_nested_field_is_named_in_full() {
    let s = sandbox();
    s.write(
        "vars.json",
        r#"{"customer": "Ana", "note": "n", "paid": 1, "order": {"items": 2}}"#,
    );
    let out = s
        .run()
        .args(["render", "status", "--vars", "vars.json"])
        .code(2);
    contains_all(
        &out.stderr,
        &[
            "needs a value for `order.id`",
            "--vars FILE holding {\"order\": {\"id\": …}}",
        ],
    );
}

#[test]
fn bad_files_are_reported_with_their_name_and_position() {
    let s = sandbox();
    s.write("bad.json", "{\"customer\": \"Ana\",\n \"order\": }\n");
    let out = s
        .run()
        .args(["render", "status", "--vars", "bad.json"])
        .code(2);
    contains_all(&out.stderr, &["bad.json:2:", "invalid JSON"]);
    s.write("list.json", "[1, 2]");
    let out = s
        .run()
        .args(["render", "status", "--vars", "list.json"])
        .code(2);
    contains_all(&out.stderr, &["list.json holds a list"]);
    let out = s
        .run()
        .args(["render", "status", "--vars", "missing.toml"])
        .code(2);
    contains_all(&out.stderr, &["missing.toml"]);
}
