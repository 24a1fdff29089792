//! The usage log itself: what is recorded and when, concurrent appends,
//! damage, compaction, opting out, and a log that cannot be written.

use std::collections::BTreeSet;
use std::process::Stdio;

use serde_json::Value;

use super::{lines, log_line, log_path};
use crate::support::*;

/// Twenty replies to send, and five that a made-up log says were sent a lot.
fn library() -> String {
    let mut lib = String::new();
    for i in 0..20 {
        lib.push_str(&reply(
            &format!("r{i}"),
            &format!("Reply number {i}"),
            "Hello.",
        ));
    }
    for x in ["a", "b", "c", "d", "e"] {
        lib.push_str(&reply(
            &format!("staple-{x}"),
            &format!("Staple {x}"),
            "Thanks for waiting.",
        ));
    }
    lib.push_str(
        "[thanks]\ntitle = \"Thanks for your message\"\n\
         body = \"Thanks {{ customer }}, order {{ order | default(value='-') }} is noted.\"\n\
         public = \"Thanks! We've sent you a DM.\"\n",
    );
    lib
}

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", &library());
    s
}

/// A log of old messages, one line each, of the staples (`a` most), until it
/// holds at least `size` bytes. Returns how many messages of each staple.
fn old_log(size: usize) -> (String, std::collections::BTreeMap<String, u64>) {
    let mut text = String::new();
    let mut counts = std::collections::BTreeMap::new();
    let mut i = 0u32;
    while text.len() < size {
        // 30 to 329 days before the sandbox's today (2026-11-25).
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
            - chrono::Days::new(30 + u64::from(i % 300));
        let x = ["a", "a", "a", "b", "b", "c", "d", "e"][(i % 8) as usize];
        let id = format!("staple-{x}");
        let t = format!("{day}T{:02}:{:02}:00", 9 + i % 8, i % 60);
        text.push_str(&log_line(
            &t,
            &id,
            1,
            if i.is_multiple_of(2) { "search" } else { "id" },
        ));
        *counts.entry(id).or_insert(0u64) += 1;
        i += 1;
    }
    (text, counts)
}

/// `reply stats --json` over everything the log holds.
fn all_stats(s: &Sandbox) -> Value {
    s.run()
        .args(["stats", "--since", "2000-01-01", "--json"])
        .success()
        .json()
}

