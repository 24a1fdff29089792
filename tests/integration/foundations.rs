//! What a new user tripped on (the foundations issue): mistyped subcommands,
//! one exit-code rule for an unknown reply, where a search matched, hints that
//! can be followed, and the help text.

use crate::support::*;

fn basic() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s
}

#[test]
fn a_mistyped_subcommand_asks_instead_of_rendering() {
    let s = basic();
    s.config(&s.copy_stub());
    for (typed, meant) in [
        (&["chek"][..], "check"),
        (&["chek", "--copy"][..], "check"),
        (&["inti"][..], "init"),
        (&["serach", "refund"][..], "search"),
        (&["-L", "lib", "lsit"][..], "list"),
        (&["complitions", "bash"][..], "completions"),
    ] {
        let ran = s
            .run()
            .args(typed)
            .stdout("")
            .stderr_contains(format!("did you mean `{meant}`?"))
            .code(2);
        assert!(ran.stderr.contains("is not a command"), "{ran}");
    }
    // Nothing was copied either: the copy command never ran.
    assert!(!s.path("copied.txt").exists());
}

#[test]
fn a_word_close_to_a_subcommand_that_is_an_exact_id_still_renders() {
    let s = Sandbox::new();
    s.library_file("t.toml", &reply("chek", "Check-in", "Hello {{ customer }}"));
    s.run()
        .args(["chek", "-c", "Ana"])
        .stdout("Hello Ana")
        .success();
    // `render` makes any word a query.
    s.run()
        .args(["render", "chek", "-c", "Ana"])
        .stdout("Hello Ana")
        .success();
}

#[test]
fn real_words_are_not_taken_for_typos() {
    let s = basic();
    for q in ["thanks", "delay", "order"] {
        s.run()
            .args([q, "-c", "Ana", "-a", "Sam", "-b", "Acme", "-v", "order=A-1"])
            .success();
    }
}

#[test]
fn an_id_no_reply_has_is_exit_1_for_every_command() {
    let s = basic();
    for args in [
        &["show", "nope"][..],
        &["vars", "nope"],
        &["render", "nope", "--exact"],
        &["render", "zzqxjv"],
        &["zzqxjv"],
        &["search", "zzqxjv"],
        &["show", "nope", "--json"],
        &["vars", "nope", "--json"],
    ] {
        let ran = s.run().args(args).stdout("").code(1);
        assert!(ran.stderr.starts_with("error: no reply"), "{args:?}: {ran}");
        assert!(ran.stderr.contains("= hint:"), "{args:?}: {ran}");
    }
}

#[test]
fn a_close_id_is_suggested() {
    let s = basic();
    s.run()
        .args(["show", "ordr-delay"])
        .stderr_contains("did you mean `order-delay`?")
        .code(1);
    s.run()
        .args(["render", "ordr-delay", "--exact"])
        .stderr_contains("did you mean `order-delay`? (drop --exact to allow fuzzy matching)")
        .code(1);
}

#[test]
fn the_help_and_docs_state_the_same_exit_codes() {
    let help = Run::new().arg("--help").success().stdout;
    assert!(
        help.contains("1  No reply matched: a query that finds nothing, or an id no reply has"),
        "{help}"
    );
    assert!(!help.contains("unknown reply"), "{help}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme
            .contains("| 1 | no reply matched: a query that finds nothing, or an id no reply has")
    );
    for (name, _) in reply::cli::ENVIRONMENT {
        let name = name.split(',').next().unwrap_or(name).trim();
        assert!(readme.contains(name), "README does not list {name}");
    }
    for (code, _) in reply::cli::EXIT_STATUS {
        assert!(
            readme.contains(&format!("| {code} |")),
            "README lacks exit code {code}"
        );
    }
}

#[test]
fn a_match_in_a_translation_shows_that_translation() {
    let s = Sandbox::new();
    s.library_file(
        "t.toml",
        "[exchange]\ntitle = \"Exchange\"\nbody = \"Hi {{ customer }}, swap it.\"\n\
         [exchange.translations.es]\ntitle = \"Cambio\"\nbody = \"Hola {{ customer }}, usa la etiqueta de devolución.\"\n",
    );
    let ran = s.run().args(["search", "devolucion"]).success();
    assert_eq!(ran.stdout, "exchange\tCambio\t[es]\n");
    let v = s
        .run()
        .args(["search", "devolucion", "--json"])
        .success()
        .json();
    assert_eq!(v["results"][0]["lang"], "es");
    assert_eq!(v["results"][0]["title"], "Cambio");
    assert_eq!(v["results"][0]["matches"]["fields"][0], "body");
}

