//! Issue 2, layers: --library, REPLY_LIBRARY, the config's libraries, the user's
//! library and the starter library; shadowing; duplicates; the config file;
//! `reply paths`.

use crate::support::*;

/// A library folder (relative to the sandbox) with one reply `same` whose body
/// names the folder, plus a reply unique to the folder.
fn layer(s: &Sandbox, dir: &str) -> std::path::PathBuf {
    let unique = dir.replace(['/', '.'], "-");
    s.write(
        &format!("{dir}/r.toml"),
        &format!(
            "{}{}",
            reply("same", &format!("Same from {dir}"), &format!("from {dir}")),
            reply(&format!("only-{unique}"), "Only", "only")
        ),
    );
    s.path(dir)
}

/// `render same --exact`: the body says which layer the reply came from.
fn render_same(run: Run) -> Run {
    run.args(["render", "same", "--exact"])
}

#[test]
fn the_layers_shadow_in_order_flag_env_config_user() {
    let s = Sandbox::new();
    let flag = layer(&s, "flag");
    let env = layer(&s, "envlib");
    let cfg = layer(&s, "cfglib");
    layer(&s, "data/reply/replies");
    s.config(&format!("libraries = [{:?}]\n", cfg.display().to_string()));

    render_same(
        s.run()
            .bare()
            .args(["-L"])
            .arg(&flag)
            .env("REPLY_LIBRARY", &env),
    )
    .stdout("from flag")
    .success();

    render_same(s.run().bare().env("REPLY_LIBRARY", &env))
        .stdout("from envlib")
        .success();

    render_same(s.run().bare()).stdout("from cfglib").success();

    s.config("");
    render_same(s.run().bare())
        .stdout("from data/reply/replies")
        .success();
}

#[test]
fn all_layers_contribute_and_list_shows_a_shadowed_id_once() {
    let s = Sandbox::new();
    let flag = layer(&s, "flag");
    let env = layer(&s, "envlib");
    let cfg = layer(&s, "cfglib");
    layer(&s, "data/reply/replies");
    s.config(&format!("libraries = [{:?}]\n", cfg.display().to_string()));
    let out = s
        .run()
        .bare()
        .arg("list")
        .arg("--library")
        .arg(&flag)
        .env("REPLY_LIBRARY", &env)
        .success()
        .stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(
        got,
        [
            "only-cfglib",
            "only-data-reply-replies",
            "only-envlib",
            "only-flag",
            "same"
        ],
        "{out}"
    );
    let same = out.lines().find(|l| l.starts_with("same\t")).unwrap();
    assert!(same.contains("Same from flag"), "{same}");
    assert!(same.contains("flag"), "library column: {same}");
}

#[test]
fn repeated_library_flags_rank_in_the_order_given() {
    let s = Sandbox::new();
    let a = layer(&s, "a");
    let b = layer(&s, "b");
    render_same(s.run().bare().arg("-L").arg(&a).arg("-L").arg(&b))
        .stdout("from a")
        .success();
    render_same(
        s.run()
            .bare()
            .arg("--library")
            .arg(&b)
            .arg("--library")
            .arg(&a),
    )
    .stdout("from b")
    .success();
}

#[test]
fn reply_library_is_colon_separated_first_highest() {
    let s = Sandbox::new();
    let a = layer(&s, "a");
    let b = layer(&s, "b");
    let joined =
        |x: &std::path::Path, y: &std::path::Path| format!("{}:{}", x.display(), y.display());
    render_same(s.run().bare().env("REPLY_LIBRARY", joined(&a, &b)))
        .stdout("from a")
        .success();
    render_same(s.run().bare().env("REPLY_LIBRARY", joined(&b, &a)))
        .stdout("from b")
        .success();
    let out = s
        .run()
        .bare()
        .arg("list")
        .env("REPLY_LIBRARY", joined(&a, &b))
        .success()
        .stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["only-a", "only-b", "same"]);
}

