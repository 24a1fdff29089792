//! Issue 13, authoring: `new`, `edit`, `rm`, `mv`, `cp`, with a real editor
//! stand-in (an `sh` script set as `$EDITOR` that edits the file as a person
//! would), real terminals where the command must be interactive (tmux, and
//! `script` for one-shot prompts), plain pipes where it must not be, real
//! concurrent processes, and a process killed between the steps of a write.
//!
//! Every sandbox here has the library `lib/orders.toml` ([`ORDERS`]) passed
//! as `REPLY_LIBRARY`, drafts under `state/`, and no editor unless a test
//! sets one.

mod concurrency;
mod edit;
mod new;
mod rm_mv_cp;
mod terminal;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::*;

/// A library file with comments, blank lines, a table below the reply far
/// from it, and a second reply: what "everything else byte-identical" is
/// checked against.
pub const ORDERS: &str = r#"# Orders: what we say about orders.
lang = "en"

# When the carrier is late.
[late]
title = "Order late"
tags = ["orders"]
body = """
Hi {{ customer }}, order {{ order }} is late.
"""

[late.defaults]
order = "your order"   # when no number is given

# Thanks, short.
[thanks]
title = 'Thanks'
body = "Thanks {{ customer }}!"

[late.tests.basic]
vars = { customer = "Ana" }
contains = "Hi Ana, order your order is late."

# The end of the file.
"#;

/// A sandbox with [`ORDERS`], and the draft folder's root.
pub fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("orders.toml", ORDERS);
    std::fs::create_dir_all(s.path("state")).expect("state dir");
    s
}

/// What a run in [`sandbox`] needs besides the sandbox's own environment.
pub fn run(s: &Sandbox) -> Run<'_> {
    s.run().env("XDG_STATE_HOME", s.path("state"))
}

pub fn orders(s: &Sandbox) -> String {
    std::fs::read_to_string(s.lib().join("orders.toml")).expect("orders.toml")
}

/// The drafts kept, by id.
pub fn drafts(s: &Sandbox) -> Vec<String> {
    let dir = s.path("state/reply/drafts");
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// An editor stand-in: a script named `name` (so `vi` gets `+LINE`) that
/// records its arguments in `editor-args`, then runs `body` with `$f` set
/// to the file it was given (its last argument).
pub fn editor(s: &Sandbox, name: &str, body: &str) -> PathBuf {
    let args = s.path("editor-args");
    s.script(
        &format!("bin/{name}"),
        &format!(
            "for a; do f=\"$a\"; done\nprintf '%s\\n' \"$*\" >> '{}'\n{body}",
            args.display()
        ),
    )
}

/// The arguments each run of the editor got, one run a line.
pub fn editor_runs(s: &Sandbox) -> Vec<String> {
    std::fs::read_to_string(s.path("editor-args"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Waits until `check` holds, at most `limit`; false if it never did.
pub fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}
