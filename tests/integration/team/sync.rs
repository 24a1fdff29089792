//! `reply sync`: two agents and a lead on one remote; an incoming revision
//! with errors refused with nothing changed; local edits, local commits, a
//! diverged branch and an untracked file in the way stop the sync and say
//! how to resolve it; a remote that is gone, or hangs, is a warning.

use super::*;

#[test]
fn two_agents_sync_what_the_lead_and_each_other_push() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    // One agent clones from the file:// URL, the other from the plain path.
    let ana = agent_with(&lead);
    let bo = Sandbox::new();
    bo.run()
        .bare()
        .args(["library", "add", &lead.bare().display().to_string()])
        .stderr_contains("Added acme")
        .success();
    bo.run()
        .bare()
        .args(["sync"])
        .stdout("acme: up to date with origin/main\n")
        .success();

    lead.publish(
        &[
            (
                "orders.toml",
                &ORDERS.replace("your order is late. Sorry!", "your order is running late, sorry!"),
            ),
            ("thanks.toml", ""),
            (
                "shipping.toml",
                "[shipping-cost]\ntitle = \"Shipping costs\"\nbody = \"Hi {{ customer | default(value=\\\"there\\\") }}, shipping is free. {{ agent }}\"\n",
            ),
        ],
        "Shipping, softer delay, no thanks",
    );
    let out = bo.run().bare().args(["sync"]).success();
    contains_all(
        &out.stdout,
        &[
            "acme: 1 new commit on origin/main",
            "changed\torder-delay\tOrder delayed (text)",
            "added\tshipping-cost\tShipping costs",
            "removed\tthanks\tThanks",
            "acme: updated: ",
            "checked 3 replies in 2 files, no errors; now at ",
        ],
    );
    bo.run()
        .bare()
        .args(["render", "shipping-cost", "-a", "Bo", "--print"])
        .stdout("Hi there, shipping is free. Bo")
        .success();
    bo.run().bare().args(["show", "thanks"]).code(1);

    // --diff: the words that changed, as git's word diff shows them.
    let out = ana.run().bare().args(["sync", "--diff"]).success();
    contains_all(
        &out.stdout,
        &[
            "      text: ",
            "your order is [-late.-]{+running late,+} [-Sorry!-]{+sorry!+} {{ agent }}",
        ],
    );

    // An agent pushes a change of their own; the other syncs it.
    let mine = clone_of(&ana, "acme");
    commit(&ana, &mine, "thanks.toml", THANKS, "Thanks is back");
    git(&ana, &mine, &["push", "--quiet"]);
    bo.run()
        .bare()
        .args(["sync"])
        .stdout_contains("added\tthanks\tThanks")
        .success();
    assert_eq!(head(&ana, &mine), head(&bo, &clone_of(&bo, "acme")));
}

#[test]
fn a_file_the_update_makes_unreadable_is_refused_without_its_replies_listed_as_removed() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    let before = (head(&agent, &mine), snapshot(&mine));
    let thanks = std::fs::read_to_string(mine.join("thanks.toml")).expect("thanks");
    lead.publish(
        &[
            ("orders.toml", &format!("{ORDERS}\n[broken\n")),
            ("thanks.toml", &thanks.replace("Thanks", "Many thanks")),
        ],
        "Half a table",
    );

    let out = agent.run().bare().args(["sync"]).code(2);
    assert!(out.stderr.contains("orders.toml:"), "{out}");
    assert!(out.stderr.contains("invalid TOML"), "{out}");
    assert!(
        !out.stdout.contains("removed"),
        "nothing is said removed: {out}"
    );
    assert!(out.stdout.contains("changed\tthanks"), "{out}");
    assert_eq!((head(&agent, &mine), snapshot(&mine)), before);
}