#[test]
fn config_libraries_rank_above_the_user_library() {
    let s = Sandbox::new();
    let c1 = layer(&s, "c1");
    let c2 = layer(&s, "c2");
    layer(&s, "data/reply/replies");
    s.config(&format!(
        "libraries = [{:?}, {:?}]\n",
        c1.display().to_string(),
        c2.display().to_string()
    ));
    render_same(s.run().bare()).stdout("from c1").success();
    let out = s.run().bare().arg("list").success().stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(
        got,
        ["only-c1", "only-c2", "only-data-reply-replies", "same"]
    );
}

#[test]
fn a_duplicate_id_within_one_layer_is_an_error_naming_both_places() {
    let s = Sandbox::new();
    let first = s.library_file("a.toml", &reply("dup", "First", "first"));
    let second = s.library_file(
        "sub/b.toml",
        &format!("# second\n{}", reply("dup", "Second", "second")),
    );
    let out = s.run().arg("list").code(0);
    let err = out.stderr.clone();
    contains_all(
        &err,
        &[
            "dup",
            &format!("{}:1", first.display()),
            &format!("{}:2", second.display()),
        ],
    );
    // Rendering it would be a guess: an error naming both places.
    let out = s.run().args(["render", "dup"]).stdout("").code(2);
    let err = out.stderr.clone();
    contains_all(
        &err,
        &[
            "dup",
            &format!("{}:1", first.display()),
            &format!("{}:2", second.display()),
        ],
    );
}

#[test]
fn the_same_id_in_two_layers_is_not_a_duplicate() {
    let s = Sandbox::new();
    let a = layer(&s, "a");
    let b = layer(&s, "b");
    let out = s
        .run()
        .bare()
        .arg("list")
        .env("REPLY_LIBRARY", format!("{}:{}", a.display(), b.display()))
        .code(0);
    assert!(!out.stderr.contains("duplicate"), "{}", out.stderr);
}

#[test]
fn the_starter_library_serves_when_no_library_exists() {
    let s = Sandbox::new();
    let out = s.run().bare().arg("list").success().stdout;
    let got = ids(&out);
    assert!(got.contains(&"order-delay".to_string()), "{out}");
    assert!(got.len() > 10, "{out}");
    // A library that does not exist counts as none.
    let out = s
        .run()
        .bare()
        .arg("list")
        .env("REPLY_LIBRARY", s.path("nowhere"))
        .success()
        .stdout;
    assert!(ids(&out).contains(&"order-delay".to_string()), "{out}");
}

#[test]
fn the_starter_library_steps_aside_when_a_library_exists() {
    let s = Sandbox::new();
    layer(&s, "data/reply/replies");
    let out = s.run().bare().arg("list").success().stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["only-data-reply-replies", "same"]);
}

#[test]
fn config_gives_agent_brand_and_vars() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s.config("agent = \"Cfg Agent\"\nbrand = \"Cfg Brand\"\n[vars]\norder = \"C-9\"\n");
    s
        .run()
        .args(["render", "order-delay", "-c", "Ana"])
        .stdout("Hi Ana, this is Cfg Agent from Cfg Brand.\nYour order C-9 will arrive within 3 business days.").success();
    // REPLY_AGENT overrides the config's agent.
    let out = s
        .run()
        .args(["render", "order-delay", "-c", "Ana"])
        .env("REPLY_AGENT", "Env Agent")
        .success()
        .stdout;
    assert!(
        out.starts_with("Hi Ana, this is Env Agent from Cfg Brand."),
        "{out}"
    );
}

#[test]
fn reply_config_names_another_config_file() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s.config("agent = \"Default place\"\n");
    let other = s.write("elsewhere/my.toml", "agent = \"Other\"\nbrand = \"B\"\n");
    s.run()
        .args(["render", "thanks", "-c", "Ana"])
        .env("REPLY_CONFIG", &other)
        .stdout("Thanks Ana! Other")
        .success();
}

#[test]
fn config_libraries_are_read_from_reply_config_too() {
    let s = Sandbox::new();
    let lib = layer(&s, "cfglib");
    let other = s.write(
        "elsewhere/my.toml",
        &format!("libraries = [{:?}]\n", lib.display().to_string()),
    );
    s.run()
        .bare()
        .args(["render", "same"])
        .env("REPLY_CONFIG", &other)
        .stdout("from cfglib")
        .success();
}

