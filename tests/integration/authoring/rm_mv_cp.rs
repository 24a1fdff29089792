//! `rm`, `mv` and `cp`: exactly the reply's tables change (with the comments
//! above them), every other byte stays; what is refused; what layering
//! makes of the result.

use super::*;

const THANKS: &str =
    "\n# Thanks, short.\n[thanks]\ntitle = 'Thanks'\nbody = \"Thanks {{ customer }}!\"\n";

#[test]
fn rm_takes_the_reply_and_its_comments_and_nothing_else() {
    let s = sandbox();
    run(&s)
        .args(["rm", "thanks", "--yes"])
        .stderr_contains("Removed `thanks` from")
        .success();
    assert_eq!(orders(&s), ORDERS.replace(THANKS, ""));
    // A reply whose tables are apart: all of them go, the end comment stays.
    let s = sandbox();
    run(&s).args(["rm", "late", "-y"]).success();
    assert_eq!(
        orders(&s),
        format!(
            "# Orders: what we say about orders.\nlang = \"en\"\n{THANKS}\n# The end of the file.\n"
        )
    );
    run(&s).args(["show", "late"]).code(1);
    run(&s).args(["check"]).success();
}

#[test]
fn rm_asks_first_and_never_without_a_terminal() {
    let s = sandbox();
    run(&s)
        .args(["rm", "thanks"])
        .stderr_contains("asks before removing, and there is no terminal to ask on")
        .stderr_contains("add --yes")
        .code(2);
    assert_eq!(orders(&s), ORDERS);
    run(&s).args(["rm", "nope", "--yes"]).code(1);
}

#[test]
fn rm_says_which_reply_of_that_id_is_in_use_now() {
    let s = sandbox();
    s.write(
        "low/t.toml",
        &reply("thanks", "Thanks (team)", "Thanks {{ customer }}"),
    );
    run(&s)
        .env(
            "REPLY_LIBRARY",
            format!("{}:{}", s.lib().display(), s.path("low").display()),
        )
        .args(["rm", "thanks", "--yes"])
        .stderr_contains("`thanks` from")
        .stderr_contains("is the one in use now")
        .success();
}

#[test]
fn the_starter_library_cannot_be_changed() {
    let s = Sandbox::new();
    for args in [
        &["rm", "order-delay", "--yes"][..],
        &["mv", "order-delay", "late"],
    ] {
        s.run()
            .bare()
            .args(args)
            .stderr_contains("is in the built-in starter library, which is read-only")
            .code(2);
    }
    assert!(!s.path("data/reply/replies").exists());
}

#[test]
fn mv_renames_every_table_of_the_reply_in_place() {
    let s = sandbox();
    run(&s)
        .args(["mv", "late", "order-late"])
        .stderr_contains("Renamed `late` to `order-late` in")
        .success();
    assert_eq!(
        orders(&s),
        ORDERS
            .replace("[late]", "[order-late]")
            .replace("[late.defaults]", "[order-late.defaults]")
            .replace("[late.tests.basic]", "[order-late.tests.basic]")
    );
    // Its defaults and tests went with it.
    run(&s)
        .args(["render", "order-late", "-c", "Ana", "--print"])
        .stdout("Hi Ana, order your order is late.")
        .success();
    run(&s)
        .args(["test", "order-late"])
        .stdout_contains("1 test of 1 reply: 1 passed")
        .success();
}

#[test]
fn mv_refuses_an_id_the_library_has_and_a_bad_one() {
    let s = sandbox();
    s.library_file("more.toml", &reply("promo", "Promo", "Hi {{ customer }}"));
    run(&s)
        .args(["mv", "late", "promo"])
        .stderr_contains("`promo` already is a reply of")
        .stderr_contains("more.toml:1")
        .code(2);
    run(&s)
        .args(["mv", "late", "Late!"])
        .stderr_contains("is not a valid reply id")
        .code(2);
    assert_eq!(orders(&s), ORDERS);
}

#[test]
fn cp_into_your_own_library_keeps_comments_tests_and_language() {
    let s = sandbox();
    s.library_file(
        "es.toml",
        "lang = \"es\"\n\n# En español.\n[gracias]\ntitle = \"Gracias\"\nbody = \"Gracias, {{ customer }}\"\n",
    );
    run(&s)
        .args(["cp", "late", "late-copy"])
        .stderr_contains(format!(
            "Copied `late` to `late-copy` in {}.",
            s.path("data/reply/replies/orders.toml").display()
        ))
        .success();
    let mine = std::fs::read_to_string(s.path("data/reply/replies/orders.toml")).unwrap();
    assert_eq!(
        mine,
        "# When the carrier is late.\n[late-copy]\ntitle = \"Order late\"\ntags = [\"orders\"]\nbody = \"\"\"\nHi {{ customer }}, order {{ order }} is late.\n\"\"\"\n\n[late-copy.defaults]\norder = \"your order\"   # when no number is given\n\n[late-copy.tests.basic]\nvars = { customer = \"Ana\" }\ncontains = \"Hi Ana, order your order is late.\"\n"
    );
    assert_eq!(orders(&s), ORDERS);
    // The language it was read in goes with it.
    run(&s).args(["cp", "gracias", "gracias"]).success();
    let v = run(&s).args(["show", "gracias", "--json"]).success().json();
    assert_eq!(v["lang"], "es");
    let copied = std::fs::read_to_string(s.path("data/reply/replies/es.toml")).unwrap();
    assert!(
        copied.contains("[gracias]\nlang = \"es\"\ntitle"),
        "{copied}"
    );
    run(&s).args(["test", "late-copy"]).success();
}

#[test]
fn cp_says_what_shadows_what() {
    let s = sandbox();
    // Into a library below: the copy is shadowed, and says so.
    run(&s)
        .args(["cp", "thanks", "thanks"])
        .stderr_contains("warning: `thanks` in")
        .stderr_contains("shadows this one, which is not used while that one is there")
        .success();
    // Into a library above: the copy shadows the original.
    std::fs::create_dir(s.path("top")).unwrap();
    run(&s)
        .env(
            "REPLY_LIBRARY",
            format!("{}:{}", s.path("top").display(), s.lib().display()),
        )
        .args([
            "cp",
            "late",
            "late",
            "--to",
            "top",
            "--file",
            "team/late.toml",
        ])
        .stderr_contains("`late` now shadows the one in")
        .success();
    assert!(s.path("top/team/late.toml").is_file());
    run(&s)
        .args(["cp", "late", "thanks", "--to", "lib"])
        .stderr_contains("`thanks` already is a reply of")
        .code(2);
}

#[test]
fn cp_from_the_starter_library_on_a_fresh_machine_keeps_the_others() {
    let s = Sandbox::new();
    let before = ids(&s.run().bare().arg("list").success().stdout);
    s.run()
        .bare()
        .args(["cp", "order-delay", "order-delay"])
        .stderr_contains(format!(
            "the starter library was copied into {} first",
            s.path("data/reply/replies").display()
        ))
        .stderr_contains("`order-delay` is in ")
        .success();
    assert_eq!(ids(&s.run().bare().arg("list").success().stdout), before);
    s.run()
        .bare()
        .args(["cp", "order-delay", "my-delay"])
        .stderr_contains("Copied `order-delay` to `my-delay`")
        .success();
    let after = ids(&s.run().bare().arg("list").success().stdout);
    assert_eq!(after.len(), before.len() + 1);
    s.run().bare().args(["test", "my-delay"]).success();
}