#[test]
fn an_incoming_revision_with_errors_is_refused_and_nothing_changes() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    let before = (head(&agent, &mine), snapshot(&mine));
    lead.publish(&[("orders.toml", BROKEN)], "Oops");

    let out = agent.run().bare().args(["sync"]).code(2);
    assert!(out.stdout.contains("changed\torder-delay"), "{out}");
    assert!(out.stdout.contains("removed\torder-lost"), "{out}");
    // The file and line as they are in the incoming revision, relative to the library.
    assert!(
        out.stderr.starts_with("orders.toml:4:"),
        "the diagnostic names the file as in the revision: {out}"
    );
    contains_all(
        &out.stderr,
        &[
            "error: template error",
            "acme was not updated: the incoming revision ",
            "has 1 error; your copy stays as it was, at ",
        ],
    );
    assert!(
        !out.stderr.contains("reply-incoming"),
        "no temporary path: {out}"
    );
    assert_eq!((head(&agent, &mine), snapshot(&mine)), before);
    // The temporary worktree is gone, and git no longer knows of it.
    assert_eq!(git(&agent, &mine, &["worktree", "list"]).lines().count(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(agent.path("tmp"))
        .expect("tmp")
        .flatten()
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The last good copy keeps working.
    renders(
        &agent,
        "order-lost",
        "Hi there, we are sending a new one. Sam",
    );

    // Fixed upstream: the next sync takes it.
    lead.publish(&[("orders.toml", ORDERS)], "Fixed");
    syncs(&agent);
}

#[test]
fn local_edits_stop_the_sync_until_they_are_put_aside() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    let edited = THANKS.replace("Thanks", "Many thanks");
    std::fs::write(mine.join("thanks.toml"), &edited).expect("write");
    let at = head(&agent, &mine);
    lead.publish(
        &[("orders.toml", &ORDERS.replace("Sorry!", "So sorry!"))],
        "Sorrier",
    );

    let out = agent.run().bare().args(["sync"]).code(2);
    contains_all(
        &out.stderr,
        &[
            "error: acme was not synced: it has uncommitted changes in 1 file (thanks.toml), and origin/main has 1 new commit",
            "= note: to set them aside, sync, and bring them back: git -C ",
            " stash && reply sync && git -C ",
            "never merges, rebases, stashes or resets your work",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("thanks.toml")).expect("read"),
        edited
    );
    assert_eq!(head(&agent, &mine), at);

    // What the message says to do, done.
    git(&agent, &mine, &["stash", "--quiet"]);
    syncs(&agent);
    git(&agent, &mine, &["stash", "pop", "--quiet"]);
    assert_eq!(
        std::fs::read_to_string(mine.join("thanks.toml")).expect("read"),
        edited
    );
    assert!(
        std::fs::read_to_string(mine.join("orders.toml"))
            .expect("read")
            .contains("So sorry!")
    );
}

