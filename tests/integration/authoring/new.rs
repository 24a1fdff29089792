//! `reply new` from the command line (and from an editor driven by a
//! script): where it goes, what the file becomes, what is refused.

use super::*;

#[test]
fn a_new_reply_from_flags_goes_to_your_own_library_in_the_file_of_its_first_tag() {
    let s = sandbox();
    run(&s)
        .args([
            "new",
            "refund-late",
            "--title",
            "Refund \"late\"",
            "--body",
            "Hi {{ customer }}, your refund is on its way.",
            "--tag",
            "refunds",
            "--tag",
            "orders",
            "--public",
            "Sorry, {{ customer }}: see your DMs.",
            "--platform",
            "X",
        ])
        .stderr_contains(format!(
            "Added `refund-late` in {}.",
            s.path("data/reply/replies/refunds.toml").display()
        ))
        .success();
    let file = s.path("data/reply/replies/refunds.toml");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "[refund-late]\ntitle = 'Refund \"late\"'\ntags = [\"refunds\", \"orders\"]\nplatforms = [\"x\"]\nbody = \"\"\"\nHi {{ customer }}, your refund is on its way.\n\"\"\"\npublic = \"Sorry, {{ customer }}: see your DMs.\"\n"
    );
    // It is found, rendered and listed at once.
    run(&s)
        .args(["render", "refund-late", "-c", "Ana", "--print"])
        .stdout("Hi Ana, your refund is on its way.")
        .success();
    assert!(drafts(&s).is_empty());
}

#[test]
fn appending_to_a_file_keeps_every_byte_of_it() {
    let s = sandbox();
    run(&s)
        .args([
            "-L",
            "lib",
            "new",
            "parcel",
            "--title",
            "Parcel",
            "--body",
            "Hi {{ customer }}!",
            "--file",
            "orders.toml",
            "--lang",
            "es",
        ])
        .success();
    assert_eq!(
        orders(&s),
        format!(
            "{ORDERS}\n[parcel]\ntitle = \"Parcel\"\nlang = \"es\"\nbody = \"\"\"\nHi {{{{ customer }}}}!\n\"\"\"\n"
        )
    );
    let v = run(&s).args(["show", "parcel", "--json"]).success().json();
    assert_eq!(v["lang"], "es");
}

#[test]
fn a_library_is_named_by_folder_or_by_name() {
    let s = sandbox();
    s.write("team/x.toml", &reply("x", "X", "Hi {{ customer }}"));
    s.config(&format!(
        "libraries = [{:?}]\n",
        s.path("team").display().to_string()
    ));
    run(&s)
        .args([
            "new",
            "a",
            "--title",
            "A",
            "--body",
            "Hi {{ customer }}",
            "--library",
            "team",
        ])
        .success();
    assert!(
        std::fs::read_to_string(s.path("team/replies.toml"))
            .unwrap()
            .contains("[a]")
    );
    run(&s)
        .args([
            "new",
            "b",
            "--title",
            "B",
            "--body",
            "Hi {{ customer }}",
            "-L",
            "user",
        ])
        .success();
    assert!(s.path("data/reply/replies/replies.toml").is_file());
    run(&s)
        .args(["new", "c", "--title", "C", "--body", "b", "-L", "nowhere"])
        .stderr_contains("no library folder or library named `nowhere`")
        .code(2);
}

#[test]
fn an_invalid_reply_is_kept_as_a_draft_placed_in_the_draft() {
    let s = sandbox();
    let ran = run(&s)
        .args([
            "-L",
            "lib",
            "new",
            "refund",
            "--title",
            "Refund",
            "--body",
            "Hi {{ customer ",
            "--file",
            "orders.toml",
        ])
        .code(2);
    let draft = s.path("state/reply/drafts/refund/refund.toml");
    contains_all(
        &ran.stderr,
        &[
            &format!(
                "{}:4:7: error: template error in the body of `refund`",
                draft.display()
            ),
            "4 | Hi {{ customer ",
            &format!(
                "nothing was written; your draft is kept at {}",
                draft.display()
            ),
            "`reply edit refund --resume` opens it again",
        ],
    );
    assert_eq!(orders(&s), ORDERS);
    assert_eq!(drafts(&s), ["refund"]);
    // A second try must not lose the first: it says where the draft is.
    run(&s)
        .args(["-L", "lib", "new", "refund", "--title", "R", "--body", "Hi"])
        .stderr_contains("a draft of `refund` is kept at")
        .code(2);
    // The draft, fixed in an editor, goes where it was meant to.
    let fix = editor(&s, "fix", "sed -i 's/{{ customer $/{{ customer }}/' \"$f\"");
    run(&s)
        .env("EDITOR", &fix)
        .args(["edit", "refund", "--resume"])
        .stderr_contains("Added `refund` in")
        .success();
    assert!(orders(&s).starts_with(ORDERS));
    assert!(
        orders(&s)
            .contains("[refund]\ntitle = \"Refund\"\nbody = \"\"\"\nHi {{ customer }}\n\"\"\"\n")
    );
    assert!(drafts(&s).is_empty());
}

