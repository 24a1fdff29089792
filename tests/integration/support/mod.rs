//! What every test module shares: the hermetic [`Sandbox`], the [`Run`] builder
//! that runs a command in it and checks the result, the one rule for outside
//! programs ([`require`]), and small helpers for libraries and output.

mod programs;
mod ran;
mod run;
mod sandbox;
mod tmux;

pub use programs::{can_run_unprivileged, is_root, nobody, require, require_all, require_file};
pub use ran::Ran;
pub use run::{Run, wait_with_deadline};
pub use sandbox::{Sandbox, bin};
pub use tmux::{Tmux, selected};

/// stderr of a finished command as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
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

/// A small library used by many tests.
pub const BASIC: &str = r#"# A test library.
[order-delay]
title = "Order delayed: apology and new date"
tags = ["orders", "shipping"]
body = """
Hi {{ customer | default(value="there") }}, this is {{ agent }} from {{ brand }}.
Your order {{ order }} will arrive {{ eta }}.
"""

[order-delay.defaults]
eta = "within 3 business days"

[thanks]
title = "Thanks for your message"
tags = ["greeting"]
body = "Thanks {{ customer }}! {{ agent }}"
"#;
