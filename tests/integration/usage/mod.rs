//! Issue 15, the usage history: what the log records and when (`log`), the
//! ranking it nudges and the matches it never lifts (`ranking`), `reply
//! history` and `reply stats` with exports merged (`report`), and the picker
//! and a terminal as a person uses them (`terminal`). Real processes in a
//! sandbox; the log is read back as the file it is.

mod log;
mod ranking;
mod report;
mod terminal;

use std::path::PathBuf;

use serde_json::Value;

use crate::support::*;

/// Replies the ranking tests combine: `refund` in the id and title (twice,
/// equally well), in tags only, in the text only, with its letters
/// scattered over the id and title, in a title only; and not at all.
pub const REFUND_ISSUED: &str = "[refund-issued]\ntitle = \"Refund issued: when the money arrives\"\n\
    body = \"Your money is on its way back to your card.\"\n";
pub const PARTIAL_REFUND: &str = "[partial-refund]\ntitle = \"Partial refund for a damaged item\"\n\
    body = \"We have sent part of your payment back.\"\n";
pub const LATE_PARCEL: &str = "[late-parcel]\ntitle = \"Late parcel\"\ntags = [\"refund\"]\n\
    body = \"Sorry, the carrier is late.\"\n";
pub const EXCHANGE: &str = "[exchange]\ntitle = \"Exchange an item\"\n\
    body = \"If you prefer a refund instead, tell us.\"\n";
pub const REOPEN_FUND: &str =
    "[reopen-fund]\ntitle = \"Reopen a fund request\"\nbody = \"Your request is open again.\"\n";
pub const MONEY_BACK: &str = "[money-back]\ntitle = \"Refund processed\"\nbody = \"Done.\"\n";
pub const THANKS: &str = "[thanks]\ntitle = \"Thanks for your message\"\n\
    body = \"Thank you, we are glad to help.\"\n";

/// A sandbox whose library holds `replies`, in this order.
pub fn with_replies(replies: &[&str]) -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", &replies.join("\n"));
    s
}

/// Where the sandbox keeps the usage log (no XDG_STATE_HOME: under HOME).
pub fn log_path(s: &Sandbox) -> PathBuf {
    s.path("home/.local/state/reply/usage.jsonl")
}

/// Every line of the log, each parsed as JSON (a line that is not fails the test).
pub fn lines(s: &Sandbox) -> Vec<Value> {
    std::fs::read_to_string(log_path(s))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad log line {l:?}: {e}")))
        .collect()
}

/// `n` messages of reply `id` recorded by one real render: a batch of `n`
/// records with `--record` (one line in the log, counted `n` times).
pub fn send(s: &Sandbox, id: &str, n: usize) {
    let csv: String = std::iter::once("row".to_string())
        .chain((0..n).map(|i| i.to_string()))
        .map(|l| l + "\n")
        .collect();
    let file = format!("batch-{id}-{n}.csv");
    s.write(&file, &csv);
    s.run()
        .args([
            "render", id, "--each", &file, "--record", "--format", "text",
        ])
        .success();
}

/// A line of the log as reply writes it, for logs a test makes: `when` is a
/// time (`2026-11-25T09:30:00`) for one message, a day (`2026-10-02`) for a
/// day's count of `n`.
pub fn log_line(when: &str, id: &str, n: u32, found: &str) -> String {
    let mut v = if when.len() > 10 {
        serde_json::json!({ "t": when })
    } else {
        serde_json::json!({ "day": when, "n": n })
    };
    v["id"] = id.into();
    v["lib"] = "lib".into();
    v["lang"] = "en".into();
    v["public"] = false.into();
    v["found"] = found.into();
    if found == "search" {
        if when.len() > 10 {
            v["rank"] = 1.into();
        } else {
            v["ranked"] = n.into();
            v["first"] = (n / 2).into();
        }
    }
    format!("{v}\n")
}

/// The ids `reply search QUERY` lists, in order.
pub fn searched(s: &Sandbox, query: &str, env: &[(&str, &str)]) -> Vec<String> {
    let mut run = s.run().args(["search", query]);
    for (k, v) in env {
        run = run.env(k, v);
    }
    ids(&run.success().stdout)
}