#[test]
fn the_new_replys_own_tests_run_before_it_is_written() {
    let s = sandbox();
    // A script drives the editor: it writes a reply whose test fails.
    let ed = editor(
        &s,
        "write",
        "cat > \"$f\" <<'EOF'\n[promo]\ntitle = \"Promo\"\nbody = \"Hi {{ customer }}, use {{ code }}.\"\n\n[promo.tests.basic]\nvars = { customer = \"Ana\", code = \"X1\" }\nexpect = \"Hi Ana, use X2.\"\nEOF",
    );
    let ran = run(&s)
        .env("EDITOR", &ed)
        .args(["-L", "lib", "new", "promo", "--file", "orders.toml"])
        .code(2);
    contains_all(
        &ran.stderr,
        &[
            "promo.toml:5:1: error: test `basic` of reply `promo` failed: the message is not the `expect`ed text",
            "-Hi Ana, use X2.\n+Hi Ana, use X1.",
            "draft is kept",
        ],
    );
    assert_eq!(orders(&s), ORDERS);
}

#[test]
fn refused_ids_and_missing_values() {
    let s = sandbox();
    run(&s)
        .args([
            "new",
            "late",
            "--title",
            "T",
            "--body",
            "b",
            "-L",
            "lib",
            "--file",
            "other.toml",
        ])
        .stderr_contains("`late` already is a reply of")
        .code(2);
    run(&s)
        .args(["new", "Late Order", "--title", "T", "--body", "b"])
        .stderr_contains("is not a valid reply id")
        .code(2);
    run(&s)
        .args(["new", "x", "--body", "b"])
        .stderr_contains("a new reply needs a title")
        .code(2);
    run(&s)
        .args([
            "new",
            "x",
            "--title",
            "X",
            "--file",
            "../x.toml",
            "--body",
            "b",
        ])
        .stderr_contains("is not a file name in the library")
        .code(2);
    // No body, no terminal, no editor named: nothing to open.
    run(&s)
        .args(["new", "x", "--title", "X"])
        .stderr_contains("no body given, and no terminal to open an editor on")
        .code(2);
    assert!(!s.path("data/reply/replies").exists());
    assert!(drafts(&s).is_empty());
}

#[test]
fn the_body_can_come_from_stdin() {
    let s = sandbox();
    run(&s)
        .args([
            "-L",
            "lib",
            "new",
            "long",
            "--title",
            "Long",
            "--body-file",
            "-",
            "--file",
            "long.toml",
        ])
        .stdin("Hi {{ customer }},\n\nthree \"\"\" quotes and a \\ backslash.\n")
        .success();
    run(&s)
        .args(["render", "long", "-c", "Ana", "--print"])
        .stdout("Hi Ana,\n\nthree \"\"\" quotes and a \\ backslash.")
        .success();
}

#[test]
fn on_a_fresh_machine_the_starter_library_is_copied_in_first() {
    let s = Sandbox::new();
    let before = ids(&s.run().bare().arg("list").success().stdout);
    s.run()
        .bare()
        .env("XDG_STATE_HOME", s.path("state"))
        .args([
            "new",
            "mine",
            "--title",
            "Mine",
            "--body",
            "Hi {{ customer }}",
            "--tag",
            "orders",
        ])
        .stderr_contains(format!(
            "the starter library was copied into {} first",
            s.path("data/reply/replies").display()
        ))
        .success();
    let after = ids(&s.run().bare().arg("list").success().stdout);
    // Every starter reply is still there, and the new one with them.
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert!(after.contains(&"mine".to_string()));
    let orders = std::fs::read_to_string(s.path("data/reply/replies/orders.toml")).unwrap();
    let starter =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/replies/orders.toml"))
            .unwrap();
    assert!(orders.starts_with(&starter) && orders.ends_with("[mine]\ntitle = \"Mine\"\ntags = [\"orders\"]\nbody = \"\"\"\nHi {{ customer }}\n\"\"\"\n"));
}
