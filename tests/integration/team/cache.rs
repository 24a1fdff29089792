//! After a sync that touches a few files, the catalog cache parses only
//! those files again (`REPLY_TEST_CATALOG_PARSES` logs each file the catalog
//! parses), and says the same as a run without the cache.

use super::*;

/// The disk files the catalog parsed in one run of `args`.
fn parsed(agent: &Sandbox, args: &[&str]) -> Vec<String> {
    let log = agent.path("parses.log");
    let _ = std::fs::remove_file(&log);
    agent
        .run()
        .bare()
        .env("REPLY_TEST_CATALOG_PARSES", &log)
        .args(args)
        .success();
    let mut files: Vec<String> = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with("starter:"))
        .filter_map(|l| l.rsplit('/').next().map(str::to_string))
        .collect();
    files.sort();
    files
}

#[test]
fn a_sync_touching_two_files_re_parses_only_those_two() {
    if !require("git") {
        return;
    }
    let lead = Lead::empty();
    let files: Vec<(String, String)> = (1..=6)
        .map(|i| {
            (
                format!("f{i}.toml"),
                reply(
                    &format!("reply-{i}"),
                    &format!("Reply {i}"),
                    "Hi {{ customer }}",
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    lead.publish(&refs, "Six files");
    let agent = agent_with(&lead);
    assert_eq!(
        parsed(&agent, &["list"]).len(),
        6,
        "a cold cache parses every file"
    );
    assert!(
        parsed(&agent, &["list"]).is_empty(),
        "a warm cache parses none"
    );

    lead.publish(
        &[
            (
                "f3.toml",
                &reply("reply-3", "Reply three", "Hello {{ customer }}"),
            ),
            ("f7.toml", &reply("reply-7", "Reply 7", "Hi {{ customer }}")),
        ],
        "One changed, one new",
    );
    syncs(&agent);
    assert_eq!(parsed(&agent, &["list"]), ["f3.toml", "f7.toml"]);
    let cached = agent.run().bare().args(["list"]).success();
    let plain = agent
        .run()
        .bare()
        .env("REPLY_NO_CACHE", "1")
        .args(["list"])
        .success();
    assert_eq!(cached.stdout, plain.stdout);
    assert!(cached.stdout.contains("Reply three") && cached.stdout.contains("reply-7"));
}