#[test]
fn local_commits_with_nothing_incoming_are_only_a_note() {
    let Some((_lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    commit(
        &agent,
        &mine,
        "mine.toml",
        &THANKS.replace("[thanks]", "[thanks-mine]"),
        "Mine",
    );
    agent
        .run()
        .bare()
        .args(["sync"])
        .stdout("acme: up to date with origin/main\n")
        .stderr_contains(
            "note: acme: 1 commit of yours not on origin/main yet: push it to share it (git -C ",
        )
        .success();
}

#[test]
fn a_diverged_branch_stops_the_sync_and_nothing_is_merged() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    commit(
        &agent,
        &mine,
        "mine.toml",
        &THANKS.replace("[thanks]", "[thanks-mine]"),
        "Mine",
    );
    let at = head(&agent, &mine);
    lead.publish(
        &[("orders.toml", &ORDERS.replace("Sorry!", "So sorry!"))],
        "Sorrier",
    );

    let out = agent.run().bare().args(["sync", "--json"]).code(2);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let lib = &v["libraries"][0];
    assert_eq!(lib["outcome"], "stopped");
    assert_eq!(lib["reason"], "diverged");
    assert_eq!(
        (lib["ahead"].as_u64(), lib["behind"].as_u64()),
        (Some(1), Some(1))
    );
    let fixes: Vec<&str> = lib["fixes"]
        .as_array()
        .expect("fixes")
        .iter()
        .filter_map(|f| f["command"].as_str())
        .collect();
    assert!(
        fixes.iter().any(|c| c.contains("rebase origin/main")),
        "{fixes:?}"
    );
    assert_eq!(head(&agent, &mine), at, "nothing merged or rebased");
    assert_eq!(git(&agent, &mine, &["rev-list", "--count", "HEAD"]), "2");
}

#[test]
fn a_remote_that_is_gone_is_a_warning_and_strict_makes_it_an_error() {
    let Some((lead, agent)) = team() else {
        return;
    };
    std::fs::rename(lead.bare(), lead.s.path("server/moved.git")).expect("move the remote");
    agent
        .run()
        .bare()
        .args(["sync"])
        .stderr_contains("warning: acme: cannot fetch from file://")
        .stderr_contains("the copy synced 2026-11-25 09:30 keeps working")
        .success();
    agent
        .run()
        .bare()
        .args(["sync", "--strict"])
        .stderr_contains("error: acme: cannot fetch")
        .code(2);
    let out = agent.run().bare().args(["sync", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["libraries"][0]["outcome"], "unreachable");
    // The last synced copy serves.
    renders(&agent, "thanks", "Thanks there! Sam");
}

#[test]
fn an_untracked_file_where_the_update_adds_one_stops_the_sync() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    std::fs::write(
        mine.join("new.toml"),
        "[mine]\ntitle = \"Mine\"\nbody = \"Mine {{ customer }}\"\n",
    )
    .expect("write");
    lead.publish(
        &[(
            "new.toml",
            "[theirs]\ntitle = \"Theirs\"\nbody = \"Theirs {{ customer }}\"\n",
        )],
        "New",
    );
    agent
        .run()
        .bare()
        .args(["sync"])
        .stderr_contains(
            "origin/main adds new.toml, which is there already as a file git does not track",
        )
        .code(2);
    assert!(
        std::fs::read_to_string(mine.join("new.toml"))
            .expect("read")
            .contains("Mine")
    );
    // An untracked file elsewhere is no obstacle.
    std::fs::rename(mine.join("new.toml"), mine.join("other.toml")).expect("rename");
    syncs(&agent);
    assert!(mine.join("other.toml").exists());
}

#[test]
fn a_fetch_that_hangs_is_stopped_with_what_it_started() {
    if !require_all(&["git", "sleep"]) {
        return;
    }
    let lead = Lead::new();
    let agent = agent_with(&lead);
    let mine = clone_of(&agent, "acme");
    // An upload-pack that never answers, as a remote that stalls does.
    let pidfile = agent.path("stalled.pid");
    let stall = agent.script(
        "bin/stalled-upload-pack",
        &format!("echo $$ > '{}'\nexec sleep 120", pidfile.display()),
    );
    git(
        &agent,
        &mine,
        &[
            "config",
            "remote.origin.uploadpack",
            &stall.display().to_string(),
        ],
    );
    agent
        .run()
        .bare()
        .env("REPLY_TEST_GIT_TIMEOUT", "1s")
        .args(["sync"])
        .stderr_contains("git took longer than 1 s and was stopped")
        .stderr_contains("the copy synced 2026-11-25 09:30 keeps working")
        .success();
    // git's whole process group was stopped, the stalled program with it.
    let pid = std::fs::read_to_string(&pidfile).expect("the stalled program ran");
    let proc = std::path::PathBuf::from(format!("/proc/{}", pid.trim()));
    let gone = || {
        std::fs::read_to_string(proc.join("stat")).map_or(true, |stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|r| r.trim_start().starts_with('Z'))
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !gone() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(gone(), "the program git started is still running");
}

#[test]
fn git_variables_pointing_elsewhere_are_ignored() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let lead_head = head(&lead.s, &lead.work());
    lead.publish(
        &[("orders.toml", &ORDERS.replace("Sorry!", "So sorry!"))],
        "Sorrier",
    );
    let lead_head_now = head(&lead.s, &lead.work());
    assert_ne!(lead_head, lead_head_now);
    // As inside a git hook of the lead's checkout.
    agent
        .run()
        .bare()
        .env("GIT_DIR", lead.work().join(".git"))
        .env("GIT_WORK_TREE", lead.work())
        .args(["sync"])
        .stdout_contains("acme: updated: ")
        .success();
    assert_eq!(head(&agent, &clone_of(&agent, "acme")), lead_head_now);
    assert_eq!(head(&lead.s, &lead.work()), lead_head_now);
}

#[test]
fn without_git_the_error_says_what_to_install() {
    let s = Sandbox::new();
    let empty = s.path("empty-bin");
    std::fs::create_dir_all(&empty).expect("mkdir");
    s.config(
        "libraries = [\"acme\"]\n[library.acme]\nurl = \"https://git.example.com/acme.git\"\n",
    );
    for args in [
        vec!["sync"],
        vec!["library", "add", "https://git.example.com/acme.git"],
    ] {
        s.run()
            .bare()
            .env("PATH", &empty)
            .args(&args)
            .stderr_contains("git is not installed")
            .stderr_contains("sudo apt install git")
            .code(2);
    }
}

#[test]
fn a_missing_clone_named_in_the_config_is_cloned_by_sync() {
    if !require("git") {
        return;
    }
    let lead = Lead::new();
    let agent = Sandbox::new();
    agent.config(&format!(
        "# from the team's onboarding page\nlibraries = [\"acme\"]\n\n[library.acme]\nurl = {:?}\n",
        lead.url()
    ));
    agent
        .run()
        .bare()
        .args(["sync"])
        .stdout_contains("acme: cloned from file://")
        .success();
    renders(&agent, "thanks", "Thanks there! Sam");
}

#[test]
fn a_library_in_a_subfolder_of_a_checkout_is_checked_there() {
    if !require("git") {
        return;
    }
    let lead = Lead::empty();
    lead.publish(
        &[
            ("README.md", "The team's repository\n"),
            ("replies/orders.toml", ORDERS),
        ],
        "Replies in a folder",
    );
    let agent = Sandbox::new();
    git(
        &agent,
        agent.root(),
        &["clone", "--quiet", &lead.url(), "src/acme"],
    );
    agent
        .run()
        .bare()
        .args(["library", "add", "src/acme/replies", "--name", "acme"])
        .success();
    lead.publish(
        &[("replies/orders.toml", BROKEN), ("README.md", "Changed\n")],
        "Oops",
    );
    let out = agent.run().bare().args(["sync"]).code(2);
    assert!(out.stderr.starts_with("orders.toml:4:"), "{out}");
    lead.publish(&[("replies/orders.toml", ORDERS)], "Fixed");
    syncs(&agent);
    assert_eq!(
        std::fs::read_to_string(agent.path("src/acme/README.md")).expect("read"),
        "Changed\n"
    );
    // The library's lock is in the checkout's .git: nothing shows as a change.
    assert_eq!(
        git(&agent, &agent.path("src/acme"), &["status", "--porcelain"]),
        ""
    );
}

#[test]
fn a_library_follows_its_branch_and_a_checkout_off_it_stops_the_sync() {
    let Some((lead, _)) = team() else {
        return;
    };
    git(&lead.s, &lead.work(), &["switch", "--quiet", "-c", "dev"]);
    lead.publish(
        &[(
            "dev.toml",
            &reply("dev-only", "Dev only", "Hi {{ customer }}"),
        )],
        "Dev",
    );
    git(&lead.s, &lead.work(), &["push", "--quiet", "origin", "dev"]);
    let agent = Sandbox::new();
    agent
        .run()
        .bare()
        .args([
            "library",
            "add",
            &lead.url(),
            "--name",
            "acme",
            "--branch",
            "dev",
        ])
        .stderr_contains("branch dev")
        .success();
    let config = std::fs::read_to_string(agent.path("config/reply/config.toml")).expect("config");
    assert!(config.contains("branch = \"dev\""), "{config}");
    agent.run().bare().args(["show", "dev-only"]).success();
    git(
        &lead.s,
        &lead.work(),
        &["commit", "--quiet", "--allow-empty", "-m", "More"],
    );
    git(&lead.s, &lead.work(), &["push", "--quiet", "origin", "dev"]);

    let mine = clone_of(&agent, "acme");
    git(&agent, &mine, &["switch", "--quiet", "main"]);
    let v = json_of(&agent, &["sync", "--json"], 2);
    assert_eq!(v["libraries"][0]["reason"], "wrong-branch");
    assert_eq!(
        v["libraries"][0]["fixes"][0]["command"],
        format!("git -C {} switch dev", mine.display())
    );
    git(&agent, &mine, &["switch", "--quiet", "--detach", "dev"]);
    let v = json_of(&agent, &["sync", "--json"], 2);
    assert_eq!(v["libraries"][0]["reason"], "detached");
    git(&agent, &mine, &["switch", "--quiet", "dev"]);
    syncs(&agent);
}

#[test]
fn a_checkout_listed_as_a_plain_folder_is_synced_and_removed_by_its_name() {
    let Some((lead, _)) = team() else {
        return;
    };
    let agent = Sandbox::new();
    git(
        &agent,
        agent.root(),
        &["clone", "--quiet", &lead.url(), "home/src/acme-replies"],
    );
    agent.config("# written by hand\nlibraries = [\"~/src/acme-replies\"]  # the team's\n");
    lead.publish(
        &[("orders.toml", &ORDERS.replace("Sorry!", "So sorry!"))],
        "Sorrier",
    );
    agent
        .run()
        .bare()
        .args(["sync", "acme-replies"])
        .stdout_contains("acme-replies: updated: ")
        .success();
    agent
        .run()
        .bare()
        .args(["library", "remove", "acme-replies"])
        .stderr_contains(
            "Removed acme-replies from the config; its folder ~/src/acme-replies is still there",
        )
        .success();
    assert_eq!(
        std::fs::read_to_string(agent.path("config/reply/config.toml")).expect("config"),
        "# written by hand\nlibraries = []  # the team's\n"
    );
}

#[test]
fn a_rewound_team_branch_stops_the_sync_and_is_not_called_your_commits() {
    let Some((lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    lead.publish(
        &[("thanks.toml", &THANKS.replace("Thanks", "Leaked"))],
        "Oops",
    );
    syncs(&agent);
    let taken = (head(&agent, &mine), snapshot(&mine));
    // The lead takes the commit back from the remote.
    git(
        &lead.s,
        &lead.work(),
        &["reset", "--quiet", "--hard", "HEAD~1"],
    );
    git(
        &lead.s,
        &lead.work(),
        &["push", "--quiet", "--force", "origin", "HEAD:main"],
    );

    let out = agent.run().bare().args(["sync"]).code(2);
    contains_all(
        &out.stderr,
        &[
            "origin/main was rewound (someone force-pushed): 1 commit here came from it earlier",
            "reset --hard origin/main",
        ],
    );
    assert!(!out.stderr.contains("of yours"), "{out}");
    assert!(
        !out.stderr.contains(" push"),
        "never offers to push it back: {out}"
    );
    assert_eq!(
        (head(&agent, &mine), snapshot(&mine)),
        taken,
        "nothing changed"
    );
    let v = json_of(&agent, &["sync", "--json"], 2);
    assert_eq!(v["libraries"][0]["reason"], "rewound");

    // Taken as the team has it now, the next sync is up to date.
    git(
        &agent,
        &mine,
        &["reset", "--quiet", "--hard", "origin/main"],
    );
    agent
        .run()
        .bare()
        .args(["sync"])
        .stdout("acme: up to date with origin/main\n")
        .success();
}
