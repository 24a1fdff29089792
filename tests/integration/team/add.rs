//! `reply library add` and `remove`: clones and existing checkouts, where a
//! library goes in the layer order, clones that fail leaving nothing behind,
//! the config's comments through every edit, and a clone never deleted
//! while it holds work that exists nowhere else.

use super::*;

/// A config a person wrote, with comments that must survive every edit.
const COMMENTED: &str = "# Sam's config\nagent = \"Sam\"  # as customers see me\n\n# libraries, highest first\nlibraries = [\n    \"~/brand\",  # the brand's own\n]\n\n[vars]\nhelp_link = \"https://acme.example/help\"  # keep\n";

#[track_caller]
fn comments_kept(agent: &Sandbox) -> String {
    let text = std::fs::read_to_string(agent.path("config/reply/config.toml")).expect("config");
    for c in [
        "# Sam's config\n",
        "# as customers see me\n",
        "# libraries, highest first\n",
        "# keep\n",
    ] {
        assert!(text.contains(c), "lost {c:?}:\n{text}");
    }
    text
}

#[test]
fn a_clone_goes_directly_above_your_own_library_and_below_with_below() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    let agent = Sandbox::new();
    agent.config(COMMENTED);
    agent.write(
        "home/brand/brand.toml",
        &reply("brand-hello", "Brand hello", "Hello {{ customer }}"),
    );
    agent.write(
        "data/reply/replies/mine.toml",
        &reply("thanks", "My thanks", "Cheers {{ customer }}!"),
    );
    agent
        .run()
        .bare()
        .args(["library", "add", &lead.url(), "--name", "acme"])
        .stderr_contains(
            "Added acme above your own library: 3 replies in 2 files, branch main, in /",
        )
        .success();
    assert_eq!(layer_names(&agent), ["brand", "acme", "user", "starter"]);
    let text = comments_kept(&agent);
    assert!(
        text.contains("libraries = [\n    \"~/brand\",  # the brand's own\n    \"acme\",\n]"),
        "{text}"
    );
    assert!(text.contains("[library.acme]\nurl = "), "{text}");
    // Above: the team's `thanks` shadows the agent's.
    renders(&agent, "thanks", "Thanks there! Sam");

    // A second library, below: the agent's own replies shadow it.
    let other = Lead::new();
    agent
        .run()
        .bare()
        .args([
            "library",
            "add",
            &other.bare().display().to_string(),
            "--name",
            "extra",
            "--below",
        ])
        .stderr_contains("below your own library")
        .success();
    assert_eq!(
        layer_names(&agent),
        ["brand", "acme", "user", "extra", "starter"]
    );
    comments_kept(&agent);
    let out = agent
        .run()
        .bare()
        .args(["library", "list", "--json"])
        .success();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let by = |n: &str| {
        v["libraries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            by("acme")["replies"].as_u64(),
            by("acme")["shadowing"].as_u64()
        ),
        (Some(3), Some(3))
    );
    assert_eq!(by("user")["shadowed"], 1);
    assert_eq!(by("extra")["shadowed"], 3);

    // Removed: gone from the order, the rest as it was.
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme"])
        .stderr_contains("Removed acme from the config")
        .success();
    assert_eq!(layer_names(&agent), ["brand", "user", "extra", "starter"]);
    let text = comments_kept(&agent);
    assert!(
        !text.contains("\"acme\"") && !text.contains("[library.acme]"),
        "{text}"
    );
    assert!(
        clone_of(&agent, "acme").is_dir(),
        "without --delete the clone stays"
    );
    agent
        .run()
        .bare()
        .args(["render", "thanks", "-c", "Ana", "--print"])
        .stdout("Cheers Ana!")
        .success();
    agent
        .run()
        .bare()
        .args(["library", "remove", "extra", "--delete"])
        .success();
    assert!(!clone_of(&agent, "extra").exists());
    let text = comments_kept(&agent);
    assert!(!text.contains("[library"), "{text}");
}

