//! Staleness: `sync_every` (global, or a library's own) and the one-line
//! note of `list`, `search` and `render`, silenced by `-q`; `auto_sync`
//! syncing in the background, once per interval, without ever holding up
//! the command that started it. Times come from `--now` / `REPLY_NOW`.

use std::time::{Duration, Instant};

use super::*;

/// An agent who added the library on 2026-11-20 (the sandbox's clock says
/// 2026-11-25), with `config` added to the config.
fn synced_days_ago(lead: &Lead, config: &str) -> Sandbox {
    let agent = Sandbox::new();
    agent
        .run()
        .bare()
        .args([
            "--now",
            "2026-11-20T09:30",
            "library",
            "add",
            &lead.url(),
            "--name",
            "acme",
        ])
        .success();
    let path = agent.path("config/reply/config.toml");
    let text = std::fs::read_to_string(&path).expect("config");
    std::fs::write(&path, format!("{config}\n{text}")).expect("write");
    agent
}

const NOTE: &str = "note: acme was last synced 5 days ago: run `reply sync`\n";

#[test]
fn a_library_synced_longer_ago_than_sync_every_gets_one_note() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    let agent = synced_days_ago(&lead, "sync_every = \"1d\"");
    agent.run().bare().args(["list"]).stderr(NOTE).success();
    agent
        .run()
        .bare()
        .args(["search", "order"])
        .stderr(NOTE)
        .success();
    agent
        .run()
        .bare()
        .args(["render", "thanks", "-a", "Sam", "--print"])
        .stdout("Thanks there! Sam")
        .stderr(NOTE)
        .success();
    agent.run().bare().args(["-q", "list"]).stderr("").success();
    // The note says; it never syncs behind the agent's back.
    lead.publish(
        &[(
            "new.toml",
            &reply("new-one", "New one", "Hi {{ customer }}"),
        )],
        "New",
    );
    agent.run().bare().args(["show", "new-one"]).code(1);
    agent.run().bare().args(["sync"]).success();
    agent.run().bare().args(["list"]).stderr("").success();
    // Its own, longer `sync_every` wins over the global one.
    let agent = synced_days_ago(&lead, "sync_every = \"1d\"");
    agent
        .run()
        .bare()
        .args(["config", "set", "library.acme.sync_every", "7d"])
        .success();
    agent.run().bare().args(["list"]).stderr("").success();
    // `library list` says so too.
    let agent = synced_days_ago(&lead, "sync_every = \"1d\"");
    agent
        .run()
        .bare()
        .args(["library", "list"])
        .stdout_contains("synced 2026-11-20 09:30, up to date as of the last fetch, due for a sync (every 1 day)")
        .success();
}

#[test]
fn a_refused_revision_is_in_the_note() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    let agent = synced_days_ago(&lead, "sync_every = \"1d\"");
    lead.publish(&[("orders.toml", BROKEN)], "Oops");
    agent.run().bare().args(["sync"]).code(2);
    let out = agent.run().bare().args(["list"]).success();
    assert!(
        out.stderr.starts_with(
            "note: acme was last synced 5 days ago; acme's last sync refused revision "
        ),
        "{out}"
    );
}

/// Waits, up to a deadline, for `cond`.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "{what} did not happen");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn state_of(agent: &Sandbox) -> serde_json::Value {
    let text = std::fs::read_to_string(agent.path("home/.local/state/reply/sync.json"))
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["libraries"]
        .as_object()
        .and_then(|m| m.values().next().cloned())
        .unwrap_or_default()
}

#[test]
fn auto_sync_runs_in_the_background_once_per_interval_and_never_holds_up_a_render() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    let agent = synced_days_ago(&lead, "auto_sync = true\nsync_every = \"1h\"");
    lead.publish(
        &[(
            "new.toml",
            &reply("new-one", "New one", "Hi {{ customer }}"),
        )],
        "New",
    );
    let pause = agent.path("pause");

    // The render finishes (its stdout and stderr close) while the background
    // sync it started is held at its start: it never waits for it.
    agent
        .run()
        .bare()
        .env("REPLY_TEST_PAUSE_SYNC", &pause)
        .args(["render", "thanks", "-a", "Sam", "--print"])
        .stdout("Thanks there! Sam")
        .stderr("note: acme was last synced 5 days ago: syncing in the background\n")
        .success();
    let started = || {
        std::fs::read_dir(&pause)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with("started-"))
                    .count()
            })
            .unwrap_or(0)
    };
    eventually("the background sync starting", || started() == 1);
    let pid = state_of(&agent)["pid"].clone();
    assert!(pid.is_u64(), "{:?}", state_of(&agent));

    // More commands within the interval start no second one.
    for _ in 0..3 {
        agent
            .run()
            .bare()
            .env("REPLY_TEST_PAUSE_SYNC", &pause)
            .args(["list"])
            .stderr("note: acme was last synced 5 days ago: run `reply sync`\n")
            .success();
    }
    assert_eq!(
        state_of(&agent)["pid"],
        pid,
        "a second background sync was started"
    );

    // Let it go: the library is synced, and the note is gone.
    std::fs::write(pause.join("go"), "").expect("release");
    eventually("the background sync", || {
        clone_of(&agent, "acme").join("new.toml").exists()
    });
    eventually("the sync's record", || {
        state_of(&agent)["synced"] == "2026-11-25T09:30:00"
    });
    assert_eq!(started(), 1);
    agent
        .run()
        .bare()
        .args(["list"])
        .stderr("")
        .stdout_contains("new-one")
        .success();
}
