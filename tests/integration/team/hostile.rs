//! A team repository is other people's input: a password in a remote's
//! address is never shown nor written to the config, and names from a
//! repository (files, titles, addresses) reach the terminal escaped.

use super::*;

#[test]
fn a_password_in_an_address_is_never_shown_or_written() {
    let Some((_lead, agent)) = team() else {
        return;
    };
    let mine = clone_of(&agent, "acme");
    // Port 9 on this machine: refused at once, no network needed.
    let secret = "https://sam:s3cret-token@127.0.0.1:9/acme/replies.git";
    git(&agent, &mine, &["remote", "set-url", "origin", secret]);
    let mut seen = String::new();
    for args in [
        vec!["library", "list"],
        vec!["library", "list", "--json"],
        vec!["sync"],
        vec!["sync", "--json"],
    ] {
        let out = agent.run().bare().args(&args).success();
        seen.push_str(&out.stdout);
        seen.push_str(&out.stderr);
    }
    assert!(
        seen.contains("https://***@127.0.0.1:9/acme/replies.git"),
        "{seen}"
    );
    assert!(!seen.contains("s3cret"), "{seen}");

    // Added from such an address: the config gets it without the password.
    let other = Sandbox::new();
    let out = other
        .run()
        .bare()
        .args(["library", "add", secret, "--name", "acme"])
        .code(2);
    assert!(!out.stderr.contains("s3cret"), "{out}");
    assert!(
        out.stderr
            .contains("cannot clone https://***@127.0.0.1:9/acme/replies.git"),
        "{out}"
    );
    let config =
        std::fs::read_to_string(other.path("config/reply/config.toml")).unwrap_or_default();
    assert!(!config.contains("s3cret"), "{config}");
}

#[test]
fn names_from_the_repository_are_escaped() {
    let Some((lead, agent)) = team() else {
        return;
    };
    // A file name and a title with escape sequences, and a broken template.
    lead.publish(
        &[
            ("\u{1b}[2Jevil.toml", "[evil]\ntitle = \"Evil \\u001b]0;pwned\\u0007 title\"\nbody = \"Hi {{ customer }\"\n"),
            ("orders.toml", &ORDERS.replace("Order delayed", "Order \u{1b}[31mdelayed")),
        ],
        "Evil",
    );
    let out = agent.run().bare().args(["sync", "--diff"]).code(2);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
    contains_all(
        &all,
        &[
            "\\u{1b}[2Jevil.toml:",
            "Evil \\u{1b}]0;pwned\\u{7} title",
            "Order \\u{1b}[31mdelayed",
        ],
    );

    // An address with control characters in it.
    let mine = clone_of(&agent, "acme");
    git(
        &agent,
        &mine,
        &["remote", "set-url", "origin", "/nowhere/\u{1b}[2J.git"],
    );
    for args in [vec!["library", "list"], vec!["sync"]] {
        let out = agent.run().bare().args(&args).success();
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(!all.contains('\u{1b}'), "{args:?}: {all:?}");
        assert!(all.contains("/nowhere/\\u{1b}[2J.git"), "{args:?}: {all}");
    }
}