#[test]
fn on_a_terminal_search_says_where_it_matched() {
    if !require("script") {
        return;
    }
    let s = basic();
    let screen = s
        .run()
        .env("NO_COLOR", "1")
        .program("script")
        .args(["-qec", "reply search orders", "/dev/null"])
        .success()
        .stdout;
    assert!(
        screen.contains("order-delay") && screen.contains("in tags"),
        "{screen}"
    );
}

#[test]
fn a_starter_reply_missing_a_value_points_to_a_library_that_can_be_edited() {
    let ran = Run::new()
        .bare()
        .args([
            "render",
            "order-delay",
            "-c",
            "Ana",
            "-a",
            "Sam",
            "-b",
            "Acme",
        ])
        .stdout("")
        .code(2);
    assert!(ran.stderr.contains("run `reply init`"), "{ran}");
    // A reply of the user's own library gets the plain hint.
    let ran = basic()
        .run()
        .args([
            "render",
            "order-delay",
            "-c",
            "Ana",
            "-a",
            "Sam",
            "-b",
            "Acme",
        ])
        .code(2);
    assert!(
        ran.stderr
            .contains("add a default under [order-delay.defaults]"),
        "{ran}"
    );
    assert!(!ran.stderr.contains("reply init"), "{ran}");
}

#[test]
fn other_names_of_a_platform_are_suggested() {
    let s = basic();
    for (typed, meant) in [
        ("twitter", "x"),
        ("insta", "instagram"),
        ("whatsap", "whatsapp"),
    ] {
        s.run()
            .args(["thanks", "-c", "Ana", "-a", "Sam", "--platform", typed])
            .stdout("")
            .stderr_contains(format!("did you mean `{meant}`?"))
            .code(2);
    }
}

#[test]
fn a_mistyped_option_gets_a_tip() {
    let s = basic();
    s.run()
        .args(["list", "--tg", "orders"])
        .stderr_contains("tip: a similar argument exists: '--tag'")
        .code(2);
}

#[test]
fn a_search_with_no_match_has_the_error_and_hint_shape() {
    let ran = basic().run().args(["search", "zzqxjv"]).code(1);
    assert!(
        ran.stderr
            .starts_with("error: no reply matches `zzqxjv`\n  = hint: "),
        "{ran}"
    );
}

#[test]
fn a_second_init_says_it_did_nothing() {
    let s = Sandbox::new();
    s.run().bare().arg("init").success();
    let ran = s.run().bare().arg("init").stdout("").success();
    assert!(ran.stderr.contains("nothing was copied"), "{ran}");
    assert!(!ran.stderr.contains("warning"), "{ran}");
    assert!(!ran.stderr.contains("edit its files"), "{ran}");
}

#[test]
fn the_copied_note_follows_the_message_on_a_terminal() {
    if !require("script") {
        return;
    }
    let s = basic();
    s.config(&s.copy_stub());
    let screen = s
        .run()
        .env("NO_COLOR", "1")
        .program("script")
        .args(["-qec", "reply thanks -c Ana -a Sam", "/dev/null"])
        .success()
        .stdout;
    let message = screen
        .find("Thanks Ana! Sam")
        .expect("the message is shown");
    let note = screen
        .find("Copied 15 characters")
        .expect("the note is shown");
    assert!(message < note, "{screen}");
    assert_eq!(s.copied(), "Thanks Ana! Sam");
}

#[test]
fn render_help_keeps_global_options_apart_and_describes_each_output() {
    let help = Run::new().args(["render", "--help"]).success().stdout;
    let global = help
        .find("Global options:")
        .expect("a Global options heading");
    let library = help.find("--library").expect("--library is listed");
    assert!(
        library > global,
        "global options under their heading:\n{help}"
    );
    for mode in ["auto:", "copy:", "print:", "both:"] {
        assert!(help.contains(mode), "{mode} in:\n{help}");
    }
}

#[test]
fn man_and_completions_work_with_a_broken_config() {
    let s = basic();
    s.config("agnet = \"Sam\"\n");
    s.run().arg("list").stderr_contains("agnet").code(2);
    let man = s.run().arg("man").success();
    assert!(man.stdout.contains(".TH"), "{man}");
    let bash = s.run().args(["completions", "bash"]).success();
    assert!(bash.stdout.contains("__complete-ids"), "{bash}");
}

#[test]
fn the_declared_rust_version_is_the_one_readme_names() {
    let cargo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("Cargo.toml declares rust-version")
        .trim_matches('"');
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains(&format!("Rust {version} or newer")),
        "README names Rust {version}"
    );
}
