//! README.md's examples, run against the binary, so that the README cannot drift from what
//! `reply` does. The README is read when the test runs; every mismatch is collected and
//! reported at once, with the README line it comes from.
//!
//! Each block runs in a sandbox of its own whose config has `agent = "Sam"`, `brand = "Acme"`
//! and no library, so that the starter library serves, as in the README's session. Its
//! `copy_command` is a stub that keeps the text, so that `--copy` works without a desktop and
//! never reaches the terminal the tests run in. Commands run with bash in `work/`, a team's
//! library repository: a copy of the starter library, `delayed.csv` (an export with `id`,
//! `customer` and `order` columns), `send-dm.sh`, a stub that records its arguments, and
//! the sources "Moving to reply" imports (tests/fixtures/import/readme/work: `espanso/`,
//! `macros.csv`, `tags/`; and pet's `~/.config/pet/snippet.toml`, from readme/home).
//! git runs with the sandbox's own config and identity (see `Sandbox`), for the team
//! library walk-through.
//!
//! `console` blocks are a session at a terminal:
//! - a line starting with `$ ` is a command, run with bash on a pseudo-terminal (`script`), with
//!   `NO_COLOR` set; the lines after it, up to the next `$ `, are what the terminal shows (stdout
//!   and stderr as they interleave there). It must exit 0. On a terminal `reply` copies (output
//!   `auto`) through the stub, so `Copied N characters…` is shown and checked like any line,
//!   except for how it was copied (in parentheses): the README shows a desktop's clipboard.
//! - each line shown must be the next line on the terminal; any run of blanks matches any run of
//!   blanks, and blanks at either end of a line do not count. The terminal may show no line that
//!   the README does not, except:
//! - a line ending in `…` matches a line that starts with the text before the `…`, and when it
//!   is the last line matched, more lines may follow; a line that is only `…` stands for any
//!   number of lines.
//!
//! `sh` blocks are scripts:
//! - a block that installs, builds or sets up a shell is only checked with `bash -n`: one that
//!   mentions one of `script::SETUP_ONLY`.
//! - any other block runs with bash, under `set -euo pipefail` and with aliases expanded (as in
//!   the interactive shell aliases are written for), and must exit 0. `cargo run --release --
//!   ARGS` runs `reply ARGS`, the binary under test.
//! - a comment that starts with the name of an alias or function the block defines, such as
//!   `# ty "Ana"`, shows a call: it runs after the block, and must exit 0 and print or copy
//!   a message.
//! - `send-dm.sh` must be called once per row of `delayed.csv`, in order, for each loop: with
//!   the row's id first when it gets two arguments, and the message last, naming the row's
//!   customer, its line breaks real ones (never a literal `\n`).
//!
//! Other blocks (`toml`, unlabelled) are not run.

mod console;
mod script;

use std::fs;

use crate::support::*;

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
const STARTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/replies");
const IMPORTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/readme");

/// The export the README's loops read; names with accents and spaces.
const DELAYED: &str = "id,customer,order\n1001,Ana López,A-1042\n1002,Bo Chen,A-1043\n";
/// The folder commands run in, relative to the sandbox.
const WORK: &str = "work";

#[test]
fn the_readme_examples_do_what_they_say() {
    if !require_all(&["bash", "jq", "xargs", "script", "git"]) {
        return;
    }
    let text = fs::read_to_string(README).expect("read README.md");
    let blocks = fenced_blocks(&text);
    let mut failures = Vec::new();
    let (mut sessions, mut scripts) = (0, 0);
    for block in &blocks {
        match block.lang.as_str() {
            "console" => {
                sessions += 1;
                console::run(block, &mut failures);
            }
            "sh" => {
                scripts += 1;
                script::run(block, &mut failures);
            }
            _ => {}
        }
    }
    // A README whose blocks the parser no longer sees would pass for nothing.
    assert!(
        sessions > 0 && scripts > 0,
        "README.md: {sessions} console and {scripts} sh blocks found"
    );
    if !failures.is_empty() {
        let list: Vec<String> = failures
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{}. {f}", i + 1))
            .collect();
        panic!(
            "README.md's examples do not match what reply does ({} problems):\n\n{}",
            failures.len(),
            list.join("\n\n")
        );
    }
}

/// A fenced code block: its language, the line of its opening fence, its lines (numbered).
struct Block {
    lang: String,
    line: usize,
    body: Vec<(usize, String)>,
}

fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("```") {
            match open.take() {
                Some(block) => blocks.push(block),
                None => {
                    open = Some(Block {
                        lang: rest.trim().to_string(),
                        line: i + 1,
                        body: Vec::new(),
                    })
                }
            }
        } else if let Some(block) = open.as_mut() {
            block.body.push((i + 1, line.to_string()));
        }
    }
    assert!(open.is_none(), "README.md: a code block is never closed");
    blocks
}

/// Copies the files under `from` into the sandbox folder `to`.
fn copy_tree(from: &std::path::Path, s: &Sandbox, to: &str) {
    for entry in fs::read_dir(from).expect("the README's import sources") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let rel = format!("{to}/{name}");
        if path.is_dir() {
            copy_tree(&path, s, &rel);
        } else {
            s.write(
                &rel,
                &fs::read_to_string(&path).expect("read an import source"),
            );
        }
    }
}

/// A fresh sandbox as described in the module comment.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    let stub = s.script(
        "bin/copy-stub",
        &format!("cat > '{}'", s.path("clipboard.txt").display()),
    );
    s.config(&format!(
        "agent = \"Sam\"\nbrand = \"Acme\"\ncopy_command = {}\n",
        toml::Value::String(stub.display().to_string())
    ));
    for entry in fs::read_dir(STARTER).expect("the starter library") {
        let path = entry.expect("starter entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_name().expect("file name").to_string_lossy();
            s.write(
                &format!("{WORK}/{name}"),
                &fs::read_to_string(&path).expect("read starter file"),
            );
        }
    }
    s.write(&format!("{WORK}/delayed.csv"), DELAYED);
    copy_tree(&std::path::Path::new(IMPORTS).join("work"), &s, WORK);
    copy_tree(&std::path::Path::new(IMPORTS).join("home"), &s, "home");
    s.script(
        &format!("{WORK}/send-dm.sh"),
        "# Stands in for the agent's own sending script: one record per call.\n\
         { printf '%s\\0' \"$#\"; printf '%s\\0' \"$@\"; } >> \"$(dirname \"$0\")/sent.log\"",
    );
    s
}