#[test]
fn paths_shows_where_config_and_libraries_are_looked_for() {
    let s = Sandbox::new();
    let env_lib = layer(&s, "envlib");
    let missing = s.path("not-there");
    let cfg_lib = s.path("cfg-missing");
    s.config(&format!(
        "libraries = [{:?}]\n",
        cfg_lib.display().to_string()
    ));
    let out = s
        .run()
        .bare()
        .arg("paths")
        .env(
            "REPLY_LIBRARY",
            format!("{}:{}", env_lib.display(), missing.display()),
        )
        .success()
        .stdout;
    let config = s.path("config/reply/config.toml");
    let user = s.path("data/reply/replies");
    for p in [&config, &env_lib, &missing, &cfg_lib, &user] {
        assert!(
            out.contains(&p.display().to_string()),
            "{} not in:\n{out}",
            p.display()
        );
    }
    let line = |p: &std::path::Path| {
        let p = p.display().to_string();
        out.lines()
            .find(|l| l.contains(&p) && !l.contains(&format!("{p}/")))
            .unwrap()
            .replace(&p, "")
    };
    // The existing ones and the missing ones are told apart.
    let (yes, no) = (line(&env_lib), line(&missing));
    assert_ne!(yes, no, "existing and missing look the same:\n{out}");
    assert!(line(&missing).contains("missing") || line(&missing).contains("not"));
    assert!(line(&user).contains("missing") || line(&user).contains("not"));
    assert!(!line(&env_lib).contains("missing"));
    assert!(!line(&config).contains("missing"), "{out}");
}

#[test]
fn global_options_before_the_subcommand_apply_to_it() {
    let s = Sandbox::new();
    let a = layer(&s, "a");
    let a = a.to_str().unwrap();
    for before in [
        &["-L", a][..],
        &["--library", a],
        &["--color", "never", "-L", a],
        &["-q", "-L", a],
        &["--now", "2026-11-25T09:30", "-L", a],
    ] {
        let out = s.run().bare().args(before).arg("list").code(0);
        let mut got = ids(&out.stdout);
        got.sort();
        assert_eq!(got, ["only-a", "same"], "reply {before:?} list");
        let out = s
            .run()
            .bare()
            .args(before)
            .args(["render", "same", "--exact"])
            .code(0);
        assert_eq!(out.stdout, "from a", "reply {before:?} render same");
    }
    // And after it.
    let out = s.run().bare().args(["list", "-L", a]).success().stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["only-a", "same"]);
}

#[test]
fn a_duplicate_within_a_shadowed_layer_is_still_reported() {
    let s = Sandbox::new();
    s.write("a/r.toml", &reply("dup", "From a", "Hi {{ customer }} a"));
    let b1 = s.write("b/r1.toml", &reply("dup", "B one", "Hi {{ customer }} b1"));
    let b2 = s.write("b/r2.toml", &reply("dup", "B two", "Hi {{ customer }} b2"));
    let lib = format!("{}:{}", s.path("a").display(), s.path("b").display());
    // The higher layer's reply is the one used…
    s.run()
        .bare()
        .args(["render", "dup", "-c", "Ana"])
        .env("REPLY_LIBRARY", &lib)
        .stdout("Hi Ana a")
        .code(0);
    // …but the lower layer still defines `dup` twice: an error naming both places.
    let both = [format!("{}:1", b1.display()), format!("{}:1", b2.display())];
    let out = s
        .run()
        .bare()
        .arg("list")
        .env("REPLY_LIBRARY", &lib)
        .code(0);
    contains_all(&out.stderr, &["dup", &both[0], &both[1]]);
    let out = s
        .run()
        .bare()
        .arg("check")
        .env("REPLY_LIBRARY", &lib)
        .code(2);
    let text = format!("{}{}", out.stdout, out.stderr);
    contains_all(&text, &["dup", &both[0], &both[1]]);
}