#[test]
fn an_existing_name_or_folder_is_refused_and_nothing_changes() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let config = std::fs::read(agent.path("config/reply/config.toml")).expect("config");
    agent
        .run()
        .bare()
        .args(["library", "add", &lead.url(), "--name", "acme"])
        .stderr_contains("there is a library named `acme` already")
        .code(2);
    agent
        .run()
        .bare()
        .args([
            "library",
            "add",
            &clone_of(&agent, "acme").display().to_string(),
            "--name",
            "again",
        ])
        .stderr_contains("is a library already")
        .code(2);
    for bad in ["user", "starter", ".hidden", "a b"] {
        agent
            .run()
            .bare()
            .args(["library", "add", &lead.url(), "--name", bad])
            .stderr_contains("cannot name a library")
            .code(2);
    }
    for args in [&["library", "remove", "user"][..], &["sync", "starter"]] {
        agent
            .run()
            .bare()
            .args(args)
            .stderr_contains("is not a team library")
            .code(2);
    }
    assert_eq!(
        std::fs::read(agent.path("config/reply/config.toml")).expect("config"),
        config
    );
    let clones: Vec<_> = std::fs::read_dir(agent.path("data/reply/libraries"))
        .expect("clones")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(clones, ["acme"]);
}

#[test]
fn a_clone_that_fails_leaves_nothing_behind() {
    if !require("git") {
        return;
    }
    let agent = Sandbox::new();
    agent.config(COMMENTED);
    let before = std::fs::read(agent.path("config/reply/config.toml")).expect("config");
    let nothing_left = |why: &str| {
        let left: Vec<_> = std::fs::read_dir(agent.path("data/reply/libraries"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{why}: {left:?}");
        assert_eq!(
            std::fs::read(agent.path("config/reply/config.toml")).expect("config"),
            before,
            "{why}"
        );
    };
    // Not a repository.
    agent.write("not-a-repo/readme.txt", "hello");
    let url = format!("file://{}", agent.path("not-a-repo").display());
    agent
        .run()
        .bare()
        .args(["library", "add", &url, "--name", "acme"])
        .stderr_contains("cannot clone file://")
        .stderr_contains("git said:")
        .stderr_contains("nothing is left of the clone")
        .code(2);
    nothing_left("not a repository");
    // A path to nothing.
    agent
        .run()
        .bare()
        .args([
            "library",
            "add",
            &agent.path("nowhere.git").display().to_string(),
        ])
        .code(2);
    nothing_left("no such folder");
    // Stopped half-way: a remote that stalls once the clone has begun (a
    // remote helper that never answers), stopped by the time limit.
    agent.script("bin/git-remote-stall", "exec sleep 120");
    let path = format!(
        "{}:{}",
        agent.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    agent
        .run()
        .bare()
        .env("PATH", &path)
        .env("REPLY_TEST_GIT_TIMEOUT", "1s")
        .args(["library", "add", "stall::somewhere", "--name", "acme"])
        .stderr_contains("git took longer than 1 s and was stopped")
        .code(2);
    nothing_left("a clone stopped half-way");
    // Cloned, but empty: git succeeded, reply does not add it.
    let empty = Lead::empty();
    agent
        .run()
        .bare()
        .args(["library", "add", &empty.url(), "--name", "acme"])
        .stderr_contains("has no commits yet")
        .code(2);
    nothing_left("an empty repository");
    // Cloned, but the config cannot take it (`library` is not a table):
    // the clone is removed again.
    let lead = Lead::new();
    std::fs::write(agent.path("config/reply/config.toml"), "library = {}\n").expect("write");
    agent
        .run()
        .bare()
        .args(["library", "add", &lead.url(), "--name", "acme"])
        .stderr_contains("`library` in the config is not a table")
        .stderr_contains("nothing was added: the clone was removed again")
        .code(2);
    assert!(!clone_of(&agent, "acme").exists());
    assert_eq!(
        std::fs::read_to_string(agent.path("config/reply/config.toml")).expect("config"),
        "library = {}\n"
    );
}

#[test]
fn an_existing_checkout_is_added_where_it_is_and_synced_there() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    let agent = Sandbox::new();
    git(
        &agent,
        agent.root(),
        &["clone", "--quiet", &lead.url(), "home/src/acme-replies"],
    );
    agent
        .run()
        .bare()
        .current_dir("home/src")
        .args(["library", "add", "acme-replies"])
        .stderr_contains(
            "Added acme-replies above your own library: 3 replies in 2 files, branch main, in ~/src/acme-replies",
        )
        .success();
    assert!(
        !agent.path("data/reply/libraries").exists(),
        "nothing was cloned"
    );
    let text = std::fs::read_to_string(agent.path("config/reply/config.toml")).expect("config");
    assert!(
        text.contains("[library.acme-replies]\nurl = \"file://"),
        "{text}"
    );
    assert!(
        text.contains("branch = \"main\"\npath = \"~/src/acme-replies\"\n"),
        "{text}"
    );
    lead.publish(
        &[("orders.toml", &ORDERS.replace("Sorry!", "So sorry!"))],
        "Sorrier",
    );
    agent
        .run()
        .bare()
        .args(["sync"])
        .stdout_contains("acme-replies: updated: ")
        .success();
    // A branch it is not on is refused.
    agent
        .run()
        .bare()
        .args([
            "library",
            "add",
            "home/src/acme-replies",
            "--name",
            "other",
            "--branch",
            "dev",
        ])
        .stderr_contains("is on branch main, not dev")
        .code(2);
    // --delete never deletes a folder reply did not clone.
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme-replies", "--delete"])
        .stderr_contains("is a folder of yours, not a clone reply made")
        .code(2);
    assert!(agent.path("home/src/acme-replies/orders.toml").exists());
}

#[test]
fn a_plain_folder_is_added_and_sync_leaves_it_alone() {
    if !require("git") {
        return;
    }
    let agent = Sandbox::new();
    agent.write(
        "home/notes/n.toml",
        &reply("note", "A note", "Hi {{ customer }}"),
    );
    agent
        .run()
        .bare()
        .args(["library", "add", "home/notes"])
        .stderr_contains("note: notes is not a git checkout: `reply sync` leaves it alone")
        .success();
    assert_eq!(layer_names(&agent), ["notes", "user", "starter"]);
    agent.run().bare().args(["sync"]).success();
    agent
        .run()
        .bare()
        .args(["sync", "notes"])
        .stderr_contains("is not a git checkout: there is nothing to sync")
        .code(2);
}

#[test]
fn a_clone_holding_work_is_deleted_only_with_force() {
    let Some((_lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    std::fs::write(
        mine.join("draft.toml"),
        THANKS.replace("[thanks]", "[draft]"),
    )
    .expect("write");
    let config = std::fs::read(agent.path("config/reply/config.toml")).expect("config");
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme", "--delete"])
        .stderr_contains("holds work that exists nowhere else: uncommitted changes or untracked files (draft.toml); nothing was removed")
        .code(2);
    git(&agent, &mine, &["add", "draft.toml"]);
    git(&agent, &mine, &["commit", "--quiet", "-m", "Draft"]);
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme", "--delete"])
        .stderr_contains("1 commit on no remote")
        .code(2);
    assert_eq!(
        std::fs::read(agent.path("config/reply/config.toml")).expect("config"),
        config
    );
    assert!(mine.join("draft.toml").exists());
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme", "--delete", "--force"])
        .stderr_contains("Removed acme from the config and deleted")
        .success();
    assert!(!mine.exists());
    assert_eq!(layer_names(&agent), ["user", "starter"]);
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme"])
        .stderr_contains("no library named `acme`")
        .code(2);
}