/// Each staple's count in a stats report.
fn staples(stats: &Value) -> Vec<(String, u64)> {
    stats["most_sent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("staple"))
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Each staple's frecency as `reply search staple --json` gives it.
fn frecency(s: &Sandbox) -> Vec<(String, f64)> {
    let v = s
        .run()
        .args(["search", "staple", "--json"])
        .success()
        .json();
    let mut all: Vec<(String, f64)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["frecency"].as_f64().unwrap(),
            )
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Twenty `reply render rN --print --record`, all started before any is
/// waited for; each must succeed, print its message and warn of nothing.
fn twenty_at_once(s: &Sandbox) {
    let children: Vec<_> = (0..20)
        .map(|i| {
            s.command(bin())
                .args(["render", &format!("r{i}"), "--print", "--record"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("reply starts")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().expect("reply ends");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "Hello.");
        assert_eq!(stderr(&out), "", "no warning");
    }
}

#[test]
fn twenty_processes_appending_at_once_lose_nothing() {
    let s = sandbox();
    twenty_at_once(&s);
    let text = std::fs::read_to_string(log_path(&s)).unwrap();
    assert!(text.ends_with('\n'));
    let got = lines(&s);
    assert_eq!(got.len(), 20, "{text}");
    let ids: BTreeSet<&str> = got.iter().map(|l| l["id"].as_str().unwrap()).collect();
    let want: BTreeSet<String> = (0..20).map(|i| format!("r{i}")).collect();
    assert_eq!(ids, want.iter().map(String::as_str).collect());
    for l in &got {
        assert_eq!(l["t"], "2026-11-25T09:30:00");
        assert_eq!(l["found"], "id");
    }
    // The log is private to its owner.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(log_path(&s))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
}

#[test]
fn appends_while_the_log_is_compacted_are_all_kept() {
    let s = sandbox();
    // Just under the 2 MiB bound: the first append past it compacts, while
    // the others go on appending.
    let (text, counts) = old_log((2 << 20) - 600);
    s.write("home/.local/state/reply/usage.jsonl", &text);
    let before = all_stats(&s);
    assert_eq!(
        staples(&before),
        counts
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect::<Vec<_>>()
    );
    let frecency_before = frecency(&s);
    twenty_at_once(&s);
    let size = std::fs::metadata(log_path(&s)).unwrap().len();
    assert!(size <= 1 << 20, "compacted to under 1 MiB: {size}");
    let got = lines(&s);
    let new: BTreeSet<&str> = got
        .iter()
        .filter(|l| l["t"].as_str().is_some_and(|t| t.starts_with("2026-11-25")))
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(new.len(), 20, "every append kept, with its time");
    let after = all_stats(&s);
    assert_eq!(
        staples(&after),
        staples(&before),
        "the old counts are the same"
    );
    assert_eq!(
        after["sent"].as_u64().unwrap(),
        before["sent"].as_u64().unwrap() + 20
    );
    assert_eq!(after["found"], {
        let mut f = before["found"].clone();
        f[0]["count"] = (f[0]["count"].as_u64().unwrap() + 20).into();
        f
    });
    assert_eq!(frecency(&s), frecency_before);
}

#[test]
fn compaction_keeps_the_figures_and_drops_only_damage() {
    let s = sandbox();
    let (mut text, _) = old_log(2 << 20);
    // A line no reply wrote, in the middle of it.
    text.insert_str(text.len() / 2, "{\"t\": oops\n");
    s.write("home/.local/state/reply/usage.jsonl", &text);
    let before = all_stats(&s);
    let frecency_before = frecency(&s);
    let order_before = ids(&s.run().args(["list", "--sort", "used"]).success().stdout);
    let ran = s
        .run()
        .args(["render", "r3", "--print", "--record", "-q"])
        .success();
    assert_eq!(ran.stderr, "", "quiet");
    let ran = s
        .run()
        .args(["render", "r4", "--print", "--record"])
        .success();
    assert_eq!(ran.stdout, "Hello.");
    assert!(ran.stderr.is_empty(), "compacted already: {}", ran.stderr);
    let size = std::fs::metadata(log_path(&s)).unwrap().len();
    assert!(size <= 1 << 20, "{size}");
    let got = lines(&s);
    assert!(
        got.len() < 2_000,
        "old records became per-day counts: {}",
        got.len()
    );
    assert!(
        got.iter()
            .any(|l| l["day"].is_string() && l["n"].as_u64() > Some(1))
    );
    let after = all_stats(&s);
    assert_eq!(staples(&after), staples(&before));
    assert_eq!(after["sent"], before["sent"].as_u64().unwrap() + 2);
    assert_eq!(frecency(&s), frecency_before);
    let order_after = ids(&s.run().args(["list", "--sort", "used"]).success().stdout);
    assert_eq!(order_after[..5], order_before[..5]);
    assert_eq!(
        order_after[..2],
        ["staple-a", "staple-b"],
        "the most used first"
    );
}

#[test]
fn compaction_tells_of_the_damage_it_dropped() {
    let s = sandbox();
    let (mut text, _) = old_log(2 << 20);
    text.insert_str(0, "not a record\n");
    s.write("home/.local/state/reply/usage.jsonl", &text);
    // An exact id: nothing reads the log before the append compacts it.
    s.run()
        .args(["render", "r3", "--print", "--record"])
        .stdout("Hello.")
        .stderr_contains("1 line of the usage log")
        .stderr_contains("was dropped when it was compacted")
        .success();
    assert!(
        !std::fs::read_to_string(log_path(&s))
            .unwrap()
            .contains("not a record")
    );
}

#[test]
fn a_damaged_log_warns_once_and_the_rest_is_used() {
    let s = sandbox();
    let mut text = String::new();
    for _ in 0..5 {
        text.push_str(&log_line("2026-11-24T10:00:00", "staple-c", 1, "id"));
    }
    text.insert_str(
        log_line("2026-11-24T10:00:00", "staple-c", 1, "id").len(),
        "\u{0}\u{1}garbage\n{\"t\":\"2026-11-24T10:00:00\",\"id\":\"staple-d\"}\n{\"t\":\"2026-11-2",
    );
    // The cut record ends where the next begins: one damaged line.
    s.write("home/.local/state/reply/usage.jsonl", &text);
    let ran = s.run().args(["search", "staple"]).success();
    assert_eq!(ids(&ran.stdout)[0], "staple-c", "the good records rank");
    assert_eq!(
        ran.stderr.matches("usage log").count(),
        1,
        "one warning:\n{}",
        ran.stderr
    );
    contains_all(
        &ran.stderr,
        &[
            "warning",
            "3 lines of the usage log",
            "(the first at line 2)",
            "skipped",
        ],
    );
    let stats = s.run().args(["stats", "--json"]).success();
    assert_eq!(stats.json()["sent"], 4);
    assert_eq!(stats.stderr.matches("usage log").count(), 1);
    // One run that reads the log (a query) and appends to it: one warning.
    let ran = s
        .run()
        .args(["staple", "--print", "--record"])
        .stdout("Thanks for waiting.")
        .success();
    assert_eq!(ran.stderr.matches("usage log").count(), 1, "{}", ran.stderr);
    assert_eq!(
        std::fs::read_to_string(log_path(&s))
            .unwrap()
            .lines()
            .count(),
        8,
        "appended; the damage is left for compaction"
    );
}

#[test]
fn pipes_json_and_batches_are_recorded_only_when_asked() {
    let s = sandbox();
    s.run().args(["render", "thanks", "-c", "Ana"]).success();
    s.write("rows.csv", "customer\nAna\nBo\nCy\n");
    let renders: [&[&str]; 5] = [
        &["render", "thanks", "--each", "rows.csv"],
        &["render", "thanks", "-c", "Ana", "--json"],
        &[
            "suggest",
            "thanks for your message",
            "--render",
            "-c",
            "Ana",
        ],
        &["render", "--for", "thanks for your message", "-c", "Ana"],
        &["thnks", "-c", "Ana"],
    ];
    for args in renders {
        s.run().args(args).success();
    }
    assert!(!log_path(&s).exists(), "nothing reached a person");
    for args in renders {
        s.run().args(args).arg("--record").success();
    }
    let got = lines(&s);
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(
        (got[0]["n"].as_u64(), &got[0]["found"]),
        (Some(3), &"id".into())
    );
    assert_eq!(got[1]["found"], "id");
    for l in &got[2..4] {
        assert_eq!((&l["found"], &l["rank"]), (&"suggest".into(), &1.into()));
    }
    assert_eq!(
        (&got[4]["found"], &got[4]["rank"]),
        (&"search".into(), &1.into())
    );
}

#[test]
fn what_reaches_a_person_is_recorded_and_never_a_value() {
    let s = sandbox();
    s.config(&s.copy_stub());
    // Copied, from a script: a person gets it.
    s.run()
        .args([
            "render",
            "thanks",
            "-c",
            "Ana López",
            "-v",
            "order=A-1042",
            "--copy",
        ])
        .args(["--platform", "instagram"])
        .success();
    assert!(s.copied().contains("A-1042"));
    // Printed on a terminal.
    if require("script") {
        s.run()
            .program("script")
            .args([
                "-qec",
                "reply render thanks --public --print -c 'Bo Chen'",
                "/dev/null",
            ])
            .success();
    }
    let text = std::fs::read_to_string(log_path(&s)).unwrap();
    for secret in ["Ana", "López", "A-1042", "Bo", "Chen", "order", "customer"] {
        assert!(!text.contains(secret), "{secret} in the log:\n{text}");
    }
    let got = lines(&s);
    assert_eq!(
        got[0],
        serde_json::json!({
            "t": "2026-11-25T09:30:00", "id": "thanks", "lib": "lib", "lang": "en",
            "platform": "instagram", "public": false, "found": "id"
        })
    );
    if got.len() > 1 {
        assert_eq!(got[1]["public"], true);
        assert!(got[1].get("platform").is_none());
    }
}

#[test]
fn opting_out_records_nothing_and_ranks_without_history() {
    let s = sandbox();
    let mut text = String::new();
    for _ in 0..30 {
        text.push_str(&log_line("2026-11-25T08:00:00", "staple-e", 1, "id"));
    }
    s.write("home/.local/state/reply/usage.jsonl", &text);
    assert_eq!(
        ids(&s.run().args(["search", "staple"]).success().stdout)[0],
        "staple-e"
    );
    let plain = ["staple-a", "staple-b", "staple-c", "staple-d", "staple-e"];
    let listed = s.run().arg("list").success().stdout;
    for (config, env) in [
        ("history = false\n", None),
        ("", Some(("REPLY_NO_HISTORY", "1"))),
    ] {
        s.config(config);
        fn with<'s>(r: Run<'s>, env: Option<(&str, &str)>) -> Run<'s> {
            match env {
                Some((k, v)) => r.env(k, v),
                None => r,
            }
        }
        with(s.run().args(["render", "r1", "--print", "--record"]), env).success();
        with(s.run().args(["staple", "--print", "--record"]), env)
            .stderr_contains("Rendering `staple-a`")
            .success();
        assert_eq!(
            ids(&with(s.run().args(["search", "staple"]), env)
                .success()
                .stdout),
            plain
        );
        with(s.run().args(["list", "--sort", "used"]), env)
            .stdout(listed.clone())
            .success();
        let why = if env.is_some() {
            "REPLY_NO_HISTORY is set"
        } else {
            "`history = false` in the config"
        };
        with(s.run().args(["history"]), env)
            .stderr_contains(format!("Recording is off: {why}"))
            .stdout_contains("staple-e")
            .success();
        assert_eq!(
            std::fs::read_to_string(log_path(&s)).unwrap(),
            text,
            "nothing added"
        );
    }
    // The key is one `reply config` knows.
    s.config("");
    s.run()
        .args(["config", "set", "history", "false"])
        .success();
    s.run()
        .args(["config", "get", "history"])
        .stdout("false\n")
        .success();
    s.run()
        .args(["render", "r1", "--print", "--record"])
        .success();
    assert_eq!(std::fs::read_to_string(log_path(&s)).unwrap(), text);
}

#[test]
fn a_log_that_cannot_be_written_is_a_warning_and_the_message_still_goes_out() {
    let s = sandbox();
    // A folder where the log should be: no write can succeed.
    std::fs::create_dir_all(log_path(&s)).unwrap();
    s.run()
        .args(["render", "r2", "--print", "--record"])
        .stdout("Hello.")
        .stderr_contains("warning: could not record `r2` in the usage log")
        .success();
    s.run()
        .args(["render", "r2", "--print", "--record", "-q"])
        .stdout("Hello.")
        .stderr("")
        .success();
    // A named pipe nobody reads: neither reading nor recording may block.
    if require("mkfifo") {
        std::fs::remove_dir(log_path(&s)).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(log_path(&s))
            .status()
            .unwrap();
        assert!(made.success());
        s.run()
            .args(["render", "r2", "--print", "--record"])
            .stdout("Hello.")
            .stderr_contains("not a regular file")
            .success();
        s.run()
            .args(["search", "reply"])
            .stderr_contains("cannot read the usage log")
            .success();
    }
}
